"""Issue 23's last items, on the real server: a swap of one of our relationships that no count
shows, a damaged class-data archive at start-up, a server whose database is not online, and a
plain load that starts while ``load --bulk`` holds the load lock."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from imidgraph.cli import main
from imidgraph.neo4j.load import ALREADY_LOADED, load
from imidgraph.neo4j.plan import LoadPlan
from imidgraph.neo4j.record import (
    GraphCheckError,
    check_graph,
    our_counts,
    read_graph,
    read_meta,
    store_counts,
)
from imidgraph.validate import load_facts

LENALIDOMIDE = "CHEBI:63791"


def cli(server, *args: str):
    return CliRunner().invoke(main, list(args), env=server.env(), catch_exceptions=False)


def one_line(result) -> str:
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1, result.output
    return lines[0]


def _ours(driver, rel_type: str) -> list[dict]:
    _, rels = read_graph(driver, "neo4j")
    return [r for r in rels.values() if r["type"] == rel_type]


# --------------------------------------------------------------------------- 1: a swap no count shows


@pytest.mark.neo4j
def test_a_relationship_of_ours_swapped_for_a_copy_between_two_other_nodes_is_seen(neo4j_server, neo4j_db, tiny):
    """Our lenalidomide -DEGRADES-> CSNK1A1 deleted, and a DEGRADES with every one of its
    properties (our marks included) created between two other nodes of ours: every count of
    ours, per label and type, anchored or not, is as the load left it. Readers refuse in one
    line, the instant re-load check does not say "already held", and the load repairs it."""
    seeds = tiny()
    plan = LoadPlan.from_facts(load_facts(seeds))
    load(neo4j_db, plan)
    [degrades] = _ours(neo4j_db, "DEGRADES")
    assert (degrades["s"], degrades["o"]) == (LENALIDOMIDE, "HGNC:2451")
    before = store_counts(neo4j_db, "neo4j")
    neo4j_db.execute_query(
        "MATCH (:Imidgraph {id: $s})-[r:DEGRADES]->(:Imidgraph {id: $o}) "
        "MATCH (a:Imidgraph {name: 'pomalidomide'}), (b:Imidgraph {name: 'CRBN'}) "
        "CREATE (a)-[c:DEGRADES]->(b) SET c = properties(r) DELETE r",
        s=LENALIDOMIDE, o="HGNC:2451",
    )
    assert store_counts(neo4j_db, "neo4j") == before == read_meta(neo4j_db, "neo4j")["store_counts"]
    assert our_counts(neo4j_db, "neo4j", ["Imidgraph"], ["DEGRADES"]) == {"Imidgraph": 7, "DEGRADES": 1}

    with pytest.raises(GraphCheckError, match=r"it has a \[:DEGRADES\] relationship of imidgraph loaded from "
                       rf"{LENALIDOMIDE} to HGNC:2451, now from CHEBI:72690 to HGNC:30185"):  # fmt: skip
        check_graph(neo4j_db, "neo4j", plan.content_hash)
    result = cli(neo4j_server, "query", "drug_targets", "-p", "drug=lenalidomide", "--backend", "neo4j",
                 "--seeds", str(seeds))  # fmt: skip
    assert result.exit_code == 1, result.output
    assert "no longer holds the complete imidgraph graph: it has a [:DEGRADES] relationship" in one_line(result)

    repaired = load(neo4j_db, plan)
    assert repaired.mode != ALREADY_LOADED
    assert (repaired.counters["relationships_created"], repaired.counters["relationships_deleted"]) == (1, 1)
    [degrades] = _ours(neo4j_db, "DEGRADES")
    assert (degrades["s"], degrades["o"]) == (LENALIDOMIDE, "HGNC:2451")
    assert check_graph(neo4j_db, "neo4j", plan.content_hash)["status"] == "complete"
    assert load(neo4j_db, plan).mode == ALREADY_LOADED


# --------------------------------------------------------------------------- 4: a plain load while --bulk holds the lock


def _blocked_on_the_lock(driver) -> bool:
    """Whether a transaction waits for the load lock (another load holds it)."""
    from imidgraph.neo4j.vocabulary import META_LABEL

    rows = driver.execute_query("SHOW TRANSACTIONS YIELD currentQuery, status").records
    return any(f"MERGE (l:{META_LABEL}" in (r["currentQuery"] or "") and r["status"].startswith("Blocked") for r in rows)


@pytest.mark.neo4j
def test_a_plain_load_waiting_for_bulk_fails_in_one_line_and_bulk_imports(neo4j_server, neo4j_db, tiny, monkeypatch):
    """A plain load started while ``load --bulk`` holds the load lock waits for it; when --bulk
    stops the server to import, the plain load fails with one line that says why (nothing
    written), and --bulk is not spoilt by it: it imports, and the plain load run again finds
    the graph there. (Stops and starts the server: the race is with --bulk's stop.)"""
    import threading
    import time
    from pathlib import Path

    from imidgraph.neo4j import bulk, bulk_checks

    from .conftest import TEST_HOME

    seeds = tiny()
    plan = LoadPlan.from_facts(load_facts(seeds))
    checked, outcome = threading.Event(), {}
    real_check, real_stop = bulk.refuse_unless_empty, bulk.server.stop

    def check_then_say_so(driver):
        real_check(driver)
        checked.set()

    def stop_once_the_plain_load_waits(home):
        deadline = time.monotonic() + 120
        while not _blocked_on_the_lock(neo4j_db) and time.monotonic() < deadline:
            time.sleep(0.1)
        outcome["waited"] = _blocked_on_the_lock(neo4j_db)
        return real_stop(home)

    monkeypatch.setattr(bulk, "refuse_unless_empty", check_then_say_so)
    monkeypatch.setattr(bulk.server, "stop", stop_once_the_plain_load_waits)
    assert bulk_checks.refuse_unless_empty is not check_then_say_so

    def run_bulk():
        try:
            outcome["bulk"] = bulk.bulk_load(neo4j_server.settings, plan, Path(TEST_HOME))
        except Exception as e:  # noqa: BLE001 - the assertion below shows it
            outcome["bulk"] = e

    thread = threading.Thread(target=run_bulk)
    thread.start()
    try:
        assert checked.wait(120)
        plain = cli(neo4j_server, "load", "--seeds", str(seeds))
    finally:
        thread.join(300)
    assert outcome.get("waited"), outcome
    assert plain.exit_code == 1, plain.output
    assert one_line(plain) == (
        "Error: the server went away while this load waited for another load to finish (a 'load --bulk' "
        "stops the server to import): nothing was written; run the load again once the server is back"
    )
    assert not isinstance(outcome["bulk"], Exception), outcome["bulk"]
    assert outcome["bulk"].mode == "bulk import"
    neo4j_server.start()
    again = cli(neo4j_server, "load", "--seeds", str(seeds))
    assert again.exit_code == 0 and "no changes: the database already held exactly this graph" in again.output
