"""``imidgraph load --bulk``: an empty database of the local server filled by ``neo4j-admin
database import full`` (offline, ~10× the online loader), for big graphs.

Only for the server that ``imidgraph neo4j`` manages (its home is known, and so are its
jars and its data): the database must be empty (no node, no relationship, no constraint or
index that is not ours), else the import is refused in one line, since it replaces the whole
store. The check runs under the load lock, held until the server is down, and a write after it
is seen in the transaction log: nothing is imported then (:mod:`.bulk_checks`). Then:

1. the plan is written, streamed (by two processes from 50,000 rows on), as the importer's
   CSV (under ``run/``, where no Cypher query reads; a killed run's folder goes at the next): one file per label or type and property set, typed headers (``:boolean``, ``:long``,
   ``:string[]``, ...), every string quoted (so ``""`` stays an empty string), lists joined by
   a delimiter no value contains.
   What is stored is exactly what the online loader stores (no empty lists, nothing
   derivable: see ``build.stored_edge_properties``), owner property included: nothing is
   fixed up afterwards;
2. the server is stopped (while the CSV is written), ``neo4j-admin database import full
   --overwrite-destination`` runs (killed with ``--bulk`` if that is killed), the server is started again on its ports;
3. the constraints and indexes are created (two transactions: see ``indexes.ensure_schema``),
   the counts checked while the server fills them, and, once they are online, the load
   record written (``complete``, with the counts for the instant check of the next load).

A failure before the import leaves the database as it was (the server is started again). A failure during the import leaves the
database as the importer leaves it (empty, or not there: the server then starts with a new
empty one); after it, the nodes are there without a load record, so a later ``imidgraph load``
refuses them until ``--replace`` (or a ``--bulk`` after emptying the database).
"""

from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import subprocess
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING

from . import server
from .bulk_checks import (
    DATABASE,
    check_local,
    closing_driver,
    die_with_parent,
    grew,
    import_failure,
    lost_lock,
    refuse_unless_empty,
    remove_stale_work_folders,
    transaction_log,
    work_folder,
)
from .connect import connect
from .indexes import await_schema, ensure_lock_constraint, ensure_schema
from .load import LoadResult
from .lock import load_lock
from .plan import Plan
from .record import WRITE_META, WRITE_STORE_COUNTS, LoadError, load_record, store_counts
from .server import process
from .server.base import child_env
from .vocabulary import CATEGORY_LABELS, ENDS, ENTITY_LABEL, META_KEY, OWNER, REL_TYPES
from .write import COUNTERS

if TYPE_CHECKING:
    pass

ARRAY_DELIMITER = "\x1f"  # the ASCII unit separator: in no curated text


def _type_name(value) -> str:
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "long"
    if isinstance(value, float):
        return "double"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list) and value:
        kinds = {_type_name(v) for v in value}
        if len(kinds) == 1 and "[" not in next(iter(kinds)):
            return next(iter(kinds)) + "[]"
    raise LoadError(f"--bulk cannot write the value {value!r} (mixed, nested or empty list, or of type {type(value).__name__})")


def _quoted(text: str) -> str:
    return '"' + text.replace('"', '""') + '"'


# How each kind of value becomes one CSV field, as an expression of ``v`` (the value, never
# None here). Strings and lists of strings are quoted, so that ``""`` stays an empty string (a
# missing property is an empty unquoted field, which the importer leaves unset); a list is
# joined by ARRAY_DELIMITER, and a list whose items hold it is refused (the count of
# delimiters would not be the count of items).
_FIELD = {
    "string": "'\"' + v.replace('\"', '\"\"') + '\"'",
    "string[]": "'\"' + _joined(v).replace('\"', '\"\"') + '\"'",
    "boolean": "('true' if v else 'false')",
    "long": "str(v)",
    "double": "repr(v)",
    "boolean[]": "D.join('true' if x else 'false' for x in v)",
    "long[]": "D.join(map(str, v))",
    "double[]": "D.join(map(repr, v))",
}


def _joined(items: list[str]) -> str:
    text = ARRAY_DELIMITER.join(items)
    if text.count(ARRAY_DELIMITER) != len(items) - 1:
        raise LoadError("--bulk cannot write a list whose text holds the ASCII unit separator (0x1F)")
    return text


