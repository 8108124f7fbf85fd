"""Load test: `imidgraph serve` under 20 concurrent clients, embedded and on Neo4j.

The server runs in its own process (uvicorn, as `imidgraph serve` runs it), so that its memory
is its own; the clients are one asyncio process with httpx2 (`--clients` at once, each sending
its next request when the last is answered). For each backend and each kind of request
(explain, search, entity) it sends `--requests` requests spread over a fixed set of questions
and records requests per second, p50/p95 latency and errors, twice: with the server's kept
answers (as served: a question asked before is not computed again) and with them off (every
request computed). The server's memory (resident, and its peak) is read from /proc.

Neo4j runs on its own server ($IMIDGRAPH_BENCH_NEO4J_HOME, _BOLT_PORT, _HTTP_PORT; see
bench/common.py), loaded with the curated graph if it does not hold it, stopped at the end
unless it was running. Writes docs/bench-serve.md. Timings are recorded, never asserted.

    python bench/bench_serve.py [--clients 20] [--requests 200] [--backend memory --backend neo4j]
"""

from __future__ import annotations

import argparse
import asyncio
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from datetime import date
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import httpx2  # noqa: E402

OUT = ROOT / "docs" / "bench-serve.md"

EXPLAIN = [("lenalidomide", "del(5q) MDS"), ("lenalidomide", "multiple myeloma"), ("pomalidomide", "multiple myeloma"),
           ("lenalidomide", "rituximab"), ("thalidomide", "erythema nodosum leprosum"), ("IMiD", "B-cell lymphoma")]  # fmt: skip
SEARCH = ["CK1 alpha", "cereblon degradation", "Revlimid", "IKZF1 Ikaros", "T cell IL-2", "neutropenia"]
ENTITY = ["lenalidomide", "CRBN", "CSNK1A1", "IKZF1", "multiple myeloma", "NK cell"]


def requests(kind: str) -> list[tuple[str, dict]]:
    if kind == "explain":
        return [("/api/explain", {"drug": d, "target": t}) for d, t in EXPLAIN]
    if kind == "search":
        return [("/api/search", {"q": q}) for q in SEARCH]
    return [(f"/api/entity/{name}", {}) for name in ENTITY]


SERVER = """
import sys, uvicorn
from imidgraph.serve import create_app
backend = sys.argv[1]
settings = None
if backend == "neo4j":
    from imidgraph.neo4j.connect import Settings
    settings = Settings(uri=sys.argv[4], user=sys.argv[5], password=sys.argv[6])
app = create_app(backend=backend, settings=settings, cache=sys.argv[2] == "cache")
uvicorn.run(app, host="127.0.0.1", port=int(sys.argv[3]), log_level="warning")
"""


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def memory(pid: int) -> dict[str, float]:
    """Resident memory now and its peak (VmRSS, VmHWM), in MB."""
    found = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, value = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            found[key] = int(value.split()[0]) / 1024
    return found


async def load(base: str, kind: str, clients: int, total: int) -> dict:
    todo = requests(kind)
    latencies: list[float] = []
    errors = 0
    sent = 0

    async def client(http: httpx2.AsyncClient) -> None:
        nonlocal errors, sent
        while sent < total:
            path, params = todo[sent % len(todo)]
            sent += 1
            start = time.perf_counter()
            try:
                response = await http.get(base + path, params=params)
                ok = response.status_code == 200
            except httpx2.HTTPError:
                ok = False
            latencies.append(time.perf_counter() - start)
            errors += not ok

    limits = httpx2.Limits(max_connections=clients, max_keepalive_connections=clients)
    async with httpx2.AsyncClient(timeout=120, limits=limits) as http:
        for path, params in todo:  # each question once first, alone (not counted)
            await http.get(base + path, params=params)
        began = time.perf_counter()
        await asyncio.gather(*(client(http) for _ in range(clients)))
        wall = time.perf_counter() - began
    latencies.sort()
    return {
        "requests": len(latencies),
        "errors": errors,
        "rps": len(latencies) / wall,
        "p50": statistics.median(latencies) * 1000,
        "p95": latencies[max(0, round(0.95 * len(latencies)) - 1)] * 1000,
    }


def serve(backend: str, cache: bool, settings) -> tuple[subprocess.Popen, str]:
    port = free_port()
    args = [sys.executable, "-c", SERVER, backend, "cache" if cache else "nocache", str(port)]
    if settings is not None:
        args += [settings.uri, settings.user, settings.password]
    process = subprocess.Popen(args, cwd=ROOT)
    base = f"http://127.0.0.1:{port}"
    for _ in range(1200):
        try:
            if httpx2.get(base + "/api/queries", timeout=5).status_code == 200:
                return process, base
        except httpx2.HTTPError:
            pass
        if process.poll() is not None:
            raise SystemExit(f"the {backend} server stopped (exit {process.returncode})")
        time.sleep(0.1)
    process.kill()
    raise SystemExit(f"the {backend} server did not answer")


