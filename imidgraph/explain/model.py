"""What ``imidgraph explain`` finds: steps, paths, contrasts and the findings themselves (the
scoring constants too); no words here (:mod:`.phrases`, :mod:`.words`, :mod:`.explanation`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

from .. import schema

EVIDENCE_WEIGHT: dict[str, float] = {
    "approved": 1.0,
    "phase_3": 0.9,
    "phase_2": 0.85,
    "phase_1": 0.8,
    "clinical_observation": 0.75,
    "preclinical_in_vivo": 0.7,
    "in_vitro": 0.65,
    "review_statement": 0.6,
    "ontology": 0.6,
}
DAMPING = 0.4  # Hetionet's w
CONTEXT_BONUS = 1.25
ELSEWHERE = 0.8
SECONDARY = 0.5
# a path that reaches the target through its hierarchy (a class of it, or a member of it) counts
# HIERARCHY per subclass_of step between the target and the entity the path's ending names
HIERARCHY = 0.8
SECONDARY_KINDS = {"condition": frozenset({"partner", "potentiates", "sensitivity", "resistance"})}
# a path sharing k of its mechanism entities with paths ranked above it in its group counts NOVELTY**k
NOVELTY = 0.25
STRUCTURAL = frozenset({"subclass_of"})
# Cell Ontology's neoplastic cell: its kinds are tumour cells, each of the cancer it contributes_to
TUMOUR_CELL = "CL:0001063"
# steps that are no relation of their own: they cite the relations that tie a path to its target
PSEUDO = frozenset({"observed_in", "tested_with"})
USES = ("approved_for", "studied_clinically_for", "active_preclinically_in", "has_side_effect")
USE_ORDER = USES
CHAIN_PREDICATES = frozenset({"binds", "degrades", "increases", "decreases", "mediates", "subclass_of"})
PARTNER_KINDS = frozenset({"partner", "potentiates"})


class ExplainError(ValueError):
    """A question explain cannot answer (one line, for users)."""


@dataclass(frozen=True)
class Step:
    """One step of a path: a (subject, predicate, object) statement, walked forward or back.

    ``relations`` are the properties of every relation that states it (sorted by id);
    ``support`` pairs (ligase id, relation) for the drug's binding of the ligase a
    degradation goes ``via``. A pseudo-step (``observed_in``, ``tested_with``) cites the
    relations that make it: the previous step's observed in the disease, the drug's use via
    the entity, or the trials of one drug combined with the other.
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

    @property
    def says_vias(self) -> bool:
        """Whether the step's sentence names its vias (``degrades CSNK1A1 via CRBN``): a
        degradation or potentiation, or a step supported by a change the drug makes via them."""
        return bool(self.vias) and (self.predicate in ("degrades", "potentiates") or bool(self.support))

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
    distance: float = 1.0  # HIERARCHY ** (subclass_of steps from the target to what the ending names)
    stated: Step | None = None  # a summary statement folded into this path
    stated_score: float = 0.0
    effect: int = 0  # the drug's net effect on the chain's end (or the target): +1, -1, 0 unsigned
    benefit: int = 0  # +1 a reason (helps), -1 against (harms), 0 direction not stated
    outcomes: tuple[Step, ...] = ()  # a trial path: the regimen's clinical results
    conflict: bool = False  # the same route is stated the other way too
    # (a disease) where the path's evidence comes from when not from the disease itself:
    # "stated for B-cell lymphoma" (a parent's fact), "seen in chronic lymphocytic leukemia",
    # "shown in mouse primary central nervous system lymphoma" (a step observed only elsewhere)
    borrowed: tuple[str, ...] = ()
    tier: int = 0  # 0 the disease's own evidence; +1 a parent's fact with no step seen in the disease; +1 a step seen only elsewhere
    novelty: float = 1.0  # NOVELTY ** (mechanism entities already shown by a path ranked above it)
    repeats: tuple[str, ...] = ()  # those entities

    @property
    def own_score(self) -> float:
        return self.evidence * self.specificity * self.context * self.mechanism * self.distance

    @property
    def base_score(self) -> float:
        """The path's own score, or the summary statement folded into it when higher."""
        return max(self.own_score, self.stated_score)

    @property
    def score(self) -> float:
        return self.base_score * self.novelty

    @property
    def mechanism_entities(self) -> tuple[str, ...]:
        """What the drug acts through: the chain's entities after the drug (or the class or member
        making the statement); for a chain of no step (a marker, a potentiated agent), the entity
        the path goes to next. Two paths sharing these are variants of one mechanism."""
        k = self.chain_length
        inner = self.nodes[self.head + 1 : k + 1]
        return tuple(inner) if inner else tuple(self.nodes[k + 1 : k + 2])

    @cached_property
    def chain_length(self) -> int:
        """How many leading steps are the drug's mechanism chain (forward, from the drug)."""
        n, moved = 0, False
        for s in self.steps:
            head = s.predicate in STRUCTURAL and not moved  # up to a class, or down to a member
            if (not s.forward and not head) or s.predicate not in CHAIN_PREDICATES or (moved and s.predicate in STRUCTURAL):
                break
            moved = moved or s.predicate not in STRUCTURAL
            n += 1
        return n

    @property
    def via_class(self) -> bool:
        """The path uses a statement made for the drug's class, not for the drug."""
        return bool(self.steps) and self.steps[0].predicate in STRUCTURAL and self.steps[0].forward

    @cached_property
    def head(self) -> int:
        """How many leading subclass_of steps go from the drug to the class (or member) that
        makes the statement."""
        n = 0
        for s in self.steps:
            if s.predicate not in STRUCTURAL or s.forward != self.steps[0].forward:
                break
            n += 1
        return n

    @property
    def via_member(self) -> bool:
        """The path uses a statement made for a member of the class asked about."""
        return bool(self.steps) and self.steps[0].predicate in STRUCTURAL and not self.steps[0].forward

    @property
    def route(self) -> tuple:
        return (self.nodes, tuple(s.predicate for s in self.steps))

    def relation_ids(self) -> list[str]:
        ids = [i for step in self.steps for i in step.relation_ids()]
        ids += [r["id"] for step in self.outcomes for r in step.relations]
        return ids + (self.stated.relation_ids() if self.stated else [])


