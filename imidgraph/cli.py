"""Command line: parse, call the library, format. Library errors become one-line messages here."""

from __future__ import annotations

import json
import logging
import re
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from . import db, loader, schema
from .facts import default_seeds_dir, read_seeds
from .graph import KnowledgeGraph, load
from .model import Relation
from .names import AmbiguousName, UnknownEntity
from .validate import InvalidSeeds, read_source_texts, validate
from .view import DEFAULT_MAX_RELATIONS, MAX_DEPTH

if TYPE_CHECKING:
    import neo4j


class Context:
    """What every command shares: where the seeds are, and the graph once loaded."""

    def __init__(self, seeds: Path):
        self.seeds = seeds
        self._kg: KnowledgeGraph | None = None

    @property
    def kg(self) -> KnowledgeGraph:
        if self._kg is None:
            try:
                self._kg = load(self.seeds)
            except InvalidSeeds as e:
                raise click.ClickException(
                    f"invalid seeds: {e}\nrun 'imidgraph validate' for the full list"
                ) from e
        return self._kg


pass_context = click.make_pass_decorator(Context)


@click.group()
@click.option(
    "--seeds",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Seeds folder (default: $IMIDGRAPH_SEEDS or the project's seeds/).",
)
@click.version_option(package_name="imidgraph")
@click.pass_context
def main(ctx: click.Context, seeds: Path | None) -> None:
    """imidgraph: how the immunomodulatory imide drugs work, as a cited knowledge graph."""
    ctx.obj = Context(seeds or default_seeds_dir())
    # the driver logs connection trouble itself; we report it once, as one line
    logging.getLogger("neo4j").addHandler(logging.NullHandler())


@main.command("validate")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option(
    "--sources",
    "sources_dir",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help="Folder of the source texts: also check that paraphrases do not copy them.",
)
@pass_context
def validate_command(obj: Context, path: Path | None, sources_dir: Path | None) -> None:
    """Check the seeds at PATH (default: the project's seeds) and report every problem."""
    root = path or obj.seeds
    raw = read_seeds(root)
    texts = read_source_texts(raw, sources_dir) if sources_dir else None
    problems = validate(raw, texts)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        click.echo(f"{len(problems)} problem(s) in {root}", err=True)
        sys.exit(1)
    click.echo(
        f"OK: {len(raw.entities)} entities, {len(raw.relations)} relations, "
        f"{len(raw.sources)} sources, {len(raw.references)} references"
        + (f"; wording checked against {len(texts)} source texts" if texts else "")
    )


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@pass_context
def stats(obj: Context, fmt: str) -> None:
    """Counts by category, predicate, evidence level and source."""
    numbers = obj.kg.stats()
    if fmt == "json":
        click.echo(json.dumps(numbers, indent=2))
        return
    click.echo(
        f"{numbers['entities']} entities, {numbers['relations']} relations, "
        f"{numbers['unverified_identifiers']} unverified identifiers"
    )
    for title in ("categories", "predicates", "evidence", "sources"):
        counts = numbers[title]
        assert isinstance(counts, dict)
        click.echo(f"\n{title}:")
        width = max(map(len, counts), default=0)
        for key, count in counts.items():
            click.echo(f"  {key:<{width}}  {count:>5}")


@main.command()
@click.argument("name")
@click.option("--predicate", default=None, help="Only relations with this predicate.")
@pass_context
def show(obj: Context, name: str, predicate: str | None) -> None:
    """Show an entity (by id, name or synonym) with its relations and citations."""
    kg = obj.kg
    try:
        entity = kg.entity(name)
    except (UnknownEntity, AmbiguousName) as e:
        raise click.ClickException(str(e)) from e
    verified = "verified" if entity.verified else "NOT verified"
    click.echo(f"{entity.name}  [{entity.category}, {schema.CATEGORIES[entity.category]}]")
    click.echo(f"  id: {entity.id} ({verified})")
    if entity.xrefs:
        click.echo(f"  xrefs: {', '.join(entity.xrefs)}")
    if entity.synonyms:
        click.echo(f"  synonyms: {', '.join(entity.synonyms)}")
    if entity.note:
        click.echo(f"  note: {entity.note}")
    relations = kg.relations_of(entity.id, predicate=predicate)
    click.echo(f"\n{len(relations)} relation(s):")
    for relation in relations:
        click.echo(format_relation(kg, relation))


def format_relation(kg: KnowledgeGraph, relation: Relation) -> str:
    """A relation as readable lines: the statement, qualifiers, evidence and citation."""
    lines = [f"  {kg.name(relation.subject)} -{relation.predicate}-> {kg.name(relation.object)}"]
    if relation.qualifiers:
        parts = []
        for key, value in relation.qualifiers.items():
            if key in ("cell_context", "disease_context"):
                value = kg.name(str(value))
            elif isinstance(value, tuple):
                value = ", ".join(kg.name(v) for v in value)
            parts.append(f"{key}: {value}")
        lines.append("      " + "; ".join(parts))
    lines.append(f"      evidence: {relation.evidence}; cites: {relation.citation}")
    if relation.citation.primary_dois:
        lines.append(f"      primary: {', '.join('doi:' + d for d in relation.citation.primary_dois)}")
    lines.append(f"      {relation.paraphrase}")
    return "\n".join(lines)


@main.command("export")
@click.option("--format", "fmt", type=click.Choice(["kgx", "graphml", "json"]), required=True)
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), required=True)
@pass_context
def export_command(obj: Context, fmt: str, out_dir: Path) -> None:
    """Write the graph as KGX (nodes.jsonl, edges.jsonl), GraphML or JSON into OUT."""
    for path in obj.kg.export(fmt, out_dir):
        click.echo(str(path))


