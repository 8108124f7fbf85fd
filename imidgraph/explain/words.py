"""Words: sentences, the text report and the JSON document of an explanation."""

from __future__ import annotations

import textwrap
from collections.abc import Iterable

from .. import schema
from .model import STRUCTURAL, USES, Explanation, Path, Step
from .signs import step_sign

VERB = {
    "binds": "binds",
    "has_part": "has the part",
    "subclass_of": "is a",
    "derived_from": "is derived from",
    "degrades": "degrades",
    "increases": "increases",
    "decreases": "decreases",
    "potentiates": "enhances",
    "produced_by": "is produced by",
    "mediates": "carries out",
    "contributes_to": "contributes to",
    "approved_for": "is approved for",
    "studied_clinically_for": "is studied clinically in",
    "active_preclinically_in": "is active in preclinical models of",
    "has_side_effect": "has the side effect",
    "associated_with_sensitivity_to": "is associated with sensitivity to",
    "associated_with_resistance_to": "is associated with resistance to",
    "correlated_with": "is correlated with",
    "modulates": "modulates",
    "observed_in": "is observed in",
    "tested_with": "was tried in the clinic with",
    "has_outcome": "had the outcome",
}
# a has_outcome step's verb, from its relations' direction
OUTCOME_VERB = {"increased": "raised", "decreased": "lowered", "not_improved": "did not improve"}
BENEFIT_WORDS = {1: "helps", -1: "harms", 0: "direction not stated"}
# harm mode: a reason raises the harm, what lowers it is shown apart
HARM_WORDS = {1: "raises it", -1: "lowers it", 0: "direction not stated"}


def benefit_words(e: Explanation, path: Path) -> str:
    if e.mode == "entity":
        return "reaches it"
    if e.mode == "harm":
        return HARM_WORDS[path.benefit]
    if path.kind == "trial":
        return {1: "favourable", -1: "unfavourable", 0: "no outcome stated"}[path.benefit]
    return BENEFIT_WORDS[path.benefit]
GROUP_TITLES = {
    "paths": "Reasons",
    "with_partner": "With a partner",
    "against": "Against",
    "unsigned": "Direction not stated",
    "trials": "Trials (favourable, or no outcome stated; unfavourable ones are under Against)",
}
HARM_TITLES = {**GROUP_TITLES, "paths": "Reasons (routes that raise it)", "against": "Lowers it"}


def group_titles(e: Explanation) -> dict[str, str]:
    return HARM_TITLES if e.mode == "harm" else GROUP_TITLES


def mode_line(e: Explanation) -> str:
    """Which question was answered, for harm mode (text and picture)."""
    if e.mode != "harm":
        return ""
    return (
        f"Harm mode: {e.name(e.target)} is a harm; reasons are the routes by which {e.name(e.drug)} raises it, "
        "and what lowers it is shown apart."
    )


def _aspect(step: Step) -> str:
    aspects = sorted({r["q_aspect"].replace("_", " ") for r in step.relations if r.get("q_aspect")})
    return f" ({', '.join(aspects)})" if aspects else ""


def _vias(e: Explanation, step: Step) -> list[str]:
    return sorted(e.name(v) for v in step.vias)


def clause(e: Explanation, step: Step) -> str:
    """The step as a plain statement, subject first: ``lenalidomide degrades CSNK1A1 via CRBN``."""
    if step.predicate == "observed_in":
        said = []
        for r in step.relations:
            if r["predicate"] in USES:
                said.append(f"{e.name(r['_subject'])} {VERB[r['predicate']]} {e.name(r['_object'])} via {e.name(step.subject)}")
            else:
                said.append(f"{e.name(r['_subject'])} {VERB[r['predicate']]} {e.name(r['_object'])} in {e.name(r['q_disease_context'])}")
        return "; ".join(dict.fromkeys(said))
    if step.predicate == "tested_with":
        return f"{e.name(step.object)} {VERB['tested_with']} {e.name(step.subject)}"
    if step.predicate == "has_outcome":
        directions = {r.get("q_direction") for r in step.relations}
        verb = OUTCOME_VERB.get(directions.pop(), VERB["has_outcome"]) if len(directions) == 1 else VERB["has_outcome"]
        return f"{e.name(step.subject)} {verb} {e.name(step.object)}"
    text = f"{e.name(step.subject)} {VERB[step.predicate]} {e.name(step.object)}{_aspect(step)}"
    if step.vias and (step.predicate in ("degrades", "potentiates") or step.support):
        text += f" via {', '.join(_vias(e, step))}"
    return text


