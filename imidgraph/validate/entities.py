"""The rules of entities (identifiers, categories, names that tell them apart) and of
references to them by name or id."""

from __future__ import annotations

import difflib

from .. import schema
from ..facts import Record
from ..model import Entity, Location
from ..names import NameIndex, UnknownEntity, name_problem, normalize, skeleton
from .records import ENTITY_FIELDS, RecordChecks


class EntityChecks(RecordChecks):
    """Entities, and the entity a relation or qualifier names."""

    def entities(self, records: list[Record]) -> dict[str, Entity]:
        """Valid entities keyed by id *and* by name (both resolve references)."""
        by_id: dict[str, Entity] = {}
        by_name: dict[str, Entity] = {}
        keys: dict[str, str] = {}  # lookup key -> entity name that owns it
        looks: dict[str, tuple[str, str]] = {}  # skeleton -> (text, entity name) that owns it
        self.rejected: set[str] = set()  # ids and names of entities with problems
        seen: dict[str, tuple[Location, str]] = {}  # id -> where it first appears, and its name
        for record in records:
            if not self.fields(record, ENTITY_FIELDS, ["id", "name", "category", "verified"]):
                continue
            entity_id, name = self.text(record, "id"), self.text(record, "name")
            category = self.text(record, "category")
            if not entity_id or not name or not category:
                continue
            if entity_id in seen:  # one problem naming both places; the copy is not checked further
                where, other = seen[entity_id]
                self.problem(record, "id", f"duplicate entity id {entity_id!r}: {name!r} here, {other!r} at {where}")
                if name not in by_name:
                    self.rejected.add(name)
                continue
            seen[entity_id] = (record.location, name)
            ok = True
            synonyms = self.text_list(record, "synonyms")
            for key, texts in (("name", [name]), ("synonyms", synonyms)):
                for text in texts:
                    if (why := name_problem(text)) is not None:
                        self.problem(record, key, why)
                        ok = False
            if not self.identifier(record, "id", entity_id):
                ok = False
            elif category in schema.CATEGORY_PREFIXES:
                prefix = entity_id.split(":", 1)[0]
                if prefix == schema.LOCAL_PREFIX:
                    if record.get("verified") is not False:
                        self.problem(
                            record, "verified", "a project-local IMIDGRAPH id is never verified: set false"
                        )
                        ok = False
                elif prefix not in schema.CATEGORY_PREFIXES[category]:
                    allowed = ", ".join(sorted(schema.CATEGORY_PREFIXES[category]))
                    self.problem(record, "id", f"{prefix} is not a vocabulary for {category} ({allowed})")
                    ok = False
            if category not in schema.CATEGORIES:
                close = difflib.get_close_matches(category, list(schema.CATEGORIES), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                self.problem(record, "category", f"unknown category {category!r}{hint}")
                ok = False
            xrefs = self.text_list(record, "xrefs")
            for xref in xrefs:
                if not self.identifier(record, "xrefs", xref):
                    ok = False
            close = self.text_list(record, "close_matches")
            for curie in close:
                if not self.identifier(record, "close_matches", curie):
                    ok = False
            if close and not entity_id.startswith(schema.LOCAL_PREFIX + ":"):
                self.problem(
                    record, "close_matches",
                    "an entity with only close matches has a project-local IMIDGRAPH id: a broader or "
                    "neighbouring term is never its own id",
                )  # fmt: skip
                ok = False
            if category == "Gene" and not any(x.startswith("UniProtKB:") for x in xrefs):
                self.problem(record, "xrefs", "a Gene needs its UniProtKB cross-reference")
                ok = False
            verified = record.get("verified")
            if isinstance(verified, str) and verified.strip().lower() in ("true", "false", "yes", "no"):
                plain = "true" if verified.strip().lower() in ("true", "yes") else "false"
                self.problem(
                    record, "verified",
                    f"expected a boolean, got the text {verified!r}: write {plain} without quotes",
                )
                ok = False
            elif not isinstance(verified, bool):
                self.problem(record, "verified", f"expected a boolean (true or false), got {verified!r}")
                ok = False
            note = self.text(record, "note")
            if verified is False and not note:
                self.problem(record, "note", "an unverified identifier needs a note saying why")
            if name in by_name:
                self.problem(record, "name", f"duplicate entity name {name!r}")
                ok = False
            favourable = self.text(record, "favourable") if "favourable" in record else None
            if favourable is not None and category != "ClinicalEndpoint":
                self.problem(record, "favourable", "only a ClinicalEndpoint says which change of it is favourable")
                ok = False
            elif favourable is not None and favourable not in schema.FAVOURABLE:
                self.problem(
                    record, "favourable", f"expected one of {', '.join(schema.FAVOURABLE)}, got {favourable!r}"
                )
                ok = False
            entity = Entity(entity_id, name, category, synonyms, xrefs, bool(verified), note, close, favourable)
            texts = [("id", entity_id), ("name", name), *(("synonyms", s) for s in synonyms)]
            for field, text in texts:
                key, look = normalize(text), skeleton(text)
                owner = keys.get(key)
                if owner is not None and owner != name:
                    self.problem(record, field, f"{key!r} already names entity {owner!r}")
                    ok = False
                elif look in looks and looks[look][1] != name:
                    other, owner = looks[look]
                    self.problem(
                        record, field, f"{text!r} looks the same as {other!r}, a name of entity {owner!r}"
                    )
                    ok = False
            if not ok:
                self.rejected.update({entity_id, name})
                continue
            for _, text in texts:
                keys.setdefault(normalize(text), name)
                looks.setdefault(skeleton(text), (text, name))
            by_id[entity_id] = entity
            by_name[name] = entity
            self.entity_locations[entity_id] = record.location
        self.index = NameIndex(by_id.values())
        return {**by_id, **by_name}

    def entity_ref(self, record: Record, field: str, value, entities: dict[str, Entity]) -> Entity | None:
        if not isinstance(value, str) or not value.strip():
            self.problem(record, field, f"expected an entity name or id, got {value!r}")
            return None
        entity = entities.get(value.strip())
        if entity is None and "entities" in self.unread:
            pass  # the entity files' own problem says why; every reference to them would repeat it
        elif entity is None and value.strip() in self.rejected:
            self.problem(record, field, f"entity {value.strip()!r} is invalid (see its own problem)")
        elif entity is None:
            try:
                other = self.index.resolve(value)
                hint = f" (a synonym of {other.name!r}: use its name or id)"
            except LookupError as e:
                suggestions = e.suggestions if isinstance(e, UnknownEntity) else []
                hint = f" (close: {', '.join(suggestions)})" if suggestions else ""
            self.problem(record, field, f"unknown entity {value!r}{hint}")
        return entity
