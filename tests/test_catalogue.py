"""The cypher/ catalogue: well-formed, runnable from the CLI, and the same on both backends."""

from __future__ import annotations

import json
import re
from concurrent.futures import ThreadPoolExecutor

import pytest
from click.testing import CliRunner

from imidgraph import catalogue, schema
from imidgraph.backends import MemoryBackend
from imidgraph.catalogue import resolve_params
from imidgraph.cli import main
from imidgraph.embedded.answers import cite
from imidgraph.graph import load
from imidgraph.neo4j.backend import Neo4jBackend

from .conftest import ROOT, SEEDS, SERVER_THREADS

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
    predicates |= {"increases", "decreases", "mediates", "produced_by"}  # downstream's net sign: each step's sign
    citation = {" doi:", " §", " refs ", ", ", ""}  # a relation's citation as one line
    # two drugs compared (drug_difference, side_effects_compared): the uses, states and their words
    predicates |= {"approved_for", "studied_clinically_for", "active_preclinically_in"}
    states = {"yes", "no", "not stated", "use", "approved", "studied clinically", "active preclinically", "stated"}
    words = {" (", ")", " class)", " class; ", "subtype ", "parent ", "stated not (relation of ", "more than ", "less than "}
    words |= {"both", "both used", "; ", " more", " only", ", not ", "not ", " not stated"}
    allowed = {"stated synergy", "shared mechanism", " "} | kinds | predicates | citation | states | words
    assert set(literals) <= allowed, literals


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
    assert as_csv[0].startswith("relation,target,aspect,species,cell_context,disease_context,location,via,combined_with,more_than")
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
    assert (frame.state_a == "yes").any() and (frame.state_b == "yes").any()
    both = frame[(frame.state_a == "yes") & (frame.state_b == "yes")].side_effect.tolist()
    assert both  # shared side effects exist in the sources
    with pytest.raises(catalogue.CatalogueError, match="needs parameter 'drug_b'"):
        kg.query("side_effects_compared", drug_a="lenalidomide")


# --------------------------------------------------------------------------- cited and complete

CITATION = ["paraphrase", "evidence", "source", "source_doi", "section", "refs", "primary_dois", "relation_id"]
MULTI = {"downstream", "combination_rationale", "shared_mechanism", "side_effects_compared", "drug_difference"}


def test_every_query_but_explain_paths_cites_every_row_in_columns():
    # explain_paths finds candidate paths; imidgraph explain cites each of their steps
    for name, query in QUERIES.items():
        if name == "explain_paths":
            continue
        columns = list(query.columns)
        if name in MULTI:
            assert "relation_ids" in columns and any(c.startswith("citations") for c in columns), name
        else:
            # every qualifier of the schema, in its order, then the paraphrase and citation
            assert columns[-len(CITATION) :] == CITATION, name
            block = columns[-len(CITATION) - len(schema.QUALIFIERS) : -len(CITATION)]
            assert block == list(schema.QUALIFIERS), f"{name}: run tools/catalogue_qualifiers.py"
            returned = ",\n".join("       " + line for line in _generated_block())
            assert returned.strip() in query.cypher, f"{name}: paste the block of tools/catalogue_qualifiers.py"


