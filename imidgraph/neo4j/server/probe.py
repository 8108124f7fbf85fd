"""Talking to the server from outside: its ports, its discovery document, Cypher over HTTP.

Polling a port in the ephemeral range (32768-60999 on Linux) before anything listens on it
can make the kernel connect the socket to itself (same address and port at both ends): the
request is echoed back, and the port stays taken (TIME_WAIT) so the server cannot bind it.
Connections here therefore leave from 127.0.0.2 where the system has it (Linux: all of
127/8 is loopback), which rules that out, and any self-connection is treated as refused.
"""

from __future__ import annotations

import base64
import contextlib
import http.client
import json
import socket

from .base import USER

HOST = "127.0.0.1"
_SOURCE = "127.0.0.2"


def port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind((HOST, port))
        except OSError:
            return False
    return True


def connect(port: int, timeout: float) -> socket.socket:
    """A TCP connection to 127.0.0.1:``port``, never a self-connection."""
    sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
    try:
        with contextlib.suppress(OSError):  # no 127.0.0.2 (macOS): the check below remains
            sock.bind((_SOURCE, 0))
        sock.settimeout(timeout)
        sock.connect((HOST, port))
        if sock.getsockname() == sock.getpeername():
            raise ConnectionRefusedError(f"nothing listens on {HOST}:{port}")
    except BaseException:
        sock.close()
        raise
    return sock


def port_open(port: int) -> bool:
    try:
        connect(port, 1.0).close()
    except OSError:
        return False
    return True


class _Connection(http.client.HTTPConnection):
    def connect(self) -> None:
        self.sock = connect(self.port, self.timeout)


def _request(port: int, method: str, path: str, body: bytes | None, headers: dict, timeout: float):
    """``(status, body)``; raises OSError or http.client.HTTPException (no proxy, ever)."""
    conn = _Connection(HOST, port, timeout=timeout)
    try:
        conn.request(method, path, body=body, headers=headers)
        resp = conn.getresponse()
        return resp.status, resp.read()
    finally:
        conn.close()


def discovery(http_port: int) -> dict | None:
    """The server's discovery document (``GET /``), or None if it does not (yet) answer with it."""
    try:
        status, raw = _request(http_port, "GET", "/", None, {"Accept": "application/json"}, 2.0)
        data = json.loads(raw.decode("utf-8"))
    except (OSError, http.client.HTTPException, ValueError):
        return None
    return data if status == 200 and isinstance(data, dict) and "bolt_direct" in data else None


def cypher(http_port: int, password: str, database: str, statement: str, params: dict | None = None):
    """Run one statement over the HTTP API; returns (http status, list of error codes)."""
    body = json.dumps({"statements": [{"statement": statement, "parameters": params or {}}]}).encode()
    token = base64.b64encode(f"{USER}:{password}".encode()).decode()
    headers = {
        "Content-Type": "application/json",
        "Accept": "application/json",
        "Authorization": f"Basic {token}",
    }
    try:
        status, raw = _request(http_port, "POST", f"/db/{database}/tx/commit", body, headers, 10.0)
    except (OSError, http.client.HTTPException) as exc:  # refused, reset, timed out, not HTTP
        return 0, [f"connection failed: {exc}"]
    try:
        errors = [e.get("code", "?") for e in json.loads(raw.decode("utf-8")).get("errors", [])]
    except (ValueError, AttributeError):
        errors = [] if status == 200 else [f"HTTP {status}"]
    return status, errors


def database_state(http_port: int, password: str, database: str = "neo4j") -> tuple[str, str] | None:
    """``(currentStatus, statusMessage)`` of ``database`` as the server reports it
    (``SHOW DATABASE``), or None if it cannot be asked."""
    body = json.dumps({"statements": [{
        "statement": "SHOW DATABASE $name YIELD currentStatus, statusMessage RETURN currentStatus, statusMessage",
        "parameters": {"name": database}}]}).encode()  # fmt: skip
    token = base64.b64encode(f"{USER}:{password}".encode()).decode()
    headers = {"Content-Type": "application/json", "Accept": "application/json", "Authorization": f"Basic {token}"}
    try:
        status, raw = _request(http_port, "POST", "/db/system/tx/commit", body, headers, 10.0)
        rows = json.loads(raw.decode("utf-8"))["results"][0]["data"]
    except (OSError, http.client.HTTPException, ValueError, KeyError, IndexError, AttributeError):
        return None
    if status != 200 or not rows:
        return None
    current, message = rows[0]["row"]
    return str(current), str(message or "")
