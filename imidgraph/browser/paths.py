"""Cypher to paste into Neo4j Browser: focused subgraphs, drawn as paths of our relations.

Browser draws what a query returns; with its *Connect result nodes* setting on (the default) it
then adds every relationship among the nodes shown, which turns a hub's neighbourhood into a
ball. So everything here returns **paths** of our relations only (``OWNER`` set) between our
nodes, and the guide and ``imidgraph browser`` switch that setting off (:data:`CONFIG_COMMAND`).

* :func:`neighbourhood_cypher` -- an entity's relations, each a one-step path.
* :func:`subgraph_cypher` -- exactly a given set of entities and relations.
* :func:`paths_cypher` -- given :class:`Segment` lists (rows: an explanation's reasons in rank
  order, or a drug's mechanism chains), one row per reason: its path, matched step by step by
  relation id and type, and the one-step paths of the relations it cites besides.
* :func:`mechanism` -- a drug's mechanism as such rows: drug -> target (and the ligase it is part
  of) -> neosubstrate -> effectors -> cell -> disease, at most about :data:`MAX_NODES` entities.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .. import schema
from ..cypher_text import cypher_comment, cypher_list, cypher_string
from ..model import Relation
from ..neo4j.vocabulary import ENTITY_LABEL, OWNER
from ..view.data import EVIDENCE_RANK
from ..view.layout import CATEGORY_LAYER, LAYERS

if TYPE_CHECKING:
    from ..embedded.graph import EmbeddedGraph

MAX_NODES = 40  # what one Browser picture holds readably
# Browser's own name for its "Connect result nodes" setting (Neo4j Browser 5.x)
CONFIG_COMMAND = ":config autoComplete: false"
CONFIG_NOTE = (
    "first run   :config autoComplete: false   (Browser's 'Connect result nodes' off: it draws "
    "only the relationships a query returns, not every one among the nodes shown)"
)
_OURS = f"{{var}}.{OWNER} IS NOT NULL"


def _ours(var: str) -> str:
    return _OURS.format(var=var)


# --------------------------------------------------------------------------- neighbourhoods


def neighbourhood_cypher(entity_id: str, label: str | None = None) -> str:
    """Cypher that draws an entity and every relation of ours in or out of it (one-step paths)."""
    comment = cypher_comment(f"{label}: every relation in or out") + "\n" if label else ""
    return (
        f"{comment}MATCH p = (n:{ENTITY_LABEL} {{id: {cypher_string(entity_id)}}})-[r WHERE {_ours('r')}]-(m:{ENTITY_LABEL})\n"
        "RETURN p"
    )


def subgraph_cypher(entity_ids: Iterable[str], relation_ids: Iterable[str], label: str | None = None) -> str:
    """Cypher that draws exactly these entities and relations (no other relation).

    ``entity_ids`` should include the relations' ends (the subgraph functions of
    :mod:`imidgraph.view` give them so); an entity without a relation is drawn alone.
    """
    entities = sorted(set(entity_ids))
    relations = sorted(set(relation_ids))
    comment = cypher_comment(label) + "\n" if label else ""
    return (
        f"{comment}MATCH (n:{ENTITY_LABEL}) WHERE n.id IN {cypher_list(entities)}\n"
        f"OPTIONAL MATCH (n)-[r WHERE {_ours('r')}]->(m:{ENTITY_LABEL}) WHERE r.id IN {cypher_list(relations)}\n"
        "RETURN n, r, m"
    )


# --------------------------------------------------------------------------- paths by their steps


@dataclass(frozen=True)
class Segment:
    """A path of relations from ``start``: each step a relation id and its predicate, in order."""

    start: str
    steps: tuple[tuple[str, str], ...]  # (relation id, predicate)

    @property
    def ids(self) -> list[str]:
        return [i for i, _ in self.steps]


@dataclass(frozen=True)
class Row:
    """One reason (or one chain of a mechanism): where it stands, its path, what it cites besides."""

    group: str
    rank: int
    kind: str
    path: Segment
    cites: tuple[Segment, ...] = field(default=())  # one-step segments: support, pseudo-steps, ...
    says: str = ""


def _segment_map(segment: Segment) -> str:
    types = [schema.rel_type(p) for _, p in segment.steps]
    return f"{{start: {cypher_string(segment.start)}, ids: {cypher_list(segment.ids)}, types: {cypher_list(types)}}}"


def paths_cypher(title: str, rows: Sequence[Row], note: str | None = None) -> str:
    """One statement: the rows as a list at its top (the only part that changes from one
    picture to the next), then for each, in order, its path matched step by step (relation id
    and type, ours only) and the one-step paths of the relations it cites besides.

    Columns: ``group``, ``rank``, ``kind``, ``says``, ``path``, ``cites`` (a list of paths).
    """
    longest = max((len(r.path.steps) for r in rows), default=0) or 1
    listed = ",\n  ".join(
        f"{{group: {cypher_string(r.group)}, rank: {r.rank}, kind: {cypher_string(r.kind)}, "
        f"says: {cypher_string(r.says)},\n   path: {_segment_map(r.path)},\n"
        f"   cites: [{', '.join(_segment_map(c) for c in r.cites)}]}}"
        for r in rows
    )
    lines = [cypher_comment(title)]
    if note:
        lines.append(cypher_comment(note))
    lines.append(f"// {CONFIG_NOTE}")
    return "\n".join(lines) + (
        f"\nUNWIND [\n  {listed}\n] AS row\n"
        "CALL (row) {\n"
        f"  MATCH p = (:{ENTITY_LABEL} {{id: row.path.start}})"
        f" (()-[x WHERE x.id IN row.path.ids AND {_ours('x')}]-(:{ENTITY_LABEL})){{0,{longest}}}\n"
        "  WHERE [s IN x | s.id] = row.path.ids AND [s IN x | type(s)] = row.path.types\n"
        "  RETURN p LIMIT 1\n"
        "}\n"
        "RETURN row.group AS group, row.rank AS rank, row.kind AS kind, row.says AS says, p AS path,\n"
        "       COLLECT { UNWIND row.cites AS c\n"
        f"                 MATCH q = (:{ENTITY_LABEL} {{id: c.start}})-[y WHERE y.id = c.ids[0] AND {_ours('y')}]-(:{ENTITY_LABEL})\n"
        "                 WHERE type(y) = c.types[0] RETURN q } AS cites"
    )


def row_relations(rows: Iterable[Row]) -> set[str]:
    """Every relation id the rows draw (their paths' and their cited ones)."""
    return {i for r in rows for s in (r.path, *r.cites) for i in s.ids}


def row_entities(kg: EmbeddedGraph, rows: Iterable[Row]) -> set[str]:
    """Every entity the rows draw."""
    found = set()
    for r in rows:
        for s in (r.path, *r.cites):
            found.add(s.start)
            for i in s.ids:
                relation = kg.relation(i)
                found |= {relation.subject, relation.object}
    return found


# --------------------------------------------------------------------------- a drug's mechanism

_LAYER = {layer.key: k for k, layer in enumerate(LAYERS)}
EFFECT_PREDICATES = ("increases", "decreases", "mediates", "produced_by")
MAX_STEPS = 5  # degrades, up to two effectors, the cell, the disease


def _best(relations: Iterable[Relation]) -> dict[tuple[str, str, str], Relation]:
    """The best supported relation of each (subject, predicate, object)."""
    best: dict[tuple[str, str, str], Relation] = {}
    for r in sorted(relations, key=lambda r: (EVIDENCE_RANK.get(r.evidence, 99), r.id)):
        best.setdefault((r.subject, r.predicate, r.object), r)
    return best


def _layer(kg: EmbeddedGraph, entity_id: str) -> int:
    return _LAYER[CATEGORY_LAYER.get(kg.facts.entities[entity_id].category, "effector")]


def _chains(kg: EmbeddedGraph, first: Relation) -> list[list[Relation]]:
    """Chains that start with ``first`` (a degradation) and go on, forward and never back a
    layer, through effects to a cell and the disease it contributes to."""
    found: list[list[Relation]] = []

    def walk(chain: list[Relation]) -> None:
        here = chain[-1].object
        if kg.facts.entities[here].category == "Disease":
            found.append(list(chain))
            return
        further = len(found)
        seen = {chain[0].subject} | {r.object for r in chain}
        for (_, predicate, there), r in sorted(_best(kg.relations_of(here, direction="out")).items()):
            if there in seen or len(chain) == MAX_STEPS:
                continue
            if predicate == "contributes_to":
                onward = kg.facts.entities[there].category == "Disease" and _layer(kg, here) >= _LAYER["effector"]
            else:
                onward = (predicate in EFFECT_PREDICATES and _layer(kg, here) < _LAYER["cell"]
                          and _LAYER["effector"] <= _layer(kg, there) <= _LAYER["cell"])  # fmt: skip
            if onward:
                walk(chain + [r])
        if len(found) == further and _layer(kg, here) == _LAYER["cell"]:
            found.append(list(chain))  # a chain to a cell that goes no further

    walk([first])
    return found


def arrows(kg: EmbeddedGraph, start: str, chain: Iterable[Relation]) -> str:
    """A chain in words: ``lenalidomide -binds-> CRBN <-has_part- CRL4-CRBN``."""
    here, words = start, [kg.name(start)]
    for r in chain:
        if r.subject == here:
            words.append(f"-{r.predicate}-> {kg.name(r.object)}")
            here = r.object
        else:
            words.append(f"<-{r.predicate}- {kg.name(r.subject)}")
            here = r.subject
    return " ".join(words)


def mechanism(kg: EmbeddedGraph, drug_id: str, max_nodes: int = MAX_NODES, via_class: bool = False) -> list[Row]:
    """A drug's mechanism as rows for :func:`paths_cypher`, at most ``max_nodes`` entities.

    First what it binds (with the complex the target is part of), then for each neosubstrate
    it degrades, in turns, its chains to a disease: those ending in a disease the drug is
    approved for first, then by their weakest evidence, shortest, by name. A chain is taken
    while the entities stay within ``max_nodes``; a neosubstrate with no chain is shown by its
    degradation alone. A drug that degrades nothing itself is shown through its classes'
    mechanisms (``subclass_of`` first). Empty if none of that is known.
    """
    out = kg.relations_of(drug_id, direction="out")
    approved = {r.object for r in out if r.predicate == "approved_for"}
    rows: list[list[Relation]] = []
    for (_, predicate, target), r in sorted(_best(out).items()):
        if predicate == "binds":
            parts = [p for p in kg.relations_of(target, direction="in", predicate="has_part")
                     if kg.facts.entities[p.subject].category == "Complex"]  # fmt: skip
            rows += [[r, p] for p in _best(parts).values()] or [[r]]
    turns: dict[str, list[list[Relation]]] = defaultdict(list)
    for (_, predicate, neo), r in sorted(_best(out).items(), key=lambda kv: kg.name(kv[0][2]).casefold()):
        if predicate != "degrades":
            continue

        def order(chain: list[Relation]) -> tuple:
            weakest = max(EVIDENCE_RANK.get(r.evidence, 99) for r in chain)
            ends = kg.facts.entities[chain[-1].object].category
            return (ends != "Disease", chain[-1].object not in approved, weakest, len(chain), [kg.name(r.object).casefold() for r in chain])

        turns[neo] = sorted(_chains(kg, r), key=order) or [[r]]
    for k in range(max((len(t) for t in turns.values()), default=0)):
        rows += [chains[k] for chains in turns.values() if k < len(chains)]
    if not turns and not via_class:  # a drug whose degradations are stated for its class
        for up in _best(r for r in out if r.predicate == "subclass_of").values():
            rows += [[up, *(kg.relation(i) for i in row.path.ids)] for row in mechanism(kg, up.object, max_nodes, True)]
    chosen: list[Row] = []
    shown: set[str] = set()
    for chain in rows:
        ends = {e for r in chain for e in (r.subject, r.object)}
        if len(shown | ends) > max_nodes:
            continue
        shown |= ends
        first = next(r.predicate for r in chain if r.predicate != "subclass_of")
        kind = "target" if first == "binds" else "chain" if len(chain) > 1 else "neosubstrate"
        steps = tuple((r.id, r.predicate) for r in chain)
        chosen.append(Row("mechanism", len(chosen) + 1, kind, Segment(drug_id, steps), says=arrows(kg, drug_id, chain)))
    return chosen


# --------------------------------------------------------------------------- what `imidgraph browser NAME` prints

MECHANISM_CATEGORIES = frozenset({"Drug", "DrugClass"})  # a hub of these is drawn by its mechanism


def entity_cypher(kg: EmbeddedGraph, entity_id: str, every: bool = False, max_nodes: int = MAX_NODES) -> str:
    """The Cypher that draws an entity readably: every relation in or out while they reach at
    most ``max_nodes`` entities; past that, a drug's (or a drug class's) :func:`mechanism`, and
    for anything else (or a drug of no known mechanism) one relation to each of as many
    neighbours as fit (:func:`_hub_relations`). ``every``: every relation, however many.
    A comment says which and what was left out."""
    entity = kg.facts.entities[entity_id]
    relations = kg.relations_of(entity_id)
    if every or len({e for r in relations for e in (r.subject, r.object)} | {entity_id}) <= max_nodes:
        return neighbourhood_cypher(entity_id, entity.name)
    if entity.category in MECHANISM_CATEGORIES:
        rows = mechanism(kg, entity_id, max_nodes)
        if rows:
            shown = len(row_entities(kg, rows))
            title = (f"{entity.name}: its mechanism, drug -> target (ligase) -> neosubstrate -> effector -> cell -> "
                     f"disease: {len(rows)} paths, {shown} entities ({len(relations)} relations in all: --all)")  # fmt: skip
            return paths_cypher(title, rows)
    chosen = _hub_relations(kg, entity_id, relations, max_nodes - 1)
    rows = [Row("neighbourhood", k, r.predicate, Segment(entity_id, ((r.id, r.predicate),)), says=arrows(kg, entity_id, [r]))
            for k, r in enumerate(chosen, 1)]  # fmt: skip
    title = f"{entity.name}: {len(rows)} of its {len(relations)} relations, one to each neighbour, the best supported (--all: every one)"
    return paths_cypher(title, rows)


def _hub_relations(kg: EmbeddedGraph, entity_id: str, relations: list[Relation], room: int) -> list[Relation]:
    """One relation to each of ``room`` neighbours: each neighbour's best supported relation,
    the predicates taking turns (alphabetically), each giving its best neighbour per turn."""
    best: dict[str, Relation] = {}
    for r in sorted(relations, key=lambda r: (EVIDENCE_RANK.get(r.evidence, 99), r.predicate, r.id)):
        other = r.object if r.subject == entity_id else r.subject
        best.setdefault(other, r)
    turns: dict[str, list[Relation]] = defaultdict(list)
    for _other, r in sorted(best.items(), key=lambda kv: (EVIDENCE_RANK.get(kv[1].evidence, 99), kg.name(kv[0]).casefold(), kv[0])):
        turns[r.predicate].append(r)
    ranked = [turn[k] for k in range(max(map(len, turns.values()), default=0)) for _, turn in sorted(turns.items()) if k < len(turn)]
    return ranked[:room]
