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
* Loads take a lock first (``_LOCK``): a second load waits for the first, then sees its result.
* A load whose record says the database holds exactly this plan (content hash, ``complete``,
  counts per label and type, and the database's count store as that load left it) writes
  nothing (``ALREADY_LOADED``, instant at any size); ``force=True`` takes the full path.

How a big load stays fast and small: the plan may be streamed (:class:`StreamedPlan`: rows
made batch by batch, the content hash in one pass over a fixed order), and above
``max_transaction_rows`` ``workers`` sessions take batches from one shared queue, and the
full-text indexes that are missing are created after the rows (Lucene then indexes each row
once, not at every commit), before the record says ``complete``. Relationships store nothing
derivable (``build.stored_edge_properties``).
``imidgraph.bulk`` fills an empty local database with ``neo4j-admin database import``.
"""

from __future__ import annotations

import hashlib
import json
import threading
import time
from collections import defaultdict
from collections.abc import Callable, Iterable, Iterator
from contextlib import contextmanager, suppress
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from . import schema, search
from .db import Neo4jError
from .facts import FactSet
from .properties import stored_edge_properties, stored_node_properties

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
DEFAULT_WORKERS = 2  # sessions writing batches at once (above max_transaction_rows)

Progress = Callable[[int], None]


class LoadError(Neo4jError):
    """The load could not be done; the message says why and what to do."""


# --------------------------------------------------------------------------- the plan

Groups = Iterable[tuple[str, Iterable[dict]]]


class _Plan:
    """What every plan gives the loader: counts, the content hash, and its rows group by group
    (labels, then types, in ascending order; rows in ascending id order)."""

    content_hash: str

    def label_counts(self) -> dict[str, int]:
        raise NotImplementedError

    def type_counts(self) -> dict[str, int]:
        raise NotImplementedError

    def node_groups(self) -> Groups:
        raise NotImplementedError

    def relationship_groups(self) -> Groups:
        raise NotImplementedError

    @property
    def entity_count(self) -> int:
        return sum(self.label_counts().values())

    @property
    def relation_count(self) -> int:
        return sum(self.type_counts().values())

    @property
    def rows(self) -> int:
        return self.entity_count + self.relation_count


def _check_vocabulary(labels, types) -> None:
    unknown = set(labels) - set(CATEGORY_LABELS)
    unknown |= set(types) - set(REL_TYPES)
    if unknown:  # labels and types are spliced into Cypher: only the vocabulary may pass
        raise ValueError(f"not in the schema vocabulary: {sorted(unknown)}")


@dataclass
class LoadPlan(_Plan):
    """The rows to write, in memory: node rows by category label, relationship rows by type.

    Node row: ``{"id", "p"}``; relationship row: ``{"id", "s", "o", "p"}`` where ``p`` is the
    full property map as Neo4j stores it (``build.stored_node_properties`` and
    ``stored_edge_properties``: no empty lists, nothing derivable).
    """

    nodes: dict[str, list[dict]]
    relationships: dict[str, list[dict]]
    content_hash: str = ""

    def __post_init__(self) -> None:
        _check_vocabulary(self.nodes, self.relationships)
        for kind, groups in (("entity", self.nodes), ("relation", self.relationships)):
            ids = [row["id"] for rows in groups.values() for row in rows]
            if len(ids) != len(set(ids)):
                raise ValueError(f"duplicate {kind} ids in the plan")
        if not self.content_hash:
            self.content_hash = _content_hash(self.node_groups(), self.relationship_groups())

    @classmethod
    def from_facts(cls, facts: FactSet) -> LoadPlan:
        nodes: dict[str, list[dict]] = defaultdict(list)
        for entity in facts.entities.values():
            props = stored_node_properties(entity)
            nodes[entity.category].append({"id": entity.id, "p": props})
        rels: dict[str, list[dict]] = defaultdict(list)
        for relation in facts.relations:
            rels[schema.rel_type(relation.predicate)].append(
                {
                    "id": relation.id,
                    "s": relation.subject,
                    "o": relation.object,
                    "p": stored_edge_properties(relation),
                }
            )
        return cls(dict(nodes), dict(rels))

    def node_groups(self) -> Groups:
        return _sorted_groups(self.nodes)

    def relationship_groups(self) -> Groups:
        return _sorted_groups(self.relationships)

    def property_samples(self) -> dict[str, dict]:
        """For each label and type, every property name its rows use, with one value of it."""
        samples: dict[str, dict] = {}
        for groups in (self.nodes, self.relationships):
            for name, rows in groups.items():
                sample = samples[name] = {}
                for row in rows:
                    sample.update({k: v for k, v in row["p"].items() if k not in sample})
        return samples

    def node_ids(self) -> list[str]:
        return [row["id"] for rows in self.nodes.values() for row in rows]

    def label_counts(self) -> dict[str, int]:
        return {label: len(rows) for label, rows in sorted(self.nodes.items()) if rows}

    def type_counts(self) -> dict[str, int]:
        return {t: len(rows) for t, rows in sorted(self.relationships.items()) if rows}


def _sorted_groups(groups: dict[str, list[dict]]) -> Groups:
    return [(name, sorted(groups[name], key=lambda r: r["id"])) for name in sorted(groups) if groups[name]]


class StreamedPlan(_Plan):
    """A plan whose rows are produced group by group, batch by batch, never all held at once.

    ``nodes()`` and ``relationships()`` return the groups afresh at each call (they are read
    once for the content hash, once more to write): ``(label, rows)`` with labels in ascending
    order and rows in ascending id order, which is the order the content hash is defined over,
    so a streamed plan has the hash of the same rows in a :class:`LoadPlan`. The order is
    checked while hashing (it also rules out duplicate ids within a label or type), and so are
    the counts given and, across labels, the node ids.
    """

    def __init__(
        self,
        label_counts: dict[str, int],
        type_counts: dict[str, int],
        nodes: Callable[[], Groups],
        relationships: Callable[[], Groups],
    ):
        _check_vocabulary(label_counts, type_counts)
        self._labels = {k: v for k, v in sorted(label_counts.items()) if v}
        self._types = {k: v for k, v in sorted(type_counts.items()) if v}
        self._nodes = nodes
        self._relationships = relationships
        self._hash = ""
        self._samples: dict[str, dict] = {}

    def label_counts(self) -> dict[str, int]:
        return dict(self._labels)

    def type_counts(self) -> dict[str, int]:
        return dict(self._types)

    def node_groups(self) -> Groups:
        return self._nodes()

    def relationship_groups(self) -> Groups:
        return self._relationships()

    @property
    def content_hash(self) -> str:  # one pass over every row, the first time it is asked for
        if not self._hash:
            counted: dict[str, int] = {}
            node_ids: set[str] = set()

            samples: dict[str, dict] = {}

            def counting(groups: Groups, nodes: bool) -> Groups:
                for name, rows in groups:
                    counted[name] = 0
                    sample = samples[name] = {}
                    for row in rows:
                        counted[name] += 1
                        if nodes:
                            node_ids.add(row["id"])
                        p = row["p"]
                        if p.keys() - sample.keys():  # a property name not seen yet in this group
                            sample.update({k: v for k, v in p.items() if k not in sample})
                        yield name, row

            def regroup(pairs) -> Groups:  # (name, row) pairs back into groups, lazily
                from itertools import groupby

                for name, group in groupby(pairs, key=lambda pair: pair[0]):
                    yield name, (row for _, row in group)

            digest = _content_hash(
                regroup(counting(self._nodes(), True)), regroup(counting(self._relationships(), False))
            )
            if counted != {**self._labels, **self._types}:
                raise ValueError("the streamed rows do not match the plan's counts")
            if len(node_ids) != sum(self._labels.values()):
                raise ValueError("duplicate entity ids in the plan")
            self._samples = samples
            self._hash = digest
        return self._hash

    def property_samples(self) -> dict[str, dict]:
        """For each label and type, every property name its rows use, with one value of it
        (collected while hashing; for writing typed CSV headers)."""
        _ = self.content_hash
        return self._samples

    def materialize(self) -> LoadPlan:
        """The same plan held in memory (for small plans: tests, the baseline benchmark)."""
        nodes = {name: list(rows) for name, rows in self.node_groups()}
        rels = {name: list(rows) for name, rows in self.relationship_groups()}
        return LoadPlan(nodes, rels)


Plan = LoadPlan | StreamedPlan


def _content_hash(node_groups: Groups, relationship_groups: Groups) -> str:
    """A digest of everything written: rows by label, then by type, each in ascending id order
    (so independent of the order rows were given in). Refuses groups or rows out of order."""
    digest = hashlib.sha256()
    encode = json.JSONEncoder(sort_keys=True, ensure_ascii=False, separators=(",", ":")).encode
    for groups in (node_groups, relationship_groups):
        last_name = None
        for name, rows in groups:
            if last_name is not None and name <= last_name:
                raise ValueError(f"the plan's groups are not in ascending order ({name} after {last_name})")
            last_name, last_id = name, None
            for row in rows:
                if last_id is not None and row["id"] <= last_id:
                    raise ValueError(f"the rows of {name} are not in ascending id order ({row['id']} after {last_id})")
                last_id = row["id"]
                digest.update(encode([name, row]).encode())
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
        # imidgraph search: our own tokens (search_text), split on spaces and nothing else
        "imidgraph_entity_search": (
            f"FULLTEXT INDEX imidgraph_entity_search IF NOT EXISTS FOR (n:{ENTITY_LABEL}) ON EACH [n.search_text] "
            "OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace'}}"
        ),
        **{
            name: (
                f"FULLTEXT INDEX {name} IF NOT EXISTS FOR ()-[r:{'|'.join(types)}]-() "
                "ON EACH [r.search_text] OPTIONS {indexConfig: {`fulltext.analyzer`: 'whitespace'}}"
            )
            for name, types in search.RELATION_INDEXES.items()
        },
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
# the record's keys that describe the graph; ``store_counts`` is set apart (_WRITE_STORE_COUNTS)
_WRITE_META = (
    f"MERGE (m:{META_LABEL} {{key: $key}})\n"
    "WITH m WHERE any(k IN keys($meta) WHERE m[k] IS NULL OR m[k] <> $meta[k])\n"
    "SET m += $meta"
)
_WRITE_STORE_COUNTS = (
    f"MATCH (m:{META_LABEL} {{key: $key}}) WHERE m.store_counts IS NULL OR m.store_counts <> $counts\n"
    "SET m.store_counts = $counts"
)
# Taken by every load before it reads anything, held until it ends, never committed: a
# second load waits here for the first (the unique constraint on the key makes the MERGE
# wait), then reads the state the first one left.
_LOCK = f"MERGE (l:{META_LABEL} {{key: $key}}) ON MATCH SET l.key = l.key"


def _store_counts_query() -> str:
    """The database's own counts (its count store: one lookup each, whatever the size) of
    nodes per label and relationships per type of our vocabulary, anybody's included."""
    parts = [f"`:{label}`: COUNT {{ (:{label}) }}" for label in (ENTITY_LABEL, *CATEGORY_LABELS)]
    parts += [f"`[:{t}]`: COUNT {{ ()-[:{t}]->() }}" for t in REL_TYPES]
    return "RETURN {" + ", ".join(parts) + "} AS counts"


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


ALREADY_LOADED = "already loaded"

_COUNTERS = (
    "nodes_created",
    "nodes_deleted",
    "relationships_created",
    "relationships_deleted",
    "properties_set",
    "labels_added",
    "labels_removed",
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


def _fulltext(name: str) -> bool:
    return schema_statements()[name].startswith("CREATE FULLTEXT")


def ensure_schema(
    driver: neo4j.Driver,
    database: str,
    created: list[str] | None = None,
    *,
    fulltext: bool = True,
    wait: bool = True,
) -> list[str]:
    """Create the constraints and indexes that are missing; wait until they are online.

    Returns the names of those it created; with ``created``, also appends the names there as
    soon as they exist (so that a caller knows what to drop if a later one fails). With
    ``fulltext=False``, the full-text indexes are left for later (a batched load creates them
    after writing: Lucene then indexes every row in one pass instead of at every commit).
    With ``wait=False`` it returns without waiting (then :func:`await_schema`). A search index
    of ours that the schema no longer has (``imidgraph_relation_search_<other hash>``: another
    vocabulary, or the one index of earlier versions) is dropped.

    They are created in two transactions: Neo4j fills the indexes created in one transaction
    in one pass over the store, and runs two such passes at a time; so the last relationship
    index has a transaction of its own and everything else shares the other (a million
    relations after ``--bulk``, 2 cores: ~10.5 s for all, ~12.5 s created one by one).
    """
    created = [] if created is None else created
    present = _schema_names(driver, database)
    for name in sorted(filter(superseded_index, present)):
        driver.execute_query(f"DROP INDEX `{name}` IF EXISTS", database_=database)
    missing = [(name, statement) for name, statement in schema_statements().items()
               if name not in present and (fulltext or not _fulltext(name))]  # fmt: skip
    alone = [name for name, _ in missing if name in search.RELATION_INDEXES][-1:]
    groups = [[m for m in missing if m[0] not in alone], [m for m in missing if m[0] in alone]]
    mine: list[str] = []
    with driver.session(database=database) as session:
        for group in filter(None, groups):
            session.execute_write(lambda tx, group=group: [tx.run(statement).consume() for _, statement in group])
            created.extend(name for name, _ in group)
            mine.extend(name for name, _ in group)
    if mine and wait:
        await_schema(driver, database)
    return mine


def superseded_index(name: str) -> bool:
    """Whether ``name`` is a search index of ours that the schema no longer has (one of an
    earlier vocabulary, or the one relationship index of earlier versions)."""
    return name.startswith(search.RELATION_INDEX_PREFIX) and name not in search.RELATION_INDEXES


def await_schema(driver: neo4j.Driver, database: str) -> None:
    """Wait until every index is online (populating a full-text index over a big graph takes a
    while on a busy machine)."""
    driver.execute_query("CALL db.awaitIndexes(3600)", database_=database)


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


def _run(tx: neo4j.ManagedTransaction, query: str, params: dict) -> tuple[list[neo4j.Record], object]:
    result = tx.run(query, params)
    return list(result), result.consume()


class _Writer:
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
        self.counters = dict.fromkeys(_COUNTERS, 0)

    def _count(self, summary) -> None:
        for name in _COUNTERS:
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
    if not force and set(schema_statements()) <= _schema_names(driver, database):
        # the instant check, without the lock: a load under way either has not committed (its
        # single transaction), which this answer precedes, or has marked the record "loading"
        meta = read_meta(driver, database)
        if _already_loaded(driver, database, plan, meta):
            return _already_loaded_result(plan, time.monotonic() - started)
    created: list[str] = []
    # a load that will be batched creates the full-text indexes after writing (see _write)
    fulltext = plan.rows <= max_transaction_rows
    needed = {name for name in schema_statements() if fulltext or not _fulltext(name)}
    try:
        for _ in range(3):
            ensure_schema(driver, database, created, fulltext=fulltext)
            with _load_lock(driver, database):
                # a concurrent load that failed may have dropped what it had created
                if needed - _schema_names(driver, database):
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
        counters=dict.fromkeys(_COUNTERS, 0),
        labels=plan.label_counts(),
        types=plan.type_counts(),
        seconds=seconds,
    )


def _already_loaded(driver: neo4j.Driver, database: str, plan: Plan, meta: dict | None) -> bool:
    """Whether the record says the database holds exactly this plan, complete, and the
    database's counts (from its count store: instant at any size) are those the load left."""
    if meta is None or meta.get("status") != "complete" or meta.get("content_hash") != plan.content_hash:
        return False
    if (meta.get("entities"), meta.get("relations")) != (plan.entity_count, plan.relation_count):
        return False
    if meta.get("labels") != _encode_counts(plan.label_counts()) or meta.get("types") != _encode_counts(plan.type_counts()):
        return False
    return meta.get("store_counts") == _store_counts(driver, database)


def _encode_counts(counts: dict[str, int]) -> str:
    """Counts as one property value (Neo4j properties hold no maps)."""
    return json.dumps(counts, sort_keys=True, separators=(",", ":"))


def _store_counts(driver: neo4j.Driver, database: str, tx=None) -> str:
    """The count store's counts of our labels and types, encoded. Inside a load's transaction
    by the counts query (it sees the transaction's own writes); outside one by
    :func:`_graph_counts` where the user may call it (no query to plan: right after a server
    start, planning the query of some 70 counts took 0.4-0.8 s of the instant re-load)."""
    if tx is not None:
        return _encode_counts(dict(tx.run(_store_counts_query()).single()["counts"]))
    from neo4j import RoutingControl
    from neo4j.exceptions import ClientError

    try:
        return _encode_counts(_graph_counts(driver, database))
    except ClientError as e:  # a user without the right to call db.stats.retrieve: the query
        if "Security" not in (e.code or "") and "Procedure" not in (e.code or ""):
            raise
    records = driver.execute_query(_store_counts_query(), database_=database, routing_=RoutingControl.READ).records
    return _encode_counts(dict(records[0]["counts"]))


def _graph_counts(driver: neo4j.Driver, database: str) -> dict[str, int]:
    """The count store's counts of our labels and types, keyed as :func:`_store_counts_query`
    keys them, read by the built-in ``db.stats.retrieve('GRAPH COUNTS')``: the same numbers
    (committed state), without a query to plan."""
    from neo4j import RoutingControl

    data = driver.execute_query(
        "CALL db.stats.retrieve('GRAPH COUNTS') YIELD data RETURN data", database_=database, routing_=RoutingControl.READ
    ).records[0]["data"]
    labels = {n["label"]: n["count"] for n in data["nodes"] if set(n) == {"label", "count"}}
    types = {r["relationshipType"]: r["count"] for r in data["relationships"] if set(r) == {"relationshipType", "count"}}
    return {**{f":{label}": labels.get(label, 0) for label in (ENTITY_LABEL, *CATEGORY_LABELS)},
            **{f"[:{t}]": types.get(t, 0) for t in REL_TYPES}}  # fmt: skip


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
                lambda tx: _write(_Writer(driver, database, session, tx), plan, meta, existing, batch_size, tick, created)
            )
        else:
            writer = _write(
                _Writer(driver, database, session, None, workers), plan, meta, existing, batch_size, tick, created
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


def _meta(plan: Plan, status: str) -> dict:
    return {
        "key": META_KEY,
        "status": status,
        "content_hash": plan.content_hash,
        "entities": plan.entity_count,
        "relations": plan.relation_count,
        "labels": _encode_counts(plan.label_counts()),
        "types": _encode_counts(plan.type_counts()),
    }


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


def _write(
    w: _Writer,
    plan: Plan,
    meta: dict | None,
    existing: dict[str, int],
    batch_size: int,
    tick: Progress,
    created: list[str],
) -> _Writer:
    """The load's steps; ``w`` decides whether they share one transaction. Batched, the
    full-text indexes that are missing are created once the rows are written, before the
    record says ``complete``."""
    w.counters = dict.fromkeys(_COUNTERS, 0)  # a retried transaction starts again
    load_id = plan.content_hash
    complete = _meta(plan, "complete")
    if not w.single and (meta is None or any(meta.get(k) != v for k, v in complete.items())):
        w.run(_WRITE_META, key=META_KEY, meta=_meta(plan, "loading"))  # "incomplete" until the last step
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
    found = w.run(_counts_query((ENTITY_LABEL, *CATEGORY_LABELS), REL_TYPES))[0]["counts"]
    wanted = {ENTITY_LABEL: plan.entity_count, **plan.label_counts(), **plan.type_counts()}
    for key, n in found.items():
        if n != wanted.get(key, 0):
            what = f"[:{key}]" if key in REL_TYPES else f":{key}"
            raise LoadError(
                f"after writing, the database has {n} {what} instead of {wanted.get(key, 0)}; {outcome}"
            )
    w.run(_WRITE_META, key=META_KEY, meta=complete)
    # what the database's count store says now, for the instant check of the next load (not a
    # change of the graph: not counted, so a re-load that writes nothing still says so)
    store = _store_counts(w.driver, w.database, w.tx if w.single else None)
    w.run(_WRITE_STORE_COUNTS, counted=False, key=META_KEY, counts=store)
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
