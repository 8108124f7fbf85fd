"""How many facts of an independent list the graph holds as relations (issue 12's recall check).

``docs/recall/facts.tsv`` lists, one a line, the relations the five sources state, written
down from the sources alone (columns ``source section subject relation object note``; names as
the sources print them). For each line this resolves subject and object with the graph's own
name lookup (:meth:`imidgraph.graph.KnowledgeGraph.entity`: the seeds' names and synonyms
under the project's normalisation) and looks for a relation between the two entities:

* **any edge**: a relation either way between them, or a path through a regimen or trial
  (a Treatment or ClinicalTrial node that ``has_part``/``tested`` the one entity, directly or
  through a regimen it tested, and either holds the other too or has a relation to it);
* **predicate-matching**: the same, counting only relations whose predicate belongs to the
  family of the line's verb (:data:`FAMILIES`); ``combined_with`` is matched by ``given_with``,
  a shared regimen or trial, a ``potentiates`` relation or a relation naming the partner in its
  ``combined_with`` qualifier;
* **direct relation**: a relation that joins the two named entities themselves, what a checker
  that counts only an edge between exactly the named entities finds (of any predicate, as "any
  edge" counts).

Some verbs are not edges: ``synonym`` (and ``encodes``, a gene and its product) is found when
both names resolve to the same entity; ``more_than`` (a comparison, a qualifier by the schema)
when a relation of the subject names the object in ``more_than`` (or the object names the
subject in ``not_with``).

Misses are printed by kind: a name that resolves to no entity (or to several), and two
entities with no relation. ``--min-any`` / ``--min-predicate`` / ``--min-direct`` make the exit
status 1 when a rate falls below the given percentage::

    python tools/recall_check.py [--facts docs/recall/facts.tsv] [--seeds seeds] [--misses] [--strict]
"""

from __future__ import annotations

import argparse
import csv
import sys
from collections.abc import Iterable
from dataclasses import dataclass, field
from pathlib import Path

from imidgraph.graph import KnowledgeGraph, load
from imidgraph.names import AmbiguousName, NameIndex, UnknownEntity

ROOT = Path(__file__).resolve().parent.parent
FACTS = ROOT / "docs" / "recall" / "facts.tsv"
COLUMNS = ["source", "section", "subject", "relation", "object", "note"]

# the predicates that state a line's verb (either direction)
_EFFECT = {"increases", "decreases", "modulates", "degrades", "potentiates"}
FAMILIES: dict[str, set[str]] = {
    "binds": {"binds"},
    "degrades": {"degrades"},
    "increases": {"increases", "potentiates", "has_outcome"},
    "decreases": {"decreases", "degrades", "has_outcome"},
    "inhibits": {"decreases", "degrades"},
    "regulates": _EFFECT,
    "treats": {"approved_for", "studied_clinically_for", "active_preclinically_in", "has_outcome"},
    "approved_for": {"approved_for"},
    "studied_for": {"studied_clinically_for", "active_preclinically_in", "approved_for"},
    "combined_with": {"given_with", "potentiates", "has_part", "tested"},
    "causes_side_effect": {"has_side_effect"},
    "causes": {"contributes_to", "mediates", "has_side_effect"},
    "resistance": {"associated_with_resistance_to"},
    "sensitivity": {"associated_with_sensitivity_to"},
    "part_of": {"has_part"},
    "has_part": {"has_part", "tested"},
    "subclass_of": {"subclass_of", "model_of"},  # a cell line "of" a disease: model_of
    "member_of": {"subclass_of"},
    "derived_from": {"derived_from"},
    "produces": {"produced_by"},
    "required_for": {"required_for"},
    "mediates": {"mediates"},
    "associated_with": {"contributes_to", "correlated_with", "associated_with_sensitivity_to"},
    "expressed_in": {"produced_by", "has_part"},
    "manufactured_by": set(),
}
SAME_ENTITY = {"synonym", "encodes"}
COMPARISON = {"more_than"}
VERBS = set(FAMILIES) | SAME_ENTITY | COMPARISON
# found also through the hierarchy: the subject under the object (member_of, subclass_of), or
# the relation stated of a subtype of the object disease (a trial in DLBCL is one in lymphoma)
HIERARCHY = {"subclass_of", "member_of"}
DISEASE_VERBS = {"treats", "approved_for", "studied_for"}
CONTAINERS = {"Treatment", "ClinicalTrial"}
PARTS = {"has_part", "tested"}


