"""`imidgraph load` against the real Neo4j 5.26 server: parity, idempotency, all-or-nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from contextlib import contextmanager
from pathlib import Path

import neo4j
import pytest
from click.testing import CliRunner

from imidgraph import schema, synthetic
from imidgraph.cli import main
from imidgraph.embedded.build import build_graph
from imidgraph.neo4j import connect
from imidgraph.neo4j.bulk import bulk_load
from imidgraph.neo4j.indexes import schema_statements
from imidgraph.neo4j.load import ALREADY_LOADED, load
from imidgraph.neo4j.plan import LoadPlan, StreamedPlan
from imidgraph.neo4j.record import (
    LoadError,
    database_counts,
    encode_counts,
    read_graph,
    read_meta,
    store_counts,
    store_counts_query,
)
from imidgraph.neo4j.vocabulary import (
    ENTITY_LABEL,
    META_KEY,
    REL_TYPES,
    RELATION_INDEX_PREFIX,
    RELATION_INDEXES,
)
from imidgraph.properties import edge_properties_from_stored, node_properties_from_stored
from imidgraph.validate import load_facts

from .conftest import SEEDS
from .tcp_proxy import CuttingProxy

pytestmark = pytest.mark.neo4j

# what the driver raises when the connection or the server goes away
LOST = (neo4j.exceptions.ServiceUnavailable, neo4j.exceptions.SessionExpired)


@pytest.fixture(scope="module")
def facts():
    return load_facts(SEEDS)


def cli(server, *args: str, env: dict | None = None):
    return CliRunner().invoke(main, list(args), env={**server.env(), **(env or {})}, catch_exceptions=False)


@contextmanager
def restarted(server):
    """After a kill: start the server again (crash recovery runs) and connect."""
    server.start()
    driver = connect.connect(server.settings)
    try:
        yield driver
    finally:
        driver.close()


def snapshot(driver) -> tuple[dict, dict, dict | None]:
    nodes, rels = read_graph(driver, "neo4j")
    return nodes, rels, read_meta(driver, "neo4j")


def assert_parity(driver, facts) -> None:
    """Neo4j holds exactly the embedded graph: labels, types, endpoints, every property; and
    every node and relationship carries the owner property, the content hash of this load."""
    graph = build_graph(facts)
    load_id = LoadPlan.from_facts(facts).content_hash
    nodes, rels = read_graph(driver, "neo4j")
    assert set(nodes) == set(graph.nodes)
    for node_id, data in graph.nodes(data=True):
        assert nodes[node_id]["labels"] == sorted([ENTITY_LABEL, data["category"]]), node_id
        assert nodes[node_id]["load"] == load_id, node_id
        assert node_properties_from_stored(nodes[node_id]["p"]) == data, node_id
    edges = {key: (s, o, data) for s, o, key, data in graph.edges(keys=True, data=True)}
    assert set(rels) == set(edges)
    for rel_id, (s, o, data) in edges.items():
        stored = rels[rel_id]
        assert (stored["type"], stored["s"], stored["o"]) == (schema.rel_type(data["predicate"]), s, o)
        assert edge_properties_from_stored(stored["p"]) == data, rel_id
        assert stored["load"] == load_id, rel_id
    labels, types = database_counts(driver, "neo4j")
    stats = {}
    for relation in facts.relations:
        key = schema.rel_type(relation.predicate)
        stats[key] = stats.get(key, 0) + 1
    assert types == stats
    assert sum(labels.values()) == len(facts.entities)


def test_load_gives_exactly_the_embedded_graph(neo4j_server, neo4j_db, facts):
    result = cli(neo4j_server, "load")
    assert result.exit_code == 0, result.output
    assert f"loaded {len(facts.entities)} entities and {len(facts.relations)} relations" in result.output
    assert "single transaction" in result.output
    assert_parity(neo4j_db, facts)
    meta = read_meta(neo4j_db, "neo4j")
    assert meta["status"] == "complete"
    assert meta["content_hash"] == LoadPlan.from_facts(facts).content_hash


def test_load_creates_the_constraints_and_indexes(neo4j_server, neo4j_db):
    assert cli(neo4j_server, "load").exit_code == 0
    constraints = {
        (r["type"], r["labelsOrTypes"][0], r["properties"][0])
        for r in neo4j_db.execute_query("SHOW CONSTRAINTS YIELD labelsOrTypes, properties, type").records
    }
    # unique only on our own labels: nothing that can reject anybody else's data
    assert constraints == {("UNIQUENESS", "Imidgraph", "id"), ("UNIQUENESS", "ImidgraphLoad", "key")}
    indexes = {
        r["name"]: (r["entityType"], r["labelsOrTypes"])
        for r in neo4j_db.execute_query("SHOW INDEXES YIELD name, entityType, labelsOrTypes, type "
                                        "WHERE type <> 'LOOKUP'").records  # fmt: skip
    }
    assert {"imidgraph_entity_name", "imidgraph_entity_names", "imidgraph_entity_search"} <= set(indexes)
    # the search's two relationship indexes read only search_text (no index can reject data),
    # each over its own half of our types, together over all of them, none twice

    halves = [indexes.pop(name) for name in RELATION_INDEXES]
    assert [entity_type for entity_type, _ in halves] == ["RELATIONSHIP", "RELATIONSHIP"]
    assert sorted(t for _, types in halves for t in types) == sorted(REL_TYPES)
    assert all(len(types) >= len(REL_TYPES) // 2 for _, types in halves)
    assert all(v == ("NODE", ["Imidgraph"]) or v == ("NODE", ["ImidgraphLoad"]) for v in indexes.values()), indexes
    hits = neo4j_db.execute_query(
        "CALL db.index.fulltext.queryNodes('imidgraph_entity_names', 'Aiolos') YIELD node RETURN node.name AS name"
    ).records
    assert hits[0]["name"] == "IKZF3"


def test_a_load_drops_our_superseded_search_index_and_nothing_else(neo4j_server, neo4j_db):
    """The one relationship index of earlier versions (named after every type) goes; a user's
    index, even on our property, stays."""

    old = RELATION_INDEX_PREFIX + "0ld1ndex"
    neo4j_db.execute_query(f"CREATE FULLTEXT INDEX {old} FOR ()-[r:{'|'.join(REL_TYPES)}]-() ON EACH [r.search_text]")
    neo4j_db.execute_query("CREATE FULLTEXT INDEX users_own FOR ()-[r:INCREASES]-() ON EACH [r.search_text]")
    assert cli(neo4j_server, "load").exit_code == 0
    names = {r["name"] for r in neo4j_db.execute_query("SHOW INDEXES YIELD name").records}
    assert old not in names and "users_own" in names and set(RELATION_INDEXES) <= names


def test_the_count_store_read_two_ways_gives_the_same_counts(neo4j_server, neo4j_db, facts):
    """The instant check reads the counts with GRAPH COUNTS (nothing to plan); a user who may
    not call it gets them from the counts query: the same string either way."""
    from neo4j import exceptions

    assert cli(neo4j_server, "load").exit_code == 0
    by_query = encode_counts(dict(neo4j_db.execute_query(store_counts_query()).records[0]["counts"]))
    assert store_counts(neo4j_db, "neo4j") == by_query
    assert json.loads(by_query)[":Imidgraph"] == len(facts.entities)

    class Refusing:  # a driver of a user without the right to call db.stats.retrieve
        def execute_query(self, query, *args, **kwargs):
            if "db.stats.retrieve" in query:
                raise exceptions.Neo4jError._hydrate_neo4j(code="Neo.ClientError.Security.Forbidden", message="no")
            return neo4j_db.execute_query(query, *args, **kwargs)

    assert store_counts(Refusing(), "neo4j") == by_query


def test_a_second_load_changes_nothing(neo4j_server, neo4j_db, facts):
    assert cli(neo4j_server, "load").exit_code == 0
    before = snapshot(neo4j_db)
    element_ids = neo4j_db.execute_query("MATCH (n) RETURN collect(elementId(n)) AS e").records[0]["e"]
    result = load(neo4j_db, LoadPlan.from_facts(facts))
    assert not result.changed, result.counters
    assert snapshot(neo4j_db) == before
    assert neo4j_db.execute_query("MATCH (n) RETURN collect(elementId(n)) AS e").records[0]["e"] == element_ids
    again = cli(neo4j_server, "load")
    assert "no changes" in again.output


def test_invalid_seeds_write_nothing(neo4j_server, neo4j_db, tiny):
    seeds = tiny("relations/mechanism.yaml", "predicate: binds", "predicate: bind")
    result = cli(neo4j_server, "--seeds", str(seeds), "load")
    assert result.exit_code == 1
    assert "invalid seeds" in result.output and "mechanism.yaml" in result.output
    assert neo4j_db.execute_query("MATCH (n) RETURN count(n) AS n").records[0]["n"] == 0


def test_a_different_graph_is_refused_without_replace_and_swapped_with_it(neo4j_server, neo4j_db, facts, tiny):
    assert cli(neo4j_server, "--seeds", str(tiny()), "load").exit_code == 0
    tiny_state = snapshot(neo4j_db)
    refused = cli(neo4j_server, "load")
    assert refused.exit_code == 1
    assert "holds a different imidgraph graph" in refused.output and "--replace" in refused.output
    assert len(refused.output.strip().splitlines()) == 1
    assert snapshot(neo4j_db) == tiny_state
    swapped = cli(neo4j_server, "load", "--replace")
    assert swapped.exit_code == 0, swapped.output
    assert_parity(neo4j_db, facts)  # nothing of the tiny graph is left


def test_replace_in_batched_mode_leaves_no_mix(neo4j_db, facts, tiny):
    small = load_facts(tiny())
    load(neo4j_db, LoadPlan.from_facts(small))
    result = load(
        neo4j_db, LoadPlan.from_facts(facts), replace=True, batch_size=100, max_transaction_rows=0
    )
    assert result.mode == "batched"
    assert_parity(neo4j_db, facts)
    assert read_meta(neo4j_db, "neo4j")["status"] == "complete"


def test_unknown_entity_nodes_are_not_mixed_in(neo4j_server, neo4j_db):
    neo4j_db.execute_query("CREATE (:Imidgraph {id: 'X:1', name: 'not ours'})")
    result = cli(neo4j_server, "load")
    assert result.exit_code == 1
    assert "no imidgraph load recorded" in result.output


# --------------------------------------------------------------------------- failures half-way


def test_lost_connection_in_a_single_transaction_leaves_the_database_as_before(neo4j_server, neo4j_db, facts, tiny):
    small = load_facts(tiny())
    load(neo4j_db, LoadPlan.from_facts(small))
    before = snapshot(neo4j_db)
    proxy = CuttingProxy(("127.0.0.1", int(neo4j_server.info.bolt_uri.rsplit(":", 1)[1])))
    settings = connect.Settings(uri=proxy.uri, user="neo4j", password=neo4j_server.info.password)
    through_proxy = connect.connect(settings, max_transaction_retry_time=1.0)
    batches = []

    def progress(n: int) -> None:
        batches.append(n)
        if len(batches) == 3:
            proxy.cut()

    with pytest.raises(LOST) as failure:
        load(through_proxy, LoadPlan.from_facts(facts), replace=True, batch_size=40, progress=progress)
    through_proxy.close()
    assert "cannot reach Neo4j" in str(connect.translate(failure.value, settings))
    assert len(batches) == 3
    assert snapshot(neo4j_db) == before  # nothing of the interrupted load was committed
    load(neo4j_db, LoadPlan.from_facts(facts), replace=True)
    assert_parity(neo4j_db, facts)


def kill_after(server, batches: int):
    """A load progress callback that kills the server (SIGKILL) after that many batches."""
    done = []

    def progress(n: int) -> None:
        done.append(n)
        if len(done) == batches:
            server.kill()

    return progress


def test_server_killed_in_a_single_transaction_leaves_the_database_as_before(neo4j_server, neo4j_db, facts, tiny):
    small = load_facts(tiny())
    load(neo4j_db, LoadPlan.from_facts(small))
    before = snapshot(neo4j_db)
    with pytest.raises(LOST):
        load(neo4j_db, LoadPlan.from_facts(facts), replace=True, batch_size=40,
                    progress=kill_after(neo4j_server, 4))  # fmt: skip
    with restarted(neo4j_server) as driver:
        assert snapshot(driver) == before
        load(driver, LoadPlan.from_facts(facts), replace=True)
        assert_parity(driver, facts)


def test_server_killed_in_a_batched_load_is_marked_incomplete_and_finished_by_a_rerun(neo4j_server, neo4j_db, facts):
    plan = synthetic.generate(facts, relations=6_000, entities=600)
    with pytest.raises(LOST):
        load(neo4j_db, plan, batch_size=500, max_transaction_rows=0, progress=kill_after(neo4j_server, 5))
    with restarted(neo4j_server) as driver:
        meta = read_meta(driver, "neo4j")
        assert meta["status"] == "loading" and meta["content_hash"] == plan.content_hash
        nodes, rels = read_graph(driver, "neo4j")
        assert 0 < len(nodes) + len(rels) < plan.rows  # committed batches stay until the re-run
        result = load(driver, plan, batch_size=500, max_transaction_rows=0)
        assert read_meta(driver, "neo4j")["status"] == "complete"
        # the full-text indexes, created after the rows in a batched load, are there and online
        states = {r["name"]: r["state"] for r in driver.execute_query("SHOW INDEXES YIELD name, state").records}
        assert all(states.get(name) == "ONLINE" for name in schema_statements()), states
        assert result.labels == plan.label_counts() and result.types == plan.type_counts()
        nodes, rels = read_graph(driver, "neo4j")
        assert {i: n["p"] for i, n in nodes.items()} == {
            row["id"]: row["p"] for _, rows in plan.node_groups() for row in rows
        }
        assert {i: (r["type"], r["s"], r["o"], r["p"]) for i, r in rels.items()} == {
            row["id"]: (t, row["s"], row["o"], row["p"]) for t, rows in plan.relationship_groups() for row in rows
        }


# --------------------------------------------------------------------------- connection errors


def one_line_error(result) -> str:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    lines = result.output.strip().splitlines()
    assert len(lines) == 1, result.output
    return lines[0]


def test_unreachable_server_is_one_line(neo4j_server):
    line = one_line_error(cli(neo4j_server, "load", env={"NEO4J_URI": "bolt://127.0.0.1:1"}))
    assert "cannot reach Neo4j at bolt://127.0.0.1:1" in line


def test_wrong_password_is_one_line(neo4j_server):
    # another user name: Neo4j locks a user out for a while after failed logins
    line = one_line_error(cli(neo4j_server, "load", "--user", "nobody", "--password", "wrong-password"))
    assert "refused user 'nobody': wrong user name or password" in line


def test_missing_database_is_one_line(neo4j_server):
    line = one_line_error(cli(neo4j_server, "load", "--database", "nosuchdb"))
    assert "has no database 'nosuchdb'" in line


def test_bad_uri_scheme_is_one_line(neo4j_server):
    line = one_line_error(cli(neo4j_server, "load", "--uri", "http://127.0.0.1:7474"))
    assert "invalid Neo4j URI" in line


def test_tls_scheme_against_a_plain_server_is_one_line(neo4j_server):
    # a real process: the driver's own log lines must not reach the terminal either
    port = neo4j_server.info.bolt_uri.rsplit(":", 1)[1]
    done = subprocess.run(
        [sys.executable, "-m", "imidgraph.cli", "load", "--uri", f"neo4j+s://127.0.0.1:{port}"],
        env={**os.environ, **neo4j_server.env()},
        capture_output=True,
        text=True,
        timeout=120,
    )
    assert done.returncode == 1
    assert done.stdout == ""
    lines = done.stderr.strip().splitlines()
    assert len(lines) == 1, done.stderr
    assert f"Error: cannot reach Neo4j at neo4j+s://127.0.0.1:{port}" in lines[0]


def test_counts_that_do_not_add_up_fail_the_load_and_commit_nothing(neo4j_db, facts):
    plan = LoadPlan.from_facts(facts)
    broken = {t: [dict(r) for r in rows] for t, rows in plan.relationships.items()}
    first = next(iter(broken.values()))[0]
    first["o"] = "NOT:IN-THE-PLAN"  # its MATCH finds no node: one relationship goes missing
    with pytest.raises(LoadError, match=r"after writing, the database has \d+ \[:\w+\] instead of \d+; nothing was committed"):
        load(neo4j_db, LoadPlan(plan.nodes, broken))
    assert neo4j_db.execute_query("MATCH (n) RETURN count(n) AS n").records[0]["n"] == 0


# --------------------------------------------------------------------------- re-loads (issue 15)


def test_a_reload_of_the_same_graph_is_checked_not_written(neo4j_server, neo4j_db, facts):
    """The record (content hash, complete, counts) and the count store match: nothing is sent.
    Anything else takes the full path; --force always does."""
    plan = synthetic.generate(facts, relations=3_000, entities=300)
    first = load(neo4j_db, plan, batch_size=500, max_transaction_rows=0)
    assert first.mode == "batched" and first.changed
    before = snapshot(neo4j_db)
    again = load(neo4j_db, plan, batch_size=500, max_transaction_rows=0)
    assert again.mode == ALREADY_LOADED and not again.changed
    assert (again.labels, again.types) == (first.labels, first.types)
    assert snapshot(neo4j_db) == before

    # an outside edit that leaves every count as it was: unseen by the check, repaired by --force
    some_id = next(iter(before[0]))
    neo4j_db.execute_query("MATCH (n:Imidgraph {id: $id}) SET n.name = 'edited'", id=some_id)
    assert load(neo4j_db, plan).mode == ALREADY_LOADED
    forced = load(neo4j_db, plan, force=True, batch_size=500, max_transaction_rows=0)
    assert forced.mode == "batched" and forced.counters["properties_set"] > 0
    assert snapshot(neo4j_db) == before

    # a count that moved (a user's node with one of our category labels): the full path, no change
    neo4j_db.execute_query("CREATE (:Drug {name: 'mine'})")
    full = load(neo4j_db, plan, batch_size=500, max_transaction_rows=0)
    assert full.mode == "batched" and not full.changed
    assert load(neo4j_db, plan).mode == ALREADY_LOADED  # the record has the new counts
    # a record still marked loading: the full path
    neo4j_db.execute_query("MATCH (m:ImidgraphLoad {key: 'current'}) SET m.status = 'loading'")
    assert load(neo4j_db, plan, batch_size=500, max_transaction_rows=0).mode == "batched"
    assert read_meta(neo4j_db, "neo4j")["status"] == "complete"


def test_the_cli_says_no_changes_for_a_checked_reload(neo4j_server, neo4j_db, facts):
    assert cli(neo4j_server, "load").exit_code == 0
    again = cli(neo4j_server, "load")
    assert again.exit_code == 0 and f"({ALREADY_LOADED}," in again.output
    assert "no changes" in again.output
    forced = cli(neo4j_server, "load", "--force")
    assert "(single transaction," in forced.output and "no changes" in forced.output
    assert_parity(neo4j_db, facts)


# --------------------------------------------------------------------------- --bulk (issue 15)


def bulk_cli(server, *args: str):
    from .conftest import TEST_HOME

    return cli(server, "load", "--bulk", *args, env={"IMIDGRAPH_NEO4J_HOME": TEST_HOME})


def test_bulk_into_an_empty_database_gives_the_embedded_graph(neo4j_server, neo4j_db, facts):
    result = bulk_cli(neo4j_server)
    assert result.exit_code == 0, result.output
    assert "(bulk import," in result.output
    with restarted(neo4j_server) as driver:
        assert_parity(driver, facts)  # every property, empty strings and lists included, and the owner
        meta = read_meta(driver, "neo4j")
        assert meta["status"] == "complete" and meta["content_hash"] == LoadPlan.from_facts(facts).content_hash
        # the counts --bulk recorded (from GRAPH COUNTS) are those the instant check reads
        stored = driver.execute_query("MATCH (m:ImidgraphLoad {key: $k}) RETURN m.store_counts AS c", k=META_KEY)
        assert stored.records[0]["c"] == store_counts(driver, "neo4j")
        constraints = {r["name"] for r in driver.execute_query("SHOW CONSTRAINTS YIELD name").records}
        assert constraints == {"imidgraph_entity_id", "imidgraph_load_key"}
        again = cli(neo4j_server, "load")
        assert f"({ALREADY_LOADED}," in again.output and "no changes" in again.output
        forced = load(driver, LoadPlan.from_facts(facts), force=True)
        assert not forced.changed, forced.counters  # what the import wrote is what a load writes


LINE_BREAKS = "first line\nsecond line\r\nthird"


def with_line_breaks(plan: StreamedPlan) -> StreamedPlan:
    """The same streamed plan with line breaks inside one value (the paraphrase of the first
    relationship row)."""

    def rows(group, first):
        for n, row in enumerate(group):
            yield dict(row, p={**row["p"], "paraphrase": LINE_BREAKS}) if first and n == 0 else row

    return StreamedPlan(
        plan.label_counts(), plan.type_counts(), plan.node_groups,
        lambda: ((t, rows(group, i == 0)) for i, (t, group) in enumerate(plan.relationship_groups())),
    )  # fmt: skip


def test_bulk_of_a_generated_graph_keeps_line_breaks_and_online_loads_change_nothing(neo4j_server, neo4j_db, facts):
    """One import checked for two things: a generated graph streamed into the importer arrives
    row for row, and a value with line breaks (the importer then reads fields over several
    lines) arrives as it was, every other row too; then online loads find nothing to change."""

    from .conftest import TEST_HOME

    plan = with_line_breaks(synthetic.generate(facts, relations=4_000, entities=400))
    result = bulk_load(neo4j_server.settings, plan, Path(TEST_HOME))
    assert result.mode == "bulk import"
    with restarted(neo4j_server) as driver:
        nodes, rels = read_graph(driver, "neo4j")
        assert {i: n["p"] for i, n in nodes.items()} == {row["id"]: row["p"] for _, rows in plan.node_groups() for row in rows}
        assert {i: (r["type"], r["s"], r["o"], r["p"]) for i, r in rels.items()} == {
            row["id"]: (t, row["s"], row["o"], row["p"]) for t, rows in plan.relationship_groups() for row in rows
        }
        broken = [r["p"]["paraphrase"] for r in rels.values() if "\n" in r["p"].get("paraphrase", "")]
        assert broken == [LINE_BREAKS]
        assert {n["load"] for n in nodes.values()} | {r["load"] for r in rels.values()} == {plan.content_hash}
        assert load(driver, plan).mode == ALREADY_LOADED
        forced = load(driver, plan, force=True, batch_size=1_000, max_transaction_rows=0)
        assert not forced.changed, forced.counters


def test_bulk_refuses_a_database_that_is_not_empty(neo4j_server, neo4j_db):
    from tests.test_ownership import fingerprint

    neo4j_db.execute_query("CREATE (:Person {name: 'Ada'})")
    before = fingerprint(neo4j_db)
    line = one_line_error(bulk_cli(neo4j_server))
    assert "database 'neo4j' is not empty (1 nodes, 0 relationships)" in line and "without --bulk" in line
    assert fingerprint(neo4j_db) == before
    neo4j_db.execute_query("MATCH (n) DELETE n")
    neo4j_db.execute_query("CREATE INDEX my_index FOR (p:Person) ON (p.name)")
    line = one_line_error(bulk_cli(neo4j_server))
    assert "indexes my_index" in line


def test_bulk_refuses_any_other_server(neo4j_server):
    line = one_line_error(bulk_cli(neo4j_server, "--uri", "bolt://127.0.0.1:1"))
    assert "--bulk imports only into the local server that 'imidgraph neo4j start' runs" in line


def test_a_failed_bulk_import_leaves_no_graph_and_a_load_recovers(neo4j_server, neo4j_db, facts):

    from .conftest import TEST_HOME

    plan = LoadPlan.from_facts(facts)
    broken = {t: [dict(r) for r in rows] for t, rows in plan.relationships.items()}
    next(iter(broken.values()))[0]["o"] = "NOT:IN-THE-PLAN"  # the importer refuses a relationship to no node
    with pytest.raises(LoadError, match="neo4j-admin database import failed"):
        bulk_load(neo4j_server.settings, LoadPlan(plan.nodes, broken), Path(TEST_HOME))
    with restarted(neo4j_server) as driver:
        assert read_meta(driver, "neo4j") is None  # never a record of a graph that is not there
        load(driver, plan, replace=True)
        assert_parity(driver, facts)


def test_a_plan_the_csv_cannot_hold_is_refused_and_the_server_runs_again(neo4j_server, neo4j_db, facts):
    """The server stops while the CSV is written; a value the CSV cannot hold fails the load in
    one line before the import, and the server is running again with the database as it was."""
    from imidgraph.neo4j import server as server_control

    from .conftest import TEST_HOME

    plan = LoadPlan.from_facts(facts)
    broken = {t: [dict(r) for r in rows] for t, rows in plan.relationships.items()}
    row = next(iter(broken.values()))[0]
    row["p"] = {**row["p"], "q_extra": ["a\x1fb"]}  # the list delimiter inside an item
    with pytest.raises(LoadError, match="ASCII unit separator"):
        bulk_load(neo4j_server.settings, LoadPlan(plan.nodes, broken), Path(TEST_HOME))
    assert server_control.status(Path(TEST_HOME)).running
    with restarted(neo4j_server) as driver:
        assert read_meta(driver, "neo4j") is None
        assert driver.execute_query("MATCH (n) RETURN count(n) AS n").records[0]["n"] == 0
