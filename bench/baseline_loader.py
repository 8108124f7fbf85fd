"""(baseline: imidgraph/loader.py as it was on main at 10aa7d0, before issue 15; kept so that
bench/bench_load.py measures it side by side with the current loader in the same run; not used
by imidgraph itself)

Writing the graph into Neo4j: fast, idempotent, never leaving a half-loaded mix, and never
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
* Loads take a lock first (``_LOCK``): a second load waits for the first, then sees its result.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections import defaultdict
from collections.abc import Callable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from imidgraph import schema
from imidgraph.facts import FactSet
from imidgraph.neo4j.connect import Neo4jError
from imidgraph.properties import edge_properties, node_properties

if TYPE_CHECKING:
    import neo4j

ENTITY_LABEL = "Imidgraph"
META_LABEL = "ImidgraphLoad"
META_KEY = "current"
LOCK_KEY = "lock"  # a load record key that is never committed: loads wait on it (see _LOCK)
OWNER = "imidgraph_load"  # on each node and relationship we write: the content hash of that load
SYSTEM_DATABASE = "system"
REL_TYPES = tuple(schema.rel_type(p) for p in schema.PREDICATES)
CATEGORY_LABELS = tuple(schema.CATEGORIES)
DEFAULT_BATCH_SIZE = 10_000
DEFAULT_MAX_TRANSACTION_ROWS = 100_000

Progress = Callable[[int], None]


class LoadError(Neo4jError):
    """The load could not be done; the message says why and what to do."""


# --------------------------------------------------------------------------- the plan


@dataclass
class LoadPlan:
    """The rows to write: node rows by category label, relationship rows by type.

    Node row: ``{"id", "p"}``; relationship row: ``{"id", "s", "o", "p"}`` where ``p`` is the
    full property map.
    """

    nodes: dict[str, list[dict]]
    relationships: dict[str, list[dict]]
    content_hash: str = ""

    def __post_init__(self) -> None:
        unknown = set(self.nodes) - set(CATEGORY_LABELS)
        unknown |= set(self.relationships) - set(REL_TYPES)
        if unknown:  # labels and types are spliced into Cypher: only the vocabulary may pass
            raise ValueError(f"not in the schema vocabulary: {sorted(unknown)}")
        for kind, groups in (("entity", self.nodes), ("relation", self.relationships)):
            ids = [row["id"] for rows in groups.values() for row in rows]
            if len(ids) != len(set(ids)):
                raise ValueError(f"duplicate {kind} ids in the plan")
        if not self.content_hash:
            self.content_hash = _content_hash(self)

    @classmethod
    def from_facts(cls, facts: FactSet) -> LoadPlan:
        nodes: dict[str, list[dict]] = defaultdict(list)
        for entity in facts.entities.values():
            nodes[entity.category].append({"id": entity.id, "p": node_properties(entity)})
        rels: dict[str, list[dict]] = defaultdict(list)
        for relation in facts.relations:
            rels[schema.rel_type(relation.predicate)].append(
                {
                    "id": relation.id,
                    "s": relation.subject,
                    "o": relation.object,
                    "p": edge_properties(relation),
                }
            )
        return cls(dict(nodes), dict(rels))

    @property
    def entity_count(self) -> int:
        return sum(map(len, self.nodes.values()))

    @property
    def relation_count(self) -> int:
        return sum(map(len, self.relationships.values()))

    @property
    def rows(self) -> int:
        return self.entity_count + self.relation_count

    def node_ids(self) -> list[str]:
        return [row["id"] for rows in self.nodes.values() for row in rows]

    def label_counts(self) -> dict[str, int]:
        return {label: len(rows) for label, rows in self.nodes.items() if rows}

    def type_counts(self) -> dict[str, int]:
        return {t: len(rows) for t, rows in self.relationships.items() if rows}


def _content_hash(plan: LoadPlan) -> str:
    """A digest of everything written, independent of row order."""
    digest = hashlib.sha256()
    encode = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode
    for label in sorted(plan.nodes):
        for row in sorted(plan.nodes[label], key=lambda r: r["id"]):
            digest.update(encode([label, row]).encode())
    for rel_type in sorted(plan.relationships):
        for row in sorted(plan.relationships[rel_type], key=lambda r: r["id"]):
            digest.update(encode([rel_type, row]).encode())
    return digest.hexdigest()[:20]


# --------------------------------------------------------------------------- Cypher


def schema_statements() -> dict[str, str]:
    """Constraints and indexes by name, each statement idempotent (``IF NOT EXISTS``).

    All of them are on imidgraph's own labels: none can reject, or be rejected by, anybody
    else's data in the same database. There is no constraint or index on relationship ids: a
    uniqueness constraint per type would reject a user's relationship of the same type and id
    (the plan itself refuses duplicate ids, and the counts check catches any); and a plain
    index lures the planner into scanning it for every row of a re-load (seen on a graph of
    30,000 relations right after its first load: 40 million db hits for 5,000 rows), where
    expanding from the two endpoint nodes costs a few hits.
    """
    statements = {
        "imidgraph_entity_id": f"CONSTRAINT imidgraph_entity_id IF NOT EXISTS FOR (n:{ENTITY_LABEL}) REQUIRE n.id IS UNIQUE",
        "imidgraph_load_key": f"CONSTRAINT imidgraph_load_key IF NOT EXISTS FOR (n:{META_LABEL}) REQUIRE n.key IS UNIQUE",
        "imidgraph_entity_name": f"INDEX imidgraph_entity_name IF NOT EXISTS FOR (n:{ENTITY_LABEL}) ON (n.name)",
        "imidgraph_entity_category": f"INDEX imidgraph_entity_category IF NOT EXISTS FOR (n:{ENTITY_LABEL}) ON (n.category)",
        "imidgraph_entity_names": (
            f"FULLTEXT INDEX imidgraph_entity_names IF NOT EXISTS FOR (n:{ENTITY_LABEL}) ON EACH [n.name, n.synonyms]"
        ),
    }
    return {name: f"CREATE {body}" for name, body in statements.items()}


def _node_query(label: str, fresh: bool) -> str:
    if fresh:  # nothing of ours in the database yet: no MERGE needed (the constraint still guards)
        return f"UNWIND $rows AS row\nCREATE (n:{ENTITY_LABEL}:{label})\nSET n = row.p, n.{OWNER} = $load"
    others = [c for c in CATEGORY_LABELS if c != label]
    return (
        "UNWIND $rows AS row\n"
        f"MERGE (n:{ENTITY_LABEL} {{id: row.id}})\n"
        "WITH n, row.p AS p\n"
        f"WITH n, p {{.*, {OWNER}: $load}} AS p\n"
        f"WHERE NOT n:{label} OR properties(n) <> p\n"
        f"REMOVE n:{':'.join(others)}\n"
        f"SET n = p, n:{label}"
    )


def _relationship_query(rel_type: str, fresh: bool) -> str:
    head = (
        "UNWIND $rows AS row\n"
        f"MATCH (s:{ENTITY_LABEL} {{id: row.s}})\n"
        f"MATCH (o:{ENTITY_LABEL} {{id: row.o}})\n"
    )
    if fresh:  # no relationship of ours of this type yet
        return head + f"CREATE (s)-[r:{rel_type}]->(o)\nSET r = row.p, r.{OWNER} = $load"
    # only our own relationship (it carries the owner property) is updated; a user's of the
    # same type and id between the same nodes is left alone
    return head + (
        "WITH s, o, row.id AS id, row.p AS p\n"
        f"WITH s, o, id, p {{.*, {OWNER}: $load}} AS p\n"
        f"OPTIONAL MATCH (s)-[r:{rel_type} {{id: id}}]->(o) WHERE r.{OWNER} IS NOT NULL\n"
        "WITH s, o, p, r WHERE r IS NULL OR properties(r) <> p\n"
        f"FOREACH (_ IN CASE WHEN r IS NULL THEN [1] ELSE [] END | CREATE (s)-[n:{rel_type}]->(o) SET n = p)\n"
        "FOREACH (_ IN CASE WHEN r IS NULL THEN [] ELSE [1] END | SET r = p)"
    )


_ALL_TYPES = "|".join(REL_TYPES)
# ours, written by another load (the owner property is the content hash of the load that wrote it)
_STALE_RELATIONSHIPS = (
    f"MATCH ()-[r:{_ALL_TYPES}]->() WHERE r.{OWNER} <> $load\n"
    "WITH r LIMIT $limit DELETE r RETURN count(*) AS n"
)
_STALE_NODES = (
    f"MATCH (n:{ENTITY_LABEL}) WHERE coalesce(n.{OWNER}, '') <> $load\n"
    "WITH n LIMIT $limit DETACH DELETE n RETURN count(*) AS n"
)
_READ_META = f"MATCH (m:{META_LABEL} {{key: $key}}) RETURN properties(m) AS meta"
_WRITE_META = f"MERGE (m:{META_LABEL} {{key: $key}})\nWITH m WHERE properties(m) <> $meta\nSET m = $meta"
# Taken by every load before it reads anything, held until it ends, never committed: a
# second load waits here for the first (the unique constraint on the key makes the MERGE
# wait), then reads the state the first one left.
_LOCK = f"MERGE (l:{META_LABEL} {{key: $key}}) ON MATCH SET l.key = l.key"


# --------------------------------------------------------------------------- the load


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


_COUNTERS = (
    "nodes_created",
    "nodes_deleted",
    "relationships_created",
    "relationships_deleted",
    "properties_set",
    "labels_added",
    "labels_removed",
)


def _batches(rows: list[dict], size: int) -> Iterator[list[dict]]:
    for start in range(0, len(rows), size):
        yield rows[start : start + size]


def _refuse_system(database: str, what: str) -> None:
    if database.lower() == SYSTEM_DATABASE:
        raise LoadError(
            f"database 'system' is the server's administration database and {what}: "
            "choose a user database with --database (e.g. neo4j)"
        )


def read_meta(driver: neo4j.Driver, database: str) -> dict | None:
    """The record of the last load (``status``, ``content_hash``, counts), or None."""
    from neo4j import RoutingControl

    if database.lower() == SYSTEM_DATABASE:
        return None
    records = driver.execute_query(
        _READ_META, key=META_KEY, database_=database, routing_=RoutingControl.READ
    ).records
    return dict(records[0]["meta"]) if records else None


def ensure_schema(driver: neo4j.Driver, database: str, created: list[str] | None = None) -> list[str]:
    """Create the constraints and indexes that are missing; wait until they are online.

    Returns the names of those it created; with ``created``, also appends each name there as
    soon as it exists (so that a caller knows what to drop if a later one fails).
    """
    created = [] if created is None else created
    mine: list[str] = []
    present = _schema_names(driver, database)
    for name, statement in schema_statements().items():
        if name not in present:
            driver.execute_query(statement, database_=database)
            created.append(name)
            mine.append(name)
    if mine:
        driver.execute_query("CALL db.awaitIndexes(300)", database_=database)
    return mine


def _schema_names(driver: neo4j.Driver, database: str) -> set[str]:
    """The names of the constraints and indexes the database has (constraints are backed by an
    index of the same name)."""
    return {r["name"] for r in driver.execute_query("SHOW INDEXES YIELD name", database_=database).records}


def drop_schema(driver: neo4j.Driver, database: str, names: list[str]) -> None:
    """Drop these constraints and indexes of ours (those a failed load created)."""
    statements = schema_statements()
    for name in reversed(names):
        kind = "CONSTRAINT" if statements[name].startswith("CREATE CONSTRAINT") else "INDEX"
        driver.execute_query(f"DROP {kind} {name} IF EXISTS", database_=database)


@contextmanager
def _load_lock(driver: neo4j.Driver, database: str) -> Iterator[None]:
    """Wait until no other load runs, and keep others waiting until the block ends."""
    with driver.session(database=database) as session:
        tx = session.begin_transaction()
        try:
            tx.run(_LOCK, key=LOCK_KEY).consume()
            yield
        finally:
            with suppress(Exception):  # the server may be gone: the lock went with it
                tx.rollback()


class _Writer:
    """Runs the load's statements: all in one transaction, or each in its own."""

    def __init__(self, session: neo4j.Session, tx: neo4j.ManagedTransaction | None):
        self.session = session
        self.tx = tx
        self.single = tx is not None
        self.counters = dict.fromkeys(_COUNTERS, 0)

    def run(self, query: str, **params) -> list[neo4j.Record]:
        def work(tx: neo4j.ManagedTransaction) -> tuple[list[neo4j.Record], neo4j.ResultSummary]:
            result = tx.run(query, **params)
            return list(result), result.consume()

        records, summary = work(self.tx) if self.single else self.session.execute_write(work)
        for name in _COUNTERS:
            self.counters[name] += getattr(summary.counters, name)
        return records


