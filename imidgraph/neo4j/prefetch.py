"""An explanation on Neo4j in two round trips: the paths, then everything else at once.

``imidgraph explain`` reads more than its paths: the relations of every step, the bindings and
changes that support them, the clinical relations and outcomes that pseudo-steps and trials
cite, the classes around the drug and the target, the ancestors the context rule needs, the
entities, the open questions. Asked one by one that is a dozen to two dozen round trips.

* **Trip 1** (:func:`paths`): the rows of ``cypher/explain_paths.cypher`` for every drug asked
  (the drug and, with ``--versus``, the other), the catalogue text itself run once per ask in
  one query (``UNWIND`` over the asks), so each ask's rows are the catalogue's rows.
* **Trip 2** (:func:`prefetch`): one query that reads, from the rows' entities, a superset of
  what the rest of the explanation can ask (below); :class:`Prefetched` then answers the read
  methods of :class:`~.backend.Neo4jBackend` from it, with the same values in the same order.

Why it is a superset (``N`` = the rows' entities, the drugs and the target, the classes above
the drugs, the classes below and right above the target; ``V`` = the entities the ``via`` of a
relation among ``N`` names; ``E`` = ``N``, ``V``, the classes around the drugs and the target,
and every entity a fetched relation names as an end or in a qualifier):

* the steps' relations are between two entities of a row; the relations ``versus`` compares go
  from a drug or a class above it to an entity of a row or a class below or right above the
  target: all relations among ``N`` are fetched. A step's support is a binding, degradation or
  decrease from an entity of ``N`` to one its ``via`` names: those into ``V`` are fetched;
* the clinical relations (of the entities of observed, marker and trial rows), the outcomes (of
  the entities of trial rows) and the uses into the target are fetched for exactly those;
* entity records, ancestors and whether an open question concerns them, for all of ``E``: every
  entity the explanation names is a row's, a relation's end or qualifier, or a class around the
  drugs or the target; the open questions' rows for the target, the drugs, and each entity that
  a question concerns among those an explanation names as its own (a row's, a class around, a
  via, an end of a fetched clinical relation or outcome; not one only a qualifier names).

A read outside what was fetched is still answered, by the server (one more round trip): the
answers never depend on the superset being right, only the number of round trips does, and a
test counts them for every explanation the tests ask.
"""

from __future__ import annotations

import re
import textwrap
from collections.abc import Iterable
from typing import Any

from ..backends import Table, Triple
from ..catalogue import NamedQuery, get, read_catalogue
from ..properties import edge_properties_from_stored
from ..schema import QUALIFIERS, rel_type
from .vocabulary import ENDS, ENTITY_LABEL, OWNER

# the Neo4jBackend whose Cypher is run (imidgraph.neo4j.backend, which imports this module)
Neo4jBackend = Any

# what explain calls a clinical use or side effect (imidgraph.explain.model.USES; the layer below
# explain cannot import it, the test of this module checks they agree)
USES = ("approved_for", "studied_clinically_for", "active_preclinically_in", "has_side_effect")
# what supports a step "via" an entity: a degradation's binding, a change's degradation or decrease
SUPPORT = ("binds", "degrades", "decreases")
_ASK = "imidgraph_ask"


def edge_from_stored(props: dict) -> dict:
    """A relationship's properties as read from Neo4j, as the embedded graph has them: without
    the load's marks, with the lists not stored put back and the derived properties derived."""
    props.pop(OWNER, None)
    props.pop(ENDS, None)
    return edge_properties_from_stored(props)


def _bound(cypher: str, params: dict[str, str]) -> str:
    """The catalogue's text with each ``$param`` replaced by an expression (the text must use it)."""
    for key, expression in params.items():
        cypher, n = re.subn(rf"\${key}\b", expression, cypher)
        if n == 0:
            raise ValueError(f"the catalogue query no longer reads ${key}")
    return cypher


def paths(backend: Neo4jBackend, asks: list[tuple[str, str]]) -> list[list[list[Any]]]:
    """The rows of ``explain_paths`` for each (drug, target) in ``asks``, in one round trip:
    for each ask the rows (and their order) the catalogue query gives alone."""
    query = get(read_catalogue(), "explain_paths")
    body = _bound(query.cypher, {"drug": f"{_ASK}[1]", "target": f"{_ASK}[2]"})
    text = (
        f"UNWIND [i IN range(0, size($asks) - 1) | [i] + $asks[i]] AS {_ASK}\n"
        f"CALL ({_ASK}) {{\n{body}\n}}\n"
        f"RETURN {_ASK}[0] AS ask, collect([{', '.join(query.columns)}]) AS rows"
    )
    found = dict(backend.cypher(text, {"asks": [list(a) for a in asks]}).rows)
    return [found.get(i, []) for i in range(len(asks))]


