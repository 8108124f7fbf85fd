"""What a page draws, as plain JSON-ready data: nodes with their layer, colour and column,
edges with their citations, the legend and the filters' counts."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable, Mapping
from typing import TYPE_CHECKING

from .. import schema, style
from ..model import Relation
from .layout import LAYERS, MAX_COLUMN, assign_columns, known_entity, layers

if TYPE_CHECKING:
    from ..embedded.graph import EmbeddedGraph

EVIDENCE_RANK = {level: rank for rank, level in enumerate(schema.EVIDENCE_LEVELS)}


def page_data(
    kg: EmbeddedGraph,
    entity_ids: Iterable[str],
    relation_ids: Iterable[str],
    title: str,
    highlight: Iterable[str] = (),
    note: str | None = None,
    groups: Mapping[str, Iterable[str]] | None = None,
    collapse: Mapping | None = None,
    reasons: Iterable[tuple[str, bool, Iterable[str]]] = (),
) -> dict:
    """What the page draws, as plain JSON-ready data (also useful for tests).

    Relations with the same subject, predicate and object are one drawn edge listing each
    relation's citation. Entities at the ends of a relation are added if missing. Each node
    has its mechanism ``layer`` (:func:`layers`) and ``column``. ``groups`` names sets of
    relation ids (an explanation's "reasons", "against"): an edge belongs to the first group
    that holds one of its relations, and the page can hide each group. Unknown ids raise
    :class:`KeyError`.

    ``collapse`` (a drug's summary, :func:`~imidgraph.view.summary`): ``route``, the relation
    ids drawn at first, and ``groups``, ``[key, label, layer, member ids]`` each drawn as one
    node until expanded; each node then names its ``group`` (empty: drawn at first) and each
    edge whether it is on the ``route``. ``reasons``: ``(label, shown at first, relation
    ids)`` each, that the page lists to show one by one; each edge names its reasons (indices).
    """
    relations = [_relation(kg, rid) for rid in dict.fromkeys(relation_ids)]
    entity_order = list(dict.fromkeys(entity_ids))
    for r in relations:
        entity_order += [r.subject, r.object]
    entity_order = list(dict.fromkeys(entity_order))
    entities = [known_entity(kg, eid) for eid in entity_order]
    marked = set(highlight)
    layer = layers(kg, entity_order, relations)
    group_of: dict[str, str] = {}
    for name, ids in (groups or {}).items():
        for rid in ids:
            group_of.setdefault(rid, name)

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
                "layer": layer[e.id],
            }
        )
    assign_columns(nodes)
    member_of = {m: g[0] for g in (collapse or {}).get("groups", []) for m in g[3]}
    for n in nodes:
        n["group"] = member_of.get(n["id"], "")
    route = set((collapse or {}).get("route", []))
    reasons = [(label, on, set(ids)) for label, on, ids in reasons]

    parallel: dict[tuple[str, str, str], list[Relation]] = defaultdict(list)
    for r in relations:
        parallel[(r.subject, r.predicate, r.object)].append(r)
    edges = []
    for (subject, predicate, obj), members in sorted(
        parallel.items(), key=lambda kv: (kg.name(kv[0][0]).casefold(), kv[0][1], kg.name(kv[0][2]).casefold())
    ):
        look = style.edge_style(predicate)
        members.sort(key=lambda r: (EVIDENCE_RANK.get(r.evidence, 99), r.citation.source, r.id))
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
                "levels": list(dict.fromkeys(r.evidence for r in members)),
                "group": next((group_of[r.id] for r in members if r.id in group_of), ""),
                "route": any(r.id in route for r in members) if collapse else True,
                "reasons": [k for k, (_, _, ids) in enumerate(reasons) if any(r.id in ids for r in members)],
                "relations": [_relation_data(kg, r) for r in members],
            }
        )

    categories: dict[str, int] = defaultdict(int)
    for e in entities:
        categories[e.category] += 1
    predicates: dict[str, int] = defaultdict(int)
    levels: dict[str, int] = defaultdict(int)
    for r in relations:
        predicates[r.predicate] += 1
        levels[r.evidence] += 1
    in_layer: dict[str, int] = defaultdict(int)
    for n in nodes:
        in_layer[n["layer"]] += 1
    in_group: dict[str, int] = defaultdict(int)
    for e in edges:
        if e["group"]:
            in_group[e["group"]] += 1
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
        "layers": [[x.key, x.label, x.band, in_layer[x.key]] for x in LAYERS if x.key in in_layer],
        "evidence": [
            [level, text, levels[level]] for level, text in schema.EVIDENCE_LEVELS.items() if level in levels
        ],
        "groups": [[name, in_group[name]] for name in (groups or {}) if name in in_group],
        "counts": {"entities": len(entities), "relations": len(relations)},
        "summary": bool(collapse),
        "max_column": MAX_COLUMN,
        "collapsed": [[key, label, layer_key, len(ids)] for key, label, layer_key, ids in (collapse or {}).get("groups", [])],
        "reasons": [[label, bool(on)] for label, on, _ in reasons],
    }



def _relation(kg: EmbeddedGraph, relation_id: str) -> Relation:
    try:
        return kg.relation(relation_id)
    except KeyError:
        raise KeyError(f"unknown relation id {relation_id!r}") from None


def _relation_data(kg: EmbeddedGraph, r: Relation) -> dict:
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


def _name_or_id(kg: EmbeddedGraph, entity_id: str) -> str:
    entity = kg.facts.entities.get(entity_id)
    return entity.name if entity else entity_id
