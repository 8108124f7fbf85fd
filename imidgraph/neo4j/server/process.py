"""The server's JVM: finding Java, launching it detached, waiting for it, stopping it."""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import signal
import subprocess
import time
from pathlib import Path

from .base import (
    CONSOLE_LOG,
    ENTRY_POINT,
    ENV_HEAP,
    PID_FILE,
    START_BANNER,
    Neo4jServerError,
    child_env,
    with_log,
)
from .probe import discovery, port_open

DEFAULT_HEAP = "1g"


def heap() -> str:
    value = os.environ.get(ENV_HEAP) or DEFAULT_HEAP
    if not re.fullmatch(r"\d+[kKmMgG]", value):
        raise Neo4jServerError(f"invalid {ENV_HEAP}={value!r}: expected e.g. 512m or 1g")
    return value


def find_java() -> str:
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


def read_pid(home: Path) -> int | None:
    try:
        return int((home / PID_FILE).read_text().strip())
    except (OSError, ValueError):
        return None


def alive(pid: int) -> bool:
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


def is_our_server(pid: int, home: Path) -> bool:
    if not alive(pid):
        return False
    try:
        args = Path(f"/proc/{pid}/cmdline").read_bytes().split(b"\0")
    except OSError:
        return True  # no /proc: trust the pid file
    return ENTRY_POINT.encode() in args and f"--home-dir={home}".encode() in args


def running_pid(home: Path) -> int | None:
    """The pid of this home's server if it runs, else None."""
    pid = read_pid(home)
    return pid if pid is not None and is_our_server(pid, home) else None


def wait_ready(home: Path, pid: int, bolt_port: int, http_port: int, deadline: float) -> dict:
    log = home / CONSOLE_LOG
    began = time.monotonic()
    while True:
        if not alive(pid):
            raise Neo4jServerError(with_log(f"Neo4j exited during start-up (pid {pid})", log))
        disc = discovery(http_port)
        if disc is not None and port_open(bolt_port):
            return disc
        if time.monotonic() > deadline:
            waited = time.monotonic() - began
            msg = f"Neo4j did not become ready within {waited:.0f} s (pid {pid}, Bolt {bolt_port}, HTTP {http_port})"
            raise Neo4jServerError(with_log(msg, log))
        time.sleep(0.25)


def java_command(java: str, home: Path) -> list[str]:
    cp = ":".join(str(home / d / "*") for d in ("plugins", "conf", "lib"))
    return [
        java,
        f"-Xmx{heap()}",
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
        ENTRY_POINT,
        f"--home-dir={home}",
        f"--config-dir={home / 'conf'}",
        "--console-mode",
    ]


def launch(home: Path, cmd: list[str]) -> int:
    """Start ``cmd`` detached (own session, not our child), logging to logs/console.out."""
    log = home / CONSOLE_LOG
    with open(log, "a", encoding="utf-8") as fh:
        fh.write(f"\n{START_BANNER} {time.strftime('%Y-%m-%d %H:%M:%S')} =====\n")
    env = child_env(home, IMIDGRAPH_NEO4J_LOG=str(log))
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


def kill(pid: int, timeout: float) -> bool:
    """SIGTERM, then SIGKILL after ``timeout`` seconds; whether it ended without the SIGKILL."""
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGTERM)
    end = time.monotonic() + timeout
    while alive(pid) and time.monotonic() < end:
        time.sleep(0.2)
    if not alive(pid):
        return True
    with contextlib.suppress(ProcessLookupError):
        os.kill(pid, signal.SIGKILL)
    end = time.monotonic() + 15
    while alive(pid) and time.monotonic() < end:
        time.sleep(0.1)
    return False
