"""The Python API: a loaded, validated knowledge graph and what you can ask of it."""

from __future__ import annotations

from collections import Counter
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Literal

import networkx as nx

from . import graph_cache, schema
from .build import build_graph
from .facts import FactSet, default_seeds_dir
from .model import Entity, Relation
from .names import NameIndex
from .validate import load_facts

if TYPE_CHECKING:  # pandas is imported only when a DataFrame is asked for
    import pandas as pd

Direction = Literal["out", "in", "both"]


class KnowledgeGraph:
    """The curated IMiD graph in memory: entities, relations, lookups and exports."""

    def __init__(self, facts: FactSet):
        self.facts = facts
        self.graph: nx.MultiDiGraph = build_graph(facts)
        self._index = NameIndex(facts.entities.values(), lenient=True)
        self._relations = {r.id: r for r in facts.relations}
        # entity id -> relations that name it in a qualifier (cell or disease context, via, ...)
        self._in_context: dict[str, list[Relation]] = {}
        for r in facts.relations:
            for key, value in r.qualifiers.items():
                for entity_id in dict.fromkeys(schema.qualifier_entities(key, value)):
                    self._in_context.setdefault(entity_id, []).append(r)

    # -- lookups ---------------------------------------------------------------------------
    @property
    def entities(self) -> list[Entity]:
        return list(self.facts.entities.values())

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
            edges += self.graph.out_edges(node, keys=True)
        if direction in ("in", "both"):
            edges += self.graph.in_edges(node, keys=True)
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
        return sorted((self.facts.entities[i] for i in ids), key=lambda e: e.name.casefold())

    def name(self, entity_id: str) -> str:
        return self.facts.entities[entity_id].name

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
        import pandas as pd

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

    # -- the query catalogue ---------------------------------------------------------------
    def query(self, name: str, backend=None, **params: str) -> pd.DataFrame:
        """Run the named query of ``cypher/`` and return a DataFrame.

        Offline on this graph by default; pass ``backend=Neo4jBackend(driver)`` to run the
        Cypher on a server instead (same columns, same rows). Entity parameters may be names,
        synonyms or CURIEs. Raises :class:`~imidgraph.catalogue.CatalogueError` for an
        unknown query or a missing, unexpected or unknown parameter.
        """
        from .backends import MemoryBackend
        from .catalogue import get, read_catalogue, resolve_params

        query = get(read_catalogue(), name)
        runner = backend if backend is not None else MemoryBackend(self)
        return runner.run(query, resolve_params(self, query, params)).to_dataframe()

    # -- search --------------------------------------------------------------------------
    def search(self, text: str, *, category: str | None = None, kind: str | None = None, limit: int = 10, backend=None):
        """Entities and relations whose names, synonyms, paraphrases or details match ``text``,
        ranked (a list of :class:`~imidgraph.search.Hit`: ``.kind``, ``.title``, ``.citation``,
        ``.to_dict()``). Offline by default; ``backend=Neo4jBackend(driver)`` asks the server's
        full-text indexes (the same hits). Raises :class:`~imidgraph.search.SearchError`."""
        from .search import search

        return search(self, text, category=category, kind=kind, limit=limit, backend=backend)

    # -- explanations ----------------------------------------------------------------------
    def explain(self, drug: str, target: str, *, versus: str | None = None, top: int = 5, backend=None, harm: bool | None = None):
        """Why ``drug`` helps ``target``: ranked, cited mechanism paths (an
        :class:`~imidgraph.explain.Explanation`; ``.summary()``, ``.to_text()``, ``.to_dict()``).

        ``target`` is a disease or phenotype, a partner agent, or any entity; ``versus`` a
        second drug to contrast. Offline by default; ``backend=Neo4jBackend(driver)`` searches
        the paths on a server instead (the same explanation). ``harm=True`` asks how the drug
        raises the target (harm mode, chosen by itself for a side effect); False never.
        """
        from .explain import ExplainError, explain

        for role, name in (("", drug), ("--versus ", versus)):
            entity = self.entity(name) if name is not None else None
            if entity is not None and entity.category not in schema.AGENTS:
                raise ExplainError(
                    f"{role}{entity.name} is a {entity.category}, not a drug: explain starts from a "
                    f"Drug, DrugClass or Treatment (e.g. lenalidomide, IMiD, R2 regimen)"
                )
        return explain(self, drug, target, versus=versus, top=top, backend=backend, harm=harm)

    # -- export ----------------------------------------------------------------------------
    def export(self, fmt: str, out_dir: Path | str) -> list[Path]:
        """Write the graph as ``kgx``, ``graphml`` or ``json`` into ``out_dir``."""
        from .export import export

        return export(self, fmt, Path(out_dir))


def _counted(values: Iterable[str]) -> dict[str, int]:
    return dict(sorted(Counter(values).items(), key=lambda kv: (-kv[1], kv[0])))


def load(seeds: Path | str | None = None) -> KnowledgeGraph:
    """Read, validate and build the graph from ``seeds`` (default: the project's seeds).

    Raises :class:`~imidgraph.validate.InvalidSeeds` if the seeds have any problem. A graph
    built from the same seeds by the same code before is read from the cache
    (:mod:`imidgraph.graph_cache`) instead of being validated and built again.
    """
    root = Path(seeds) if seeds is not None else default_seeds_dir()
    return graph_cache.cached(root, lambda: KnowledgeGraph(load_facts(root)))
