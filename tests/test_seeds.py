"""The curated seeds: valid, cited, identifiers verified or marked, and the key facts present.

Expected facts are written out literally from the sources, not recomputed by the code.
"""

from __future__ import annotations

import os

import pytest

from imidgraph import load
from imidgraph.facts import read_seeds
from imidgraph.validate import read_source_texts, validate

from .conftest import SEEDS, SHARED_SOURCES


@pytest.fixture(scope="module")
def kg():
    return load(SEEDS)


def has(kg, subject: str, predicate: str, obj: str, **qualifiers) -> bool:
    s, o = kg.entity(subject).id, kg.entity(obj).id
    for relation in kg.relations_of(s, direction="out", predicate=predicate):
        if relation.object != o:
            continue
        if all(_matches(kg, relation.qualifiers.get(k), v) for k, v in qualifiers.items()):
            return True
    return False


def _matches(kg, actual, expected) -> bool:
    if isinstance(expected, list):
        return isinstance(actual, tuple) and {kg.entity(e).id for e in expected} <= set(actual)
    if actual is None:
        return False
    if isinstance(actual, str) and ":" in actual and not isinstance(expected, int):
        try:
            return actual == kg.entity(expected).id
        except LookupError:
            pass
    return actual == expected


def test_seeds_validate_with_the_wording_check():
    if not SHARED_SOURCES.is_dir():
        if os.environ.get("CI"):
            pytest.fail(f"source texts missing at {SHARED_SOURCES}: the wording check cannot run")
        pytest.skip("source texts not beside the repository")
    raw = read_seeds(SEEDS)
    texts = read_source_texts(raw, SHARED_SOURCES)
    assert len(texts) == 5
    assert [str(p) for p in validate(raw, texts)] == []


def test_every_relation_is_cited(kg):
    for relation in kg.relations:
        assert relation.citation.source in kg.facts.sources
        assert relation.citation.section
        assert len(relation.paraphrase) >= 20
        if relation.citation.source in ONTOLOGIES:  # a release tag, no DOI: hierarchy edges only
            assert relation.predicate == "subclass_of" and relation.evidence == "ontology"
            assert relation.citation.publications == ()
        elif relation.citation.source != "vallet2012":  # the one source whose DOI is not confirmed
            assert (
                relation.citation.publications[0] == f"doi:{kg.facts.sources[relation.citation.source].doi}"
            )


def test_every_identifier_is_verified_or_says_why_not(kg):
    for entity in kg.entities:
        assert entity.verified or entity.note, entity.name
    genes = [e for e in kg.entities if e.category == "Gene"]
    assert genes and all(any(x.startswith("UniProtKB:") for x in e.xrefs) for e in genes)


ONTOLOGIES = {"cl", "mondo", "go", "chebi"}


def test_all_five_sources_are_used(kg):
    assert set(kg.stats()["sources"]) - ONTOLOGIES == {
        "colley2024",
        "vallet2012",
        "semeraro2013",
        "guo2022",
        "galustian2004",
    }


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("CK1a", "CSNK1A1"),
        ("CK1α", "CSNK1A1"),
        ("Ikaros", "IKZF1"),
        ("Aiolos", "IKZF3"),
        ("cereblon", "CRBN"),
        ("CC-4047", "pomalidomide"),
        ("CC-5013", "lenalidomide"),
        ("CC-122", "avadomide"),
        ("CC-220", "iberdomide"),
        ("R2", "R2 regimen"),
        ("del(5q) MDS", "myelodysplastic syndrome with isolated del(5q)"),
        ("5q- MDS", "myelodysplastic syndrome with isolated del(5q)"),
        ("del(5q)", "chromosome 5q deletion"),
        ("Tregs", "regulatory T cell"),
        ("TAMs", "tumor-associated macrophage"),
        ("ADCC", "antibody-dependent cellular cytotoxicity"),
    ],
)
def test_synonyms_the_sources_use(kg, query, name):
    assert kg.entity(query).name == name


def test_crl4_crbn_complex(kg):
    for part in ["CRBN", "DDB1", "CUL4A", "RBX1"]:
        assert has(kg, "CRL4-CRBN", "has_part", part), part


def test_neosubstrates_per_drug(kg):
    assert has(kg, "lenalidomide", "degrades", "CSNK1A1", more_than=["thalidomide", "pomalidomide"])
    for drug in ["lenalidomide", "pomalidomide"]:
        for target in ["IKZF1", "IKZF3"]:
            assert has(kg, drug, "degrades", target), (drug, target)
    assert has(kg, "CC-885", "degrades", "PLK1")