# --------------------------------------------------------------------------- pictures


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "view"


@main.command("view")
@click.argument("name", required=False)
@click.option("--explain", "explain_pair", nargs=2, metavar="DRUG TARGET", default=None,
              help="Draw the explanation of DRUG -> TARGET (its best paths, their citations) instead of NAME.")  # fmt: skip
@click.option("--top", default=5, show_default=True, type=click.IntRange(0), help="With --explain: paths to draw (0: all).")
@click.option("--depth", type=click.IntRange(1, MAX_DEPTH), default=1, show_default=True,
              help="Steps out from the entity: 1 is its own relations.")  # fmt: skip
@click.option("--max-relations", type=click.IntRange(1), default=DEFAULT_MAX_RELATIONS, show_default=True,
              help="Draw at most this many relations (the nearest and best supported first).")  # fmt: skip
@click.option("--out", "-o", "out", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="The HTML file to write (default: NAME.html here).")  # fmt: skip
@click.option("--open", "open_page", is_flag=True, help="Open the page in the web browser.")
@pass_context
def view_command(
    obj: Context, name: str | None, explain_pair, top: int, depth: int, max_relations: int, out: Path | None,
    open_page: bool,
) -> None:
    """Write an entity's neighbourhood, or an explanation, as one self-contained HTML page."""
    from .view import neighbourhood, render_html

    if (name is None) == (explain_pair is None):
        raise click.UsageError("give NAME or --explain DRUG TARGET (one of them)")
    kg = obj.kg
    if explain_pair is not None:
        from .explain import ExplainError

        try:
            e = kg.explain(*explain_pair, top=top)
        except (UnknownEntity, AmbiguousName, ExplainError) as err:
            raise click.ClickException(str(err)) from err
        title = f"Why {e.name(e.drug)} → {e.name(e.target)}"
        best = e.top_paths[0].relation_ids() if e.paths else []
        page = render_html(kg, e.entity_ids(), e.relation_ids(), title=title, highlight=[*best, e.drug, e.target],
                           note=e.summary())  # fmt: skip
        path = out or Path(f"why-{_slug(e.name(e.drug))}-{_slug(e.name(e.target))}.html")
        _write_page(path, page, f"{len(e.entity_ids())} entities, {len(e.relation_ids())} relations, "
                                f"{len(e.top_paths)} of {len(e.paths)} paths")  # fmt: skip
        if open_page:
            import webbrowser

            webbrowser.open(path.resolve().as_uri())
        return
    try:
        entity = kg.entity(name)
    except (UnknownEntity, AmbiguousName) as e:
        raise click.ClickException(str(e)) from e
    sub = neighbourhood(kg, entity.id, depth=depth, max_relations=max_relations)
    reach = "its relations" if depth == 1 else f"relations up to {depth} steps out"
    note = f"{entity.name} ({entity.id}, {entity.category}) and {reach}"
    if sub.omitted:
        note += f"; {sub.omitted} more left out (--max-relations {max_relations})"
    page = render_html(kg, sub.entities, sub.relations, title=entity.name, highlight=sub.focus, note=note)
    path = out or Path(f"{_slug(entity.name)}.html")
    omitted = f", {sub.omitted} left out" if sub.omitted else ""
    _write_page(path, page, f"{len(sub.entities)} entities, {len(sub.relations)} relations{omitted}")
    if open_page:
        import webbrowser

        webbrowser.open(path.resolve().as_uri())


