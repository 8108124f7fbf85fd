"""The bodies of the entity, explanation and query pages, drawn from the same JSON documents
the API returns (``show``'s, ``explain``'s, a query's rows): what a page shows is what the API
says, cited the same way."""

from __future__ import annotations

from typing import Any

from .markup import Safe, citation, entity_url, esc, h, join, table, url

ROLES = ("subject", "object", "context")


def _entity_link(end: dict) -> Safe:
    return h('<a href="{}">{}</a>', entity_url(end["id"]), end["name"])


# -- an entity ----------------------------------------------------------------------------


def entity_body(doc: dict[str, Any], names: dict[str, str]) -> Safe:
    """``show``'s document as a page: the entity, its summary, a small mechanism picture, its
    relations grouped by predicate, each with its citation a click away."""
    e, summary = doc["entity"], doc["summary"]
    facts = [h("<dt>id</dt><dd>{}</dd>", e["id"] + ("" if e["verified"] else " (identifier not verified)"))]
    if e["synonyms"]:
        facts.append(h("<dt>synonyms</dt><dd>{}</dd>", ", ".join(e["synonyms"])))
    if e["xrefs"]:
        facts.append(h("<dt>xrefs</dt><dd>{}</dd>", ", ".join(e["xrefs"])))
    if e["note"]:
        facts.append(h("<dt>note</dt><dd>{}</dd>", e["note"]))
    by_role = ", ".join(f"{n} as {role}" for role, n in summary["by_role"].items())
    counts = join(
        h("<tr><td><a href=\"#p-{0}\">{0}</a></td><td>{1}</td><td>{2}</td><td>{3}</td></tr>", p, n["subject"], n["object"], n["context"])
        for p, n in summary["by_predicate"].items()
    )
    evidence = ", ".join(f"{level} {n}" for level, n in summary["by_evidence"].items())
    by_id = {r["id"]: r for r in doc["relations"]}
    top = join(h("<li>{}</li>", _statement(by_id[i])) for i in summary["top"] if i in by_id)
    groups: dict[str, list[dict]] = {}
    for r in doc["relations"]:
        groups.setdefault(r["predicate"], []).append(r)
    sections = join(
        h('<section class="group" id="p-{p}"><h3>{p} <small>({parts})</small></h3><ul class="relations">{items}</ul></section>',
          p=p, parts=", ".join(f"{n} as {role}" for role in ROLES if (n := summary["by_predicate"][p][role])),
          items=join(_relation(r, names) for r in found))
        for p, found in groups.items()
    )  # fmt: skip
    return h(
        '<article class="entity"><h1>{name} <small>{category}</small></h1><dl>{facts}</dl>'
        '<p><a href="{json}">JSON</a></p>'
        '<div class="split"><section class="summary"><h2>{total} relation(s)</h2><p>{by_role}</p>'
        "<table class=\"counts\"><thead><tr><th>predicate</th><th>subject</th><th>object</th><th>context</th></tr></thead>"
        "<tbody>{counts}</tbody></table><p>evidence: {evidence}</p>"
        "<h2>Strongest evidence</h2><ul>{top}</ul></section>"
        '<figure class="picture"><iframe src="{picture}" title="mechanism picture of {name}" loading="lazy"></iframe>'
        '<figcaption>The mechanism around {name}: click a node or an edge for its citations. '
        '<a href="{picture}">open the picture alone</a></figcaption></figure></div>'
        "<h2>Relations by predicate</h2>{sections}</article>",
        name=e["name"], category=e["category"], facts=join(facts), json=url("/api/entity/" + e["id"]),
        total=summary["relations"], by_role=by_role, counts=counts, evidence=evidence, top=top,
        picture=url("/picture/entity/" + e["id"]), sections=sections,
    )  # fmt: skip


def _statement(r: dict) -> Safe:
    return h("{} <span class=\"predicate\">{}</span> {}", _entity_link(r["subject"]), r["predicate"], _entity_link(r["object"]))


def _qualifier(value, names: dict[str, str]) -> Safe:
    if isinstance(value, list):
        return join((_qualifier(v, names) for v in value), ", ")
    if isinstance(value, str) and value in names:
        return h('<a href="{}">{}</a>', entity_url(value), names[value])
    return esc(value)


def _relation(r: dict, names: dict[str, str]) -> Safe:
    qualifiers = join(h("<span class=\"q\">{}: {}</span>", k, _qualifier(v, names)) for k, v in r["qualifiers"].items())
    role = f" [as {', '.join(r['as'])}]" if r["as"] else ""
    return h(
        '<li id="{id}">{statement}<small>{role}</small><div class="qualifiers">{qualifiers}</div>{cite}</li>',
        id=r["id"], statement=_statement(r), role=role, qualifiers=qualifiers,
        cite=citation({**r["citation"], "evidence": r["evidence"], "paraphrase": r["paraphrase"]}),
    )  # fmt: skip


# -- an explanation -------------------------------------------------------------------------

TITLES = {"paths": "Reasons", "with_partner": "With a partner", "trials": "Trials", "against": "Against",
          "unsigned": "Direction not stated"}  # fmt: skip
HARM_TITLES = TITLES | {"paths": "Reasons (how it raises the target)", "against": "What lowers it"}


