"""The page itself: one self-contained HTML file (its data, script, style and the vendored
drawing libraries inline, under a Content Security Policy that loads nothing else), the same
page for a notebook (its libraries brought by a loader, :mod:`.notebook`), and an explanation's page."""

from __future__ import annotations

import base64
import hashlib
import html
import json
from collections.abc import Iterable, Mapping
from importlib.resources import files
from typing import TYPE_CHECKING

from .data import page_data

if TYPE_CHECKING:
    from ..embedded.graph import EmbeddedGraph


def _resource(name: str) -> str:
    return files("imidgraph").joinpath("resources", "view", *name.split("/")).read_text(encoding="utf-8")


# The drawing libraries, inlined in this order before view.js (see resources/view/vendor/VENDOR.md).
VENDOR = (("cytoscape.min.js", "cytoscape.LICENSE"), ("dagre.min.js", "dagre.LICENSE"))


def _vendor_script(script: str, licence: str) -> str:
    """A vendored library with its licence on top, as a comment; its source-map line is
    dropped, so that not even developer tools ask for a file."""
    lines = [line for line in script.splitlines() if not line.startswith("//# sourceMappingURL=")]
    body = "\n".join(lines)
    return "/*!\n" + licence.replace("*/", "* /").strip() + "\n*/\n" + body + "\n"


def vendor_scripts() -> list[str]:
    """The vendored libraries as the page runs them, in order (each with its licence)."""
    return [_vendor_script(_resource("vendor/" + js), _resource("vendor/" + lic)) for js, lic in VENDOR]


def _csp_hash(text: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(text.encode("utf-8")).digest()).decode() + "'"


def _json_for_script(data: dict) -> str:
    """JSON that cannot end its <script> element early (no '<', '>' or '&' left)."""
    text = json.dumps(data, ensure_ascii=False, separators=(",", ":"))
    return text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")


# Cytoscape adds a <style> of its own unless the page has one with this id: ours is it, so
# the policy needs no 'unsafe-inline' (view.css carries the rule Cytoscape would add).
_CYTOSCAPE_STYLE_ID = "__________cytoscape_stylesheet"


def render_html(
    kg: EmbeddedGraph,
    entity_ids: Iterable[str],
    relation_ids: Iterable[str],
    title: str,
    highlight: Iterable[str] = (),
    note: str | None = None,
    groups: Mapping[str, Iterable[str]] | None = None,
    collapse: Mapping | None = None,
    reasons: Iterable[tuple[str, bool, Iterable[str]]] = (),
    loader: str | None = None,
    scripts_at: str | None = None,
) -> str:
    """One self-contained HTML page drawing these entities and relations in mechanism layers.

    ``highlight``: entity or relation ids to emphasise (an explanation's best path, the
    entity a neighbourhood is about). ``note`` is shown under the title. ``groups``: named
    sets of relation ids the page can show and hide; ``collapse``: a drug's summary, what
    is drawn at first and the groups that stand for the rest; ``reasons``: the paths the
    page lists to show one by one (see :func:`page_data`).

    ``loader`` (a notebook's page, :mod:`.notebook`): the vendored libraries are not inlined;
    this script runs instead, brings them (their hashes are in the page's policy) and then
    runs view.js, which the page keeps as text (``<script type="text/plain" id="imidgraph-view-js">``).

    ``scripts_at`` (a web server's page, :mod:`imidgraph.serve`): the vendored libraries are not
    inlined but loaded from this address of the same server (``{scripts_at}/cytoscape.min.js``,
    as :func:`vendor_scripts` makes them), which the policy allows ('self'); view.js stays inline.
    """
    data = page_data(kg, entity_ids, relation_ids, title, highlight, note, groups, collapse, reasons)
    scripts = vendor_scripts() + [_resource("view.js")]
    css = _resource("view.css")
    for text, end in [(css, "</style")] + [(script, "</script") for script in scripts + [loader or ""]]:
        assert end not in text.lower(), f"an inline resource contains {end}"
    hashed = [scripts[-1]] if scripts_at is not None else scripts + ([loader] if loader else [])
    sources = (["'self'"] if scripts_at is not None else []) + [_csp_hash(script) for script in hashed]
    policy = (
        "default-src 'none'; "
        f"script-src {' '.join(sources)}; "
        f"style-src {_csp_hash(css)}; img-src data:; base-uri 'none'; form-action 'none'"
    )
    if scripts_at is not None:
        tail = "".join(f'<script src="{html.escape(scripts_at)}/{js}"></script>\n' for js, _ in VENDOR)
        tail += f"<script>{scripts[-1]}</script>\n"
    elif loader is None:
        tail = "".join(f"<script>{script}</script>\n" for script in scripts)
    else:
        tail = f'<script type="text/plain" id="imidgraph-view-js">{scripts[-1]}</script>\n<script>{loader}</script>\n'
    counts = data["counts"]
    return (
        "<!DOCTYPE html>\n"
        '<html lang="en">\n<head>\n<meta charset="utf-8">\n'
        f'<meta http-equiv="Content-Security-Policy" content="{policy}">\n'
        '<meta name="viewport" content="width=device-width, initial-scale=1">\n'
        '<meta name="generator" content="imidgraph">\n'
        f"<title>{html.escape(title)} · imidgraph</title>\n"
        f'<style id="{_CYTOSCAPE_STYLE_ID}">{css}</style>\n</head>\n<body>\n'
        '<header><h1 id="title"></h1><p id="note"></p>'
        f'<p id="counts">{counts["entities"]} entities, {counts["relations"]} relations</p></header>\n'
        '<div id="legend"></div>\n'
        '<form id="filters" aria-label="filters"></form>\n'
        '<main>\n<div id="stage">\n<div id="graph" role="img" aria-label="subgraph"></div>\n'
        '<div id="tools"><button id="fit" type="button" title="Fit the picture to the window">fit</button></div>\n'
        "</div>\n"
        '<aside id="panel"><section id="reasons" aria-label="reasons"></section>'
        '<div id="details" aria-live="polite"></div></aside>\n</main>\n'
        f'<script type="application/json" id="imidgraph-data">{_json_for_script(data)}</script>\n'
        + tail
        + "</body>\n</html>\n"
    )


