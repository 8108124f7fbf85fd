"""Neo4j Browser shows mechanisms, not balls: the Cypher `imidgraph browser` prints, the guide's
slides and an explanation's Cypher return focused paths of our relations only; the Browser, with
its 'Connect result nodes' off as the guide sets it, draws exactly them (counted in its SVG)."""

from __future__ import annotations

import html
import re

import pytest
from click.testing import CliRunner

from imidgraph import browser, style
from imidgraph.cli import main
from imidgraph.explain.drawn import rows as explanation_rows
from imidgraph.neo4j.vocabulary import OWNER

from .chromium import artefact
from .conftest import TEST_HOME
from .test_browser import STEP_NAMES, browser_page, fills, full_names, newest_frame, run_in_editor

LENALIDOMIDE = "CHEBI:63791"
# what `imidgraph browser lenalidomide` draws, path by path, written out from the seeds
LENALIDOMIDE_MECHANISM = [
    "lenalidomide -binds-> CRBN <-has_part- CRL4-CRBN",
    "lenalidomide -degrades-> CSNK1A1 -decreases-> hematopoietic stem and progenitor cell -contributes_to-> therapy-related myeloid neoplasm",
    "lenalidomide -degrades-> IKZF1 -increases-> IRF4 -increases-> myeloma cell -contributes_to-> multiple myeloma",
    "lenalidomide -degrades-> IKZF3 -increases-> IRF4 -increases-> myeloma cell -contributes_to-> multiple myeloma",
    "lenalidomide -degrades-> IKZF1 -increases-> MYC -increases-> myeloma cell -contributes_to-> multiple myeloma",
    "lenalidomide -degrades-> IKZF3 -increases-> MYC -increases-> myeloma cell -contributes_to-> multiple myeloma",
    "lenalidomide -degrades-> IKZF1 -increases-> malignant B cell -contributes_to-> B-cell neoplasm",
    "lenalidomide -degrades-> IKZF3 -increases-> malignant B cell -contributes_to-> B-cell neoplasm",
    "lenalidomide -degrades-> IKZF1 -increases-> IRF4 -increases-> malignant B cell -contributes_to-> B-cell neoplasm",
    "lenalidomide -degrades-> IKZF3 -increases-> IRF4 -increases-> malignant B cell -contributes_to-> B-cell neoplasm",
    "lenalidomide -degrades-> IKZF1 -decreases-> IL2 -increases-> natural killer cell",
    "lenalidomide -degrades-> IKZF3 -decreases-> GZMB -mediates-> antibody-dependent cellular cytotoxicity -decreases-> malignant B cell -contributes_to-> B-cell neoplasm",
    "lenalidomide -degrades-> IKZF1 -decreases-> IL2 -produced_by-> T cell",
    "lenalidomide -degrades-> IKZF3 -decreases-> IL2 -increases-> natural killer cell",
    "lenalidomide -degrades-> IKZF3 -decreases-> IL2 -produced_by-> T cell",
]  # fmt: skip
# the explanation of lenalidomide -> del(5q) MDS as Browser rows: (group, rank, kind, the path's
# steps as subject predicate object, the predicates of what each cites besides)
DEL5Q_ROWS = [
    ("paths", 1, "lesion", ["lenalidomide degrades CSNK1A1", "chromosome 5q deletion decreases CSNK1A1",
                            "chromosome 5q deletion contributes_to myelodysplastic syndrome with isolated del(5q)"],
     ["degrades", "binds"]),  # the other citation of the degradation; the binding of CRBN it goes via
    ("paths", 2, "sensitivity", ["chromosome 5q deletion associated_with_sensitivity_to lenalidomide",
                                 "chromosome 5q deletion contributes_to myelodysplastic syndrome with isolated del(5q)"], []),
    ("paths", 3, "sensitivity", ["CSNK1A1 associated_with_sensitivity_to lenalidomide",
                                 "chromosome 5q deletion decreases CSNK1A1",
                                 "chromosome 5q deletion contributes_to myelodysplastic syndrome with isolated del(5q)"], []),
    ("standing", 1, "approved_for", ["lenalidomide approved_for myelodysplastic syndrome with isolated del(5q)"],
     ["approved_for", "approved_for"]),
    ("standing", 2, "studied_clinically_for",
     ["lenalidomide studied_clinically_for myelodysplastic syndrome with isolated del(5q)"], []),
]  # fmt: skip


def printed_cypher(args, env=None) -> tuple[str, str]:
    result = CliRunner().invoke(main, ["browser", *args], env=env or {"IMIDGRAPH_NEO4J_HOME": "/nonexistent"})
    assert result.exit_code == 0, result.output
    return result.output, result.output.split("Paste into the Browser:\n\n")[1].strip()