def _step(s: dict) -> Safe:
    cites = join(citation(r) for r in s["relations"])
    support = join(citation(r) for r in s.get("support", []))
    return h('<li class="step sign{sign}">{text}{cites}{support}</li>', sign=s["sign"], text=s["text"], cites=cites,
             support=h('<div class="support">also: {}</div>', support) if support else "")  # fmt: skip


def _path(p: dict) -> Safe:
    nodes = join((_entity_link(n) for n in p["nodes"]), " → ")
    steps = join(_step(s) for s in [*p["steps"], *p["outcomes"]])
    stated = h('<p class="stated">stated: {}</p>', _step(p["stated"])) if p.get("stated") else ""
    return h(
        '<li class="path"><p class="sentence">{sentence}</p><p class="route">{nodes} '
        "<small>score {score}; {benefit}</small></p><ol class=\"steps\">{steps}</ol>{stated}</li>",
        sentence=p["sentence"], nodes=nodes, score=f"{p['score']:.3f}", benefit=p["benefit"] or p["effect"],
        steps=steps, stated=stated,
    )  # fmt: skip


def _paths(title: str, key: str, paths: list[dict], total: int) -> Safe:
    if not paths:
        return Safe("")
    more = h(" <small>({} of {})</small>", len(paths), total) if total > len(paths) else ""
    return h('<section class="group" id="{key}"><h2>{title}{more}</h2><ol class="paths">{items}</ol></section>',
             key=key, title=title, more=more, items=join(_path(p) for p in paths))  # fmt: skip


def explanation_body(doc: dict[str, Any], asked: dict[str, Any]) -> Safe:
    """``explain``'s document as a page: the summary, the picture, the reasons, with a partner,
    trials, against, of no stated direction, the standing, versus, what is not known."""
    titles = HARM_TITLES if doc["mode"] == "harm" else TITLES
    groups = join(_paths(titles[k], k, doc[k], doc["counts"].get(k, len(doc[k]))) for k in TITLES)
    standing = join(_step(s) for s in doc["standing"])
    versus = _versus(doc["versus"]) if doc["versus"] else ""
    unknown = join(
        h("<li>{q}{cites}</li>", q=u["question"], cites=join(citation(r) for r in u["relations"])) for u in doc["not_known"]
    )
    share = url("/explain", **asked)
    return h(
        '<article class="explanation"><h1>Why {drug} → {target}</h1><p class="summary">{summary}</p>'
        '<p class="share">Link to this answer: <a id="share" href="{share}">{share}</a> · <a href="{json}">JSON</a></p>'
        '<figure class="picture wide"><iframe src="{picture}" title="the explanation as a picture"></iframe>'
        '<figcaption>Click an edge for its citations. <a href="{picture}">open the picture alone</a></figcaption></figure>'
        "{groups}{standing}{versus}{unknown}</article>",
        drug=_entity_link(doc["drug"]), target=_entity_link(doc["target"]), summary=doc["summary"], share=share,
        json=url("/api/explain", **asked), picture=url("/picture/explain", **asked), groups=groups,
        standing=h('<section class="group" id="standing"><h2>Standing</h2><ul class="steps">{}</ul></section>', standing) if standing else "",
        versus=versus,
        unknown=h('<section class="group" id="not-known"><h2>Not known</h2><ul>{}</ul></section>', unknown) if unknown else "",
    )  # fmt: skip


def _versus(v: dict) -> Safe:
    contrasts = join(
        h("<li><strong>{status}</strong> ({drug}): {step}{others}</li>", status=c["status"], drug=c["drug"],
          step=_step(c["step"]), others=join(citation(r) for r in c["other_relations"]))
        for c in v["contrasts"]
    )  # fmt: skip
    own = join(_path(p) for p in v["own_routes"])
    other = join(_path(p) for p in v["other_routes"])
    return h(
        '<section class="group" id="versus"><h2>Versus {drug}</h2>{empty}<ul class="contrasts">{contrasts}</ul>'
        "{own}{other}</section>",
        drug=_entity_link(v["drug"]), empty=h("<p>{}</p>", v["empty_reason"]) if v["empty_reason"] else "",
        contrasts=contrasts, own=h("<h3>Own routes</h3><ol class=\"paths\">{}</ol>", own) if own else "",
        other=h("<h3>The other drug's routes</h3><ol class=\"paths\">{}</ol>", other) if other else "",
    )  # fmt: skip


# -- the query catalogue ---------------------------------------------------------------------


def query_form(query, given: dict[str, str]) -> Safe:
    fields = join(
        h('<label>{key} <small>({kind}: {doc})</small><input name="{key}" value="{value}" maxlength="300"></label>',
          key=p.key, kind=p.kind, doc=p.doc, value=given.get(p.key, p.example))
        for p in query.params
    )  # fmt: skip
    return h('<form class="query" action="{action}" method="get">{fields}<button type="submit" name="run" value="1">Run</button></form>',
             action=url("/queries/" + query.name), fields=fields)  # fmt: skip


def query_result(query, given: dict[str, str], table_obj, href) -> Safe:
    csv = url(f"/api/query/{query.name}/csv", **given)
    return h(
        '<p class="rows-count">{n} row(s) · <a id="csv" href="{csv}" download="{name}.csv">download CSV</a> · '
        '<a href="{json}">JSON</a></p>{table}',
        n=len(table_obj.rows), csv=csv, name=query.name, json=url(f"/api/query/{query.name}", **given),
        table=table(list(table_obj.columns), [list(r) for r in table_obj.rows], href),
    )  # fmt: skip
