"""Offline pages: which subgraph `imidgraph view` draws, and a page that needs no network.

The tests marked ``chromium`` open the pages in headless Chromium with every request but
file: blocked, and keep a screenshot in test-artifacts/pictures/.
"""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from imidgraph import style
from imidgraph.cli import main
from imidgraph.graph import load
from imidgraph.view import neighbourhood, page_data, render_html

from .chromium import artefact
from .conftest import SEEDS

NEW_RELATION = """
- subject: chromosome 5q deletion
  predicate: associated_with_sensitivity_to
  object: lenalidomide
  evidence: review_statement
  source: review
  section: "2.2 Mechanism of action"
  paraphrase: With one CK1a copy left, 5q-deleted cells are the ones lenalidomide hits.
"""


@pytest.fixture(scope="module")
def kg():
    return load(SEEDS)


def triples(kg, sub) -> set[tuple[str, str, str]]:
    return {(kg.name(r.subject), r.predicate, kg.name(r.object)) for r in map(kg.relation, sub.relations)}


def names(kg, ids) -> set[str]:
    return {kg.name(i) for i in ids}


# --------------------------------------------------------------------------- which subgraph


def test_neighbourhood_is_every_relation_in_and_out(tiny):
    kg = load(tiny())
    sub = neighbourhood(kg, "CK1α")
    assert triples(kg, sub) == {
        ("lenalidomide", "degrades", "CSNK1A1"),
        ("chromosome 5q deletion", "decreases", "CSNK1A1"),
    }
    assert names(kg, sub.entities) == {"CSNK1A1", "lenalidomide", "chromosome 5q deletion"}
    assert sub.focus == ("HGNC:2451",) and sub.omitted == 0


def test_depth_two_takes_the_relations_of_the_neighbours(tiny):
    kg = load(tiny())
    sub = neighbourhood(kg, "CSNK1A1", depth=2)
    assert triples(kg, sub) == {
        ("lenalidomide", "degrades", "CSNK1A1"),
        ("chromosome 5q deletion", "decreases", "CSNK1A1"),
        ("lenalidomide", "binds", "CRBN"),
        ("lenalidomide", "approved_for", "myelodysplastic syndrome with isolated del(5q)"),
        ("lenalidomide", "subclass_of", "IMiD"),
        ("chromosome 5q deletion", "contributes_to", "myelodysplastic syndrome with isolated del(5q)"),
    }
    assert "pomalidomide" not in names(kg, sub.entities)  # only a qualifier, not a relation


def test_the_cap_shares_the_room_among_the_entities_one_step_out(tiny):
    kg = load(tiny())
    sub = neighbourhood(kg, "CSNK1A1", depth=2, max_relations=4)
    assert triples(kg, sub) == {
        ("lenalidomide", "degrades", "CSNK1A1"),
        ("chromosome 5q deletion", "decreases", "CSNK1A1"),
        # one turn each: the deletion's only relation, and lenalidomide's best supported one
        ("chromosome 5q deletion", "contributes_to", "myelodysplastic syndrome with isolated del(5q)"),
        ("lenalidomide", "approved_for", "myelodysplastic syndrome with isolated del(5q)"),
    }
    assert sub.omitted == 2
    sub = neighbourhood(kg, "CSNK1A1", depth=2, max_relations=5)
    assert ("lenalidomide", "binds", "CRBN") in triples(kg, sub)  # in_vitro before review statements


def test_the_cap_prefers_relations_among_entities_already_shown(tiny):
    seeds = tiny("relations/mechanism.yaml", "  paraphrase: Lenalidomide belongs to the immunomodulatory drugs.\n",
                 "  paraphrase: Lenalidomide belongs to the immunomodulatory drugs.\n" + NEW_RELATION)  # fmt: skip
    kg = load(seeds)
    sub = neighbourhood(kg, "CSNK1A1", depth=2, max_relations=3)
    # a review statement between two shown entities beats an approval that adds an entity
    assert ("chromosome 5q deletion", "associated_with_sensitivity_to", "lenalidomide") in triples(kg, sub)
    assert len(sub.relations) == 3 and sub.omitted == 4


def test_depth_and_cap_are_checked(kg):
    with pytest.raises(ValueError, match="depth must be 1 to 3"):
        neighbourhood(kg, "CRBN", depth=4)
    with pytest.raises(ValueError, match="max_relations"):
        neighbourhood(kg, "CRBN", max_relations=0)