def test_del5q_genomic_context(kg):
    assert has(kg, "chromosome 5q deletion", "decreases", "CSNK1A1", aspect="gene_dosage")
    assert has(
        kg, "chromosome 5q deletion", "contributes_to", "myelodysplastic syndrome with isolated del(5q)"
    )
    assert has(kg, "CSNK1A1", "associated_with_sensitivity_to", "lenalidomide")


def test_table1_toxicities_of_thalidomide(kg):
    table1 = [
        r for r in kg.relations_of("thalidomide", direction="out", predicate="has_side_effect")
        if r.citation.section == "Table 1"
    ]  # fmt: skip
    assert len(table1) == 14
    assert {r.citation.refs for r in table1} == {(169,)}


def test_fda_approvals_of_lenalidomide(kg):
    for disease in [
        "multiple myeloma",
        "mantle cell lymphoma",
        "follicular lymphoma",
        "marginal zone lymphoma",
    ]:
        assert has(kg, "lenalidomide", "approved_for", disease), disease


def test_named_trials_are_kept(kg):
    trials = {r.qualifiers.get("trial") for r in kg.relations}
    for trial in ["MAIA", "KEYNOTE-183", "KEYNOTE-185"]:
        assert any(trial in str(t) for t in trials), trial


def test_primary_study_dois_from_the_reference_list(kg):
    keynote183 = [r for r in kg.relations if 295 in r.citation.refs]
    assert keynote183
    assert all("10.1016/S2352-3026(19)30110-3" in r.citation.primary_dois for r in keynote183)


def test_named_trials_are_entities_with_arms_diseases_and_findings(kg):
    trials = {e.name for e in kg.entities if e.category == "ClinicalTrial"}
    assert trials >= {
        "MAIA",
        "KEYNOTE-023",
        "KEYNOTE-183",
        "KEYNOTE-185",
        "ZUMA-14",
        "ECOG-ACRIN E1412",
        "GALEN",
    }
    for trial in trials:
        assert kg.relations_of(kg.entity(trial).id, direction="out", predicate="tested"), trial
        assert kg.relations_of(kg.entity(trial).id, direction="out", predicate="studied_clinically_for"), (
            trial
        )
    assert has(kg, "MAIA", "tested", "DRd", arm="experimental")
    assert has(kg, "ECOG-ACRIN E1412", "tested", "R-CHOP", arm="control")
    assert has(kg, "ZUMA-14", "tested", "axicabtagene ciloleucel plus rituximab")
    assert has(kg, "ZUMA-14", "tested", "axicabtagene ciloleucel plus lenalidomide")
    assert has(kg, "KEYNOTE-185", "studied_clinically_for", "multiple myeloma", setting="newly diagnosed")
    for endpoint in ["overall survival", "progression-free survival"]:
        assert has(kg, "DRd", "has_outcome", endpoint, in_trial="MAIA", direction="increased")
    for regimen, trial in [
        ("pembrolizumab, pomalidomide and dexamethasone", "KEYNOTE-183"),
        ("pembrolizumab, lenalidomide and dexamethasone", "KEYNOTE-185"),
    ]:
        assert has(kg, regimen, "has_outcome", "death", in_trial=trial, direction="increased")
    assert has(kg, "lenalidomide plus ofatumumab", "has_outcome", "overall response", value="71%")
    assert has(
        kg, "lenalidomide plus ofatumumab", "has_outcome", "progression-free survival", value="16 months"
    )


def test_every_combination_is_a_regimen_with_its_parts(kg):
    for regimen in [
        "R2 regimen", "GALEN regimen", "DRd", "Rd", "R-CHOP", "R2-CHOP", "lenalidomide plus ofatumumab",
        "tafasitamab plus lenalidomide", "lenalidomide plus blinatumomab", "lenalidomide plus mosunetuzumab",
        "axicabtagene ciloleucel plus rituximab", "axicabtagene ciloleucel plus lenalidomide",
        "pembrolizumab, IMiD and dexamethasone", "IMiD plus chemotherapy",
    ]:  # fmt: skip
        parts = kg.relations_of(kg.entity(regimen).id, direction="out", predicate="has_part")
        assert len(parts) >= 2, regimen
    assert has(
        kg, "tafasitamab plus lenalidomide", "approved_for", "diffuse large B-cell lymphoma", year=2020
    )
    assert has(
        kg,
        "pembrolizumab, lenalidomide and dexamethasone",
        "subclass_of",
        "pembrolizumab, IMiD and dexamethasone",
    )


