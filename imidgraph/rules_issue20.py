"""Validation rules for facts stored once and mechanism steps held as edges (issue 20).

Each function takes the checked relations (with their records) and the entities, and returns
the problems it finds; :func:`problems` runs them all. ``imidgraph.validate`` calls it once the
seeds are otherwise valid, beside the curation lint.

* :func:`trial_outcomes`: what a trial found is stated once, on the regimen it tested
  (``has_outcome`` with ``in_trial``); the trial reaches it through its ``tested`` relation.
"""

from __future__ import annotations

from . import schema
from .facts import Problem, Record
from .model import Entity, Relation

Checked = list[tuple[Relation, Record]]


def problems(relations: Checked, entities: dict[str, Entity]) -> list[Problem]:
    """Every problem of the rules in this module."""
    by_id = {e.id: e for e in entities.values()}
    return trial_outcomes(relations, by_id)


def trial_outcomes(relations: Checked, by_id: dict[str, Entity]) -> list[Problem]:
    """One finding, one relation: a trial's ``has_outcome`` never restates its regimen's.

    The regimen a trial tested holds the finding (``DRd has_outcome overall survival``,
    ``in_trial: MAIA``) and the trial reaches it through ``MAIA tested DRd``. A ``has_outcome``
    from the trial to the same endpoint, or one that names a regimen in ``in_regimen``, is the
    same statement a second time (an arm's finding copied onto the trial node, from which
    readers would count it twice or give it to the other arm).
    """
    out: list[Problem] = []
    stated: dict[tuple[str, str], Record] = {}  # (trial, endpoint) -> the regimen's relation
    for relation, record in relations:
        trial = relation.qualifiers.get("in_trial")
        if relation.predicate == "has_outcome" and isinstance(trial, str):
            stated.setdefault((trial, relation.object), record)
    for relation, record in relations:
        if relation.predicate != "has_outcome":
            continue
        regimen = relation.qualifiers.get("in_regimen")
        if isinstance(regimen, str):
            out.append(Problem(
                record.at("qualifiers"), "qualifiers.in_regimen",
                f"a finding is stated on the regimen that gave it: write it as {by_id[regimen].name} "
                f"has_outcome {by_id[relation.object].name} with in_trial, not as a copy naming the regimen",
            ))  # fmt: skip
        elif (
            by_id[relation.subject].category in schema.TRIALS
            and (relation.subject, relation.object) in stated
        ):
            regimen_record = stated[(relation.subject, relation.object)]
            out.append(Problem(
                record.location, "subject",
                f"{by_id[relation.subject].name} has_outcome {by_id[relation.object].name} is already stated "
                f"of the regimen it tested, with in_trial (at {regimen_record.location}): one finding, "
                "one relation; the trial reaches it through 'tested'",
            ))  # fmt: skip
    return out
