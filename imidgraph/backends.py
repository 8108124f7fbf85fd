"""Where catalogue queries, search and explain read the graph: the embedded graph offline
(:class:`MemoryBackend`, here) or a Neo4j server (:class:`imidgraph.neo4j.backend.Neo4jBackend`).

Both backends answer what :class:`Backend` lists: a :class:`~imidgraph.catalogue.NamedQuery`
with a :class:`Table` of the same columns and, for the same graph, the same rows in the same
order; and the same facts for search and explain.
"""

from __future__ import annotations

import io
import json
import os
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Protocol

from .catalogue import NamedQuery
from .embedded.answers import IMPLEMENTATIONS
from .embedded.graph import EmbeddedGraph

if TYPE_CHECKING:  # pandas is imported only for a data frame, the search when one is asked for
    import pandas as pd

    from .search import Found


Triple = tuple[str, str, str]


@dataclass
class Table:
    """A query's answer: column names and rows (lists of plain values)."""

    columns: list[str]
    rows: list[list[Any]]

    def records(self) -> list[dict[str, Any]]:
        return [dict(zip(self.columns, row, strict=True)) for row in self.rows]

    def __repr__(self) -> str:
        """One line: the size and the columns (``to_text()``, ``to_dataframe()`` show the rows)."""
        rows = f"{len(self.rows)} row{'' if len(self.rows) == 1 else 's'}"
        return f"<Table {rows} × {len(self.columns)} columns: {', '.join(self.columns)}>"

    def to_dataframe(self) -> pd.DataFrame:
        import pandas as pd  # imported only when a data frame is asked for

        return pd.DataFrame(self.rows, columns=self.columns)

    def to_json(self) -> str:
        return json.dumps(self.records(), indent=2, ensure_ascii=False, default=str)

    def to_csv(self) -> str:
        """CSV for spreadsheets: a text cell (or column name) that a spreadsheet would read as a
        formula is written with a leading single quote (:func:`csv_safe`); numbers stay numbers."""
        import csv  # only CSV output needs it

        out = io.StringIO()
        writer = csv.writer(out, lineterminator="\n")
        writer.writerow([csv_safe(c) for c in self.columns])
        for row in self.rows:
            writer.writerow([v if _number(v) else csv_safe(_cell(v, "; ")) for v in row])
        return out.getvalue()

    def to_text(self, width: int | None = None) -> str:
        """Text that fits ``width`` columns (default: the terminal's, ``$COLUMNS``, or 100),
        drawn by rich, long cells wrapped: a table when its columns fit side by side (columns
        empty in every row left out and named below), else one block per row, a field a line
        (empty fields left out). ``to_json`` and ``to_csv`` keep everything."""
        from rich import box  # rich: imported only for text output
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
    try:
        return max(40, int(os.environ["COLUMNS"]))
    except (KeyError, ValueError):
        import shutil  # (and the compression modules it imports): only text tables ask

        return max(40, shutil.get_terminal_size((100, 24)).columns)


# what a spreadsheet reads as the start of a formula (OWASP, "CSV injection")
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def csv_safe(text: str) -> str:
    """``text`` as a CSV cell no spreadsheet runs: one that starts with ``=``, ``+``, ``-``,
    ``@``, a tab or a carriage return gets a leading single quote, as OWASP recommends."""
    return "'" + text if text.startswith(_FORMULA_START) else text


def _number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def _cell(value: Any, sep: str) -> str:
    if value is None:
        return ""
    if isinstance(value, list):
        return sep.join(_cell(v, sep) for v in value)
    if isinstance(value, bool):
        return "yes" if value else "no"
    return str(value)


class Backend(Protocol):
    """What a backend answers (the embedded graph, or Neo4j), the same on both."""

    name: str

    def run(self, query: NamedQuery, params: dict[str, Any]) -> Table: ...

    def search_candidates(self, tokens: set[str]) -> Found: ...

    def relations(self, triples: Iterable[Triple]) -> dict[Triple, list[dict]]: ...

    def relations_from(self, ids: Iterable[str], predicates: Iterable[str]) -> list[tuple[str, str, dict]]: ...

    def predicates_into(self, entity: str, predicates: Iterable[str]) -> set[str]: ...

    def outcomes(self, ids: Iterable[str]) -> list[tuple[str, str, dict]]: ...

    def concerned(self, ids: Iterable[str]) -> set[str]: ...

    def ancestors(self, ids: Iterable[str]) -> dict[str, set[str]]: ...

    def classes_around(self, entity: str) -> tuple[set[str], set[str]]: ...

    def entities(self, ids: Iterable[str]) -> dict[str, dict]: ...