@pytest.mark.parametrize(
    ("product", "antigen"),
    [
        ("CD19 CAR-T cells", "CD19"),
        ("CD20 CAR-T cells", "MS4A1"),
        ("CS1-directed CAR-T cells", "SLAMF7"),
        ("CD23 CAR-T cells", "FCER2"),
        ("BCMA CAR-T cells", "TNFRSF17"),
    ],
)
def test_antigen_specific_car_t_products_are_their_own_entities(kg, product, antigen):
    assert has(kg, product, "subclass_of", "CAR-T cell therapy")
    assert has(kg, product, "binds", antigen)
    assert kg.relations_of(kg.entity(product).id, direction="in"), product  # what lenalidomide does to it


def test_mechanism_steps_are_edges(kg):
    for target, ligand in [
        ("IKZF1", "IMiD"),
        ("IKZF3", "IMiD"),
        ("CSNK1A1", "lenalidomide"),
        ("PLK1", "CC-885"),
    ]:
        assert has(kg, "CRL4-CRBN", "degrades", target, ligand=[ligand]), target
    assert has(kg, "VCP", "required_for", "CC-885", effect_on="PLK1")
    assert has(kg, "IL2", "required_for", "lenalidomide", effect_on="natural killer cell")
    assert has(kg, "IKZF1", "decreases", "IL2", aspect="transcription")
    assert has(kg, "MOR202", "binds", "CD38")
    assert has(kg, "volasertib", "decreases", "PLK1", aspect="activity")
    assert has(kg, "CRBN", "has_part", "tri-tryptophan pocket of CRBN")
    assert has(kg, "glutarimide ring", "binds", "tri-tryptophan pocket of CRBN")
    assert kg.entity("TME").name == "tumor microenvironment"
    assert has(kg, "tumor microenvironment", "located_in", "bone marrow")
    assert has(kg, "tumor microenvironment", "associated_with_resistance_to", "CAR-T cell therapy")


def test_alternatives_are_not_one_combination(kg):
    backbone = "IMiD-based myeloma induction"
    assert has(kg, backbone, "has_part", "alkylating agent", alternative_to=["anthracycline"])
    assert has(kg, backbone, "has_part", "anthracycline", alternative_to=["alkylating agent"])
    assert has(kg, backbone, "has_part", "corticosteroid", inclusion="optional")
    assert has(kg, backbone, "has_part", "thalidomide", alternative_to=["lenalidomide", "pomalidomide"])
    anthracycline = kg.entity("anthracycline").id
    for relation in kg.relations:  # no relation gives an alkylator and an anthracycline together
        together = relation.qualifiers.get("combined_with") or ()
        assert not (kg.entity("alkylating agent").id in together and anthracycline in together), relation.id


def test_class_concepts_are_relations_and_conflicts_stay_separate(kg):
    assert has(kg, "thalidomide", "subclass_of", "first-generation IMiD")
    assert has(kg, "lenalidomide", "subclass_of", "second-generation IMiD")
    second = [
        r for r in kg.relations_of(kg.entity("pomalidomide").id, direction="out", predicate="subclass_of")
    ]
    sources = {kg.name(r.object): r.citation.source for r in second}
    assert sources["second-generation IMiD"] == "galustian2004"
    assert sources["third-generation thalidomide analogue"] == "guo2022"
    assert has(kg, "IKZF1", "subclass_of", "zinc finger transcription factor")
    assert has(kg, "IMiD", "subclass_of", "molecular glue")


def test_places_named_in_detail_are_compartment_qualifiers(kg):
    tme = kg.entity("tumor microenvironment").id
    located = [r for r in kg.relations if tme in (r.qualifiers.get("location") or ())]
    assert len(located) >= 10
    assert has(kg, "lenalidomide", "increases", "CD8-positive T cell", location=["tumor microenvironment"])


def _ancestors(kg, name: str) -> set[str]:
    """Names of every entity above ``name`` along subclass_of edges."""
    seen: set[str] = set()
    todo = [kg.entity(name).id]
    while todo:
        for relation in kg.relations_of(todo.pop(), direction="out", predicate="subclass_of"):
            parent = kg.facts.entities[relation.object].name
            if parent not in seen:
                seen.add(parent)
                todo.append(relation.object)
    return seen