def test_a_hub_at_depth_two_is_capped(kg):
    # a hub whose own relations fit under the cap (lenalidomide alone now has more than 200)
    assert len(kg.relations_of(kg.entity("IMiD").id)) < 200
    sub = neighbourhood(kg, "IMiD", depth=2)
    assert len(sub.relations) == 200 and sub.omitted > 0
    assert set(sub.relations) >= {r.id for r in kg.relations_of(kg.entity("IMiD").id)}  # the first step whole


# --------------------------------------------------------------------------- the page's data


def test_parallel_relations_are_one_edge_listing_each_citation(kg):
    sub = neighbourhood(kg, "CSNK1A1")
    data = page_data(kg, sub.entities, sub.relations, "CSNK1A1", highlight=sub.focus)
    edges = {(e["source"], e["predicate"], e["target"]): e for e in data["edges"]}
    assert set(edges) == {
        ("CHEBI:63791", "degrades", "HGNC:2451"),
        ("GO:0080008", "degrades", "HGNC:2451"),  # the lenalidomide-bound ligase
        ("HGNC:2451", "associated_with_sensitivity_to", "CHEBI:63791"),
        ("IMIDGRAPH:chromosome-5q-deletion", "decreases", "HGNC:2451"),
    }
    degrades = edges[("CHEBI:63791", "degrades", "HGNC:2451")]
    assert [r["evidence"] for r in degrades["relations"]] == ["preclinical_in_vivo", "in_vitro"]
    first = degrades["relations"][0]
    assert first["source_doi"] == "10.3389/fimmu.2022.1017990"
    assert first["section"] == "2.2 Mechanism of action"
    assert ["not_with", "pomalidomide"] in first["qualifiers"]  # entity qualifiers by name
    assert ["cell_context", "hematopoietic stem and progenitor cell"] in first["qualifiers"]
    assert degrades["colour"] == style.edge_style("degrades").colour
    nodes = {n["id"]: n for n in data["nodes"]}
    assert nodes["HGNC:2451"]["highlight"] and not nodes["CHEBI:63791"]["highlight"]
    assert nodes["HGNC:2451"]["synonyms"] == ["CK1α", "CK1a", "Ck1a", "casein kinase 1 alpha"]
    assert nodes["CHEBI:63791"]["colour"] == style.node_style("Drug").colour


def test_numbered_references_carry_their_doi_and_title(tiny):
    kg = load(tiny())
    degrades = next(r for r in kg.relations if r.predicate == "degrades")
    data = page_data(kg, [], [degrades.id], "t")
    relation = data["edges"][0]["relations"][0]
    assert relation["refs"] == [
        {"number": 7, "doi": "10.1000/primary.7", "title": "A primary study on CK1a degradation.", "year": 2015},
        {"number": 8, "doi": "", "title": "", "year": None},
    ]
    assert {n["name"] for n in data["nodes"]} == {"lenalidomide", "CSNK1A1"}  # ends added


def test_unknown_ids_are_refused(kg):
    with pytest.raises(KeyError, match="unknown relation id 'imidgraph:nope'"):
        render_html(kg, [], ["imidgraph:nope"], "t")
    with pytest.raises(KeyError, match="unknown entity id 'X:1'"):
        render_html(kg, ["X:1"], [], "t")


def embedded(page: str) -> dict:
    match = re.search(r'<script type="application/json" id="imidgraph-data">(.*?)</script>', page, re.S)
    return json.loads(match.group(1))


def test_the_page_is_one_file_that_loads_nothing(kg):
    sub = neighbourhood(kg, "CRBN")
    page = render_html(kg, sub.entities, sub.relations, "CRBN", highlight=sub.focus)
    assert not re.search(r"<(link|img|iframe|object|embed)\b", page)
    assert not re.search(r"<script[^>]*\ssrc=", page)
    assert "default-src 'none'" in page and "'unsafe-inline'" not in page
    assert not re.search(r"url\([^#]", page) and "@import" not in page  # url(#marker) is in the page
    data = embedded(page)
    assert {n["id"] for n in data["nodes"]} == set(sub.entities)
    assert sum(len(e["relations"]) for e in data["edges"]) == len(sub.relations) == 19


def test_text_from_the_seeds_cannot_close_the_script(tiny):
    hostile = "</script><script>window.pwned = 1</script> & <b>"
    kg = load(tiny("relations/mechanism.yaml", "Lenalidomide sits in a pocket of cereblon.", hostile))
    page = render_html(kg, [], [r.id for r in kg.relations], "</title><script>x</script>")
    assert page.count("<script") == 2 and "window.pwned" not in page.split("<script>")[-1]
    assert "</title><script>x" not in page
    paraphrases = {r["paraphrase"] for e in embedded(page)["edges"] for r in e["relations"]}
    assert hostile in paraphrases


