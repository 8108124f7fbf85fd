"""Benchmark: `imidgraph explain` latency, cold CLI and warm API, embedded and on Neo4j.

* cold CLI: a new `imidgraph explain DRUG TARGET` process each run (imports, read and
  validate the seeds, build the graph, search, rank, print); on Neo4j also connect.
* warm API: `kg.explain(drug, target)` in one process after a first call, for each of the
  questions below, on the embedded graph and with a Neo4jBackend on an open driver.

Runs Neo4j on its own server (~/.cache/imidgraph/neo4j-5.26-bench, Bolt 27687; started if
needed, loaded with the curated graph, stopped at the end unless it was running). Writes
docs/bench-explain.md. Timings are recorded, never asserted.

    python bench/bench_explain.py [--runs 10] [--warm-runs 50]
"""

from __future__ import annotations

import argparse
import os
import platform
import shutil
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import BENCH_HOME, start_server  # noqa: E402
from imidgraph.graph import load  # noqa: E402
from imidgraph.neo4j import connect, server  # noqa: E402
from imidgraph.neo4j.backend import Neo4jBackend  # noqa: E402
from imidgraph.neo4j.load import load as load_into_neo4j  # noqa: E402
from imidgraph.neo4j.plan import LoadPlan  # noqa: E402

OUT = ROOT / "docs" / "bench-explain.md"

QUESTIONS = [
    ("lenalidomide", "del(5q) MDS"),
    ("lenalidomide", "MDS"),  # through the subtype
    ("lenalidomide", "multiple myeloma"),
    ("pomalidomide", "multiple myeloma"),
    ("IMiD", "multiple myeloma"),
    ("lenalidomide", "rituximab"),
    ("lenalidomide", "pembrolizumab"),  # trials, one stopped for deaths
    ("lenalidomide", "anti-CD38 monoclonal antibody"),
    ("IMiD", "B-cell lymphoma"),  # the class: the widest search
]
CLI_QUESTION = ("lenalidomide", "del(5q) MDS")


def stats(times: list[float]) -> str:
    return (
        f"median {statistics.median(times) * 1000:.1f} ms, min {min(times) * 1000:.1f} ms, "
        f"p90 {p90(times) * 1000:.1f} ms"
    )


def p90(times: list[float]) -> float:
    ordered = sorted(times)
    return ordered[min(len(ordered) - 1, int(round(0.9 * (len(ordered) - 1))))]


def cold(runs: int, extra: list[str], env: dict[str, str]) -> list[float]:
    exe = shutil.which("imidgraph", path=str(Path(sys.executable).parent)) or "imidgraph"
    times = []
    for _ in range(runs):
        start = time.perf_counter()
        subprocess.run([exe, "explain", *CLI_QUESTION, *extra], check=True, stdout=subprocess.DEVNULL, env=env)
        times.append(time.perf_counter() - start)
    return times


