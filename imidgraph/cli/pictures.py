"""Commands that draw: an offline page (view) and Neo4j Browser (browser)."""

from __future__ import annotations

from pathlib import Path

import click

from ..names import AmbiguousName, UnknownEntity
from ..view import (
    DEFAULT_MAX_RELATIONS,
    MAX_DEPTH,
    MAX_NODES,
    explanation_page,
    neighbourhood,
    render_html,
    summary,
)
from .common import (
    Context,
    _settings,
    _slug,
    _write_page,
    any_graph_option,
    backend_option,
    checked_backend,
    force_option,
    main,
    neo4j_options,
    neo4j_session,
    pass_context,
    seeds_option,
)


@main.command("view")
@click.argument("name", required=False)
@click.option("--explain", "explain_pair", nargs=2, metavar="DRUG TARGET", default=None,
              help="Draw the explanation of DRUG -> TARGET (its best paths, their citations) instead of NAME.")  # fmt: skip
@click.option(
    "--top",
    default=5,
    show_default=True,
    type=click.IntRange(0),
    help="With --explain: paths to draw in each group (0: all).",
)
@click.option("--depth", type=click.IntRange(1, MAX_DEPTH), default=1, show_default=True,
              help="Steps out from the entity: 1 is its own relations.")  # fmt: skip
@click.option("--max-relations", type=click.IntRange(1), default=DEFAULT_MAX_RELATIONS, show_default=True,
              help="Draw at most this many relations (the nearest and best supported first).")  # fmt: skip
@click.option("--all", "draw_all", is_flag=True,
              help="A drug: draw its whole neighbourhood at first, not the summary of its core route.")  # fmt: skip
@click.option("--out", "-o", "out", type=click.Path(path_type=Path, dir_okay=False), default=None,
              help="The HTML file to write (default: NAME.html here).")  # fmt: skip
@click.option("--open", "open_page", is_flag=True, help="Open the page in the web browser.")
@force_option
@seeds_option
@pass_context
def view_command(
    obj: Context,
    name: str | None,
    explain_pair,
    top: int,
    depth: int,
    max_relations: int,
    draw_all: bool,
    out: Path | None,
    open_page: bool,
    force: bool,
) -> None:
    """Write an entity's neighbourhood, or an explanation, as one self-contained HTML page.

    A drug's page is a summary at first: its core route (target and ligase, neosubstrates,
    effectors, cells, uses) with the strongest cited relations, the rest in groups a click
    draws, when its neighbours are too many to draw at once; --all (or --depth above 1) draws
    the whole neighbourhood at first."""
    if (name is None) == (explain_pair is None):
        raise click.UsageError("give NAME or --explain DRUG TARGET (one of them)")
    kg = obj.kg
    if explain_pair is not None:
        from ..explain import ExplainError

        try:
            e = kg.explain(*explain_pair, top=top)
        except (UnknownEntity, AmbiguousName, ExplainError) as err:
            raise click.ClickException(str(err)) from err
        page = explanation_page(kg, e)
        path = out or Path(f"why-{_slug(e.name(e.drug))}-{_slug(e.name(e.target))}.html")
        _write_page(path, page, f"{len(e.entity_ids())} entities, {len(e.relation_ids())} relations, "
                                f"{len(e.shown())} of {len(e.all_paths)} paths", force, open_page)  # fmt: skip
        return
    try:
        entity = kg.entity(name)
    except (UnknownEntity, AmbiguousName) as e:
        raise click.ClickException(str(e)) from e
    short = summary(kg, entity.id) if entity.category == "Drug" and depth == 1 and not draw_all else None
    if short is not None and len(short.entities) > MAX_NODES:  # a drug whose neighbours do not all fit
        note = (f"{entity.name} ({entity.id}, {entity.category}): its core route and strongest cited relations; "
                "click a dashed group to draw its members ('all' draws everything)")
        page = short.to_html(title=entity.name, note=note)
        path = out or Path(f"{_slug(entity.name)}.html")
        _write_page(path, page, f"{len(short.entities)} entities, {len(short.relations)} relations; "
                                f"a summary of {short.drawn} nodes drawn at first (--all: every one)", force, open_page)  # fmt: skip
        return
    sub = neighbourhood(kg, entity.id, depth=depth, max_relations=max_relations)
    reach = "its relations" if depth == 1 else f"relations up to {depth} steps out"
    note = f"{entity.name} ({entity.id}, {entity.category}) and {reach}"
    if sub.omitted:
        note += f"; {sub.omitted} more left out (--max-relations {max_relations})"
    page = render_html(kg, sub.entities, sub.relations, title=entity.name, highlight=sub.focus, note=note)
    path = out or Path(f"{_slug(entity.name)}.html")
    omitted = f", {sub.omitted} left out" if sub.omitted else ""
    _write_page(path, page, f"{len(sub.entities)} entities, {len(sub.relations)} relations{omitted}", force, open_page)


