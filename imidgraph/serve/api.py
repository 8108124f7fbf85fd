"""The JSON API: each route answers with the document of the CLI's ``--format json`` for the
same question (search, show, explain, query), so a pipeline reads the same JSON from either.
The framework describes the routes in ``/openapi.json``."""

from __future__ import annotations

from typing import Annotated, Any, Literal

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import Response
from pydantic import BaseModel

from .suggest import suggest
from .work import answer

NAME = 300  # characters of a name or a question


class Problem(BaseModel):
    """Why a request was not answered: a message, and for an unknown name the names it may mean."""

    error: str
    suggestions: list[str] = []
    candidates: list[str] = []


ERRORS: dict[int | str, dict[str, Any]] = {
    404: {"model": Problem, "description": "An unknown name or query; `suggestions`: close names, `candidates`: "
                                           "the entities an ambiguous name may mean."},
    422: {"model": Problem, "description": "A bad parameter, with a message."},
    503: {"model": Problem, "description": "The answer took longer than the server's time limit."},
}  # fmt: skip

router = APIRouter(prefix="/api", tags=["answers"], responses=ERRORS)

async def _json(request: Request, kind: str, *args) -> Any:
    """The answer's JSON, sent as the answers keep it (not encoded again per request)."""
    return Response(await answer(request, request.app.state.answers.json, kind, *args), media_type="application/json")


@router.get("/search", summary="Full-text search: ranked, cited hits (imidgraph search --format json)")
async def search(
    request: Request,
    q: Annotated[str, Query(min_length=1, max_length=NAME, description="Names, synonyms, words of a paraphrase")],
    category: Annotated[str | None, Query(max_length=60, description="Only entities of this category")] = None,
    kind: Literal["entity", "relation"] | None = None,
    limit: Annotated[int, Query(ge=0, le=200, description="Hits (0: all)")] = 10,
) -> dict[str, Any]:
    return await _json(request, "search", q, category, kind, limit)


@router.get("/suggest", summary="What the search box offers as one types: names, or a question's target")
async def suggestions(request: Request, q: Annotated[str, Query(max_length=NAME)] = "") -> dict[str, Any]:
    answers = request.app.state.answers
    return await answer(request, lambda: suggest(answers.kg, q))


@router.get("/entity/{name:path}", summary="An entity and its relations, cited (imidgraph show NAME --format json)")
async def entity(
    request: Request,
    name: Annotated[str, Path(min_length=1, max_length=NAME, description="An id, name or synonym")],
    predicate: Annotated[str | None, Query(max_length=80, description="Only relations with this predicate")] = None,
    limit: Annotated[int | None, Query(ge=1, description="Relations per predicate (default: all)")] = None,
) -> dict[str, Any]:
    return await _json(request, "entity", name, predicate, limit)


@router.get("/explain", summary="Why DRUG helps TARGET: ranked, signed, cited paths (imidgraph explain --format json)")
async def explain(
    request: Request,
    drug: Annotated[str, Query(min_length=1, max_length=NAME)],
    target: Annotated[str, Query(min_length=1, max_length=NAME, description="A disease, phenotype, partner drug or any entity")],
    versus: Annotated[str | None, Query(max_length=NAME, description="A second drug to compare")] = None,
    top: Annotated[int, Query(ge=0, le=100, description="Paths in each group (0: all)")] = 5,
    harm: Annotated[bool | None, Query(description="Harm mode: how DRUG raises TARGET")] = None,
) -> dict[str, Any]:
    return await _json(request, "explain", drug, target, versus or None, top, harm)


@router.get("/queries", summary="The query catalogue: each query's name, description and parameters")
async def queries(request: Request) -> list[dict[str, Any]]:
    return [
        {"name": q.name, "description": q.description, "columns": list(q.columns),
         "params": [{"key": p.key, "kind": p.kind, "example": p.example, "doc": p.doc} for p in q.params]}
        for q in request.app.state.answers.queries().values()
    ]  # fmt: skip


def _params(request: Request) -> tuple[tuple[str, str], ...]:
    from .answers import BadRequest

    items = list(request.query_params.multi_items())
    keys = [k for k, _ in items]
    twice = sorted({k for k in keys if keys.count(k) > 1})
    if twice:
        raise BadRequest(f"parameter {twice[0]!r} given twice; give each parameter once")
    if any(len(v) > NAME for _, v in items):
        raise BadRequest(f"a parameter is longer than {NAME} characters")
    return tuple(sorted(items))


QUERY_DOC = "The query's parameters as URL parameters (`?drug=lenalidomide`); see /api/queries."


@router.get("/query/{name}", summary="Run a catalogue query: its rows (imidgraph query NAME --format json)", description=QUERY_DOC)
async def query(request: Request, name: Annotated[str, Path(max_length=80)]) -> list[dict[str, Any]]:
    table = await answer(request, request.app.state.answers.table, name, _params(request))
    return Response(table.to_json(), media_type="application/json")  # type: ignore[return-value]


@router.get("/query/{name}/csv", summary="Run a catalogue query: its rows as CSV (imidgraph query NAME --format csv)",
            description=QUERY_DOC + " Cells a spreadsheet would read as a formula start with a quote.",
            response_class=Response)  # fmt: skip
async def query_csv(request: Request, name: Annotated[str, Path(max_length=80)]) -> Response:
    table = await answer(request, request.app.state.answers.table, name, _params(request))
    return Response(table.to_csv(), media_type="text/csv; charset=utf-8",
                    headers={"Content-Disposition": f'attachment; filename="{name}.csv"'})  # fmt: skip
