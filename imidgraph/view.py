"""Offline pictures: a subgraph as one self-contained HTML page, laid out as the mechanism.

The page needs no network: its script, style, data and the two drawing libraries it uses
(Cytoscape.js draws, dagre lays out; both MIT, inlined with their licences from
``resources/view/vendor/``, see VENDOR.md there) are inline, and its Content Security Policy
lets it load nothing else. Entities stand in mechanism layers, left to right: drugs → target
and ligase → neosubstrates → effectors and molecules → cells → diseases and uses, with side
effects and resistance in a band apart (:func:`layers`). Nodes are coloured by category with
the palette of :mod:`imidgraph.style`; the page filters by layer and evidence level and shows
a node's or an edge's details and citations on click.

A subgraph is given as entity ids and relation ids, so any selection can be drawn::

    sub = neighbourhood(kg, "CSNK1A1")                  # an entity and its relations
    page = render_html(kg, sub.entities, sub.relations, title="CSNK1A1", highlight=sub.focus)
    sub                                                 # in Jupyter: the same picture inline
"""

from __future__ import annotations

import base64
import hashlib
import html
import json
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any

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
    kg: Any = field(default=None, repr=False, compare=False)  # the graph it was taken from

    def to_html(self, title: str | None = None, note: str | None = None) -> str:
        """The subgraph as one self-contained page (:func:`render_html`)."""
        if self.kg is None:
            raise ValueError("this subgraph does not know its graph: use render_html(kg, ...)")
        if title is None:
            title = ", ".join(self.kg.name(i) for i in self.focus) or "subgraph"
        if note is None and self.omitted:
            note = f"{self.omitted} more relations left out"
        return render_html(self.kg, self.entities, self.relations, title=title, highlight=self.focus, note=note)

    def _repr_html_(self) -> str:
        """Jupyter shows the same page inline, in an iframe."""
        return notebook_html(self.to_html())


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
        kg=kg,
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


# --------------------------------------------------------------------------- mechanism layers


@dataclass(frozen=True)
class Layer:
    key: str
    label: str
    band: str = "mechanism"  # "mechanism": a column, left to right; "apart": a row below


LAYERS: tuple[Layer, ...] = (
    Layer("drug", "drugs"),
    Layer("target", "target & ligase"),
    Layer("neosubstrate", "neosubstrates"),
    Layer("effector", "effectors & molecules"),
    Layer("cell", "cells"),
    Layer("use", "diseases & uses"),
    Layer("side_effect", "side effects", band="apart"),
    Layer("resistance", "resistance & sensitivity", band="apart"),
)
_LAYER_ORDER = {layer.key: i for i, layer in enumerate(LAYERS)}

# Where each category stands when its relations give it no role of its own. The one place to
# add a category: one that is not listed stands with the effectors and molecules.
CATEGORY_LAYER: dict[str, str] = {
    "Drug": "drug",
    "DrugClass": "drug",
    "Treatment": "drug",
    "ChemicalMoiety": "drug",
    "Complex": "target",
    "ProteinDomain": "target",
    "Gene": "effector",
    "GeneFamily": "effector",
    "BiologicalProcess": "effector",
    "MolecularActivity": "effector",
    "GenomicAlteration": "effector",
    "CellType": "cell",
    "CellLine": "cell",
    "Compartment": "cell",
    "Disease": "use",
    "Phenotype": "use",
    "ClinicalTrial": "use",
    "ClinicalEndpoint": "use",
    "OpenQuestion": "use",  # what is not known about a use, a target or a cell: beside the uses
}
DEFAULT_LAYER = "effector"
USE_PREDICATES = frozenset({"approved_for", "studied_clinically_for", "active_preclinically_in"})
MARKER_PREDICATES = frozenset({"associated_with_resistance_to", "associated_with_sensitivity_to"})
MAX_COLUMN = 14  # entities a column holds before its layer takes another column


