"""Input at scale and under attack (issue 23, items 11-15): the curation lint reads each text
once, CSV cells never run as formulas, symlinks out of the seeds are refused, look-alike letters
do not hide copied wording, a duplicate id is one problem; and the cached graph (issue 24,
item 3) is never stale."""

from __future__ import annotations

import os
import re
import subprocess
import sys

import pytest
from click.testing import CliRunner

from imidgraph.backends import Table, csv_safe
from imidgraph.cli import main
from imidgraph.embedded import cache as graph_cache
from imidgraph.facts import read_seeds
from imidgraph.graph import load
from imidgraph.validate import LINTED_TEXT, InvalidSeeds, read_source_texts, validate
from imidgraph.validate.curation import _mention_patterns


def problems_of(root, texts=None) -> list[str]:
    return [str(p) for p in validate(read_seeds(root), texts)]


# -- item 11: the lint tries only the names a text's words can start ---------------------------
def _all_matches(patterns, text):
    n = len(patterns.names)
    return sorted((m.span(), patterns.names[i][2]) for i in range(n) for m in patterns.pattern(i).finditer(text))


def _found(patterns, text):
    return sorted((m.span(), e) for p, e in patterns.candidates(text) for m in p.finditer(text))


def test_the_indexed_lint_finds_exactly_what_every_pattern_finds(kg):
    patterns = _mention_patterns(kg.facts.entities.values())
    texts = [
        t for r in kg.facts.relations for k in LINTED_TEXT if isinstance(t := r.qualifiers.get(k), str)
    ][::6]  # every pattern on every text is the slow way this replaced: a sample of the curated texts
    texts += [
        "cells treated with LENALIDOMIDE and Pomalidomide, then IKZF1 (Ikaros) fell",
        "ſ-ikzf1 and \u212arbn, İkaros: characters that match ASCII letters only ignoring case",
        "TNF-α and NF-κB in (myeloma) cells; CK1α-dependent; 5q-; del(5q)",
        "lenalidomide-treated, lenalidomide's, xlenalidomide, lenalidomidex",
    ]
    assert len(texts) > 60
    found_any = 0
    for text in texts:
        expected = _all_matches(patterns, text)
        assert _found(patterns, text) == expected, text
        found_any += bool(expected)
    assert found_any > 20  # the texts do name entities: the comparison is not empty


def test_a_detail_naming_an_unlinked_entity_is_still_reported(tiny):
    root = tiny(
        "relations/mechanism.yaml",
        "  qualifiers: {aspect: gene_dosage}\n",
        "  qualifiers: {aspect: gene_dosage, detail: seen only beside IMiD drugs}\n",
    )
    assert problems_of(root) == [
        "seeds/relations/mechanism.yaml:22: field 'qualifiers.detail': names the entity 'IMiD', which "
        "no relation links to this one's subject or object: make this a relation or an entity reference (mentions)"
    ]


# -- item 12: CSV cells that a spreadsheet would run --------------------------------------------
def test_csv_cells_that_start_a_formula_get_a_quote():
    table = Table(
        ["=name", "value", "n"],
        [
            ["=HYPERLINK(\"http://x\")", "+1", -3],
            ["-2+3", "@SUM(A1)", 2.5],
            ["\tTAB", "\rCR", None],
            ["plain - text", "a=b", True],
        ],
    )
    assert table.to_csv() == (
        "'=name,value,n\n"
        "\"'=HYPERLINK(\"\"http://x\"\")\",'+1,-3\n"
        "'-2+3,'@SUM(A1),2.5\n"
        "'\tTAB,'\rCR,\n"
        "plain - text,a=b,yes\n"
    )
    assert csv_safe("lenalidomide") == "lenalidomide"