def load(
    driver: neo4j.Driver,
    plan: LoadPlan,
    *,
    database: str = "neo4j",
    replace: bool = False,
    batch_size: int = DEFAULT_BATCH_SIZE,
    max_transaction_rows: int = DEFAULT_MAX_TRANSACTION_ROWS,
    progress: Progress | None = None,
) -> LoadResult:
    """Load ``plan`` into ``database``; see the module docstring for the guarantees.

    ``progress(n)`` is called after each batch with the number of rows it covered (for a
    progress bar; in single-transaction mode they are committed only at the end).
    Raises :class:`LoadError` (one line) if the database holds a different graph and
    ``replace`` is false, or if the counts after writing are not the plan's. A load that
    fails drops the constraints and indexes it created. A second load started while one runs
    waits for it, then works on what the first one left.
    """
    if batch_size < 1:
        raise ValueError("batch_size must be at least 1")
    _refuse_system(database, "cannot hold the graph")
    started = time.monotonic()
    created: list[str] = []
    try:
        for _ in range(3):
            ensure_schema(driver, database, created)
            with _load_lock(driver, database):
                # a concurrent load that failed may have dropped what it had created
                if set(schema_statements()) - _schema_names(driver, database):
                    continue
                result = _load_locked(driver, plan, database, replace, batch_size, max_transaction_rows, progress)
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


