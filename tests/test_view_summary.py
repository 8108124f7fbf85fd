"""A drug's page is a summary of its mechanism, and an explanation's reasons are drawn one by one.

What a user sees is checked in headless Chromium (the session's browser, one page load a
scenario): how many nodes are drawn, the size labels are rendered at, that the column headings
do not overlap, that a group expands into its members and a reason's box draws its path.
Screenshots are kept in test-artifacts/pictures/ (not committed).
"""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from imidgraph.cli import main
from imidgraph.graph import load
from imidgraph.view import MAX_NODES, ROUTE, ROWS, page_data, render_html, summary

from .chromium import artefact
from .test_view import click_edge, click_node, embedded, open_page

# --------------------------------------------------------------------------- which entities, in process


def test_a_drug_s_summary_is_its_core_route_and_groups(kg):
    s = summary(kg, "lenalidomide")
    data = page_data(kg, s.entities, s.relations, "t", s.focus, collapse=s.collapse())
    layer = {n["id"]: n["layer"] for n in data["nodes"]}
    core = {key: sorted(kg.name(i) for i in s.core if layer[i] == key) for key in ROUTE}
    assert core == {  # chosen from the data: links along the route first, then the best cited
        "drug": ["lenalidomide"],
        "target": ["CD38", "CRBN", "IL-12", "LFA-1", "MHC class I", "PDCD1"],
        "neosubstrate": ["CSNK1A1", "IKZF1", "IKZF3"],
        "effector": ["IL2", "IRF4", "IRF5", "MYC", "T cell costimulation", "cytokine production",
                     "immunological synapse formation"],
        "cell": ["CAR-T cell", "CD8-positive T cell", "T cell", "malignant B cell", "myeloma cell",
                 "natural killer cell", "regulatory T cell"],
        "use": ["follicular lymphoma", "mantle cell lymphoma", "multiple myeloma",
                "myelodysplastic syndrome with isolated del(5q)"],
    }  # fmt: skip
    groups = [(label, layer_key, len(members)) for _, label, layer_key, members in s.groups]
    assert groups == [
        ("more drugs", "drug", 46),
        ("more effectors & molecules", "effector", 40),
        ("more cells", "cell", 6),
        ("approved for", "use", 3),  # the diseases by kind: how the drug is used for them
        ("studied clinically for", "use", 12),
        ("active preclinically in", "use", 5),
        ("other uses & questions", "use", 11),
        ("side effects", "side_effect", 12),
        ("resistance & sensitivity", "resistance", 1),
    ]
    for key in ROUTE:  # no column taller than ROWS, its groups too
        assert len(core[key]) + sum(1 for g in groups if g[1] == key) <= ROWS
    members = [m for g in s.groups for m in g[3]]
    assert sorted(members + list(s.core)) == sorted(s.entities) and len(set(members)) == len(members)
    assert s.drawn == len(s.core) + len(s.groups) == 37 <= MAX_NODES  # room left while the columns fit
    # the page holds every relation of the drug, and the steps between its neighbours
    assert set(s.relations) >= {r.id for r in kg.relations_of(kg.entity("lenalidomide").id)}
    route = {(kg.name(e["source"]), e["predicate"], kg.name(e["target"])) for e in data["edges"] if e["route"]}
    assert {("lenalidomide", "binds", "CRBN"), ("lenalidomide", "degrades", "IKZF1"),
            ("IKZF1", "increases", "IRF4"), ("myeloma cell", "contributes_to", "multiple myeloma")} <= route  # fmt: skip
    core_ids = set(s.core)
    assert all(e["source"] in core_ids and e["target"] in core_ids for e in data["edges"] if e["route"])
    for entity in core_ids - {"CHEBI:63791"}:  # each drawn entity is reached by a drawn edge
        assert any(entity in (e["source"], e["target"]) for e in data["edges"] if e["route"])
    assert {n["group"] for n in data["nodes"] if n["id"] in core_ids} == {""}
    assert [c[1:] for c in data["collapsed"]] == [list(g) for g in groups]


def test_every_drug_s_summary_fits_and_small_ones_are_drawn_whole(kg):
    for drug in (e for e in kg.facts.entities.values() if e.category == "Drug"):
        s = summary(kg, drug.id)
        assert s.drawn <= MAX_NODES, drug.name
        members = [m for g in s.groups for m in g[3]]
        assert sorted(members + list(s.core)) == sorted(s.entities), drug.name  # each entity once
        route = {i for r in s.route for i in (kg.relation(r).subject, kg.relation(r).object)}
        assert route <= set(s.core) and (route >= set(s.core) - {drug.id} or len(s.core) == 1), drug.name


