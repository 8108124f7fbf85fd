"""The catalogue answered on the embedded graph: one function per query in ``cypher/``.

Each function follows its Cypher file step by step (the same matches, the same DISTINCT, the
same ORDER BY with Cypher's rule that nulls sort last ascending and first descending), so both
backends give the same rows; ``tests/test_catalogue.py`` runs every query on both and compares.
Entity parameters arrive as CURIEs.
"""

from __future__ import annotations

import weakref
from collections import defaultdict
from collections.abc import Callable, Iterator
from typing import Any

from . import schema
from .graph import KnowledgeGraph

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


def _out(kg: KnowledgeGraph, node: str, predicates: set[str] | None = None) -> Iterator[tuple[str, str, dict]]:
    for _, target, data in kg.graph.out_edges(node, data=True):
        if predicates is None or data["predicate"] in predicates:
            yield node, target, data


def _in(kg: KnowledgeGraph, node: str, predicates: set[str] | None = None) -> Iterator[tuple[str, str, dict]]:
    for source, _, data in kg.graph.in_edges(node, data=True):
        if predicates is None or data["predicate"] in predicates:
            yield source, node, data


def _names(kg: KnowledgeGraph, ids: list[str] | None) -> list[str]:
    """``COLLECT { MATCH (x:Imidgraph) WHERE x.id IN ids RETURN x.name ORDER BY x.name }``."""
    return sorted(kg.name(i) for i in set(ids or []) if i in kg.graph)


def _name(kg: KnowledgeGraph, entity_id: str | None) -> str | None:
    return kg.name(entity_id) if entity_id is not None and entity_id in kg.graph else None


def _node(kg: KnowledgeGraph, entity_id: str) -> dict | None:
    return kg.graph.nodes[entity_id] if entity_id in kg.graph else None


def _qualifiers(kg: KnowledgeGraph, r: dict) -> list[Any]:
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


def _cited(kg: KnowledgeGraph, r: dict) -> list[Any]:
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


def _trails(kg: KnowledgeGraph, start: str, predicates: set[str], max_len: int) -> Iterator[list[tuple[str, str, dict]]]:
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


def _subclass_closure(kg: KnowledgeGraph, entity_id: str, upward: bool) -> set[str]:
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


# --------------------------------------------------------------------------- the catalogue


@implements("drug_targets")
def drug_targets(kg: KnowledgeGraph, drug: str) -> list[Row]:
    if _node(kg, drug) is None:
        return []
    rows = [[r["predicate"], kg.name(target), *_cited(kg, r)] for _, target, r in _out(kg, drug, {"binds", "degrades"})]
    return _order(rows, 0, 1, -1)


_DOWNSTREAM = {"increases", "decreases", "mediates", "contributes_to", "produced_by"}


@implements("downstream")
def downstream(kg: KnowledgeGraph, start: str) -> list[Row]:
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
            kg.graph.nodes[end]["category"],
        )
        groups[key].append([edge[2] for edge in path])
    rows = [[k[0], list(k[1]), list(k[2]), k[3], k[4], *_step_citations(paths)] for k, paths in groups.items()]
    return _order(rows, 0, 1, 2)


@implements("drug_effects_on_cell")
def drug_effects_on_cell(kg: KnowledgeGraph, drug: str, cell: str) -> list[Row]:
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
def drug_uses(kg: KnowledgeGraph, drug: str) -> list[Row]:
    if _node(kg, drug) is None:
        return []
    holders = {drug} | {source for source, _, _ in _in(kg, drug, {"has_part"})}
    rows = []
    for holder in holders:
        for _, x, r in _out(kg, holder, _USES):
            rows.append([r["predicate"], kg.name(x), None if holder == drug else kg.name(holder), *_cited(kg, r)])
    return _order(rows, 0, 1, 2, -1)


@implements("shared_mechanism")
def shared_mechanism(kg: KnowledgeGraph, drug: str) -> list[Row]:
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
            [kg.name(o), kg.graph.nodes[o]["category"], sorted(shared), len(shared), [cite(r) for r in cited], [r["id"] for r in cited]]
        )
    return _order(rows, (3, "desc"), 0)


