"""Cypher we print for people to paste is inert: seed text can never break out of a literal or
a comment, whatever it holds. Checked on the strings and by running the printed Cypher on the
real server next to a canary node."""

from __future__ import annotations

import dataclasses

import pytest
from click.testing import CliRunner

from imidgraph import browser
from imidgraph.cli import main
from imidgraph.cypher_text import comment_text, cypher_comment, cypher_list, cypher_string, param_line
from imidgraph.graph import KnowledgeGraph
from imidgraph.neo4j.load import load
from imidgraph.neo4j.plan import LoadPlan
from imidgraph.neo4j.vocabulary import ENTITY_LABEL
from imidgraph.validate import load_facts

ATTACK = "MATCH (x) DETACH DELETE x"
HOSTILE = [
    f"x'}}) \n {ATTACK} //",
    f'x"}}) \n {ATTACK} //',
    f"x\\'}}) \n {ATTACK} //",  # a backslash before the quote
    f"x`}}) \r {ATTACK} //`",
    f"x'}}) \r\n{ATTACK}",
    f"x'}}) \u2028 {ATTACK} //",
    f"x'}}) \u2029\u0085\x0b\x0c {ATTACK} //",
    f"x'}})\n:param drug => 'HGNC:1'\n{ATTACK} \u202e\x00 ends in a backslash \\",
    "α-β ünïcode 🧬 \\u0027 'quoted' \"double\"",
]
INJECTED = (ATTACK, ":param drug")


def assert_inert(cypher: str, lines: int) -> None:
    """No line (by any Unicode line break) starts with injected text, and the line count is the template's."""
    split = cypher.splitlines()
    assert len(split) == lines, split
    for line in split:
        assert not line.lstrip().startswith(INJECTED), line


# --------------------------------------------------------------------------- the functions


def test_cypher_string_escapes_quotes_backslashes_and_every_line_break():
    assert cypher_string("it's a \\ test") == "'it\\'s a \\\\ test'"
    assert cypher_string('a"b`c') == "'a\"b`c'"
    assert cypher_string("a\nb\rc\td") == "'a\\nb\\rc\\td'"
    assert cypher_string("a\u2028b\u2029c\x85d\x00e\u202ef") == "'a\\u2028b\\u2029c\\u0085d\\u0000e\\u202ef'"
    assert cypher_string("CK1α 🧬") == "'CK1α 🧬'"  # printable text stays readable
    for value in HOSTILE:
        literal = cypher_string(value)
        assert len(literal.splitlines()) == 1, literal
    assert cypher_list(["a'", "b"]) == "['a\\'', 'b']"


def test_cypher_comment_stays_on_one_line():
    assert cypher_comment("CSNK1A1 (CK1α)") == "// CSNK1A1 (CK1α)"
    assert cypher_comment(f"x\n{ATTACK}") == f"// x {ATTACK}"
    for value in HOSTILE:
        assert len(cypher_comment(value).splitlines()) == 1, value
        assert "\n" not in comment_text(value) and "\u2028" not in comment_text(value)


def test_param_line_escapes_the_value_and_checks_the_name():
    assert param_line("drug", "CHEBI:63791") == ":param drug => 'CHEBI:63791'"
    assert param_line("drug", f"x'\n{ATTACK}") == f":param drug => 'x\\'\\n{ATTACK}'"
    with pytest.raises(ValueError, match="not a parameter name"):
        param_line("drug => 1\nMATCH", "x")


@pytest.mark.parametrize("hostile", HOSTILE)
def test_printed_browser_cypher_is_inert_for_hostile_ids_and_labels(hostile):
    assert_inert(browser.neighbourhood_cypher(hostile, hostile), 3)
    assert_inert(browser.subgraph_cypher([hostile, "A:1"], [hostile], hostile), 4)


# --------------------------------------------------------------------------- a graph whose names are hostile


def hostile_graph(root, hostile: str) -> KnowledgeGraph:
    """The tiny seeds with lenalidomide named ``hostile`` and every relation id ending in it.

    Built in Python, past validation (which may well refuse such names in seed files)."""
    facts = load_facts(root)
    lena = facts.entities["CHEBI:63791"]
    facts.entities["CHEBI:63791"] = dataclasses.replace(lena, name=hostile, synonyms=())
    facts.relations = [dataclasses.replace(r, id=f"{r.id}{hostile}") for r in facts.relations]
    return KnowledgeGraph(facts)


@pytest.mark.parametrize("hostile", HOSTILE)
def test_explain_cypher_is_inert_for_hostile_names_and_ids(tiny, hostile):
    kg = hostile_graph(tiny(), hostile)
    e = kg.explain("CHEBI:63791", "del(5q) MDS")
    ids = e.relation_ids()
    assert ids and all(i.endswith(hostile) for i in ids)
    # as many lines as the same explanation's in the plain graph
    plain = hostile_graph(tiny(), "plain").explain("CHEBI:63791", "del(5q) MDS").to_cypher()
    assert_inert(e.to_cypher(), len(plain.splitlines()))