def said(kg, relation_id: str) -> str:
    r = kg.relation(relation_id)
    return f"{kg.name(r.subject)} {r.predicate} {kg.name(r.object)}"


# --------------------------------------------------------------------------- what is printed (no server)


def test_browser_prints_a_drugs_mechanism_and_the_setting_that_keeps_it_a_mechanism(kg):
    output, cypher = printed_cypher(["lenalidomide"])
    assert "Settings: run   :config autoComplete: false   once, so that Browser draws only the relationships" in output
    rows = browser.mechanism(kg, LENALIDOMIDE)
    assert [r.says for r in rows] == LENALIDOMIDE_MECHANISM
    assert cypher == browser.paths_cypher(
        "lenalidomide: its mechanism, drug -> target (ligase) -> neosubstrate -> effector -> cell -> disease: "
        f"15 paths, 19 entities ({len(kg.relations_of(LENALIDOMIDE))} relations in all: --all)",
        rows,
    )
    for row in rows:  # each path follows its relations end to end from the drug
        here = LENALIDOMIDE
        for relation_id, predicate in row.path.steps:
            r = kg.relation(relation_id)
            assert r.predicate == predicate and here in (r.subject, r.object)
            here = r.object if r.subject == here else r.subject
    assert printed_cypher(["lenalidomide", "--all"])[1] == browser.neighbourhood_cypher(LENALIDOMIDE, "lenalidomide")


def test_every_drug_hub_is_drawn_by_at_most_forty_entities(kg):
    for entity in kg.entities:
        neighbours = {e for r in kg.relations_of(entity.id) for e in (r.subject, r.object)}
        if len(neighbours) > browser.MAX_NODES:
            rows = browser.mechanism(kg, entity.id)
            assert rows and len(browser.paths.row_entities(kg, rows)) <= browser.MAX_NODES, entity.name


def test_a_hub_of_no_mechanism_shows_one_relation_to_each_of_the_neighbours_that_fit(kg):
    mm = kg.entity("multiple myeloma")
    cypher = browser.entity_cypher(kg, mm.id, max_nodes=8)
    says = re.findall(r"says: '([^']*)'", cypher)
    assert says == [  # each predicate in turn, its best supported neighbour first
        "multiple myeloma <-active_preclinically_in- MOR202",
        "multiple myeloma <-approved_for- anti-CD38 monoclonal antibody",
        "multiple myeloma <-concerns- Do new agents against IMiD resistance in myeloma work safely in patients?",
        "multiple myeloma <-contributes_to- IL6",
        "multiple myeloma <-studied_clinically_for- DRd",
        "multiple myeloma -subclass_of-> B-cell neoplasm",
        "multiple myeloma <-approved_for- daratumumab",
    ]  # fmt: skip
    assert cypher.startswith(f"// multiple myeloma: 7 of its {len(kg.relations_of(mm.id))} relations, one to each neighbour")
    # within the limit: every relation
    assert browser.entity_cypher(kg, mm.id) == browser.neighbourhood_cypher(mm.id, "multiple myeloma")


def test_the_explanations_cypher_lists_its_paths_in_rank_order(kg):
    e = kg.explain("lenalidomide", "del(5q) MDS")
    rows = explanation_rows(e)
    got = [(r.group, r.rank, r.kind, [said(kg, i) for i in r.path.ids], [kg.relation(c.ids[0]).predicate for c in r.cites])
           for r in rows]  # fmt: skip
    assert got == DEL5Q_ROWS
    # every relation the explanation rests on is drawn (a step shared by reasons with each), no other
    drawn = {i for r in rows for s in (r.path, *r.cites) for i in s.ids}
    assert drawn == set(e.relation_ids())
    assert e.to_cypher() == browser.paths_cypher(e.to_cypher().splitlines()[0].removeprefix("// "), rows) + "\n"


def test_the_guide_switches_connect_result_nodes_off_and_says_why():
    page = browser.guide_html()
    first = page.split("</slide>")[0]
    assert '<pre class="runnable">:config autoComplete: false</pre>' in first
    assert "Connect result nodes" in first and "ball" in first
    for step in browser.guide_steps():  # every query of ours draws paths of our relations only
        if step.commands[0].startswith(":param"):  # the catalogue's queries, as in their files: tables
            continue
        for command in step.commands:
            if command.startswith("MATCH"):
                assert re.search(r"RETURN (p|p, q|chain, target)$", command), step.title
                for clause in re.split(r"(?:OPTIONAL )?MATCH ", command)[1:]:  # each relationship ours
                    unfiltered = [r for r in re.findall(r"-\[[^\]]*\]-", clause) if f"{OWNER} IS NOT NULL" not in r]
                    assert not unfiltered or f"relationships(chain) WHERE r.{OWNER} IS NOT NULL" in clause, step.title


