"""Ranking: a path's score, class echoes, folding summary statements (``--versus`` is in versus.py).

score = evidence × specificity × context × mechanism × novelty; the order of each group
(:func:`arrange`): docs/explain.md#5-ranking.
"""

from __future__ import annotations

import heapq
import math
from dataclasses import replace

from .model import (
    CONTEXT_BONUS,
    DAMPING,
    ELSEWHERE,
    NOVELTY,
    PSEUDO,
    SECONDARY,
    SECONDARY_KINDS,
    STRUCTURAL,
    Findings,
    Path,
    Step,
)
from .signs import chain_sign, step_sign


def rank(
    kind: str,
    nodes: tuple[str, ...],
    steps: tuple[Step, ...],
    context_ids: set[str],
    entities: dict,
    mode: str,
    down: set[str] | None = None,
) -> Path:
    """Score a path (evidence × specificity × context × mechanism) and, for a disease, say where
    its evidence comes from when not from the disease itself (``borrowed``, ``tier``).

    ``down`` is the target and its subtypes (the disease's own), ``context_ids`` that and the
    target's parents (compatible, but a parent's fact is borrowed)."""
    down = context_ids if down is None else down
    weights = [s.weight for s in steps if s.predicate not in STRUCTURAL and s.relations]
    evidence = math.prod(weights) ** (1 / len(weights)) if weights else 1.0
    specificity = math.prod(max(entities[n]["degree"], 1) ** -DAMPING for n in nodes[1:-1])
    real = [s for s in steps if s.predicate not in PSEUDO and s.predicate not in STRUCTURAL]
    in_context = any(
        r.get("q_disease_context") in down or context_ids & set(r.get("q_combined_with") or [])
        for s in steps
        for r in s.relations
    )
    # a step every relation of which was observed in some other disease (not the target, a
    # subtype or a parent of it)
    away = [s for s in real if s.relations and all(r.get("q_disease_context") not in (None, *context_ids) for r in s.relations)]
    elsewhere = mode == "condition" and bool(away)
    context = CONTEXT_BONUS if in_context else ELSEWHERE if elsewhere else 1.0
    mechanism = SECONDARY if kind in SECONDARY_KINDS.get(mode, ()) else 1.0
    borrowed: list[str] = []
    tier = 0
    if mode == "condition":
        stated_for = _stated_for(nodes, steps)
        if stated_for is not None:
            borrowed.append(f"stated for {entities[stated_for]['name']}")
        for s in away:
            borrowed.append(_seen(s, entities))
        # the disease's own evidence: its own link to the disease, or a step seen in it (the Treg
        # rise seen in myeloma patients, with the fact that Tregs feed B-cell neoplasms)
        own = stated_for is None or any(r.get("q_disease_context") in down for s in real for r in s.relations)
        tier = (not own) + bool(away)
    return Path(kind, nodes, steps, evidence, specificity, context, mechanism, borrowed=tuple(dict.fromkeys(borrowed)), tier=tier)


def _stated_for(nodes: tuple[str, ...], steps: tuple[Step, ...]) -> str | None:
    """The ancestor of the target a path reaches it through (its last steps go up from the
    target: ``multiple myeloma is a B-cell neoplasm``), if any: the fact is stated for it."""
    up = 0
    for s in reversed(steps):
        if s.predicate not in STRUCTURAL or s.forward:
            break
        up += 1
    return nodes[-1 - up] if up else None


def _seen(step: Step, entities: dict) -> str:
    """Where a step borrowed from another disease was observed: ``seen in chronic lymphocytic
    leukemia``; ``shown in mouse ...`` when every relation of it is in a non-human species."""
    diseases = sorted({entities.get(d, {}).get("name", d) for r in step.relations for d in [r["q_disease_context"]]})
    species = {r.get("q_species") for r in step.relations}
    if None not in species and "human" not in species:
        return f"shown in {'/'.join(sorted(species))} {', '.join(diseases)}"
    return f"seen in {', '.join(diseases)}"


