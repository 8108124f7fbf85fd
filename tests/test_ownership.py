"""imidgraph shares the database with other data (Neo4j Community has one user database).

Everything imidgraph writes is recognisably its own (nodes ``:Imidgraph``, relationships with
the ``imidgraph_load`` owner property); loads, re-loads and ``--replace`` leave everything else
exactly as it was, our constraints never reject anybody else's data, a failed load takes back
the constraints and indexes it created, two loads at once do not collide, and the commands
that read the graph from Neo4j first check that it is the graph of their seeds.
"""

from __future__ import annotations

import json
import threading
import time

import pytest

from imidgraph.neo4j import connect
from imidgraph.neo4j.load import DEFAULT_MAX_TRANSACTION_ROWS, LoadResult, load
from imidgraph.neo4j.plan import LoadPlan
from imidgraph.neo4j.record import LoadError, read_meta
from imidgraph.validate import load_facts

from .conftest import SEEDS
from .test_neo4j import assert_parity, cli, one_line_error

pytestmark = pytest.mark.neo4j

LENALIDOMIDE, CSNK1A1, CRBN = "CHEBI:63791", "HGNC:2451", "HGNC:30185"  # in the curated and the tiny seeds


@pytest.fixture(scope="module")
def facts():
    return load_facts(SEEDS)


def add_other_data(driver, facts) -> None:
    """Somebody else's data, built to collide with ours: our labels without :Imidgraph, our ids
    (twice: a uniqueness constraint of ours on them could not even be created), our
    relationship types with and without ids (ours, twice), and data of an unrelated kind."""
    plan = LoadPlan.from_facts(facts)
    disease = next(row["id"] for row in plan.nodes["Disease"])
    rel_id = plan.relationships["DEGRADES"][0]["id"]
    driver.execute_query(
        """
        CREATE (e1:Entity {id: $drug, name: 'my lenalidomide'}), (e2:Entity {id: $drug, name: 'again'})
        CREATE (d:Drug {id: $drug, name: 'lenalidomide', category: 'Drug'})
        CREATE (x:Disease {id: $disease, name: 'my disease'})
        CREATE (g:Gene {id: $gene, name: 'CSNK1A1', synonyms: ['CK1a']}), (c:Complex {id: 'mine:ligase'})
        CREATE (c)-[:HAS_PART]->(g), (c)-[:HAS_PART {since: 2019}]->(d)
        CREATE (d)-[:DEGRADES {id: $rel, predicate: 'degrades'}]->(g), (e1)-[:DEGRADES {id: $rel}]->(g)
        CREATE (e1)-[:SUBCLASS_OF]->(e2)
        CREATE (a:Person {name: 'Ada', born: 1815})-[:KNOWS {since: date('1833-06-05')}]->(b:Person {name: 'Charles'})
        CREATE (:Entity:Gene {id: 'X:1', verified: true})
        """,
        drug=LENALIDOMIDE,
        disease=disease,
        gene=CSNK1A1,
        rel=rel_id,
    )


def fingerprint(driver) -> tuple[list, list]:
    """Every node and relationship that is not imidgraph's: identity, labels, type, properties
    and ends (a user's relationship between two of our nodes counts as theirs)."""
    nodes = driver.execute_query(
        "MATCH (n) WHERE NOT n:Imidgraph AND NOT n:ImidgraphLoad "
        "RETURN elementId(n) AS e, labels(n) AS labels, properties(n) AS p"
    ).records
    rels = driver.execute_query(
        "MATCH (a)-[r]->(b) WHERE r.imidgraph_load IS NULL "
        "RETURN elementId(r) AS e, type(r) AS type, properties(r) AS p, elementId(a) AS a, elementId(b) AS b"
    ).records
    return (
        sorted((r["e"], sorted(r["labels"]), sorted(r["p"].items())) for r in nodes),
        sorted((r["e"], r["type"], sorted(r["p"].items()), r["a"], r["b"]) for r in rels),
    )


def schema_of(driver) -> set[tuple]:
    constraints = driver.execute_query("SHOW CONSTRAINTS YIELD name, type").records
    indexes = driver.execute_query("SHOW INDEXES YIELD name, type").records
    return {("constraint", r["name"], r["type"]) for r in constraints} | {
        ("index", r["name"], r["type"]) for r in indexes
    }