def layers(kg: KnowledgeGraph, entity_ids: Iterable[str], relations: Iterable[Relation]) -> dict[str, str]:
    """The mechanism layer of each entity (a key of :data:`LAYERS`), from its category and
    its role among the drawn ``relations``.

    A drug binds its target (the object of ``binds`` from a drug, and complexes such as
    CRL4-CRBN) and degrades neosubstrates (objects of ``degrades``); an adverse event
    (``has_side_effect``) that is no use of a drawn drug stands with the side effects, and an
    entity whose every drawn relation marks resistance or sensitivity to a drug stands with
    resistance. Everything else stands where :data:`CATEGORY_LAYER` puts its category.
    """
    ids = list(dict.fromkeys(entity_ids))
    relations = list(relations)
    category = {i: _entity(kg, i).category for i in ids}
    for r in relations:
        for end in (r.subject, r.object):
            category.setdefault(end, _entity(kg, end).category)
    layer = {i: CATEGORY_LAYER.get(c, DEFAULT_LAYER) for i, c in category.items()}
    drugs = {i for i, c in category.items() if CATEGORY_LAYER.get(c) == "drug"}
    used = {r.object for r in relations if r.predicate in USE_PREDICATES}
    predicates: dict[str, set[str]] = defaultdict(set)
    for r in relations:
        predicates[r.subject].add(r.predicate)
        predicates[r.object].add(r.predicate)
    for r in relations:
        obj = r.object
        if obj in drugs:
            continue
        if r.predicate == "binds" and r.subject in drugs:
            layer[obj] = "target"
        elif r.predicate == "degrades" and layer[obj] != "target":
            layer[obj] = "neosubstrate"
        elif r.predicate == "has_side_effect" and obj not in used and layer[obj] == "use":
            layer[obj] = "side_effect"
    for i in category:
        if i not in drugs and predicates[i] and predicates[i] <= MARKER_PREDICATES:
            layer[i] = "resistance"
    return layer


