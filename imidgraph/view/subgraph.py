"""Which subgraph to draw: an entity's neighbourhood, capped so that no hub fills the picture,
as a :class:`Subgraph` that renders itself (and shows inline in Jupyter)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..model import Relation
from .data import EVIDENCE_RANK
from .notebook import loader, notebook_html
from .page import render_html

if TYPE_CHECKING:
    from ..embedded.graph import EmbeddedGraph

DEFAULT_MAX_RELATIONS = 200
MAX_DEPTH = 3


@dataclass(frozen=True)
class Subgraph:
    """Entities and relations to draw (ids), the entities it is about, and what was left out."""

    entities: tuple[str, ...]
    relations: tuple[str, ...]
    focus: tuple[str, ...] = ()
    omitted: int = 0  # relations within reach that the cap left out
    kg: Any = field(default=None, repr=False, compare=False)  # the graph it was taken from

    def to_html(self, title: str | None = None, note: str | None = None, loader: str | None = None) -> str:
        """The subgraph as one self-contained page (:func:`render_html`; ``loader``: a notebook's)."""
        if self.kg is None:
            raise ValueError("this subgraph does not know its graph: use render_html(kg, ...)")
        if title is None:
            title = ", ".join(self.kg.name(i) for i in self.focus) or "subgraph"
        if note is None and self.omitted:
            note = f"{self.omitted} more relations left out"
        return render_html(self.kg, self.entities, self.relations, title=title, highlight=self.focus, note=note,
                           loader=loader)  # fmt: skip

    def _repr_html_(self) -> str:
        """Jupyter shows the same page inline, in an iframe, its libraries shared (:mod:`.notebook`)."""
        return notebook_html(self.to_html(loader=loader()))


def neighbourhood(
    kg: EmbeddedGraph, name: str, depth: int = 1, max_relations: int = DEFAULT_MAX_RELATIONS
) -> Subgraph:
    """An entity, every relation in or out of it, and so on ``depth`` steps out.

    At most ``max_relations`` relations: a step is taken whole while it fits. Of the step
    that does not fit, relations among entities already shown come first; the room left is
    then shared in turns among the entities the step starts from (alphabetically), each
    giving its best supported relation per turn, so that one hub cannot fill the picture.
    ``omitted`` counts the rest of that step, and no step further out is taken. Raises
    :class:`~imidgraph.names.UnknownEntity` / :class:`~imidgraph.names.AmbiguousName`.
    """
    if not 1 <= depth <= MAX_DEPTH:
        raise ValueError(f"depth must be 1 to {MAX_DEPTH}, not {depth}")
    if max_relations < 1:
        raise ValueError("max_relations must be at least 1")
    focus = kg.entity(name).id
    shown = {focus}
    chosen: dict[str, Relation] = {}
    frontier = {focus}
    omitted = 0
    for _ in range(depth):
        ranked = _ranked(kg, frontier, shown, chosen)
        room = max_relations - len(chosen)
        taken, left = ranked[:room], ranked[room:]
        omitted += len(left)
        for relation in taken:
            chosen[relation.id] = relation
        reached = {end for r in taken for end in (r.subject, r.object)}
        frontier = reached - shown
        shown |= reached
        if left or not frontier:  # the cap is reached, or nothing further out
            break
    return Subgraph(
        entities=tuple(sorted(shown)),
        relations=tuple(sorted(chosen)),
        focus=(focus,),
        omitted=omitted,
        kg=kg,
    )


def _ranked(
    kg: EmbeddedGraph, frontier: set[str], shown: set[str], chosen: dict[str, Relation]
) -> list[Relation]:
    """The relations of ``frontier`` not yet chosen, in the order the cap takes them."""
    inside: list[Relation] = []
    turns: list[list[Relation]] = []
    seen = set(chosen)
    for node in sorted(frontier, key=lambda n: (kg.name(n).casefold(), n)):
        own = []
        for relation in kg.relations_of(node):
            if relation.id in seen:
                continue
            seen.add(relation.id)
            if relation.subject in shown and relation.object in shown:
                inside.append(relation)
            else:
                own.append(relation)
        turns.append(sorted(own, key=lambda r: _strength(kg, r)))
    ranked = sorted(inside, key=lambda r: _strength(kg, r))
    for k in range(max((len(t) for t in turns), default=0)):
        ranked += [turn[k] for turn in turns if k < len(turn)]
    return ranked


def _strength(kg: EmbeddedGraph, relation: Relation) -> tuple:
    return (
        EVIDENCE_RANK.get(relation.evidence, len(EVIDENCE_RANK)),
        relation.predicate,
        kg.name(relation.subject).casefold(),
        kg.name(relation.object).casefold(),
        relation.id,
    )
