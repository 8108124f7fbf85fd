"""Words: the summary and the text report of an explanation (the phrasing of steps and paths
is in :mod:`.phrases`, the JSON document in :mod:`.document`)."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from .. import schema
from . import unknowns, versus
from .model import Findings, Path, Step
from .phrases import (
    VERB,
    aspect_words,
    benefit_words,
    citation,
    clause,
    kind_of,
    lead,
    net_effect,
    outcome_words,
    subtype,
    via_names,
)

GROUP_TITLES = {
    "paths": "Reasons",
    "with_partner": "With a partner",
    "against": "Against",
    "unsigned": "Direction not stated",
    "trials": "Trials (favourable, or no outcome stated; unfavourable ones are under Against)",
}
HARM_TITLES = {**GROUP_TITLES, "paths": "Reasons (routes that raise it)", "against": "Lowers it"}


def group_titles(e: Findings) -> dict[str, str]:
    return HARM_TITLES if e.mode == "harm" else GROUP_TITLES


def mode_line(e: Findings) -> str:
    """Which question was answered, for harm mode (text and picture)."""
    if e.mode != "harm":
        return ""
    return (
        f"Harm mode: {e.name(e.target)} is a harm; reasons are the routes by which {e.name(e.drug)} raises it, "
        "and what lowers it is shown apart."
    )


STANDING_WORDS = {
    "approved_for": "approved",
    "studied_clinically_for": "studied clinically",
    "active_preclinically_in": "active in preclinical models",
    "has_side_effect": "a known side effect",
}


def borrowed_words(path: Path) -> str:
    """Where a path's evidence comes from when not from the disease itself."""
    return "; ".join(path.borrowed)


def _counts(e: Findings) -> str:
    against = "lowering it" if e.mode == "harm" else "against"
    groups = (("with_partner", "with a partner"), ("trials", "trial(s)"), ("against", against), ("unsigned", "of no stated direction"))
    said = [f"{len(e.paths)} reason(s)"] + [f"{len(e.every_group[k])} {words}" for k, words in groups if e.every_group[k]]
    return ", ".join(said)


def standing_clause(e: Findings, step: Step, aspect: bool = False) -> str:
    """One clinical relation of the standing, subject first: the drug's own (``lenalidomide has
    the side effect t-MN``), its class's, a regimen's holding it, or another agent's given with
    it; and whether it is stated for a parent of the target or shown for a subtype of it."""
    settings = sorted({r["q_setting"] for r in step.relations if r.get("q_setting")})
    extra = f" ({'; '.join(settings)})" if settings else ""
    text = f"{e.name(step.subject)} {VERB[step.predicate]} {e.name(step.object)}{aspect_words(step) if aspect else ''}{extra}"
    if step.subject != e.drug:
        named = sorted({x for r in step.relations for x in r.get("q_combined_with") or ()})
        if named:
            text += f", given with {', '.join(e.name(x) for x in named)}"
        of_class = [x for x in (step.subject, *named) if e.kin.get(x) == "class"]
        if of_class:
            article = "an" if e.name(of_class[0])[:1].lower() in "aeiou" else "a"
            text += f" ({e.name(e.drug)} is {article} {e.name(of_class[0])})"
    relative = e.kin.get(step.object)
    if relative == "parent":
        text += " (stated for the parent)"
    elif relative == "subtype":
        text += " (a subtype)"
    return text


def _standing(e: Findings) -> str:
    """The standing, short: the drug's own uses of the target in a word each (``approved
    (relapsed); studied clinically``); only when it has none, whatever else holds it (a parent's
    or subtype's use, a class's, a regimen's or partner's given with it), two clauses at most and
    a count of the rest (the Standing section lists every one)."""
    own, others = [], []
    for step in e.uses:
        if step.subject == e.drug and step.object == e.target:
            settings = sorted({r["q_setting"] for r in step.relations if r.get("q_setting")})
            extra = f" ({'; '.join(settings)})" if settings else ""
            own.append(f"{STANDING_WORDS.get(step.predicate, VERB[step.predicate])}{extra}")
        else:
            others.append(step)
    if own:
        more = f" (+{len(others)} more under Standing: regimens, partners, relatives)" if others else ""
        return "; ".join(own) + more
    said = [standing_clause(e, s) for s in others[:2]]
    if len(others) > 2:
        said.append(f"+{len(others) - 2} more under Standing")
    return "; ".join(said)


