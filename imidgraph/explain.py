"""Why does a drug help a disease: ranked, cited mechanism paths.

``explain(source, drug, target)`` asks a backend for the candidate paths of
``cypher/explain_paths.cypher`` (the same rows offline and on Neo4j), fetches every relation
that states each step, and ranks the paths. Both backends give the ranker the same inputs, so
they give the same ranked explanation.

A path's score is the product of four numbers:

* **evidence**: the geometric mean, over its steps, of the best evidence level among the
  relations that state the step (``EVIDENCE_WEIGHT``; ``subclass_of`` steps are left out);
* **specificity**: the product, over the entities inside the path, of ``degree ** -0.4``, the
  degree-weighted path count of Hetionet (Himmelstein et al. 2017): a path through a hub that
  touches everything explains less than one through an entity with few relations;
* **context**: ``CONTEXT_BONUS`` when a step was observed in the disease itself (its
  ``disease_context`` is the target, a parent or a child of it), or with the partner;
  otherwise, for a disease, ``ELSEWHERE`` when a step was observed only in other diseases;
  otherwise 1;
* **mechanism**: for a disease, 1 for the drug's own mechanism (driver, lesion paths) and
  ``SECONDARY`` for paths that need a partner agent (partner, potentiates: they say why a
  combination works) or start from a marker of sensitivity (they say that the drug works, not
  how); for a partner agent every path counts 1.

A path whose only mechanism step is a summary statement ("lenalidomide lowers myeloma cell
survival via IKZF1, IKZF3, IRF4, MYC") is folded into a longer path that starts and ends the
same way (through the most of its ``via`` entities, when it names any): the longer path shows
the mechanism step by step, cites the summary statement as well, and takes its score if
higher. See ``docs/explain.md``.

The sum of all paths' specificities is the drug-target DWPC, printed as the strength of the
whole connection.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import TYPE_CHECKING, Any

from . import schema
from .build import edge_properties_from_stored
from .loader import OWNER

if TYPE_CHECKING:
    from .backends import MemoryBackend, Neo4jBackend
    from .graph import KnowledgeGraph

EVIDENCE_WEIGHT: dict[str, float] = {
    "approved": 1.0,
    "phase_3": 0.9,
    "phase_2": 0.85,
    "phase_1": 0.8,
    "clinical_observation": 0.75,
    "preclinical_in_vivo": 0.7,
    "in_vitro": 0.65,
    "review_statement": 0.6,
}
DAMPING = 0.4  # Hetionet's w
CONTEXT_BONUS = 1.25
ELSEWHERE = 0.8
SECONDARY = 0.5
SECONDARY_KINDS = {"condition": frozenset({"partner", "potentiates", "sensitivity"})}
STRUCTURAL = frozenset({"subclass_of"})
USE_ORDER = ("approved_for", "studied_clinically_for", "active_preclinically_in", "has_side_effect")

_VERB = {
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
    "associated_with_sensitivity_to": "makes cells sensitive to",
    "associated_with_resistance_to": "is a resistance mechanism to",
    "correlated_with": "is correlated with",
}
_SIGN = {"degrades": -1, "decreases": -1, "increases": 1}


class ExplainError(ValueError):
    """A question explain cannot answer (one line, for users)."""


# --------------------------------------------------------------------------- the answer


@dataclass(frozen=True)
class Step:
    """One step of a path: a (subject, predicate, object) statement, walked forward or back.

    ``relations`` are the properties of every relation that states it (sorted by id);
    ``support`` pairs (ligase id, relation) for the drug's binding of the ligase a
    degradation goes ``via``.
    """

    subject: str
    predicate: str
    object: str
    forward: bool
    relations: tuple[dict, ...]
    support: tuple[tuple[str, dict], ...] = ()

    @property
    def triple(self) -> tuple[str, str, str]:
        return (self.subject, self.predicate, self.object)

    @property
    def weight(self) -> float:
        return max(EVIDENCE_WEIGHT[r["evidence"]] for r in self.relations)

    @property
    def evidence(self) -> str:
        return max((r["evidence"] for r in self.relations), key=EVIDENCE_WEIGHT.__getitem__)

    @property
    def vias(self) -> set[str]:
        """The entities its relations say it goes through (``via``)."""
        return {v for r in self.relations for v in r.get("q_via") or []}

    def relation_ids(self) -> list[str]:
        return [r["id"] for r in self.relations] + [r["id"] for _, r in self.support]


@dataclass(frozen=True)
class Path:
    kind: str
    nodes: tuple[str, ...]
    steps: tuple[Step, ...]
    evidence: float
    specificity: float
    context: float
    mechanism: float = 1.0
    stated: Step | None = None  # a summary statement folded into this path
    stated_score: float = 0.0

    @property
    def own_score(self) -> float:
        return self.evidence * self.specificity * self.context * self.mechanism

    @property
    def score(self) -> float:
        return max(self.own_score, self.stated_score)

    @property
    def chain_length(self) -> int:
        """How many leading steps are the drug's mechanism chain (forward, from the drug)."""
        n = 0
        for s in self.steps:
            if not s.forward or s.predicate not in _CHAIN_PREDICATES:
                break
            n += 1
        return n

    def relation_ids(self) -> list[str]:
        ids = [i for step in self.steps for i in step.relation_ids()]
        return ids + (self.stated.relation_ids() if self.stated else [])


