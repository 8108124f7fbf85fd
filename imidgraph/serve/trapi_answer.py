"""One-hop TRAPI 1.5 answers and the meta knowledge graph, from the graph (docs/trapi.md).

The nodes and edges are the KGX export's (:mod:`imidgraph.export`: one edge per relation, as
:func:`~imidgraph.export.kgx_statement` writes it), in TRAPI's shape (:mod:`imidgraph.kgx_trapi`).
Which relations touch a pinned node is asked of the backend through the catalogue's
``neighbourhood`` query (the embedded graph's twin offline, its Cypher on Neo4j), so both
backends answer alike; a query that pins no node reads every relation of the graph.
Categories and predicates follow Biolink's hierarchy (``resources/biolink_hierarchy.json``,
made from the biolink-model package by tools/interop/biolink_hierarchy.py): a query for an
ancestor finds the descendants, a predicate's inverse (or a symmetric predicate) finds an edge
read backwards.
"""

from __future__ import annotations

import json
import weakref
from dataclasses import dataclass, field
from functools import cache
from importlib.resources import files

from ..backends import MemoryBackend
from ..catalogue import get, read_catalogue
from ..export import KNOWLEDGE_SOURCE, kgx_node, kgx_statement
from ..kgx_trapi import is_qualifier, trapi_edge, trapi_node

RELATED_TO = "biolink:related_to"


@cache
def biolink() -> dict:
    """Biolink's hierarchy for our categories and predicates (see the module's docstring)."""
    return json.loads(files("imidgraph.resources").joinpath("biolink_hierarchy.json").read_text(encoding="utf-8"))


@dataclass
class Index:
    """What a graph's TRAPI answers are made of, made once per graph."""

    nodes: dict[str, dict]  # entity id -> KGX node
    statements: dict[str, dict]  # relation id -> KGX statement
    by_xref: dict[str, set[str]] = field(default_factory=dict)  # an xref -> our entity ids


_INDEXES: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def index(kg) -> Index:
    if kg not in _INDEXES:
        nodes = {i: kgx_node(kg, i) for i in sorted(kg.facts.entities)}
        statements = {r.id: kgx_statement(kg, r.id) for r in sorted(kg.facts.relations, key=lambda r: r.id)}
        by_xref: dict[str, set[str]] = {}
        for entity in kg.facts.entities.values():
            for xref in entity.xrefs:
                by_xref.setdefault(xref, set()).add(entity.id)
        _INDEXES[kg] = Index(nodes, statements, by_xref)
    return _INDEXES[kg]


# --------------------------------------------------------------------------- matching


def node_matches(qnode: dict, entity_id: str, idx: Index) -> str | None | bool:
    """False if our entity does not fit the query node; else the query id it was found by
    (None when the node is not pinned, or is pinned by our own id)."""
    found: str | None | bool = None
    if qnode.get("ids"):
        found = False
        for qid in qnode["ids"]:
            if qid == entity_id:
                found = None
                break
            if entity_id in idx.by_xref.get(qid, ()):
                found = qid
        if found is False:
            return False
    if qnode.get("categories"):
        ancestors = {a for c in idx.nodes[entity_id]["category"] for a in biolink()["categories"][c]}
        if not ancestors & set(qnode["categories"]):
            return False
    return found


def predicate_matches(wanted: list[str], predicate: str, backwards: bool) -> bool:
    """Whether an edge of ``predicate`` answers a query edge of any of ``wanted``: read forwards
    when one of them is the predicate or above it; backwards when the inverse of one of them is,
    or one of them is symmetric and is. No predicates means biolink:related_to (symmetric)."""
    model = biolink()
    above = set(model["predicates"][predicate])
    for p in wanted or [RELATED_TO]:
        if not backwards and p in above:
            return True
        if backwards and (model["inverses"].get(p) in above or (p in model["symmetric"] and p in above)):
            return True
    return False


def qualifiers_match(constraints: list[dict], statement: dict, backwards: bool) -> bool:
    """TRAPI's qualifier constraints: one of the sets, each of its qualifiers stated by the edge
    with that very value. An edge read backwards states its qualifiers of the other direction:
    it meets no constraint."""
    if not constraints:
        return True
    if backwards:
        return False
    stated = set()
    for slot, value in statement.items():
        if is_qualifier(slot):
            for one in value if isinstance(value, list) else [value]:
                stated.add((f"biolink:{slot}", one))
    return any(
        all((q["qualifier_type_id"], q["qualifier_value"]) in stated for q in c.get("qualifier_set", []))
        for c in constraints
    )


def candidates(kg, idx: Index, pinned: set[str], backend) -> list[str]:
    """Relation ids that may answer: those of the pinned entities, asked of the backend, or
    every relation when no node is pinned."""
    if not pinned:
        return list(idx.statements)
    runner = backend if backend is not None else MemoryBackend(kg)
    query = get(read_catalogue(), "neighbourhood")
    found: set[str] = set()
    for entity_id in sorted(pinned):
        found |= {row["relation_id"] for row in runner.run(query, {"entity": entity_id}).records()}
    return sorted(found)


