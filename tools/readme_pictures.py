"""Draw the README's offline pictures again from the current graph: ``python tools/readme_pictures.py``.

Each picture is the page ``imidgraph view`` writes, opened in headless Chromium (Debian's
``chromium`` or ``$IMIDGRAPH_CHROMIUM``, driven by Playwright, as the picture tests do) and
saved to ``docs/img/``. tests/test_readme_numbers.py checks that every picture the README
shows is made here and that the counts its captions state are those of the current graph.
"""

from __future__ import annotations

import os
import shutil
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
IMAGES = ROOT / "docs" / "img"

# file -> (the arguments of ``imidgraph view``, window size, the edge to click, if any)
PICTURES: dict[str, tuple[tuple[str, ...], tuple[int, int], str | None]] = {
    "view-lenalidomide.png": (("lenalidomide",), (1400, 900), None),
    "view-csnk1a1.png": (("CSNK1A1",), (1200, 800), "CHEBI:63791|degrades|HGNC:2451"),
    "view-explain-del5q.png": (("--explain", "lenalidomide", "del(5q) MDS"), (1200, 800),
                               "IMIDGRAPH:chromosome-5q-deletion|decreases|HGNC:2451"),  # fmt: skip
}


def chromium() -> str:
    found = os.environ.get("IMIDGRAPH_CHROMIUM") or shutil.which("chromium") or shutil.which("chromium-browser")
    if not found:
        sys.exit("headless Chromium not found: install chromium or set IMIDGRAPH_CHROMIUM")
    return found


def main() -> None:
    from click.testing import CliRunner
    from playwright.sync_api import sync_playwright

    from imidgraph.cli import main as cli

    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as playwright:
        browser = playwright.chromium.launch(executable_path=chromium(), headless=True,
                                             args=["--no-sandbox", "--disable-gpu"])  # fmt: skip
        for name, (args, (width, height), edge) in PICTURES.items():
            page_file = Path(tmp) / (Path(name).stem + ".html")
            result = CliRunner().invoke(cli, ["view", *args, "--out", str(page_file)])
            if result.exit_code != 0:
                sys.exit(result.output)
            page = browser.new_page(viewport={"width": width, "height": height})
            page.goto(page_file.as_uri())
            page.locator("body[data-ready=true]").wait_for(timeout=30_000)
            if edge:
                page.evaluate("(id) => imidgraph.select(id)", edge)
            page.screenshot(path=str(IMAGES / name))
            page.close()
            print(f"{IMAGES / name}: {result.output.strip()}")
        browser.close()


if __name__ == "__main__":
    main()
