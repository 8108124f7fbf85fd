"""Neo4j as a backend: the catalogue's Cypher, ad-hoc Cypher, and what show, search and explain
ask, on a server, always in read access mode (the server refuses writes).

It answers what :class:`~imidgraph.backends.MemoryBackend` answers on the embedded graph, with
the same values in the same order; only our own data is read (nodes with the
:data:`~.vocabulary.ENTITY_LABEL`, relationships with the :data:`~.vocabulary.OWNER` property).
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from ..backends import Table, Triple
from ..catalogue import NamedQuery
from ..properties import entity_from_properties, relation_from_properties
from ..schema import QUALIFIERS, qualifier_entities, rel_type
from ..search import Found, entity_document, lucene_query, relation_document
from .prefetch import OUTCOMES_OF_X, edge_from_stored, paths, prefetch
from .record import check_graph
from .vocabulary import ENTITY_INDEX, ENTITY_LABEL, OWNER, REL_TYPES, RELATION_INDEXES

if TYPE_CHECKING:
    import neo4j

    from ..model import Entity, Relation


def _plain(value: Any) -> Any:
    """Driver values as plain Python values (lists, dicts, str, int, float, bool, None).

    Nodes and relationships become dicts of their properties; a path its walk as text,
    ``(lenalidomide)-[:DEGRADES]->(IKZF1)``; durations ISO 8601 (``P1DT2H``), dates and times
    ISO 8601, points ``point({srid: 7203, x: 1.0, y: 2.0})`` as Cypher writes them.
    """
    # the driver's types: imported when used (the driver takes ~0.8 s to import)
    import neo4j.graph
    import neo4j.spatial
    import neo4j.time

    # before lists: durations and points are tuples to Python
    if isinstance(value, neo4j.time.Duration):
        return value.iso_format()
    if isinstance(value, neo4j.spatial.Point):
        axes = ", ".join(f"{axis}: {coordinate!r}" for axis, coordinate in zip("xyz", value, strict=False))
        return f"point({{srid: {value.srid}, {axes}}})"
    if isinstance(value, neo4j.time.Date | neo4j.time.Time | neo4j.time.DateTime):
        return value.iso_format()
    if isinstance(value, neo4j.graph.Path):
        return _walk(value)
    if isinstance(value, list | tuple):
        return [_plain(v) for v in value]
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, neo4j.graph.Node):
        return {"labels": sorted(value.labels), **{k: _plain(v) for k, v in value.items()}}
    if isinstance(value, neo4j.graph.Relationship):
        return {"type": value.type, **{k: _plain(v) for k, v in value.items()}}
    return value


def _caption(node) -> str:
    """A node as a path shows it: its name, else its id, else its labels (``:Canary``)."""
    for key in ("name", "id"):
        if node.get(key) is not None:
            return str(node[key])
    return "".join(f":{label}" for label in sorted(node.labels))


def _walk(path) -> str:
    """``(a)-[:TYPE]->(b)<-[:OTHER]-(c)``: a path's nodes and relationships in order."""
    nodes = path.nodes
    text = f"({_caption(nodes[0])})"
    for i, relationship in enumerate(path.relationships):
        forward = relationship.start_node.element_id == nodes[i].element_id
        arrow = f"-[:{relationship.type}]->" if forward else f"<-[:{relationship.type}]-"
        text += f"{arrow}({_caption(nodes[i + 1])})"
    return text



