"""``imidgraph serve``: the web application (pages and JSON API) on uvicorn."""

from __future__ import annotations

import click

from .common import (
    Context,
    _settings,
    any_graph_option,
    backend_option,
    checked_backend,
    main,
    neo4j_options,
    pass_context,
    seeds_option,
)


@main.command("serve")
@click.option("--host", default="127.0.0.1", show_default=True, help="Address to listen on (another host: others can reach it).")
@click.option("--port", type=click.IntRange(0, 65535), default=8000, show_default=True, help="Port to listen on.")
@backend_option("Answer from the embedded graph or from Neo4j (the same answers).")
@neo4j_options
@seeds_option
@any_graph_option
@pass_context
def serve_command(obj: Context, host, port, backend, uri, user, password, database, any_graph) -> None:
    """Serve the graph in a web browser, and its JSON API (/openapi.json), until Ctrl-C."""
    import uvicorn

    from ..serve import create_app

    kg = obj.kg  # loaded (and its seeds checked) before the server starts
    chosen = "memory"
    driver = None
    if backend == "neo4j":
        from ..neo4j.connect import Neo4jError, connect

        settings = _settings(uri, user, password, database)
        try:
            driver = connect(settings)
        except Neo4jError as e:
            raise click.ClickException(str(e)) from e
        try:
            chosen = checked_backend(obj, driver, settings, any_graph)
        except Exception as e:
            driver.close()
            raise click.ClickException(str(e)) from e
    app = create_app(lambda: kg, chosen)
    click.echo(f"imidgraph: serving http://{host}:{port}/ ({backend} backend; Ctrl-C to stop)")
    try:
        uvicorn.run(app, host=host, port=port, log_level="warning", timeout_graceful_shutdown=5)
    finally:
        if driver is not None:
            driver.close()