@pytest.mark.parametrize(
    ("child", "parent"),
    [
        ("M1 macrophage", "macrophage"),
        ("M2 macrophage", "macrophage"),
        ("tumor-associated macrophage", "macrophage"),
        ("myeloma-associated macrophage", "macrophage"),
        ("regulatory T cell", "T cell"),
        ("T-helper 17 cell", "CD4-positive T cell"),
        ("natural killer cell", "leukocyte"),
        ("myeloma cell", "plasma cell"),
        ("myelodysplastic syndrome with isolated del(5q)", "myelodysplastic syndrome"),
        ("activated B-cell type diffuse large B-cell lymphoma", "diffuse large B-cell lymphoma"),
        ("activated B-cell type diffuse large B-cell lymphoma", "hematologic malignancy"),
        ("MALT lymphoma", "B-cell lymphoma"),
        ("multiple myeloma", "B-cell neoplasm"),
        ("acute myeloid leukemia", "myeloid neoplasm"),
    ],
)
def test_hierarchy_puts_a_kind_under_its_parents(kg, child, parent):
    assert parent in _ancestors(kg, child)


# Entities with no parent in the graph: the ontology gives none among the graph's entities
# (MDS's MONDO parents are myeloid hemopathy and neoplastic syndrome, not in the graph; the review
# places it under myeloid neoplasm, seeds/relations/subtypes_stated.yaml), or none was confirmed.
ROOTS = {
    "CellType": {"hematopoietic cell", "connective tissue cell", "neoplastic cell"},
    "Disease": {
        "cancer", "hematologic malignancy", "solid tumor",
        "lupus erythematosus", "cytokine release syndrome", "erythema nodosum leprosum",
        "small lymphocytic lymphoma", "infection",
    },
}  # fmt: skip


def test_every_cell_type_and_disease_has_a_parent_or_is_a_root(kg):
    for category, roots in ROOTS.items():
        orphans = {
            e.name for e in kg.entities
            if e.category == category and not kg.relations_of(e.id, direction="out", predicate="subclass_of")
        }  # fmt: skip
        assert orphans == roots, category


def test_an_effect_without_a_stated_direction_is_modulates_not_a_correlation(kg):
    for cytokine in ("TNF", "IFNG", "IL6", "IL10", "IL-12"):
        assert has(kg, "lenalidomide", "modulates", cytokine, aspect="secretion"), cytokine
        assert not has(kg, "lenalidomide", "correlated_with", cytokine), cytokine


def test_a_combination_s_finding_is_stated_once_where_the_source_states_it(kg):
    """Of the combination (the source: "the lenalidomide and rituximab combination ...") or of the
    drug with its partner as context ("lenalidomide enhanced ADCC in cells given rituximab")."""
    assert has(kg, "R2 regimen", "active_preclinically_in", "mantle cell lymphoma", species="mouse")
    assert has(kg, "R2 regimen", "has_outcome", "tumor burden", direction="decreased")
    assert has(kg, "R2 regimen", "has_outcome", "overall survival", direction="increased")
    assert has(kg, "R2 regimen", "increases", "natural killer cell", aspect="number")
    assert has(kg, "GALEN regimen", "increases", "effector memory T cell", aspect="differentiation")
    assert has(kg, "GALEN regimen", "increases", "T cell activation")
    assert has(kg, "lenalidomide", "increases", "antibody-dependent cellular cytotoxicity", combined_with=["rituximab"])
    assert not has(kg, "R2 regimen", "increases", "antibody-dependent cellular cytotoxicity")
    for obj in ("tumor burden", "overall survival"):
        assert not has(kg, "lenalidomide", "has_outcome", obj, combined_with=["rituximab"]), obj
    assert not has(kg, "lenalidomide", "increases", "natural killer cell", combined_with=["rituximab"])
    for obj in ("T cell activation", "effector memory T cell"):
        assert not has(kg, "lenalidomide", "increases", obj, combined_with=["obinutuzumab"]), obj
    # a use is not such a finding: the drug's preclinical activity with its partner stays
    assert has(kg, "lenalidomide", "active_preclinically_in", "mantle cell lymphoma", combined_with=["rituximab"])
