"""A drug's mechanism at a glance: which entities of its neighbourhood a page draws at first
(the core route, the strongest cited relations) and how the rest is grouped, one click away."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

from ..model import Relation
from .data import EVIDENCE_RANK
from .layout import LAYERS, layers
from .page import render_html
from .subgraph import neighbourhood

if TYPE_CHECKING:
    from ..embedded.graph import EmbeddedGraph

# The mechanism route, left to right, and how many entities of each layer stand on it at
# first (the drug alone in its layer). With at most one group node a layer (three for the
# uses, one for each band apart), a summary draws at most MAX_NODES nodes.
ROUTE = ("drug", "target", "neosubstrate", "effector", "cell", "use")
ON_ROUTE = {"drug": 1, "target": 3, "neosubstrate": 6, "effector": 7, "cell": 5, "use": 4}
MAX_NODES = 40
ROWS = 8  # nodes a layer's column holds in a summary (its groups too), so that it reads at zoom 1
USE_KINDS = {  # a use's kind: the strongest use predicate from the drug, in this order
    "approved_for": "approved for",
    "studied_clinically_for": "studied clinically for",
    "active_preclinically_in": "active preclinically in",
}
_LABELS = {layer.key: layer.label for layer in LAYERS}


@dataclass(frozen=True)
class Summary:
    """A drug's neighbourhood as a summary: every entity and relation the page holds, the
    ``core`` entities drawn at first, the ``route`` relations drawn between them, and the
    groups (key, label, layer, member ids) that stand for the rest until expanded."""

    entities: tuple[str, ...]
    relations: tuple[str, ...]
    focus: tuple[str, ...]
    core: tuple[str, ...]
    route: tuple[str, ...]
    groups: tuple[tuple[str, str, str, tuple[str, ...]], ...]
    kg: Any = field(default=None, repr=False, compare=False)

    @property
    def drawn(self) -> int:
        """Nodes drawn at first: the core entities and one node a group."""
        return len(self.core) + len(self.groups)

    def collapse(self) -> dict:
        """What :func:`~imidgraph.view.page_data` needs to draw it collapsed."""
        return {"route": list(self.route), "groups": [[k, label, layer, list(m)] for k, label, layer, m in self.groups]}

    def to_html(self, title: str | None = None, note: str | None = None, scripts_at: str | None = None) -> str:
        title = title or ", ".join(self.kg.name(i) for i in self.focus)
        return render_html(self.kg, self.entities, self.relations, title=title, highlight=self.focus, note=note,
                           collapse=self.collapse(), scripts_at=scripts_at)  # fmt: skip


def _slug(label: str) -> str:
    return re.sub(r"\W+", "-", label).strip("-")


def _support(members: list[Relation]) -> tuple:
    """How strongly a drawn edge is cited: its best evidence level, then how many sources and
    statements say it."""
    return (
        min(EVIDENCE_RANK.get(r.evidence, len(EVIDENCE_RANK)) for r in members),
        -len({r.citation.source for r in members}),
        -len(members),
    )


def summary(kg: EmbeddedGraph, name: str) -> Summary:
    """A drug's summary: its neighbourhood (every relation in or out of it) and the relations
    among its neighbours that step along the route, with the core chosen layer by layer.

    Along :data:`ROUTE`, each layer's entities are ranked by their best link to an entity
    already chosen (an earlier layer; the next layer's link first, then the link's evidence
    level, its sources and statements, then the entity's links in all) and the first
    :data:`ON_ROUTE` stand on the route, then the next best of each layer in turn while the
    picture stays within :data:`MAX_NODES` nodes and each column within :data:`ROWS`. The edge that brought each one is drawn,
    with every edge between chosen entities of neighbouring layers. The rest of each layer is a group,
    the uses by kind (how the drug is used for them), side effects and resistance one each.
    """
    sub = neighbourhood(kg, name, max_relations=10**9)
    drug = sub.focus[0]
    entities = set(sub.entities)
    own = [kg.relation(i) for i in sub.relations]
    layer = layers(kg, entities, own)
    inner = {}
    for e in sorted(entities - {drug}):
        for r in kg.relations_of(e):
            if drug not in (r.subject, r.object) and r.subject in entities and r.object in entities:
                a, b = layer[r.subject], layer[r.object]
                if a in ROUTE and b in ROUTE and a != b:
                    inner[r.id] = r
    relations = own + sorted(inner.values(), key=lambda r: r.id)
    layer = layers(kg, entities, relations)  # as the page places them
    edges: dict[tuple[str, str, str], list[Relation]] = defaultdict(list)
    for r in relations:
        edges[(r.subject, r.predicate, r.object)].append(r)
    links: dict[str, list[tuple[str, tuple]]] = defaultdict(list)  # entity -> (other end, edge key)
    for key in edges:
        links[key[0]].append((key[2], key))
        links[key[2]].append((key[0], key))
    step = {k: i for i, k in enumerate(ROUTE)}

    chosen = {drug}
    route: set[tuple] = set()
    waiting: dict[str, list[tuple[str, tuple]]] = {}  # each layer's ranked entities not yet chosen
    for here in ROUTE[1:]:
        ranked = []
        for e in sorted(x for x in entities if layer[x] == here):
            best = None
            for other, key in links[e]:
                if other in chosen and step.get(layer[other], 99) < step[here]:
                    rank = (step[here] - step[layer[other]] > 1, *_support(edges[key]))
                    if best is None or rank < best[0]:
                        best = (rank, key)
            if best is not None:
                ranked.append((best[0], -len(links[e]), kg.name(e).casefold(), e, best[1]))
        ranked = [(e, key) for *_, e, key in sorted(ranked)]
        for e, key in ranked[: ON_ROUTE[here]]:
            chosen.add(e)
            route.add(key)
        waiting[here] = ranked[ON_ROUTE[here] :]

    def grouped(chosen: set[str]) -> list[tuple[str, str, str, tuple[str, ...]]]:
        groups = []
        rest = sorted((e for e in entities if e not in chosen), key=lambda e: (kg.name(e).casefold(), e))
        for key in [*ROUTE[:-1], "use", "side_effect", "resistance"]:
            members = [e for e in rest if layer[e] == key]
            if key == "use":
                kinds: dict[str, list[str]] = defaultdict(list)
                for e in members:
                    used = {r.predicate for r in own if r.object == e and r.subject == drug} & set(USE_KINDS)
                    kinds[next((USE_KINDS[p] for p in USE_KINDS if p in used), "other uses & questions")].append(e)
                for label in [*USE_KINDS.values(), "other uses & questions"]:
                    if kinds.get(label):
                        groups.append((_slug(label), label, "use", tuple(kinds[label])))
            elif members:
                more = "more " if key in ROUTE else ""
                groups.append((_slug(more + _LABELS[key]), more + _LABELS[key], key, tuple(members)))
        return groups

    # room left under MAX_NODES: the next best of each layer in turn, while it fits
    groups = grouped(chosen)
    while any(waiting.values()):
        for here in ROUTE[1:]:
            if waiting[here]:
                e, key = waiting[here].pop(0)
                more = grouped(chosen | {e})
                rows = sum(1 for i in chosen if layer[i] == here) + 1 + sum(1 for g in more if g[2] == here)
                if len(chosen) + 1 + len(more) <= MAX_NODES and rows <= ROWS:
                    chosen.add(e)
                    route.add(key)
                    groups = more
                else:
                    waiting[here] = []
    for key in edges:
        s, o = key[0], key[2]
        if s in chosen and o in chosen and abs(step[layer[s]] - step[layer[o]]) == 1:
            route.add(key)
    route_ids = sorted(r.id for key in route for r in edges[key])
    return Summary(
        entities=tuple(sorted(entities)),
        relations=tuple(r.id for r in relations),
        focus=(drug,),
        core=tuple(sorted(chosen)),
        route=tuple(route_ids),
        groups=tuple(groups),
        kg=kg,
    )
