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


# --------------------------------------------------------------------------- 2, 3: a damaged archive, a database not online


def _jvm_args(pid: int) -> list[str]:
    from pathlib import Path

    return [a.decode() for a in Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")]


@pytest.mark.neo4j
def test_a_damaged_archive_is_rebuilt_and_a_database_that_does_not_open_is_refused(neo4j_server):
    """2: a class-data archive damaged with its size kept (the check before mapping cannot see
    it) makes the JVM abort at start-up: the start discards it, starts again without it, and
    that JVM writes a new one, mapped at the next start. 3: ``imidgraph neo4j start`` says the
    server runs only once its database is online: a store that does not open is refused in one
    line, at the start and when asked again. (Stops and starts the server: both are about the
    start itself.)"""
    import shutil
    from pathlib import Path

    from imidgraph.neo4j import server as ns
    from imidgraph.neo4j.server import cds
    from imidgraph.neo4j.server.base import CONSOLE_LOG, START_BANNER

    from .conftest import TEST_BOLT_PORT, TEST_HOME, TEST_HTTP_PORT

    home = Path(TEST_HOME)
    env = {**neo4j_server.env(), "IMIDGRAPH_NEO4J_HOME": str(home),
           "IMIDGRAPH_NEO4J_BOLT_PORT": str(TEST_BOLT_PORT), "IMIDGRAPH_NEO4J_HTTP_PORT": str(TEST_HTTP_PORT)}  # fmt: skip
    ns.stop(home)
    [archive] = (home / cds.FOLDER).glob("*.jsa")
    with open(archive, "r+b") as fh:  # fields of its header flipped (what a torn write leaves)
        fh.seek(200)
        fh.write(bytes(b ^ 0xFF for b in fh.read(200)))
    assert cds.intact(archive)  # the size is the noted one
    store = home / "data" / "databases" / "neo4j"
    with open(store / "neostore", "r+b") as fh:  # the store's metadata unreadable
        fh.write(b"\xff" * 4096)
    log = home / CONSOLE_LOG
    launches = log.read_text().count(START_BANNER)

    try:
        result = CliRunner().invoke(main, ["neo4j", "start"], env=env)
        assert result.exit_code == 1, result.output
        line = one_line(result)
        assert line.startswith(f"Error: the server of {home} runs, but its database 'neo4j' is offline (")
        assert "stop the server, remove" in line
        # 2: two launches: the first mapped the archive and died, the second runs without it
        sections = log.read_text().split(START_BANNER)[launches + 1 :]
        assert len(sections) == 2, sections
        assert "An error has occurred while processing the shared archive file." in sections[0]
        pid = ns.status(home).pid
        args = _jvm_args(pid)
        assert f"-XX:ArchiveClassesAtExit={archive}{cds.PART}" in args
        assert not any(a.startswith(cds.MAP_OPTION) for a in args)
        assert not archive.exists()
        # 3, asked again: the server runs, its database is still not online
        again = CliRunner().invoke(main, ["neo4j", "start"], env=env)
        assert again.exit_code == 1 and one_line(again) == line
        assert ns.status(home).pid == pid

        ns.stop(home)
        assert cds.intact(archive)  # 2: rebuilt by the JVM that ran without it
    finally:  # an empty database again, whatever failed
        ns.stop(home)
        shutil.rmtree(store, ignore_errors=True)
        shutil.rmtree(home / "data" / "transactions" / "neo4j", ignore_errors=True)
    info = neo4j_server.start()  # a new, empty database: online
    assert f"{cds.MAP_OPTION}{archive}" in _jvm_args(info.pid)
    assert len(log.read_text().split(START_BANNER)[launches + 1 :]) == 3