@implements("open_questions")
def open_questions(kg: KnowledgeGraph, entity: str) -> list[Row]:
    """The open questions that concern ``entity``, a class above it or a member below it."""
    if _node(kg, entity) is None:
        return []
    above = _subclass_closure(kg, entity, upward=True)
    below = _subclass_closure(kg, entity, upward=False)
    rows = []
    for about, relation_to_entity in [(entity, 0), *((a, 1) for a in above), *((a, -1) for a in below - above)]:
        for question, _, r in _in(kg, about, {"concerns"}):
            category = kg.graph.nodes[about]["category"]
            agents = {z for _, z, _ in _out(kg, question, {"concerns"}) if kg.graph.nodes[z]["category"] in schema.AGENTS}
            rows.append(
                [kg.name(question), question, kg.name(about), about, category, relation_to_entity,
                 _names(kg, list(agents)), *_cited(kg, r)]
            )  # fmt: skip
    return _order(rows, 0, 2, -1)


_CHAIN = {"increases", "decreases", "degrades", "mediates", "produced_by"}
_PARTNER = {"increases", "decreases", "mediates", "binds"}


@implements("combination_rationale")
def combination_rationale(kg: KnowledgeGraph, drug: str, partner: str) -> list[Row]:
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
def resistance(kg: KnowledgeGraph, drug: str) -> list[Row]:
    if _node(kg, drug) is None:
        return []
    targets = {drug} | _subclass_closure(kg, drug, upward=True)
    rows = []
    for t in targets:
        for f, _, r in _in(kg, t, {"associated_with_resistance_to"}):
            rows.append([kg.name(f), kg.graph.nodes[f]["category"], kg.name(t), *_cited(kg, r)])
    return _order(rows, 0, -1)


# --------------------------------------------------------------------------- two drugs compared
#
# drug_difference and side_effects_compared compare two drugs fairly (docs/explain.md §7): a
# statement made for a class the drug belongs to counts for it (marked "<class> class"); the
# three clinical uses are one comparison ("use": approved beats studied beats active
# preclinically, and a use stated for a subtype of the disease counts when none is stated for the
# disease itself; the nearest parent's is noted without counting); a relation that names the
# drug in ``not_with`` is a stated "no". Each drug's state is yes, no or not stated; both
# drugs' columns are filled the same way, so (b, a) gives the rows of (a, b) mirrored.

_USE_LEVELS = {"approved_for": "approved", "studied_clinically_for": "studied clinically", "active_preclinically_in": "active preclinically"}
_LEVEL_RANK = {"approved": 0, "studied clinically": 1, "active preclinically": 2, "stated": 3}


def _kind(predicate: str) -> str:
    return "use" if predicate in _USE_LEVELS else predicate


def _phrase(level: str, notes: list[str]) -> str:
    return level + (f" ({'; '.join(notes)})" if notes else "")


def _side(kg: KnowledgeGraph, d: str, o: str, heads: set[str], kind: str, x: str, hierarchy: bool) -> dict:
    """One drug's side of a comparison on (kind, x): its state, the phrases that say how it is
    stated, the best level of its uses, whether it is stated more than the other drug, and the
    relations cited."""

    def stated(y: str, where: str | None) -> list[tuple[dict, str]]:
        found = []
        for h in sorted(heads):
            for r in kg.graph.succ[h].get(y, {}).values():
                if _kind(r["predicate"]) == kind:
                    notes = ([f"{kg.name(h)} class"] if h != d else []) + ([f"{where} {kg.name(y)}"] if where else [])
                    found.append((r, _phrase(_USE_LEVELS.get(r["predicate"], "stated"), notes)))
        return found

    hierarchy = hierarchy and kind == "use"
    yes = stated(x, None)
    if not yes and hierarchy:
        yes = [f for y in sorted(_subclass_closure(kg, x, upward=False) - {x}) for f in stated(y, "subtype")]
    no = [
        (r, f"stated not (relation of {kg.name(s)})")
        for s, _, r in _in(kg, x)
        if _kind(r["predicate"]) == kind and d in (r.get("q_not_with") or [])
    ]
    parents: list[tuple[dict, str]] = []
    if not yes and hierarchy:
        distance, frontier, n = {}, {x}, 0
        while frontier:  # breadth first: each ancestor at its shortest distance
            n += 1
            frontier = {p for f in frontier for _, p, _ in _out(kg, f, {"subclass_of"})} - set(distance) - {x}
            distance.update(dict.fromkeys(frontier, n))
        by_distance = sorted((n, y) for y, n in distance.items() if stated(y, "parent"))
        nearest = by_distance[0][0] if by_distance else None
        parents = [f for n, y in by_distance if n == nearest for f in stated(y, "parent")]
    more = any(o in (r.get("q_more_than") or []) for r, _ in yes)
    phrases = [p for _, p in yes + no + parents] + ([f"more than {kg.name(o)}"] if more else [])
    rels = {r["id"]: r for r, _ in yes + no + parents}
    return {
        "state": "yes" if yes else "no" if no else "not stated",
        "phrases": phrases,
        "best": min((_LEVEL_RANK[_USE_LEVELS.get(r["predicate"], "stated")] for r, _ in yes), default=None),
        "more": more,
        "evidence": sorted({r["evidence"] for r, _ in yes}),
        "relations": [rels[i] for i in sorted(rels)],
    }


