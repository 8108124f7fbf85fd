"""Writing a plan's rows: the Cypher for a batch of nodes or relationships, the removal of
stale items, and the sessions that run them (all in one transaction, or batch by batch by
``workers`` sessions from one shared queue).

Rows go in batches (``UNWIND $rows``), data only as parameters; labels and types come from
the schema's fixed vocabulary. ``MERGE`` on the unique ``id`` and a write only where the
stored properties differ make a second load of the same graph change nothing at all.
"""

from __future__ import annotations

import threading
from collections.abc import Callable, Iterable, Iterator
from typing import TYPE_CHECKING

from .indexes import ensure_schema
from .record import WRITE_META, WRITE_STORE_COUNTS, LoadError, load_record, our_counts_query, store_counts
from .vocabulary import CATEGORY_LABELS, EDGE_KEYS, ENDS, ENTITY_LABEL, META_KEY, NODE_KEYS, OWNER, REL_TYPES

if TYPE_CHECKING:
    import neo4j

    from .plan import Plan

Progress = Callable[[int], None]

COUNTERS = (
    "nodes_created",
    "nodes_deleted",
    "relationships_created",
    "relationships_deleted",
    "properties_set",
    "labels_added",
    "labels_removed",
)


def _differs(var: str, keys: tuple[str, ...]) -> str:
    """Whether any of our property ``keys`` on ``var`` differs from the row's map ``p`` (names
    in backticks: the statement holds no literal)."""
    return "(" + " OR ".join(
        f"NOT coalesce({var}.`{k}` = p.`{k}`, {var}.`{k}` IS NULL AND p.`{k}` IS NULL)" for k in keys
    ) + ")"


def _set_ours(var: str, keys: tuple[str, ...]) -> str:
    """``SET`` each of our property ``keys`` from ``p`` (absent from ``p``: removed), and no
    other: a property somebody else put on our node or relationship stays (never ``SET n = p``)."""
    return ", ".join(f"{var}.`{k}` = p.`{k}`" for k in keys)


def _node_query(label: str, fresh: bool) -> str:
    if fresh:  # nothing of ours in the database yet: no MERGE needed (the constraint still guards)
        return f"UNWIND $rows AS row\nCREATE (n:{ENTITY_LABEL}:{label})\nSET n = row.p, n.{OWNER} = $load"
    others = [c for c in CATEGORY_LABELS if c != label]
    return (
        "UNWIND $rows AS row\n"
        f"MERGE (n:{ENTITY_LABEL} {{id: row.id}})\n"
        "WITH n, row.p AS p\n"
        f"WITH n, p {{.*, {OWNER}: $load}} AS p\n"
        f"WHERE NOT n:{label} OR {_differs('n', NODE_KEYS)}\n"
        f"REMOVE n:{':'.join(others)}\n"
        f"SET n:{label}, {_set_ours('n', NODE_KEYS)}"
    )


def _relationship_query(rel_type: str, fresh: bool) -> str:
    head = (
        "UNWIND $rows AS row\n"
        f"MATCH (s:{ENTITY_LABEL} {{id: row.s}})\n"
        f"MATCH (o:{ENTITY_LABEL} {{id: row.o}})\n"
    )
    if fresh:  # no relationship of ours of this type yet
        return head + f"CREATE (s)-[r:{rel_type}]->(o)\nSET r = row.p, r.{OWNER} = $load, r.{ENDS} = [row.s, row.o]"
    # only our own relationship (it carries the owner property) is updated; a user's of the
    # same type and id between the same nodes is left alone
    return head + (
        "WITH s, o, row.id AS id, row.p AS p, [row.s, row.o] AS ends\n"
        f"WITH s, o, id, p {{.*, {OWNER}: $load, {ENDS}: ends}} AS p\n"
        f"OPTIONAL MATCH (s)-[r:{rel_type} {{id: id}}]->(o) WHERE r.{OWNER} IS NOT NULL\n"
        f"WITH s, o, p, r WHERE r IS NULL OR {_differs('r', EDGE_KEYS)}\n"
        f"FOREACH (_ IN CASE WHEN r IS NULL THEN [1] ELSE [] END | CREATE (s)-[n:{rel_type}]->(o) SET n = p)\n"
        f"FOREACH (_ IN CASE WHEN r IS NULL THEN [] ELSE [1] END | SET {_set_ours('r', EDGE_KEYS)})"
    )


_ALL_TYPES = "|".join(REL_TYPES)
# ours, written by another load (the owner property is the content hash of the load that wrote
# it), or not between the nodes this load put it between (moved, or copied with our marks
# between two other nodes: every one of ours the load wrote has its ends set by now)
_STALE_RELATIONSHIPS = (
    f"MATCH (s)-[r:{_ALL_TYPES}]->(o) WHERE r.{OWNER} <> $load\n"
    f"  OR (r.{OWNER} IS NOT NULL AND NOT coalesce(r.{ENDS} = [s.id, o.id] AND s:{ENTITY_LABEL} AND o:{ENTITY_LABEL}, false))\n"
    "WITH r LIMIT $limit DELETE r RETURN count(*) AS n"
)
_STALE_NODES = (
    f"MATCH (n:{ENTITY_LABEL}) WHERE coalesce(n.{OWNER}, '') <> $load\n"
    "WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS n"
)