def test_search_and_query_write_csv_through_the_safe_writer(tiny, monkeypatch, tmp_path):
    monkeypatch.setenv("IMIDGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    root = tiny(
        "relations/mechanism.yaml",
        "  qualifiers: {aspect: gene_dosage}\n",
        "  qualifiers: {aspect: gene_dosage, detail: '=1+2 halving marker'}\n",
    )
    runner = CliRunner()
    result = runner.invoke(main, ["--seeds", str(root), "search", "halving marker", "--format", "csv"])
    assert result.exit_code == 0, result.output
    rows = result.output.splitlines()
    assert any(",'=1+2 halving marker," in row for row in rows), rows
    assert not any(",=1+2" in row for row in rows)


# -- item 13: symlinks out of the seeds folder ---------------------------------------------------
def test_a_symlink_to_a_file_outside_the_seeds_is_refused(tiny, tmp_path):
    root = tiny()
    outside = tmp_path / "elsewhere.yaml"
    outside.write_text((root / "relations" / "mechanism.yaml").read_text(encoding="utf-8"), encoding="utf-8")
    (root / "relations" / "mechanism.yaml").unlink()
    os.symlink(outside, root / "relations" / "mechanism.yaml")
    problems = problems_of(root)
    assert problems[0] == (
        f"seeds/relations/mechanism.yaml:0: a symlink to {outside.resolve()}, outside the seeds folder, "
        "is not read: copy the file into the seeds folder"
    )
    with pytest.raises(InvalidSeeds):
        load(root)


def test_a_symlinked_folder_is_refused_and_an_inner_symlink_is_read(tiny, tmp_path):
    root = tiny()
    folder = tmp_path / "more"
    folder.mkdir()
    (folder / "x.yaml").write_text("[]\n", encoding="utf-8")
    os.symlink(folder, root / "relations" / "more")
    assert problems_of(root) == [
        f"seeds/relations/more:0: a symlinked folder (to {folder.resolve()}) is not read: "
        "put the files themselves in the seeds folder"
    ]
    os.unlink(root / "relations" / "more")
    # a symlink whose target is inside the seeds folder is the file it points to
    (root / "relations" / "mechanism.yaml").rename(root / "mechanism.txt")
    os.symlink(root / "mechanism.txt", root / "relations" / "mechanism.yaml")
    assert problems_of(root) == []


def test_the_sources_file_as_a_symlink_outside_is_refused(tiny, tmp_path):
    root = tiny()
    outside = tmp_path / "sources.yaml"
    (root / "sources.yaml").rename(outside)
    os.symlink(outside, root / "sources.yaml")
    assert problems_of(root)[0].startswith("seeds/sources.yaml:0: a symlink to ")


# -- item 14: look-alike letters of any script ---------------------------------------------------
@pytest.mark.parametrize(
    "disguise",
    [
        {"o": "\u0585"},  # Armenian small oh, every o
        {"a": "\u0251", "e": "\u0435", "o": "\u03bf"},  # Latin alpha, Cyrillic ie, Greek omicron
        {"n": "\u0578", "h": "\u04bb", "s": "\ua731"},  # Armenian vo, Cyrillic shha, small capital s
        {"c": "\u1d04", "m": "\u217f", "l": "\u2113"},  # small capital c, Roman numeral m, script l
    ],
)
def test_copied_wording_with_look_alike_letters_is_caught(tiny, disguise):
    copied = "degrades casein kinase one alpha far more efficiently than the other drugs"
    disguised = "".join(disguise.get(ch, ch) for ch in copied)
    assert disguised != copied
    root = tiny("relations/mechanism.yaml", "Lenalidomide removes CK1α better than pomalidomide does.", disguised)
    texts = read_source_texts(read_seeds(root), root)
    assert [p for p in problems_of(root, texts) if "repeats the source's wording" in p] == [
        "seeds/relations/mechanism.yaml:18: field 'paraphrase': repeats the source's wording "
        "('alpha far more efficiently than the other drugs'...): write it in our own words"
    ]


