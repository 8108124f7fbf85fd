"""Benchmark: what a reader's check of the graph costs per command (``record.check_graph``),
with and without the scan for relationships of ours that were moved (``record.misplaced``),
for the curated graph and generated ones.

Writes docs/bench-check.md. Run: python bench/bench_check.py [--runs N] [--sizes 10000,100000]
(on the benchmark server of bench/common.py, whose database it empties).
Timings are measured here and recorded, never asserted in tests.
"""

from __future__ import annotations

import argparse
import os
import statistics
import time
from datetime import date
from pathlib import Path

from common import BENCH_HOME, start_server

from imidgraph.neo4j import connect, record
from imidgraph.neo4j.bulk import bulk_load
from imidgraph.neo4j.load import load
from imidgraph.neo4j.plan import LoadPlan
from imidgraph.synthetic import generate
from imidgraph.validate import load_facts

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "docs" / "bench-check.md"


def empty(driver) -> None:
    with driver.session(database="neo4j") as session:
        session.run("MATCH ()-[r]->() CALL (r) { DELETE r } IN TRANSACTIONS OF 20000 ROWS").consume()
        session.run("MATCH (n) CALL (n) { DELETE n } IN TRANSACTIONS OF 20000 ROWS").consume()


def timed(call, runs: int) -> float:
    call()  # planned and cached once, as for every command after the first
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        call()
        times.append(time.perf_counter() - start)
    return statistics.median(times) * 1000


def measure(driver, content_hash: str, runs: int) -> tuple[float, float, float]:
    """Median ms: the whole check (with the scan), the check without it, the scan alone."""
    whole = timed(lambda: record.check_graph(driver, "neo4j", content_hash), runs)
    limit = record.READER_SCAN_LIMIT
    record.READER_SCAN_LIMIT = -1
    try:
        counts = timed(lambda: record.check_graph(driver, "neo4j", content_hash), runs)
    finally:
        record.READER_SCAN_LIMIT = limit
    scan = timed(lambda: record.misplaced(driver, "neo4j"), runs)
    return whole, counts, scan


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=20)
    parser.add_argument("--sizes", default="10000", help="relations of the generated graphs")
    args = parser.parse_args()
    facts = load_facts(ROOT / "seeds")
    _, settings = start_server()
    rows = []
    plans = [("curated", LoadPlan.from_facts(facts))]
    plans += [(f"generated, {int(n):,}", generate(facts, relations=int(n))) for n in args.sizes.split(",") if n]
    for name, plan in plans:
        driver = connect.connect(settings)
        empty(driver)
        if name == "curated":
            load(driver, plan)
        else:
            driver.close()
            bulk_load(settings, plan, BENCH_HOME)
            start_server()
            driver = connect.connect(settings)
        whole, counts, scan = measure(driver, plan.content_hash, args.runs)
        rows.append((name, plan.relation_count, whole, counts, scan))
        print(f"{name}: {plan.relation_count} relations: check {whole:.1f} ms, without the scan {counts:.1f} ms, "
              f"scan alone {scan:.1f} ms", flush=True)  # fmt: skip
        driver.close()
    load_avg = ", ".join(f"{x:.2f}" for x in os.getloadavg())
    lines = [
        "# A reader's check of the graph: what it costs per command",
        "",
        f"Measured {date.today()} by `bench/bench_check.py` (median of {args.runs} runs after one to plan the",
        f"queries; load average at the end {load_avg}, on a 2-core machine shared with other work).",
        "",
        "Every `--backend neo4j` command checks the graph first (`record.check_graph`): the load record",
        "and the count store's counts in one round trip, then, up to `record.READER_SCAN_LIMIT` (10,000)",
        "relations, one scan for a relationship of ours that no longer joins the nodes its",
        "`imidgraph_ends` names (`record.misplaced`). Above the limit a reader does not scan; `load`'s",
        "instant check always does.",
        "",
        "| graph | relations | check (ms) | check without the scan (ms) | the scan alone (ms) |",
        "|---|---:|---:|---:|---:|",
        *[f"| {n} | {r:,} | {w:.1f} | {c:.1f} | {s:.1f} |" for n, r, w, c, s in rows],
        "",
    ]
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
