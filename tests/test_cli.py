"""The CLI: one-line errors and exit codes, and every command documented."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

import pytest
from click.testing import CliRunner

from imidgraph.cli import main

from .test_validate import BILLION_LAUGHS

ROOT = Path(__file__).resolve().parent.parent


def run(*args: str):
    return CliRunner().invoke(main, list(args))


def test_validate_ok(tiny):
    result = run("validate", str(tiny()))
    assert result.exit_code == 0, result.output
    assert result.output.startswith("OK: 7 entities, 6 relations, 2 sources, 1 references")


def test_validate_reports_problems_and_exits_1(tiny):
    root = tiny("relations/mechanism.yaml", "  predicate: binds\n", "  predicate: bind\n")
    result = run("validate", str(root))
    assert result.exit_code == 1
    assert "seeds/relations/mechanism.yaml:2: field 'predicate': unknown predicate 'bind'" in result.output
    assert "1 problem(s)" in result.output


def test_commands_refuse_invalid_seeds_in_one_line(tiny):
    root = tiny("relations/mechanism.yaml", "  predicate: binds\n", "  predicate: bind\n")
    result = run("--seeds", str(root), "stats")
    assert result.exit_code == 1
    assert "Traceback" not in result.output
    assert result.output.startswith(
        "Error: invalid seeds: seeds/relations/mechanism.yaml:2: field 'predicate'"
    )


def test_stats_counts(tiny):
    result = run("--seeds", str(tiny()), "stats", "--format", "json")
    assert result.exit_code == 0
    numbers = json.loads(result.output)
    assert numbers["entities"] == 7
    assert numbers["relations"] == 6
    assert numbers["predicates"]["degrades"] == 1
    assert numbers["evidence"] == {"review_statement": 3, "in_vitro": 2, "approved": 1}
    assert numbers["sources"] == {"review": 4, "abstract": 2}


def test_show_resolves_greek_and_prints_citations(tiny):
    result = run("--seeds", str(tiny()), "show", "ck1a")
    assert result.exit_code == 0, result.output
    assert result.output.splitlines()[0] == "CSNK1A1  [Gene, biolink:Gene]"
    assert "  lenalidomide -degrades-> CSNK1A1" in result.output
    assert "      via: CRBN; more_than: pomalidomide" in result.output  # the schema's order, on both backends
    assert "refs 7, 8" in result.output
    assert "primary: doi:10.1000/primary.7" in result.output


def test_show_groups_relations_by_role_including_context(tiny):
    result = run("--seeds", str(tiny()), "show", "CRBN")
    assert result.exit_code == 0, result.output
    lines = result.output.splitlines()
    summary = next(line for line in lines if "relation(s):" in line)
    subject, obj, context = (int(n) for n in re.findall(r"(\d+) as (?:subject|object|context)", summary))
    assert context >= 1 and summary.startswith(f"{subject + obj + context} relation(s)")
    at = lines.index(f"degrades ({context} as context):")  # grouped by predicate, the role said
    assert lines[at + 1] == "  lenalidomide -degrades-> CSNK1A1  [as via]"


def test_show_names_as_people_type_them():
    for typed, name in (("regulatory T cells", "regulatory T cell"), ("IFN-gamma", "IFNG"), ("Revlimid", "lenalidomide"),
                        ("tumour necrosis factor-alpha", "TNF"), ("dendritic-cells", "dendritic cell")):  # fmt: skip
        result = run("show", typed)
        assert result.exit_code == 0, result.output
        assert result.output.startswith(f"{name}  ["), (typed, result.output[:80])


def test_the_python_api_lists_context_relations():
    import imidgraph

    kg = imidgraph.load()
    found = kg.context_relations("MAM")
    # 8 drug and gene effects in MAMs, and the steps IKZF1 -> IRF4, IRF5 and CYP27B1 in the vitamin D pathway
    assert len(found) == 11 and all(r.qualifiers["cell_context"] == kg.entity("MAM").id for r in found)
    assert [(r.predicate, kg.name(r.subject), kg.name(r.object)) for r in kg.relations_of("MAM")] == [
        # the polarisation is lenalidomide's M1 up / M2 down in MAMs (context); IRF4 and IRF5 its steps
        ("modulates", "IRF4", "myeloma-associated macrophage"),
        ("modulates", "IRF5", "myeloma-associated macrophage"),
        ("produced_by", "CYP27B1", "myeloma-associated macrophage"),
        ("subclass_of", "myeloma-associated macrophage", "tumor-associated macrophage"),
    ]
    assert {r.predicate for r in kg.context_relations("MAM", predicate="DEGRADES")} == {"degrades"}


def test_show_unknown_name_offers_close_matches_and_exits_1(tiny):
    result = run("--seeds", str(tiny()), "show", "lenalidomid")
    assert result.exit_code == 1
    assert (
        result.output.strip()
        == "Error: no entity named 'lenalidomid'; did you mean: lenalidomide, pomalidomide?"
    )


def test_export_writes_files(tiny, tmp_path):
    result = run("--seeds", str(tiny()), "export", "--format", "kgx", "--out", str(tmp_path / "out"))
    assert result.exit_code == 0, result.output
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["edges.jsonl", "nodes.jsonl", "prefixes.jsonld"]


def test_every_command_has_help_and_is_in_the_readme():
    readme = (ROOT / "README.md").read_text()
    for name, command in main.commands.items():
        assert command.help, f"{name} has no help text"
        assert re.search(rf"imidgraph {name}\b", readme), f"README does not mention 'imidgraph {name}'"


def test_offline_commands_do_not_import_the_neo4j_driver():
    # importing the driver takes most of a second: only commands that talk to Neo4j pay it
    code = (
        "import sys\n"
        "from imidgraph.cli import main\n"
        "for args in (['stats'], ['show', 'CK1a'], ['query', 'drug_targets', '-p', 'drug=lenalidomide']):\n"
        "    main(args, standalone_mode=False)\n"
        "import imidgraph\n"
        "imidgraph.load().query('resistance', drug='lenalidomide')\n"
        "print('neo4j' in sys.modules)\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip().splitlines()[-1] == "False"


# --------------------------------------------------------------------------- one line, exit 1


def one_line_error(result, start: str) -> None:
    assert result.exit_code == 1, result.output
    assert "Traceback" not in result.output
    assert len(result.output.strip().splitlines()) == 1, result.output
    assert result.output.startswith(f"Error: {start}"), result.output


def test_seeds_works_before_and_after_the_command(tiny, tmp_path):
    root = tiny()
    for args in (["--seeds", str(root), "stats"], ["stats", "--seeds", str(root)],
                 ["--seeds", str(tmp_path / "none"), "stats", "--seeds", str(root)]):  # fmt: skip
        result = run(*args, "--format", "json")
        assert result.exit_code == 0, (args, result.output)
        assert json.loads(result.output)["entities"] == 7
    assert run("show", "CK1a", "--seeds", str(root)).output.startswith("CSNK1A1  [Gene")
    assert run("validate", "--seeds", str(root)).output.startswith("OK: 7 entities")


def test_the_invalid_seeds_hint_repeats_the_seeds_option(tiny):
    root = tiny("relations/mechanism.yaml", "  predicate: binds\n", "  predicate: bind\n")
    for args in (["--seeds", str(root), "show", "CK1a"], ["show", "CK1a", "--seeds", str(root)]):
        result = run(*args)
        one_line_error(result, "invalid seeds: seeds/relations/mechanism.yaml:2: field 'predicate'")
        assert result.output.rstrip().endswith(f"run 'imidgraph --seeds {root} validate' for the full list")


def test_export_into_an_impossible_place_is_one_line(tiny, tmp_path):
    (tmp_path / "file").write_text("not a folder")
    result = run("--seeds", str(tiny()), "export", "--format", "json", "--out", str(tmp_path / "file" / "out"))
    one_line_error(result, f"cannot write into {tmp_path / 'file' / 'out'}: ")


def test_export_and_view_refuse_to_overwrite_without_force(tiny, tmp_path):
    root = tiny()
    out = tmp_path / "out"
    assert run("--seeds", str(root), "export", "--format", "kgx", "--out", str(out)).exit_code == 0
    (out / "edges.jsonl").write_text("mine")
    one_line_error(
        run("--seeds", str(root), "export", "--format", "kgx", "--out", str(out)),
        f"{out / 'nodes.jsonl'} exists (and 2 more); pass --force to overwrite",
    )
    assert (out / "edges.jsonl").read_text() == "mine"
    assert run("--seeds", str(root), "export", "--format", "json", "--out", str(out)).exit_code == 0  # other files
    assert run("--seeds", str(root), "export", "--format", "kgx", "--out", str(out), "--force").exit_code == 0
    assert (out / "edges.jsonl").read_text() != "mine"

    page = tmp_path / "page.html"
    page.write_text("mine")
    one_line_error(run("--seeds", str(root), "view", "CK1a", "--out", str(page)), f"{page} exists; pass --force")
    assert page.read_text() == "mine"
    result = run("--seeds", str(root), "view", "CK1a", "--out", str(page), "--force")
    assert result.exit_code == 0 and page.read_text().startswith("<!DOCTYPE html>")


def test_a_mistyped_predicate_gets_close_matches(tiny):
    root = str(tiny())
    one_line_error(run("--seeds", root, "show", "CK1a", "--predicate", "degrade"),
                   "unknown predicate 'degrade'; did you mean: degrades?")  # fmt: skip
    result = run("--seeds", root, "show", "CK1a", "--predicate", "DEGRADES")  # the Neo4j type is fine
    assert result.exit_code == 0 and "1 relation(s):" in result.output
    result = run("--seeds", root, "query", "relation_evidence",
                 "-p", "subject=lenalidomide", "-p", "predicate=degrade", "-p", "object=CK1a")  # fmt: skip
    one_line_error(result, "parameter 'predicate': unknown predicate 'degrade'; did you mean: degrades?")
    result = run("--seeds", root, "query", "relation_evidence",
                 "-p", "subject=lenalidomide", "-p", "predicate=DEGRADES", "-p", "object=CK1a")  # fmt: skip
    assert result.exit_code == 0 and "(1 row)" in result.output


def test_explain_refuses_a_drug_that_is_not_one(tiny):
    root = str(tiny())
    one_line_error(run("--seeds", root, "explain", "CRBN", "del(5q) MDS"),
                   "CRBN is a Gene, not a drug: explain starts from a Drug, DrugClass or Treatment")  # fmt: skip
    one_line_error(run("--seeds", root, "explain", "lenalidomide", "del(5q) MDS", "--versus", "CK1a"),
                   "--versus CSNK1A1 is a Gene, not a drug")  # fmt: skip
    assert run("--seeds", root, "explain", "IMiD", "del(5q) MDS").exit_code == 0  # a drug class is fine


def test_a_repeated_parameter_is_refused_by_name(tiny):
    result = run("--seeds", str(tiny()), "query", "drug_targets", "-p", "drug=lenalidomide", "-p", "drug=CRBN")
    one_line_error(result, "parameter 'drug' given twice ('lenalidomide' and 'CRBN'); give each -p key once")
    one_line_error(run("cypher", "RETURN $a", "-p", "a=1", "-p", "a=2"), "parameter 'a' given twice")


# --------------------------------------------------------------------------- cypher on the real server


@pytest.mark.neo4j
def test_cypher_without_a_statement_is_one_line(neo4j_server):
    for statement in ("", "   \n"):
        result = CliRunner().invoke(main, ["cypher", statement], env=neo4j_server.env())
        one_line_error(result, "no Cypher given")


@pytest.mark.neo4j
def test_cypher_prints_paths_durations_points_and_times_as_text(neo4j_db, neo4j_server):
    neo4j_db.execute_query(
        "CREATE (:Entity {name: 'lenalidomide'})-[:DEGRADES]->(:Entity {id: 'HGNC:2451'})<-[:BINDS]-(:Canary)"
    )
    statement = (
        "MATCH p = (:Entity {name: 'lenalidomide'})-->()<--() "
        "RETURN p, duration('P1DT2H') AS d, point({x: 1, y: 2}) AS xy, "
        "point({longitude: 1.5, latitude: 2, height: 3}) AS geo, date('2024-01-02') AS day, "
        "datetime('2024-01-02T03:04:05Z') AS at, [duration('PT90M')] AS ds"
    )
    result = CliRunner().invoke(main, ["cypher", statement, "--format", "json"], env=neo4j_server.env())
    assert result.exit_code == 0, result.output
    assert json.loads(result.output) == [{
        "p": "(lenalidomide)-[:DEGRADES]->(HGNC:2451)<-[:BINDS]-(:Canary)",
        "d": "P1DT2H",
        "xy": "point({srid: 7203, x: 1.0, y: 2.0})",
        "geo": "point({srid: 4979, x: 1.5, y: 2.0, z: 3.0})",
        "day": "2024-01-02",
        "at": "2024-01-02T03:04:05.000000000+00:00",
        "ds": ["PT1H30M"],
    }]  # fmt: skip
    # too wide for 100 columns side by side: a block, a field a line
    blocks = CliRunner().invoke(main, ["cypher", statement], env={**neo4j_server.env(), "COLUMNS": "100"})
    assert blocks.output.splitlines()[:3] == ["[1]", "p    (lenalidomide)-[:DEGRADES]->(HGNC:2451)<-[:BINDS]-(:Canary)", "d    P1DT2H"]
    table = CliRunner().invoke(main, ["cypher", statement], env={**neo4j_server.env(), "COLUMNS": "250"})
    assert re.search(r"^\(lenalidomide\)-\[:DEGRADES\]->\(HGNC:2451\)<-\[:BINDS\]-\(:Canary\) +P1DT2H ", table.output, re.M)


def _limit_memory():  # runs in the child: a seed file must not take more than this
    import resource

    resource.setrlimit(resource.RLIMIT_AS, (1 << 30, 1 << 30))


@pytest.mark.parametrize(
    ("content", "expected"),
    [
        (b"- subject: lenalidomide\x00\n", "seeds/relations/bad.yaml:1: U+0000 NULL at column 24"),
        (b"- subject: lenalidomide\n\x0c\n", "seeds/relations/bad.yaml:2: U+000C FORM FEED at column 1"),
        (b"- &x [*x]\n", "seeds/relations/bad.yaml:1: YAML anchor &x not allowed"),
        (BILLION_LAUGHS.encode(), "seeds/relations/bad.yaml:1: YAML anchor &a not allowed"),
        (b"- qualifiers: {aspect: activity, aspect: expression}\n", "seeds/relations/bad.yaml:1: field 'qualifiers.aspect': duplicate key"),
    ],
    ids=["nul", "form feed", "self-referencing alias", "alias bomb", "nested duplicate key"],
)  # fmt: skip
def test_a_hostile_seed_file_is_one_line_and_exit_1_in_bounded_time_and_memory(tiny, content, expected):
    root = tiny()
    (root / "relations" / "bad.yaml").write_bytes(content)
    done = subprocess.run(
        [sys.executable, "-m", "imidgraph.cli", "--seeds", str(root), "validate"],
        capture_output=True, text=True, timeout=120, preexec_fn=_limit_memory,
    )  # fmt: skip
    assert done.returncode == 1, done.stderr
    lines = done.stderr.splitlines()
    assert "Traceback" not in done.stderr
    assert lines[0].startswith(expected)
    if "duplicate" not in expected:  # that record also lacks its other fields
        assert lines == [lines[0], f"1 problem(s) in {root}"]


def test_validate_sources_folder_must_exist(tiny, tmp_path):
    result = run("validate", str(tiny()), "--sources", str(tmp_path / "nowhere"))
    assert result.exit_code == 1
    assert result.output == (
        f"Error: source texts folder {tmp_path / 'nowhere'} not found: the project's source texts are in "
        "../shared/sources beside it, see ../shared/README.md\n"
    )


def test_validate_sources_folder_must_hold_the_texts(tiny, tmp_path):
    result = run("validate", str(tiny()), "--sources", str(tmp_path))
    assert result.exit_code == 1
    assert result.output.startswith(f"Error: source texts folder {tmp_path} lacks review.txt (review): ")
    assert len(result.output.splitlines()) == 1


def test_validate_says_which_wording_it_checked(tiny):
    root = tiny()
    result = run("validate", str(root), "--sources", str(root))
    assert result.exit_code == 0, result.output
    assert result.output.strip().endswith(
        f"; wording checked against 1 source text(s) in {root} (none for abstract: no file named)"
    )
    result = run("validate", str(root))
    assert (
        "; wording not checked: give --sources DIR (the project's source texts are in ../shared/sources"
        in (result.output)
    )
