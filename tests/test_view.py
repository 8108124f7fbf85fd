"""Offline pages: which subgraph `imidgraph view` draws, in which mechanism layers, and a page
that needs no network.

The tests marked ``chromium`` open the pages in headless Chromium with every request but
file: blocked, read what Cytoscape.js drew (positions, visibility, colours), click on the
canvas, and keep a screenshot in test-artifacts/pictures/.
"""

from __future__ import annotations

import copy
import dataclasses
import hashlib
import html
import json
import re
from pathlib import Path

import pytest
from click.testing import CliRunner

from imidgraph import schema, style
from imidgraph.cli import main
from imidgraph.graph import load
from imidgraph.view import (
    CATEGORY_LAYER,
    DEFAULT_LAYER,
    LAYERS,
    MAX_COLUMN,
    explanation_page,
    layers,
    neighbourhood,
    notebook,
    page_data,
    render_html,
)

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
        ("HGNC:2451", "decreases", "CL:0008001"),  # CK1α holds HSPC expansion back (issue 20)
    }
    degrades = edges[("CHEBI:63791", "degrades", "HGNC:2451")]
    # the mouse HSPC study names no design: review_statement, after the in vitro one (issue 20)
    assert [r["evidence"] for r in degrades["relations"]] == ["in_vitro", "review_statement"]
    hspc = degrades["relations"][1]
    assert hspc["source_doi"] == "10.3389/fimmu.2022.1017990"
    assert hspc["section"] == "2.2 Mechanism of action"
    assert ["not_with", "pomalidomide"] in hspc["qualifiers"]  # entity qualifiers by name
    assert ["cell_context", "hematopoietic stem and progenitor cell"] in hspc["qualifiers"]
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


VENDOR = Path(__file__).resolve().parent.parent / "imidgraph" / "resources" / "view" / "vendor"


def test_the_page_is_one_file_that_loads_nothing(kg):
    sub = neighbourhood(kg, "CRBN")
    page = render_html(kg, sub.entities, sub.relations, "CRBN", highlight=sub.focus)
    assert not re.search(r"<(link|img|iframe|object|embed)\b", page)
    assert not re.search(r"<script[^>]*\ssrc=", page)
    policy = re.search(r'http-equiv="Content-Security-Policy" content="([^"]*)"', page).group(1)
    assert policy.startswith("default-src 'none'; script-src 'sha256-") and "unsafe" not in policy
    scripts = re.findall(r"<script>(.*?)</script>", page, re.S)
    assert len(scripts) == 3  # Cytoscape.js, dagre, ours: each allowed by its own hash
    for script in scripts:
        digest = hashlib.sha256(script.encode()).digest()
        assert "'sha256-" + __import__("base64").b64encode(digest).decode() + "'" in policy
    assert "sourceMappingURL" not in page
    css = re.search(r"<style[^>]*>(.*?)</style>", page, re.S).group(1)
    assert "url(" not in css and "@import" not in css
    data = embedded(page)
    assert {n["id"] for n in data["nodes"]} == set(sub.entities)
    # CRBN subclass_of E3 ubiquitin ligase is the 20th; three open questions concern CRBN; drug-bound
    # CRBN's ubiquitination and degradation steps; CRBN required_for lenalidomide (killing ABC DLBCL cells)
    assert sum(len(e["relations"]) for e in data["edges"]) == len(sub.relations) == 26


def test_the_libraries_are_npm_s_files_inlined_with_their_licences(kg):
    """VENDOR.md records each file's sha256 (tools/update_view_vendor.py --check asks npm)."""
    table = (VENDOR / "VENDOR.md").read_text(encoding="utf-8")
    page = render_html(kg, ["CHEBI:63791"], [], "t")
    for js, licence, version in (("cytoscape.min.js", "cytoscape.LICENSE", "3.35.0"),
                                 ("dagre.min.js", "dagre.LICENSE", "3.1.3")):  # fmt: skip
        digest = hashlib.sha256((VENDOR / js).read_bytes()).hexdigest()
        row = next(line for line in table.splitlines() if f"`{js}`" in line)
        assert f"| {version} |" in row and f"`{digest}`" in row
        text = (VENDOR / licence).read_text(encoding="utf-8").strip()
        assert text.startswith("Copyright") and "Permission is hereby granted" in text
        assert "/*!\n" + text + "\n*/\n" in page  # the licence heads the inlined library
    assert "cf.version=\"3.35.0\"" in page