def _generated_block() -> list[str]:
    import importlib.util

    spec = importlib.util.spec_from_file_location("catalogue_qualifiers", ROOT / "tools" / "catalogue_qualifiers.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.block()


def records(kg, name: str) -> list[dict]:
    """Every row the query gives offline for all of its parameter sets."""
    query, backend = QUERIES[name], MemoryBackend(kg)
    return [row for n, given in parameter_sets(kg) if n == name for row in backend.run(query, resolve_params(kg, query, given)).records()]


@pytest.mark.parametrize("name", sorted(set(QUERIES) - MULTI - {"explain_paths"}))
def test_one_relation_rows_carry_its_citation_and_every_qualifier(kg, name):
    rows = records(kg, name)
    assert rows
    for row in rows:
        r = kg.relation(row["relation_id"])
        c = r.citation
        assert (row["source"], row["section"], row["source_doi"]) == (c.source, c.section, c.doi or "")
        assert (row["refs"], row["primary_dois"], row["paraphrase"]) == (list(c.refs), list(c.primary_dois), r.paraphrase)
        assert row["source_doi"] == (kg.facts.sources[c.source].doi or "")
        for key, kind in schema.QUALIFIERS.items():
            value = r.qualifiers.get(key)
            if kind == "entity":
                expected = kg.name(value) if value else None
            elif kind == "entities":
                expected = sorted(kg.name(v) for v in value or ())
            else:
                expected = value
            assert row[key] == expected, (name, key, row["relation_id"])


@pytest.mark.parametrize("name", sorted(MULTI))
def test_rows_of_several_relations_cite_each(kg, name):
    rows = records(kg, name)
    assert rows
    for row in rows:
        ids = row["relation_ids"]
        assert ids  # a relation may make two steps (a drug asked with itself as partner)
        cited = [c for key in ("citations", "citations_a", "citations_b") if key in row for c in row[key]]
        assert len(cited) == len(ids)
        expected = sorted(cite(kg.graph.edges[r.subject, r.object, r.id]) for r in map(kg.relation, ids))
        assert sorted(cited) == expected
        for c in cited:
            source = c.split(" ", 1)[0]
            doi = kg.facts.sources[source].doi
            assert " §" in c and (f" doi:{doi} " in c if doi else " doi:" not in c)


def test_drug_uses_shows_accelerated_approval_and_trial_outcomes(kg):
    rows = records(kg, "drug_uses")
    approvals = {r.id: r.qualifiers["approval"] for r in kg.relations if "approval" in r.qualifiers}
    assert "accelerated" in approvals.values()
    for rid, value in approvals.items():
        found = [row for row in rows if row["relation_id"] == rid]
        assert found and all(row["approval"] == value for row in found), rid
    outcomes = {r.id: r.qualifiers["outcome"] for r in kg.relations if "outcome" in r.qualifiers and r.predicate.endswith(("_for", "_in"))}
    assert outcomes
    for rid, value in outcomes.items():
        assert {row["outcome"] for row in rows if row["relation_id"] == rid} == {value}, rid


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
def test_every_catalogue_query_gives_the_same_rows_on_both_backends(loaded, kg):
    memory, server = MemoryBackend(kg), Neo4jBackend(loaded)
    checked, nonempty = 0, set()
    sets = [(name, given, resolve_params(kg, QUERIES[name], given)) for name, given in parameter_sets(kg)]
    # the server answers a few parameter sets at once (on all its cores) while the embedded
    # graph answers them here, one by one, each compared with the server's
    with ThreadPoolExecutor(SERVER_THREADS) as pool:
        answers = pool.map(lambda s: server.run(QUERIES[s[0]], s[2]), sets)
        for (name, given, params), online in zip(sets, answers, strict=True):
            query = QUERIES[name]
            offline = memory.run(query, params)
            assert online.columns == list(query.columns) == offline.columns, name
            assert offline.rows == online.rows, f"{name} {given}"
            checked += 1
            if online.rows:
                nonempty.add(name)
    assert nonempty == set(QUERIES)  # every query answered something somewhere
    assert checked > 1000


@pytest.mark.neo4j
def test_every_query_runs_from_the_cli_on_both_backends_with_equal_output(neo4j_server, loaded, kg):
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
def test_query_and_cypher_on_neo4j_from_the_cli(neo4j_server, loaded, kg):
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


# --------------------------------------------------------------------------- text that fits


@pytest.mark.parametrize("width", [60, 100, 160])
def test_text_output_fits_the_terminal_and_loses_no_word(kg, width):
    from imidgraph.backends import MemoryBackend

    for name, query in QUERIES.items():
        table = MemoryBackend(kg).run(query, resolve_params(kg, query, query.examples()))
        text = table.to_text(width)
        assert all(len(line) <= width for line in text.splitlines()), (name, width)
        assert text.splitlines()[-1].startswith(f"({len(table.rows)} row")
        from imidgraph.backends import _cell

        for row in table.rows:
            for value in row:
                for word in _cell(value, " ").split():
                    # every word is printed; one longer than its column may be folded
                    assert word.strip(",;") in text or len(word) > 20, (name, width, word)


def test_narrow_tables_stay_tables_and_wide_ones_become_blocks():
    from imidgraph.backends import Table

    assert Table(["a", "b"], []).to_text(60).splitlines() == ["a   b", "─────", "(0 rows)"]  # no rows: the header
    narrow = Table(["a", "b", "empty"], [["x", ["1", "2"], None], ["y" * 50, "z", ""]])
    text = narrow.to_text(60)
    assert text.splitlines()[0].split() == ["a", "b"]
    assert "(2 rows; empty columns not shown: empty)" in text
    assert all(len(line) <= 60 for line in text.splitlines())
    long = " ".join(["wrapped"] * 40)
    wide = Table(["first", "second", "third"], [[long, long, "c"]])
    blocks = wide.to_text(80).splitlines()
    assert blocks[0] == "[1]" and blocks[1].startswith("first   wrapped wrapped")
    assert sum(line.count("wrapped") for line in blocks) == 80 and all(len(line) <= 80 for line in blocks)


def test_the_cli_uses_columns_and_keeps_json_and_csv_whole():
    narrow = run("query", "drug_uses", "-p", "drug=lenalidomide", env={"COLUMNS": "70"})
    assert narrow.exit_code == 0 and max(map(len, narrow.output.splitlines())) <= 70
    as_json = json.loads(run("query", "drug_uses", "-p", "drug=lenalidomide", "--format", "json", env={"COLUMNS": "40"}).output)
    accelerated = [r for r in as_json if r["approval"] == "accelerated"]
    assert any(r["paraphrase"].endswith("for relapsed or refractory DLBCL.") for r in accelerated)  # whole, at any width
    as_csv = run("query", "drug_uses", "-p", "drug=lenalidomide", "--format", "csv", env={"COLUMNS": "40"}).output
    assert "In 2020 the FDA granted accelerated approval to lenalidomide plus tafasitamab for relapsed or refractory DLBCL." in as_csv