def _question_rows(query: NamedQuery) -> str:
    """The open questions' catalogue query run for every entity of ``asked``, collected."""
    body = _bound(query.cypher, {"entity": "imidgraph_entity"})
    columns = ", ".join(f"`{c}`" for c in query.columns)
    return (
        "  UNWIND asked AS imidgraph_entity\n"
        f"  CALL (imidgraph_entity) {{\n{body}\n  }}\n"
        f"  RETURN collect([imidgraph_entity, [{columns}]]) AS questions\n"
    )


_E, _OURS = ENTITY_LABEL, f"r.{OWNER} IS NOT NULL"
_OWN = f"all(x IN relationships(q) WHERE x.{OWNER} IS NOT NULL)"
_USES = "|".join(rel_type(p) for p in USES)
_SUPPORT = "|".join(rel_type(p) for p in SUPPORT)
# the outcomes of one entity x, bound to i (``outcomes``): its own ``has_outcome``, those of the
# trials that tested it and, for a trial, the findings of the regimens it tested that name it
OUTCOMES_OF_X = (
    f"MATCH (x:{_E} {{id: i}})\n"
    "CALL (x) {\n"
    f"  MATCH (x)-[r:HAS_OUTCOME]->(b:{_E}) WHERE {_OURS}\n"
    "  RETURN x.id AS s, b.id AS o, r\n"
    "  UNION\n"
    f"  MATCH (t:{_E})-[k:TESTED]->(x) WHERE k.{OWNER} IS NOT NULL\n"
    f"  MATCH (t)-[r:HAS_OUTCOME]->(b:{_E}) WHERE {_OURS}\n"
    "  RETURN t.id AS s, b.id AS o, r\n"
    "  UNION\n"
    f"  MATCH (x)-[k:TESTED]->(g:{_E}) WHERE k.{OWNER} IS NOT NULL\n"
    f"  MATCH (g)-[r:HAS_OUTCOME]->(b:{_E}) WHERE {_OURS} AND r.q_in_trial = x.id\n"
    "  RETURN g.id AS s, b.id AS o, r\n"
    "}\n"
)
# the entity ids in a relation's properties p: its entity qualifiers
_NAMED = "[k IN $one WHERE p[k] IS NOT NULL | p[k]] + reduce(a = [], k IN $many | a + coalesce(p[k], []))"