def _subtype(e: Explanation, path: Path) -> str:
    """The member of the target a path reaches it through (a subtype of the disease), if any."""
    downs = [s for s in path.steps if s.predicate in STRUCTURAL and s.forward and s.object == e.target]
    return e.name(downs[0].subject) if downs and path.nodes[-1] == e.target and len(path.nodes) > 2 else ""


def _kind_of(e: Explanation) -> str:
    """What a member of the target is called: a subtype of a disease, a member of a class."""
    return "subtype" if e.mode in ("condition", "harm") else "member"


def net_effect(e: Explanation, path: Path) -> str:
    """The drug's net effect in words: ``lenalidomide lowers myeloma cell (survival)``."""
    drug = e.name(path.nodes[path.head if path.via_member else 0])
    k = path.chain_length
    moving = [s for s in path.steps[:k] if s.predicate not in STRUCTURAL]
    if path.kind == "trial":
        partner = next((s.subject for s in path.steps if s.predicate in STRUCTURAL and s.object == e.target and s.forward), e.target)
        return f"{drug} and {e.name(partner)} were tried together"
    if path.kind in ("sensitivity", "resistance"):
        how = "better" if path.kind == "sensitivity" else "less well"
        return f"{drug} works {how} in {e.name(e.target)} ({e.name(path.nodes[k + 1])}: a marker of {path.kind})"
    if path.kind == "potentiates":
        return f"{drug} enhances {e.name(path.nodes[k + 1])}"
    if not moving:
        return f"{drug} acts"
    verb = {1: "raises", -1: "lowers", 0: "acts on"}[path.effect]
    if e.mode == "harm" and len(moving) == 1 and moving[0].predicate == "binds":
        verb = "binds"  # harm mode reads a lone binding as engaging the harm's mediator
    return f"{drug} {verb} {e.name(path.nodes[k])}{_aspect(moving[-1])}"