TOP_REASONS = 3  # an explanation's reasons drawn at first (and the first path of each other group)


def explanation_page(kg: EmbeddedGraph, explanation, loader: str | None = None, scripts_at: str | None = None) -> str:
    """An :class:`~imidgraph.explain.Explanation` as a page: its shown paths in groups (the
    reasons, the best one emphasised; with a partner; trials; against, drawn dashed; of no
    stated direction) and the drug's standing, its summary on top. A relation shared by two
    groups is drawn in the first."""
    e = explanation
    best = e.top_paths[0].relation_ids() if e.paths else []
    titles = {"paths": "reasons", "with_partner": "with a partner", "trials": "trials", "against": "against",
              "unsigned": "direction not stated"}
    if e.mode == "harm":  # harm mode: the reasons raise the target, what lowers it is apart
        titles |= {"paths": "reasons (raise it)", "against": "lowers it"}
    groups = {titles[key]: [i for p in shown for i in p.relation_ids()] for key, shown in e.groups.items() if shown}
    groups["standing"] = [r["id"] for s in e.uses for r in s.relations]
    reasons = []
    for key, shown in e.groups.items():
        for rank, p in enumerate(shown, 1):
            on = rank <= (TOP_REASONS if key == "paths" else 1)
            label = f"{titles[key]} {rank}: " + " → ".join(e.name(n) for n in p.nodes)
            reasons.append((label, on, p.relation_ids()))
    own = [r["id"] for s in e.uses if s.subject == e.drug for r in s.relations]
    others = [s for s in e.uses if s.subject != e.drug]
    if own:
        reasons.append((f"standing: {e.name(e.drug)}'s own approvals and trials", True, own))
    if others:  # regimens, partners and relatives: listed, drawn on demand
        names = "; ".join(dict.fromkeys(e.name(s.subject) for s in others))
        reasons.append((f"standing of others: {names}", False, [r["id"] for s in others for r in s.relations]))
    return render_html(
        kg,
        e.entity_ids(),
        e.relation_ids(),
        title=f"Why {e.name(e.drug)} → {e.name(e.target)}" + (" (harm mode)" if e.mode == "harm" else ""),
        highlight=[*best, e.drug, e.target],
        note=e.summary(),
        groups=groups,
        reasons=reasons,
        loader=loader,
        scripts_at=scripts_at,
    )
