"""Benchmark: cold starts on the embedded backend (issue 24, item 3): each run a new process.

Measures `imidgraph explain lenalidomide "del(5q) MDS"` (the goal: 150 ms), `imidgraph stats`,
`imidgraph show CK1a` and `imidgraph search cereblon` with the built graph in the cache (the
usual case: the seeds did not change), wall time (median, fastest, p90) and the process's CPU
time (user + system; on a busy machine the CPU time is the steadier figure), and what the explain
command imports (``python -X importtime``): the heaviest packages and whether networkx, the
Neo4j side, the validator, pandas, PyYAML or the pages were imported. The processes run with
their bytecode written and read (``PYTHONDONTWRITEBYTECODE`` is dropped for them), as an
installed package has it: the first run of each command compiles it and fills the cache.

Writes docs/bench-cold.md. Run: python bench/bench_cold.py [--runs N].
Timings are measured here and recorded, never asserted in tests.
"""

from __future__ import annotations

import argparse
import os
import platform
import re
import resource
import shutil
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
GOAL = 0.150  # seconds: issue 24, item 3
OUT = ROOT / "docs" / "bench-cold.md"
COMMANDS = {
    "explain": ["explain", "lenalidomide", "del(5q) MDS"],
    "stats": ["stats"],
    "show": ["show", "CK1a"],
    "search": ["search", "cereblon"],
}
WATCHED = ("networkx", "click", "yaml", "pandas", "rich", "neo4j", "logging", "imidgraph.validate", "imidgraph.neo4j",
           "imidgraph.view", "imidgraph.browser", "imidgraph.search", "imidgraph.embedded.cache", "imidgraph.explain")  # fmt: skip


NOTES = [
    "",
    "Notes. The cached graph the answers read is a compact graph of plain dicts",
    "(`imidgraph.embedded.compact.CompactGraph`: the same nodes, edges, properties and iteration order",
    "as the networkx `MultiDiGraph`, with the few read methods the answers use), so reading it back",
    "imports no networkx; `kg.graph`, the networkx graph, is built when it is first asked for (export,",
    "your own analyses). A command's module is imported when the command runs, and the Neo4j side, the",
    "validator, PyYAML, pandas, the pages (`imidgraph.view`, `imidgraph.browser`), the search and logging",
    "only when a command needs them. What is left of a cold explain: Python's own start (the floor in",
    "the table), click, the frozen dataclasses of the model (created when their modules are imported),",
    "the cache's fingerprints (every seed file read and hashed, so that nothing stale is ever read; the",
    "code's hash kept under a stamp of its files' sizes and times), unpickling the entities, the name",
    "index and the compact graph, and the path search itself. The relations, sources, references and",
    "the search's tokens are a second pickle inside the first, read when first asked for (`show`,",
    "`stats`, `search` read it; `explain` does not).",
]


def _env(base: Path | None) -> dict[str, str]:
    """The environment that runs this checkout, or (``base``) another copy of the package, with
    bytecode written and read as an installed package has it."""
    env = dict(os.environ)
    env.pop("PYTHONDONTWRITEBYTECODE", None)
    if base is not None:
        env["PYTHONPATH"] = str(base)
    return env


def _once(command: list[str], env: dict[str, str], cwd: Path) -> tuple[float, float]:
    """Wall and CPU seconds of one new process."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    start = time.perf_counter()
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env, cwd=cwd)
    wall = time.perf_counter() - start
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    return wall, after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime


def cold(args: list[str], n: int, bases: list[Path | None]) -> list[tuple[list[float], list[float]]]:
    """``n`` cold runs of the command on each of ``bases`` (None: this checkout), taken in turns
    so that a change in the machine's load falls on all of them alike."""
    command = [sys.executable, "-m", "imidgraph.cli", *args]
    where = [b or ROOT for b in bases]  # python -m puts the working folder first on the path
    envs = [_env(b) for b in bases]
    for env, cwd in zip(envs, where, strict=True):
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=env, cwd=cwd)  # compiles, fills the cache
    out: list[tuple[list[float], list[float]]] = [([], []) for _ in bases]
    for _ in range(n):
        for (walls, cpus), env, cwd in zip(out, envs, where, strict=True):
            wall, cpu = _once(command, env, cwd)
            walls.append(wall)
            cpus.append(cpu)
    return out


def instructions(command: list[str], base: Path | None = None) -> int | None:
    """Instructions one run executes (valgrind's callgrind; None without valgrind): the same on
    a busy machine as on an idle one, unlike any time."""
    if shutil.which("valgrind") is None:
        return None
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *command],
        capture_output=True, text=True, env=_env(base), cwd=base or ROOT,
    )  # fmt: skip
    found = re.search(r"Collected : (\d+)", done.stderr)
    return int(found.group(1)) if done.returncode == 0 and found else None


def p90(values: list[float]) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(0.9 * (len(ordered) - 1)))]


