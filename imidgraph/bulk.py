"""``imidgraph load --bulk``: an empty database of the local server filled by ``neo4j-admin
database import full`` (offline, ~10× the online loader), for big graphs.

Only for the server that ``imidgraph neo4j`` manages (its home is known, and so are its
jars and its data): the database must be empty (no node, no relationship, no constraint or
index that is not ours), else the import is refused in one line, since it replaces the whole
store. Then:

1. the plan is written, streamed, as the importer's CSV: one file per label or type and
   property set, typed headers (``:boolean``, ``:long``, ``:string[]``, ...), every string
   quoted (so ``""`` stays an empty string), lists joined by a delimiter no value contains.
   What is stored is exactly what the online loader stores (no empty lists, nothing
   derivable: see ``build.stored_edge_properties``), owner property included: nothing is
   fixed up afterwards;
2. the server is stopped (while the CSV is written), ``neo4j-admin database import full
   --overwrite-destination`` runs, the server is started again on its ports;
3. the constraints and indexes are created, the counts checked, and the load record written
   (``complete``, with the counts for the instant check of the next load).

A failure before the import leaves the database as it was (the server is started again). A failure during the import leaves the
database as the importer leaves it (empty, or not there: the server then starts with a new
empty one); after it, the nodes are there without a load record, so a later ``imidgraph load``
refuses them until ``--replace`` (or a ``--bulk`` after emptying the database).
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import time
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING
from urllib.parse import urlsplit

from . import loader
from .loader import ENTITY_LABEL, OWNER, LoadError, LoadResult, Plan

if TYPE_CHECKING:
    import neo4j

ARRAY_DELIMITER = "\x1f"  # the ASCII unit separator: in no curated text
DATABASE = "neo4j"  # the one user database of Community Edition, and what the importer replaces


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
    body += ["    out.append(OWNER_FIELD)", "    return ','.join(out) + '\\n'"]
    namespace = {"K": tuple(name for name, _ in columns), "D": ARRAY_DELIMITER, "_joined": _joined}
    exec("\n".join(body), namespace)  # noqa: S102 - only the fixed expressions above, no data
    return namespace["line"]


def _write_groups(plan: Plan, groups, folder: Path, kind: str, load_id: str) -> list[tuple[str, Path, Path]]:
    """One data file per label or type, its columns every property name the group uses (with
    their types, from the values seen while hashing), and a header file."""
    samples = plan.property_samples()
    owner = _quoted(load_id)
    files = []
    for name, rows in groups():
        columns = [(k, _type_name(v)) for k, v in sorted(samples[name].items()) if k != "id"]
        line = _line_function(columns, kind)
        data = folder / f"{kind}-{name}.csv"
        with open(data, "w", encoding="utf-8", newline="") as fh:
            try:
                fh.writelines(line(row, owner) for row in rows)
            except (AttributeError, TypeError) as e:
                raise LoadError(f"--bulk: a property of {name} has values of different types ({e})") from e
        head = ["id:ID"] if kind == "nodes" else [":START_ID", ":END_ID", "id"]
        head += [k if t == "string" else f"{k}:{t}" for k, t in columns] + [OWNER]
        header = folder / f"{kind}-{name}.header.csv"
        header.write_text(",".join(_quoted(h) for h in head) + "\n", encoding="utf-8")
        files.append((name, header, data))
    return files


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


def write_csv(plan: Plan, folder: Path) -> tuple[list[tuple[str, Path, Path]], list[tuple[str, Path, Path]], bool]:
    """The plan as the importer's CSV files in ``folder``: (label, header, data), (type, header,
    data), and whether any value holds a line break."""
    load_id = plan.content_hash
    nodes = _write_groups(plan, plan.node_groups, folder, "nodes", load_id)
    rels = _write_groups(plan, plan.relationship_groups, folder, "relationships", load_id)
    counts = {**plan.label_counts(), **plan.type_counts()}
    multiline = any(_line_breaks_in_values(data, counts[name]) for name, _, data in (*nodes, *rels))
    return nodes, rels, multiline


def _refuse_unless_empty(driver: neo4j.Driver) -> None:
    counts = driver.execute_query(
        "RETURN COUNT { (n) } AS nodes, COUNT { ()-[r]->() } AS rels", database_=DATABASE
    ).records[0]
    schema = [
        r["name"]
        for r in driver.execute_query("SHOW INDEXES YIELD name, type WHERE type <> 'LOOKUP'", database_=DATABASE).records
        if r["name"] not in loader.schema_statements()
    ]
    if counts["nodes"] or counts["rels"] or schema:
        what = f"{counts['nodes']} nodes, {counts['rels']} relationships" + (f", indexes {', '.join(sorted(schema))}" if schema else "")
        raise LoadError(
            f"database {DATABASE!r} is not empty ({what}): --bulk replaces the whole database, so it imports "
            "only into an empty one; load without --bulk"
        )


def _check_local(uri: str, home: Path) -> tuple[int, int]:
    from . import neo4j_server
    from .neo4j_server import config

    st = neo4j_server.status(home)
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


def bulk_load(
    settings,
    plan: Plan,
    home: Path,
    *,
    timings: dict[str, float] | None = None,
) -> LoadResult:
    """Import ``plan`` into the empty database of the local server of ``home``; see the module
    docstring. ``timings`` receives the seconds of each step."""
    from . import db, neo4j_server
    from .neo4j_server import process

    started = time.monotonic()
    timings = {} if timings is None else timings
    if settings.database != DATABASE:
        raise LoadError(f"--bulk imports only into database {DATABASE!r} (the server's one user database), not {settings.database!r}")
    bolt_port, http_port = _check_local(settings.uri, home)

    def step(name: str, since: float) -> float:
        now = time.monotonic()
        timings[name] = timings.get(name, 0.0) + now - since
        return now

    t = time.monotonic()
    driver = db.connect(settings)
    try:
        _refuse_unless_empty(driver)
        load_id = plan.content_hash  # hashing pass over the rows (cached by the plan)
    finally:
        driver.close()
    t = step("check and content hash", t)

    folder = home / "import" / f"imidgraph-bulk-{os.getpid()}"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    # the server stops while the CSV is written (it is not needed any more: the database was
    # checked empty, and the import replaces it); it is started again whatever happens next
    pool = ThreadPoolExecutor(1)
    stopping = pool.submit(neo4j_server.stop, home)
    pool.shutdown(wait=False)
    import_error = None
    try:
        try:
            node_files, rel_files, multiline = write_csv(plan, folder)
        finally:
            t = step("writing CSV (server stopping)", t)
            stopping.result()
            t = step("server stopped", t)
        java = process.find_java()
        args = [java, "-Xmx1g", "-cp", f"{home / 'lib'}/*", "org.neo4j.cli.AdminTool",
                "database", "import", "full", DATABASE, "--overwrite-destination=true",
                f"--array-delimiter={ARRAY_DELIMITER}", f"--multiline-fields={str(multiline).lower()}",
                f"--report-file={folder / 'import.report'}"]  # fmt: skip
        from .neo4j_server.base import child_env

        def run(*inputs: str) -> subprocess.CompletedProcess:
            return subprocess.run([*args, *inputs], env=child_env(home), cwd=home, stdin=subprocess.DEVNULL,
                                  capture_output=True, text=True)  # fmt: skip

        done = run(*[f"--nodes={ENTITY_LABEL}:{label}={head},{data}" for label, head, data in node_files],
                   *[f"--relationships={rel_type}={head},{data}" for rel_type, head, data in rel_files])  # fmt: skip
        t = step("neo4j-admin database import", t)
        if done.returncode != 0:
            lines = [ln.strip() for ln in (done.stderr + done.stdout).splitlines() if ln.strip()]
            cause = next((ln for ln in lines if "Exception" in ln or "rror" in ln), lines[-1] if lines else "")
            import_error = f"neo4j-admin database import failed (exit {done.returncode}): {cause[:300]}"
            # a failed import leaves no usable store: put back what was there, an empty database
            empty = folder / "empty.csv"
            empty.write_text('"id:ID"\n', encoding="utf-8")
            run(f"--nodes={empty}")
    finally:
        shutil.rmtree(folder, ignore_errors=True)
        neo4j_server.start(home, bolt_port=bolt_port, http_port=http_port)
        t = step("starting the server", t)
    if import_error:
        raise LoadError(import_error)

    driver = db.connect(settings)
    try:
        loader.ensure_schema(driver, DATABASE)
        t = step("constraints and indexes", t)
        # everything in the database is what was imported: its count store has our counts
        store = loader._store_counts(driver, DATABASE)
        counts = json.loads(store)
        labels = {label: counts[f":{label}"] for label in loader.CATEGORY_LABELS if counts[f":{label}"]}
        types = {t: counts[f"[:{t}]"] for t in loader.REL_TYPES if counts[f"[:{t}]"]}
        found = {"entities": counts[f":{ENTITY_LABEL}"], **labels, **types}
        wanted = {"entities": plan.entity_count, **plan.label_counts(), **plan.type_counts()}
        if found != wanted:
            raise LoadError(f"after the import, the database has counts {found} instead of {wanted}; load again with --replace")
        meta = loader._meta(plan, "complete")
        driver.execute_query(loader._WRITE_META, key=loader.META_KEY, meta=meta, database_=DATABASE)
        driver.execute_query(loader._WRITE_STORE_COUNTS, key=loader.META_KEY, counts=store, database_=DATABASE)
        step("counts and load record", t)
    finally:
        driver.close()
    return LoadResult(
        mode="bulk import",
        content_hash=load_id,
        entities=plan.entity_count,
        relations=plan.relation_count,
        counters={**dict.fromkeys(loader._COUNTERS, 0), "nodes_created": plan.entity_count,
                  "relationships_created": plan.relation_count},  # fmt: skip
        labels=labels,
        types=types,
        seconds=time.monotonic() - started,
    )