def test_the_cli_prints_inert_cypher_for_a_hostile_graph(tiny, monkeypatch):
    def printed(kg, args):
        monkeypatch.setattr("imidgraph.cli.common.load", lambda seeds: kg)
        result = CliRunner().invoke(main, args, env={"IMIDGRAPH_NEO4J_HOME": "/nonexistent", "NEO4J_URI": ""})
        assert result.exit_code == 0, result.output
        return result.output.split("Paste into the Browser:\n\n")[-1]

    hostile, plain = hostile_graph(tiny(), HOSTILE[0]), hostile_graph(tiny(), "plain")
    for args in (
        ["browser", "CHEBI:63791"],
        ["browser", "CHEBI:63791", "--depth", "2"],
        ["browser", "--explain", "CHEBI:63791", "del(5q) MDS"],
        ["explain", "CHEBI:63791", "del(5q) MDS", "--format", "cypher"],
    ):
        assert_inert(printed(hostile, args), len(printed(plain, args).splitlines()))


# --------------------------------------------------------------------------- on the real server


def apply_and_run(driver, cypher: str):
    """Run pasted text as the Browser would: ':param k => v' lines set parameters, the rest is
    one statement, run with write access (so that an injected write would happen)."""
    import neo4j

    params, statement = {}, []
    for line in cypher.split("\n"):
        if line.startswith(":param "):
            key, _, literal = line.removeprefix(":param ").partition(" => ")
            params[key] = driver.execute_query(f"RETURN {literal} AS v", database_="neo4j").records[0]["v"]
        else:
            statement.append(line)
    return driver.execute_query("\n".join(statement), params, database_="neo4j", routing_=neo4j.RoutingControl.WRITE)


def canary_count(driver) -> int:
    return driver.execute_query("MATCH (c:Canary {name: 'still here'}) RETURN count(c) AS n").records[0]["n"]


@pytest.mark.neo4j
def test_literals_read_back_exactly_on_neo4j(neo4j_db):
    for value in HOSTILE:
        records = neo4j_db.execute_query(f"RETURN {cypher_string(value)} AS v, {cypher_list([value] * 5)} AS l").records
        assert records[0]["v"] == value
        assert records[0]["l"] == [value] * 5
        assert apply_and_run(neo4j_db, f"{param_line('p', value)}\nRETURN $p AS v").records[0]["v"] == value


@pytest.mark.neo4j
@pytest.mark.parametrize("hostile", HOSTILE[:1] + HOSTILE[4:])
def test_printed_cypher_runs_on_neo4j_deletes_nothing_and_finds_the_hostile_graph(neo4j_db, tiny, hostile):
    kg = hostile_graph(tiny(), hostile)
    load(neo4j_db, LoadPlan.from_facts(kg.facts))
    neo4j_db.execute_query(f"CREATE (:Canary {{name: 'still here'}}), (:{ENTITY_LABEL} {{id: $id}})",
                           {"id": hostile})  # fmt: skip
    nodes = neo4j_db.execute_query("MATCH (n) RETURN count(n) AS n").records[0]["n"]
    e = kg.explain("CHEBI:63791", "del(5q) MDS")
    lena = kg.entity("CHEBI:63791")
    printed = {
        "neighbourhood": browser.neighbourhood_cypher(lena.id, lena.name),
        "hostile id": browser.neighbourhood_cypher(hostile, hostile),
        "subgraph": browser.subgraph_cypher(e.entity_ids() + [hostile], e.relation_ids(), lena.name),
        "explain": e.to_cypher(),
    }
    found = {}
    for what, cypher in printed.items():
        result = apply_and_run(neo4j_db, cypher)
        assert not result.summary.counters.contains_updates, what
        found[what] = result.records
    assert canary_count(neo4j_db) == 1
    assert neo4j_db.execute_query("MATCH (n) RETURN count(n) AS n").records[0]["n"] == nodes
    # the literals read back as the hostile ids: the queries find what they print
    assert {r["p"].relationships[0]["id"] for r in found["neighbourhood"]} == {r.id for r in kg.relations_of(lena.id)}
    assert {r["n"]["id"] for r in found["subgraph"]} == set(e.entity_ids()) | {hostile}
    drawn = {x["id"] for r in found["explain"] for p in [r["path"], *r["cites"]] for x in p.relationships}
    assert drawn == set(e.relation_ids())
    assert found["hostile id"] == []  # the hostile-id node exists, without relations