@dataclass(frozen=True)
class Contrast:
    """How one step of a drug's explanation compares with the other drug (``--versus``)."""

    drug: str  # whose step it is
    other: str
    step: Step
    statuses: tuple[str, ...]  # more_than, not_with, other_more, not_stated, shared: all that apply
    other_relations: tuple[dict, ...] = ()

    @property
    def status(self) -> str:
        return self.statuses[0]


@dataclass
class Explanation:
    drug: str
    target: str
    mode: str  # condition | agent | entity
    paths: list[Path]  # every mechanism path, best first
    uses: list[Step]  # the drug's own clinical standing for the target
    entities: dict[str, dict]  # id -> name, category, degree
    top: int = 5
    versus: str | None = None
    contrasts: list[Contrast] = field(default_factory=list)
    other_paths: list[Path] = field(default_factory=list)
    kg: Any = field(default=None, repr=False, compare=False)  # the graph explained, for pictures

    # -- what it covers ------------------------------------------------------------------
    @property
    def top_paths(self) -> list[Path]:
        return self.paths[: self.top] if self.top else list(self.paths)

    @property
    def dwpc(self) -> float:
        return sum(p.specificity for p in self.paths)

    def relation_ids(self) -> list[str]:
        """Every relation the shown paths (and the drug's standing) rest on, each once."""
        ids = [i for p in self.top_paths for i in p.relation_ids()]
        ids += [r["id"] for s in self.uses for r in s.relations]
        return list(dict.fromkeys(ids))

    def entity_ids(self) -> list[str]:
        """The drug, the target, and every entity the shown paths' relations connect."""
        ids = [self.drug, self.target] + [n for p in self.top_paths for n in p.nodes]
        for p in self.top_paths:
            for s in p.steps + ((p.stated,) if p.stated else ()):
                ids += [s.subject, s.object] + [via for via, _ in s.support]
        return list(dict.fromkeys(ids))

    def name(self, entity_id: str) -> str:
        return self.entities.get(entity_id, {}).get("name", entity_id)

    # -- words ----------------------------------------------------------------------------
    def summary(self) -> str:
        return _summary(self)

    def to_text(self) -> str:
        return _text(self)

    def to_dict(self) -> dict[str, Any]:
        return _as_dict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def to_html(self) -> str:
        """The explanation as one self-contained page, its paths left to right (imidgraph.view)."""
        from .view import explanation_page

        if self.kg is None:
            raise ValueError("this explanation does not know its graph: use view.explanation_page(kg, e)")
        return explanation_page(self.kg, self)

    def _repr_html_(self) -> str:
        """Jupyter shows the same page inline, in an iframe."""
        from .view import notebook_html

        return notebook_html(self.to_html())

    def to_cypher(self) -> str:
        from .cypher_text import cypher_comment, cypher_string

        ids = self.relation_ids()
        listed = ",\n  ".join(cypher_string(i) for i in ids)
        title = (
            f"imidgraph explain {self.name(self.drug)} -> {self.name(self.target)}: "
            f"the {len(self.top_paths)} best path(s) and the drug's standing, {len(ids)} relations."
        )
        return (
            f"{cypher_comment(title)}\n"
            "// Paste into Neo4j Browser.\n"
            "MATCH (a:Imidgraph)-[r]->(b:Imidgraph)\n"
            f"WHERE r.id IN [\n  {listed}\n]\n"
            "RETURN a, r, b\n"
        )