# --------------------------------------------------------------------------- on the server


def walk(value, nodes: dict, relationships: dict) -> None:
    """Collect the nodes and relationships a Browser would draw from one returned value."""
    import neo4j.graph

    if isinstance(value, neo4j.graph.Node):
        nodes[value.element_id] = value
    elif isinstance(value, neo4j.graph.Relationship):
        relationships[value.element_id] = value
        walk(value.start_node, nodes, relationships)
        walk(value.end_node, nodes, relationships)
    elif isinstance(value, neo4j.graph.Path):
        for node in value.nodes:
            walk(node, nodes, relationships)
        for relationship in value.relationships:
            walk(relationship, nodes, relationships)
    elif isinstance(value, list):
        for item in value:
            walk(item, nodes, relationships)


def drawn(driver, commands) -> tuple[dict, dict]:
    """Run a slide's commands (':param k => v' sets a parameter): the nodes and relationships
    its last query returns."""
    params, nodes, relationships = {}, {}, {}
    for command in commands:
        param = re.fullmatch(r":param (\w+) => '([^']*)'", command)
        if param:
            params[param.group(1)] = param.group(2)
            continue
        nodes, relationships = {}, {}
        for record in driver.execute_query(command, params, database_="neo4j").records:
            for value in record.values():
                walk(value, nodes, relationships)
    return nodes, relationships


EXPLAINED = {"explain lenalidomide del(5q) MDS": ("lenalidomide", "del(5q) MDS"),
             "explain lenalidomide rituximab": ("lenalidomide", "rituximab")}


def pictures(kg) -> dict[str, tuple[str, ...]]:
    """Every picture: name -> the commands that draw it (the guide's slides, then printed Cypher)."""
    out = {step.title: step.commands for step in browser.guide_steps() if not step.commands[0].startswith(":param")}
    out["browser lenalidomide"] = (browser.entity_cypher(kg, LENALIDOMIDE),)
    for name, pair in EXPLAINED.items():
        out[name] = (kg.explain(*pair).to_cypher(),)
    return out


@pytest.fixture(scope="module")
def on_the_server(curated, kg):
    """Each picture's commands run on the server: name -> (commands, nodes, relationships)."""
    driver = curated.get()
    return {name: (commands, *drawn(driver, commands)) for name, commands in pictures(kg).items()}


@pytest.mark.neo4j
def test_every_picture_is_at_most_forty_nodes_of_our_paths(loaded, on_the_server, kg):
    for name, (_, nodes, relationships) in on_the_server.items():
        assert all(r.get(OWNER) for r in relationships.values()), name
        assert all("Imidgraph" in n.labels for n in nodes.values()), name
        if name.startswith("explain "):  # an explanation draws what it shows: its paths and standing
            e = kg.explain(*EXPLAINED[name])
            assert sorted(r["id"] for r in relationships.values()) == sorted(e.relation_ids()), name
            ends = {end for i in e.relation_ids() for end in (kg.relation(i).subject, kg.relation(i).object)}
            assert {n["id"] for n in nodes.values()} == ends, name
        else:
            assert 0 < len(nodes) <= browser.MAX_NODES, (name, len(nodes))


@pytest.mark.neo4j
def test_the_paths_come_back_step_by_step_in_rank_order(loaded, kg):
    e = kg.explain("lenalidomide", "multiple myeloma")
    cases = [(browser.mechanism(kg, LENALIDOMIDE), browser.entity_cypher(kg, LENALIDOMIDE)),
             (explanation_rows(e), e.to_cypher())]  # fmt: skip
    for rows, cypher in cases:
        records = loaded.execute_query(cypher, database_="neo4j").records
        assert [(r["group"], r["rank"], r["kind"], r["says"]) for r in records] == [
            (row.group, row.rank, row.kind, row.says) for row in rows
        ]
        for record, row in zip(records, rows, strict=True):
            assert [x["id"] for x in record["path"].relationships] == row.path.ids
            assert record["path"].start_node["id"] == row.path.start
            assert sorted(q.relationships[0]["id"] for q in record["cites"]) == sorted(c.ids[0] for c in row.cites)


# --------------------------------------------------------------------------- in the Browser


def close(frame) -> None:
    """Close a counted frame: the Browser keeps laying out every graph frame it shows."""
    frame.locator("[title=Close]").first.click()


def named(caption: str, names: set[str]) -> bool:
    """A caption is one of the names, or the start of one cut short to fit its node ('lenalido…')."""
    return caption in names or (caption.endswith("…") and any(n.startswith(caption[:-1]) for n in names))