def lead(e: Explanation, path: Path) -> str:
    """One sentence saying what a path means, built from its steps, with its net effect."""
    drug = e.name(path.nodes[path.head if path.via_member else 0])
    steps = path.steps
    chain = list(steps[: path.chain_length])
    m = path.nodes[len(chain)]
    said = [clause(e, s) for s in chain if s.predicate not in STRUCTURAL]
    if path.via_class:
        said.insert(0, f"stated for the {e.name(path.nodes[path.head])} class")
    elif path.via_member:
        said.insert(0, f"stated for its member {e.name(path.nodes[path.head])}")
    rest = steps[len(chain):]
    target = e.name(e.target)
    last = steps[-1] if steps else None
    if last is not None and last.predicate == "subclass_of" and last.subject == e.target and last.object != e.target:
        # reached through a class of the target (any depth): say what the fact is about
        up = len(steps) - 1
        while up > 0 and steps[up - 1].predicate == "subclass_of" and not steps[up - 1].forward:
            up -= 1
        target = f"{e.name(steps[up].object)} (of which {target} is a kind)"
    sub = _subtype(e, path)
    where = f" (shown for its {_kind_of(e)} {sub})" if sub else ""
    if path.kind == "driver":
        moving = [st for st in chain if st.predicate not in STRUCTURAL]
        so = f"; so {net_effect(e, path)}" if len(moving) > 1 else ""
        text = "; ".join(said) + f"{so}, which contributes to {target}{where}"
    elif path.kind == "lesion":
        alteration = rest[0]
        also = "also" if step_sign(alteration) * path.effect > 0 else "on the other hand"
        text = "; ".join(said) + (
            f"; {e.name(alteration.subject)}, which contributes to {target}{where}, {also} "
            f"{VERB[alteration.predicate]} {e.name(m)}{_aspect(alteration)}"
        )
    elif path.kind == "observed":
        text = "; ".join(said) + f"; {clause(e, rest[0])}"
    elif path.kind in ("sensitivity", "resistance"):
        marker, tie = rest[0], rest[1:]
        x = e.name(marker.subject)
        if tie and tie[0].predicate in ("increases", "decreases") and not tie[0].forward:
            more = "less" if tie[0].predicate == "decreases" else "more"
            text = (
                f"{e.name(tie[0].subject)}, which contributes to {target}{where}, {VERB[tie[0].predicate]} "
                f"{x}{_aspect(tie[0])}, and cells with {more} {x} are more "
                f"{'sensitive' if path.kind == 'sensitivity' else 'resistant'} to {drug}"
            )
        elif tie and tie[0].predicate == "observed_in":
            text = f"in {target}, {x} {VERB[marker.predicate]} {drug}"
        else:
            text = f"{x} {VERB[marker.predicate]} {drug} and contributes to {target}{where}"
        text = "; ".join([*said, text]) if said else text
    elif path.kind == "partner":
        partner = rest[0]
        said.append(f"{e.name(partner.subject)} also {VERB[partner.predicate]} {e.name(m)}{_aspect(partner)}")
        said += [clause(e, s) for s in rest[1:] if s.predicate not in STRUCTURAL or not s.forward]
        text = "; ".join(said)
    elif path.kind == "trial":
        text = "; ".join(clause(e, s) for s in steps if s.predicate not in STRUCTURAL)
        text += "".join(f"; {clause(e, o)}" + _outcome_words(e, o) for o in path.outcomes)
    else:
        text = "; ".join(clause(e, s) for s in steps if s.predicate not in STRUCTURAL)
    if path.conflict:
        text += " (conflicting: the same route is also stated the other way)"
    return text + "."


def _outcome_words(e: Explanation, step: Step) -> str:
    """Where and how much: the trial (``in_trial``) and the figure (``value``) of each result."""
    bits = set()
    for r in step.relations:
        trial = e.name(r["q_in_trial"]) if r.get("q_in_trial") else r.get("q_trial")
        said = [x for x in (trial, r.get("q_value")) if x]
        if said:
            bits.add(": ".join(said))
    return f" ({'; '.join(sorted(bits))})" if bits else ""


def standing_clause(e: Explanation, step: Step, aspect: bool = False) -> str:
    """One clinical relation of the standing, subject first: the drug's own (``lenalidomide has
    the side effect t-MN``), its class's, a regimen's holding it, or another agent's given with
    it; and whether it is stated for a parent of the target or shown for a subtype of it."""
    settings = sorted({r["q_setting"] for r in step.relations if r.get("q_setting")})
    extra = f" ({'; '.join(settings)})" if settings else ""
    text = f"{e.name(step.subject)} {VERB[step.predicate]} {e.name(step.object)}{_aspect(step) if aspect else ''}{extra}"
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


def _standing(e: Explanation) -> str:
    own = [s for s in e.uses if s.subject == e.drug and s.object == e.target]
    parts = [standing_clause(e, s) for s in e.uses if s not in own]
    if own:  # the drug's own standing for the target, said once: "lenalidomide is approved for X; is studied ..."
        first = standing_clause(e, own[0])
        parts.insert(0, "; ".join([first] + [standing_clause(e, s)[len(e.name(e.drug)) + 1 :] for s in own[1:]]))
    return "; ".join(parts) + "." if parts else ""


