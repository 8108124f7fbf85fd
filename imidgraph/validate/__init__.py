"""Check raw seed records and turn them into a :class:`~imidgraph.facts.FactSet`.

Every problem names file, line and field. Nothing is built from seeds with problems:
:func:`load_facts` raises :class:`InvalidSeeds` instead.

One module a concern, each adding its rules to one checker (:mod:`.check` runs them in order):
``records`` (fields, text values, identifiers), ``sources`` (sources and references),
``entities``, ``relations`` (each relation on its own, and its id), ``curation`` (rules over
all relations together) and ``wording`` (paraphrases against the source texts).
"""

from .check import InvalidSeeds, compile_facts, load_facts, validate
from .curation import MENTION_MIN
from .records import ENTITY_FIELDS, LONG_TEXT, REFERENCE_FIELDS, RELATION_FIELDS, SOURCE_FIELDS
from .relations import DESIGNS, LINTED_TEXT, MIN_PARAPHRASE, NOT_LOCATED, relation_key
from .wording import COPY_RUN, missing_source_texts, read_source_texts, source_files

__all__ = [
    "COPY_RUN",
    "DESIGNS",
    "ENTITY_FIELDS",
    "LINTED_TEXT",
    "LONG_TEXT",
    "MENTION_MIN",
    "MIN_PARAPHRASE",
    "NOT_LOCATED",
    "REFERENCE_FIELDS",
    "RELATION_FIELDS",
    "SOURCE_FIELDS",
    "InvalidSeeds",
    "compile_facts",
    "load_facts",
    "missing_source_texts",
    "read_source_texts",
    "relation_key",
    "source_files",
    "validate",
]
