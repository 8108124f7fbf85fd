"""imidgraph serve as people use it: headless Chromium (tests/chromium.py) against the application
on uvicorn in a thread: type a question and follow it to its explanation, click an edge of its
picture for the citation, take a suggestion to an entity and open a citation, run a catalogue
query and download its CSV. Nothing is fetched from anywhere but this server, and the pages'
policy refuses nothing they need (a refusal is a console error)."""

from __future__ import annotations

import socket
import threading
import time

import pytest
import uvicorn
from click.testing import CliRunner

from imidgraph.cli import main
from imidgraph.serve import create_app

pytestmark = pytest.mark.chromium


@pytest.fixture(scope="module")
def server(kg):
    """The application on uvicorn, in a thread, on a free port of 127.0.0.1."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    config = uvicorn.Config(create_app(lambda: kg), host="127.0.0.1", port=port, log_level="warning", lifespan="on")
    running = uvicorn.Server(config)
    thread = threading.Thread(target=running.run, daemon=True)
    thread.start()
    for _ in range(400):
        if running.started:
            break
        time.sleep(0.05)
    assert running.started, "uvicorn did not start"
    yield f"http://127.0.0.1:{port}"
    running.should_exit = True
    thread.join(timeout=10)


def settled(page) -> None:
    assert page.blocked == [], page.blocked
    assert page.problems == [], page.problems


def click_edge(frame, key: str) -> None:
    """Click the picture where the edge is drawn (Cytoscape's own hit test picks it), at points
    along it until a click selects it."""
    graph = frame.locator("#graph")
    for f in (None, 0.5, 0.4, 0.6, 0.3, 0.7, 0.2, 0.8, 0.1, 0.9):
        x, y = frame.evaluate(
            """([key, f]) => { const e = imidgraph.cy.getElementById(key);
                        if (f === null) { const m = e.renderedMidpoint(); return [m.x, m.y]; }
                        const a = e.renderedSourceEndpoint(), b = e.renderedTargetEndpoint();
                        return [a.x + f * (b.x - a.x), a.y + f * (b.y - a.y)]; }""",
            [key, f],
        )
        graph.click(position={"x": x, "y": y})
        if frame.evaluate("key => imidgraph.cy.getElementById(key).selected()", key):
            return
    raise AssertionError(f"no click on the drawn edge {key} selects it")


def test_a_typed_question_leads_to_its_explanation_whose_picture_cites_an_edge(chromium, server):
    with chromium.page(allow_hosts=("127.0.0.1",)) as page:
        page.goto(server + "/")
        box = page.locator("#q")
        box.press_sequentially("why does lenalidomide help del(5", delay=15)
        offered = page.locator("#suggestions a.suggestion").first
        offered.wait_for(timeout=15_000)
        assert offered.inner_text().startswith("why does lenalidomide help ")
        box.press_sequentially("q) MDS")
        box.press("Enter")
        page.wait_for_url("**/explain?drug=lenalidomide&target=del%285q%29+MDS", timeout=30_000)
        assert page.locator("h1").inner_text() == "Why lenalidomide → myelodysplastic syndrome with isolated del(5q)"
        assert page.locator("#paths ol.paths > li").count() == 3
        page.locator("#paths details.cite summary").first.click()  # a citation, one click away
        assert page.locator("#paths details.cite[open] .paraphrase").first.is_visible()

        frame = page.frame_locator("figure.picture iframe")
        frame.locator("body[data-ready=true]").wait_for(timeout=30_000)
        picture = next(f for f in page.frames if "/picture/explain" in f.url)
        click_edge(picture, "CHEBI:63791|degrades|HGNC:2451")
        panel = frame.locator("#panel")
        assert panel.get_attribute("data-showing") == "CHEBI:63791|degrades|HGNC:2451"
        assert "selectively destroys CK1-alpha" in panel.inner_text()
        settled(page)


def test_a_suggestion_leads_to_the_entity_and_its_citations(chromium, server):
    with chromium.page(allow_hosts=("127.0.0.1",)) as page:
        page.goto(server + "/")
        page.locator("#q").press_sequentially("Revl", delay=15)
        offered = page.locator("#suggestions a.suggestion").first
        offered.wait_for(timeout=15_000)
        assert offered.inner_text() == "Revlimid → lenalidomide Drug"
        offered.click()
        page.wait_for_url("**/entity/CHEBI:63791", timeout=30_000)
        assert page.locator("h1").inner_text() == "lenalidomide Drug"
        first = page.locator("#p-degrades details.cite").first
        assert not first.locator(".paraphrase").is_visible()
        first.locator("summary").click()
        assert first.locator(".paraphrase").is_visible()
        page.frame_locator("figure.picture iframe").locator("body[data-ready=true]").wait_for(timeout=30_000)
        settled(page)


def test_a_catalogue_query_runs_and_downloads_its_csv(chromium, server):
    with chromium.page(allow_hosts=("127.0.0.1",)) as page:
        page.goto(server + "/queries")
        page.get_by_role("link", name="drug_targets").click()
        page.locator('form.query input[name="drug"]').fill("Revlimid")
        page.get_by_role("button", name="Run").click()
        page.wait_for_selector("table.rows tbody tr", timeout=30_000)
        with page.expect_download() as download:
            page.locator("#csv").click()
        path = download.value.path()
        expected = CliRunner().invoke(main, ["query", "drug_targets", "-p", "drug=Revlimid", "--format", "csv"]).output
        assert download.value.suggested_filename == "drug_targets.csv"
        assert path.read_text(encoding="utf-8") == expected
        settled(page)