def test_text_from_the_seeds_cannot_close_the_script(tiny):
    hostile = "</script><script>window.pwned = 1</script> & <b>"
    kg = load(tiny("relations/mechanism.yaml", "Lenalidomide sits in a pocket of cereblon.", hostile))
    page = render_html(kg, [], [r.id for r in kg.relations], "</title><script>x</script>")
    assert page.count("<script") == 4 and "window.pwned" not in page.split("<script>")[-1]
    assert "</title><script>x" not in page
    paraphrases = {r["paraphrase"] for e in embedded(page)["edges"] for r in e["relations"]}
    assert hostile in paraphrases


# --------------------------------------------------------------------------- mechanism layers


def by_name(data: dict) -> dict[str, dict]:
    return {n["name"]: n for n in data["nodes"]}


def test_a_drug_s_neighbourhood_stands_in_mechanism_layers(kg):
    sub = neighbourhood(kg, "lenalidomide", max_relations=1000)  # all of it: over 200 relations
    assert sub.omitted == 0
    data = page_data(kg, sub.entities, sub.relations, "lenalidomide", highlight=sub.focus)
    nodes = by_name(data)
    expected = {
        "lenalidomide": "drug",
        "IMiD": "drug",  # its class
        "R2 regimen": "drug",  # a regimen
        "CRBN": "target",  # the object of binds
        "IKZF1": "neosubstrate",  # the object of degrades
        "CSNK1A1": "neosubstrate",
        "IRF4": "effector",
        "myeloma cell": "cell",
        "multiple myeloma": "use",
        "neutropenia": "side_effect",  # has_side_effect, no use
        "venous thromboembolism": "side_effect",
        "chromosome 5q deletion": "resistance",  # only marks sensitivity to the drug
    }
    assert {name: nodes[name]["layer"] for name in expected} == expected
    order = ["lenalidomide", "CRBN", "IKZF1", "IRF4", "myeloma cell", "multiple myeloma"]
    columns = [nodes[name]["column"] for name in order]
    assert columns == sorted(columns) and len(set(columns)) == len(columns)
    assert nodes["lenalidomide"]["column"] == 0  # the drug it is about leads its layer
    assert nodes["neutropenia"]["column"] == -1  # apart: no column
    per_column = {}
    for n in data["nodes"]:
        per_column[n["column"]] = per_column.get(n["column"], 0) + 1
    assert max(c for col, c in per_column.items() if col >= 0) <= MAX_COLUMN
    assert [row[0] for row in data["layers"]] == [layer.key for layer in LAYERS]  # all eight, in order
    assert ["side_effect", "side effects", "apart", 12] in data["layers"]


def test_a_gene_s_neighbourhood_uses_the_same_layers(kg):
    sub = neighbourhood(kg, "CSNK1A1")
    data = page_data(kg, sub.entities, sub.relations, "CSNK1A1")
    assert {n["name"]: (n["layer"], n["column"]) for n in data["nodes"]} == {
        "lenalidomide": ("drug", 0),
        "CRL4-CRBN": ("target", 1),  # the ligase that degrades it
        "CSNK1A1": ("neosubstrate", 2),
        "chromosome 5q deletion": ("effector", 3),  # it decreases CSNK1A1: more than a marker
        "hematopoietic stem and progenitor cell": ("cell", 4),  # CK1α holds their expansion back
    }


