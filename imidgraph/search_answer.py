"""What a search answers about names, and the hits as text.

A query either names an entity (by id, name or synonym, as people type them: the same lookup
as ``show`` and ``explain``), names several (an ambiguous short form), or names none; then
the nearest names are offered, labelled as what they are: suggestions, not matches. Each hit
says how it matched: ``name`` or ``synonym`` (the query is one of the entity's names),
``text`` (every word of the query is in it) or ``partial`` (only some words are).
"""

from __future__ import annotations

import functools
import shlex
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any, Protocol

from .model import Entity
from .names import AmbiguousName, UnknownEntity, lookup_key, normalize

NEAREST = 5  # names offered when the query names no entity


class Resolves(Protocol):
    def entity(self, name: str) -> Entity: ...


@dataclass
class Naming:
    """Whether a query names an entity: ``entity`` (and ``by``: id, name or synonym), or
    ``several`` names it may mean, or neither, with the ``nearest`` names (not matches)."""

    query: str
    entity: Entity | None = None
    by: str = ""
    several: list[str] = field(default_factory=list)
    near: list[str] = field(default_factory=list)  # entities that matched part of the query
    suggest: Callable[[], list[str]] | None = None  # names spelled alike (asked when needed)

    @functools.cached_property
    def nearest(self) -> list[str]:
        """Names spelled like the query, then those of entities that matched part of it."""
        if self.entity is not None or self.several:
            return []
        alike = self.suggest() if self.suggest is not None else []
        return list(dict.fromkeys([*alike, *self.near]))[:NEAREST]

    @property
    def matched(self) -> bool:
        return self.entity is not None

    def to_dict(self) -> dict[str, Any]:
        e = self.entity
        return {
            "query": self.query,
            "matched_name": self.matched,
            "entity": {"id": e.id, "name": e.name, "category": e.category, "by": self.by} if e else None,
            "ambiguous": list(self.several),
            "nearest": list(self.nearest),
        }

    def line(self, hits: list | None = None) -> str:
        """The answer about names, in one line; with the ``hits``, a name that is not in the
        graph says whether its words are (then no names are offered) or nothing is."""
        if self.entity is not None:
            e = self.entity
            return f"{self.query!r} names {e.name} ({e.category}, {e.id}), by {self.by}"
        if self.several:
            return f"{self.query!r} names several entities: {', '.join(self.several)}"
        line = f"no entity named {self.query!r}"
        if hits is not None and any(h.match != "partial" for h in hits):
            return line + "; hits holding every word:"
        if hits is not None and not hits:
            line += " and no text with it"
        return line + (f"; nearest names (not matches): {', '.join(self.nearest)}" if self.nearest else "")


def naming(kg: Resolves, query: str, near: list[str]) -> Naming:
    """What ``query`` names in ``kg``; ``near``: names of entities that matched part of the
    query (offered after the names that are spelled alike)."""
    text = query.strip()
    try:
        entity = kg.entity(text)
    except AmbiguousName as e:
        return Naming(text, several=list(e.candidates))
    except UnknownEntity as e:  # its suggestions are made when asked (difflib is slow)
        unknown = e
        return Naming(text, near=near, suggest=lambda: unknown.suggestions)
    if normalize(text) == normalize(entity.id):
        by = "id"
    elif lookup_key(text) == lookup_key(entity.name):
        by = "name"
    else:
        by = "synonym"
    return Naming(text, entity, by)


def single_term(query: str) -> bool:
    """A query of one term (no spaces), as a name is typed: ``SALL4``, ``NK``, ``del(5q)``."""
    return len(query.split()) == 1


def to_text(hits, query: str) -> str:
    """The answer about names in one line, then the hits as numbered blocks: what each is,
    where it matched, and its citation; a hit that holds only some words says so."""
    named = getattr(hits, "naming", None)
    lines = [named.line(hits)] if named is not None else []
    if not hits and not lines:
        lines.append(f"nothing found for {query!r}")
    for h in hits:
        partial = "  (partial: not every word)" if h.match == "partial" else ""
        if h.kind == "entity":
            lines.append(f"{h.rank}. [entity] {h.title}  ({h.category}, {h.id})  score {h.score:.3f}{partial}")
            if h.field != "name":
                lines.append(f"   {h.field}: {h.text}")
            lines.append(f"   {h.citation}: imidgraph show {shlex.quote(h.title)}")
        else:
            d = h.details
            lines.append(f"{h.rank}. [relation] {h.title}  score {h.score:.3f}{partial}")
            lines.append(f"   {d['paraphrase']}")
            if h.field != "paraphrase":
                lines.append(f"   {h.field}: {h.text}")
            doi = f" · doi:{d['source_doi']}" if d["source_doi"] else ""
            refs = f" refs {', '.join(map(str, d['refs']))}" if d["refs"] else ""
            lines.append(f"   {d['evidence']} · {d['source']} §{d['section']}{refs}{doi}")
    return "\n".join(lines) + "\n"


def to_dict(hits) -> dict[str, Any]:
    """The answer as one JSON document: the naming fields, then the hits."""
    named = getattr(hits, "naming", None)
    return {**(named.to_dict() if named is not None else {}), "hits": [h.to_dict() for h in hits]}
