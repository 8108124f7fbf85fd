"""What the sources say is not known: open questions in the graph, the catalogue and explain
("Not known"), the same on both backends; and the cited immune routes of issue 19."""

from __future__ import annotations

import json

import pytest
from click.testing import CliRunner

from imidgraph import schema
from imidgraph.backends import MemoryBackend
from imidgraph.catalogue import read_catalogue, resolve_params
from imidgraph.cli import main

from .test_validate import only_problem

CRBN_QUESTIONS = [
    "How do IMiDs act against tumours and on immunity without CRBN?",
    "What does CRBN do in the body when no IMiD is bound?",
    "Which CRBN neosubstrates do tumour cells and immune cells share, and which differ?",
]
KEYNOTE = "Why did adding pembrolizumab to an IMiD and dexamethasone increase deaths in KEYNOTE-183 and KEYNOTE-185?"
TREG = "Do IMiDs increase or decrease regulatory T-cell numbers in patients?"
CAR_T = "How severe are the cytopenias and cytokine release syndrome when IMiDs are given with CAR-T cells?"
NOVEL = "Are IMiDs safe and effective in the clinic with BiTEs, checkpoint inhibitors or CAR-T cells?"
RESISTANCE = "Do new agents against IMiD resistance in myeloma work safely in patients?"
ANTI_CD20 = "Is rituximab or obinutuzumab the better partner for lenalidomide in indolent lymphoma?"
ADCP = "Do IMiDs strengthen the antibody-dependent phagocytosis of anti-CD20 antibodies?"
FIBROBLASTS = "What do IMiDs do to fibroblasts, matrix and pericytes around B-cell tumours?"
GUO = "10.3389/fimmu.2022.1017990"



@pytest.fixture
def backend(backend, kg):
    """The conftest's backend, with the embedded graph as a MemoryBackend (catalogue queries run on it)."""
    return MemoryBackend(kg) if backend is None else backend


def explain_on(kg, backend, drug, target, **kw):
    return kg.explain(drug, target, backend=None if isinstance(backend, MemoryBackend) else backend, **kw)


def rows(kg, backend, entity: str) -> list[dict]:
    query = read_catalogue()["open_questions"]
    return backend.run(query, resolve_params(kg, query, {"entity": entity})).records()


# --------------------------------------------------------------------------- the graph


def test_each_open_question_is_an_entity_linked_to_what_it_is_about(kg):
    questions = [e for e in kg.entities if e.category == "OpenQuestion"]
    assert len(questions) == 13
    about = {
        q.name: sorted(kg.name(r.object) for r in kg.relations if r.subject == q.id and r.predicate == "concerns")
        for q in questions
    }
    assert about["What does CRBN do in the body when no IMiD is bound?"] == ["CRBN"]
    assert about[CRBN_QUESTIONS[2]] == ["CRBN", "IKZF1", "IKZF3", "leukocyte", "malignant cell"]
    assert about[KEYNOTE] == [
        "KEYNOTE-183", "KEYNOTE-185", "immune checkpoint inhibitor", "lenalidomide", "multiple myeloma",
        "pembrolizumab", "pembrolizumab, lenalidomide and dexamethasone",
        "pembrolizumab, pomalidomide and dexamethasone", "pomalidomide",
    ]  # fmt: skip
    assert about[CAR_T] == ["CAR-T cell therapy", "IMiD", "cytokine release syndrome", "cytopenia"]
    assert about[NOVEL] == ["CAR-T cell therapy", "IMiD", "bispecific T-cell engager", "immune checkpoint inhibitor"]
    # a question is only ever the subject of `concerns`, never part of a fact
    for r in kg.relations:
        categories = (kg.entity(r.subject).category, kg.entity(r.object).category)
        assert (r.predicate == "concerns") == ("OpenQuestion" in categories), r
        assert r.predicate != "concerns" or (categories[0] == "OpenQuestion" and r.evidence == "review_statement")


def test_concerns_is_unsigned_and_maps_to_biolink_mentions():
    assert schema.POLARITY["concerns"] == 0
    assert schema.PREDICATES["concerns"].biolink == "biolink:mentions"
    assert schema.CATEGORIES["OpenQuestion"] == "biolink:InformationContentEntity"
    assert schema.CATEGORY_PREFIXES["OpenQuestion"] == frozenset()  # project-local ids only