def _batches(rows: Iterable[dict], size: int) -> Iterator[list[dict]]:
    batch: list[dict] = []
    for row in rows:
        batch.append(row)
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def _run(tx: neo4j.ManagedTransaction, query: str, params: dict) -> tuple[list[neo4j.Record], object]:
    result = tx.run(query, params)
    return list(result), result.consume()


class Writer:
    """Runs the load's statements: all in one transaction, or each in its own; batches of rows
    by ``workers`` sessions at once (each its own transaction) when not in one transaction."""

    def __init__(self, driver: neo4j.Driver, database: str, session: neo4j.Session,
                 tx: neo4j.ManagedTransaction | None, workers: int = 1):  # fmt: skip
        self.driver = driver
        self.database = database
        self.session = session
        self.tx = tx
        self.single = tx is not None
        self.workers = 1 if self.single else max(1, workers)
        self.counters = dict.fromkeys(COUNTERS, 0)

    def _count(self, summary) -> None:
        for name in COUNTERS:
            self.counters[name] += getattr(summary.counters, name)

    def run(self, query: str, counted: bool = True, **params) -> list[neo4j.Record]:
        if self.single:
            records, summary = _run(self.tx, query, params)
        else:
            records, summary = self.session.execute_write(_run, query, params)
        if counted:
            self._count(summary)
        return records

    def run_batches(self, work: Iterator[tuple[str, list[dict]]], load_id: str, tick: Progress) -> None:
        """Each ``(query, rows)`` of ``work`` with ``$rows`` and ``$load``; with several workers,
        each takes the next batch from the shared queue as soon as it is free (rows are made
        while the other worker's batch is on the server)."""
        if self.workers == 1:
            for query, rows in work:
                self.run(query, rows=rows, load=load_id)
                tick(len(rows))
            return
        lock = threading.Lock()
        failures: list[BaseException] = []

        def worker() -> None:
            try:
                with self.driver.session(database=self.database) as session:
                    while True:
                        with lock:
                            if failures:
                                return
                            item = next(work, None)
                        if item is None:
                            return
                        query, rows = item
                        _, summary = session.execute_write(_run, query, {"rows": rows, "load": load_id})
                        with lock:
                            self._count(summary)
                            tick(len(rows))
            except BaseException as e:  # noqa: BLE001 - raised again below, in the caller's thread
                with lock:
                    failures.append(e)

        threads = [threading.Thread(target=worker, name=f"imidgraph-load-{i}") for i in range(self.workers)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        if failures:
            raise failures[0]


def _work(plan: Plan, existing: dict[str, int], batch_size: int, nodes: bool) -> Iterator[tuple[str, list[dict]]]:
    """The ``(query, rows)`` batches of the nodes or of the relationships, made as they are taken."""
    if nodes:
        fresh = existing[ENTITY_LABEL] == 0
        for label, rows in plan.node_groups():
            query = _node_query(label, fresh)
            for batch in _batches(rows, batch_size):
                yield query, batch
        return
    for rel_type, rows in plan.relationship_groups():
        query = _relationship_query(rel_type, existing[rel_type] == 0)
        for batch in _batches(rows, batch_size):
            batch.sort(key=lambda r: r["s"])  # neighbouring rows touch the same nodes and pages
            yield query, batch


def write(
    w: Writer,
    plan: Plan,
    meta: dict | None,
    existing: dict[str, int],
    batch_size: int,
    tick: Progress,
    created: list[str],
) -> Writer:
    """The load's steps; ``w`` decides whether they share one transaction. Batched, the
    full-text indexes that are missing are created once the rows are written, before the
    record says ``complete``."""
    w.counters = dict.fromkeys(COUNTERS, 0)  # a retried transaction starts again
    load_id = plan.content_hash
    complete = load_record(plan, "complete")
    if not w.single and (meta is None or any(meta.get(k) != v for k, v in complete.items())):
        w.run(WRITE_META, key=META_KEY, meta=load_record(plan, "loading"))  # "incomplete" until the last step
    w.run_batches(_work(plan, existing, batch_size, nodes=True), load_id, tick)  # every node before any relationship
    w.run_batches(_work(plan, existing, batch_size, nodes=False), load_id, tick)
    if any(existing.values()):  # only items that were there before can be stale
        limit = plan.rows + sum(existing.values()) + 1 if w.single else batch_size
        for query in (_STALE_RELATIONSHIPS, _STALE_NODES):
            while w.run(query, load=load_id, limit=limit)[0]["n"] == limit:
                pass
    if not w.single:
        ensure_schema(w.driver, w.database, created)
    outcome = "nothing was committed" if w.single else "the load stays marked incomplete; run it again"
    found = w.run(our_counts_query((ENTITY_LABEL, *CATEGORY_LABELS), REL_TYPES))[0]["counts"]
    wanted = {ENTITY_LABEL: plan.entity_count, **plan.label_counts(), **plan.type_counts()}
    for key, n in found.items():
        if n != wanted.get(key, 0):
            what = f"[:{key}]" if key in REL_TYPES else f":{key}"
            raise LoadError(
                f"after writing, the database has {n} {what} instead of {wanted.get(key, 0)}; {outcome}"
            )
    w.run(WRITE_META, key=META_KEY, meta=complete)
    # what the database's count store says now, for the instant check of the next load (not a
    # change of the graph: not counted, so a re-load that writes nothing still says so)
    store = store_counts(w.driver, w.database, w.tx if w.single else None)
    w.run(WRITE_STORE_COUNTS, counted=False, key=META_KEY, counts=store)
    return w
