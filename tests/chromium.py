"""Headless Chromium for the picture tests: Debian's chromium, driven by Playwright.

Playwright (a dev dependency from PyPI) only drives the browser; it downloads none. The
browser is ``$IMIDGRAPH_CHROMIUM``, else the first of chromium / chromium-browser found on
PATH (``make test`` installs Debian's ``chromium`` when it is missing). If it cannot start,
the tests that need it fail and say why: they are never skipped.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from urllib.parse import urlsplit

import pytest

ROOT = Path(__file__).resolve().parent.parent
ARTEFACTS = ROOT / "test-artifacts" / "pictures"

# the flags of ../shared/NEO4J-LOCAL.md; Playwright adds --headless and a fresh --user-data-dir
FLAGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
LOCAL_HOSTS = ("127.0.0.1", "localhost")


def executable() -> str | None:
    env = os.environ.get("IMIDGRAPH_CHROMIUM")
    if env:
        return env
    for name in ("chromium", "chromium-browser"):
        found = shutil.which(name)
        if found:
            return found
    return None


def artefact(name: str) -> Path:
    """Where a test keeps a screenshot (``test-artifacts/pictures/``, not committed)."""
    ARTEFACTS.mkdir(parents=True, exist_ok=True)
    return ARTEFACTS / name


class Chromium:
    """One headless Chromium for the session; every test gets a fresh context (profile state)."""

    def __init__(self) -> None:
        try:
            from playwright.sync_api import Error, sync_playwright
        except ImportError:
            sync_playwright = None
        if sync_playwright is None:
            pytest.fail("headless Chromium tests need Playwright: pip install -e '.[dev]'", pytrace=False)
        path = executable()
        if path is None:
            pytest.fail(
                "headless Chromium not found: install Debian's chromium (apt-get install chromium) "
                "or set IMIDGRAPH_CHROMIUM",
                pytrace=False,
            )
        self._manager = sync_playwright()
        self._playwright = self._manager.start()
        problem = None
        try:
            self.browser = self._playwright.chromium.launch(executable_path=path, headless=True, args=FLAGS)
        except Error as e:
            problem = str(e).strip().splitlines()[0] if str(e).strip() else type(e).__name__
        if problem is not None:
            self._manager.__exit__(None, None, None)
            pytest.fail(f"headless Chromium ({path}) could not start: {problem}", pytrace=False)

    @contextmanager
    def page(self, *, allow_hosts: tuple[str, ...] = (), width: int = 1200, height: int = 800) -> Iterator:
        """A page in a fresh context whose requests leave only for ``allow_hosts`` (and file:).

        Every other request is aborted and recorded in ``page.blocked``; ``page.problems``
        collects page errors and console errors.
        """
        context = self.browser.new_context(viewport={"width": width, "height": height})
        blocked: list[str] = []
        problems: list[str] = []

        def route(request_route) -> None:
            url = request_route.request.url
            parts = urlsplit(url)
            if parts.scheme in ("file", "data") or parts.hostname in allow_hosts:
                request_route.continue_()
            else:
                blocked.append(url)
                request_route.abort()

        context.route("**/*", route)
        page = context.new_page()
        page.on("pageerror", lambda error: problems.append(f"page error: {error}"))
        page.on("console", lambda m: problems.append(f"console: {m.text}") if m.type == "error" else None)
        page.blocked = blocked
        page.problems = problems
        try:
            yield page
        finally:
            context.close()

    def close(self) -> None:
        self.browser.close()
        self._manager.__exit__(None, None, None)