# --------------------------------------------------------------------------- where the facts come from


class _Memory:
    """Paths and relations from the embedded graph."""

    def __init__(self, kg: KnowledgeGraph):
        from .backends import MemoryBackend

        self.kg = kg
        self.backend = MemoryBackend(kg)

    def relations(self, triples: Iterable[tuple[str, str, str]]) -> dict[tuple[str, str, str], list[dict]]:
        found: dict[tuple[str, str, str], list[dict]] = {}
        graph = self.kg.graph
        for s, p, o in triples:
            if s in graph and o in graph.succ[s]:
                found[(s, p, o)] = [dict(d) for d in graph.succ[s][o].values() if d["predicate"] == p]
        return found

    def family(self, entity: str) -> set[str]:
        """The entity and its direct parents and children (``subclass_of``)."""
        from .offline import _links

        if entity not in self.kg.graph:
            return {entity}
        sub = frozenset({"subclass_of"})
        return {entity} | {x for out in (True, False) for x, _ in _links(self.kg, entity, sub, out)}

    def entities(self, ids: Iterable[str]) -> dict[str, dict]:
        graph = self.kg.graph
        return {
            i: {"name": graph.nodes[i]["name"], "category": graph.nodes[i]["category"], "degree": graph.degree(i)}
            for i in ids
            if i in graph
        }


class _Neo4j:
    """Paths and relations from a Neo4j server, read access only."""

    _RELATIONS = (
        "UNWIND $triples AS t\n"
        "MATCH (a:Imidgraph {id: t[0]})-[r]->(b:Imidgraph {id: t[2]})\n"
        "WHERE r.predicate = t[1] AND r.imidgraph_load IS NOT NULL\n"  # ours only (loader.OWNER)
        "RETURN t[0] AS s, t[1] AS p, t[2] AS o, properties(r) AS props"
    )
    _ENTITIES = (
        "UNWIND $ids AS i\n"
        "MATCH (n:Imidgraph {id: i})\n"
        "RETURN n.id AS id, n.name AS name, n.category AS category, COUNT { (n)-[r]-() WHERE r.imidgraph_load IS NOT NULL } AS degree"
    )

    _FAMILY = (
        "MATCH (t:Imidgraph {id: $id})\n"
        "RETURN [t.id] + COLLECT { MATCH (t)-[s:SUBCLASS_OF]-(x:Imidgraph) WHERE s.imidgraph_load IS NOT NULL RETURN DISTINCT x.id } AS ids"
    )

    def __init__(self, backend: Neo4jBackend):
        self.backend = backend

    def family(self, entity: str) -> set[str]:
        rows = self.backend.cypher(self._FAMILY, {"id": entity}).rows
        return set(rows[0][0]) if rows else {entity}

    def relations(self, triples: Iterable[tuple[str, str, str]]) -> dict[tuple[str, str, str], list[dict]]:
        found: dict[tuple[str, str, str], list[dict]] = {}
        rows = self.backend.cypher(self._RELATIONS, {"triples": [list(t) for t in triples]}).rows
        for s, p, o, props in rows:
            props.pop(OWNER, None)  # the load's mark, not a property of the relation
            found.setdefault((s, p, o), []).append(edge_properties_from_stored(props))  # [] for lists Neo4j leaves out
        return found

    def entities(self, ids: Iterable[str]) -> dict[str, dict]:
        rows = self.backend.cypher(self._ENTITIES, {"ids": sorted(set(ids))}).rows
        return {i: {"name": n, "category": c, "degree": d} for i, n, c, d in rows}


