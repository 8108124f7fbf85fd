"""The rules of one relation: its ends and predicate, evidence, citation, qualifiers, and the
conditions, study design and location its text may state; and its stable id."""

from __future__ import annotations

import difflib
import hashlib
import json
import re
from collections.abc import Mapping

from .. import schema
from ..facts import Problem, Record
from ..model import Citation, Entity, Location, QualifierValue, Reference, Relation, Source
from .entities import EntityChecks
from .records import RELATION_FIELDS, _unsafe

MIN_PARAPHRASE = 20

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


class RelationChecks(EntityChecks):
    """Each relation on its own (the rules that read several relations are in :mod:`.curation`)."""

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
