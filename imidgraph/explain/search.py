"""Finding the paths: ask a backend for the rows of ``cypher/explain_paths.cypher``, cite every
step, keep the context-consistent ones, sign them, rank them and sort them into groups."""

from __future__ import annotations

from dataclasses import replace

from .. import schema
from ..backends import Backend
from ..embedded.graph import EmbeddedGraph
from . import unknowns
from .explanation import Explanation
from .model import (
    HIERARCHY,
    PARTNER_KINDS,
    STRUCTURAL,
    TUMOUR_CELL,
    USE_ORDER,
    ExplainError,
    Path,
    Step,
    entity_qualifiers,
)
from .rank import arrange, fold, mark_conflicts, order_key, rank, without_class_echoes
from .signs import benefit, consistent, context_entities
from .sources import source_for
from .versus import contrast

_TRIALS = ("approved_for", "studied_clinically_for")
_CLINICAL_USES = ("approved_for", "studied_clinically_for", "active_preclinically_in")
_MARKERS = ("associated_with_sensitivity_to", "associated_with_resistance_to")
_CHANGES = ("increases", "decreases")


def is_harm(source, target: str, category: str) -> bool:
    """A condition is a harm (side effect, toxicity, adverse outcome) when some agent in the graph
    has it as a side effect (``has_side_effect``) and no agent is approved for, studied in or
    active against it."""
    if category not in schema.CONDITIONS:
        return False
    uses = source.uses_of(target)
    return "has_side_effect" in uses and not uses & set(_CLINICAL_USES)


def explain(
    kg: EmbeddedGraph,
    drug: str,
    target: str,
    *,
    versus: str | None = None,
    top: int = 5,
    backend: Backend | None = None,
    harm: bool | None = None,
) -> Explanation:
    """Explain how ``drug`` acts on ``target`` (ids, names or synonyms; resolved with ``kg``).

    ``backend`` is where the paths are searched: the embedded graph (default) or a
    :class:`~imidgraph.neo4j.backend.Neo4jBackend`. ``harm`` asks how the drug *raises* the target
    (harm mode: a side effect, toxicity or adverse outcome); None (default) decides from the
    graph (:func:`is_harm`), False asks how it lowers it. Raises
    :class:`~imidgraph.names.UnknownEntity` (with close matches) for a name no entity has, and
    :class:`~imidgraph.explain.model.ExplainError` for a drug (or ``versus``) that is no Drug,
    DrugClass or Treatment.
    """
    for role, name in (("", drug), ("--versus ", versus)):
        entity = kg.entity(name) if name is not None else None
        if entity is not None and entity.category not in schema.AGENTS:
            raise ExplainError(
                f"{role}{entity.name} is a {entity.category}, not a drug: explain starts from a "
                f"Drug, DrugClass or Treatment (e.g. lenalidomide, IMiD, R2 regimen)"
            )
    drug_id, target_id = kg.entity(drug).id, kg.entity(target).id
    other_id = kg.entity(versus).id if versus is not None else None
    if drug_id == target_id:
        raise ExplainError(f"drug and target are the same entity ({kg.name(drug_id)})")
    if other_id is not None and other_id == drug_id:
        raise ExplainError(f"--versus names the drug itself ({kg.name(drug_id)})")
    if top < 0:
        raise ExplainError("top must be 0 (all paths) or more")
    if harm and kg.entity(target).category not in schema.CONDITIONS:
        raise ExplainError(f"harm mode needs a disease or phenotype, not {kg.entity(target).category} ({kg.name(target_id)})")
    source = source_for(kg, backend)
    drugs = [drug_id] + ([other_id] if other_id is not None else [])
    found = source.paths([(d, target_id) for d in drugs])  # on Neo4j: round trip 1
    everything = [row for rows in found for row in rows]
    nodes = {n for _, ns, _, _ in everything for n in ns}
    source.prefetch(drugs, target_id, nodes, _clinical_of(everything), set(_outcome_of(everything)))  # trip 2
    explanation = _explain(source, drug_id, target_id, top, harm, found[0])
    if other_id is not None:
        other = _explain(source, other_id, target_id, top, explanation.mode == "harm", found[1])
        contrast(source, explanation, other)
    explanation.unknowns = unknowns.relevant(source, explanation)
    explanation.kg = kg
    return explanation


