"""Issue 20's facts: the hierarchy follows the sources (immunotherapies and solid tumours filed
where the review files them, an ontology's contrary placement recorded, not followed), and the
three facts no relation held before."""

from __future__ import annotations

import pytest

from imidgraph import load

from .conftest import SEEDS


@pytest.fixture(scope="module")
def kg():
    return load(SEEDS)


def _above(kg, name: str) -> set[str]:
    seen, todo = set(), [kg.entity(name).id]
    while todo:
        for r in kg.relations_of(todo.pop(), direction="out", predicate="subclass_of"):
            if r.object not in seen:
                seen.add(r.object)
                todo.append(r.object)
    return {kg.name(i) for i in seen}


def _parents(kg, name: str) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for r in kg.relations_of(kg.entity(name).id, direction="out", predicate="subclass_of"):
        out.setdefault(kg.name(r.object), set()).add(r.citation.source)
    return out


def test_car_t_and_anti_pd_1_therapy_are_immunotherapies(kg):
    assert _parents(kg, "CAR-T cell therapy") == {"immunotherapy": {"guo2022"}}
    assert _parents(kg, "anti-PD-1/PD-L1 therapy") == {"immunotherapy": {"guo2022"}}


def test_the_outlook_s_solid_tumours_are_solid_tumours(kg):
    for cancer in ["lung cancer", "pancreatic cancer", "breast cancer", "prostate cancer", "colon adenocarcinoma"]:
        assert _parents(kg, cancer).get("solid tumor") == {"guo2022"}, cancer


def test_myeloma_and_cll_are_b_cell_neoplasms_not_lymphomas(kg):
    for disease in ["multiple myeloma", "chronic lymphocytic leukemia"]:
        above = _above(kg, disease)
        assert {"B-cell neoplasm", "hematologic malignancy"} <= above and "lymphoma" not in above, disease
    assert "lymphoma" in _above(kg, "follicular lymphoma")
    assert _parents(kg, "B-cell neoplasm") == {"hematologic malignancy": {"guo2022"}}
    note = kg.entity("B-cell neoplasm").note
    assert "Recorded, not followed" in note and "MONDO:0005062" in note


def _one(kg, subject: str, predicate: str, obj: str):
    s, o = kg.entity(subject).id, kg.entity(obj).id
    found = [r for r in kg.relations_of(s, direction="out", predicate=predicate) if r.object == o]
    assert len(found) == 1, (subject, predicate, obj, found)
    return found[0]


def test_lenalidomide_changes_angiogenesis_factors_in_relapsed_cll_patients(kg):
    r = _one(kg, "lenalidomide", "modulates", "angiogenesis")
    assert r.evidence == "clinical_observation" and r.citation.refs == (277,)
    assert kg.name(r.qualifiers["disease_context"]) == "chronic lymphocytic leukemia"
    assert r.qualifiers["setting"] == "relapsed/refractory"


def test_infiltrating_immune_cells_go_with_survival_in_follicular_lymphoma(kg):
    r = _one(kg, "leukocyte", "correlated_with", "overall survival")
    assert kg.name(r.qualifiers["disease_context"]) == "follicular lymphoma"
    assert "correlation" not in r.qualifiers  # the source gives no sign
    assert r.citation.refs == (193,)


def test_imids_modulate_th1_and_th2_subsets_per_table_2(kg):
    for subset in ["T-helper 1 cell", "T-helper 2 cell"]:
        r = _one(kg, "IMiD", "modulates", subset)
        assert r.citation.section == "Table 2" and r.citation.refs == (201, 204, 205)
