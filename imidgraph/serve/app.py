"""The web application: :func:`create_app` puts together the JSON API (:mod:`.api`), the pages
(:mod:`.pages`), this package's style and script and the vendored drawing libraries, the TRAPI
routes (:mod:`.trapi`), and what keeps a server sound:

* read-only: every route is a GET but TRAPI's query (a POST that reads); the graph is only read
  (on Neo4j, through the backend's read-access sessions, every value a parameter);
* limits: a request's body (:data:`MAX_BODY`) and query string (:data:`MAX_QUERY`), each
  answer's time (:data:`TIME_LIMIT`: 503 after it, the server goes on) and the answers computed
  at once (:data:`WORKERS`);
* errors as messages: an unknown name or query is a 404 with the close matches, a bad
  parameter a 422 with a message, anything else a 500 without a trace; a failed request leaves
  nothing behind (answers share only the read-only graph and the kept answers);
* every response carries a Content-Security-Policy (pages: :data:`.markup.POLICY`), nosniff and
  no referrer.
"""

from __future__ import annotations

import functools
import json
import threading
from collections.abc import Callable
from contextlib import asynccontextmanager
from importlib.resources import files
from typing import TYPE_CHECKING, Any

import anyio
from fastapi import FastAPI, Request
from fastapi.exceptions import RequestValidationError
from fastapi.responses import HTMLResponse, JSONResponse
from fastapi.staticfiles import StaticFiles
from starlette.exceptions import HTTPException as StarletteHTTPException

from . import trapi
from .answers import Answers, BadRequest, NotFound
from .markup import POLICY, h, join, page

if TYPE_CHECKING:
    from ..graph import KnowledgeGraph

MAX_BODY = 64 * 1024  # bytes of a request's body
MAX_QUERY = 4096  # bytes of a URL's query string (and of its path)
TIME_LIMIT = 20.0  # seconds an answer may take
WORKERS = 8  # answers computed at once (the others wait their turn)
JSON_POLICY = "default-src 'none'; frame-ancestors 'none'"


def default_graph() -> Callable[[], KnowledgeGraph]:
    """The project's graph, loaded once, when first asked for."""
    lock = threading.Lock()

    @functools.cache
    def graph() -> KnowledgeGraph:
        with lock:
            from ..graph import load

            return load()

    return graph


def neo4j_backend(graph_for: Callable[[], KnowledgeGraph], settings=None):
    """A Neo4j backend on the database of ``settings`` (default: the NEO4J_* environment), checked to
    hold the complete graph of these seeds; its driver is closed with the application."""
    from ..neo4j.backend import Neo4jBackend
    from ..neo4j.connect import Settings, connect
    from ..neo4j.plan import LoadPlan

    settings = settings or Settings.resolve()
    driver = connect(settings)
    backend = Neo4jBackend(driver, settings.database)
    try:
        backend.check_graph(LoadPlan.from_facts(graph_for().facts).content_hash)
    except Exception:
        driver.close()
        raise
    return backend


def create_app(graph_for: Callable[[], KnowledgeGraph] | None = None, backend: Any = "memory", *,
               settings=None, cache: bool = True, time_limit: float = TIME_LIMIT) -> FastAPI:  # fmt: skip
    """The application answering from ``graph_for()`` (default: the project's graph) on
    ``backend``: ``"memory"`` (the embedded graph), ``"neo4j"`` (a server, ``settings`` or the
    NEO4J_* environment; its graph checked) or a backend object (e.g. ``Neo4jBackend(driver)``)."""
    graph_for = graph_for or default_graph()
    owned = None
    if backend == "memory":
        backend = None
    elif backend == "neo4j":
        backend = owned = neo4j_backend(graph_for, settings)

    @asynccontextmanager
    async def lifespan(app: FastAPI):
        await anyio.to_thread.run_sync(_warm, app.state.answers)  # before the first request is taken
        yield
        if owned is not None:
            owned.driver.close()

    app = FastAPI(
        title="imidgraph",
        version=_version(),
        description="A cited knowledge graph of how the immunomodulatory imide drugs work: search, entities, "
        "explanations (ranked, signed, cited mechanism paths) and the query catalogue. The JSON of each "
        "route is that of the CLI's --format json.",
        docs_url=None,  # Swagger UI and ReDoc load their scripts from a CDN: no network here
        redoc_url=None,
        lifespan=lifespan,
    )
    app.state.answers = Answers(graph_for, backend, cache=cache)
    app.state.backend_name = "memory" if backend is None else "neo4j"
    app.state.time_limit = time_limit
    app.state.limiter = anyio.CapacityLimiter(WORKERS)
    _handlers(app)
    from . import api, pages

    app.include_router(api.router)
    app.include_router(pages.router)
    app.mount("/static", StaticFiles(directory=str(files("imidgraph").joinpath("serve", "static"))), name="static")
    # TRAPI (POST /trapi/query, GET /trapi/meta_knowledge_graph)
    app.include_router(trapi.router(graph_for))
    app.add_middleware(Guard)
    return app


