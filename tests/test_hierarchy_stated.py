"""The hierarchy follows the sources (issue 20): immunotherapies and solid tumours filed where
the review files them, and an ontology's contrary placement recorded, not followed."""

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
