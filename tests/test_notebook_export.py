"""Light notebooks (short reprs, DataFrames, pictures whose libraries travel once per notebook),
GraphML with the palette and a Cytoscape style, and the net sign of ``downstream`` chains."""

from __future__ import annotations

import re
from xml.etree import ElementTree as ET

import networkx as nx
import pytest
from click.testing import CliRunner

from imidgraph import schema
from imidgraph.backends import MemoryBackend
from imidgraph.catalogue import get, read_catalogue
from imidgraph.cli import main
from imidgraph.cytoscape import cytoscape_style, packaged_style
from imidgraph.style import edge_style, node_style
from imidgraph.view import LAYERS, neighbourhood, notebook
from imidgraph.view.page import vendor_scripts

from .chromium import artefact

LENALIDOMIDE, CSNK1A1 = "CHEBI:63791", "HGNC:2451"
DEL5Q_TOP = (
    "lenalidomide -degrades-> CSNK1A1 <-decreases- chromosome 5q deletion -contributes_to-> "
    "myelodysplastic syndrome with isolated del(5q)"
)


# --------------------------------------------------------------------------- downstream's net sign


def test_downstream_chains_carry_their_net_sign(kg):
    rows = {(tuple(r["chain"]), tuple(r["predicates"])): r["net_sign"] for r in kg.query("downstream", start="IKZF1").to_dict("records")}
    assert rows[("IKZF1", "IRF4"), ("increases",)] == 1
    assert rows[("IKZF1", "IL2"), ("decreases",)] == -1
    assert rows[("IKZF1", "IL2", "natural killer cell"), ("decreases", "increases")] == -1
    assert rows[("IKZF1", "malignant B cell", "B-cell neoplasm"), ("increases", "contributes_to")] == 1
    assert rows[("IKZF1", "IL2", "T cell"), ("decreases", "produced_by")] == 0  # produced_by states no direction
    for (_, predicates), sign in rows.items():
        product = 1
        for p in predicates:
            product *= schema.POLARITY[p]
        assert sign == product


def test_the_downstream_cypher_signs_each_predicate_as_the_schema_does():
    query = get(read_catalogue(), "downstream")
    walked = re.search(r"\[:([A-Z_|]+)\*", query.cypher).group(1).lower().split("|")
    signs = dict(re.findall(r"WHEN '([a-z_]+)' THEN (-?\d)", query.cypher))
    assert sorted(signs) == sorted(walked)
    assert {p: int(s) for p, s in signs.items()} == {p: schema.POLARITY[p] for p in walked}
    assert query.columns[:4] == ("steps", "chain", "predicates", "net_sign")


# --------------------------------------------------------------------------- GraphML and Cytoscape


def test_graphml_carries_category_layer_and_the_palette(kg, tmp_path):
    result = CliRunner().invoke(main, ["export", "--format", "graphml", "--out", str(tmp_path)])
    assert result.exit_code == 0, result.output
    assert result.output.split() == [str(tmp_path / "imidgraph.graphml"), str(tmp_path / "imidgraph-style.xml")]
    graph = nx.read_graphml(tmp_path / "imidgraph.graphml", force_multigraph=True)
    assert graph.number_of_nodes() == len(kg.facts.entities) and graph.number_of_edges() == len(kg.facts.relations)
    lenalidomide, csnk1a1 = graph.nodes[LENALIDOMIDE], graph.nodes[CSNK1A1]
    assert (lenalidomide["category"], lenalidomide["layer"], lenalidomide["colour"]) == ("Drug", "drug", "#2F6FDE")
    assert (csnk1a1["category"], csnk1a1["layer"], csnk1a1["colour"]) == ("Gene", "neosubstrate", "#F2994A")
    assert graph.nodes["HGNC:13176"]["layer"] == "neosubstrate"  # IKZF1
    keys = {layer.key for layer in LAYERS}
    for _, data in graph.nodes(data=True):
        assert data["layer"] in keys
        assert data["colour"] == node_style(data["category"]).colour and data["size"] == node_style(data["category"]).diameter
    degrades = [d for s, o, d in graph.edges(data=True) if (s, o) == (LENALIDOMIDE, CSNK1A1) and d["predicate"] == "degrades"]
    assert degrades and degrades[0]["colour"] == "#C2185B" and degrades[0]["width"] == 3
    for _, _, data in graph.edges(data=True):
        assert (data["colour"], data["width"]) == (edge_style(data["predicate"]).colour, edge_style(data["predicate"]).width)
    assert (tmp_path / "imidgraph-style.xml").read_text(encoding="utf-8") == cytoscape_style() == packaged_style()