class Neo4jBackend:
    """Runs Cypher on a Neo4j server, always in read access mode (the server refuses writes)."""

    name = "neo4j"

    def __init__(self, driver: neo4j.Driver, database: str = "neo4j"):
        self.driver = driver
        self.database = database

    def cypher(self, text: str, params: dict[str, Any] | None = None) -> Table:
        from neo4j import READ_ACCESS  # the driver: imported when used (it takes ~0.8 s)

        # fetch_size -1: every record in the first answer (one round trip, however many rows)
        with self.driver.session(database=self.database, default_access_mode=READ_ACCESS, fetch_size=-1) as session:
            result = session.run(text, params or {})
            columns = list(result.keys())
            rows = [[_plain(v) for v in record.values()] for record in result]
            result.consume()
        return Table(columns, rows)

    def run(self, query: NamedQuery, params: dict[str, Any]) -> Table:
        return self.cypher(query.cypher, params)

    def check_graph(self, content_hash: str) -> dict:
        """The load record, if the database holds the complete imidgraph graph of the seeds whose
        load plan has ``content_hash``; else :class:`~.record.GraphCheckError` (one line:
        no graph, other seeds, or an unfinished load)."""
        return check_graph(self.driver, self.database, content_hash)

    def entity(self, entity_id: str) -> tuple[Entity, list[Relation], dict[str, str]] | None:
        """An entity of ours with its relations (ours only: those it is the subject or object of,
        and those that name it in a qualifier, as context) and the names of every entity they
        mention (ends and qualifiers), or None if the database has no such entity."""
        named = [
            f"r.q_{key} = $id" if kind == "entity" else f"$id IN coalesce(r.q_{key}, [])"
            for key, kind in QUALIFIERS.items()
            if kind in ("entity", "entities")
        ]
        rows = self.cypher(
            f"MATCH (n:{ENTITY_LABEL} {{id: $id}})\n"
            "RETURN properties(n) AS node, COLLECT {\n"
            f"  MATCH (n)-[r]-(m:{ENTITY_LABEL}) WHERE r.{OWNER} IS NOT NULL\n"
            "  RETURN {p: properties(r), s: startNode(r).id, o: endNode(r).id} AS rel\n"
            "  UNION\n"
            f"  MATCH (a:{ENTITY_LABEL})-[r]->(b:{ENTITY_LABEL}) WHERE r.{OWNER} IS NOT NULL AND ({' OR '.join(named)})\n"
            "  RETURN {p: properties(r), s: a.id, o: b.id} AS rel\n"
            "} AS rels",
            {"id": entity_id},
        ).rows
        if not rows:
            return None
        node, rels = rows[0]
        entity = entity_from_properties(node)
        relations = [relation_from_properties(r["p"], r["s"], r["o"]) for r in rels]
        ids = {entity.id} | {i for r in relations for i in (r.subject, r.object)}
        ids |= {i for r in relations for k, v in r.qualifiers.items() for i in qualifier_entities(k, v)}
        names = self.cypher(
            f"UNWIND $ids AS i MATCH (x:{ENTITY_LABEL} {{id: i}}) RETURN x.id AS id, x.name AS name",
            {"ids": sorted(ids)},
        ).rows
        return entity, relations, dict(names)


    # ----------------------------------------------------------------------- search

    def search_candidates(self, tokens: set[str]) -> Found:
        """The search's candidates (:class:`~imidgraph.search.Found`) from the full-text indexes."""
        return _found(*self.cypher(_search_query(), {"q": lucene_query(tokens)}).rows[0])

    def search_candidates_many(self, token_sets: list[set[str]]) -> list[Found]:
        """:meth:`search_candidates` of each token set, in one round trip: the same query, run
        once per set (its parameter ``$q`` becomes the variable of each row)."""
        rows = self.cypher(
            "UNWIND range(0, size($qs) - 1) AS i\n"
            "WITH i, $qs[i] AS q\n"
            f"CALL (q) {{\n{_search_query(each='q')}\n}}\n"
            "RETURN nodes, rels, n ORDER BY i",
            {"qs": [lucene_query(tokens) for tokens in token_sets]},
        ).rows
        return [_found(*row) for row in rows]

    # ----------------------------------------------------------------------- what explain reads

    def explain_paths(self, asks: list[tuple[str, str]]) -> list[list[list[Any]]]:
        """The rows of the catalogue's ``explain_paths`` for each (drug, target), in one round trip."""
        return paths(self, asks)

    def explain_prefetch(self, drugs: list[str], target: str, nodes, clinical, outcomes):
        """A backend that answers what else an explanation reads from one query's answer
        (:class:`~.prefetch.Prefetched`; see :mod:`imidgraph.neo4j.prefetch`)."""
        return prefetch(self, drugs, target, nodes, clinical, outcomes)

    def relations(self, triples: Iterable[Triple]) -> dict[Triple, list[dict]]:
        """The relations stating each (subject, predicate, object), as the embedded graph's edges."""
        found: dict[Triple, list[dict]] = {}
        rows = self.cypher(_RELATIONS, {"triples": [list(t) for t in triples]}).rows
        for s, p, o, props in rows:
            found.setdefault((s, p, o), []).append(edge_from_stored(props))
        return found

    def _edges_of(self, query: str, ids: Iterable[str]) -> list[tuple[str, str, dict]]:
        rows = self.cypher(query, {"ids": sorted(set(ids))}).rows
        return [(s, o, edge_from_stored(props)) for s, o, props in rows]

    def relations_from(self, ids: Iterable[str], predicates: Iterable[str]) -> list[tuple[str, str, dict]]:
        """(subject, object, relation) of every relation of these predicates from the entities."""
        return self._edges_of(_FROM.format(types=_types(predicates)), ids)

    def predicates_into(self, entity: str, predicates: Iterable[str]) -> set[str]:
        """Which of these predicates some relation into ``entity`` has."""
        return {p for (p,) in self.cypher(_INTO.format(types=_types(predicates)), {"id": entity}).rows}

    def outcomes(self, ids: Iterable[str]) -> list[tuple[str, str, dict]]:
        """(subject, endpoint, relation) of every ``has_outcome`` of the entities and of the trials
        that tested them; for a trial, the findings of the regimens it tested that name it."""
        return self._edges_of(_OUTCOMES, ids)

    def concerned(self, ids: Iterable[str]) -> set[str]:
        """The entities among ``ids`` that an open question ``concerns`` directly."""
        return {i for (i,) in self.cypher(_CONCERNED, {"ids": sorted(set(ids))}).rows}

    def ancestors(self, ids: Iterable[str]) -> dict[str, set[str]]:
        """Every class above each entity (``subclass_of``, any depth)."""
        rows = self.cypher(_ANCESTORS, {"ids": sorted(set(ids))}).rows
        return {i: set(up) for i, up in rows}

    def classes_around(self, entity: str) -> tuple[set[str], set[str]]:
        """Every class below ``entity`` (any depth) and the classes right above it, in one query."""
        rows = self.cypher(_DESCENDANTS, {"id": entity}).rows
        return (set(rows[0][0]), set(rows[0][1])) if rows else (set(), set())

    def entities(self, ids: Iterable[str]) -> dict[str, dict]:
        """Name, category, degree, whether secreted, favourable, and what it contributes to."""
        rows = self.cypher(_ENTITIES, {"ids": sorted(set(ids))}).rows
        return {
            i: {"name": n, "category": c, "degree": d, "secreted": x, "favourable": f, "feeds": list(feeds)}
            for i, n, c, d, x, f, feeds in rows
        }


