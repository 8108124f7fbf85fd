"""What the commands share: the group, the context (seeds, the graph once loaded), the Neo4j
options and session, parameter parsing and output helpers."""

from __future__ import annotations

import logging
import re
import shlex
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..facts import default_seeds_dir
from ..graph import KnowledgeGraph, load
from ..neo4j.backend import Neo4jBackend
from ..neo4j.connect import DEFAULT_URI, Neo4jError, Settings, connect, translate
from ..neo4j.plan import LoadPlan
from ..validate import InvalidSeeds

if TYPE_CHECKING:
    import neo4j


class Context:
    """What every command shares: where the seeds are, and the graph once loaded.

    ``seeds_option`` is the ``--seeds`` the user gave (before or after the command), if any;
    the hint for invalid seeds repeats it.
    """

    def __init__(self, seeds: Path, seeds_option: Path | None = None):
        self.seeds = seeds
        self.seeds_option = seeds_option
        self._kg: KnowledgeGraph | None = None
        self._content_hash: str | None = None

    @property
    def content_hash(self) -> str:
        """The content hash a load of these seeds records (what ``imidgraph load`` would write)."""
        if self._content_hash is None:
            self._content_hash = LoadPlan.from_facts(self.kg.facts).content_hash
        return self._content_hash

    def use_seeds(self, seeds: Path) -> None:
        self.seeds = self.seeds_option = seeds
        self._kg = None

    def validate_hint(self) -> str:
        given = f"--seeds {shlex.quote(str(self.seeds_option))} " if self.seeds_option is not None else ""
        return f"run 'imidgraph {given}validate' for the full list"

    @property
    def kg(self) -> KnowledgeGraph:
        if self._kg is None:
            try:
                self._kg = load(self.seeds)
            except InvalidSeeds as e:
                raise click.ClickException(f"invalid seeds: {e}; {self.validate_hint()}") from e
        return self._kg


pass_context = click.make_pass_decorator(Context)

_SEEDS_HELP = "Seeds folder (default: $IMIDGRAPH_SEEDS or the project's seeds/)."


def _set_seeds(ctx: click.Context, param: click.Parameter, value: Path | None) -> None:
    obj = ctx.find_object(Context)
    if value is not None and obj is not None:
        obj.use_seeds(value)


def seeds_option(command):
    """``--seeds DIR`` on a command too, so that it works before and after the command name."""
    return click.option(
        "--seeds",
        type=click.Path(path_type=Path, file_okay=False),
        default=None,
        expose_value=False,
        callback=_set_seeds,
        help=_SEEDS_HELP,
    )(command)


@click.group()
@click.option(
    "--seeds",
    type=click.Path(path_type=Path, file_okay=False),
    default=None,
    help=_SEEDS_HELP,
)
@click.version_option(package_name="imidgraph")
@click.pass_context
def main(ctx: click.Context, seeds: Path | None) -> None:
    """imidgraph: how the immunomodulatory imide drugs work, as a cited knowledge graph."""
    ctx.obj = Context(seeds or default_seeds_dir(), seeds)
    # the driver logs connection trouble itself; we report it once, as one line
    logging.getLogger("neo4j").addHandler(logging.NullHandler())


def _slug(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9._-]+", "-", name).strip("-.") or "view"


def refuse_overwrite(paths: list[Path], force: bool) -> None:
    """One line, exit 1, if any of ``paths`` exists and ``--force`` was not given."""
    existing = [p for p in paths if p.exists()]
    if existing and not force:
        others = f" (and {len(existing) - 1} more)" if len(existing) > 1 else ""
        raise click.ClickException(f"{existing[0]} exists{others}; pass --force to overwrite")


def force_option(command):
    return click.option("--force", is_flag=True, help="Overwrite existing files.")(command)


def _write_page(path: Path, page: str, what: str, force: bool = False) -> None:
    refuse_overwrite([path], force)
    if path.is_dir():
        raise click.ClickException(f"cannot write {path}: it is a folder")
    try:
        path.write_text(page, encoding="utf-8")
    except OSError as e:
        raise click.ClickException(f"cannot write {path}: {e.strerror or e}") from e
    click.echo(f"wrote {path}: {what}")


def neo4j_options(command):
    """--uri/--user/--password/--database, defaulting to the NEO4J_* environment variables."""
    options = [
        click.option(
            "--uri",
            default=None,
            help=f"Bolt URI; default $NEO4J_URI or {DEFAULT_URI} (neo4j+s:// for Aura).",
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


def backend_option(help_text: str):
    return click.option(
        "--backend", type=click.Choice(["memory", "neo4j"]), default="memory", show_default=True, help=help_text
    )


def any_graph_option(command):
    return click.option(
        "--any-graph",
        is_flag=True,
        help="With --backend neo4j: skip the check that the database holds the complete graph of these seeds.",
    )(command)


def checked_backend(obj: Context, driver: neo4j.Driver, settings: Settings, any_graph: bool):
    """A Neo4j backend on a database that holds the complete graph of these seeds (the load
    record says so), or a one-line error saying what to do; ``any_graph`` skips the check."""
    backend = Neo4jBackend(driver, settings.database)
    if not any_graph:
        backend.check_graph(obj.content_hash)  # GraphCheckError: one line (see neo4j_session)
    return backend


def _settings(uri, user, password, database) -> Settings:
    return Settings.resolve(uri=uri, user=user, password=password, database=database)


@contextmanager
def neo4j_session(settings: Settings) -> Iterator[neo4j.Driver]:
    """A connected driver; any Neo4j failure inside becomes one line (ClickException)."""
    try:
        driver = connect(settings)
    except Neo4jError as e:
        raise click.ClickException(str(e)) from e
    try:
        yield driver
    except Exception as e:
        error = translate(e, settings)
        if isinstance(error, Neo4jError):
            raise click.ClickException(str(error)) from e
        raise
    finally:
        driver.close()


def _parse_params(pairs: tuple[str, ...]) -> dict[str, str]:
    params: dict[str, str] = {}
    for pair in pairs:
        key, sep, value = pair.partition("=")
        key = key.strip()
        if not sep or not key:
            raise click.ClickException(f"parameter {pair!r}: expected key=value")
        if key in params:
            raise click.ClickException(
                f"parameter {key!r} given twice ({params[key]!r} and {value!r}); give each -p key once"
            )
        params[key] = value
    return params


def _emit(table, fmt: str) -> None:
    if fmt == "json":
        click.echo(table.to_json())
    elif fmt == "csv":
        click.echo(table.to_csv(), nl=False)
    else:
        click.echo(table.to_text())
