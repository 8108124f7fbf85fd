"""A real Neo4j 5.26 Community server on this machine, without Docker.

The server is assembled from the official jars on Maven Central (the same jars the
tarball's ``lib/`` holds), with Neo4j Browser and APOC Core, and launched as a plain
``java`` process bound to 127.0.0.1 with authentication on.

Standard library only; POSIX only (uses ``fcntl`` and signals). Needs Java 17+ (``java`` on
PATH or ``$JAVA_HOME``) and Maven (``mvn``) for the first install.

API::

    install(home=None, *, force=False) -> Path
    start(home=None, *, bolt_port=None, http_port=None, timeout=120.0) -> ServerInfo
    stop(home=None, *, timeout=60.0) -> bool
    status(home=None) -> ServerStatus
    default_home() -> Path

Command line::

    python -m imidgraph.neo4j_server install|start|stop|status [--home DIR] ...

Environment:

- ``IMIDGRAPH_NEO4J_HOME``: the server home (default ``~/.cache/imidgraph/neo4j-5.26``).
- ``IMIDGRAPH_NEO4J_BOLT_PORT`` / ``IMIDGRAPH_NEO4J_HTTP_PORT``: ports (7687 / 7474).
- ``IMIDGRAPH_NEO4J_HEAP``: the JVM's ``-Xmx`` (default ``1g``).
- ``NEO4J_PASSWORD``: the ``neo4j`` user's password; without it one is generated once and
  kept in ``<home>/password`` (mode 0600).

Layout of the home: ``lib/`` (server jars), ``plugins/`` (APOC), ``conf/neo4j.conf``
(rewritten at each start; lines of ``<home>/neo4j-extra.conf`` are appended), ``data/``,
``logs/`` (``neo4j.log``, ``debug.log``, ``console.out``, ``install-maven.log``),
``run/imidgraph-neo4j.pid``, ``install.json`` (the installed versions), ``password``.
"""

from __future__ import annotations

import argparse
import base64
import contextlib
import fcntl
import json
import os
import re
import secrets
import shutil
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from collections.abc import Iterator
from dataclasses import asdict, dataclass, field
from pathlib import Path

__all__ = [
    "APOC_VERSION",
    "BROWSER_VERSION",
    "NEO4J_VERSION",
    "Neo4jServerError",
    "ServerInfo",
    "ServerStatus",
    "default_home",
    "install",
    "start",
    "status",
    "stop",
]

# Pinned versions (all on Maven Central). 5.26.31 is the newest 5.26 patch that resolves;
# APOC 5.26.19 is the newest APOC 5.26.x published there; Browser 5.24.0 the newest Browser.
NEO4J_VERSION = "5.26.31"
APOC_VERSION = "5.26.19"
BROWSER_VERSION = "5.24.0"
DEPENDENCY_PLUGIN_VERSION = "3.6.1"

USER = "neo4j"
DEFAULT_BOLT_PORT = 7687
DEFAULT_HTTP_PORT = 7474
DEFAULT_HEAP = "1g"
PAGECACHE = "256m"
START_TIMEOUT = 120.0
STOP_TIMEOUT = 60.0
MAVEN_TIMEOUT = 1800.0

ENV_HOME = "IMIDGRAPH_NEO4J_HOME"
ENV_BOLT_PORT = "IMIDGRAPH_NEO4J_BOLT_PORT"
ENV_HTTP_PORT = "IMIDGRAPH_NEO4J_HTTP_PORT"
ENV_HEAP = "IMIDGRAPH_NEO4J_HEAP"
ENV_PASSWORD = "NEO4J_PASSWORD"

_ENTRY_POINT = "org.neo4j.server.CommunityEntryPoint"
_MARKER = "install.json"
_PID_FILE = "run/imidgraph-neo4j.pid"
_CONSOLE_LOG = "logs/console.out"


class Neo4jServerError(RuntimeError):
    """Installing, starting or stopping the local Neo4j server failed."""


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


# --------------------------------------------------------------------------- helpers


