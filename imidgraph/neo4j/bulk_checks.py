"""The checks around ``imidgraph load --bulk`` (:mod:`.bulk`): the local server only, an empty
database only, and no write between the emptiness check and the server's stop.

``--bulk`` takes the load lock (a plain load under way finishes first, one that starts waits),
checks the database empty under it, notes the size of the transaction log, and keeps the lock
until the server is down; then a log that grew means somebody wrote after the check, and
nothing is imported.
"""

from __future__ import annotations

import contextlib
import ctypes
import re
import shutil
import signal
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from . import server
from .indexes import schema_statements, superseded_index
from .record import LoadError
from .server import config, process

if TYPE_CHECKING:
    import neo4j

DATABASE = "neo4j"  # the one user database of Community Edition, and what the importer replaces


def refuse_unless_empty(driver: neo4j.Driver) -> None:
    counts = driver.execute_query(
        "RETURN COUNT { (n) } AS nodes, COUNT { ()-[r]->() } AS rels", database_=DATABASE
    ).records[0]
    schema = [
        r["name"]
        for r in driver.execute_query("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP'", database_=DATABASE).records
        if r["name"] not in schema_statements() and not superseded_index(r["name"])
    ]
    if counts["nodes"] or counts["rels"] or schema:
        what = f"{counts['nodes']} nodes, {counts['rels']} relationships" + (f", indexes {', '.join(sorted(schema))}" if schema else "")
        raise LoadError(
            f"database {DATABASE!r} is not empty ({what}): --bulk replaces the whole database, so it imports "
            "only into an empty one; load without --bulk"
        )


@contextlib.contextmanager
def closing_driver(driver):
    try:
        yield driver
    finally:
        with contextlib.suppress(Exception):
            driver.close()


@contextlib.contextmanager
def lost_lock(lock):
    """The load lock; ending it when the server has gone raises nothing (it went with the server)."""
    lock.__enter__()
    try:
        yield
    finally:
        with contextlib.suppress(Exception):
            lock.__exit__(None, None, None)


def transaction_log(home: Path) -> dict[str, int]:
    """The sizes of the database's transaction log files (each commit appends to them; the
    server writes them without preallocation, see ``config.write_conf``)."""
    folder = home / "data" / "transactions" / DATABASE
    return {p.name: p.stat().st_size for p in folder.glob("neostore.transaction.db.*")}


def grew(before: dict[str, int], after: dict[str, int]) -> bool:
    """Whether a transaction was committed between the two looks at the log (old files may be
    pruned; none is written without a commit)."""
    return any(size > before.get(name, 0) for name, size in after.items())


def check_local(uri: str, home: Path) -> tuple[int, int]:
    st = server.status(home)
    ports = config.conf_ports(home)
    if not st.running or ports is None:
        raise LoadError(
            f"--bulk imports only into the local server that 'imidgraph neo4j start' runs, and the one of {home} "
            "is not running: start it with 'imidgraph neo4j start'"
        )
    parts = urlsplit(uri)
    if parts.hostname not in ("127.0.0.1", "localhost", "::1") or parts.port != ports[0]:
        raise LoadError(
            f"--bulk imports only into the local server that 'imidgraph neo4j start' runs "
            f"(bolt://127.0.0.1:{ports[0]}, home {home}), not {uri}"
        )
    return ports


# --------------------------------------------------------------------------- the importer and its files

WORK_PREFIX = "imidgraph-bulk-"


def work_folder(home: Path, pid: int) -> Path:
    """Where ``--bulk`` (process ``pid``) writes the importer's CSV: under ``run/``, which no
    Cypher query can read (``LOAD CSV`` and APOC read ``import/`` only)."""
    return home / "run" / f"{WORK_PREFIX}{pid}"


def remove_stale_work_folders(home: Path) -> list[Path]:
    """Remove the CSV folders of ``--bulk`` runs that are no longer alive (killed); also those
    earlier versions left in ``import/``. Returns them."""
    gone = []
    for parent in (home / "run", home / "import"):
        for folder in parent.glob(f"{WORK_PREFIX}*"):
            match = re.fullmatch(rf"{WORK_PREFIX}(\d+)", folder.name)
            if match and process.alive(int(match[1])) and parent.name == "run":
                continue
            shutil.rmtree(folder, ignore_errors=True)
            gone.append(folder)
    return gone


def die_with_parent() -> None:
    """In the importer's process, before it runs: the kernel kills it when ``--bulk`` dies
    (``kill -9`` of the load must not leave an importer writing the store on its own)."""
    with contextlib.suppress(OSError, AttributeError):
        libc = ctypes.CDLL(None, use_errno=True)
        libc.prctl(1, signal.SIGKILL, 0, 0, 0)  # PR_SET_PDEATHSIG


_DISK = re.compile(r"no space left on device|read-only file system|disk quota exceeded", re.IGNORECASE)


def import_failure(returncode: int, output: str) -> str:
    """One line for an importer that failed: killed by a signal, a full or read-only disk, or
    its own first error line."""
    if returncode < 0:
        name = signal.Signals(-returncode).name if -returncode in signal.valid_signals() else str(-returncode)
        return f"neo4j-admin database import was killed ({name}) before it finished"
    lines = [ln.strip() for ln in output.splitlines() if ln.strip()]
    disk = next((ln for ln in lines if _DISK.search(ln)), None)
    if disk:
        return f"neo4j-admin database import failed (exit {returncode}): the disk is full or read-only: {disk[:300]}"
    cause = next((ln for ln in lines if "Exception" in ln or "rror" in ln), lines[-1] if lines else "no output")
    return f"neo4j-admin database import failed (exit {returncode}): {cause[:300]}"
