"""Offline pictures: a subgraph as one self-contained HTML page.

The page needs no network: its script, style and data are inline, and its Content Security
Policy lets it load nothing else. It draws the subgraph (nodes coloured by category with the
palette of :mod:`imidgraph.style`, edges labelled with their predicates, a legend), and a
click on a node or an edge shows its details and citations in a side panel.

A subgraph is given as entity ids and relation ids, so any selection can be drawn::

    sub = neighbourhood(kg, "CSNK1A1")                  # an entity and its relations
    page = render_html(kg, sub.entities, sub.relations, title="CSNK1A1", highlight=sub.focus)
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from . import schema, style
from .model import Relation

if TYPE_CHECKING:
    from .graph import KnowledgeGraph

DEFAULT_MAX_RELATIONS = 200
MAX_DEPTH = 3
_EVIDENCE_RANK = {level: rank for rank, level in enumerate(schema.EVIDENCE_LEVELS)}


@dataclass(frozen=True)
class Subgraph:
    """Entities and relations to draw (ids), the entities it is about, and what was left out."""

    entities: tuple[str, ...]
    relations: tuple[str, ...]
    focus: tuple[str, ...] = ()
    omitted: int = 0  # relations within reach that the cap left out


def neighbourhood(
    kg: KnowledgeGraph, name: str, depth: int = 1, max_relations: int = DEFAULT_MAX_RELATIONS
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
    )


def _ranked(
    kg: KnowledgeGraph, frontier: set[str], shown: set[str], chosen: dict[str, Relation]
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


def _strength(kg: KnowledgeGraph, relation: Relation) -> tuple:
    return (
        _EVIDENCE_RANK.get(relation.evidence, len(_EVIDENCE_RANK)),
        relation.predicate,
        kg.name(relation.subject).casefold(),
        kg.name(relation.object).casefold(),
        relation.id,
    )


# --------------------------------------------------------------------------- the page


def page_data(
    kg: KnowledgeGraph,
    entity_ids: Iterable[str],
    relation_ids: Iterable[str],
    title: str,
    highlight: Iterable[str] = (),
    note: str | None = None,
) -> dict:
    """What the page draws, as plain JSON-ready data (also useful for tests).

    Relations with the same subject, predicate and object are one drawn edge listing each
    relation's citation. Entities at the ends of a relation are added if missing. Unknown ids
    raise :class:`KeyError`.
    """
    relations = [_relation(kg, rid) for rid in dict.fromkeys(relation_ids)]
    entity_order = list(dict.fromkeys(entity_ids))
    for r in relations:
        entity_order += [r.subject, r.object]
    entity_order = list(dict.fromkeys(entity_order))
    entities = [_entity(kg, eid) for eid in entity_order]
    marked = set(highlight)

    nodes = []
    for e in sorted(entities, key=lambda e: (e.name.casefold(), e.id)):
        look = style.node_style(e.category)
        nodes.append(
            {
                "id": e.id,
                "name": e.name,
                "category": e.category,
                "biolink": schema.CATEGORIES.get(e.category, ""),
                "synonyms": list(e.synonyms),
                "xrefs": list(e.xrefs),
                "verified": e.verified,
                "note": e.note or "",
                "colour": look.colour,
                "border": look.border,
                "size": look.diameter,
                "highlight": e.id in marked,
            }
        )

    groups: dict[tuple[str, str, str], list[Relation]] = defaultdict(list)
    for r in relations:
        groups[(r.subject, r.predicate, r.object)].append(r)
    edges = []
    for (subject, predicate, obj), members in sorted(
        groups.items(), key=lambda kv: (kg.name(kv[0][0]).casefold(), kv[0][1], kg.name(kv[0][2]).casefold())
    ):
        look = style.edge_style(predicate)
        members.sort(key=lambda r: (_EVIDENCE_RANK.get(r.evidence, 99), r.citation.source, r.id))
        edges.append(
            {
                "key": f"{subject}|{predicate}|{obj}",
                "source": subject,
                "target": obj,
                "predicate": predicate,
                "description": schema.PREDICATES[predicate].description
                if predicate in schema.PREDICATES
                else "",
                "colour": look.colour,
                "width": look.width,
                "highlight": any(r.id in marked for r in members),
                "relations": [_relation_data(kg, r) for r in members],
            }
        )

    categories: dict[str, int] = defaultdict(int)
    for e in entities:
        categories[e.category] += 1
    predicates: dict[str, int] = defaultdict(int)
    for r in relations:
        predicates[r.predicate] += 1
    return {
        "title": title,
        "note": note or "",
        "nodes": nodes,
        "edges": edges,
        "legend": {
            "categories": [
                [c, style.node_style(c).colour, categories[c]] for c in schema.CATEGORIES if c in categories
            ]
            + [
                [c, style.DEFAULT_NODE.colour, n]
                for c, n in sorted(categories.items())
                if c not in schema.CATEGORIES
            ],
            "predicates": [
                [p, style.edge_style(p).colour, predicates[p]] for p in schema.PREDICATES if p in predicates
            ],
        },
        "counts": {"entities": len(entities), "relations": len(relations)},
    }


def _entity(kg: KnowledgeGraph, entity_id: str):
    try:
        return kg.facts.entities[entity_id]
    except KeyError:
        raise KeyError(f"unknown entity id {entity_id!r}") from None


def _relation(kg: KnowledgeGraph, relation_id: str) -> Relation:
    try:
        return kg.relation(relation_id)
    except KeyError:
        raise KeyError(f"unknown relation id {relation_id!r}") from None


def _relation_data(kg: KnowledgeGraph, r: Relation) -> dict:
    citation = r.citation
    source = kg.facts.sources.get(citation.source)
    refs = []
    for number in citation.refs:
        ref = kg.facts.references.get((citation.source, number))
        refs.append(
            {
                "number": number,
                "doi": ref.doi if ref else "",
                "title": ref.title if ref else "",
                "year": ref.year if ref else None,
            }
        )
    return {
        "id": r.id,
        "evidence": r.evidence,
        "evidence_text": schema.EVIDENCE_LEVELS.get(r.evidence, ""),
        "qualifiers": [[key, schema.qualifier_text(key, value, lambda i: _name_or_id(kg, i))] for key, value in r.qualifiers.items()],
        "source": citation.source,
        "source_citation": " ".join(source.citation.split()) if source else "",
        "source_doi": citation.doi or "",
        "section": citation.section,
        "refs": refs,
        "primary_dois": list(citation.primary_dois),
        "paraphrase": r.paraphrase,
    }


def _name_or_id(kg: KnowledgeGraph, entity_id: str) -> str:
    entity = kg.facts.entities.get(entity_id)
    return entity.name if entity else entity_id


def _resource(name: str) -> str:
    from importlib.resources import files

    return files(__package__).joinpath("resources", "view", name).read_text(encoding="utf-8")


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def _json_for_script(data: dict) -> str:
    """JSON that cannot end its <script> element early (no '<', '>' or '&' left)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


