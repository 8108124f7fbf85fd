"""The curation rules that read the relations together: open questions are about something,
no fact lives only in qualifier text, an ontology does not override the sources' structure,
and one fact is one relation."""

from __future__ import annotations

import json
import re

from .. import schema
from ..facts import Problem, Record
from ..model import Entity, Relation
from .records import RecordChecks
from .relations import LINTED_TEXT

_TRIAL_LIKE = re.compile(
    r"(?<![A-Za-z0-9])(?:(?:KEYNOTE|ZUMA|CheckMate|POLLUX|CASTOR|ECOG-ACRIN)[- ]?\d*|NCT\d{8}|E\d{4})(?![A-Za-z0-9])"
)
MENTION_MIN = 3  # shorter names and synonyms (CR, IS) are too ambiguous to look for in prose


class CurationChecks(RecordChecks):
    """Rules over all valid relations (run only when each relation is valid on its own)."""

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
            texts = [(k, t) for k in LINTED_TEXT if isinstance(t := relation.qualifiers.get(k), str)]
            if not texts:
                continue
            own: set[str] | None = None  # computed only for a text that names some entity
            for key, text in texts:
                found = [(m.span(), e) for pattern, e in patterns.candidates(text) for m in pattern.finditer(text)]
                spans = [span for span, _ in found]
                named: list[str] = []
                for (a, b), entity_id in found:  # a name inside a longer one is that one's
                    inside = any(c <= a and b <= d and (c, d) != (a, b) for c, d in spans)
                    if inside or by_id[entity_id].name in named:
                        continue
                    if own is None:
                        own = set().union(*(family(e) for e in _relation_entities(relation)))
                    # near: one of its own, or sharing a relation with one (linked is symmetric)
                    if entity_id not in own and own.isdisjoint(linked.get(entity_id, ())):
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
        repeating its regimen's, word for word; statements.trial_outcomes names that case).
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


def _relation_entities(relation: Relation) -> set[str]:
    ids = {relation.subject, relation.object}
    for key, value in relation.qualifiers.items():
        ids.update(schema.qualifier_entities(key, value))
    return ids


_TOKEN = re.compile(r"[A-Za-z0-9]+")
# the only other characters that match an ASCII letter when a pattern ignores case
_CASE_TWINS = str.maketrans({"\u0130": "i", "\u0131": "i", "\u017f": "s", "\u212a": "k"})


class _MentionPatterns:
    """A whole-word pattern per name and synonym, tried only on texts that can hold it.

    Where a name matches, each of its ASCII words (maximal runs of letters and digits) is a
    whole word of the text. So names are indexed by their rarest word, and a text tries only
    the names whose words it all has (the lint costs the texts' length, not texts times names).
    Names without an ASCII word, or with a character that matches an ASCII letter only when case
    is ignored, are tried on every text. The names a text tries keep their order; each pattern
    is compiled when first tried.
    """

    def __init__(self, names: list[tuple[str, int, str]]):
        self.names = names  # (text, re flags, entity id)
        self.compiled: dict[int, re.Pattern[str]] = {}
        self.words: list[frozenset[str]] = [frozenset(w.lower() for w in _TOKEN.findall(n)) for n, _, _ in names]
        counts: dict[str, int] = {}
        for words in self.words:
            for w in words:
                counts[w] = counts.get(w, 0) + 1
        self.by_word: dict[str, list[int]] = {}
        self.always: list[int] = []
        for i, (name, _, _) in enumerate(names):
            if not self.words[i] or name != name.translate(_CASE_TWINS):
                self.always.append(i)
            else:
                rarest = min(sorted(self.words[i]), key=counts.__getitem__)
                self.by_word.setdefault(rarest, []).append(i)

    def candidates(self, text: str) -> list[tuple[re.Pattern[str], str]]:
        words = {w.lower() for w in _TOKEN.findall(text)}
        twin = text.translate(_CASE_TWINS)
        if twin != text:
            words |= {w.lower() for w in _TOKEN.findall(twin)}
        found = set(self.always)
        for word in words:
            found.update(i for i in self.by_word.get(word, ()) if self.words[i] <= words)
        return [(self.pattern(i), self.names[i][2]) for i in sorted(found)]

    def pattern(self, i: int) -> re.Pattern[str]:
        if i not in self.compiled:
            name, flags, _ = self.names[i]
            self.compiled[i] = re.compile(r"(?<![A-Za-z0-9])" + re.escape(name) + r"(?![A-Za-z0-9])", flags)
        return self.compiled[i]


def _mention_patterns(entities) -> _MentionPatterns:
    """A whole-word pattern per name and synonym; short or all-capital ones match their case."""
    out = []
    for entity in entities:
        for text in sorted({entity.name, *entity.synonyms}):
            if len(text) >= MENTION_MIN:
                out.append((text, 0 if (len(text) <= 5 or text.isupper()) else re.IGNORECASE, entity.id))
    return _MentionPatterns(out)
