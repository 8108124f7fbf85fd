"""The CLI: one-line errors and exit codes, and every command documented."""

from __future__ import annotations

import json
import re
import subprocess
import sys
from pathlib import Path

from click.testing import CliRunner

from imidgraph.cli import main

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
    assert sorted(p.name for p in (tmp_path / "out").iterdir()) == ["edges.jsonl", "nodes.jsonl"]


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