def _write_page(path: Path, page: str, what: str) -> None:
    try:
        path.write_text(page, encoding="utf-8")
    except OSError as e:
        raise click.ClickException(f"cannot write {path}: {e.strerror or e}") from e
    click.echo(f"wrote {path}: {what}")


# --------------------------------------------------------------------------- Neo4j


def neo4j_options(command):
    """--uri/--user/--password/--database, defaulting to the NEO4J_* environment variables."""
    options = [
        click.option(
            "--uri",
            default=None,
            help=f"Bolt URI; default $NEO4J_URI or {db.DEFAULT_URI} (neo4j+s:// for Aura).",
        ),
        click.option("--user", default=None, help="User name; default $NEO4J_USERNAME or neo4j."),
        click.option(
            "--password",
            default=None,
            help="Password; default $NEO4J_PASSWORD, or for a local URI the password of 'imidgraph neo4j start'.",
        ),
        click.option("--database", default=None, help="Database; default $NEO4J_DATABASE or neo4j."),
    ]
    for option in reversed(options):
        command = option(command)
    return command


def _settings(uri, user, password, database) -> db.Settings:
    return db.Settings.resolve(uri=uri, user=user, password=password, database=database)


@contextmanager
def neo4j_session(settings: db.Settings) -> Iterator[neo4j.Driver]:
    """A connected driver; any Neo4j failure inside becomes one line (ClickException)."""
    try:
        driver = db.connect(settings)
    except db.Neo4jError as e:
        raise click.ClickException(str(e)) from e
    try:
        yield driver
    except Exception as e:
        error = db.translate(e, settings)
        if isinstance(error, db.Neo4jError):
            raise click.ClickException(str(error)) from e
        raise
    finally:
        driver.close()


@main.command("load")
@neo4j_options
@click.option("--replace", is_flag=True, help="Swap out a different imidgraph graph already in the database.")
@click.option("--batch-size", default=loader.DEFAULT_BATCH_SIZE, show_default=True, type=click.IntRange(1),
              help="Rows per UNWIND statement.")  # fmt: skip
