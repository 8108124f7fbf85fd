"""Two drugs compared on the embedded graph: the twins of ``drug_difference`` and
``side_effects_compared``."""

from __future__ import annotations

from ..graph import EmbeddedGraph
from .rows import Row, _in, _node, _order, _out, _subclass_closure, cite, implements

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


def _side(kg: EmbeddedGraph, d: str, o: str, heads: set[str], kind: str, x: str, hierarchy: bool) -> dict:
    """One drug's side of a comparison on (kind, x): its state, the phrases that say how it is
    stated, the best level of its uses, whether it is stated more than the other drug, and the
    relations cited."""

    def stated(y: str, where: str | None) -> list[tuple[dict, str]]:
        found = []
        for h in sorted(heads):
            for r in kg.compact.succ[h].get(y, {}).values():
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


def _compared(kg: EmbeddedGraph, drug_a: str, drug_b: str, kinds: set[str] | None, hierarchy: bool) -> list[tuple[str, str, dict, dict]]:
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
        for _, x, r in kg.compact.edges(data=True)
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
def side_effects_compared(kg: EmbeddedGraph, drug_a: str, drug_b: str) -> list[Row]:
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
def drug_difference(kg: EmbeddedGraph, drug_a: str, drug_b: str) -> list[Row]:
    rows = []
    for kind, x, a, b in _compared(kg, drug_a, drug_b, None, hierarchy=True):
        difference = _difference(kind, kg.name(drug_a), kg.name(drug_b), a, b)
        if difference is None:
            continue
        rows.append(
            [
                kg.name(drug_a), kg.name(drug_b), kind, kg.name(x), kg.compact.nodes[x]["category"], difference,
                a["state"], b["state"], a["phrases"], b["phrases"],
                [cite(r) for r in a["relations"]], [cite(r) for r in b["relations"]],
                [r["id"] for r in a["relations"] + b["relations"]],
            ]
        )  # fmt: skip
    return _order(rows, 2, 3)
