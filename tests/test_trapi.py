"""TRAPI 1.5 on the graph (imidgraph/serve/trapi.py, docs/trapi.md), through FastAPI's test client.

Every answer parses with reasoner-pydantic's TRAPI models; reasoner-validator 7.0.0's Biolink
checks (tools/interop/rv_check.py, in the venv of tools/interop/rv-venv.sh, offline) find no
errors in a whole-graph answer and in the meta knowledge graph, and do find the errors of a
broken answer.
"""

from __future__ import annotations

import json
import runpy
import subprocess
import warnings
from pathlib import Path

import pytest
from fastapi import FastAPI
from reasoner_pydantic import MetaKnowledgeGraph, Response

from imidgraph.serve import trapi
from imidgraph.serve.trapi_answer import biolink

from .conftest import ROOT

with warnings.catch_warnings():  # starlette warns when the test client runs on httpx instead of httpx2
    warnings.simplefilter("ignore", DeprecationWarning)
    from fastapi.testclient import TestClient

TOOLS = ROOT / "tools" / "interop"
LENALIDOMIDE, POMALIDOMIDE, THALIDOMIDE = "CHEBI:63791", "CHEBI:72690", "CHEBI:9513"
CRBN, CK1A, IKZF1 = "HGNC:30185", "HGNC:2451", "HGNC:13176"


def _app(kg, **options) -> TestClient:
    app = FastAPI()
    app.include_router(trapi.router(lambda: kg, **options))
    return TestClient(app)


@pytest.fixture(scope="module")
def client(kg):
    return _app(kg)


def one_hop(subject: dict, object_: dict, **edge) -> dict:
    return {"message": {"query_graph": {
        "nodes": {"s": subject, "o": object_}, "edges": {"e": {"subject": "s", "object": "o", **edge}},
    }}}  # fmt: skip


def ask(client, query: dict) -> dict:
    """POST a query; the answer must be a 200 that reasoner-pydantic's Response parses."""
    done = client.post("/trapi/query", json=query)
    assert done.status_code == 200, done.text
    body = done.json()
    Response.model_validate(body)
    assert body["schema_version"] == "1.5.0" and body["biolink_version"] == "4.4.6"
    return body


def pairs(body: dict) -> set[tuple[str, str]]:
    return {(r["node_bindings"]["s"][0]["id"], r["node_bindings"]["o"][0]["id"]) for r in body["message"]["results"]}


def attributes(thing: dict) -> dict:
    return {a["attribute_type_id"]: a["value"] for a in thing["attributes"]}


# --------------------------------------------------------------------------- answers


def test_a_drug_s_effect_on_a_gene_with_its_qualifiers_sources_and_citation(client, kg):
    body = ask(client, one_hop({"ids": [LENALIDOMIDE]}, {"ids": [CK1A]}, predicates=["biolink:affects"]))
    assert pairs(body) == {(LENALIDOMIDE, CK1A)}
    (result,) = body["message"]["results"]
    bound = [b["id"] for b in result["analyses"][0]["edge_bindings"]["e"]]
    assert result["analyses"][0]["resource_id"] == "infores:imidgraph"
    edges = body["message"]["knowledge_graph"]["edges"]
    assert sorted(edges) == sorted(bound)
    # every relation lenalidomide -> CK1a that Biolink calls "affects" is one edge, ours all
    stated = sorted(r.id for r in kg.relations_of("lenalidomide") if r.object == CK1A and r.predicate in ("degrades", "decreases", "increases", "modulates"))
    assert sorted(bound) == stated and len(stated) >= 2
    edge = edges["IMIDGRAPH:aac78275d1024b08"]
    assert (edge["subject"], edge["predicate"], edge["object"]) == (LENALIDOMIDE, "biolink:affects", CK1A)
    assert edge["sources"] == [{"resource_id": "infores:imidgraph", "resource_role": "primary_knowledge_source"}]
    assert sorted((q["qualifier_type_id"], q["qualifier_value"]) for q in edge["qualifiers"]) == [
        ("biolink:disease_context_qualifier", "MONDO:0005170"),
        ("biolink:object_aspect_qualifier", "degradation"),
        ("biolink:object_direction_qualifier", "increased"),
        ("biolink:qualified_predicate", "biolink:causes"),
    ]
    a = attributes(edge)
    assert a["biolink:knowledge_level"] == "knowledge_assertion" and a["biolink:agent_type"] == "manual_agent"
    assert a["biolink:publications"] == ["doi:10.3389/fimmu.2022.1017990"]
    assert a["biolink:description"] == "In myeloid neoplasm cells lenalidomide removes CK1-alpha more effectively than thalidomide or pomalidomide do."
    assert a["IMIDGRAPH:evidence_level"] == ["in_vitro"]
    assert a["IMIDGRAPH:source"] == "guo2022" and a["IMIDGRAPH:section"] == "2.2 Mechanism of action"
    assert a["IMIDGRAPH:citation"] == ["guo2022 doi:10.3389/fimmu.2022.1017990 §2.2 Mechanism of action refs 80, 186, 187"]
    nodes = body["message"]["knowledge_graph"]["nodes"]
    assert nodes[CK1A]["name"] == "CSNK1A1" and nodes[CK1A]["categories"] == ["biolink:Gene"]
    assert "UniProtKB:P48729" in attributes(nodes[CK1A])["biolink:xref"]
    assert "CK1a" in attributes(nodes[CK1A])["biolink:synonym"]


