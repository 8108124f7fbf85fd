"""The embedded side's answers to the catalogue: the registry and what every twin shares.

Each query of ``cypher/`` has an offline twin, a function registered here with
:func:`implements` under the query's name (``IMPLEMENTATIONS``, which
:class:`~imidgraph.backends.MemoryBackend` asks). The twins follow their Cypher files step by step:
the same matches, the same DISTINCT, the same ORDER BY with Cypher's rule that nulls sort last
ascending and first descending (:func:`_order`), so both backends give the same rows;
``tests/test_catalogue.py`` runs every query on both and compares. Entity parameters arrive as
CURIEs.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from typing import Any

from ... import schema
from ..graph import EmbeddedGraph

Row = list[Any]
IMPLEMENTATIONS: dict[str, Callable[..., list[Row]]] = {}


def implements(name: str):
    def register(fn):
        IMPLEMENTATIONS[name] = fn
        return fn

    return register


# --------------------------------------------------------------------------- helpers


def _key(value: Any) -> tuple:
    """A sort key in Cypher's order: nulls after everything ascending, before it descending."""
    if isinstance(value, list):
        value = tuple(_key(v) for v in value)
    return (value is None, value if value is not None else 0)


def _order(rows: list[Row], *spec: int | tuple[int, str] | Callable[[Row], Any]) -> list[Row]:
    """ORDER BY: column positions, ``(i, "desc")`` for descending, or a function of the row."""
    for item in reversed(spec):  # stable sorts, last key first
        if callable(item):
            rows.sort(key=lambda r, f=item: _key(f(r)))
        else:
            index, direction = (item, "asc") if isinstance(item, int) else item
            rows.sort(key=lambda r, i=index: _key(r[i]), reverse=direction == "desc")
    return rows


def _distinct(rows: list[Row]) -> list[Row]:
    seen, out = set(), []
    for row in rows:
        frozen = _freeze(row)
        if frozen not in seen:
            seen.add(frozen)
            out.append(row)
    return out


def _freeze(value: Any) -> Any:
    if isinstance(value, list):
        return tuple(_freeze(v) for v in value)
    return value


def _out(kg: EmbeddedGraph, node: str, predicates: set[str] | None = None) -> Iterator[tuple[str, str, dict]]:
    for _, target, data in kg.compact.out_edges(node, data=True):
        if predicates is None or data["predicate"] in predicates:
            yield node, target, data


def _in(kg: EmbeddedGraph, node: str, predicates: set[str] | None = None) -> Iterator[tuple[str, str, dict]]:
    for source, _, data in kg.compact.in_edges(node, data=True):
        if predicates is None or data["predicate"] in predicates:
            yield source, node, data


def _names(kg: EmbeddedGraph, ids: list[str] | None) -> list[str]:
    """``COLLECT { MATCH (x:Imidgraph) WHERE x.id IN ids RETURN x.name ORDER BY x.name }``."""
    return sorted(kg.name(i) for i in set(ids or []) if i in kg.compact)


def _name(kg: EmbeddedGraph, entity_id: str | None) -> str | None:
    return kg.name(entity_id) if entity_id is not None and entity_id in kg.compact else None


def _node(kg: EmbeddedGraph, entity_id: str) -> dict | None:
    return kg.compact.nodes[entity_id] if entity_id in kg.compact else None


def _qualifiers(kg: EmbeddedGraph, r: dict) -> list[Any]:
    """Every qualifier of the schema, in its order (entities by name, lists sorted)."""
    values = []
    for key, kind in schema.QUALIFIERS.items():
        value = r.get(f"q_{key}")
        if kind == "entity":
            values.append(_name(kg, value))
        elif kind == "entities":
            values.append(_names(kg, value))
        else:
            values.append(value)
    return values


def _cited(kg: EmbeddedGraph, r: dict) -> list[Any]:
    """The qualifier block of a one-relation row, then its paraphrase and citation (the columns
    ``<qualifiers>, paraphrase, evidence, source, source_doi, section, refs, primary_dois,
    relation_id`` of the Cypher files)."""
    return _qualifiers(kg, r) + [
        r["paraphrase"], r["evidence"], r["source"], r["source_doi"], r["section"],
        list(r["refs"]), list(r["primary_dois"]), r["id"],
    ]  # fmt: skip


def cite(r: dict) -> str:
    """A relation's citation as one line (as the Cypher files write it):
    ``guo2022 doi:10.3389/... §2.2 Mechanism of action refs 80, 186``."""
    doi = f" doi:{r['source_doi']}" if r.get("source_doi") else ""
    refs = f" refs {', '.join(map(str, r['refs']))}" if r.get("refs") else ""
    return f"{r['source']}{doi} §{r['section']}{refs}"


def _step_citations(paths: list[list[dict]]) -> tuple[list[str], list[str]]:
    """Citations and ids of the relations of several parallel paths, step by step, by id within
    a step (``UNWIND range(...) AS i WITH DISTINCT ..., i, rels[i] ORDER BY i, x.id``)."""
    seen = sorted({(i, r["id"]): r for rels in paths for i, r in enumerate(rels)}.items())
    return [cite(r) for _, r in seen], [rid for (_, rid), _ in seen]


def _trails(kg: EmbeddedGraph, start: str, predicates: set[str], max_len: int) -> Iterator[list[tuple[str, str, dict]]]:
    """Paths of 1..max_len relations from ``start`` that use no relation twice (Cypher's rule)."""
    stack: list[list[tuple[str, str, dict]]] = [[edge] for edge in _out(kg, start, predicates)]
    while stack:
        path = stack.pop()
        yield path
        if len(path) < max_len:
            used = {edge[2]["id"] for edge in path}
            for edge in _out(kg, path[-1][1], predicates):
                if edge[2]["id"] not in used:
                    stack.append(path + [edge])


def _subclass_closure(kg: EmbeddedGraph, entity_id: str, upward: bool) -> set[str]:
    """Superclasses ``(entity)-[:SUBCLASS_OF*1..]->(t)`` (upward) or subclasses
    ``(c)-[:SUBCLASS_OF*1..]->(entity)``."""
    step = _out if upward else _in
    found: set[str] = set()
    todo = [entity_id]
    while todo:
        for source, target, _ in step(kg, todo.pop(), {"subclass_of"}):
            reached = target if upward else source
            if reached not in found:
                found.add(reached)
                todo.append(reached)
    return found