def _types(predicates: Iterable[str]) -> str:
    """Relationship types for a pattern (``A|B``), only from the schema's vocabulary."""
    types = [rel_type(p) for p in predicates]
    if not set(types) <= set(REL_TYPES):  # spliced into Cypher: only the vocabulary may pass
        raise ValueError(f"not in the schema vocabulary: {sorted(set(types) - set(REL_TYPES))}")
    return "|".join(types)


_E, _OURS = ENTITY_LABEL, f"r.{OWNER} IS NOT NULL"
_OWN = f"WHERE all(x IN relationships(q) WHERE x.{OWNER} IS NOT NULL)"
_RELATIONS = (
    "UNWIND $triples AS t\n"
    f"MATCH (a:{_E} {{id: t[0]}})-[r]->(b:{_E} {{id: t[2]}})\n"
    f"WHERE r.predicate = t[1] AND {_OURS}\n"
    "RETURN t[0] AS s, t[1] AS p, t[2] AS o, properties(r) AS props"
)
# str.format templates: {types} is filled in, {{ }} are literal braces
_FROM = (
    "UNWIND $ids AS i\n"
    f"MATCH (a:{_E} {{{{id: i}}}})-[r:{{types}}]->(b:{_E})\n"
    f"WHERE {_OURS}\n"
    "RETURN a.id AS s, b.id AS o, properties(r) AS props ORDER BY s, o, props.id"
)
_INTO = (
    f"MATCH (a:{_E})-[r:{{types}}]->(b:{_E} {{{{id: $id}}}})\n"
    f"WHERE {_OURS}\n"
    "RETURN DISTINCT r.predicate AS p"
)
_OUTCOMES = (
    "UNWIND $ids AS i\n"
    + OUTCOMES_OF_X
    + "WITH DISTINCT s, o, r\n"
    "RETURN s, o, properties(r) AS props ORDER BY s, o, props.id"
)
_CONCERNED = (
    "UNWIND $ids AS i\n"
    f"MATCH (:{_E})-[r:CONCERNS]->(a:{_E} {{id: i}})\n"
    f"WHERE {_OURS}\n"
    "RETURN DISTINCT i"
)
_ENTITIES = (
    "UNWIND $ids AS i\n"
    f"MATCH (n:{_E} {{id: i}})\n"
    "RETURN n.id AS id, n.name AS name, n.category AS category, "
    f"COUNT {{ (n)-[r]-() WHERE {_OURS} }} AS degree, "
    f"EXISTS {{ (n)-[r:PRODUCED_BY]->() WHERE {_OURS} }} AS secreted, "
    "n.favourable AS favourable, "
    f"COLLECT {{ MATCH (n)-[r:CONTRIBUTES_TO]->(d:{_E}) WHERE {_OURS} RETURN DISTINCT d.id ORDER BY d.id }} AS feeds"
)
_ANCESTORS = (
    "UNWIND $ids AS i\n"
    f"MATCH (n:{_E} {{id: i}})\n"
    f"RETURN i, COLLECT {{ MATCH q = (n)-[:SUBCLASS_OF*1..]->(a:{_E}) {_OWN} RETURN DISTINCT a.id }} AS up"
)
_DESCENDANTS = (
    f"MATCH (n:{_E} {{id: $id}})\n"
    f"RETURN COLLECT {{ MATCH q = (n)<-[:SUBCLASS_OF*1..]-(a:{_E}) {_OWN} RETURN DISTINCT a.id }} AS down, "
    f"COLLECT {{ MATCH (n)-[r:SUBCLASS_OF]->(a:{_E}) WHERE {_OURS} RETURN DISTINCT a.id }} AS up"
)


