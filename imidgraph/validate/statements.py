"""Validation rules for facts stored once and mechanism steps held as edges.

Each function takes the checked relations (with their records) and the entities, and returns
the problems it finds; :func:`problems` runs them all. ``imidgraph.validate`` calls it once the
seeds are otherwise valid, beside the curation lint.

* :func:`trial_outcomes`: what a trial found is stated once, on the regimen it tested
  (``has_outcome`` with ``in_trial``); the trial reaches it through its ``tested`` relation.
* :func:`mediator_steps`: a molecule named in the ``via`` list of a drug effect is a step of its
  own: a relation links it on towards the effect's object.
* :func:`combined_findings`: a combination's finding is stated of the combination or of the
  drug with its partners (``combined_with``), not of both.
* :func:`directionless_restatements`: no ``modulates`` beside the directed statements of the
  same finding.
"""

from __future__ import annotations

from .. import schema
from ..facts import Problem, Record
from ..model import Entity, Relation

Checked = list[tuple[Relation, Record]]

# clinical uses: an approval of a regimen is also one of its drug given with the partners
USES = frozenset({"approved_for", "studied_clinically_for", "active_preclinically_in", "has_side_effect"})


def problems(relations: Checked, entities: dict[str, Entity]) -> list[Problem]:
    """Every problem of the rules in this module."""
    by_id = {e.id: e for e in entities.values()}
    return (
        trial_outcomes(relations, by_id)
        + mediator_steps(relations, by_id)
        + combined_findings(relations, by_id)
        + directionless_restatements(relations, by_id)
    )


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


# the effects whose via lists are mechanism steps, and the ends a mediator is checked towards
STEPPED = frozenset({"increases", "decreases", "modulates", "degrades"})
_NOT_LINKS = frozenset({"subclass_of", "concerns"})


def mediator_steps(relations: Checked, by_id: dict[str, Entity]) -> list[Problem]:
    """No mechanism step only as a ``via`` list: each molecule a drug effect goes through is
    linked onwards by a relation of its own.

    For a drug, class or regimen S and ``S increases/decreases/modulates/degrades O`` with O a
    molecule or a cell, every Gene, GeneFamily or Complex in ``via`` must have a relation (other
    than this one; ``subclass_of`` and ``concerns`` do not count; a ``required_for`` reaches its
    ``effect_on``) to O or to the cell the effect happens in (``cell_context``), or to another
    mediator of the list that does (a chain: B7 -> CD28 -> O). The statements of one sentence
    that share subject, mediators and citation are one mechanism: pomalidomide's M1 up and M2
    down via STAT1 and STAT6 are held by STAT1 -> M1 and STAT6 -> M2. Entities count with the
    classes above and below them and, one level, their parts and wholes (CRBN is part of
    CRL4-CRBN, which degrades IKZF1); the ligase a degrading drug binds (``lenalidomide degrades
    CSNK1A1 via CRBN``) is that step itself. Else the step (IKZF1 acts on IRF4 in macrophages, CK1α
    holds back HSPC expansion) lives only in the drug edge's list. Effects on a process are not
    checked: the graph states some cell effects both as a process and as the cell with an
    aspect (natural killer cell proliferation; natural killer cell, aspect proliferation), and a
    mediator linked to either shape holds the step.
    """
    parents: dict[str, set[str]] = {}
    parts: dict[str, set[str]] = {}
    links: dict[str, set[tuple[str, str]]] = {}  # entity -> {(other end, relation id)}
    for relation, _ in relations:
        if relation.predicate == "subclass_of":
            parents.setdefault(relation.subject, set()).add(relation.object)
        if relation.predicate == "has_part":
            parts.setdefault(relation.subject, set()).add(relation.object)
            parts.setdefault(relation.object, set()).add(relation.subject)
        if relation.predicate not in _NOT_LINKS:
            links.setdefault(relation.subject, set()).add((relation.object, relation.id))
            links.setdefault(relation.object, set()).add((relation.subject, relation.id))
        effect_on = relation.qualifiers.get("effect_on")
        if isinstance(effect_on, str):
            links.setdefault(relation.subject, set()).add((effect_on, relation.id))
            links.setdefault(effect_on, set()).add((relation.subject, relation.id))
    binds = {(r.subject, r.object) for r, _ in relations if r.predicate == "binds"}
    children: dict[str, set[str]] = {}
    for child, ps in parents.items():
        for parent in ps:
            children.setdefault(parent, set()).add(child)

    def kin(entity: str) -> set[str]:
        out = {entity}
        for edges in (parents, children):
            todo = [entity]
            while todo:
                for other in edges.get(todo.pop(), ()):
                    if other not in out:
                        out.add(other)
                        todo.append(other)
        return out | {p for e in out for p in parts.get(e, ())}

    def reaches(a: str, ends: set[str], skip: str) -> bool:
        return any(other in ends for e in kin(a) for other, rid in links.get(e, ()) if rid != skip)

    def checked(relation: Relation) -> bool:
        return (
            relation.predicate in STEPPED
            and isinstance(relation.qualifiers.get("via"), tuple)
            and by_id[relation.subject].category in schema.AGENTS
            and by_id[relation.object].category in schema.MOLECULES | schema.CELLS
        )

    def ligase(relation: Relation, v: str) -> bool:
        """The ligase a degrading drug binds: the degradation is that step itself."""
        return relation.predicate == "degrades" and any(
            (a, b) in binds for a in kin(relation.subject) for b in kin(v)
        )

    def mechanism(relation: Relation) -> tuple:
        c = relation.citation
        return (relation.subject, frozenset(relation.qualifiers["via"]), c.source, c.section, c.refs)

    ends_of: dict[tuple, set[str]] = {}
    for relation, _ in relations:
        if checked(relation):
            ends = ends_of.setdefault(mechanism(relation), set())
            ends |= kin(relation.object)
            cell = relation.qualifiers.get("cell_context")
            if isinstance(cell, str):
                ends |= kin(cell)
    out: list[Problem] = []
    for relation, record in relations:
        if not checked(relation):
            continue
        obj, via, ends = by_id[relation.object], relation.qualifiers["via"], ends_of[mechanism(relation)]
        mediators = [v for v in via if by_id[v].category in schema.MOLECULES and not ligase(relation, v)]
        linked: set[str] = set()
        changed = True
        while changed:
            changed = False
            for v in mediators:
                if v not in linked and reaches(v, ends | set().union(*(kin(w) for w in linked)), relation.id):
                    linked.add(v)
                    changed = True
        for v in mediators:
            if v not in linked:
                out.append(Problem(
                    record.at("qualifiers"), "qualifiers.via",
                    f"{by_id[v].name} is a step of {by_id[relation.subject].name} {relation.predicate} "
                    f"{obj.name}, but no relation links it on to {obj.name}: state the step as a relation "
                    f"({by_id[v].name} increases/decreases/modulates/mediates ...), cited where the source gives it",
                ))  # fmt: skip
    return out


