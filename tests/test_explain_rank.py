"""Issue 19, ranking and words: the disease's own evidence first, distinct mechanisms on top,
a readable summary with a key to its scores, a short repr, and DataFrames (docs/explain.md §5-6)."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from imidgraph import explain as ex
from imidgraph.cli import main


def chain(kg, path: ex.Path) -> list[tuple[str, str, str]]:
    return [(kg.name(s.subject), s.predicate, kg.name(s.object)) for s in path.steps]


def top(kg, paths: list[ex.Path], n: int) -> list[list[tuple[str, str, str]]]:
    return [chain(kg, p) for p in paths[:n]]


MM = "multiple myeloma"
IKZF3_MYC = [
    ("{drug}", "degrades", "IKZF3"),
    ("IKZF3", "increases", "MYC"),
    ("MYC", "increases", "myeloma cell"),
    ("myeloma cell", "contributes_to", MM),
]
IKZF1_IRF4 = [
    ("{drug}", "degrades", "IKZF1"),
    ("IKZF1", "increases", "IRF4"),
    ("IRF4", "increases", "myeloma cell"),
    ("myeloma cell", "contributes_to", MM),
]


def of(drug: str, route: list[tuple[str, str, str]]) -> list[tuple[str, str, str]]:
    return [(s.format(drug=drug), p, o) for s, p, o in route]


# --------------------------------------------------------------------------- distinct mechanisms


def test_lenalidomide_myeloma_shows_ikzf3_angiogenesis_and_ikzf1_on_top(kg, backend):
    e = kg.explain("lenalidomide", MM, backend=backend)
    assert top(kg, e.paths, 3) == [
        of("lenalidomide", IKZF3_MYC),
        # the stated anti-angiogenic effect, through the Akt and bFGF steps it names (3.2.5)
        [
            ("lenalidomide", "decreases", "Akt"),
            ("Akt", "increases", "FGF2"),
            ("FGF2", "increases", "angiogenesis"),
            ("angiogenesis", "contributes_to", MM),
        ],
        of("lenalidomide", IKZF1_IRF4),
    ]
    first, second, third = e.paths[:3]
    assert kg.name(second.stated.object) == "angiogenesis"
    # the review's summary names both neosubstrates: it is cited with (and scores) both routes
    assert first.stated is not None and third.stated is not None and first.stated.triple == third.stated.triple
    # the IKZF1 route is a variant only in its end (myeloma cell), and says so
    assert [kg.name(x) for x in third.repeats] == ["myeloma cell"] and third.novelty == ex.NOVELTY
    assert third.score == pytest.approx(third.stated_score * ex.NOVELTY)


def test_pomalidomide_myeloma_top_five_are_five_mechanisms_not_five_variants(kg, backend):
    e = kg.explain("pomalidomide", MM, backend=backend)
    assert top(kg, e.paths, 4) == [
        of("pomalidomide", IKZF3_MYC),
        of("pomalidomide", IKZF1_IRF4),
        [("pomalidomide", "subclass_of", "IMiD"), ("IMiD", "decreases", "IL6"), ("IL6", "contributes_to", MM)],
        [
            ("pomalidomide", "subclass_of", "IMiD"),
            ("IMiD", "decreases", "angiogenesis"),
            ("angiogenesis", "contributes_to", MM),
        ],
    ]
    # what each of the top five acts through first: no two the same (angiogenesis and the stroma
    # score the same and come in the tie's order)
    firsts = [kg.name(p.mechanism_entities[0]) for p in e.top_paths]
    assert firsts == ["IKZF3", "IKZF1", "IL6", "angiogenesis", "bone marrow stromal cell"]
    assert e.top_paths[3].score == pytest.approx(e.top_paths[4].score)


def test_novelty_is_the_documented_penalty_for_entities_already_shown(kg):
    e = kg.explain("lenalidomide", MM, top=0)
    for group in e.every_group.values():
        shown: set[str] = set()
        for p in group:
            mech = set(p.mechanism_entities) - {e.target}
            assert set(p.repeats) == mech & shown
            assert p.novelty == ex.NOVELTY ** len(p.repeats)
            shown |= mech


# --------------------------------------------------------------------------- the disease's own evidence first


def test_mantle_cell_lymphoma_leads_with_its_own_evidence_not_generic_angiogenesis(kg, backend):
    e = kg.explain("lenalidomide", "mantle cell lymphoma", backend=backend)
    assert top(kg, e.paths, 4) == [
        [
            ("lenalidomide", "increases", "gamma-delta T cell"),
            ("gamma-delta T cell", "observed_in", "mantle cell lymphoma"),
        ],
        [
            ("lenalidomide", "decreases", "bone marrow stromal cell"),
            ("bone marrow stromal cell", "contributes_to", "mantle cell lymphoma"),
        ],
        # the stroma's IL-6-driven STAT3 signalling, MCL's own (3.2.5, ref 270): a variant of the second
        [
            ("lenalidomide", "decreases", "STAT3"),
            ("STAT3", "increases", "bone marrow stromal cell"),
            ("bone marrow stromal cell", "contributes_to", "mantle cell lymphoma"),
        ],
        [
            ("lenalidomide", "increases", "gamma-delta T cell"),
            ("gamma-delta T cell", "decreases", "malignant B cell"),
            ("malignant B cell", "contributes_to", "B-cell neoplasm"),
            ("B-cell lymphoma", "subclass_of", "B-cell neoplasm"),
            ("mantle cell lymphoma", "subclass_of", "B-cell lymphoma"),
        ],
    ]
    # the fourth is a parent's fact with a step seen in MCL (the disease's own), a variant of the first
    assert [(p.tier, p.borrowed) for p in e.paths[:4]] == [
        (0, ()), (0, ()), (0, ()), (0, ("stated for B-cell neoplasm",))
    ]
    assert e.paths[2].repeats == (kg.entity("bone marrow stromal cell").id,)
    assert e.paths[3].repeats == (kg.entity("gamma-delta T cell").id,)
    # generic angiogenesis, stated for B-cell lymphoma, comes only after all of MCL's own evidence
    e_all = kg.explain("lenalidomide", "mantle cell lymphoma", top=0, backend=backend)
    angio = next(p for p in e_all.paths if p.stated is not None and kg.name(p.stated.object) == "angiogenesis")
    assert angio.borrowed == ("stated for B-cell lymphoma",) and angio.tier == 1
    assert all(p.tier == 0 for p in e_all.paths[: e_all.paths.index(angio)])
    # the γδ T-cell route is a reason because lenalidomide's activity in MCL names that route
    cited = e.paths[0].steps[-1].relations
    assert [(r["predicate"], [kg.name(v) for v in r["q_via"]]) for r in cited] == [
        ("active_preclinically_in", ["gamma-delta T cell"])
    ]


def test_burkitt_lymphoma_leads_with_the_burkitt_line_findings(kg, backend):
    e = kg.explain("lenalidomide", "Burkitt lymphoma", backend=backend)
    assert top(kg, e.paths, 4) == [
        [("lenalidomide", "decreases", "GAB1"), ("GAB1", "observed_in", "Burkitt lymphoma")],
        [("lenalidomide", "decreases", "Akt"), ("Akt", "observed_in", "Burkitt lymphoma")],
        [("lenalidomide", "increases", "cell cycle arrest"), ("cell cycle arrest", "observed_in", "Burkitt lymphoma")],
        [
            ("lenalidomide", "decreases", "Akt"),
            ("Akt", "increases", "FGF2"),
            ("FGF2", "increases", "angiogenesis"),
            ("angiogenesis", "contributes_to", "B-cell lymphoma"),
            ("Burkitt lymphoma", "subclass_of", "B-cell lymphoma"),
        ],
    ]
    assert e.paths[3].borrowed == ("stated for B-cell lymphoma",)
    assert not e.unsigned or all(p.kind != "observed" for p in e.unsigned)


def test_follicular_lymphoma_says_its_reasons_are_borrowed(kg, backend):
    e = kg.explain("lenalidomide", "follicular lymphoma", backend=backend)
    assert top(kg, e.paths, 4) == [
        [
            ("lenalidomide", "decreases", "Akt"),
            ("Akt", "increases", "FGF2"),
            ("FGF2", "increases", "angiogenesis"),
            ("angiogenesis", "contributes_to", "B-cell lymphoma"),
            ("follicular lymphoma", "subclass_of", "B-cell lymphoma"),
        ],
        [
            ("lenalidomide", "decreases", "FOXP3"),
            ("FOXP3", "increases", "regulatory T cell"),
            ("regulatory T cell", "contributes_to", "B-cell neoplasm"),
            ("B-cell lymphoma", "subclass_of", "B-cell neoplasm"),
            ("follicular lymphoma", "subclass_of", "B-cell lymphoma"),
        ],
        # VEGF, the other anti-angiogenic step, as a variant (it repeats angiogenesis)
        [
            ("lenalidomide", "decreases", "VEGFA"),
            ("VEGFA", "increases", "angiogenesis"),
            ("angiogenesis", "contributes_to", "B-cell lymphoma"),
            ("follicular lymphoma", "subclass_of", "B-cell lymphoma"),
        ],
        [
            ("lenalidomide", "increases", "antibody-dependent cellular cytotoxicity"),
            ("antibody-dependent cellular cytotoxicity", "decreases", "malignant B cell"),
            ("malignant B cell", "contributes_to", "B-cell neoplasm"),
            ("B-cell lymphoma", "subclass_of", "B-cell neoplasm"),
            ("follicular lymphoma", "subclass_of", "B-cell lymphoma"),
        ],
    ]
    assert all(p.tier > 0 and p.borrowed for p in e.paths)
    assert e.summary().startswith(
        "Main route (stated for B-cell lymphoma): lenalidomide decreases Akt (phosphorylation); Akt increases FGF2 "
        "(expression); FGF2 increases angiogenesis; so lenalidomide lowers angiogenesis, which contributes to "
        "B-cell lymphoma (of which follicular lymphoma is a kind)."
    )
    data = e.to_dict()["paths"][0]
    assert data["borrowed"] == ["stated for B-cell lymphoma"] and data["own_disease"] is False


def test_breast_cancer_leads_with_bcl2_in_a_breast_cancer_line_not_the_parent_s_macrophages(kg, backend):
    e = kg.explain("lenalidomide", "breast cancer", backend=backend)
    assert top(kg, e.paths, 3) == [
        [("lenalidomide", "decreases", "BCL2"), ("BCL2", "observed_in", "breast cancer")],
        [
            ("lenalidomide", "increases", "natural killer cell"),
            ("natural killer cell", "mediates", "immune response to tumor cell"),
            ("immune response to tumor cell", "decreases", "malignant cell"),
            ("malignant cell", "contributes_to", "cancer"),
            ("breast cancer", "subclass_of", "cancer"),
        ],
        [
            ("lenalidomide", "increases", "T cell"),
            ("T cell", "mediates", "immune response to tumor cell"),
            ("immune response to tumor cell", "decreases", "malignant cell"),
            ("malignant cell", "contributes_to", "cancer"),
            ("breast cancer", "subclass_of", "cancer"),
        ],
    ]
    assert [p.borrowed for p in e.paths[:3]] == [(), ("stated for cancer",), ("stated for cancer",)]
    m2 = next(p for p in kg.explain("lenalidomide", "breast cancer", top=0, backend=backend).paths if kg.name(p.nodes[1]) == "M2 macrophage")
    assert m2.borrowed == ("stated for cancer", "seen in multiple myeloma") and m2.tier == 2
    assert e.summary().startswith("Main route: lenalidomide decreases BCL2 (activity); lenalidomide is active in")
    text = e.to_text()
    assert "borrowed: stated for cancer; seen in multiple myeloma" in text


def test_lenalidomide_s_routes_to_pancreatic_cancer_are_labelled_borrowed(kg, backend):
    e = kg.explain("lenalidomide", "pancreatic cancer", top=0, backend=backend)
    assert chain(kg, e.paths[0]) == [
        ("lenalidomide", "increases", "natural killer cell"),
        ("natural killer cell", "mediates", "immune response to tumor cell"),
        ("immune response to tumor cell", "decreases", "malignant cell"),
        ("malignant cell", "contributes_to", "cancer"),
        ("pancreatic cancer", "subclass_of", "cancer"),
    ]
    assert all(p.borrowed and p.tier > 0 for p in e.paths)
    m2 = next(p for p in e.paths if kg.name(p.nodes[1]) == "M2 macrophage")
    assert m2.borrowed == ("stated for cancer", "seen in multiple myeloma") and m2.tier == 2
    assert e.summary().startswith("Main route (stated for cancer): lenalidomide increases natural killer cell")


def test_pomalidomide_pancreatic_cancer_leads_with_the_pancreatic_immune_response_not_mouse_cns_lymphoma(kg, backend):
    e = kg.explain("pomalidomide", "pancreatic cancer", backend=backend)
    assert top(kg, e.paths, 2) == [
        [
            ("pomalidomide", "increases", "immune response to tumor cell"),
            ("immune response to tumor cell", "observed_in", "pancreatic cancer"),
        ],
        [
            ("pomalidomide", "increases", "natural killer cell"),
            ("natural killer cell", "mediates", "immune response to tumor cell"),
            ("immune response to tumor cell", "observed_in", "pancreatic cancer"),
        ],
    ]
    assert e.paths[0].borrowed == () and e.paths[0].steps[0].relations[0]["q_disease_context"] == "MONDO:0009831"
    m2 = next(p for p in kg.explain("pomalidomide", "pancreatic cancer", top=0, backend=backend).paths if kg.name(p.nodes[1]) == "M2 macrophage")
    assert chain(kg, m2) == [
        ("pomalidomide", "decreases", "M2 macrophage"),
        ("M2 macrophage", "contributes_to", "cancer"),
        ("pancreatic cancer", "subclass_of", "cancer"),
    ]
    assert m2.borrowed == ("stated for cancer", "shown in mouse primary central nervous system lymphoma") and m2.tier == 2


def test_a_parent_s_fact_with_a_step_seen_in_the_disease_is_the_disease_s_own(kg):
    """The Treg rise seen in myeloma patients, with "Tregs feed B-cell neoplasms", comes first
    among the reasons against, before anti-CD38's opposite effect on Tregs."""
    e = kg.explain("lenalidomide", MM, top=0)
    rise = e.against[0]
    assert chain(kg, rise) == [
        ("lenalidomide", "increases", "regulatory T cell"),
        ("regulatory T cell", "contributes_to", "B-cell neoplasm"),
        ("multiple myeloma", "subclass_of", "B-cell neoplasm"),
    ]
    assert rise.tier == 0 and rise.borrowed == ("stated for B-cell neoplasm",)
    # the in vitro fall, seen in no disease, is borrowed: after the disease's own reasons
    fall = next(p for p in e.paths if chain(kg, p)[:2] == [("lenalidomide", "decreases", "FOXP3"), ("FOXP3", "increases", "regulatory T cell")])
    assert kg.name(fall.stated.object) == "regulatory T cell"  # the in vitro fall, through FOXP3
    assert fall.tier == 1 and max(i for i, p in enumerate(e.paths) if p.tier == 0) < e.paths.index(fall)