def _mapping(visual: ET.Element, kind: str, name: str) -> ET.Element:
    (prop,) = visual.findall(f"./{kind}/visualProperty[@name='{name}']")
    return prop


def test_the_cytoscape_style_maps_category_name_and_predicate(kg):
    root = ET.fromstring(cytoscape_style().encode("utf-8"))  # well-formed, or this raises
    assert root.tag == "vizmap" and root.get("documentVersion") == "3.0"
    (visual,) = root.findall("visualStyle")
    assert visual.get("name") == "imidgraph"
    fill = _mapping(visual, "node", "NODE_FILL_COLOR").find("discreteMapping")
    assert fill.get("attributeName") == "category"
    colours = {e.get("attributeValue"): e.get("value") for e in fill.findall("discreteMappingEntry")}
    assert colours["Drug"] == "#2F6FDE" and colours["Disease"] == "#D64550"
    assert colours == {c: node_style(c).colour for c in schema.CATEGORIES}
    assert {e.category for e in kg.entities} <= set(colours)
    label = _mapping(visual, "node", "NODE_LABEL").find("passthroughMapping")
    assert label.get("attributeName") == "name"
    edge_label = _mapping(visual, "edge", "EDGE_LABEL").find("passthroughMapping")
    assert edge_label.get("attributeName") == "predicate"
    stroke = _mapping(visual, "edge", "EDGE_STROKE_UNSELECTED_PAINT").find("discreteMapping")
    assert stroke.get("attributeName") == "predicate"
    strokes = {e.get("attributeValue"): e.get("value") for e in stroke.findall("discreteMappingEntry")}
    assert strokes["degrades"] == "#C2185B" and strokes == {p: edge_style(p).colour for p in schema.PREDICATES}


# --------------------------------------------------------------------------- reprs and DataFrames


def test_reprs_are_a_line_or_two(kg):
    e = kg.explain("lenalidomide", "del(5q) MDS")
    assert repr(e) == (
        "<Explanation lenalidomide -> myelodysplastic syndrome with isolated del(5q) (condition): 3 reasons\n"
        " top reason: lenalidomide degrades CSNK1A1 via CRBN; chromosome 5q deletion, which contributes to "
        "myelodysplastic syndrome with isolated del(5q), also decreases CSNK1A1 (gene dosage).>"
    )
    mm = kg.explain("lenalidomide", "multiple myeloma")
    text = repr(mm)
    assert len(text.splitlines()) == 2 and len(text) < 400
    counts = ", ".join(f"{len(v)} {t}" for v, t in zip(
        [mm.paths, mm.with_partner, mm.against, mm.unsigned], ["reasons", "with a partner", "against", "direction not stated"], strict=True
    ) if v)  # fmt: skip
    assert text.startswith(f"<Explanation lenalidomide -> multiple myeloma (condition): {counts}\n top reason: lenalidomide ")
    sources = len({r.citation.source for r in kg.facts.relations})
    assert repr(kg) == f"<KnowledgeGraph: {len(kg.facts.entities):,} entities, {len(kg.facts.relations):,} relations from {sources} sources>"
    hits = kg.search("IKZF1")
    assert repr(hits).startswith(f"<{len(hits)} search hits: 1. IKZF1 (entity, Gene); 2. ") and "\n" not in repr(hits)
    assert repr(hits[0]) == f"<Hit 1. entity 'IKZF1' (Gene) score {hits[0].score:g}>"
    table = MemoryBackend(kg).run(get(read_catalogue(), "drug_targets"), {"drug": LENALIDOMIDE})
    assert repr(table) == f"<Table {len(table.rows)} rows × {len(table.columns)} columns: {', '.join(table.columns)}>"
    assert len(table.rows) > 1


