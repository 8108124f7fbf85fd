import pytest

from imidgraph.model import Entity
from imidgraph.names import AmbiguousName, NameIndex, UnknownEntity, normalize


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