def _load_locked(
    driver: neo4j.Driver,
    plan: LoadPlan,
    database: str,
    replace: bool,
    batch_size: int,
    max_transaction_rows: int,
    progress: Progress | None,
) -> LoadResult:
    meta = read_meta(driver, database)
    existing = _existing_counts(driver, database)
    _refuse_a_mix(database, plan, meta, existing, replace)
    tick = progress or (lambda n: None)
    single = plan.rows + sum(existing.values()) <= max_transaction_rows
    with driver.session(database=database) as session:
        if single:
            writer = session.execute_write(
                lambda tx: _write(_Writer(session, tx), plan, meta, existing, batch_size, tick)
            )
        else:
            writer = _write(_Writer(session, None), plan, meta, existing, batch_size, tick)
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
    return _counts(driver, database, [ENTITY_LABEL], REL_TYPES)


def _counts_query(labels, rel_types) -> str:
    """Counts of our nodes per label and of our relationships per type, in one round trip.

    Our nodes carry ``ENTITY_LABEL``; our relationships the owner property. Anybody else's
    nodes (a ``:Drug`` of their own) and relationships (a ``HAS_PART`` of their own, even
    between our nodes) are not counted.
    """
    parts = [
        f"`{label}`: COUNT {{ (:{label}) }}" if label == ENTITY_LABEL else f"`{label}`: COUNT {{ (:{ENTITY_LABEL}&{label}) }}"
        for label in labels
    ]
    parts += [f"`{t}`: COUNT {{ ()-[r:{t}]->() WHERE r.{OWNER} IS NOT NULL }}" for t in rel_types]
    return "RETURN {" + ", ".join(parts) + "} AS counts"