def _prefetch_query() -> str:
    questions = _question_rows(read_catalogue()["open_questions"])
    return (
        # the classes around the drugs and the target: below (any depth), right above, above (any depth)
        "CALL () {\n"
        "  UNWIND $drugs + [$target] AS i\n"
        f"  MATCH (n:{_E} {{id: i}})\n"
        "  RETURN collect([i,\n"
        f"    COLLECT {{ MATCH q = (n)<-[:SUBCLASS_OF*1..]-(a:{_E}) WHERE {_OWN} RETURN DISTINCT a.id }},\n"
        f"    COLLECT {{ MATCH (n)-[r:SUBCLASS_OF]->(a:{_E}) WHERE {_OURS} RETURN DISTINCT a.id }},\n"
        f"    COLLECT {{ MATCH q = (n)-[:SUBCLASS_OF*1..]->(a:{_E}) WHERE {_OWN} RETURN DISTINCT a.id }}]) AS around\n"
        "}\n"
        "WITH around, COLLECT {\n"
        "  UNWIND $nodes + $drugs + [$target]\n"
        "    + reduce(a = [], x IN around | a + CASE WHEN x[0] IN $drugs THEN x[3] ELSE [] END\n"
        "                                     + CASE WHEN x[0] = $target THEN x[1] + x[2] ELSE [] END) AS i\n"
        "  RETURN DISTINCT i\n"
        "} AS n\n"
        # the relations among N, then the supporting ones into what their vias name
        "CALL (n) {\n"
        "  UNWIND n AS i\n"
        f"  MATCH (a:{_E} {{id: i}})-[r]->(b:{_E}) WHERE {_OURS} AND b.id IN n\n"
        "  RETURN collect([a.id, b.id, properties(r)]) AS inner\n"
        "}\n"
        "WITH around, n, inner, COLLECT {\n"
        "  UNWIND reduce(a = [], x IN inner | a + coalesce(x[2].q_via, [])) AS v RETURN DISTINCT v\n"
        "} AS vias\n"
        "CALL (n, vias) {\n"
        "  UNWIND n AS i\n"
        f"  MATCH (a:{_E} {{id: i}})-[r:{_SUPPORT}]->(b:{_E}) WHERE {_OURS} AND b.id IN vias AND NOT b.id IN n\n"
        "  RETURN collect([a.id, b.id, properties(r)]) AS support\n"
        "}\n"
        # the clinical relations, the uses into the target, the outcomes
        "CALL () {\n"
        "  UNWIND $clinical AS i\n"
        f"  MATCH (a:{_E} {{id: i}})-[r:{_USES}]->(b:{_E}) WHERE {_OURS}\n"
        "  RETURN collect([a.id, b.id, properties(r)]) AS clinical\n"
        "}\n"
        f"WITH *, COLLECT {{ MATCH (:{_E})-[r:{_USES}]->(:{_E} {{id: $target}}) WHERE {_OURS} RETURN DISTINCT r.predicate }} AS into\n"
        "CALL () {\n"
        "  UNWIND $outcomes AS i\n"
        + textwrap.indent(OUTCOMES_OF_X, "  ")
        + "  RETURN collect([i, s, o, properties(r)]) AS outcomes\n"
        "}\n"
        # E: every entity the explanation can name
        "WITH *, COLLECT {\n"
        "  UNWIND n + vias + reduce(a = [], x IN around | a + x[1] + x[2] + x[3])\n"
        f"    + reduce(a = [], x IN inner + support + clinical | a + [x[0], x[1]] + [p IN [x[2]] | {_NAMED}][0])\n"
        f"    + reduce(a = [], x IN outcomes | a + [x[1], x[2]] + [p IN [x[3]] | {_NAMED}][0]) AS i\n"
        "  RETURN DISTINCT i\n"
        "} AS named\n"
        "CALL (named) {\n"
        "  UNWIND named AS i\n"
        f"  MATCH (n:{_E} {{id: i}})\n"
        "  RETURN collect([i, n.name, n.category,\n"
        f"    COUNT {{ (n)-[r]-() WHERE {_OURS} }},\n"
        f"    EXISTS {{ (n)-[r:PRODUCED_BY]->() WHERE {_OURS} }},\n"
        "    n.favourable,\n"
        f"    COLLECT {{ MATCH (n)-[r:CONTRIBUTES_TO]->(d:{_E}) WHERE {_OURS} RETURN DISTINCT d.id ORDER BY d.id }},\n"
        f"    COLLECT {{ MATCH q = (n)-[:SUBCLASS_OF*1..]->(a:{_E}) WHERE {_OWN} RETURN DISTINCT a.id }},\n"
        f"    EXISTS {{ (:{_E})-[r:CONCERNS]->(n) WHERE {_OURS} }}]) AS records\n"
        "}\n"
        # the open questions of the entities an explanation can name as its own (not those only a
        # qualifier names): the rows', their classes', the vias', the ends of clinical relations and outcomes
        "WITH *, n + vias + reduce(a = [], x IN clinical | a + [x[0], x[1]]) + reduce(a = [], x IN outcomes | a + [x[1], x[2]]) AS own\n"
        "WITH *, $drugs + [$target] + [x IN records WHERE x[8] AND x[0] IN own AND NOT x[0] IN $drugs + [$target] | x[0]] AS asked\n"
        f"CALL (asked) {{\n{questions}}}\n"
        "RETURN around, n, inner, vias, support, clinical, into, outcomes, named, records, asked, questions"
    )


def prefetch(
    backend: Neo4jBackend, drugs: list[str], target: str, nodes: Iterable[str], clinical: Iterable[str], outcomes: Iterable[str]
) -> Prefetched:
    """Everything the rest of the explanation of ``drugs`` (the drug, the other of ``--versus``)
    and ``target`` can read, given the paths' entities (``nodes``), the entities whose clinical
    relations it cites (``clinical``) and those whose outcomes it cites (``outcomes``): one round trip."""
    one = sorted(f"q_{k}" for k, kind in QUALIFIERS.items() if kind == "entity")
    many = sorted(f"q_{k}" for k, kind in QUALIFIERS.items() if kind == "entities")
    params = {
        "drugs": list(drugs), "target": target, "nodes": sorted(set(nodes)), "clinical": sorted(set(clinical)),
        "outcomes": sorted(set(outcomes)), "one": one, "many": many,
    }  # fmt: skip
    row = backend.cypher(_prefetch_query(), params).records()[0]
    return Prefetched(backend, target, set(params["clinical"]), set(params["outcomes"]), row)