def summary(e: Explanation) -> str:
    drug, target = e.name(e.drug), e.name(e.target)
    text = []
    if not e.paths:
        text.append(f"No mechanism path links {drug} to {target} in the graph as a reason.")
    else:
        best = e.top_paths
        text += [
            f"{len(e.paths)} reason(s) link {drug} to {target} (DWPC {e.dwpc:.3f}).",
            f"Main route: {lead(e, best[0])} Net: {net_effect(e, best[0])}.",
        ]
        if len(best) > 1:
            text.append("Also: " + " ".join(lead(e, p) for p in best[1:3]))
    if e.with_partner:
        text.append(f"With a partner ({len(e.with_partner)}): {lead(e, e.with_partner[0])}")
    if e.against:
        title = "Lowers it" if e.mode == "harm" else "Against"
        text.append(f"{title} ({len(e.against)}): {lead(e, e.against[0])} Net: {net_effect(e, e.against[0])}.")
    if e.trials:
        text.append(f"Trials ({len(e.trials)}): {lead(e, e.trials[0])}")
    if e.unsigned:
        text.append(f"{len(e.unsigned)} more path(s) of no stated direction.")
    standing = _standing(e)
    if standing:
        text.append(f"Standing: {standing}")
    if e.versus is not None:
        text.append(_versus_sentence(e))
    return " ".join(text)


def _versus_sentence(e: Explanation) -> str:
    other = e.name(e.versus)
    mine = [c for c in e.contrasts if c.drug == e.drug]
    theirs = [c for c in e.contrasts if c.drug != e.drug]
    said = []
    for c in mine:
        parts = []
        if "more_than" in c.statuses:
            parts.append(f"{clause(e, c.step)} more than {other} does")
        if "not_with" in c.statuses:
            settings = [_setting(e, r) for r in c.step.relations if c.other in (r.get("q_not_with") or [])]
            where = f" in {', '.join(x for x in settings if x)}" if any(settings) else ""
            lead_in = f"{e.name(e.drug)} {VERB[c.step.predicate]} {e.name(c.step.object)}" if parts else clause(e, c.step)
            parts.append(f"{lead_in}{where} where {other} does not")
        if "other_more" in c.statuses:
            parts.append(f"{other} {VERB[c.step.predicate]} {e.name(c.step.object)} more")
        said += parts
    missing = sorted({e.name(c.step.object) for c in mine if c.status == "not_stated"})
    if missing:
        said.append(f"no relation of {other} to {', '.join(missing)} is stated")
    shared = sorted({e.name(c.step.object) for c in mine if c.status == "shared"})
    if shared:
        said.append(f"both act on {', '.join(shared)}")
    theirs_only = sorted({e.name(c.step.object) for c in theirs if c.status in ("not_stated", "more_than", "not_with")})
    if theirs_only:
        said.append(f"{other}'s own paths go through {', '.join(theirs_only)}, not stated (or less) for {e.name(e.drug)}")
    if not e.other_paths:
        said.append(f"no mechanism path links {other} to {e.name(e.target)}")
    return f"Versus {other}: " + "; ".join(said) + "."


def _setting(e: Explanation, r: dict) -> str:
    """Where a relation was observed: cell, disease, species."""
    bits = [e.name(r[k]) for k in ("q_cell_context", "q_disease_context") if r.get(k)]
    if r.get("q_species"):
        bits.append(r["q_species"])
    return " ".join(bits[:1]) + (f" ({', '.join(bits[1:])})" if len(bits) > 1 else "")


def _cite(r: dict) -> str:
    refs = f" refs {', '.join(map(str, r['refs']))}" if r.get("refs") else ""
    dois = " ".join(r.get("publications") or [])
    return f"{r['evidence']} · {r['source']} §{r['section']}{refs} · {dois}".rstrip(" ·")


def _qualifier_text(e: Explanation, r: dict) -> str:
    """The qualifiers of a relation for people, all but ``detail``."""
    return "; ".join(
        f"{key.replace('_', ' ')}: {schema.qualifier_text(key, r[f'q_{key}'], e.name)}"
        for key in schema.QUALIFIERS
        if key != "detail" and f"q_{key}" in r
    )