def _counts(driver: neo4j.Driver, database: str, labels, rel_types) -> dict[str, int]:
    from neo4j import RoutingControl

    query = _counts_query(labels, rel_types)
    records = driver.execute_query(query, database_=database, routing_=RoutingControl.READ).records
    return dict(records[0]["counts"])


def _refuse_a_mix(
    database: str, plan: LoadPlan, meta: dict | None, existing: dict[str, int], replace: bool
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


def _meta(plan: LoadPlan, status: str) -> dict:
    return {
        "key": META_KEY,
        "status": status,
        "content_hash": plan.content_hash,
        "entities": plan.entity_count,
        "relations": plan.relation_count,
    }


def _write(
    w: _Writer,
    plan: LoadPlan,
    meta: dict | None,
    existing: dict[str, int],
    batch_size: int,
    tick: Progress,
) -> _Writer:
    """The load's steps; ``w`` decides whether they share one transaction."""
    w.counters = dict.fromkeys(_COUNTERS, 0)  # a retried transaction starts again
    load_id = plan.content_hash
    if not w.single and meta != _meta(plan, "complete"):  # "incomplete" until the last step
        w.run(_WRITE_META, key=META_KEY, meta=_meta(plan, "loading"))
    fresh_nodes = existing[ENTITY_LABEL] == 0
    for label, rows in plan.nodes.items():
        query = _node_query(label, fresh_nodes)
        for batch in _batches(rows, batch_size):
            w.run(query, rows=batch, load=load_id)
            tick(len(batch))
    for rel_type, rows in plan.relationships.items():
        query = _relationship_query(rel_type, existing[rel_type] == 0)
        # by subject: neighbouring rows touch the same nodes and pages
        for batch in _batches(sorted(rows, key=lambda r: r["s"]), batch_size):
            w.run(query, rows=batch, load=load_id)
            tick(len(batch))
    if any(existing.values()):  # only items that were there before can be stale
        limit = plan.rows + sum(existing.values()) + 1 if w.single else batch_size
        for query in (_STALE_RELATIONSHIPS, _STALE_NODES):
            while w.run(query, load=load_id, limit=limit)[0]["n"] == limit:
                pass
    outcome = "nothing was committed" if w.single else "the load stays marked incomplete; run it again"
    found = w.run(_counts_query((ENTITY_LABEL, *CATEGORY_LABELS), REL_TYPES))[0]["counts"]
    wanted = {ENTITY_LABEL: plan.entity_count, **plan.label_counts(), **plan.type_counts()}
    for key, n in found.items():
        if n != wanted.get(key, 0):
            what = f"[:{key}]" if key in REL_TYPES else f":{key}"
            raise LoadError(
                f"after writing, the database has {n} {what} instead of {wanted.get(key, 0)}; {outcome}"
            )
    w.run(_WRITE_META, key=META_KEY, meta=_meta(plan, "complete"))
    return w


# --------------------------------------------------------------------------- checking before reading


class GraphCheckError(Neo4jError):
    """The database does not hold the complete graph of these seeds; the message says what to do."""


def check_graph(driver: neo4j.Driver, database: str, content_hash: str) -> dict:
    """The load record, if the database holds the complete imidgraph graph of exactly the
    seeds whose plan has ``content_hash``; else :class:`GraphCheckError` with one line."""
    anyway = "or pass --any-graph to ask it anyway"
    if database.lower() == SYSTEM_DATABASE:
        raise GraphCheckError(
            "database 'system' is the server's administration database and holds no imidgraph graph: "
            "choose the database you loaded with --database"
        )
    meta = read_meta(driver, database)
    if meta is None or "content_hash" not in meta:
        raise GraphCheckError(
            f"database {database!r} holds no imidgraph graph: run 'imidgraph load' first ({anyway})"
        )
    if meta["content_hash"] != content_hash:
        raise GraphCheckError(
            f"database {database!r} holds an imidgraph graph of other seeds ({meta.get('status')}, content "
            f"{meta['content_hash']}; these seeds are {content_hash}): run 'imidgraph load --replace' to load "
            f"these ({anyway})"
        )
    if meta.get("status") != "complete":
        raise GraphCheckError(
            f"database {database!r} holds an unfinished imidgraph load (status {meta.get('status')!r}, content "
            f"{content_hash}): run 'imidgraph load' again to finish it ({anyway})"
        )
    return meta


# --------------------------------------------------------------------------- reading back


def database_counts(driver: neo4j.Driver, database: str) -> tuple[dict[str, int], dict[str, int]]:
    """Our entities per category label and our relationships per type, as the database holds them."""
    counts = _counts(driver, database, CATEGORY_LABELS, REL_TYPES)
    labels = {label: counts[label] for label in CATEGORY_LABELS if counts[label]}
    types = {t: counts[t] for t in REL_TYPES if counts[t]}
    return labels, types


def read_graph(driver: neo4j.Driver, database: str) -> tuple[dict[str, dict], dict[str, dict]]:
    """Everything imidgraph holds in the database, for parity checks.

    Returns ``nodes`` ({id: {"labels", "p", "load"}}) and ``relationships``
    ({id: {"type", "s", "o", "p", "load"}}); ``p`` are the properties without the owner
    property, which is ``load``.
    """
    nodes = {}
    for r in driver.execute_query(
        f"MATCH (n:{ENTITY_LABEL}) RETURN labels(n) AS labels, properties(n) AS p", database_=database
    ).records:
        p = dict(r["p"])
        load_id = p.pop(OWNER, None)
        nodes[p["id"]] = {"labels": sorted(r["labels"]), "p": p, "load": load_id}
    rels = {}
    for r in driver.execute_query(
        f"MATCH (s:{ENTITY_LABEL})-[r]->(o:{ENTITY_LABEL}) WHERE r.{OWNER} IS NOT NULL "
        "RETURN type(r) AS type, s.id AS s, o.id AS o, properties(r) AS p",
        database_=database,
    ).records:
        p = dict(r["p"])
        load_id = p.pop(OWNER)
        rels[p.get("id")] = {"type": r["type"], "s": r["s"], "o": r["o"], "p": p, "load": load_id}
    return nodes, rels