def _compared(kg: KnowledgeGraph, drug_a: str, drug_b: str, kinds: set[str] | None, hierarchy: bool) -> list[tuple[str, str, dict, dict]]:
    """(kind, object, side a, side b) of every (kind, object) stated yes or no for either drug."""
    if _node(kg, drug_a) is None or _node(kg, drug_b) is None:
        return []
    heads = {d: {d} | _subclass_closure(kg, d, upward=True) for d in (drug_a, drug_b)}
    keys = {
        (_kind(r["predicate"]), x)
        for d in (drug_a, drug_b)
        for h in heads[d]
        for _, x, r in _out(kg, h)
    }
    keys |= {
        (_kind(r["predicate"]), x)
        for _, x, r in kg.graph.edges(data=True)
        if {drug_a, drug_b} & set(r.get("q_not_with") or [])
    }
    out = []
    for kind, x in keys:
        if kinds is not None and kind not in kinds:
            continue
        a = _side(kg, drug_a, drug_b, heads[drug_a], kind, x, hierarchy)
        b = _side(kg, drug_b, drug_a, heads[drug_b], kind, x, hierarchy)
        # what the other drug's relations say of this one: stated more than it
        a["phrases"] += [f"less than {kg.name(drug_b)}"] if b["more"] else []
        b["phrases"] += [f"less than {kg.name(drug_a)}"] if a["more"] else []
        for side in (a, b):
            side["phrases"] = sorted(set(side["phrases"]))
        out.append((kind, x, a, b))
    return out


_LEVEL_WORDS = {0: "approved", 1: "studied clinically", 2: "active preclinically", 3: "stated"}


def _difference(kind: str, name_a: str, name_b: str, a: dict, b: dict) -> str | None:
    """The difference in words, the same for (a, b) and (b, a); None when there is none."""
    sa, sb = a["state"], b["state"]
    if sa == sb == "yes":
        said = []
        if a["best"] != b["best"]:  # the better use first, whichever drug was named first
            (first, x), (second, y) = sorted(((a["best"], name_a), (b["best"], name_b)))
            said.append(f"{x} {_LEVEL_WORDS[first]}, {y} {_LEVEL_WORDS[second]}")
        said += sorted(f"{n} more" for n, s in ((name_a, a), (name_b, b)) if s["more"])
        return "; ".join(["both used" if kind == "use" else "both", *said]) if said else None
    if sa == sb:
        return None
    if sb == "yes" or (sb == "no" and sa == "not stated"):
        name_a, name_b, sa, sb = name_b, name_a, sb, sa
    if sa == "yes":
        return f"{name_a} only" if sb == "not stated" else f"{name_a}, not {name_b}"
    return f"not {name_a}; {name_b} not stated"


@implements("side_effects_compared")
def side_effects_compared(kg: KnowledgeGraph, drug_a: str, drug_b: str) -> list[Row]:
    rows = []
    for _, e, a, b in _compared(kg, drug_a, drug_b, {"has_side_effect"}, hierarchy=False):
        rows.append(
            [
                kg.name(e), kg.name(drug_a), kg.name(drug_b), a["state"], b["state"], a["phrases"], b["phrases"],
                a["evidence"], b["evidence"], [cite(r) for r in a["relations"]], [cite(r) for r in b["relations"]],
                [r["id"] for r in a["relations"] + b["relations"]],
            ]
        )  # fmt: skip
    return _order(rows, 0)


