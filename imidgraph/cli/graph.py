"""Commands on the curated graph itself: validate, stats, show, export, query, explain, cypher."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from .. import schema
from ..facts import RawSeeds, read_seeds
from ..model import Relation
from ..names import AmbiguousName, UnknownEntity
from ..validate import missing_source_texts, read_source_texts, validate
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

SOURCES_HINT = "the project's source texts are in ../shared/sources beside it, see ../shared/README.md"


@main.command("validate")
@click.argument("path", required=False, type=click.Path(path_type=Path))
@click.option(
    "--sources",
    "sources_dir",
    type=click.Path(path_type=Path),
    default=None,
    help="Folder of the source texts (../shared/sources): also check that paraphrases do not copy them.",
)
@seeds_option
@pass_context
def validate_command(obj: Context, path: Path | None, sources_dir: Path | None) -> None:
    """Check the seeds at PATH (default: the project's seeds) and report every problem."""
    root = path or obj.seeds
    raw = read_seeds(root)
    texts = _source_texts(raw, sources_dir) if sources_dir is not None else None
    problems = validate(raw, texts)
    for problem in problems:
        click.echo(str(problem), err=True)
    if problems:
        click.echo(f"{len(problems)} problem(s) in {root}", err=True)
        sys.exit(1)
    if texts is None:
        wording = f"; wording not checked: give --sources DIR ({SOURCES_HINT})"
    else:
        unchecked = sorted(str(r.get("id")) for r in raw.sources if str(r.get("id")) not in texts)
        wording = f"; wording checked against {len(texts)} source text(s) in {sources_dir}" + (
            f" (none for {', '.join(unchecked)}: no file named)" if unchecked else ""
        )
    click.echo(
        f"OK: {len(raw.entities)} entities, {len(raw.relations)} relations, "
        f"{len(raw.sources)} sources, {len(raw.references)} references" + wording
    )


def _source_texts(raw: RawSeeds, sources_dir: Path) -> dict[str, str]:
    """The source texts in ``sources_dir``; one line and exit 1 when it is not there or lacks some."""
    if not sources_dir.is_dir():
        what = "is not a folder" if sources_dir.exists() else "not found"
        raise click.ClickException(f"source texts folder {sources_dir} {what}: {SOURCES_HINT}")
    missing = missing_source_texts(raw, sources_dir)
    if missing:
        raise click.ClickException(
            f"source texts folder {sources_dir} lacks {', '.join(missing)}: {SOURCES_HINT}"
        )
    return read_source_texts(raw, sources_dir)


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


@main.command()
@click.argument("name")
@click.option("--predicate", default=None, help="Only relations with this predicate.")
@seeds_option
@backend_option("Read the entity from the embedded graph or from Neo4j (printed the same way).")
@neo4j_options
@any_graph_option
@pass_context
def show(obj: Context, name: str, predicate: str | None, backend, uri, user, password, database, any_graph) -> None:
    """Show an entity (by id, name or synonym) with its relations and citations."""
    kg = obj.kg
    try:
        entity = kg.entity(name)  # names resolve through the seeds on both backends
        predicate = schema.predicate_name(predicate) if predicate is not None else None
    except (UnknownEntity, AmbiguousName, schema.UnknownPredicate) as e:
        raise click.ClickException(str(e)) from e
    if backend == "memory":
        relations = kg.relations_of(entity.id) + kg.context_relations(entity.id)
        names = {i: e.name for i, e in kg.facts.entities.items()}
    else:
        settings = _settings(uri, user, password, database)
        with neo4j_session(settings) as driver:
            found = checked_backend(obj, driver, settings, any_graph).entity(entity.id)
        if found is None:
            raise click.ClickException(
                f"database {settings.database!r} has no imidgraph entity {entity.id} ({entity.name})"
            )
        entity, relations, names = found

    def name_of(entity_id: str) -> str:
        return names.get(entity_id, entity_id)

    if predicate is not None:
        relations = [r for r in relations if r.predicate == predicate]
    verified = "verified" if entity.verified else "NOT verified"
    click.echo(f"{entity.name}  [{entity.category}, {schema.CATEGORIES[entity.category]}]")
    click.echo(f"  id: {entity.id} ({verified})")
    if entity.xrefs:
        click.echo(f"  xrefs: {', '.join(entity.xrefs)}")
    if entity.synonyms:
        click.echo(f"  synonyms: {', '.join(entity.synonyms)}")
    if entity.note:
        click.echo(f"  note: {entity.note}")
    groups = roles(entity.id, relations)
    counts = ", ".join(f"{len(found)} as {role}" for role, found in groups.items())
    click.echo(f"\n{sum(map(len, groups.values()))} relation(s): {counts}")
    for role, found in groups.items():
        if not found:
            continue
        click.echo(f"\nas {role} ({len(found)}):")
        for relation in sorted(found, key=lambda r: (r.predicate, name_of(r.subject), name_of(r.object), r.id)):
            keys = [k for k, v in relation.qualifiers.items() if entity.id in schema.qualifier_entities(k, v)]
            click.echo(format_relation(name_of, relation, as_context=keys if role == "context" else None))


ROLES = ("subject", "object", "context")


def roles(entity_id: str, relations: list[Relation]) -> dict[str, list[Relation]]:
    """The relations of an entity by its role in them: subject, object, or context (named by a
    qualifier: cell or disease context, via, combined_with, more_than, ...); each relation once."""
    groups: dict[str, dict[str, Relation]] = {role: {} for role in ROLES}
    for r in relations:
        role = "subject" if r.subject == entity_id else "object" if r.object == entity_id else "context"
        groups[role][r.id] = r
    return {role: list(found.values()) for role, found in groups.items()}


def format_relation(name, relation: Relation, as_context: list[str] | None = None) -> str:
    """A relation as readable lines: the statement, qualifiers (in the schema's order), evidence
    and citation. ``name(id)`` gives an entity's name; ``as_context`` the qualifiers that name
    the entity shown (said on the first line)."""
    lines = [f"  {name(relation.subject)} -{relation.predicate}-> {name(relation.object)}"]
    if as_context:
        lines[0] += f"  [as {', '.join(as_context)}]"
    if relation.qualifiers:
        parts = []
        for key in sorted(relation.qualifiers, key=list(schema.QUALIFIERS).index):
            value = relation.qualifiers[key]
            if key in ("cell_context", "disease_context"):
                value = name(str(value))
            elif isinstance(value, tuple):
                value = ", ".join(name(v) for v in value)
            parts.append(f"{key}: {value}")
        lines.append("      " + "; ".join(parts))
    lines.append(f"      evidence: {relation.evidence}; cites: {relation.citation}")
    if relation.citation.primary_dois:
        lines.append(f"      primary: {', '.join('doi:' + d for d in relation.citation.primary_dois)}")
    lines.append(f"      {relation.paraphrase}")
    return "\n".join(lines)


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
    from ..search import SearchError, search, to_text

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
        click.echo(json.dumps([h.to_dict() for h in hits], indent=2, ensure_ascii=False))
    elif fmt == "csv":
        from ..backends import Table

        columns = ["rank", "kind", "id", "title", "category", "score", "field", "text", "citation"]
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

    if not statement.strip():
        raise click.ClickException('no Cypher given: e.g. imidgraph cypher "MATCH (n) RETURN count(n)"')
    settings = _settings(uri, user, password, database)
    params = _parse_params(pairs)
    with neo4j_session(settings) as driver:
        table = Neo4jBackend(driver, settings.database).cypher(statement, params)
    _emit(table, fmt)
