"""Neo4j Browser: the style, the guide, the Cypher `imidgraph browser` prints, and the real
Browser served by the test server, driven in headless Chromium."""

from __future__ import annotations

import html
import re
import subprocess
import sys
import urllib.error
import urllib.request
from urllib.parse import urlsplit

import pytest
from click.testing import CliRunner

from imidgraph import browser, schema, style
from imidgraph.cli import main
from imidgraph.graph import load
from imidgraph.neo4j import connect
from imidgraph.view import neighbourhood

from .chromium import artefact
from .conftest import ROOT, SEEDS, TEST_HOME


@pytest.fixture(scope="module")
def kg():
    return load(SEEDS)


def parse_grass(text: str) -> dict[str, dict[str, str]]:
    """GraSS read the way Neo4j Browser 5.24 reads it (its parseGrass, character by character):
    quotes are dropped, braces inside quotes kept, and a property needs exactly one colon."""
    in_quote = in_rule = nested = False
    selector = body = ""
    raw: dict[str, str] = {}
    for ch in text:
        consumed = True
        if ch == "{":
            if in_quote:
                consumed = False
            elif in_rule:
                nested = True
            else:
                in_rule = True
        elif ch == "}":
            if in_quote:
                consumed = False
            elif nested:
                nested = False
            else:
                in_rule = False
                raw[selector] = body
                selector = body = ""
        elif ch in "'\"":
            in_quote = not in_quote
        else:
            consumed = False
        if not consumed:
            if in_rule:
                body += ch
            elif not ch.isspace():
                selector += ch
    rules = {}
    for name, text_ in raw.items():
        props = {}
        for item in text_.split(";"):
            parts = item.split(":")
            if len(parts) == 2:
                props[parts[0].strip()] = parts[1].strip()
        rules[name] = props
    return rules


# --------------------------------------------------------------------------- the style


def test_the_style_covers_every_category_and_relationship_type():
    rules = parse_grass(style.grass())
    for category in schema.CATEGORIES:
        rule = rules[f"node.{category}"]
        assert rule["caption"] == "{name}", category
        assert re.fullmatch(r"#[0-9A-F]{6}", rule["color"]) and rule["diameter"].endswith("px"), category
    for predicate in schema.PREDICATES:
        rule = rules[f"relationship.{schema.rel_type(predicate)}"]
        assert rule["caption"] == "<type>" and re.fullmatch(r"#[0-9A-F]{6}", rule["color"]), predicate
    assert set(rules) == {"node", "relationship", "node.Imidgraph", "node.ImidgraphLoad"} | {
        f"node.{c}" for c in schema.CATEGORIES
    } | {f"relationship.{schema.rel_type(p)}" for p in schema.PREDICATES}


def test_categories_have_distinct_colours_and_drugs_are_largest():
    rules = parse_grass(style.grass())
    colours = [rules[f"node.{c}"]["color"] for c in schema.CATEGORIES]
    assert len(set(colours)) == len(colours)
    sizes = {c: int(rules[f"node.{c}"]["diameter"].removesuffix("px")) for c in schema.CATEGORIES}
    assert sizes["Drug"] == max(sizes.values()) and list(sizes.values()).count(sizes["Drug"]) == 1


def test_generic_rules_come_first_so_the_category_rules_win():
    text = style.grass()
    order = [m.group(1) for m in re.finditer(r"^(\S+) \{", text, re.M)]
    assert order[:3] == ["node", "relationship", "node.Imidgraph"]
    assert "/*" not in text and "//" not in text  # the Browser's GraSS reader knows no comments


def test_the_committed_style_and_guide_are_the_generated_ones():
    for name, (_, text) in browser.assets().items():
        committed = (ROOT / "cypher" / name).read_text(encoding="utf-8")
        assert committed == text, f"cypher/{name} is stale: run 'python -m imidgraph.browser'"


# --------------------------------------------------------------------------- the guide


def test_the_guide_walks_the_mechanism_in_order():
    titles = [step.title.lower() for step in browser.guide_steps()]
    words = ["drug", "cereblon", "neosubstrates", "effectors", "cells", "indications"]
    positions = [next(i for i, t in enumerate(titles) if word in t) for word in words]
    assert positions == sorted(positions)
    assert all(step.commands for step in browser.guide_steps())