def summary(e: Findings) -> str:
    """At most three short sentences: the main route, its net effect with what else there is (the
    sections below hold it), the drug's standing. With ``--versus`` a fourth says the contrast."""
    drug, target = e.name(e.drug), e.name(e.target)
    text = []
    if not e.paths:
        if e.mode == "harm":
            text.append(f"No mechanism route by which {drug} raises {target} is in the graph.")
        else:
            text.append(f"No mechanism path links {drug} to {target} in the graph as a reason.")
        if e.all_paths:
            text.append(f"Found: {_counts(e)}.")
    else:
        best = e.paths[0]
        label = f" ({borrowed_words(best)})" if best.borrowed else ""
        text += [f"Main route{label}: {lead(e, best)}", f"Net: {net_effect(e, best)}; {_counts(e)}."]
    standing = _standing(e)
    if standing:
        text.append(f"Standing: {standing}.")
    if e.versus is not None:
        text.append(versus.sentence(e))
    return " ".join(text)


# one line under the summary: what the scores and the order mean (--explain-scores says more)
LEGEND = (
    "Key: score = evidence × specificity × context × mechanism × distance × novelty (factors of 1 not printed); "
    "order: signed before unsigned, the disease's own evidence before borrowed, distinct mechanisms "
    "before variants, then score. --explain-scores explains each."
)

SCORE_KEY = {
    "score": "evidence × specificity × context × mechanism × distance × novelty; it orders paths within a group, "
    "after the disease's own evidence (tier 0) and before borrowed evidence (tiers 1-2); groups are never mixed",
    "evidence": "geometric mean over the steps of the best evidence level stating each: approved 1.0, phase 3 0.9, "
    "phase 2 0.85, phase 1 0.8, clinical observation 0.75, in vivo 0.7, in vitro 0.65, review statement 0.6",
    "specificity": "product over the entities inside the path of degree^-0.4 (degree = relations of the entity): "
    "a path through a hub explains less (Hetionet's degree-weighted path count)",
    "context": "1.25 if a step was observed in the disease itself (or a subtype) or with the partner; "
    "0.8 if a step was observed only in other diseases; else 1",
    "mechanism": "0.5 for a disease path that needs a partner agent or starts from a marker; else 1",
    "distance": "0.8 per subclass_of step between the target and the disease (or class, member) a path's ending "
    "names: a fact stated for B-cell neoplasm counts 0.64 for mantle cell lymphoma, two levels down",
    "novelty": "0.25^k, k = the path's mechanism entities that a path ranked above it in its group already shows "
    "(a variant of a mechanism already listed)",
    "stated directly": "a summary statement folded into the path; the path takes its score when higher",
    "borrowed": "evidence not from the disease itself: a parent's fact (stated for B-cell lymphoma), a step seen "
    "only in another disease (seen in CLL, shown in mouse ...); ranked after the disease's own",
    "DWPC": "degree-weighted path count: the sum of the specificity of every path found (all groups), "
    "how strongly the graph connects the drug to the target, however the paths act",
}


def score_key() -> str:
    """The full key of the scores (``imidgraph explain --explain-scores``)."""
    width = max(map(len, SCORE_KEY))
    lines = ["How the scores are made (docs/explain.md#5-ranking)"]
    for name, meaning in SCORE_KEY.items():
        lines.append(textwrap.fill(meaning, width=100, initial_indent=f"  {name.ljust(width)}  ", subsequent_indent=" " * (width + 4)))
    return "\n".join(lines) + "\n"


def _qualifier_text(e: Findings, r: dict) -> str:
    """The qualifiers of a relation for people, all but ``detail``."""
    return "; ".join(
        f"{key.replace('_', ' ')}: {schema.qualifier_text(key, r[f'q_{key}'], e.name)}"
        for key in schema.QUALIFIERS
        if key != "detail" and f"q_{key}" in r
    )


def _arrow(e: Findings, path: Path) -> str:
    out = e.name(path.nodes[0])
    for node, step in zip(path.nodes[1:], path.steps, strict=True):
        out += f" -{step.predicate}-> " if step.forward else f" <-{step.predicate}- "
        out += e.name(node)
    return out