def render_html(
    kg: KnowledgeGraph,
    entity_ids: Iterable[str],
    relation_ids: Iterable[str],
    title: str,
    highlight: Iterable[str] = (),
    note: str | None = None,
) -> str:
    """One self-contained HTML page drawing these entities and relations.

    ``highlight``: entity or relation ids to emphasise (an explanation's best path, the
    entity a neighbourhood is about). ``note`` is shown under the title.
    """
    data = page_data(kg, entity_ids, relation_ids, title, highlight, note)
    script = _resource("view.js")
    css = _resource("view.css")
    for text, end in ((script, "</script"), (css, "</style")):
        assert end not in text.lower(), f"an inline resource contains {end}"
    policy = (
        "default-src 'none'; "
        f"script-src {_csp_hash(script)}; style-src {_csp_hash(css)}; "
        "img-src data:; base-uri 'none'; form-action 'none'"
    )
    counts = data["counts"]
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="imidgraph">\n'
        f"<title>{html.escape(title)} · imidgraph</title>\n"
        f"<style>{css}</style>\n</head>\n<body>\n"
        '<header><h1 id="title"></h1><p id="note"></p>'
        f'<p id="counts">{counts["entities"]} entities, {counts["relations"]} relations</p></header>\n'
        '<div id="legend"></div>\n'
        '<main>\n<div id="stage">\n'
        '<svg id="graph" role="img" aria-label="subgraph" xmlns="http://www.w3.org/2000/svg">'
        '<defs id="markers"></defs><g id="viewport"><g id="edges"></g><g id="nodes"></g></g></svg>\n'
        '<div id="tools"><button id="fit" type="button" title="Fit the picture to the window">fit</button></div>\n'
        "</div>\n"
        '<aside id="panel" aria-live="polite"></aside>\n</main>\n'
        f'<script type="application/json" id="imidgraph-data">{_json_for_script(data)}</script>\n'
        f"<script>{script}</script>\n"
        "</body>\n</html>\n"
    )