# --------------------------------------------------------------------------- other data


def test_load_reload_and_replace_leave_other_data_exactly_as_it_was(neo4j_server, neo4j_db, facts, tiny):
    add_other_data(neo4j_db, facts)
    before = fingerprint(neo4j_db)
    loaded = cli(neo4j_server, "load")
    assert loaded.exit_code == 0, loaded.output
    assert_parity(neo4j_db, facts)
    assert fingerprint(neo4j_db) == before
    # a user's relationships between two of our nodes that stay: theirs, kept through it all
    neo4j_db.execute_query(
        "MATCH (a:Imidgraph {id: $a}), (b:Imidgraph {id: $b}) "
        "CREATE (a)-[:BINDS {note: 'my own reading'}]->(b), (a)-[:LIKES]->(b)",
        a=LENALIDOMIDE,
        b=CRBN,
    )
    before = fingerprint(neo4j_db)
    again = cli(neo4j_server, "load")
    assert again.exit_code == 0, again.output
    assert "no changes" in again.output
    assert fingerprint(neo4j_db) == before
    small = cli(neo4j_server, "--seeds", str(tiny()), "load", "--replace")
    assert small.exit_code == 0, small.output
    assert_parity(neo4j_db, load_facts(tiny()))
    assert fingerprint(neo4j_db) == before
    back = load(neo4j_db, LoadPlan.from_facts(facts), replace=True, batch_size=100,
                       max_transaction_rows=0)  # fmt: skip
    assert back.mode == "batched"
    assert_parity(neo4j_db, facts)
    assert fingerprint(neo4j_db) == before


def test_our_constraints_never_reject_other_data(neo4j_server, neo4j_db, facts):
    assert cli(neo4j_server, "load").exit_code == 0
    plan = LoadPlan.from_facts(facts)
    rel_id = plan.relationships["DEGRADES"][0]["id"]
    # our ids on their nodes and relationships, even between our own nodes
    neo4j_db.execute_query(
        "CREATE (:Drug {id: $drug})-[:DEGRADES {id: $rel}]->(:Entity {id: $drug})-[:DEGRADES {id: $rel}]->(:Gene)",
        drug=LENALIDOMIDE,
        rel=rel_id,
    )
    neo4j_db.execute_query(
        "MATCH (a:Imidgraph {id: $a}), (b:Imidgraph {id: $b}) CREATE (a)-[:DEGRADES {id: $rel}]->(b)",
        a=LENALIDOMIDE,
        b=CSNK1A1,
        rel=rel_id,
    )
    before = fingerprint(neo4j_db)
    again = cli(neo4j_server, "load")
    assert again.exit_code == 0, again.output
    assert "no changes" in again.output
    assert fingerprint(neo4j_db) == before
    assert_parity(neo4j_db, facts)


def test_a_failed_load_drops_the_constraints_and_indexes_it_created_and_only_those(neo4j_db, facts):
    neo4j_db.execute_query("CREATE CONSTRAINT person_name FOR (p:Person) REQUIRE p.name IS UNIQUE")
    neo4j_db.execute_query("CREATE INDEX drug_name FOR (d:Drug) ON (d.name)")
    before = schema_of(neo4j_db)
    plan = LoadPlan.from_facts(facts)
    broken = {t: [dict(r) for r in rows] for t, rows in plan.relationships.items()}
    next(iter(broken.values()))[0]["o"] = "NOT:IN-THE-PLAN"  # a relation to a missing node
    with pytest.raises(LoadError, match="nothing was committed"):
        load(neo4j_db, LoadPlan(plan.nodes, broken))
    assert schema_of(neo4j_db) == before
    # what an earlier load created stays when a later one fails
    load(neo4j_db, plan)
    ours = schema_of(neo4j_db)
    with pytest.raises(LoadError):
        load(neo4j_db, LoadPlan(plan.nodes, broken), replace=True)
    assert schema_of(neo4j_db) == ours
    assert_parity(neo4j_db, facts)


