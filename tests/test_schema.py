"""The vocabulary is documented, and every mapping names a real Biolink 4.x element."""

from __future__ import annotations

import re
from importlib import resources
from pathlib import Path

import pytest
import yaml

from imidgraph import schema

DOC = (Path(__file__).resolve().parent.parent / "docs" / "curation.md").read_text()


@pytest.fixture(scope="module")
def biolink():
    path = resources.files("biolink_model") / "schema" / "biolink_model.yaml"
    model = yaml.safe_load(path.read_text())
    assert model["version"] == schema.BIOLINK_VERSION
    return model


def _slot(name: str) -> str:
    return name.removeprefix("biolink:").replace("_", " ")


def _class(name: str) -> str:
    return re.sub(r"(?<!^)(?=[A-Z])", " ", name.removeprefix("biolink:")).lower()


def test_every_term_is_documented():
    for name in [*schema.CATEGORIES, *schema.PREDICATES, *schema.QUALIFIERS, *schema.EVIDENCE_LEVELS]:
        assert re.search(rf"\|\s*{re.escape(name)}\s*\|", DOC), f"{name} missing from docs/curation.md"
    for aspect in schema.ENUMS["aspect"]:
        assert aspect in DOC
    for predicate in schema.PREDICATES.values():
        assert predicate.biolink in DOC


def test_predicates_map_to_current_biolink_slots(biolink):
    for predicate in schema.PREDICATES.values():
        slot = biolink["slots"].get(_slot(predicate.biolink))
        assert slot is not None, predicate.biolink
        assert not slot.get("deprecated"), predicate.biolink


def test_categories_map_to_biolink_classes(biolink):
    for category in schema.CATEGORIES.values():
        assert _class(category) in biolink["classes"], category


def test_biolink_qualifier_values_are_in_their_enums(biolink):
    enums = biolink["enums"]
    aspects = set(enums["GeneOrGeneProductOrChemicalEntityAspectEnum"]["permissible_values"])
    directions = set(enums["DirectionQualifierEnum"]["permissible_values"])
    mechanisms = set(enums["CausalMechanismQualifierEnum"]["permissible_values"])
    approvals = set(enums["ClinicalApprovalStatusEnum"]["permissible_values"])
    for predicate in schema.PREDICATES.values():
        q = predicate.biolink_qualifiers
        assert q.get("object_aspect_qualifier", "activity") in aspects
        assert q.get("object_direction_qualifier", "increased") in directions
        assert q.get("causal_mechanism_qualifier", "potentiation") in mechanisms
        assert q.get("clinical_approval_status", "approved_for_condition") in approvals
    assert aspects >= schema.BIOLINK_ASPECTS


def test_neo4j_names_derive_from_the_schema():
    assert schema.rel_type("binds") == "BINDS"
    assert schema.rel_type("associated_with_resistance_to") == "ASSOCIATED_WITH_RESISTANCE_TO"
    with pytest.raises(KeyError):
        schema.rel_type("binds; DROP")


def test_identifier_prefixes_are_ones_biolink_lists_for_the_class(biolink):
    prefixes = {p.upper() for p in biolink["classes"]["clinical trial"]["id_prefixes"]}
    assert schema.CATEGORY_PREFIXES["ClinicalTrial"] <= prefixes
    for category in ("ClinicalEndpoint", "Compartment", "Phenotype", "Disease", "CellType"):
        listed = {p.upper() for p in biolink["classes"][_class(schema.CATEGORIES[category])]["id_prefixes"]}
        assert schema.CATEGORY_PREFIXES[category] <= listed, category


def test_subclass_of_joins_ontology_classes(biolink):
    """Biolink's subclass_of holds between OntologyClass instances: every pair we allow maps to
    classes with that mixin, but gene -> gene family (exported as member_of)."""

    def ontology_class(name: str) -> bool:
        while name:
            if "ontology class" in (biolink["classes"][name].get("mixins") or []):
                return True
            name = biolink["classes"][name].get("is_a")
        return False

    assert biolink["slots"]["subclass of"]["domain"] == "ontology class"
    for pair in schema.PREDICATES["subclass_of"].extra_pairs - {("Gene", "GeneFamily")}:
        for category in pair:
            assert ontology_class(_class(schema.CATEGORIES[category])), (pair, category)
    assert "member of" in biolink["slots"]
