"""The ``neo4j`` user's password: choosing it, setting it before the first start, checking it."""

from __future__ import annotations

import os
import secrets
import subprocess
import time
from pathlib import Path

from .base import ENV_PASSWORD, USER, Neo4jServerError, atomic_write
from .probe import cypher


def desired_password(home: Path) -> str:
    env = os.environ.get(ENV_PASSWORD)
    if env:
        if len(env) < 8 or env == "neo4j":
            raise Neo4jServerError(f"{ENV_PASSWORD} must have at least 8 characters and not be 'neo4j'")
        return env
    stored = stored_password(home)
    if stored:
        return stored
    password = secrets.token_urlsafe(18)
    atomic_write(home / "password", password + "\n", 0o600)
    return password


def stored_password(home: Path) -> str | None:
    try:
        return (home / "password").read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def initialized(home: Path) -> bool:
    return (home / "data" / "databases" / "system").is_dir()


def set_initial_password(home: Path, java: str, password: str) -> None:
    env = dict(os.environ, NEO4J_HOME=str(home), NEO4J_CONF=str(home / "conf"))
    cmd = [java, "-Xmx256m", "-cp", f"{home / 'lib'}/*", "org.neo4j.cli.AdminTool",
           "dbms", "set-initial-password", password]  # fmt: skip
    try:
        out = subprocess.run(cmd, env=env, cwd=home, capture_output=True, text=True, timeout=180)
    except (OSError, subprocess.SubprocessError) as exc:
        raise Neo4jServerError(f"setting the initial password failed: {exc}") from None
    if out.returncode != 0:
        msg = (out.stderr.strip() or out.stdout.strip() or f"exit code {out.returncode}").splitlines()[-1]
        raise Neo4jServerError(f"setting the initial password failed: {msg.replace(password, '***')}")
    atomic_write(home / "password", password + "\n", 0o600)


def ensure_password(home: Path, http_port: int, password: str, deadline: float) -> None:
    """Check the password over HTTP; change it from the stored one if NEO4J_PASSWORD changed."""
    while True:
        status, errors = cypher(http_port, password, "system", "SHOW CURRENT USER YIELD user")
        if status == 200 and not errors:
            return
        if status == 401 or any("Security.Unauthorized" in e for e in errors):
            break
        if time.monotonic() > deadline:
            raise Neo4jServerError(f"the server does not answer queries: {', '.join(errors) or status}")
        time.sleep(0.5)
    old = stored_password(home)
    if old and old != password:
        status, errors = cypher(
            http_port, old, "system", "ALTER CURRENT USER SET PASSWORD FROM $old TO $new",
            {"old": old, "new": password},
        )  # fmt: skip
        if status == 200 and not errors:
            atomic_write(home / "password", password + "\n", 0o600)
            return
    raise Neo4jServerError(
        f"authentication as '{USER}' failed: the database in {home / 'data'} has another password "
        f"(set {ENV_PASSWORD} to it, or delete {home / 'data'} to start afresh)"
    )
