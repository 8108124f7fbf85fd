"""``--versus``: two drugs' explanations of one target, compared fairly (docs/explain.md §7).

Every drug step of either drug's shown paths (the reasons and the other groups) and each
drug's standing for the target is compared with the other drug, the same way from both sides:

* a statement made for a class a drug belongs to counts for it, marked as the class's
  (``shared_class``): lenalidomide's IL-2 rise and the IMiD class's are the same step for
  pomalidomide;
* the clinical uses are compared as one (an approval and a study of the same disease are both
  uses, not a difference);
* three states: stated (``shared``), stated not (``not_with``: a relation of one drug names the
  other in ``not_with``), not stated (``not_stated``); ``more_than`` / ``other_more`` when a
  relation says one does it more; ``own_route`` / ``other_route`` when one drug's relations name
  a route (``via``, CRBN dependence) that the other's do not.

``explain A T --versus B`` and ``explain B T --versus A`` give the same contrasts mirrored. The
other drug's own routes (its shown paths that none of the drug's paths takes) are listed too,
and an empty comparison says why.
"""

from __future__ import annotations

from .model import PSEUDO, STRUCTURAL, USES, Contrast, Findings, Path, Step, entity_qualifiers
from .phrases import VERB, citation, clause, lead

STATUS_ORDER = ("more_than", "not_with", "other_more", "own_route", "other_route", "not_stated", "parent", "shared_class", "shared", "subtype", "class_only")
STATUS_WORDS = {
    "more_than": "stronger than {other}",
    "not_with": "not with {other}",
    "other_more": "weaker than {other}",
    "own_route": "by a route not stated for {other}",
    "other_route": "{other} by a route not stated here",
    "not_stated": "not stated for {other}",
    "shared_class": "shared with {other} (stated for its class)",
    "shared": "shared with {other}",
    "class_only": "stated for its class",
    "subtype": "for a subtype",
    "parent": "{other} only for a parent",
}
# the words of a contrast: what the sources say of both first, then how the routes differ
_WORD_ORDER = ("class_only", "more_than", "not_with", "other_more", "not_stated", "parent", "shared_class", "shared", "subtype", "own_route", "other_route")
_CLINICAL = ("approved_for", "studied_clinically_for", "active_preclinically_in")


def _kind(predicate: str) -> str:
    """What is compared: the clinical uses as one, any other predicate as itself."""
    return "use" if predicate in _CLINICAL else predicate


def _route(r: dict) -> tuple:
    """The route a relation names: the entities it goes via, and whether it needs CRBN."""
    return (tuple(sorted(r.get("q_via") or [])), r.get("q_crbn_dependence"))


def _own_route(mine: set[tuple], theirs: set[tuple]) -> bool:
    """One side's relations name a route of their own: routes none of which the other side
    names, where the other names routes too, or that go without CRBN (a route apart from the
    shared CRBN one) where the other names none."""
    if not mine or mine & theirs:
        return False
    return bool(theirs) or any(crbn == "independent" for _, crbn in mine)


def drug_steps(e: Findings) -> dict[tuple[str, str], Step]:
    """The steps the drug (or a class it belongs to) makes in its shown paths, by (predicate,
    object), first seen first; and its standing for the target, by (use kind, target)."""
    steps: dict[tuple[str, str], Step] = {}
    for p in e.shown():
        if p.via_member:
            continue  # a member's statement does not speak for the class asked about
        head = p.nodes[p.head] if p.via_class else p.nodes[0]
        for s in p.steps[: p.chain_length]:
            if s.subject == head and s.forward and s.predicate not in STRUCTURAL and s.predicate not in PSEUDO:
                steps.setdefault((s.predicate, s.object), s)
    for s in e.uses:
        steps.setdefault((_kind(s.predicate), s.object), s)
    return steps


def signature(p: Path) -> tuple:
    """A path's route without the drug (or class) that starts it: the same route stated for
    lenalidomide and for the IMiD class is one route."""
    h = p.head if p.via_class else 0
    return (p.kind, p.nodes[h + 1 :], tuple(s.predicate for s in p.steps[h:]))


