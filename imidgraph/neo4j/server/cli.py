"""The command line: ``python -m imidgraph.neo4j.server install|start|stop|status``."""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from dataclasses import asdict

from .base import (
    ENV_BOLT_PORT,
    ENV_HOME,
    ENV_HTTP_PORT,
    ENV_PASSWORD,
    START_TIMEOUT,
    STOP_TIMEOUT,
    Neo4jServerError,
)
from .fetch import NEO4J_VERSION, install, read_marker
from .server import start, status, stop


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m imidgraph.neo4j.server",
        description=f"A local Neo4j {NEO4J_VERSION} Community server (with Browser and APOC), without Docker.",
    )
    parser.add_argument("command", choices=["install", "start", "stop", "status"])
    parser.add_argument("--home", help=f"server home (default: ${ENV_HOME} or ~/.cache/imidgraph/neo4j-5.26)")
    parser.add_argument("--bolt-port", type=int, help=f"start: Bolt port (default: ${ENV_BOLT_PORT} or 7687)")
    parser.add_argument("--http-port", type=int, help=f"start: HTTP port (default: ${ENV_HTTP_PORT} or 7474)")
    parser.add_argument("--timeout", type=float, help="start/stop: seconds to wait (default 120 / 60)")
    parser.add_argument("--force", action="store_true", help="install: download again")
    parser.add_argument("--json", action="store_true", help="print the result as JSON")
    parser.add_argument("--show-password", action="store_true", help="start: print the password too")
    args = parser.parse_args(argv)

    try:
        if args.command == "install":
            t0 = time.monotonic()
            h = install(args.home, force=args.force)
            result = {
                "home": str(h),
                **(read_marker(h) or {}),
                "seconds_this_call": round(time.monotonic() - t0, 1),
            }
            print(json.dumps(result, indent=2) if args.json else f"installed in {h} ({result['versions']})")
        elif args.command == "start":
            info = start(args.home, bolt_port=args.bolt_port, http_port=args.http_port,
                         timeout=args.timeout or START_TIMEOUT)  # fmt: skip
            data = {**asdict(info), "home": str(info.home), "browser_uri": info.browser_uri}
            if not args.show_password:
                data["password"] = (
                    f"(from ${ENV_PASSWORD})"
                    if os.environ.get(ENV_PASSWORD)
                    else f"(in {info.home / 'password'})"
                )
            if args.json:
                print(json.dumps(data, indent=2))
            else:
                for key in ("bolt_uri", "http_uri", "browser_uri", "user", "password", "pid", "version", "home"):
                    print(f"{key}: {data[key]}")
        elif args.command == "stop":
            stopped = stop(args.home, timeout=args.timeout or STOP_TIMEOUT)
            print("stopped" if stopped else "not running")
        else:
            st = status(args.home)
            data = {**asdict(st), "home": str(st.home)}
            if args.json:
                print(json.dumps(data, indent=2))
            else:
                for key, value in data.items():
                    print(f"{key}: {value}")
            return 0 if st.running else 3
    except Neo4jServerError as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 1
    return 0