@main.command("browser")
@click.argument("name", required=False)
@click.option("--explain", "explain_pair", nargs=2, metavar="DRUG TARGET", default=None,
              help="The Cypher that draws the explanation of DRUG -> TARGET.")  # fmt: skip
@click.option("--depth", type=click.IntRange(1, MAX_DEPTH), default=1, show_default=True,
              help="With NAME: steps out from the entity.")  # fmt: skip
@click.option("--max-relations", type=click.IntRange(1), default=DEFAULT_MAX_RELATIONS, show_default=True,
              help="With NAME and --depth above 1: at most this many relations.")  # fmt: skip
@click.option("--all", "every", is_flag=True,
              help="With NAME: every relation in or out (by default a drug's mechanism paths, or at most 40 entities).")  # fmt: skip
@click.option("--browser-url", default=None, metavar="URL",
              help="The Browser's address, if it is not the usual one for the Bolt URI.")  # fmt: skip
@click.option("--serve", is_flag=True,
              help="Serve the guide and the style on http://localhost:PORT for the Browser, until Ctrl-C.")  # fmt: skip
@click.option("--port", type=click.IntRange(0, 65535), default=7480, show_default=True,
              help="Port for --serve (0: any free one).")  # fmt: skip
@click.option("--open", "open_browser", is_flag=True, help="Open the Browser in the web browser.")
@backend_option("neo4j: first check that the database holds the complete graph of these seeds "
                "(memory: print without a server).")  # fmt: skip
@neo4j_options
@seeds_option
@any_graph_option
@pass_context
def browser_command(obj: Context, name, explain_pair, depth, max_relations, every, browser_url, serve, port, open_browser,
                    backend, uri, user, password, database, any_graph) -> None:  # fmt: skip
    """Where Neo4j Browser is, its style and guide, and the Cypher that draws NAME there."""
    from .. import browser

    settings = _settings(uri, user, password, database)
    cypher = None
    if name and explain_pair:
        raise click.UsageError("give NAME or --explain DRUG TARGET, not both")
    if explain_pair:
        from ..explain import ExplainError

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
            cypher = browser.entity_cypher(kg, entity.id, every)
        else:
            sub = neighbourhood(kg, entity.id, depth=depth, max_relations=max_relations)
            label = f"{entity.name}: {len(sub.relations)} relations up to {depth} steps out"
            if sub.omitted:
                label += f" ({sub.omitted} more left out)"
            cypher = browser.subgraph_cypher(sub.entities, sub.relations, label)
    if backend == "neo4j":  # the Browser will show this database: it must hold this graph
        with neo4j_session(settings) as driver:
            checked_backend(obj, driver, settings, any_graph)
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
    click.echo(f"Settings: run   {browser.CONFIG_COMMAND}   once, so that Browser draws only the relationships")
    click.echo("  a query returns (its 'Connect result nodes' off; the guide's first slide does it too)")
    if cypher:
        click.echo(f"\nPaste into the Browser:\n\n{cypher}")
    if open_browser:
        import webbrowser  # lazy on purpose: only --open needs it

        webbrowser.open(address)
    if server:
        click.echo(f"\nserving the guide and the style on {server.base_url} (Ctrl-C to stop)")
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            server.stop()
