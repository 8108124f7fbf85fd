"""imidgraph serve, in process (Starlette's test client): the JSON API answers with the CLI's own
--format json documents, the pages show them escaped and cited under a Content-Security-Policy,
and the server stays sound (404 with close matches, 422 with a message, limits, no traces)."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient

from imidgraph.cli import main
from imidgraph.serve import create_app
from imidgraph.serve.markup import POLICY
from imidgraph.serve.suggest import question
from imidgraph.view.page import vendor_scripts


@pytest.fixture(scope="module")
def client(kg):
    return TestClient(create_app(lambda: kg))


def cli_json(*args: str):
    result = CliRunner().invoke(main, list(args), catch_exceptions=False)
    assert result.exit_code == 0, result.output
    return json.loads(result.output)


# --------------------------------------------------------------------------- the same JSON as the CLI


def test_search_entity_explain_and_query_answer_with_the_clis_json(client):
    cases = [
        ("/api/search", {"q": "CK1 alpha degradation", "limit": 5}, ["search", "CK1 alpha degradation", "--limit", "5"]),
        ("/api/entity/CK1a", {}, ["show", "CK1a"]),
        ("/api/entity/CK1a", {"limit": 1, "predicate": "degrades"}, ["show", "CK1a", "--limit", "1", "--predicate", "degrades"]),
        ("/api/explain", {"drug": "lenalidomide", "target": "del(5q) MDS"}, ["explain", "lenalidomide", "del(5q) MDS"]),
        ("/api/explain", {"drug": "lenalidomide", "target": "multiple myeloma", "versus": "pomalidomide", "top": 2},
         ["explain", "lenalidomide", "multiple myeloma", "--versus", "pomalidomide", "--top", "2"]),
        ("/api/query/drug_targets", {"drug": "Revlimid"}, ["query", "drug_targets", "-p", "drug=Revlimid"]),
    ]  # fmt: skip
    for path, params, args in cases:
        response = client.get(path, params=params)
        assert response.status_code == 200, (path, response.text)
        assert response.json() == cli_json(*args, "--format", "json"), path


def test_the_csv_download_is_the_clis_csv_with_its_formula_guard(client):
    response = client.get("/api/query/drug_targets/csv", params={"drug": "lenalidomide"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert response.headers["content-disposition"] == 'attachment; filename="drug_targets.csv"'
    result = CliRunner().invoke(main, ["query", "drug_targets", "-p", "drug=lenalidomide", "--format", "csv"])
    assert response.text == result.output
    assert response.text.startswith("relation,target,aspect,")
    from imidgraph.backends import Table

    assert Table(["cell"], [["=HYPERLINK(1)"]]).to_csv() == "cell\n'=HYPERLINK(1)\n"  # the writer both use


def test_the_catalogue_lists_every_query_with_its_parameters(client):
    listed = {q["name"]: q for q in client.get("/api/queries").json()}
    assert "drug_targets" in listed and "combination_rationale" in listed
    assert listed["drug_targets"]["params"] == [
        {"key": "drug", "kind": "entity", "example": "lenalidomide", "doc": "the drug: a name, synonym or CURIE"}
    ]


# --------------------------------------------------------------------------- the search box


def test_a_question_is_read_as_a_drug_and_a_target():
    assert question("why does lenalidomide help del(5q) MDS?") == ("lenalidomide", "del(5q) MDS")
    assert question("How does pomalidomide work in multiple myeloma") == ("pomalidomide", "multiple myeloma")
    assert question("why does thalidomide cause peripheral neuropathy") == ("thalidomide", "peripheral neuropathy")
    assert question("why does lenalidomide help ") == ("lenalidomide", "")
    assert question("lenalidomide del(5q) MDS") is None


def test_suggestions_complete_names_synonyms_brands_and_spelled_out_greek(client):
    def first(q: str) -> dict:
        return client.get("/api/suggest", params={"q": q}).json()["suggestions"][0]

    assert first("revl") == {"text": "Revlimid", "by": "synonym", "id": "CHEBI:63791", "name": "lenalidomide", "category": "Drug"}
    assert first("ifn-gam")["name"] == "IFNG" and first("ifn-gam")["text"] == "IFN-γ"
    assert first("CK1 alph")["name"] == "CSNK1A1"
    assert first("lenalidomi")["name"] == "lenalidomide"


def test_a_question_suggests_its_targets_as_it_is_typed(client):
    answer = client.get("/api/suggest", params={"q": "why does lenalidomide help del(5"}).json()
    assert answer["question"] == {"drug": {"id": "CHEBI:63791", "name": "lenalidomide", "category": "Drug"}, "target": "del(5"}
    assert "del(5q)" in [s["text"] for s in answer["suggestions"]]


def test_the_search_page_sends_a_question_to_its_explanation_and_a_name_to_its_entity(client):
    asked = client.get("/search", params={"q": "why does lenalidomide help del(5q) MDS"}, follow_redirects=False)
    assert asked.status_code == 303 and asked.headers["location"] == "/explain?drug=lenalidomide&target=del%285q%29+MDS"
    named = client.get("/search", params={"q": "Revlimid"}, follow_redirects=False)
    assert named.status_code == 303 and named.headers["location"] == "/entity/CHEBI:63791"
    words = client.get("/search", params={"q": "cereblon degradation"})
    assert words.status_code == 200 and 'class="hits"' in words.text


# --------------------------------------------------------------------------- pages


def test_the_entity_page_shows_the_summary_relations_by_predicate_citations_and_a_picture(client):
    page = client.get("/entity/CK1a")
    assert page.status_code == 200
    text = page.text
    assert "<h1>CSNK1A1 <small>Gene</small></h1>" in text
    assert '<section class="group" id="p-degrades"><h3>degrades <small>(3 as object)</small></h3>' in text
    assert "<summary>guo2022 §2.2 Mechanism of action refs 171</summary>" in text
    assert "selectively destroys CK1-alpha" in text
    assert '<iframe src="/picture/entity/HGNC:2451"' in text
    picture = client.get("/picture/entity/HGNC:2451")
    assert picture.status_code == 200
    assert '<script src="/static/vendor/cytoscape.min.js"></script>' in picture.text
    meta = picture.text.split('http-equiv="Content-Security-Policy" content="')[1].split('"')[0]
    assert meta.startswith("default-src 'none'; script-src 'self' 'sha256-")
    assert picture.headers["content-security-policy"] == meta + "; frame-ancestors 'self'"


def test_the_explanation_page_has_each_group_cited_and_a_shareable_address(client, kg):
    page = client.get("/explain", params={"drug": "lenalidomide", "target": "multiple myeloma", "versus": "pomalidomide"})
    assert page.status_code == 200
    text = page.text
    doc = kg.explain("lenalidomide", "multiple myeloma", versus="pomalidomide").to_dict()
    assert f'<p class="summary">{doc["summary"]}</p>'.replace("'", "&#x27;") in text
    for group in ("paths", "standing", "versus"):
        assert f'<section class="group" id="{group}">' in text
    assert ('<a id="share" href="/explain?drug=lenalidomide&amp;target=multiple+myeloma&amp;versus=pomalidomide">') in text
    assert text.count('<details class="cite">') >= len(doc["paths"])
    assert '<iframe src="/picture/explain?drug=lenalidomide&amp;target=multiple+myeloma&amp;versus=pomalidomide"' in text


def test_the_query_page_runs_a_query_with_a_cited_table_and_a_csv_link(client):
    page = client.get("/queries/drug_targets", params={"drug": "lenalidomide", "run": "1"})
    assert page.status_code == 200
    assert '<a id="csv" href="/api/query/drug_targets/csv?drug=lenalidomide" download="drug_targets.csv">' in page.text
    assert "<th>source</th>" in page.text and "<td>guo2022</td>" in page.text


def test_pages_escape_what_was_typed_and_load_only_their_own_script(client):
    typed = '<script>alert("x")</script>'
    for response in (client.get("/search", params={"q": typed}), client.get("/entity/" + typed),
                     client.get("/explain", params={"drug": typed, "target": "MM"})):  # fmt: skip
        assert "<script>alert" not in response.text
        assert "&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt;" in response.text
        assert response.headers["content-security-policy"] == POLICY
        assert response.headers["x-content-type-options"] == "nosniff"
        assert response.text.count("<script") == 1 and '<script src="/static/site.js" defer></script>' in response.text


def test_the_vendored_libraries_are_served_from_the_package(client):
    assert client.get("/static/vendor/cytoscape.min.js").text == vendor_scripts()[0]
    assert client.get("/static/vendor/dagre.min.js").text == vendor_scripts()[1]
    assert client.get("/static/vendor/other.js").status_code == 404


# --------------------------------------------------------------------------- sound as a server


def test_unknown_names_are_404s_with_close_matches(client):
    response = client.get("/api/entity/lenalidomid")
    assert response.status_code == 404
    assert response.json()["suggestions"][0] == "lenalidomide"
    assert response.json()["error"].startswith("no entity named 'lenalidomid'; did you mean: lenalidomide")
    explain = client.get("/api/explain", params={"drug": "lenalidomid", "target": "MM"})
    assert explain.status_code == 404 and explain.json()["error"].startswith("drug: no entity named 'lenalidomid'")
    page = client.get("/entity/lenalidomid")
    assert page.status_code == 404 and '<li><a href="/search?q=lenalidomide">lenalidomide</a></li>' in page.text
    assert client.get("/api/query/drug_target").json()["error"] == "no query named 'drug_target'; did you mean: drug_targets, drug_uses?"


def test_bad_parameters_are_422s_with_a_message(client):
    same = client.get("/api/explain", params={"drug": "lenalidomide", "target": "lenalidomide"})
    assert (same.status_code, same.json()) == (422, {"error": "drug and target are the same entity (lenalidomide)"})
    top = client.get("/api/explain", params={"drug": "lenalidomide", "target": "MM", "top": -1})
    assert top.status_code == 422
    assert top.json()["error"] == "query.top: Input should be greater than or equal to 0"
    extra = client.get("/api/query/drug_targets", params={"drug": "lenalidomide", "dose": "10"})
    assert (extra.status_code, extra.json()) == (422, {"error": "query 'drug_targets' has no parameter 'dose' (it takes: drug)"})
    predicate = client.get("/api/entity/CK1a", params={"predicate": "degrade"})
    assert predicate.status_code == 422 and "degrade" in predicate.json()["error"]


def test_requests_over_the_limits_are_refused_before_the_application(client):
    assert client.get("/api/search", params={"q": "a" * 5000}).status_code == 414
    big = client.post("/api/search", content=b"x" * (65 * 1024))
    assert big.status_code == 413 and big.json() == {"error": "the request's body is over 65536 bytes"}
    assert client.get("/api/search", params={"q": "x" * 301}).status_code == 422


def test_a_slow_answer_is_a_503_and_the_next_request_is_answered(kg):
    app = create_app(lambda: kg, cache=False, time_limit=1e-9)
    client = TestClient(app)
    slow = client.get("/api/explain", params={"drug": "lenalidomide", "target": "del(5q) MDS"})
    assert slow.status_code == 503 and slow.json()["error"].startswith("the answer took longer than")
    app.state.time_limit = 30.0
    assert client.get("/api/explain", params={"drug": "lenalidomide", "target": "del(5q) MDS"}).status_code == 200


def test_a_failure_is_a_500_without_a_trace_and_leaves_other_requests_alone(kg):
    calls = []

    def graph():
        calls.append(1)
        if len(calls) == 1:
            raise RuntimeError("secret detail of a failure")
        return kg

    client = TestClient(create_app(graph), raise_server_exceptions=False)
    failed = client.get("/api/search", params={"q": "CRBN"})
    assert failed.status_code == 500
    assert failed.json() == {"error": "internal error: the server could not answer this request"}
    assert "secret" not in failed.text and "Traceback" not in failed.text
    assert client.get("/api/search", params={"q": "CRBN"}).json()["entity"]["id"] == "HGNC:30185"


def test_every_route_only_reads_and_the_api_is_described(client):
    methods = {m for route in client.app.routes for m in getattr(route, "methods", None) or () if not route.path.startswith("/trapi")}
    assert methods <= {"GET", "HEAD"}
    described = client.get("/openapi.json").json()["paths"]
    assert {"/api/search", "/api/suggest", "/api/entity/{name}", "/api/explain", "/api/queries", "/api/query/{name}",
            "/api/query/{name}/csv"} <= set(described)  # fmt: skip
    assert client.get("/docs").status_code == 404  # Swagger UI would load scripts from a CDN


def test_serve_binds_to_localhost_by_default():
    result = CliRunner().invoke(main, ["serve", "--help"])
    assert result.exit_code == 0
    assert "--host TEXT" in result.output and "[default: 127.0.0.1]" in result.output
    assert "--backend [memory|neo4j]" in result.output


# --------------------------------------------------------------------------- on Neo4j


@pytest.mark.neo4j
def test_on_neo4j_the_api_gives_the_same_answers(client, loaded):
    from imidgraph.neo4j.backend import Neo4jBackend

    # a generous time limit: a cold server on a busy machine is slow to answer its first questions
    on_neo4j = TestClient(create_app(client.app.state.answers.graph_for, Neo4jBackend(loaded), time_limit=600))
    for path, params in [("/api/explain", {"drug": "lenalidomide", "target": "del(5q) MDS"}), ("/api/entity/CK1a", {}),
                         ("/api/search", {"q": "CK1 alpha degradation"})]:  # fmt: skip
        assert on_neo4j.get(path, params=params).json() == client.get(path, params=params).json(), path
    quoted = on_neo4j.get("/api/search", params={"q": "x' OR 1=1 //"})  # reaches Cypher only as a parameter
    assert quoted.status_code == 200 and quoted.json()["query"] == "x' OR 1=1 //"


# --------------------------------------------------------------------------- kept answers


def test_an_answer_asked_at_once_is_computed_once_and_a_failure_is_not_kept():
    import threading

    from imidgraph.serve.answers import Kept

    calls, release = [], threading.Event()

    def slow(x):
        calls.append(x)
        release.wait(10)
        if x == "bad":
            raise ValueError("no")
        return {"x": x}

    kept = Kept(slow)
    answers = []
    threads = [threading.Thread(target=lambda: answers.append(kept("a"))) for _ in range(3)]
    for t in threads:
        t.start()
    while not calls:
        threading.Event().wait(0.01)
    threading.Event().wait(0.2)  # the other two ask while the first computes (they would compute too, unkept)
    release.set()
    for t in threads:
        t.join(10)
    assert calls == ["a"] and answers == [{"x": "a"}] * 3 and answers[0] is answers[1]
    for _ in range(2):
        with pytest.raises(ValueError):
            kept("bad")
    assert calls == ["a", "bad", "bad"]


def test_a_harm_is_explained_under_its_own_titles(client):
    page = client.get("/explain", params={"drug": "thalidomide", "target": "teratogenicity"})
    assert page.status_code == 200
    assert '<section class="group" id="paths"><h2>Reasons (how it raises the target)</h2>' in page.text
