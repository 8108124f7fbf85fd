"""Commands for Neo4j: loading the graph, and the local server."""

from __future__ import annotations

import sys

import click

from ..neo4j import server
from ..neo4j.bulk import bulk_load
from ..neo4j.connect import translate
from ..neo4j.load import ALREADY_LOADED, DEFAULT_BATCH_SIZE, DEFAULT_MAX_TRANSACTION_ROWS, LoadResult, load
from ..neo4j.plan import LoadPlan
from ..neo4j.record import LoadError
from .common import Context, _settings, main, neo4j_options, neo4j_session, pass_context, seeds_option


@main.command("load")
@neo4j_options
@click.option("--replace", is_flag=True, help="Swap out a different imidgraph graph already in the database.")
@click.option("--batch-size", default=DEFAULT_BATCH_SIZE, show_default=True, type=click.IntRange(1),
              help="Rows per UNWIND statement.")  # fmt: skip
@click.option(
    "--max-transaction-rows",
    default=DEFAULT_MAX_TRANSACTION_ROWS,
    show_default=True,
    type=click.IntRange(0),
    help="Up to this many rows (new plus old) the load is one transaction; above, one per batch.",
)
@click.option("--force", is_flag=True,
              help="Write even if the load record and the counts say the database holds this graph already.")
@click.option("--bulk", is_flag=True,
              help="Into the empty database of the local server ('imidgraph neo4j'): neo4j-admin import, offline.")
@seeds_option
@pass_context
def load_command(
    obj: Context, uri, user, password, database, replace, batch_size, max_transaction_rows, force, bulk
) -> None:
    """Load the graph into Neo4j: validated, idempotent, all or nothing."""
    kg = obj.kg  # validates first: nothing is written from invalid seeds
    plan = LoadPlan.from_facts(kg.facts)
    settings = _settings(uri, user, password, database)
    if bulk:
        _refuse_online_flags(replace=replace, force=force)
        try:
            result = bulk_load(settings, plan, server.default_home())
        except (LoadError, server.Neo4jServerError) as e:
            raise click.ClickException(str(e).splitlines()[0]) from e
        except OSError as e:  # our own files (the CSV): a full or read-only disk, say so
            raise click.ClickException(
                f"--bulk could not write its files: {e.strerror or e} ({e.filename})"
            ) from e
        except Exception as e:  # a driver error: one line, as for every other command
            raise click.ClickException(str(translate(e, settings)).splitlines()[0]) from e
        _report(result, settings)
        return
    with neo4j_session(settings) as driver, click.progressbar(
        length=plan.rows, label=f"loading {plan.rows} rows", file=sys.stderr,
        show_pos=True, hidden=plan.rows < 50_000,
    ) as bar:  # fmt: skip
        result = load(
            driver,
            plan,
            database=settings.database,
            replace=replace,
            batch_size=batch_size,
            max_transaction_rows=max_transaction_rows,
            force=force,
            progress=bar.update,
        )
    _report(result, settings)


# what each online-load option would ask of --bulk, which imports into an empty database only
_NOT_FOR_BULK = {
    "replace": "--replace does not apply to --bulk, which imports only into an empty database: "
    "empty it first, or load without --bulk",
    "force": "--force does not apply to --bulk, which always imports every row into an empty database: "
    "leave it out, or load without --bulk",
    "batch_size": "--batch-size does not apply to --bulk (neo4j-admin import reads the whole CSV): "
    "leave it out, or load without --bulk",
    "max_transaction_rows": "--max-transaction-rows does not apply to --bulk (neo4j-admin import writes no "
    "transactions): leave it out, or load without --bulk",
}


def _refuse_online_flags(**flags: bool) -> None:
    """One line for the first option given with --bulk that only the online load honours."""
    from click.core import ParameterSource

    ctx = click.get_current_context()
    for name, message in _NOT_FOR_BULK.items():
        given = flags.get(name) or ctx.get_parameter_source(name) not in (ParameterSource.DEFAULT, None)
        if given:
            raise click.UsageError(message)


def _report(result: LoadResult, settings) -> None:
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
    elif result.mode == ALREADY_LOADED:
        click.echo("  no changes: the database already held exactly this graph (load record and counts; --force to rewrite)")
    else:
        click.echo("  no changes: the database already held exactly this graph")
    click.echo("  entities: " + ", ".join(f"{k} {v}" for k, v in sorted(result.labels.items())))
    click.echo("  relations: " + ", ".join(f"{k} {v}" for k, v in sorted(result.types.items())))


@main.group("neo4j")
def neo4j_group() -> None:
    """A local Neo4j 5.26 server (with Browser and APOC) from Maven Central, no Docker."""


def _server_call(fn, *args, **kwargs):

    try:
        return fn(*args, **kwargs)
    except server.Neo4jServerError as e:
        raise click.ClickException(str(e).splitlines()[0]) from e


@neo4j_group.command("install")
def neo4j_install() -> None:
    """Fetch the server, Browser and APOC jars with Maven (cached: a second call is instant)."""

    home = _server_call(server.install)
    click.echo(f"installed in {home}")


@neo4j_group.command("start")
@click.option("--bolt-port", type=int, default=None, help="Default $IMIDGRAPH_NEO4J_BOLT_PORT or 7687.")
@click.option("--http-port", type=int, default=None, help="Default $IMIDGRAPH_NEO4J_HTTP_PORT or 7474.")
def neo4j_start(bolt_port: int | None, http_port: int | None) -> None:
    """Install if needed, start on 127.0.0.1 and wait until it answers."""

    info = _server_call(server.start, bolt_port=bolt_port, http_port=http_port)
    click.echo(f"Neo4j {info.version} running (pid {info.pid})")
    click.echo(f"  bolt:    {info.bolt_uri}")
    click.echo(f"  browser: {info.browser_uri}")
    click.echo(f"  user:    {info.user}; password in {info.home / 'password'} (or $NEO4J_PASSWORD)")


@neo4j_group.command("stop")
def neo4j_stop() -> None:
    """Stop the local server."""

    click.echo("stopped" if _server_call(server.stop) else "not running")


@neo4j_group.command("status")
def neo4j_status() -> None:
    """Whether the local server is installed and running; exit 3 if it is not running."""

    st = _server_call(server.status)
    click.echo(f"home: {st.home}")
    click.echo(f"installed: {st.installed} {st.versions or ''}".rstrip())
    click.echo(
        f"running: {st.running}"
        + (f" (pid {st.pid}, {st.bolt_uri}, {st.http_uri}/browser/)" if st.running else "")
    )
    if not st.running:
        sys.exit(3)