def test_every_category_has_a_layer_and_new_ones_fall_back(kg):
    assert set(schema.CATEGORIES) <= set(CATEGORY_LAYER)
    assert set(CATEGORY_LAYER.values()) <= {layer.key for layer in LAYERS}
    assert DEFAULT_LAYER == "effector"
    facts = dataclasses.replace(kg.facts, entities=dict(kg.facts.entities))
    trial = facts.entities["IMIDGRAPH:myeloma-cell"]
    facts.entities[trial.id] = dataclasses.replace(trial, category="ClinicalTrial")  # coming
    odd = facts.entities["HGNC:6119"]
    facts.entities[odd.id] = dataclasses.replace(odd, category="NotYetThought")  # IRF4, unknown
    other = copy.copy(kg)  # the same graph, its entities' categories changed (no index rebuilt)
    other.facts = facts
    got = layers(other, [trial.id, odd.id, "MONDO:0009693"], [])
    assert got == {trial.id: "use", odd.id: DEFAULT_LAYER, "MONDO:0009693": "use"}
    data = page_data(other, [trial.id, odd.id], [], "t")
    assert {n["layer"] for n in data["nodes"]} == {"use", "effector"}
    assert ["NotYetThought", style.DEFAULT_NODE.colour, 1] in data["legend"]["categories"]


def test_an_explanation_is_drawn_as_its_groups(kg):
    e = kg.explain("lenalidomide", "del(5q) MDS")
    data = embedded(explanation_page(kg, e))
    nodes = by_name(data)
    path = ["lenalidomide", "CRBN", "CSNK1A1", "chromosome 5q deletion", "myelodysplastic syndrome with isolated del(5q)"]
    columns = [nodes[name]["column"] for name in path]
    assert columns == sorted(columns) and len(set(columns)) == 5
    groups = {e["predicate"]: e["group"] for e in data["edges"]}
    assert groups["degrades"] == groups["decreases"] == "reasons" and groups["approved_for"] == "standing"
    assert [g[0] for g in data["groups"]] == ["reasons", "standing"]
    assert data["title"] == "Why lenalidomide → myelodysplastic syndrome with isolated del(5q)"


def test_subgraphs_and_explanations_show_themselves_in_jupyter(kg):
    sub = neighbourhood(kg, "CSNK1A1")
    notebook.reset()  # the kernel's first picture carries the libraries (tests/test_notebook_export.py)
    first = sub._repr_html_()
    frame = sub._repr_html_()
    assert first == notebook.libraries_html() + frame
    assert frame.startswith("<iframe class=\"imidgraph\" srcdoc='") and frame.endswith("</iframe>")
    srcdoc = html.unescape(re.search(r"srcdoc='([^']*)'", frame).group(1))
    loader = notebook.loader()
    assert srcdoc == sub.to_html(loader=loader)
    assert srcdoc == render_html(kg, sub.entities, sub.relations, "CSNK1A1", highlight=sub.focus, loader=loader)
    assert 'sandbox="allow-scripts allow-popups allow-popups-to-escape-sandbox"' in frame  # no same origin
    e = kg.explain("lenalidomide", "del(5q) MDS")
    srcdoc = html.unescape(re.search(r"srcdoc='([^']*)'", e._repr_html_()).group(1))
    assert embedded(srcdoc)["note"] == e.summary()
    with pytest.raises(ValueError, match="does not know its graph"):
        dataclasses.replace(sub, kg=None)._repr_html_()


# --------------------------------------------------------------------------- the command


def test_view_writes_the_page_and_says_what_it_drew(tmp_path, kg):
    out = tmp_path / "ck1a.html"
    result = CliRunner().invoke(main, ["view", "CK1a", "--out", str(out)])
    assert result.exit_code == 0, result.output
    assert result.output == f"wrote {out}: 5 entities, 6 relations\n"
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


# Whether Cytoscape.js draws an element, from its computed style (ele.visible() is cached
# until the next frame is drawn, so it can lag just after a filter changes).
SHOWN = "const shown = x => x.style('display') !== 'none';"


def drawn_nodes(page) -> dict[str, dict]:
    """What Cytoscape.js drew: each entity's position, visibility and fill (from the page)."""
    rows = page.evaluate(
        "() => {" + SHOWN + """ return imidgraph.cy.nodes('.entity').map(n => ({id: n.id(), name: n.data('name'),
            x: n.position('x'), y: n.position('y'), visible: shown(n), fill: n.style('background-color')})); }"""
    )
    return {row["id"]: row for row in rows}


