"""An entity for people: show, a summary first (counts by predicate and role, the strongest
relations by evidence), then its relations grouped by predicate, a few per group unless --all;
or the same as one JSON document."""

from __future__ import annotations

import json
from typing import Any

import click

from .. import schema
from ..model import Entity, Relation
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

DEFAULT_LIMIT = 5  # relations per predicate in the text output (a drug has ~20 predicates)
TOP = 5  # the strongest relations listed in the summary


@main.command()
@click.argument("name")
@click.option("--predicate", default=None, help="Only relations with this predicate.")
@click.option(
    "--limit", default=None, type=click.IntRange(1),
    help=f"Relations per predicate to print (text: {DEFAULT_LIMIT} unless given; JSON: all unless given).",
)  # fmt: skip
@click.option("--all", "show_all", is_flag=True, help="Every relation (no limit per predicate).")
@click.option("--format", "fmt", type=click.Choice(["text", "json"]), default="text", show_default=True)
@seeds_option
@backend_option("Read the entity from the embedded graph or from Neo4j (printed the same way).")
@neo4j_options
@any_graph_option
@pass_context
def show(
    obj: Context, name: str, predicate: str | None, limit: int | None, show_all: bool, fmt: str,
    backend, uri, user, password, database, any_graph,
) -> None:  # fmt: skip
    """Show an entity (by id, name or synonym): a summary, then its relations by predicate, cited."""
    kg = obj.kg
    try:
        entity = kg.entity(name)  # names resolve through the seeds on both backends
        predicate = schema.predicate_name(predicate) if predicate is not None else None
    except (UnknownEntity, AmbiguousName, schema.UnknownPredicate) as e:
        raise click.ClickException(str(e)) from e
    if backend == "memory":
        shown = shown_entity(kg, entity, predicate)
    else:
        settings = _settings(uri, user, password, database)
        with neo4j_session(settings) as driver:
            shown = shown_entity(kg, entity, predicate, checked_backend(obj, driver, settings, any_graph))
        if shown is None:
            raise click.ClickException(
                f"database {settings.database!r} has no imidgraph entity {entity.id} ({entity.name})"
            )
    if show_all:
        limit = None
    elif limit is None and fmt == "text":
        limit = DEFAULT_LIMIT
    if fmt == "json":
        click.echo(json.dumps(shown.to_dict(limit), indent=2, ensure_ascii=False))
    else:
        click.echo(shown.to_text(limit), nl=False)


def shown_entity(kg, entity: Entity, predicate: str | None = None, backend=None) -> Shown | None:
    """What ``show`` shows of ``entity`` (resolved already), from the embedded graph or from a
    backend's ``entity(id)`` (Neo4j: None if the database lacks it); only relations with
    ``predicate`` if given. ``Shown.to_dict(limit)`` is the JSON of ``show --format json`` (and
    of the web API's entity, imidgraph.serve)."""
    if backend is None:
        relations = kg.relations_of(entity.id) + kg.context_relations(entity.id)
        names = {i: e.name for i, e in kg.facts.entities.items()}
    else:
        found = backend.entity(entity.id)
        if found is None:
            return None
        entity, relations, names = found
    if predicate is not None:
        relations = [r for r in relations if r.predicate == predicate]
    return Shown(entity, relations, names)


ROLES = ("subject", "object", "context")
_STRENGTH = {level: i for i, level in enumerate(schema.EVIDENCE_LEVELS)}


def roles(entity_id: str, relations: list[Relation]) -> dict[str, list[Relation]]:
    """The relations of an entity by its role in them: subject, object, or context (named by a
    qualifier: cell or disease context, via, combined_with, more_than, ...); each relation once."""
    groups: dict[str, dict[str, Relation]] = {role: {} for role in ROLES}
    for r in relations:
        role = "subject" if r.subject == entity_id else "object" if r.object == entity_id else "context"
        groups[role][r.id] = r
    return {role: list(found.values()) for role, found in groups.items()}


