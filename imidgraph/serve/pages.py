"""The pages, rendered on the server (no build step): the search box, search results, an
entity, an explanation, the query catalogue, and the pictures they hold (the pages of
``imidgraph view``, their drawing libraries served by this server from the package)."""

from __future__ import annotations

import functools
import re
from typing import Annotated

from fastapi import APIRouter, Path, Query, Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response

from ..view.page import VENDOR, vendor_scripts
from .answers import BadRequest
from .markup import Safe, citation, entity_url, h, join, page, url
from .render import entity_body, explanation_body, query_form, query_result
from .suggest import question
from .work import answer

router = APIRouter(include_in_schema=False)
NAME = 300
VENDOR_AT = "/static/vendor"  # where the pictures load the drawing libraries from

EXAMPLES = [("lenalidomide", "del(5q) MDS"), ("pomalidomide", "multiple myeloma"), ("thalidomide", "erythema nodosum leprosum")]


def html(text: str, status: int = 200) -> HTMLResponse:
    return HTMLResponse(text, status_code=status)


@router.get("/")
async def home() -> HTMLResponse:
    whys = join(h('<li><a href="{}">why does {} help {}?</a></li>', url("/explain", drug=d, target=t), d, t) for d, t in EXAMPLES)
    names = join(h('<li><a href="{}">{}</a></li>', url("/search", q=n), n) for n in ("Revlimid", "CK1 alpha", "IKZF1", "T cells"))
    body = h(
        '<article class="home"><h1>How the immunomodulatory imide drugs work</h1>'
        "<p>Type a name (a drug, brand, target, cell or disease; Greek letters may be spelled out) or a question "
        "such as <em>why does lenalidomide help del(5q) MDS</em>.</p>"
        "<h2>Questions</h2><ul>{}</ul><h2>Names</h2><ul>{}</ul>"
        '<p>Or pick a query of <a href="/queries">the catalogue</a>. The JSON API is described in '
        '<a href="/openapi.json">/openapi.json</a>.</p></article>',
        whys, names,
    )  # fmt: skip
    return html(page("imidgraph", body))


@router.get("/search")
async def search_page(request: Request, q: Annotated[str, Query(max_length=NAME)] = "") -> Response:
    asked = question(q)
    if asked is not None and asked[1]:  # a question: its explanation
        return RedirectResponse(url("/explain", drug=asked[0], target=asked[1]), status_code=303)
    if not q.strip():
        return RedirectResponse("/", status_code=303)
    doc = await answer(request, request.app.state.answers.search, q, None, None, 20)
    if doc.get("matched_name"):  # the query names an entity: its page
        return RedirectResponse(entity_url(doc["entity"]["id"]), status_code=303)
    return html(page(f"Search: {q}", _hits(doc), q))


def _hits(doc: dict) -> Safe:
    near = doc.get("nearest") or doc.get("ambiguous") or []
    offered = h('<p>Names close to it: {}</p>', join((h('<a href="{}">{}</a>', url("/search", q=n), n) for n in near), ", ")) if near else ""
    items = []
    for hit in doc["hits"]:
        if hit["kind"] == "entity":
            items.append(h('<li class="hit"><a href="{}">{}</a> <small>{} · {}</small>{}</li>', entity_url(hit["id"]), hit["title"],
                           hit["category"], hit["id"], h("<div>{}: {}</div>", hit["field"], hit["text"]) if hit["field"] != "name" else ""))
        else:
            items.append(h('<li class="hit">{} <p>{}</p>{}</li>', hit["title"], hit["paraphrase"], citation(hit)))
    title = h("<h1>Search: {}</h1>", doc["query"])
    hits = h('<ol class="hits">{}</ol>', join(items)) if items else h("<p>Nothing found.</p>")
    return h('<article class="search">{}{}{}</article>', title, offered, hits)


@router.get("/entity/{name:path}")
async def entity_page(request: Request, name: Annotated[str, Path(min_length=1, max_length=NAME)]) -> HTMLResponse:
    answers = request.app.state.answers
    doc = await answer(request, answers.entity, name)
    names = await answer(request, lambda: {i: e.name for i, e in answers.kg.facts.entities.items()})
    return html(page(doc["entity"]["name"], entity_body(doc, names)))


@router.get("/explain")
async def explain_page(
    request: Request,
    drug: Annotated[str, Query(max_length=NAME)] = "",
    target: Annotated[str, Query(max_length=NAME)] = "",
    versus: Annotated[str, Query(max_length=NAME)] = "",
    top: Annotated[int, Query(ge=0, le=100)] = 5,
) -> HTMLResponse:
    form = h(
        '<form class="explain" action="/explain" method="get"><label>drug <input name="drug" value="{}" required maxlength="300"></label>'
        '<label>target <input name="target" value="{}" required maxlength="300"></label>'
        '<label>versus <input name="versus" value="{}" maxlength="300"></label><button type="submit">Explain</button></form>',
        drug, target, versus,
    )  # fmt: skip
    if not drug.strip() or not target.strip():
        return html(page("Explain", h("<article><h1>Why does a drug help a disease?</h1>{}</article>", form)))
    doc = await answer(request, request.app.state.answers.explain, drug, target, versus or None, top, None)
    asked = {"drug": drug, "target": target, "versus": versus or None, "top": top if top != 5 else None}
    return html(page(f"Why {doc['drug']['name']} → {doc['target']['name']}", join([explanation_body(doc, asked), form])))