def test_a_category_finds_its_descendants_chemical_entity_finds_the_drugs(client):
    body = ask(client, one_hop({"categories": ["biolink:ChemicalEntity"]}, {"ids": [CRBN]},
                               predicates=["biolink:directly_physically_interacts_with"]))  # fmt: skip
    found = {s for s, _ in pairs(body)}
    assert {LENALIDOMIDE, POMALIDOMIDE, THALIDOMIDE} <= found
    nodes = body["message"]["knowledge_graph"]["nodes"]
    for s in found:
        assert any("biolink:ChemicalEntity" in biolink()["categories"][c] for c in nodes[s]["categories"]), s
    # no chemical is a Gene: the same question about genes finds none of the drugs
    genes = ask(client, one_hop({"categories": ["biolink:Gene"]}, {"ids": [CRBN]},
                                predicates=["biolink:directly_physically_interacts_with"]))  # fmt: skip
    assert not {s for s, _ in pairs(genes)} & found


def test_a_predicate_finds_its_descendants_and_not_its_ancestors(client):
    narrow = pairs(ask(client, one_hop({"ids": [LENALIDOMIDE]}, {"categories": ["biolink:Gene"]}, predicates=["biolink:affects"])))
    broad = pairs(ask(client, one_hop({"ids": [LENALIDOMIDE]}, {"categories": ["biolink:Gene"]}, predicates=["biolink:related_to"])))
    assert (LENALIDOMIDE, CK1A) in narrow and narrow < broad
    assert (LENALIDOMIDE, CRBN) in broad and (LENALIDOMIDE, CRBN) not in narrow  # binds is no "affects"
    # a predicate below ours finds nothing: no edge of ours says "increases amount or activity of"
    assert not pairs(ask(client, one_hop({"ids": [LENALIDOMIDE]}, {"ids": [CK1A]}, predicates=["biolink:affects_response_to"])))


def test_an_inverse_predicate_reads_our_edges_backwards(client):
    forward = ask(client, one_hop({"ids": [LENALIDOMIDE]}, {"categories": ["biolink:Gene"]}, predicates=["biolink:affects"]))
    backward = ask(client, one_hop({"categories": ["biolink:Gene"]}, {"ids": [LENALIDOMIDE]}, predicates=["biolink:affected_by"]))
    assert {(o, s) for s, o in pairs(backward)} == pairs(forward)
    # the edges themselves keep our direction: lenalidomide affects the gene
    for edge in backward["message"]["knowledge_graph"]["edges"].values():
        assert (edge["subject"], edge["predicate"]) == (LENALIDOMIDE, "biolink:affects")
    # "affects" asked the other way round finds nothing that lenalidomide affects
    assert not pairs(ask(client, one_hop({"ids": [CK1A]}, {"ids": [LENALIDOMIDE]}, predicates=["biolink:affects"])))


def test_a_symmetric_predicate_is_answered_both_ways(client):
    asked = one_hop({"ids": [CRBN]}, {"ids": [LENALIDOMIDE]}, predicates=["biolink:directly_physically_interacts_with"])
    body = ask(client, asked)
    assert pairs(body) == {(CRBN, LENALIDOMIDE)}
    for edge in body["message"]["knowledge_graph"]["edges"].values():
        assert (edge["subject"], edge["object"]) == (LENALIDOMIDE, CRBN)  # as stated: the drug binds CRBN