def warm(kg, runs: int, backend) -> dict[tuple[str, str], list[float]]:
    out = {}
    for question in QUESTIONS:
        kg.explain(*question, backend=backend)  # first call: query plans, caches
        times = []
        for _ in range(runs):
            start = time.perf_counter()
            kg.explain(*question, backend=backend)
            times.append(time.perf_counter() - start)
        out[question] = times
    return out


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--runs", type=int, default=10, help="cold CLI runs")
    parser.add_argument("--warm-runs", type=int, default=50, help="warm API runs per question")
    args = parser.parse_args()

    load_before = os.getloadavg()[0]
    kg = load()
    was_running = server.status(BENCH_HOME).running
    info, settings = start_server()
    driver = connect.connect(settings)
    load_into_neo4j(driver, LoadPlan.from_facts(kg.facts), replace=True)
    env = {**os.environ, "NEO4J_URI": info.bolt_uri, "NEO4J_USERNAME": info.user, "NEO4J_PASSWORD": info.password}

    cold_memory = cold(args.runs, [], env)
    print(f"cold CLI, embedded: {stats(cold_memory)}", flush=True)
    cold_neo4j = cold(args.runs, ["--backend", "neo4j"], env)
    print(f"cold CLI, Neo4j: {stats(cold_neo4j)}", flush=True)
    warm_memory = warm(kg, args.warm_runs, None)
    warm_neo4j = warm(kg, args.warm_runs, Neo4jBackend(driver))
    explained = {q: kg.explain(*q, top=0) for q in QUESTIONS}
    paths = {q: f"{len(e.paths)} / {len(e.against)} / {len(e.all_paths)}" for q, e in explained.items()}
    driver.close()
    if not was_running:
        server.stop(BENCH_HOME)

    every_memory = [t for ts in warm_memory.values() for t in ts]
    every_neo4j = [t for ts in warm_neo4j.values() for t in ts]
    cold_goal = statistics.median(cold_memory) < 1.0
    warm_goal = statistics.median(every_memory) < 0.05
    lines = [
        "# Benchmark: `imidgraph explain`",
        "",
        f"`python bench/bench_explain.py --runs {args.runs} --warm-runs {args.warm_runs}` on {date.today().isoformat()}: "
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, Neo4j "
        f"{server.NEO4J_VERSION} on 127.0.0.1 (its own server); {len(kg.entities)} entities, "
        f"{len(kg.relations)} relations. Load average (1 min) {load_before:.1f} before and "
        f"{os.getloadavg()[0]:.1f} after the run: on a shared machine other processes weigh on every number.",
        "",
        "## Cold: a new process per question",
        "",
        f"`imidgraph explain {CLI_QUESTION[0]} \"{CLI_QUESTION[1]}\"`: imports, reading and validating the seeds, "
        "building the graph, then the search, ranking and printing. On Neo4j it also connects (and the seeds "
        "are still read: names are resolved locally).",
        "",
        "| backend | runs | wall time |",
        "|---|---|---|",
        f"| embedded (networkx) | {args.runs} | {stats(cold_memory)} |",
        f"| Neo4j | {args.runs} | {stats(cold_neo4j)} |",
        "",
        "## Warm: `kg.explain(drug, target)` in one process",
        "",
        "After one call per question (Neo4j plans its queries, Python fills its caches). On Neo4j an "
        "explanation takes a dozen to two dozen round trips: the candidate paths (`cypher/explain_paths.cypher`), "
        "the relations of every step, the supporting bindings and changes, the clinical relations trials and "
        "observed endings cite, the target's family and the drug's, the ancestors the context rule needs, the "
        "entities, and the open questions (which path entities a question concerns, then one query per such "
        "entity and for the target). Paths: reasons / against / all groups.",
        "",
        "| question | paths | embedded | Neo4j |",
        "|---|---|---|---|",
    ]
    for q in QUESTIONS:
        lines.append(f"| {q[0]} → {q[1]} | {paths[q]} | {stats(warm_memory[q])} | {stats(warm_neo4j[q])} |")
    lines += [
        f"| **all questions** | | **{stats(every_memory)}** | **{stats(every_neo4j)}** |",
        "",
        "## Goals (issues 5, 13 and 19)",
        "",
        f"- cold CLI under 1 s (embedded): {'met' if cold_goal else 'NOT met'} "
        f"(median {statistics.median(cold_memory) * 1000:.0f} ms).",
        f"- warm under 50 ms (embedded): {'met' if warm_goal else 'NOT met'} "
        f"(median over all questions {statistics.median(every_memory) * 1000:.1f} ms, "
        f"slowest question's p90 {max(p90(ts) for ts in warm_memory.values()) * 1000:.1f} ms).",
        f"- on Neo4j, warm median {statistics.median(every_neo4j) * 1000:.1f} ms (p90 {p90(every_neo4j) * 1000:.0f} ms), "
        f"cold CLI median {statistics.median(cold_neo4j) * 1000:.0f} ms (p90 {p90(cold_neo4j) * 1000:.0f} ms): "
        + ("the medians meet both goals" if statistics.median(every_neo4j) < 0.05 and statistics.median(cold_neo4j) < 1
           else "the medians miss a goal")
        + "; importing the neo4j driver alone takes about 0.85 s of a cold run, and a warm explanation is "
        "a dozen to two dozen round trips.",
        "",
    ]
    OUT.write_text("\n".join(lines), encoding="utf-8")
    print(f"wrote {OUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