def without_class_echoes(paths: list[Path]) -> list[Path]:
    """Drop a path that goes through the drug's class (or, for a class, through a member) when
    the drug's own statements make the same path without it (lenalidomide raises M1 macrophages
    itself; no need for "lenalidomide is an IMiD; IMiDs raise M1 macrophages")."""
    own = {(p.kind, p.nodes, tuple(s.predicate for s in p.steps)) for p in paths}

    def echo(p: Path) -> bool:
        if not (p.via_class or p.via_member):
            return False
        n = p.head
        if p.chain_length <= n:
            return False
        nodes = p.nodes[:1] + p.nodes[n + 1 :]
        return (p.kind, nodes, tuple(s.predicate for s in p.steps[n:])) in own

    return [p for p in paths if not echo(p)]


def fold(paths: list[Path]) -> list[Path]:
    """Fold each summary path into the longer path that shows its mechanism step by step.

    A summary path has a single mechanism step (or a single ``potentiates`` step). It folds
    into the longer paths that start the same way, end the same way (from the summary's object
    on) and have the same sign (or, for a potentiation, whose one unsigned step is the partner
    binding what the drug acts on: the statement signs that route, :func:`_signed_by_statement`):
    when the summary names intermediates (``via``), those through the most of them (at least
    two, or all if fewer: :func:`_covered`), then the longest. Every path of that best kind
    takes the summary: "lenalidomide kills myeloma cells via IKZF1, IKZF3, IRF4 and
    MYC" says as much for the IKZF1 route as for the IKZF3 one (giving it to one of them made
    the other rank far below it on a tie broken by degree).
    """
    folded: dict[int, Path] = {}
    dropped: set[int] = set()
    by_prefix: dict[int, dict[tuple[str, ...], list[Path]]] = {}  # paths by their first n nodes

    def starting(prefix: tuple[str, ...]) -> list[Path]:
        n = len(prefix)
        if n not in by_prefix:
            index: dict[tuple[str, ...], list[Path]] = {}
            for q in paths:
                index.setdefault(q.nodes[:n], []).append(q)
            by_prefix[n] = index
        return by_prefix[n].get(prefix, [])

    for p in paths:
        if p.kind in ("observed", "trial"):
            continue
        k = p.chain_length
        moving = [s for s in p.steps[:k] if s.predicate not in STRUCTURAL]
        if p.kind == "potentiates" and not moving:
            summary, start, tail = p.steps[k], k, p.nodes[k + 1 :]
        elif len(moving) == 1:
            summary, start, tail = moving[0], k - 1, p.nodes[k:]
        else:
            continue
        best, best_key = [], None
        for q in starting(p.nodes[: start + 1]):
            if id(q) in folded or q is p or len(q.steps) <= start:
                continue
            if q.steps[start].predicate in STRUCTURAL:  # the same start, not through a class
                continue
            if p.kind == "potentiates":
                fits = (
                    q.kind == "partner"
                    and q.nodes[q.chain_length + 1 :] == tail
                    and (q.benefit == p.benefit or (p.benefit and _signed_by_statement(q)))
                )
                inner = q.nodes[start + 1 : q.chain_length + 1]
            else:
                fits = (
                    q.kind == p.kind
                    and q.nodes[q.chain_length :] == tail
                    and chain_sign(q.steps[: q.chain_length]) == chain_sign(p.steps[:k])
                    and q.benefit == p.benefit
                )
                inner = q.nodes[start + 1 : q.chain_length]
            if not fits:
                continue
            covered = _covered(summary, set(inner))
            if covered is None:
                continue
            key = (covered, q.chain_length)
            if best_key is None or key > best_key:
                best, best_key = [q], key
            elif key == best_key:
                best.append(q)
        for q in best:
            folded[id(q)] = replace(q, stated=summary, stated_score=p.own_score, benefit=p.benefit)
        if best:
            dropped.add(id(p))
    return [folded.get(id(p), p) for p in paths if id(p) not in dropped]