def test_a_users_constraint_on_a_category_label_fails_the_load_cleanly(neo4j_server, neo4j_db):
    neo4j_db.execute_query("CREATE CONSTRAINT my_drug_id FOR (d:Drug) REQUIRE d.id IS UNIQUE")
    neo4j_db.execute_query("CREATE (:Drug {id: $id, name: 'mine'})", id=LENALIDOMIDE)
    before, schema = fingerprint(neo4j_db), schema_of(neo4j_db)
    line = one_line_error(cli(neo4j_server, "load"))
    assert "ConstraintValidationFailed" in line
    assert fingerprint(neo4j_db) == before and schema_of(neo4j_db) == schema
    assert read_meta(neo4j_db, "neo4j") is None


# --------------------------------------------------------------------------- two loads at once


def wait_until_a_transaction_is_blocked(driver, attempts: int = 600) -> bool:
    for _ in range(attempts):
        records = driver.execute_query(
            "SHOW TRANSACTIONS YIELD status WHERE status STARTS WITH 'Blocked' RETURN count(*) AS n"
        ).records
        if records[0]["n"]:
            return True
        time.sleep(0.1)
    return False


@pytest.mark.parametrize("case", ["same seeds", "batched, then other seeds"])
def test_a_second_load_waits_for_the_first(neo4j_server, facts, tiny, case):
    """The second load starts while the first one's writing is under way: it waits, then
    finds nothing to do (same seeds) or refuses a mix in one line (other seeds)."""
    from .conftest import wipe

    drivers = [connect.connect(neo4j_server.settings) for _ in range(3)]
    wipe(drivers[0])
    plan = LoadPlan.from_facts(facts)
    second_plan = plan if case == "same seeds" else LoadPlan.from_facts(load_facts(tiny()))
    first_rows = 0 if case.startswith("batched") else DEFAULT_MAX_TRANSACTION_ROWS
    writing = threading.Event()
    blocked = []
    results: dict[str, object] = {}

    def first_progress(n: int) -> None:
        if not writing.is_set():  # the first batch is written, the load not finished
            writing.set()
            blocked.append(wait_until_a_transaction_is_blocked(drivers[2]))  # the second load waits

    def run(name: str, driver, plan, rows, progress) -> None:
        try:
            results[name] = load(driver, plan, batch_size=50, max_transaction_rows=rows, progress=progress)
        except Exception as e:  # noqa: BLE001 - reported by the assertions below
            results[name] = e

    first = threading.Thread(target=run, args=("first", drivers[0], plan, first_rows, first_progress))
    first.start()
    assert writing.wait(60)
    second = threading.Thread(target=run, args=("second", drivers[1], second_plan, 100_000, None))
    second.start()
    first.join(180)
    second.join(180)
    try:
        assert blocked == [True]  # the two loads did overlap
        assert isinstance(results["first"], LoadResult), results["first"]
        assert results["first"].changed
        if case == "same seeds":
            assert isinstance(results["second"], LoadResult), results["second"]
            assert not results["second"].changed, results["second"].counters  # it saw the first one's graph
        else:
            assert isinstance(results["second"], LoadError), results["second"]
            assert "holds a different imidgraph graph (complete" in str(results["second"])
        assert_parity(drivers[0], facts)
        assert read_meta(drivers[0], "neo4j")["status"] == "complete"
    finally:
        for driver in drivers:
            driver.close()


# --------------------------------------------------------------------------- reading the right graph

READERS = {
    "query": ("query", "drug_targets", "-p", "drug=lenalidomide"),
    "explain": ("explain", "lenalidomide", "multiple myeloma"),
    "show": ("show", "CK1a"),
    "browser": ("browser", "CK1a"),
}


def _set_status(driver, status: str) -> None:
    driver.execute_query("MATCH (m:ImidgraphLoad {key: 'current'}) SET m.status = $s", s=status)