def _path_lines(e: Findings, rank: int, path: Path) -> list[str]:
    stated_better = path.stated is not None and path.stated_score > path.own_score
    lines = [
        f"{rank}. [{path.kind}] score {path.score:.4f} = "
        + (f"stated {path.stated_score:.4f}" if stated_better else f"evidence {path.evidence:.2f} × specificity {path.specificity:.3f}")
        + (f" × context {path.context:g}" if path.context != 1 and not stated_better else "")
        + (f" × mechanism {path.mechanism:g}" if path.mechanism != 1 and not stated_better else "")
        + (f" × distance {path.distance:.3g}" if path.distance != 1 and not stated_better else "")
        + (f" × novelty {path.novelty:g} (repeats {', '.join(e.name(x) for x in path.repeats)})" if path.repeats else ""),
        f"   {_arrow(e, path)}",
        f"   net: {net_effect(e, path)} ({benefit_words(e, path)})"
        + (f"; stated for the {e.name(path.nodes[path.head])} class" if path.via_class else "")
        + (f"; stated for its member {e.name(path.nodes[path.head])}" if path.via_member else "")
        + (f"; shown for its {kind_of(e)} {subtype(e, path)}" if subtype(e, path) else "")
        + (f"; borrowed: {borrowed_words(path)}" if path.borrowed else "")
        + ("; conflicting: the same route is also stated the other way" if path.conflict else ""),
    ]
    if path.stated is not None:
        said = clause(e, path.stated)
        if " via " not in said and path.stated.vias:
            said += f" via {', '.join(via_names(e, path.stated))}"
        own = (
            f"; the path's own score {path.own_score:.4f} = evidence {path.evidence:.2f} × specificity {path.specificity:.3f}"
            + (f" × context {path.context:g}" if path.context != 1 else "")
            + (f" × mechanism {path.mechanism:g}" if path.mechanism != 1 else "")
        )
        lines.append(f"   stated directly: {said}" + (f" (score {path.stated_score:.4f}{own})" if stated_better else ""))
        lines += _relation_lines(e, path.stated.relations, "        ")
    for i, step in enumerate(path.steps, 1):
        lines.append(f"   {i}) {clause(e, step)}")
        lines += _relation_lines(e, step.relations, "        ")
        for via, r in step.support:
            lines.append(f"        through: {e.name(step.subject)} {VERB[r['predicate']]} {e.name(via)}")
            lines += _relation_lines(e, [r], "          ")
    for step in path.outcomes:
        lines.append(f"   outcome) {clause(e, step)}{outcome_words(e, step)}")
        lines += _relation_lines(e, step.relations, "        ")
    lines.append("")
    return lines


def text(e: Findings) -> str:
    d, t = e.entities[e.drug], e.entities[e.target]
    lines = [
        f"Why {d['name']} -> {t['name']}",
        f"  {d['name']} [{d['category']}, {e.drug}]  ·  {t['name']} [{t['category']}, {e.target}]",
        "",
        _wrap(summary(e), "  "),
        "",
        _wrap(f"{LEGEND} DWPC {e.dwpc:.3f}: the degree-weighted count of every path found.", "  "),
        "",
    ]
    if mode_line(e):
        lines[3:3] = [_wrap(mode_line(e), "  "), ""]
    if e.uses:
        lines.append("Standing")
        for step in e.uses:
            lines.append(f"  {standing_clause(e, step, aspect=True)}")
            lines += _relation_lines(e, step.relations, "    ")
        lines.append("")
    everything = {"paths": e.paths, "with_partner": e.with_partner, "against": e.against, "unsigned": e.unsigned, "trials": e.trials}
    for key, shown in e.groups.items():
        if not shown:
            continue
        if key != "paths" or e.mode == "harm" or e.with_partner or e.against or e.unsigned or e.trials:
            lines += [group_titles(e)[key], ""]
        for rank, path in enumerate(shown, 1):
            lines += _path_lines(e, rank, path)
        hidden = len(everything[key]) - len(shown)
        if hidden > 0:
            lines += [f"({hidden} more path(s) here: --top 0 shows all)", ""]
    if e.versus is not None:
        lines += versus.lines(e)
    lines += unknowns.lines(e)
    return "\n".join(lines).rstrip() + "\n"


def _relation_lines(e: Findings, relations: Iterable[dict], indent: str) -> list[str]:
    lines = []
    for r in relations:
        qualifiers = _qualifier_text(e, r)
        if "_subject" in r:
            lines.append(f"{indent}{e.name(r['_subject'])} -{r['predicate']}-> {e.name(r['_object'])}")
        lines.append(f"{indent}{citation(r)}")
        if qualifiers:
            lines.append(f"{indent}  {qualifiers}")
        lines.append(f"{indent}  “{r['paraphrase']}”")
    return lines


def _wrap(text: str, indent: str, width: int = 100) -> str:
    return textwrap.fill(text, width=width, initial_indent=indent, subsequent_indent=indent, break_on_hyphens=False)