def test_the_guide_names_real_entities(kg):
    text = "\n".join(c for step in browser.guide_steps() for c in step.commands)
    names = set(re.findall(r"name: '([^']+)'", text))
    for listed in re.findall(r"name IN \[([^\]]+)\]", text):
        names |= set(re.findall(r"'([^']+)'", listed))
    assert names >= {"lenalidomide", "CRBN", "IKZF1", "IKZF3", "IRF4", "MYC", "IL2"}
    entity_names = {e.name for e in kg.entities}
    assert names <= entity_names, names - entity_names
    curies = set(re.findall(r"'([A-Za-z.]+:[^']+)'", text))
    assert curies == {"HGNC:2451", "CHEBI:63791", "HGNC:13176"}
    assert all(c in kg.facts.entities for c in curies)


def test_the_guide_runs_the_catalogue_queries_as_they_are_in_their_files():
    from imidgraph.catalogue import read_catalogue

    commands = [c for step in browser.guide_steps() for c in step.commands]
    catalogue = read_catalogue(ROOT / "cypher")
    assert catalogue["drug_targets"].cypher in commands
    assert catalogue["downstream"].cypher in commands


def test_the_guide_html_has_a_runnable_block_per_command_and_a_style_link():
    page = browser.guide_html()
    blocks = re.findall(r'<pre class="runnable">(.*?)</pre>', page, re.S)
    assert len(blocks) == sum(len(s.commands) for s in browser.guide_steps()) + 1  # and the setting's
    assert html.unescape(blocks[0]) == browser.CONFIG_COMMAND
    assert page.count("<slide") == len(browser.guide_steps()) + 1
    exec_style = re.search(r'data-exec="style ([^"]*)"', page)
    assert parse_grass(html.unescape(exec_style.group(1))) == parse_grass(style.grass())


# --------------------------------------------------------------------------- Cypher to paste


def test_cypher_strings_are_quoted_safely():
    assert browser.cypher_string("it's a \\ test") == "'it\\'s a \\\\ test'"
    assert browser.cypher_list(["a", "b"]) == "['a', 'b']"


def test_neighbourhood_and_subgraph_cypher_read_as_expected():
    assert browser.neighbourhood_cypher("HGNC:2451", "CSNK1A1") == (
        "// CSNK1A1: every relation in or out\n"
        "MATCH p = (n:Imidgraph {id: 'HGNC:2451'})-[r WHERE r.imidgraph_load IS NOT NULL]-(m:Imidgraph)\nRETURN p"
    )
    assert browser.subgraph_cypher(["B:2", "A:1"], ["r1"], "two") == (
        "// two\nMATCH (n:Imidgraph) WHERE n.id IN ['A:1', 'B:2']\n"
        "OPTIONAL MATCH (n)-[r WHERE r.imidgraph_load IS NOT NULL]->(m:Imidgraph) WHERE r.id IN ['r1']\nRETURN n, r, m"
    )


@pytest.mark.parametrize(
    "uri, user, database, browser_url, expected",
    [
        ("bolt://127.0.0.1:1", "neo4j", "neo4j", None, "http://127.0.0.1:7474/browser/?dbms=bolt://neo4j@127.0.0.1:1"),
        ("neo4j://db.example.org:7687", "alice", "neo4j", None,
         "http://db.example.org:7474/browser/?dbms=neo4j://alice@db.example.org:7687"),
        ("neo4j+s://abcd1234.databases.neo4j.io", "neo4j", "neo4j", None,
         "https://browser.neo4j.io/?dbms=neo4j%2Bs://neo4j@abcd1234.databases.neo4j.io:7687"),
        ("bolt+s://db.example.org:7687", "neo4j", "kg", None,
         "https://db.example.org:7473/browser/?dbms=bolt%2Bs://neo4j@db.example.org:7687&db=kg"),
        ("bolt://127.0.0.1:7687", "neo4j", "neo4j", "http://host:9999/browser/",
         "http://host:9999/browser/?dbms=bolt://neo4j@127.0.0.1:7687"),
    ],
)  # fmt: skip
def test_the_browser_address_follows_the_connection(uri, user, database, browser_url, expected, tmp_path, monkeypatch):
    monkeypatch.setenv("IMIDGRAPH_NEO4J_HOME", str(tmp_path / "no-server"))  # no local server runs there
    settings = connect.Settings(uri=uri, user=user, database=database)
    assert browser.browser_address(settings, browser_url) == expected


