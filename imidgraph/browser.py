"""Neo4j Browser: where it is, the Cypher to paste for a subgraph, the style and the guide.

Nothing here needs a running server or the Neo4j driver.

* :func:`browser_address` -- the Browser's URL for the connection settings, with the Bolt
  address filled in (``?dbms=``).
* :func:`neighbourhood_cypher` and :func:`subgraph_cypher` -- Cypher that draws an entity's
  relations, or exactly a given set of entities and relations (e.g. an explanation's paths).
* :func:`guide_html` -- a Browser guide (``:play <url>``) that walks through the mechanism,
  drug -> CRBN -> neosubstrates -> effectors -> cells -> indications, one runnable query a
  step; ``cypher/guide.html`` is its output, ``cypher/style.grass`` that of
  :func:`imidgraph.style.grass`. ``python -m imidgraph.browser`` rewrites both.
* :class:`AssetServer` -- serves the guide and the style on ``http://localhost:<port>``, the
  host Neo4j Browser fetches remote guides and styles from without any server setting.
"""

from __future__ import annotations

import html
import http.server
import threading
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import quote, urlsplit

from . import style
from .catalogue import default_dir, read_catalogue
from .cypher_text import cypher_comment, cypher_list, cypher_string, param_line
from .neo4j import server
from .neo4j.connect import Settings
from .neo4j.vocabulary import ENTITY_LABEL

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
    status = server.status()
    if status.running and status.bolt_uri and status.bolt_uri.endswith(f":{bolt_port}"):
        return f"{status.http_uri}/browser/"
    return None


# --------------------------------------------------------------------------- Cypher to paste


def neighbourhood_cypher(entity_id: str, label: str | None = None) -> str:
    """Cypher that draws an entity and every relation in or out of it."""
    comment = cypher_comment(f"{label}: every relation in or out") + "\n" if label else ""
    return f"{comment}MATCH (n:{ENTITY_LABEL} {{id: {cypher_string(entity_id)}}})-[r]-(m:{ENTITY_LABEL})\nRETURN n, r, m"


def subgraph_cypher(entity_ids: Iterable[str], relation_ids: Iterable[str], label: str | None = None) -> str:
    """Cypher that draws exactly these entities and relations (no other relation).

    ``entity_ids`` should include the relations' ends (the subgraph functions of
    :mod:`imidgraph.view` give them so); an entity without a relation is drawn alone.
    """
    entities = sorted(set(entity_ids))
    relations = sorted(set(relation_ids))
    comment = cypher_comment(label) + "\n" if label else ""
    return (
        f"{comment}MATCH (n:{ENTITY_LABEL}) WHERE n.id IN {cypher_list(entities)}\n"
        f"OPTIONAL MATCH (n)-[r]->(m:{ENTITY_LABEL}) WHERE r.id IN {cypher_list(relations)}\n"
        "RETURN n, r, m"
    )


# --------------------------------------------------------------------------- the guide


@dataclass(frozen=True)
class GuideStep:
    """One slide: a title, a few sentences (HTML), and the commands its play buttons run."""

    title: str
    text: str
    commands: tuple[str, ...]


def _step(title: str, text: str, *commands: str) -> GuideStep:
    return GuideStep(title, text, commands)


