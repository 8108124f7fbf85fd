"""The embedded graph as plain dictionaries: what the embedded answers read, without networkx.

:class:`CompactGraph` holds the same nodes, edges and properties as the networkx
``MultiDiGraph`` of :mod:`.build` (one node per entity keyed by CURIE, one edge per relation
keyed by relation id), in the same order, and answers the small read-only part of the
``MultiDiGraph`` API that the offline answers, search and explain use: ``nodes[id]``,
``succ``/``pred``, ``in``, ``out_edges``, ``in_edges``, ``edges`` and ``degree``. Every
one of them returns what networkx returns, in the order networkx returns it, so the answers
are the same; it is kept in the cache of built graphs, and reading it back imports no
networkx (the cost of a cold start was mostly that import). networkx stays the embedded
backend's graph library: :attr:`~.graph.EmbeddedGraph.graph` builds the ``MultiDiGraph`` when
it is asked for (export, users' own analyses).
"""

from __future__ import annotations

import marshal
from collections.abc import Iterable, Iterator
from typing import Any

from ..facts import FactSet

# node -> neighbour -> edge key -> the edge's properties (the same dict in succ and pred)
Adjacency = dict[str, dict[str, dict[str, dict[str, Any]]]]


class CompactGraph:
    """A read-only multi-digraph of plain dicts, built as :func:`.build.build_graph` builds
    the networkx graph (so that iteration orders agree)."""

    def __init__(self, nodes: dict[str, dict[str, Any]], succ: Adjacency, pred: Adjacency):
        self.nodes = nodes
        self.succ = succ
        self.pred = pred
        self._links: dict[tuple[str, bool], list[tuple[str, str]]] = {}

    def __reduce__(self) -> tuple:
        """Pickled as one ``marshal`` string of its dicts: read back faster than pickle reads
        the same dicts, the edge dicts still shared by ``succ`` and ``pred``. (marshal's format
        belongs to the Python version, which is part of the cache's key.)"""
        return _unmarshal, (marshal.dumps((self.nodes, self.succ, self.pred)),)

    @classmethod
    def from_facts(cls, facts: FactSet) -> CompactGraph:
        from ..properties import edge_properties, node_properties  # (and the search's words): only to build

        nodes: dict[str, dict[str, Any]] = {}
        succ: Adjacency = {}
        pred: Adjacency = {}
        for entity in facts.entities.values():
            if entity.id in nodes:  # networkx's add_node updates a node given twice
                nodes[entity.id].update(node_properties(entity))
            else:
                nodes[entity.id] = node_properties(entity)
                succ[entity.id], pred[entity.id] = {}, {}
        for relation in facts.relations:
            u, v = relation.subject, relation.object
            for node in (u, v):  # networkx's add_edge adds a missing end as a bare node
                if node not in nodes:
                    nodes[node], succ[node], pred[node] = {}, {}, {}
            data = succ[u].setdefault(v, {}).get(relation.id)
            if data is None:
                data = edge_properties(relation)
                succ[u][v][relation.id] = data
                pred[v].setdefault(u, {})[relation.id] = data
            else:  # the same key again: networkx updates the edge's properties
                data.update(edge_properties(relation))
        return cls(nodes, succ, pred)

    def __contains__(self, node: object) -> bool:
        try:
            return node in self.nodes
        except TypeError:
            return False

    def __len__(self) -> int:
        return len(self.nodes)

    def __iter__(self) -> Iterator[str]:
        return iter(self.nodes)

    def number_of_edges(self) -> int:
        return sum(len(keys) for targets in self.succ.values() for keys in targets.values())

    def degree(self, node: str) -> int:
        """In-degree plus out-degree, each relation counted (networkx's ``degree(node)``)."""
        return sum(len(keys) for keys in self.succ[node].values()) + sum(len(keys) for keys in self.pred[node].values())

    def out_edges(self, node: str, data: bool | str = False, keys: bool = False) -> list[tuple]:
        """``(node, target[, key][, data])`` of each relation leaving ``node`` (none for a
        node not in the graph); ``data`` True: the properties, a name: that property or None."""
        adjacent = self.succ.get(node)
        return [] if adjacent is None else _edges(((node, v, kd) for v, kd in adjacent.items()), data, keys)

    def in_edges(self, node: str, data: bool | str = False, keys: bool = False) -> list[tuple]:
        """``(source, node[, key][, data])`` of each relation entering ``node``."""
        adjacent = self.pred.get(node)
        return [] if adjacent is None else _edges(((u, node, kd) for u, kd in adjacent.items()), data, keys)

    def edges(self, data: bool | str = False, keys: bool = False) -> list[tuple]:
        """Every relation, node by node in the graph's order (networkx's ``edges()``)."""
        return _edges(((u, v, kd) for u, nbrs in self.succ.items() for v, kd in nbrs.items()), data, keys)

    def links(self, node: str, out: bool) -> list[tuple[str, str]]:
        """``(neighbour, predicate)`` of each relation leaving (``out``) or entering ``node``:
        ``out_edges(node, data="predicate")`` without the node, for the path search's inner loop
        (made once per node and direction: the graph is read-only)."""
        found = self._links.get((node, out))
        if found is None:
            adjacent = (self.succ if out else self.pred).get(node, {})
            found = self._links[(node, out)] = [(x, d["predicate"]) for x, kd in adjacent.items() for d in kd.values()]
        return found


def _unmarshal(data: bytes) -> CompactGraph:
    return CompactGraph(*marshal.loads(data))


def _edges(pairs: Iterable[tuple[str, str, dict[str, dict[str, Any]]]], data: bool | str, keys: bool) -> list[tuple]:
    """The edges of ``(u, v, key -> properties)`` as networkx's edge views give them."""
    if data is True:
        if keys:
            return [(u, v, k, d) for u, v, kd in pairs for k, d in kd.items()]
        return [(u, v, d) for u, v, kd in pairs for d in kd.values()]
    if data:
        if keys:
            return [(u, v, k, d.get(data)) for u, v, kd in pairs for k, d in kd.items()]
        return [(u, v, d.get(data)) for u, v, kd in pairs for d in kd.values()]
    if keys:
        return [(u, v, k) for u, v, kd in pairs for k in kd]
    return [(u, v) for u, v, kd in pairs for _ in kd]
