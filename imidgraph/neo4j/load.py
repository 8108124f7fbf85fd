"""Writing the graph into Neo4j: fast, idempotent, never leaving a half-loaded mix, and never
touching anybody else's data in the same database.

Layout in Neo4j (documented in docs/neo4j.md):

* every entity is a node labelled ``:Imidgraph`` plus its category (``:Drug``, ``:Gene``, ...),
  with exactly the properties of the embedded graph's node (``build.node_properties``);
* every relation is a relationship whose type is the upper-cased predicate (``:DEGRADES``),
  with exactly the properties of the embedded graph's edge (``build.edge_properties``),
  qualifiers flattened to ``q_<key>``;
* both also carry ``imidgraph_load`` (``OWNER``): the content hash of the load that wrote them;
* one ``(:ImidgraphLoad {key: 'current'})`` node records what was loaded: the content hash,
  counts and whether the load completed.

Ours is what carries the ``:Imidgraph`` label (nodes) or the owner property (relationships):
every write, delete, count and check is restricted to it, so a user's ``:Drug`` node or
``HAS_PART`` relationship next to our graph is never changed, counted or removed (only a
user's relationship *to one of our nodes* goes when that node of ours goes).

How a load stays safe:

* Rows go in batches (``UNWIND $rows``), data only as parameters; labels and types come from
  the schema's fixed vocabulary. ``MERGE`` on the unique ``id`` and a write only where the stored
  properties differ make a second load of the same graph change nothing at all.
* A graph of up to ``max_transaction_rows`` rows (the curated graph has ~900) is written in
  **one transaction**, stale items (ours, with another load's owner property) removed and
  counts checked in it too: a failure at any point (server killed, connection lost) leaves
  the database exactly as before; the constraints and indexes the load created are dropped.
* A larger graph is written in one transaction per batch. The load node says ``loading``
  until the last step; a failed load is finished by running the same load again (every
  step is idempotent), and the database never claims to be complete before it is.
* Items of an earlier, different graph are removed in the same run (``replace=True``), so
  the end state is the new graph only. Without ``replace``, a database holding a different
  graph is refused rather than mixed.
* Loads take a lock first (:mod:`.lock`): a second load waits for the first, then sees its result.
* A load whose record says the database holds exactly this plan (content hash, ``complete``,
  counts per label and type, and the database's count store as that load left it) writes
  nothing (``ALREADY_LOADED``, instant at any size); ``force=True`` takes the full path.

How a big load stays fast and small: the plan may be streamed (:class:`StreamedPlan`: rows
made batch by batch, the content hash in one pass over a fixed order), and above
``max_transaction_rows`` ``workers`` sessions take batches from one shared queue, and the
full-text indexes that are missing are created after the rows (Lucene then indexes each row
once, not at every commit), before the record says ``complete``. Relationships store nothing
derivable (``build.stored_edge_properties``).
``imidgraph.neo4j.bulk`` fills an empty local database with ``neo4j-admin database import``.

Modules: :mod:`.plan` (the plan, streamed or held), :mod:`.write` (the rows' Cypher, batches,
sessions, stale removal), :mod:`.lock`, :mod:`.indexes` (constraints and indexes), :mod:`.record`
(the load record and the counts); this module runs them in order.
"""

from __future__ import annotations

import time
from contextlib import suppress
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .indexes import (
    drop_schema,
    ensure_lock_constraint,
    ensure_schema,
    is_fulltext,
    schema_names,
    schema_statements,
)
from .lock import load_lock
from .plan import Plan
from .record import LoadError, database_counts, encode_counts, misplaced, our_counts, read_meta, store_counts
from .vocabulary import ENTITY_LABEL, LOAD_KEY_CONSTRAINT, REL_TYPES, SYSTEM_DATABASE
from .write import COUNTERS, Progress, Writer, write

if TYPE_CHECKING:
    import neo4j

DEFAULT_BATCH_SIZE = 10_000
DEFAULT_MAX_TRANSACTION_ROWS = 100_000
DEFAULT_WORKERS = 2  # sessions writing batches at once (above max_transaction_rows)


@dataclass
class LoadResult:
    """What a load did (Neo4j's own update counters) and what the database holds after it."""

    mode: str
    content_hash: str
    entities: int
    relations: int
    counters: dict[str, int] = field(default_factory=dict)
    labels: dict[str, int] = field(default_factory=dict)
    types: dict[str, int] = field(default_factory=dict)
    seconds: float = 0.0

    @property
    def changed(self) -> bool:
        return any(self.counters.values())


ALREADY_LOADED = "already loaded"


def _refuse_system(database: str, what: str) -> None:
    if database.lower() == SYSTEM_DATABASE:
        raise LoadError(
            f"database 'system' is the server's administration database and {what}: "
            "choose a user database with --database (e.g. neo4j)"
        )


