"""An entity for people: show, with its relations by role, each relation as readable lines."""

from __future__ import annotations

import click

from .. import schema
from ..model import Relation
from ..names import AmbiguousName, UnknownEntity
from .common import (
    Context,
    _settings,
    any_graph_option,
    backend_option,
    checked_backend,
    main,
    neo4j_options,
    neo4j_session,
    pass_context,
    seeds_option,
)


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
