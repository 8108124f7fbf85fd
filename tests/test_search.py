"""imidgraph search: full-text search over names, synonyms, paraphrases and details, ranked and
cited, with the same hits offline and on Neo4j."""

from __future__ import annotations

import json
from concurrent.futures import ThreadPoolExecutor

import pytest
from click.testing import CliRunner

from imidgraph import search as s
from imidgraph.cli import main
from imidgraph.graph import load
from imidgraph.neo4j.backend import Neo4jBackend
from imidgraph.neo4j.vocabulary import ENTITY_INDEX, RELATION_INDEXES

from .conftest import SEEDS, SERVER_THREADS


@pytest.fixture(scope="module")
def kg():
    return load(SEEDS)


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_words_fold_case_greek_plurals_spelling_and_digits():
    same = [("CK1α", "ck1 alpha"), ("CK1a", "CK1-alpha"), ("IL2", "IL-2"), ("tumours", "tumor"),
            ("haematologic malignancies", "hematologic malignancy"), ("Waldenström", "waldenstrom"),
            ("the immune synapses", "immune synapse"), ("IFN-γ", "IFN gamma")]  # fmt: skip
    for a, b in same:
        assert s.words(a) == s.words(b), (a, b)
    assert s.words("IL-2 and IL-12") == ["il", "2", "il", "12"]
    assert s.name_key("TNFa") == s.name_key("TNF-α") == "tnfa"


def test_stored_tokens_are_what_the_index_reads(kg):
    entity = kg.entity("CK1a")
    stored = kg.graph.nodes[entity.id]["search_text"].split()
    assert stored == sorted(stored) and {"csnk", "1", "alpha", "ck1a", "casein", "kinase"} <= set(stored)
    relation = kg.relations[0]
    assert set(kg.graph.edges[relation.subject, relation.object, relation.id]["search_text"].split()) == s.relation_document(relation).tokens


@pytest.mark.parametrize(
    "query, kind, title, expected_text",
    [
        ("immune synapse", "entity", "immunological synapse formation", "immune synapse"),
        ("immune synapse", "relation", "lenalidomide -increases-> immunological synapse formation", "Lenalidomide restores immune synapse formation by NK cells."),
        ("excess deaths", "relation", "pembrolizumab, pomalidomide and dexamethasone -studied_clinically_for-> multiple myeloma", "discontinued owing to a higher risk of death"),
        ("vitamin D", "entity", "vitamin D", "vitamin D"),
        ("vitamin D", "relation", "lenalidomide -increases-> vitamin D metabolic process", "Lenalidomide repairs the faulty vitamin D pathway of MAMs that carry little CYP27B1."),
        ("Revlimid", "entity", "lenalidomide", "Revlimid"),
        ("Revlimid", "relation", "lenalidomide -subclass_of-> IMiD", "second-generation IMiD (CC-5013, Revlimid)"),
        ("regulatory T-cells", "entity", "regulatory T cell", "regulatory T cell"),
        ("TNF alpha", "entity", "TNF", "TNF-α"),
    ],
)
def test_what_users_asked_finds_what_the_sources_say(kg, query, kind, title, expected_text):
    hits = kg.search(query, limit=5)
    found = [h for h in hits if h.kind == kind and h.title == title]
    assert found, [h.title for h in hits]
    assert found[0].text == expected_text
    if kind == "relation":
        assert found[0].details["source"] and found[0].details["section"] and found[0].citation.startswith(found[0].details["source"])
    else:
        assert "relation(s) citing" in found[0].citation


def test_an_exact_name_comes_first(kg):
    for query, name in (("Revlimid", "lenalidomide"), ("vitamin D", "vitamin D"), ("CK1 alpha", "CSNK1A1"), ("MAMs", "myeloma-associated macrophage")):
        assert kg.search(query, limit=1)[0].title == name, query


def test_ranks_are_by_score_and_filters_keep_what_they_say(kg):
    hits = kg.search("lenalidomide natural killer cells", limit=0)
    assert [h.rank for h in hits] == list(range(1, len(hits) + 1))
    assert [h.score for h in hits] == sorted((h.score for h in hits), reverse=True)
    cells = kg.search("lenalidomide natural killer cells", category="celltype", limit=0)
    assert cells and all("CellType" in h.details["categories"] for h in cells)
    assert len(cells) < len(hits)
    relations = kg.search("lenalidomide natural killer cells", kind="relation", limit=3)
    assert len(relations) == 3 and {h.kind for h in relations} == {"relation"}


def test_search_errors_are_one_line():
    for args, message in ((("search", "vitamin", "--category", "gen"), "Error: unknown category 'gen'; did you mean: Gene?"),
                          (("search", "--", "--- !!"), "Error: nothing to search for in '--- !!'")):  # fmt: skip
        result = run(*args)
        assert result.exit_code == 1 and result.output.strip().startswith(message), result.output
        assert len(result.output.strip().splitlines()) == 1


