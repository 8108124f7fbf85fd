"""Signs and contexts: which way a path acts, and whether its steps happen in the same place.

**Signs** (docs/explain.md#signs). Each predicate has a polarity (``schema.POLARITY``); a
path's net effect is the product of its steps' polarities (INDRA's signed model checking,
CausalR's path sign). A clinical relation reads "the agent lowers the disease" unless its
outcome says the arm did worse (:func:`outcome`). :func:`benefit` turns the net effect into
+1 (a reason: the drug lowers the disease, or acts the way the partner does), -1 (against) or
0 (a step of no stated direction: ``binds``, or a step merely observed in the disease).

**Contexts** (docs/explain.md#contexts). Consecutive steps must be compatible in cell context,
disease context and species: the same entity, or one an ancestor of the other; a step without
a context fits any. A molecule acting on a cell type (IRF4 keeps myeloma cells alive) is taken
to act inside that cell, unless the molecule is secreted (it has ``produced_by``: IL2, CCL3);
a clinical relation (approved, studied, preclinical, side effect) happens in its disease.
:func:`consistent` keeps, for each step, the relations that fit a relation of the steps next
to it, and rejects the path when a step keeps none.
"""

from __future__ import annotations

import math
import re
from collections.abc import Sequence

from .. import schema
from .model import PSEUDO, STRUCTURAL, USES, Step

# outcome words: a trial arm that did worse, or one that did well (the outcome qualifier is text)
_WORSE = re.compile(
    r"death|died|fatal|discontinu|halted|stopped|terminated|excess|worse|inferior|detriment|"
    r"no (?:significant )?benefit|not improv|failed|unacceptable",
    re.IGNORECASE,
)
_BETTER = re.compile(
    r"respon|\bORR\b|remission|effective|efficacy|improv|prolong|benefit|synerg|superior|durable|survival",
    re.IGNORECASE,
)
CELL_CATEGORIES = schema.CELLS
MOLECULE_CATEGORIES = schema.MOLECULES


def outcome(relation: dict) -> int:
    """-1 the relation reports a worse outcome (deaths, a stopped trial), +1 a good one, 0 none stated.

    A ``direction`` qualifier (``not_improved``) decides when there is one; otherwise the
    ``outcome`` text is read: words of harm win over words of benefit."""
    direction = relation.get("q_direction")
    if direction == "not_improved":
        return -1
    if relation["predicate"] == "approved_for":
        return 1
    text = str(relation.get("q_outcome") or "")
    if _WORSE.search(text):
        return -1
    return 1 if _BETTER.search(text) else 0


def relation_sign(relation: dict) -> int:
    """The polarity of one relation: its predicate's, a clinical relation with a worse outcome +1."""
    predicate = relation["predicate"]
    if predicate in ("approved_for", "studied_clinically_for", "active_preclinically_in") and outcome(relation) < 0:
        return 1
    return schema.POLARITY[predicate] or 0


def step_sign(step: Step) -> int:
    """The polarity of a step. A clinical step is -1 (used against the disease) when any of its
    relations is not a worse outcome; a structural step is 1 (identity)."""
    if step.predicate in STRUCTURAL:
        return 1
    if step.predicate in USES or step.predicate in PSEUDO:
        signs = {relation_sign(r) for r in step.relations if r["predicate"] in USES}
        if not signs:
            return 0
        return -1 if -1 in signs else 1
    return schema.POLARITY[step.predicate] or 0


def chain_sign(steps: Sequence[Step]) -> int:
    return math.prod(step_sign(s) for s in steps)


def trial_sign(relations: Sequence[dict]) -> int:
    """A regimen's (or a combination's) clinical results: -1 if any arm did worse, +1 if some
    did well, 0 if no outcome is stated."""
    results = {outcome(r) for r in relations}
    return -1 if -1 in results else 1 if 1 in results else 0


def _lesion_sign(step: Step) -> int:
    """A genomic alteration acting on m: the polarity of m's part in the disease. A loss of gene
    dosage (haploinsufficiency) is a vulnerability: lowering m further kills the lesion's cells
    (del(5q) and CSNK1A1), so it reads like a driver (+1)."""
    if step.predicate == "decreases" and all(r.get("q_aspect") == "gene_dosage" for r in step.relations):
        return 1
    return step_sign(step)


