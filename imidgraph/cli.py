"""Command line: parse, call the library, format. Library errors become one-line messages here."""

from __future__ import annotations

import json
import sys
from pathlib import Path

import click

from . import schema
from .facts import default_seeds_dir, read_seeds
from .graph import KnowledgeGraph, load
from .model import Relation
from .names import AmbiguousName, UnknownEntity
from .validate import InvalidSeeds, read_source_texts, validate


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
    except UnknownEntity as e:
        hint = f"; did you mean: {', '.join(e.suggestions)}?" if e.suggestions else ""
        raise click.ClickException(f"no entity named {name!r}{hint}") from e
    except AmbiguousName as e:
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


if __name__ == "__main__":  # pragma: no cover
    main()