def test_search_from_the_cli_as_text_json_and_csv():
    text = run("search", "immune", "synapse", "--limit", "3")
    assert text.exit_code == 0
    assert text.output.startswith(
        "'immune synapse' names immunological synapse formation (BiologicalProcess, GO:0001771), by synonym\n"
        "1. [entity] immunological synapse formation  (BiologicalProcess, GO:0001771)"
    )
    assert " · guo2022 §" in text.output and "doi:10.3389/fimmu.2022.1017990" in text.output
    as_json = json.loads(run("search", "immune synapse", "--limit", "3", "--format", "json").output)
    assert as_json["matched_name"] is True and as_json["entity"]["id"] == "GO:0001771"
    hits = as_json["hits"]
    assert [h["rank"] for h in hits] == [1, 2, 3] and hits[1]["kind"] == "relation"
    assert {"source", "source_doi", "section", "refs", "paraphrase", "evidence"} <= set(hits[1])
    as_csv = run("search", "immune synapse", "--limit", "3", "--format", "csv").output.splitlines()
    assert as_csv[0] == "rank,kind,id,title,category,score,match,field,text,citation" and len(as_csv) == 4
    assert run("search", "zzzz").output == "no entity named 'zzzz' and no text with it\n"


# --------------------------------------------------------------------------- on Neo4j


def parity_queries(kg) -> list[str]:
    """Every entity name, every other synonym, phrases and single words of the paraphrases."""
    queries = [e.name for e in kg.entities]
    queries += [syn for e in kg.entities for syn in e.synonyms][::2]
    queries += ["immune synapse", "excess deaths", "vitamin D", "Revlimid", "tumour microenvironment",
                "haematologic malignancies", "IFN-gamma", "CK1 alpha", "TNF-alpha", "regulatory T cells",
                "dendritic cells", "the", "accelerated approval", "KEYNOTE-185", "cereblon neosubstrate",
                "lenalidomide natural killer cells"]  # fmt: skip
    queries += [" ".join(r.paraphrase.split()[2:5]) for r in kg.relations[::9]]
    return queries


class Prefetched:
    """The server's candidates of every query, read beforehand in a few round trips
    (``search_candidates_many``: the query of ``search_candidates``, once per token set), then
    handed to the search as its backend answered each query."""

    def __init__(self, backend: Neo4jBackend, queries: list[str], batch: int = 100) -> None:
        token_sets = []
        for query in queries:
            terms, key = s.query_tokens(query)
            if {*terms, key} - {""} and frozenset({*terms, key} - {""}) not in token_sets:
                token_sets.append(frozenset({*terms, key} - {""}))
        batches = [token_sets[i : i + batch] for i in range(0, len(token_sets), batch)]
        # the server answers a few batches at once while the embedded graph answers here
        with ThreadPoolExecutor(SERVER_THREADS) as pool:
            found = [f for part in pool.map(backend.search_candidates_many, batches) for f in part]
        self.found = dict(zip(token_sets, found, strict=True))
        self.asked: set[frozenset] = set()

    def search_candidates(self, tokens: set[str]) -> s.Found:
        self.asked.add(frozenset(tokens))
        return self.found[frozenset(tokens)]


@pytest.mark.neo4j
def test_the_same_hits_offline_and_on_neo4j(loaded, kg):
    names = {r["name"]: r["options"] for r in loaded.execute_query("SHOW FULLTEXT INDEXES YIELD name, options").records}
    for index in (ENTITY_INDEX, *RELATION_INDEXES):
        assert names[index]["indexConfig"]["fulltext.analyzer"] == "whitespace"
    backend = Neo4jBackend(loaded)
    checked = nonempty = 0
    queries = parity_queries(kg)
    online = Prefetched(backend, queries)
    for query in queries:
        try:
            offline = [h.to_dict() for h in kg.search(query, limit=0)]
        except s.SearchError:
            with pytest.raises(s.SearchError):
                kg.search(query, limit=0, backend=online)
            continue
        assert [h.to_dict() for h in kg.search(query, limit=0, backend=online)] == offline, query
        checked += 1
        nonempty += bool(offline)
    assert checked > 500 and nonempty > 500
    assert online.asked == set(online.found)  # every query's candidates came from the server
    # the batched reads are the single query's: a few queries asked one by one give the same
    for query in ("immune synapse", "Revlimid", "lenalidomide natural killer cells", "the"):
        terms, key = s.query_tokens(query)
        tokens = {*terms, key} - {""}
        single, batched = backend.search_candidates(tokens), online.found[frozenset(tokens)]
        assert (single.names, single.entity_sources, single.total) == (batched.names, batched.entity_sources, batched.total)
        by_id = lambda d: (d.kind, d.id)  # noqa: E731
        assert sorted(single.documents, key=by_id) == sorted(batched.documents, key=by_id)


@pytest.mark.neo4j
def test_search_on_neo4j_from_the_cli_prints_the_same(neo4j_server, loaded):
    for args in (("search", "vitamin D"), ("search", "excess deaths", "--format", "json"),
                 ("search", "NK cells", "myeloma", "--category", "Disease", "--limit", "4")):  # fmt: skip
        offline = run(*args)
        online = run(*args, "--backend", "neo4j", env=neo4j_server.env())
        assert offline.exit_code == online.exit_code == 0, online.output
        assert online.output == offline.output and offline.output.startswith(("'vitamin D' names", "no entity named 'NK cells myeloma'", "{"))
