"""The load record and the right-graph check: what a load says it wrote, how the database's
counts are read, and whether a database holds the complete graph of given seeds.

One ``(:ImidgraphLoad {key: 'current'})`` node records the last load: ``status`` (``loading``
until the last step, then ``complete``), the content hash, the counts per label and type,
and ``store_counts``, the database's count store as that load left it (for the instant
check of the next load). Readers check it before they answer (:func:`check_graph`).
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING

from .connect import Neo4jError
from .vocabulary import (
    CATEGORY_LABELS,
    ENDS,
    ENTITY_LABEL,
    META_KEY,
    META_LABEL,
    OWNER,
    REL_TYPES,
    SYSTEM_DATABASE,
)

if TYPE_CHECKING:
    import neo4j

    from .plan import Plan


class LoadError(Neo4jError):
    """The load could not be done; the message says why and what to do."""


class GraphCheckError(Neo4jError):
    """The database does not hold the complete graph of these seeds; the message says what to do."""


_READ_META = f"MATCH (m:{META_LABEL} {{key: $key}}) RETURN properties(m) AS meta"
# the record's keys that describe the graph; ``store_counts`` is set apart (WRITE_STORE_COUNTS)
WRITE_META = (
    f"MERGE (m:{META_LABEL} {{key: $key}})\n"
    "WITH m WHERE any(k IN keys($meta) WHERE m[k] IS NULL OR m[k] <> $meta[k])\n"
    "SET m += $meta"
)
WRITE_STORE_COUNTS = (
    f"MATCH (m:{META_LABEL} {{key: $key}}) WHERE m.store_counts IS NULL OR m.store_counts <> $counts\n"
    "SET m.store_counts = $counts"
)


def read_meta(driver: neo4j.Driver, database: str) -> dict | None:
    """The record of the last load (``status``, ``content_hash``, counts), or None."""
    from neo4j import RoutingControl  # the driver: imported when used (~0.8 s)

    if database.lower() == SYSTEM_DATABASE:
        return None
    records = driver.execute_query(
        _READ_META, key=META_KEY, database_=database, routing_=RoutingControl.READ
    ).records
    return dict(records[0]["meta"]) if records else None


def load_record(plan: Plan, status: str) -> dict:
    """The load record's keys that describe ``plan``, with this status."""
    return {
        "key": META_KEY,
        "status": status,
        "content_hash": plan.content_hash,
        "entities": plan.entity_count,
        "relations": plan.relation_count,
        "labels": encode_counts(plan.label_counts()),
        "types": encode_counts(plan.type_counts()),
    }


def encode_counts(counts: dict[str, int]) -> str:
    """Counts as one property value (Neo4j properties hold no maps)."""
    return json.dumps(counts, sort_keys=True, separators=(",", ":"))


def store_counts_query() -> str:
    """The database's own counts (its count store: one lookup each, whatever the size) of
    nodes per label and relationships per type of our vocabulary, anybody's included."""
    parts = [f"`:{label}`: COUNT {{ (:{label}) }}" for label in (ENTITY_LABEL, *CATEGORY_LABELS)]
    parts += [f"`[:{t}]`: COUNT {{ ()-[:{t}]->() }}" for t in REL_TYPES]
    # anchored on our nodes (the count store keeps these too): a user's relationship of one of
    # our types between nodes not ours changes the plain type count but not these
    parts += [f"`(:{ENTITY_LABEL})-[:{t}]`: COUNT {{ (:{ENTITY_LABEL})-[:{t}]->() }}" for t in REL_TYPES]
    parts += [f"`[:{t}]-(:{ENTITY_LABEL})`: COUNT {{ ()-[:{t}]->(:{ENTITY_LABEL}) }}" for t in REL_TYPES]
    return "RETURN {" + ", ".join(parts) + "} AS counts"


def store_counts(driver: neo4j.Driver, database: str, tx=None) -> str:
    """The count store's counts of our labels and types, encoded. Inside a load's transaction
    by the counts query (it sees the transaction's own writes); outside one by
    :func:`_graph_counts` where the user may call it (no query to plan: right after a server
    start, planning the query of some 70 counts took 0.4-0.8 s of the instant re-load)."""
    if tx is not None:
        return encode_counts(dict(tx.run(store_counts_query()).single()["counts"]))
    from neo4j import RoutingControl  # the driver: imported when used (~0.8 s)
    from neo4j.exceptions import ClientError  # the driver: imported when used

    try:
        return encode_counts(_graph_counts(driver, database))
    except ClientError as e:  # a user without the right to call db.stats.retrieve: the query
        if "Security" not in (e.code or "") and "Procedure" not in (e.code or ""):
            raise
    records = driver.execute_query(store_counts_query(), database_=database, routing_=RoutingControl.READ).records
    return encode_counts(dict(records[0]["counts"]))