def test_qualifier_constraints_keep_only_the_edges_that_carry_them(client):
    def edges(constraints):
        body = ask(client, one_hop({"ids": [LENALIDOMIDE]}, {"categories": ["biolink:Gene"]},
                                   predicates=["biolink:affects"], qualifier_constraints=constraints))  # fmt: skip
        return body["message"]["knowledge_graph"]["edges"]

    everything = edges([])
    degraded = edges([{"qualifier_set": [
        {"qualifier_type_id": "biolink:object_aspect_qualifier", "qualifier_value": "degradation"},
        {"qualifier_type_id": "biolink:object_direction_qualifier", "qualifier_value": "increased"},
    ]}])  # fmt: skip
    assert degraded and set(degraded) < set(everything)
    for edge in degraded.values():
        assert {"biolink:object_aspect_qualifier": "degradation", "biolink:object_direction_qualifier": "increased"}.items() <= {
            q["qualifier_type_id"]: q["qualifier_value"] for q in edge["qualifiers"]}.items()  # fmt: skip
    # every edge left out lacks one of the two
    for rid in set(everything) - set(degraded):
        stated = {(q["qualifier_type_id"], q["qualifier_value"]) for q in everything[rid].get("qualifiers", [])}
        assert not {("biolink:object_aspect_qualifier", "degradation"), ("biolink:object_direction_qualifier", "increased")} <= stated
    # two sets: either will do
    either = edges([
        {"qualifier_set": [{"qualifier_type_id": "biolink:object_aspect_qualifier", "qualifier_value": "degradation"}]},
        {"qualifier_set": [{"qualifier_type_id": "biolink:object_direction_qualifier", "qualifier_value": "decreased"}]},
    ])  # fmt: skip
    assert set(degraded) <= set(either) <= set(everything)
    assert not edges([{"qualifier_set": [{"qualifier_type_id": "biolink:object_aspect_qualifier", "qualifier_value": "no_such_aspect"}]}])


def test_an_xref_of_ours_finds_our_node_and_says_which_id_it_was_found_by(client, kg):
    crbn = kg.entity("CRBN")
    assert crbn.xrefs == ("UniProtKB:Q96SW2",)
    body = ask(client, one_hop({"ids": [LENALIDOMIDE]}, {"ids": ["UniProtKB:Q96SW2"]}))
    assert pairs(body) == {(LENALIDOMIDE, CRBN)}
    assert body["message"]["results"][0]["node_bindings"]["o"] == [{"id": CRBN, "query_id": "UniProtKB:Q96SW2", "attributes": []}]


def test_an_unknown_id_is_answered_with_no_results_and_a_warning(client):
    body = ask(client, one_hop({"ids": ["CHEBI:0"]}, {"categories": ["biolink:Gene"]}))
    assert body["message"]["results"] == [] and body["message"]["knowledge_graph"] == {"nodes": {}, "edges": {}}
    assert [(log["level"], log["message"]) for log in body["logs"]] == [
        ("WARNING", "none of the query's ids is a node of ours (nor an xref of one)"), ("INFO", "0 results")]


def test_results_are_limited_and_the_logs_say_how_many_were_found(kg, client):
    query = one_hop({"ids": [LENALIDOMIDE]}, {"categories": ["biolink:Gene"]})
    whole = ask(client, query)
    n = len(whole["message"]["results"])
    assert n > 3
    cut = ask(_app(kg, max_results=3), query)
    assert cut["message"]["results"] == whole["message"]["results"][:3]  # the most edges first
    assert ("WARNING", f"{n} results found, the first 3 returned (the most edges first)") in [
        (log["level"], log["message"]) for log in cut["logs"]]  # fmt: skip
    bound = {e["id"] for r in cut["message"]["results"] for e in r["analyses"][0]["edge_bindings"]["e"]}
    assert set(cut["message"]["knowledge_graph"]["edges"]) == bound


# --------------------------------------------------------------------------- queries refused