def default_home() -> Path:
    """``$IMIDGRAPH_NEO4J_HOME`` or ``~/.cache/imidgraph/neo4j-5.26``."""
    env = os.environ.get(ENV_HOME)
    if env:
        return Path(env).expanduser().resolve()
    return (Path.home() / ".cache" / "imidgraph" / "neo4j-5.26").resolve()


def _home(home: str | os.PathLike[str] | None) -> Path:
    return Path(home).expanduser().resolve() if home is not None else default_home()


def _wanted_versions() -> dict[str, str]:
    return {
        "neo4j": NEO4J_VERSION,
        "apoc": APOC_VERSION,
        "browser": BROWSER_VERSION,
        "maven-dependency-plugin": DEPENDENCY_PLUGIN_VERSION,
    }


def _read_marker(home: Path) -> dict | None:
    try:
        data = json.loads((home / _MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def _is_installed(home: Path) -> bool:
    marker = _read_marker(home)
    return (
        marker is not None
        and marker.get("versions") == _wanted_versions()
        and (home / "lib" / f"neo4j-server-{NEO4J_VERSION}.jar").is_file()
        and (home / "plugins" / f"apoc-core-{APOC_VERSION}.jar").is_file()
    )


@contextlib.contextmanager
def _locked(home: Path) -> Iterator[None]:
    """An exclusive lock on the home, between processes (pytest-xdist, two shells)."""
    home.mkdir(parents=True, exist_ok=True)
    with open(home / ".lock", "a+") as fh:
        fcntl.flock(fh.fileno(), fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh.fileno(), fcntl.LOCK_UN)


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


def _heap() -> str:
    heap = os.environ.get(ENV_HEAP) or DEFAULT_HEAP
    if not re.fullmatch(r"\d+[kKmMgG]", heap):
        raise Neo4jServerError(f"invalid {ENV_HEAP}={heap!r}: expected e.g. 512m or 1g")
    return heap


def _find_java() -> str:
    candidates = []
    java_home = os.environ.get("JAVA_HOME")
    if java_home:
        candidates.append(str(Path(java_home) / "bin" / "java"))
    found = shutil.which("java")
    if found:
        candidates.append(found)
    java = next((c for c in candidates if os.path.isfile(c) and os.access(c, os.X_OK)), None)
    if java is None:
        raise Neo4jServerError(
            "Java not found: install Java 17 or 21 (e.g. apt-get install openjdk-17-jre-headless)"
        )
    try:
        out = subprocess.run([java, "-version"], capture_output=True, text=True, timeout=60)
    except (OSError, subprocess.SubprocessError) as exc:
        raise Neo4jServerError(f"cannot run {java} -version: {exc}") from None
    m = re.search(r'version "(\d+)(?:\.(\d+))?', out.stderr + out.stdout)
    if m:
        major = int(m.group(1))
        if major == 1 and m.group(2):
            major = int(m.group(2))
        if major < 17:
            raise Neo4jServerError(f"Java {major} found at {java}: Neo4j 5.26 needs Java 17 or 21")
    return java


def _find_mvn() -> str:
    mvn = shutil.which("mvn")
    if mvn is None:
        raise Neo4jServerError(
            "Maven (mvn) not found on PATH: install Maven 3.6+ (e.g. apt-get install maven)"
        )
    return mvn


def _resource(name: str) -> bytes:
    """A file of ``imidgraph/resources/neo4j/`` (package data)."""
    if __package__:
        with contextlib.suppress(ImportError, OSError, TypeError):
            from importlib.resources import files

            return files(__package__).joinpath("resources").joinpath("neo4j").joinpath(name).read_bytes()
    return (Path(__file__).resolve().parent / "resources" / "neo4j" / name).read_bytes()


_START_BANNER = "===== imidgraph.neo4j_server start"


def _tail(path: Path, lines: int = 25) -> str:
    """The last lines of a log; of console.out, only those of the latest start."""
    try:
        with open(path, "rb") as fh:
            fh.seek(0, os.SEEK_END)
            fh.seek(max(0, fh.tell() - 64 * 1024))
            text = fh.read().decode("utf-8", "replace")
    except OSError:
        return f"(no log at {path})"
    if _START_BANNER in text:
        text = text[text.rindex(_START_BANNER) :].split("\n", 1)[-1]
    return "\n".join(text.splitlines()[-lines:])


def _with_log(message: str, log: Path) -> str:
    tail = _tail(log)
    cause = next((ln.strip() for ln in tail.splitlines() if "Exception" in ln or " ERROR " in ln), None)
    if cause:
        message = f"{message}: {cause[:300]}"
    return f"{message}\n--- last lines of {log} ---\n{tail}"


def _atomic_write(path: Path, text: str, mode: int = 0o644) -> None:
    tmp = path.with_name(path.name + f".tmp{os.getpid()}")
    fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_TRUNC, mode)
    with os.fdopen(fd, "w", encoding="utf-8") as fh:
        fh.write(text)
    os.chmod(tmp, mode)
    os.replace(tmp, path)


# --------------------------------------------------------------------------- install

_JAR_NAME = re.compile(r"^(?P<aid>.+?)-(?P<ver>\d[^-]*)(?:-(?P<cls>.+))?\.jar$")


def _jar_key(name: str) -> tuple[str, str] | None:
    m = _JAR_NAME.match(name)
    return (m.group("aid"), m.group("cls") or "") if m else None


def _run_maven(mvn: str, pom: Path, outdir: Path, props: dict[str, str], log: Path) -> None:
    cmd = [
        mvn, "-B", "-q", "-f", str(pom),
        *(f"-D{k}={v}" for k, v in props.items()),
        "dependency:copy-dependencies",
        f"-DoutputDirectory={outdir}",
        "-DincludeScope=runtime",
    ]  # fmt: skip
    env = dict(os.environ)
    maven_opts = env.get("MAVEN_OPTS", "")
    if "-Xmx" not in maven_opts:  # the machine is shared: cap Maven's own JVM too
        env["MAVEN_OPTS"] = (maven_opts + " -Xmx512m").strip()
    with open(log, "a", encoding="utf-8") as fh:
        fh.write(f"\n$ {' '.join(cmd)}\n")
        fh.flush()
        try:
            proc = subprocess.run(
                cmd, cwd=pom.parent, env=env, stdin=subprocess.DEVNULL, stdout=fh,
                stderr=subprocess.STDOUT, timeout=MAVEN_TIMEOUT,
            )  # fmt: skip
        except subprocess.TimeoutExpired:
            raise Neo4jServerError(
                f"Maven download timed out after {MAVEN_TIMEOUT:.0f} s (log: {log})"
            ) from None
        except OSError as exc:
            raise Neo4jServerError(f"cannot run Maven ({mvn}): {exc}") from None
    if proc.returncode != 0:
        errors = [line for line in _tail(log, 200).splitlines() if "[ERROR]" in line]
        first = re.sub(r"\x1b\[[0-9;]*m", "", errors[0]).strip() if errors else f"exit code {proc.returncode}"
        raise Neo4jServerError(f"download failed ({pom.parent.name} jars): {first[:400]} (full log: {log})")


def _install_locked(home: Path, force: bool) -> None:
    if not force and _is_installed(home):
        return
    pid = _read_pid(home)
    if pid is not None and _is_our_server(pid, home):
        raise Neo4jServerError(f"cannot (re)install while the server is running (pid {pid}): stop it first")
    _find_java()
    mvn = _find_mvn()
    started = time.monotonic()
    for sub in ("logs", "maven/server", "maven/apoc"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    log = home / "logs" / "install-maven.log"
    log.write_text("", encoding="utf-8")
    server_pom = home / "maven" / "server" / "pom.xml"
    apoc_pom = home / "maven" / "apoc" / "pom.xml"
    server_pom.write_bytes(_resource("server-pom.xml"))
    apoc_pom.write_bytes(_resource("apoc-pom.xml"))

    staging = home / "install.tmp"
    shutil.rmtree(staging, ignore_errors=True)
    staging.mkdir()
    try:
        lib, plugins = staging / "lib", staging / "plugins"
        plugin = {"dependency.plugin.version": DEPENDENCY_PLUGIN_VERSION}
        _run_maven(
            mvn, server_pom, lib,
            {"neo4j.version": NEO4J_VERSION, "neo4j.browser.version": BROWSER_VERSION, **plugin}, log,
        )  # fmt: skip
        _run_maven(mvn, apoc_pom, plugins, {"apoc.version": APOC_VERSION, **plugin}, log)

        # APOC's transitive jars that the server already has (newer) must not shadow them:
        # plugins/ comes first on the classpath.
        lib_keys = {_jar_key(p.name) for p in lib.glob("*.jar")}
        for jar in plugins.glob("*.jar"):
            if not jar.name.startswith("apoc-") and _jar_key(jar.name) in lib_keys:
                jar.unlink()

        expected = [
            lib / f"neo4j-{NEO4J_VERSION}.jar",
            lib / f"neo4j-server-{NEO4J_VERSION}.jar",
            lib / f"neo4j-browser-{BROWSER_VERSION}.jar",
            plugins / f"apoc-core-{APOC_VERSION}.jar",
            plugins / f"apoc-common-{APOC_VERSION}.jar",
        ]
        missing = [p.name for p in expected if not p.is_file()]
        if missing:
            raise Neo4jServerError(f"download incomplete: missing {', '.join(missing)} (log: {log})")

        (home / _MARKER).unlink(missing_ok=True)
        for name in ("lib", "plugins"):
            shutil.rmtree(home / name, ignore_errors=True)
            os.replace(staging / name, home / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    size = sum(p.stat().st_size for d in ("lib", "plugins") for p in (home / d).glob("*.jar"))
    marker = {
        "versions": _wanted_versions(),
        "installed_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "seconds": round(time.monotonic() - started, 1),
        "jar_bytes": size,
    }
    _atomic_write(home / _MARKER, json.dumps(marker, indent=2) + "\n")


def install(home: str | os.PathLike[str] | None = None, *, force: bool = False) -> Path:
    """Download the pinned server, Browser and APOC jars into ``home`` (once).

    A no-op when ``<home>/install.json`` records the pinned versions and the jars are there.
    Maven caches the downloads in ``~/.m2``. Returns the home.
    """
    h = _home(home)
    with _locked(h):
        _install_locked(h, force)
    return h


# --------------------------------------------------------------------------- process


def _read_pid(home: Path) -> int | None:
    try:
        return int((home / _PID_FILE).read_text().strip())
    except (OSError, ValueError):
        return None


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    try:  # a zombie that nobody reaped yet counts as dead
        stat = Path(f"/proc/{pid}/stat").read_text()
        if stat.rsplit(")", 1)[1].split()[0] == "Z":
            return False
    except (OSError, IndexError):
        pass
    return True


def _is_our_server(pid: int, home: Path) -> bool:
    if not _alive(pid):
        return False
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return True  # no /proc: trust the pid file
    return _ENTRY_POINT.encode() in args and f"--home-dir={home}".encode() in args


def _port_free(port: int) -> bool:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        try:
            s.bind(("127.0.0.1", port))
        except OSError:
            return False
    return True


def _port_open(port: int) -> bool:
    try:
        with socket.create_connection(("127.0.0.1", port), timeout=1.0):
            return True
    except OSError:
        return False


_OPENER = urllib.request.build_opener(urllib.request.ProxyHandler({}))  # never via a proxy


def _discovery(http_port: int) -> dict | None:
    req = urllib.request.Request(f"http://127.0.0.1:{http_port}/", headers={"Accept": "application/json"})
    try:
        with _OPENER.open(req, timeout=2.0) as resp:
            data = json.loads(resp.read().decode("utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) and "bolt_direct" in data else None


def _cypher(http_port: int, password: str, database: str, statement: str, params: dict | None = None):
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


def _conf_ports(home: Path) -> tuple[int, int] | None:
    try:
        text = (home / "conf" / "neo4j.conf").read_text(encoding="utf-8")
    except OSError:
        return None
    bolt = re.search(r"^server\.bolt\.listen_address=.*:(\d+)\s*$", text, re.M)
    http = re.search(r"^server\.http\.listen_address=.*:(\d+)\s*$", text, re.M)
    return (int(bolt.group(1)), int(http.group(1))) if bolt and http else None


def _write_conf(home: Path, bolt_port: int, http_port: int) -> None:
    (home / "conf").mkdir(parents=True, exist_ok=True)
    lines = [
        "# Written by imidgraph.neo4j_server at each start: edits are lost.",
        "# Extra settings: put them in <home>/neo4j-extra.conf (appended below).",
        "server.default_listen_address=127.0.0.1",
        "server.default_advertised_address=127.0.0.1",
        f"server.bolt.listen_address=127.0.0.1:{bolt_port}",
        f"server.bolt.advertised_address=127.0.0.1:{bolt_port}",
        f"server.http.listen_address=127.0.0.1:{http_port}",
        f"server.http.advertised_address=127.0.0.1:{http_port}",
        "server.bolt.enabled=true",
        "server.http.enabled=true",
        "server.https.enabled=false",
        "dbms.security.auth_enabled=true",
        "dbms.usage_report.enabled=false",
        "client.allow_telemetry=false",
        "dbms.security.procedures.unrestricted=apoc.*",
        f"server.memory.pagecache.size={PAGECACHE}",
        "db.tx_log.preallocate=false",
        # Bolt's Netty event loops wait 5 s of quiet (twice) on shutdown by default.
        "internal.dbms.bolt.netty_server_shutdown_quiet_period=0",
        "server.directories.data=data",
        "server.directories.logs=logs",
        "server.directories.plugins=plugins",
        "server.directories.import=import",
        "server.directories.run=run",
    ]
    extra = home / "neo4j-extra.conf"
    if extra.is_file():
        lines += ["", f"# from {extra}", *extra.read_text(encoding="utf-8").splitlines()]
    _atomic_write(home / "conf" / "neo4j.conf", "\n".join(lines) + "\n")


def _desired_password(home: Path) -> str:
    env = os.environ.get(ENV_PASSWORD)
    if env:
        if len(env) < 8 or env == "neo4j":
            raise Neo4jServerError(f"{ENV_PASSWORD} must have at least 8 characters and not be 'neo4j'")
        return env
    stored = _stored_password(home)
    if stored:
        return stored
    password = secrets.token_urlsafe(18)
    _atomic_write(home / "password", password + "\n", 0o600)
    return password


def _stored_password(home: Path) -> str | None:
    try:
        return (home / "password").read_text(encoding="utf-8").strip() or None
    except OSError:
        return None


def _initialized(home: Path) -> bool:
    return (home / "data" / "databases" / "system").is_dir()


def _set_initial_password(home: Path, java: str, password: str) -> None:
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
    _atomic_write(home / "password", password + "\n", 0o600)


def _ensure_password(home: Path, http_port: int, password: str, deadline: float) -> None:
    """Check the password over HTTP; change it from the stored one if NEO4J_PASSWORD changed."""
    while True:
        status, errors = _cypher(http_port, password, "system", "SHOW CURRENT USER YIELD user")
        if status == 200 and not errors:
            return
        if status == 401 or any("Security.Unauthorized" in e for e in errors):
            break
        if time.monotonic() > deadline:
            raise Neo4jServerError(f"the server does not answer queries: {', '.join(errors) or status}")
        time.sleep(0.5)
    old = _stored_password(home)
    if old and old != password:
        status, errors = _cypher(
            http_port, old, "system", "ALTER CURRENT USER SET PASSWORD FROM $old TO $new",
            {"old": old, "new": password},
        )  # fmt: skip
        if status == 200 and not errors:
            _atomic_write(home / "password", password + "\n", 0o600)
            return
    raise Neo4jServerError(
        f"authentication as '{USER}' failed: the database in {home / 'data'} has another password "
        f"(set {ENV_PASSWORD} to it, or delete {home / 'data'} to start afresh)"
    )


def _wait_ready(home: Path, pid: int, bolt_port: int, http_port: int, deadline: float) -> dict:
    log = home / _CONSOLE_LOG
    began = time.monotonic()
    while True:
        if not _alive(pid):
            raise Neo4jServerError(_with_log(f"Neo4j exited during start-up (pid {pid})", log))
        disc = _discovery(http_port)
        if disc is not None and _port_open(bolt_port):
            return disc
        if time.monotonic() > deadline:
            waited = time.monotonic() - began
            msg = f"Neo4j did not become ready within {waited:.0f} s (pid {pid}, Bolt {bolt_port}, HTTP {http_port})"
            raise Neo4jServerError(_with_log(msg, log))
        time.sleep(0.25)


def _java_command(java: str, home: Path) -> list[str]:
    heap = _heap()
    cp = ":".join(str(home / d / "*") for d in ("plugins", "conf", "lib"))
    return [
        java,
        f"-Xmx{heap}",
        "-XX:+UseG1GC",
        "-XX:-OmitStackTraceInFastThrow",
        "-XX:+ExitOnOutOfMemoryError",
        "-XX:+UnlockExperimentalVMOptions",
        "-XX:+TrustFinalNonStaticFields",
        "-XX:+DisableExplicitGC",
        "-Djdk.nio.maxCachedBufferSize=1024",
        "-Dio.netty.tryReflectionSetAccessible=true",
        "--add-opens=java.base/java.nio=ALL-UNNAMED",
        "--add-opens=java.base/java.io=ALL-UNNAMED",
        "--add-opens=java.base/sun.nio.ch=ALL-UNNAMED",
        "--enable-native-access=ALL-UNNAMED",
        "-Dlog4j2.disable.jmx=true",
        "-Dfile.encoding=UTF-8",
        "-cp",
        cp,
        _ENTRY_POINT,
        f"--home-dir={home}",
        f"--config-dir={home / 'conf'}",
        "--console-mode",
    ]


def _launch(home: Path, cmd: list[str]) -> int:
    """Start ``cmd`` detached (own session, not our child), logging to logs/console.out."""
    log = home / _CONSOLE_LOG
    with open(log, "a", encoding="utf-8") as fh:
        fh.write(f"\n{_START_BANNER} {time.strftime('%Y-%m-%d %H:%M:%S')} =====\n")
    env = dict(os.environ, NEO4J_HOME=str(home), NEO4J_CONF=str(home / "conf"), IMIDGRAPH_NEO4J_LOG=str(log))
    # The shell backgrounds java and exits at once: the server is re-parented, so no zombie
    # and no Popen object of ours outlives this call.
    script = '"$@" >>"$IMIDGRAPH_NEO4J_LOG" 2>&1 </dev/null & echo $!'
    try:
        out = subprocess.run(
            ["/bin/sh", "-c", script, "sh", *cmd], env=env, cwd=home, capture_output=True, text=True,
            start_new_session=True, timeout=60,
        )  # fmt: skip
        return int(out.stdout.strip())
    except (OSError, subprocess.SubprocessError, ValueError) as exc:
        raise Neo4jServerError(f"cannot launch java: {exc}") from None


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


def _kill(pid: int, timeout: float) -> None:
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    end = time.monotonic() + timeout
    while _alive(pid) and time.monotonic() < end:
        time.sleep(0.2)
    if _alive(pid):
        with contextlib.suppress(ProcessLookupError):
            os.kill(pid, signal.SIGKILL)
        end = time.monotonic() + 15
        while _alive(pid) and time.monotonic() < end:
            time.sleep(0.1)


# --------------------------------------------------------------------------- public


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
    already running, returns its info (with the ports it runs on) without starting another.
    Ports default to ``$IMIDGRAPH_NEO4J_BOLT_PORT``/``$IMIDGRAPH_NEO4J_HTTP_PORT``, else 7687/7474.
    """
    h = _home(home)
    with _locked(h):
        _install_locked(h, force=False)
        password = _desired_password(h)
        deadline = time.monotonic() + timeout

        pid = _read_pid(h)
        if pid is not None and _is_our_server(pid, h):
            ports = _conf_ports(h)
            if ports is None:
                raise Neo4jServerError(
                    f"server pid {pid} is running but {h / 'conf/neo4j.conf'} is unreadable"
                )
            disc = _wait_ready(h, pid, *ports, deadline)
            _ensure_password(h, ports[1], password, deadline)
            return _info(h, pid, *ports, password, disc.get("neo4j_version", NEO4J_VERSION))
        (h / _PID_FILE).unlink(missing_ok=True)

        bolt = _port(bolt_port, ENV_BOLT_PORT, DEFAULT_BOLT_PORT)
        http = _port(http_port, ENV_HTTP_PORT, DEFAULT_HTTP_PORT)
        if bolt == http:
            raise Neo4jServerError(f"the Bolt and HTTP ports must differ (both {bolt})")
        for name, port, env in (("Bolt", bolt, ENV_BOLT_PORT), ("HTTP", http, ENV_HTTP_PORT)):
            if not _port_free(port):
                raise Neo4jServerError(
                    f"{name} port {port} on 127.0.0.1 is in use by another process (choose another with {env})"
                )

        java = _find_java()
        for sub in ("logs", "run", "data", "import"):
            (h / sub).mkdir(parents=True, exist_ok=True)
        _write_conf(h, bolt, http)
        if not _initialized(h):
            _set_initial_password(h, java, password)

        pid = _launch(h, _java_command(java, h))
        (h / _PID_FILE).write_text(f"{pid}\n")
        try:
            disc = _wait_ready(h, pid, bolt, http, deadline)
            _ensure_password(h, http, password, deadline)
        except BaseException:
            _kill(pid, STOP_TIMEOUT)
            (h / _PID_FILE).unlink(missing_ok=True)
            raise
        return _info(h, pid, bolt, http, password, disc.get("neo4j_version", NEO4J_VERSION))


def stop(home: str | os.PathLike[str] | None = None, *, timeout: float = STOP_TIMEOUT) -> bool:
    """Stop the server of ``home``: SIGTERM, then SIGKILL after ``timeout`` seconds.

    Returns True if a running server was stopped, False if none was running.
    """
    h = _home(home)
    if not h.exists():
        return False
    with _locked(h):
        pid = _read_pid(h)
        running = pid is not None and _is_our_server(pid, h)
        if running:
            _kill(pid, timeout)
            if _alive(pid):
                raise Neo4jServerError(f"Neo4j (pid {pid}) did not stop, even after SIGKILL")
        (h / _PID_FILE).unlink(missing_ok=True)
        return running


def status(home: str | os.PathLike[str] | None = None) -> ServerStatus:
    """Whether the server of ``home`` is installed and running (and where)."""
    h = _home(home)
    marker = _read_marker(h)
    pid = _read_pid(h)
    running = pid is not None and _is_our_server(pid, h)
    ports = _conf_ports(h) if running else None
    return ServerStatus(
        home=h,
        installed=_is_installed(h),
        versions=marker.get("versions") if marker else None,
        running=running,
        pid=pid if running else None,
        bolt_uri=f"bolt://127.0.0.1:{ports[0]}" if ports else None,
        http_uri=f"http://127.0.0.1:{ports[1]}" if ports else None,
    )


# --------------------------------------------------------------------------- command line


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m imidgraph.neo4j_server",
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
                **(_read_marker(h) or {}),
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
                for key in (
                    "bolt_uri",
                    "http_uri",
                    "browser_uri",
                    "user",
                    "password",
                    "pid",
                    "version",
                    "home",
                ):
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


if __name__ == "__main__":
    sys.exit(main())