def _line_function(columns: list[tuple[str, str]], kind: str):
    """A function ``row -> CSV line`` for these ``(name, type)`` columns, compiled once per file
    (the names are passed as data, never spliced into the code)."""
    ends = "'\"' + row['id'].replace('\"', '\"\"') + '\"'" if kind == "nodes" else (
        "'\"' + row['s'].replace('\"', '\"\"') + '\"', '\"' + row['o'].replace('\"', '\"\"') + '\"', "
        "'\"' + row['id'].replace('\"', '\"\"') + '\"'"
    )
    body = ["def line(row, OWNER_FIELD):", "    p = row['p']", f"    out = [{ends}]"]
    for i, (_, type_name) in enumerate(columns):
        body += [f"    v = p.get(K[{i}])", f"    out.append('' if v is None else {_FIELD[type_name]})"]
    if kind == "relationships":  # the ends property: the ids of subject and object
        body += ["    out.append('\"' + _joined([row['s'], row['o']]).replace('\"', '\"\"') + '\"')"]
    body += ["    out.append(OWNER_FIELD)", "    return ','.join(out) + '\\n'"]
    namespace = {"K": tuple(name for name, _ in columns), "D": ARRAY_DELIMITER, "_joined": _joined}
    exec("\n".join(body), namespace)  # noqa: S102 - only the fixed expressions above, no data
    return namespace["line"]


def _write_group(name: str, rows, columns: list[tuple[str, str]], folder: Path, kind: str, owner: str):
    """One label's or type's data file and header file; whether a value holds a line break."""
    line = _line_function(columns, kind)
    data = folder / f"{kind}-{name}.csv"
    count = 0
    with open(data, "w", encoding="utf-8", newline="") as fh:
        try:
            for row in rows:
                fh.write(line(row, owner))
                count += 1
        except (AttributeError, TypeError) as e:
            raise LoadError(f"--bulk: a property of {name} has values of different types ({e})") from e
    head = ["id:ID"] if kind == "nodes" else [":START_ID", ":END_ID", "id"]
    head += [k if t == "string" else f"{k}:{t}" for k, t in columns]
    head += [f"{ENDS}:string[]", OWNER] if kind == "relationships" else [OWNER]
    header = folder / f"{kind}-{name}.header.csv"
    header.write_text(",".join(_quoted(h) for h in head) + "\n", encoding="utf-8")
    return header, data, _line_breaks_in_values(data, count)


def _line_breaks_in_values(data: Path, rows: int) -> bool:
    """Whether a value in this data file holds a line break (then the importer must be told
    ``--multiline-fields=true``, which keeps it from parsing in parallel): a file of ``rows``
    lines without one has exactly ``rows`` newlines and no carriage return."""
    newlines = 0
    with open(data, "rb") as fh:
        while chunk := fh.read(1 << 24):
            if b"\r" in chunk:
                return True
            newlines += chunk.count(b"\n")
    return newlines != rows


# Below this many rows the CSV is written by this process alone (a second one costs more
# than it saves).
PARALLEL_ROWS = 50_000


def _shares(sizes: dict[tuple[str, str], int], processes: int) -> list[set[tuple[str, str]]]:
    """The groups each process writes: the largest first, each to the least loaded."""
    shares: list[set[tuple[str, str]]] = [set() for _ in range(processes)]
    load = [0] * processes
    for key, size in sorted(sizes.items(), key=lambda kv: (-kv[1], kv[0])):
        i = load.index(min(load))
        shares[i].add(key)
        load[i] += size
    return shares


def _write_share(plan: Plan, share: set[tuple[str, str]], columns: dict, folder: Path, owner: str) -> dict:
    written = {}
    for kind, groups in (("nodes", plan.node_groups), ("relationships", plan.relationship_groups)):
        for name, rows in groups():
            if (kind, name) in share:  # the rows of the others are never made (streamed plans)
                header, data, multiline = _write_group(name, rows, columns[kind, name], folder, kind, owner)
                written[kind, name] = (str(header), str(data), multiline)
    return written


def _child(plan: Plan, share: set, columns: dict, folder: Path, owner: str, pipe: int) -> None:
    """In a forked child: write its share, send what it wrote (or why not) down ``pipe``, exit."""
    status = 1
    try:
        written = _write_share(plan, share, columns, folder, owner)
        answer: dict = {"written": [[*key, *value] for key, value in written.items()]}
        status = 0
    except BaseException as e:  # noqa: BLE001 - reported to the parent, which raises it
        answer = {"error": str(e) if isinstance(e, LoadError) else f"--bulk: writing CSV failed: {e!r}"}
    finally:
        with contextlib.suppress(BaseException):
            os.write(pipe, json.dumps(answer).encode())
        os._exit(status)


