"""The README's numbers, pictures and variables are current: every count it states outside the
```console examples (which tests/test_readme.py runs) is computed here from the seeds, every
picture it shows is one tools/readme_pictures.py draws, and every environment variable the
package, its tests and its benchmarks read is in its variables section."""

from __future__ import annotations

import re
import sys
from pathlib import Path

from click.testing import CliRunner

from imidgraph.cli import main
from imidgraph.neo4j.plan import LoadPlan
from imidgraph.neo4j.record import load_record
from imidgraph.properties import stored_edge_properties, stored_node_properties

ROOT = Path(__file__).resolve().parent.parent
README = (ROOT / "README.md").read_text(encoding="utf-8")
# the README without its ```console examples (tests/test_readme.py checks those)
PROSE = re.sub(r"^```console\n.*?^```$", "", README, flags=re.M | re.S)
WORDS = {"one": 1, "two": 2, "three": 3, "four": 4, "five": 5, "six": 6, "seven": 7, "eight": 8, "nine": 9, "ten": 10}


def _ordinal(n: int) -> str:
    suffix = "th" if 10 <= n % 100 <= 20 else {1: "st", 2: "nd", 3: "rd"}.get(n % 10, "th")
    return f"{n}{suffix}"


def test_the_load_example_states_the_current_graph(kg):
    (block,) = re.findall(r"^```text\n(\$ imidgraph load\n.*?)^```$", README, flags=re.M | re.S)
    entities, relations = len(kg.facts.entities), len(kg.facts.relations)
    plan = LoadPlan.from_facts(kg.facts)
    loaded = re.findall(r"^loaded (\d+) entities and (\d+) relations into .*, content ([0-9a-f]+)\)$", block, re.M)
    assert loaded == [(str(entities), str(relations), plan.content_hash)] * 2  # the first load and the second
    (changes,) = re.findall(r"^  changes: (.*)$", block, re.M)
    # every node with its stored properties and imidgraph_load, every relationship with its stored
    # properties, imidgraph_load and imidgraph_ends, and the load record (its keys and the
    # database's counts); two labels a node, one for the record
    properties = sum(len(stored_node_properties(e)) + 1 for e in kg.entities)
    properties += sum(len(stored_edge_properties(r)) + 2 for r in kg.relations)
    properties += len(load_record(plan, "complete")) + 1
    assert changes == (
        f"{entities + 1} nodes and {relations} relationships created, 0 nodes and 0 relationships deleted, "
        f"{properties} properties set, {2 * entities + 1} labels added, 0 removed"
    )
    (by_label,) = re.findall(r"^  entities: (.*)$", block, re.M)
    assert by_label == ", ".join(f"{k} {v}" for k, v in sorted(plan.label_counts().items()))
    (by_type,) = re.findall(r"^  relations: (.*)$", block, re.M)
    assert by_type == ", ".join(f"{k} {v}" for k, v in sorted(plan.type_counts().items()))
    assert f"the first load's {_ordinal(entities + 1)} node is the `:ImidgraphLoad` record" in PROSE.replace("\n  ", " ")


def test_the_sources_are_counted_as_the_seeds_hold_them(kg):
    documents = [s for s in kg.facts.sources.values() if getattr(s, "file", None)]
    others = len(kg.facts.sources) - len(documents)
    assert len(documents) == 5 and others == 4  # the counts as the seeds hold them today
    stated = re.findall(r"\b(one|two|three|four|five|six|seven|eight|nine|ten) (?:source )?documents\b", PROSE)
    assert stated and {WORDS[w] for w in stated} == {len(documents)}
    (ontologies,) = re.findall(r"\b(\w+) reference ontologies\b", PROSE)
    assert WORDS[ontologies] == others


def test_the_pictures_are_drawn_by_the_script_and_their_captions_count_right(tmp_path):
    sys.path.insert(0, str(ROOT / "tools"))
    try:
        import readme_pictures
    finally:
        sys.path.remove(str(ROOT / "tools"))
    shown = re.findall(r"!\[([^\]]*)\]\((docs/img/[^)]+)\)", PROSE)
    assert shown
    for caption, path in shown:
        assert (ROOT / path).is_file(), path
        if not path.startswith("docs/img/view-"):
            continue  # Neo4j Browser's: drawn by the Browser tests against the server
        args, _, _ = readme_pictures.PICTURES[Path(path).name]
        counted = re.findall(r"(\d+) (entities|relations)\b", caption)
        if counted:
            out = tmp_path / (Path(path).stem + ".html")
            result = CliRunner().invoke(main, ["view", *args, "--out", str(out)])
            assert result.exit_code == 0, result.output
            drew = dict((kind, n) for n, kind in re.findall(r"(\d+) (entities|relations)\b", result.output))
            for n, kind in counted:
                assert drew[kind] == n, (path, caption, result.output)


def test_the_test_servers_defaults_are_as_the_readme_says():
    conftest = (ROOT / "tests" / "conftest.py").read_text(encoding="utf-8")
    bolt = re.search(r'"IMIDGRAPH_TEST_NEO4J_BOLT_PORT", "(\d+)"', conftest).group(1)
    http = re.search(r'"IMIDGRAPH_TEST_NEO4J_HTTP_PORT", "(\d+)"', conftest).group(1)
    home = re.search(r'"imidgraph" / "(neo4j-[\d.]+-test)"', conftest).group(1)
    assert f"on ports\n{bolt}/{http}" in PROSE or f"on ports {bolt}/{http}" in PROSE
    assert f"`~/.cache/imidgraph/{home}`" in PROSE
    assert f"| `IMIDGRAPH_TEST_NEO4J_BOLT_PORT`, `IMIDGRAPH_TEST_NEO4J_HTTP_PORT` | its ports | {bolt}, {http} |" in PROSE


# what the code reads but no user sets: the server's child environment, made by imidgraph itself
INTERNAL = {"IMIDGRAPH_NEO4J_LOG", "NEO4J_HOME", "NEO4J_CONF"}
_READ = re.compile(
    r"""(?:environ\.get\(|environ\[|getenv\()\s*["']([A-Z][A-Z0-9_]*)["']"""  # os.environ.get(NAME) and the like
    r"""|^\s*ENV_[A-Z_]+\s*=\s*["']([A-Z][A-Z0-9_]*)["']""",  # ENV_HOME = NAME: a constant read by name
    re.M,
)


def read_variables() -> set[str]:
    found = set()
    for folder in ("imidgraph", "tests", "bench", "tools"):
        for path in (ROOT / folder).rglob("*.py"):
            for match in _READ.finditer(path.read_text(encoding="utf-8")):
                found.add(match.group(1) or match.group(2))
    return found - INTERNAL


def test_every_variable_a_user_sets_is_in_the_readme():
    section = re.search(r"^## Environment variables\n(.*?)^## ", README, re.M | re.S).group(1)
    rows = re.findall(r"^\| (.*?) \|", section.split("| Variable |", 1)[1], re.M)  # the first column
    listed = {name for cell in rows for name in re.findall(r"`([A-Z][A-Z0-9_]+)`", cell)}
    read = read_variables()
    assert {"IMIDGRAPH_SEEDS", "IMIDGRAPH_NEO4J_HOME", "IMIDGRAPH_TEST_NEO4J_HOME", "NEO4J_PASSWORD"} <= read
    assert read - listed == set(), "read by the code but not in the README"
    assert listed - read == set(), "in the README but read by no code"
