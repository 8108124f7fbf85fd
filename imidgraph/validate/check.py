"""The seeds checked as a whole: every rule in order, and the FactSet built from them."""

from __future__ import annotations

from collections.abc import Mapping
from pathlib import Path

from ..facts import FactSet, Problem, RawSeeds, read_seeds
from . import statements
from .curation import CurationChecks
from .relations import RelationChecks
from .sources import SourceChecks
from .wording import WordingChecks


class Checker(SourceChecks, RelationChecks, CurationChecks, WordingChecks):
    """Every rule of :mod:`imidgraph.validate`, sharing one list of problems."""


class InvalidSeeds(ValueError):
    """The seeds have problems; nothing was built from them."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        first = str(problems[0]) if problems else ""
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(first + more)


def load_facts(path: Path | str, source_texts: Mapping[str, str] | None = None) -> FactSet:
    """Read and validate the seeds at ``path``; raise InvalidSeeds on any problem."""
    facts, problems = compile_facts(read_seeds(path), source_texts)
    if problems:
        raise InvalidSeeds(problems)
    return facts


def validate(raw: RawSeeds, source_texts: Mapping[str, str] | None = None) -> list[Problem]:
    """Every problem in ``raw``; empty when the seeds are valid."""
    return compile_facts(raw, source_texts)[1]


def compile_facts(
    raw: RawSeeds, source_texts: Mapping[str, str] | None = None
) -> tuple[FactSet, list[Problem]]:
    """Check ``raw`` and build the FactSet; the FactSet is only meaningful without problems.

    ``source_texts`` maps source ids to their full text; when given, paraphrases that repeat
    the source's wording are problems too.
    """
    checker = Checker(raw.problems, raw.unread)
    sources = checker.sources(raw.sources)
    references = checker.references(raw.references, sources)
    entities = checker.entities(raw.entities)
    relations = checker.relations(raw.relations, entities, sources, references)
    if not checker.problems:
        checker.questions(relations, entities)
    if not checker.problems:
        checker.lint(relations, entities)
        checker.lumping(relations, entities)
        checker.restated(relations, entities)
        checker.problems += statements.problems(relations, entities)
    if source_texts:
        checker.copying(source_texts)
    facts = FactSet(
        sources=sources,
        references=references,
        entities={e.id: e for e in entities.values()},
        relations=[r for r, _ in relations],
        locations={**checker.entity_locations, **{r.id: rec.location for r, rec in relations}},
    )
    return facts, checker.problems