def imports(args: list[str]) -> dict[str, float]:
    """Cumulative import time (ms) of the watched top-level modules for one cold command."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "imidgraph.cli", *args],
        capture_output=True, text=True, check=True, cwd=ROOT, env=_env(None),
    )  # fmt: skip
    out: dict[str, float] = {}
    for line in result.stderr.splitlines():
        if not line.startswith("import time:") or "|" not in line:
            continue
        _, cumulative, name = line.split("|")
        name = name.strip()
        if name in WATCHED and cumulative.strip().isdigit():
            out[name] = out.get(name, 0) + int(cumulative) / 1000
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=10)
    parser.add_argument(
        "--base", type=Path, default=None,
        help="A copy of an earlier version (git archive REV | tar -x -C DIR) measured in the same run, for the ratio",
    )  # fmt: skip
    parser.add_argument("--base-label", default="an earlier version", help="What --base is (for the notes).")
    args = parser.parse_args()
    start_load = os.getloadavg()
    rows = []
    for name, command in COMMANDS.items():
        runs = cold(command, args.runs, [None, args.base] if args.base else [None])
        walls, cpus = runs[0]
        base = runs[1] if args.base else None
        rows.append((name, walls, cpus, base))
        print(f"{name}: wall median {statistics.median(walls) * 1000:.0f} ms, CPU median {statistics.median(cpus) * 1000:.0f} ms"
              + (f" (base: wall {statistics.median(base[0]) * 1000:.0f}, CPU {statistics.median(base[1]) * 1000:.0f})" if base else ""))  # fmt: skip
    floor = [_once([sys.executable, "-c", "pass"], _env(None), ROOT) for _ in range(args.runs)]
    baseline_walls, baseline_cpus = [w for w, _ in floor], [c for _, c in floor]
    explain = [sys.executable, "-m", "imidgraph.cli", *COMMANDS["explain"]]
    counted = [("`imidgraph " + " ".join(COMMANDS["explain"]) + "`", instructions(explain),
                instructions(explain, args.base) if args.base else None),
               ("`python -c pass` (the floor)", instructions([sys.executable, "-c", "pass"]), None)]  # fmt: skip
    seen = imports(COMMANDS["explain"])
    load1, load5, _ = os.getloadavg()
    lines = [
        "# Benchmark: cold starts (embedded backend)",
        "",
        "Written by `python bench/bench_cold.py` (issue 24, item 3). Each run is a new process; the",
        "built graph is in the cache (seeds and code unchanged). Medians of "
        f"{args.runs} runs; CPU is the process's user + system time. \"before\": "
        + (f"the same commands, same run, on {args.base_label}." if args.base else "not measured."),
        "",
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}, Python {sys.version.split()[0]}",
        f"- load average (1 min / 5 min) at the start: {start_load[0]:.2f} / {start_load[1]:.2f}; at the end: "
        f"{load1:.2f} / {load5:.2f}",
        "  (a shared 2-core machine: wall times on a busy machine are a multiple of the idle ones; the CPU",
        "  times are the steadier figure)",
        "",
        "| command | wall median (ms) | fastest | p90 | CPU median (ms) | before: wall median (ms) | before: CPU (ms) |",
        "|---|---:|---:|---:|---:|---:|---:|",
    ]

    def ms(x: float | None) -> str:
        return f"{x * 1000:.0f}" if x is not None else "-"

    def med(x: list[float] | None) -> float | None:
        return statistics.median(x) if x else None

    lines += [
        f"| `imidgraph {' '.join(COMMANDS[n])}` | {ms(med(w))} | {ms(min(w))} | {ms(p90(w))} | {ms(med(c))} | "
        f"{ms(med(b and b[0]))} | {ms(med(b and b[1]))} |"
        for n, w, c, b in rows
    ]
    explain_wall, explain_cpu = statistics.median(rows[0][1]), statistics.median(rows[0][2])
    goal = "met" if explain_wall <= GOAL else "not met"
    lines += [
        f"| `python -c pass` (the floor) | {ms(statistics.median(baseline_walls))} | {ms(min(baseline_walls))} | "
        f"{ms(p90(baseline_walls))} | {ms(statistics.median(baseline_cpus))} | | |",
        "",
        f"Goal: a cold explain in at most {GOAL * 1000:.0f} ms of wall time: {goal} in this run (wall median",
        f"{ms(explain_wall)} ms, CPU median {ms(explain_cpu)} ms, while `python -c pass` alone took "
        f"{ms(statistics.median(baseline_walls))} ms of wall",
        f"time for {ms(statistics.median(baseline_cpus))} ms of CPU).",
        "",
        "Instructions executed (millions; valgrind's callgrind, one run each: the same however busy the",
        "machine is, so the steadiest comparison of two versions; a run under callgrind is slower but",
        "counts the same work):",
        "",
        "| command | instructions (M) | before (M) |",
        "|---|---:|---:|",
        *(f"| {what} | {n / 1e6:.0f} | {b / 1e6:.0f} |" if n and b else f"| {what} | {n / 1e6:.0f} | - |" if n
          else f"| {what} | not measured (no valgrind) | - |" for what, n, b in counted),  # fmt: skip
        "",
        "What the cold explain imports (`python -X importtime`, cumulative ms, this run):",
        "",
        "| module | ms |",
        "|---|---:|",
    ]
    lines += [f"| {m} | {seen[m]:.0f} |" if m in seen else f"| {m} | not imported |" for m in WATCHED]
    lines += NOTES
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
