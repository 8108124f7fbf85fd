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


# ----------------------------------------------------------------------------------------------
# one finding, one relation: a trial's outcome is its regimen's, stated once


def test_no_trial_restates_the_outcome_of_the_regimen_it_tested(kg):
    """The six trial outcomes that repeated their regimen's (MAIA x2, KEYNOTE-183, KEYNOTE-185,
    E1412 x2) are held once, on the regimen, with in_trial; each trial reaches them by 'tested'."""
    trials = [e for e in kg.entities if e.category == "ClinicalTrial"]
    assert len(trials) == 7
    assert not [r for r in kg.relations if r.predicate == "has_outcome" and r.subject in {t.id for t in trials}]
    assert not [r for r in kg.relations if r.predicate == "has_outcome" and "in_regimen" in r.qualifiers]
    for trial, regimen, endpoints in [
        ("MAIA", "DRd", ["overall survival", "progression-free survival"]),
        ("KEYNOTE-183", "pembrolizumab, pomalidomide and dexamethasone", ["death"]),
        ("KEYNOTE-185", "pembrolizumab, lenalidomide and dexamethasone", ["death"]),
        ("ECOG-ACRIN E1412", "R2-CHOP", ["clinical outcome", "clinical outcome"]),
    ]:
        t, g = kg.entity(trial).id, kg.entity(regimen).id
        assert _one(kg, trial, "tested", regimen).subject == t
        found = [r for r in kg.relations_of(g, direction="out", predicate="has_outcome") if r.qualifiers.get("in_trial") == t]
        assert sorted(kg.name(r.object) for r in found) == endpoints, trial


_TRIAL_ENTITIES = """\
- id: CLINICALTRIALS:NCT00000001
  name: TRIAL-1
  category: ClinicalTrial
  verified: false
  note: test entity; identifier made up for the tiny fixture
- id: NCIT:C00003
  name: Rd
  category: Treatment
  verified: false
  note: test entity; identifier made up for the tiny fixture
- id: NCIT:C00004
  name: overall survival
  category: ClinicalEndpoint
  favourable: increased
  verified: false
  note: test entity; identifier made up for the tiny fixture
"""

_TRIAL_RELATIONS = """\
- subject: TRIAL-1
  predicate: tested
  object: Rd
  qualifiers: {arm: experimental}
  evidence: phase_3
  source: review
  section: "4 Trials"
  paraphrase: The first trial gave its patients the Rd doublet.
- subject: Rd
  predicate: has_outcome
  object: overall survival
  qualifiers: {in_trial: TRIAL-1, direction: increased}
  evidence: phase_3
  source: review
  section: "4 Trials"
  paraphrase: Patients on Rd lived longer in the first trial.
"""


def _trial_seeds(tiny, extra: str = "") -> list[str]:
    from imidgraph.facts import read_seeds
    from imidgraph.validate import validate

    tiny("entities/trials.yaml", None, _TRIAL_ENTITIES)
    root = tiny("relations/trials.yaml", None, _TRIAL_RELATIONS + extra)
    return [str(p) for p in validate(read_seeds(root))]


def test_the_trial_rule_passes_a_finding_stated_once(tiny):
    assert _trial_seeds(tiny) == []


def test_a_trial_restating_its_regimen_s_finding_is_refused(tiny):
    copy = """\
- subject: TRIAL-1
  predicate: has_outcome
  object: overall survival
  qualifiers: {direction: increased}
  evidence: phase_3
  source: review
  section: "4 Trials"
  paraphrase: In the first trial, the patients survived for a longer time.
"""
    assert _trial_seeds(tiny, copy) == [
        "seeds/relations/trials.yaml:17: field 'subject': TRIAL-1 has_outcome overall survival is already "
        "stated of the regimen it tested, with in_trial (at seeds/relations/trials.yaml:9): one finding, "
        "one relation; the trial reaches it through 'tested'"
    ]


def test_a_finding_copied_with_in_regimen_is_refused_and_so_is_its_wording(tiny):
    copy = """\
- subject: TRIAL-1
  predicate: has_outcome
  object: overall survival
  qualifiers: {direction: increased, in_regimen: Rd}
  evidence: phase_3
  source: review
  section: "4 Trials"
  paraphrase: Patients on Rd lived longer in the first trial.
"""
    assert _trial_seeds(tiny, copy) == [
        "seeds/relations/trials.yaml:17: field 'paraphrase': the same paraphrase as the relation at "
        "seeds/relations/trials.yaml:9: a fact stored twice (keep the one on the node that holds it)",
        "seeds/relations/trials.yaml:20: field 'qualifiers.in_regimen': a finding is stated on the regimen "
        "that gave it: write it as Rd has_outcome overall survival with in_trial, not as a copy naming the regimen",
    ]


