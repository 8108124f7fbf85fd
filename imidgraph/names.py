"""Names: what characters they may hold, and how they are found.

Lookups are case-, punctuation- and Greek-letter-insensitive (``CK1a`` finds ``CK1α``), and
a letter that only looks Latin (Cyrillic ``е``, Greek ``ο``) is read as the Latin letter it
imitates. Validation refuses such look-alikes in names and compares names by their visual
:func:`skeleton`, so two names that look the same are one name.
"""

from __future__ import annotations

import difflib
import re
import unicodedata
from collections.abc import Callable, Iterable

from .model import Entity

NAME_MAX = 200  # characters in a name or synonym: far below Neo4j's ~8 KB index key limit

# Letters of other scripts that look like a Latin letter: refused in names, read as that letter.
LOOKALIKES: dict[str, str] = {
    # Greek capitals that are drawn like Latin ones, and the small letters o, v, p, u, i, x, c, j
    "Α": "A", "Β": "B", "Ε": "E", "Ζ": "Z", "Η": "H", "Ι": "I", "Κ": "K", "Μ": "M", "Ν": "N",
    "Ο": "O", "Ρ": "P", "Τ": "T", "Υ": "Y", "Χ": "X", "Ϲ": "C", "Ϳ": "J",
    "ο": "o", "ν": "v", "ρ": "p", "υ": "u", "ι": "i", "χ": "x", "ϲ": "c", "ϳ": "j",
    # Cyrillic
    "А": "A", "В": "B", "Е": "E", "К": "K", "М": "M", "Н": "H", "О": "O", "Р": "P", "С": "C",
    "Т": "T", "Х": "X", "У": "Y", "Ѕ": "S", "І": "I", "Ј": "J", "Ԛ": "Q", "Ԝ": "W", "Ӏ": "I",
    "а": "a", "е": "e", "о": "o", "р": "p", "с": "c", "у": "y", "х": "x", "ѕ": "s", "і": "i",
    "ј": "j", "һ": "h", "ԁ": "d", "ԛ": "q", "ԝ": "w", "ӏ": "l", "ѵ": "v", "ү": "y",
    # Latin letters that imitate plainer ones
    "ı": "i", "ȷ": "j", "ɑ": "a", "ɡ": "g", "ɩ": "i", "ʟ": "L", "ǀ": "l", "ꞁ": "l",
}  # fmt: skip

# Greek letters names may use, as biology does: CK1α, TNF-α, IFN-γ, β2-microglobulin, NF-κB
GREEK = frozenset("αβγδεζηθκλμξπσςτφψωΓΔΘΛΞΠΣΦΨΩ")

# Non-ASCII punctuation and symbols names may use (dashes, quotes, ±, ×, °, arrows, ...)
PUNCTUATION = frozenset("‐‑–—−‘’“”±×·°→←↔≤≥′″®™")

_GREEK = str.maketrans(
    {
        "α": "a", "β": "b", "γ": "g", "δ": "d", "ε": "e", "κ": "k", "λ": "l",
        "μ": "m", "τ": "t", "ω": "w", "ζ": "z", "η": "h",
    }
)  # fmt: skip
_LOOKALIKES = str.maketrans(LOOKALIKES)
# Latin sequences that look like one another; the skeleton writes each one way.
_SKELETON = [("rn", "m"), ("vv", "w"), ("0", "o"), ("1", "l"), ("i", "l")]


_CONTROL_NAMES = {
    0x00: "NULL", 0x07: "BELL", 0x08: "BACKSPACE", 0x09: "TAB", 0x0A: "LINE FEED",
    0x0B: "VERTICAL TAB", 0x0C: "FORM FEED", 0x0D: "CARRIAGE RETURN", 0x1B: "ESCAPE",
    0x7F: "DELETE", 0x85: "NEXT LINE",
}  # fmt: skip


def describe(ch: str) -> str:
    """``U+200B ZERO WIDTH SPACE``: a character named without printing it."""
    name = unicodedata.name(ch, "") or _CONTROL_NAMES.get(ord(ch), "")
    return f"U+{ord(ch):04X}" + (f" {name}" if name else "")


def printable(text: str) -> str:
    """``text`` with every unprintable character (controls, line breaks, invisible ones) as \\uXXXX."""
    return "".join(ch if ch.isprintable() else f"\\u{ord(ch):04x}" for ch in text)