@pytest.mark.parametrize(
    ("body", "code", "status", "description"),
    [
        ("not json", 422, "BadRequest", "the request body is not JSON"),
        ({"message": {}}, 422, "BadRequest", "not a TRAPI query: message.query_graph: Field required"),
        (one_hop({"ids": ["lenalidomide"]}, {}), 422, "BadRequest", "not a TRAPI query: not a CURIE: 'lenalidomide'"),
        (one_hop({"categories": ["Gene"]}, {}), 422, "BadRequest", "not a TRAPI query: not a Biolink category: 'Gene' (e.g. biolink:Gene)"),
        (one_hop({}, {}, predicates=["affects"]), 422, "BadRequest", "not a TRAPI query: not a Biolink predicate: 'affects' (e.g. biolink:affects)"),
        (one_hop({"ids": "CHEBI:63791"}, {}), 422, "BadRequest", "not a TRAPI query: message.query_graph.nodes.s.ids: Input should be a valid list"),
        ({"message": {"query_graph": {"nodes": {"a": {}, "b": {}, "c": {}}, "edges": {
            "e1": {"subject": "a", "object": "b"}, "e2": {"subject": "b", "object": "c"}}}}},
         400, "QueryNotTraversable", "only one-hop query graphs are answered (two nodes, one edge); this one has 3 nodes and 2 edges"),
        ({"message": {"query_graph": {"nodes": {"a": {}, "b": {}}, "edges": {"e": {"subject": "a", "object": "x"}}}}},
         400, "QueryNotTraversable", "edge 'e' must join the query's two nodes"),
        (one_hop({}, {}, attribute_constraints=[{"id": "biolink:p_value", "name": "p", "operator": "<", "value": 0.05}]),
         400, "UnsupportedConstraint", "attribute constraints are not supported (qualifier constraints are)"),
        (one_hop({}, {}, knowledge_type="inferred"), 400, "UnsupportedOperation", "only lookups are answered, not knowledge_type 'inferred'"),
        ({**one_hop({}, {}), "workflow": [{"id": "score"}]}, 400, "UnsupportedOperation", "only the lookup operation is answered, not 'score'"),
        (one_hop({"ids": [f"CHEBI:{i}" for i in range(101)]}, {}), 400, "BadRequest", "node 's' has 101 ids; at most 100 are answered"),
    ],
)  # fmt: skip
def test_a_query_we_do_not_answer_gets_a_trapi_style_refusal(client, body, code, status, description):
    sent = client.post("/trapi/query", content=body) if isinstance(body, str) else client.post("/trapi/query", json=body)
    assert sent.status_code == code
    answer = sent.json()
    assert (answer["status"], answer["description"]) == (status, description)
    assert answer["logs"][0]["level"] == "ERROR" and answer["logs"][0]["message"] == description
    assert "Traceback" not in sent.text


def test_the_openapi_document_describes_both_routes(client):
    paths = client.get("/openapi.json").json()["paths"]
    assert paths["/trapi/query"]["post"]["tags"] == ["TRAPI"]
    assert sorted(paths["/trapi/query"]["post"]["responses"]) == ["200", "400", "422"]
    example = paths["/trapi/query"]["post"]["requestBody"]["content"]["application/json"]["example"]
    assert ask(client, example)["message"]["results"]  # the example is answered
    assert paths["/trapi/meta_knowledge_graph"]["get"]["operationId"] == "trapi_meta_knowledge_graph"


# --------------------------------------------------------------------------- the meta knowledge graph


def test_the_meta_knowledge_graph_lists_every_kind_of_edge_with_its_qualifiers(client, kg):
    from imidgraph.export import kgx_node, kgx_statement

    done = client.get("/trapi/meta_knowledge_graph")
    assert done.status_code == 200
    meta = done.json()
    MetaKnowledgeGraph.model_validate(meta)
    assert "CHEBI" in meta["nodes"]["biolink:Drug"]["id_prefixes"] and meta["nodes"]["biolink:Gene"]["id_prefixes"] == ["HGNC"]
    triples = {(e["subject"], e["predicate"], e["object"]): e for e in meta["edges"]}
    assert len(triples) == len(meta["edges"])
    for relation in kg.facts.relations:
        statement = kgx_statement(kg, relation.id)
        (s,), (o,) = kgx_node(kg, relation.subject)["category"], kgx_node(kg, relation.object)["category"]
        assert (s, statement["predicate"], o) in triples, relation.id
    drug_gene = {q["qualifier_type_id"]: q["applicable_values"] for q in triples[("biolink:Drug", "biolink:affects", "biolink:Gene")]["qualifiers"]}
    assert {"degradation", "activity"} <= set(drug_gene["biolink:object_aspect_qualifier"])
    assert drug_gene["biolink:object_direction_qualifier"] == ["decreased", "increased"]


def test_the_biolink_hierarchy_is_what_the_biolink_model_package_says_of_our_graph():
    tool = runpy.run_path(str(TOOLS / "biolink_hierarchy.py"), run_name="check")
    made = tool["hierarchy"](*tool["ours"]())
    assert made == json.loads((ROOT / "imidgraph" / "resources" / "biolink_hierarchy.json").read_text()), (
        "imidgraph/resources/biolink_hierarchy.json is stale: run tools/interop/biolink_hierarchy.py"
    )