@pytest.mark.parametrize("drug", ["lenalidomide", "pomalidomide"])
def test_the_cd38_rise_on_myeloma_cells_is_a_reason_with_the_antibody_it_is_stated_for(kg, backend, drug):
    e = kg.explain(drug, MM, top=0, backend=backend)
    best = e.with_partner[0]
    assert chain(kg, best) == [
        (drug, "increases", "CD38"),
        ("MOR202", "binds", "CD38"),
        ("MOR202", "active_preclinically_in", MM),
    ]
    # the stated potentiation through CD38 gives the binding its direction, and is cited with it
    assert best.benefit == 1 and best.stated is not None
    assert (kg.name(best.stated.subject), best.stated.predicate, kg.name(best.stated.object)) == (drug, "potentiates", "MOR202")
    assert any(r.get("q_via") == ["HGNC:1667"] for r in best.stated.relations)
    # for daratumumab the sources do not say the rise helps: still of no stated direction
    dara = [(drug, "increases", "CD38"), ("daratumumab", "binds", "CD38"), ("daratumumab", "approved_for", MM)]
    assert dara in [chain(kg, p) for p in e.unsigned]


# --------------------------------------------------------------------------- signed before unsigned


@pytest.mark.parametrize(
    "drug, target",
    [("lenalidomide", MM), ("pomalidomide", MM), ("lenalidomide", "mantle cell lymphoma"), ("lenalidomide", "follicular lymphoma")],
)
def test_unsigned_paths_never_come_before_or_count_as_reasons(kg, drug, target):
    e = kg.explain(drug, target, top=0)
    assert all(p.benefit != 0 for group in ("paths", "with_partner", "against") for p in e.every_group[group])
    assert all(p.benefit == 0 for p in e.unsigned)
    frame = e.to_frame()
    groups = list(frame["group"])
    assert groups == sorted(groups, key=["paths", "with_partner", "trials", "against", "unsigned"].index)
    assert f"{len(e.paths)} reason(s)" in e.summary()


