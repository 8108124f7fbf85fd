"""Writing the server's configuration (``conf/neo4j.conf``, ``conf/apoc.conf``), reading its ports back."""

from __future__ import annotations

import re
from pathlib import Path

from .base import Neo4jServerError, atomic_write

PAGECACHE = "256m"

# What Cypher may read. LOAD CSV and APOC read files only under <home>/import (a file:/// URL
# is resolved inside it; ../ cannot leave it); APOC writes no files; and no Cypher query may
# open a connection to any address (LOAD CSV FROM 'http…', apoc.load.json('http…'), …):
# Neo4j checks every URL's resolved address against this block list, for LOAD CSV and for
# APOC alike.
FILE_AND_URL_SETTINGS = [
    "server.directories.import=import",
    "dbms.security.allow_csv_import_from_file_urls=true",
    "internal.dbms.cypher_ip_blocklist=0.0.0.0/0,::/0",
]
APOC_SETTINGS = [
    "apoc.import.file.enabled=true",
    "apoc.import.file.use_neo4j_config=true",
    "apoc.export.file.enabled=false",
]


# Settings of ours that a user's neo4j-extra.conf (or apoc-extra.conf) may not change, each
# with why: the server must stay on 127.0.0.1 with a password (start, status and every
# command say so), the heap and JVM are ours to launch with, and what Cypher may read and the
# store's layout are what the docs and --bulk rely on. Anything else replaces ours or adds.
MANAGED = {
    "dbms.security.auth_enabled": "the server always asks for the password in <home>/password",
    **dict.fromkeys(
        ("server.default_listen_address", "server.default_advertised_address", "server.bolt.listen_address",
         "server.bolt.advertised_address", "server.http.listen_address", "server.http.advertised_address",
         "server.bolt.enabled", "server.http.enabled", "server.https.enabled", "server.https.listen_address"),
        "the server listens on 127.0.0.1 only; choose its ports with IMIDGRAPH_NEO4J_BOLT_PORT and "
        "IMIDGRAPH_NEO4J_HTTP_PORT",
    ),  # fmt: skip
    **dict.fromkeys(
        ("server.memory.heap.initial_size", "server.memory.heap.max_size", "server.jvm.additional"),
        "imidgraph launches the JVM itself and would ignore it; set the heap with IMIDGRAPH_NEO4J_HEAP",
    ),
    **dict.fromkeys(
        (*(line.split("=", 1)[0] for line in FILE_AND_URL_SETTINGS + APOC_SETTINGS),
         "server.directories.data", "server.directories.logs", "server.directories.plugins",
         "server.directories.run", "db.tx_log.preallocate"),
        "it keeps Cypher to the import folder and the store where imidgraph load --bulk expects it",
    ),  # fmt: skip
}


def settings(text: str) -> list[tuple[str, str]]:
    """The ``(key, value)`` of each setting line (``key=value``, spaces around ``=`` or not, as
    Neo4j reads them); comments and blank lines skipped."""
    out = []
    for line in text.splitlines():
        stripped = line.strip()
        if stripped and not stripped.startswith("#") and "=" in stripped:
            key, value = stripped.split("=", 1)
            out.append((key.strip(), value.strip()))
    return out


def refuse_managed(path: Path, text: str) -> None:
    """One line naming the first setting of ``path`` that changes one of :data:`MANAGED`."""
    for key, _ in settings(text):
        if key in MANAGED:
            raise Neo4jServerError(f"{path} sets {key}, which imidgraph manages ({MANAGED[key]}): remove that line")


def conf_hosts(home: Path) -> tuple[str, str]:
    """The addresses the written conf binds Bolt and HTTP to (``127.0.0.1`` unless the conf was
    written otherwise, e.g. by an earlier version that let a user's conf change them)."""
    try:
        found = dict(settings((home / "conf" / "neo4j.conf").read_text(encoding="utf-8")))
    except OSError:
        return ("127.0.0.1", "127.0.0.1")
    default = found.get("server.default_listen_address") or "127.0.0.1"
    hosts = []
    for key in ("server.bolt.listen_address", "server.http.listen_address"):
        host = found.get(key, "").rpartition(":")[0]
        hosts.append(host or default)
    return hosts[0], hosts[1]


def conf_ports(home: Path) -> tuple[int, int] | None:
    """The Bolt and HTTP ports the written conf binds (the last setting of each counts)."""
    try:
        text = (home / "conf" / "neo4j.conf").read_text(encoding="utf-8")
    except OSError:
        return None
    found = dict(settings(text))
    bolt = re.fullmatch(r".*:(\d+)", found.get("server.bolt.listen_address", ""))
    http = re.fullmatch(r".*:(\d+)", found.get("server.http.listen_address", ""))
    return (int(bolt.group(1)), int(http.group(1))) if bolt and http else None


def write_conf(home: Path, bolt_port: int, http_port: int) -> None:
    (home / "conf").mkdir(parents=True, exist_ok=True)
    lines = [
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
        "server.directories.run=run",
        *FILE_AND_URL_SETTINGS,
    ]
    _write(home, "neo4j.conf", lines)
    _write(home, "apoc.conf", APOC_SETTINGS)


def _write(home: Path, name: str, lines: list[str]) -> None:
    """``conf/<name>``: ``lines``, then those of ``<home>/<stem>-extra.conf`` if it exists."""
    extra = home / name.replace(".conf", "-extra.conf")
    head = [
        "# Written by imidgraph.neo4j.server at each start: edits are lost.",
        f"# Extra settings: put them in {extra} (appended below).",
    ]
    if extra.is_file():
        text = extra.read_text(encoding="utf-8")
        refuse_managed(extra, text)
        theirs = text.splitlines()
        # a setting of theirs replaces ours (Neo4j refuses a setting declared twice)
        keys = {key for key, _ in settings(text)}
        lines = [line for line in lines if line.split("=", 1)[0] not in keys]
        lines += ["", f"# from {extra}", *theirs]
    lines = head + lines
    atomic_write(home / "conf" / name, "\n".join(lines) + "\n")