# --------------------------------------------------------------------------- the command


def test_view_writes_the_page_and_says_what_it_drew(tmp_path, kg):
    out = tmp_path / "ck1a.html"
    result = CliRunner().invoke(main, ["view", "CK1a", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {out}: 4 entities, 5 relations\n"
    data = embedded(out.read_text(encoding="utf-8"))
    assert data["title"] == "CSNK1A1"
    assert data["note"] == "CSNK1A1 (HGNC:2451, Gene) and its relations"


def test_view_names_the_file_after_the_entity_and_reports_the_cap(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    result = CliRunner().invoke(main, ["view", "del(5q) MDS", "--depth", "2", "--max-relations", "7"])
    assert result.exit_code == 0, result.output
    path = tmp_path / "myelodysplastic-syndrome-with-isolated-del-5q.html"
    assert result.output.startswith(f"wrote {path.name}: ")
    assert re.search(r"7 relations, \d+ left out\n$", result.output)
    assert "left out (--max-relations 7)" in embedded(path.read_text())["note"]


@pytest.mark.parametrize(
    "args, message",
    [
        (["view", "lenalidomid"], "Error: no entity named 'lenalidomid'; did you mean: lenalidomide"),
        (["view", "CRBN", "--depth", "4"], "Invalid value for '--depth'"),
        (["view", "CRBN", "--out", "/nonexistent/dir/x.html"], "Error: cannot write /nonexistent/dir/x.html"),
    ],
)
def test_view_errors_are_one_line(args, message):
    result = CliRunner().invoke(main, args)
    assert result.exit_code != 0
    assert "Traceback" not in result.output
    assert message in result.output


# --------------------------------------------------------------------------- in headless Chromium


def open_page(page, path) -> None:
    page.goto(path.as_uri())
    page.wait_for_selector("body[data-ready=true]", timeout=15_000)


def drawn_edges(page) -> dict[tuple[str, str, str], list[str]]:
    rows = page.locator("g.edge").evaluate_all(
        "els => els.map(e => [e.dataset.source, e.dataset.predicate, e.dataset.target, e.dataset.relations])"
    )
    return {(s, p, t): ids.split() for s, p, t, ids in rows}


@pytest.mark.chromium
def test_the_page_opens_offline_and_shows_citations_on_click(chromium, tmp_path, kg):
    out = tmp_path / "csnk1a1.html"
    assert CliRunner().invoke(main, ["view", "CSNK1A1", "--out", str(out)]).exit_code == 0
    with chromium.page() as page:
        open_page(page, out)
        nodes = page.locator("g.node").evaluate_all("els => els.map(e => e.dataset.id)")
        assert sorted(nodes) == ["CHEBI:63791", "GO:0080008", "HGNC:2451", "IMIDGRAPH:chromosome-5q-deletion"]
        edges = drawn_edges(page)
        assert {key: len(ids) for key, ids in edges.items()} == {
            ("CHEBI:63791", "degrades", "HGNC:2451"): 2,
            ("GO:0080008", "degrades", "HGNC:2451"): 1,  # the lenalidomide-bound ligase
            ("HGNC:2451", "associated_with_sensitivity_to", "CHEBI:63791"): 1,
            ("IMIDGRAPH:chromosome-5q-deletion", "decreases", "HGNC:2451"): 1,
        }
        assert {i for ids in edges.values() for i in ids} == {r.id for r in kg.relations_of("CSNK1A1")}
        labels = page.locator("g.edge .elabel").all_text_contents()
        assert sorted(labels) == ["associated_with_sensitivity_to", "decreases", "degrades", "degrades ×2"]

        page.locator("g.edge[data-source='CHEBI:63791'][data-predicate=degrades] .elabel").click()
        panel = page.locator("#panel")
        assert panel.get_attribute("data-showing") == "CHEBI:63791|degrades|HGNC:2451"
        text = panel.inner_text()
        assert "lenalidomide degrades CSNK1A1" in text
        assert "selectively destroys CK1-alpha" in text  # the paraphrase
        assert "preclinical_in_vivo" in text and "2.2 Mechanism of action" in text
        doi = panel.locator("a", has_text="doi:10.3389/fimmu.2022.1017990").first
        assert doi.get_attribute("href") == "https://doi.org/10.3389/fimmu.2022.1017990"
        assert page.locator("g.edge.selected").count() == 1
        page.screenshot(path=str(artefact("offline-csnk1a1.png")))

        page.locator("g.node[data-id='HGNC:2451'] circle").click()
        assert panel.get_attribute("data-showing") == "HGNC:2451"
        text = panel.inner_text()
        assert "HGNC:2451" in text and "CK1α" in text and "Gene (biolink:Gene)" in text
        assert "4 relations shown" in text
        assert page.blocked == [] and page.problems == []


@pytest.mark.chromium
def test_a_large_page_colours_every_node_by_its_category(chromium, tmp_path, kg):
    out = tmp_path / "lenalidomide.html"
    assert CliRunner().invoke(main, ["view", "lenalidomide", "--out", str(out)]).exit_code == 0
    sub = neighbourhood(kg, "lenalidomide")
    with chromium.page() as page:
        open_page(page, out)
        fills = page.locator("g.node").evaluate_all(
            "els => els.map(e => [e.dataset.id, e.dataset.category, e.querySelector('circle').getAttribute('fill')])"
        )
        assert {i for i, _, _ in fills} == set(sub.entities)
        for entity_id, category, fill in fills:
            assert (category, fill) == (kg.facts.entities[entity_id].category, style.node_style(category).colour)
        ids = [i for ids in drawn_edges(page).values() for i in ids]
        assert sorted(ids) == sorted(sub.relations)
        legend = page.locator("#legend .categories li").evaluate_all("els => els.map(e => e.dataset.category)")
        assert set(legend) == {kg.facts.entities[i].category for i in sub.entities}
        box = page.locator("#graph").bounding_box()
        for circle in page.locator("g.node circle").all()[:40]:  # fitted into the window
            c = circle.bounding_box()
            assert box["x"] - 1 <= c["x"] and c["x"] + c["width"] <= box["x"] + box["width"] + 1
        page.screenshot(path=str(artefact("offline-lenalidomide.png")))
        assert page.blocked == [] and page.problems == []


@pytest.mark.chromium
def test_hostile_text_is_shown_as_text(chromium, tmp_path, tiny):
    hostile = "</script><script>window.pwned = 1</script><img src=x onerror=window.pwned=2>"
    kg = load(tiny("relations/mechanism.yaml", "Lenalidomide sits in a pocket of cereblon.", hostile))
    binds = next(r for r in kg.relations if r.predicate == "binds")
    out = tmp_path / "hostile.html"
    out.write_text(render_html(kg, [], [binds.id], "<img src=y onerror=window.pwned=3>"), encoding="utf-8")
    with chromium.page() as page:
        open_page(page, out)
        page.locator("g.edge .elabel").click()
        assert hostile in page.locator("#panel blockquote").inner_text()
        assert page.locator("#title").inner_text() == "<img src=y onerror=window.pwned=3>"
        assert page.evaluate("typeof window.pwned") == "undefined"
        assert page.locator("img").count() == 0
        assert page.blocked == [] and page.problems == []


@pytest.mark.chromium
def test_an_explanation_page_draws_exactly_its_paths_offline(chromium, tmp_path, kg):
    out = tmp_path / "why.html"
    result = CliRunner().invoke(main, ["view", "--explain", "lenalidomide", "del(5q) MDS", "--out", str(out)])
    assert result.exit_code == 0, result.output
    e = kg.explain("lenalidomide", "del(5q) MDS")
    with chromium.page() as page:
        open_page(page, out)
        nodes = page.locator("g.node").evaluate_all("els => els.map(e => e.dataset.id)")
        assert sorted(nodes) == sorted(e.entity_ids())
        assert "HGNC:30185" in nodes  # CRBN, through which the degradation goes
        ids = [i for ids in drawn_edges(page).values() for i in ids]
        assert sorted(ids) == sorted(e.relation_ids())
        assert "lenalidomide degrades CSNK1A1 via CRBN" in page.locator("body").inner_text()  # the summary
        page.locator("g.edge[data-predicate=decreases] .elabel").click()
        text = page.locator("#panel").inner_text()
        assert "chromosome 5q deletion decreases CSNK1A1" in text and "gene_dosage" in text
        page.screenshot(path=str(artefact("offline-explain-del5q.png")))
        assert page.blocked == [] and page.problems == []


def test_view_takes_a_name_or_an_explanation_not_both():
    for args in ([], ["CSNK1A1", "--explain", "lenalidomide", "del(5q) MDS"]):
        result = CliRunner().invoke(main, ["view", *args])
        assert result.exit_code == 2 and "give NAME or --explain DRUG TARGET" in result.output
    result = CliRunner().invoke(main, ["view", "--explain", "lenalidomid", "del(5q) MDS"])
    assert result.exit_code == 1 and "did you mean: lenalidomide" in result.output