def contrast(source, mine: Findings, theirs: Findings) -> None:
    """Compare the two explanations (see the module's docstring); fills ``mine.versus``,
    ``mine.contrasts``, ``mine.other_paths`` (every path of the other drug) and
    ``mine.other_routes`` (the other's shown paths that none of the drug's paths takes)."""
    mine.versus = theirs.drug
    mine.other_paths = theirs.all_paths
    mine.entities.update({k: v for k, v in theirs.entities.items() if k not in mine.entities})
    taken = {signature(p) for p in mine.all_paths}
    mine.other_routes = [p for p in theirs.shown() if signature(p) not in taken]

    drugs = (mine.drug, theirs.drug)
    ups = source.ancestors(drugs)
    heads = {d: [d, *sorted(ups.get(d, set()) - {d})] for d in drugs}
    stepped = {d: drug_steps(e) for d, e in zip(drugs, (mine, theirs), strict=True)}
    keys = sorted(set(stepped[mine.drug]) | set(stepped[theirs.drug]))

    def predicates(kind: str) -> tuple[str, ...]:
        return _CLINICAL if kind == "use" else (kind,)

    # a use of the target is compared with the uses of its subtypes (which count) and of its
    # parents (noted, not counted) when none is stated for the target itself
    around = {"subtype": sorted(source.descendants(mine.target)), "parent": sorted(source.parents(mine.target))}
    triples = {(h, p, o) for kind, o in keys for d in drugs for h in heads[d] for p in predicates(kind)}
    triples |= {(h, p, y) for ys in around.values() for y in ys for d in drugs for h in heads[d] for p in _CLINICAL}
    found = source.relations(triples)

    def side(d: str, kind: str, o: str) -> tuple[list[dict], bool]:
        """The relations that state (kind, o) for d or its classes, by id; whether d's own do."""
        rels = {r["id"]: r for h in heads[d] for p in predicates(kind) for r in found.get((h, p, o), [])}
        own = any(found.get((d, p, o)) for p in predicates(kind))
        return [rels[i] for i in sorted(rels)], own

    def nearby(d: str, where: str) -> list[dict]:
        """d's uses (or its classes') of the target's subtypes or parents, each with its own
        subject and object."""
        rels = {r["id"]: {**r, "_subject": h, "_object": y} for y in around[where] for h in heads[d] for p in _CLINICAL for r in found.get((h, p, y), [])}
        return [rels[i] for i in sorted(rels)]

    contrasts = []
    for kind, o in keys:
        d = mine.drug if (kind, o) in stepped[mine.drug] else theirs.drug
        other = theirs.drug if d == mine.drug else mine.drug
        step = stepped[d][(kind, o)]
        rx, own = side(d, kind, o)
        ry, other_own = side(other, kind, o)
        statuses = []
        if kind == "use" and o == mine.target and not ry:
            for where in ("subtype", "parent"):
                ry = nearby(other, where)
                if ry:
                    statuses.append(where)
                    other_own = any(r["_subject"] == other for r in ry)
                    break
        if any(other in (r.get("q_more_than") or []) for r in rx):
            statuses.append("more_than")
        if any(other in (r.get("q_not_with") or []) for r in rx):
            statuses.append("not_with")
        if any(d in (r.get("q_more_than") or []) for r in ry):
            statuses.append("other_more")
        if ry and "parent" not in statuses:
            routes_x = {_route(r) for r in rx} - {((), None)}
            routes_y = {_route(r) for r in ry} - {((), None)}
            if _own_route(routes_x, routes_y):
                statuses.append("own_route")
            if _own_route(routes_y, routes_x):
                statuses.append("other_route")
            statuses.append("shared" if other_own else "shared_class")
        elif "not_with" not in statuses:
            statuses.append("not_stated")
        if not own:
            statuses.append("class_only")
        contrasts.append(Contrast(d, other, step, tuple(sorted(statuses, key=STATUS_ORDER.index)), tuple(ry)))

    names = mine.entities
    wanted = {h for d in drugs for h in heads[d]}
    wanted |= {i for c in contrasts for r in c.other_relations for i in entity_qualifiers(r)}
    wanted |= {i for c in contrasts for r in c.step.relations for i in entity_qualifiers(r)}
    unnamed = wanted - set(names)
    if unnamed:
        names.update(source.entities(unnamed))
    contrasts.sort(key=lambda c: (c.drug != mine.drug, STATUS_ORDER.index(c.status), names[c.step.object]["name"], c.step.predicate))
    mine.contrasts = contrasts


# --------------------------------------------------------------------------- words