_GRAPH_COUNTS = "CALL db.stats.retrieve('GRAPH COUNTS') YIELD data RETURN data"


def _graph_counts(driver: neo4j.Driver, database: str) -> dict[str, int]:
    """The count store's counts of our labels and types, keyed as :func:`store_counts_query`
    keys them, read by the built-in ``db.stats.retrieve('GRAPH COUNTS')``: the same numbers
    (committed state), without a query to plan."""
    from neo4j import RoutingControl  # the driver: imported when used (~0.8 s)

    data = driver.execute_query(_GRAPH_COUNTS, database_=database, routing_=RoutingControl.READ).records[0]["data"]
    return counts_of_graph_counts(data)


def counts_of_graph_counts(data: dict) -> dict[str, int]:
    """:func:`_graph_counts` of the data ``db.stats.retrieve('GRAPH COUNTS')`` returned."""
    labels = {n["label"]: n["count"] for n in data["nodes"] if set(n) == {"label", "count"}}
    types, starts, ends = {}, {}, {}
    for r in data["relationships"]:
        keys = set(r) - {"count"}
        if keys == {"relationshipType"}:
            types[r["relationshipType"]] = r["count"]
        elif keys == {"relationshipType", "startLabel"} and r["startLabel"] == ENTITY_LABEL:
            starts[r["relationshipType"]] = r["count"]
        elif keys == {"relationshipType", "endLabel"} and r["endLabel"] == ENTITY_LABEL:
            ends[r["relationshipType"]] = r["count"]
    return {**{f":{label}": labels.get(label, 0) for label in (ENTITY_LABEL, *CATEGORY_LABELS)},
            **{f"[:{t}]": types.get(t, 0) for t in REL_TYPES},
            **{f"(:{ENTITY_LABEL})-[:{t}]": starts.get(t, 0) for t in REL_TYPES},
            **{f"[:{t}]-(:{ENTITY_LABEL})": ends.get(t, 0) for t in REL_TYPES}}  # fmt: skip


def our_counts_query(labels, rel_types) -> str:
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


def our_counts(driver: neo4j.Driver, database: str, labels, rel_types) -> dict[str, int]:
    from neo4j import RoutingControl  # the driver: imported when used (~0.8 s)

    query = our_counts_query(labels, rel_types)
    records = driver.execute_query(query, database_=database, routing_=RoutingControl.READ).records
    return dict(records[0]["counts"])


_READ_META_AND_COUNTS = (
    f"CALL db.stats.retrieve('GRAPH COUNTS') YIELD data\n"
    f"OPTIONAL MATCH (m:{META_LABEL} {{key: $key}})\n"
    "RETURN properties(m) AS meta, data"
)


def _meta_and_store_counts(driver: neo4j.Driver, database: str) -> tuple[dict | None, str]:
    """The load record and the count store's counts (encoded), in one round trip."""
    from neo4j import RoutingControl  # the driver: imported when used (~0.8 s)
    from neo4j.exceptions import ClientError  # the driver: imported when used

    try:
        record = driver.execute_query(
            _READ_META_AND_COUNTS, key=META_KEY, database_=database, routing_=RoutingControl.READ
        ).records[0]
    except ClientError as e:  # a user without the right to call db.stats.retrieve
        if "Security" not in (e.code or "") and "Procedure" not in (e.code or ""):
            raise
        return read_meta(driver, database), store_counts(driver, database)
    meta = record["meta"]
    return (dict(meta) if meta is not None else None), encode_counts(counts_of_graph_counts(record["data"]))


