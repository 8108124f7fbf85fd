"""The predicates of the vocabulary: each one's Biolink predicate and qualifiers, which
categories it links, its Neo4j relationship type and its sign for ``imidgraph explain``."""

from __future__ import annotations

import difflib
from dataclasses import dataclass, field

from .categories import (
    AGENTS,
    ALL,
    CELLS,
    COMPARTMENTS,
    CONDITIONS,
    ENDPOINTS,
    MOLECULES,
    PROCESSES,
    QUESTIONS,
    TRIALS,
)


@dataclass(frozen=True)
class Predicate:
    """A predicate of our vocabulary and the Biolink statement it stands for."""

    name: str
    biolink: str
    description: str
    domain: frozenset[str]
    range: frozenset[str]
    biolink_qualifiers: dict[str, str] = field(default_factory=dict)
    # pairs allowed in addition to domain x range
    extra_pairs: frozenset[tuple[str, str]] = frozenset()

    def allows(self, subject_category: str, object_category: str) -> bool:
        return (subject_category in self.domain and object_category in self.range) or (
            (subject_category, object_category) in self.extra_pairs
        )


_SUBCLASS_PAIRS = frozenset(
    {
        ("Drug", "DrugClass"),
        ("Drug", "Drug"),
        ("DrugClass", "DrugClass"),
        ("Treatment", "Treatment"),
        ("Treatment", "DrugClass"),
        ("DrugClass", "Treatment"),
        ("Disease", "Disease"),
        ("Phenotype", "Phenotype"),
        ("CellType", "CellType"),
        ("BiologicalProcess", "BiologicalProcess"),
        ("MolecularActivity", "MolecularActivity"),
        ("Gene", "GeneFamily"),
        ("GenomicAlteration", "GenomicAlteration"),
        ("ChemicalMoiety", "ChemicalMoiety"),
        ("ClinicalEndpoint", "ClinicalEndpoint"),
        ("Compartment", "Compartment"),
    }
)

# who may increase or decrease what
_EFFECT_SUBJECTS = (
    AGENTS
    | MOLECULES
    | CELLS
    | PROCESSES
    | COMPARTMENTS
    | {"GenomicAlteration", "ChemicalMoiety", "ProteinDomain"}
)
_EFFECT_OBJECTS = MOLECULES | CELLS | PROCESSES | COMPARTMENTS | {"Phenotype"}

_PREDICATES = [
    Predicate(
        "binds",
        "biolink:directly_physically_interacts_with",
        "binds directly",
        AGENTS | MOLECULES | {"ChemicalMoiety", "ProteinDomain"},
        MOLECULES | {"ProteinDomain"},
    ),
    Predicate(
        "has_part",
        "biolink:has_part",
        "has as a part or component",
        AGENTS | {"Complex", "ChemicalMoiety"},
        AGENTS | MOLECULES | {"ChemicalMoiety"},
        extra_pairs=frozenset(
            {("Gene", "ProteinDomain")} | {("Compartment", c) for c in CELLS | MOLECULES | COMPARTMENTS}
        ),
    ),
    Predicate(
        "subclass_of",
        "biolink:subclass_of",
        "is a kind of",
        frozenset(),
        frozenset(),
        extra_pairs=_SUBCLASS_PAIRS,
    ),
    Predicate(
        "derived_from",
        "biolink:derives_from",
        "was derived (chemically) from",
        frozenset({"Drug", "DrugClass"}),
        frozenset({"Drug", "ChemicalMoiety"}),
    ),
    Predicate(
        "degrades",
        "biolink:affects",
        "causes the proteasomal degradation of",
        AGENTS | MOLECULES,
        frozenset({"Gene", "GeneFamily"}),
        {
            "object_aspect_qualifier": "degradation",
            "object_direction_qualifier": "increased",
        },
    ),
    Predicate(
        "increases",
        "biolink:affects",
        "increases (an aspect of)",
        _EFFECT_SUBJECTS,
        _EFFECT_OBJECTS,
        {"object_direction_qualifier": "increased"},
    ),
    Predicate(
        "decreases",
        "biolink:affects",
        "decreases (an aspect of)",
        _EFFECT_SUBJECTS,
        _EFFECT_OBJECTS,
        {"object_direction_qualifier": "decreased"},
    ),
    Predicate(
        "modulates",
        "biolink:affects",
        "changes, in a direction the source does not state,",
        _EFFECT_SUBJECTS,
        _EFFECT_OBJECTS,
    ),
    Predicate(
        "potentiates",
        "biolink:affects",
        "enhances the effect of",
        AGENTS | MOLECULES | CELLS | PROCESSES,
        AGENTS,
        {
            "object_aspect_qualifier": "activity",
            "object_direction_qualifier": "increased",
            "causal_mechanism_qualifier": "potentiation",
        },
    ),
    Predicate(
        "produced_by",
        "biolink:expressed_in",
        "is produced or secreted by",
        MOLECULES,
        CELLS,
    ),
    Predicate(
        "mediates",
        "biolink:actively_involved_in",
        "carries out",
        CELLS | MOLECULES,
        PROCESSES,
    ),
    Predicate(
        "contributes_to",
        "biolink:contributes_to",
        "contributes to",
        CELLS | MOLECULES | PROCESSES | {"GenomicAlteration", "Phenotype"},
        CONDITIONS,
    ),
    Predicate(
        "approved_for",
        "biolink:treats",
        "is approved (by a regulator) for",
        AGENTS,
        CONDITIONS,
        {"clinical_approval_status": "approved_for_condition"},
    ),
    Predicate(
        "studied_clinically_for",
        "biolink:in_clinical_trials_for",
        "is studied in patients with",
        AGENTS | TRIALS,
        CONDITIONS,
    ),
    Predicate(
        "active_preclinically_in",
        "biolink:beneficial_in_models_for",
        "is active in preclinical models of",
        AGENTS,
        CONDITIONS,
    ),
    Predicate(
        "has_side_effect",
        "biolink:has_adverse_event",
        "has the adverse effect",
        AGENTS,
        CONDITIONS,
    ),
    Predicate(
        "associated_with_sensitivity_to",
        "biolink:associated_with_sensitivity_to",
        "makes cells more sensitive to",
        MOLECULES | CELLS | PROCESSES | {"GenomicAlteration"},
        AGENTS,
    ),
    Predicate(
        "associated_with_resistance_to",
        "biolink:associated_with_resistance_to",
        "is a mechanism of resistance to",
        MOLECULES | CELLS | PROCESSES | COMPARTMENTS | {"GenomicAlteration"},
        AGENTS,
    ),
    Predicate(
        "tested",
        "biolink:has_input",
        "tested, as one of its arms,",
        TRIALS,
        AGENTS,
    ),
    Predicate(
        "has_outcome",
        "biolink:affects",
        "was found to change the clinical endpoint",
        AGENTS | TRIALS,
        ENDPOINTS,
    ),
    Predicate(
        "located_in",
        "biolink:located_in",
        "is found in",
        CELLS | MOLECULES | COMPARTMENTS,
        COMPARTMENTS,
    ),
    Predicate(
        "required_for",
        "biolink:affects",
        "is needed for an effect of",
        MOLECULES | CELLS | PROCESSES,
        AGENTS,
        {"object_aspect_qualifier": "activity", "causal_mechanism_qualifier": "cofactor"},
    ),
    Predicate(
        "given_with",
        "biolink:coexists_with",
        "is given in combination with",
        AGENTS,
        AGENTS,
    ),
    Predicate(
        "model_of",
        "biolink:model_of",
        "is a laboratory model of",
        CELLS,
        CONDITIONS,
    ),
    Predicate(
        "concerns",
        "biolink:mentions",
        "is an open question about",
        QUESTIONS,
        ALL,
    ),
    Predicate(
        "correlated_with",
        "biolink:correlated_with",
        "is correlated with",
        ALL,
        ALL,
    ),
]

