"""reasoner-validator's Biolink checks on a KGX export or on our TRAPI answers, with no network.

Usage (with the python of the venv rv-venv.sh prints):
  python rv_check.py NODES.jsonl EDGES.jsonl   a KGX export
  python rv_check.py --trapi RESPONSE.json     a TRAPI response (its query and knowledge graphs)
  python rv_check.py --meta META.json          a TRAPI meta knowledge graph (categories, predicates)
  (--trapi and --meta may be given any number of times: then one report per document, a list)

Prints one JSON object: {"biolink_version": ..., "counts": {level: n}, "messages": {level: {code: [ids]}}}
and exits 1 when any message is an error or critical.

The KGX export is read into a TRAPI 1.5 knowledge graph by the package's own mapping
(imidgraph/kgx_trapi.py, the one the TRAPI endpoint answers with). Only the Biolink checks run:
the TRAPI schema checks fetch the schema from GitHub. reasoner-validator 7.0.0 reads an edge's
``knowledge_level`` and ``agent_type`` as edge fields (TRAPI 2.0), TRAPI 1.5 has them as
attributes: they are lifted out of the attributes for it. The Biolink model is the
biolink-model 4.4.6 package's own yaml; bmt's predicate map (not in that package) is an empty map
served locally; any other attempt to reach the network fails loudly.
"""

import importlib.util
import json
import socket
import sys
from pathlib import Path


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

# the KGX -> TRAPI mapping is the package's own (imidgraph/kgx_trapi.py), loaded by its path: this
# venv has none of the package's dependencies, and that module needs none
_spec = importlib.util.spec_from_file_location(
    "kgx_trapi", Path(__file__).resolve().parents[2] / "imidgraph" / "kgx_trapi.py"
)
kgx_trapi = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(kgx_trapi)
LIFTED = ("biolink:knowledge_level", "biolink:agent_type")


def read(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def for_validator(edge):
    """A TRAPI 1.5 edge as reasoner-validator 7.0.0 reads it: that release follows TRAPI 2.0,
    where ``knowledge_level`` and ``agent_type`` are edge fields, not attributes."""
    out = dict(edge)
    out["attributes"] = [a for a in edge.get("attributes") or [] if a["attribute_type_id"] not in LIFTED]
    for a in edge.get("attributes") or []:
        if a["attribute_type_id"] in LIFTED:
            out[a["attribute_type_id"].split(":", 1)[1]] = a["value"]
    return out


def main(nodes_path, edges_path):
    nodes = {n["id"]: kgx_trapi.trapi_node(n) for n in read(nodes_path)}
    edges = {e["id"]: kgx_trapi.trapi_edge(e) for e in read(edges_path)}
    return report(check_knowledge_graph(nodes, edges))


def check_trapi(response_path):
    """A TRAPI response: its query graph, then its knowledge graph."""
    with open(response_path, encoding="utf-8") as f:
        message = json.load(f)["message"]
    query = BiolinkValidator(biolink_version=None, strict_validation=True)
    query.check_biolink_model_compliance(message["query_graph"], graph_type=TRAPIGraphType.Query_Graph)
    kg = message.get("knowledge_graph") or {"nodes": {}, "edges": {}}
    return [query, *check_knowledge_graph(kg["nodes"], kg["edges"])]


def check_meta(meta_path):
    """A TRAPI meta knowledge graph: every category and every predicate (one validator each)."""
    with open(meta_path, encoding="utf-8") as f:
        meta = json.load(f)
    validators = []
    for category in meta["nodes"]:
        validator = BiolinkValidator(biolink_version=None, strict_validation=True)
        validator.validate_category(context="knowledge_graph", node_id=category, category=category)
        validators.append(validator)
    for edge in meta["edges"]:
        validator = BiolinkValidator(biolink_version=None, strict_validation=True)
        for category in (edge["subject"], edge["object"]):
            validator.validate_category(context="knowledge_graph", node_id=category, category=category)
        name = f"{edge['subject']}--{edge['predicate']}->{edge['object']}"
        validator.validate_predicate(name, edge["predicate"], graph_type=TRAPIGraphType.Knowledge_Graph)
        validators.append(validator)
    return validators


def main_documents(args):
    """``--trapi FILE`` and ``--meta FILE``, any number of them, in one run (the model is read
    once): one report for one document, else a list of reports in their order."""
    reports = []
    for flag, path in zip(args[::2], args[1::2], strict=True):
        reports.append(summary(check_trapi(path) if flag == "--trapi" else check_meta(path)))
    print(json.dumps(reports[0] if len(reports) == 1 else reports, indent=1, sort_keys=True, default=str))
    return 1 if any(r["counts"].get("error") or r["counts"].get("critical") for r in reports) else 0


def check_knowledge_graph(nodes, edges):
    # The validator stops checking edges after its first error, so that one bad edge would hide
    # the rest: the nodes are checked once, then every edge by a validator of its own.
    validators = [BiolinkValidator(biolink_version=None, strict_validation=True)]
    for node_id, node in nodes.items():
        validators[0].validate_graph_node(node_id, node, graph_type=TRAPIGraphType.Knowledge_Graph)
    for edge in edges.values():
        validator = BiolinkValidator(biolink_version=None, strict_validation=True)
        validator.set_nodes(nodes)
        validator.validate_graph_edge(for_validator(edge), graph_type=TRAPIGraphType.Knowledge_Graph)
        validators.append(validator)
    return validators


def summary(validators):
    counts, messages = {}, {}
    for validator in validators:
        for target in validator.get_all_messages().values():
            for test in target.values():
                for level, codes in test.items():
                    for code, by_id in codes.items():
                        ids = sorted(by_id or {"": None})
                        counts[level] = counts.get(level, 0) + len(ids)
                        messages.setdefault(level, {}).setdefault(code, []).extend(ids)
    return {"biolink_version": validators[0].get_biolink_version(), "counts": counts, "messages": messages}


def report(validators):
    out = summary(validators)
    print(json.dumps(out, indent=1, sort_keys=True, default=str))
    return 1 if out["counts"].get("error") or out["counts"].get("critical") else 0


if __name__ == "__main__":
    args = sys.argv[1:]
    if args and len(args) % 2 == 0 and all(a in ("--trapi", "--meta") for a in args[::2]):
        sys.exit(main_documents(args))
    if len(args) != 2 or args[0].startswith("--"):
        sys.exit(__doc__)
    sys.exit(main(*args))