def write_csv(
    plan: Plan, folder: Path, *, processes: int = 2, forked: Callable[[], None] | None = None
) -> tuple[list[tuple[str, Path, Path]], list[tuple[str, Path, Path]], bool]:
    """The plan as the importer's CSV files in ``folder``: (label, header, data), (type, header,
    data), and whether any value holds a line break.

    One data file per label or type, its columns every property name the group uses (with
    their types, from the values seen while hashing), and a header file. From PARALLEL_ROWS
    rows on, ``processes`` processes write them, this one and forked children, each its share
    of the groups (formatting a million rows is ~3 s of Python). ``forked()`` is called once
    the children run, so that the caller starts its threads after the fork, not before."""
    owner = _quoted(plan.content_hash)
    samples = plan.property_samples()
    counts = {**{("nodes", k): v for k, v in plan.label_counts().items()},
              **{("relationships", k): v for k, v in plan.type_counts().items()}}  # fmt: skip
    columns = {key: [(k, _type_name(v)) for k, v in sorted(samples[key[1]].items()) if k != "id"] for key in counts}
    shares = _shares(counts, processes if sum(counts.values()) >= PARALLEL_ROWS else 1)
    children: dict[int, int] = {}  # pid -> the read end of its pipe
    try:
        for share in shares[1:]:
            read_end, write_end = os.pipe()
            pid = os.fork()
            if pid == 0:
                os.close(read_end)
                _child(plan, share, columns, folder, owner, write_end)
            os.close(write_end)
            children[pid] = read_end
        if forked is not None:
            forked()
        written = _write_share(plan, shares[0], columns, folder, owner)
        for pid in list(children):
            with os.fdopen(children.pop(pid), "rb") as pipe:
                answer = json.loads(pipe.read() or b'{"error": "--bulk: a process writing CSV ended without a word"}')
            os.waitpid(pid, 0)
            if "error" in answer:
                raise LoadError(answer["error"])
            written.update({(kind, name): (header, data, multi) for kind, name, header, data, multi in answer["written"]})
    finally:
        for pid, read_end in children.items():  # after a failure here: the others stop too
            with contextlib.suppress(OSError):
                os.kill(pid, signal.SIGKILL)
                os.waitpid(pid, 0)
            os.close(read_end)
    files = {kind: [(name, Path(written[k, name][0]), Path(written[k, name][1])) for k, name in sorted(counts) if k == kind]
             for kind in ("nodes", "relationships")}  # fmt: skip
    return files["nodes"], files["relationships"], any(multi for _, _, multi in written.values())