def test_the_kgx_export_carries_questions_as_information_and_mentions(kg, tmp_path):
    kg.export("kgx", tmp_path)
    nodes = {n["id"]: n for n in map(json.loads, (tmp_path / "nodes.jsonl").read_text().splitlines())}
    edges = [json.loads(line) for line in (tmp_path / "edges.jsonl").read_text().splitlines()]
    node = nodes["IMIDGRAPH:question-crbn-physiological-role"]
    assert node["category"] == ["biolink:InformationContentEntity"]
    assert node["name"] == "What does CRBN do in the body when no IMiD is bound?"
    (edge,) = [e for e in edges if e["subject"] == "IMIDGRAPH:question-crbn-physiological-role"]
    assert edge["predicate"] == "biolink:mentions" and edge["object"] == "HGNC:30185"
    assert edge["original_predicate"] == "IMIDGRAPH:concerns"
    assert edge["publications"] == [f"doi:{GUO}"]


# --------------------------------------------------------------------------- validation

QUESTION = (
    "- id: IMIDGRAPH:question-what-crbn-does\n  name: What does CRBN do alone?\n  category: OpenQuestion\n"
    "  verified: false\n  note: no vocabulary names questions\n"
)
CONCERNS = (
    "- subject: What does CRBN do alone?\n  predicate: concerns\n  object: CRBN\n  evidence: review_statement\n"
    "  source: review\n  section: \"5 Conclusions and perspectives\"\n  paraphrase: Nobody knows what cereblon does without a drug.\n"
)


def _with(tiny, entities: str, relations: str = ""):
    root = tiny("entities/questions.yaml", None, entities)
    if relations:
        tiny("relations/questions.yaml", None, relations)
    return root


def test_a_question_with_its_concerns_relation_is_valid(tiny):
    from .test_validate import problems_of

    assert problems_of(_with(tiny, QUESTION, CONCERNS)) == []


def test_a_question_about_nothing_is_refused(tiny):
    assert only_problem(_with(tiny, QUESTION)) == (
        "seeds/entities/questions.yaml:1: field 'id': the open question 'What does CRBN do alone?' concerns "
        "nothing: link it with a 'concerns' relation to each entity it is about"
    )


def test_concerns_is_the_sources_statement_not_a_study_result(tiny):
    relations = CONCERNS.replace("evidence: review_statement", "evidence: in_vitro")
    assert only_problem(_with(tiny, QUESTION, relations)) == (
        "seeds/relations/questions.yaml:4: field 'evidence': a 'concerns' relation states what a source says is "
        "unknown: evidence is review_statement, not 'in_vitro'"
    )


def test_a_question_takes_part_in_no_fact(tiny):
    relations = CONCERNS + CONCERNS.replace("predicate: concerns\n  object: CRBN", "predicate: correlated_with\n  object: CRBN")
    assert only_problem(_with(tiny, QUESTION, relations)) == (
        "seeds/relations/questions.yaml:9: field 'predicate': 'correlated_with' is not allowed from OpenQuestion "
        "to Gene (What does CRBN do alone? -> CRBN)"
    )
    relations = CONCERNS + CONCERNS.replace("object: CRBN", "object: What does CRBN do alone?").replace(
        "subject: What does CRBN do alone?", "subject: lenalidomide"
    )
    assert only_problem(_with(tiny, QUESTION, relations)) == (
        "seeds/relations/questions.yaml:9: field 'predicate': 'concerns' is not allowed from Drug to OpenQuestion "
        "(lenalidomide -> What does CRBN do alone?)"
    )


# --------------------------------------------------------------------------- the catalogue


def test_the_questions_about_crbn_with_their_citations(kg, backend):
    found = rows(kg, backend, "CRBN")
    assert [r["question"] for r in found] == CRBN_QUESTIONS
    for r in found:
        assert (r["about"], r["about_id"], r["about_category"], r["about_relation"]) == ("CRBN", "HGNC:30185", "Gene", 0)
        assert (r["evidence"], r["source"], r["source_doi"], r["section"]) == (
            "review_statement", "guo2022", GUO, "5 Conclusions and perspectives",
        )  # fmt: skip
    assert found[1]["paraphrase"] == (
        "The review lists as unresolved what cereblon does on its own, without an IMiD bound, and why it "
        "matters to normal physiology."
    )
    assert found[0]["question_agents"] == ["IMiD"] and found[1]["question_agents"] == []


