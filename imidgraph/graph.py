"""The Python API: a loaded, validated knowledge graph and what you can ask of it.

:class:`KnowledgeGraph` is the facade at the top of the package (docs/architecture.md): an
:class:`~imidgraph.embedded.graph.EmbeddedGraph` (facts, graph, lookups) whose questions, the
catalogue, search, explain and export, each delegate to the module that answers them.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from .backends import MemoryBackend
from .catalogue import get, read_catalogue, resolve_params
from .embedded import cache
from .embedded.graph import Direction, EmbeddedGraph
from .facts import default_seeds_dir

if TYPE_CHECKING:  # pandas is imported only when a DataFrame is asked for
    import pandas as pd

__all__ = ["Direction", "KnowledgeGraph", "load"]


class KnowledgeGraph(EmbeddedGraph):
    """The curated IMiD graph in memory: entities, relations, lookups, and the questions."""

    def __repr__(self) -> str:
        sources = len({r.citation.source for r in self.facts.relations})
        return (
            f"<KnowledgeGraph: {len(self.facts.entities):,} entities, {len(self.facts.relations):,} relations "
            f"from {sources} sources>"
        )

    # -- the query catalogue ---------------------------------------------------------------
    def query(self, name: str, backend=None, **params: str) -> pd.DataFrame:
        """Run the named query of ``cypher/`` and return a DataFrame.

        Offline on this graph by default; pass ``backend=Neo4jBackend(driver)`` to run the
        Cypher on a server instead (same columns, same rows). Entity parameters may be names,
        synonyms or CURIEs. Raises :class:`~imidgraph.catalogue.CatalogueError` for an
        unknown query or a missing, unexpected or unknown parameter.
        """
        query = get(read_catalogue(), name)
        runner = backend if backend is not None else MemoryBackend(self)
        return runner.run(query, resolve_params(self, query, params)).to_dataframe()

    # -- search --------------------------------------------------------------------------
    def search(self, text: str, *, category: str | None = None, kind: str | None = None, limit: int = 10, backend=None):
        """Entities and relations whose names, synonyms, paraphrases or details match ``text``,
        ranked (a list of :class:`~imidgraph.search.Hit`: ``.kind``, ``.title``, ``.citation``,
        ``.to_dict()``). Offline by default; ``backend=Neo4jBackend(driver)`` asks the server's
        full-text indexes (the same hits). Raises :class:`~imidgraph.search.SearchError`."""
        from . import search as searching  # lazy on purpose: explain and show need no search

        return searching.search(self, text, category=category, kind=kind, limit=limit, backend=backend)

    # -- explanations ----------------------------------------------------------------------
    def explain(self, drug: str, target: str, *, versus: str | None = None, top: int = 5, backend=None, harm: bool | None = None):
        """Why ``drug`` helps ``target``: ranked, cited mechanism paths (an
        :class:`~imidgraph.explain.Explanation`; ``.summary()``, ``.to_text()``, ``.to_dict()``).

        ``target`` is a disease or phenotype, a partner agent, or any entity; ``versus`` a
        second drug to contrast. Offline by default; ``backend=Neo4jBackend(driver)`` searches
        the paths on a server instead (the same explanation). ``harm=True`` asks how the drug
        raises the target (harm mode, chosen by itself for a side effect); False never.
        """
        from . import explain as explaining  # lazy on purpose: a command that only reads starts faster

        return explaining.explain(self, drug, target, versus=versus, top=top, backend=backend, harm=harm)

    # -- export ----------------------------------------------------------------------------
    def export(self, fmt: str, out_dir: Path | str) -> list[Path]:
        """Write the graph as ``kgx``, ``graphml`` or ``json`` into ``out_dir``."""
        from . import export as exporting  # lazy on purpose: a command that only reads starts faster

        return exporting.export(self, fmt, Path(out_dir))


def load(seeds: Path | str | None = None) -> KnowledgeGraph:
    """Read, validate and build the graph from ``seeds`` (default: the project's seeds).

    Raises :class:`~imidgraph.validate.InvalidSeeds` if the seeds have any problem. A graph
    built from the same seeds by the same code before is read from the cache
    (:mod:`imidgraph.embedded.cache`) instead of being validated and built again.
    """
    root = Path(seeds) if seeds is not None else default_seeds_dir()

    def build() -> KnowledgeGraph:
        from .validate import load_facts  # the validator: imported only when the cache has no graph

        return KnowledgeGraph(load_facts(root))

    return cache.cached(root, build)