def damage(driver: neo4j.Driver, database: str, meta: dict, store: str) -> str | None:
    """What differs between the graph of ours the database holds and the one the load record
    says was loaded (``"3 :Drug nodes of imidgraph instead of 4"``), or None.

    Cheap when nothing changed: the count store (``store``, one lookup per label and type)
    still says what the load left. When it does not (somebody wrote since), our own nodes and
    relationships are counted: a user's own ``:Drug`` or ``DEGRADES`` next to ours is fine."""
    if meta.get("store_counts") == store:
        return None
    found = our_counts(driver, database, (ENTITY_LABEL, *CATEGORY_LABELS), REL_TYPES)
    wanted = {ENTITY_LABEL: meta.get("entities"), **json.loads(meta.get("labels") or "{}"),
              **json.loads(meta.get("types") or "{}")}  # fmt: skip
    for key, n in found.items():
        if n != wanted.get(key, 0):
            what = f"[:{key}] relationships" if key in REL_TYPES else f":{key} nodes"
            return f"{n} {what} of imidgraph instead of {wanted.get(key, 0)}"
    return None


# Every relationship of ours still joins the two nodes the load put it between (its ends
# property); one that does not was moved, or copied with our marks between two other nodes of
# ours (a swap no count shows). One scan of the relationships of ours: a few ms for the
# curated graph, ~linear in their number.
_MISPLACED = (
    f"MATCH (s)-[r]->(o) WHERE r.{OWNER} IS NOT NULL\n"
    f"  AND NOT coalesce(r.{ENDS}[0] = s.id AND r.{ENDS}[1] = o.id AND s:{ENTITY_LABEL} AND o:{ENTITY_LABEL}, false)\n"
    f"RETURN type(r) AS type, r.{ENDS} AS ends, s.id AS s, o.id AS o LIMIT 1"
)
# Readers scan for misplaced relationships of ours (:func:`misplaced`) at every command up to
# this many relationships of ours (the curated graph has ~1,200: the scan adds some 10-30 ms on
# a busy 2-core machine, ~10-20 us per relationship, see docs/bench-check.md); above, a
# reader's check stays the count store's one lookup per label and type, and the scan is left
# to ``load``'s instant check (which always makes it).
READER_SCAN_LIMIT = 10_000


def misplaced(driver: neo4j.Driver, database: str) -> str | None:
    """A relationship of ours that no longer joins the nodes it was loaded between
    (``"a [:DEGRADES] relationship of imidgraph loaded from A to B now from C to D"``), or None."""
    from neo4j import RoutingControl  # the driver: imported when used (~0.8 s)

    records = driver.execute_query(_MISPLACED, database_=database, routing_=RoutingControl.READ).records
    if not records:
        return None
    r = records[0]
    if r["ends"] is None:
        return f"a [:{r['type']}] relationship of imidgraph without the ids of its ends (from {r['s']} to {r['o']})"
    loaded = " to ".join(map(str, r["ends"]))
    return f"a [:{r['type']}] relationship of imidgraph loaded from {loaded}, now from {r['s']} to {r['o']}"


def check_graph(driver: neo4j.Driver, database: str, content_hash: str) -> dict:
    """The load record, if the database holds the complete imidgraph graph of exactly the
    seeds whose plan has ``content_hash`` (the record says so and the counts of our nodes and
    relationships are still those it records, and each relationship of ours still joins the
    nodes it was loaded between); else :class:`GraphCheckError` with one line.
    One round trip when no count changed since the load (see :func:`damage`), and one scan of
    our relationships for :func:`misplaced` ones up to READER_SCAN_LIMIT of them."""
    anyway = "or pass --any-graph to ask it anyway"
    if database.lower() == SYSTEM_DATABASE:
        raise GraphCheckError(
            "database 'system' is the server's administration database and holds no imidgraph graph: "
            "choose the database you loaded with --database"
        )
    meta, store = _meta_and_store_counts(driver, database)
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
    found = damage(driver, database, meta, store)
    if found is None and (meta.get("relations") or 0) <= READER_SCAN_LIMIT:
        found = misplaced(driver, database)
    if found is not None:
        raise GraphCheckError(
            f"database {database!r} no longer holds the complete imidgraph graph: it has {found} "
            f"(changed or deleted since the load): run 'imidgraph load' to repair it ({anyway})"
        )
    return meta


# --------------------------------------------------------------------------- reading back


def database_counts(driver: neo4j.Driver, database: str) -> tuple[dict[str, int], dict[str, int]]:
    """Our entities per category label and our relationships per type, as the database holds them."""
    counts = our_counts(driver, database, CATEGORY_LABELS, REL_TYPES)
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
        p.pop(ENDS, None)
        rels[p.get("id")] = {"type": r["type"], "s": r["s"], "o": r["o"], "p": p, "load": load_id}
    return nodes, rels