def test_a_trial_s_own_finding_without_a_regimen_s_copy_is_allowed(tiny):
    """A trial's has_outcome to an endpoint no regimen states for it is no copy."""
    own = """\
- subject: TRIAL-1
  predicate: has_outcome
  object: overall survival
  qualifiers: {direction: increased}
  evidence: phase_3
  source: review
  section: "4 Trials"
  paraphrase: In the first trial, the patients survived for a longer time.
"""
    relations = _TRIAL_RELATIONS.replace("in_trial: TRIAL-1, ", "")
    from imidgraph.facts import read_seeds
    from imidgraph.validate import validate

    tiny("entities/trials.yaml", None, _TRIAL_ENTITIES)
    root = tiny("relations/trials.yaml", None, relations + own)
    assert [str(p) for p in validate(read_seeds(root))] == []


# ----------------------------------------------------------------------------------------------
# mechanism steps as edges of their own, not only as a drug edge's via list


def _has(kg, subject: str, predicate: str, obj: str, **qualifiers) -> list:
    s, o = kg.entity(subject).id, kg.entity(obj).id
    return [
        r
        for r in kg.relations_of(s, direction="out", predicate=predicate)
        if r.object == o
        and all(
            (kg.name(r.qualifiers.get(k)) if isinstance(r.qualifiers.get(k), str) and k.endswith("context") else r.qualifiers.get(k)) == v
            for k, v in qualifiers.items()
        )
    ]


@pytest.mark.parametrize(
    ("subject", "predicate", "obj", "qualifiers", "section", "evidence"),
    [
        ("IKZF1", "modulates", "IRF5", {"cell_context": "myeloma-associated macrophage"}, "3.2.3 Effects on TAMs", "in_vitro"),
        ("IKZF1", "modulates", "IRF4", {"cell_context": "myeloma-associated macrophage"}, "3.2.3 Effects on TAMs", "in_vitro"),
        ("IKZF1", "increases", "malignant B cell", {"aspect": "proliferation"}, "2.2 Mechanism of action", "review_statement"),
        ("IKZF3", "decreases", "T cell costimulation", {}, "2.2 Mechanism of action", "review_statement"),
        ("CSNK1A1", "decreases", "hematopoietic stem and progenitor cell", {"aspect": "expansion"}, "2.2 Mechanism of action", "review_statement"),
        ("hematopoietic stem and progenitor cell", "contributes_to", "therapy-related myeloid neoplasm", {}, "2.2 Mechanism of action", "review_statement"),
        ("ZAP70", "increases", "natural killer cell", {"aspect": "activation"}, "3.2.2 Effects on NK cells", "review_statement"),
        ("IKZF3", "decreases", "GZMB", {"cell_context": "natural killer cell"}, "3.2.2 Effects on NK cells", "review_statement"),
        ("IFNB1", "decreases", "malignant B cell", {"aspect": "survival"}, "3.1 Direct effects on malignant B cells", "in_vitro"),
        ("STAT1", "increases", "M1 macrophage", {"aspect": "polarization"}, "3.2.3 Effects on TAMs", "preclinical_in_vivo"),
        ("B7", "increases", "CD28", {"aspect": "signaling"}, "3.2.1 Effects on T cells", "review_statement"),
        ("Akt", "increases", "VEGFA", {"aspect": "expression"}, "3.2.5 Effects on stromal cells and angiogenesis", "review_statement"),
        ("CRBN", "increases", "protein ubiquitination", {"ligand": ("IMiD",)}, "2.2 Mechanism of action", "review_statement"),
    ],
)
def test_downstream_steps_are_relations(kg, subject, predicate, obj, qualifiers, section, evidence):
    if "ligand" in qualifiers:
        qualifiers = {"ligand": tuple(kg.entity(x).id for x in qualifiers["ligand"])}
    (r,) = _has(kg, subject, predicate, obj, **qualifiers)
    assert (r.citation.source, r.citation.section, r.evidence) == ("guo2022", section, evidence)


_CELL = """\
- id: CL:0000763
  name: myeloid cell
  category: CellType
  verified: true
"""

_STEPPED = """\
- subject: lenalidomide
  predicate: decreases
  object: myeloid cell
  qualifiers: {aspect: survival, via: [CRBN, CSNK1A1]}
  evidence: review_statement
  source: review
  section: "2.2 Mechanism of action"
  paraphrase: Lenalidomide lowers the survival of myeloid cells through cereblon and CK1α.
"""

