import re
from pathlib import Path

import pytest

from imidgraph.model import Entity
from imidgraph.names import (
    GREEK,
    NAME_MAX,
    PUNCTUATION,
    AmbiguousName,
    NameIndex,
    UnknownEntity,
    name_problem,
    normalize,
    printable,
    skeleton,
)


@pytest.mark.parametrize(
    ("a", "b"),
    [
        ("CK1α", "CK1a"),
        ("ck-1A", "CK1a"),
        ("del (5q) MDS", "del(5q) MDS"),
        ("IFN-γ", "IFNg"),
        ("TNF-α", "tnfa"),
    ],
)
def test_normalize_folds_case_punctuation_and_greek(a, b):
    assert normalize(a) == normalize(b)


def test_normalize_keeps_roman_numerals_apart():
    assert normalize("MHC class I") != normalize("MHC class II")


@pytest.fixture
def index():
    return NameIndex(
        [
            Entity("HGNC:2451", "CSNK1A1", "Gene", ("CK1α", "casein kinase 1 alpha")),
            Entity("HGNC:13176", "IKZF1", "Gene", ("Ikaros",)),
            Entity("HGNC:13178", "IKZF3", "Gene", ("Aiolos", "shared")),
            Entity("HGNC:1", "OTHER", "Gene", ("shared",)),
        ]
    )


def test_resolve_by_id_name_and_synonym(index):
    assert index.resolve("HGNC:2451").name == "CSNK1A1"
    assert index.resolve("csnk1a1").name == "CSNK1A1"
    assert index.resolve("CK1a").name == "CSNK1A1"
    assert index.resolve("ikaros").name == "IKZF1"


def test_unknown_name_offers_close_matches(index):
    with pytest.raises(UnknownEntity) as caught:
        index.resolve("IKZF")
    assert caught.value.suggestions[:2] == ["IKZF1", "IKZF3"]


def test_ambiguous_name_lists_candidates(index):
    with pytest.raises(AmbiguousName) as caught:
        index.resolve("shared")
    assert caught.value.candidates == ["IKZF3", "OTHER"]


# Greek letters as biology writes them, accented Latin letters and typographic dashes
GOOD_NAMES = [
    "CK1α", "TNF-α", "IFN-γ", "β2-microglobulin", "NF-κB", "RORγt", "IκBα", "PI3Kδ", "CD3ζ",
    "γδ T cell", "del(5q) MDS", "5q− MDS", "Waldenström macroglobulinemia", "R2–CHOP", "IL-2",
    "x" * NAME_MAX,
]  # fmt: skip

BAD_NAMES = {
    "lenalid\u03bfmide": "GREEK SMALL LETTER OMICRON, which looks like the Latin letter 'o': write 'lenalidomide'",
    "lenalidomid\u0435": "CYRILLIC SMALL LETTER IE, which looks like the Latin letter 'e'",
    "\u039fmalizumab": "GREEK CAPITAL LETTER OMICRON, which looks like the Latin letter 'O'",
    "\u0440omalidomide": "CYRILLIC SMALL LETTER ER, which looks like the Latin letter 'p'",
    "len\u03b1lidomide": "inside a Latin word of 'lenαlidomide' poses as a Latin letter",
    "\uff4cenalidomide": "not in Unicode normal form NFKC: write 'lenalidomide'",
    "CD4\u207a": "not in Unicode normal form NFKC: write 'CD4+'",
    "lenali\u200bdomide": "invisible character U+200B ZERO WIDTH SPACE not allowed",
    "lenalidomide\u202e": "invisible character U+202E RIGHT-TO-LEFT OVERRIDE not allowed",
    "lenalidomide\u2066": "invisible character U+2066 LEFT-TO-RIGHT ISOLATE not allowed",
    "\ufefflenalidomide": "invisible character U+FEFF ZERO WIDTH NO-BREAK SPACE not allowed",
    "lenalidomide\nrm": "control character U+000A LINE FEED not allowed",
    "lenalidomide\r": "control character U+000D CARRIAGE RETURN not allowed",
    "lenalidomide\x1b[2J": "control character U+001B ESCAPE not allowed",
    "lenalidomide\x00": "control character U+0000 NULL not allowed",
    "lenalidomide\x7f": "control character U+007F DELETE not allowed",
    "lenalidomide\x9b": "control character U+009B not allowed",
    "lenalidomide\u2028": "character U+2028 LINE SEPARATOR not allowed",
    "\u0436-cell": "CYRILLIC SMALL LETTER ZHE) not allowed in names",
    "lenalido\u0338mide": "COMBINING LONG SOLIDUS OVERLAY) not allowed in names",
    "x" * (NAME_MAX + 1): f"too long ({NAME_MAX + 1} characters; at most {NAME_MAX})",
}


