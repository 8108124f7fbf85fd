"""The checks every seed record gets: its fields, text values and identifiers.

:class:`RecordChecks` holds the problems found so far and names each one's file, line and
field; the checks of each kind of record (sources, entities, relations, ...) build on it.
"""

from __future__ import annotations

import difflib
import re

from .. import schema
from ..facts import Problem, Record
from ..model import Location
from ..names import NAME_MAX, unsafe_character


def _unsafe(text: str, *, line_breaks: bool = False) -> str | None:
    """:func:`~imidgraph.names.unsafe_character`, with the common case (all printable) in C."""
    return None if text.isprintable() else unsafe_character(text, line_breaks=line_breaks)

SOURCE_FIELDS = {"id", "doi", "citation", "file", "numbered_references", "note"}
REFERENCE_FIELDS = {"ref", "source", "doi", "title", "year"}
ENTITY_FIELDS = {"id", "name", "category", "synonyms", "xrefs", "close_matches", "verified", "note", "favourable"}
RELATION_FIELDS = {
    "subject", "predicate", "object", "qualifiers", "evidence", "source", "section", "refs",
    "paraphrase",
}  # fmt: skip

# Fields of free prose: they may span lines in YAML (folded to single spaces when read).
# Every other text field is one line; no field holds control or invisible characters.
LONG_TEXT = {"note", "paraphrase", "citation", "title"}

_IDENTIFIER = re.compile(r"[!-~]+")  # CURIEs: printable ASCII, no spaces


class RecordChecks:
    """The problems found so far, and the checks of one record's fields and values."""

    def __init__(self, problems: list[Problem], unread: set[str] = frozenset()):
        self.problems = list(problems)
        self.unread = unread  # kinds whose file or folder was not read: their one problem says so
        self.entity_locations: dict[str, Location] = {}
        self.paraphrases: list[tuple[str, str, Record]] = []  # (source id, paraphrase, record)

    def problem(self, record: Record, field: str | None, message: str) -> None:
        loc = record.at(field) if field else record.location
        self.problems.append(Problem(loc, field, message))

    # -- helpers ---------------------------------------------------------------------------
    def fields(self, record: Record, allowed: set[str], required: list[str]) -> bool:
        for key in record:
            if key not in allowed:
                close = difflib.get_close_matches(key, sorted(allowed), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                self.problem(record, key, f"unknown field{hint}")
        ok = not record.unreadable  # each unreadable value is a problem already
        for key in required:
            if key in record.unreadable:
                continue
            value = record.get(key)
            if value is None or (isinstance(value, str) and not value.strip()):
                self.problem(record, None, f"missing required field '{key}'")
                ok = False
        return ok

    def text(self, record: Record, key: str) -> str | None:
        """The field as text: one line, or (LONG_TEXT) prose folded to single spaces."""
        value = record.get(key)
        if value is None:
            return None
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.problem(record, key, f"expected text, got {type(value).__name__}")
            return None
        long = key in LONG_TEXT
        if (why := _unsafe(str(value), line_breaks=long)) is not None:
            self.problem(record, key, why)
            return None
        return " ".join(str(value).split()) if long else str(value).strip()

    def text_list(self, record: Record, key: str) -> tuple[str, ...]:
        value = record.get(key, [])
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
            self.problem(record, key, "expected a list of text values")
            return ()
        for v in value:
            if (why := _unsafe(str(v))) is not None:
                self.problem(record, key, why)
                return ()
        return tuple(str(v).strip() for v in value)

    def identifier(self, record: Record, key: str, curie: str) -> bool:
        """A CURIE of printable ASCII, short enough to index, of a known prefix."""
        if len(curie) > NAME_MAX:
            why = f"too long ({len(curie)} characters; at most {NAME_MAX})"
        elif (why := schema.curie_problem(curie)) is None and not _IDENTIFIER.fullmatch(curie):
            why = f"an identifier is printable ASCII without spaces, got {curie!r}"
        if why is not None:
            self.problem(record, key, why)
        return why is None
