"""Qualifiers: what a relation may say besides its ends (each key's kind, the values of the
enumerated ones) and how a value names entities or reads for people."""

from __future__ import annotations

from .categories import MOLECULES

# qualifier key -> kind: "entity" (one entity), "entities" (list), "enum:<name>", "text", "int"
QUALIFIERS: dict[str, str] = {
    "aspect": "enum:aspect",
    "species": "enum:species",
    "cell_context": "entity",
    "disease_context": "entity",
    "location": "entities",
    "via": "entities",
    "combined_with": "entities",
    "more_than": "entities",
    "not_with": "entities",
    "crbn_dependence": "enum:crbn_dependence",
    "setting": "text",
    "regulator": "enum:regulator",
    "approval": "enum:approval",
    "year": "int",
    "trial": "text",
    "phase": "text",
    "outcome": "text",
    "model": "text",
    "detail": "text",
    "in_trial": "entity",
    "arm": "enum:arm",
    "direction": "enum:direction",
    "value": "text",
    "ligand": "entities",
    "effect_on": "entity",
    "alternative_to": "entities",
    "inclusion": "enum:inclusion",
    "mentions": "entities",
    "in_regimen": "entity",
    "correlation": "enum:correlation",
}

ENUMS: dict[str, frozenset[str]] = {
    "aspect": frozenset(
        {
            "abundance",
            "activation",
            "activity",
            "adhesion",
            "cytotoxicity",
            "differentiation",
            "exhaustion",
            "expansion",
            "expression",
            "formation",
            "function",
            "gene_dosage",
            "migration",
            "number",
            "phagocytosis",
            "phosphorylation",
            "polarization",
            "priming",
            "production",
            "proliferation",
            "repression",
            "risk",
            "secretion",
            "senescence",
            "signaling",
            "survival",
            "transcription",
            "ubiquitination",
        }
    ),
    "species": frozenset({"human", "mouse"}),
    "crbn_dependence": frozenset({"dependent", "independent"}),
    "regulator": frozenset({"FDA"}),
    "approval": frozenset({"full", "accelerated"}),
    "arm": frozenset({"experimental", "control"}),
    "direction": frozenset({"increased", "decreased", "not_improved"}),
    "inclusion": frozenset({"required", "optional"}),
    # correlated_with: higher subject with higher object (positive) or with lower (negative)
    "correlation": frozenset({"positive", "negative"}),
}

# a ClinicalEndpoint's `favourable`: which change of the endpoint is good for patients
FAVOURABLE = ("increased", "decreased")

# our aspects that are also Biolink GeneOrGeneProductOrChemicalEntityAspectEnum values
BIOLINK_ASPECTS = frozenset(
    {"abundance", "activity", "expression", "secretion", "phosphorylation", "ubiquitination"}
)


def qualifier_entities(key: str, value) -> tuple[str, ...]:
    """The entity ids a qualifier value names (none for text, enum and int qualifiers)."""
    kind = QUALIFIERS.get(key)
    if kind == "entity":
        return (value,)
    if kind == "entities":
        return tuple(value)
    return ()


def qualifier_text(key: str, value, name) -> str:
    """A qualifier value for people: entities by ``name(id)`` (lists sorted), the rest as is."""
    kind = QUALIFIERS.get(key)
    if kind == "entity":
        return name(value)
    if kind == "entities":
        return ", ".join(sorted(name(v) for v in value))
    return str(value)


ASPECT_REQUIRED_FOR = frozenset({"increases", "decreases", "modulates"})
ASPECT_REQUIRED_ON = MOLECULES
