"""Plain, frozen domain objects. No I/O here."""

from __future__ import annotations

from dataclasses import dataclass, field

QualifierValue = str | int | tuple[str, ...]


@dataclass(frozen=True)
class Location:
    """Where a record was read: file and 1-based line."""

    file: str
    line: int

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


@dataclass(frozen=True)
class Source:
    id: str
    doi: str | None
    citation: str
    file: str | None = None


@dataclass(frozen=True)
class Reference:
    """A primary study the review numbers, with the DOI its reference list gives."""

    number: int
    source: str
    doi: str
    title: str
    year: int | None = None


@dataclass(frozen=True)
class Entity:
    id: str
    name: str
    category: str
    synonyms: tuple[str, ...] = ()
    xrefs: tuple[str, ...] = ()
    verified: bool = True
    note: str | None = None
    # broader or neighbouring standard terms (skos:closeMatch): never the entity's own id
    close_matches: tuple[str, ...] = ()

    def __str__(self) -> str:
        return self.name


@dataclass(frozen=True)
class Citation:
    """Where a relation comes from: the source, its section, and the primary studies."""

    source: str
    doi: str | None
    section: str
    refs: tuple[int, ...] = ()
    primary_dois: tuple[str, ...] = ()

    @property
    def publications(self) -> tuple[str, ...]:
        """The DOIs as CURIEs, the source first."""
        dois = (self.doi, *self.primary_dois) if self.doi else self.primary_dois
        return tuple(f"doi:{d}" for d in dois)

    def __str__(self) -> str:
        refs = f" refs {', '.join(map(str, self.refs))}" if self.refs else ""
        doi = f" doi:{self.doi}" if self.doi else ""
        return f"{self.source}{doi} §{self.section}{refs}"


@dataclass(frozen=True)
class Relation:
    """One curated fact: subject -predicate-> object, qualified, with evidence and citation.

    ``subject`` and ``object`` are entity ids (CURIEs). ``qualifiers`` values that name
    entities hold their ids too.
    """

    id: str
    subject: str
    predicate: str
    object: str
    evidence: str
    citation: Citation
    paraphrase: str
    qualifiers: dict[str, QualifierValue] = field(default_factory=dict)

    def __hash__(self) -> int:
        return hash(self.id)