def test_the_keynote_question_cites_each_trial_with_its_primary_doi(kg, backend):
    (row,) = rows(kg, backend, "KEYNOTE-185")
    assert row["question"] == KEYNOTE and row["about_relation"] == 0
    assert (row["section"], row["refs"], row["primary_dois"]) == ("4.2 ICIs", [296], ["10.1016/S2352-3026(19)30109-7"])
    assert row["paraphrase"] == (
        "KEYNOTE-185 ended early because more patients died, and the mechanism of that unexpected toxicity is not known."
    )


def test_a_drug_gets_its_own_questions_and_its_classes(kg, backend):
    found = rows(kg, backend, "lenalidomide")
    own = sorted({r["question"] for r in found if r["about_relation"] == 0})
    assert own == [
        "How do the IMiDs differ in efficacy and toxicity, and how should each be used?", ANTI_CD20, KEYNOTE,
    ]
    by_class = {(r["question"], r["about"]) for r in found if r["about_relation"] == 1}
    assert (TREG, "IMiD") in by_class and (CAR_T, "IMiD") in by_class and (NOVEL, "IMiD") in by_class
    # and a class gets its members' questions
    members = {(r["question"], r["about"]) for r in rows(kg, backend, "IMiD") if r["about_relation"] == -1}
    assert (KEYNOTE, "lenalidomide") in members and (KEYNOTE, "pomalidomide") in members


def test_the_query_runs_from_the_command_line():
    result = CliRunner().invoke(main, ["query", "open_questions", "-p", "entity=cereblon", "--format", "json"])
    assert result.exit_code == 0, result.output
    assert [r["question"] for r in json.loads(result.output)] == CRBN_QUESTIONS


# --------------------------------------------------------------------------- explain: Not known


def test_explaining_lenalidomide_on_crbn_lists_what_is_not_known_about_crbn(kg, backend):
    e = explain_on(kg, backend, "lenalidomide", "CRBN")
    assert [u.question for u in e.unknowns] == CRBN_QUESTIONS
    assert [kg.name(i) for i in e.unknowns[0].bears_on] == ["CRBN", "lenalidomide"]
    assert [kg.name(i) for i in e.unknowns[1].bears_on] == ["CRBN"]
    text = e.to_text()
    section = text[text.index("\nNot known\n") :]
    assert section.splitlines()[3:8] == [
        "  How do IMiDs act against tumours and on immunity without CRBN?",
        "    bears on: CRBN, lenalidomide",
        f"    about CRBN: review_statement · guo2022 doi:{GUO} §5 Conclusions and perspectives",
        "      “IMiD effects on tumours and on immunity that do not go through cereblon have been reported and "
        "still need thorough study.”",
        f"    about IMiD: review_statement · guo2022 doi:{GUO} §5 Conclusions and perspectives",
    ]
    # the last section of the text
    for title in ("Reasons", "With a partner", "Against", "Direction not stated", "Standing"):
        assert f"\n{title}\n" not in section
    document = e.to_dict()
    assert [q["question"] for q in document["not_known"]] == CRBN_QUESTIONS
    assert document["not_known"][1]["relations"] == [
        {
            "id": document["not_known"][1]["relations"][0]["id"],
            "about": "CRBN",
            "about_id": "HGNC:30185",
            "detail": None,
            "evidence": "review_statement",
            "source": "guo2022",
            "source_doi": GUO,
            "section": "5 Conclusions and perspectives",
            "refs": [],
            "primary_dois": [],
            "paraphrase": "The review lists as unresolved what cereblon does on its own, without an IMiD bound, "
            "and why it matters to normal physiology.",
        }
    ]


def test_lenalidomide_with_pembrolizumab_leads_with_the_keynote_deaths(kg, backend):
    e = explain_on(kg, backend, "lenalidomide", "pembrolizumab")
    questions = [u.question for u in e.unknowns]
    assert questions[0] == KEYNOTE and NOVEL in questions  # the partner (and its class) first
    assert set(questions) <= {KEYNOTE, NOVEL, RESISTANCE}  # RESISTANCE: myeloma is on the trial paths
    keynote = e.to_dict()["not_known"][0]
    assert keynote["question"] == KEYNOTE
    bears_on = [b["name"] for b in keynote["bears_on"]]
    assert bears_on[0] == "pembrolizumab" and bears_on[-1] == "lenalidomide"
    cited = {r["about"]: (r["section"], r["refs"], r["primary_dois"]) for r in keynote["relations"]}
    assert cited["pembrolizumab"] == (
        "4.2 ICIs", [295, 296], ["10.1016/S2352-3026(19)30110-3", "10.1016/S2352-3026(19)30109-7"]
    )
    assert cited["lenalidomide"] == ("4.2 ICIs", [296], ["10.1016/S2352-3026(19)30109-7"])
    text = e.to_text()
    assert f"\nNot known\n\n  {KEYNOTE}\n    bears on: pembrolizumab, " in text


