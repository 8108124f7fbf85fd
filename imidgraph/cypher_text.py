"""Cypher text we print for people to paste (Neo4j Browser, cypher-shell): values made inert.

Programs pass values as ``$parameters``; text we print cannot, so every value taken from the
seeds (an id, a name) goes through :func:`cypher_string` or :func:`cypher_comment` and can
never end the literal or the comment it is in, whatever it holds: quotes, backslashes,
newlines, other line breaks (U+0085, U+2028, U+2029), control or invisible format characters.

* :func:`cypher_string` -- a single-quoted string literal that reads back as exactly ``value``;
* :func:`cypher_list` -- a list of such literals;
* :func:`cypher_comment` -- a ``//`` comment that stays on its one line;
* :func:`param_line` -- a Browser ``:param name => 'value'`` line.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable

_SHORT = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t", "\b": "\\b", "\f": "\\f"}
# control, format (bidi overrides, zero-width), line and paragraph separators, surrogates,
# private use and unassigned: written as escapes, so the printed text shows them and no editor
# or terminal can take them for a line break
_ESCAPED_CATEGORIES = frozenset({"Cc", "Cf", "Zl", "Zp", "Cs", "Co", "Cn"})
_KEY = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")


def _unsafe(ch: str) -> bool:
    return unicodedata.category(ch) in _ESCAPED_CATEGORIES


def cypher_string(value: str) -> str:
    """``value`` as a Cypher string literal: ``'it\\'s'``.

    Backslash and quote are escaped, and every control, format, separator or unassigned
    character is written as ``\\n``, ``\\uXXXX`` or ``\\UXXXXXXXX``: the literal is one line
    and Cypher reads it back as exactly ``value``.
    """
    out = []
    for ch in value:
        if ch in _SHORT:
            out.append(_SHORT[ch])
        elif _unsafe(ch):
            code = ord(ch)
            out.append(f"\\u{code:04x}" if code <= 0xFFFF else f"\\U{code:08x}")
        else:
            out.append(ch)
    return "'" + "".join(out) + "'"


def cypher_list(values: Iterable[str], per_line: int = 4) -> str:
    """A list of string literals, ``per_line`` to a line when there are more."""
    items = [cypher_string(v) for v in values]
    if len(items) <= per_line:
        return "[" + ", ".join(items) + "]"
    lines = [", ".join(items[i : i + per_line]) for i in range(0, len(items), per_line)]
    return "[\n  " + ",\n  ".join(lines) + "\n]"


def comment_text(text: str) -> str:
    """``text`` on one line: every control, format or separator character becomes a space."""
    cleaned = "".join(" " if _unsafe(ch) else ch for ch in text)
    return re.sub(r" {2,}", " ", cleaned).strip()


def cypher_comment(text: str) -> str:
    """``// text`` on exactly one line, whatever ``text`` holds (no newline at the end)."""
    return f"// {comment_text(text)}".rstrip()


def param_line(key: str, value: str) -> str:
    """A Neo4j Browser parameter line, ``:param key => 'value'`` (the value escaped)."""
    if not _KEY.fullmatch(key):
        raise ValueError(f"not a parameter name: {key!r}")
    return f":param {key} => {cypher_string(value)}"