@dataclass(frozen=True)
class Contrast:
    """How one step of a drug's explanation compares with the other drug (``--versus``)."""

    drug: str  # whose step it is
    other: str
    step: Step
    statuses: tuple[str, ...]  # all that apply, in versus.STATUS_ORDER (docs/explain.md §7)
    other_relations: tuple[dict, ...] = ()

    @property
    def status(self) -> str:
        return self.statuses[0]


@dataclass
class Findings:
    """What explain found for a drug and a target: the groups of paths, the standing, the
    entities named, and (``--versus``) the contrasts. :class:`~imidgraph.explain.Explanation`
    is one with its words (text, JSON, picture, Cypher)."""

    drug: str
    target: str
    mode: str  # condition | harm (a side effect, toxicity or adverse outcome) | agent | entity
    paths: list[Path]  # the reasons: paths whose net effect helps, best first (the drug's own first)
    uses: list[Step]  # the drug's own clinical standing for the target
    entities: dict[str, dict]  # id -> name, category, degree
    top: int = 5
    versus: str | None = None
    contrasts: list[Contrast] = field(default_factory=list)
    other_paths: list[Path] = field(default_factory=list)  # (--versus) every path of the other drug
    other_routes: list[Path] = field(default_factory=list)  # (--versus) its shown paths none of the drug's takes
    kg: Any = field(default=None, repr=False, compare=False)  # the graph explained, for pictures
    against: list[Path] = field(default_factory=list)  # paths whose net effect harms
    with_partner: list[Path] = field(default_factory=list)  # (a disease) reasons that need a partner agent
    unsigned: list[Path] = field(default_factory=list)  # paths with a step of no stated direction
    trials: list[Path] = field(default_factory=list)  # (a partner) trials of both, favourable or no outcome stated
    unknowns: list = field(default_factory=list, repr=False)  # open questions that bear on the answer (unknowns.py)

    def __repr__(self) -> str:
        counts = ", ".join(f"{k}={len(v)}" for k, v in self.every_group.items())
        versus = f", versus={self.name(self.versus)!r}" if self.versus is not None else ""
        return f"Explanation({self.name(self.drug)!r} -> {self.name(self.target)!r}, mode={self.mode!r}, {counts}{versus})"

    # what the standing names besides the drug and the target: entity id -> "parent" (a class of
    # the target), "subtype" (a member of it) or "class" (a class of the drug)
    kin: dict[str, str] = field(default_factory=dict)

    # -- what it covers ------------------------------------------------------------------
    def _top(self, paths: list[Path]) -> list[Path]:
        return paths[: self.top] if self.top else list(paths)

    @property
    def top_paths(self) -> list[Path]:
        return self._top(self.paths)

    @property
    def groups(self) -> dict[str, list[Path]]:
        """Every group of paths, each cut to ``top``: reasons, with a partner, trials, against, unsigned."""
        return {key: self._top(group) for key, group in self.every_group.items()}

    @property
    def every_group(self) -> dict[str, list[Path]]:
        return {
            "paths": self.paths,
            "with_partner": self.with_partner,
            "trials": self.trials,
            "against": self.against,
            "unsigned": self.unsigned,
        }

    @property
    def all_paths(self) -> list[Path]:
        return [p for group in self.every_group.values() for p in group]

    @property
    def dwpc(self) -> float:
        return sum(p.specificity for p in self.all_paths)

    def shown(self) -> list[Path]:
        return [p for group in self.groups.values() for p in group]

    def relation_ids(self) -> list[str]:
        """Every relation the shown paths (and the drug's standing) rest on, each once."""
        ids = [i for p in self.shown() for i in p.relation_ids()]
        ids += [r["id"] for s in self.uses for r in s.relations]
        return list(dict.fromkeys(ids))

    def entity_ids(self) -> list[str]:
        """The drug, the target, and every entity the shown paths' relations connect."""
        shown = self.shown()
        ids = [self.drug, self.target] + [n for p in shown for n in p.nodes]
        for p in shown:
            for s in p.steps + p.outcomes + ((p.stated,) if p.stated else ()):
                if s.predicate in PSEUDO:
                    ids += [r["_subject"] for r in s.relations] + [r["_object"] for r in s.relations]
                else:
                    ids += [s.subject, s.object]
                ids += [via for via, _ in s.support]
        return list(dict.fromkeys(ids))

    def name(self, entity_id: str) -> str:
        return self.entities.get(entity_id, {}).get("name", entity_id)


def entity_qualifiers(relation: dict) -> list[str]:
    """The entity ids a relation's qualifiers name (its properties are ``q_<key>``)."""
    return [i for key in schema.QUALIFIERS if f"q_{key}" in relation for i in schema.qualifier_entities(key, relation[f"q_{key}"])]