def drawn_edges(page) -> dict[str, bool]:
    """Each drawn edge (subject|predicate|object) and whether it is visible (it and both ends)."""
    return dict(page.evaluate(
        "() => {" + SHOWN + " return imidgraph.cy.edges().map(e => [e.id(), shown(e) && shown(e.source()) && shown(e.target())]); }"
    ))  # fmt: skip


def click_edge(page, key: str) -> None:
    """Click the canvas where the edge is drawn, as a user would: Cytoscape's own hit test picks
    it. Its midpoint first; where another edge crosses there, points further along it, until a
    click selects this edge."""
    for f in (0.5, 0.35, 0.65, 0.2, 0.8):
        x, y = page.evaluate(
            """([key, f]) => { const e = imidgraph.cy.getElementById(key);
                        const a = e.renderedSourceEndpoint(), b = e.renderedTargetEndpoint();
                        const box = imidgraph.cy.container().getBoundingClientRect();
                        return [box.left + a.x + f * (b.x - a.x), box.top + a.y + f * (b.y - a.y)]; }""",
            [key, f],
        )
        page.mouse.click(x, y)
        if page.evaluate("key => imidgraph.cy.getElementById(key).selected()", key):
            return
    raise AssertionError(f"no click on the drawn edge {key} selects it")


def click_node(page, entity_id: str) -> None:
    x, y = page.evaluate(
        """id => { const p = imidgraph.cy.getElementById(id).renderedPosition();
                   const box = imidgraph.cy.container().getBoundingClientRect();
                   return [box.left + p.x, box.top + p.y]; }""",
        entity_id,
    )
    page.mouse.click(x, y)


def rgb(colour: str) -> str:
    return "rgb({},{},{})".format(*(int(colour[i : i + 2], 16) for i in (1, 3, 5)))


def toggle(page, kind: str, value: str) -> None:
    page.locator(f"#filters input[name={kind}][value={value}]").click()


@pytest.mark.chromium
def test_the_page_opens_offline_and_shows_citations_on_click(chromium, tmp_path, kg):
    out = tmp_path / "csnk1a1.html"
    assert CliRunner().invoke(main, ["view", "CSNK1A1", "--out", str(out)]).exit_code == 0
    with chromium.page() as page:
        open_page(page, out)
        nodes = drawn_nodes(page)
        assert sorted(nodes) == ["CHEBI:63791", "CL:0008001", "GO:0080008", "HGNC:2451", "IMIDGRAPH:chromosome-5q-deletion"]
        assert nodes["CHEBI:63791"]["x"] < nodes["HGNC:2451"]["x"] < nodes["IMIDGRAPH:chromosome-5q-deletion"]["x"]
        edges = drawn_edges(page)
        assert sorted(edges) == [
            "CHEBI:63791|degrades|HGNC:2451",
            "GO:0080008|degrades|HGNC:2451",  # the lenalidomide-bound ligase
            "HGNC:2451|associated_with_sensitivity_to|CHEBI:63791",
            "HGNC:2451|decreases|CL:0008001",  # CK1α holds HSPC expansion back
            "IMIDGRAPH:chromosome-5q-deletion|decreases|HGNC:2451",
        ]
        labels = page.evaluate("() => imidgraph.cy.edges().map(e => e.data('label')).sort()")
        assert labels == ["associated_with_sensitivity_to", "decreases", "decreases", "degrades", "degrades ×2"]

        click_edge(page, "CHEBI:63791|degrades|HGNC:2451")
        panel = page.locator("#panel")
        assert panel.get_attribute("data-showing") == "CHEBI:63791|degrades|HGNC:2451"
        text = panel.inner_text()
        assert "lenalidomide degrades CSNK1A1" in text
        assert "selectively destroys CK1-alpha" in text  # the paraphrase
        assert "review_statement" in text and "2.2 Mechanism of action" in text
        doi = panel.locator("a", has_text="doi:10.3389/fimmu.2022.1017990").first
        assert doi.get_attribute("href") == "https://doi.org/10.3389/fimmu.2022.1017990"
        assert page.evaluate("() => imidgraph.cy.$('.selected').map(e => e.id())") == ["CHEBI:63791|degrades|HGNC:2451"]
        page.screenshot(path=str(artefact("offline-csnk1a1.png")))

        click_node(page, "HGNC:2451")
        assert panel.get_attribute("data-showing") == "HGNC:2451"
        text = panel.inner_text()
        assert "HGNC:2451" in text and "CK1α" in text and "Gene (biolink:Gene)" in text
        assert "neosubstrates" in text and "5 relations shown" in text
        page.keyboard.press("Escape")
        assert panel.get_attribute("data-showing") == ""
        assert page.blocked == [] and page.problems == []