# -- item 15: one problem for a duplicate id, the right hint for a quoted boolean ----------------
def test_a_quoted_boolean_gets_the_boolean_hint(tiny):
    root = tiny("entities/drugs.yaml", "  verified: true", "  verified: 'false'")
    assert problems_of(root)[0] == (
        "seeds/entities/drugs.yaml:5: field 'verified': expected a boolean, got the text 'false': "
        "write false without quotes"
    )


def test_an_exact_copy_of_an_entity_is_one_problem(tiny):
    drugs = tiny().joinpath("entities", "drugs.yaml")
    first = re.split(r"\n(?=- )", drugs.read_text(encoding="utf-8"))[0]
    drugs.write_text(drugs.read_text(encoding="utf-8") + first + "\n", encoding="utf-8")
    problems = problems_of(drugs.parent.parent)
    assert len(problems) == 1, problems
    assert re.fullmatch(
        r"seeds/entities/drugs\.yaml:\d+: field 'id': duplicate entity id '[^']+': '([^']+)' here, "
        r"'\1' at seeds/entities/drugs\.yaml:1",
        problems[0],
    ), problems[0]


# -- the cache: validated once, never stale ------------------------------------------------------
def test_the_wording_data_is_part_of_the_code_fingerprint(monkeypatch):
    files = [str(p) for p in graph_cache.code_files()]
    assert any(p.endswith(os.path.join("resources", "confusables.json")) for p in files)
    assert any(p.endswith(os.path.join("validate", "curation.py")) for p in files)


def test_a_changed_seed_or_code_file_validates_again(tiny, monkeypatch, tmp_path):
    monkeypatch.setenv("IMIDGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("IMIDGRAPH_CACHE", raising=False)
    root = tiny()
    first = load(root)
    assert load(root).facts.relations == first.facts.relations  # read back, same facts
    assert len(list((tmp_path / "cache").glob("*.pickle"))) == 1
    tiny("relations/mechanism.yaml", "Losing one copy of 5q halves", "Losing one copy of 5q roughly halves")
    edited = load(root)
    assert any("roughly halves" in r.paraphrase for r in edited.facts.relations)
    assert len(list((tmp_path / "cache").glob("*.pickle"))) == 2
    monkeypatch.setattr(graph_cache, "_code_fingerprint", "another version of the code")
    load(root)
    assert len(list((tmp_path / "cache").glob("*.pickle"))) == 3


def test_seeds_made_invalid_are_never_answered_from_the_cache(tiny, monkeypatch, tmp_path):
    monkeypatch.setenv("IMIDGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("IMIDGRAPH_CACHE", raising=False)
    root = tiny()
    load(root)
    tiny("entities/drugs.yaml", "  verified: true", "  verified: 'true'")
    with pytest.raises(InvalidSeeds):
        load(root)



# -- issue 24, item 3: a cold command imports what it uses -----------------------------------------
def test_the_help_texts_default_uri_is_the_drivers():
    from imidgraph.cli import common
    from imidgraph.neo4j import connect

    assert common.DEFAULT_URI == connect.DEFAULT_URI


def test_a_cold_explain_imports_neither_the_neo4j_side_nor_the_validator(tiny, tmp_path):
    code = (
        "import sys\n"
        "from imidgraph.cli import main\n"
        f"main(['--seeds', {str(tiny())!r}, 'explain', 'lenalidomide', 'del(5q) MDS'], standalone_mode=False)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('neo4j', 'pandas', 'yaml')\n"
        "             or m.startswith(('imidgraph.validate', 'imidgraph.neo4j.connect', 'imidgraph.neo4j.server',\n"
        "                              'imidgraph.cli.neo4j', 'imidgraph.cli.pictures'))))\n"
    )
    env = {**os.environ, "IMIDGRAPH_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("IMIDGRAPH_CACHE", None)
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert "imidgraph.validate" in first.stdout  # the first run validates and fills the cache
    second = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert "Why lenalidomide -> myelodysplastic syndrome with isolated del(5q)" in second.stdout
    assert second.stdout.strip().splitlines()[-1] == "[]"
