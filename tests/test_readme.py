"""The README's examples are true: every ```console block is run and its output compared.

A ```console block holds ``$ imidgraph ...`` lines, each followed by the output it prints
(stdout and stderr; an ``Error:`` line means exit 1). Trailing spaces do not count. In the
expected output a line ``...`` (indented or not) stands for any number of lines, and a line
ending in ``...`` for any line that starts with what comes before. ``| head -N`` after a
command keeps its first N lines. Commands run offline, 100 columns wide (``COLUMNS``), on the project's seeds, in an empty
folder (so ``view`` writes its page there), without opening anything.

Examples that need a Neo4j server (``load``, ``--backend neo4j``, ``cypher``, ``browser``,
whose output names the local server) are ```text blocks and are not run.

After a change of output, ``python -m tests.test_readme --update`` rewrites the output of
every example without ``...``; those with ``...`` it lists for editing by hand.
"""

from __future__ import annotations

import re
import shlex
import sys
from dataclasses import dataclass
from pathlib import Path

import pytest
from click.testing import CliRunner

from imidgraph.cli import main

README = Path(__file__).resolve().parent.parent / "README.md"
_BLOCK = re.compile(r"^```console\n(.*?)^```$", re.M | re.S)


@dataclass(frozen=True)
class Example:
    command: str  # as written after '$ '
    expected: tuple[str, ...]
    line: int  # where the command is in the README
    span: tuple[int, int]  # the expected output's character span in the README

    @property
    def id(self) -> str:
        return f"README.md:{self.line}: {self.command}"


def examples(text: str | None = None) -> list[Example]:
    text = README.read_text(encoding="utf-8") if text is None else text
    found = []
    for block in _BLOCK.finditer(text):
        start = block.start(1)
        lines = block.group(1).splitlines(keepends=True)
        offsets = [start]
        for line in lines:
            offsets.append(offsets[-1] + len(line))
        i = 0
        while i < len(lines):
            line = lines[i].rstrip("\n")
            if not line.startswith("$ "):
                raise ValueError(f"README.md:{text.count(chr(10), 0, offsets[i]) + 1}: expected '$ imidgraph ...'")
            j = i + 1
            while j < len(lines) and not lines[j].startswith("$ "):
                j += 1
            expected = tuple(x.rstrip("\n") for x in lines[i + 1 : j])
            found.append(Example(line[2:], expected, text.count("\n", 0, offsets[i]) + 1, (offsets[i + 1], offsets[j])))
            i = j
    return found


def run(command: str, cwd: Path, monkeypatch) -> list[str]:
    """The lines ``command`` prints (trailing spaces dropped)."""
    words = shlex.split(command, comments=True)
    head = None
    if "|" in words:
        at = words.index("|")
        words, pipe = words[:at], words[at + 1 :]
        if len(pipe) != 2 or pipe[0] != "head" or not re.fullmatch(r"-\d+", pipe[1]):
            raise ValueError(f"only '| head -N' is understood: {command}")
        head = int(pipe[1][1:])
    assert words[0] == "imidgraph", command
    monkeypatch.chdir(cwd)
    monkeypatch.setattr("webbrowser.open", lambda *a, **k: True)  # --open opens nothing here
    # tables fit the terminal: the README's examples are printed 100 columns wide
    result = CliRunner().invoke(main, words[1:], env={"IMIDGRAPH_SEEDS": None, "COLUMNS": "100"})
    if result.exception and not isinstance(result.exception, SystemExit):
        raise result.exception
    lines = [line.rstrip() for line in result.output.splitlines()]
    if any(line.startswith("Error:") for line in lines):
        assert result.exit_code == 1, (command, result.output)
    else:
        assert result.exit_code == 0, (command, result.output)
    return lines[:head] if head is not None else lines


def matches(expected: list[str], actual: list[str]) -> bool:
    """``expected`` (with ``...`` elisions) against ``actual``."""
    if not expected:
        return not actual
    first, rest = expected[0].rstrip(), expected[1:]
    if first.strip() == "...":
        return any(matches(rest, actual[k:]) for k in range(len(actual) + 1))
    if not actual:
        return False
    ok = actual[0].startswith(first[:-3]) if first.endswith("...") else actual[0] == first
    return ok and matches(rest, actual[1:])


EXAMPLES = examples()


def test_the_readme_has_checked_examples():
    assert len(EXAMPLES) >= 8
    commands = {e.command.split()[1] for e in EXAMPLES}
    assert {"stats", "show", "explain", "query", "view", "validate"} <= commands


@pytest.mark.parametrize("example", EXAMPLES, ids=lambda e: e.id)
def test_a_readme_example_prints_what_the_readme_says(example, tmp_path, monkeypatch):
    actual = run(example.command, tmp_path, monkeypatch)
    assert matches(list(example.expected), actual), (
        f"README.md:{example.line}: '$ {example.command}' prints:\n" + "\n".join(actual)
    )


def test_elisions_match_what_they_should():
    assert matches(["a", "...", "d"], ["a", "b", "c", "d"])
    assert matches(["a", "  ...", "b"], ["a", "b"])
    assert matches(["a; ..."], ["a; b: c"])
    assert not matches(["a", "...", "d"], ["a", "b"])
    assert not matches(["a"], ["a", "b"])
    assert not matches(["x; ..."], ["a; b"])


def update() -> int:  # pragma: no cover - a maintenance tool
    """Rewrite the README's example outputs that have no elision; list those that do and differ."""
    import tempfile

    text = README.read_text(encoding="utf-8")
    stale = []
    patch = pytest.MonkeyPatch()
    for example in reversed(examples(text)):
        with tempfile.TemporaryDirectory() as folder:
            actual = run(example.command, Path(folder), patch)
        if matches(list(example.expected), actual):
            continue
        if any(line.rstrip().endswith("...") for line in example.expected):
            stale.append(f"README.md:{example.line}: $ {example.command}  (has '...': edit by hand)")
            continue
        start, end = example.span
        text = text[:start] + "".join(f"{line}\n" for line in actual) + text[end:]
        print(f"README.md:{example.line}: updated $ {example.command}")
    patch.undo()
    README.write_text(text, encoding="utf-8")
    for line in stale:
        print(line)
    return 1 if stale else 0


if __name__ == "__main__":  # pragma: no cover
    if sys.argv[1:] != ["--update"]:
        sys.exit("usage: python -m tests.test_readme --update")
    sys.exit(update())