def _covered(summary: Step, inner: set[str]) -> int | None:
    """How many of the summary's ``via`` entities a longer path goes through, by the relation
    that names most of them: at least two of a relation's, or all if it names fewer (None when
    no relation's are covered so; 0 when none names any). Two statements of one step (lenalidomide enhances MOR202 via
    CD38; via CYP27B1 and vitamin D) are each a route of their own."""
    named = [set(r["q_via"]) for r in summary.relations if r.get("q_via")]
    if not named:
        return 0  # a summary that names no route folds into the longest
    best = None
    for vias in named:
        n = len(vias & inner)
        if n >= min(2, len(vias)) and (best is None or n > best):
            best = n
    return best


def _signed_by_statement(q: Path) -> bool:
    """A partner route whose one step of no stated direction is the partner binding the entity
    the drug acts on (pomalidomide raises CD38; MOR202 binds CD38): a stated potentiation
    through that entity (pomalidomide enhances MOR202 via CD38) gives it its direction."""
    if q.benefit != 0 or len(q.steps) <= q.chain_length:
        return False
    partner = q.steps[q.chain_length]
    unsigned = [s for s in q.steps if s.predicate not in PSEUDO and step_sign(s) == 0]
    return partner.predicate == "binds" and unsigned == [partner] and chain_sign(q.steps[: q.chain_length]) != 0


def mark_conflicts(paths: list[Path]) -> list[Path]:
    """A path whose route (entities and ending) is also stated with the opposite net effect:
    both are kept, each marked as conflicting (in vitro vs patients)."""
    ends: dict[tuple, set[int]] = {}

    def way(p: Path) -> int:
        return p.effect if p.kind == "reach" else p.benefit

    for p in paths:
        if way(p) and p.kind != "trial":
            ends.setdefault((p.kind, p.nodes), set()).add(way(p))
    return [replace(p, conflict=True) if len(ends.get((p.kind, p.nodes), ())) > 1 else p for p in paths]


def arrange(e: Findings) -> None:
    """Put every group of ``e`` in its final order (docs/explain.md#5-ranking):

    1. for a class asked about, its own statements before its members';
    2. the disease's own evidence before borrowed evidence (``tier``: a parent's fact with no
       step seen in the disease, a step seen only in another disease);
    3. distinct mechanisms before variants of one: picked best first, a path's score counts
       ``NOVELTY ** k``, k its mechanism entities (``Path.mechanism_entities``) that a path
       placed above it in the group already showed (maximal marginal relevance); a statement
       made for the drug's class competes here, its hub already costing it specificity;
    4. then the path's own score, fewer steps, names.
    """
    for group in e.every_group.values():
        group[:] = diversified(group, e.entities, e.target)


def diversified(paths: list[Path], entities: dict, target: str) -> list[Path]:
    """Greedy maximal marginal relevance, evaluated lazily: a path's key only gets worse as more
    entities are shown, so a popped key that is still current is the best of all (CELF)."""
    static = [(p.via_member, p.tier, set(p.mechanism_entities) - {target}, p.base_score, _tie(p, entities)) for p in paths]
    shown: set[str] = set()
    heap = [(_pick_key(static[i], shown), i) for i in range(len(paths))]
    heapq.heapify(heap)
    placed = []
    while heap:
        key, i = heapq.heappop(heap)
        current = _pick_key(static[i], shown)
        if current != key:
            heapq.heappush(heap, (current, i))
            continue
        mech = static[i][2]
        repeats = mech & shown
        p = paths[i]
        placed.append(replace(p, novelty=NOVELTY ** len(repeats), repeats=tuple(sorted(repeats))) if repeats else p)
        shown |= mech
    return placed


def _pick_key(static: tuple, shown: set[str]) -> tuple:
    member, tier, mech, base, tie = static
    return (member, tier, -base * NOVELTY ** len(mech & shown), tie)


def _tie(p: Path, entities: dict) -> tuple:
    return (-p.own_score, len(p.steps), [entities[n]["name"] for n in p.nodes], [s.predicate for s in p.steps])


def order_key(entities: dict):
    """Best first; statements made for the drug's class (or, for a class, for its members) after
    the drug's own; ties by length, names."""
    return lambda p: (
        p.via_class or p.via_member,
        -p.score,
        len(p.steps),
        [entities[n]["name"] for n in p.nodes],
        [s.predicate for s in p.steps],
    )