_STEP = """\
- subject: CSNK1A1
  predicate: increases
  object: myeloid cell
  qualifiers: {aspect: survival}
  evidence: review_statement
  source: review
  section: "2.2 Mechanism of action"
  paraphrase: Myeloid cells need CK1α to stay alive.
"""

_LIGASE = """\
- subject: CRBN
  predicate: degrades
  object: CSNK1A1
  qualifiers: {ligand: [lenalidomide]}
  evidence: review_statement
  source: review
  section: "2.2 Mechanism of action"
  paraphrase: With lenalidomide bound, cereblon marks CK1α for destruction.
"""


def _stepped(tiny, relations: str) -> list[str]:
    from imidgraph.facts import read_seeds
    from imidgraph.validate import validate

    tiny("entities/cells.yaml", None, _CELL)
    root = tiny("relations/steps.yaml", None, relations)
    return [str(p) for p in validate(read_seeds(root))]


def _not_linked(step: str, line: int = 4) -> str:
    return (
        f"seeds/relations/steps.yaml:{line}: field 'qualifiers.via': {step} is a step of lenalidomide decreases "
        f"myeloid cell, but no relation links it on to myeloid cell: state the step as a relation ({step} "
        "increases/decreases/modulates/mediates ...), cited where the source gives it"
    )


def test_a_mediator_held_only_in_a_via_list_is_refused(tiny):
    assert _stepped(tiny, _STEPPED) == [_not_linked("CSNK1A1"), _not_linked("CRBN")]  # in id order


def test_a_mediator_linked_on_to_the_object_or_through_the_chain_passes(tiny):
    # CK1α -> myeloid cell holds CSNK1A1; CRBN is still a step no relation continues
    assert _stepped(tiny, _STEPPED + _STEP) == [_not_linked("CRBN")]
    # cereblon degrades CK1α, which reaches the cell: a chain
    assert _stepped(tiny, _STEPPED + _STEP + _LIGASE) == []


def test_the_cell_an_effect_happens_in_is_an_end_of_the_step(tiny):
    in_cell = _STEPPED.replace("{aspect: survival, via: [CRBN, CSNK1A1]}", "{aspect: survival, via: [CSNK1A1]}")
    on_cell = in_cell.replace("object: myeloid cell", "object: CRBN").replace("{aspect: survival,", "{aspect: expression, cell_context: myeloid cell,")
    assert _stepped(tiny, on_cell + _STEP) == []


def test_a_step_between_two_non_drugs_is_not_checked(tiny):
    """The rule reads the via lists of drug, class and regimen effects only."""
    gene_subject = _STEPPED.replace("subject: lenalidomide", "subject: chromosome 5q deletion")
    assert _stepped(tiny, gene_subject) == []


# ----------------------------------------------------------------------------------------------
# a combination's finding: of the combination or of the drug with its partner, not both


def test_the_combination_findings_stored_twice_are_stated_once(kg):
    r2, galen = kg.entity("R2 regimen").id, kg.entity("GALEN regimen").id
    held = {
        (kg.name(r.subject), r.predicate, kg.name(r.object))
        for r in kg.relations
        if r.citation.section in ("3.2.1 Effects on T cells", "3.2.2 Effects on NK cells")
        and (r.subject in (r2, galen) or kg.name(r.subject) == "lenalidomide" and r.qualifiers.get("combined_with"))
        and r.predicate not in ("approved_for", "studied_clinically_for", "active_preclinically_in", "has_side_effect")
    }
    assert held == {
        ("R2 regimen", "has_outcome", "tumor burden"),
        ("R2 regimen", "has_outcome", "overall survival"),
        ("R2 regimen", "increases", "natural killer cell"),
        ("GALEN regimen", "increases", "T cell activation"),
        ("GALEN regimen", "increases", "effector memory T cell"),
        ("lenalidomide", "increases", "antibody-dependent cellular cytotoxicity"),
        ("lenalidomide", "increases", "GZMB"),
        ("lenalidomide", "increases", "FASLG"),
        ("lenalidomide", "increases", "natural killer cell activation"),
        ("lenalidomide", "increases", "JNK"),
        ("lenalidomide", "increases", "intrinsic apoptotic signaling pathway"),
    }


_REGIMEN = """\
- id: NCIT:C00005
  name: LP
  category: Treatment
  verified: false
  note: test entity; identifier made up for the tiny fixture
"""

