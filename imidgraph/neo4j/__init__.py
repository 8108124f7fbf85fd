"""Everything imidgraph does in Neo4j, and the only place that knows how the graph is stored there.

Modules, from the bottom up (each imports only those before it, and the embedded side below):

* :mod:`.vocabulary` -- the labels, the ownership property, the load record's keys, and the
  names of the constraints and indexes;
* :mod:`.connect` -- settings, the driver, and connection failures as one line;
* :mod:`.record` -- the load record, the counts, and the check that a database holds the
  complete graph of given seeds;
* :mod:`.plan` -- what a load writes (held in memory or streamed) and its content hash;
* :mod:`.indexes`, :mod:`.lock`, :mod:`.write` -- constraints and indexes; the load lock;
  the rows' Cypher, batches, sessions and stale removal;
* :mod:`.load` -- the online load (``imidgraph load``);
* :mod:`.bulk` -- ``imidgraph load --bulk``: ``neo4j-admin database import`` into the empty
  local server;
* :mod:`.backend` -- :class:`~.backend.Neo4jBackend`: the catalogue, ad-hoc Cypher, and what
  search, show and explain ask, on a server (read access only);
* :mod:`.server` -- the local Neo4j 5.26 server (``python -m imidgraph.neo4j.server``),
  standard library only.

Nothing is imported here, so that ``imidgraph.neo4j.server`` stays light. The driver
(``import neo4j``, an absolute import: the package on PyPI) is imported only inside the
functions that talk to a server.
"""