def _columns(nodes: list[dict]) -> None:
    """Give each node of a mechanism layer its column (layers in order, left to right; a
    layer of more than :data:`MAX_COLUMN` entities takes several) and each node apart its row."""
    by_layer: dict[str, list[dict]] = defaultdict(list)
    for n in nodes:
        by_layer[n["layer"]].append(n)
    column = 0
    for layer in LAYERS:
        members = sorted(
            by_layer.get(layer.key, []),
            key=lambda n: (not n["highlight"], _CATEGORY_ORDER.get(n["category"], 99), n["name"].casefold(), n["id"]),
        )
        if layer.band == "apart" or not members:
            for n in members:
                n["column"] = -1
            continue
        wide = -(-len(members) // MAX_COLUMN)
        per = -(-len(members) // wide)
        for k, n in enumerate(members):
            n["column"] = column + k // per
        column += wide


_CATEGORY_ORDER = {c: i for i, c in enumerate(schema.CATEGORIES)}


# --------------------------------------------------------------------------- the page


def page_data(
    kg: KnowledgeGraph,
    entity_ids: Iterable[str],
    relation_ids: Iterable[str],
    title: str,
    highlight: Iterable[str] = (),
    note: str | None = None,
    groups: Mapping[str, Iterable[str]] | None = None,
) -> dict:
    """What the page draws, as plain JSON-ready data (also useful for tests).

    Relations with the same subject, predicate and object are one drawn edge listing each
    relation's citation. Entities at the ends of a relation are added if missing. Each node
    has its mechanism ``layer`` (:func:`layers`) and ``column``. ``groups`` names sets of
    relation ids (an explanation's "reasons", "against"): an edge belongs to the first group
    that holds one of its relations, and the page can hide each group. Unknown ids raise
    :class:`KeyError`.
    """
    relations = [_relation(kg, rid) for rid in dict.fromkeys(relation_ids)]
    entity_order = list(dict.fromkeys(entity_ids))
    for r in relations:
        entity_order += [r.subject, r.object]
    entity_order = list(dict.fromkeys(entity_order))
    entities = [_entity(kg, eid) for eid in entity_order]
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
    _columns(nodes)

    parallel: dict[tuple[str, str, str], list[Relation]] = defaultdict(list)
    for r in relations:
        parallel[(r.subject, r.predicate, r.object)].append(r)
    edges = []
    for (subject, predicate, obj), members in sorted(
        parallel.items(), key=lambda kv: (kg.name(kv[0][0]).casefold(), kv[0][1], kg.name(kv[0][2]).casefold())
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
                "levels": list(dict.fromkeys(r.evidence for r in members)),
                "group": next((group_of[r.id] for r in members if r.id in group_of), ""),
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

    return files(__package__).joinpath("resources", "view", *name.split("/")).read_text(encoding="utf-8")


# The drawing libraries, inlined in this order before view.js (see resources/view/vendor/VENDOR.md).
VENDOR = (("cytoscape.min.js", "cytoscape.LICENSE"), ("dagre.min.js", "dagre.LICENSE"))


def _vendor_script(script: str, licence: str) -> str:
    """A vendored library with its licence on top, as a comment; its source-map line is
    dropped, so that not even developer tools ask for a file."""
    lines = [line for line in script.splitlines() if not line.startswith("//# sourceMappingURL=")]
    body = "\n".join(lines)
    return "/*!\n" + licence.replace("*/", "* /").strip() + "\n*/\n" + body + "\n"


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def _json_for_script(data: dict) -> str:
    """JSON that cannot end its <script> element early (no '<', '>' or '&' left)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# Cytoscape adds a <style> of its own unless the page has one with this id: ours is it, so
# the policy needs no 'unsafe-inline' (view.css carries the rule Cytoscape would add).
_CYTOSCAPE_STYLE_ID = "__________cytoscape_stylesheet"


def render_html(
    kg: KnowledgeGraph,
    entity_ids: Iterable[str],
    relation_ids: Iterable[str],
    title: str,
    highlight: Iterable[str] = (),
    note: str | None = None,
    groups: Mapping[str, Iterable[str]] | None = None,
) -> str:
    """One self-contained HTML page drawing these entities and relations in mechanism layers.

    ``highlight``: entity or relation ids to emphasise (an explanation's best path, the
    entity a neighbourhood is about). ``note`` is shown under the title. ``groups``: named
    sets of relation ids the page can show and hide (see :func:`page_data`).
    """
    data = page_data(kg, entity_ids, relation_ids, title, highlight, note, groups)
    scripts = [_vendor_script(_resource("vendor/" + js), _resource("vendor/" + lic)) for js, lic in VENDOR]
    scripts.append(_resource("view.js"))
    css = _resource("view.css")
    for text, end in [(css, "</style")] + [(script, "</script") for script in scripts]:
        assert end not in text.lower(), f"an inline resource contains {end}"
    policy = (
        "default-src 'none'; "
        f"script-src {' '.join(_csp_hash(script) for script in scripts)}; style-src {_csp_hash(css)}; "
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
        f'<style id="{_CYTOSCAPE_STYLE_ID}">{css}</style>\n</head>\n<body>\n'
        '<header><h1 id="title"></h1><p id="note"></p>'
        f'<p id="counts">{counts["entities"]} entities, {counts["relations"]} relations</p></header>\n'
        '<div id="legend"></div>\n'
        '<form id="filters" aria-label="filters"></form>\n'
        '<main>\n<div id="stage">\n<div id="graph" role="img" aria-label="subgraph"></div>\n'
        '<div id="tools"><button id="fit" type="button" title="Fit the picture to the window">fit</button></div>\n'
        "</div>\n"
        '<aside id="panel" aria-live="polite"></aside>\n</main>\n'
        f'<script type="application/json" id="imidgraph-data">{_json_for_script(data)}</script>\n'
        + "".join(f"<script>{script}</script>\n" for script in scripts)
        + "</body>\n</html>\n"
    )


def notebook_html(page: str, height: int = 640) -> str:
    """A page for Jupyter's output: an iframe whose ``srcdoc`` is the page, so that the page
    keeps its own policy and script apart from the notebook's."""
    return (
        f'<iframe class="imidgraph" srcdoc="{html.escape(page, quote=True)}" '
        f'style="width: 100%; height: {height}px; border: 1px solid #dde1e6;" '
        'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox" '
        'title="imidgraph picture"></iframe>'
    )


def explanation_page(kg: KnowledgeGraph, explanation) -> str:
    """An :class:`~imidgraph.explain.Explanation` as a page: its shown paths in groups (the
    reasons, the best one emphasised; with a partner; trials; against, drawn dashed; of no
    stated direction) and the drug's standing, its summary on top. A relation shared by two
    groups is drawn in the first."""
    e = explanation
    best = e.top_paths[0].relation_ids() if e.paths else []
    titles = {"paths": "reasons", "with_partner": "with a partner", "trials": "trials", "against": "against",
              "unsigned": "direction not stated"}
    if e.mode == "harm":  # harm mode: the reasons raise the target, what lowers it is apart
        titles |= {"paths": "reasons (raise it)", "against": "lowers it"}
    groups = {titles[key]: [i for p in shown for i in p.relation_ids()] for key, shown in e.groups.items() if shown}
    groups["standing"] = [r["id"] for s in e.uses for r in s.relations]
    return render_html(
        kg,
        e.entity_ids(),
        e.relation_ids(),
        title=f"Why {e.name(e.drug)} → {e.name(e.target)}" + (" (harm mode)" if e.mode == "harm" else ""),
        highlight=[*best, e.drug, e.target],
        note=e.summary(),
        groups=groups,
    )