def unsafe_character(text: str, *, line_breaks: bool = False) -> str | None:
    """Why ``text`` may not reach a terminal, page or query as it is; None if it may.

    Control characters (C0, DEL, C1), invisible format characters (zero-width, bidi
    controls, soft hyphen), line and paragraph separators, surrogates and private-use
    characters are refused; ``line_breaks`` allows newlines and tabs (long text in YAML
    block scalars, which is folded to single spaces).
    """
    for ch in text:
        if ch.isprintable() or (line_breaks and ch in "\n\t"):
            continue
        kind = unicodedata.category(ch)
        if kind == "Zs":
            continue  # spaces other than ' ': harmless here, refused in names by name_problem
        what = {"Cc": "control character", "Cf": "invisible character"}.get(kind, "character")
        return f"{what} {describe(ch)} not allowed"
    return None


def name_problem(text: str) -> str | None:
    """Why ``text`` may not be a name or synonym; None if it may.

    A name is NFKC-normal text of at most NAME_MAX characters: Latin letters (with accents),
    the Greek letters of :data:`GREEK`, ASCII digits, spaces and punctuation. Look-alike
    letters are refused, and so is a Greek letter inside a lower-case Latin word
    (``lenαlidomide``), where it can only pose as a Latin one.
    """
    if (why := unsafe_character(text)) is not None:
        return why
    if len(text) > NAME_MAX:
        return f"too long ({len(text)} characters; at most {NAME_MAX})"
    normal = unicodedata.normalize("NFKC", text)
    if normal != text:
        return f"{text!r} is not in Unicode normal form NFKC: write {normal!r}"
    for i, ch in enumerate(text):
        if " " <= ch <= "~":
            continue
        if ch in LOOKALIKES:
            return (
                f"{ch!r} is {describe(ch)}, which looks like the Latin letter {LOOKALIKES[ch]!r}: "
                f"write {text.translate(_LOOKALIKES)!r}"
            )
        if ch in GREEK:
            before, after = text[i - 1 : i], text[i + 1 : i + 2]
            if before.isascii() and before.islower() and after.isascii() and after.islower():
                return f"{ch!r} ({describe(ch)}) inside a Latin word of {text!r} poses as a Latin letter"
            continue
        if ch in PUNCTUATION:
            continue
        base = unicodedata.normalize("NFD", ch)
        if ch.isalpha() and base[0].isascii() and base[0].isalpha():
            continue  # a Latin letter with accents: é, ö, ñ
        return f"{ch!r} ({describe(ch)}) not allowed in names (Latin and Greek letters, digits, punctuation)"
    return None


def normalize(text: str) -> str:
    """The lookup key of a name: ``"CK1α"`` and ``"ck-1a"`` both give ``"ck1a"``.

    NFKC, look-alike letters read as the Latin ones they imitate, case folded, Greek letters
    transliterated, and only letters and digits kept (so invisible characters vanish).
    """
    folded = unicodedata.normalize("NFKC", text).translate(_LOOKALIKES).casefold().translate(_GREEK)
    return "".join(ch for ch in folded if ch.isalnum())


# Greek letters spelled out, as people type them: ``IFN-gamma``, ``CK1 alpha``, ``NF-kappaB``
GREEK_NAMES: dict[str, str] = {
    "alpha": "α", "beta": "β", "gamma": "γ", "delta": "δ", "epsilon": "ε", "zeta": "ζ",
    "eta": "η", "theta": "θ", "kappa": "κ", "lambda": "λ", "mu": "μ", "xi": "ξ", "pi": "π",
    "sigma": "σ", "tau": "τ", "phi": "φ", "psi": "ψ", "omega": "ω",
}  # fmt: skip
# these are also read inside a word (TNFalpha, NF-kappaB, FcgammaRI); the others only standing
# alone or ending a word
_GREEK_INSIDE = ("alpha", "beta", "gamma", "delta", "kappa")
_GREEK_WORD = re.compile(
    r"(" + "|".join(_GREEK_INSIDE) + r")"
    r"|(?<![a-z])(" + "|".join(sorted(GREEK_NAMES, key=len, reverse=True)) + r")(?![a-z])"
    r"|(?<=[a-z0-9])(lambda|epsilon|sigma|omega)(?![a-z])"
)
# British spellings written the American way (applied to both sides, so only equality matters)
_SPELLING = [
    (re.compile(r"ae"), "e"),  # haematologic, leukaemia, anaemia, paediatric
    (re.compile(r"oe"), "e"),  # oestrogen, oedema, coeliac, foetal
    (re.compile(r"(?<=[a-z]{2})our"), "or"),  # tumour, favourable, behaviour
    (re.compile(r"(?<=[a-z]{3})is(e|ed|es|ing|ation|ations)$"), r"iz\1"),  # polarisation, recognise
    (re.compile(r"(?<=[a-z]{2})yse(d|s)?$"), r"yze\1"),  # analyse
    (re.compile(r"(?<=[a-z]{2})tre$"), "ter"),  # centre, litre
    (re.compile(r"(?<=[a-z]{3})ogue$"), "og"),  # analogue
]