_PARTS = """\
- subject: LP
  predicate: has_part
  object: lenalidomide
  evidence: review_statement
  source: review
  section: "3 Combinations"
  paraphrase: The LP pair contains lenalidomide.
- subject: LP
  predicate: has_part
  object: pomalidomide
  evidence: review_statement
  source: review
  section: "3 Combinations"
  paraphrase: The LP pair contains pomalidomide.
- subject: LP
  predicate: decreases
  object: CSNK1A1
  qualifiers: {aspect: abundance}
  evidence: in_vitro
  source: review
  section: "3 Combinations"
  paraphrase: Given together, the two drugs lower CK1α levels.
"""

_DRUG_LEVEL = """\
- subject: lenalidomide
  predicate: decreases
  object: CSNK1A1
  qualifiers: {aspect: abundance, combined_with: [pomalidomide]}
  evidence: in_vitro
  source: review
  section: "3 Combinations"
  paraphrase: With pomalidomide added, lenalidomide lowers the amount of CK1α.
"""


def _combined(tiny, relations: str) -> list[str]:
    from imidgraph.facts import read_seeds
    from imidgraph.validate import validate

    tiny("entities/regimens.yaml", None, _REGIMEN)
    root = tiny("relations/combined.yaml", None, _PARTS + relations)
    return [str(p) for p in validate(read_seeds(root))]


def test_a_finding_of_a_combination_and_of_its_drug_with_the_partner_is_refused(tiny):
    assert _combined(tiny, "") == []
    assert _combined(tiny, _DRUG_LEVEL) == [
        "seeds/relations/combined.yaml:23: field 'qualifiers.combined_with': lenalidomide decreases CSNK1A1 with "
        "pomalidomide is already stated of LP (at seeds/relations/combined.yaml:15): one finding, one relation; "
        "keep the one the source states"
    ]


def test_another_section_or_a_clinical_use_is_not_the_same_finding(tiny):
    elsewhere = _DRUG_LEVEL.replace('section: "3 Combinations"', 'section: "4 Clinic"')
    assert _combined(tiny, elsewhere) == []
    use = """\
- subject: LP
  predicate: active_preclinically_in
  object: myelodysplastic syndrome with isolated del(5q)
  evidence: in_vitro
  source: review
  section: "3 Combinations"
  paraphrase: The LP pair works against del(5q) MDS cells.
- subject: lenalidomide
  predicate: active_preclinically_in
  object: myelodysplastic syndrome with isolated del(5q)
  qualifiers: {combined_with: [pomalidomide]}
  evidence: in_vitro
  source: review
  section: "3 Combinations"
  paraphrase: With pomalidomide, lenalidomide works against del(5q) MDS cells.
"""
    assert _combined(tiny, use) == []


# ----------------------------------------------------------------------------------------------
# no direction-less copy of a finding held with its direction


def test_lenalidomide_s_mam_polarisation_is_held_once_with_its_direction(kg):
    mam = kg.entity("myeloma-associated macrophage").id
    len_ = kg.entity("lenalidomide").id
    assert not [r for r in kg.relations_of(len_, direction="out", predicate="modulates") if r.object == mam]
    for obj, predicate in (("M1 macrophage", "increases"), ("M2 macrophage", "decreases")):
        (r,) = _has(kg, "lenalidomide", predicate, obj, cell_context="myeloma-associated macrophage")
        assert r.qualifiers["aspect"] == "polarization" and r.citation.refs == (223,)


_UNDIRECTED = """\
- subject: lenalidomide
  predicate: modulates
  object: CSNK1A1
  qualifiers: {aspect: abundance}
  evidence: in_vitro
  source: review
  section: "3 Combinations"
  paraphrase: Lenalidomide changes how much CK1α the cells hold.
"""

_DIRECTED = """\
- subject: lenalidomide
  predicate: decreases
  object: CSNK1A1
  qualifiers: {aspect: abundance}
  evidence: in_vitro
  source: review
  section: "3 Combinations"
  paraphrase: Lenalidomide lowers how much CK1α the cells hold.
"""


def test_a_modulates_beside_the_directed_finding_is_refused(tiny):
    from imidgraph.facts import read_seeds
    from imidgraph.validate import validate

    root = tiny("relations/undirected.yaml", None, _DIRECTED + _UNDIRECTED)
    assert [str(p) for p in validate(read_seeds(root))] == [
        "seeds/relations/undirected.yaml:9: field 'predicate': lenalidomide modulates CSNK1A1 restates, without its "
        "direction, lenalidomide decreases CSNK1A1 (at seeds/relations/undirected.yaml:1), from the same citation: "
        "one finding, one relation"
    ]
    # another design (patients, not cells) is another finding
    root = tiny("relations/undirected.yaml", None, _DIRECTED + _UNDIRECTED.replace("in_vitro", "clinical_observation"))
    assert [str(p) for p in validate(read_seeds(root))] == []