# --------------------------------------------------------------------------- readable


def test_the_summary_is_three_short_sentences_naming_the_disease_once(kg):
    e = kg.explain("lenalidomide", MM)
    summary = e.summary()
    sentences = re.split(r"(?<=\.) (?=Net: |Standing: )", summary)
    assert [s.split(":")[0] for s in sentences] == ["Main route", "Net", "Standing"]
    assert sentences[0] == (
        "Main route: lenalidomide degrades IKZF3 via CRBN; IKZF3 increases MYC (expression); MYC increases "
        "myeloma cell (survival); so lenalidomide lowers myeloma cell (survival), which contributes to multiple myeloma."
    )
    assert re.fullmatch(
        r"Net: lenalidomide lowers myeloma cell \(survival\); \d+ reason\(s\), \d+ with a partner, \d+ against, "
        r"\d+ of no stated direction\.",
        sentences[1],
    )
    assert sentences[2] == (
        "Standing: approved (relapsed); studied clinically (induction; newly diagnosed; relapsed); active in preclinical "
        "models (+9 more under Standing: regimens, partners, relatives)."
    )
    assert summary.count("multiple myeloma") == 1 and len(summary) < 600


def test_every_printed_score_has_a_key(kg):
    text = kg.explain("lenalidomide", MM).to_text()
    flat = " ".join(text.split())
    assert "\n  Key: score = evidence × specificity × context × mechanism × distance × novelty" in text
    assert re.search(r"DWPC \d+\.\d{3}: the degree-weighted count of every path found", flat)
    assert "score 0.0722 = stated 0.2889 × novelty 0.25 (repeats myeloma cell)" in text
    result = CliRunner().invoke(main, ["explain", "lenalidomide", MM, "--explain-scores"], catch_exceptions=False)
    assert result.exit_code == 0
    key = result.output.split("How the scores are made")[1]
    for factor in ("score", "evidence", "specificity", "context", "mechanism", "distance", "novelty", "borrowed", "DWPC"):
        assert re.search(rf"^  {factor} +\S", key, re.M), factor
    data = json.loads(CliRunner().invoke(main, ["explain", "lenalidomide", MM, "--format", "json"]).output)
    assert set(data["score_key"]) >= {"legend", "evidence", "specificity", "context", "mechanism", "novelty", "DWPC"}
    first = data["paths"][0]
    assert (first["novelty"], first["repeats"], first["own_disease"], first["borrowed"]) == (1.0, [], True, [])
    third = data["paths"][2]
    assert (third["novelty"], third["repeats"]) == (0.25, ["myeloma cell"])