def test_myeloma_lists_keynote_tregs_resistance_and_crbn(kg, backend):
    e = explain_on(kg, backend, "lenalidomide", "multiple myeloma")
    questions = [u.question for u in e.unknowns]
    # about the target (or its class) first, then about entities of the paths
    assert set(questions[:4]) == {TREG, FIBROBLASTS, RESISTANCE, KEYNOTE}
    assert set(CRBN_QUESTIONS) <= set(questions)
    assert ANTI_CD20 not in questions  # an indolent-lymphoma question is not about myeloma


def test_questions_about_other_drugs_are_left_out(kg, backend):
    # the IMiD Treg question concerns B-cell neoplasms, yet it is not about rituximab
    e = explain_on(kg, backend, "rituximab", "B-cell lymphoma")
    assert [u.question for u in e.unknowns] == [ANTI_CD20, ADCP]


def test_a_harm_of_the_combination_lists_its_open_question(kg, backend):
    e = explain_on(kg, backend, "lenalidomide", "cytokine release syndrome")
    assert [u.question for u in e.unknowns] == [CAR_T]
    assert [kg.name(i) for i in e.unknowns[0].bears_on] == ["cytokine release syndrome", "lenalidomide"]


# --------------------------------------------------------------------------- immune routes (issue 19, item 3)


def chains(kg, paths) -> list[list[tuple[str, str, str]]]:
    return [[(kg.name(s.subject), s.predicate, kg.name(s.object)) for s in p.steps] for p in paths]


def test_nk_cell_adcc_and_macrophage_adcp_lower_b_cell_lymphoma(kg, backend):
    e = explain_on(kg, backend, "rituximab", "B-cell lymphoma", top=0)
    found = chains(kg, e.paths)
    for process in ("antibody-dependent cellular cytotoxicity", "antibody-dependent cellular phagocytosis"):
        assert [
            ("rituximab", "increases", process),
            (process, "decreases", "malignant B cell"),
            ("malignant B cell", "contributes_to", "B-cell neoplasm"),
            ("B-cell lymphoma", "subclass_of", "B-cell neoplasm"),
        ] in found
    e = explain_on(kg, backend, "lenalidomide", "B-cell lymphoma", top=0)
    assert [
        ("lenalidomide", "increases", "natural killer cell"),
        ("natural killer cell", "mediates", "antibody-dependent cellular cytotoxicity"),
        ("antibody-dependent cellular cytotoxicity", "decreases", "malignant B cell"),
        ("malignant B cell", "contributes_to", "B-cell neoplasm"),
        ("B-cell lymphoma", "subclass_of", "B-cell neoplasm"),
    ] in chains(kg, e.paths)


def test_immune_routes_and_stromal_il6_are_reasons_for_myeloma(kg, backend):
    e = explain_on(kg, backend, "lenalidomide", "multiple myeloma", top=0)
    found = chains(kg, e.paths)
    assert [
        ("lenalidomide", "increases", "M1 macrophage"),
        ("M1 macrophage", "decreases", "myeloma cell"),
        ("myeloma cell", "contributes_to", "multiple myeloma"),
    ] in found
    assert [
        ("lenalidomide", "increases", "natural killer cell"),
        ("natural killer cell", "mediates", "immune response to tumor cell"),
        ("immune response to tumor cell", "decreases", "myeloma cell"),
        ("myeloma cell", "contributes_to", "multiple myeloma"),
    ] in found
    assert [
        ("lenalidomide", "subclass_of", "IMiD"),
        ("IMiD", "decreases", "IL6"),
        ("IL6", "contributes_to", "multiple myeloma"),
    ] in found
    # none of these reads the other way
    assert not any(("IL6", "contributes_to", "multiple myeloma") in c for c in chains(kg, e.against))


def test_the_anti_cd20_class_binds_cd20(kg):
    assert any(
        r.predicate == "binds" and kg.name(r.subject) == "anti-CD20 monoclonal antibody" and kg.name(r.object) == "MS4A1"
        for r in kg.relations
    )