def _tagged(s: str, o: str, r: dict) -> dict:
    """A relation cited by a pseudo-step, with its own subject and object."""
    return {**r, "_subject": s, "_object": o}


def _clinical_of(rows) -> set[str]:
    """The entities whose clinical relations pseudo-steps and trials cite: the heads' uses,
    both drugs of a trial, regimens."""
    return {n for kind, nodes, _, _ in rows if kind in ("observed", "sensitivity", "resistance", "trial") for n in nodes}


def _outcome_of(rows) -> dict[str, list]:
    """The entities whose outcomes a trial path cites: its regimen (and the trials that tested
    it), or one drug given with the other."""
    outcome_of: dict[str, list[tuple[str, str, dict]]] = {}
    for kind, nodes, predicates, _ in rows:
        if kind == "trial":
            for i, p in enumerate(predicates):
                if p in ("has_part", "tested_with"):
                    outcome_of.setdefault(nodes[i], [])
                    outcome_of.setdefault(nodes[i + 1], [])
    return outcome_of


def _explain(source, drug: str, target: str, top: int, harm: bool | None, rows: list) -> Explanation:
    def triple(nodes: list[str], predicates: list[str], forward: list[bool], i: int) -> tuple[str, str, str]:
        a, b = nodes[i], nodes[i + 1]
        return (a, predicates[i], b) if forward[i] else (b, predicates[i], a)

    triples = {triple(n, p, f, i) for _, n, p, f in rows for i in range(len(p)) if p[i] not in ("observed_in", "tested_with")}
    relations = source.relations(triples)
    # a degradation "via" a ligase the degrading agent binds: that binding supports the step
    wanted = {(s, "binds", v) for (s, p, o), found in relations.items() if p == "degrades" for r in found for v in r.get("q_via") or []}
    # (harm mode) a change the drug makes "via" an entity it degrades or lowers: that step supports it
    # (lenalidomide expands Trp53-mutant HSPCs via CSNK1A1, which it degrades in them)
    wanted |= {
        (s, how, v)
        for (s, p, o), found in relations.items()
        if p in _CHANGES
        for r in found
        for v in r.get("q_via") or []
        for how in ("degrades", "decreases")
    }
    support = source.relations(wanted)
    clinical_of = _clinical_of(rows)
    clinical = source.clinical(clinical_of) if clinical_of else []
    outcome_of = _outcome_of(rows)
    for x in outcome_of:
        outcome_of[x] = source.outcomes([x])
    down = {target} | source.descendants(target)
    context_ids = down | source.parents(target)
    family_up = source.ancestors({target}).get(target, set())
    drug_up = {drug} | source.ancestors({drug}).get(drug, set())

    mentioned = {drug, target} | {n for _, nodes, _, _ in rows for n in nodes}
    mentioned |= {i for found in (*relations.values(), *support.values()) for r in found for i in entity_qualifiers(r)}
    mentioned |= {x for s, o, r in clinical for x in (s, o, *entity_qualifiers(r))}
    mentioned |= {x for found in outcome_of.values() for s, o, r in found for x in (s, o, *entity_qualifiers(r))}
    entities = source.entities(mentioned)
    missing = [i for i in (drug, target) if i not in entities]
    if missing:  # a backend that reads another graph (e.g. Neo4j with --any-graph)
        raise ExplainError(f"the graph searched has no entity {', '.join(missing)}")
    # the drug's side: itself, its classes, (a class asked for) its members
    heads = drug_up | (source.descendants(drug) if entities[drug]["category"] == "DrugClass" else set())

    def make_step(t: tuple[str, str, str], forward: bool) -> Step:
        step = Step(*t, forward=forward, relations=tuple(sorted(relations.get(t, []), key=lambda r: r["id"])))
        if t[1] == "degrades":
            ways = ("binds",)
        elif t[1] in _CHANGES and mode == "harm":
            ways = ("degrades", "decreases")
        else:
            return step
        sup = [(v, r) for v in sorted(step.vias) for how in ways for r in sorted(support.get((t[0], how, v), []), key=lambda r: r["id"])]
        return replace(step, support=tuple(sup))

    def observed_in(before: Step, head: str, m: str) -> Step:
        """m -observed_in-> target: the previous step's relations seen in the target (or a member
        of it), and the head's uses in (or harms to) it that go via m."""
        seen = [_tagged(before.subject, before.object, r) for r in before.relations if r.get("q_disease_context") in down]
        used = [_tagged(s, o, r) for s, o, r in clinical if s == head and o in down and m in (r.get("q_via") or [])]
        # the drug's own use via m says which way it goes; a bare observation is cited only without one
        return Step(m, "observed_in", target, True, tuple(sorted(used, key=lambda r: r["id"])) or tuple(seen))

    def tested_with(a: str, b: str) -> Step:
        found = [
            _tagged(s, o, r)
            for s, o, r in clinical
            if r["predicate"] in _TRIALS and ((s == b and a in (r.get("q_combined_with") or [])) or (s == a and b in (r.get("q_combined_with") or [])))
        ]
        return Step(a, "tested_with", b, True, tuple(sorted(found, key=lambda r: r["id"])))

    category = entities[target]["category"]
    mode = "condition" if category in schema.CONDITIONS else "agent" if category in schema.AGENTS else "entity"
    if mode == "condition" and (harm if harm is not None else is_harm(source, target, category)):
        mode = "harm"
    signing = "condition" if mode == "harm" else mode  # a harm is a condition whose signs are read the other way
    built: list[tuple[str, tuple[str, ...], tuple[Step, ...]]] = []
    uses: list[Step] = []
    kin: dict[str, str] = {}
    for kind, nodes, predicates, forward in rows:
        steps: list[Step] = []
        for i, p in enumerate(predicates):
            if p == "tested_with":
                steps.append(tested_with(nodes[i], nodes[i + 1]))
            elif p != "observed_in":
                steps.append(make_step(triple(nodes, predicates, forward, i), forward[i]))
            else:
                steps.append(Step(nodes[i], p, nodes[i + 1], True, ()))  # filled in after the context check
        if any(not s.relations for s in steps if s.predicate != "observed_in"):  # the graph changed between the two reads
            raise ExplainError("the graph changed while explaining; run it again")
        if kind == "use":
            use = _standing_step(steps[0], drug_up)
            relative = "" if use.object == target else "subtype" if use.object in down else "parent"
            # a relative's standing: the drug's or its class's, for a subtype at any depth or a parent
            # one level up; only uses for a disease, only harms for a harm (treating the parent says
            # nothing of a harm's cause)
            if relative and (relative == "parent" and len(steps) > 2 or use.subject not in drug_up):
                continue  # a relative's standing: the drug's (or its class's) own, a parent one level up
            if relative and (use.predicate == "has_side_effect") != (mode == "harm"):
                continue
            uses.append(use)
            if relative:
                kin[use.object] = relative
            kin.update({x: "class" for x in (use.subject, *(i for r in use.relations for i in r.get("q_combined_with") or ())) if x in drug_up and x != drug})
            continue
        if mode == "harm" and kind in ("sensitivity", "resistance"):
            continue  # a marker says whether the drug works against a disease: no route to a harm
        if kind in ("sensitivity", "resistance"):
            steps = _marker_fits(steps, down | family_up)
            if steps is None:
                continue  # a marker stated for another disease (a myeloma resistance marker, a birth defect)
        if kind == "partner":
            steps = _partner_own(steps, heads)
            if steps is None:
                continue  # the partner's step was observed only with the drug (or its class) added
        built.append((kind, tuple(nodes), tuple(steps)))

    ancestors = source.ancestors({x for _, _, steps in built for x in context_entities(steps)} | down)
    paths: list[Path] = []
    for kind, nodes, steps in built:
        checked = steps if kind == "trial" else consistent(steps, entities, ancestors)
        if checked is None:
            continue  # two steps that happen in different cells, diseases or species
        steps = checked
        if signing == "condition" and _foreign_tumour_cell(nodes, entities, ancestors, down, target):
            continue  # a tumour cell of another cancer (malignant B cells for breast cancer)
        if steps[-1].predicate == "observed_in":
            h = 0
            while h < len(steps) and steps[h].predicate == "subclass_of" and steps[h].forward == steps[0].forward:
                h += 1
            head = nodes[h]  # the drug, its class or its member: whose use names m
            steps = (*steps[:-1], observed_in(steps[-2], head, nodes[-2]))
            if not steps[-1].relations:
                continue
        outcomes: tuple[Step, ...] = ()
        if kind == "trial" and any(s.predicate == "has_part" for s in steps):
            regimen = next(s.subject for s in steps if s.predicate == "has_part")
            approvals = [(s, o, r) for s, o, r in clinical if s == regimen and r["predicate"] == "approved_for"]
            outcomes = _outcome_steps(outcome_of.get(regimen, []) + approvals)
        elif kind == "trial":
            tried = next(s for s in steps if s.predicate == "tested_with")
            a, b = tried.subject, tried.object
            together = [
                (s, o, r)
                for x, y in ((a, b), (b, a))
                for s, o, r in outcome_of.get(x, [])
                if s == x and y in (r.get("q_combined_with") or [])
            ]
            approvals = [(r["_subject"], r["_object"], r) for r in tried.relations if r["predicate"] == "approved_for"]
            outcomes = _outcome_steps(together + approvals)
        path = rank(kind, nodes, steps, context_ids, entities, signing, down=down)
        effect, good = benefit(kind, signing, steps, path.chain_length, outcomes, entities)
        if mode == "harm":
            effect, good = harm_benefit(kind, steps, path.chain_length, effect, good)
        path = replace(path, distance=HIERARCHY ** _levels(steps))
        paths.append(replace(path, effect=effect, benefit=good, outcomes=outcomes))
    paths = mark_conflicts(fold(without_class_echoes(_without_bare_observations(paths))))
    paths.sort(key=order_key(entities))
    if any(u.object == target and u.subject in drug_up for u in uses):
        # a parent's standing is said only for a target the drug has no standing of its own on
        uses = [u for u in uses if kin.get(u.object) != "parent"]
        kin = {k: v for k, v in kin.items() if v != "parent"}
    uses.sort(key=lambda s: (s.subject != drug, s.object != target, USE_ORDER.index(s.predicate), s.subject, s.object))
    e = Explanation(drug, target, mode, [], uses, entities, top, kin=kin)
    for p in paths:
        if p.benefit < 0:
            e.against.append(p)
        elif p.kind == "trial":
            e.trials.append(p)
        elif p.benefit == 0:
            e.unsigned.append(p)
        elif signing == "condition" and p.kind in PARTNER_KINDS:
            e.with_partner.append(p)
        else:
            e.paths.append(p)
    arrange(e)  # the disease's own evidence first, distinct mechanisms before variants (rank.py)
    return e


