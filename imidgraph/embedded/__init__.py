"""The embedded side: the validated facts built into a networkx graph, kept in a cache, and the
catalogue answered on it without a server.

* :mod:`.build`: facts -> graph (the properties: :mod:`imidgraph.properties`);
* :mod:`.graph`: :class:`~.graph.EmbeddedGraph`, facts + graph + name index, with lookups;
* :mod:`.cache`: built graphs kept per content of the seeds and the code;
* :mod:`.answers`: the catalogue's offline twins (``answers.IMPLEMENTATIONS``).
"""
