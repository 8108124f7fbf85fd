"""Write the graph as KGX (nodes.jsonl, edges.jsonl), GraphML (with a Cytoscape style) or JSON."""

from __future__ import annotations

import hashlib
import json
from pathlib import Path

import networkx as nx

from . import schema
from .cytoscape import FILE_NAME as CYTOSCAPE_STYLE
from .cytoscape import cytoscape_style
from .embedded.graph import EmbeddedGraph
from .properties import edge_properties, node_properties
from .style import edge_style, node_style
from .view.layout import layers

FORMATS = ("kgx", "graphml", "json")
FILES = {"kgx": ("nodes.jsonl", "edges.jsonl", "prefixes.jsonld"), "graphml": ("imidgraph.graphml", CYTOSCAPE_STYLE), "json": ("imidgraph.json",)}
KNOWLEDGE_SOURCE = "infores:imidgraph"
SPECIES = {"human": "NCBITaxon:9606", "mouse": "NCBITaxon:10090"}


class UnknownFormat(ValueError):
    pass


def export(kg: EmbeddedGraph, fmt: str, out_dir: Path) -> list[Path]:
    """Write ``kg`` in format ``fmt`` into ``out_dir``; returns the files written."""
    writers = {"kgx": write_kgx, "graphml": write_graphml, "json": write_json}
    if fmt not in writers:
        raise UnknownFormat(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
    out_dir.mkdir(parents=True, exist_ok=True)
    return writers[fmt](kg, out_dir)


# The export's own prefix map: the prefixes of its ids that Biolink's prefix map lacks. kgx and
# reasoner-validator read ids against Biolink's map; an export that uses other prefixes must
# declare them (written beside nodes.jsonl as prefixes.jsonld, a JSON-LD context).
LOCAL_IRI = "urn:imidgraph:"  # project-local concepts: no resolver, each listed with its reason
EXPORT_PREFIXES = {
    schema.LOCAL_PREFIX: LOCAL_IRI,
    "CVCL": "https://www.cellosaurus.org/CVCL_",  # Cellosaurus (Biolink 4.4.6's map lacks it)
}
# Biolink qualifiers whose value is a concept: only ids in Biolink's own prefix map go there (a
# local id there cannot be resolved by others); the value is always kept as imidgraph_<key>.
CONCEPT_QUALIFIERS = ("anatomical_context_qualifier", "disease_context_qualifier", "species_context_qualifier")
# per-relation provenance: never part of what a statement says
PROVENANCE = ("id", "description", "publications", "imidgraph_relations", "imidgraph_evidence_level",
              "imidgraph_citation", "imidgraph_statements")


def _local(curie: str) -> bool:
    return curie.split(":", 1)[0] in EXPORT_PREFIXES


# Biolink's multivalued slots that we write: kgx reads them as sets and writes them sorted, so
# they are written sorted (their order carries no meaning); our own lists keep their order.
SORTED_SLOTS = ("category", "synonym", "xref", "provided_by", "publications", "has_supporting_studies",
                "anatomical_context_qualifier")


def _no_empty(record: dict) -> dict:
    """Biolink has no use for empty values: an absent slot says it. Multivalued slots sorted;
    numbers as text (kgx reads every value of a slot it does not know as text)."""
    out = {}
    for key, value in record.items():
        if value in ([], (), "", None):
            continue
        if key in SORTED_SLOTS:
            value = sorted(value)
        elif isinstance(value, int) and not isinstance(value, bool):
            value = str(value)
        out[key] = value
    return out


def kgx_node(kg: EmbeddedGraph, entity_id: str) -> dict:
    entity = kg.facts.entities[entity_id]
    node = {
        "id": entity.id,
        "category": [schema.CATEGORIES[entity.category]],
        "name": entity.name,
        "synonym": list(entity.synonyms),
        "xref": list(entity.xrefs),
        # skos:closeMatch, never the node's own id (Biolink's close_match is a predicate, no slot)
        "imidgraph_close_matches": list(entity.close_matches),
        "provided_by": [KNOWLEDGE_SOURCE],
        "imidgraph_category": entity.category,
        "imidgraph_identifier_verified": entity.verified,
        "description": entity.note,
        "imidgraph_favourable_direction": entity.favourable,
    }
    return _no_empty(node)


def biolink_predicate(kg: EmbeddedGraph, relation) -> tuple[str, str]:
    """(label, Biolink predicate) of a relation as exported, KGX and GraphML alike.

    The label is our predicate, except where Biolink's meaning differs: a Gene under a
    GeneFamily is its member (a GeneFamily is no OntologyClass). Where Biolink's domain or range
    excludes our subject or object (a ClinicalTrial is no process or agent; a Treatment is no
    chemical entity), the nearest Biolink predicate whose domain and range admit them is used;
    ``original_predicate`` keeps ours.
    """
    subject = kg.facts.entities[relation.subject].category
    obj = kg.facts.entities[relation.object].category
    label, predicate = relation.predicate, schema.PREDICATES[relation.predicate].biolink
    if relation.predicate == "subclass_of" and obj == "GeneFamily":
        return "member_of", "biolink:member_of"
    if relation.predicate == "approved_for":
        predicate = "biolink:applied_to_treat"  # biolink:treats is a mixin in 4.4.6, not for edges
    elif subject in schema.TRIALS and relation.predicate in ("tested", "studied_clinically_for"):
        predicate = "biolink:related_to_at_instance_level"
    elif relation.predicate.startswith("associated_with_") and obj not in ("Drug", "DrugClass"):
        predicate = "biolink:associated_with"  # resistance to a therapy that is no chemical
    elif relation.predicate == "correlated_with" and "correlation" in relation.qualifiers:
        predicate = f"biolink:{relation.qualifiers['correlation']}ly_correlated_with"  # the sign
    return label, predicate


def kgx_statement(kg: EmbeddedGraph, relation_id: str) -> dict:
    """A relation as a Biolink 4.x statement: predicate, its qualifiers, and provenance."""
    relation = kg.relation(relation_id)
    label, predicate = biolink_predicate(kg, relation)
    edge: dict = {
        "id": relation.id,
        "subject": relation.subject,
        "predicate": predicate,
        "object": relation.object,
        **schema.PREDICATES[relation.predicate].biolink_qualifiers,
        "knowledge_level": "knowledge_assertion",
        "agent_type": "manual_agent",
        "primary_knowledge_source": KNOWLEDGE_SOURCE,
        "publications": list(relation.citation.publications),
        "description": relation.paraphrase,
        "original_predicate": f"{schema.LOCAL_PREFIX}:{label}",
        "imidgraph_relations": [relation.id],
        "imidgraph_evidence_level": [relation.evidence],
        "imidgraph_citation": [str(relation.citation)],
    }
    q = relation.qualifiers
    if relation.predicate == "approved_for" and q.get("regulator") == "FDA":
        edge["clinical_approval_status"] = "fda_approved_for_condition"  # only where FDA is named
    # resistance and sensitivity: direction and aspect say how the subject changed
    about_subject = relation.predicate in ("associated_with_resistance_to", "associated_with_sensitivity_to")
    if q.get("direction") in ("increased", "decreased"):
        side = "subject" if about_subject else "object"  # has_outcome: the endpoint's direction
        edge[f"{side}_direction_qualifier"] = q["direction"]
    if "in_trial" in q:
        edge["has_supporting_studies"] = [q["in_trial"]]
    if "object_direction_qualifier" in edge:
        edge["qualified_predicate"] = "biolink:causes"
    if q.get("aspect") in schema.BIOLINK_ASPECTS:
        edge["subject_aspect_qualifier" if about_subject else "object_aspect_qualifier"] = q["aspect"]
    if "species" in q:
        edge["species_context_qualifier"] = SPECIES[str(q["species"])]
    places = [q["cell_context"]] if "cell_context" in q else list(q.get("location", ()))
    edge["anatomical_context_qualifier"] = [p for p in places if not _local(p)]  # multivalued
    if "disease_context" in q and not _local(q["disease_context"]):
        edge["disease_context_qualifier"] = q["disease_context"]
    if edge["predicate"] == "biolink:associated_with":
        for key in [k for k in edge if k.endswith("_qualifier") or k == "qualified_predicate"]:
            del edge[key]  # Biolink's qualifiers of response associations do not carry over
    for key, value in q.items():
        edge[f"imidgraph_{key}"] = list(value) if isinstance(value, tuple) else value
    return _no_empty(edge)


def kgx_edge(kg: EmbeddedGraph, relation_id: str) -> dict:
    """The KGX edge that holds relation ``relation_id`` (merged with any that share its
    subject, Biolink predicate and object)."""
    for edge in kgx_edges(kg):
        if relation_id in edge["imidgraph_relations"]:
            return edge
    raise KeyError(relation_id)


def kgx_edges(kg: EmbeddedGraph) -> list[dict]:
    """One KGX edge per (subject, Biolink predicate, object): docs/export.md says why.

    kgx keys the edges of its default (non-streaming) transform by subject, predicate and
    object alone, so a second edge with the same three would be folded into the first, its
    slots overwriting the first's. Each such group is therefore written as one edge: a slot holds
    what every statement of the group says (a qualifier on which they differ is left off the
    Biolink slots), publications are the union, and ``imidgraph_statements`` keeps every
    statement whole (its relation id, our predicate and all its slots), so nothing is lost.
    """
    groups: dict[tuple[str, str, str], list[dict]] = {}
    for relation in sorted(kg.facts.relations, key=lambda r: r.id):
        statement = kgx_statement(kg, relation.id)
        groups.setdefault((statement["subject"], statement["predicate"], statement["object"]), []).append(
            statement
        )
    edges = []
    for statements in groups.values():
        if len(statements) == 1:
            edges.append(statements[0])
            continue
        first = statements[0]
        shared = {
            k: v for k, v in first.items()
            if k not in PROVENANCE and all(s.get(k) == v for s in statements[1:])
        }  # fmt: skip
        if "object_direction_qualifier" not in shared:
            shared.pop("qualified_predicate", None)
        ids = [s["id"] for s in statements]
        edge = {
            "id": f"{schema.LOCAL_PREFIX}:" + hashlib.sha1("|".join(ids).encode()).hexdigest()[:16],
            **shared,
            "publications": list(dict.fromkeys(p for s in statements for p in s.get("publications", []))),
            "description": " | ".join(dict.fromkeys(s["description"] for s in statements)),
            "imidgraph_relations": ids,
            "imidgraph_evidence_level": [s["imidgraph_evidence_level"][0] for s in statements],
            "imidgraph_citation": [s["imidgraph_citation"][0] for s in statements],
            "imidgraph_statements": [
                json.dumps({k: v for k, v in s.items() if k not in ("subject", "object")}, ensure_ascii=False)
                for s in statements
            ],
        }
        edges.append(_no_empty(edge))
    return sorted(edges, key=lambda e: e["id"])


def write_kgx(kg: EmbeddedGraph, out_dir: Path) -> list[Path]:
    nodes, edges, prefixes = (out_dir / name for name in FILES["kgx"])
    with nodes.open("w", encoding="utf-8") as f:
        for entity_id in sorted(kg.facts.entities):
            f.write(json.dumps(kgx_node(kg, entity_id), ensure_ascii=False) + "\n")
    with edges.open("w", encoding="utf-8") as f:
        for edge in kgx_edges(kg):
            f.write(json.dumps(edge, ensure_ascii=False) + "\n")
    prefixes.write_text(json.dumps({"@context": EXPORT_PREFIXES}, indent=1) + "\n", encoding="utf-8")
    return [nodes, edges, prefixes]


def _exported(props: dict) -> dict:
    """Properties as exported: without the search tokens kept for Neo4j's full-text index."""
    return {k: v for k, v in props.items() if k != "search_text"}


def _scalar(value):
    """GraphML holds scalars only: lists become '|'-joined text."""
    if isinstance(value, (list, tuple)):
        return "|".join(str(v) for v in value)
    return value


def write_graphml(kg: EmbeddedGraph, out_dir: Path) -> list[Path]:
    """GraphML for Cytoscape and Gephi, and Cytoscape's style beside it (:mod:`.cytoscape`).

    Nodes carry a ``label`` (the name), their ``category``, their ``layer`` (the mechanism
    column the pictures put them in: drug, target, neosubstrate, effector, cell, use, side
    effect, resistance; :func:`imidgraph.view.layout.layers` over the whole graph) and their
    ``colour`` and ``size`` (the palette of :mod:`imidgraph.style`, as on our pages and in Neo4j
    Browser); edges a ``label`` and ``interaction`` (the predicate), ``colour`` and ``width``.
    """
    flat = nx.MultiDiGraph()
    layer = layers(kg, kg.facts.entities, kg.relations)
    for entity in sorted(kg.entities, key=lambda e: e.id):
        props = {k: _scalar(v) for k, v in _exported(node_properties(entity)).items()}
        style = node_style(entity.category)
        flat.add_node(entity.id, label=entity.name, **props, layer=layer[entity.id], colour=style.colour,
                      size=style.diameter)  # fmt: skip
    for relation in sorted(kg.relations, key=lambda r: r.id):
        props = {k: _scalar(v) for k, v in _exported(edge_properties(relation)).items()}
        props.pop("id")
        label, props["biolink_predicate"] = biolink_predicate(kg, relation)  # as in the KGX export
        style = edge_style(relation.predicate)
        flat.add_edge(
            relation.subject, relation.object, key=relation.id, label=label, interaction=label, **props,
            colour=style.colour, width=style.width,
        )  # fmt: skip
    path = out_dir / FILES["graphml"][0]
    nx.write_graphml(flat, path, named_key_ids=True)
    style_path = out_dir / FILES["graphml"][1]
    style_path.write_text(cytoscape_style(), encoding="utf-8")
    return [path, style_path]


def write_json(kg: EmbeddedGraph, out_dir: Path) -> list[Path]:
    path = out_dir / FILES["json"][0]
    document = {
        "nodes": [_exported(node_properties(e)) for e in sorted(kg.entities, key=lambda e: e.id)],
        "edges": [
            {"subject": r.subject, "object": r.object, **_exported(edge_properties(r))}
            for r in sorted(kg.relations, key=lambda r: r.id)
        ],
    }
    path.write_text(json.dumps(document, ensure_ascii=False, indent=1) + "\n", encoding="utf-8")
    return [path]
