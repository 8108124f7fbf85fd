"""The public calls: ``start()``, ``stop()``, ``status()``, and what they return."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import auth, cds, config, fetch, probe, process
from .base import (
    DEFAULT_BOLT_PORT,
    DEFAULT_HTTP_PORT,
    ENV_BOLT_PORT,
    ENV_HTTP_PORT,
    PID_FILE,
    START_TIMEOUT,
    STOP_TIMEOUT,
    USER,
    Neo4jServerError,
    locked,
    resolve_home,
)
from .fetch import NEO4J_VERSION
from .probe import port_free


@dataclass(frozen=True)
class ServerInfo:
    """How to reach a running server."""

    bolt_uri: str
    http_uri: str
    user: str
    password: str = field(repr=False)
    pid: int
    home: Path
    version: str = NEO4J_VERSION

    @property
    def auth(self) -> tuple[str, str]:
        """``(user, password)``, as the driver's ``auth=`` takes it."""
        return (self.user, self.password)

    @property
    def browser_uri(self) -> str:
        return self.http_uri + "/browser/"


@dataclass(frozen=True)
class ServerStatus:
    """What :func:`status` finds in a home."""

    home: Path
    installed: bool
    versions: dict | None
    running: bool
    pid: int | None
    bolt_uri: str | None
    http_uri: str | None


def _port(value: int | str | None, env: str, default: int) -> int:
    if value is None:
        value = os.environ.get(env) or default
    try:
        port = int(value)
    except (TypeError, ValueError):
        raise Neo4jServerError(f"invalid port {value!r} (from {env} or argument)") from None
    if not 0 < port < 65536:
        raise Neo4jServerError(f"invalid port {port} (from {env} or argument)")
    return port


def _info(home: Path, pid: int, bolt_port: int, http_port: int, password: str, version: str) -> ServerInfo:
    return ServerInfo(
        bolt_uri=f"bolt://127.0.0.1:{bolt_port}",
        http_uri=f"http://127.0.0.1:{http_port}",
        user=USER,
        password=password,
        pid=pid,
        home=home,
        version=version,
    )


def start(
    home: str | os.PathLike[str] | None = None,
    *,
    bolt_port: int | None = None,
    http_port: int | None = None,
    timeout: float = START_TIMEOUT,
) -> ServerInfo:
    """Start the server in the background (installing it first if needed) and wait until ready.

    Ready means: ``GET http://127.0.0.1:<http>/`` returns the discovery JSON, the Bolt port
    accepts connections, and the ``neo4j`` user authenticates. If the server of this home is
    already running, returns its info (with the ports it runs on) without starting another;
    its password is then never changed: if ``$NEO4J_PASSWORD`` (or else ``<home>/password``)
    is not the one it runs with, this raises. Only a server this call launches has its
    password changed to ``$NEO4J_PASSWORD``.
    Ports default to ``$IMIDGRAPH_NEO4J_BOLT_PORT``/``$IMIDGRAPH_NEO4J_HTTP_PORT``, else 7687/7474.
    """
    h = resolve_home(home)
    with locked(h):
        fetch.install_locked(h, force=False)
        deadline = time.monotonic() + timeout

        pid = process.running_pid(h)
        if pid is not None:
            ports = config.conf_ports(h)
            if ports is None:
                raise Neo4jServerError(
                    f"server pid {pid} is running but {h / 'conf/neo4j.conf'} is unreadable"
                )
            disc = process.wait_ready(h, pid, *ports, deadline)
            password = auth.check_running(h, ports[1], deadline)
            _database_online(h, ports[1], password, deadline)
            return _info(h, pid, *ports, password, disc.get("neo4j_version", NEO4J_VERSION))
        (h / PID_FILE).unlink(missing_ok=True)

        password = auth.password_for_launch(h)
        bolt = _port(bolt_port, ENV_BOLT_PORT, DEFAULT_BOLT_PORT)
        http = _port(http_port, ENV_HTTP_PORT, DEFAULT_HTTP_PORT)
        if bolt == http:
            raise Neo4jServerError(f"the Bolt and HTTP ports must differ (both {bolt})")
        for name, port, env in (("Bolt", bolt, ENV_BOLT_PORT), ("HTTP", http, ENV_HTTP_PORT)):
            if not port_free(port):
                raise Neo4jServerError(
                    f"{name} port {port} on 127.0.0.1 is in use by another process (choose another with {env})"
                )

        java = process.find_java()
        for sub in ("logs", "run", "data", "import"):
            (h / sub).mkdir(parents=True, exist_ok=True)
        config.write_conf(h, bolt, http)
        if not auth.initialized(h):
            auth.set_initial_password(h, java, password)
        auth.protect(h)

        for attempt in (1, 2):
            if attempt == 2:  # the launch without the archive has the whole time again
                deadline = time.monotonic() + timeout
            command = process.java_command(java, h)
            command[1:1] = cds.options(java, h, command)
            pid = process.launch(h, command)
            (h / PID_FILE).write_text(f"{pid}\n")
            try:
                disc = process.wait_ready(h, pid, bolt, http, deadline)
                auth.ensure_after_launch(h, http, password, deadline)
            except BaseException as e:
                exited = not process.alive(pid)
                process.kill(pid, STOP_TIMEOUT)
                cds.after_stop(h, ended_by_itself=False)
                (h / PID_FILE).unlink(missing_ok=True)
                if attempt == 1 and exited and cds.mapped(command) and isinstance(e, Neo4jServerError):
                    # a damaged class-data archive the size check did not see: once more without it
                    cds.discard(h)
                    continue
                if exited and cds.mapped(command) and isinstance(e, Neo4jServerError):
                    raise Neo4jServerError(
                        f"{e} (with the class-data archive of {h / cds.FOLDER}; "
                        f"{cds.ENV_CDS}=0 starts without it)"
                    ) from e
                raise
            _database_online(h, http, password, deadline)
            return _info(h, pid, bolt, http, password, disc.get("neo4j_version", NEO4J_VERSION))
        raise AssertionError("not reached")