@pytest.mark.parametrize("command", sorted(READERS))
def test_readers_refuse_a_database_without_the_graph_of_their_seeds(neo4j_server, neo4j_db, tiny, command):
    args = (*READERS[command], "--backend", "neo4j")
    line = one_line_error(cli(neo4j_server, *args))
    assert "holds no imidgraph graph: run 'imidgraph load'" in line
    anyway = cli(neo4j_server, *args, "--any-graph")  # no check: it asks the empty database
    assert "imidgraph graph" not in anyway.output and "Traceback" not in anyway.output
    if command in ("show", "explain"):  # the entity is not there: one line
        assert "no entity" in one_line_error(anyway) or "no imidgraph entity" in anyway.output
    else:
        assert anyway.exit_code == 0, anyway.output

    assert cli(neo4j_server, "--seeds", str(tiny()), "load").exit_code == 0
    line = one_line_error(cli(neo4j_server, *args))
    assert "holds an imidgraph graph of other seeds" in line and "imidgraph load --replace" in line

    assert cli(neo4j_server, "load", "--replace").exit_code == 0
    assert cli(neo4j_server, *args).exit_code == 0
    _set_status(neo4j_db, "loading")
    line = one_line_error(cli(neo4j_server, *args))
    assert "unfinished imidgraph load" in line and "run 'imidgraph load' again" in line
    anyway = cli(neo4j_server, *args, "--any-graph")
    assert anyway.exit_code == 0, anyway.output


def test_show_prints_the_same_from_neo4j_as_offline(neo4j_server, neo4j_db, facts):
    assert cli(neo4j_server, "load").exit_code == 0
    for name in ("CK1a", "lenalidomide", "CRBN", "multiple myeloma", "natural killer cell", "IMiD", "MAM", "IRF4"):
        for extra in ((), ("--predicate", "degrades")):
            offline = cli(neo4j_server, "show", name, *extra)
            online = cli(neo4j_server, "show", name, *extra, "--backend", "neo4j")
            assert offline.exit_code == 0 and online.exit_code == 0, online.output
            assert online.output == offline.output, name
    assert "15 relation(s): 1 as subject, 3 as object, 11 as context" in cli(neo4j_server, "show", "MAM", "--backend", "neo4j").output


def test_other_data_never_appears_in_answers(neo4j_server, neo4j_db, facts):
    assert cli(neo4j_server, "load").exit_code == 0
    add_other_data(neo4j_db, facts)
    # their node, labelled as ours once was, that one of our drugs "degrades"; and their own
    # relationships of our types between our nodes (theirs: no owner property)
    neo4j_db.execute_query(
        "MATCH (d:Imidgraph {id: $drug}), (g:Imidgraph {id: $gene}), (c:Imidgraph {id: $crbn}) "
        "CREATE (d)-[:DEGRADES {predicate: 'degrades'}]->(:Entity:Gene {id: 'mine:1', name: 'my target'}) "
        "CREATE (d)-[:DEGRADES {predicate: 'degrades', id: 'mine:r1'}]->(c), (c)-[:DEGRADES {predicate: 'degrades'}]->(g) "
        "CREATE (d)-[:BINDS {predicate: 'binds'}]->(g), (g)-[:SUBCLASS_OF {predicate: 'subclass_of'}]->(c)",
        drug=LENALIDOMIDE,
        gene=CSNK1A1,
        crbn=CRBN,
    )
    asked = [
        ("query", "drug_targets", "-p", "drug=lenalidomide", "--format", "json"),
        ("query", "neighbourhood", "-p", "entity=CRBN", "--format", "json"),
        ("query", "downstream", "-p", "start=lenalidomide", "--format", "json"),
        ("explain", "lenalidomide", "del(5q) MDS", "--format", "json"),
        ("show", "CRBN"),
    ]
    for args in asked:
        offline = cli(neo4j_server, *args)
        online = cli(neo4j_server, *args, "--backend", "neo4j")
        assert online.exit_code == 0, online.output
        if "json" in args:  # the same documents (Neo4j keeps no key order)
            assert json.loads(online.output) == json.loads(offline.output), args
        else:
            assert online.output == offline.output, args


# --------------------------------------------------------------------------- the system database


def test_the_system_database_answers_administration_and_refuses_a_load(neo4j_server):
    shown = cli(neo4j_server, "cypher", "SHOW DATABASES YIELD name", "--database", "system", "--format", "csv")
    assert shown.exit_code == 0, shown.output
    assert shown.output.splitlines() == ["name", "neo4j", "system"]
    line = one_line_error(cli(neo4j_server, "load", "--database", "system"))
    assert "database 'system' is the server's administration database" in line
    line = one_line_error(cli(neo4j_server, "query", "drug_targets", "-p", "drug=lenalidomide",
                              "--backend", "neo4j", "--database", "system"))  # fmt: skip
    assert "database 'system'" in line