def count_drawn(frame, nodes: int) -> tuple[int, int, list[str]]:
    """Wait until the frame's graph has ``nodes`` nodes drawn; (nodes, relationships, captions)."""
    frame.locator("svg g.node").first.wait_for(timeout=30_000)
    frame.page.wait_for_function(
        "([el, n]) => el.querySelectorAll('svg g.node').length === n", arg=[frame.element_handle(), nodes], timeout=30_000
    )
    captions = frame.locator("svg g.node").evaluate_all(
        "els => els.map(e => Array.from(e.querySelectorAll('text')).map(t => t.textContent.trim()).join(' '))"
    )
    return frame.locator("svg g.node").count(), frame.locator("svg g.relationship").count(), captions


@pytest.mark.neo4j
@pytest.mark.chromium
def test_the_browser_draws_each_picture_as_its_paths_and_nothing_more(chromium, neo4j_server, loaded, on_the_server, kg, monkeypatch):
    """One Browser session: play the guide (its style link, its setting, one click on each
    slide's play button), then paste what `imidgraph browser` prints; count what is drawn."""
    monkeypatch.setenv("IMIDGRAPH_NEO4J_HOME", TEST_HOME)
    shown = {name: commands for name, (commands, _, _) in on_the_server.items()}
    expected = {name: (len(nodes), len(relationships), {n["name"] for n in nodes.values()})
                for name, (_, nodes, relationships) in on_the_server.items()}  # fmt: skip
    steps = browser.guide_steps()
    context, page = browser_page(chromium, neo4j_server, browser.browser_address(neo4j_server.settings))
    counted, colours = {}, {}
    try:
        with browser.AssetServer(0) as assets:
            run_in_editor(page, f":play {assets.url('guide.html')}")
            carousel = page.locator("[data-testid=carousel]").first
            carousel.get_by_text("apply the imidgraph style").click()
            newest_frame(page, ":style node {")
            carousel = page.locator("[data-testid=carousel]").first
            carousel.locator("pre.runnable", has_text="autoComplete").locator("i").first.click()
            config = newest_frame(page, ":config autoComplete")
            config.get_by_text('"autoComplete": false').wait_for()  # the settings it now has
            for number, step in enumerate(steps, start=2):
                if step.title not in expected:
                    continue
                carousel = page.locator("[data-testid=carousel]").first
                carousel.locator(f"li[aria-label='{number}']").click()
                carousel.get_by_text(f"{number} / {len(steps) + 1}").wait_for()
                assert carousel.locator("h3").inner_text() == html.unescape(step.title)
                carousel.locator("pre.runnable i").first.click()  # the play button: one click
                frame = newest_frame(page, step.commands[0].splitlines()[0][:40])
                counted[step.title] = count_drawn(frame, expected[step.title][0])
                if step.title in STEP_NAMES:
                    colours[step.title] = fills(frame, STEP_NAMES[step.title])
                page.screenshot(path=str(artefact(f"browser-slide-{number - 1:02d}.png")))
                close(frame)
        # what `imidgraph browser` prints, played as slides of a guide of its own (typing long
        # text into the Browser's editor takes far longer than a click)
        printed = ["browser lenalidomide", *EXPLAINED]
        slides = "\n".join(f'<slide><h3>{html.escape(name)}</h3><pre class="runnable">{html.escape(shown[name][0], quote=False)}</pre></slide>'
                           for name in printed)  # fmt: skip
        page_text = f'<article class="guide"><carousel class="deck container-fluid">\n{slides}\n</carousel></article>'
        monkeypatch.setattr(browser, "assets", lambda: {"printed.html": ("text/html; charset=utf-8", page_text)})
        with browser.AssetServer(0) as assets:
            run_in_editor(page, f":play {assets.url('printed.html')}")
            for number, name in enumerate(printed, start=1):
                carousel = page.locator("[data-testid=carousel]").first
                carousel.locator(f"li[aria-label='{number}']").click()
                carousel.get_by_text(f"{number} / {len(printed)}").wait_for()
                carousel.locator("pre.runnable i").first.click()
                frame = newest_frame(page, shown[name][0].splitlines()[0][:40])
                counted[name] = count_drawn(frame, expected[name][0])
                page.screenshot(path=str(artefact(f"browser-{name.replace(' ', '-').replace('(', '').replace(')', '')}.png")))
                close(frame)
    finally:
        context.__exit__(None, None, None)
    for name, (nodes, relationships, names) in expected.items():
        drawn_nodes, drawn_relationships, captions = counted[name]
        assert (drawn_nodes, drawn_relationships) == (nodes, relationships), name  # no relationship added
        assert all(named(caption, names) for caption in captions), (name, captions)  # captions are names
        if name in STEP_NAMES:  # the slides of test_browser.py: those names, in the style's colours
            assert full_names(captions, STEP_NAMES[name]) == STEP_NAMES[name], name
            assert colours[name] == {n: style.node_style(kg.entity(n).category).colour for n in STEP_NAMES[name]}, name