def test_dataframes_of_explanations_query_rows_and_search_hits(kg):
    e = kg.explain("lenalidomide", "del(5q) MDS")
    frame = e.to_dataframe()
    assert list(frame.columns) == ["group", "rank", "score", "sign", "path", "citations", "relation_ids"]
    assert len(frame) == sum(len(v) for v in e.groups.values())
    first = frame.iloc[0]
    assert (first["group"], first["rank"], first["sign"], first["path"]) == ("paths", 1, 1, DEL5Q_TOP)
    assert first["score"] == pytest.approx(e.paths[0].score, abs=1e-6)
    assert first["citations"][0] == "review_statement · guo2022 §2.2 Mechanism of action refs 171 · doi:10.3389/fimmu.2022.1017990"
    assert len(first["citations"]) == len(first["relation_ids"])
    table = MemoryBackend(kg).run(get(read_catalogue(), "downstream"), {"start": "HGNC:13176"})
    rows = table.to_dataframe()
    assert list(rows.columns) == table.columns and len(rows) == len(table.rows) > 10
    hits = kg.search("IKZF1").to_dataframe()
    assert list(hits.columns[:4]) == ["rank", "kind", "id", "title"] and hits.iloc[0]["title"] == "IKZF1"


# --------------------------------------------------------------------------- notebook pictures


def test_the_libraries_travel_once_and_a_display_is_light(kg):
    notebook.reset()
    libraries = sum(len(s) for s in vendor_scripts())
    mm = kg.explain("lenalidomide", "multiple myeloma")
    first, second = mm._repr_html_(), mm._repr_html_()
    assert first.startswith('<script class="imidgraph-libraries">') and first.endswith(second)
    assert len(first) > libraries and len(second) < 150_000
    assert second.startswith('<iframe class="imidgraph"')
    assert not any(notebook.srcdoc(s)[1000:1400] in second for s in vendor_scripts())
    sub = neighbourhood(kg, "CSNK1A1")._repr_html_()
    assert sub.startswith("<iframe") and len(sub) < 60_000
    notebook.reset()
    assert neighbourhood(kg, "CSNK1A1")._repr_html_().startswith('<script class="imidgraph-libraries">')


def _drawn(frame) -> list[str]:
    return sorted(frame.evaluate("() => imidgraph.cy.nodes('.entity').map(n => n.id())"))


@pytest.mark.chromium
def test_two_notebook_pictures_share_one_copy_of_the_libraries(chromium, tmp_path, kg):
    notebook.reset()
    e = kg.explain("lenalidomide", "del(5q) MDS")
    sub = neighbourhood(kg, "CSNK1A1")
    pages = {  # what Jupyter (and nbconvert's HTML) keeps: the outputs' HTML, in order
        "in-order": e._repr_html_() + sub._repr_html_(),
        # the output that carried them came later (cleared and re-shown): the pictures wait for it
        "libraries-later": e._repr_html_() + sub._repr_html_() + notebook.notebook_libraries()._repr_html_(),
    }
    for name, outputs in pages.items():
        path = tmp_path / f"{name}.html"
        path.write_text(f"<!DOCTYPE html><html><body><h1>Out[1]:</h1>{outputs}</body></html>", encoding="utf-8")
        with chromium.page(width=1200, height=1400) as page:
            page.goto(path.as_uri())
            for i in range(2):
                page.frame_locator("iframe.imidgraph").nth(i).locator("body[data-ready=true]").wait_for(timeout=15_000)
            assert page.evaluate("() => document.querySelectorAll('script.imidgraph-libraries').length") == 1
            assert page.evaluate("() => Object.keys(window.imidgraphLibraries).length") == 1
            inner = [f for f in page.frames if f is not page.main_frame]
            assert [_drawn(f) for f in inner] == [
                sorted(e.entity_ids()),
                ["CHEBI:63791", "CL:0008001", "GO:0080008", "HGNC:2451", "IMIDGRAPH:chromosome-5q-deletion"],
            ]
            for f in inner:  # the libraries ran inside each frame, from the one copy
                assert f.evaluate("() => typeof cytoscape === 'function' && document.scripts.length") >= 4
            page.screenshot(path=str(artefact(f"notebook-shared-libraries-{name}.png")))
            assert page.blocked == [] and page.problems == []
