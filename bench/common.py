"""What the Neo4j benchmarks share: their own server, apart from any other."""

from __future__ import annotations

import os
from pathlib import Path

from imidgraph.neo4j import connect, server

# its own home and ports, so that a test run at the same time cannot disturb it; on a shared
# machine each developer can point it elsewhere ($IMIDGRAPH_BENCH_NEO4J_HOME, _BOLT_PORT, _HTTP_PORT)
BENCH_HOME = Path(os.environ.get("IMIDGRAPH_BENCH_NEO4J_HOME") or Path.home() / ".cache" / "imidgraph" / "neo4j-5.26-bench")
BENCH_BOLT_PORT = int(os.environ.get("IMIDGRAPH_BENCH_NEO4J_BOLT_PORT") or 27687)
BENCH_HTTP_PORT = int(os.environ.get("IMIDGRAPH_BENCH_NEO4J_HTTP_PORT") or 27474)


def start_server() -> tuple[server.ServerInfo, connect.Settings]:
    """Start (or find running) the benchmark server; its info and connection settings."""
    info = server.start(BENCH_HOME, bolt_port=BENCH_BOLT_PORT, http_port=BENCH_HTTP_PORT)
    return info, connect.Settings(uri=info.bolt_uri, user=info.user, password=info.password)
