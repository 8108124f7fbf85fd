"""The cypher/ catalogue: well-formed, runnable from the CLI, and the same on both backends."""

from __future__ import annotations

import json
import re

import pytest
from click.testing import CliRunner

from imidgraph import catalogue, loader
from imidgraph.backends import MemoryBackend, Neo4jBackend
from imidgraph.catalogue import resolve_params
from imidgraph.cli import main
from imidgraph.graph import load

from .conftest import ROOT, SEEDS

QUERIES = catalogue.read_catalogue(ROOT / "cypher")


@pytest.fixture(scope="module")
def kg():
    return load(SEEDS)


# --------------------------------------------------------------------------- the files


def test_the_catalogue_has_the_queries_users_ask_for():
    assert len(QUERIES) >= 11
    for query in QUERIES.values():
        assert query.description and query.columns
        assert all(p.example for p in query.params)


@pytest.mark.parametrize("name", sorted(QUERIES))
def test_each_query_is_read_only_and_parameterised(name):
    text = QUERIES[name].cypher.upper()
    for word in ("CREATE ", "MERGE ", "DELETE ", "SET ", "REMOVE ", "LOAD CSV", "CALL APOC"):
        assert word not in text, f"{name} uses {word.strip()}"
    # values come in as $parameters: no entity, name or CURIE is written into a query
    literals = re.findall(r"'([^']*)'", QUERIES[name].cypher)
    kinds = {"driver", "lesion", "observed", "partner", "potentiates", "sensitivity", "resistance", "trial", "reach", "use"}  # explain_paths
    predicates = {"subclass_of", "contributes_to", "potentiates", "associated_with_sensitivity_to", "has_part"}  # its steps
    predicates |= {"observed_in", "tested_with"}  # its pseudo-steps
    assert set(literals) <= {"stated synergy", "shared mechanism", " "} | kinds | predicates, literals


@pytest.mark.parametrize(
    "header, message",
    [
        ("// name: other\n", "differs from the file name"),
        ("// param: drug = lenalidomide | no kind\n", "expected 'key (entity|predicate|text) = example"),
        ("// param: extra (text) = x | unused\n", "$extra is declared but not used"),
    ],
)
def test_malformed_query_files_are_reported_with_file_and_field(tmp_path, header, message):
    source = (ROOT / "cypher" / "drug_targets.cypher").read_text()
    if header.startswith("// name:"):
        source = source.replace("// name: drug_targets\n", header)
    else:
        source = header + source
    path = tmp_path / "drug_targets.cypher"
    path.write_text(source)
    with pytest.raises(catalogue.CatalogueError, match=re.escape(message)):
        catalogue.read_query(path)


def test_an_undeclared_parameter_is_reported(tmp_path):
    path = tmp_path / "q.cypher"
    path.write_text("// name: q\n// description: d\n// columns: a\nMATCH (n {id: $who}) RETURN n.id AS a\n")
    with pytest.raises(catalogue.CatalogueError, match=r"\$who is used but not declared"):
        catalogue.read_query(path)


# --------------------------------------------------------------------------- the CLI, offline


def run(*args: str, env: dict | None = None):
    return CliRunner().invoke(main, list(args), env=env, catch_exceptions=False)


def test_query_list_names_every_query_with_example_parameters():
    result = run("query", "--list")
    assert result.exit_code == 0
    for query in QUERIES.values():
        assert query.name in result.output
        for param in query.params:
            assert f"-p {param.key}=" in result.output


def test_query_offline_as_table_json_and_csv():
    table = run("query", "drug_targets", "-p", "drug=lenalidomide")
    assert table.exit_code == 0 and "CSNK1A1" in table.output and "rows)" in table.output
    as_json = json.loads(run("query", "drug_targets", "-p", "drug=lenalidomide", "--format", "json").output)
    degraded = {r["target"] for r in as_json if r["relation"] == "degrades"}
    assert degraded == {"CSNK1A1", "IKZF1", "IKZF3"}
    assert any(r["more_than"] == ["pomalidomide", "thalidomide"] for r in as_json)
    as_csv = run("query", "drug_targets", "-p", "drug=lenalidomide", "--format", "csv").output.splitlines()
    assert as_csv[0].startswith("relation,target,via,more_than")
    assert len(as_csv) == len(as_json) + 1