@pytest.mark.chromium
def test_a_drug_is_drawn_in_mechanism_columns_with_filters(chromium, tmp_path, kg):
    out = tmp_path / "lenalidomide.html"
    # --all: the whole neighbourhood at first (a drug's default page is a summary, test_view_summary.py)
    assert CliRunner().invoke(main, ["view", "lenalidomide", "--all", "--out", str(out)]).exit_code == 0
    sub = neighbourhood(kg, "lenalidomide")
    data = embedded(out.read_text(encoding="utf-8"))
    with chromium.page(width=1400, height=900) as page:
        open_page(page, out)
        nodes = drawn_nodes(page)
        assert set(nodes) == set(sub.entities) and all(n["visible"] for n in nodes.values())
        for entity_id, n in nodes.items():  # coloured by category
            assert n["fill"] == rgb(style.node_style(kg.facts.entities[entity_id].category).colour)
        x = {n["name"]: n["x"] for n in nodes.values()}
        assert x["lenalidomide"] < x["CRBN"] < x["IKZF1"] < x["IRF4"] < x["myeloma cell"] < x["multiple myeloma"]
        layer = {n["id"]: n["layer"] for n in data["nodes"]}
        bands = [[n["x"] for n in nodes.values() if layer[n["id"]] == key]
                 for key in ("drug", "target", "neosubstrate", "effector", "cell", "use")]  # fmt: skip
        for left, right in zip(bands, bands[1:], strict=False):  # each layer's columns wholly right of the last
            assert max(left) < min(right)
        apart = [n for n in nodes.values() if layer[n["id"]] in ("side_effect", "resistance")]
        mechanism = [n for n in nodes.values() if layer[n["id"]] not in ("side_effect", "resistance")]
        assert {n["name"] for n in apart} >= {"neutropenia", "venous thromboembolism", "chromosome 5q deletion"}
        assert min(n["y"] for n in apart) > max(n["y"] for n in mechanism)  # a band below
        side = [n["y"] for n in apart if layer[n["id"]] == "side_effect"]
        assert max(side) < nodes["IMIDGRAPH:chromosome-5q-deletion"]["y"]  # resistance below side effects
        assert sorted(i for key in drawn_edges(page) for i in _relation_ids(data, key)) == sorted(sub.relations)
        legend = page.locator("#legend .categories li").evaluate_all("els => els.map(e => e.dataset.category)")
        assert set(legend) == {kg.facts.entities[i].category for i in sub.entities}
        box = page.locator("#graph").bounding_box()
        for n in page.evaluate("() => imidgraph.cy.nodes('.entity').map(n => n.renderedBoundingBox())"):
            assert n["x1"] >= -1 and n["x2"] <= box["width"] + 1  # fitted into the window
        page.screenshot(path=str(artefact("offline-lenalidomide.png")))

        toggle(page, "layer", "side_effect")  # a layer off: its nodes and their edges go
        hidden = {i for i, n in drawn_nodes(page).items() if not n["visible"]}
        assert hidden == {i for i in nodes if layer[i] == "side_effect"}
        assert not any(shown for key, shown in drawn_edges(page).items() if "|has_side_effect|" in key)
        toggle(page, "layer", "side_effect")
        assert all(n["visible"] for n in drawn_nodes(page).values())

        toggle(page, "evidence", "approved")  # edges resting on approvals alone go, and the nodes
        edges = drawn_edges(page)             # left without a visible edge
        only_approved = {e["key"] for e in data["edges"] if e["levels"] == ["approved"]}
        assert only_approved and {k for k, shown in edges.items() if not shown} == only_approved
        shown = drawn_nodes(page)
        assert not shown[kg.entity("follicular lymphoma").id]["visible"]  # approved only
        assert shown[kg.entity("multiple myeloma").id]["visible"]  # trials too
        assert shown["CHEBI:63791"]["visible"]
        page.screenshot(path=str(artefact("offline-lenalidomide-no-approvals.png")))
        toggle(page, "evidence", "approved")
        assert all(drawn_edges(page).values())
        assert page.blocked == [] and page.problems == []


