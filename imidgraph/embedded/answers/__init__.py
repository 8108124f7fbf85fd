"""The catalogue answered on the embedded graph: one twin per query of ``cypher/``.

``IMPLEMENTATIONS`` maps each query's name to its twin (registered with
:func:`~.rows.implements`); :class:`~imidgraph.backends.MemoryBackend` looks a query up there.
The twins live by concern, each module registering its own when imported here:

* :mod:`.rows`: the registry and what every twin shares (Cypher's ORDER BY and DISTINCT,
  walking the graph, the qualifier and citation columns);
* :mod:`.queries`: the one-entity queries (targets, downstream, uses, resistance, ...);
* :mod:`.contrasts`: two drugs compared (``drug_difference``, ``side_effects_compared``);
* :mod:`.paths`: ``explain_paths``, the candidate paths of ``imidgraph explain``.
"""

from . import contrasts, paths, queries
from .rows import IMPLEMENTATIONS, Row, cite, implements

__all__ = ["IMPLEMENTATIONS", "Row", "cite", "contrasts", "implements", "paths", "queries"]