def test_names_synonyms_and_greek_letters_work_as_parameters():
    a = run("query", "neighbourhood", "-p", "entity=CK1α", "--format", "json").output
    b = run("query", "neighbourhood", "-p", "entity=HGNC:2451", "--format", "json").output
    assert a == b and "lenalidomide" in a


@pytest.mark.parametrize(
    "args, message",
    [
        (("query", "drug_target"), "no query named 'drug_target'; did you mean: drug_targets"),
        (("query", "drug_targets"), "query 'drug_targets' needs parameter 'drug'"),
        (("query", "drug_targets", "-p", "drug=lenalidomide", "-p", "cell=T cell"), "has no parameter 'cell'"),
        (("query", "drug_targets", "-p", "drug"), "parameter 'drug': expected key=value"),
        (("query", "drug_targets", "-p", "drug=lenalidomid"), "parameter 'drug': no entity named 'lenalidomid'; did you mean: lenalidomide"),
    ],
)
def test_query_errors_are_one_line(args, message):
    result = run(*args)
    assert result.exit_code == 1
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1


def test_the_python_api_gives_a_dataframe(kg):
    frame = kg.query("side_effects_compared", drug_a="lenalidomide", drug_b="thalidomide")
    assert list(frame.columns) == list(QUERIES["side_effects_compared"].columns)
    assert frame["in_a"].any() and frame["in_b"].any()
    both = frame[frame.in_a & frame.in_b].side_effect.tolist()
    assert both  # shared side effects exist in the sources
    with pytest.raises(catalogue.CatalogueError, match="needs parameter 'drug_b'"):
        kg.query("side_effects_compared", drug_a="lenalidomide")


# --------------------------------------------------------------------------- both backends


def parameter_sets(kg) -> list[tuple[str, dict[str, str]]]:
    """Every query with its example parameters, and with many other entities too."""
    drugs = [e.name for e in kg.entities if e.category in ("Drug", "DrugClass", "Treatment")]
    imids = ["thalidomide", "lenalidomide", "pomalidomide", "iberdomide", "avadomide"]
    sets = [(name, q.examples()) for name, q in QUERIES.items()]
    for name, q in QUERIES.items():
        keys = [p.key for p in q.params]
        if keys == ["drug"]:
            sets += [(name, {"drug": d}) for d in drugs]
        elif keys in (["drug_a", "drug_b"],):
            sets += [(name, {"drug_a": a, "drug_b": b}) for a in imids for b in imids if a != b]
        elif keys == ["entity"] or keys == ["start"]:
            sets += [(name, {keys[0]: e.id}) for e in kg.entities]
        elif keys == ["drug", "cell"]:
            cells = [e.id for e in kg.entities if e.category == "CellType"]
            sets += [(name, {"drug": d, "cell": c}) for d in imids for c in cells]
        elif keys == ["drug", "partner"]:
            partners = [e.name for e in kg.entities if e.category in ("Drug", "Treatment")]
            sets += [(name, {"drug": d, "partner": p}) for d in imids for p in partners]
        elif keys == ["drug", "target"]:
            # every condition and agent, and every entity for two drugs (reach paths)
            targets = [e.id for e in kg.entities if e.category in ("Disease", "Phenotype", "Drug", "Treatment", "DrugClass")]
            sets += [(name, {"drug": d, "target": t}) for d in imids + ["IMiD", "CC-885"] for t in targets if t != d]
            sets += [(name, {"drug": d, "target": e.id}) for d in ("lenalidomide", "pomalidomide") for e in kg.entities]
    for relation in kg.relations[::7]:
        sets.append(("relation_evidence", {"subject": relation.subject, "predicate": relation.predicate, "object": relation.object}))
    return sets


