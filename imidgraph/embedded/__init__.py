"""The embedded side: the validated facts built into a graph, kept in a cache, and the
catalogue answered on it without a server.

* :mod:`.compact`: facts -> the compact graph the answers read (plain dicts, the read-only part
  of networkx's ``MultiDiGraph`` API they use; no networkx import on a cold start);
* :mod:`.build`: facts -> the networkx graph (export, your own analyses; built when first asked
  for). The properties of both: :mod:`imidgraph.properties`;
* :mod:`.graph`: :class:`~.graph.EmbeddedGraph`, facts + graphs + name index, with lookups;
* :mod:`.cache`: built graphs kept per content of the seeds and the code;
* :mod:`.answers`: the catalogue's offline twins (``answers.IMPLEMENTATIONS``).
"""
