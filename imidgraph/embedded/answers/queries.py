"""The catalogue's one-entity queries on the embedded graph: targets, what lies downstream,
effects on a cell, uses, shared mechanisms, open questions, combinations, resistance, the
evidence for a relation and an entity's neighbourhood (one twin per ``cypher/`` file)."""

from __future__ import annotations

import math
from collections import defaultdict

from ... import schema
from ..graph import EmbeddedGraph
from .rows import (
    Row,
    _cited,
    _distinct,
    _in,
    _names,
    _node,
    _order,
    _out,
    _step_citations,
    _subclass_closure,
    _trails,
    cite,
    implements,
)


@implements("drug_targets")
def drug_targets(kg: EmbeddedGraph, drug: str) -> list[Row]:
    if _node(kg, drug) is None:
        return []
    rows = [[r["predicate"], kg.name(target), *_cited(kg, r)] for _, target, r in _out(kg, drug, {"binds", "degrades"})]
    return _order(rows, 0, 1, -1)


_DOWNSTREAM = {"increases", "decreases", "mediates", "contributes_to", "produced_by"}


@implements("downstream")
def downstream(kg: EmbeddedGraph, start: str) -> list[Row]:
    if _node(kg, start) is None:
        return []
    groups: dict[tuple, list[list[dict]]] = defaultdict(list)
    for path in _trails(kg, start, _DOWNSTREAM, 3):
        end = path[-1][1]
        key = (
            len(path),
            tuple([kg.name(start)] + [kg.name(edge[1]) for edge in path]),
            tuple(edge[2]["predicate"] for edge in path),
            kg.name(end),
            kg.compact.nodes[end]["category"],
        )
        groups[key].append([edge[2] for edge in path])
    rows = [
        [k[0], list(k[1]), list(k[2]), net_sign(k[2]), k[3], k[4], *_step_citations(paths)]
        for k, paths in groups.items()
    ]
    return _order(rows, 0, 1, 2)


def net_sign(predicates) -> int:
    """A chain's net sign: the product of its steps' signs (``schema.POLARITY``; a step of no
    stated direction makes it 0)."""
    return math.prod(schema.POLARITY[p] or 0 for p in predicates)


@implements("drug_effects_on_cell")
def drug_effects_on_cell(kg: EmbeddedGraph, drug: str, cell: str) -> list[Row]:
    cells = {cell} | _subclass_closure(kg, cell, upward=False) if _node(kg, cell) is not None else set()
    if _node(kg, drug) is None:
        return []
    rows = [
        [r["predicate"], kg.name(x), *_cited(kg, r)]
        for _, x, r in _out(kg, drug)
        if x in cells or r.get("q_cell_context") in cells
    ]
    return _order(_distinct(rows), 0, 1, -1)


_USES = {"approved_for", "studied_clinically_for", "active_preclinically_in"}


@implements("drug_uses")
def drug_uses(kg: EmbeddedGraph, drug: str) -> list[Row]:
    if _node(kg, drug) is None:
        return []
    holders = {drug} | {source for source, _, _ in _in(kg, drug, {"has_part"})}
    rows = []
    for holder in holders:
        for _, x, r in _out(kg, holder, _USES):
            rows.append([r["predicate"], kg.name(x), None if holder == drug else kg.name(holder), *_cited(kg, r)])
    return _order(rows, 0, 1, 2, -1)


@implements("shared_mechanism")
def shared_mechanism(kg: EmbeddedGraph, drug: str) -> list[Row]:
    if _node(kg, drug) is None:
        return []
    pairs: dict[str, set[str]] = defaultdict(set)
    rels: dict[str, dict[str, dict]] = defaultdict(dict)
    for _, target, r1 in _out(kg, drug, {"binds", "degrades"}):
        for other, _, r2 in _in(kg, target, {r1["predicate"]}):
            if other != drug:
                pairs[other].add(f"{r1['predicate']} {kg.name(target)}")
                rels[other].update({r1["id"]: r1, r2["id"]: r2})
    rows = []
    for o, shared in pairs.items():
        cited = [rels[o][i] for i in sorted(rels[o])]
        rows.append(
            [kg.name(o), kg.compact.nodes[o]["category"], sorted(shared), len(shared), [cite(r) for r in cited], [r["id"] for r in cited]]
        )
    return _order(rows, (3, "desc"), 0)