def _arrow(e: Explanation, path: Path) -> str:
    out = e.name(path.nodes[0])
    for node, step in zip(path.nodes[1:], path.steps, strict=True):
        out += f" -{step.predicate}-> " if step.forward else f" <-{step.predicate}- "
        out += e.name(node)
    return out


_STATUS_WORDS = {
    "more_than": "stronger than {other}",
    "not_with": "not with {other}",
    "other_more": "weaker than {other}",
    "not_stated": "not stated for {other}",
    "shared": "shared with {other}",
}


def _path_lines(e: Explanation, rank: int, path: Path) -> list[str]:
    lines = [
        f"{rank}. [{path.kind}] score {path.score:.4f} = evidence {path.evidence:.2f} × specificity "
        f"{path.specificity:.3f}"
        + (f" × context {path.context:g}" if path.context != 1 else "")
        + (f" × mechanism {path.mechanism:g}" if path.mechanism != 1 else "")
        + (f" × distance {path.distance:.3g}" if path.distance != 1 else ""),
        f"   {_arrow(e, path)}",
        f"   net: {net_effect(e, path)} ({benefit_words(e, path)})"
        + (f"; stated for the {e.name(path.nodes[path.head])} class" if path.via_class else "")
        + (f"; stated for its member {e.name(path.nodes[path.head])}" if path.via_member else "")
        + (f"; shown for its {_kind_of(e)} {_subtype(e, path)}" if _subtype(e, path) else "")
        + ("; conflicting: the same route is also stated the other way" if path.conflict else ""),
    ]
    if path.stated is not None:
        said = clause(e, path.stated)
        if " via " not in said and path.stated.vias:
            said += f" via {', '.join(_vias(e, path.stated))}"
        better = path.stated_score > path.own_score
        lines.append(f"   stated directly: {said}" + (f" (score {path.stated_score:.4f})" if better else ""))
        lines += _relation_lines(e, path.stated.relations, "        ")
    for i, step in enumerate(path.steps, 1):
        lines.append(f"   {i}) {clause(e, step)}")
        lines += _relation_lines(e, step.relations, "        ")
        for via, r in step.support:
            lines.append(f"        through: {e.name(step.subject)} {VERB[r['predicate']]} {e.name(via)}")
            lines += _relation_lines(e, [r], "          ")
    for step in path.outcomes:
        lines.append(f"   outcome) {clause(e, step)}")
        lines += _relation_lines(e, step.relations, "        ")
    lines.append("")
    return lines


def text(e: Explanation) -> str:
    d, t = e.entities[e.drug], e.entities[e.target]
    lines = [
        f"Why {d['name']} -> {t['name']}",
        f"  {d['name']} [{d['category']}, {e.drug}]  ·  {t['name']} [{t['category']}, {e.target}]",
        "",
        _wrap(summary(e), "  "),
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
        lines.append(f"Versus {e.name(e.versus)}")
        for c in e.contrasts:
            words = ", ".join(_STATUS_WORDS[x].format(other=e.name(c.other)) for x in c.statuses)
            lines.append(f"  {words}: {clause(e, c.step)}")
            for r in c.other_relations:
                lines.append(f"      {e.name(c.other)}: {_cite(r)}")
    return "\n".join(lines).rstrip() + "\n"


def _relation_lines(e: Explanation, relations: Iterable[dict], indent: str) -> list[str]:
    lines = []
    for r in relations:
        qualifiers = _qualifier_text(e, r)
        if "_subject" in r:
            lines.append(f"{indent}{e.name(r['_subject'])} -{r['predicate']}-> {e.name(r['_object'])}")
        lines.append(f"{indent}{_cite(r)}")
        if qualifiers:
            lines.append(f"{indent}  {qualifiers}")
        lines.append(f"{indent}  “{r['paraphrase']}”")
    return lines


def _wrap(text: str, indent: str, width: int = 100) -> str:
    return textwrap.fill(text, width=width, initial_indent=indent, subsequent_indent=indent)
