"""Where catalogue queries and ad-hoc Cypher run: Neo4j, or the embedded graph offline.

Both backends answer a :class:`~imidgraph.catalogue.NamedQuery` with a :class:`Table` of the
same columns and, for the same graph, the same rows in the same order.
"""

from __future__ import annotations

import csv
import io
import json
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from .catalogue import NamedQuery

if TYPE_CHECKING:  # neither is imported for offline work
    import neo4j
    import pandas as pd

    from .graph import KnowledgeGraph
    from .model import Entity, Relation


@dataclass
class Table:
    """A query's answer: column names and rows (lists of plain values)."""

    columns: list[str]
    rows: list[list[Any]]

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def to_dataframe(self) -> pd.DataFrame:
        import pandas as pd

        return pd.DataFrame(self.rows, columns=self.columns)

    def to_json(self) -> str:
        return json.dumps(self.records(), indent=2, ensure_ascii=False, default=str)

    def to_csv(self) -> str:
        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow(self.columns)
        for row in self.rows:
            writer.writerow([_cell(v, "; ") for v in row])
        return out.getvalue()

    def to_text(self, max_width: int = 90) -> str:
        cells = [[_cell(v, ", ")[:max_width] for v in row] for row in self.rows]
        widths = [max([len(c)] + [len(r[i]) for r in cells]) for i, c in enumerate(self.columns)]
        lines = ["  ".join(c.ljust(w) for c, w in zip(self.columns, widths, strict=True)).rstrip()]
        lines.append("  ".join("-" * w for w in widths))
        lines += ["  ".join(c.ljust(w) for c, w in zip(r, widths, strict=True)).rstrip() for r in cells]
        lines.append(f"({len(self.rows)} row{'s' if len(self.rows) != 1 else ''})")
        return "\n".join(lines)


def _cell(value: Any, sep: str) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return sep.join(_cell(v, sep) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


def _plain(value: Any) -> Any:
    """Driver values as plain Python values (lists, dicts, str, int, float, bool, None).

    Nodes and relationships become dicts of their properties; a path its walk as text,
    ``(lenalidomide)-[:DEGRADES]->(IKZF1)``; durations ISO 8601 (``P1DT2H``), dates and times
    ISO 8601, points ``point({srid: 7203, x: 1.0, y: 2.0})`` as Cypher writes them.
    """
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
        from neo4j import READ_ACCESS

        with self.driver.session(database=self.database, default_access_mode=READ_ACCESS) as session:
            result = session.run(text, params or {})
            columns = list(result.keys())
            rows = [[_plain(v) for v in record.values()] for record in result]
            result.consume()
        return Table(columns, rows)

    def run(self, query: NamedQuery, params: dict[str, Any]) -> Table:
        return self.cypher(query.cypher, params)

    def check_graph(self, content_hash: str) -> dict:
        """The load record, if the database holds the complete imidgraph graph of the seeds whose
        load plan has ``content_hash``; else :class:`~imidgraph.loader.GraphCheckError` (one line:
        no graph, other seeds, or an unfinished load)."""
        from .loader import check_graph

        return check_graph(self.driver, self.database, content_hash)

    def entity(self, entity_id: str) -> tuple[Entity, list[Relation], dict[str, str]] | None:
        """An entity of ours with its relations (ours only: those it is the subject or object of,
        and those that name it in a qualifier, as context) and the names of every entity they
        mention (ends and qualifiers), or None if the database has no such entity."""
        from .build import entity_from_properties, relation_from_properties
        from .loader import ENTITY_LABEL, OWNER
        from .schema import QUALIFIERS, qualifier_entities

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


class MemoryBackend:
    """Answers the catalogue on the embedded networkx graph (no server)."""

    name = "memory"

    def __init__(self, kg: KnowledgeGraph):
        self.kg = kg

    def run(self, query: NamedQuery, params: dict[str, Any]) -> Table:
        from .offline import IMPLEMENTATIONS

        implementation = IMPLEMENTATIONS.get(query.name)
        if implementation is None:
            raise NotImplementedError(f"query {query.name!r} has no offline implementation")
        rows = implementation(self.kg, **params)
        return Table(list(query.columns), rows)
