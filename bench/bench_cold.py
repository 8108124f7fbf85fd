"""Benchmark: cold starts on the embedded backend (issue 24, item 3): each run a new process.

Measures `imidgraph explain lenalidomide "del(5q) MDS"`, `imidgraph stats` and
`imidgraph show CK1a` with the built graph in the cache (the usual case: the seeds did not
change), wall time and the process's CPU time (user + system; on a busy machine the CPU time is
the steadier figure), and what the explain command imports (``python -X importtime``): the
heaviest packages and whether the Neo4j side, the validator, pandas or PyYAML were imported.

Writes docs/bench-cold.md. Run: python bench/bench_cold.py [--runs N].
Timings are measured here and recorded, never asserted in tests.
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import statistics
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "bench-cold.md"
COMMANDS = {
    "explain": ["explain", "lenalidomide", "del(5q) MDS"],
    "stats": ["stats"],
    "show": ["show", "CK1a"],
}
WATCHED = ("networkx", "click", "yaml", "pandas", "rich", "neo4j", "imidgraph.validate", "imidgraph.neo4j", "imidgraph.view")


NOTES = [
    "",
    "Notes. A command's module is imported when the command runs, and the Neo4j side (the driver and",
    "`imidgraph.neo4j.connect`/`server`), the validator, PyYAML and pandas only when a command needs",
    "them: a cold explain with the graph in the cache imports none of them. The goal of 150 ms for a",
    "cold explain is not reached: the graph read from the cache is a networkx graph, and importing",
    "networkx alone costs about as much CPU as the rest of the command together (see the table above).",
    "Reaching it needs an embedded graph that is not a networkx object (plain adjacency dicts with the",
    "few read methods the answers use, networkx built only for export), which this change does not do.",
]


def _env(base: Path | None) -> dict[str, str]:
    """The environment that runs this checkout, or (``base``) another copy of the package."""
    env = dict(os.environ)
    if base is not None:
        env["PYTHONPATH"] = str(base)
    return env


def cold(args: list[str], n: int, base: Path | None = None) -> tuple[list[float], list[float]]:
    command = [sys.executable, "-m", "imidgraph.cli", *args]
    where = base or ROOT  # python -m puts the working folder first on the path
    subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=_env(base), cwd=where)  # fills the cache
    walls, cpus = [], []
    for _ in range(n):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run(command, check=True, stdout=subprocess.DEVNULL, env=_env(base), cwd=where)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return walls, cpus


def imports(args: list[str]) -> dict[str, float]:
    """Cumulative import time (ms) of the watched top-level modules for one cold command."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "imidgraph.cli", *args],
        capture_output=True, text=True, check=True, cwd=ROOT,
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
    rows = []
    for name, command in COMMANDS.items():
        walls, cpus = cold(command, args.runs)
        base = cold(command, args.runs, args.base) if args.base else None
        rows.append((name, statistics.median(walls), statistics.median(cpus), base and statistics.median(base[0]),
                     base and statistics.median(base[1])))  # fmt: skip
        print(f"{name}: wall median {statistics.median(walls) * 1000:.0f} ms, CPU median {statistics.median(cpus) * 1000:.0f} ms"
              + (f" (base: wall {statistics.median(base[0]) * 1000:.0f}, CPU {statistics.median(base[1]) * 1000:.0f})" if base else ""))  # fmt: skip
    baseline_walls, baseline_cpus = [], []
    for _ in range(args.runs):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([sys.executable, "-c", "pass"], check=True)
        baseline_walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        baseline_cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
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
        f"- load average at the end (1 min / 5 min): {load1:.2f} / {load5:.2f} (a shared machine: wall times",
        "  on a busy machine are several times the idle ones; the CPU times are the steadier figure)",
        "",
        "| command | wall median (ms) | CPU median (ms) | before: wall (ms) | before: CPU (ms) |",
        "|---|---:|---:|---:|---:|",
    ]

    def ms(x: float | None) -> str:
        return f"{x * 1000:.0f}" if x is not None else "-"

    lines += [f"| `imidgraph {' '.join(COMMANDS[n])}` | {ms(w)} | {ms(c)} | {ms(bw)} | {ms(bc)} |" for n, w, c, bw, bc in rows]
    lines += [
        f"| `python -c pass` (the floor) | {ms(statistics.median(baseline_walls))} | "
        f"{ms(statistics.median(baseline_cpus))} | | |",
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
