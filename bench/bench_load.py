"""Benchmark: Neo4j load throughput, imidgraph's batched loader side by side with a naive one.

Two graphs: the curated graph, and a generated graph of the same schema with 1,000,000
relations (imidgraph.synthetic: rows copied from curated rows, so the same properties, sizes
and types). Each is loaded into an empty database by `imidgraph.loader.load` and by a naive
loader that sends one `MERGE` per entity and per relation, each in its own auto-commit
transaction (what a first script with the driver does), with the same constraints in place.
The naive loader loads the whole curated graph; at 1M relations it would run for hours, so it
loads the first --naive-sample relations of the generated graph (after all its entities are
loaded by the batched loader) and its steady rate is reported (marked "sampled").

Runs against its own server (~/.cache/imidgraph/neo4j-5.26-bench, Bolt 27687), which it
starts if needed, wipes between runs (keeping the constraints and indexes, so that neither
loader pays for creating them) and stops at the end. Writes docs/bench-load.md. Timings are recorded, never asserted.

    python bench/bench_load.py [--relations 1000000] [--naive-sample 5000]
"""

from __future__ import annotations

import argparse
import os
import platform
import resource
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.common import BENCH_HOME, start_server  # noqa: E402
from imidgraph import db, loader, neo4j_server, synthetic  # noqa: E402
from imidgraph.facts import default_seeds_dir  # noqa: E402
from imidgraph.validate import load_facts  # noqa: E402
from tests.conftest import wipe  # noqa: E402

OUT = ROOT / "docs" / "bench-load.md"


def naive_load(driver, plan: loader.LoadPlan, nodes: bool, limit: int | None) -> tuple[int, float]:
    """One MERGE per row, each its own transaction. Returns (relations written, seconds)."""
    start = time.perf_counter()
    with driver.session(database="neo4j") as session:
        if nodes:
            for label, rows in plan.nodes.items():
                for row in rows:
                    session.run(
                        f"MERGE (n:Imidgraph {{id: $id}}) SET n = $p, n:{label}", id=row["id"], p=row["p"]
                    ).consume()
        done = 0
        for rel_type, rows in plan.relationships.items():
            for row in rows:
                if limit is not None and done >= limit:
                    return done, time.perf_counter() - start
                session.run(
                    "MATCH (s:Imidgraph {id: $s}) MATCH (o:Imidgraph {id: $o}) "
                    f"MERGE (s)-[r:{rel_type} {{id: $id}}]->(o) SET r = $p",
                    s=row["s"],
                    o=row["o"],
                    id=row["id"],
                    p=row["p"],
                ).consume()
                done += 1
    return done, time.perf_counter() - start