def source_for(kg: KnowledgeGraph, backend: MemoryBackend | Neo4jBackend | None = None):
    from .backends import Neo4jBackend

    return _Neo4j(backend) if isinstance(backend, Neo4jBackend) else _Memory(kg)


# --------------------------------------------------------------------------- finding and ranking


def explain(
    kg: KnowledgeGraph,
    drug: str,
    target: str,
    *,
    versus: str | None = None,
    top: int = 5,
    backend: MemoryBackend | Neo4jBackend | None = None,
) -> Explanation:
    """Explain how ``drug`` acts on ``target`` (ids, names or synonyms; resolved with ``kg``).

    ``backend`` is where the paths are searched: the embedded graph (default) or a
    :class:`~imidgraph.backends.Neo4jBackend`. Raises
    :class:`~imidgraph.names.UnknownEntity` (with close matches) for a name no entity has.
    """
    drug_id, target_id = kg.entity(drug).id, kg.entity(target).id
    other_id = kg.entity(versus).id if versus is not None else None
    if drug_id == target_id:
        raise ExplainError(f"drug and target are the same entity ({kg.name(drug_id)})")
    if other_id is not None and other_id == drug_id:
        raise ExplainError(f"--versus names the drug itself ({kg.name(drug_id)})")
    if top < 0:
        raise ExplainError("top must be 0 (all paths) or more")
    source = source_for(kg, backend)
    explanation = _explain(source, drug_id, target_id, top)
    if other_id is not None:
        other = _explain(source, other_id, target_id, top)
        _contrast(source, explanation, other)
    explanation.kg = kg
    return explanation


def _explain(source, drug: str, target: str, top: int) -> Explanation:
    from .catalogue import get, read_catalogue

    query = get(read_catalogue(), "explain_paths")
    rows = source.backend.run(query, {"drug": drug, "target": target}).rows

    def triple(nodes: list[str], predicates: list[str], forward: list[bool], i: int) -> tuple[str, str, str]:
        a, b = nodes[i], nodes[i + 1]
        return (a, predicates[i], b) if forward[i] else (b, predicates[i], a)

    triples = {triple(n, p, f, i) for _, n, p, f in rows for i in range(len(p))}
    relations = source.relations(triples)
    # a degradation "via" a ligase the degrading agent binds: that binding supports the step
    wanted = {
        (s, "binds", v)
        for (s, p, o), found in relations.items()
        if p == "degrades"
        for r in found
        for v in r.get("q_via") or []
    }
    support = source.relations(wanted)
    mentioned = {drug, target} | {n for _, nodes, _, _ in rows for n in nodes}
    mentioned |= {i for found in relations.values() for r in found for i in _entity_qualifiers(r)}
    entities = source.entities(mentioned)
    missing = [i for i in (drug, target) if i not in entities]
    if missing:  # a backend that reads another graph (e.g. Neo4j with --any-graph)
        raise ExplainError(f"the graph searched has no entity {', '.join(missing)}")

    def make_step(t: tuple[str, str, str], forward: bool) -> Step:
        step = Step(*t, forward=forward, relations=tuple(sorted(relations.get(t, []), key=lambda r: r["id"])))
        if t[1] != "degrades":
            return step
        sup = [(v, r) for v in sorted(step.vias) for r in sorted(support.get((t[0], "binds", v), []), key=lambda r: r["id"])]
        return replace(step, support=tuple(sup))

    context_ids = source.family(target)
    category = entities[target]["category"]
    mode = "condition" if category in schema.CONDITIONS else "agent" if category in schema.AGENTS else "entity"
    paths, uses = [], []
    for kind, nodes, predicates, forward in rows:
        steps = tuple(make_step(triple(nodes, predicates, forward, i), forward[i]) for i in range(len(predicates)))
        if any(not s.relations for s in steps):  # the graph changed between the two reads
            raise ExplainError("the graph changed while explaining; run it again")
        if kind == "use":
            uses.append(steps[0])
            continue
        paths.append(_rank(kind, tuple(nodes), steps, context_ids, entities, mode))
    paths = _fold(_without_class_echoes(paths))
    paths.sort(key=lambda p: (-p.score, len(p.steps), [entities[n]["name"] for n in p.nodes], [s.predicate for s in p.steps]))
    uses.sort(key=lambda s: USE_ORDER.index(s.predicate))
    return Explanation(drug, target, mode, paths, uses, entities, top)


