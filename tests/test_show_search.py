"""show reads at a glance (a summary, relations by predicate, --limit/--all, JSON) and search is
honest about names (a name that is not in the graph says so; short forms resolve), the same on
both backends."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from imidgraph.cli import main
from imidgraph.model import Entity
from imidgraph.names import NameIndex
from imidgraph.search_answer import naming


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


# --------------------------------------------------------------------------- show

CK1A_SUMMARY = """\
CSNK1A1  [Gene, biolink:Gene]
  id: HGNC:2451 (verified)
  xrefs: UniProtKB:P48729
  synonyms: CK1α, CK1a, Ck1a, casein kinase 1 alpha

9 relation(s): 2 as subject, 4 as object, 3 as context
  predicate                       subject  object  context
  associated_with_sensitivity_to        1       0        1
  decreases                             1       1        0
  degrades                              0       3        0
  has_side_effect                       0       0        1
  increases                             0       0        1
  evidence: in_vitro 1, review_statement 8

strongest evidence:
  lenalidomide -degrades-> CSNK1A1  (in_vitro; guo2022 §2.2 Mechanism of action)
  CSNK1A1 -associated_with_sensitivity_to-> lenalidomide  (review_statement; guo2022 §2.2 Mechanism of action)
  CSNK1A1 -decreases-> hematopoietic stem and progenitor cell  (review_statement; guo2022 §2.2 Mechanism of action)
  chromosome 5q deletion -decreases-> CSNK1A1  (review_statement; guo2022 §2.2 Mechanism of action)
  CRL4-CRBN -degrades-> CSNK1A1  (review_statement; guo2022 §2.2 Mechanism of action)

associated_with_sensitivity_to (1 as subject, 1 as context):
  CSNK1A1 -associated_with_sensitivity_to-> lenalidomide
