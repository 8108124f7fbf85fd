"""The search box: names as people type them, completed as they type, and questions.

A name is completed from every entity's name and synonyms (brands are synonyms: ``Revlimid``)
read the way search reads words (:func:`imidgraph.search.words`: case, accents, spelled-out
Greek, ``CK1a`` = ``CK1α``, plurals), so ``ifn-gam`` finds ``IFN-γ`` and ``ck1`` finds
``CK1α``: first the names that begin with what was typed, then those with a word that does.

A question in the words people use, ``why does lenalidomide help del(5q) MDS`` (or ``how
does ... work in ...``, ``... treat ...``, ``... cause ...``), is read as an explanation's drug
and target (:func:`question`); while its target is being typed, the target is completed.
"""

from __future__ import annotations

import re
import weakref
from dataclasses import dataclass
from typing import Any

from ..model import Entity
from ..search import words

LIMIT = 8  # suggestions offered

_VERBS = (
    r"help(?:s|ed)?(?:\s+(?:with|in|against|for))?|work(?:s|ed)?\s+(?:in|on|against|for)|treat(?:s|ed)?"
    r"|act(?:s|ed)?\s+(?:on|in|against)|benefit(?:s|ed)?|improve(?:s|d)?|affect(?:s|ed)?|lower(?:s|ed)?"
    r"|reduce(?:s|d)?|cause(?:s|d)?|raise(?:s|d)?|induce(?:s|d)?|lead\s+to|give(?:s)?"
)
_QUESTION = re.compile(
    r"^\s*(?:why|how)\s+(?:does|do|did|would|could|can|is|are|might|may)\s+(?P<drug>.+?)\s+"
    rf"(?:{_VERBS})\s+(?P<target>.*?)\s*\??\s*$",
    re.IGNORECASE | re.DOTALL,
)


def question(text: str) -> tuple[str, str] | None:
    """(drug, target) of a question such as ``why does lenalidomide help del(5q) MDS?``, as
    typed (names are resolved by explain); None if ``text`` is no such question. The target
    may be empty while it is being typed."""
    match = _QUESTION.match(text)
    if match is None:
        return None
    return match["drug"].strip(), match["target"].strip()


def _key(text: str) -> str:
    return "".join(words(text))


@dataclass(frozen=True)
class _Name:
    text: str  # the name or synonym as written
    by: str  # "name" or "synonym"
    entity: Entity
    key: str  # the whole text, read as search reads it
    starts: tuple[str, ...]  # the keys from each later word on


class Index:
    """Every name and synonym of a graph's entities, ready to complete what is typed."""

    def __init__(self, entities: list[Entity]):
        self.names: list[_Name] = []
        for e in entities:
            for by, text in [("name", e.name)] + [("synonym", s) for s in e.synonyms]:
                tokens = words(text)
                if tokens:
                    starts = tuple("".join(tokens[i:]) for i in range(1, len(tokens)))
                    self.names.append(_Name(text, by, e, "".join(tokens), starts))

    def complete(self, typed: str, limit: int = LIMIT) -> list[dict[str, Any]]:
        """The entities whose name or synonym begins with ``typed`` (then: has a word that
        does), the nearest first; each once, by its best text."""
        key = _key(typed)
        if not key:
            return []
        ranked = []
        for n in self.names:
            if n.key.startswith(key):
                rank = 0 if n.key == key else 1
            elif any(s.startswith(key) for s in n.starts):
                rank = 2
            else:
                continue
            ranked.append((rank, n.by != "name", len(n.text), n.text.casefold(), n))
        out: dict[str, dict[str, Any]] = {}
        for *_, n in sorted(ranked, key=lambda r: r[:4]):
            if n.entity.id not in out:
                e = n.entity
                out[e.id] = {"text": n.text, "by": n.by, "id": e.id, "name": e.name, "category": e.category}
            if len(out) == limit:
                break
        return list(out.values())


_indexes: weakref.WeakKeyDictionary = weakref.WeakKeyDictionary()


def index(kg) -> Index:
    """The graph's index (made once per graph)."""
    found = _indexes.get(kg)
    if found is None:
        found = _indexes[kg] = Index(list(kg.facts.entities.values()))
    return found


def suggest(kg, text: str, limit: int = LIMIT) -> dict[str, Any]:
    """What the search box offers for ``text``: a question's drug (when ``text`` is a question
    whose drug the graph knows) and the completions of its target, or the completions of a name."""
    asked = question(text)
    if asked is not None:
        drug, target = asked
        try:
            found = kg.entity(drug)
        except LookupError:
            found = None
        if found is not None:
            return {
                "query": text,
                "question": {"drug": {"id": found.id, "name": found.name, "category": found.category},
                             "target": target},
                "suggestions": index(kg).complete(target, limit) if target else [],
            }  # fmt: skip
    return {"query": text, "question": None, "suggestions": index(kg).complete(text, limit)}