def combined_findings(relations: Checked, by_id: dict[str, Entity]) -> list[Problem]:
    """One finding, one relation: a combination's finding is stated of the combination or of
    the drug given with its partners, not of both.

    ``lenalidomide has_outcome tumor burden`` with ``combined_with: [rituximab]`` and ``R2
    regimen has_outcome tumor burden`` (R2 has_part lenalidomide and rituximab), from one source
    and section, are one finding twice. Keep the one the source states: the combination's
    ("the lenalidomide and rituximab combination decreased tumour burden") or the drug's with
    the partner as context ("lenalidomide enhanced ADCC in cells treated with rituximab").
    Clinical uses (approved, studied, active in models, side effects) are not findings of this
    kind: an approval of R2 is also an approval of lenalidomide given with rituximab.
    """
    parts: dict[str, set[str]] = {}
    for relation, _ in relations:
        if relation.predicate == "has_part":
            parts.setdefault(relation.subject, set()).add(relation.object)
    of_regimen: dict[tuple, Record] = {}
    for relation, record in relations:
        if by_id[relation.subject].category == "Treatment" and relation.subject in parts:
            key = (
                relation.subject,
                relation.predicate,
                relation.object,
                relation.citation.source,
                relation.citation.section,
            )
            of_regimen.setdefault(key, record)
    out: list[Problem] = []
    for relation, record in relations:
        partners = relation.qualifiers.get("combined_with")
        if relation.predicate in USES or not isinstance(partners, tuple):
            continue
        together = {relation.subject, *partners}
        for regimen, members in sorted(parts.items()):
            key = (
                regimen,
                relation.predicate,
                relation.object,
                relation.citation.source,
                relation.citation.section,
            )
            if members == together and key in of_regimen:
                out.append(Problem(
                    record.location, "qualifiers.combined_with",
                    f"{by_id[relation.subject].name} {relation.predicate} {by_id[relation.object].name} with "
                    f"{', '.join(by_id[p].name for p in partners)} is already stated of {by_id[regimen].name} "
                    f"(at {of_regimen[key].location}): one finding, one relation; keep the one the source states",
                ))  # fmt: skip
    return out


def directionless_restatements(relations: Checked, by_id: dict[str, Entity]) -> list[Problem]:
    """A ``modulates`` (an effect whose direction the source does not give) is not a second
    copy of a finding already held with its direction.

    ``lenalidomide modulates myeloma-associated macrophage`` (aspect polarization) beside
    ``lenalidomide increases M1 macrophage`` and ``decreases M2 macrophage`` in those same
    macrophages (``cell_context``), from the same citation (source, section, references),
    evidence level and aspect, says the same thing without its direction. An undirected finding
    from another study or design (patients' angiogenesis factors beside the in vitro fall) is
    its own fact.
    """
    directed: dict[tuple, list[tuple[Relation, Record]]] = {}
    for relation, record in relations:
        if relation.predicate in ("increases", "decreases", "degrades"):
            c = relation.citation
            key = (
                relation.subject,
                c.source,
                c.section,
                c.refs,
                relation.evidence,
                relation.qualifiers.get("aspect"),
            )
            directed.setdefault(key, []).append((relation, record))
    out: list[Problem] = []
    for relation, record in relations:
        if relation.predicate != "modulates":
            continue
        c = relation.citation
        key = (
            relation.subject,
            c.source,
            c.section,
            c.refs,
            relation.evidence,
            relation.qualifiers.get("aspect"),
        )
        twins = [
            (r, rec)
            for r, rec in directed.get(key, [])
            if relation.object in (r.object, r.qualifiers.get("cell_context"))
        ]
        if twins:
            r, rec = twins[0]
            out.append(Problem(
                record.location, "predicate",
                f"{by_id[relation.subject].name} modulates {by_id[relation.object].name} restates, without its "
                f"direction, {by_id[r.subject].name} {r.predicate} {by_id[r.object].name} (at {rec.location}), "
                "from the same citation: one finding, one relation",
            ))  # fmt: skip
    return out
