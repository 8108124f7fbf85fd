"""The embedded graph: validated facts, the networkx graph built from them, and lookups.

:class:`EmbeddedGraph` is what the modules below the facade take (the offline answers, explain's
embedded source, search, export, pictures); :class:`imidgraph.graph.KnowledgeGraph` adds the
questions on top and is one itself.
"""

from __future__ import annotations

import pickle
from collections import Counter
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any, Literal

from .. import schema
from ..facts import FactSet
from ..model import Entity, Relation
from ..names import NameIndex
from .compact import CompactGraph

if TYPE_CHECKING:  # pandas and networkx are imported only when asked for
    import networkx as nx
    import pandas as pd

Direction = Literal["out", "in", "both"]
_LATER = ("facts", "_relations", "_in_context", "_search_documents")  # read from the cache when first asked for


class EmbeddedGraph:
    """The validated facts, the graph built from them and the name index: what every reader of
    the embedded side takes, with the lookups that need nothing else.

    The answers read ``compact`` (a :class:`~.compact.CompactGraph`: plain dicts, no networkx
    import); ``graph`` is the same graph as a networkx ``MultiDiGraph``, built the first time
    it is asked for (export, your own analyses)."""

    def __init__(self, facts: FactSet):
        self.facts = facts
        self._entities = facts.entities
        self.compact = CompactGraph.from_facts(facts)
        self._networkx: nx.MultiDiGraph | None = None
        self._index = NameIndex(facts.entities.values(), lenient=True)
        self._relations = {r.id: r for r in facts.relations}
        # entity id -> relations that name it in a qualifier (cell or disease context, via, ...)
        self._in_context: dict[str, list[Relation]] = {}
        for r in facts.relations:
            for key, value in r.qualifiers.items():
                for entity_id in dict.fromkeys(schema.qualifier_entities(key, value)):
                    self._in_context.setdefault(entity_id, []).append(r)

    @property
    def graph(self) -> nx.MultiDiGraph:
        """The networkx ``MultiDiGraph`` (edge key = relation id), built on first use."""
        if self.__dict__.get("_networkx") is None:
            from .build import build_graph  # networkx: imported only when its graph is asked for

            self._networkx = build_graph(self.facts)
        return self._networkx

    def __getstate__(self) -> dict[str, Any]:
        """What the cache keeps: everything but the networkx graph (rebuilt when asked for)
        and what a search memoised. The relations, sources and references (``facts`` but its
        entities, and the relations' indexes) are kept as a pickle of their own, read back
        the first time one of them is asked for (:meth:`__getattr__`): an explanation, or
        ``show``, reads the compact graph, the entities and the name index only. The search's
        documents (every name and paraphrase made into tokens) are kept with them."""
        state = {k: v for k, v in self.__dict__.items() if k not in (*_LATER, "_networkx")}
        if "_later" not in state:
            from ..search import _documents  # the search's tokens: made once, kept in the cache

            facts, documents = self.facts, _documents(self)
            later = (facts.sources, facts.references, facts.relations, facts.locations, self._relations,
                     self._in_context, documents)  # fmt: skip
            state["_later"] = pickle.dumps(later, protocol=pickle.HIGHEST_PROTOCOL)
        state["_networkx"] = None
        return state

    def __getattr__(self, name: str) -> Any:
        """``facts``, ``_relations``, ``_in_context`` and the search's documents of a graph read
        from the cache: read from their own pickle on first use (see :meth:`__getstate__`)."""
        later = self.__dict__.get("_later") if name in _LATER else None
        if later is None:
            raise AttributeError(f"{type(self).__name__!r} object has no attribute {name!r}")
        sources, references, relations, locations, by_id, in_context, documents = pickle.loads(later)
        self.__dict__.update(
            facts=FactSet(sources, references, self._entities, relations, locations),
            _relations=by_id, _in_context=in_context, _search_documents=documents,
        )  # fmt: skip
        del self.__dict__["_later"]
        return self.__dict__[name]

    # -- lookups ---------------------------------------------------------------------------
    @property
    def entities(self) -> list[Entity]:
        return list(self._entities.values())

    @property
    def relations(self) -> list[Relation]:
        return list(self.facts.relations)

    def entity(self, name: str) -> Entity:
        """The entity with this id, name or synonym (case- and Greek-letter-insensitive; also
        as people type it: plurals, spelled-out Greek letters, British spellings, see
        :func:`~imidgraph.names.lookup_key`).

        Raises :class:`~imidgraph.names.UnknownEntity` (with close matches) or
        :class:`~imidgraph.names.AmbiguousName`.
        """
        return self._index.resolve(name)

    def suggest(self, name: str, n: int = 5) -> list[str]:
        return self._index.suggest(name, n)

    def relation(self, relation_id: str) -> Relation:
        return self._relations[relation_id]

    def relations_of(
        self,
        name: str,
        direction: Direction = "both",
        predicate: str | None = None,
    ) -> list[Relation]:
        """Relations with the entity as subject (out), object (in) or either.

        ``predicate`` must be one of the vocabulary (any case); a mistyped one raises
        :class:`~imidgraph.schema.UnknownPredicate` with close matches.
        """
        node = self.entity(name).id
        if predicate is not None:
            predicate = schema.predicate_name(predicate)
        edges: list[tuple] = []
        if direction in ("out", "both"):
            edges += self.compact.out_edges(node, keys=True)
        if direction in ("in", "both"):
            edges += self.compact.in_edges(node, keys=True)
        found = [self._relations[key] for _, _, key in edges]
        if predicate is not None:
            found = [r for r in found if r.predicate == predicate]
        return sorted(found, key=lambda r: (r.predicate, self.name(r.subject), self.name(r.object)))

    def context_relations(self, name: str, predicate: str | None = None) -> list[Relation]:
        """Relations in which the entity is neither subject nor object but a qualifier: the
        cell or disease context, a mediating entity (``via``), a partner (``combined_with``), a
        comparison (``more_than``, ``not_with``)... (the entity qualifiers of the schema)."""
        node = self.entity(name).id
        if predicate is not None:
            predicate = schema.predicate_name(predicate)
        found = {
            r.id: r
            for r in self._in_context.get(node, [])
            if node not in (r.subject, r.object) and (predicate is None or r.predicate == predicate)
        }
        return sorted(found.values(), key=lambda r: (r.predicate, self.name(r.subject), self.name(r.object), r.id))

    def neighbours(
        self, name: str, direction: Direction = "both", predicate: str | None = None
    ) -> list[Entity]:
        """Entities one relation away, each once, by name."""
        node = self.entity(name).id
        ids = {
            r.object if r.subject == node else r.subject
            for r in self.relations_of(node, direction, predicate)
        }
        return sorted((self._entities[i] for i in ids), key=lambda e: e.name.casefold())

    def name(self, entity_id: str) -> str:
        return self._entities[entity_id].name

    # -- summaries -------------------------------------------------------------------------
    def stats(self) -> dict[str, dict[str, int] | int]:
        """Counts by category, predicate, evidence level and source."""
        return {
            "entities": len(self.facts.entities),
            "relations": len(self.facts.relations),
            "unverified_identifiers": sum(not e.verified for e in self.facts.entities.values()),
            "categories": _counted(e.category for e in self.facts.entities.values()),
            "predicates": _counted(r.predicate for r in self.facts.relations),
            "evidence": _counted(r.evidence for r in self.facts.relations),
            "sources": _counted(r.citation.source for r in self.facts.relations),
        }

    def to_dataframe(self) -> pd.DataFrame:
        """One row per relation with subject/object names, qualifiers and citation."""
        import pandas as pd  # lazy on purpose: pandas is slow to import and only this asks for it

        rows = []
        for r in self.facts.relations:
            rows.append(
                {
                    "id": r.id,
                    "subject": self.name(r.subject),
                    "subject_id": r.subject,
                    "predicate": r.predicate,
                    "object": self.name(r.object),
                    "object_id": r.object,
                    "evidence": r.evidence,
                    "source": r.citation.source,
                    "section": r.citation.section,
                    "publications": list(r.citation.publications),
                    "paraphrase": r.paraphrase,
                    **{f"q_{k}": v for k, v in r.qualifiers.items()},
                }
            )
        return pd.DataFrame(rows)


def _counted(values: Iterable[str]) -> dict[str, int]:
    return dict(sorted(Counter(values).items(), key=lambda kv: (-kv[1], kv[0])))