"""


def test_show_starts_with_a_summary_then_groups_by_predicate():
    result = run("show", "CK1a")
    assert result.exit_code == 0, result.output
    assert result.output.startswith(CK1A_SUMMARY)
    headers = [line for line in result.output.splitlines() if line and not line.startswith(" ") and line.endswith(":")]
    assert headers == [
        "strongest evidence:",
        "associated_with_sensitivity_to (1 as subject, 1 as context):",
        "decreases (1 as subject, 1 as object):",
        "degrades (3 as object):",
        "has_side_effect (1 as context):",
        "increases (1 as context):",
    ]
    # in a group: strongest evidence first; the role of a context entity is said
    at = result.output.index("degrades (3 as object):\n")
    assert result.output[at:].splitlines()[1:9:4] == [
        "  lenalidomide -degrades-> CSNK1A1",  # in_vitro
        "  CRL4-CRBN -degrades-> CSNK1A1",  # review_statement
    ]
    assert "  lenalidomide -has_side_effect-> therapy-related myeloid neoplasm  [as via]\n" in result.output
    assert "more (use --all)" not in result.output  # every group is within the default limit


def test_show_limits_each_predicate_and_says_how_many_more():
    limited = run("show", "lenalidomide").output
    more = [line for line in limited.splitlines() if "more (use --all)" in line]
    # 20 predicates; those with over 5 relations end with a count of the rest
    assert more == [f"  ... and {n} more (use --all)" for n in (7, 11, 26, 1, 12, 1, 12, 9, 56, 3, 13, 19, 2)]
    assert "approved_for (15 as subject, 1 as context):\n" in limited
    two = run("show", "lenalidomide", "--limit", "2", "--predicate", "approved_for").output
    group = two[two.index("approved_for (15 as subject, 1 as context):\n"):].splitlines()
    assert [line for line in group if not line.startswith("      ")] == [
        "approved_for (15 as subject, 1 as context):",
        "  lenalidomide -approved_for-> diffuse large B-cell lymphoma",
        "  lenalidomide -approved_for-> follicular lymphoma",
        "  ... and 14 more (use --all)",
    ]
    every = run("show", "lenalidomide", "--all").output
    assert "more (use --all)" not in every
    statements = [line for line in every.splitlines() if line.startswith("  ") and not line.startswith("   ") and " -" in line and "->" in line]
    assert len(statements) - 5 == 256  # every relation once, after the five strongest of the summary


def test_show_as_json_is_one_stable_document():
    document = json.loads(run("show", "CK1a", "--format", "json").output)
    assert list(document) == ["entity", "summary", "limit", "shown", "relations"]
    assert document["entity"] == {"id": "HGNC:2451", "name": "CSNK1A1", "category": "Gene", "verified": True,
                                  "synonyms": ["CK1α", "CK1a", "Ck1a", "casein kinase 1 alpha"],
                                  "xrefs": ["UniProtKB:P48729"], "note": None}  # fmt: skip
    summary = document["summary"]
    assert summary["relations"] == 9 and summary["by_role"] == {"subject": 2, "object": 4, "context": 3}
    assert summary["by_predicate"]["degrades"] == {"subject": 0, "object": 3, "context": 0, "total": 3}
    assert summary["by_evidence"] == {"in_vitro": 1, "review_statement": 8}
    assert len(summary["top"]) == 5 and summary["top"][0] == document["relations"][4]["id"]
    assert document["limit"] is None and document["shown"] == 9 == len(document["relations"])
    assert document["relations"][0] == {
        "id": "IMIDGRAPH:64857721b12fb117", "role": "subject", "as": [],
        "subject": {"id": "HGNC:2451", "name": "CSNK1A1"}, "predicate": "associated_with_sensitivity_to",
        "object": {"id": "CHEBI:63791", "name": "lenalidomide"},
        "qualifiers": {"aspect": "gene_dosage", "disease_context": "MONDO:0007925",
                       "detail": "CSNK1A1 haploinsufficiency caused by the deletion makes tumour cells sensitive, giving lenalidomide a therapeutic window",
                       "direction": "decreased"},
        "evidence": "review_statement",
        "citation": {"source": "guo2022", "doi": "10.3389/fimmu.2022.1017990", "section": "2.2 Mechanism of action",
                     "refs": [80, 186, 187], "primary_dois": []},
        "paraphrase": "Because del(5q) MDS cells have only one CSNK1A1 copy, they are especially vulnerable to lenalidomide, which opens a therapeutic window.",
    }  # fmt: skip
    assert [r["as"] for r in document["relations"] if r["role"] == "context"] == [["via"], ["via"], ["via"]]
    one = json.loads(run("show", "CK1a", "--format", "json", "--limit", "1").output)
    assert one["limit"] == 1 and [r["predicate"] for r in one["relations"]] == [
        "associated_with_sensitivity_to", "decreases", "degrades", "has_side_effect", "increases"]  # fmt: skip
    assert one["summary"] == {**document["summary"]}  # the counts are of everything


@pytest.mark.neo4j
def test_show_is_the_same_on_neo4j(neo4j_server, loaded):
    for args in (("show", "CK1a"), ("show", "lenalidomide"), ("show", "NK", "--all"), ("show", "MAM", "--limit", "1"),
                 ("show", "Len", "--format", "json"), ("show", "CRL4", "--format", "json", "--all")):  # fmt: skip
        offline = run(*args)
        online = run(*args, "--backend", "neo4j", env=neo4j_server.env())
        assert offline.exit_code == online.exit_code == 0, online.output
        assert online.output == offline.output, args


# --------------------------------------------------------------------------- search


def test_a_name_not_in_the_graph_says_so_in_one_line():
    assert run("search", "SALL4").output == (
        "no entity named 'SALL4' and no text with it; nearest names (not matches): acute lymphoblastic leukemia, "
        "small lymphocytic lymphoma, B-cell acute lymphoblastic leukemia, VLA-4, CRL4-CRBN\n"
    )
    assert run("search", "GSPT1").output == (
        "no entity named 'GSPT1' and no text with it; nearest names (not matches): STAT1, CSNK1A1, CDKN1A, "
        "anti-PD-1/PD-L1 therapy, T-helper 1 cell\n"
    )
    document = json.loads(run("search", "GSPT1", "--format", "json").output)
    assert document == {"query": "GSPT1", "matched_name": False, "entity": None, "ambiguous": [],
                        "nearest": ["STAT1", "CSNK1A1", "CDKN1A", "anti-PD-1/PD-L1 therapy", "T-helper 1 cell"],
                        "hits": []}  # fmt: skip


def test_words_that_name_nothing_say_so_and_mark_partial_hits():
    text = run("search", "excess", "deaths", "--limit", "1").output.splitlines()
    assert text[:2] == [
        "no entity named 'excess deaths'; hits holding every word:",
        "1. [entity] Why did adding pembrolizumab to an IMiD and dexamethasone increase deaths in KEYNOTE-183 and "
        "KEYNOTE-185?  (OpenQuestion, IMIDGRAPH:question-keynote-excess-deaths)  score 23.151",
    ]
    partial = run("search", "lenalidomide", "SALL4", "--limit", "1").output.splitlines()
    assert partial == [
        "no entity named 'lenalidomide SALL4'; nearest names (not matches): lenalidomide, R2-CHOP, R2 regimen, "
        "lenalidomide plus ofatumumab, thalidomide",
        "1. [entity] VLA-4  (Complex, GO:0034668)  score 2.042  (partial: not every word)",
        "   2 relation(s) citing guo2022: imidgraph show VLA-4",
    ]


def test_a_name_says_which_entity_it_names_and_how():
    assert run("search", "Revlimid", "--limit", "1").output.splitlines()[:2] == [
        "'Revlimid' names lenalidomide (Drug, CHEBI:63791), by synonym",
        "1. [entity] lenalidomide  (Drug, CHEBI:63791)  score 33.236",
    ]
    assert run("search", "vitamin D", "--limit", "1").output.splitlines()[0] == "'vitamin D' names vitamin D (DrugClass, CHEBI:27300), by name"
    assert run("search", "HGNC:2451").output == "'HGNC:2451' names CSNK1A1 (Gene, HGNC:2451), by id\n"
    document = json.loads(run("search", "NK", "--limit", "2", "--format", "json").output)
    assert {k: document[k] for k in ("query", "matched_name", "entity", "ambiguous", "nearest")} == {
        "query": "NK", "matched_name": True, "ambiguous": [], "nearest": [],
        "entity": {"id": "CL:0000623", "name": "natural killer cell", "category": "CellType", "by": "synonym"},
    }  # fmt: skip
    assert [(h["title"], h["match"], h["field"], h["text"]) for h in document["hits"]] == [
        ("natural killer cell", "synonym", "synonym", "NK"),
        ("natural killer cell proliferation", "text", "synonym", "NK-cell proliferation"),  # holds the word, is not named by it
    ]
    csv = run("search", "dex", "--limit", "1", "--format", "csv").output.splitlines()
    assert csv == ["rank,kind,id,title,category,score,match,field,text,citation",
                   "1,entity,CHEBI:41879,dexamethasone,Drug,35.870646,synonym,synonym,dex,18 relation(s) citing guo2022"]  # fmt: skip


def test_a_name_several_entities_answer_to_is_reported():
    entities = [Entity("HGNC:13178", "IKZF3", "Gene", ("Aiolos", "shared")), Entity("HGNC:1", "OTHER", "Gene", ("shared",))]

    class Graph:
        entity = NameIndex(entities, lenient=True).resolve

    found = naming(Graph(), "shared", ["near"])
    assert found.line() == "'shared' names several entities: IKZF3, OTHER"
    assert found.to_dict() == {"query": "shared", "matched_name": False, "entity": None, "ambiguous": ["IKZF3", "OTHER"], "nearest": []}


# the sources' and the field's short forms, each naming one entity of ours
SHORT_FORMS = {
    "NK": "natural killer cell", "dex": "dexamethasone", "Dex": "dexamethasone", "CRL4": "CRL4-CRBN",
    "Len": "lenalidomide", "LEN": "lenalidomide", "Pom": "pomalidomide", "Thal": "thalidomide",
    "R2": "R2 regimen", "MM": "multiple myeloma", "MDS": "myelodysplastic syndrome",
    "DLBCL": "diffuse large B-cell lymphoma", "MCL": "mantle cell lymphoma", "CLL": "chronic lymphocytic leukemia",
    "Treg": "regulatory T cell", "Tregs": "regulatory T cell", "TAM": "tumor-associated macrophage",
    "TAMs": "tumor-associated macrophage", "IMiD": "IMiD", "IMiDs": "IMiD", "CELMoD": "CELMoD",
    "CELMoDs": "CELMoD", "CK1a": "CSNK1A1", "CK1α": "CSNK1A1", "NK cells": "natural killer cell",
}  # fmt: skip


def test_short_forms_resolve_everywhere_names_do(kg):
    assert {typed: kg.entity(typed).name for typed in SHORT_FORMS} == SHORT_FORMS
    # NK is the cell (as the sources write "natural killer (NK) cells"); the processes keep their own names
    assert kg.entity("NK-cell activation").name == "natural killer cell activation"
    assert run("show", "dex").output.startswith("dexamethasone  [Drug, biolink:Drug]\n")
    assert kg.query("drug_targets", drug="Len").equals(kg.query("drug_targets", drug="lenalidomide"))
    assert kg.explain("Len", "MM").to_dict() == kg.explain("lenalidomide", "multiple myeloma").to_dict()


@pytest.mark.parametrize("query", ["SALL4", "NK", "excess deaths", "lenalidomide SALL4", "Pom"])
def test_search_answers_the_same_on_both_backends(kg, backend, query):
    offline, online = kg.search(query, limit=0), kg.search(query, limit=0, backend=backend)
    assert [h.to_dict() for h in online] == [h.to_dict() for h in offline]
    assert online.naming.to_dict() == offline.naming.to_dict()


def test_search_hits_as_a_frame_say_how_they_matched(kg):
    assert list(kg.search("dex", limit=1).to_frame()[["title", "match"]].itertuples(index=False, name=None)) == [("dexamethasone", "synonym")]
    assert list(kg.search("zzzz").to_frame().columns) == ["rank", "kind", "id", "title", "category", "score", "match", "field", "text", "citation"]
