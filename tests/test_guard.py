"""Issue 23 items 1-10 and 15's --bulk options: races, damage and faults, each reproduced on the
real server (or the real file system), or in-process where it is a matter of parsing."""

from __future__ import annotations

import pytest
from click.testing import CliRunner

from imidgraph.cli import main
from imidgraph.neo4j.load import ALREADY_LOADED, load
from imidgraph.neo4j.plan import LoadPlan
from imidgraph.neo4j.record import GraphCheckError, check_graph, read_graph
from imidgraph.validate import load_facts

LENALIDOMIDE = "CHEBI:63791"


def cli(server, *args: str, env: dict | None = None):
    return CliRunner().invoke(main, list(args), env={**server.env(), **(env or {})}, catch_exceptions=False)


def one_line(result) -> str:
    lines = [ln for ln in result.output.splitlines() if ln.strip()]
    assert len(lines) == 1, result.output
    return lines[0]


def _degrades(driver) -> dict:
    nodes, rels = read_graph(driver, "neo4j")
    return next(r for r in rels.values() if r["type"] == "DEGRADES")


# --------------------------------------------------------------------------- 15: --bulk's options


@pytest.mark.parametrize(
    ("option", "named"),
    [(["--replace"], "--replace"), (["--force"], "--force"), (["--batch-size", "5"], "--batch-size"),
     (["--max-transaction-rows", "0"], "--max-transaction-rows")],
)  # fmt: skip
def test_bulk_refuses_the_online_options_in_one_line(tiny, option, named):
    # refused before anything is connected: no server needed (the URI leads nowhere)
    result = CliRunner().invoke(
        main, ["load", "--bulk", *option, "--seeds", str(tiny())], env={"NEO4J_URI": "bolt://127.0.0.1:1"}
    )
    assert result.exit_code == 2
    line = [ln for ln in result.output.splitlines() if ln.startswith("Error:")]
    assert len(line) == 1 and line[0].startswith(f"Error: {named} does not apply to --bulk"), result.output


# --------------------------------------------------------------------------- 3, 4, 5: the real server


@pytest.mark.neo4j
def test_a_load_keeps_the_users_properties_and_removes_only_ours(neo4j_db, tiny):
    """3: a user's annotation on our node and relationship survives a load that rewrites them
    (after a count change, and with changed seeds), while a property of ours the new seeds no
    longer have goes."""
    seeds = tiny()
    plan = LoadPlan.from_facts(load_facts(seeds))
    load(neo4j_db, plan)
    neo4j_db.execute_query("MATCH (n:Imidgraph {id: $id}) SET n.reviewed_by = 'Dr X'", id=LENALIDOMIDE)
    neo4j_db.execute_query("MATCH ()-[r:DEGRADES]->() SET r.reviewed_by = 'Dr Y'")
    neo4j_db.execute_query("CREATE (:Drug {name: 'mine'})")  # a count change: the full path runs
    again = load(neo4j_db, plan)
    assert again.mode != ALREADY_LOADED
    nodes, _ = read_graph(neo4j_db, "neo4j")
    assert nodes[LENALIDOMIDE]["p"]["reviewed_by"] == "Dr X"
    assert _degrades(neo4j_db)["p"]["reviewed_by"] == "Dr Y"

    # other seeds: lenalidomide has no synonyms any more (an empty list: no property in Neo4j)
    seeds = tiny("entities/drugs.yaml", "  synonyms: [CC-5013]\n", "")
    other = LoadPlan.from_facts(load_facts(seeds))
    assert nodes[LENALIDOMIDE]["p"]["synonyms"] == ["CC-5013"]
    load(neo4j_db, other, replace=True)
    nodes, _ = read_graph(neo4j_db, "neo4j")
    assert "synonyms" not in nodes[LENALIDOMIDE]["p"]  # ours, no longer in the seeds: removed
    assert nodes[LENALIDOMIDE]["p"]["reviewed_by"] == "Dr X"  # the user's: kept
    assert nodes[LENALIDOMIDE]["load"] == other.content_hash


@pytest.mark.neo4j
def test_readers_refuse_a_damaged_graph_and_a_swap_of_types_does_not_fool_the_reload(neo4j_server, neo4j_db, tiny):
    """4 and 5: a user's own :Drug or DEGRADES next to ours is fine; one of ours deleted (even with
    a user's of the same label or type put in its place) makes readers refuse in one line and the
    next load repair it rather than say it was already there."""
    seeds = tiny()
    plan = LoadPlan.from_facts(load_facts(seeds))
    load(neo4j_db, plan)
    # somebody else's :Drug and DEGRADES: not ours, not damage
    neo4j_db.execute_query("CREATE (:Drug {name: 'mine'})-[:DEGRADES]->(:Gene {name: 'theirs'})")
    assert check_graph(neo4j_db, "neo4j", plan.content_hash)["status"] == "complete"
    ok = cli(neo4j_server, "search", "lenalidomide", "--backend", "neo4j", "--seeds", str(seeds))
    assert ok.exit_code == 0 and "lenalidomide" in ok.output

    # 5: one of our DEGRADES deleted, a user's DEGRADES elsewhere: every per-type count is as before
    neo4j_db.execute_query("MATCH ()-[r:DEGRADES]->() WHERE r.imidgraph_load IS NOT NULL DELETE r")
    neo4j_db.execute_query("CREATE (:Drug {name: 'mine2'})-[:DEGRADES]->(:Gene {name: 'theirs2'})")
    with pytest.raises(GraphCheckError, match=r"it has 0 \[:DEGRADES\] relationships of imidgraph instead of 1"):
        check_graph(neo4j_db, "neo4j", plan.content_hash)
    repaired = load(neo4j_db, plan)
    assert repaired.mode != ALREADY_LOADED and repaired.counters["relationships_created"] == 1
    assert _degrades(neo4j_db)["load"] == plan.content_hash
    assert check_graph(neo4j_db, "neo4j", plan.content_hash)["status"] == "complete"

    # 4: a user's DETACH DELETE of every :Drug takes ours too: readers refuse, exit 1, one line
    neo4j_db.execute_query("MATCH (n:Drug) DETACH DELETE n")
    for args in (["query", "drug_targets", "-p", "drug=lenalidomide"], ["search", "lenalidomide"]):
        result = cli(neo4j_server, *args, "--backend", "neo4j", "--seeds", str(seeds))
        assert result.exit_code == 1, result.output
        line = one_line(result)
        assert "no longer holds the complete imidgraph graph: it has " in line
        assert "run 'imidgraph load' to repair it" in line
    assert load(neo4j_db, plan).counters["nodes_created"] == 2
    assert check_graph(neo4j_db, "neo4j", plan.content_hash)["status"] == "complete"


