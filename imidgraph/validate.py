"""Check raw seed records and turn them into a :class:`~imidgraph.facts.FactSet`.

Every problem names file, line and field. Nothing is built from seeds with problems:
:func:`load_facts` raises :class:`InvalidSeeds` instead.
"""

from __future__ import annotations

import difflib
import functools
import hashlib
import json
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path

from . import rules_issue20, schema
from .facts import FactSet, Problem, RawSeeds, Record, read_seeds
from .model import Citation, Entity, Location, QualifierValue, Reference, Relation, Source
from .names import LOOKALIKES, NAME_MAX, NameIndex, UnknownEntity, name_problem, normalize, skeleton
from .names import unsafe_character as _unsafe

SOURCE_FIELDS = {"id", "doi", "citation", "file", "numbered_references", "note"}
REFERENCE_FIELDS = {"ref", "source", "doi", "title", "year"}
ENTITY_FIELDS = {"id", "name", "category", "synonyms", "xrefs", "close_matches", "verified", "note", "favourable"}
RELATION_FIELDS = {
    "subject", "predicate", "object", "qualifiers", "evidence", "source", "section", "refs",
    "paraphrase",
}  # fmt: skip

# Fields of free prose: they may span lines in YAML (folded to single spaces when read).
# Every other text field is one line; no field holds control or invisible characters.
LONG_TEXT = {"note", "paraphrase", "citation", "title"}

_DOI = re.compile(r"^10\.\d{4,9}/\S+$")
_IDENTIFIER = re.compile(r"[!-~]+")  # CURIEs: printable ASCII, no spaces
COPY_RUN = 8  # a paraphrase may not repeat this many consecutive words of its source
MIN_PARAPHRASE = 20


class InvalidSeeds(ValueError):
    """The seeds have problems; nothing was built from them."""

    def __init__(self, problems: list[Problem]):
        self.problems = problems
        first = str(problems[0]) if problems else ""
        more = f" (and {len(problems) - 1} more)" if len(problems) > 1 else ""
        super().__init__(first + more)


def load_facts(path: Path | str, source_texts: Mapping[str, str] | None = None) -> FactSet:
    """Read and validate the seeds at ``path``; raise InvalidSeeds on any problem."""
    facts, problems = compile_facts(read_seeds(path), source_texts)
    if problems:
        raise InvalidSeeds(problems)
    return facts


def validate(raw: RawSeeds, source_texts: Mapping[str, str] | None = None) -> list[Problem]:
    """Every problem in ``raw``; empty when the seeds are valid."""
    return compile_facts(raw, source_texts)[1]


def compile_facts(
    raw: RawSeeds, source_texts: Mapping[str, str] | None = None
) -> tuple[FactSet, list[Problem]]:
    """Check ``raw`` and build the FactSet; the FactSet is only meaningful without problems.

    ``source_texts`` maps source ids to their full text; when given, paraphrases that repeat
    the source's wording are problems too.
    """
    checker = _Checker(raw.problems, raw.unread)
    sources = checker.sources(raw.sources)
    references = checker.references(raw.references, sources)
    entities = checker.entities(raw.entities)
    relations = checker.relations(raw.relations, entities, sources, references)
    if not checker.problems:
        checker.questions(relations, entities)
    if not checker.problems:
        checker.lint(relations, entities)
        checker.lumping(relations, entities)
        checker.restated(relations, entities)
        checker.problems += rules_issue20.problems(relations, entities)
    if source_texts:
        checker.copying(source_texts)
    facts = FactSet(
        sources=sources,
        references=references,
        entities={e.id: e for e in entities.values()},
        relations=[r for r, _ in relations],
        locations={**checker.entity_locations, **{r.id: rec.location for r, rec in relations}},
    )
    return facts, checker.problems