def _relation_ids(data: dict, key: str) -> list[str]:
    return next([r["id"] for r in e["relations"]] for e in data["edges"] if e["key"] == key)


@pytest.mark.chromium
def test_hostile_text_is_shown_as_text(chromium, tmp_path, tiny):
    hostile = "</script><script>window.pwned = 1</script><img src=x onerror=window.pwned=2>"
    kg = load(tiny("relations/mechanism.yaml", "Lenalidomide sits in a pocket of cereblon.", hostile))
    binds = next(r for r in kg.relations if r.predicate == "binds")
    out = tmp_path / "hostile.html"
    out.write_text(render_html(kg, [], [binds.id], "<img src=y onerror=window.pwned=3>"), encoding="utf-8")
    with chromium.page() as page:
        open_page(page, out)
        click_edge(page, f"{binds.subject}|binds|{binds.object}")
        assert hostile in page.locator("#panel blockquote").inner_text()
        assert page.locator("#title").inner_text() == "<img src=y onerror=window.pwned=3>"
        assert page.evaluate("typeof window.pwned") == "undefined"
        assert page.locator("img").count() == 0
        assert page.blocked == [] and page.problems == []


@pytest.mark.chromium
def test_an_explanation_page_draws_its_paths_left_to_right(chromium, tmp_path, kg):
    out = tmp_path / "why.html"
    result = CliRunner().invoke(main, ["view", "--explain", "lenalidomide", "del(5q) MDS", "--out", str(out)])
    assert result.exit_code == 0, result.output
    e = kg.explain("lenalidomide", "del(5q) MDS")
    data = embedded(out.read_text(encoding="utf-8"))
    with chromium.page() as page:
        open_page(page, out)
        nodes = drawn_nodes(page)
        assert sorted(nodes) == sorted(e.entity_ids()) and all(n["visible"] for n in nodes.values())
        assert all(drawn_edges(page).values())  # its three reasons are few: all drawn at first
        x = {n["name"]: n["x"] for n in nodes.values()}
        assert (x["lenalidomide"] < x["CRBN"] < x["CSNK1A1"] < x["chromosome 5q deletion"]
                < x["myelodysplastic syndrome with isolated del(5q)"])  # fmt: skip
        ids = [i for key in drawn_edges(page) for i in _relation_ids(data, key)]
        assert sorted(ids) == sorted(e.relation_ids())
        assert "lenalidomide degrades CSNK1A1 via CRBN" in page.locator("body").inner_text()  # the summary
        highlighted = page.evaluate("() => imidgraph.cy.edges('.highlight').map(e => e.data('label'))")
        assert "degrades ×2" in highlighted  # the best path
        click_edge(page, "IMIDGRAPH:chromosome-5q-deletion|decreases|HGNC:2451")
        text = page.locator("#panel").inner_text()
        assert "chromosome 5q deletion decreases CSNK1A1" in text and "gene_dosage" in text
        page.screenshot(path=str(artefact("offline-explain-del5q.png")))
        toggle(page, "group", "standing")  # the drug's standing off: the reasons stay
        edges = drawn_edges(page)
        assert not edges["CHEBI:63791|approved_for|MONDO:0007925"] and edges["CHEBI:63791|degrades|HGNC:2451"]
        assert page.blocked == [] and page.problems == []