def guide_steps() -> list[GuideStep]:
    """The walk through the mechanism, with real entities of the seeds.

    The last steps run queries of the ``cypher/`` catalogue as they are in their files, with
    ``:param`` lines setting their parameters to CURIEs.
    """
    catalogue = read_catalogue(default_dir())
    return [
        _step(
            "1. The drug",
            "<p><b>Lenalidomide</b> is an immunomodulatory imide drug (IMiD), made from "
            "thalidomide. Each relation cites its source: click one, then its properties.</p>",
            f"MATCH (d:{ENTITY_LABEL}:Drug {{name: 'lenalidomide'}})-[r:SUBCLASS_OF|DERIVED_FROM]->(x:{ENTITY_LABEL})\nRETURN d, r, x",
        ),
        _step(
            "2. Drug &rarr; cereblon",
            "<p>Lenalidomide, its relatives and their shared glutarimide ring <b>bind CRBN</b>, "
            "the substrate receptor of the CRL4-CRBN ubiquitin ligase.</p>",
            f"MATCH (d:{ENTITY_LABEL})-[r:BINDS]->(c:{ENTITY_LABEL}:Gene {{name: 'CRBN'}})\n"
            f"OPTIONAL MATCH (ligase:{ENTITY_LABEL}:Complex)-[h:HAS_PART]->(c)\n"
            "RETURN d, r, c, ligase, h",
        ),
        _step(
            "3. Cereblon &rarr; neosubstrates",
            "<p>Bound to the drug, CRBN marks new substrates for the proteasome: the "
            "transcription factors <b>IKZF1</b> (Ikaros) and <b>IKZF3</b> (Aiolos), the kinase "
            "<b>CSNK1A1</b> (CK1&alpha;), and for CC-885 PLK1. Open a DEGRADES relation to see "
            "<code>q_via</code> and <code>q_more_than</code>.</p>",
            f"MATCH (d:{ENTITY_LABEL}:Drug)-[r:DEGRADES]->(n:{ENTITY_LABEL}:Gene)\nRETURN d, r, n",
        ),
        _step(
            "4. Neosubstrates &rarr; effectors",
            "<p>Ikaros and Aiolos keep <b>IRF4</b> and <b>MYC</b> on in malignant B and "
            "myeloma cells, and hold <b>IL2</b> down in T cells. Degrading them turns "
            "both around.</p>",
            f"MATCH (n:{ENTITY_LABEL}:Gene)-[r:INCREASES|DECREASES]->(e:{ENTITY_LABEL}:Gene)\n"
            "WHERE n.name IN ['IKZF1', 'IKZF3']\n"
            "RETURN n, r, e",
        ),
        _step(
            "5. Effectors &rarr; cells",
            "<p>IRF4 and MYC drive <b>myeloma</b> and <b>malignant B cells</b>; IL-2, made by "
            "<b>T cells</b>, drives natural killer cell proliferation and killing.</p>",
            f"MATCH (e:{ENTITY_LABEL}:Gene)-[r:INCREASES|DECREASES|PRODUCED_BY]->(c:{ENTITY_LABEL})\n"
            "WHERE e.name IN ['IRF4', 'MYC', 'IL2'] AND (c:CellType OR c:BiologicalProcess)\n"
            "RETURN e, r, c",
        ),
        _step(
            "6. Cells &rarr; indications",
            "<p>Myeloma cells (and the bone marrow stroma) make <b>multiple myeloma</b>, for "
            "which lenalidomide is approved.</p>",
            f"MATCH (c:{ENTITY_LABEL}:CellType)-[r:CONTRIBUTES_TO]->(x:{ENTITY_LABEL}:Disease)<-[a:APPROVED_FOR]-(d:{ENTITY_LABEL}:Drug {{name: 'lenalidomide'}})\n"
            "RETURN c, r, x, a, d",
        ),
        _step(
            "7. All approved uses",
            "<p>Every approval of lenalidomide the sources report; the regulator, year and "
            "setting are qualifiers (<code>q_regulator</code>, <code>q_year</code>, "
            "<code>q_setting</code>).</p>",
            f"MATCH (d:{ENTITY_LABEL}:Drug {{name: 'lenalidomide'}})-[r:APPROVED_FOR]->(x:{ENTITY_LABEL})\nRETURN d, r, x",
        ),
        _step(
            "8. The whole chain",
            "<p>From the drug to the disease in one picture: binding, degradation, effector, "
            "cell and indication (multiple myeloma). The Browser also draws every other relation among the nodes "
            "shown; switch off <i>Connect result nodes</i> in its settings to see the chains "
            "alone.</p>",
            f"MATCH chain = (d:{ENTITY_LABEL}:Drug {{name: 'lenalidomide'}})-[:DEGRADES]->(:{ENTITY_LABEL}:Gene)-[:INCREASES|DECREASES]->(:{ENTITY_LABEL}:Gene)\n"
            f"      -[:INCREASES|PRODUCED_BY]->(:{ENTITY_LABEL}:CellType)-[:CONTRIBUTES_TO]->(:{ENTITY_LABEL}:Disease {{name: 'multiple myeloma'}})\n"
            f"MATCH target = (d)-[:BINDS]->(:{ENTITY_LABEL}:Gene {{name: 'CRBN'}})\n"
            "RETURN chain, target",
        ),
        _step(
            "9. A second story: CK1&alpha; and del(5q) MDS",
            "<p>Cells with the 5q deletion keep one copy of <b>CSNK1A1</b>, so lenalidomide, "
            "which degrades it, hits them hardest. This is what <code>imidgraph browser "
            "CSNK1A1</code> prints.</p>",
            neighbourhood_cypher("HGNC:2451", "CSNK1A1 (CK1α)"),
        ),
        _step(
            "10. The query catalogue: targets",
            "<p>Every query of <code>cypher/</code> runs here too, with its parameters set to "
            "CURIEs by <code>:param</code>. First run the parameter line, then the query "
            "(a table: switch to <i>Table</i>).</p>",
            param_line("drug", "CHEBI:63791"),
            catalogue["drug_targets"].cypher,
        ),
        _step(
            "11. The query catalogue: downstream of Ikaros",
            "<p>The <code>downstream</code> query follows chains of up to three steps from a "
            "neosubstrate.</p>",
            param_line("start", "HGNC:13176"),
            catalogue["downstream"].cypher,
        ),
    ]


def guide_html() -> str:
    """The guide as Neo4j Browser reads it: ``<slide>`` elements with ``pre.runnable`` blocks."""
    grass = style.grass()
    slides = [
        '<slide class="row-fluid">\n'
        "<h3>imidgraph: how the IMiDs work</h3>\n"
        "<p>A cited knowledge graph of the immunomodulatory imide drugs. This guide follows "
        "one drug, lenalidomide, along the mechanism: <b>drug &rarr; CRBN &rarr; "
        "neosubstrates &rarr; effectors &rarr; cells &rarr; indications</b>.</p>\n"
        "<p>First give the graph its colours and captions (categories as colours, drugs "
        f'largest): <a href="#" data-exec="style {html.escape(grass, quote=True)}">'
        "apply the imidgraph style</a>. Then, on each slide, press the &#9654; of a query to "
        "run it.</p>\n"
        f"<p>Nodes are <code>:{ENTITY_LABEL}</code> plus their category; relationships are the "
        "upper-case predicate, with <code>evidence</code>, <code>source</code>, "
        "<code>source_doi</code>, <code>section</code>, <code>primary_dois</code> and "
        "<code>paraphrase</code>.</p>\n"
        "</slide>"
    ]
    for step in guide_steps():
        blocks = "\n".join(
            f'<pre class="runnable">{html.escape(block, quote=False)}</pre>' for block in step.commands
        )
        slides.append(f'<slide class="row-fluid">\n<h3>{step.title}</h3>\n{step.text}\n{blocks}\n</slide>')
    return (
        "<!-- Generated by imidgraph.browser.guide_html(); run 'python -m imidgraph.browser' after changes. -->\n"
        '<article class="guide">\n<carousel class="deck container-fluid">\n'
        + "\n".join(slides)
        + "\n</carousel>\n</article>\n"
    )


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


if __name__ == "__main__":  # pragma: no cover
    for written in write_assets():
        print(written)