class FactsError(ValueError):
    """A line of the facts list that cannot be read."""


@dataclass(frozen=True)
class Fact:
    line: int
    source: str
    section: str
    subject: str
    relation: str
    object: str
    note: str

    def __str__(self) -> str:
        return f"{self.source} §{self.section}: {self.subject} -{self.relation}-> {self.object}"


@dataclass
class Outcome:
    fact: Fact
    unresolved: list[str] = field(default_factory=list)  # "name: why"
    any_edge: bool = False
    predicate_match: bool = False
    how: str = ""  # the relation(s) found, or what is missing
    kind: str = ""  # how it was found: edge, regimen/trial, hierarchy, subtype, same entity, comparison

    @property
    def direct(self) -> bool:
        """Found by a relation that joins the two named entities themselves (either direction),
        not through a regimen, trial, parent class, subtype, qualifier or shared entity."""
        return self.any_edge and self.kind == "direct relation"


def read_facts(path: Path | str = FACTS) -> list[Fact]:
    """The facts of a TSV list; a bad line raises FactsError naming file, line and field."""
    path = Path(path)
    facts = []
    with path.open(encoding="utf-8", newline="") as handle:
        rows = csv.reader(handle, delimiter="\t", quoting=csv.QUOTE_NONE)
        header = next(rows, None)
        if header != COLUMNS:
            raise FactsError(f"{path}:1: header must be {' '.join(COLUMNS)}, not {header}")
        for number, row in enumerate(rows, start=2):
            if not any(cell.strip() for cell in row):
                continue
            if len(row) != len(COLUMNS):
                raise FactsError(f"{path}:{number}: {len(row)} fields, expected {len(COLUMNS)}")
            values = dict(zip(COLUMNS, (cell.strip() for cell in row), strict=True))
            for name in ("source", "section", "subject", "relation", "object"):
                if not values[name]:
                    raise FactsError(f"{path}:{number}: field {name!r} is empty")
            if values["relation"] not in VERBS:
                raise FactsError(
                    f"{path}:{number}: field 'relation': unknown verb {values['relation']!r} "
                    f"(one of {', '.join(sorted(VERBS))})"
                )
            facts.append(Fact(number, **values))
    return facts