@pytest.mark.chromium
def test_a_second_group_of_paths_is_drawn_apart_and_can_be_hidden(chromium, tmp_path, kg):
    """How reasons against a drug will be drawn: any named group of relations, "against" dashed."""
    e = kg.explain("lenalidomide", "del(5q) MDS")
    against = [r.id for r in kg.relations_of("CSNK1A1") if r.predicate == "decreases"]
    reasons = [i for i in e.relation_ids() if i not in against]
    out = tmp_path / "against.html"
    out.write_text(render_html(kg, e.entity_ids(), e.relation_ids(), "t", groups={"reasons": reasons, "against": against}),
                   encoding="utf-8")  # fmt: skip
    key = "IMIDGRAPH:chromosome-5q-deletion|decreases|HGNC:2451"
    with chromium.page() as page:
        open_page(page, out)
        styles = dict(page.evaluate("() => imidgraph.cy.edges().map(e => [e.id(), e.style('line-style')])"))
        assert styles.pop(key) == "dashed" and set(styles.values()) == {"solid"}
        labels = page.locator("#filters fieldset[data-kind=group] label").all_inner_texts()
        edges_in_all = len(embedded(out.read_text(encoding="utf-8"))["edges"])
        assert [t.strip() for t in labels] == [f"reasons {edges_in_all - 1}", "against 1"]  # edges, not relations
        toggle(page, "group", "against")
        edges = drawn_edges(page)
        assert not edges[key] and all(shown for k, shown in edges.items() if k != key)
        assert page.blocked == [] and page.problems == []


@pytest.mark.chromium
def test_the_notebook_picture_works_inside_its_iframe(chromium, tmp_path, kg):
    notebook.reset()  # the first picture carries the libraries for both
    e = kg.explain("lenalidomide", "del(5q) MDS")
    output = tmp_path / "notebook.html"  # what Jupyter does with _repr_html_: put it in its page
    output.write_text(
        "<!DOCTYPE html><html><body><h1>Out[1]:</h1>" + e._repr_html_()
        + neighbourhood(kg, "CSNK1A1")._repr_html_() + "</body></html>",
        encoding="utf-8",
    )  # fmt: skip
    with chromium.page(width=1200, height=1500) as page:
        page.goto(output.as_uri())
        frames = [page.frame_locator("iframe.imidgraph").nth(i) for i in range(2)]
        for frame in frames:
            frame.locator("body[data-ready=true]").wait_for(timeout=15_000)
        inner = [f for f in page.frames if f is not page.main_frame]
        ids = [sorted(f.evaluate("() => imidgraph.cy.nodes('.entity').map(n => n.id())")) for f in inner]
        assert sorted(ids) == sorted([sorted(e.entity_ids()), ["CHEBI:63791", "CL:0008001", "GO:0080008", "HGNC:2451", "IMIDGRAPH:chromosome-5q-deletion"]])
        assert "lenalidomide degrades CSNK1A1 via CRBN" in frames[0].locator("#note").inner_text()
        for f in inner:  # each fitted into its frame, labels too, once the frame has its size
            size = f.evaluate("() => [imidgraph.cy.width(), imidgraph.cy.height()]")
            for b in f.evaluate("() => imidgraph.cy.nodes('.entity').map(n => n.renderedBoundingBox())"):
                assert b["x1"] >= -1 and b["x2"] <= size[0] + 1 and b["y1"] >= -1 and b["y2"] <= size[1] + 1
        page.screenshot(path=str(artefact("notebook-explain-del5q.png")))
        assert page.blocked == [] and page.problems == []


def test_view_takes_a_name_or_an_explanation_not_both():
    for args in ([], ["CSNK1A1", "--explain", "lenalidomide", "del(5q) MDS"]):
        result = CliRunner().invoke(main, ["view", *args])
        assert result.exit_code == 2 and "give NAME or --explain DRUG TARGET" in result.output
    result = CliRunner().invoke(main, ["view", "--explain", "lenalidomid", "del(5q) MDS"])
    assert result.exit_code == 1 and "did you mean: lenalidomide" in result.output
