"""Find entities by id, name or synonym: case-, punctuation- and Greek-letter-insensitive."""

from __future__ import annotations

import difflib
import unicodedata
from collections.abc import Iterable

from .model import Entity

_GREEK = str.maketrans(
    {
        "α": "a", "β": "b", "γ": "g", "δ": "d", "ε": "e", "κ": "k", "λ": "l",
        "μ": "m", "ν": "n", "τ": "t", "ω": "w", "ζ": "z",
    }
)  # fmt: skip


def normalize(text: str) -> str:
    """The lookup key of a name: ``"CK1α"`` and ``"ck-1a"`` both give ``"ck1a"``."""
    folded = unicodedata.normalize("NFKC", text).casefold().translate(_GREEK)
    return "".join(ch for ch in folded if ch.isalnum())


class UnknownEntity(LookupError):
    """No entity has that id, name or synonym."""

    def __init__(self, query: str, suggestions: list[str]):
        self.query = query
        self.suggestions = suggestions
        hint = f"; did you mean: {', '.join(suggestions)}?" if suggestions else ""
        super().__init__(f"no entity named {query!r}{hint}")


class AmbiguousName(LookupError):
    """More than one entity answers to that name."""

    def __init__(self, query: str, candidates: list[str]):
        self.query = query
        self.candidates = candidates
        super().__init__(f"{query!r} names several entities: {', '.join(candidates)}")


def entity_keys(entity: Entity) -> Iterable[str]:
    """Every normalized key an entity answers to."""
    yield normalize(entity.id)
    yield normalize(entity.name)
    for synonym in entity.synonyms:
        yield normalize(synonym)


class NameIndex:
    """Maps normalized ids, names and synonyms to entities."""

    def __init__(self, entities: Iterable[Entity]):
        self._by_key: dict[str, dict[str, Entity]] = {}
        self._by_id: dict[str, Entity] = {}
        for entity in entities:
            self._by_id[entity.id] = entity
            for key in entity_keys(entity):
                if key:
                    self._by_key.setdefault(key, {})[entity.id] = entity

    def resolve(self, query: str) -> Entity:
        """The one entity ``query`` names; raises UnknownEntity or AmbiguousName."""
        if query in self._by_id:
            return self._by_id[query]
        found = self._by_key.get(normalize(query), {})
        if len(found) == 1:
            return next(iter(found.values()))
        if found:
            raise AmbiguousName(query, sorted(e.name for e in found.values()))
        raise UnknownEntity(query, self.suggest(query))

    def suggest(self, query: str, n: int = 5) -> list[str]:
        """Names of entities whose name or synonym is close to ``query``."""
        key = normalize(query)
        if not key:
            return []
        scored = []
        for candidate in self._by_key:
            ratio = difflib.SequenceMatcher(None, key, candidate).ratio()
            if ratio >= 0.6:
                scored.append((-ratio, candidate))
        close = [candidate for _, candidate in sorted(scored)[: n * 2]]
        contains = [k for k in self._by_key if len(key) >= 3 and (key in k or k in key)]
        names: list[str] = []
        for k in close + sorted(contains, key=len):
            for entity in self._by_key[k].values():
                if entity.name not in names:
                    names.append(entity.name)
        return names[:n]