def _search_query(each: str = "") -> str:
    """The search's one round trip: the entities found, the relations found, and the size of
    our graph, for the Lucene query ``$q`` (or, with ``each``, for that variable of each row)."""
    q = each or "$q"
    union = "\n    UNION ALL\n".join(
        f"    CALL db.index.fulltext.queryRelationships('{name}', {q}) YIELD relationship RETURN relationship AS r"
        for name in RELATION_INDEXES
    )
    return (
        f"CALL ({each}) {{\n"
        f"  CALL db.index.fulltext.queryNodes('{ENTITY_INDEX}', {q}) YIELD node\n"
        f"  WHERE node:{ENTITY_LABEL}\n"
        "  RETURN collect([properties(node),\n"
        f"    COUNT {{ MATCH (node)-[r]-(:{ENTITY_LABEL}) WHERE r.{OWNER} IS NOT NULL }},\n"
        f"    COLLECT {{ MATCH (node)-[r]-(:{ENTITY_LABEL}) WHERE r.{OWNER} IS NOT NULL RETURN DISTINCT r.source AS s ORDER BY s }}]) AS nodes\n"
        "}\n"
        f"CALL ({each}) {{\n"
        f"  CALL ({each}) {{\n{union}\n  }}\n"
        f"  WITH r WHERE r.{OWNER} IS NOT NULL\n"
        f"  MATCH (s:{ENTITY_LABEL})-[r]->(o:{ENTITY_LABEL})\n"
        "  RETURN collect([properties(r), s.id, s.name, s.category, o.id, o.name, o.category]) AS rels\n"
        "}\n"
        f"RETURN nodes, rels, COUNT {{ MATCH (n:{ENTITY_LABEL}) }} + COUNT {{ MATCH ()-[r]->() WHERE r.{OWNER} IS NOT NULL }} AS n"
    )


def _found(nodes: list, rels: list, total: int) -> Found:
    """The candidates, from the rows of :func:`_search_query`."""
    documents, names, sources = [], {}, {}
    for props, n, srcs in nodes:
        entity = entity_from_properties(props)
        documents.append(entity_document(entity))
        names[entity.id] = (entity.name, entity.category)
        sources[entity.id] = (n, list(srcs))
    for props, s, sn, sc, o, on, oc in rels:
        documents.append(relation_document(relation_from_properties(props, s, o)))
        names[s], names[o] = (sn, sc), (on, oc)
    return Found(documents, names, sources, total)
