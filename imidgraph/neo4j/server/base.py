"""What every part of the local server shares: names, the error, the home, its lock, logs."""

from __future__ import annotations

import contextlib
import fcntl
import os
import re
from collections.abc import Iterator
from pathlib import Path

USER = "neo4j"
DEFAULT_BOLT_PORT = 7687
DEFAULT_HTTP_PORT = 7474
START_TIMEOUT = 120.0
STOP_TIMEOUT = 60.0

ENV_HOME = "IMIDGRAPH_NEO4J_HOME"
ENV_BOLT_PORT = "IMIDGRAPH_NEO4J_BOLT_PORT"
ENV_HTTP_PORT = "IMIDGRAPH_NEO4J_HTTP_PORT"
ENV_HEAP = "IMIDGRAPH_NEO4J_HEAP"
ENV_PASSWORD = "NEO4J_PASSWORD"

ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
PID_FILE = "run/imidgraph-neo4j.pid"
CONSOLE_LOG = "logs/console.out"
START_BANNER = "===== imidgraph.neo4j.server start"


class Neo4jServerError(RuntimeError):
    """Installing, starting or stopping the local Neo4j server failed."""


def default_home() -> Path:
    """``$IMIDGRAPH_NEO4J_HOME`` or ``~/.cache/imidgraph/neo4j-5.26``."""
    env = os.environ.get(ENV_HOME)
    if env:
        return Path(env).expanduser().resolve()
    return (Path.home() / ".cache" / "imidgraph" / "neo4j-5.26").resolve()


def resolve_home(home: str | os.PathLike[str] | None) -> Path:
    return Path(home).expanduser().resolve() if home is not None else default_home()


@contextlib.contextmanager
def locked(home: Path) -> Iterator[None]:
    """An exclusive lock on the home, between processes (pytest-xdist, two shells)."""
    home.mkdir(parents=True, exist_ok=True)
    with open(home / ".lock", "a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


def child_env(home: Path, **extra: str) -> dict[str, str]:
    """The environment for the JVMs started for ``home``: ours without the password, plus
    ``NEO4J_HOME`` and ``NEO4J_CONF`` (APOC reads them) and ``extra``."""
    env = {k: v for k, v in os.environ.items() if k != ENV_PASSWORD}
    env.update(NEO4J_HOME=str(home), NEO4J_CONF=str(home / "conf"), **extra)
    return env


def atomic_write(path: Path, text: str, mode: int = 0o644) -> None:
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(tmp, mode)
    os.replace(tmp, path)


def tail(path: Path, lines: int = 25) -> str:
    """The last lines of a log; of console.out, only those of the latest start."""
    try:
        with open(path, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            fh.seek(max(0, fh.tell() - 64 * 1024))
            text = fh.read().decode("utf-8", "replace")
    except OSError:
        return f"(no log at {path})"
    if START_BANNER in text:
        text = text[text.rindex(START_BANNER) :].split("\n", 1)[-1]
    return "\n".join(text.splitlines()[-lines:])


# a log line that says why a JVM ended: an exception, an error (the JVM's own, e.g. about a
# class-data archive), a full or read-only disk, a kill
_CAUSE = re.compile(
    r"exception|\berror\b|fatal|no space left|read-only file system|killed|permission denied|cannot|could not",
    re.IGNORECASE,
)


def with_log(message: str, log: Path) -> str:
    """``message``, the log's first error line after a colon, then the log's last lines."""
    last = tail(log)
    cause = next((ln.strip() for ln in last.splitlines() if _CAUSE.search(ln)), None)
    message = f"{message}: {cause[:300]}" if cause else f"{message}: the log names no cause (its last lines below)"
    return f"{message}\n--- last lines of {log} ---\n{last}"
