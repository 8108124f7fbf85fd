"""What is not known: the open questions that bear on an explanation (docs/explain.md, Not known).

The sources say what is still unknown (CRBN's role without a drug, why KEYNOTE-183/185 raised
deaths, how safe IMiDs are with CAR-T cells, ...); the graph holds each such question as an
``OpenQuestion`` entity tied by ``concerns`` relations to what it is about
(docs/curation.md, Open questions). :func:`relevant` asks the backend, through the catalogue
query ``open_questions`` (the same rows offline and on Neo4j), for the questions about the
explanation's entities, and keeps those that bear on this answer:

* **anchored**: the question concerns the target (or a class above it, or a member below it)
  or an entity on the shown paths (the same), other than the drug itself, its classes and its
  members, which every path starts from; and
* **about this drug**: the question concerns no drug, drug class or treatment at all, or one
  of those it concerns is the drug, one of its classes or members, or (a partner asked for)
  the target or one of its classes or members.

So ``explain lenalidomide "multiple myeloma"`` lists why KEYNOTE-185 raised deaths (it concerns
myeloma and lenalidomide) and what CRBN does without a drug (CRBN supports the degradation
steps), but ``explain rituximab "B-cell lymphoma"`` does not list the IMiD questions about
regulatory T cells, although they concern B-cell neoplasms.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..catalogue import read_catalogue
from ..embedded.answers import cite
from ..schema import AGENTS
from .model import Findings

QUERY = "open_questions"
TITLE = "Not known"


@dataclass(frozen=True)
class Unknown:
    """An open question that bears on an explanation.

    ``bears_on`` are the explanation's entities (ids) the question was found through, the
    target first; ``relations`` the catalogue rows of the ``concerns`` relations that tie it to
    them (or to a class above or a member below them), each with its citation.
    """

    id: str
    question: str
    bears_on: tuple[str, ...]
    relations: tuple[dict[str, Any], ...]
    agents: tuple[str, ...]  # names of the drugs, classes and treatments it concerns

    def to_dict(self, name) -> dict[str, Any]:
        return {
            "id": self.id,
            "question": self.question,
            "bears_on": [{"id": i, "name": name(i)} for i in self.bears_on],
            "agents": list(self.agents),
            "relations": [
                {
                    "id": r["relation_id"],
                    "about": r["about"],
                    "about_id": r["about_id"],
                    "detail": r["detail"],
                    "evidence": r["evidence"],
                    "source": r["source"],
                    "source_doi": r["source_doi"],
                    "section": r["section"],
                    "refs": list(r["refs"]),
                    "primary_dois": list(r["primary_dois"]),
                    "paraphrase": r["paraphrase"],
                }
                for r in self.relations
            ],
        }


def relevant(source, explanation: Findings) -> list[Unknown]:
    """The open questions that bear on ``explanation``, found through ``source``'s backend
    (the embedded graph or Neo4j: the same answer). Questions about the target come first,
    then those about entities of better-ranked paths; among equals, those tied to more of the
    explanation's entities, then by the question."""
    query = read_catalogue()[QUERY]
    drug, target = explanation.drug, explanation.target
    drug_family = {drug} | source.ancestors([drug]).get(drug, set()) | source.descendants(drug)
    target_family = {target} | source.ancestors([target]).get(target, set()) | source.descendants(target)
    categories = {i: e["category"] for i, e in explanation.entities.items()}
    agent_family = set(drug_family)
    if categories.get(target) in AGENTS:
        agent_family |= target_family
    agent_names = {e["name"] for i, e in source.entities(agent_family).items()}

    asked = [target] + [i for i in explanation.entity_ids() if i not in drug_family and i != target]
    found: dict[str, dict[str, Any]] = {}

    def add(entity: str, row: dict[str, Any]) -> None:
        q = found.setdefault(
            row["question_id"],
            {"question": row["question"], "agents": tuple(row["question_agents"]), "bears_on": [], "rows": {}},
        )
        if entity not in q["bears_on"]:
            q["bears_on"].append(entity)
        q["rows"].setdefault(row["relation_id"], row)

    # a path entity counts only when a question concerns it directly: ask only for those
    direct = source.concerned(asked[1:])
    for entity in [target] + [i for i in asked[1:] if i in direct]:
        for row in source.backend.run(query, {"entity": entity}).records():
            # the target's classes and members count (a question about B-cell neoplasms bears on
            # myeloma, one about follicular lymphoma on B-cell lymphoma); a path entity counts
            # only itself (a path through NK cells is not about every leukocyte)
            if entity == target or row["about_relation"] == 0:
                add(entity, row)
    # what the question says about the drug itself or its class, for questions already found
    for row in source.backend.run(query, {"entity": drug}).records():
        if row["question_id"] in found and row["about_relation"] >= 0:
            add(drug, row)
    unknowns = [
        Unknown(qid, q["question"], tuple(q["bears_on"]), tuple(q["rows"][r] for r in sorted(q["rows"])), q["agents"])
        for qid, q in found.items()
        if not q["agents"] or agent_names & set(q["agents"])
    ]
    order = {entity: i for i, entity in enumerate(asked)}

    def key(u: Unknown) -> tuple:
        anchors = [order[i] for i in u.bears_on if i in order]
        return (min(anchors), -len(anchors), u.question)

    return sorted(unknowns, key=key)


def lines(e: Findings) -> list[str]:
    """The text section: each question, what of this answer it bears on, and its citations."""
    if not e.unknowns:
        return []
    out = [TITLE, ""]
    for u in e.unknowns:
        out.append(f"  {u.question}")
        out.append(f"    bears on: {', '.join(e.name(i) for i in u.bears_on)}")
        for r in u.relations:
            out.append(f"    about {r['about']}: {r['evidence']} · {cite(r)}")
            if r["detail"]:
                out.append(f"      detail: {r['detail']}")
            out.append(f"      “{r['paraphrase']}”")
        out.append("")
    return out


def as_list(e: Findings) -> list[dict[str, Any]]:
    """The JSON key ``not_known``."""
    return [u.to_dict(e.name) for u in e.unknowns]
