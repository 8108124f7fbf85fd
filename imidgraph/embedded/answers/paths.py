"""The twin of ``cypher/explain_paths.cypher``: the candidate mechanism paths from a drug to a
target, found on the embedded graph (docs/explain.md)."""

from __future__ import annotations

import weakref
from collections.abc import Iterator

from ..graph import EmbeddedGraph
from .rows import Row, _distinct, _node, _order, implements

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


def _links(kg: EmbeddedGraph, node: str, predicates: frozenset[str], out: bool) -> list[tuple[str, str]]:
    """(neighbour, predicate) of the relations leaving (or entering) ``node``, each pair once."""
    return sorted({(x, p) for x, p in kg.compact.links(node, out) if p in predicates})


def _subclass_paths(kg: EmbeddedGraph, start: str, up: bool, depth: int | None = _DEPTH) -> list[list[str]]:
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


def _given_with(kg: EmbeddedGraph, heads: set[str]) -> set[str]:
    """The agents given with any of ``heads`` (the drug, its classes, its members) in the
    sources: ``given_with`` (either way), the drug ``potentiates`` them, another part of a
    regimen (``has_part``) or another arm of a trial (``tested``) that holds the drug, or named
    in ``combined_with`` by a relation of the drug, or naming the drug in one of their own."""
    graph, found = kg.compact, set()
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


def _combined(kg: EmbeddedGraph) -> list[tuple[str, frozenset[str]]]:
    """(subject, the agents named in combined_with) of every relation that names some, read once per graph."""
    graph = kg.compact
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


def _relations(kg: EmbeddedGraph, s: str, o: str) -> list[dict]:
    return list(kg.compact.succ[s][o].values()) if o in kg.compact.succ[s] else []


@implements("explain_paths")
def explain_paths(kg: EmbeddedGraph, drug: str, target: str) -> list[Row]:
    """The paths of ``cypher/explain_paths.cypher``, found on the embedded graph.

    Paths are enumerated once per distinct (entity, predicate, entity) step: parallel
    relations give the same row, which the Cypher's DISTINCT collapses too.
    """
    if _node(kg, drug) is None or _node(kg, target) is None:
        return []
    nodes, graph = kg.compact.nodes, kg.compact
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

    def once(fn):
        """``fn``'s answer for each argument computed once per search (the graph is read-only;
        an answer is never changed by its callers)."""
        answers: dict = {}

        def answer(*args):
            if args not in answers:
                answers[args] = fn(*args)
            return answers[args]

        return answer

    @once
    def contains_drug(x: str) -> bool:
        """x is a regimen that holds the drug (or its class or member): (x)-[:HAS_PART*1..2]->(head)."""
        parts = {o for o, _ in links(x, frozenset({"has_part"}), True)}
        parts |= {o for y in parts for o, _ in links(y, frozenset({"has_part"}), True)}
        return bool(parts & heads_of_drug)

    @once
    def real_partner(p: str) -> bool:
        """p (itself, a class of it or a member of it) was given with the drug in the sources,
        and p is no regimen that holds the drug."""
        if contains_drug(p):
            return False
        related = {p} | {c[-1] for c in _subclass_paths(kg, p, up=True, depth=None)}
        related |= {c[-1] for c in _subclass_paths(kg, p, up=False, depth=None)}
        return bool(related & given)

    @once
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

    @once
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
        return m in uses_via(s)

    @once
    def uses_via(s: str) -> set[str]:
        """What the uses of (and harms to) the target or its members by s go via."""
        return {x for y in down for r in relations(s, y) if r["predicate"] in _USES_AND_HARMS for x in r.get("q_via") or ()}

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