def _route_words(e: Findings, relations, vias_said: bool = False) -> str:
    """``via ZAP70, CRBN-independent`` for the routes the relations name (without the vias
    when the step's words already say them)."""
    said = []
    for vias, crbn in sorted({_route(r) for r in relations} - {((), None)}, key=str):
        bits = [f"via {', '.join(sorted(e.name(v) for v in vias))}"] if vias and not vias_said else []
        bits += [f"CRBN-{crbn}"] if crbn else []
        if bits:
            said.append(", ".join(bits))
    return "; ".join(dict.fromkeys(said))


def own_routes(e: Findings) -> list[Path]:
    """The drug's shown paths that none of the other drug's paths takes (``e.other_routes``
    seen from the other side)."""
    taken = {signature(p) for p in e.other_paths}
    return [p for p in e.shown() if signature(p) not in taken]


def empty_reason(e: Findings) -> str | None:
    """Why there is little or nothing to compare: a drug without any path to the target."""
    other, target = e.name(e.versus), e.name(e.target)
    if not e.other_paths and not e.all_paths:
        return f"neither {e.name(e.drug)} nor {other} has a path to {target} in the graph" + ("" if e.contrasts else "; nothing to compare")
    if not e.other_paths:
        return f"{other} has no path to {target} in the graph" + ("" if e.contrasts else "; nothing to compare")
    if not e.all_paths:
        return f"{e.name(e.drug)} has no path to {target} in the graph"
    return None


def _group_of(e: Findings, p: Path) -> str:
    if e.mode == "harm" and p.benefit:
        return "raises it" if p.benefit > 0 else "lowers it"
    if p.benefit < 0:
        return "against"
    if p.kind == "trial":
        return "trial"
    if p.benefit == 0:
        return "direction not stated" if e.mode != "entity" else "reaches it"
    if e.mode == "condition" and p.kind in ("partner", "potentiates"):
        return "with a partner"
    return "reason" if e.mode != "entity" else "reaches it"


def sentence(e: Findings) -> str:
    """The summary's sentence on the other drug."""
    other = e.name(e.versus)
    mine = [c for c in e.contrasts if c.drug == e.drug]
    theirs = [c for c in e.contrasts if c.drug != e.drug]
    said = []
    for c in mine:
        if "more_than" in c.statuses and c.step.predicate in USES:
            said.append(f"{e.name(c.drug)} is stated to work more strongly than {other} in {e.name(c.step.object)}")
        elif "more_than" in c.statuses:
            said.append(f"{clause(e, c.step)} more than {other} does")
        if "not_with" in c.statuses:
            settings = [_setting(e, r) for r in c.step.relations if c.other in (r.get("q_not_with") or [])]
            where = f" in {', '.join(x for x in settings if x)}" if any(settings) else ""
            lead_in = f"{e.name(c.step.subject)} {VERB[c.step.predicate]} {e.name(c.step.object)}" if "more_than" in c.statuses else clause(e, c.step)
            said.append(f"{lead_in}{where} where {other} does not")
        if "other_more" in c.statuses and c.step.predicate in USES:
            said.append(f"{other} is stated to work more strongly than {e.name(c.drug)} in {e.name(c.step.object)}")
        elif "other_more" in c.statuses:
            said.append(f"{other} {VERB[c.step.predicate]} {e.name(c.step.object)} more")
    missing = sorted({e.name(c.step.object) for c in mine if c.status == "not_stated" and c.step.predicate not in USES})
    if missing:
        said.append(f"no relation of {other} (or its classes) to {_some(missing)} is stated")
    for c in mine:
        if c.step.predicate in USES and c.status in ("not_stated", "parent"):
            parents = sorted({f"{VERB[r['predicate']]} {e.name(r['_object'])}" for r in c.other_relations if "parent" in c.statuses})
            also = f" (it {'; '.join(parents)}, a parent)" if parents else ""
            said.append(f"no use of {other} in {e.name(c.step.object)} is stated{also}")
    both = [c for c in e.contrasts if {"shared", "shared_class"} & set(c.statuses)]
    if 0 < len(both) <= _LISTED:
        said.append(f"both act on {', '.join(sorted({_shared_words(e, c) for c in both}))}")
    elif both:
        by_class = sum(1 for c in both if {"shared_class", "class_only"} & set(c.statuses))
        names = sorted({e.name(c.step.object) for c in both})
        said.append(f"both act on {_some(names)}" + (f" ({by_class} of these through a class's statement)" if by_class else ""))
    stated_not = sorted({e.name(c.step.object) for c in theirs if "not_with" in c.statuses})
    if stated_not:
        said.append(f"{e.name(e.drug)} is stated not to act as {other} does on {_some(stated_not)}")
    theirs_only = sorted({e.name(c.step.object) for c in theirs if c.status in ("not_stated", "more_than") and "not_with" not in c.statuses})
    if theirs_only:
        said.append(f"{other}'s own steps act on {_some(theirs_only)}, not stated (or less) for {e.name(e.drug)}")
    routed = [
        (who, whom, c, relations)
        for c in e.contrasts
        for status, who, whom, relations in (("own_route", c.drug, c.other, c.step.relations), ("other_route", c.other, c.drug, c.other_relations))
        if status in c.statuses
    ]
    if len(routed) == 1:
        who, whom, c, relations = routed[0]
        how = _route_words(e, relations, c.step.says_vias)
        said.append(f"{e.name(who)} {VERB[c.step.predicate]} {e.name(c.step.object)} {how}, a route not stated for {e.name(whom)}")
    elif routed:
        said.append(f"the routes named for {_some(sorted({e.name(c.step.object) for _, _, c, _ in routed}))} differ between the two")
    for who, whom, routes in ((e.drug, e.versus, own_routes(e)), (e.versus, e.drug, e.other_routes)):
        if routes:
            said.append(f"{e.name(who)} has {len(routes)} route(s) here that {e.name(whom)} has not")
    why = empty_reason(e)
    if why:
        said.append(why)
    return f"Versus {other}: " + "; ".join(said) + "."