def bulk_load(
    settings,
    plan: Plan,
    home: Path,
    *,
    timings: dict[str, float] | None = None,
) -> LoadResult:
    """Import ``plan`` into the empty database of the local server of ``home``; see the module
    docstring. ``timings`` receives the seconds of each step."""
    started = time.monotonic()
    timings = {} if timings is None else timings
    if settings.database != DATABASE:
        raise LoadError(f"--bulk imports only into database {DATABASE!r} (the server's one user database), not {settings.database!r}")
    bolt_port, http_port = check_local(settings.uri, home)

    def step(name: str, since: float) -> float:
        now = time.monotonic()
        timings[name] = timings.get(name, 0.0) + now - since
        return now

    t = time.monotonic()
    load_id = plan.content_hash  # hashing pass over the rows (cached by the plan)
    # The load lock (a plain load under way finishes first, one that starts waits), held until
    # the server is stopped; the emptiness check under it; then the transaction log's size:
    # once the server is down, a log that grew means somebody wrote after the check (nothing
    # is imported then).
    held = contextlib.ExitStack()
    try:
        driver = held.enter_context(closing_driver(connect(settings)))
        ensure_lock_constraint(driver, DATABASE)
        held.enter_context(lost_lock(load_lock(driver, DATABASE)))
        refuse_unless_empty(driver)
        log = transaction_log(home)
    except BaseException:
        held.close()
        raise
    t = step("lock, check and content hash", t)

    # the CSV goes where Cypher cannot read it (LOAD CSV reads import/ only); what a killed
    # --bulk left there (or, before, in import/) goes now
    folder = work_folder(home, os.getpid())
    remove_stale_work_folders(home)
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    # the server stops while the CSV is written (it is not needed any more: the database was
    # checked empty, and the import replaces it); it is started again whatever happens next.
    # The thread that stops it starts once the CSV writers are forked (no fork with threads).
    pool = ThreadPoolExecutor(1)
    stopping = []
    import_error = None
    try:
        try:
            node_files, rel_files, multiline = write_csv(
                plan, folder, forked=lambda: stopping.append(pool.submit(server.stop, home))
            )
        finally:
            t = step("writing CSV (server stopping)", t)
            pool.shutdown(wait=True)
            try:
                for done in stopping:
                    done.result()
            finally:
                held.close()  # the server is down (or the stop failed): the lock went with it
            t = step("server stopped", t)
        if grew(log, transaction_log(home)):
            raise LoadError(
                f"somebody wrote to database {DATABASE!r} after --bulk found it empty and before the server "
                "stopped: nothing was imported and their data is kept; run --bulk again once nobody writes, "
                "or load without --bulk"
            )
        java = process.find_java()
        args = [java, "-Xmx1g", "-cp", f"{home / 'lib'}/*", "org.neo4j.cli.AdminTool",
                "database", "import", "full", DATABASE, "--overwrite-destination=true",
                f"--array-delimiter={ARRAY_DELIMITER}", f"--multiline-fields={str(multiline).lower()}",
                f"--report-file={folder / 'import.report'}"]  # fmt: skip
        def run(*inputs: str) -> subprocess.CompletedProcess:
            return subprocess.run([*args, *inputs], env=child_env(home), cwd=home, stdin=subprocess.DEVNULL,
                                  capture_output=True, text=True, preexec_fn=die_with_parent)  # fmt: skip

        done = run(*[f"--nodes={ENTITY_LABEL}:{label}={head},{data}" for label, head, data in node_files],
                   *[f"--relationships={rel_type}={head},{data}" for rel_type, head, data in rel_files])  # fmt: skip
        t = step("neo4j-admin database import", t)
        if done.returncode != 0:
            import_error = import_failure(done.returncode, done.stderr + done.stdout)
            # a failed import leaves no usable store: put back what was there, an empty database
            empty = folder / "empty.csv"
            empty.write_text('"id:ID"\n', encoding="utf-8")
            run(f"--nodes={empty}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        server.start(home, bolt_port=bolt_port, http_port=http_port)
        t = step("starting the server", t)
    if import_error:
        raise LoadError(import_error)

    driver = connect(settings)
    try:
        # the server fills the indexes while the counts are checked; the record says complete
        # only once they are online
        ensure_schema(driver, DATABASE, wait=False)
        t = step("constraints and indexes", t)
        # everything in the database is what was imported: its count store has our counts
        store = store_counts(driver, DATABASE)
        counts = json.loads(store)
        labels = {label: counts[f":{label}"] for label in CATEGORY_LABELS if counts[f":{label}"]}
        types = {t: counts[f"[:{t}]"] for t in REL_TYPES if counts[f"[:{t}]"]}
        found = {"entities": counts[f":{ENTITY_LABEL}"], **labels, **types}
        wanted = {"entities": plan.entity_count, **plan.label_counts(), **plan.type_counts()}
        if found != wanted:
            raise LoadError(f"after the import, the database has counts {found} instead of {wanted}; load again with --replace")
        t = step("counts", t)
        await_schema(driver, DATABASE)
        t = step("constraints and indexes", t)
        meta = load_record(plan, "complete")
        driver.execute_query(WRITE_META, key=META_KEY, meta=meta, database_=DATABASE)
        driver.execute_query(WRITE_STORE_COUNTS, key=META_KEY, counts=store, database_=DATABASE)
        step("load record", t)
    finally:
        driver.close()
    return LoadResult(
        mode="bulk import",
        content_hash=load_id,
        entities=plan.entity_count,
        relations=plan.relation_count,
        counters={**dict.fromkeys(COUNTERS, 0), "nodes_created": plan.entity_count,
                  "relationships_created": plan.relation_count},  # fmt: skip
        labels=labels,
        types=types,
        seconds=time.monotonic() - started,
    )
