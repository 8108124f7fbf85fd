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

    def to_text(self, width: int | None = None) -> str:
        """Text that fits ``width`` columns (default: the terminal's, ``$COLUMNS``, or 100),
        drawn by rich, long cells wrapped: a table when its columns fit side by side (columns
        empty in every row left out and named below), else one block per row, a field a line
        (empty fields left out). ``to_json`` and ``to_csv`` keep everything."""
        from rich import box
        from rich.console import Console
        from rich.table import Table as RichTable
        from rich.text import Text

        width = width or terminal_width()
        cells = [[_text_cell(c, v) for c, v in zip(self.columns, row, strict=True)] for row in self.rows]
        shown = [i for i in range(len(self.columns)) if not cells or any(r[i] for r in cells)]
        natural = sum(min(_TABLE_CELL, max([len(self.columns[i])] + [_longest_line(r[i]) for r in cells])) + 2 for i in shown)
        out = io.StringIO()
        console = Console(
            file=out, width=width, color_system=None, force_terminal=False, no_color=True, highlight=False,
            emoji=False, markup=False, legacy_windows=False,
        )  # fmt: skip
        footer = f"({len(self.rows)} row{'s' if len(self.rows) != 1 else ''}"
        if natural <= width:
            table = RichTable(box=box.SIMPLE_HEAD, show_edge=False, pad_edge=False, header_style="")
            for i in shown:
                table.add_column(Text(self.columns[i]), overflow="fold")
            for row in cells:
                table.add_row(*(Text(row[i]) for i in shown))
            console.print(table)
            empty = [self.columns[i] for i in range(len(self.columns)) if i not in shown]
            if empty:
                footer += f"; empty columns not shown: {', '.join(empty)}"
        else:
            key_width = max(map(len, self.columns)) + 2
            for n, row in enumerate(cells, start=1):
                grid = RichTable.grid()
                grid.add_column(width=key_width, no_wrap=True)
                grid.add_column(overflow="fold")
                for column, value in zip(self.columns, row, strict=True):
                    if value:
                        grid.add_row(Text(column), Text(value))
                console.print(Text(f"[{n}]"))
                console.print(grid)
        lines = [line.rstrip() for line in out.getvalue().splitlines()]
        while lines and not lines[0]:
            lines.pop(0)
        return "\n".join(lines + [footer + ")"])


_TABLE_CELL = 40  # a cell wider than this in a table wraps; wider tables become one block per row


def _text_cell(column: str, value: Any) -> str:
    """A cell as text: citations one per line, other lists comma-separated."""
    return _cell(value, "\n" if column.startswith("citations") else ", ")


def _longest_line(text: str) -> int:
    return max(map(len, text.splitlines()), default=0)


def terminal_width() -> int:
    """The terminal's width: ``$COLUMNS`` if set, else the terminal's, else 100."""
    import os
    import shutil

    try:
        return max(40, int(os.environ["COLUMNS"]))
    except (KeyError, ValueError):
        return max(40, shutil.get_terminal_size((100, 24)).columns)


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
        from .loader import ENTITY_LABEL, OWNER
        from .properties import entity_from_properties, relation_from_properties
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
        from .embedded.answers import IMPLEMENTATIONS

        implementation = IMPLEMENTATIONS.get(query.name)
        if implementation is None:
            raise NotImplementedError(f"query {query.name!r} has no offline implementation")
        rows = implementation(self.kg, **params)
        return Table(list(query.columns), rows)