def server_rss_mib(pid: int) -> float:
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return float("nan")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--relations", type=int, default=1_000_000)
    parser.add_argument("--naive-sample", type=int, default=5_000)
    parser.add_argument("--batch-size", type=int, default=loader.DEFAULT_BATCH_SIZE)
    args = parser.parse_args()

    info, settings = start_server()
    driver = db.connect(settings)
    facts = load_facts(default_seeds_dir())
    rows = []

    # -- the curated graph -------------------------------------------------------------
    curated = loader.LoadPlan.from_facts(facts)
    wipe(driver)
    t0 = time.perf_counter()
    loader.ensure_schema(driver, "neo4j")
    schema_s = time.perf_counter() - t0
    loader.load(driver, curated)  # warm the server: query plans, JIT
    loader.load(driver, curated)
    wipe(driver, schema=False)
    first = loader.load(driver, curated, batch_size=args.batch_size)
    again = loader.load(driver, curated, batch_size=args.batch_size)
    wipe(driver, schema=False)
    naive_n, naive_s = naive_load(driver, curated, nodes=True, limit=None)
    rows.append(
        ("curated", curated.relation_count, curated.entity_count, first, again, naive_n, naive_s, False)
    )
    print(f"curated: batched {first.seconds:.2f} s, naive {naive_s:.2f} s", flush=True)

    # -- the generated graph -----------------------------------------------------------
    t0 = time.perf_counter()
    big = synthetic.generate(facts, args.relations)
    generate_s = time.perf_counter() - t0
    print(f"generated {big.relation_count} relations in {generate_s:.1f} s", flush=True)
    wipe(driver, schema=False)
    first_big = loader.load(driver, big, batch_size=args.batch_size)
    print(f"batched: {first_big.seconds:.1f} s ({first_big.mode})", flush=True)
    again_big = loader.load(driver, big, batch_size=args.batch_size)
    print(f"second load: {again_big.seconds:.1f} s, changed={again_big.changed}", flush=True)
    wipe(driver, schema=False)
    entities_only = loader.LoadPlan(big.nodes, {})
    loader.load(driver, entities_only, batch_size=args.batch_size)
    naive_big_n, naive_big_s = naive_load(driver, big, nodes=False, limit=args.naive_sample)
    print(f"naive: {naive_big_n} relations in {naive_big_s:.1f} s", flush=True)
    rows.append(
        ("generated", big.relation_count, big.entity_count, first_big, again_big, naive_big_n, naive_big_s, True)
    )
    client_rss = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    server_rss = server_rss_mib(info.pid)
    wipe(driver)
    driver.close()
    neo4j_server.stop(BENCH_HOME)

    java = subprocess.run(["java", "-version"], capture_output=True, text=True).stderr.splitlines()[0]
    lines = [
        "# Benchmark: loading Neo4j",
        "",
        f"`python bench/bench_load.py --relations {args.relations} --naive-sample {args.naive_sample}` "
        f"on {date.today().isoformat()}: {os.cpu_count()} cores, "
        f"{os.sysconf('SC_PAGE_SIZE') * os.sysconf('SC_PHYS_PAGES') / 2**30:.0f} GiB RAM, "
        f"Python {platform.python_version()}, {java}, Neo4j {info.version} Community "
        f"(heap {os.environ.get('IMIDGRAPH_NEO4J_HEAP', neo4j_server.DEFAULT_HEAP)}, "
        f"page cache {neo4j_server.PAGECACHE}), server and client on the same machine.",
        "",
        "Each graph is loaded into an empty database (constraints and indexes in place) by",
        "`imidgraph.loader.load` (batches of "
        f"{args.batch_size} rows, `UNWIND $rows`) and by a naive loader that sends one `MERGE`",
        "per entity and per relation in its own auto-commit transaction. Relations per second",
        "count relations only; times include the entities.",
        "",
        "| graph | relations | entities | loader | mode | time | relations/s | second load (no changes) | naive relations/s | speed-up |",
        "|---|---:|---:|---|---|---:|---:|---:|---:|---:|",
    ]
    for name, n_rel, n_ent, res, res2, nn, ns, sampled in rows:
        rate = n_rel / res.seconds
        naive_rate = nn / ns
        lines.append(
            f"| {name} | {n_rel:,} | {n_ent:,} | batched | {res.mode} | {res.seconds:.2f} s | {rate:,.0f} | "
            f"{res2.seconds:.2f} s (changed: {res2.changed}) | {naive_rate:,.0f}"
            f"{f' (sampled: {nn:,} relations in {ns:.1f} s)' if sampled else f' ({ns:.1f} s)'} | "
            f"{rate / naive_rate:,.0f}× |"
        )
    big_rate = rows[1][1] / rows[1][3].seconds
    big_speedup = big_rate / (rows[1][5] / rows[1][6])
    lines += [
        "",
        f"Creating the constraints and indexes in an empty database took {schema_s:.1f} s, "
        "not counted above (a first load pays it once).",
        f"Generating the {args.relations:,}-relation plan (rows and content hash) took {generate_s:.1f} s, "
        "not counted above.",
        f"Peak memory: client {client_rss:,.0f} MiB (the whole plan in memory), server {server_rss:,.0f} MiB.",
        "",
        "## Against the goals",
        "",
        f"- At least 20× the naive loader: **{'met' if big_speedup >= 20 else 'not met'}** "
        f"({big_speedup:,.0f}× at {args.relations:,} relations).",
        f"- At least 50,000 relations/s at 1M relations: **{'met' if big_rate >= 50_000 else 'not met'}** "
        f"({big_rate:,.0f} relations/s).",
    ]
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(OUT.read_text())


if __name__ == "__main__":
    main()