def _without_class_echoes(paths: list[Path]) -> list[Path]:
    """Drop a path that goes through the drug's class when the drug's own statements make
    the same path without it (lenalidomide raises M1 macrophages itself; no need for
    "lenalidomide is an IMiD; IMiDs raise M1 macrophages")."""
    own = {(p.kind, p.nodes, tuple(s.predicate for s in p.steps)) for p in paths}

    def echo(p: Path) -> bool:
        if not p.steps or p.steps[0].predicate not in STRUCTURAL or p.chain_length < 2:
            return False
        nodes = p.nodes[:1] + p.nodes[2:]
        return (p.kind, nodes, tuple(s.predicate for s in p.steps[1:])) in own

    return [p for p in paths if not echo(p)]


def _fold(paths: list[Path]) -> list[Path]:
    """Fold each summary path into the longer path that shows its mechanism step by step.

    A summary path has a single mechanism step (or a single ``potentiates`` step). It folds
    into a longer path that starts the same way, ends the same way (from the summary's object
    on) and has the same sign: when the summary names intermediates (``via``), the one through
    the most of them (at least two, or all if fewer); then the longest; then the best
    scoring; the first of equals (rows always come in one order).
    """
    folded: dict[int, Path] = {}
    dropped: set[int] = set()
    for p in paths:
        k = p.chain_length
        moving = [s for s in p.steps[:k] if s.predicate not in STRUCTURAL]
        if p.kind == "potentiates" and not moving:
            summary, start, tail = p.steps[k], k, p.nodes[k + 1 :]
        elif len(moving) == 1:
            summary, start, tail = moving[0], k - 1, p.nodes[k:]
        else:
            continue
        vias = summary.vias
        best, best_key = None, None
        for q in paths:
            if id(q) in folded or q is p or q.nodes[: start + 1] != p.nodes[: start + 1]:
                continue
            if q.steps[start].predicate in STRUCTURAL:  # the same start, not through a class
                continue
            if p.kind == "potentiates":
                fits = q.kind == "partner" and q.nodes[q.chain_length + 1 :] == tail
                inner = q.nodes[start + 1 : q.chain_length + 1]
            else:
                fits = (
                    q.kind == p.kind
                    and q.nodes[q.chain_length :] == tail
                    and _sign(q.steps[: q.chain_length]) == _sign(p.steps[:k])
                )
                inner = q.nodes[start + 1 : q.chain_length]
            covered = len(vias & set(inner))
            if not fits or covered < min(2, len(vias)):
                continue
            key = (covered, q.chain_length, q.own_score)
            if best_key is None or key > best_key:
                best, best_key = q, key
        if best is not None:
            folded[id(best)] = replace(best, stated=summary, stated_score=p.own_score)
            dropped.add(id(p))
    return [folded.get(id(p), p) for p in paths if id(p) not in dropped]


def _entity_qualifiers(relation: dict) -> list[str]:
    """The entity ids a relation's qualifiers name (its properties are ``q_<key>``)."""
    return [i for key in schema.QUALIFIERS if f"q_{key}" in relation for i in schema.qualifier_entities(key, relation[f"q_{key}"])]