def test_repr_is_two_short_lines(kg):
    e = kg.explain("lenalidomide", MM)
    assert re.fullmatch(
        r"<Explanation lenalidomide -> multiple myeloma \(condition\): \d+ reasons, \d+ with a partner, "
        r"\d+ against, \d+ direction not stated\n top reason: lenalidomide degrades IKZF3 via CRBN; [^\n]+\.>",
        repr(e),
    )
    assert len(repr(e)) < 400


def test_an_explanation_as_a_dataframe(kg):
    e = kg.explain("lenalidomide", MM)
    frame = e.to_frame()
    assert list(frame.columns) == [
        "group", "rank", "kind", "score", "evidence", "specificity", "context", "mechanism", "distance", "novelty",
        "stated_score", "effect", "benefit", "net_effect", "borrowed", "sentence", "relation_ids",
    ]
    assert len(frame) == len(e.all_paths)
    first = frame.iloc[0]
    assert (first["group"], first["rank"], first["kind"], first["effect"], first["benefit"]) == ("paths", 1, "driver", "lowers", "helps")
    assert first["score"] == pytest.approx(e.paths[0].score)
    assert first["sentence"] == ex.lead(e, e.paths[0]) and first["relation_ids"] == e.paths[0].relation_ids()
    assert list(frame[frame["group"] == "against"]["rank"]) == list(range(1, len(e.against) + 1))


