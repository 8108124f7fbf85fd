"""reasoner-validator's Biolink checks on a KGX export, with no network.

Usage: python rv_check.py NODES.jsonl EDGES.jsonl   (with the python of the venv rv-venv.sh prints)

Prints one JSON object: {"biolink_version": ..., "counts": {level: n}, "messages": {level: {code: [ids]}}}
and exits 1 when any message is an error or critical.

The KGX export is read into a TRAPI 1.5 knowledge graph the way Translator tools do: a node's
``category`` becomes ``categories``, an edge's ``*_qualifier`` slots (and ``qualified_predicate``)
become its ``qualifiers``, ``knowledge_level`` and ``agent_type`` stay edge fields (TRAPI 1.6),
``primary_knowledge_source`` / ``aggregator_knowledge_source`` its
``sources``, and every other slot an attribute whose ``attribute_type_id`` is ``biolink:<slot>``
(our own ``imidgraph_*`` slots are kept as attributes under our prefix). The Biolink model is the
biolink-model 4.4.6 package's own yaml; bmt's predicate map (not in that package) is an empty map
served locally; any other attempt to reach the network fails loudly.
"""

import json
import socket
import sys


def _refuse(*args, **kwargs):
    raise RuntimeError(f"rv_check: the network is off limits here, refused {args[:2]!r}")


socket.socket.connect = _refuse
socket.create_connection = _refuse
socket.getaddrinfo = _refuse

import requests  # noqa: E402


class _EmptyPredicateMap:
    status_code = 200
    text = "predicate mappings: []\n"

    def raise_for_status(self):
        pass


def _get(url, *args, **kwargs):
    if str(url).endswith("predicate_mapping.yaml"):
        return _EmptyPredicateMap()
    raise RuntimeError(f"rv_check: the network is off limits here, refused {url}")


requests.get = _get

from reasoner_validator.biolink import BiolinkValidator  # noqa: E402
from reasoner_validator.report import TRAPIGraphType  # noqa: E402
from reasoner_validator.trapi import TRAPISchemaValidator  # noqa: E402

# Its constructor pings the TRAPI standards site (for TRAPI schema checks, not the Biolink ones run
# here): mark that ping as done so that the refused network is not even asked.
TRAPISchemaValidator._validation_metadata_checked = True

SOURCE_SLOTS = ("primary_knowledge_source", "aggregator_knowledge_source")
EDGE_CORE = ("id", "subject", "predicate", "object")
TOP_LEVEL = ("knowledge_level", "agent_type")  # TRAPI 1.6 edge fields, not attributes


def read(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def attribute(slot, value):
    # our own slots under our own prefix (a TRAPI attribute type is a CURIE)
    kind = f"IMIDGRAPH:{slot[len('imidgraph_'):]}" if slot.startswith("imidgraph_") else f"biolink:{slot}"
    return {"attribute_type_id": kind, "value": value}


def trapi_node(node):
    out = {"categories": node["category"], "attributes": []}
    if "name" in node:
        out["name"] = node["name"]
    for slot, value in node.items():
        if slot not in ("id", "category", "name"):
            out["attributes"].append(attribute(slot, value))
    return out


def trapi_edge(edge):
    out = {"subject": edge["subject"], "predicate": edge["predicate"], "object": edge["object"]}
    qualifiers, sources, attributes = [], [], []
    primary = edge.get("primary_knowledge_source")
    if primary:
        sources.append({"resource_id": primary, "resource_role": "primary_knowledge_source"})
    for aggregator in edge.get("aggregator_knowledge_source", []):
        sources.append(
            {"resource_id": aggregator, "resource_role": "aggregator_knowledge_source",
             "upstream_resource_ids": [primary] if primary else []}
        )
    for slot, value in edge.items():
        if slot in EDGE_CORE or slot in SOURCE_SLOTS:
            continue
        if slot in TOP_LEVEL:
            out[slot] = value
            continue
        if slot.endswith("_qualifier") or slot == "qualified_predicate":
            for one in value if isinstance(value, list) else [value]:
                qualifiers.append({"qualifier_type_id": f"biolink:{slot}", "qualifier_value": one})
        else:
            attributes.append(attribute(slot, value))
    out["sources"] = sources
    if qualifiers:
        out["qualifiers"] = qualifiers
    out["attributes"] = attributes
    return out


def main(nodes_path, edges_path):
    nodes = {n["id"]: trapi_node(n) for n in read(nodes_path)}
    edges = {e["id"]: trapi_edge(e) for e in read(edges_path)}
    # The validator stops checking edges after its first error, so that one bad edge would hide
    # the rest: the nodes are checked once, then every edge by a validator of its own.
    validators = [BiolinkValidator(biolink_version=None, strict_validation=True)]
    for node_id, node in nodes.items():
        validators[0].validate_graph_node(node_id, node, graph_type=TRAPIGraphType.Knowledge_Graph)
    for edge in edges.values():
        validator = BiolinkValidator(biolink_version=None, strict_validation=True)
        validator.set_nodes(nodes)
        validator.validate_graph_edge(edge, graph_type=TRAPIGraphType.Knowledge_Graph)
        validators.append(validator)
    counts, messages = {}, {}
    for validator in validators:
        for target in validator.get_all_messages().values():
            for test in target.values():
                for level, codes in test.items():
                    for code, by_id in codes.items():
                        ids = sorted(by_id or {"": None})
                        counts[level] = counts.get(level, 0) + len(ids)
                        messages.setdefault(level, {}).setdefault(code, []).extend(ids)
    report = {"biolink_version": validators[0].get_biolink_version(), "counts": counts, "messages": messages}
    print(json.dumps(report, indent=1, sort_keys=True, default=str))
    return 1 if counts.get("error") or counts.get("critical") else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