def test_names_refuse_control_invisible_and_look_alike_characters_not_greek():
    for name in GOOD_NAMES:
        assert name_problem(name) is None, name
    for name, why in BAD_NAMES.items():
        problem = name_problem(name)
        assert problem is not None and why in problem, (name, problem)
        assert printable(problem) == problem, problem  # the message itself prints safely


def test_look_alike_names_share_a_key_and_a_skeleton():
    assert normalize("lenalid\u03bfmide") == normalize("lenalidomide")  # Greek omicron
    assert normalize("\u0420\u041e\u041c\u0410LIDOMIDE") == normalize("pomalidomide")  # Cyrillic capitals
    assert normalize("lenali\u200bdomide") == normalize("lenalidomide")
    assert skeleton("lenalidornide") == skeleton("lenalidomide")  # rn reads as m
    assert skeleton("IL-1O") == skeleton("il10")
    assert skeleton("MHC class I") != skeleton("MHC class II")
    for a, b in [("CK1α", "CK1a"), ("IFN-γ", "IFNg"), ("lenalid\u03bfmide", "lenalidomide")]:
        assert normalize(a) == normalize(b) and skeleton(a) == skeleton(b)


def test_resolve_reads_look_alike_letters_as_latin(index):
    assert index.resolve("Ik\u0430ros").name == "IKZF1"  # Cyrillic a
    assert index.resolve("CK1\u0391").name == "CSNK1A1"  # Greek capital alpha


def test_printable_escapes_what_a_terminal_would_obey():
    assert printable("a\x1b[2Jb\nc\u202ed e") == "a\\u001b[2Jb\\u000ac\\u202ed e"


def test_the_curation_guide_lists_what_names_may_hold():
    doc = (Path(__file__).resolve().parent.parent / "docs" / "curation.md").read_text(encoding="utf-8")
    greek = re.search(r"\*\*Greek letters\*\* names may use.*?: `([^`]+)`", doc, re.S)
    assert greek and set(greek[1].split()) == GREEK
    punctuation = re.search(r"the typographic dashes, quotes and symbols `([^`]+)`", doc)
    assert punctuation and set(punctuation[1].split()) == PUNCTUATION
    assert f"at most {NAME_MAX} characters (`NAME_MAX`" in doc


# --------------------------------------------------------------------------- as people type names

# American, British: parts of words, and word endings
BRITISH = [("tumor", "tumour"), ("hemat", "haemat"), ("leukemia", "leukaemia"), ("anemia", "anaemia"),
           ("estrogen", "oestrogen"), ("edema", "oedema"), ("ization", "isation"), ("ize\\b", "ise\\b"),
           ("ized\\b", "ised\\b")]  # fmt: skip
SPELLED = {"α": "alpha", "β": "beta", "γ": "gamma", "δ": "delta", "κ": "kappa", "ε": "epsilon", "ζ": "zeta"}


