"""The metagraph: categories, predicates, qualifiers and evidence levels.

This package is the single source of imidgraph's vocabulary; ``docs/curation.md`` documents it
and a test keeps the two in step. Every predicate maps to a Biolink 4.x predicate (plus the
Biolink qualifiers that pin its meaning), every category to a Biolink class.

One module a part, read as ``schema.NAME``: ``categories`` (categories, their Biolink classes,
CURIE prefixes, groups of categories), ``predicates`` (the predicates, their Biolink mapping,
Neo4j types and signs), ``qualifiers`` and ``evidence`` (the evidence levels).
"""

from .categories import (
    AGENTS,
    ALL,
    BIOLINK_VERSION,
    CATEGORIES,
    CATEGORY_PREFIXES,
    CELLS,
    COMPARTMENTS,
    CONDITIONS,
    ENDPOINTS,
    LOCAL_PREFIX,
    MOLECULES,
    PREFIXES,
    PROCESSES,
    QUESTIONS,
    TRIALS,
    curie_problem,
    split_curie,
)
from .evidence import EVIDENCE_LEVELS
from .predicates import POLARITY, PREDICATES, Predicate, UnknownPredicate, predicate_name, rel_type
from .qualifiers import (
    ASPECT_REQUIRED_FOR,
    ASPECT_REQUIRED_ON,
    BIOLINK_ASPECTS,
    ENUMS,
    FAVOURABLE,
    QUALIFIERS,
    qualifier_entities,
    qualifier_text,
)

__all__ = [
    "AGENTS",
    "ALL",
    "ASPECT_REQUIRED_FOR",
    "ASPECT_REQUIRED_ON",
    "BIOLINK_ASPECTS",
    "BIOLINK_VERSION",
    "CATEGORIES",
    "CATEGORY_PREFIXES",
    "CELLS",
    "COMPARTMENTS",
    "CONDITIONS",
    "ENDPOINTS",
    "ENUMS",
    "EVIDENCE_LEVELS",
    "FAVOURABLE",
    "LOCAL_PREFIX",
    "MOLECULES",
    "POLARITY",
    "PREDICATES",
    "PREFIXES",
    "PROCESSES",
    "QUALIFIERS",
    "QUESTIONS",
    "TRIALS",
    "Predicate",
    "UnknownPredicate",
    "curie_problem",
    "predicate_name",
    "qualifier_entities",
    "qualifier_text",
    "rel_type",
    "split_curie",
]