class Shown:
    """An entity with its relations (each once, with its role), in the order ``show`` prints
    them: by predicate (alphabetical); in a predicate, strongest evidence first, then subject,
    object, context, then by the names at the two ends."""

    def __init__(self, entity: Entity, relations: list[Relation], names: dict[str, str]):
        self.entity = entity
        self.names = names
        self.role = {r.id: role for role, found in roles(entity.id, relations).items() for r in found}
        unique = {r.id: r for r in relations}
        self.relations = sorted(unique.values(), key=self._order)
        self.by_predicate: dict[str, list[Relation]] = {}
        for r in sorted(self.relations, key=lambda r: r.predicate):
            self.by_predicate.setdefault(r.predicate, []).append(r)

    def name(self, entity_id: str) -> str:
        return self.names.get(entity_id, entity_id)

    def _order(self, r: Relation) -> tuple:
        return (_STRENGTH.get(r.evidence, len(_STRENGTH)), ROLES.index(self.role[r.id]), r.predicate,
                self.name(r.subject), self.name(r.object), r.id)  # fmt: skip

    def context_keys(self, r: Relation) -> list[str]:
        """The qualifiers that name the entity, for a relation it is context of."""
        if self.role[r.id] != "context":
            return []
        return [k for k, v in r.qualifiers.items() if self.entity.id in schema.qualifier_entities(k, v)]

    def counts(self) -> dict[str, Any]:
        by_role = {role: sum(1 for r in self.relations if self.role[r.id] == role) for role in ROLES}
        by_predicate = {
            p: {**{role: sum(1 for r in found if self.role[r.id] == role) for role in ROLES}, "total": len(found)}
            for p, found in self.by_predicate.items()
        }
        by_evidence = {level: n for level in schema.EVIDENCE_LEVELS
                       if (n := sum(1 for r in self.relations if r.evidence == level))}  # fmt: skip
        return {"relations": len(self.relations), "by_role": by_role, "by_predicate": by_predicate, "by_evidence": by_evidence}

    def top(self) -> list[Relation]:
        """The strongest relations by evidence, each statement once (ontology hierarchy edges
        left out)."""
        found: dict[tuple[str, str, str], Relation] = {}
        for r in self.relations:
            if r.evidence != "ontology" and len(found) < TOP:
                found.setdefault((r.subject, r.predicate, r.object), r)
        return list(found.values())

    # -- text --------------------------------------------------------------------------------
    def to_text(self, limit: int | None) -> str:
        e = self.entity
        verified = "verified" if e.verified else "NOT verified"
        lines = [f"{e.name}  [{e.category}, {schema.CATEGORIES[e.category]}]", f"  id: {e.id} ({verified})"]
        if e.xrefs:
            lines.append(f"  xrefs: {', '.join(e.xrefs)}")
        if e.synonyms:
            lines.append(f"  synonyms: {', '.join(e.synonyms)}")
        if e.note:
            lines.append(f"  note: {e.note}")
        counts = self.counts()
        by_role = ", ".join(f"{n} as {role}" for role, n in counts["by_role"].items())
        lines += ["", f"{counts['relations']} relation(s): {by_role}"]
        if not self.relations:
            return "\n".join(lines) + "\n"
        width = max(len(p) for p in counts["by_predicate"])
        lines.append(f"  {'predicate':<{width}}  subject  object  context")
        for p, n in counts["by_predicate"].items():
            lines.append(f"  {p:<{width}}  {n['subject']:>7}  {n['object']:>6}  {n['context']:>7}")
        lines.append("  evidence: " + ", ".join(f"{level} {n}" for level, n in counts["by_evidence"].items()))
        if top := self.top():
            lines += ["", "strongest evidence:"]
            for r in top:
                c = r.citation
                lines.append(f"  {self._statement(r)}  ({r.evidence}; {c.source} §{c.section})")
        for p, found in self.by_predicate.items():
            n = counts["by_predicate"][p]
            parts = ", ".join(f"{n[role]} as {role}" for role in ROLES if n[role])
            lines += ["", f"{p} ({parts}):"]
            for r in found[:limit]:
                lines.append(format_relation(self.name, r, as_context=self.context_keys(r) or None))
            if limit is not None and len(found) > limit:
                lines.append(f"  ... and {len(found) - limit} more (use --all)")
        return "\n".join(lines) + "\n"

    def _statement(self, r: Relation) -> str:
        keys = self.context_keys(r)
        line = f"{self.name(r.subject)} -{r.predicate}-> {self.name(r.object)}"
        return f"{line}  [as {', '.join(keys)}]" if keys else line

    # -- JSON --------------------------------------------------------------------------------
    def to_dict(self, limit: int | None) -> dict[str, Any]:
        e = self.entity
        counts = self.counts()
        counts["top"] = [r.id for r in self.top()]
        relations = []
        for found in self.by_predicate.values():
            relations += [self._relation_dict(r) for r in found[:limit]]
        return {
            "entity": {"id": e.id, "name": e.name, "category": e.category, "verified": e.verified,
                       "synonyms": list(e.synonyms), "xrefs": list(e.xrefs), "note": e.note},
            "summary": counts,
            "limit": limit,
            "shown": len(relations),
            "relations": relations,
        }  # fmt: skip

    def _relation_dict(self, r: Relation) -> dict[str, Any]:
        c = r.citation
        qualifiers = {k: list(v) if isinstance(v, tuple) else v
                      for k, v in sorted(r.qualifiers.items(), key=lambda kv: list(schema.QUALIFIERS).index(kv[0]))}  # fmt: skip
        return {
            "id": r.id,
            "role": self.role[r.id],
            "as": self.context_keys(r),
            "subject": {"id": r.subject, "name": self.name(r.subject)},
            "predicate": r.predicate,
            "object": {"id": r.object, "name": self.name(r.object)},
            "qualifiers": qualifiers,
            "evidence": r.evidence,
            "citation": {"source": c.source, "doi": c.doi, "section": c.section, "refs": list(c.refs),
                         "primary_dois": list(c.primary_dois)},
            "paraphrase": r.paraphrase,
        }  # fmt: skip


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
