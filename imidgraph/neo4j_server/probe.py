"""Talking to the server from outside: its ports, its discovery document, Cypher over HTTP."""

from __future__ import annotations

import base64
import json
import socket
import urllib.error
import urllib.request

from .base import USER


def port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1.0):
            return True
    except OSError:
        return False


_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy


def discovery(http_port: int) -> dict | None:
    req = urllib.request.Request(f"http://127.0.0.1:{http_port}/", headers={"Accept": "application/json"})
    try:
        with _OPENER.open(req, timeout=2.0) as resp:
            data = json.loads(resp.read().decode("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and "bolt_direct" in data else None


def cypher(http_port: int, password: str, database: str, statement: str, params: dict | None = None):
    """Run one statement over the HTTP API; returns (http status, list of error codes)."""
    body = json.dumps({"statements": [{"statement": statement, "parameters": params or {}}]}).encode()
    token = base64.b64encode(f"{USER}:{password}".encode()).decode()
    req = urllib.request.Request(
        f"http://127.0.0.1:{http_port}/db/{database}/tx/commit",
        data=body,
        method="POST",
        headers={
            "Content-Type": "application/json",
            "Accept": "application/json",
            "Authorization": f"Basic {token}",
        },
    )
    try:
        with _OPENER.open(req, timeout=10.0) as resp:
            status, raw = resp.status, resp.read()
    except urllib.error.HTTPError as exc:
        with exc:
            status, raw = exc.code, exc.read()
    except OSError as exc:  # refused, reset, timed out
        return 0, [f"connection failed: {exc}"]
    try:
        errors = [e.get("code", "?") for e in json.loads(raw.decode("utf-8")).get("errors", [])]
    except (ValueError, AttributeError):
        errors = [] if status == 200 else [f"HTTP {status}"]
    return status, errors