def _foreign_tumour_cell(nodes, entities: dict, ancestors: dict[str, set[str]], down: set[str], target: str) -> bool:
    """Whether a path goes through a tumour cell (a kind of neoplastic cell) of a cancer that
    is neither the target nor above or below it: myeloma cells or malignant B cells do not
    explain breast cancer, whatever each step says. Which cancer a tumour cell belongs to is
    what it ``contributes_to``; a tumour cell contributing to nothing stated is not judged."""
    above = ancestors.get(target, set())
    for x in nodes[1:-1]:
        if x != TUMOUR_CELL and TUMOUR_CELL not in ancestors.get(x, ()):
            continue
        feeds = entities.get(x, {}).get("feeds") or ()
        if feeds and not any(d in down or d in above for d in feeds):
            return True
    return False


_OUTCOME_ORDER = ("has_outcome", "approved_for")


def _levels(steps: tuple[Step, ...]) -> int:
    """How many subclass_of steps end the path: between the entity its ending names and the
    target (a class of the target, or a member of it, at that distance)."""
    n = 0
    for s in reversed(steps):
        if s.predicate not in STRUCTURAL:
            break
        n += 1
    return n


def _standing_step(step: Step, drug_up: set[str]) -> Step:
    """A clinical relation of the drug's standing: the drug's (or its class's, or a regimen's
    holding it) own, cited whole; another agent's, only the relations given with the drug or its
    class (``combined_with``: CAR-T cell therapy has the side effect CRS with IMiDs)."""
    if step.subject in drug_up:
        return step
    together = tuple(r for r in step.relations if set(r.get("q_combined_with") or ()) & drug_up)
    return replace(step, relations=together) if together else step


