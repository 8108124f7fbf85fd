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
