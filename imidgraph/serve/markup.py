"""HTML in which every value is escaped: :func:`h` fills a template, escaping each value unless
it is :class:`Safe` (HTML made here already), and :func:`page` is the frame of every page.

Pages load only this server's own style and script (``/static/``), under the policy
:data:`POLICY` that the application sends with every page.
"""

from __future__ import annotations

import html
from collections.abc import Iterable
from urllib.parse import quote, urlencode

# the pages' policy: this server's own script, style, frames (the pictures) and fetches
# (the suggestions), nothing inline, nothing from elsewhere
POLICY = (
    "default-src 'none'; script-src 'self'; style-src 'self'; img-src 'self' data:; connect-src 'self'; "
    "frame-src 'self'; form-action 'self'; base-uri 'none'; frame-ancestors 'self'"
)


class Safe(str):
    """Text that is HTML already (made by :func:`h`): not escaped again."""


def esc(value) -> Safe:
    if isinstance(value, Safe):
        return value
    return Safe(html.escape("" if value is None else str(value), quote=True))


def h(template: str, *args, **kwargs) -> Safe:
    """``template.format(...)`` with every argument escaped (Safe ones as they are)."""
    return Safe(template.format(*(esc(a) for a in args), **{k: esc(v) for k, v in kwargs.items()}))


def join(parts: Iterable, sep: str = "") -> Safe:
    return Safe(esc(sep).join(esc(p) for p in parts))


def url(path: str, **params) -> str:
    """A path of this server (each segment quoted) with its query (None values left out)."""
    query = urlencode({k: v for k, v in params.items() if v is not None and v != ""})
    return quote(path, safe="/:") + (f"?{query}" if query else "")


def entity_url(entity_id: str) -> str:
    return "/entity/" + quote(entity_id, safe=":")


def search_form(value: str = "") -> Safe:
    return h(
        '<form class="search" action="/search" method="get" role="search">'
        '<input id="q" name="q" type="search" value="{}" autocomplete="off" maxlength="300" '
        'placeholder="a drug, target, cell, disease, or: why does lenalidomide help del(5q) MDS" '
        'aria-label="search" aria-controls="suggestions">'
        '<button type="submit">Search</button><ul id="suggestions" role="listbox"></ul></form>',
        value,
    )


def page(title: str, body: Safe, query: str = "") -> str:
    """The frame of a page: a header with the search box and the links, then ``body``."""
    return h(
        '<!DOCTYPE html>\n<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        "<title>{title} · imidgraph</title>\n"
        '<link rel="stylesheet" href="/static/site.css">\n<script src="/static/site.js" defer></script>\n'
        "</head>\n<body>\n"
        '<header class="top"><a class="home" href="/">imidgraph</a>{form}'
        '<nav><a href="/queries">queries</a> <a href="/openapi.json">API</a></nav></header>\n'
        "<main>\n{body}\n</main>\n"
        '<footer>Every statement is cited: source, section, references, and a paraphrase in our own words.</footer>\n'
        "</body>\n</html>\n",
        title=title,
        form=search_form(query),
        body=body,
    )


def citation(r: dict) -> Safe:
    """A relation's citation as the JSON documents give it (``source``, ``section``, ``refs``,
    ``source_doi`` or ``doi``, ``primary_dois``, ``paraphrase``): one click away, in a
    ``<details>``."""
    doi = r.get("source_doi", r.get("doi"))
    links = [h('<a href="https://doi.org/{0}" rel="noopener noreferrer">doi:{0}</a>', doi)] if doi else []
    links += [h('<a href="https://doi.org/{0}" rel="noopener noreferrer">primary doi:{0}</a>', d)
              for d in r.get("primary_dois") or []]  # fmt: skip
    refs = h(" refs {}", ", ".join(map(str, r["refs"]))) if r.get("refs") else ""
    return h(
        '<details class="cite"><summary>{source} §{section}{refs}</summary>'
        '<p class="paraphrase">{paraphrase}</p><p>{evidence}{links}</p></details>',
        source=r["source"], section=r["section"], refs=refs, paraphrase=r.get("paraphrase", ""),
        evidence=h("evidence: {}. ", r["evidence"]) if r.get("evidence") else "", links=join(links, " "),
    )  # fmt: skip


def table(columns: list[str], rows: list[list], href=None) -> Safe:
    """A table of a catalogue query (lists joined by commas); ``href(value)``: the page a cell
    links to, or None."""

    def cell(value) -> Safe:
        if isinstance(value, list | tuple):
            return join((cell(v) for v in value), ", ")
        target = href(value) if href is not None and isinstance(value, str) else None
        return h('<a href="{}">{}</a>', target, value) if target else esc(value)

    head = join(h("<th>{}</th>", c) for c in columns)
    body = join(h("<tr>{}</tr>", join(h("<td>{}</td>", cell(v)) for v in row)) for row in rows)
    return h('<table class="rows"><thead><tr>{}</tr></thead><tbody>{}</tbody></table>', head, body)
