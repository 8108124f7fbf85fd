"""Ranking: a path's score, class echoes, folding summary statements (``--versus`` is in versus.py).

score = evidence × specificity × context × mechanism (docs/explain.md#ranking).
"""

from __future__ import annotations

import math
from dataclasses import replace

from .model import (
    CONTEXT_BONUS,
    DAMPING,
    ELSEWHERE,
    PSEUDO,
    SECONDARY,
    SECONDARY_KINDS,
    STRUCTURAL,
    Path,
    Step,
)
from .signs import chain_sign


def rank(kind: str, nodes: tuple[str, ...], steps: tuple[Step, ...], context_ids: set[str], entities: dict, mode: str) -> Path:
    weights = [s.weight for s in steps if s.predicate not in STRUCTURAL and s.relations]
    evidence = math.prod(weights) ** (1 / len(weights)) if weights else 1.0
    specificity = math.prod(max(entities[n]["degree"], 1) ** -DAMPING for n in nodes[1:-1])
    real = [s for s in steps if s.predicate not in PSEUDO]
    in_context = any(
        r.get("q_disease_context") in context_ids or context_ids & set(r.get("q_combined_with") or [])
        for s in steps
        for r in s.relations
    )
    # a step every relation of which was observed in some other disease
    elsewhere = mode == "condition" and any(
        all(r.get("q_disease_context") not in (None, *context_ids) for r in s.relations) for s in real if s.relations
    )
    context = CONTEXT_BONUS if in_context else ELSEWHERE if elsewhere else 1.0
    mechanism = SECONDARY if kind in SECONDARY_KINDS.get(mode, ()) else 1.0
    return Path(kind, nodes, steps, evidence, specificity, context, mechanism)


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
    into a longer path that starts the same way, ends the same way (from the summary's object
    on) and has the same sign: when the summary names intermediates (``via``), the one through
    the most of them (at least two, or all if fewer); then the longest; then the best
    scoring; the first of equals (rows always come in one order).
    """
    folded: dict[int, Path] = {}
    dropped: set[int] = set()
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
        vias = summary.vias
        best, best_key = None, None
        for q in paths:
            if id(q) in folded or q is p or q.nodes[: start + 1] != p.nodes[: start + 1] or len(q.steps) <= start:
                continue
            if q.steps[start].predicate in STRUCTURAL:  # the same start, not through a class
                continue
            if p.kind == "potentiates":
                fits = q.kind == "partner" and q.nodes[q.chain_length + 1 :] == tail and q.benefit == p.benefit
                inner = q.nodes[start + 1 : q.chain_length + 1]
            else:
                fits = (
                    q.kind == p.kind
                    and q.nodes[q.chain_length :] == tail
                    and chain_sign(q.steps[: q.chain_length]) == chain_sign(p.steps[:k])
                    and q.benefit == p.benefit
                )
                inner = q.nodes[start + 1 : q.chain_length]
            covered = len(vias & set(inner))
            if not fits or covered < min(2, len(vias)):
                continue
            key = (covered, q.chain_length, q.own_score)
            if best_key is None or key > best_key:
                best, best_key = q, key
        if best is not None:
            folded[id(best)] = replace(best, stated=summary, stated_score=p.own_score)
            dropped.add(id(p))
    return [folded.get(id(p), p) for p in paths if id(p) not in dropped]


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
