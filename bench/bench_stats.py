"""Benchmark: `imidgraph stats` cold (a new process each run) and `imidgraph.load()` warm.

Writes docs/bench-stats.md. Run with `make bench` (or python bench/bench_stats.py [--runs N]).
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
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "bench-stats.md"


def cold_runs(n: int) -> tuple[list[float], int]:
    exe = shutil.which("imidgraph", path=str(Path(sys.executable).parent)) or "imidgraph"
    times = []
    for _ in range(n):
        start = time.perf_counter()
        subprocess.run([exe, "stats"], check=True, stdout=subprocess.DEVNULL)
        times.append(time.perf_counter() - start)
    peak_kib = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    return times, peak_kib


def warm_runs(n: int) -> list[float]:
    import imidgraph

    imidgraph.load()  # imports and caches warmed
    times = []
    for _ in range(n):
        start = time.perf_counter()
        imidgraph.load()
        times.append(time.perf_counter() - start)
    return times


def summary(times: list[float]) -> str:
    ordered = sorted(times)
    p90 = ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]
    return (
        f"median {statistics.median(times) * 1000:.0f} ms, min {ordered[0] * 1000:.0f} ms, "
        f"p90 {p90 * 1000:.0f} ms"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--runs", type=int, default=15)
    args = parser.parse_args()
    import imidgraph

    kg = imidgraph.load()
    cold, peak_kib = cold_runs(args.runs)
    warm = warm_runs(args.runs)
    os.environ["IMIDGRAPH_CACHE"] = "0"  # what the cache saves: read, validate and build every time
    uncached = warm_runs(max(3, args.runs // 3))
    del os.environ["IMIDGRAPH_CACHE"]
    lines = [
        "# Benchmark: loading and validating the seeds",
        "",
        f"Measured {date.today().isoformat()} by `bench/bench_stats.py` on {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}; "
        f"{len(kg.entities)} entities, {len(kg.relations)} relations.",
        "",
        "| what | runs | result |",
        "|---|---|---|",
        f"| `imidgraph stats`, cold (new process: imports, the built graph from the cache) | {args.runs} | {summary(cold)} |",
        f"| `imidgraph.load()`, warm (same process: hash the seeds and code, read the cached graph) | {args.runs} | {summary(warm)} |",
        f"| `imidgraph.load()` with `IMIDGRAPH_CACHE=0` (read YAML, validate, build graph) | {len(uncached)} | {summary(uncached)} |",
        f"| peak memory of a cold `imidgraph stats` process | {args.runs} | {peak_kib / 1024:.0f} MiB RSS |",
        "",
        "Goal (issue 2): cold `imidgraph stats` under 1 s wall on our 2-core machines. The graph cache "
        "(`imidgraph/embedded/cache.py`) keeps the validated, built graph per content of the seeds and of the "
        "code; the first command after any change pays the uncached figure once.",
        "",
    ]
    OUT.write_text("\n".join(lines))
    print("\n".join(lines))


if __name__ == "__main__":
    main()