def _rank(
    kind: str, nodes: tuple[str, ...], steps: tuple[Step, ...], context_ids: set[str], entities: dict, mode: str
) -> Path:
    weights = [s.weight for s in steps if s.predicate not in STRUCTURAL]
    evidence = math.prod(weights) ** (1 / len(weights)) if weights else 1.0
    specificity = math.prod(max(entities[n]["degree"], 1) ** -DAMPING for n in nodes[1:-1])
    in_context = any(
        r.get("q_disease_context") in context_ids or context_ids & set(r.get("q_combined_with") or [])
        for s in steps
        for r in s.relations
    )
    # a step every relation of which was observed in some other disease
    elsewhere = mode == "condition" and any(
        all(r.get("q_disease_context") not in (None, *context_ids) for r in s.relations) for s in steps
    )
    context = CONTEXT_BONUS if in_context else ELSEWHERE if elsewhere else 1.0
    mechanism = SECONDARY if kind in SECONDARY_KINDS.get(mode, ()) else 1.0
    return Path(kind, nodes, steps, evidence, specificity, context, mechanism)


def _contrast(source, mine: Explanation, theirs: Explanation) -> None:
    """Compare the drug-specific steps of each explanation with the other drug."""
    mine.versus = theirs.drug
    mine.other_paths = theirs.paths
    mine.entities.update({k: v for k, v in theirs.entities.items() if k not in mine.entities})

    def own_steps(e: Explanation) -> list[Step]:
        seen: dict[tuple[str, str, str], Step] = {}
        for p in e.top_paths:
            for s in p.steps:
                if s.subject == e.drug and s.predicate not in STRUCTURAL:
                    seen.setdefault(s.triple, s)
        return list(seen.values())

    pairs = [(mine, theirs.drug, s) for s in own_steps(mine)] + [(theirs, mine.drug, s) for s in own_steps(theirs)]
    mirrored = source.relations({(other, s.predicate, s.object) for _, other, s in pairs})
    for e, other, step in pairs:
        theirs_rels = tuple(sorted(mirrored.get((other, step.predicate, step.object), []), key=lambda r: r["id"]))
        statuses = []
        if any(other in (r.get("q_more_than") or []) for r in step.relations):
            statuses.append("more_than")
        if any(other in (r.get("q_not_with") or []) for r in step.relations):
            statuses.append("not_with")
        if any(e.drug in (r.get("q_more_than") or []) for r in theirs_rels):
            statuses.append("other_more")
        if not statuses:
            statuses.append("shared" if theirs_rels else "not_stated")
        if e is theirs and statuses == ["shared"]:
            continue  # already said from the drug's side
        mine.contrasts.append(Contrast(e.drug, other, step, tuple(statuses), theirs_rels))
    names = mine.entities
    unnamed = {i for c in mine.contrasts for r in c.other_relations for i in _entity_qualifiers(r)} - set(names)
    if unnamed:
        names.update(source.entities(unnamed))
    mine.contrasts.sort(key=lambda c: (c.drug != mine.drug, _STATUS_ORDER.index(c.status), names[c.step.object]["name"]))


_STATUS_ORDER = ("more_than", "not_with", "other_more", "not_stated", "shared")


# --------------------------------------------------------------------------- words


def _aspect(step: Step) -> str:
    aspects = sorted({r["q_aspect"].replace("_", " ") for r in step.relations if r.get("q_aspect")})
    return f" ({', '.join(aspects)})" if aspects else ""


def clause(e: Explanation, step: Step) -> str:
    """The step as a plain statement, subject first: ``lenalidomide degrades CSNK1A1 (via CRBN)``."""
    text = f"{e.name(step.subject)} {_VERB[step.predicate]} {e.name(step.object)}{_aspect(step)}"
    if step.vias and step.predicate in ("degrades", "potentiates"):
        text += f" via {', '.join(_vias(e, step))}"
    return text


def _vias(e: Explanation, step: Step) -> list[str]:
    return sorted(e.name(v) for v in step.vias)


def _net(steps: list[Step]) -> str:
    """The drug's net effect along a chain of mechanism steps: raises, lowers or acts on."""
    if not any(s.predicate in _SIGN for s in steps):
        return "acts on"
    return "raises" if _sign(steps) > 0 else "lowers"