class Prefetched:
    """The read methods of :class:`~.backend.Neo4jBackend` (those explain uses), answered from
    what :func:`prefetch` read, the same values in the same order; anything else is asked of
    the server (``backend``)."""

    name = "neo4j"

    def __init__(self, backend: Neo4jBackend, target: str, clinical: set[str], outcomes: set[str], row: dict) -> None:
        self.backend = backend
        self._around = {i: (set(down), set(up)) for i, down, up, _ in row["around"]}
        self._n, self._vias = set(row["n"]), set(row["vias"])
        self._triples: dict[Triple, list[dict]] = {}
        for s, o, props in row["inner"] + row["support"]:
            edge = edge_from_stored(props)
            self._triples.setdefault((s, edge["predicate"], o), []).append(edge)
        self._clinical_of, self._clinical = clinical, [(s, o, edge_from_stored(p)) for s, o, p in row["clinical"]]
        self._target, self._into = target, set(row["into"])
        self._outcomes_of = outcomes
        self._outcomes: dict[str, list[tuple[str, str, dict]]] = {}
        for i, s, o, props in row["outcomes"]:
            self._outcomes.setdefault(i, []).append((s, o, edge_from_stored(props)))
        self._named = set(row["named"])
        self._records = {
            i: ({"name": n, "category": c, "degree": d, "secreted": x, "favourable": f, "feeds": list(feeds)}, set(up), q)
            for i, n, c, d, x, f, feeds, up, q in row["records"]
        }
        self._questions: dict[str, list[list[Any]]] = {i: [] for i in row["asked"]}
        for i, values in row["questions"]:
            self._questions[i].append(values)

    # ------------------------------------------------------------------- the catalogue (open questions)

    def run(self, query: NamedQuery, params: dict[str, Any]) -> Table:
        if query.name == "open_questions" and set(params) == {"entity"} and params["entity"] in self._questions:
            order = {c: k for k, c in enumerate(query.columns)}
            rows = sorted(self._questions[params["entity"]], key=lambda r: (r[order["question"]], r[order["about"]], r[order["relation_id"]]))
            return Table(list(query.columns), [list(r) for r in rows])
        return self.backend.run(query, params)

    def cypher(self, text: str, params: dict[str, Any] | None = None) -> Table:
        return self.backend.cypher(text, params)

    # ------------------------------------------------------------------- what explain reads

    def relations(self, triples: Iterable[Triple]) -> dict[Triple, list[dict]]:
        triples = list(triples)
        rest = [t for t in triples if not self._covers(t)]
        found = self.backend.relations(rest) if rest else {}
        for t in triples:
            if t not in rest and t in self._triples:
                found[t] = [dict(r) for r in self._triples[t]]
        return found

    def _covers(self, t: Triple) -> bool:
        s, p, o = t
        return s in self._n and (o in self._n or (o in self._vias and p in SUPPORT))

    def relations_from(self, ids: Iterable[str], predicates: Iterable[str]) -> list[tuple[str, str, dict]]:
        ids, predicates = set(ids), set(predicates)
        if not ids <= self._clinical_of or not predicates <= set(USES):
            return self.backend.relations_from(ids, predicates)
        found = [(s, o, dict(r)) for s, o, r in self._clinical if s in ids and r["predicate"] in predicates]
        return sorted(found, key=lambda x: (x[0], x[1], x[2]["id"]))

    def predicates_into(self, entity: str, predicates: Iterable[str]) -> set[str]:
        predicates = set(predicates)
        if entity != self._target or not predicates <= set(USES):
            return self.backend.predicates_into(entity, predicates)
        return self._into & predicates

    def outcomes(self, ids: Iterable[str]) -> list[tuple[str, str, dict]]:
        ids = set(ids)
        if not ids <= self._outcomes_of:
            return self.backend.outcomes(ids)
        found = {(s, o, r["id"]): (s, o, dict(r)) for i in ids for s, o, r in self._outcomes.get(i, [])}
        return [found[k] for k in sorted(found)]

    def concerned(self, ids: Iterable[str]) -> set[str]:
        ids = set(ids)
        if not ids <= self._named:
            return self.backend.concerned(ids)
        return {i for i in ids if i in self._records and self._records[i][2]}

    def ancestors(self, ids: Iterable[str]) -> dict[str, set[str]]:
        ids = set(ids)
        if not ids <= self._named:
            return self.backend.ancestors(ids)
        return {i: set(self._records[i][1]) for i in sorted(ids) if i in self._records}

    def classes_around(self, entity: str) -> tuple[set[str], set[str]]:
        if entity not in self._around:
            return self.backend.classes_around(entity)
        down, up = self._around[entity]
        return set(down), set(up)

    def entities(self, ids: Iterable[str]) -> dict[str, dict]:
        ids = set(ids)
        if not ids <= self._named:
            return self.backend.entities(ids)
        return {i: {**self._records[i][0], "feeds": list(self._records[i][0]["feeds"])} for i in sorted(ids) if i in self._records}
