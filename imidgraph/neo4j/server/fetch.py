"""Fetching the server: the pinned versions, the jars from Maven Central, ``install()``."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import time
from pathlib import Path

from .base import Neo4jServerError, atomic_write, locked, resolve_home, tail
from .process import find_java, running_pid

# Pinned versions (all on Maven Central). 5.26.31 is the newest 5.26 patch that resolves;
# APOC 5.26.19 is the newest APOC 5.26.x published there; Browser 5.24.0 the newest Browser.
NEO4J_VERSION = "5.26.31"
APOC_VERSION = "5.26.19"
BROWSER_VERSION = "5.24.0"
DEPENDENCY_PLUGIN_VERSION = "3.6.1"
# The server's lib/ holds hadoop-common without its dependencies; apoc-pom.xml adds the few
# that APOC's URL handling needs, in the versions this hadoop-common declares.
HADOOP_VERSION = "3.5.0"
MAVEN_TIMEOUT = 1800.0

MARKER = "install.json"
_RESOURCES = Path(__file__).resolve().parents[2] / "resources" / "neo4j"


def wanted_versions() -> dict[str, str]:
    return {
        "neo4j": NEO4J_VERSION,
        "apoc": APOC_VERSION,
        "browser": BROWSER_VERSION,
        "maven-dependency-plugin": DEPENDENCY_PLUGIN_VERSION,
        "apoc-runtime": f"hadoop-common {HADOOP_VERSION}: woodstox, stax2, commons-collections4, shaded guava",
    }


def read_marker(home: Path) -> dict | None:
    try:
        data = json.loads((home / MARKER).read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return None
    return data if isinstance(data, dict) else None


def is_installed(home: Path) -> bool:
    marker = read_marker(home)
    return (
        marker is not None
        and marker.get("versions") == wanted_versions()
        and (home / "lib" / f"neo4j-server-{NEO4J_VERSION}.jar").is_file()
        and (home / "plugins" / f"apoc-core-{APOC_VERSION}.jar").is_file()
    )


def find_mvn() -> str:
    mvn = shutil.which("mvn")
    if mvn is None:
        raise Neo4jServerError(
            "Maven (mvn) not found on PATH: install Maven 3.6+ (e.g. apt-get install maven)"
        )
    return mvn


def resource(name: str) -> bytes:
    """A file of ``imidgraph/resources/neo4j/`` (package data)."""
    return (_RESOURCES / name).read_bytes()


_JAR_NAME = re.compile(r"^(?P<aid>.+?)-(?P<ver>\d[^-]*)(?:-(?P<cls>.+))?\.jar$")


def jar_key(name: str) -> tuple[str, str] | None:
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
        errors = [line for line in tail(log, 200).splitlines() if "[ERROR]" in line]
        first = re.sub(r"\x1b\[[0-9;]*m", "", errors[0]).strip() if errors else f"exit code {proc.returncode}"
        raise Neo4jServerError(f"download failed ({pom.parent.name} jars): {first[:400]} (full log: {log})")


def install_locked(home: Path, force: bool) -> None:
    """:func:`install`, with the home's lock held."""
    if not force and is_installed(home):
        return
    pid = running_pid(home)
    if pid is not None:
        raise Neo4jServerError(f"cannot (re)install while the server is running (pid {pid}): stop it first")
    find_java()
    mvn = find_mvn()
    started = time.monotonic()
    for sub in ("logs", "maven/server", "maven/apoc"):
        (home / sub).mkdir(parents=True, exist_ok=True)
    log = home / "logs" / "install-maven.log"
    log.write_text("", encoding="utf-8")
    server_pom = home / "maven" / "server" / "pom.xml"
    apoc_pom = home / "maven" / "apoc" / "pom.xml"
    server_pom.write_bytes(resource("server-pom.xml"))
    apoc_pom.write_bytes(resource("apoc-pom.xml"))

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
        lib_keys = {jar_key(p.name) for p in lib.glob("*.jar")}
        for jar in plugins.glob("*.jar"):
            if not jar.name.startswith("apoc-") and jar_key(jar.name) in lib_keys:
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
        hadoop = sorted(p.name for p in lib.glob("hadoop-common-*.jar"))
        if hadoop and hadoop != [f"hadoop-common-{HADOOP_VERSION}.jar"]:
            raise Neo4jServerError(
                f"the server ships {', '.join(hadoop)} but apoc-pom.xml adds the dependencies of "
                f"hadoop-common {HADOOP_VERSION}: update them and HADOOP_VERSION"
            )

        (home / MARKER).unlink(missing_ok=True)
        for name in ("lib", "plugins"):
            shutil.rmtree(home / name, ignore_errors=True)
            os.replace(staging / name, home / name)
    finally:
        shutil.rmtree(staging, ignore_errors=True)
    size = sum(p.stat().st_size for d in ("lib", "plugins") for p in (home / d).glob("*.jar"))
    marker = {
        "versions": wanted_versions(),
        "installed_at": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
        "seconds": round(time.monotonic() - started, 1),
        "jar_bytes": size,
    }
    atomic_write(home / MARKER, json.dumps(marker, indent=2) + "\n")


def install(home: str | os.PathLike[str] | None = None, *, force: bool = False) -> Path:
    """Download the pinned server, Browser and APOC jars into ``home`` (once).

    A no-op when ``<home>/install.json`` records the pinned versions and the jars are there.
    Maven caches the downloads in ``~/.m2``. Returns the home.
    """
    h = resolve_home(home)
    with locked(h):
        install_locked(h, force)
    return h