@implements("drug_difference")
def drug_difference(kg: KnowledgeGraph, drug_a: str, drug_b: str) -> list[Row]:
    rows = []
    for kind, x, a, b in _compared(kg, drug_a, drug_b, None, hierarchy=True):
        difference = _difference(kind, kg.name(drug_a), kg.name(drug_b), a, b)
        if difference is None:
            continue
        rows.append(
            [
                kg.name(drug_a), kg.name(drug_b), kind, kg.name(x), kg.graph.nodes[x]["category"], difference,
                a["state"], b["state"], a["phrases"], b["phrases"],
                [cite(r) for r in a["relations"]], [cite(r) for r in b["relations"]],
                [r["id"] for r in a["relations"] + b["relations"]],
            ]
        )  # fmt: skip
    return _order(rows, 2, 3)


@implements("relation_evidence")
def relation_evidence(kg: KnowledgeGraph, subject: str, predicate: str, object: str) -> list[Row]:  # noqa: A002
    if _node(kg, subject) is None or _node(kg, object) is None:
        return []
    rows = [_cited(kg, r) for _, x, r in _out(kg, subject, {predicate}) if x == object]
    return _order(rows, -1)


@implements("neighbourhood")
def neighbourhood(kg: KnowledgeGraph, entity: str) -> list[Row]:
    if _node(kg, entity) is None:
        return []
    rows = []
    for s, o, r in list(_out(kg, entity)) + list(_in(kg, entity)):
        m = o if s == entity else s
        rows.append([kg.name(s), r["predicate"], kg.name(o), kg.name(m), kg.graph.nodes[m]["category"], *_cited(kg, r)])
    return _order(_distinct(rows), 0, 1, 2, -1)


# --------------------------------------------------------------------------- explain_paths

_MECHANISM = frozenset({"binds", "degrades", "increases", "decreases", "mediates"})
_PARTNER_ACTS = frozenset({"increases", "decreases", "binds", "degrades"})
_CLINICAL_USES = frozenset({"approved_for", "studied_clinically_for", "active_preclinically_in"})
_USES_AND_HARMS = _CLINICAL_USES | {"has_side_effect"}
_TRIALS = frozenset({"approved_for", "studied_clinically_for"})
_MARKERS = {"associated_with_sensitivity_to": "sensitivity", "associated_with_resistance_to": "resistance"}
_AGENTS = frozenset({"Drug", "Treatment", "DrugClass"})
_CONDITIONS = frozenset({"Disease", "Phenotype"})
_DEPTH = 3  # subclass_of steps: up from the drug to its classes (and down to its members)
_GIVEN = frozenset({"given_with"})

# a step of a path: (from, predicate, to, forward); forward when "from" is the subject
_Step = tuple[str, str, str, bool]


def _links(kg: KnowledgeGraph, node: str, predicates: frozenset[str], out: bool) -> list[tuple[str, str]]:
    """(neighbour, predicate) of the relations leaving (or entering) ``node``, each pair once."""
    edges = kg.graph.out_edges(node, data="predicate") if out else kg.graph.in_edges(node, data="predicate")
    found = {(t if out else s, p) for s, t, p in edges if p in predicates}
    return sorted(found)


def _subclass_paths(kg: KnowledgeGraph, start: str, up: bool, depth: int | None = _DEPTH) -> list[list[str]]:
    """Every chain of 1-``depth`` ``subclass_of`` steps from ``start`` (up to its classes, or
    down to its members), as entity lists starting at ``start``: Cypher's
    ``[:SUBCLASS_OF*1..3]`` (``depth`` None: any depth, ``[:SUBCLASS_OF*1..]``)."""
    sub = frozenset({"subclass_of"})
    out, stack = [], [[start]]
    while stack:
        chain = stack.pop()
        if len(chain) > 1:
            out.append(chain)
        if depth is None or len(chain) <= depth:
            for y, _ in _links(kg, chain[-1], sub, up):
                if y not in chain:
                    stack.append(chain + [y])
    return out