PREDICATES: dict[str, Predicate] = {p.name: p for p in _PREDICATES}


class UnknownPredicate(ValueError):
    """A predicate our vocabulary does not have; the message offers close matches."""


def predicate_name(name: str) -> str:
    """``name`` as a predicate of the vocabulary: ``degrades``, ``DEGRADES`` (the Neo4j type)
    and ``degrades`` with stray spaces all give ``degrades``; anything else raises
    :class:`UnknownPredicate` with close matches."""
    key = name.strip().lower().replace(" ", "_").replace("-", "_")
    if key in PREDICATES:
        return key
    close = difflib.get_close_matches(key, list(PREDICATES), n=3, cutoff=0.6)
    hint = f"; did you mean: {', '.join(close)}?" if close else f" (one of: {', '.join(PREDICATES)})"
    raise UnknownPredicate(f"unknown predicate {name!r}{hint}")


def rel_type(predicate: str) -> str:
    """The Neo4j relationship type of a predicate: ``binds`` -> ``BINDS``."""
    if predicate not in PREDICATES:
        raise KeyError(predicate)
    return predicate.upper()


# The sign of each predicate, read from subject to object, for `imidgraph explain`
# (docs/explain.md#signs): +1 the subject raises the object, -1 it lowers it, 0 neutral (it says
# that two things are linked, not which way). A path's net effect is the product of its steps'
# signs, as in INDRA's signed model checking and CausalR. Clinical uses read as "the agent lowers
# the disease" (-1) and a side effect as "raises it" (+1); a trial relation whose outcome says
# the arm did worse is read +1 (explain/signs.py). subclass_of is not a causal step (identity).
# Predicates added to the vocabulary need an entry here (tests/test_explain.py checks).
POLARITY: dict[str, int | None] = {
    "increases": 1,
    "decreases": -1,
    "degrades": -1,
    "potentiates": 1,
    "contributes_to": 1,
    "mediates": 1,
    "associated_with_sensitivity_to": 1,
    "associated_with_resistance_to": -1,
    "approved_for": -1,
    "studied_clinically_for": -1,
    "active_preclinically_in": -1,
    "has_side_effect": 1,
    "binds": 0,
    "has_part": 0,
    "derived_from": 0,
    "produced_by": 0,
    "correlated_with": 0,
    "modulates": 0,
    "required_for": 1,
    "tested": 0,
    "has_outcome": 0,
    "located_in": 0,
    "given_with": 0,
    "model_of": 0,
    "concerns": 0,
    "subclass_of": None,
}
