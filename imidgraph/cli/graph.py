"""Commands that ask the curated graph: stats, search, export, query, explain, cypher.

A command imports the parts of the library that only it uses (the explanation, the catalogue,
the export, the Neo4j backend) inside its function, so that the other commands start without
them."""

from __future__ import annotations

import json
from pathlib import Path

import click

from ..names import AmbiguousName, UnknownEntity
from .common import (
    Context,
    _emit,
    _parse_params,
    _settings,
    any_graph_option,
    backend_option,
    checked_backend,
    force_option,
    main,
    neo4j_options,
    neo4j_session,
    pass_context,
    refuse_overwrite,
    seeds_option,
)


@main.command()
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text")
@seeds_option
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


@main.command("search")
@click.argument("text", nargs=-1, required=True)
@click.option("--category", default=None, help="Only entities of this category, and relations with an end of it.")
@click.option("--kind", type=click.Choice(["entity", "relation"]), default=None, help="Only entities or only relations.")
@click.option("--limit", default=10, show_default=True, type=click.IntRange(0), help="Hits to show (0: all).")
@click.option(
    "--format", "fmt", type=click.Choice(["text", "json", "csv"]), default="text", show_default=True
)
@backend_option("Search offline or with Neo4j's full-text indexes (the same hits).")
@neo4j_options
@seeds_option
@any_graph_option
@pass_context
def search_command(
    obj: Context, text, category, kind, limit, fmt, backend, uri, user, password, database, any_graph
) -> None:
    """Full-text search over names, synonyms, paraphrases and details: ranked, cited hits."""
    from ..search import SearchError, search
    from ..search_answer import to_dict, to_text

    query = " ".join(text)
    kg = obj.kg
    try:
        if backend == "memory":
            hits = search(kg, query, category=category, kind=kind, limit=limit)
        else:
            settings = _settings(uri, user, password, database)
            with neo4j_session(settings) as driver:
                hits = search(
                    kg, query, category=category, kind=kind, limit=limit,
                    backend=checked_backend(obj, driver, settings, any_graph),
                )  # fmt: skip
    except SearchError as e:
        raise click.ClickException(str(e)) from e
    if fmt == "json":
        click.echo(json.dumps(to_dict(hits), indent=2, ensure_ascii=False))
    elif fmt == "csv":
        from ..backends import Table

        columns = ["rank", "kind", "id", "title", "category", "score", "match", "field", "text", "citation"]
        click.echo(Table(columns, [[getattr(h, c) for c in columns] for h in hits]).to_csv(), nl=False)
    else:
        click.echo(to_text(hits, query), nl=False)


@main.command("export")
@click.option("--format", "fmt", type=click.Choice(["kgx", "graphml", "json"]), required=True)
@click.option("--out", "out_dir", type=click.Path(path_type=Path, file_okay=False), required=True)
@force_option
@seeds_option
@pass_context
def export_command(obj: Context, fmt: str, out_dir: Path, force: bool) -> None:
    """Write the graph as KGX (nodes.jsonl, edges.jsonl), GraphML or JSON into OUT."""
    from ..export import FILES

    refuse_overwrite([out_dir / name for name in FILES[fmt]], force)
    kg = obj.kg
    try:
        written = kg.export(fmt, out_dir)
    except OSError as e:
        raise click.ClickException(f"cannot write into {out_dir}: {e.strerror or e}") from e
    for path in written:
        click.echo(str(path))


@main.command("query")
@click.argument("name", required=False)
@click.option("-p", "--param", "pairs", multiple=True, metavar="KEY=VALUE", help="A parameter (repeat).")
@click.option("--list", "list_only", is_flag=True, help="List the catalogue's queries and their parameters.")
@backend_option("memory: the embedded graph, no server; neo4j: run the Cypher on the server.")
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True
)
@click.option("--show-cypher", is_flag=True, help="Print the query's Cypher instead of running it.")
@neo4j_options
@seeds_option
@any_graph_option
@pass_context
def query_command(
    obj: Context, name, pairs, list_only, backend, fmt, show_cypher, uri, user, password, database, any_graph
) -> None:
    """Run a named query of the cypher/ catalogue, offline or on Neo4j (same answers)."""
    from ..backends import MemoryBackend
    from ..catalogue import CatalogueError, get, read_catalogue, resolve_params

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
            table = checked_backend(obj, driver, settings, any_graph).run(query, params)
    if fmt == "table" and {"drug_a", "drug_b"} <= set(params):
        table = _headed_by_drugs(table, obj.kg.name(params["drug_a"]), obj.kg.name(params["drug_b"]))
    _emit(table, fmt)