class MemoryBackend:
    """Answers the catalogue, search and explain on the embedded graph (no server; its
    :class:`~imidgraph.embedded.compact.CompactGraph`, no networkx)."""

    name = "memory"

    def __init__(self, kg: EmbeddedGraph):
        self.kg = kg

    def run(self, query: NamedQuery, params: dict[str, Any]) -> Table:
        implementation = IMPLEMENTATIONS.get(query.name)
        if implementation is None:
            raise NotImplementedError(f"query {query.name!r} has no offline implementation")
        rows = implementation(self.kg, **params)
        return Table(list(query.columns), rows)

    def search_candidates(self, tokens: set[str]) -> Found:
        """The search's candidates: every document with one of the tokens."""
        from .search import memory_candidates

        return memory_candidates(self.kg, tokens)

    # ----------------------------------------------------------------------- what explain reads

    def relations(self, triples: Iterable[Triple]) -> dict[Triple, list[dict]]:
        """The relations stating each (subject, predicate, object), as the graph's edges."""
        found: dict[Triple, list[dict]] = {}
        graph = self.kg.compact
        for s, p, o in triples:
            if s in graph and o in graph.succ[s]:
                found[(s, p, o)] = [dict(d) for d in graph.succ[s][o].values() if d["predicate"] == p]
        return found

    def relations_from(self, ids: Iterable[str], predicates: Iterable[str]) -> list[tuple[str, str, dict]]:
        """(subject, object, relation) of every relation of these predicates from the entities."""
        graph, wanted = self.kg.compact, set(predicates)
        return [
            (s, o, dict(d))
            for s in sorted(set(ids))
            if s in graph
            for o in graph.succ[s]
            for d in graph.succ[s][o].values()
            if d["predicate"] in wanted
        ]

    def predicates_into(self, entity: str, predicates: Iterable[str]) -> set[str]:
        """Which of these predicates some relation into ``entity`` has."""
        graph, wanted = self.kg.compact, set(predicates)
        return {p for _, p in graph.links(entity, False) if p in wanted} if entity in graph else set()

    def concerned(self, ids: Iterable[str]) -> set[str]:
        """The entities among ``ids`` that an open question ``concerns`` directly."""
        graph = self.kg.compact
        return {i for i in ids if i in graph and any(p == "concerns" for _, p in graph.links(i, False))}

    def outcomes(self, ids: Iterable[str]) -> list[tuple[str, str, dict]]:
        """(subject, endpoint, relation) of every ``has_outcome`` of the entities, and of the
        trials that tested them. A trial's findings are stated once, on the regimen it tested
        (``in_trial``): for a trial among the entities they are read through its ``tested``
        relations, so that no result is counted twice or given to another arm."""
        graph = self.kg.compact
        given = {i for i in ids if i in graph}
        trials = {t for i in given for t, p in graph.links(i, False) if p == "tested"}
        arms = {r for t in given for r, p in graph.links(t, True) if p == "tested"}
        return [
            (s, o, dict(d))
            for s in sorted(given | trials | arms)
            for o in sorted(graph.succ[s])
            for d in sorted(graph.succ[s][o].values(), key=lambda d: d["id"])
            if d["predicate"] == "has_outcome" and (s in given or s in trials or d.get("q_in_trial") in given)
        ]

    def _walk(self, entity: str, up: bool) -> set[str]:
        graph, seen, todo = self.kg.compact, set(), [entity]
        while todo:
            x = todo.pop()
            for y, p in graph.links(x, up):  # (neighbour, predicate), as out_edges/in_edges give them
                if p == "subclass_of" and y not in seen and y != entity:
                    seen.add(y)
                    todo.append(y)
        return seen

    def ancestors(self, ids: Iterable[str]) -> dict[str, set[str]]:
        """Every class above each entity (``subclass_of``, any depth)."""
        return {i: self._walk(i, True) for i in set(ids) if i in self.kg.compact}

    def classes_around(self, entity: str) -> tuple[set[str], set[str]]:
        """Every class below ``entity`` (any depth) and the classes right above it."""
        graph = self.kg.compact
        if entity not in graph:
            return set(), set()
        parents = {o for o, p in graph.links(entity, True) if p == "subclass_of"}
        return self._walk(entity, False), parents

    def entities(self, ids: Iterable[str]) -> dict[str, dict]:
        """Name, category, degree, whether secreted, favourable, and what it contributes to."""
        graph = self.kg.compact
        return {
            i: {
                "name": graph.nodes[i]["name"],
                "category": graph.nodes[i]["category"],
                "degree": graph.degree(i),
                "secreted": any(p == "produced_by" for _, p in graph.links(i, True)),
                "favourable": graph.nodes[i].get("favourable"),
                "feeds": sorted({o for o, p in graph.links(i, True) if p == "contributes_to"}),
            }
            for i in ids
            if i in graph
        }