def test_browser_prints_address_style_guide_and_cypher_without_a_server(tmp_path):
    env = {"IMIDGRAPH_NEO4J_HOME": str(tmp_path / "none"), "NEO4J_PASSWORD": "", "NEO4J_URI": ""}
    result = CliRunner().invoke(main, ["browser", "CK1α", "--uri", "bolt://127.0.0.1:1"], env=env)
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    assert lines[0] == "Neo4j Browser: http://127.0.0.1:7474/browser/?dbms=bolt://neo4j@127.0.0.1:1"
    assert lines[1] == "  connect as neo4j; the password is not set (set NEO4J_PASSWORD)"
    assert f"Style: drag {ROOT / 'cypher' / 'style.grass'} onto the Browser window" in lines
    assert "then   :play http://localhost:7480/guide.html" in result.output
    assert result.output.endswith(browser.neighbourhood_cypher("HGNC:2451", "CSNK1A1") + "\n")


def test_browser_with_depth_prints_the_capped_subgraph(kg):
    result = CliRunner().invoke(main, ["browser", "IKZF1", "--depth", "2", "--max-relations", "30"])
    assert result.exit_code == 0, result.output
    sub = neighbourhood(kg, "IKZF1", depth=2, max_relations=30)
    label = f"IKZF1: 30 relations up to 2 steps out ({sub.omitted} more left out)"
    assert result.output.endswith(browser.subgraph_cypher(sub.entities, sub.relations, label) + "\n")


def test_browser_prints_the_cypher_of_an_explanation(kg):
    result = CliRunner().invoke(main, ["browser", "--explain", "lenalidomide", "rituximab"])
    assert result.exit_code == 0, result.output
    assert result.output.endswith(kg.explain("lenalidomide", "rituximab").to_cypher())
    both = CliRunner().invoke(main, ["browser", "CSNK1A1", "--explain", "lenalidomide", "rituximab"])
    assert both.exit_code == 2 and "not both" in both.output


def test_browser_unknown_name_is_one_line():
    result = CliRunner().invoke(main, ["browser", "lenalidomid"])
    assert result.exit_code == 1
    assert result.output.startswith("Error: no entity named 'lenalidomid'; did you mean: lenalidomide")
    assert len(result.output.strip().splitlines()) == 1