def _given_with(kg: KnowledgeGraph, heads: set[str]) -> set[str]:
    """The agents given with any of ``heads`` (the drug, its classes, its members) in the
    sources: ``given_with`` (either way), the drug ``potentiates`` them, another part of a
    regimen (``has_part``) or another arm of a trial (``tested``) that holds the drug, or named
    in ``combined_with`` by a relation of the drug, or naming the drug in one of their own."""
    graph, found = kg.graph, set()
    for h in heads:
        if h not in graph:
            continue
        found |= {x for x, _ in _links(kg, h, _GIVEN, True)} | {x for x, _ in _links(kg, h, _GIVEN, False)}
        found |= {x for x, _ in _links(kg, h, frozenset({"potentiates"}), True)}
        for pred in ("has_part", "tested"):
            for r, _ in _links(kg, h, frozenset({pred}), False):
                found |= {x for x, _ in _links(kg, r, frozenset({pred}), True)}
        found |= {x for o in graph.succ[h] for r in graph.succ[h][o].values() for x in r.get("q_combined_with") or ()}
    found |= {s for s, named in _combined(kg) if named & heads}
    return found - heads


_COMBINED: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def _combined(kg: KnowledgeGraph) -> list[tuple[str, frozenset[str]]]:
    """(subject, the agents named in combined_with) of every relation that names some, read once per graph."""
    graph = kg.graph
    if graph not in _COMBINED:
        _COMBINED[graph] = [(s, frozenset(r["q_combined_with"])) for s, _, r in graph.edges(data=True) if r.get("q_combined_with")]
    return _COMBINED[graph]


def _shortest(chains: list[list[str]]) -> list[list[str]]:
    """The chains that reach their end entity in the fewest steps (one route up or down the
    hierarchy to each class or member, not every detour)."""
    fewest: dict[str, int] = {}
    for c in chains:
        fewest[c[-1]] = min(fewest.get(c[-1], len(c)), len(c))
    return [c for c in chains if len(c) == fewest[c[-1]]]


def _relations(kg: KnowledgeGraph, s: str, o: str) -> list[dict]:
    return list(kg.graph.succ[s][o].values()) if o in kg.graph.succ[s] else []