def pinned_entities(qnode: dict, idx: Index) -> set[str]:
    ids = set()
    for qid in qnode.get("ids") or ():
        if qid in idx.nodes:
            ids.add(qid)
        ids |= idx.by_xref.get(qid, set())
    return ids


def answer(kg, query_graph: dict, backend=None, max_results: int = 1000) -> tuple[dict, list[str]]:
    """The message answering a one-hop query graph (already checked), and the log lines."""
    idx = index(kg)
    (qe, qedge), = query_graph["edges"].items()  # fmt: skip
    qs, qo = qedge["subject"], qedge["object"]
    qnodes = query_graph["nodes"]
    pinned = [qn for qn in (qs, qo) if qnodes[qn].get("ids")]
    entities = set.union(*(pinned_entities(qnodes[qn], idx) for qn in pinned)) if pinned else set()
    logs = []
    if pinned and not entities:
        logs.append("none of the query's ids is a node of ours (nor an xref of one)")
    results: dict[tuple[str, str], dict] = {}
    for rid in ([] if pinned and not entities else candidates(kg, idx, entities, backend)):
        statement = idx.statements[rid]
        for backwards in (False, True):
            s_end, o_end = (statement["object"], statement["subject"]) if backwards else (statement["subject"], statement["object"])
            if not predicate_matches(qedge.get("predicates") or [], statement["predicate"], backwards):
                continue
            if not qualifiers_match(qedge.get("qualifier_constraints") or [], statement, backwards):
                continue
            s_found, o_found = node_matches(qnodes[qs], s_end, idx), node_matches(qnodes[qo], o_end, idx)
            if s_found is False or o_found is False:
                continue
            result = results.setdefault((s_end, o_end), {"found": (s_found, o_found), "edges": []})
            if rid not in result["edges"]:
                result["edges"].append(rid)
    ranked = sorted(results.items(), key=lambda kv: (-len(kv[1]["edges"]), kv[0]))
    if len(ranked) > max_results:
        logs.append(f"{len(ranked)} results found, the first {max_results} returned (the most edges first)")
        ranked = ranked[:max_results]
    knowledge_graph: dict = {"nodes": {}, "edges": {}}
    out_results = []
    for (s_end, o_end), result in ranked:
        bindings = {}
        for qn, entity_id, qid in ((qs, s_end, result["found"][0]), (qo, o_end, result["found"][1])):
            binding = {"id": entity_id, "attributes": []}
            if qid:
                binding["query_id"] = qid
            bindings[qn] = [binding]
            knowledge_graph["nodes"].setdefault(entity_id, trapi_node(idx.nodes[entity_id]))
        for rid in result["edges"]:
            knowledge_graph["edges"].setdefault(rid, trapi_edge_of(kg, idx, rid))
        out_results.append({
            "node_bindings": bindings,
            "analyses": [{
                "resource_id": KNOWLEDGE_SOURCE,
                "edge_bindings": {qe: [{"id": rid, "attributes": []} for rid in result["edges"]]},
            }],
        })  # fmt: skip
    message = {"query_graph": query_graph, "knowledge_graph": knowledge_graph, "results": out_results}
    return message, logs


def trapi_edge_of(kg, idx: Index, rid: str) -> dict:
    """A relation as a TRAPI edge: the KGX statement's, with the source and section it cites."""
    edge = trapi_edge(idx.statements[rid])
    citation = kg.relation(rid).citation
    edge["attributes"] += [
        {"attribute_type_id": "IMIDGRAPH:source", "value": citation.source},
        {"attribute_type_id": "IMIDGRAPH:section", "value": citation.section},
    ]
    return edge


# --------------------------------------------------------------------------- the meta knowledge graph


def meta_knowledge_graph(kg) -> dict:
    """Our categories with the prefixes of their ids; every (subject category, predicate, object
    category) of our edges, with the qualifiers (and values) they carry."""
    idx = index(kg)
    prefixes: dict[str, set[str]] = {}
    for node in idx.nodes.values():
        for category in node["category"]:
            prefixes.setdefault(category, set()).add(node["id"].split(":", 1)[0])
    triples: dict[tuple[str, str, str], dict[str, set[str]]] = {}
    for statement in idx.statements.values():
        for s in idx.nodes[statement["subject"]]["category"]:
            for o in idx.nodes[statement["object"]]["category"]:
                qualifiers = triples.setdefault((s, statement["predicate"], o), {})
                for slot, value in statement.items():
                    if is_qualifier(slot):
                        values = qualifiers.setdefault(f"biolink:{slot}", set())
                        values |= set(value) if isinstance(value, list) else {value}
    edges = []
    for (s, p, o), qualifiers in sorted(triples.items()):
        edge: dict = {"subject": s, "predicate": p, "object": o, "knowledge_types": ["lookup"]}
        if qualifiers:
            edge["qualifiers"] = [
                {"qualifier_type_id": q, "applicable_values": sorted(v)} for q, v in sorted(qualifiers.items())
            ]
        edges.append(edge)
    nodes = {c: {"id_prefixes": sorted(p)} for c, p in sorted(prefixes.items())}
    return {"nodes": nodes, "edges": edges}