class _Checker:
    def __init__(self, problems: list[Problem], unread: set[str] = frozenset()):
        self.problems = list(problems)
        self.unread = unread  # kinds whose file or folder was not read: their one problem says so
        self.entity_locations: dict[str, Location] = {}
        self.paraphrases: list[tuple[str, str, Record]] = []  # (source id, paraphrase, record)

    def problem(self, record: Record, field: str | None, message: str) -> None:
        loc = record.at(field) if field else record.location
        self.problems.append(Problem(loc, field, message))

    # -- helpers ---------------------------------------------------------------------------
    def fields(self, record: Record, allowed: set[str], required: list[str]) -> bool:
        for key in record:
            if key not in allowed:
                close = difflib.get_close_matches(key, sorted(allowed), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                self.problem(record, key, f"unknown field{hint}")
        ok = not record.unreadable  # each unreadable value is a problem already
        for key in required:
            if key in record.unreadable:
                continue
            value = record.get(key)
            if value is None or (isinstance(value, str) and not value.strip()):
                self.problem(record, None, f"missing required field '{key}'")
                ok = False
        return ok

    def text(self, record: Record, key: str) -> str | None:
        """The field as text: one line, or (LONG_TEXT) prose folded to single spaces."""
        value = record.get(key)
        if value is None:
            return None
        if not isinstance(value, (str, int, float)) or isinstance(value, bool):
            self.problem(record, key, f"expected text, got {type(value).__name__}")
            return None
        long = key in LONG_TEXT
        if (why := _unsafe(str(value), line_breaks=long)) is not None:
            self.problem(record, key, why)
            return None
        return " ".join(str(value).split()) if long else str(value).strip()

    def text_list(self, record: Record, key: str) -> tuple[str, ...]:
        value = record.get(key, [])
        if value is None:
            return ()
        if isinstance(value, str):
            value = [value]
        if not isinstance(value, list) or not all(isinstance(v, (str, int)) for v in value):
            self.problem(record, key, "expected a list of text values")
            return ()
        for v in value:
            if (why := _unsafe(str(v))) is not None:
                self.problem(record, key, why)
                return ()
        return tuple(str(v).strip() for v in value)

    def identifier(self, record: Record, key: str, curie: str) -> bool:
        """A CURIE of printable ASCII, short enough to index, of a known prefix."""
        if len(curie) > NAME_MAX:
            why = f"too long ({len(curie)} characters; at most {NAME_MAX})"
        elif (why := schema.curie_problem(curie)) is None and not _IDENTIFIER.fullmatch(curie):
            why = f"an identifier is printable ASCII without spaces, got {curie!r}"
        if why is not None:
            self.problem(record, key, why)
        return why is None

    # -- sources and references ------------------------------------------------------------
    def sources(self, records: list[Record]) -> dict[str, Source]:
        sources: dict[str, Source] = {}
        self.numbered: set[str] = set()
        for record in records:
            if not self.fields(record, SOURCE_FIELDS, ["id", "citation"]):
                continue
            source_id, doi = self.text(record, "id"), self.text(record, "doi")
            if not source_id:
                continue
            if doi is None and not self.text(record, "note"):
                self.problem(record, "doi", "missing DOI: give it, or a note saying why it is unknown")
            elif doi is not None and not _DOI.match(doi):
                self.problem(record, "doi", f"malformed DOI {doi!r}")
            file = self.text(record, "file")
            if file is not None and (Path(file).name != file or file in ("", ".", "..")):
                self.problem(record, "file", f"expected a file name in the sources folder, got {file!r}")
                file = None
            if source_id in sources:
                self.problem(record, "id", f"duplicate source id {source_id!r}")
                continue
            sources[source_id] = Source(source_id, doi, self.text(record, "citation") or "", file)
            if record.get("numbered_references") is True:
                self.numbered.add(source_id)
        return sources

    def references(
        self, records: list[Record], sources: dict[str, Source]
    ) -> dict[tuple[str, int], Reference]:
        references: dict[tuple[str, int], Reference] = {}
        for record in records:
            if not self.fields(record, REFERENCE_FIELDS, ["ref", "source", "doi", "title"]):
                continue
            number, source, doi = record["ref"], self.text(record, "source"), self.text(record, "doi")
            if not isinstance(number, int) or isinstance(number, bool) or number < 1:
                self.problem(record, "ref", f"expected a positive reference number, got {number!r}")
                continue
            if source not in sources:
                if "sources" not in self.unread:
                    self.problem(record, "source", f"unknown source {source!r}")
                continue
            if not doi or not _DOI.match(doi):
                self.problem(record, "doi", f"malformed DOI {doi!r}")
                continue
            if (source, number) in references:
                self.problem(record, "ref", f"duplicate reference {number} of {source}")
                continue
            year = record.get("year")
            references[(source, number)] = Reference(
                number, source, doi, self.text(record, "title") or "",
                year if isinstance(year, int) else None,
            )  # fmt: skip
        return references

    # -- entities --------------------------------------------------------------------------
    def entities(self, records: list[Record]) -> dict[str, Entity]:
        """Valid entities keyed by id *and* by name (both resolve references)."""
        by_id: dict[str, Entity] = {}
        by_name: dict[str, Entity] = {}
        keys: dict[str, str] = {}  # lookup key -> entity name that owns it
        looks: dict[str, tuple[str, str]] = {}  # skeleton -> (text, entity name) that owns it
        self.rejected: set[str] = set()  # ids and names of entities with problems
        for record in records:
            if not self.fields(record, ENTITY_FIELDS, ["id", "name", "category", "verified"]):
                continue
            entity_id, name = self.text(record, "id"), self.text(record, "name")
            category = self.text(record, "category")
            if not entity_id or not name or not category:
                continue
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
            if not isinstance(verified, bool):
                self.problem(record, "verified", f"expected true or false, got {verified!r}")
                ok = False
            note = self.text(record, "note")
            if verified is False and not note:
                self.problem(record, "note", "an unverified identifier needs a note saying why")
            if entity_id in by_id:
                self.problem(
                    record, "id", f"duplicate entity id {entity_id!r} (also {by_id[entity_id].name!r})"
                )
                ok = False
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

    # -- relations -------------------------------------------------------------------------
    def relations(
        self,
        records: list[Record],
        entities: dict[str, Entity],
        sources: dict[str, Source],
        references: dict[tuple[str, int], Reference],
    ) -> list[tuple[Relation, Record]]:
        relations: list[tuple[Relation, Record]] = []
        seen: dict[str, Location] = {}
        for record in records:
            required = ["subject", "predicate", "object", "evidence", "source", "section", "paraphrase"]
            if not self.fields(record, RELATION_FIELDS, required):
                continue
            n_before = len(self.problems)
            subject = self.entity_ref(record, "subject", record["subject"], entities)
            obj = self.entity_ref(record, "object", record["object"], entities)
            predicate = self.text(record, "predicate") or ""
            if predicate not in schema.PREDICATES:
                close = difflib.get_close_matches(predicate, list(schema.PREDICATES), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                self.problem(record, "predicate", f"unknown predicate {predicate!r}{hint}")
            elif subject and obj and not schema.PREDICATES[predicate].allows(subject.category, obj.category):
                self.problem(
                    record, "predicate",
                    f"'{predicate}' is not allowed from {subject.category} to {obj.category} "
                    f"({subject.name} -> {obj.name})",
                )  # fmt: skip
            evidence = self.text(record, "evidence")
            if evidence not in schema.EVIDENCE_LEVELS:
                self.problem(
                    record, "evidence",
                    f"unknown evidence level {evidence!r} (one of {', '.join(schema.EVIDENCE_LEVELS)})",
                )  # fmt: skip
            source_id = self.text(record, "source")
            if source_id not in sources and "sources" not in self.unread:
                self.problem(record, "source", f"unknown source {source_id!r}")
            refs = self.refs(record, source_id)
            qualifiers = self.qualifiers(record, entities)
            needs_aspect = (
                predicate in schema.ASPECT_REQUIRED_FOR and obj and obj.category in schema.ASPECT_REQUIRED_ON
            )
            if needs_aspect and "aspect" not in qualifiers:
                self.problem(
                    record, "qualifiers", f"'{predicate}' on a {obj.category} needs an aspect qualifier"
                )
            if subject is not None and obj is not None:
                self.conditions(record, predicate, subject, obj, qualifiers)
            self.design(record, evidence, qualifiers)
            if "location" in qualifiers and subject is not None:
                self.location(record, predicate, subject, qualifiers["location"], entities)
            paraphrase = self.text(record, "paraphrase")
            if isinstance(record.get("paraphrase"), str) and source_id in sources:
                self.paraphrases.append((source_id, record["paraphrase"], record))
            if paraphrase is not None and len(paraphrase) < MIN_PARAPHRASE:
                self.problem(record, "paraphrase", f"too short (at least {MIN_PARAPHRASE} characters)")
            section = self.text(record, "section") or ""
            if len(self.problems) > n_before or subject is None or obj is None or source_id not in sources:
                continue
            source = sources[source_id]
            primary = tuple(references[(source_id, n)].doi for n in refs if (source_id, n) in references)
            citation = Citation(source_id, source.doi, section, refs, primary)
            relation_id = relation_key(subject.id, predicate, obj.id, qualifiers, source_id, section)
            if relation_id in seen:
                self.problem(record, None, f"duplicate relation (same as {seen[relation_id]})")
                continue
            seen[relation_id] = record.location
            relation = Relation(
                relation_id, subject.id, predicate, obj.id, evidence, citation, paraphrase or "", qualifiers
            )
            relations.append((relation, record))
        return relations

    def conditions(
        self, record: Record, predicate: str, subject: Entity, obj: Entity, qualifiers: dict[str, QualifierValue]
    ) -> None:
        """A condition or sign that a qualifier exists for is that qualifier, not only text.

        A protein or domain that acts only with a drug bound ("once the glutarimide is docked")
        names the drug in ``ligand``; a ``correlated_with`` a clinical endpoint says its sign in
        ``correlation`` where its text gives one (lower level, better outcome: negative);
        ``correlation`` is for
        ``correlated_with`` alone.
        """
        if "correlation" in qualifiers and predicate != "correlated_with":
            self.problem(record, "qualifiers", "correlation is the sign of a correlated_with relation only")
        if predicate == "correlated_with" and obj.category in schema.ENDPOINTS and "correlation" not in qualifiers:
            texts = [self.text(record, "paraphrase") or ""]
            texts += [v for k, v in qualifiers.items() if k in LINTED_TEXT and isinstance(v, str)]
            if any(_SIGNED.search(t) for t in texts):
                self.problem(
                    record, "qualifiers",
                    f"the text gives the sign of this correlation with {obj.name!r}: "
                    "say it in correlation: positive or negative",
                )  # fmt: skip
        if subject.category in schema.AGENTS or "ligand" in qualifiers:
            return
        texts = [self.text(record, "paraphrase") or ""]
        texts += [v for k, v in qualifiers.items() if k in LINTED_TEXT and isinstance(v, str)]
        for text in texts:
            if (match := _BOUND.search(text)) is not None:
                self.problem(
                    record, "qualifiers",
                    f"{match.group()!r} is a condition: name the bound drug in ligand",
                )  # fmt: skip
                return

    def design(self, record: Record, evidence: str | None, qualifiers: dict[str, QualifierValue]) -> None:
        """An evidence level that names a study design (in vitro, in vivo, a trial phase) is
        never one the relation's own text says the source does not state: by convention, from
        gene notation, or "not stated" is review_statement."""
        if evidence not in DESIGNS:
            return
        texts = [self.text(record, "paraphrase") or ""]
        texts += [v for k, v in qualifiers.items() if k in LINTED_TEXT and isinstance(v, str)]
        for text in texts:
            if (match := _UNSTATED.search(text)) is not None:
                self.problem(
                    record, "evidence",
                    f"{evidence} names a study design, but the relation says {match.group()!r}: "
                    "review_statement is the level of a statement whose design the source does not give",
                )  # fmt: skip
                return

    def location(
        self, record: Record, predicate: str, subject: Entity, places: tuple[str, ...], entities: dict[str, Entity]
    ) -> None:
        """``location`` says where the subject acts or is found: never on a clinical or class
        statement (a trial, an approval, an outcome happens in patients, not in a tissue), and
        never somewhere the subject's own name rules out (a bone marrow stromal cell is not in a
        lymph node)."""
        if predicate in NOT_LOCATED:
            self.problem(
                record, "qualifiers",
                f"location says where the subject acts or is found, which '{predicate}' does not "
                "describe: name the place in mentions (or make it a relation)",
            )  # fmt: skip
            return
        if not hasattr(self, "_places"):
            self._places = [
                (re.compile(r"(?<![A-Za-z0-9])" + re.escape(e.name) + r"(?![A-Za-z0-9])", re.IGNORECASE), e.id)
                for e in {e.id: e for e in entities.values() if e.category == "Compartment"}.values()
            ]  # fmt: skip
        named = {place for pattern, place in self._places if pattern.search(subject.name)}
        elsewhere = sorted(entities[p].name for p in places if named and p not in named)
        if elsewhere:
            self.problem(
                record, "qualifiers",
                f"{subject.name!r} is named for {', '.join(sorted(entities[p].name for p in named))}: "
                f"a location in {', '.join(elsewhere)} contradicts it (a broader subject, or another relation)",
            )  # fmt: skip

    def refs(self, record: Record, source_id: str | None) -> tuple[int, ...]:
        value = record.get("refs")
        if value is None:
            return ()
        if not isinstance(value, list) or not all(
            isinstance(n, int) and not isinstance(n, bool) and n > 0 for n in value
        ):
            self.problem(record, "refs", "expected a list of positive reference numbers")
            return ()
        if value and source_id not in self.numbered and "sources" not in self.unread:
            self.problem(record, "refs", f"source {source_id!r} has no numbered reference list")
            return ()
        return tuple(value)

    def qualifiers(self, record: Record, entities: dict[str, Entity]) -> dict[str, QualifierValue]:
        raw = record.get("qualifiers") or {}
        if not isinstance(raw, dict):
            self.problem(record, "qualifiers", "expected a mapping of qualifier: value")
            return {}
        out: dict[str, QualifierValue] = {}
        for key, value in raw.items():
            field = f"qualifiers.{key}"
            kind = schema.QUALIFIERS.get(key)
            if kind is None:
                close = difflib.get_close_matches(key, list(schema.QUALIFIERS), n=1)
                hint = f" (did you mean '{close[0]}'?)" if close else ""
                self.problems.append(Problem(record.at("qualifiers"), field, f"unknown qualifier{hint}"))
                continue
            where = record.at("qualifiers")
            if kind == "entity":
                entity = self.entity_ref(record, "qualifiers", value, entities)
                if entity:
                    out[key] = entity.id
            elif kind == "entities":
                values = value if isinstance(value, list) else [value]
                found = [self.entity_ref(record, "qualifiers", v, entities) for v in values]
                if all(found):
                    out[key] = tuple(sorted({e.id for e in found if e}))
            elif kind.startswith("enum:"):
                allowed = schema.ENUMS[kind[5:]]
                if value not in allowed:
                    self.problems.append(
                        Problem(where, field, f"{value!r} is not one of {', '.join(sorted(allowed))}")
                    )
                else:
                    out[key] = value
            elif kind == "int":
                if isinstance(value, int) and not isinstance(value, bool):
                    out[key] = value
                else:
                    self.problems.append(Problem(where, field, f"expected a whole number, got {value!r}"))
            else:
                if (
                    isinstance(value, (str, int, float))
                    and not isinstance(value, bool)
                    and str(value).strip()
                ):
                    if (why := _unsafe(str(value))) is not None:
                        self.problems.append(Problem(where, field, why))
                    else:
                        out[key] = str(value).strip()
                else:
                    self.problems.append(Problem(where, field, f"expected text, got {value!r}"))
        return out

    # -- open questions ------------------------------------------------------------------
    def questions(self, relations: list[tuple[Relation, Record]], entities: dict[str, Entity]) -> None:
        """An open question is about something: every OpenQuestion has a ``concerns`` relation
        (else no query would find it), and each ``concerns`` is the source's own statement
        (``review_statement``): that something is unknown is no study result."""
        about = {r.subject for r, _ in relations if r.predicate == "concerns"}
        for entity in {e.id: e for e in entities.values()}.values():
            if entity.category in schema.QUESTIONS and entity.id not in about:
                self.problems.append(Problem(
                    self.entity_locations[entity.id], "id",
                    f"the open question {entity.name!r} concerns nothing: link it with a 'concerns' relation "
                    "to each entity it is about",
                ))  # fmt: skip
        for relation, record in relations:
            if relation.predicate == "concerns" and relation.evidence != "review_statement":
                self.problem(
                    record, "evidence",
                    f"a 'concerns' relation states what a source says is unknown: evidence is review_statement, "
                    f"not {relation.evidence!r}",
                )  # fmt: skip

    # -- curation lint -------------------------------------------------------------------
    def lint(self, relations: list[tuple[Relation, Record]], entities: dict[str, Entity]) -> None:
        """No fact only as qualifier text: text naming an entity, or a trial, must have a relation.

        A text qualifier (``LINTED_TEXT``) that names an entity (by name or synonym, as a whole
        word) is fine when that entity is part of the relation (subject, object or an entity
        qualifier, ``mentions`` included), is above or below one of them in the ``subclass_of``
        hierarchy, or shares another relation with one of them. Anything else is reported, as is
        a trial-like name (KEYNOTE-183, ZUMA-14, NCT01234567) that no entity has.
        """
        by_id = {e.id: e for e in entities.values()}
        patterns = _mention_patterns(by_id.values())
        parents: dict[str, set[str]] = {}
        linked: dict[str, set[str]] = {}
        for relation, _ in relations:
            ids = _relation_entities(relation)
            for entity_id in ids:
                linked.setdefault(entity_id, set()).update(ids)
            if relation.predicate == "subclass_of":
                parents.setdefault(relation.subject, set()).add(relation.object)
        children: dict[str, set[str]] = {}
        for child, ps in parents.items():
            for parent in ps:
                children.setdefault(parent, set()).add(child)

        def family(entity_id: str) -> set[str]:
            out, todo = {entity_id}, [entity_id]
            for edges in (parents, children):
                todo = [entity_id]
                while todo:
                    for other in edges.get(todo.pop(), ()):
                        if other not in out:
                            out.add(other)
                            todo.append(other)
            return out

        for relation, record in relations:
            own = set().union(*(family(e) for e in _relation_entities(relation)))
            near = own | set().union(*(linked.get(e, set()) for e in own))
            for key in LINTED_TEXT:
                text = relation.qualifiers.get(key)
                if not isinstance(text, str):
                    continue
                found = [(m.span(), e) for pattern, e in patterns for m in pattern.finditer(text)]
                spans = [span for span, _ in found]
                named: list[str] = []
                for (a, b), entity_id in found:  # a name inside a longer one is that one's
                    inside = any(c <= a and b <= d and (c, d) != (a, b) for c, d in spans)
                    if not inside and entity_id not in near and by_id[entity_id].name not in named:
                        named.append(by_id[entity_id].name)
                for name in named:
                    self.problems.append(Problem(
                        record.at("qualifiers"), f"qualifiers.{key}",
                        f"names the entity {name!r}, which no relation links to this one's subject or "
                        "object: make this a relation or an entity reference (mentions)",
                    ))  # fmt: skip
                for match in _TRIAL_LIKE.finditer(text):
                    if not any(a <= match.start() and match.end() <= b for a, b in spans):
                        self.problems.append(Problem(
                            record.at("qualifiers"), f"qualifiers.{key}",
                            f"names the trial {match.group()!r}, which is no entity: make it a "
                            "ClinicalTrial entity and link it (in_trial, tested)",
                        ))  # fmt: skip

    def lumping(self, relations: list[tuple[Relation, Record]], entities: dict[str, Entity]) -> None:
        """An ontology's placement that the sources contradict is recorded, not followed.

        A source that lists the members of a class side by side (``subclass_of`` edges into it,
        cited from a review) is the traversable structure. An ``ontology`` edge ``A subclass_of B``
        that makes some of those members B's, while another member is a B on its own (by
        another path), files under B what the source keeps beside B: B-cell neoplasm under
        lymphoma makes myeloma and CLL lymphomas, though the review lists B-cell lymphomas, CLL
        and plasma cell dyscrasias as the three kinds of B-cell neoplasm. Such an edge is a
        problem; the ontology's placement belongs in the class's note.
        """
        by_id = {e.id: e for e in entities.values()}
        parents: dict[str, set[str]] = {}
        kinds: dict[tuple[str, str], set[str]] = {}
        for relation, _ in relations:
            if relation.predicate == "subclass_of":
                parents.setdefault(relation.subject, set()).add(relation.object)
                kinds.setdefault((relation.subject, relation.object), set()).add(relation.evidence)
        children: dict[str, set[str]] = {}
        for child, ps in parents.items():
            for parent in ps:
                children.setdefault(parent, set()).add(child)

        def reaches(start: str, goal: str, without: tuple[str, str]) -> bool:
            seen, todo = {start}, [start]
            while todo:
                here = todo.pop()
                for up in parents.get(here, ()):
                    if (here, up) == without:
                        continue
                    if up == goal:
                        return True
                    if up not in seen:
                        seen.add(up)
                        todo.append(up)
            return False

        for relation, record in relations:
            if relation.predicate != "subclass_of" or relation.evidence != "ontology":
                continue
            edge = (relation.subject, relation.object)
            members = sorted(children.get(relation.subject, ()))
            apart = [
                m for m in members
                if relation.object not in parents.get(m, ()) and reaches(m, relation.object, edge)
            ]  # fmt: skip
            lumped = [
                m for m in members
                if "review_statement" in kinds[(m, relation.subject)] and not reaches(m, relation.object, edge)
            ]  # fmt: skip
            if apart and lumped:
                name = lambda i: by_id[i].name  # noqa: E731
                self.problems.append(Problem(
                    record.location, "object",
                    f"this {relation.citation.source} edge makes {', '.join(map(name, lumped))} "
                    f"{name(relation.object)}s, which a review lists beside {', '.join(map(name, apart))} "
                    f"among the kinds of {name(relation.subject)}: follow the source's structure and "
                    f"record the ontology's placement in the note of {name(relation.subject)!r}",
                ))  # fmt: skip

    def restated(self, relations: list[tuple[Relation, Record]], entities: dict[str, Entity]) -> None:
        """One fact, one relation: a statement may be cited by several sources, never held twice.

        Two relations from one source with the same subject, predicate, object and qualifiers
        (in two sections) are one fact stored twice: keep one, with the section that states it
        best. Two relations with the same paraphrase say the same thing twice (a trial's outcome
        repeating its regimen's, word for word; rules_issue20.trial_outcomes names that case).
        """
        by_id = {e.id: e for e in entities.values()}
        statements: dict[str, Record] = {}
        paraphrases: dict[str, tuple[Record, Relation]] = {}
        for relation, record in relations:
            key = json.dumps(
                [relation.subject, relation.predicate, relation.object, relation.citation.source,
                 sorted((k, v) for k, v in relation.qualifiers.items())],
                ensure_ascii=False, default=list,
            )  # fmt: skip
            if key in statements:
                self.problems.append(Problem(
                    record.location, None,
                    f"{by_id[relation.subject].name} {relation.predicate} {by_id[relation.object].name} "
                    f"is already stated from {relation.citation.source} (at {statements[key].location}): "
                    "one fact, one relation",
                ))  # fmt: skip
            else:
                statements[key] = record
            text = " ".join(relation.paraphrase.lower().split())
            if text in paraphrases:
                self.problems.append(Problem(
                    record.location, "paraphrase",
                    f"the same paraphrase as the relation at {paraphrases[text][0].location}: a fact "
                    "stored twice (keep the one on the node that holds it)",
                ))  # fmt: skip
            else:
                paraphrases[text] = (record, relation)

    # -- wording ---------------------------------------------------------------------------
    def copying(self, source_texts: Mapping[str, str]) -> None:
        """Every relation's paraphrase (valid or not) against its source's text."""
        shingles = {sid: _shingles(_words(text)) for sid, text in source_texts.items()}
        for source_id, paraphrase, record in self.paraphrases:
            source_shingles = shingles.get(source_id)
            if not source_shingles:
                continue
            copied = _shingles(_words(paraphrase)) & source_shingles
            if copied:
                run = " ".join(sorted(copied)[0])
                self.problem(
                    record,
                    "paraphrase",
                    f"repeats the source's wording ({run!r}...): write it in our own words",
                )


# evidence levels that name a study design, and text that says the source names none
DESIGNS = frozenset({"in_vitro", "preclinical_in_vivo", "phase_1", "phase_2", "phase_3"})
_UNSTATED = re.compile(
    r"\b(?:(?:does|do|did) not (?:state|name|give|say) (?:the |its |a |an )?(?:\w+ )?(?:study|design|type)\w*"
    r"|(?:study|design|study type) (?:is )?not stated|names no (?:study )?design|by convention|gene notation)\b",
    re.IGNORECASE,
)
# a text that says which way a correlation with an outcome goes (lower level, better outcome)
_SIGNED = re.compile(
    r"\b(?:lower|higher|fewer|more|less|reduced|raised|increased|decreased|high|low)\b[^.;]*"
    r"\b(?:better|worse|favou?rable|unfavou?rable|poor|poorer|longer|shorter)\b",
    re.IGNORECASE,
)
# a text that makes an effect conditional on a bound drug
_BOUND = re.compile(
    r"\b(?:once|only (?:once|when|after)|when|with|after)\b[^.;]{0,60}\b(?:docked|bound|seated)\b", re.IGNORECASE
)
# predicates whose statements happen in patients or between classes, not in a tissue
NOT_LOCATED = frozenset(
    {"approved_for", "studied_clinically_for", "has_side_effect", "tested", "has_outcome", "given_with",
     "subclass_of", "derived_from", "model_of", "located_in"}
)
# text qualifiers the curation lint reads (trial, phase and value are names and figures)
LINTED_TEXT = ("detail", "outcome", "setting", "model")
_TRIAL_LIKE = re.compile(
    r"(?<![A-Za-z0-9])(?:(?:KEYNOTE|ZUMA|CheckMate|POLLUX|CASTOR|ECOG-ACRIN)[- ]?\d*|NCT\d{8}|E\d{4})(?![A-Za-z0-9])"
)
MENTION_MIN = 3  # shorter names and synonyms (CR, IS) are too ambiguous to look for in prose


def _relation_entities(relation: Relation) -> set[str]:
    ids = {relation.subject, relation.object}
    for key, value in relation.qualifiers.items():
        ids.update(schema.qualifier_entities(key, value))
    return ids


def _mention_patterns(entities) -> list[tuple[re.Pattern[str], str]]:
    """A whole-word pattern per name and synonym; short or all-capital ones match their case."""
    out = []
    for entity in entities:
        for text in {entity.name, *entity.synonyms}:
            if len(text) < MENTION_MIN:
                continue
            flags = 0 if (len(text) <= 5 or text.isupper()) else re.IGNORECASE
            out.append((re.compile(r"(?<![A-Za-z0-9])" + re.escape(text) + r"(?![A-Za-z0-9])", flags), entity.id))
    return out


def relation_key(
    subject: str, predicate: str, obj: str, qualifiers: Mapping[str, QualifierValue],
    source: str, section: str,
) -> str:  # fmt: skip
    """A relation's stable id, derived from what makes it one fact."""
    canonical = json.dumps(
        [subject, predicate, obj, sorted((k, v) for k, v in qualifiers.items()), source, section],
        ensure_ascii=False, separators=(",", ":"), default=list,
    )  # fmt: skip
    return schema.LOCAL_PREFIX + ":" + hashlib.sha1(canonical.encode()).hexdigest()[:16]


_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_LOOKALIKE_TABLE = str.maketrans(LOOKALIKES)


@functools.lru_cache(maxsize=4096)
def _fold(ch: str) -> str:
    """A non-ASCII character as the wording check reads it: invisible ones vanish, look-alike
    letters are the Latin ones, compatibility forms are plain and accents go."""
    if unicodedata.category(ch) == "Cf":
        return ""
    plain = unicodedata.normalize("NFKD", ch.translate(_LOOKALIKE_TABLE))
    return "".join(c for c in plain if not unicodedata.combining(c))


def _words(text: str) -> list[str]:
    """The words of a text, so that no invisible or look-alike character hides a copy."""
    folded = _NON_ASCII.sub(lambda m: _fold(m.group()), unicodedata.normalize("NFKC", text))
    return re.findall(r"[a-z0-9]+", folded.casefold())


def _shingles(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + COPY_RUN]) for i in range(len(words) - COPY_RUN + 1)}


def source_files(raw: RawSeeds) -> dict[str, str]:
    """Source id -> the file name of its text, for the sources that name one."""
    files: dict[str, str] = {}
    for record in raw.sources:
        file = record.get("file")
        if isinstance(file, str) and file and Path(file).name == file and file not in (".", ".."):
            files[str(record.get("id"))] = file
    return files


def read_source_texts(raw: RawSeeds, sources_dir: Path | str) -> dict[str, str]:
    """Full texts of the seeds' sources whose ``file`` is present in ``sources_dir``."""
    texts: dict[str, str] = {}
    for source_id, file in source_files(raw).items():
        path = Path(sources_dir) / file
        if path.is_file():
            texts[source_id] = path.read_text(encoding="utf-8", errors="replace")
    return texts


def missing_source_texts(raw: RawSeeds, sources_dir: Path | str) -> list[str]:
    """``file (source id)`` of every source text the seeds name that ``sources_dir`` lacks."""
    return [
        f"{file} ({source_id})"
        for source_id, file in source_files(raw).items()
        if not (Path(sources_dir) / file).is_file()
    ]
