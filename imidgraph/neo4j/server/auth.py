"""The ``neo4j`` user's password: choosing it, setting it before the first start, checking it.

The password never goes on a command line (``/proc/<pid>/cmdline`` is readable by every
user): the admin tool gets it through a Java argument file (``java @file``), mode 0600,
deleted at once. It is not passed in the environment of the processes started either.
``<home>/password`` and the files under ``data/dbms/`` are mode 0600.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import subprocess
import time
from pathlib import Path

from .base import ENV_PASSWORD, USER, Neo4jServerError, atomic_write, child_env
from .probe import cypher

PASSWORD_FILE = "password"


def env_password() -> str | None:
    """``$NEO4J_PASSWORD`` if set, once checked."""
    value = os.environ.get(ENV_PASSWORD)
    if not value:
        return None
    if len(value) < 8 or value == "neo4j":
        raise Neo4jServerError(f"{ENV_PASSWORD} must have at least 8 characters and not be 'neo4j'")
    if any(ord(c) < 32 or ord(c) == 127 for c in value):
        raise Neo4jServerError(f"{ENV_PASSWORD} must not contain control characters (newlines, tabs)")
    return value


def stored_password(home: Path) -> str | None:
    try:
        return (home / PASSWORD_FILE).read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def store_password(home: Path, password: str) -> None:
    if stored_password(home) != password:
        atomic_write(home / PASSWORD_FILE, password + "\n", 0o600)


def protect(home: Path) -> None:
    """Mode 0600 for the files that hold the password or its hash (and 0700 for their folder)."""
    dbms = home / "data" / "dbms"
    with contextlib.suppress(FileNotFoundError):
        os.chmod(dbms, 0o700)
    for path in [home / PASSWORD_FILE, *dbms.glob("auth*")]:
        with contextlib.suppress(FileNotFoundError):
            os.chmod(path, 0o600)


def initialized(home: Path) -> bool:
    return (home / "data" / "databases" / "system").is_dir()


def _argfile_token(text: str) -> str:
    """``text`` as one argument of a Java argument file (quoted, ``\\`` and ``"`` escaped)."""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'


def set_initial_password(home: Path, java: str, password: str) -> None:
    """``neo4j-admin dbms set-initial-password`` before the first start, the password off argv.

    ``--`` ends the options: a password starting with ``-`` (one generated one in 64 does)
    is the password, not an unknown option."""
    args = ["-Xmx256m", "-cp", f"{home / 'lib'}/*", "org.neo4j.cli.AdminTool",
            "dbms", "set-initial-password", "--", password]  # fmt: skip
    (home / "run").mkdir(parents=True, exist_ok=True)
    argfile = home / "run" / f"set-initial-password.{os.getpid()}.args"
    argfile.unlink(missing_ok=True)
    fd = os.open(argfile, os.O_WRONLY | os.O_CREAT | os.O_EXCL, 0o600)
    try:
        with os.fdopen(fd, "w", encoding="utf-8") as fh:
            fh.write(" ".join(_argfile_token(a) for a in args) + "\n")
        out = subprocess.run(
            [java, f"@{argfile}"], env=child_env(home), cwd=home, stdin=subprocess.DEVNULL,
            capture_output=True, text=True, timeout=180,
        )  # fmt: skip
    except (OSError, subprocess.SubprocessError) as exc:
        raise Neo4jServerError(f"setting the initial password failed: {exc}") from None
    finally:
        argfile.unlink(missing_ok=True)
    if out.returncode != 0:
        msg = (out.stderr.strip() or out.stdout.strip() or f"exit code {out.returncode}").splitlines()[-1]
        raise Neo4jServerError(f"setting the initial password failed: {msg.replace(password, '***')}")
    store_password(home, password)
    protect(home)


def _accepted(http_port: int, password: str, deadline: float) -> bool:
    """Whether the server takes ``password`` (waiting while it cannot answer yet)."""
    while True:
        status, errors = cypher(http_port, password, "system", "SHOW CURRENT USER YIELD user")
        if status == 200 and not errors:
            return True
        if status == 401 or any("Security.Unauthorized" in e for e in errors):
            return False
        if time.monotonic() > deadline:
            raise Neo4jServerError(f"the server does not answer queries: {', '.join(errors) or status}")
        time.sleep(0.5)


def check_running(home: Path, http_port: int, deadline: float) -> str:
    """The password of a server that was already running; it is never changed here."""
    env = env_password()
    password = env or stored_password(home)
    if password is None:
        raise Neo4jServerError(
            f"the server of {home} is running but {home / PASSWORD_FILE} is missing: set {ENV_PASSWORD}"
        )
    if _accepted(http_port, password, deadline):
        store_password(home, password)
        protect(home)
        return password
    source = f"${ENV_PASSWORD}" if env else str(home / PASSWORD_FILE)
    raise Neo4jServerError(
        f"the server of {home} is running with another password than the one in {source}; "
        f"a running server's password is never changed: stop it first, or use its password"
    )


def ensure_after_launch(home: Path, http_port: int, password: str, deadline: float) -> None:
    """Right after this call launched the server: check ``password``; if the database still has
    the stored one (``$NEO4J_PASSWORD`` changed since), change it to ``password``."""
    if _accepted(http_port, password, deadline):
        store_password(home, password)
        protect(home)
        return
    old = stored_password(home)
    if old and old != password:
        status, errors = cypher(
            http_port, old, "system", "ALTER CURRENT USER SET PASSWORD FROM $old TO $new",
            {"old": old, "new": password},
        )  # fmt: skip
        if status == 200 and not errors:
            store_password(home, password)
            protect(home)
            return
    raise Neo4jServerError(
        f"authentication as '{USER}' failed: the database in {home / 'data'} has another password "
        f"(set {ENV_PASSWORD} to it, or delete {home / 'data'} to start afresh)"
    )


def password_for_launch(home: Path) -> str:
    """``$NEO4J_PASSWORD``, else the stored password, else a new one (stored once accepted)."""
    return env_password() or stored_password(home) or secrets.token_urlsafe(18)
