"""Phrasing: a step, a path, its net effect and a citation as words (used by the text report,
the JSON document, ``--versus`` and the pictures' notes)."""

from __future__ import annotations

from .model import STRUCTURAL, USES, Findings, Path, Step
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


def benefit_words(e: Findings, path: Path) -> str:
    if e.mode == "entity":
        return "reaches it"
    if e.mode == "harm":
        return HARM_WORDS[path.benefit]
    if path.kind == "trial":
        return {1: "favourable", -1: "unfavourable", 0: "no outcome stated"}[path.benefit]
    return BENEFIT_WORDS[path.benefit]


def aspect_words(step: Step) -> str:
    aspects = sorted({r["q_aspect"].replace("_", " ") for r in step.relations if r.get("q_aspect")})
    return f" ({', '.join(aspects)})" if aspects else ""


def via_names(e: Findings, step: Step) -> list[str]:
    return sorted(e.name(v) for v in step.vias)


def clause(e: Findings, step: Step) -> str:
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
    text = f"{e.name(step.subject)} {VERB[step.predicate]} {e.name(step.object)}{aspect_words(step)}"
    if step.says_vias:
        text += f" via {', '.join(via_names(e, step))}"
    return text


def subtype(e: Findings, path: Path) -> str:
    """The member of the target a path reaches it through (a subtype of the disease), if any."""
    downs = [s for s in path.steps if s.predicate in STRUCTURAL and s.forward and s.object == e.target]
    return e.name(downs[0].subject) if downs and path.nodes[-1] == e.target and len(path.nodes) > 2 else ""


def kind_of(e: Findings) -> str:
    """What a member of the target is called: a subtype of a disease, a member of a class."""
    return "subtype" if e.mode in ("condition", "harm") else "member"


def net_effect(e: Findings, path: Path) -> str:
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
    return f"{drug} {verb} {e.name(path.nodes[k])}{aspect_words(moving[-1])}"


def lead(e: Findings, path: Path) -> str:
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
    sub = subtype(e, path)
    where = f" (shown for its {kind_of(e)} {sub})" if sub else ""
    if path.kind == "driver":
        moving = [st for st in chain if st.predicate not in STRUCTURAL]
        so = f"; so {net_effect(e, path)}" if len(moving) > 1 else ""
        text = "; ".join(said) + f"{so}, which contributes to {target}{where}"
    elif path.kind == "lesion":
        alteration = rest[0]
        also = "also" if step_sign(alteration) * path.effect > 0 else "on the other hand"
        text = "; ".join(said) + (
            f"; {e.name(alteration.subject)}, which contributes to {target}{where}, {also} "
            f"{VERB[alteration.predicate]} {e.name(m)}{aspect_words(alteration)}"
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
                f"{x}{aspect_words(tie[0])}, and cells with {more} {x} are more "
                f"{'sensitive' if path.kind == 'sensitivity' else 'resistant'} to {drug}"
            )
        elif tie and tie[0].predicate == "observed_in":
            text = f"in {target}, {x} {VERB[marker.predicate]} {drug}"
        else:
            text = f"{x} {VERB[marker.predicate]} {drug} and contributes to {target}{where}"
        text = "; ".join([*said, text]) if said else text
    elif path.kind == "partner":
        partner = rest[0]
        also = "" if partner.predicate == "binds" else " also"  # binding what the drug raises, not doing the same
        said.append(f"{e.name(partner.subject)}{also} {VERB[partner.predicate]} {e.name(m)}{aspect_words(partner)}")
        said += [clause(e, s) for s in rest[1:] if s.predicate not in STRUCTURAL or not s.forward]
        text = "; ".join(said)
    elif path.kind == "trial":
        text = "; ".join(clause(e, s) for s in steps if s.predicate not in STRUCTURAL)
        text += "".join(f"; {clause(e, o)}" + outcome_words(e, o) for o in path.outcomes)
    else:
        text = "; ".join(clause(e, s) for s in steps if s.predicate not in STRUCTURAL)
    if path.conflict:
        text += " (conflicting: the same route is also stated the other way)"
    return text + "."


def outcome_words(e: Findings, step: Step) -> str:
    """Where and how much: the trial (``in_trial``) and the figure (``value``) of each result."""
    bits = set()
    for r in step.relations:
        trial = e.name(r["q_in_trial"]) if r.get("q_in_trial") else r.get("q_trial")
        said = [x for x in (trial, r.get("q_value")) if x]
        if said:
            bits.add(": ".join(said))
    return f" ({'; '.join(sorted(bits))})" if bits else ""


def citation(r: dict) -> str:
    refs = f" refs {', '.join(map(str, r['refs']))}" if r.get("refs") else ""
    dois = " ".join(r.get("publications") or [])
    return f"{r['evidence']} · {r['source']} §{r['section']}{refs} · {dois}".rstrip(" ·")