def test_view_draws_a_drug_s_summary_unless_all(tmp_path):
    out = tmp_path / "len.html"
    result = CliRunner().invoke(main, ["view", "lenalidomide", "--out", str(out)])
    assert result.output == (f"wrote {out}: 164 entities, 493 relations; "
                             "a summary of 37 nodes drawn at first (--all: every one)\n")  # fmt: skip
    data = embedded(out.read_text(encoding="utf-8"))
    assert data["summary"] and len(data["collapsed"]) == 9
    assert data["note"].startswith("lenalidomide (CHEBI:63791, Drug): its core route and strongest cited relations")
    result = CliRunner().invoke(main, ["view", "lenalidomide", "--all", "--out", str(out), "--force"])
    assert result.output == f"wrote {out}: 141 entities, 200 relations, 40 left out\n"  # the neighbourhood, capped
    data = embedded(out.read_text(encoding="utf-8"))
    assert not data["summary"] and data["collapsed"] == [] and all(e["route"] for e in data["edges"])
    result = CliRunner().invoke(main, ["view", "CSNK1A1", "--out", str(out), "--force"])  # no drug: as before
    assert result.output == f"wrote {out}: 5 entities, 6 relations\n"
    result = CliRunner().invoke(main, ["view", "cyclophosphamide", "--out", str(out), "--force"])  # few: all
    assert result.output == f"wrote {out}: 7 entities, 6 relations\n"
    assert not embedded(out.read_text(encoding="utf-8"))["summary"]


# --------------------------------------------------------------------------- what a user sees


VISIBLE = "const shown = x => x.style('display') !== 'none';"


def seen(page) -> dict:
    """The nodes drawn (entities and groups) by name, the rendered size of their labels and of
    the headings, and the headings' boxes on the screen."""
    return page.evaluate(
        "() => {" + VISIBLE + """ const cy = imidgraph.cy, z = cy.zoom();
        const nodes = cy.nodes('.entity, .group').filter(shown);
        return {names: nodes.map(n => n.data('name')).sort(), ids: nodes.map(n => n.id()),
                fonts: nodes.map(n => parseFloat(n.style('font-size')) * z),
                headings: cy.nodes('.heading').map(h => [h.data('name'), parseFloat(h.style('font-size')) * z,
                                                         h.renderedBoundingBox({includeLabels: true})])}; }"""
    )


def assert_readable(view: dict) -> None:
    assert min(view["fonts"]) >= 11  # every label at the default zoom
    boxes = [(name, box) for name, size, box in view["headings"] if size >= 11]
    assert len(boxes) == len(view["headings"]) >= 2
    for i, (a, p) in enumerate(boxes):
        for b, q in boxes[i + 1 :]:
            apart = p["x2"] <= q["x1"] or q["x2"] <= p["x1"] or p["y2"] <= q["y1"] or q["y2"] <= p["y1"]
            assert apart, f"the headings {a!r} and {b!r} overlap: {p} {q}"


@pytest.mark.chromium
def test_a_drug_s_page_reads_at_a_glance_and_expands_on_click(chromium, tmp_path, kg):
    out = tmp_path / "lenalidomide.html"
    assert CliRunner().invoke(main, ["view", "lenalidomide", "--out", str(out)]).exit_code == 0
    s = summary(kg, "lenalidomide")
    with chromium.page(width=1400, height=900) as page:
        open_page(page, out)
        view = seen(page)
        assert len(view["ids"]) == s.drawn == 37 <= MAX_NODES
        assert sorted(i for i in view["ids"] if not i.startswith("group:")) == sorted(s.core)
        assert "studied clinically for (12)" in view["names"] and "side effects (12)" in view["names"]
        assert_readable(view)
        page.screenshot(path=str(artefact("summary-lenalidomide.png")))
        click_edge(page, "CHEBI:63791|degrades|HGNC:13176")  # the citation panel, as before
        text = page.locator("#panel").inner_text()
        assert page.locator("#panel").get_attribute("data-showing") == "CHEBI:63791|degrades|HGNC:13176"
        assert "lenalidomide degrades IKZF1" in text and "doi:10.3389/fimmu.2022.1017990" in text
        page.keyboard.press("Escape")

        # a node lists all its relations; one not drawn is drawn, with its citations, on a click
        key = "CHEBI:63791|decreases|HGNC:6119"  # lenalidomide decreases IRF4: IRF4 came by IKZF1
        assert page.evaluate("key => imidgraph.cy.getElementById(key).style('display')", key) == "none"
        click_node(page, "HGNC:6119")
        assert page.locator("#panel").get_attribute("data-showing") == "HGNC:6119"
        heading = page.locator("#details h3").first.inner_text()
        assert heading.endswith(" drawn (click another to draw it)") and page.locator("#details section").count() == 0
        page.locator("#details ul.relations a", has_text="lenalidomide —decreases→ IRF4").click()
        assert page.evaluate("key => imidgraph.cy.getElementById(key).style('display')", key) == "element"
        assert page.locator("#panel").get_attribute("data-showing") == key
        assert "lenalidomide decreases IRF4" in page.locator("#details").inner_text()
        page.locator("#tools button#summary").click()

        click_node(page, "group:studied-clinically-for")  # "studied clinically for (12)": its diseases are drawn
        after = seen(page)
        assert len(after["ids"]) == 37 - 1 + 12
        studied = {kg.name(i) for i in next(g[3] for g in s.groups if g[0] == "studied-clinically-for")}
        assert "chronic lymphocytic leukemia" in studied
        assert set(after["names"]) == (set(view["names"]) - {"studied clinically for (12)"}) | studied
        key = f"CHEBI:63791|studied_clinically_for|{kg.entity('chronic lymphocytic leukemia').id}"
        drawn = page.evaluate("key => imidgraph.cy.getElementById(key).style('display')", key)
        assert drawn == "element"  # with its relation to the drug
        assert_readable(after)
        page.screenshot(path=str(artefact("summary-lenalidomide-expanded.png")))


        page.locator("#tools button#all").click()  # everything the page holds
        assert len(seen(page)["ids"]) == len(s.entities) == 164
        page.locator("#tools button#summary").click()
        assert sorted(seen(page)["ids"]) == sorted(view["ids"])
        assert page.blocked == [] and page.problems == []