@click.option(
    "--max-transaction-rows",
    default=loader.DEFAULT_MAX_TRANSACTION_ROWS,
    show_default=True,
    type=click.IntRange(0),
    help="Up to this many rows (new plus old) the load is one transaction; above, one per batch.",
)
@pass_context
def load_command(
    obj: Context, uri, user, password, database, replace, batch_size, max_transaction_rows
) -> None:
    """Load the graph into Neo4j: validated, idempotent, all or nothing."""
    kg = obj.kg  # validates first: nothing is written from invalid seeds
    plan = loader.LoadPlan.from_facts(kg.facts)
    settings = _settings(uri, user, password, database)
    with neo4j_session(settings) as driver, click.progressbar(
        length=plan.rows, label=f"loading {plan.rows} rows", file=sys.stderr,
        show_pos=True, hidden=plan.rows < 50_000,
    ) as bar:  # fmt: skip
        result = loader.load(
            driver,
            plan,
            database=settings.database,
            replace=replace,
            batch_size=batch_size,
            max_transaction_rows=max_transaction_rows,
            progress=bar.update,
        )
    c = result.counters
    click.echo(
        f"loaded {result.entities} entities and {result.relations} relations into {settings.uri} "
        f"database {settings.database!r} ({result.mode}, {result.seconds:.1f} s, content {result.content_hash})"
    )
    if result.changed:
        click.echo(
            f"  changes: {c['nodes_created']} nodes and {c['relationships_created']} relationships created, "
            f"{c['nodes_deleted']} nodes and {c['relationships_deleted']} relationships deleted, "
            f"{c['properties_set']} properties set, {c['labels_added']} labels added, {c['labels_removed']} removed"
        )
    else:
        click.echo("  no changes: the database already held exactly this graph")
    click.echo("  entities: " + ", ".join(f"{k} {v}" for k, v in sorted(result.labels.items())))
    click.echo("  relations: " + ", ".join(f"{k} {v}" for k, v in sorted(result.types.items())))


# --------------------------------------------------------------------------- queries


def _parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        if not sep or not key.strip():
            raise click.ClickException(f"parameter {pair!r}: expected key=value")
        params[key.strip()] = value
    return params


def _emit(table, fmt: str) -> None:
    if fmt == "json":
        click.echo(table.to_json())
    elif fmt == "csv":
        click.echo(table.to_csv(), nl=False)
    else:
        click.echo(table.to_text())


@main.command("query")
@click.argument("name", required=False)
@click.option("-p", "--param", "pairs", multiple=True, metavar="KEY=VALUE", help="A parameter (repeat).")
@click.option("--list", "list_only", is_flag=True, help="List the catalogue's queries and their parameters.")
@click.option("--backend", type=click.Choice(["memory", "neo4j"]), default="memory", show_default=True,
              help="memory: the embedded graph, no server; neo4j: run the Cypher on the server.")  # fmt: skip
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@click.option("--show-cypher", is_flag=True, help="Print the query's Cypher instead of running it.")
@neo4j_options
@pass_context
def query_command(obj: Context, name, pairs, list_only, backend, fmt, show_cypher, uri, user, password, database) -> None:
    """Run a named query of the cypher/ catalogue, offline or on Neo4j (same answers)."""
    from .backends import MemoryBackend, Neo4jBackend
    from .catalogue import CatalogueError, get, read_catalogue, resolve_params

    try:
        queries = read_catalogue()
        if list_only or not name:
            for q in queries.values():
                params = " ".join(f"-p {p.key}={p.example!r}" for p in q.params)
                click.echo(f"{q.name}  {params}\n    {q.description}")
            return
        query = get(queries, name)
        if show_cypher:
            click.echo(query.path.read_text(encoding="utf-8"), nl=False)
            return
        params = resolve_params(obj.kg, query, _parse_params(pairs))  # names -> CURIEs
    except CatalogueError as e:
        raise click.ClickException(str(e)) from e
    if backend == "memory":
        table = MemoryBackend(obj.kg).run(query, params)
    else:
        settings = _settings(uri, user, password, database)
        with neo4j_session(settings) as driver:
            table = Neo4jBackend(driver, settings.database).run(query, params)
    _emit(table, fmt)


@main.command("explain")
@click.argument("drug")
@click.argument("target")
@click.option("--versus", default=None, metavar="DRUG", help="A second drug: which steps hold for one and not, or less, for the other.")
@click.option("--top", default=5, show_default=True, type=click.IntRange(0), help="Paths to show (0: all).")
@click.option("--format", "fmt", type=click.Choice(["text", "json", "cypher"]), default="text", show_default=True,
              help="cypher: a query that shows exactly these paths in Neo4j Browser.")
@click.option("--backend", type=click.Choice(["memory", "neo4j"]), default="memory", show_default=True,
              help="Search the paths offline or on Neo4j (same answer).")