def _warm(answers: Answers) -> None:
    """Load the graph and make what every search reads (the documents, the names' index)."""
    from .suggest import index

    index(answers.kg)
    answers.search("CRBN", None, None, 10)


def _version() -> str:
    from importlib.metadata import version

    return version("imidgraph")


def wants_json(request: Request) -> bool:
    return request.url.path.startswith(("/api/", "/trapi", "/openapi"))


def _error(request: Request, status: int, doc: dict[str, Any], title: str):
    if wants_json(request):
        return JSONResponse(doc, status_code=status, headers={"Content-Security-Policy": JSON_POLICY})
    close = doc.get("suggestions") or doc.get("candidates") or []
    links = join(h('<li><a href="/search?q={0}">{1}</a></li>', name, name) for name in close)
    body = h('<article class="error"><h1>{title}</h1><p id="message">{message}</p>{close}</article>',
             title=title, message=doc["error"],
             close=h("<p>Did you mean:</p><ul class=\"close\">{}</ul>", links) if close else "")  # fmt: skip
    return HTMLResponse(page(title, body), status_code=status)


def _handlers(app: FastAPI) -> None:
    @app.exception_handler(NotFound)
    async def not_found(request: Request, e: NotFound):
        return _error(request, 404, e.to_dict(), "Not found")

    @app.exception_handler(BadRequest)
    async def bad_request(request: Request, e: BadRequest):
        return _error(request, 422, e.to_dict(), "Cannot answer that")

    @app.exception_handler(RequestValidationError)
    async def invalid(request: Request, e: RequestValidationError):
        problems = [{"where": ".".join(str(part) for part in err["loc"]), "problem": err["msg"]} for err in e.errors()]
        message = "; ".join(f"{p['where']}: {p['problem']}" for p in problems)
        return _error(request, 422, {"error": message, "problems": problems}, "Cannot answer that")

    @app.exception_handler(TimeoutError)
    async def too_long(request: Request, e: TimeoutError):
        seconds = request.app.state.time_limit
        return _error(request, 503, {"error": f"the answer took longer than {seconds:g} s; ask something narrower"},
                      "Too slow")  # fmt: skip

    @app.exception_handler(StarletteHTTPException)
    async def http_error(request: Request, e: StarletteHTTPException):
        message = "no such page" if e.status_code == 404 else str(e.detail)
        return _error(request, e.status_code, {"error": message}, message)

    @app.exception_handler(Exception)
    async def failed(request: Request, e: Exception):  # a bug: said, never shown with its trace
        return _error(request, 500, {"error": "internal error: the server could not answer this request"}, "Error")


class Guard:
    """The application behind request limits and security headers (an ASGI middleware):
    a query string or path over MAX_QUERY bytes is a 414, a body over MAX_BODY a 413, before
    the application sees them."""

    def __init__(self, app, max_body: int = MAX_BODY, max_query: int = MAX_QUERY):
        self.app = app
        self.max_body = max_body
        self.max_query = max_query

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            await self.app(scope, receive, send)
            return
        if len(scope.get("query_string", b"")) > self.max_query or len(scope.get("raw_path") or b"") > self.max_query:
            await _refuse(send, 414, f"the address is longer than {self.max_query} bytes")
            return
        headers = dict(scope.get("headers") or [])
        length = headers.get(b"content-length")
        if length is not None and (not length.isdigit() or int(length) > self.max_body):
            await _refuse(send, 413, f"the request's body is over {self.max_body} bytes")
            return
        body, more = b"", True
        if scope["method"] not in ("GET", "HEAD"):
            while more:
                message = await receive()
                if message["type"] == "http.disconnect":
                    return
                body += message.get("body", b"")
                more = message.get("more_body", False)
                if len(body) > self.max_body:
                    await _refuse(send, 413, f"the request's body is over {self.max_body} bytes")
                    return
        replayed = False

        async def replay():
            nonlocal replayed
            if scope["method"] in ("GET", "HEAD") or replayed:
                return await receive()
            replayed = True
            return {"type": "http.request", "body": body, "more_body": False}

        async def secured(message) -> None:
            if message["type"] == "http.response.start":
                present = {k.lower() for k, _ in message.get("headers", [])}
                extra = [(b"x-content-type-options", b"nosniff"), (b"referrer-policy", b"no-referrer"),
                         (b"content-security-policy", POLICY.encode())]  # fmt: skip
                message["headers"] = list(message.get("headers", [])) + [(k, v) for k, v in extra if k not in present]
            await send(message)

        await self.app(scope, replay, secured)


async def _refuse(send, status: int, message: str) -> None:
    body = json.dumps({"error": message}).encode()
    await send({"type": "http.response.start", "status": status, "headers": [
        (b"content-type", b"application/json"), (b"content-length", str(len(body)).encode()),
        (b"content-security-policy", JSON_POLICY.encode()), (b"x-content-type-options", b"nosniff")]})  # fmt: skip
    await send({"type": "http.response.body", "body": body})