class Checker:
    """Looks facts up in one graph."""

    def __init__(self, graph: KnowledgeGraph, strict: bool = False):
        self.kg = graph
        self.g = graph.graph
        self.category = {e.id: e.category for e in graph.entities}
        # strict: only the seeds' own key (normalize), not the lenient one for what people type
        # (plurals, spelled-out Greek letters, British spellings)
        self.index = NameIndex(graph.entities, lenient=not strict)

    def resolve(self, name: str) -> tuple[str | None, str]:
        try:
            return self.index.resolve(name).id, ""
        except UnknownEntity:
            return None, f"{name!r}: no entity"
        except AmbiguousName as error:
            return None, f"{name!r}: names several entities ({', '.join(error.candidates)})"

    def _edges(self, a: str, b: str) -> list:
        """Relations between a and b, either direction."""
        found = []
        for u, v in ((a, b), (b, a)):
            if self.g.has_edge(u, v):
                found += [self.kg.relation(key) for key in self.g[u][v]]
        return found

    def _reach(self, node: str, up: bool, keep, depth: int, through=None) -> set[str]:
        """Entities reached from ``node`` in up to ``depth`` steps along relations whose predicate
        ``keep`` accepts: towards subjects (``up``) or towards objects. ``through`` (if given)
        decides which reached entities the walk goes on from."""
        found: set[str] = set()
        frontier = {node}
        for _ in range(depth):
            step = set()
            for x in frontier:
                edges = self.g.in_edges(x, keys=True) if up else self.g.out_edges(x, keys=True)
                for u, v, key in edges:
                    y = u if up else v
                    if keep(self.kg.relation(key).predicate, y) and y not in found:
                        step.add(y)
            found |= step
            frontier = step if through is None else {y for y in step if through(y)}
        return found

    def _holders(self, node: str) -> set[str]:
        """Regimens and trials that hold ``node``: has_part/tested it, or test a regimen that does."""
        return self._reach(node, True, lambda p, u: p in PARTS and self.category.get(u) in CONTAINERS, 2)

    def _parts(self, node: str) -> set[str]:
        """What a regimen or trial holds: its has_part/tested objects, and theirs (two steps)."""
        if self.category.get(node) not in CONTAINERS:
            return set()
        container = lambda v: self.category.get(v) in CONTAINERS  # noqa: E731
        return self._reach(node, False, lambda p, v: p in PARTS, 2, through=container)

    def _below(self, node: str, depth: int = 4) -> set[str]:
        """Entities under ``node`` in the subclass_of hierarchy (up to ``depth`` steps)."""
        return self._reach(node, True, lambda p, u: p == "subclass_of", depth)

    def _paths(self, a: str, b: str) -> list[tuple[str, list]]:
        """(container, relations to the other end) for each regimen/trial holding one end."""
        found = []
        for x, y in ((a, b), (b, a)):
            for holder in self._holders(x):
                if holder == y:
                    continue
                if holder in self._holders(y):
                    found.append((holder, ["holds both"]))
                elif rels := self._edges(holder, y):
                    found.append((holder, rels))
            # a regimen or trial at one end: a relation of what it holds to the other end (a
            # trial's finding is stated of the regimen it tested, with in_trial)
            for part in self._parts(x):
                if part != y and (rels := self._edges(part, y)):
                    found.append((x, rels))
        return found

    def check(self, fact: Fact) -> Outcome:
        outcome = Outcome(fact)
        s, why_s = self.resolve(fact.subject)
        o, why_o = self.resolve(fact.object)
        outcome.unresolved = [why for why in (why_s, why_o) if why]
        if s is None or o is None:
            outcome.how = "; ".join(outcome.unresolved)
            return outcome
        if fact.relation in SAME_ENTITY:
            outcome.any_edge = outcome.predicate_match = s == o
            outcome.how = "same entity" if s == o else f"different entities {s} and {o}"
            outcome.kind = "same entity"
            if s != o and self._edges(s, o):  # a gene and its product kept apart, but linked
                outcome.any_edge = True
            return outcome
        if s == o:
            outcome.how = f"both names resolve to {s}"
            return outcome
        if fact.relation in COMPARISON:
            for r in self.kg.relations:
                if (r.subject == s and o in _ids(r.qualifiers.get("more_than"))) or (
                    r.subject == o and s in _ids(r.qualifiers.get("not_with"))
                ):
                    outcome.any_edge = outcome.predicate_match = True
                    outcome.how = f"{r.predicate} {self.kg.name(r.object)} (more_than/not_with)"
                    outcome.kind = "comparison qualifier"
                    return outcome
            outcome.how = "no relation compares them"
            return outcome
        family = FAMILIES[fact.relation]
        direct = self._edges(s, o)
        if any(r.predicate in family for r in direct):
            outcome.any_edge = outcome.predicate_match = True
            outcome.how = ", ".join(sorted({r.predicate for r in direct}))
            outcome.kind = "direct relation"
            return outcome
        # the hierarchy, only where no relation of the verb's family joins the two directly
        if fact.relation in HIERARCHY and s in self._below(o):
            outcome.any_edge = outcome.predicate_match = True
            outcome.how = "subclass_of path"
            outcome.kind = "subclass_of through parents"
            return outcome
        if fact.relation in DISEASE_VERBS:
            for sub in sorted(self._below(o)):
                rels = [r for r in self._edges(s, sub) if r.predicate in family]
                if rels:
                    outcome.any_edge = outcome.predicate_match = True
                    outcome.how = f"{rels[0].predicate} {self.kg.name(sub)} (a subtype)"
                    outcome.kind = "relation to a subtype of the disease"
                    return outcome
        paths = self._paths(s, o)
        outcome.any_edge = bool(direct or paths)
        matched: list = []
        if fact.relation == "combined_with":
            matched += [r for r in self.kg.relations if _partners(r, s, o)]
            matched += [holder for holder, _ in paths]
        else:
            matched += [
                r for _, rels in paths for r in rels if not isinstance(r, str) and r.predicate in family
            ]
        # a partner named only in a qualifier is not a relation: it counts only beside an edge
        outcome.predicate_match = bool(matched) and outcome.any_edge
        if direct:
            outcome.how = ", ".join(sorted({r.predicate for r in direct}))
            outcome.kind = "direct relation"
        elif paths:
            outcome.how = "via " + ", ".join(sorted({self.kg.name(h) for h, _ in paths}))
            outcome.kind = "through a regimen or trial"
        elif matched:
            outcome.how = "only in a combined_with qualifier"
        else:
            outcome.how = "no relation between " + " and ".join(self.kg.name(x) for x in (s, o))
        return outcome