def singular(word: str) -> str:
    """A lower-case word without its plural ending: cells -> cell, malignancies -> malignancy,
    processes -> process, APCs -> apc. Short words (MDS, ALL) are left alone."""
    if len(word) < 4 or word[-1] != "s" or not word[-2].isalpha():
        return word
    if word.endswith("ies") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith(("sses", "xes")):
        return word[:-2]
    if word.endswith(("ss", "us", "is")):
        return word
    return word[:-1]


def american(word: str) -> str:
    """A lower-case word in American spelling: tumour -> tumor, haem -> hem, -ise -> -ize."""
    for pattern, replacement in _SPELLING:
        word = pattern.sub(replacement, word)
    return word


def spell_greek(text: str) -> str:
    """Greek letters spelled out (in lower-case text) written as the letters: ``ifn-gamma`` ->
    ``ifn-γ``, ``tnfalpha`` -> ``tnfα``, ``nf-kappab`` -> ``nf-κb``."""
    return _GREEK_WORD.sub(lambda m: GREEK_NAMES[m.group(m.lastindex)], text)


def lookup_key(text: str) -> str:
    """A lenient key for what people type, used only to resolve names (never by validation,
    which compares the strict :func:`normalize` key).

    On top of :func:`normalize`: Greek letters spelled out read as the letters (``IFN-gamma`` =
    ``IFN-γ``), each word singular (``regulatory T cells`` = ``regulatory T cell``) and in
    American spelling (``tumour`` = ``tumor``, ``haematologic`` = ``hematologic``,
    ``oestrogen`` = ``estrogen``, ``-ise`` = ``-ize``); hyphens, spaces and none are alike.
    """
    folded = unicodedata.normalize("NFKC", text).translate(_LOOKALIKES).casefold()
    folded = spell_greek(folded).translate(_GREEK)
    words = re.findall(r"[^\W_]+", folded)
    return "".join(american(singular(w)) for w in words)


def skeleton(text: str) -> str:
    """What a name looks like: two names with one skeleton cannot be told apart by eye.

    The lookup key (:func:`normalize`) with Latin look-alike sequences written one way
    (``rn`` as ``m``, ``0`` as ``o``, ``1`` and ``i`` as ``l``). Equal keys give equal
    skeletons.
    """
    key = normalize(text)
    for a, b in _SKELETON:
        key = key.replace(a, b)
    return key


class UnknownEntity(LookupError):
    """No entity has that id, name or synonym. ``suggestions`` (close names) may be given as
    a function, called when they are first read (a search that only asks whether a name is
    known does not pay for them)."""

    def __init__(self, query: str, suggestions: list[str] | Callable[[], list[str]]):
        super().__init__(query)
        self.query = query
        self._suggestions = suggestions

    @property
    def suggestions(self) -> list[str]:
        if callable(self._suggestions):
            self._suggestions = self._suggestions()
        return self._suggestions

    def __str__(self) -> str:
        hint = f"; did you mean: {', '.join(self.suggestions)}?" if self.suggestions else ""
        return f"no entity named {self.query!r}{hint}"


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
    """Maps normalized ids, names and synonyms to entities.

    ``lenient`` (for what people type, not for the seeds) also resolves a name by its
    :func:`lookup_key` when its strict key finds nothing: plurals, spelled-out Greek
    letters, British spellings.
    """

    def __init__(self, entities: Iterable[Entity], lenient: bool = False):
        self._by_key: dict[str, dict[str, Entity]] = {}
        self._by_id: dict[str, Entity] = {}
        self._by_loose: dict[str, dict[str, Entity]] = {}
        self.lenient = lenient
        for entity in entities:
            self._by_id[entity.id] = entity
            for key in entity_keys(entity):
                if key:
                    self._by_key.setdefault(key, {})[entity.id] = entity
            if lenient:
                for text in (entity.name, *entity.synonyms):
                    if key := lookup_key(text):
                        self._by_loose.setdefault(key, {})[entity.id] = entity

    def resolve(self, query: str) -> Entity:
        """The one entity ``query`` names; raises UnknownEntity or AmbiguousName."""
        if query in self._by_id:
            return self._by_id[query]
        found = self._by_key.get(normalize(query), {})
        if not found and self.lenient:
            found = self._by_loose.get(lookup_key(query), {})
        if len(found) == 1:
            return next(iter(found.values()))
        if found:
            raise AmbiguousName(query, sorted(e.name for e in found.values()))
        raise UnknownEntity(query, lambda: self.suggest(query))

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