def typed_variants(text: str) -> set[str]:
    """How people type ``text``: cases, hyphens and spaces, Greek letters spelled out,
    plural or singular, British or American spelling."""
    out = {text, text.lower(), text.upper(), text.replace("-", " "), text.replace(" ", "-"),
           text.replace(" ", "").replace("-", "")}  # fmt: skip
    for letter, spelled in SPELLED.items():
        if letter in text:
            out |= {text.replace(letter, f"-{spelled}"), text.replace(letter, f" {spelled}"),
                    text.replace(letter, spelled), text.replace(letter, spelled.upper())}  # fmt: skip
    last = re.search(r"(\w+)$", text)
    if last and last[1].isalpha() and last[1].islower() and len(last[1]) >= 4 and last[1] not in SPELLED.values():
        word = last[1]
        if word.endswith("y"):
            out.add(text[: -1] + "ies")
        elif word.endswith("ies"):
            out.add(text[: -3] + "y")
        elif word.endswith("s") and not word.endswith(("ss", "us", "is")):
            out.add(text[:-1])
        elif not word.endswith(("s", "x", "ch", "sh")):
            out.add(text + "s")
    for us, uk in BRITISH:
        for a, b in ((us, uk), (uk, us)):
            if re.search(a, text, flags=re.I):
                out.add(re.sub(a, b.replace("\\b", ""), text, flags=re.I))
    return out


def test_lookup_key_reads_names_as_people_type_them():
    from imidgraph.names import lookup_key

    same = [("IFN-gamma", "IFN-γ"), ("CK1 alpha", "CK1α"), ("TNF-alpha", "TNFα"), ("NF-kappaB", "NF-κB"),
            ("IL-1beta", "IL-1β"), ("regulatory T cells", "regulatory T cell"), ("dendritic cells", "dendritic cell"),
            ("tumour", "tumor"), ("haematologic malignancies", "hematologic malignancy"), ("oestrogen", "estrogen"),
            ("M2 polarisation", "M2 polarization"), ("T-cell", "T cell"), ("Tcell", "T cell"), ("APCs", "APC"),
            ("B-cell malignancies", "B cell malignancy"), ("processes", "process")]  # fmt: skip
    for a, b in same:
        assert lookup_key(a) == lookup_key(b), (a, b)
    different = [("MDS", "MD"), ("MHC class I", "MHC class II"), ("IL-2", "IL-12"), ("CD4+ T cells", "CD8+ T cells")]
    for a, b in different:
        assert lookup_key(a) != lookup_key(b), (a, b)


def test_the_strict_index_of_validation_stays_strict():
    entities = [Entity("CL:1", "regulatory T cell", "CellType"), Entity("HGNC:1", "IFNG", "Gene", ("IFN-γ",))]
    strict, lenient = NameIndex(entities), NameIndex(entities, lenient=True)
    for typed, name in (("regulatory T cells", "regulatory T cell"), ("IFN-gamma", "IFNG")):
        with pytest.raises(UnknownEntity):
            strict.resolve(typed)
        assert lenient.resolve(typed).name == name


def test_every_synonym_in_the_seeds_resolves_as_people_type_it():
    from imidgraph.graph import load

    from .conftest import SEEDS

    kg = load(SEEDS)
    checked, failures = 0, []
    for entity in kg.entities:
        for text in (entity.name, *entity.synonyms):
            for variant in sorted(typed_variants(text)):
                try:
                    found = kg.entity(variant)
                except (UnknownEntity, AmbiguousName) as e:
                    failures.append(f"{variant!r} (of {entity.name}): {e}")
                    continue
                checked += 1
                if found.id != entity.id:
                    failures.append(f"{variant!r} (of {entity.name}) resolves to {found.name}")
    assert not failures, "\n".join(failures)
    assert checked > 2000


def test_an_unknown_name_still_lists_close_matches():
    from imidgraph.graph import load

    from .conftest import SEEDS

    with pytest.raises(UnknownEntity) as caught:
        load(SEEDS).entity("regulatory T-cels")
    assert "regulatory T cell" in caught.value.suggestions
