"""Benchmark: Neo4j load throughput and memory, in one run: naive, today's loader (the loader
before issue 15, bench/baseline_loader.py, with the pure-Python driver as users had it), the
current online loader and `imidgraph load --bulk`; plus the re-load of identical content.

Graphs: the curated graph, and generated graphs of the same schema (imidgraph.synthetic: rows
copied from curated rows, so the same properties, sizes and types) of each --sizes relations.
Each load runs in a child process of its own (so that its peak memory is its own) into an
empty database, and creates the constraints and indexes as for a user's first load, timed
with it: today's loader all of them first (the current ones, full-text search included, as
today's loader on main does), the online loader, batched, the full-text ones after the rows,
--bulk all after the import. (Naive finds them created.)
The naive loader (one MERGE per row, each its own transaction) loads the whole curated graph;
for generated graphs it loads the first --naive-sample relations after the entities, and its
steady rate is reported (marked "sampled").

Runs against its own server ($IMIDGRAPH_BENCH_NEO4J_HOME, default
~/.cache/imidgraph/neo4j-5.26-bench; ports $IMIDGRAPH_BENCH_NEO4J_BOLT_PORT/_HTTP_PORT), which it
starts if needed and stops at the end. Writes docs/bench-load.md. Timings are recorded, never
asserted.

    python bench/bench_load.py [--sizes 200000 1000000] [--naive-sample 5000] [--warmup 20000]

Before the first measured load, and after each --bulk (which restarts the server), today's and
the online loader load --warmup generated relations, not recorded, so that no measured load
pays for a cold server.
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import resource
import subprocess
import sys
import time
from datetime import UTC, datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUT = ROOT / "docs" / "bench-load.md"


def _plan(size: int):
    from imidgraph import synthetic
    from imidgraph.facts import default_seeds_dir
    from imidgraph.neo4j.plan import LoadPlan
    from imidgraph.validate import load_facts

    facts = load_facts(default_seeds_dir())
    return LoadPlan.from_facts(facts) if size == 0 else synthetic.generate(facts, size)


def child(method: str, size: int, naive_sample: int) -> dict:
    """One measured load, in this (child) process; its figures as a dict."""
    if method in ("today", "naive"):
        sys.modules["neo4j._rust"] = None  # type: ignore[assignment]  # the pure-Python driver, as users had it
    from bench.common import start_server
    from imidgraph.neo4j import connect
    from imidgraph.neo4j.indexes import ensure_schema
    from imidgraph.neo4j.load import load
    from imidgraph.neo4j.plan import LoadPlan, StreamedPlan

    _, settings = start_server()
    out: dict = {"method": method, "size": size}
    t0 = time.perf_counter()
    plan = _plan(size)
    content_hash = plan.content_hash
    out["plan_s"] = time.perf_counter() - t0
    out["hash"] = content_hash
    out["relations"], out["entities"] = plan.relation_count, plan.entity_count
    if method == "today":
        from bench import baseline_loader

        t0 = time.perf_counter()
        from imidgraph.properties import edge_properties_from_stored, node_properties_from_stored

        # today's rows: every property of the embedded graph, empty lists and derivable ones included
        # (made group by group from the streamed rows, so that only today's rows are held)
        old = baseline_loader.LoadPlan(
            {k: [{**r, "p": node_properties_from_stored(r["p"])} for r in rows] for k, rows in plan.node_groups()},
            {k: [{**r, "p": edge_properties_from_stored(r["p"])} for r in rows] for k, rows in plan.relationship_groups()},
        )
        out["plan_s"] += time.perf_counter() - t0
        driver = connect.connect(settings)
        t0 = time.perf_counter()
        # today's loader on main creates every constraint and index first, the search indexes
        # included (the baseline copy predates them): so does this run, timed with the load
        ensure_schema(driver, "neo4j")
        first = baseline_loader.load(driver, old)
        seconds = time.perf_counter() - t0
        again = baseline_loader.load(driver, old)
        out.update(seconds=seconds, mode=first.mode, reload_s=again.seconds, reload_changed=again.changed)
    elif method == "online":
        driver = connect.connect(settings)
        first = load(driver, plan)
        again = load(driver, plan)
        out.update(seconds=first.seconds, mode=first.mode, reload_s=again.seconds, reload_changed=again.changed,
                   reload_mode=again.mode)  # fmt: skip
    elif method == "bulk":
        from bench.common import BENCH_HOME
        from imidgraph.neo4j.bulk import bulk_load

        timings: dict[str, float] = {}
        result = bulk_load(settings, plan, BENCH_HOME, timings=timings)
        out.update(seconds=result.seconds, mode=result.mode, timings=timings)
        driver = connect.connect(settings)
        again = load(driver, plan)
        out.update(reload_s=again.seconds, reload_changed=again.changed, reload_mode=again.mode)
    elif method == "naive":
        driver = connect.connect(settings)
        held = plan if isinstance(plan, LoadPlan) else None
        if held is None:  # the entities by the loader, then the first relations one by one
            load(driver, StreamedPlan(plan.label_counts(), {}, plan.node_groups, lambda: iter(())))
        t0 = time.perf_counter()
        done = 0
        with driver.session(database="neo4j") as session:
            if held is not None:
                for label, rows in held.nodes.items():
                    for row in rows:
                        session.run(f"MERGE (n:Imidgraph {{id: $id}}) SET n = $p, n:{label}", id=row["id"], p=row["p"]).consume()
            for rel_type, rows in plan.relationship_groups():
                for row in rows:
                    if held is None and done >= naive_sample:
                        break
                    session.run("MATCH (s:Imidgraph {id: $s}) MATCH (o:Imidgraph {id: $o}) "
                                f"MERGE (s)-[r:{rel_type} {{id: $id}}]->(o) SET r = $p",
                                s=row["s"], o=row["o"], id=row["id"], p=row["p"]).consume()  # fmt: skip
                    done += 1
        out.update(seconds=time.perf_counter() - t0, naive_relations=done, sampled=held is None)
    driver.close()
    out["client_mib"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    return out


def server_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def run_child(method: str, size: int, naive_sample: int, quiet: bool = False) -> dict:
    done = subprocess.run(
        [sys.executable, __file__, "--child", method, "--size", str(size), "--naive-sample", str(naive_sample)],
        capture_output=True, text=True, cwd=ROOT,
    )  # fmt: skip
    if done.returncode != 0:
        sys.exit(f"{method} at {size}: {done.stderr.strip().splitlines()[-1] if done.stderr.strip() else done.returncode}")
    result = json.loads(done.stdout.strip().splitlines()[-1])
    print(("warm-up: " if quiet else "") + json.dumps(result), flush=True)
    return result


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--sizes", type=int, nargs="*", default=[200_000, 1_000_000])
    parser.add_argument("--naive-sample", type=int, default=5_000)
    parser.add_argument("--warmup", type=int, default=20_000, help="relations of the unrecorded warm-up loads (0: none)")
    parser.add_argument("--child", help=argparse.SUPPRESS)
    parser.add_argument("--size", type=int, default=0, help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.child:
        print(json.dumps(child(args.child, args.size, args.naive_sample)))
        return

    from bench.common import BENCH_HOME, start_server
    from imidgraph.neo4j import connect, server
    from imidgraph.neo4j.indexes import ensure_schema
    from tests.conftest import wipe

    def fresh(schema: bool = True) -> None:
        _, settings = start_server()
        driver = connect.connect(settings)
        wipe(driver)
        if schema:
            ensure_schema(driver, "neo4j")
        driver.close()

    def warm_up() -> None:
        """A load of --warmup generated relations by today's and the online loader, not
        recorded: the server's JIT and query caches are warm before each measured load (at
        the start, and after --bulk restarted the server)."""
        if args.warmup:
            for method in ("today", "online"):
                fresh()
                run_child(method, args.warmup, args.naive_sample, quiet=True)

    started = datetime.now(UTC)
    load_before = os.getloadavg()
    results: list[dict] = []
    server_peak = 0.0
    warm_up()
    for size in [0, *args.sizes]:
        for method in ("today", "online", "bulk", "naive"):
            fresh(schema=method == "naive")  # the others create their own, as for a user's first load
            results.append(run_child(method, size, args.naive_sample))
            info, _ = start_server()
            server_peak = max(server_peak, server_rss_mib(info.pid))
            if method == "bulk":
                warm_up()
    load_after = os.getloadavg()
    info, _ = start_server()
    fresh(schema=False)
    server.stop(BENCH_HOME)
    write_doc(args, results, started, load_before, load_after, server_peak, info)


def cpu_model() -> str:
    for line in Path("/proc/cpuinfo").read_text().splitlines() if Path("/proc/cpuinfo").exists() else []:
        if line.startswith("model name"):
            return line.split(":", 1)[1].strip()
    return platform.processor() or platform.machine()


def write_doc(args, results, started, load_before, load_after, server_peak, info) -> None:
    from imidgraph.neo4j import server

    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    by = {(r["method"], r["size"]): r for r in results}
    lines = [
        "# Benchmark: loading Neo4j",
        "",
        f"`python bench/bench_load.py --sizes {' '.join(map(str, args.sizes))} --naive-sample {args.naive_sample} "
        f"--warmup {args.warmup}`, "
        f"one run started {started:%Y-%m-%d %H:%M} UTC on {platform.node()}: {cpu_model()}, {os.cpu_count()} cores, "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB RAM, "
        f"Python {platform.python_version()}, {java}, Neo4j {info.version} Community "
        f"(heap {os.environ.get('IMIDGRAPH_NEO4J_HEAP', server.DEFAULT_HEAP)}, "
        f"page cache {server.PAGECACHE}), server and client on the same machine.",
        f"1-minute load average {load_before[0]:.1f} at the start, {load_after[0]:.1f} at the end "
        f"({os.cpu_count()} cores; the benchmark's own server and client count in it). Other work on the machine "
        "makes absolute figures slower and noisier; the rows of one run are comparable with each other.",
        "",
        "Loaders: **today** = the loader before issue 15 (`bench/baseline_loader.py`, whole plan in memory, "
        "pure-Python driver); **online** = `imidgraph.neo4j.load.load` now (streamed plan, neo4j-rust-ext, "
        f"{'2'} sessions on one batch queue above `--max-transaction-rows`); **bulk** = `imidgraph load --bulk` "
        "(neo4j-admin import, end to end: CSV, stop, import, start, constraints, record); **naive** = one `MERGE` "
        "per row in its own transaction. Each into an empty database, in a process of its own, on a warm "
        "server (unrecorded warm-up loads of --warmup relations first and after each --bulk restart). "
        "Each creates the constraints and indexes, timed with its load: today's all first (the current ones, "
        "full-text search included, as on main), online (batched) the full-text ones after the rows, bulk all after "
        "the import. "
        "Relations/s count relations; times include the entities. Making the plan (generating rows, the content "
        "hash) is not counted (column *plan*).",
        "",
        "| graph | relations | loader | mode | time | relations/s | vs today | re-load of identical content | client peak | plan |",
        "|---|---:|---|---|---:|---:|---:|---|---:|---:|",
    ]
    for size in [0, *args.sizes]:
        today = by[("today", size)]
        for method in ("today", "online", "bulk", "naive"):
            r = by[(method, size)]
            name = "curated" if size == 0 else "generated"
            if method == "naive":
                n = r["naive_relations"]
                rate = n / r["seconds"]
                time_s = f"{r['seconds']:.1f} s" + (f" for {n:,} (sampled)" if r["sampled"] else "")
                mode = "one per row"
                reload = "–"
            else:
                rate = r["relations"] / r["seconds"]
                time_s = f"{r['seconds']:.2f} s"
                mode = r["mode"]
                reload = f"{r['reload_s']:.3f} s ({r.get('reload_mode', 'full')}, changed: {r['reload_changed']})"
            ratio = rate / (today["relations"] / today["seconds"])
            lines.append(
                f"| {name} | {r['relations']:,} | {method} | {mode} | {time_s} | {rate:,.0f} | {ratio:.2f}× | {reload} | "
                f"{r['client_mib']:,.0f} MiB | {r['plan_s']:.1f} s |"
            )
    lines += ["", f"Server peak memory (VmHWM of the server process, highest seen): {server_peak:,.0f} MiB.", ""]
    lines += ["## Where the time of `--bulk` goes", "", "| relations | " + " | ".join(
        by[("bulk", args.sizes[-1] if args.sizes else 0)]["timings"]) + " |"]
    lines += ["|---:|" + "---:|" * len(by[("bulk", args.sizes[-1] if args.sizes else 0)]["timings"])]
    for size in [0, *args.sizes]:
        t = by[("bulk", size)]["timings"]
        lines.append(f"| {by[('bulk', size)]['relations']:,} | " + " | ".join(f"{v:.1f} s" for v in t.values()) + " |")
    big = args.sizes[-1] if args.sizes else 0
    online_x = (by[("today", big)]["seconds"]) / by[("online", big)]["seconds"]
    bulk_x = (by[("today", big)]["seconds"]) / by[("bulk", big)]["seconds"]
    lines += [
        "",
        "## Against the goals (issue 15)",
        "",
        f"- Instant re-load (under 1 s at {big:,} relations, no changes): online {by[('online', big)]['reload_s']:.3f} s, "
        f"after --bulk {by[('bulk', big)]['reload_s']:.3f} s: "
        f"**{'met' if max(by[('online', big)]['reload_s'], by[('bulk', big)]['reload_s']) < 1 else 'not met'}**.",
        f"- Client peak under 300 MiB at {big:,} relations: online {by[('online', big)]['client_mib']:,.0f} MiB, "
        f"bulk {by[('bulk', big)]['client_mib']:,.0f} MiB: "
        f"**{'met' if max(by[('online', big)]['client_mib'], by[('bulk', big)]['client_mib']) < 300 else 'not met'}** "
        f"(today: {by[('today', big)]['client_mib']:,.0f} MiB).",
        f"- Online at least 1.7× today at {big:,} relations: {online_x:.2f}×: **{'met' if online_x >= 1.7 else 'not met'}**.",
        f"- `--bulk` end to end at least 4× today at {big:,} relations: {bulk_x:.2f}×: **{'met' if bulk_x >= 4 else 'not met'}**.",
    ]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(OUT.read_text())


if __name__ == "__main__":
    main()
