"""An explanation as Neo4j Browser draws it: one row per reason, in rank order, each its path
matched step by step (:func:`imidgraph.browser.paths_cypher`), then the drug's standing."""

from __future__ import annotations

from ..browser import Row, Segment, paths_cypher
from .model import EVIDENCE_WEIGHT, PSEUDO, Findings, Path, Step
from .phrases import lead


def _strongest(step: Step) -> dict:
    """The relation a step's path is drawn with: its best evidence (the first by id of those)."""
    return max(step.relations, key=lambda r: EVIDENCE_WEIGHT[r["evidence"]])


def _cited(step: Step) -> list[Segment]:
    """One-step segments for every relation of a step (a pseudo-step's from where they stand)."""
    return [Segment(r.get("_subject", step.subject), ((r["id"], r.get("predicate", step.predicate)),)) for r in step.relations]


def path_row(e: Findings, group: str, rank: int, path: Path) -> Row:
    """A reason: the path through its relations up to its first pseudo-step (each step drawn with
    its best supported relation), and as one-step paths every other relation it rests on: the
    step's other relations, the binding a degradation goes via, the relations a pseudo-step
    cites, a folded summary statement, a trial's outcomes."""
    main: list[tuple[str, str]] = []
    cites: list[Segment] = []
    in_path = True
    for step in path.steps:
        in_path = in_path and step.predicate not in PSEUDO
        if in_path:
            best = _strongest(step)
            main.append((best["id"], step.predicate))
            cites += [c for c in _cited(step) if c.ids != [best["id"]]]
        else:
            cites += _cited(step)
        cites += [Segment(via, ((r["id"], r["predicate"]),)) for via, r in step.support]
    for step in path.outcomes + ((path.stated,) if path.stated else ()):
        cites += _cited(step)
    drawn = {i for i, _ in main}
    unique = {c.ids[0]: c for c in cites if c.ids[0] not in drawn}
    return Row(group, rank, path.kind, Segment(path.nodes[0], tuple(main)), tuple(unique.values()), lead(e, path))


def rows(e: Findings) -> list[Row]:
    """Every shown path, group by group (reasons, with a partner, trials, against, unsigned) in
    rank order, then each statement of the drug's standing."""
    out = [path_row(e, group, rank, p) for group, paths in e.groups.items() for rank, p in enumerate(paths, 1)]
    for rank, use in enumerate(e.uses, 1):
        best = _strongest(use)
        others = tuple(c for c in _cited(use) if c.ids != [best["id"]])
        says = f"{e.name(use.subject)} {use.predicate.replace('_', ' ')} {e.name(use.object)}"
        out.append(Row("standing", rank, use.predicate, Segment(use.subject, ((best["id"], use.predicate),)), others, says))
    return out


def cypher(e: Findings, title: str) -> str:
    return paths_cypher(title, rows(e))
