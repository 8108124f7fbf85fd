"""Where explain reads its facts: the embedded graph or a Neo4j server (read access only).

Both give the same answers: the relations stating given triples, the drug's and partner's
clinical relations, the outcomes (``has_outcome``) of regimens and of the trials that tested
them, the hierarchy (``subclass_of``) around entities, and entity records.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING

from ..build import edge_properties_from_stored
from ..loader import OWNER
from .model import USES

if TYPE_CHECKING:
    from ..backends import MemoryBackend, Neo4jBackend
    from ..graph import KnowledgeGraph

Triple = tuple[str, str, str]


class _Memory:
    """Paths and relations from the embedded graph."""

    def __init__(self, kg: KnowledgeGraph):
        from ..backends import MemoryBackend

        self.kg = kg
        self.backend = MemoryBackend(kg)

    def relations(self, triples: Iterable[Triple]) -> dict[Triple, list[dict]]:
        found: dict[Triple, list[dict]] = {}
        graph = self.kg.graph
        for s, p, o in triples:
            if s in graph and o in graph.succ[s]:
                found[(s, p, o)] = [dict(d) for d in graph.succ[s][o].values() if d["predicate"] == p]
        return found

    def clinical(self, ids: Iterable[str]) -> list[tuple[str, str, dict]]:
        """(subject, object, relation) of every clinical use or side effect of the entities."""
        graph = self.kg.graph
        return [
            (s, o, dict(d))
            for s in sorted(set(ids))
            if s in graph
            for o in graph.succ[s]
            for d in graph.succ[s][o].values()
            if d["predicate"] in USES
        ]

    def uses_of(self, entity: str) -> set[str]:
        """The predicates of the clinical uses and side effects that name ``entity`` as their object."""
        graph = self.kg.graph
        return {p for _, _, p in graph.in_edges(entity, data="predicate") if p in USES} if entity in graph else set()

    def concerned(self, ids: Iterable[str]) -> set[str]:
        """The entities among ``ids`` that an open question ``concerns`` directly."""
        graph = self.kg.graph
        return {i for i in ids if i in graph and any(p == "concerns" for _, _, p in graph.in_edges(i, data="predicate"))}

    def outcomes(self, ids: Iterable[str]) -> list[tuple[str, str, dict]]:
        """(subject, endpoint, relation) of every ``has_outcome`` of the entities, and of the
        trials that tested them. A trial's findings are stated once, on the regimen it tested
        (``in_trial``): for a trial among the entities they are read through its ``tested``
        relations, so that no result is counted twice or given to another arm."""
        graph = self.kg.graph
        given = {i for i in ids if i in graph}
        trials = {t for i in given for t, _, p in graph.in_edges(i, data="predicate") if p == "tested"}
        arms = {r for t in given for _, r, p in graph.out_edges(t, data="predicate") if p == "tested"}
        return [
            (s, o, dict(d))
            for s in sorted(given | trials | arms)
            for o in sorted(graph.succ[s])
            for d in sorted(graph.succ[s][o].values(), key=lambda d: d["id"])
            if d["predicate"] == "has_outcome" and (s in given or s in trials or d.get("q_in_trial") in given)
        ]

    def _walk(self, entity: str, up: bool) -> set[str]:
        graph, seen, todo = self.kg.graph, set(), [entity]
        while todo:
            x = todo.pop()
            edges = graph.out_edges(x, data="predicate") if up else graph.in_edges(x, data="predicate")
            for a, b, p in edges:
                y = b if up else a
                if p == "subclass_of" and y not in seen and y != entity:
                    seen.add(y)
                    todo.append(y)
        return seen

    def ancestors(self, ids: Iterable[str]) -> dict[str, set[str]]:
        """Every class above each entity (``subclass_of``, any depth)."""
        return {i: self._walk(i, True) for i in set(ids) if i in self.kg.graph}

    def descendants(self, entity: str) -> set[str]:
        return self._walk(entity, False) if entity in self.kg.graph else set()

    def parents(self, entity: str) -> set[str]:
        graph = self.kg.graph
        return {o for _, o, p in graph.out_edges(entity, data="predicate") if p == "subclass_of"} if entity in graph else set()

    def entities(self, ids: Iterable[str]) -> dict[str, dict]:
        graph = self.kg.graph
        return {
            i: {
                "name": graph.nodes[i]["name"],
                "category": graph.nodes[i]["category"],
                "degree": graph.degree(i),
                "secreted": any(p == "produced_by" for _, _, p in graph.out_edges(i, data="predicate")),
                "favourable": graph.nodes[i].get("favourable"),
                "feeds": sorted({o for _, o, p in graph.out_edges(i, data="predicate") if p == "contributes_to"}),
            }
            for i in ids
            if i in graph
        }


_OWN = "WHERE all(x IN relationships(q) WHERE x.imidgraph_load IS NOT NULL)"


def _edge(props: dict) -> dict:
    """A relationship's properties as read from Neo4j, as the embedded graph has them: without
    the load's mark, with the lists not stored put back and the derived properties derived."""
    props.pop(OWNER, None)
    return edge_properties_from_stored(props)