def neo4j_settings():
    from bench.common import BENCH_HOME, start_server
    from imidgraph.graph import load as load_graph
    from imidgraph.neo4j import connect, record, server
    from imidgraph.neo4j.load import load as load_into_neo4j
    from imidgraph.neo4j.plan import LoadPlan

    was_running = server.status(BENCH_HOME).running
    info, settings = start_server()
    plan = LoadPlan.from_facts(load_graph().facts)
    driver = connect.connect(settings)
    try:
        record.check_graph(driver, "neo4j", plan.content_hash)
    except record.GraphCheckError:
        driver.execute_query("MATCH (n) CALL (n) { DETACH DELETE n } IN TRANSACTIONS OF 10000 ROWS")
        load_into_neo4j(driver, plan)
    driver.close()
    return settings, info, was_running


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--clients", type=int, default=20)
    parser.add_argument("--requests", type=int, default=200, help="requests per kind, backend and mode")
    parser.add_argument("--backend", action="append", choices=["memory", "neo4j"], default=None)
    args = parser.parse_args()
    backends = args.backend or ["memory", "neo4j"]
    before = os.getloadavg()
    rows, memories = [], {}
    neo4j = None
    for backend in backends:
        settings = None
        if backend == "neo4j":
            neo4j = neo4j_settings()
            settings = neo4j[0]
        for cache in (True, False):
            process, base = serve(backend, cache, settings)
            try:
                for kind in ("explain", "search", "entity"):
                    result = asyncio.run(load(base, kind, args.clients, args.requests))
                    rows.append((backend, "kept" if cache else "computed", kind, result))
                    print(backend, cache, kind, result, flush=True)
                memories[(backend, cache)] = memory(process.pid)
            finally:
                process.terminate()
                process.wait(timeout=30)
    after = os.getloadavg()
    version = ""
    if neo4j is not None:
        from bench.common import BENCH_HOME
        from imidgraph.neo4j import server

        version = ", Neo4j 5.26 on 127.0.0.1 (its own server)"
        if not neo4j[2]:
            server.stop(BENCH_HOME)
    write(args, rows, memories, before, after, version)


def write(args, rows, memories, before, after, version) -> None:
    lines = [
        "# Benchmark: `imidgraph serve` under load",
        "",
        f"`python bench/bench_serve.py --clients {args.clients} --requests {args.requests}` on {date.today()}: "
        f"{platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}{version}. "
        f"**Load average (1, 5, 15 min) {before[0]:.1f}, {before[1]:.1f}, {before[2]:.1f} before and "
        f"{after[0]:.1f}, {after[1]:.1f}, {after[2]:.1f} after the run: the machine was shared with other "
        "work, so these figures were taken under load** and an idle machine answers faster.",
        "",
        f"{args.clients} clients at once, each sending its next request when the last is answered; "
        f"{args.requests} requests per row, spread over six questions (explain: {', '.join(f'{d} → {t}' for d, t in EXPLAIN)}; "
        f"search: {', '.join(SEARCH)}; entity: {', '.join(ENTITY)}). The server runs in its own process "
        "(uvicorn, as `imidgraph serve` runs it) and computes at most 8 answers at once. *Kept*: as served, a "
        "question asked before is answered from the kept answers (docs/serve.md); *computed*: kept answers off, "
        "every request computed. Before each row, each of its six questions is asked once, alone, and not counted "
        "(with kept answers, the rest are then answered from memory).",
        "",
        "| backend | answers | request | requests | errors | requests/s | p50 | p95 |",
        "|---|---|---|---|---|---|---|---|",
    ]
    for backend, mode, kind, r in rows:
        lines.append(f"| {backend} | {mode} | {kind} | {r['requests']} | {r['errors']} | {r['rps']:.1f} | "
                     f"{r['p50']:.0f} ms | {r['p95']:.0f} ms |")  # fmt: skip
    lines += ["", "Server memory after its rows (resident now / peak):", ""]
    for (backend, cache), m in memories.items():
        lines.append(f"- {backend}, {'kept' if cache else 'computed'}: {m.get('VmRSS', 0):.0f} MB / {m.get('VmHWM', 0):.0f} MB")
    OUT.write_text("\n".join(lines) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
