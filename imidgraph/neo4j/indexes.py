"""The store's constraints and indexes: created before (or, for the full-text indexes of a
batched load, after) the rows, awaited, and dropped again by a load that fails.

All of them are on imidgraph's own labels (names in :mod:`.vocabulary`).
"""

from __future__ import annotations

import time
from typing import TYPE_CHECKING

from .vocabulary import (
    ANALYZER,
    ENTITY_CATEGORY_INDEX,
    ENTITY_ID_CONSTRAINT,
    ENTITY_INDEX,
    ENTITY_LABEL,
    ENTITY_NAME_INDEX,
    ENTITY_NAMES_INDEX,
    LOAD_KEY_CONSTRAINT,
    META_LABEL,
    RELATION_INDEX_PREFIX,
    RELATION_INDEXES,
)

if TYPE_CHECKING:
    import neo4j


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
        ENTITY_ID_CONSTRAINT: (
            f"CONSTRAINT {ENTITY_ID_CONSTRAINT} IF NOT EXISTS FOR (n:{ENTITY_LABEL}) REQUIRE n.id IS UNIQUE"
        ),
        LOAD_KEY_CONSTRAINT: (
            f"CONSTRAINT {LOAD_KEY_CONSTRAINT} IF NOT EXISTS FOR (n:{META_LABEL}) REQUIRE n.key IS UNIQUE"
        ),
        ENTITY_NAME_INDEX: f"INDEX {ENTITY_NAME_INDEX} IF NOT EXISTS FOR (n:{ENTITY_LABEL}) ON (n.name)",
        ENTITY_CATEGORY_INDEX: f"INDEX {ENTITY_CATEGORY_INDEX} IF NOT EXISTS FOR (n:{ENTITY_LABEL}) ON (n.category)",
        ENTITY_NAMES_INDEX: (
            f"FULLTEXT INDEX {ENTITY_NAMES_INDEX} IF NOT EXISTS FOR (n:{ENTITY_LABEL}) ON EACH [n.name, n.synonyms]"
        ),
        # imidgraph search: our own tokens (search_text), split on spaces and nothing else
        ENTITY_INDEX: (
            f"FULLTEXT INDEX {ENTITY_INDEX} IF NOT EXISTS FOR (n:{ENTITY_LABEL}) ON EACH [n.search_text] "
            f"OPTIONS {{indexConfig: {{`fulltext.analyzer`: '{ANALYZER}'}}}}"
        ),
        **{
            name: (
                f"FULLTEXT INDEX {name} IF NOT EXISTS FOR ()-[r:{'|'.join(types)}]-() "
                f"ON EACH [r.search_text] OPTIONS {{indexConfig: {{`fulltext.analyzer`: '{ANALYZER}'}}}}"
            )
            for name, types in RELATION_INDEXES.items()
        },
    }
    return {name: f"CREATE {body}" for name, body in statements.items()}


def is_fulltext(name: str) -> bool:
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
    present = schema_names(driver, database)
    for name in sorted(filter(superseded_index, present)):
        driver.execute_query(f"DROP INDEX `{name}` IF EXISTS", database_=database)
    missing = [(name, statement) for name, statement in schema_statements().items()
               if name not in present and (fulltext or not is_fulltext(name))]  # fmt: skip
    alone = [name for name, _ in missing if name in RELATION_INDEXES][-1:]
    groups = [[m for m in missing if m[0] not in alone], [m for m in missing if m[0] in alone]]
    mine: list[str] = []
    with driver.session(database=database) as session:
        for group in filter(None, groups):
            made = _create(session, group)
            created.extend(made)
            mine.extend(made)
    if mine and wait:
        await_schema(driver, database)
    return mine


def _made(tx, group: list[tuple[str, str]]) -> list[str]:
    """Run the statements; the names of those that created something (not already there)."""
    made = []
    for name, statement in group:
        counters = tx.run(statement).consume().counters
        if counters.indexes_added or counters.constraints_added:
            made.append(name)
    return made


def _create(session, group: list[tuple[str, str]]) -> list[str]:
    """The group in one transaction, the names it created. Two first loads at once: each reads
    the schema, then creates it; the second to commit fails with an ``...AlreadyExists``
    error (``IF NOT EXISTS`` does not cover a rule another transaction is creating). It then
    runs again: ``IF NOT EXISTS`` skips what the other created, and only what this one
    created is named (so a load that fails later drops its own rules, never another's)."""
    from neo4j.exceptions import ClientError  # the driver: imported when used

    for attempt in range(20):
        try:
            return session.execute_write(_made, group)
        except ClientError as e:
            if "AlreadyExists" not in (e.code or "") or attempt == 19:
                raise
            time.sleep(0.05 * (attempt + 1))
    return []  # not reached


def ensure_lock_constraint(driver: neo4j.Driver, database: str) -> list[str]:
    """The constraint that makes the load lock wait (see :mod:`.lock`), before anything else;
    its name if this call created it."""
    with driver.session(database=database) as session:
        return _create(session, [(LOAD_KEY_CONSTRAINT, schema_statements()[LOAD_KEY_CONSTRAINT])])


def superseded_index(name: str) -> bool:
    """Whether ``name`` is a search index of ours that the schema no longer has (one of an
    earlier vocabulary, or the one relationship index of earlier versions)."""
    return name.startswith(RELATION_INDEX_PREFIX) and name not in RELATION_INDEXES


def await_schema(driver: neo4j.Driver, database: str) -> None:
    """Wait until every index is online (populating a full-text index over a big graph takes a
    while on a busy machine)."""
    driver.execute_query("CALL db.awaitIndexes(3600)", database_=database)


def schema_names(driver: neo4j.Driver, database: str) -> set[str]:
    """The names of the constraints and indexes the database has (constraints are backed by an
    index of the same name)."""
    return {r["name"] for r in driver.execute_query("SHOW INDEXES YIELD name", database_=database).records}


def drop_schema(driver: neo4j.Driver, database: str, names: list[str]) -> None:
    """Drop these constraints and indexes of ours (those a failed load created)."""
    statements = schema_statements()
    for name in reversed(names):
        kind = "CONSTRAINT" if statements[name].startswith("CREATE CONSTRAINT") else "INDEX"
        driver.execute_query(f"DROP {kind} {name} IF EXISTS", database_=database)