# --------------------------------------------------------------------------- 10: the read-only console

REFUSED = {
    "TERMINATE TRANSACTIONS 'neo4j-transaction-42'": "TERMINATE",
    "terminate transaction $id": "TERMINATE",
    "SHOW TRANSACTIONS YIELD currentQuery, parameters": "SHOW",
    "SHOW SETTINGS": "SHOW SETTINGS",
    "USE system SHOW USERS": "SHOW USERS",
    "SHOW ALL PRIVILEGES": "SHOW ALL PRIVILEGES",
    "SHOW USER bob PRIVILEGES": "SHOW USER BOB",
    "show current user": "SHOW CURRENT USER",
    "SHOW SERVERS": "SHOW SERVERS",
    "CALL db.stats.retrieve('QUERIES')": "procedure db.stats.retrieve",
    "CALL db.stats.clear('QUERIES')": "procedure db.stats.clear",
    "CALL db.stats.stop()": "procedure db.stats.stop",
    "CALL `db`.`stats`.`collect`('QUERIES')": "procedure db.stats.collect",
    "CALL db . stats . retrieve('QUERIES')": "procedure db.stats.retrieve",
    "CALL dbms.listQueries()": "procedure dbms.listQueries",
    "MATCH (n) CALL apoc.log.stream('debug.log') YIELD line RETURN line": "procedure apoc.log.stream",
    "CALL apoc.load.json('file:///../logs/neo4j.log')": "procedure apoc.load.json",
    "CALL dbms.setConfigValue('db.logs.query.enabled', 'OFF')": "procedure dbms.setConfigValue",
    "CALL db.info()": "procedure db.info",
    "RETURN apoc.util.sha1(['x'])": "function apoc.util.sha1",
    "/* hidden */ CALL // a comment\n db.stats.retrieve('QUERIES')": "procedure db.stats.retrieve",
}
ALLOWED = [
    "MATCH (n:Imidgraph {id: 'CHEBI:63791'}) RETURN n.name, n.show",
    "MATCH (n) WHERE n.name = 'SHOW TRANSACTIONS; CALL db.stats.retrieve(1)' RETURN n",  # inside a string
    "// TERMINATE TRANSACTIONS\nMATCH (n) RETURN count(n)",  # in a comment
    "CALL db.labels() YIELD label RETURN label",
    "CALL db.index.fulltext.queryNodes('imidgraph_entity_names', 'cereblon') YIELD node RETURN node.id",
    "MATCH (n) CALL (n) { RETURN n.id AS id } RETURN id",
    "CALL { MATCH (n) RETURN n } RETURN count(n)",
    "RETURN date.truncate('month', date()) AS d, point.distance(point({x: 0, y: 0}), point({x: 1, y: 1}))",
    "MATCH (n:`Show`) RETURN n.`terminate` AS t",
    "SHOW DATABASES YIELD name",
    "SHOW ALL INDEXES",
    "SHOW USER DEFINED FUNCTIONS",
    "SHOW CONSTRAINTS",
]


@pytest.mark.parametrize("statement", sorted(REFUSED))
def test_the_console_refuses_administration_and_server_state(statement):
    from imidgraph.neo4j.console import refusal

    why = refusal(statement)
    assert why is not None and REFUSED[statement] in why
    assert "\n" not in why


@pytest.mark.parametrize("statement", ALLOWED)
def test_the_console_lets_reads_of_the_graph_through(statement):
    from imidgraph.neo4j.console import refusal

    assert refusal(statement) is None


@pytest.mark.neo4j
def test_the_console_refuses_on_the_real_server_and_still_reads(neo4j_server, loaded):
    """10, on the server: what read access mode let through before is refused in one line; a
    read of the graph still answers."""
    for statement in ("CALL db.stats.retrieve('QUERIES')", "TERMINATE TRANSACTIONS 'neo4j-transaction-1'",
                      "SHOW TRANSACTIONS YIELD parameters"):  # fmt: skip
        result = cli(neo4j_server, "cypher", statement)
        assert result.exit_code == 1
        assert one_line(result).startswith("Error: imidgraph cypher is read-only and answers from the graph only")
    ok = cli(neo4j_server, "cypher", "CALL db.labels() YIELD label WHERE label = 'Drug' RETURN label")
    assert ok.exit_code == 0 and "Drug" in ok.output
