"""What the commands share: the group, the context (seeds, the graph once loaded), the Neo4j
options and session, parameter parsing and output helpers."""

from __future__ import annotations

import importlib
import re
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING

import click

from ..facts import default_seeds_dir
from ..graph import KnowledgeGraph, load

if TYPE_CHECKING:
    import neo4j

    from ..neo4j.connect import Settings

# imidgraph.neo4j.connect.DEFAULT_URI, written out so that the help text costs no import
# (tests/test_input.py checks that the two agree)
DEFAULT_URI = "bolt://127.0.0.1:7687"
# the command -> the module that defines it: a command's module (and what it imports) is
# imported only when that command runs; --help and unknown names import them all
COMMAND_MODULES = {
    "stats": "graph", "search": "graph", "export": "graph", "query": "graph", "explain": "graph",
    "cypher": "graph", "load": "neo4j", "neo4j": "neo4j", "view": "pictures", "browser": "pictures",
    "show": "show", "validate": "validate", "serve": "serve",
}  # fmt: skip


class LazyGroup(click.Group):
    """A group whose commands' modules are imported when a command is asked for (a command
    that reads the embedded graph never imports the Neo4j side, the pictures or the validator)."""

    def __init__(self, *args, **kwargs):
        self._commands: dict[str, click.Command] = {}
        self._all_loaded = False
        super().__init__(*args, **kwargs)

    @property
    def commands(self) -> dict[str, click.Command]:  # every command, as click.Group has them
        self._load_all()
        return self._commands

    @commands.setter
    def commands(self, value: dict[str, click.Command]) -> None:
        self._commands = dict(value)

    def add_command(self, cmd: click.Command, name: str | None = None) -> None:
        name = name or cmd.name
        if name is None:
            raise TypeError("Command has no name.")
        self._commands[name] = cmd

    def _load_all(self) -> None:
        if not self._all_loaded:
            self._all_loaded = True
            for module in dict.fromkeys(COMMAND_MODULES.values()):
                importlib.import_module(f"{__package__}.{module}")

    def get_command(self, ctx: click.Context, cmd_name: str) -> click.Command | None:
        if COMMAND_MODULES.get(cmd_name) == "neo4j":
            quiet_driver_logs()  # load, neo4j start/status: they talk to a server
        if cmd_name not in self._commands and cmd_name in COMMAND_MODULES:
            importlib.import_module(f"{__package__}.{COMMAND_MODULES[cmd_name]}")
        if cmd_name not in self._commands:
            self._load_all()
        return self._commands.get(cmd_name)

    def list_commands(self, ctx: click.Context) -> list[str]:
        self._load_all()
        return sorted(self._commands)


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
            from ..neo4j.content import content_hash  # imported only for a Neo4j command

            self._content_hash = content_hash(self.seeds, lambda: self.kg.facts)  # cached per seeds and code
        return self._content_hash

    def use_seeds(self, seeds: Path) -> None:
        self.seeds = self.seeds_option = seeds
        self._kg = None

    def validate_hint(self) -> str:
        import shlex  # only an error message quotes

        given = f"--seeds {shlex.quote(str(self.seeds_option))} " if self.seeds_option is not None else ""
        return f"run 'imidgraph {given}validate' for the full list"

    @property
    def kg(self) -> KnowledgeGraph:
        if self._kg is None:
            try:
                self._kg = load(self.seeds)
            except ValueError as e:
                from ..validate import InvalidSeeds  # the validator: imported when seeds are invalid

                if not isinstance(e, InvalidSeeds):
                    raise
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


@click.group(cls=LazyGroup)
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


def quiet_driver_logs() -> None:
    """The driver logs connection trouble itself; we report it once, as one line. Called
    before any command talks to a server (the commands of ``neo4j``, and :func:`_settings`,
    through which every other command reaches one): a command that reads the embedded graph
    does not import logging."""
    import logging

    logger = logging.getLogger("neo4j")
    if not any(isinstance(h, logging.NullHandler) for h in logger.handlers):
        logger.addHandler(logging.NullHandler())


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


def _write_page(path: Path, page: str, what: str, force: bool = False, open_page: bool = False) -> None:
    """Write a page (never over a file without ``force``), say what it holds, and open it in the
    user's browser with ``open_page``."""
    refuse_overwrite([path], force)
    if path.is_dir():
        raise click.ClickException(f"cannot write {path}: it is a folder")
    try:
        path.write_text(page, encoding="utf-8")
    except OSError as e:
        raise click.ClickException(f"cannot write {path}: {e.strerror or e}") from e
    click.echo(f"wrote {path}: {what}")
    if open_page:
        import webbrowser  # lazy on purpose: only --open needs it

        webbrowser.open(path.resolve().as_uri())


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
    from ..neo4j.backend import Neo4jBackend  # the Neo4j side: imported only when asked for

    backend = Neo4jBackend(driver, settings.database)
    if not any_graph:
        backend.check_graph(obj.content_hash)  # GraphCheckError: one line (see neo4j_session)
    return backend


def _settings(uri, user, password, database) -> Settings:
    from ..neo4j.connect import Settings

    quiet_driver_logs()
    return Settings.resolve(uri=uri, user=user, password=password, database=database)


@contextmanager
def neo4j_session(settings: Settings) -> Iterator[neo4j.Driver]:
    """A connected driver; any Neo4j failure inside becomes one line (ClickException)."""
    from ..neo4j.connect import Neo4jError, connect, translate
    from ..neo4j.driver import import_driver

    import_driver()  # without pandas and numpy: a command makes no DataFrame (imidgraph.neo4j.driver)
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
