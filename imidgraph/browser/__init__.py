"""Neo4j Browser: where it is, the Cypher to paste for a subgraph, the style and the guide.

Nothing here needs a running server or the Neo4j driver.

* :func:`browser_address` -- the Browser's URL for the connection settings, with the Bolt
  address filled in (``?dbms=``).
* :func:`entity_cypher` (what ``imidgraph browser NAME`` prints), :func:`neighbourhood_cypher`,
  :func:`subgraph_cypher` and :func:`paths_cypher` -- Cypher that draws paths of our relations
  only: an entity's relations, a drug's :func:`mechanism`, a given subgraph, or rows of paths
  matched step by step (an explanation's reasons). :data:`CONFIG_COMMAND` switches Browser's
  *Connect result nodes* off, so that it draws only what a query returns (:mod:`.paths`).
* :func:`guide_html` (:mod:`.guide`) -- a Browser guide (``:play <url>``) that walks through the mechanism,
  drug -> CRBN -> neosubstrates -> effectors -> cells -> indications, one runnable query a
  step; ``cypher/guide.html`` is its output, ``cypher/style.grass`` that of
  :func:`imidgraph.style.grass`. ``python -m imidgraph.browser`` rewrites both.
* :class:`AssetServer` -- serves the guide and the style on ``http://localhost:<port>``, the
  host Neo4j Browser fetches remote guides and styles from without any server setting.
"""

from __future__ import annotations

import http.server
import threading
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import quote, urlsplit

from .. import style
from ..catalogue import default_dir
from ..cypher_text import cypher_list, cypher_string  # noqa: F401 (part of this module's face)
from .guide import GuideStep, guide_html, guide_steps
from .paths import (
    CONFIG_COMMAND,
    CONFIG_NOTE,
    MAX_NODES,
    Row,
    Segment,
    entity_cypher,
    mechanism,
    neighbourhood_cypher,
    paths_cypher,
    subgraph_cypher,
)

if TYPE_CHECKING:
    from ..neo4j.connect import Settings

__all__ = [
    "CONFIG_COMMAND", "CONFIG_NOTE", "MAX_NODES", "AssetServer", "GuideStep", "Row", "Segment", "assets",
    "browser_address", "entity_cypher", "grass_path", "guide_html", "guide_steps", "mechanism", "neighbourhood_cypher",
    "paths_cypher", "subgraph_cypher", "write_assets",
]  # fmt: skip

GRASS_FILE = "style.grass"
GUIDE_FILE = "guide.html"
DEFAULT_SERVE_PORT = 7480
_LOCAL_HOSTS = ("127.0.0.1", "localhost", "::1")


# --------------------------------------------------------------------------- where the Browser is


def browser_address(settings: Settings, browser_url: str | None = None) -> str:
    """The Neo4j Browser URL for ``settings``, with its connect form filled in.

    ``browser_url`` wins if given. Otherwise: the local server of ``imidgraph neo4j start``
    if it runs with this Bolt port; Aura's hosted Browser for ``*.databases.neo4j.io``;
    else port 7474 (7473 for TLS schemes) on the Bolt host. No server is contacted.
    """
    parts = urlsplit(settings.uri)
    host = parts.hostname or "127.0.0.1"
    bolt_port = parts.port or 7687
    secure = parts.scheme.endswith("+s") or parts.scheme.endswith("+ssc")
    if browser_url:
        base = browser_url
    elif host in _LOCAL_HOSTS:
        base = _local_browser(bolt_port) or "http://127.0.0.1:7474/browser/"
    elif host.endswith(".databases.neo4j.io"):
        base = "https://browser.neo4j.io/"
    else:
        base = f"{'https' if secure else 'http'}://{_url_host(host)}:{7473 if secure else 7474}/browser/"
    dbms = f"{parts.scheme}://{settings.user}@{_url_host(host)}:{bolt_port}"
    query = f"dbms={quote(dbms, safe=':/@')}"
    if settings.database != "neo4j":
        query += f"&db={quote(settings.database)}"
    return f"{base}{'&' if '?' in base else '?'}{query}"


def _url_host(host: str) -> str:
    return f"[{host}]" if ":" in host else host


def _local_browser(bolt_port: int) -> str | None:
    """The Browser of the local server (``imidgraph neo4j start``) if it serves this Bolt port."""
    # lazy on purpose: the local server's modules load only when Browser's address is asked
    # for (an explanation's Cypher, drawn by .paths, needs none of them)
    from ..neo4j import server

    status = server.status()
    if status.running and status.bolt_uri and status.bolt_uri.endswith(f":{bolt_port}"):
        return f"{status.http_uri}/browser/"
    return None


# --------------------------------------------------------------------------- files and serving


def assets() -> dict[str, tuple[str, str]]:
    """File name -> (content type, text) of what the Browser loads: the guide and the style."""
    return {
        GUIDE_FILE: ("text/html; charset=utf-8", guide_html()),
        GRASS_FILE: ("text/plain; charset=utf-8", style.grass()),
    }


def write_assets(folder: Path | None = None) -> list[Path]:
    """Write ``guide.html`` and ``style.grass`` into ``folder`` (default: ``cypher/``)."""
    folder = folder or default_dir()
    paths = []
    for name, (_, text) in assets().items():
        path = folder / name
        path.write_text(text, encoding="utf-8")
        paths.append(path)
    return paths


def grass_path() -> Path:
    """The style file users drag onto the Browser."""
    return default_dir() / GRASS_FILE


class AssetServer:
    """Serves the guide and the style on 127.0.0.1 for Neo4j Browser (which fetches from
    ``localhost`` without any server setting), with the CORS header the Browser needs.

    ``port=0`` picks a free port. Use as a context manager, or :meth:`start`/:meth:`stop`.
    """

    def __init__(self, port: int = DEFAULT_SERVE_PORT):
        files = {f"/{name}": (kind, text.encode("utf-8")) for name, (kind, text) in assets().items()}

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # the stdlib's name
                path = self.path.split("?", 1)[0]
                if path not in files:
                    self.send_error(404, "imidgraph serves only /guide.html and /style.grass")
                    return
                kind, body = files[path]
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.send_header("Access-Control-Allow-Origin", "*")
                self.send_header("Cache-Control", "no-cache")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, format: str, *args) -> None:  # quiet
                pass

        self._server = http.server.ThreadingHTTPServer(("127.0.0.1", port), Handler)
        self._thread: threading.Thread | None = None

    @property
    def port(self) -> int:
        return self._server.server_address[1]

    @property
    def base_url(self) -> str:
        return f"http://localhost:{self.port}"

    def url(self, name: str) -> str:
        return f"{self.base_url}/{name}"

    def serve_forever(self) -> None:
        self._server.serve_forever()

    def start(self) -> AssetServer:
        self._thread = threading.Thread(target=self._server.serve_forever, daemon=True)
        self._thread.start()
        return self

    def stop(self) -> None:
        if self._thread is not None:
            self._server.shutdown()
            self._thread.join()
            self._thread = None
        self._server.server_close()

    def __enter__(self) -> AssetServer:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.stop()