def benefit(kind: str, mode: str, steps: Sequence[Step], chain: int, outcomes: Sequence[Step] = ()) -> tuple[int, int]:
    """(net effect, benefit) of a path: the drug's net effect on the chain's end (or on the
    target), and +1 a reason / -1 against / 0 no stated direction."""
    own = chain_sign(steps[:chain])
    rest = steps[chain:]
    if kind == "reach":
        return own, 1
    if kind == "trial":
        b = trial_sign([r for s in outcomes for r in s.relations] + [r for s in rest if s.predicate == "tested_with" for r in s.relations])
        return b, b
    if kind in ("sensitivity", "resistance"):
        return 1, 1 if kind == "sensitivity" else -1
    if kind == "observed":
        b = -step_sign(rest[0])  # the drug's use via m: approved or studied +1, a side effect -1
        return own, b
    if kind == "driver":
        return own, -own
    if kind == "lesion":
        return own, -own * _lesion_sign(rest[0])
    # partner, potentiates: the drug acts on m the way the partner does
    same = own * step_sign(rest[0]) if kind == "partner" else 1
    if mode != "condition":
        return own if kind == "partner" else 1, same
    use = next((s for s in rest[1:] if s.predicate in USES), None)
    return own if kind == "partner" else 1, -same * (step_sign(use) if use else -1)


# --------------------------------------------------------------------------- contexts


def _contexts(step: Step, r: dict, entities: dict) -> tuple[str | None, str | None, str | None]:
    cell = r.get("q_cell_context")
    if cell is None and step.predicate in ("increases", "decreases"):
        subject, obj = entities.get(step.subject, {}), entities.get(step.object, {})
        if (
            subject.get("category") in MOLECULE_CATEGORIES
            and obj.get("category") in CELL_CATEGORIES
            and not subject.get("secreted")
        ):
            cell = step.object  # a molecule acting on a cell works inside it
    disease = r.get("q_disease_context")
    if disease is None and step.predicate in USES:
        disease = step.object  # a clinical relation happens in its disease
    return cell, disease, r.get("q_species")


def _fits(a: str | None, b: str | None, ancestors: dict[str, set[str]]) -> bool:
    return a is None or b is None or a == b or a in ancestors.get(b, ()) or b in ancestors.get(a, ())


def compatible(x: tuple, y: tuple, ancestors: dict[str, set[str]]) -> bool:
    (c1, d1, s1), (c2, d2, s2) = x, y
    return _fits(c1, c2, ancestors) and _fits(d1, d2, ancestors) and (s1 is None or s2 is None or s1 == s2)


def context_entities(steps: Sequence[Step]) -> set[str]:
    """The entities whose ancestors the context rule needs."""
    out = set()
    for s in steps:
        out.add(s.object)
        for r in s.relations:
            out |= {r[k] for k in ("q_cell_context", "q_disease_context") if r.get(k)}
    return out


def consistent(steps: Sequence[Step], entities: dict, ancestors: dict[str, set[str]]) -> tuple[Step, ...] | None:
    """The steps, each keeping only the relations that fit the steps next to it, or None when
    some step has none left. Structural and pseudo-steps are skipped (they carry no context)."""
    at = [i for i, s in enumerate(steps) if s.predicate not in STRUCTURAL and s.predicate not in PSEUDO]
    keep = {i: [(r, _contexts(steps[i], r, entities)) for r in steps[i].relations] for i in at}
    for order in (at, at[::-1]):
        for before, i in zip(order, order[1:], strict=False):
            keep[i] = [(r, c) for r, c in keep[i] if any(compatible(c, c2, ancestors) for _, c2 in keep[before])]
            if not keep[i]:
                return None
    out = list(steps)
    for i in at:
        if len(keep[i]) != len(steps[i].relations):
            kept = {id(r) for r, _ in keep[i]}
            out[i] = Step(steps[i].subject, steps[i].predicate, steps[i].object, steps[i].forward,
                          tuple(r for r in steps[i].relations if id(r) in kept), steps[i].support)
    return tuple(out)
