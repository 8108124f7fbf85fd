"""Where explain reads its facts: the backend it is given (:class:`~imidgraph.backends.MemoryBackend`
on the embedded graph by default, or :class:`~imidgraph.neo4j.backend.Neo4jBackend`).

Both give the same answers: the relations stating given triples, the drug's and partner's
clinical relations, the outcomes (``has_outcome``) of regimens and of the trials that tested
them, the hierarchy (``subclass_of``) around entities, and entity records. Which predicates
count as clinical uses is explain's own word (``model.USES``), given to the backend.
"""

from __future__ import annotations

from collections.abc import Iterable

from ..backends import Backend, MemoryBackend, Triple
from ..catalogue import get, read_catalogue
from ..embedded.graph import EmbeddedGraph
from .model import USES


class Source:
    """The facts one explanation reads from its backend (the classes around an entity are asked
    once per explanation)."""

    def __init__(self, backend: Backend):
        self.backend = backend
        self._around: dict[str, tuple[set[str], set[str]]] = {}

    def paths(self, asks: list[tuple[str, str]]) -> list[list[list]]:
        """The rows of the catalogue's ``explain_paths`` for each (drug, target) asked: in one
        round trip on a backend that can ask them together (Neo4j), else one query each."""
        together = getattr(self.backend, "explain_paths", None)
        if together is not None:
            return together(asks)
        query = get(read_catalogue(), "explain_paths")
        return [self.backend.run(query, {"drug": d, "target": t}).rows for d, t in asks]

    def prefetch(self, drugs: list[str], target: str, nodes: set[str], clinical: set[str], outcomes: set[str]) -> None:
        """On a backend that can (Neo4j), read at once everything else the explanation of
        ``drugs`` and ``target`` can ask (given the paths' entities, the entities whose clinical
        relations and whose outcomes it cites) and answer from that from now on: the same
        answers, in one more round trip (:mod:`imidgraph.neo4j.prefetch`)."""
        fetch = getattr(self.backend, "explain_prefetch", None)
        if fetch is not None:
            self.backend = fetch(drugs, target, nodes, clinical, outcomes)

    def relations(self, triples: Iterable[Triple]) -> dict[Triple, list[dict]]:
        return self.backend.relations(triples)

    def clinical(self, ids: Iterable[str]) -> list[tuple[str, str, dict]]:
        """(subject, object, relation) of every clinical use or side effect of the entities."""
        return self.backend.relations_from(ids, USES)

    def uses_of(self, entity: str) -> set[str]:
        """The predicates of the clinical uses and side effects that name ``entity`` as their object."""
        return self.backend.predicates_into(entity, USES)

    def concerned(self, ids: Iterable[str]) -> set[str]:
        """The entities among ``ids`` that an open question ``concerns`` directly."""
        return self.backend.concerned(ids)

    def outcomes(self, ids: Iterable[str]) -> list[tuple[str, str, dict]]:
        """(subject, endpoint, relation) of every ``has_outcome`` of the entities, and of the
        trials that tested them. A trial's findings are stated once, on the regimen it tested
        (``in_trial``): for a trial they are read through its ``tested`` relations, so that no
        result is counted twice or given to another arm."""
        return self.backend.outcomes(ids)

    def ancestors(self, ids: Iterable[str]) -> dict[str, set[str]]:
        """Every class above each entity (``subclass_of``, any depth)."""
        return self.backend.ancestors(ids)

    def _classes_around(self, entity: str) -> tuple[set[str], set[str]]:
        if entity not in self._around:
            self._around[entity] = self.backend.classes_around(entity)
        return self._around[entity]

    def descendants(self, entity: str) -> set[str]:
        return self._classes_around(entity)[0]

    def parents(self, entity: str) -> set[str]:
        return self._classes_around(entity)[1]

    def entities(self, ids: Iterable[str]) -> dict[str, dict]:
        return self.backend.entities(ids)


def source_for(kg: EmbeddedGraph, backend: Backend | None = None) -> Source:
    return Source(backend if backend is not None else MemoryBackend(kg))