def _marker_fits(steps: tuple[Step, ...], related: set[str]) -> tuple[Step, ...] | None:
    """A marker of sensitivity or resistance keeps the relations stated in the target's family
    (the target, a class of it, a member of it) or in no disease; None when none is left."""
    out = list(steps)
    for i, s in enumerate(steps):
        if s.predicate in _MARKERS:
            kept = tuple(r for r in s.relations if r.get("q_disease_context") in (None, *related))
            if not kept:
                return None
            out[i] = replace(s, relations=kept)
    return tuple(out)


def _partner_own(steps: tuple[Step, ...], heads: set[str]) -> tuple[Step, ...] | None:
    """A partner's step is its own only where it was observed without the drug: the relations
    whose ``combined_with`` names the drug (its class, or a member of the class asked for) are
    set aside; None when none is left (the CD28 bypass seen with PD-1 blockade plus lenalidomide)."""
    out = list(steps)
    for i, s in enumerate(steps):
        if not s.forward and s.predicate not in STRUCTURAL:  # the partner's step, read backward
            kept = tuple(r for r in s.relations if not set(r.get("q_combined_with") or ()) & heads)
            if not kept:
                return None
            out[i] = replace(s, relations=kept)
            break
    return tuple(out)


def harm_benefit(kind: str, steps: tuple[Step, ...], chain: int, effect: int, good: int) -> tuple[int, int]:
    """Harm mode: a reason is a route by which the drug *raises* the harm, so the benefit read for
    a disease turns over (+1 raises it, -1 lowers it). A binding is no change in amount, but in a
    chain that is only the drug's (or its class's) binding to an entity that contributes to the
    harm, the binding is the drug's engagement of the harm's mediator: the route itself (thalidomide
    binds CRBN, the target through which it causes birth defects), +1, its net effect unsigned."""
    moving = [s for s in steps[:chain] if s.predicate not in STRUCTURAL]
    if kind == "driver" and len(moving) == 1 and moving[0].predicate == "binds":
        return 0, 1
    return effect, -good