class _Neo4j:
    """Paths and relations from a Neo4j server, read access only (ours: loader.OWNER)."""

    _RELATIONS = (
        "UNWIND $triples AS t\n"
        "MATCH (a:Imidgraph {id: t[0]})-[r]->(b:Imidgraph {id: t[2]})\n"
        "WHERE r.predicate = t[1] AND r.imidgraph_load IS NOT NULL\n"
        "RETURN t[0] AS s, t[1] AS p, t[2] AS o, properties(r) AS props"
    )
    _CLINICAL = (
        "UNWIND $ids AS i\n"
        "MATCH (a:Imidgraph {id: i})-[r:APPROVED_FOR|STUDIED_CLINICALLY_FOR|ACTIVE_PRECLINICALLY_IN|HAS_SIDE_EFFECT]->(b:Imidgraph)\n"
        "WHERE r.imidgraph_load IS NOT NULL\n"
        "RETURN a.id AS s, b.id AS o, properties(r) AS props ORDER BY s, o, props.id"
    )
    _USES_OF = (
        "MATCH (a:Imidgraph)-[r:APPROVED_FOR|STUDIED_CLINICALLY_FOR|ACTIVE_PRECLINICALLY_IN|HAS_SIDE_EFFECT]->(b:Imidgraph {id: $id})\n"
        "WHERE r.imidgraph_load IS NOT NULL\n"
        "RETURN DISTINCT r.predicate AS p"
    )
    _OUTCOMES = (
        "UNWIND $ids AS i\n"
        "MATCH (x:Imidgraph {id: i})\n"
        "CALL (x) {\n"
        "  MATCH (x)-[r:HAS_OUTCOME]->(b:Imidgraph) WHERE r.imidgraph_load IS NOT NULL\n"
        "  RETURN x.id AS s, b.id AS o, r\n"
        "  UNION\n"
        "  MATCH (t:Imidgraph)-[k:TESTED]->(x) WHERE k.imidgraph_load IS NOT NULL\n"
        "  MATCH (t)-[r:HAS_OUTCOME]->(b:Imidgraph) WHERE r.imidgraph_load IS NOT NULL\n"
        "  RETURN t.id AS s, b.id AS o, r\n"
        "  UNION\n"
        "  MATCH (x)-[k:TESTED]->(g:Imidgraph) WHERE k.imidgraph_load IS NOT NULL\n"
        "  MATCH (g)-[r:HAS_OUTCOME]->(b:Imidgraph) WHERE r.imidgraph_load IS NOT NULL AND r.q_in_trial = x.id\n"
        "  RETURN g.id AS s, b.id AS o, r\n"
        "}\n"
        "WITH DISTINCT s, o, r\n"
        "RETURN s, o, properties(r) AS props ORDER BY s, o, props.id"
    )
    _CONCERNED = (
        "UNWIND $ids AS i\n"
        "MATCH (:Imidgraph)-[r:CONCERNS]->(a:Imidgraph {id: i})\n"
        "WHERE r.imidgraph_load IS NOT NULL\n"
        "RETURN DISTINCT i"
    )
    _ENTITIES = (
        "UNWIND $ids AS i\n"
        "MATCH (n:Imidgraph {id: i})\n"
        "RETURN n.id AS id, n.name AS name, n.category AS category, "
        "COUNT { (n)-[r]-() WHERE r.imidgraph_load IS NOT NULL } AS degree, "
        "EXISTS { (n)-[r:PRODUCED_BY]->() WHERE r.imidgraph_load IS NOT NULL } AS secreted, "
        "n.favourable AS favourable, "
        "COLLECT { MATCH (n)-[r:CONTRIBUTES_TO]->(d:Imidgraph) WHERE r.imidgraph_load IS NOT NULL RETURN DISTINCT d.id ORDER BY d.id } AS feeds"
    )
    _ANCESTORS = (
        "UNWIND $ids AS i\n"
        "MATCH (n:Imidgraph {id: i})\n"
        f"RETURN i, COLLECT {{ MATCH q = (n)-[:SUBCLASS_OF*1..]->(a:Imidgraph) {_OWN} RETURN DISTINCT a.id }} AS up"
    )
    _DESCENDANTS = (
        "MATCH (n:Imidgraph {id: $id})\n"
        f"RETURN COLLECT {{ MATCH q = (n)<-[:SUBCLASS_OF*1..]-(a:Imidgraph) {_OWN} RETURN DISTINCT a.id }} AS down, "
        "COLLECT { MATCH (n)-[r:SUBCLASS_OF]->(a:Imidgraph) WHERE r.imidgraph_load IS NOT NULL RETURN DISTINCT a.id } AS up"
    )

    def __init__(self, backend: Neo4jBackend):
        self.backend = backend
        self._around: dict[str, tuple[set[str], set[str]]] = {}

    def relations(self, triples: Iterable[Triple]) -> dict[Triple, list[dict]]:
        found: dict[Triple, list[dict]] = {}
        rows = self.backend.cypher(self._RELATIONS, {"triples": [list(t) for t in triples]}).rows
        for s, p, o, props in rows:
            found.setdefault((s, p, o), []).append(_edge(props))
        return found

    def _edges_of(self, query: str, ids: Iterable[str]) -> list[tuple[str, str, dict]]:
        rows = self.backend.cypher(query, {"ids": sorted(set(ids))}).rows
        return [(s, o, _edge(props)) for s, o, props in rows]

    def clinical(self, ids: Iterable[str]) -> list[tuple[str, str, dict]]:
        return self._edges_of(self._CLINICAL, ids)

    def outcomes(self, ids: Iterable[str]) -> list[tuple[str, str, dict]]:
        return self._edges_of(self._OUTCOMES, ids)

    def concerned(self, ids: Iterable[str]) -> set[str]:
        return {i for (i,) in self.backend.cypher(self._CONCERNED, {"ids": sorted(set(ids))}).rows}

    def uses_of(self, entity: str) -> set[str]:
        return {p for (p,) in self.backend.cypher(self._USES_OF, {"id": entity}).rows}

    def ancestors(self, ids: Iterable[str]) -> dict[str, set[str]]:
        rows = self.backend.cypher(self._ANCESTORS, {"ids": sorted(set(ids))}).rows
        return {i: set(up) for i, up in rows}

    def _down_up(self, entity: str) -> tuple[set[str], set[str]]:
        if entity not in self._around:
            rows = self.backend.cypher(self._DESCENDANTS, {"id": entity}).rows
            self._around[entity] = (set(rows[0][0]), set(rows[0][1])) if rows else (set(), set())
        return self._around[entity]

    def descendants(self, entity: str) -> set[str]:
        return self._down_up(entity)[0]

    def parents(self, entity: str) -> set[str]:
        return self._down_up(entity)[1]

    def entities(self, ids: Iterable[str]) -> dict[str, dict]:
        rows = self.backend.cypher(self._ENTITIES, {"ids": sorted(set(ids))}).rows
        return {
            i: {"name": n, "category": c, "degree": d, "secreted": x, "favourable": f, "feeds": list(feeds)}
            for i, n, c, d, x, f, feeds in rows
        }


def source_for(kg: KnowledgeGraph, backend: MemoryBackend | Neo4jBackend | None = None):
    from ..backends import Neo4jBackend

    return _Neo4j(backend) if isinstance(backend, Neo4jBackend) else _Memory(kg)