# --------------------------------------------------------------------------- reasoner-validator


@pytest.fixture(scope="module")
def rv_python() -> Path:
    done = subprocess.run(["bash", str(TOOLS / "rv-venv.sh")], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.fail(f"rv-venv.sh could not build its environment:\n{done.stderr[-3000:]}", pytrace=False)
    return Path(done.stdout.strip().splitlines()[-1]) / "bin" / "python"


@pytest.fixture(scope="module")
def whole_graph(kg) -> dict:
    """Every edge of the graph, as the answer to "anything related to anything"."""
    body = ask(_app(kg, max_results=100_000), one_hop({"categories": ["biolink:NamedThing"]}, {"categories": ["biolink:NamedThing"]}))
    assert len(body["message"]["knowledge_graph"]["edges"]) == len(kg.facts.relations)
    return body


@pytest.fixture(scope="module")
def broken(client) -> dict:
    """An answer spoilt three ways, for the validator to catch."""
    body = ask(client, one_hop({"ids": [LENALIDOMIDE]}, {"categories": ["biolink:Disease"]}, predicates=["biolink:applied_to_treat"]))
    edges = body["message"]["knowledge_graph"]["edges"]
    edges[next(iter(edges))]["predicate"] = "biolink:treats"  # a mixin: Biolink 4.4.6 allows it on no edge
    body["message"]["knowledge_graph"]["nodes"][LENALIDOMIDE]["categories"] = ["biolink:NoSuchCategory"]
    body["message"]["query_graph"]["edges"]["e"]["predicates"] = ["biolink:treats"]  # the query graph is checked too
    return body


@pytest.fixture(scope="module")
def validated(rv_python, whole_graph, client, broken, tmp_path_factory) -> tuple[int, list[dict]]:
    """reasoner-validator's reports on the whole-graph answer, the meta knowledge graph and the
    broken answer, in one run of rv_check.py (the Biolink model is read once)."""
    where = tmp_path_factory.mktemp("rv")
    documents = {"answer.json": whole_graph, "meta.json": client.get("/trapi/meta_knowledge_graph").json(), "broken.json": broken}
    for name, document in documents.items():
        (where / name).write_text(json.dumps(document))
    done = subprocess.run(
        [str(rv_python), str(TOOLS / "rv_check.py"), "--trapi", "answer.json", "--meta", "meta.json", "--trapi", "broken.json"],
        cwd=where, capture_output=True, text=True,
    )  # fmt: skip
    assert done.stdout, done.stderr[-3000:]
    reports = json.loads(done.stdout)
    assert [r["biolink_version"] for r in reports] == ["4.4.6"] * 3
    return done.returncode, reports


def test_reasoner_validator_finds_no_errors_in_an_answer_holding_every_edge(validated):
    report = validated[1][0]
    assert "error" not in report["counts"] and "critical" not in report["counts"], report["messages"].get("error")
    assert report["counts"]["warning"] > 0  # it did look


def test_reasoner_validator_finds_no_errors_in_the_meta_knowledge_graph(validated):
    report = validated[1][1]
    assert "error" not in report["counts"] and "critical" not in report["counts"], report["messages"].get("error")
    assert report["messages"]["warning"]["warning.knowledge_graph.edge.predicate.non_canonical"]  # it did look


def test_reasoner_validator_catches_a_broken_answer(validated):
    code, reports = validated
    assert code == 1
    assert reports[2]["messages"]["error"] == {
        "error.knowledge_graph.edge.predicate.mixin": ["biolink:treats"],
        "error.knowledge_graph.node.categories.not_concrete": [LENALIDOMIDE],
        "error.knowledge_graph.node.category.unknown": ["biolink:NoSuchCategory"],
        "error.query_graph.edge.predicate.mixin": ["biolink:treats"],
    }


# --------------------------------------------------------------------------- both backends


@pytest.mark.neo4j
def test_neo4j_gives_the_same_answers(kg, client, loaded_server):
    on_neo4j = _app(kg, backend_for=lambda: loaded_server)
    for query in (  # a pinned subject, read forwards and backwards; a pinned object
        one_hop({"ids": [LENALIDOMIDE]}, {"categories": ["biolink:Gene"]}, predicates=["biolink:related_to"]),
        one_hop({"categories": ["biolink:ChemicalEntity"]}, {"ids": [IKZF1]}, predicates=["biolink:affects"]),
    ):
        memory, neo4j = ask(client, query), ask(on_neo4j, query)
        assert memory["message"]["results"], query
        assert neo4j["message"] == memory["message"]
