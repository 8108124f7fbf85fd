"""What the web application answers, from the facade and the CLI's own JSON builders.

Every answer is built as the CLI builds its ``--format json``: search by
:func:`imidgraph.search_answer.to_dict`, an entity by
:meth:`imidgraph.cli.show.Shown.to_dict` (through :func:`~imidgraph.cli.show.shown_entity`), an
explanation by :meth:`~imidgraph.explain.Explanation.to_dict`, a catalogue query by
:meth:`~imidgraph.backends.Table.records` (the rows of ``Table.to_json``). Nothing here
computes an answer: it resolves what a request asks, calls the layer that answers, and turns
the library's errors into :class:`NotFound` (an unknown name or query: 404, with the close
matches) or :class:`BadRequest` (422, with a message).
"""

from __future__ import annotations

import json
import threading
from collections import OrderedDict
from collections.abc import Callable
from typing import TYPE_CHECKING, Any

from ..catalogue import CatalogueError, NamedQuery, get, read_catalogue, resolve_params
from ..names import AmbiguousName, UnknownEntity

if TYPE_CHECKING:
    from ..backends import Table
    from ..explain import Explanation
    from ..graph import KnowledgeGraph

CACHED = 512  # answers kept per kind (the graph a server answers from does not change under it)


class NotFound(LookupError):
    """An unknown name or query: 404, with the names it may have meant."""

    def __init__(self, message: str, suggestions: list[str] | None = None, candidates: list[str] | None = None):
        super().__init__(message)
        self.message = message
        self.suggestions = suggestions or []
        self.candidates = candidates or []

    def to_dict(self) -> dict[str, Any]:
        return {"error": self.message, "suggestions": self.suggestions, "candidates": self.candidates}