def _ids(value) -> tuple[str, ...]:
    if value is None:
        return ()
    return value if isinstance(value, tuple) else (value,)


def _partners(r, s: str, o: str) -> bool:
    """r names one entity as subject or object and the other in its combined_with qualifier."""
    partners = _ids(r.qualifiers.get("combined_with"))
    return (s in (r.subject, r.object) and o in partners) or (o in (r.subject, r.object) and s in partners)


@dataclass
class Report:
    outcomes: list[Outcome]

    @property
    def total(self) -> int:
        return len(self.outcomes)

    def rate(self, attr: str) -> float:
        return 100.0 * sum(getattr(o, attr) for o in self.outcomes) / self.total if self.total else 0.0

    @property
    def unresolved(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.unresolved]

    @property
    def no_edge(self) -> list[Outcome]:
        return [o for o in self.outcomes if not o.unresolved and not o.any_edge]

    @property
    def other_predicate(self) -> list[Outcome]:
        return [o for o in self.outcomes if o.any_edge and not o.predicate_match]

    def lines(self, misses: bool = True) -> Iterable[str]:
        yield (
            f"{self.total} facts: any edge {self.rate('any_edge'):.1f}%, "
            f"predicate-matching {self.rate('predicate_match'):.1f}%, "
            f"direct relation {self.rate('direct'):.1f}%, "
            f"unresolved names {len(self.unresolved)}, no edge {len(self.no_edge)}, "
            f"other predicate {len(self.other_predicate)}"
        )
        kinds: dict[str, int] = {}
        for o in self.outcomes:
            if o.any_edge:
                kinds[o.kind] = kinds.get(o.kind, 0) + 1
        yield "  found as: " + ", ".join(
            f"{kind} {n}" for kind, n in sorted(kinds.items(), key=lambda kv: -kv[1])
        )
        by_source: dict[str, list[Outcome]] = {}
        for o in self.outcomes:
            by_source.setdefault(o.fact.source, []).append(o)
        for source, outs in sorted(by_source.items()):
            found = sum(o.any_edge for o in outs)
            matched = sum(o.predicate_match for o in outs)
            yield f"  {source}: {found}/{len(outs)} any edge, {matched}/{len(outs)} predicate-matching"
        if not misses:
            return
        for title, group in (
            ("unresolved names", self.unresolved),
            ("no edge", self.no_edge),
            ("an edge, but not of the verb's predicate family", self.other_predicate),
        ):
            if group:
                yield f"{title} ({len(group)}):"
                for o in group:
                    yield f"  line {o.fact.line}: {o.fact}  [{o.how}]"


def run(facts: list[Fact], graph: KnowledgeGraph, strict: bool = False) -> Report:
    checker = Checker(graph, strict=strict)
    return Report([checker.check(f) for f in facts])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--facts", default=str(FACTS), help="TSV list of facts (default: %(default)s)")
    parser.add_argument("--seeds", default=None, help="seeds folder (default: the project's)")
    parser.add_argument("--misses", action="store_true", help="print every miss")
    parser.add_argument(
        "--strict",
        action="store_true",
        help="resolve names by the seeds' strict key only (no plurals, spellings)",
    )
    parser.add_argument("--min-any", type=float, default=None, help="exit 1 below this any-edge %%")
    parser.add_argument("--min-predicate", type=float, default=None, help="exit 1 below this %%")
    parser.add_argument(
        "--min-direct", type=float, default=None, help="exit 1 below this direct-relation %%"
    )
    args = parser.parse_args(argv)
    try:
        facts = read_facts(args.facts)
    except (FactsError, OSError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 2
    report = run(facts, load(args.seeds), strict=args.strict)
    for line in report.lines(misses=args.misses):
        print(line)
    low = (
        (args.min_any is not None and report.rate("any_edge") < args.min_any)
        or (args.min_predicate is not None and report.rate("predicate_match") < args.min_predicate)
        or (args.min_direct is not None and report.rate("direct") < args.min_direct)
    )
    return 1 if low else 0


if __name__ == "__main__":
    sys.exit(main())