@router.get("/queries")
async def catalogue(request: Request) -> HTMLResponse:
    items = join(
        h('<li><a href="{}">{}</a> {}</li>', url("/queries/" + q.name), q.name, q.description)
        for q in request.app.state.answers.queries().values()
    )
    return html(page("Queries", h('<article><h1>The query catalogue</h1><ul class="queries">{}</ul></article>', items)))


@router.get("/queries/{name}")
async def query_page(request: Request, name: Annotated[str, Path(max_length=80)]) -> HTMLResponse:
    answers = request.app.state.answers
    query = answers.query(name)
    given = {k: v for k, v in request.query_params.items() if k != "run"}
    if any(len(v) > NAME for v in given.values()):
        raise BadRequest(f"a parameter is longer than {NAME} characters")
    result = Safe("")
    if "run" in request.query_params or not query.params:
        table = await answer(request, answers.table, name, tuple(sorted(given.items())))
        kg = answers.kg
        known = kg.facts.entities
        ids = {e.name: e.id for e in known.values()}
        result = query_result(query, given, table, lambda v: entity_url(v) if v in known else entity_url(ids[v]) if v in ids else None)
    body = h('<article class="query-page"><h1>{}</h1><p>{}</p>{}{}</article>', query.name, query.description,
             query_form(query, given), result)  # fmt: skip
    return html(page(f"Query: {query.name}", body))


# -- pictures ------------------------------------------------------------------------------------

_POLICY = re.compile(r'<meta http-equiv="Content-Security-Policy" content="([^"]+)">')


def _picture_response(text: str) -> HTMLResponse:
    """A picture page, sent with its own policy (that of its <meta>), framed only by this server."""
    policy = _POLICY.search(text)
    assert policy is not None, "a picture page carries its policy"
    return HTMLResponse(text, headers={"Content-Security-Policy": policy[1] + "; frame-ancestors 'self'"})


@functools.lru_cache(128)
def _entity_picture(answers, entity_id: str) -> str:
    """The picture of ``imidgraph view NAME``: a drug's summary when its neighbours are too many
    to draw at once, else the entity and its relations."""
    from ..view import DEFAULT_MAX_RELATIONS, MAX_NODES, neighbourhood, render_html, summary

    kg = answers.kg
    entity = kg.entity(entity_id)
    short = summary(kg, entity.id) if entity.category == "Drug" else None
    if short is not None and len(short.entities) > MAX_NODES:
        note = f"{entity.name}: its core route and strongest cited relations; click a dashed group to draw its members"
        return short.to_html(title=entity.name, note=note, scripts_at=VENDOR_AT)
    sub = neighbourhood(kg, entity.id, depth=1, max_relations=DEFAULT_MAX_RELATIONS)
    note = f"{entity.name} ({entity.id}, {entity.category}) and its relations"
    if sub.omitted:
        note += f"; {sub.omitted} more left out"
    return render_html(kg, sub.entities, sub.relations, title=entity.name, highlight=sub.focus, note=note, scripts_at=VENDOR_AT)


@router.get("/picture/entity/{name:path}")
async def entity_picture(request: Request, name: Annotated[str, Path(min_length=1, max_length=NAME)]) -> HTMLResponse:
    answers = request.app.state.answers
    entity = answers.resolve(name)
    return _picture_response(await answer(request, _entity_picture, answers, entity.id))


@router.get("/picture/explain")
async def explain_picture(
    request: Request,
    drug: Annotated[str, Query(min_length=1, max_length=NAME)],
    target: Annotated[str, Query(min_length=1, max_length=NAME)],
    versus: Annotated[str | None, Query(max_length=NAME)] = None,
    top: Annotated[int, Query(ge=0, le=100)] = 5,
) -> HTMLResponse:
    from ..view import explanation_page

    answers = request.app.state.answers

    def draw() -> str:
        return explanation_page(answers.kg, answers.explanation(drug, target, versus or None, top, None), scripts_at=VENDOR_AT)

    return _picture_response(await answer(request, draw))


@functools.cache
def _vendored() -> dict[str, str]:
    return {js: text for (js, _), text in zip(VENDOR, vendor_scripts(), strict=True)}


@router.get(VENDOR_AT + "/{file}")
async def vendored(file: str) -> Response:
    """A vendored drawing library, its licence on top (as the offline pages inline it)."""
    scripts = _vendored()
    if file not in scripts:
        return Response('{"error": "no such file"}', status_code=404, media_type="application/json")
    return Response(scripts[file], media_type="text/javascript; charset=utf-8",
                    headers={"Cache-Control": "public, max-age=86400"})  # fmt: skip