@implements("explain_paths")
def explain_paths(kg: KnowledgeGraph, drug: str, target: str) -> list[Row]:
    """The paths of ``cypher/explain_paths.cypher``, found on the embedded graph.

    Paths are enumerated once per distinct (entity, predicate, entity) step: parallel
    relations give the same row, which the Cypher's DISTINCT collapses too.
    """
    if _node(kg, drug) is None or _node(kg, target) is None:
        return []
    nodes, graph = kg.graph.nodes, kg.graph
    seen_links: dict[tuple[str, frozenset[str], bool], list[tuple[str, str]]] = {}

    seen_relations: dict[tuple[str, str], list[dict]] = {}

    def relations(a: str, b: str) -> list[dict]:
        if (a, b) not in seen_relations:
            seen_relations[(a, b)] = _relations(kg, a, b)
        return seen_relations[(a, b)]

    def links(node: str, predicates: frozenset[str], out: bool) -> list[tuple[str, str]]:
        """``_links``, each answer computed once per search."""
        key = (node, predicates, out)
        if key not in seen_links:
            seen_links[key] = _links(kg, node, predicates, out)
        return seen_links[key]

    category = nodes[target]["category"]
    condition, agent = category in _CONDITIONS, category in _AGENTS
    sub = frozenset({"subclass_of"})
    # the target's family: itself, its classes and its members, at any depth
    family: list[tuple[str, list[_Step]]] = [(target, [])]
    for chain in _shortest(_subclass_paths(kg, target, up=True, depth=None)):
        up_steps = [(chain[i], "subclass_of", chain[i - 1], False) for i in range(len(chain) - 1, 0, -1)]
        family.append((chain[-1], up_steps))
    for chain in _shortest(_subclass_paths(kg, target, up=False, depth=None)):
        down_steps = [(chain[i], "subclass_of", chain[i - 1], True) for i in range(len(chain) - 1, 0, -1)]
        family.append((chain[-1], down_steps))
    down = {y for y, tail in family if all(step[3] for step in tail)}  # the target and its members
    classes_of_drug = {y for y, _ in links(drug, sub, True)}
    kin = classes_of_drug | {x for c in classes_of_drug for x, _ in links(c, sub, False)}
    # the drug's side: itself, its classes and (a class asked for) its members
    heads_of_drug = {drug} | {c[-1] for c in _subclass_paths(kg, drug, up=True)}
    if nodes[drug]["category"] == "DrugClass":
        heads_of_drug |= {c[-1] for c in _subclass_paths(kg, drug, up=False)}
    given = _given_with(kg, heads_of_drug)

    def not_kin(p: str) -> bool:
        # NOT (d)-[:SUBCLASS_OF]->()<-[:SUBCLASS_OF*0..1]-(p) AND NOT (p)-[:SUBCLASS_OF]->(d)
        return p not in kin and drug not in {y for y, _ in links(p, sub, True)}

    def contains_drug(x: str) -> bool:
        """x is a regimen that holds the drug (or its class or member): (x)-[:HAS_PART*1..2]->(head)."""
        parts = {o for o, _ in links(x, frozenset({"has_part"}), True)}
        parts |= {o for y in parts for o, _ in links(y, frozenset({"has_part"}), True)}
        return bool(parts & heads_of_drug)

    def real_partner(p: str) -> bool:
        """p (itself, a class of it or a member of it) was given with the drug in the sources,
        and p is no regimen that holds the drug."""
        if contains_drug(p):
            return False
        related = {p} | {c[-1] for c in _subclass_paths(kg, p, up=True, depth=None)}
        related |= {c[-1] for c in _subclass_paths(kg, p, up=False, depth=None)}
        return bool(related & given)

    def to_family(node: str, predicates: frozenset[str]) -> list[list[_Step]]:
        """A relation from ``node`` by one of ``predicates`` to a member of the family, then on to the target."""
        found = links(node, predicates, True)
        return [[(node, p, y, True)] + tail for y, tail in family for o, p in found if o == y]

    partner_cache: dict[str, list[list[_Step]]] = {}

    def partner_ends(p: str) -> list[list[_Step]]:
        """From agent p to the target: its clinical use in the disease, or p is the partner."""
        if p in partner_cache:
            return partner_cache[p]
        ends: list[list[_Step]] = []
        if condition:
            ends += to_family(p, _CLINICAL_USES)
            for p2, _ in links(p, sub, False):
                if p2 != drug and p2 not in kin and not contains_drug(p2):
                    ends += [[(p, "subclass_of", p2, False)] + rest for rest in to_family(p2, _CLINICAL_USES)]
        if agent:
            ends += [list(tail) for y, tail in family if p == y]
        partner_cache[p] = ends
        return ends

    def alteration_ends(x: str) -> list[list[_Step]]:
        """x <-increases|decreases- (a genomic alteration) -contributes_to-> the family."""
        ends = []
        for a, p in links(x, frozenset({"increases", "decreases"}), False):
            if nodes[a]["category"] == "GenomicAlteration":
                ends += [[(x, p, a, False)] + rest for rest in to_family(a, frozenset({"contributes_to"}))]
        return ends

    def in_target(rels: list[dict]) -> bool:
        return any(r.get("q_disease_context") in down for r in rels)

    def observed(s: str, chain: list[_Step], m: str) -> bool:
        """The chain's last step was observed in the target (or a member of it), or the head's
        own use in (or harm to) it goes via m."""
        a, p = chain[-1][0], chain[-1][1]
        if in_target([r for r in relations(a, m) if r["predicate"] == p]):
            return True
        return any(
            r["predicate"] in _USES_AND_HARMS and m in (r.get("q_via") or [])
            for y in down
            for r in relations(s, y)
        )

    def tested_with(s: str, y: str) -> bool:
        """y (or s) was tried in the clinic combined with s (or y)."""
        return any(
            r["predicate"] in _TRIALS and b in (r.get("q_combined_with") or [])
            for a, b in ((y, s), (s, y))
            for o in list(graph.succ[a])
            for r in relations(a, o)
        )

    def endings(s: str, m: str, chain: list[_Step]) -> Iterator[tuple[str, list[_Step]]]:
        k = len(chain)
        if condition and k >= 1:
            for rest in to_family(m, frozenset({"contributes_to"})):
                yield "driver", rest
            for rest in alteration_ends(m):
                yield "lesion", rest
            if observed(s, chain, m):
                yield "observed", [(m, "observed_in", target, True)]
        if k >= 1:
            for p, pred in links(m, _PARTNER_ACTS, False):
                if nodes[p]["category"] in _AGENTS and not_kin(p) and (not condition or real_partner(p)):
                    for rest in partner_ends(p):
                        yield "partner", [(m, pred, p, False)] + rest
        if k == 0:
            for p, _ in links(s, frozenset({"potentiates"}), True):
                for rest in partner_ends(p):
                    yield "potentiates", [(s, "potentiates", p, True)] + rest
        if condition and k == 0:
            for x, pred in links(s, frozenset(_MARKERS), False):
                first = (s, pred, x, False)
                for rest in to_family(x, frozenset({"contributes_to"})) + alteration_ends(x):
                    yield _MARKERS[pred], [first] + rest
                if in_target([r for r in relations(x, s) if r["predicate"] == pred]):
                    yield _MARKERS[pred], [first, (x, "observed_in", target, True)]
        if agent and k == 0:
            for y, tail in family:
                for r, _ in links(y, frozenset({"has_part"}), False):
                    if (
                        nodes[r]["category"] == "Treatment"
                        and s in {o for o, _ in links(r, frozenset({"has_part"}), True)}
                        and links(r, _TRIALS, True)
                    ):
                        yield "trial", [(s, "has_part", r, False), (r, "has_part", y, True)] + tail
                if y != s and tested_with(s, y):
                    yield "trial", [(s, "tested_with", y, True)] + tail
        if not condition and not agent and k >= 1:
            for y, tail in family:
                if m == y and all(step[3] for step in tail):
                    yield "reach", list(tail)
        if k == 0 and s == drug:
            # the drug's standing: its (its classes', the regimens holding it) uses of and harms
            # to the target or one of its family, and those of an agent given with it
            subjects = set(heads_up)
            subjects |= {r for h in subjects for r, _ in links(h, frozenset({"has_part"}), False)}
            subjects |= {r for h in set(subjects) for r, _ in links(h, frozenset({"has_part"}), False)}
            for y, tail in family:
                for x, pred in links(y, _USES_AND_HARMS, False):
                    if x in subjects or any(
                        set(r.get("q_combined_with") or ()) & heads_up for r in relations(x, y) if r["predicate"] == pred
                    ):
                        yield "use", [(x, pred, y, True)] + tail

    def chains(s: str, seen: set[str]) -> Iterator[list[_Step]]:
        """Mechanism chains of 0-3 steps from s through entities not yet in the path."""
        stack: list[list[_Step]] = [[]]
        while stack:
            chain = stack.pop()
            yield chain
            if len(chain) < 3:
                here = chain[-1][2] if chain else s
                used = seen | {step[2] for step in chain}
                for o, p in links(here, _MECHANISM, True):
                    if o not in used:
                        stack.append(chain + [(here, p, o, True)])

    classes_up = {c[-1] for c in _subclass_paths(kg, drug, up=True)}
    heads_up = {drug} | classes_up
    heads: list[list[_Step]] = [[]] + [
        [(c[i], "subclass_of", c[i + 1], True) for i in range(len(c) - 1)] for c in _shortest(_subclass_paths(kg, drug, up=True))
    ]
    if nodes[drug]["category"] == "DrugClass":  # a class asked for: what is stated for its members
        heads += [
            [(c[i], "subclass_of", c[i + 1], False) for i in range(len(c) - 1)]
            for c in _shortest(_subclass_paths(kg, drug, up=False))
        ]
    rows = []
    for head in heads:
        s = head[-1][2] if head else drug
        for chain in chains(s, {drug} | {step[2] for step in head}):
            m = chain[-1][2] if chain else s
            for kind, end in endings(s, m, chain):
                steps = end if kind == "use" else head + chain + end
                path = [steps[0][0]] + [step[2] for step in steps]
                if len(set(path)) == len(path):
                    rows.append([kind, path, [step[1] for step in steps], [step[3] for step in steps]])
    return _order(_distinct(rows), 0, 1, 2, 3)