@pytest.mark.neo4j
def test_every_catalogue_query_gives_the_same_rows_on_both_backends(neo4j_db, kg):
    loader.load(neo4j_db, loader.LoadPlan.from_facts(kg.facts))
    memory, server = MemoryBackend(kg), Neo4jBackend(neo4j_db)
    checked, nonempty = 0, set()
    for name, given in parameter_sets(kg):
        query = QUERIES[name]
        params = resolve_params(kg, query, given)
        offline, online = memory.run(query, params), server.run(query, params)
        assert online.columns == list(query.columns) == offline.columns, name
        assert offline.rows == online.rows, f"{name} {given}"
        checked += 1
        if online.rows:
            nonempty.add(name)
    assert nonempty == set(QUERIES)  # every query answered something somewhere
    assert checked > 1000


@pytest.mark.neo4j
def test_every_query_runs_from_the_cli_on_both_backends_with_equal_output(neo4j_server, neo4j_db, kg):
    loader.load(neo4j_db, loader.LoadPlan.from_facts(kg.facts))
    for query in QUERIES.values():
        args = ["query", query.name, "--format", "json"]
        for key, value in query.examples().items():
            args += ["-p", f"{key}={value}"]
        offline = run(*args)
        online = run(*args, "--backend", "neo4j", env=neo4j_server.env())
        assert offline.exit_code == online.exit_code == 0, (query.name, offline.output, online.output)
        assert json.loads(online.output) == json.loads(offline.output), query.name
        assert json.loads(offline.output), f"{query.name}: its example finds nothing"


@pytest.mark.neo4j
def test_query_and_cypher_on_neo4j_from_the_cli(neo4j_server, neo4j_db, kg):
    loader.load(neo4j_db, loader.LoadPlan.from_facts(kg.facts))
    env = neo4j_server.env()
    offline = run("query", "drug_uses", "-p", "drug=pomalidomide", "--format", "json").output
    online = run("query", "drug_uses", "-p", "drug=pomalidomide", "--format", "json", "--backend", "neo4j", env=env)
    assert online.exit_code == 0 and online.output == offline
    adhoc = run("cypher", "MATCH (d:Drug {name: $name}) RETURN d.id AS id", "-p", "name=lenalidomide", "--format", "csv", env=env)
    assert adhoc.exit_code == 0 and adhoc.output.splitlines() == ["id", kg.entity("lenalidomide").id]


@pytest.mark.neo4j
@pytest.mark.parametrize(
    "statement, message",
    [
        ("CREATE (n:Entity {id: 'x'}) RETURN n", "Writing in read access mode not allowed"),
        ("MATCH (n) DETACH DELETE n", "Writing in read access mode not allowed"),
        ("MATC (n) RETURN n", "Neo.ClientError.Statement.SyntaxError"),
    ],
)
def test_cypher_refuses_writes_and_reports_syntax_errors_in_one_line(neo4j_server, neo4j_db, statement, message):
    neo4j_db.execute_query("CREATE (:Probe {id: 1})")
    result = run("cypher", statement, env=neo4j_server.env())
    assert result.exit_code == 1
    assert message in result.output
    assert len(result.output.strip().splitlines()) == 1
    assert neo4j_db.execute_query("MATCH (n) RETURN count(n) AS n").records[0]["n"] == 1  # nothing written


def test_query_on_neo4j_without_a_server_is_one_line():
    result = run("query", "drug_targets", "-p", "drug=lenalidomide", "--backend", "neo4j", "--uri", "bolt://127.0.0.1:1", "--password", "x")
    assert result.exit_code == 1
    assert "cannot reach Neo4j at bolt://127.0.0.1:1" in result.output
    assert len(result.output.strip().splitlines()) == 1
