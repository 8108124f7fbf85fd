"""Categories (each a Biolink class), the CURIE prefixes an entity's id may carry, and the
groups of categories that predicates are defined over."""

from __future__ import annotations

import re

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