def _outcome_steps(found: list[tuple[str, str, dict]]) -> tuple[Step, ...]:
    """A regimen's (or a combination's) results: one step per (subject, predicate, object),
    its ``has_outcome`` relations (the regimen's, or a trial's that tested it) first, then its
    approvals."""
    grouped: dict[tuple[str, str, str], dict[str, dict]] = {}
    for s, o, r in found:
        grouped.setdefault((r["predicate"], s, o), {})[r["id"]] = r
    return tuple(
        Step(s, p, o, True, tuple(rs[k] for k in sorted(rs)))
        for (p, s, o), rs in sorted(grouped.items(), key=lambda kv: (_OUTCOME_ORDER.index(kv[0][0]), kv[0][1], kv[0][2]))
    )


def _without_bare_observations(paths: list[Path]) -> list[Path]:
    """Drop a path that ends only in "observed in the disease" when the same chain reaches the
    disease by a stated ending: a chain of no stated direction that a driver or lesion path
    starts with (or is), a marker of sensitivity or resistance that also contributes to it."""
    signed = {p.nodes[: i + 1] for p in paths if p.kind in ("driver", "lesion") for i in range(1, p.chain_length + 1)}
    # a marker of sensitivity or resistance that also reaches the disease by contributing to it
    marked = {p.nodes[: p.chain_length + 2] for p in paths if p.kind in ("sensitivity", "resistance") and p.steps[-1].predicate != "observed_in"}
    return [
        p
        for p in paths
        if not (p.kind == "observed" and p.benefit == 0 and p.nodes[:-1] in signed)
        and not (p.kind in ("sensitivity", "resistance") and p.steps[-1].predicate == "observed_in" and p.nodes[:-1] in marked)
    ]