class BadRequest(ValueError):
    """A request the graph cannot answer as asked (a bad parameter): 422, with a message."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message

    def to_dict(self) -> dict[str, Any]:
        return {"error": self.message}


def not_found(e: UnknownEntity | AmbiguousName, what: str = "") -> NotFound:
    prefix = f"{what}: " if what else ""
    if isinstance(e, AmbiguousName):
        return NotFound(prefix + str(e), candidates=list(e.candidates))
    return NotFound(prefix + str(e), suggestions=list(e.suggestions))


class Kept:
    """``fn`` with its answers kept (the last ``size``), computed once even when asked for by
    several requests at once: the others wait for the first and share its answer (a failure
    is not kept: each asker then computes it, and fails, itself)."""

    def __init__(self, fn: Callable, size: int = CACHED):
        self.fn = fn
        self.size = size
        self._lock = threading.Lock()
        self._done: OrderedDict = OrderedDict()
        self._running: dict[tuple, threading.Event] = {}

    def __call__(self, *args):
        with self._lock:
            if args in self._done:
                self._done.move_to_end(args)
                return self._done[args]
            running = self._running.get(args)
            if running is None:
                self._running[args] = threading.Event()
        if running is not None:  # another request computes it: wait for its answer
            running.wait()
            with self._lock:
                if args in self._done:
                    return self._done[args]
            return self.fn(*args)
        try:
            value = self.fn(*args)
            with self._lock:
                self._done[args] = value
                while len(self._done) > self.size:
                    self._done.popitem(last=False)
            return value
        finally:
            with self._lock:
                self._running.pop(args).set()


class Answers:
    """The questions a server answers, on one graph (``graph_for()``, the facade) and one
    backend (None: the embedded graph; else e.g. a :class:`~imidgraph.neo4j.backend.Neo4jBackend`).

    Answers are kept (``cache``, :class:`Kept`): the same question gives the same JSON, so a
    repeated one is not computed again. The objects returned are shared: callers must not change them.
    """

    def __init__(self, graph_for: Callable[[], KnowledgeGraph], backend=None, cache: bool = True):
        self.graph_for = graph_for
        self.backend = backend
        self.table = self._table
        self.json = self._json
        if cache:
            for name in ("explanation", "explain", "entity", "search", "table", "json"):
                setattr(self, name, Kept(getattr(self, name)))

    def _json(self, kind: str, *args) -> bytes:
        """The answer of ``kind`` (search, entity, explain) as the API sends it: JSON, UTF-8."""
        return json.dumps(getattr(self, kind)(*args), ensure_ascii=False).encode("utf-8")

    @property
    def kg(self) -> KnowledgeGraph:
        return self.graph_for()

    # -- names ---------------------------------------------------------------------------
    def resolve(self, name: str, what: str = ""):
        """The entity ``name`` names (id, name, synonym, as people type them), or NotFound."""
        try:
            return self.kg.entity(name)
        except (UnknownEntity, AmbiguousName) as e:
            raise not_found(e, what) from e

    # -- search --------------------------------------------------------------------------
    def search(self, text: str, category: str | None = None, kind: str | None = None, limit: int = 10) -> dict:
        """``imidgraph search TEXT --format json``."""
        from ..search import SearchError
        from ..search_answer import to_dict

        try:
            hits = self.kg.search(text, category=category, kind=kind, limit=limit, backend=self.backend)
        except SearchError as e:
            raise BadRequest(str(e)) from e
        return to_dict(hits)

    # -- an entity -----------------------------------------------------------------------
    def entity(self, name: str, predicate: str | None = None, limit: int | None = None) -> dict:
        """``imidgraph show NAME --format json`` (``--predicate``, ``--limit``)."""
        return self.shown(name, predicate).to_dict(limit)

    def shown(self, name: str, predicate: str | None = None):
        from .. import schema
        from ..cli.show import shown_entity

        entity = self.resolve(name)
        try:
            predicate = schema.predicate_name(predicate) if predicate else None
        except schema.UnknownPredicate as e:
            raise BadRequest(str(e)) from e
        shown = shown_entity(self.kg, entity, predicate, self.backend)
        if shown is None:
            raise NotFound(f"the database has no imidgraph entity {entity.id} ({entity.name})")
        return shown

    # -- explanations ----------------------------------------------------------------------
    def explanation(self, drug: str, target: str, versus: str | None = None, top: int = 5,
                    harm: bool | None = None) -> Explanation:  # fmt: skip
        """``imidgraph explain DRUG TARGET`` (its JSON: ``.to_dict()``)."""
        from ..explain import ExplainError

        self.resolve(drug, "drug")  # unknown names are 404s, with their close matches
        self.resolve(target, "target")
        if versus:
            self.resolve(versus, "versus")
        try:
            return self.kg.explain(drug, target, versus=versus or None, top=top, harm=harm, backend=self.backend)
        except (UnknownEntity, AmbiguousName) as e:
            raise not_found(e) from e
        except ExplainError as e:
            raise BadRequest(str(e)) from e

    def explain(self, drug: str, target: str, versus: str | None = None, top: int = 5, harm: bool | None = None) -> dict:
        """``imidgraph explain DRUG TARGET --format json``."""
        return self.explanation(drug, target, versus, top, harm).to_dict()

    # -- the query catalogue ---------------------------------------------------------------
    def queries(self) -> dict[str, NamedQuery]:
        return read_catalogue()

    def query(self, name: str) -> NamedQuery:
        try:
            return get(self.queries(), name)
        except CatalogueError as e:
            raise NotFound(str(e)) from e

    def _table(self, name: str, params: tuple[tuple[str, str], ...]) -> Table:
        """``imidgraph query NAME -p k=v ...`` (its JSON: ``.records()``, its CSV: ``.to_csv()``)."""
        from ..backends import MemoryBackend

        query = self.query(name)
        try:
            resolved = resolve_params(self.kg, query, dict(params))  # names -> CURIEs, as the CLI
        except CatalogueError as e:
            raise BadRequest(str(e)) from e
        runner = self.backend if self.backend is not None else MemoryBackend(self.kg)
        return runner.run(query, resolved)