def load(
    driver: neo4j.Driver,
    plan: Plan,
    *,
    database: str = "neo4j",
    replace: bool = False,
    force: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    max_transaction_rows: int = DEFAULT_MAX_TRANSACTION_ROWS,
    workers: int = DEFAULT_WORKERS,
    progress: Progress | None = None,
) -> LoadResult:
    """Load ``plan`` into ``database``; see the module docstring for the guarantees.

    If the load record says the database holds exactly this plan (content hash, complete,
    and the database's counts per label and type as the load left them), nothing is written
    and the result says ``already loaded``; ``force`` writes anyway (it sees and repairs an
    outside edit that left the counts unchanged).
    ``progress(n)`` is called after each batch with the number of rows it covered (for a
    progress bar; in single-transaction mode they are committed only at the end).
    Above ``max_transaction_rows``, ``workers`` sessions write batches at once.
    Raises :class:`LoadError` (one line) if the database holds a different graph and
    ``replace`` is false, or if the counts after writing are not the plan's. A load that
    fails drops the constraints and indexes it created. A second load started while one runs
    waits for it, then works on what the first one left.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    _refuse_system(database, "cannot hold the graph")
    started = time.monotonic()
    if not force and set(schema_statements()) <= schema_names(driver, database):
        # the instant check, without the lock: a load under way either has not committed (its
        # single transaction), which this answer precedes, or has marked the record "loading"
        meta = read_meta(driver, database)
        if _already_loaded(driver, database, plan, meta):
            return _already_loaded_result(plan, time.monotonic() - started)
    created: list[str] = []
    # a load that will be batched creates the full-text indexes after writing (see _write)
    fulltext = plan.rows <= max_transaction_rows
    needed = {name for name in schema_statements() if fulltext or not is_fulltext(name)}
    try:
        # nothing is written before the lock is held (only the constraint the lock needs, if
        # missing): a 'load --bulk' holding it checked the database empty, and a write now
        # would spoil its import
        for _ in range(3):
            if LOAD_KEY_CONSTRAINT not in schema_names(driver, database):
                created.extend(ensure_lock_constraint(driver, database))
            with load_lock(driver, database):
                if LOAD_KEY_CONSTRAINT not in schema_names(driver, database):
                    continue  # dropped meanwhile by a failed load: the lock held nobody (and creating
                    # the constraint now would wait for the lock's own transaction)
                ensure_schema(driver, database, created, fulltext=fulltext)
                # a concurrent load that failed may have dropped what it had created
                if needed - schema_names(driver, database):
                    continue
                meta = read_meta(driver, database)
                if not force and _already_loaded(driver, database, plan, meta):  # another load did it
                    result = _already_loaded_result(plan, 0.0)
                else:
                    result = _load_locked(
                        driver, plan, meta, database, replace, batch_size, max_transaction_rows, workers, progress,
                        created,
                    )  # fmt: skip
                break
        else:
            raise LoadError(
                f"the constraints and indexes of imidgraph in database {database!r} keep disappearing "
                "(other loads failing at the same time?): run the load again"
            )
    except BaseException:
        with suppress(Exception):  # e.g. the server is gone
            drop_schema(driver, database, created)
        raise
    result.seconds = time.monotonic() - started
    return result


def _already_loaded_result(plan: Plan, seconds: float) -> LoadResult:
    return LoadResult(
        mode=ALREADY_LOADED,
        content_hash=plan.content_hash,
        entities=plan.entity_count,
        relations=plan.relation_count,
        counters=dict.fromkeys(COUNTERS, 0),
        labels=plan.label_counts(),
        types=plan.type_counts(),
        seconds=seconds,
    )


def _already_loaded(driver: neo4j.Driver, database: str, plan: Plan, meta: dict | None) -> bool:
    """Whether the record says the database holds exactly this plan, complete, the database's
    counts (from its count store: instant at any size) are those the load left, and every
    relationship of ours still joins the nodes it was loaded between (one scan of them: a swap
    for a same-type one between two other nodes of ours, marks and all, changes no count)."""
    if meta is None or meta.get("status") != "complete" or meta.get("content_hash") != plan.content_hash:
        return False
    if (meta.get("entities"), meta.get("relations")) != (plan.entity_count, plan.relation_count):
        return False
    if meta.get("labels") != encode_counts(plan.label_counts()) or meta.get("types") != encode_counts(plan.type_counts()):
        return False
    return meta.get("store_counts") == store_counts(driver, database) and misplaced(driver, database) is None


def _load_locked(
    driver: neo4j.Driver,
    plan: Plan,
    meta: dict | None,
    database: str,
    replace: bool,
    batch_size: int,
    max_transaction_rows: int,
    workers: int,
    progress: Progress | None,
    created: list[str],
) -> LoadResult:
    existing = _existing_counts(driver, database)
    _refuse_a_mix(database, plan, meta, existing, replace)
    tick = progress or (lambda n: None)
    single = plan.rows + sum(existing.values()) <= max_transaction_rows
    with driver.session(database=database) as session:
        if single:
            writer = session.execute_write(
                lambda tx: write(Writer(driver, database, session, tx), plan, meta, existing, batch_size, tick, created)
            )
        else:
            writer = write(
                Writer(driver, database, session, None, workers), plan, meta, existing, batch_size, tick, created
            )
    labels, types = database_counts(driver, database)
    return LoadResult(
        mode="single transaction" if single else "batched",
        content_hash=plan.content_hash,
        entities=plan.entity_count,
        relations=plan.relation_count,
        counters=writer.counters,
        labels=labels,
        types=types,
    )


def _existing_counts(driver: neo4j.Driver, database: str) -> dict[str, int]:
    """How many of our nodes and of our relationships of each type the database holds now."""
    return our_counts(driver, database, [ENTITY_LABEL], REL_TYPES)


def _refuse_a_mix(
    database: str, plan: Plan, meta: dict | None, existing: dict[str, int], replace: bool
) -> None:
    if replace:
        return
    if meta is not None and meta.get("content_hash") != plan.content_hash:
        raise LoadError(
            f"database {database!r} holds a different imidgraph graph "
            f"({meta.get('status')}, content {meta.get('content_hash')}; these seeds are {plan.content_hash}): "
            "run with --replace to swap it for this one"
        )
    if meta is None and any(existing.values()):
        raise LoadError(
            f"database {database!r} already has {existing[ENTITY_LABEL]} :{ENTITY_LABEL} nodes and "
            f"{sum(existing.values()) - existing[ENTITY_LABEL]} imidgraph relationships "
            "that no imidgraph load recorded: run with --replace to remove them and load this graph"
        )