@implements("open_questions")
def open_questions(kg: EmbeddedGraph, entity: str) -> list[Row]:
    """The open questions that concern ``entity``, a class above it or a member below it."""
    if _node(kg, entity) is None:
        return []
    above = _subclass_closure(kg, entity, upward=True)
    below = _subclass_closure(kg, entity, upward=False)
    rows = []
    for about, relation_to_entity in [(entity, 0), *((a, 1) for a in above), *((a, -1) for a in below - above)]:
        for question, _, r in _in(kg, about, {"concerns"}):
            category = kg.compact.nodes[about]["category"]
            agents = {z for _, z, _ in _out(kg, question, {"concerns"}) if kg.compact.nodes[z]["category"] in schema.AGENTS}
            rows.append(
                [kg.name(question), question, kg.name(about), about, category, relation_to_entity,
                 _names(kg, list(agents)), *_cited(kg, r)]
            )  # fmt: skip
    return _order(rows, 0, 2, -1)


_CHAIN = {"increases", "decreases", "degrades", "mediates", "produced_by"}
_PARTNER = {"increases", "decreases", "mediates", "binds"}


@implements("combination_rationale")
def combination_rationale(kg: EmbeddedGraph, drug: str, partner: str) -> list[Row]:
    if _node(kg, drug) is None or _node(kg, partner) is None:
        return []
    groups: dict[tuple, list[list[dict]]] = defaultdict(list)
    for _, target, r in _out(kg, drug, {"potentiates"}):
        if target == partner:
            key = ("stated synergy", (kg.name(drug), kg.name(partner)), (r["predicate"],), kg.name(partner), None)
            groups[key].append([r])
    partner_reaches: dict[str, list[dict]] = defaultdict(list)
    for _, m, q in _out(kg, partner, _PARTNER):
        partner_reaches[m].append(q)
    for path in _trails(kg, drug, _CHAIN, 3):
        m = path[-1][1]
        for q in partner_reaches.get(m, []):
            key = (
                "shared mechanism",
                tuple([kg.name(drug)] + [kg.name(edge[1]) for edge in path]),
                tuple(edge[2]["predicate"] for edge in path),
                kg.name(m),
                q["predicate"],
            )
            groups[key].append([edge[2] for edge in path] + [q])
    rows = [[k[0], list(k[1]), list(k[2]), k[3], k[4], *_step_citations(paths)] for k, paths in groups.items()]
    # ORDER BY kind DESC, size(chain), chain, predicates, meets, partner_relation
    return _order(rows, (0, "desc"), lambda row: len(row[1]), 1, 2, 3, 4)


@implements("resistance")
def resistance(kg: EmbeddedGraph, drug: str) -> list[Row]:
    if _node(kg, drug) is None:
        return []
    targets = {drug} | _subclass_closure(kg, drug, upward=True)
    rows = []
    for t in targets:
        for f, _, r in _in(kg, t, {"associated_with_resistance_to"}):
            rows.append([kg.name(f), kg.compact.nodes[f]["category"], kg.name(t), *_cited(kg, r)])
    return _order(rows, 0, -1)


@implements("relation_evidence")
def relation_evidence(kg: EmbeddedGraph, subject: str, predicate: str, object: str) -> list[Row]:  # noqa: A002
    if _node(kg, subject) is None or _node(kg, object) is None:
        return []
    rows = [_cited(kg, r) for _, x, r in _out(kg, subject, {predicate}) if x == object]
    return _order(rows, -1)


@implements("neighbourhood")
def neighbourhood(kg: EmbeddedGraph, entity: str) -> list[Row]:
    if _node(kg, entity) is None:
        return []
    rows = []
    for s, o, r in list(_out(kg, entity)) + list(_in(kg, entity)):
        m = o if s == entity else s
        rows.append([kg.name(s), r["predicate"], kg.name(o), kg.name(m), kg.compact.nodes[m]["category"], *_cited(kg, r)])
    return _order(_distinct(rows), 0, 1, 2, -1)