_LISTED = 4  # the summary names at most this many entities in a list, then counts


def _some(names: list[str]) -> str:
    return ", ".join(names) if len(names) <= _LISTED else f"{', '.join(names[:_LISTED])} and {len(names) - _LISTED} more"


def _shared_words(e: Findings, c: Contrast) -> str:
    """``IL2 (pomalidomide through its class)``: what both act on, and who only by a class's statement."""
    by_class = sorted(e.name(x) for x, yes in ((c.drug, "class_only" in c.statuses), (c.other, "shared_class" in c.statuses)) if yes)
    if not by_class:
        return e.name(c.step.object)
    return f"{e.name(c.step.object)} ({' and '.join(by_class)} through {'its' if len(by_class) == 1 else 'their'} class)"


def _route_line(e: Findings, p: Path) -> str:
    text = lead(e, p).rstrip(".")
    moving = [s for s in p.steps[: p.chain_length] if s.predicate not in STRUCTURAL]
    routes = "; ".join(dict.fromkeys(w for s in moving for w in [_route_words(e, s.relations, s.says_vias)] if w))
    return text + (f" ({routes})" if routes else "")


def lines(e: Findings) -> list[str]:
    """The text report's section on the other drug: every contrast with the other's relations
    cited, the other's own routes, and why the section is (nearly) empty when it is."""
    other = e.name(e.versus)
    out = [f"Versus {other}"]
    for c in e.contrasts:
        words = ", ".join(STATUS_WORDS[x].format(other=e.name(c.other)) for x in sorted(c.statuses, key=_WORD_ORDER.index))
        routes = _route_words(e, c.step.relations, c.step.says_vias)
        out.append(f"  {words}: {clause(e, c.step)}" + (f" ({routes})" if routes else ""))
        for r in c.other_relations:
            said = f"{e.name(r['_subject'])} {VERB[r['predicate']]} {e.name(r['_object'])} · " if "_subject" in r else ""
            out.append(f"      {e.name(c.other)}: {said}{citation(r)}")
    for who, whom, routes in ((e.drug, e.versus, own_routes(e)), (e.versus, e.drug, e.other_routes)):
        if routes:
            out += ["", f"  {e.name(who)}'s own routes to {e.name(e.target)} (none of {e.name(whom)}'s paths takes them):"]
            for i, p in enumerate(routes, 1):
                out.append(f"  {i}. [{p.kind}, {_group_of(e, p)}] {_route_line(e, p)}")
    why = empty_reason(e)
    if why:
        out.append(f"  {why[0].upper()}{why[1:]}.")
    return out + [""]


def _setting(e: Findings, r: dict) -> str:
    """Where a relation was observed: cell, disease, species."""
    bits = [e.name(r[k]) for k in ("q_cell_context", "q_disease_context") if r.get(k)]
    if r.get("q_species"):
        bits.append(r["q_species"])
    return " ".join(bits[:1]) + (f" ({', '.join(bits[1:])})" if len(bits) > 1 else "")


__all__ = ["STATUS_ORDER", "STATUS_WORDS", "contrast", "drug_steps", "empty_reason", "lines", "own_routes", "sentence", "signature"]
