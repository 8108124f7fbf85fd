"""Write the graph as KGX (nodes.jsonl, edges.jsonl), GraphML or JSON."""

from __future__ import annotations

import json
from pathlib import Path
from typing import TYPE_CHECKING

import networkx as nx

from . import schema
from .build import edge_properties, node_properties

if TYPE_CHECKING:
    from .graph import KnowledgeGraph

FORMATS = ("kgx", "graphml", "json")
FILES = {"kgx": ("nodes.jsonl", "edges.jsonl"), "graphml": ("imidgraph.graphml",), "json": ("imidgraph.json",)}
KNOWLEDGE_SOURCE = "infores:imidgraph"
SPECIES = {"human": "NCBITaxon:9606", "mouse": "NCBITaxon:10090"}


class UnknownFormat(ValueError):
    pass


def export(kg: KnowledgeGraph, fmt: str, out_dir: Path) -> list[Path]:
    """Write ``kg`` in format ``fmt`` into ``out_dir``; returns the files written."""
    writers = {"kgx": write_kgx, "graphml": write_graphml, "json": write_json}
    if fmt not in writers:
        raise UnknownFormat(f"unknown export format {fmt!r} (one of {', '.join(FORMATS)})")
    out_dir.mkdir(parents=True, exist_ok=True)
    return writers[fmt](kg, out_dir)


def kgx_node(kg: KnowledgeGraph, entity_id: str) -> dict:
    entity = kg.facts.entities[entity_id]
    node = {
        "id": entity.id,
        "category": [schema.CATEGORIES[entity.category]],
        "name": entity.name,
        "synonym": list(entity.synonyms),
        "xref": list(entity.xrefs),
        "close_match": list(entity.close_matches),  # skos:closeMatch, never the node's own id
        "provided_by": [KNOWLEDGE_SOURCE],
        "imidgraph_category": entity.category,
        "imidgraph_identifier_verified": entity.verified,
    }
    if entity.note:
        node["description"] = entity.note
    return node


def kgx_edge(kg: KnowledgeGraph, relation_id: str) -> dict:
    """A relation as a Biolink 4.x edge: predicate, its qualifiers, and provenance."""
    relation = kg.relation(relation_id)
    predicate = schema.PREDICATES[relation.predicate]
    edge: dict = {
        "id": relation.id,
        "subject": relation.subject,
        "predicate": predicate.biolink,
        "object": relation.object,
        **predicate.biolink_qualifiers,
        "knowledge_level": "knowledge_assertion",
        "agent_type": "manual_agent",
        "primary_knowledge_source": KNOWLEDGE_SOURCE,
        "publications": list(relation.citation.publications),
        "description": relation.paraphrase,
        "original_predicate": f"imidgraph:{relation.predicate}",
        "imidgraph_evidence_level": relation.evidence,
        "imidgraph_source": relation.citation.source,
        "imidgraph_section": relation.citation.section,
        "imidgraph_refs": list(relation.citation.refs),
    }
    q = relation.qualifiers
    if relation.predicate == "subclass_of" and kg.facts.entities[relation.object].category == "GeneFamily":
        edge["predicate"] = "biolink:member_of"  # a GeneFamily is no OntologyClass: membership
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
    if "cell_context" in q:
        edge["anatomical_context_qualifier"] = q["cell_context"]
    elif len(q.get("location", ())) == 1:
        edge["anatomical_context_qualifier"] = q["location"][0]
    if "disease_context" in q:
        edge["disease_context_qualifier"] = q["disease_context"]
    for key, value in q.items():
        edge[f"imidgraph_{key}"] = list(value) if isinstance(value, tuple) else value
    return edge


def write_kgx(kg: KnowledgeGraph, out_dir: Path) -> list[Path]:
    nodes, edges = (out_dir / name for name in FILES["kgx"])
    with nodes.open("w", encoding="utf-8") as f:
        for entity_id in sorted(kg.facts.entities):
            f.write(json.dumps(kgx_node(kg, entity_id), ensure_ascii=False) + "\n")
    with edges.open("w", encoding="utf-8") as f:
        for relation in sorted(kg.facts.relations, key=lambda r: r.id):
            f.write(json.dumps(kgx_edge(kg, relation.id), ensure_ascii=False) + "\n")
    return [nodes, edges]


def _exported(props: dict) -> dict:
    """Properties as exported: without the search tokens kept for Neo4j's full-text index."""
    return {k: v for k, v in props.items() if k != "search_text"}


def _scalar(value):
    """GraphML holds scalars only: lists become '|'-joined text."""
    if isinstance(value, (list, tuple)):
        return "|".join(str(v) for v in value)
    return value


def write_graphml(kg: KnowledgeGraph, out_dir: Path) -> list[Path]:
    """GraphML with a ``label`` on nodes (name) and edges (predicate), for Cytoscape and Gephi."""
    flat = nx.MultiDiGraph()
    for entity in sorted(kg.entities, key=lambda e: e.id):
        props = {k: _scalar(v) for k, v in _exported(node_properties(entity)).items()}
        flat.add_node(entity.id, label=entity.name, **props)
    for relation in sorted(kg.relations, key=lambda r: r.id):
        props = {k: _scalar(v) for k, v in _exported(edge_properties(relation)).items()}
        props.pop("id")
        flat.add_edge(
            relation.subject, relation.object, key=relation.id,
            label=relation.predicate, interaction=relation.predicate, **props,
        )  # fmt: skip
    path = out_dir / FILES["graphml"][0]
    nx.write_graphml(flat, path, named_key_ids=True)
    return [path]


def write_json(kg: KnowledgeGraph, out_dir: Path) -> list[Path]:
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
