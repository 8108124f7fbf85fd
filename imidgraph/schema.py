"""The metagraph: categories, predicates, qualifiers and evidence levels.

This module is the single source of imidgraph's vocabulary; ``docs/curation.md`` documents it
and a test keeps the two in step. Every predicate maps to a Biolink 4.x predicate (plus the
Biolink qualifiers that pin its meaning), every category to a Biolink class.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

BIOLINK_VERSION = "4.4.6"

# category -> Biolink class
CATEGORIES: dict[str, str] = {
    "Drug": "biolink:Drug",
    # MolecularEntity carries Biolink's OntologyClass mixin, which subclass_of needs on both ends
    "DrugClass": "biolink:MolecularEntity",
    "Treatment": "biolink:Treatment",
    "ChemicalMoiety": "biolink:MolecularEntity",
    "Gene": "biolink:Gene",
    "GeneFamily": "biolink:GeneFamily",
    "Complex": "biolink:MacromolecularComplex",
    "CellType": "biolink:Cell",
    "CellLine": "biolink:CellLine",
    "Disease": "biolink:Disease",
    "Phenotype": "biolink:PhenotypicFeature",
    "BiologicalProcess": "biolink:BiologicalProcess",
    "MolecularActivity": "biolink:MolecularActivity",
    "GenomicAlteration": "biolink:SequenceVariant",
    "ClinicalTrial": "biolink:ClinicalTrial",
    "ClinicalEndpoint": "biolink:ClinicalFinding",
    "Compartment": "biolink:AnatomicalEntity",
    "ProteinDomain": "biolink:ProteinDomain",
    # what the sources say is not known (docs/curation.md, Open questions). Biolink 4.4.6 has no
    # class for a research question; InformationContentEntity ("a piece of information that
    # describes some topic of discourse") is the nearest. It is abstract, and none of its concrete
    # subclasses (publication, dataset, common data element, evidence, ...) is a question; KGX's
    # validator accepts it (it refuses only mixins and unknown classes).
    "OpenQuestion": "biolink:InformationContentEntity",
}

# CURIE prefix -> pattern of the local part
PREFIXES: dict[str, str] = {
    "CHEBI": r"\d+",
    "HGNC": r"\d+",
    "HGNC.FAMILY": r"\d+",
    "UniProtKB": r"[A-Z0-9]{6,10}(-\d+)?",
    "CL": r"\d{7}",
    "MONDO": r"\d{7}",
    "GO": r"\d{7}",
    "HP": r"\d{7}",
    "NCIT": r"C\d+",
    "CVCL": r"[A-Z0-9]{4}",
    "PUBCHEM.COMPOUND": r"\d+",
    "DRUGBANK": r"DB\d{5}",
    "ComplexPortal": r"CPX-\d+",
    "SO": r"\d{7}",
    "UBERON": r"\d{7}",
    # Biolink's ClinicalTrial id_prefixes and prefix map: identifiers.org/clinicaltrials/
    "CLINICALTRIALS": r"NCT\d{8}",
    # project-local: only for concepts no standard vocabulary has (always verified: false)
    "IMIDGRAPH": r"[a-z0-9]+(-[a-z0-9]+)*",
}
LOCAL_PREFIX = "IMIDGRAPH"

# which prefixes an entity of each category may carry
CATEGORY_PREFIXES: dict[str, frozenset[str]] = {
    # Biolink's Drug id_prefixes (no NCIT: an antibody with only an NCIt code keeps it as an xref)
    "Drug": frozenset({"CHEBI", "DRUGBANK", "PUBCHEM.COMPOUND"}),
    "DrugClass": frozenset({"NCIT", "CHEBI"}),
    "Treatment": frozenset({"NCIT"}),
    "ChemicalMoiety": frozenset({"CHEBI"}),
    "Gene": frozenset({"HGNC"}),
    "GeneFamily": frozenset({"HGNC.FAMILY", "NCIT"}),
    "Complex": frozenset({"GO", "ComplexPortal"}),
    "CellType": frozenset({"CL", "NCIT"}),
    "CellLine": frozenset({"CVCL"}),
    "Disease": frozenset({"MONDO", "NCIT"}),
    "Phenotype": frozenset({"HP", "NCIT"}),  # Biolink's PhenotypicFeature takes no MONDO ids
    "BiologicalProcess": frozenset({"GO"}),
    "MolecularActivity": frozenset({"GO"}),
    "GenomicAlteration": frozenset({"NCIT", "SO"}),
    "ClinicalTrial": frozenset({"CLINICALTRIALS"}),
    "ClinicalEndpoint": frozenset({"NCIT"}),
    "Compartment": frozenset({"UBERON", "GO", "NCIT"}),
    "ProteinDomain": frozenset(),  # no vocabulary confirmed yet: project-local ids only
    "OpenQuestion": frozenset(),  # no vocabulary names research questions: project-local ids only
}

AGENTS = frozenset({"Drug", "DrugClass", "Treatment"})
MOLECULES = frozenset({"Gene", "GeneFamily", "Complex"})
CELLS = frozenset({"CellType", "CellLine"})
CONDITIONS = frozenset({"Disease", "Phenotype"})
PROCESSES = frozenset({"BiologicalProcess", "MolecularActivity"})
TRIALS = frozenset({"ClinicalTrial"})
ENDPOINTS = frozenset({"ClinicalEndpoint"})
COMPARTMENTS = frozenset({"Compartment"})
QUESTIONS = frozenset({"OpenQuestion"})
# every category that a fact may link: an open question only says what it is about (concerns)
ALL = frozenset(CATEGORIES) - QUESTIONS


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
    import difflib

    close = difflib.get_close_matches(key, list(PREDICATES), n=3, cutoff=0.6)
    hint = f"; did you mean: {', '.join(close)}?" if close else f" (one of: {', '.join(PREDICATES)})"
    raise UnknownPredicate(f"unknown predicate {name!r}{hint}")

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

EVIDENCE_LEVELS: dict[str, str] = {
    "approved": "a regulator's approval (FDA)",
    "phase_3": "randomised phase 3 trial",
    "phase_2": "phase 2 trial",
    "phase_1": "phase 1 or early phase 1/2 trial",
    "clinical_observation": "patients, outside a phased efficacy trial",
    "preclinical_in_vivo": "animal models, PDX",
    "in_vitro": "cell lines, ex vivo patient cells",
    "review_statement": "stated by the review without a study design we can place",
    "ontology": "asserted by a reference ontology at the cited release (CL, MONDO): hierarchy edges",
}


_CURIE = re.compile(r"^(?P<prefix>[A-Za-z][A-Za-z0-9_.]*):(?P<local>\S+)$")


def split_curie(curie: str) -> tuple[str, str] | None:
    """``"CHEBI:63791"`` -> ``("CHEBI", "63791")``; None if it is not CURIE-shaped."""
    match = _CURIE.match(curie)
    return (match["prefix"], match["local"]) if match else None


def curie_problem(curie: str) -> str | None:
    """Why ``curie`` is not a well-formed CURIE of a known prefix, or None if it is."""
    parts = split_curie(curie)
    if parts is None:
        return f"malformed CURIE {curie!r} (expected PREFIX:LOCAL)"
    prefix, local = parts
    if prefix not in PREFIXES:
        return f"unknown CURIE prefix {prefix!r} in {curie!r}"
    if not re.fullmatch(PREFIXES[prefix], local):
        return f"malformed {prefix} identifier {curie!r}"
    return None


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
