"""KGX records (:mod:`imidgraph.export`) as TRAPI 1.5 knowledge-graph nodes and edges.

One mapping for the TRAPI endpoint (:mod:`imidgraph.serve.trapi`) and the offline
reasoner-validator check of the KGX export (tools/interop/rv_check.py, which loads this file by
its path: it imports nothing but the standard library, so it runs in that tool's own venv).

A node's ``category`` becomes ``categories``; an edge's ``*_qualifier`` slots (and
``qualified_predicate``) its ``qualifiers``; ``primary_knowledge_source`` (and any
``aggregator_knowledge_source``) its ``sources`` (TRAPI 1.5 RetrievalSource); every other slot,
``knowledge_level`` and ``agent_type`` included (TRAPI 1.5 keeps them as attributes), an
attribute whose ``attribute_type_id`` is ``biolink:<slot>``, our own ``imidgraph_*`` slots
under our own prefix (a TRAPI attribute type is a CURIE).
"""

from __future__ import annotations

SOURCE_SLOTS = ("primary_knowledge_source", "aggregator_knowledge_source")
EDGE_CORE = ("id", "subject", "predicate", "object")
OUR_PREFIX = "IMIDGRAPH"  # the attribute types of our own slots (imidgraph_<slot> -> IMIDGRAPH:<slot>)


def attribute(slot: str, value) -> dict:
    """A KGX slot as a TRAPI attribute."""
    kind = f"{OUR_PREFIX}:{slot[len('imidgraph_'):]}" if slot.startswith("imidgraph_") else f"biolink:{slot}"
    return {"attribute_type_id": kind, "value": value}


def trapi_node(node: dict) -> dict:
    out: dict = {"categories": list(node["category"])}
    if "name" in node:
        out["name"] = node["name"]
    out["attributes"] = [attribute(s, v) for s, v in node.items() if s not in ("id", "category", "name")]
    return out


def is_qualifier(slot: str) -> bool:
    return slot.endswith("_qualifier") or slot == "qualified_predicate"


def trapi_edge(edge: dict) -> dict:
    out: dict = {"subject": edge["subject"], "predicate": edge["predicate"], "object": edge["object"]}
    qualifiers, sources, attributes = [], [], []
    primary = edge.get("primary_knowledge_source")
    if primary:
        sources.append({"resource_id": primary, "resource_role": "primary_knowledge_source"})
    for aggregator in edge.get("aggregator_knowledge_source", []):
        sources.append(
            {"resource_id": aggregator, "resource_role": "aggregator_knowledge_source",
             "upstream_resource_ids": [primary] if primary else []}
        )  # fmt: skip
    for slot, value in edge.items():
        if slot in EDGE_CORE or slot in SOURCE_SLOTS:
            continue
        if is_qualifier(slot):
            for one in value if isinstance(value, list) else [value]:
                qualifiers.append({"qualifier_type_id": f"biolink:{slot}", "qualifier_value": one})
        else:
            attributes.append(attribute(slot, value))
    out["sources"] = sources
    if qualifiers:
        out["qualifiers"] = qualifiers
    out["attributes"] = attributes
    return out