DATABASE_TIMEOUT = 60.0  # for the database's state, once the server answers (busy machines)


def _database_online(home: Path, http_port: int, password: str, deadline: float) -> None:
    """The server runs: say so only if its database ``neo4j`` is online too (a ``load --bulk``
    killed during its import leaves a store the server will not open). The question has
    DATABASE_TIMEOUT seconds at least, whatever the start-up left of ``deadline``."""
    deadline = max(deadline, time.monotonic() + DATABASE_TIMEOUT)
    while True:
        state = probe.database_state(http_port, password)
        if state is not None and state[0] == "online":
            return
        # not asked (a busy server's answer timed out) or still starting: ask again
        waiting = state is None or state[0] == "starting" or (state[0] == "offline" and not state[1])
        if waiting and time.monotonic() <= deadline:
            time.sleep(0.25)
            continue
        if state is None:
            raise Neo4jServerError(
                f"the server of {home} runs, but whether its database 'neo4j' is online could not be asked "
                f"(SHOW DATABASE over HTTP on port {http_port}); see {home / 'logs' / 'debug.log'}"
            )
        raise Neo4jServerError(
            f"the server of {home} runs, but its database 'neo4j' is {state[0]}"
            + (f" ({state[1][:300]})" if state[1] else "")
            + ": a 'load --bulk' killed during its import leaves it so; stop the server, remove "
            f"{home / 'data' / 'databases' / 'neo4j'} and {home / 'data' / 'transactions' / 'neo4j'}, "
            "and start it again for an empty database"
        )


def stop(home: str | os.PathLike[str] | None = None, *, timeout: float = STOP_TIMEOUT) -> bool:
    """Stop the server of ``home``: SIGTERM, then SIGKILL after ``timeout`` seconds.

    Returns True if a running server was stopped, False if none was running.
    """
    h = resolve_home(home)
    if not h.exists():
        return False
    with locked(h):
        pid = process.running_pid(h)
        if pid is not None:
            cds.after_stop(h, ended_by_itself=process.kill(pid, timeout))
            if process.alive(pid):
                raise Neo4jServerError(f"Neo4j (pid {pid}) did not stop, even after SIGKILL")
        (h / PID_FILE).unlink(missing_ok=True)
        return pid is not None


def status(home: str | os.PathLike[str] | None = None) -> ServerStatus:
    """Whether the server of ``home`` is installed and running (and where)."""
    h = resolve_home(home)
    marker = fetch.read_marker(h)
    pid = process.running_pid(h)
    ports = config.conf_ports(h) if pid is not None else None
    hosts = config.conf_hosts(h)  # what the conf it started with binds
    return ServerStatus(
        home=h,
        installed=fetch.is_installed(h),
        versions=marker.get("versions") if marker else None,
        running=pid is not None,
        pid=pid,
        bolt_uri=f"bolt://{hosts[0]}:{ports[0]}" if ports else None,
        http_uri=f"http://{hosts[1]}:{ports[1]}" if ports else None,
    )
