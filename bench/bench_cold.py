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
import shutil
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


def _exe() -> str:
    return shutil.which("imidgraph", path=str(Path(sys.executable).parent)) or "imidgraph"


def cold(args: list[str], n: int) -> tuple[list[float], list[float]]:
    subprocess.run([_exe(), *args], check=True, stdout=subprocess.DEVNULL)  # fills the cache
    walls, cpus = [], []
    for _ in range(n):
        before = resource.getrusage(resource.RUSAGE_CHILDREN)
        start = time.perf_counter()
        subprocess.run([_exe(), *args], check=True, stdout=subprocess.DEVNULL)
        walls.append(time.perf_counter() - start)
        after = resource.getrusage(resource.RUSAGE_CHILDREN)
        cpus.append(after.ru_utime - before.ru_utime + after.ru_stime - before.ru_stime)
    return walls, cpus


def imports(args: list[str]) -> dict[str, float]:
    """Cumulative import time (ms) of the watched top-level modules for one cold command."""
    result = subprocess.run(
        [sys.executable, "-X", "importtime", "-m", "imidgraph.cli", *args],
        capture_output=True, text=True, check=True,
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
    args = parser.parse_args()
    rows = []
    for name, command in COMMANDS.items():
        walls, cpus = cold(command, args.runs)
        rows.append((name, statistics.median(walls), statistics.median(cpus)))
        print(f"{name}: wall median {statistics.median(walls) * 1000:.0f} ms, CPU median {statistics.median(cpus) * 1000:.0f} ms")
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
        f"{args.runs} runs; CPU is the process's user + system time.",
        "",
        f"- date: {datetime.now(UTC):%Y-%m-%d %H:%M} UTC",
        f"- machine: {platform.machine()}, {os.cpu_count()} cores, {platform.platform()}, Python {sys.version.split()[0]}",
        f"- load average at the end (1 min / 5 min): {load1:.2f} / {load5:.2f} (a shared machine: wall times",
        "  on a busy machine are several times the idle ones; the CPU times are the steadier figure)",
        "",
        "| command | wall median (ms) | CPU median (ms) |",
        "|---|---:|---:|",
    ]
    lines += [f"| `imidgraph {' '.join(COMMANDS[n])}` | {w * 1000:.0f} | {c * 1000:.0f} |" for n, w, c in rows]
    lines += [
        f"| `python -c pass` (the floor) | {statistics.median(baseline_walls) * 1000:.0f} | "
        f"{statistics.median(baseline_cpus) * 1000:.0f} |",
        "",
        "What the cold explain imports (`python -X importtime`, cumulative ms, this run):",
        "",
        "| module | ms |",
        "|---|---:|",
    ]
    lines += [f"| {m} | {seen[m]:.0f} |" if m in seen else f"| {m} | not imported |" for m in WATCHED]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
