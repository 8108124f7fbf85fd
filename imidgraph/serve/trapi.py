"""TRAPI 1.5 on the graph: ``POST /trapi/query`` (one-hop queries) and
``GET /trapi/meta_knowledge_graph`` (docs/trapi.md).

:func:`router` makes the routes for an application to include; ``graph_for`` is a
zero-argument callable returning the :class:`~imidgraph.graph.KnowledgeGraph` to answer from,
``backend_for`` (optional) one returning the backend that finds a pinned node's relations
(None: the embedded graph). A query is checked before it is answered: one that is no JSON or
not TRAPI's shape gets 422, one we do not answer (not one-hop, attribute constraints, inferred
knowledge, other workflow operations, too many ids) 400, each with a TRAPI-style body (a
``status``, a ``description`` and ``logs``) and never a stack trace. At most ``max_results``
results are returned (a warning in the logs says how many were found).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import JSONResponse
from pydantic import BaseModel, ConfigDict, Field, ValidationError
from starlette.concurrency import run_in_threadpool

from . import trapi_answer

TRAPI_VERSION = "1.5.0"
MAX_RESULTS = 1000
MAX_IDS = 100  # ids of one query node (on Neo4j each pinned id is one catalogue query)
CURIE = r"^[A-Za-z_][A-Za-z0-9_.-]*:\S+$"
CATEGORY = r"^biolink:[A-Z][A-Za-z]*$"
PREDICATE = r"^biolink:[a-z][a-z_]*$"


# --------------------------------------------------------------------------- the query's shape


class _Open(BaseModel):
    model_config = ConfigDict(extra="allow")  # TRAPI objects may carry more than we read


class Qualifier(_Open):
    qualifier_type_id: str = Field(pattern=r"^biolink:[a-z][a-z_]*$")
    qualifier_value: str


class QualifierConstraint(_Open):
    qualifier_set: list[Qualifier]


class QNode(_Open):
    ids: list[str] | None = None
    categories: list[str] | None = None
    set_interpretation: str | None = None
    constraints: list[dict[str, Any]] = []

    def check(self):
        for curie in self.ids or ():
            if not re.match(CURIE, curie):
                raise ValueError(f"not a CURIE: {curie!r}")
        for category in self.categories or ():
            if not re.match(CATEGORY, category):
                raise ValueError(f"not a Biolink category: {category!r} (e.g. biolink:Gene)")


class QEdge(_Open):
    subject: str
    object: str
    predicates: list[str] | None = None
    knowledge_type: str | None = None
    attribute_constraints: list[dict[str, Any]] = []
    qualifier_constraints: list[QualifierConstraint] = []

    def check(self):
        for predicate in self.predicates or ():
            if not re.match(PREDICATE, predicate):
                raise ValueError(f"not a Biolink predicate: {predicate!r} (e.g. biolink:affects)")


class QueryGraph(_Open):
    nodes: dict[str, QNode]
    edges: dict[str, QEdge]


class Message(_Open):
    query_graph: QueryGraph


class Query(_Open):
    message: Message
    workflow: list[dict[str, Any]] | None = None


class QueryRefused(Exception):
    def __init__(self, status_code: int, status: str, description: str):
        super().__init__(description)
        self.status_code, self.status, self.description = status_code, status, description


def _log(level: str, text: str) -> dict:
    return {"timestamp": datetime.now(UTC).isoformat(), "level": level, "message": text}


def _refusal(refused: QueryRefused) -> JSONResponse:
    body = {
        "message": {}, "status": refused.status, "description": refused.description,
        "logs": [_log("ERROR", refused.description)], "schema_version": TRAPI_VERSION,
    }  # fmt: skip
    return JSONResponse(body, status_code=refused.status_code)


def _where(error: dict) -> str:
    return ".".join(str(p) for p in error["loc"]) or "the query"


def parse(body: Any) -> dict:
    """The query graph of a TRAPI query we answer, as sent; else :class:`QueryRefused`."""
    try:
        query = Query.model_validate(body)
        for qnode in query.message.query_graph.nodes.values():
            qnode.check()
        for qedge in query.message.query_graph.edges.values():
            qedge.check()
    except ValidationError as e:
        problems = "; ".join(f"{_where(err)}: {err['msg']}" for err in e.errors(include_url=False)[:10])
        raise QueryRefused(422, "BadRequest", f"not a TRAPI query: {problems}") from None
    except ValueError as e:
        raise QueryRefused(422, "BadRequest", f"not a TRAPI query: {e}") from None
    graph = query.message.query_graph
    for step in query.workflow or []:
        if step.get("id") != "lookup":
            raise QueryRefused(400, "UnsupportedOperation", f"only the lookup operation is answered, not {step.get('id')!r}")
    if len(graph.nodes) != 2 or len(graph.edges) != 1:
        raise QueryRefused(
            400, "QueryNotTraversable",
            f"only one-hop query graphs are answered (two nodes, one edge); this one has {len(graph.nodes)} "
            f"node{'s' if len(graph.nodes) != 1 else ''} and {len(graph.edges)} edge{'s' if len(graph.edges) != 1 else ''}",
        )  # fmt: skip
    (edge_id, edge), = graph.edges.items()  # fmt: skip
    if edge.subject not in graph.nodes or edge.object not in graph.nodes or edge.subject == edge.object:
        raise QueryRefused(400, "QueryNotTraversable", f"edge {edge_id!r} must join the query's two nodes")
    if edge.attribute_constraints or any(n.constraints for n in graph.nodes.values()):
        raise QueryRefused(400, "UnsupportedConstraint", "attribute constraints are not supported (qualifier constraints are)")
    if edge.knowledge_type not in (None, "lookup"):
        raise QueryRefused(400, "UnsupportedOperation", f"only lookups are answered, not knowledge_type {edge.knowledge_type!r}")
    for node_id, node in graph.nodes.items():
        if node.set_interpretation not in (None, "BATCH"):
            raise QueryRefused(400, "UnsupportedOperation", f"node {node_id!r}: only set_interpretation BATCH is answered")
        if len(node.ids or ()) > MAX_IDS:
            raise QueryRefused(400, "BadRequest", f"node {node_id!r} has {len(node.ids)} ids; at most {MAX_IDS} are answered")
    return body["message"]["query_graph"]


# --------------------------------------------------------------------------- the routes


_EXAMPLE = {
    "message": {
        "query_graph": {
            "nodes": {"drug": {"ids": ["CHEBI:63791"]}, "target": {"categories": ["biolink:Protein", "biolink:Gene"]}},
            "edges": {"e": {"subject": "drug", "object": "target", "predicates": ["biolink:affects"]}},
        }
    }
}


def router(graph_for: Callable[[], Any], backend_for: Callable[[], Any] | None = None,
           max_results: int = MAX_RESULTS) -> APIRouter:  # fmt: skip
    """The TRAPI routes, answering from ``graph_for()`` (see the module's docstring)."""
    api = APIRouter(prefix="/trapi", tags=["TRAPI"])

    @api.post(
        "/query",
        summary="Answer a one-hop TRAPI 1.5 query",
        operation_id="trapi_query",
        responses={
            400: {"description": "A query we do not answer (not one-hop, attribute constraints, ...): a TRAPI-style body"},
            422: {"description": "No JSON, or not a TRAPI query: a TRAPI-style body saying what is wrong"},
        },
        openapi_extra={"requestBody": {"required": True, "content": {"application/json": {
            "schema": {"type": "object", "description": "A TRAPI 1.5 Query"}, "example": _EXAMPLE}}}},
    )  # fmt: skip
    async def query(request: Request) -> JSONResponse:
        try:
            body = await request.json()
        except ValueError:
            return _refusal(QueryRefused(422, "BadRequest", "the request body is not JSON"))
        try:
            query_graph = parse(body)
        except QueryRefused as refused:
            return _refusal(refused)
        kg = graph_for()
        backend = backend_for() if backend_for is not None else None
        message, notes = await run_in_threadpool(trapi_answer.answer, kg, query_graph, backend, max_results)
        n = len(message["results"])
        logs = [_log("WARNING", note) for note in notes] + [_log("INFO", f"{n} result{'s' if n != 1 else ''}")]
        return JSONResponse({
            "message": message, "status": "Success", "description": f"{n} result{'s' if n != 1 else ''}",
            "logs": logs, "schema_version": TRAPI_VERSION, "biolink_version": trapi_answer.biolink()["biolink_version"],
        })  # fmt: skip

    @api.get("/meta_knowledge_graph", summary="The categories and edge types this graph answers",
             operation_id="trapi_meta_knowledge_graph")  # fmt: skip
    def meta_knowledge_graph() -> JSONResponse:
        return JSONResponse(trapi_answer.meta_knowledge_graph(graph_for()))

    return api