def test_browser_and_view_do_not_import_the_neo4j_driver(tmp_path):
    code = (
        "import sys\n"
        "from imidgraph.cli import main\n"
        f"main(['browser', 'CRBN', '--depth', '2'], standalone_mode=False)\n"
        f"main(['view', 'CRBN', '--out', {str(tmp_path / 'crbn.html')!r}], standalone_mode=False)\n"
        "print('neo4j' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "False"


def test_the_asset_server_serves_guide_and_style_with_cors():
    with browser.AssetServer(0) as server:
        for name, (kind, text) in browser.assets().items():
            with urllib.request.urlopen(f"http://127.0.0.1:{server.port}/{name}", timeout=10) as response:
                assert response.headers["Access-Control-Allow-Origin"] == "*"
                assert response.headers["Content-Type"] == kind
                assert response.read().decode("utf-8") == text
        with pytest.raises(urllib.error.HTTPError) as missing:
            urllib.request.urlopen(f"http://127.0.0.1:{server.port}/etc/passwd", timeout=10)
        missing.value.close()
        assert missing.value.code == 404


def test_browser_serve_prints_the_play_and_style_commands_and_serves_them():
    command = [sys.executable, "-m", "imidgraph.cli", "browser", "--serve", "--port", "0"]
    with subprocess.Popen(command, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True) as process:
        try:
            lines = []
            for line in process.stdout:
                lines.append(line.rstrip("\n"))
                if line.startswith("serving"):
                    break
            play = next(line for line in lines if ":play " in line).split(":play ")[1]
            grass = next(line for line in lines if ":style " in line).split(":style ")[1]
            assert re.fullmatch(r"http://localhost:\d+/guide\.html", play)
            assert grass == play.replace("guide.html", "style.grass")
            with urllib.request.urlopen(play.replace("localhost", "127.0.0.1"), timeout=10) as response:
                assert response.read().decode("utf-8") == browser.guide_html()
        finally:
            process.terminate()
            process.wait(timeout=10)


def test_browser_serve_on_a_busy_port_is_one_line():
    with browser.AssetServer(0) as busy:
        result = CliRunner().invoke(main, ["browser", "--serve", "--port", str(busy.port)])
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: cannot serve on 127.0.0.1:{busy.port}: ")
    assert result.output.rstrip().endswith("(choose another with --port)")


# --------------------------------------------------------------------------- on Neo4j


def run_commands(driver, commands):
    """Run a step's commands as the Browser does: ':param k => v' sets a parameter."""
    params, results = {}, []
    for command in commands:
        param = re.fullmatch(r":param (\w+) => '([^']*)'", command)
        if param:
            params[param.group(1)] = param.group(2)
            continue
        results.append(driver.execute_query(command, params, database_="neo4j"))
    return results


def drawn_names(records) -> set[str]:
    """The names of the nodes a Browser would draw for these records."""
    import neo4j.graph

    found = set()

    def walk(value):
        if isinstance(value, neo4j.graph.Node):
            found.add(value["name"])
        elif isinstance(value, neo4j.graph.Relationship):
            walk(value.start_node)
            walk(value.end_node)
        elif isinstance(value, neo4j.graph.Path):
            for node in value.nodes:
                walk(node)
        elif isinstance(value, list):
            for item in value:
                walk(item)

    for record in records:
        for value in record.values():
            walk(value)
    return found


# what each step draws, written out from the seeds
STEP_NAMES = {
    "1. The drug": {"lenalidomide", "IMiD", "second-generation IMiD", "thalidomide"},
    "3. Cereblon &rarr; neosubstrates": {
        "lenalidomide", "pomalidomide", "CC-885", "IKZF1", "IKZF3", "CSNK1A1", "PLK1"},
    # GZMB: Aiolos holds granzyme B down in NK cells (guo2022 3.2.2), a mechanism step since issue 20
    "4. Neosubstrates &rarr; effectors": {"IKZF1", "IKZF3", "IRF4", "MYC", "IL2", "GZMB"},
    "8. The whole chain": {
        "lenalidomide", "CRBN", "IKZF1", "IKZF3", "IRF4", "MYC", "myeloma cell", "multiple myeloma"},
}  # fmt: skip


@pytest.mark.neo4j
def test_every_guide_step_runs_on_neo4j_and_finds_something(loaded):
    for step in browser.guide_steps():
        results = run_commands(loaded, step.commands)
        assert results and all(r.records for r in results), step.title
        if step.title in STEP_NAMES:
            assert drawn_names(results[-1].records) == STEP_NAMES[step.title], step.title
    step2 = next(s for s in browser.guide_steps() if s.title.startswith("2."))
    assert {"CRBN", "CRL4-CRBN", "lenalidomide", "glutarimide ring"} <= drawn_names(
        run_commands(loaded, step2.commands)[0].records
    )


@pytest.mark.neo4j
def test_the_printed_cypher_draws_exactly_the_subgraph(loaded, kg):
    rows = loaded.execute_query(browser.neighbourhood_cypher("HGNC:2451"), database_="neo4j").records
    assert {r["p"].relationships[0]["id"] for r in rows} == {r.id for r in kg.relations_of("CSNK1A1")}
    sub = neighbourhood(kg, "IKZF1", depth=2, max_relations=30)
    rows = loaded.execute_query(browser.subgraph_cypher(sub.entities, sub.relations), database_="neo4j").records
    assert {r["n"]["id"] for r in rows} == set(sub.entities)
    assert {r["r"]["id"] for r in rows if r["r"] is not None} == set(sub.relations)


# --------------------------------------------------------------------------- the real Browser


def browser_page(chromium, neo4j_server, address):
    """Open the Browser at ``address`` and connect with the test password."""
    page_context = chromium.page(allow_hosts=("127.0.0.1", "localhost"), width=1200, height=800)
    page = page_context.__enter__()
    page.goto(address)
    page.fill("[data-testid=password]", neo4j_server.info.password)
    page.click("[data-testid=connect]")
    page.wait_for_selector("text=You are connected as user", timeout=30_000)
    return page_context, page


def run_in_editor(page, command):
    editor = page.locator("[data-testid=activeEditor]")
    editor.click()
    page.keyboard.insert_text(command)  # no typing: no autocompletion, no auto-closed brackets
    page.keyboard.press("Control+Enter")


def newest_frame(page, command_start: str):
    frame = page.locator("[data-testid=frame]").first
    frame.locator("[data-testid=frameCommand]", has_text=command_start).wait_for(timeout=20_000)
    return frame


_CAPTION = "e => Array.from(e.querySelectorAll('text')).map(t => t.textContent.trim()).join(' ')"


def captions(frame, count: int | None = None) -> list[str]:
    """The node captions the Browser drew (its SVG; long ones on several lines), once drawn."""
    frame.locator("svg g.node").first.wait_for(timeout=20_000)
    if count is not None:
        frame.page.wait_for_function(
            "([el, n]) => el.querySelectorAll('svg g.node').length === n", arg=[frame.element_handle(), count]
        )
    return frame.locator("svg g.node").evaluate_all(f"els => els.map({_CAPTION})")


def full_names(drawn: list[str], names: set[str]) -> set[str]:
    """Captions cut short to fit a node ('lenalido…') read back as the names they start."""
    found = set()
    for caption in drawn:
        prefix = caption.removesuffix("…")
        matches = {n for n in names if (n == caption) or (caption.endswith("…") and n.startswith(prefix))}
        assert len(matches) == 1, (caption, matches)
        found |= matches
    return found


def fills(frame, names: set[str]) -> dict[str, str]:
    """Node name -> the fill colour the Browser drew it with."""
    rows = frame.locator("svg g.node").evaluate_all(
        f"els => els.map(e => [({_CAPTION})(e), e.querySelector('circle.b-outline').getAttribute('fill')])"
    )
    return {full_names([caption], names).pop(): fill for caption, fill in rows}


@pytest.mark.neo4j
@pytest.mark.chromium
def test_the_browser_connects_and_draws_what_imidgraph_browser_prints(chromium, neo4j_server, loaded, kg):
    # the test server is found by its home, as 'imidgraph neo4j start' finds its own
    env = {**neo4j_server.env(), "IMIDGRAPH_NEO4J_HOME": TEST_HOME}
    printed = CliRunner().invoke(main, ["browser", "CSNK1A1"], env=env)
    assert printed.exit_code == 0, printed.output
    address = printed.output.splitlines()[0].removeprefix("Neo4j Browser: ")
    assert address == f"{neo4j_server.info.http_uri}/browser/?dbms={neo4j_server.info.bolt_uri.replace('//', '//neo4j@')}"
    cypher = printed.output.split("Paste into the Browser:\n\n")[1].strip()
    context, page = browser_page(chromium, neo4j_server, address)
    try:
        with browser.AssetServer(0) as assets:
            run_in_editor(page, f":style {assets.url('style.grass')}")
            newest_frame(page, ":style").get_by_text("node.Drug").wait_for()
        run_in_editor(page, cypher)
        frame = newest_frame(page, "MATCH p = (n:Imidgraph {id: 'HGNC:2451'})")
        # the HSPCs: CK1α holds their expansion back (guo2022 2.2), a mechanism step since issue 20
        expected = {"CSNK1A1", "lenalidomide", "CRL4-CRBN", "chromosome 5q deletion", "hematopoietic stem and progenitor cell"}
        assert full_names(captions(frame, count=5), expected) == expected
        colours = fills(frame, expected)  # the imidgraph style is in use
        assert colours == {name: style.node_style(kg.entity(name).category).colour for name in expected}
        relationship_captions = set(frame.locator("svg g.relationship text").all_text_contents())
        assert {"DEGRADES", "DECREASES"} <= relationship_captions
        frame.get_by_text("Displaying 5 nodes").wait_for()
        page.screenshot(path=str(artefact("browser-csnk1a1.png")))
        assert all(urlsplit(url).hostname not in ("127.0.0.1", "localhost") for url in page.blocked)
    finally:
        context.__exit__(None, None, None)