def test_search_hits_as_a_dataframe(kg):
    hits = kg.search("CD38")
    frame = hits.to_frame()
    assert len(frame) == len(hits) > 0
    assert list(frame["id"]) == [h.id for h in hits] and list(frame["rank"]) == list(range(1, len(hits) + 1))
    assert {"kind", "title", "score", "citation"} <= set(frame.columns)


@pytest.mark.parametrize(
    "drug, target", [("lenalidomide", "breast cancer"), ("lenalidomide", "pancreatic cancer"), ("pomalidomide", "pancreatic cancer")]
)
def test_a_tumour_cell_of_another_cancer_never_explains_a_cancer(kg, backend, drug, target):
    """Malignant B cells and myeloma cells are not in breast or pancreatic tumours: a path
    through them is no reason there, whatever each of its steps says."""
    e = kg.explain(drug, target, top=0, backend=backend)
    b_cell, myeloma_cell = kg.entity("malignant B cell").id, kg.entity("myeloma cell").id
    assert e.all_paths and not any({b_cell, myeloma_cell} & set(p.nodes) for p in e.all_paths)
    # the generic tumour cell of cancer, its parent, still carries the immune routes
    assert any(kg.entity("malignant cell").id in p.nodes for p in e.paths)


def test_a_tumour_cell_explains_the_cancers_it_belongs_to(kg, backend):
    e = kg.explain("pomalidomide", MM, top=0, backend=backend)
    # malignant B cells feed B-cell neoplasms, of which myeloma is one
    assert any(kg.entity("malignant B cell").id in p.nodes for p in e.all_paths)
    assert any(kg.entity("myeloma cell").id in p.nodes for p in e.paths)