def lead(e: Explanation, path: Path) -> str:
    """One sentence saying what a path means, built from its steps."""
    drug = e.name(path.nodes[0])
    steps = path.steps
    # the mechanism chain: forward steps from the drug up to where the ending begins
    chain = list(steps[: path.chain_length])
    m = path.nodes[len(chain)]
    said = [clause(e, s) for s in chain]
    rest = steps[len(chain):]
    target = e.name(e.target)
    moving = [s for s in chain if s.predicate not in STRUCTURAL]
    if path.kind == "driver":
        if len(moving) > 1:
            said.append(f"so {drug} {_net(chain)} {e.name(m)}")
        return "; ".join(said) + f", which contributes to {target}."
    if path.kind == "lesion":
        alteration, acts = rest[0], rest[0].predicate
        also = "also" if _SIGN.get(acts, 1) * _sign(chain) > 0 else "on the other hand"
        return (
            "; ".join(said)
            + f"; {e.name(alteration.subject)}, which contributes to {target}, {also} "
            + f"{_VERB[acts]} {e.name(m)}{_aspect(alteration)}."
        )
    if path.kind == "partner":
        partner = rest[0]
        said.append(f"{e.name(partner.subject)} also {_VERB[partner.predicate]} {e.name(m)}{_aspect(partner)}")
        said += [clause(e, s) for s in rest[1:]]
        return "; ".join(said) + "."
    return "; ".join(clause(e, s) for s in steps) + "."


_CHAIN_PREDICATES = frozenset({"binds", "degrades", "increases", "decreases", "mediates", "subclass_of"})


def _sign(steps: Iterable[Step]) -> int:
    return math.prod(_SIGN.get(s.predicate, 1) for s in steps)


def _standing(e: Explanation) -> str:
    if not e.uses:
        return ""
    parts = []
    for step in e.uses:
        label = _VERB[step.predicate]
        settings = sorted({r["q_setting"] for r in step.relations if r.get("q_setting")})
        extra = f" ({'; '.join(settings)})" if settings else ""
        parts.append(f"{label} {e.name(e.target)}{extra}")
    return f"{e.name(e.drug)} " + "; ".join(parts) + "."


def _summary(e: Explanation) -> str:
    drug, target = e.name(e.drug), e.name(e.target)
    if not e.paths:
        text = f"No mechanism path links {drug} to {target} in the graph."
        standing = _standing(e)
        return f"{text} {standing}".strip()
    best = e.top_paths
    text = [
        f"{len(e.paths)} mechanism path(s) link {drug} to {target} (DWPC {e.dwpc:.3f}).",
        f"Main route: {lead(e, best[0])}",
    ]
    if len(best) > 1:
        text.append("Also: " + " ".join(lead(e, p) for p in best[1:3]))
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
            lead_in = f"{e.name(e.drug)} {_VERB[c.step.predicate]} {e.name(c.step.object)}" if parts else clause(e, c.step)
            parts.append(f"{lead_in}{where} where {other} does not")
        if "other_more" in c.statuses:
            parts.append(f"{other} {_VERB[c.step.predicate]} {e.name(c.step.object)} more")
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


