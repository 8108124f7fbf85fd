"""Writing the server's configuration (``conf/neo4j.conf``, ``conf/apoc.conf``), reading its ports back."""

from __future__ import annotations

import re
from pathlib import Path

from .base import atomic_write

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


def conf_ports(home: Path) -> tuple[int, int] | None:
    try:
        text = (home / "conf" / "neo4j.conf").read_text(encoding="utf-8")
    except OSError:
        return None
    bolt = re.search(r"^server\.bolt\.listen_address=.*:(\d+)\s*$", text, re.M)
    http = re.search(r"^server\.http\.listen_address=.*:(\d+)\s*$", text, re.M)
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
        theirs = extra.read_text(encoding="utf-8").splitlines()
        # a setting of theirs replaces ours (Neo4j refuses a setting declared twice)
        keys = {line.split("=", 1)[0].strip() for line in theirs if "=" in line and not line.lstrip().startswith("#")}
        lines = [line for line in lines if line.split("=", 1)[0] not in keys]
        lines += ["", f"# from {extra}", *theirs]
    lines = head + lines
    atomic_write(home / "conf" / name, "\n".join(lines) + "\n")