_SIDE_HEADERS = {"state": "{}", "stated": "{}: how", "evidence": "evidence: {}", "citations": "citations: {}"}


def _headed_by_drugs(table, name_a: str, name_b: str):
    """Two drugs compared, for people: the ``_a`` and ``_b`` columns headed with the drugs'
    names (``state_a`` -> ``lenalidomide``), the ``drug_a`` and ``drug_b`` columns left out.
    JSON and CSV keep the catalogue's column names."""
    from ..backends import Table

    names = {"a": name_a, "b": name_b}
    keep = [i for i, c in enumerate(table.columns) if c not in ("drug_a", "drug_b")]
    headers = []
    for i in keep:
        stem, _, side = table.columns[i].rpartition("_")
        headers.append(_SIDE_HEADERS[stem].format(names[side]) if side in names and stem in _SIDE_HEADERS else table.columns[i])
    return Table(headers, [[row[i] for i in keep] for row in table.rows])


@main.command("explain")
@click.argument("drug")
@click.argument("target")
@click.option(
    "--versus",
    default=None,
    metavar="DRUG",
    help="A second drug, compared fairly both ways: shared steps (also through a class), steps stated "
    "not, or not stated, for one, each drug's own routes.",
)
@click.option(
    "--top", default=5, show_default=True, type=click.IntRange(0),
    help="Paths to show in each group: reasons, with a partner, trials, against, direction not stated (0: all).",
)
@click.option(
    "--format",
    "fmt",
    type=click.Choice(["text", "json", "cypher"]),
    default="text",
    show_default=True,
    help="json: 'paths' (the reasons) and 'against', each step cited; cypher: a query that shows "
    "exactly these paths (all groups) in Neo4j Browser.",
)
@click.option(
    "--explain-scores", is_flag=True,
    help="After the text, say how each score is made (evidence, specificity, context, mechanism, novelty, DWPC); "
    "JSON always has it under 'score_key'.",
)
@click.option(
    "--harm/--no-harm",
    default=None,
    help="Harm mode: how DRUG raises TARGET (a side effect, toxicity or adverse outcome); chosen by "
    "itself when the graph holds TARGET only as a side effect. --no-harm: never.",
)
@backend_option("Search the paths offline or on Neo4j (same answer).")
@neo4j_options
@seeds_option
@any_graph_option
@pass_context
def explain_command(
    obj: Context, drug, target, versus, top, fmt, explain_scores, harm, backend, uri, user, password, database, any_graph
) -> None:
    """Why DRUG helps TARGET (a disease, a partner drug, or any entity): ranked, cited, signed
    paths; the reasons first, then those that need a partner, trials, and those against."""
    from ..explain import ExplainError

    kg = obj.kg
    try:
        if backend == "memory":
            explanation = kg.explain(drug, target, versus=versus, top=top, harm=harm)
        else:
            settings = _settings(uri, user, password, database)
            with neo4j_session(settings) as driver:
                explanation = kg.explain(
                    drug, target, versus=versus, top=top, harm=harm,
                    backend=checked_backend(obj, driver, settings, any_graph),
                )
    except (UnknownEntity, AmbiguousName, ExplainError) as e:
        raise click.ClickException(str(e)) from e
    if fmt == "json":
        click.echo(explanation.to_json())
    elif fmt == "cypher":
        click.echo(explanation.to_cypher(), nl=False)
    else:
        click.echo(explanation.to_text(), nl=False)
        if explain_scores:
            from ..explain.words import score_key

            click.echo("\n" + score_key(), nl=False)


@main.command("cypher")
@click.argument("statement")
@click.option(
    "-p", "--param", "pairs", multiple=True, metavar="KEY=VALUE", help="A $parameter (repeat; strings)."
)
@click.option(
    "--format", "fmt", type=click.Choice(["table", "json", "csv"]), default="table", show_default=True
)
@neo4j_options
def cypher_command(statement, pairs, fmt, uri, user, password, database) -> None:
    """Run ad-hoc read-only Cypher on Neo4j (read access mode: the server refuses writes)."""
    from ..neo4j.backend import Neo4jBackend
    from ..neo4j.console import refusal

    if not statement.strip():
        raise click.ClickException('no Cypher given: e.g. imidgraph cypher "MATCH (n) RETURN count(n)"')
    refused = refusal(statement)
    if refused:
        raise click.ClickException(refused)
    settings = _settings(uri, user, password, database)
    params = _parse_params(pairs)
    with neo4j_session(settings) as driver:
        table = Neo4jBackend(driver, settings.database).cypher(statement, params)
    _emit(table, fmt)