def _text(e: Explanation) -> str:
    d, t = e.entities[e.drug], e.entities[e.target]
    lines = [
        f"Why {d['name']} -> {t['name']}",
        f"  {d['name']} [{d['category']}, {e.drug}]  ·  {t['name']} [{t['category']}, {e.target}]",
        "",
        _wrap(_summary(e), "  "),
        "",
    ]
    if e.uses:
        lines.append("Standing")
        for step in e.uses:
            lines.append(f"  {clause(e, step)}")
            lines += _relation_lines(e, step.relations, "    ")
        lines.append("")
    for rank, path in enumerate(e.top_paths, 1):
        lines.append(
            f"{rank}. [{path.kind}] score {path.score:.4f} = evidence {path.evidence:.2f} × specificity "
            f"{path.specificity:.3f}"
            + (f" × context {path.context:g}" if path.context != 1 else "")
            + (f" × mechanism {path.mechanism:g}" if path.mechanism != 1 else "")
        )
        lines.append(f"   {_arrow(e, path)}")
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
                lines.append(f"        through: {e.name(step.subject)} binds {e.name(via)}")
                lines += _relation_lines(e, [r], "          ")
        lines.append("")
    hidden = len(e.paths) - len(e.top_paths)
    if hidden > 0:
        lines.append(f"({hidden} more path(s): --top 0 shows all)")
    if e.versus is not None:
        lines.append(f"Versus {e.name(e.versus)}")
        for c in e.contrasts:
            words = ", ".join(_STATUS_WORDS[x].format(other=e.name(c.other)) for x in c.statuses)
            lines.append(f"  {words}: {clause(e, c.step)}")
            for r in c.other_relations:
                lines.append(f"      {e.name(c.other)}: {_cite(r)}")
    return "\n".join(lines).rstrip() + "\n"


_STATUS_WORDS = {
    "more_than": "stronger than {other}",
    "not_with": "not with {other}",
    "other_more": "weaker than {other}",
    "not_stated": "not stated for {other}",
    "shared": "shared with {other}",
}


def _relation_lines(e: Explanation, relations: Iterable[dict], indent: str) -> list[str]:
    lines = []
    for r in relations:
        qualifiers = _qualifier_text(e, r)
        lines.append(f"{indent}{_cite(r)}")
        if qualifiers:
            lines.append(f"{indent}  {qualifiers}")
        lines.append(f"{indent}  “{r['paraphrase']}”")
    return lines


def _wrap(text: str, indent: str, width: int = 100) -> str:
    import textwrap

    return textwrap.fill(text, width=width, initial_indent=indent, subsequent_indent=indent)


def _relation_dict(r: dict) -> dict:
    return {
        "id": r["id"],
        "evidence": r["evidence"],
        "qualifiers": {k[2:]: v for k, v in r.items() if k.startswith("q_")},
        "source": r["source"],
        "source_doi": r["source_doi"] or None,
        "section": r["section"],
        "refs": list(r["refs"]),
        "primary_dois": list(r["primary_dois"]),
        "paraphrase": r["paraphrase"],
    }


def _step_dict(e: Explanation, s: Step) -> dict:
    return {
        "subject": s.subject,
        "predicate": s.predicate,
        "biolink_predicate": schema.PREDICATES[s.predicate].biolink,
        "object": s.object,
        "forward": s.forward,
        "text": clause(e, s),
        "evidence": s.evidence,
        "relations": [_relation_dict(r) for r in s.relations],
        "support": [{"binds": v, **_relation_dict(r)} for v, r in s.support],
    }


def _as_dict(e: Explanation) -> dict[str, Any]:
    def entity(i: str) -> dict:
        return {"id": i, "name": e.name(i), "category": e.entities[i]["category"]}

    return {
        "drug": entity(e.drug),
        "target": entity(e.target),
        "mode": e.mode,
        "summary": e.summary(),
        "dwpc": e.dwpc,
        "path_count": len(e.paths),
        "standing": [_step_dict(e, s) for s in e.uses],
        "paths": [
            {
                "rank": rank,
                "kind": p.kind,
                "score": p.score,
                "evidence": p.evidence,
                "specificity": p.specificity,
                "context": p.context,
                "mechanism": p.mechanism,
                "sentence": lead(e, p),
                "nodes": [entity(n) for n in p.nodes],
                "steps": [_step_dict(e, s) for s in p.steps],
                "stated": _step_dict(e, p.stated) if p.stated else None,
            }
            for rank, p in enumerate(e.top_paths, 1)
        ],
        "versus": None
        if e.versus is None
        else {
            "drug": entity(e.versus),
            "contrasts": [
                {
                    "drug": c.drug,
                    "status": c.status,
                    "statuses": list(c.statuses),
                    "step": _step_dict(e, c.step),
                    "other_relations": [_relation_dict(r) for r in c.other_relations],
                }
                for c in e.contrasts
            ],
        },
    }