@neo4j_options
@pass_context
def explain_command(obj: Context, drug, target, versus, top, fmt, backend, uri, user, password, database) -> None:
    """Why DRUG helps TARGET (a disease, a partner drug, or any entity): ranked, cited paths."""
    from .explain import ExplainError

    kg = obj.kg
    try:
        if backend == "memory":
            explanation = kg.explain(drug, target, versus=versus, top=top)
        else:
            from .backends import Neo4jBackend

            settings = _settings(uri, user, password, database)
            with neo4j_session(settings) as driver:
                explanation = kg.explain(
                    drug, target, versus=versus, top=top, backend=Neo4jBackend(driver, settings.database)
                )
    except (UnknownEntity, AmbiguousName, ExplainError) as e:
        raise click.ClickException(str(e)) from e
    if fmt == "json":
        click.echo(explanation.to_json())
    elif fmt == "cypher":
        click.echo(explanation.to_cypher(), nl=False)
    else:
        click.echo(explanation.to_text(), nl=False)


@main.command("cypher")
@click.argument("statement")
@click.option("-p", "--param", "pairs", multiple=True, metavar="KEY=VALUE", help="A $parameter (repeat; strings).")
@click.option("--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True)
@neo4j_options
def cypher_command(statement, pairs, fmt, uri, user, password, database) -> None:
    """Run ad-hoc read-only Cypher on Neo4j (read access mode: the server refuses writes)."""
    from .backends import Neo4jBackend

    settings = _settings(uri, user, password, database)
    params = _parse_params(pairs)
    with neo4j_session(settings) as driver:
        table = Neo4jBackend(driver, settings.database).cypher(statement, params)
    _emit(table, fmt)


@main.command("browser")
@click.argument("name", required=False)
@click.option("--explain", "explain_pair", nargs=2, metavar="DRUG TARGET", default=None,
              help="The Cypher that draws the explanation of DRUG -> TARGET.")  # fmt: skip
@click.option("--depth", type=click.IntRange(1, MAX_DEPTH), default=1, show_default=True,
              help="With NAME: steps out from the entity.")  # fmt: skip
@click.option("--max-relations", type=click.IntRange(1), default=DEFAULT_MAX_RELATIONS, show_default=True,
              help="With NAME and --depth above 1: at most this many relations.")  # fmt: skip
@click.option("--browser-url", default=None, metavar="URL",
              help="The Browser's address, if it is not the usual one for the Bolt URI.")  # fmt: skip
@click.option("--serve", is_flag=True,
              help="Serve the guide and the style on http://localhost:PORT for the Browser, until Ctrl-C.")  # fmt: skip
@click.option("--port", type=click.IntRange(0, 65535), default=7480, show_default=True,
              help="Port for --serve (0: any free one).")  # fmt: skip
@click.option("--open", "open_browser", is_flag=True, help="Open the Browser in the web browser.")
@neo4j_options
@pass_context
def browser_command(obj: Context, name, explain_pair, depth, max_relations, browser_url, serve, port, open_browser,
                    uri, user, password, database) -> None:  # fmt: skip
    """Where Neo4j Browser is, its style and guide, and the Cypher that draws NAME there."""
    from . import browser
    from .view import neighbourhood

    settings = _settings(uri, user, password, database)
    cypher = None
    if name and explain_pair:
        raise click.UsageError("give NAME or --explain DRUG TARGET, not both")
    if explain_pair:
        from .explain import ExplainError

        try:
            cypher = obj.kg.explain(*explain_pair).to_cypher().rstrip("\n")
        except (UnknownEntity, AmbiguousName, ExplainError) as e:
            raise click.ClickException(str(e)) from e
    if name:
        kg = obj.kg
        try:
            entity = kg.entity(name)
        except (UnknownEntity, AmbiguousName) as e:
            raise click.ClickException(str(e)) from e
        if depth == 1:
            cypher = browser.neighbourhood_cypher(entity.id, entity.name)
        else:
            sub = neighbourhood(kg, entity.id, depth=depth, max_relations=max_relations)
            label = f"{entity.name}: {len(sub.relations)} relations up to {depth} steps out"
            if sub.omitted:
                label += f" ({sub.omitted} more left out)"
            cypher = browser.subgraph_cypher(sub.entities, sub.relations, label)
    server = None
    if serve:
        try:
            server = browser.AssetServer(port)
        except OSError as e:
            raise click.ClickException(
                f"cannot serve on 127.0.0.1:{port}: {e.strerror or e} (choose another with --port)"
            ) from e
    address = browser.browser_address(settings, browser_url)
    source = settings.password_source
    where = {"option": "given with --password", "none": "not set (set NEO4J_PASSWORD)",
             "NEO4J_PASSWORD": "in $NEO4J_PASSWORD"}.get(source, f"in {source}")  # fmt: skip
    click.echo(f"Neo4j Browser: {address}")
    click.echo(f"  connect as {settings.user}; the password is {where}")
    click.echo(f"\nStyle: drag {browser.grass_path()} onto the Browser window")
    if server:
        click.echo(f"  or run   :style {server.url(browser.GRASS_FILE)}")
        click.echo(f"Guide: run   :play {server.url(browser.GUIDE_FILE)}")
    else:
        click.echo(
            f"Guide: run 'imidgraph browser --serve', then   :play http://localhost:{port or browser.DEFAULT_SERVE_PORT}/{browser.GUIDE_FILE}"
        )
    if cypher:
        click.echo(f"\nPaste into the Browser:\n\n{cypher}")
    if open_browser:
        import webbrowser

        webbrowser.open(address)
    if server:
        click.echo(f"\nserving the guide and the style on {server.base_url} (Ctrl-C to stop)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.stop()


@main.group("neo4j")
def neo4j_group() -> None:
    """A local Neo4j 5.26 server (with Browser and APOC) from Maven Central, no Docker."""


def _server_call(fn, *args, **kwargs):
    from . import neo4j_server

    try:
        return fn(*args, **kwargs)
    except neo4j_server.Neo4jServerError as e:
        raise click.ClickException(str(e).splitlines()[0]) from e


@neo4j_group.command("install")
def neo4j_install() -> None:
    """Fetch the server, Browser and APOC jars with Maven (cached: a second call is instant)."""
    from . import neo4j_server

    home = _server_call(neo4j_server.install)
    click.echo(f"installed in {home}")


@neo4j_group.command("start")
@click.option("--bolt-port", type=int, default=None, help="Default $IMIDGRAPH_NEO4J_BOLT_PORT or 7687.")
@click.option("--http-port", type=int, default=None, help="Default $IMIDGRAPH_NEO4J_HTTP_PORT or 7474.")
def neo4j_start(bolt_port: int | None, http_port: int | None) -> None:
    """Install if needed, start on 127.0.0.1 and wait until it answers."""
    from . import neo4j_server

    info = _server_call(neo4j_server.start, bolt_port=bolt_port, http_port=http_port)
    click.echo(f"Neo4j {info.version} running (pid {info.pid})")
    click.echo(f"  bolt:    {info.bolt_uri}")
    click.echo(f"  browser: {info.browser_uri}")
    click.echo(f"  user:    {info.user}; password in {info.home / 'password'} (or $NEO4J_PASSWORD)")


@neo4j_group.command("stop")
def neo4j_stop() -> None:
    """Stop the local server."""
    from . import neo4j_server

    click.echo("stopped" if _server_call(neo4j_server.stop) else "not running")


@neo4j_group.command("status")
def neo4j_status() -> None:
    """Whether the local server is installed and running; exit 3 if it is not running."""
    from . import neo4j_server

    st = _server_call(neo4j_server.status)
    click.echo(f"home: {st.home}")
    click.echo(f"installed: {st.installed} {st.versions or ''}".rstrip())
    click.echo(
        f"running: {st.running}"
        + (f" (pid {st.pid}, {st.bolt_uri}, {st.http_uri}/browser/)" if st.running else "")
    )
    if not st.running:
        sys.exit(3)


if __name__ == "__main__":  # pragma: no cover
    main()