REASONS = [
    "reasons 1: lenalidomide → IKZF3 → MYC → myeloma cell → multiple myeloma",
    "reasons 2: lenalidomide → Akt → FGF2 → angiogenesis → multiple myeloma",
    "reasons 3: lenalidomide → IKZF1 → IRF4 → myeloma cell → multiple myeloma",
    "reasons 4: lenalidomide → IMiD → IL6 → multiple myeloma",
    "reasons 5: lenalidomide → M1 macrophage → myeloma cell → multiple myeloma",
    "with a partner 1: lenalidomide → CD38 → MOR202 → multiple myeloma",
]


@pytest.mark.chromium
def test_an_explanation_s_reasons_are_drawn_one_by_one(chromium, tmp_path, kg):
    out = tmp_path / "why-mm.html"
    result = CliRunner().invoke(main, ["view", "--explain", "lenalidomide", "multiple myeloma", "--out", str(out)])
    assert result.exit_code == 0, result.output
    with chromium.page(width=1400, height=900) as page:
        open_page(page, out)
        boxes = page.locator("#reasons input[name=reason]")
        labels = [t.strip() for t in page.locator("#reasons label").all_inner_texts()]
        assert labels[:6] == REASONS and len(labels) == 22
        ticked = [labels[k] for k in range(boxes.count()) if boxes.nth(k).is_checked()]
        assert ticked == [*REASONS[:3], REASONS[5], "against 1: lenalidomide → regulatory T cell → B-cell neoplasm → multiple myeloma",
                          "direction not stated 1: lenalidomide → immune checkpoint protein → multiple myeloma",
                          "standing: lenalidomide's own approvals and trials"]  # fmt: skip
        view = seen(page)
        assert len(view["ids"]) == 16 and {"IKZF3", "MYC", "IRF4", "FGF2"} <= set(view["names"])
        assert "IL6" not in view["names"] and "M1 macrophage" not in view["names"]
        assert_readable(view)
        page.screenshot(path=str(artefact("explain-myeloma-reasons.png")))

        boxes.nth(3).click()  # reasons 4: its path is drawn
        shown = seen(page)
        assert set(shown["names"]) == set(view["names"]) | {"IL6", "IMiD"}
        assert_readable(shown)
        edge = page.evaluate("() => imidgraph.cy.edges().filter(e => e.target().data('name') === 'IL6' && "
                             "e.style('display') !== 'none').map(e => e.source().data('name'))")  # fmt: skip
        assert edge == ["IMiD"]
        page.screenshot(path=str(artefact("explain-myeloma-reason-4.png")))
        boxes.nth(3).click()  # and hidden again
        assert sorted(seen(page)["ids"]) == sorted(view["ids"])
        assert page.blocked == [] and page.problems == []


@pytest.mark.chromium
def test_hostile_names_in_reasons_and_groups_stay_text(chromium, tmp_path, tiny):
    hostile = "</script><script>window.pwned = 1</script><img src=x onerror=window.pwned=2>"
    kg = load(tiny())
    binds = next(r for r in kg.relations if r.predicate == "binds")
    degrades = next(r for r in kg.relations if r.predicate == "degrades")
    out = tmp_path / "hostile.html"
    collapse = {"route": [binds.id], "groups": [["g", hostile, "neosubstrate", [degrades.object]]]}
    page_text = render_html(kg, [], [binds.id, degrades.id], "t", collapse=collapse,
                            reasons=[(hostile, True, [binds.id]), ("second", True, [degrades.id])])  # fmt: skip
    out.write_text(page_text, encoding="utf-8")
    with chromium.page() as page:
        open_page(page, out)
        assert page.locator("#reasons label").first.inner_text().strip() == hostile
        group = page.evaluate("() => imidgraph.cy.getElementById('group:g').data('name')")
        assert group == hostile + " (1)"
        click_node(page, "group:g")  # expands into its one member, drawn with its relation
        view = seen(page)
        assert kg.name(degrades.object) in view["names"] and "group:g" not in view["ids"]
        assert page.evaluate("typeof window.pwned") == "undefined" and page.locator("img").count() == 0
        assert page.blocked == [] and page.problems == []
