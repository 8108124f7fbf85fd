"""The JSON document of an explanation (``--format json``, ``Findings.to_dict()``).

``paths`` holds the reasons (best first); ``with_partner``, ``trials``, ``against`` and
``unsigned`` the other groups; every step carries its sign, relations, qualifiers and citations.
"""

from __future__ import annotations

from typing import Any

from .. import schema
from . import unknowns
from .model import PSEUDO, Findings, Path, Step
from .phrases import benefit_words, clause, lead, net_effect, subtype
from .signs import step_sign
from .versus import empty_reason, own_routes
from .words import LEGEND, SCORE_KEY, standing_clause, summary


def _relation_dict(r: dict) -> dict:
    out = {
        "id": r["id"],
        "evidence": r["evidence"],
        "qualifiers": {k[2:]: v for k, v in r.items() if k.startswith("q_")},
        "source": r["source"],
        "source_doi": r["source_doi"] or None,
        "section": r["section"],
        "refs": list(r["refs"]),
        "primary_dois": list(r["primary_dois"]),
        "paraphrase": r["paraphrase"],
    }
    if "_subject" in r:  # cited by a pseudo-step: the relation's own statement
        out = {"subject": r["_subject"], "predicate": r["predicate"], "object": r["_object"], **out}
    return out


def _step_dict(e: Findings, s: Step) -> dict:
    return {
        "subject": s.subject,
        "predicate": s.predicate,
        "biolink_predicate": schema.PREDICATES[s.predicate].biolink if s.predicate not in PSEUDO else None,
        "object": s.object,
        "forward": s.forward,
        "sign": step_sign(s),
        "text": clause(e, s),
        "evidence": s.evidence,
        "relations": [_relation_dict(r) for r in s.relations],
        "support": [{r["predicate"]: v, **_relation_dict(r)} for v, r in s.support],
    }


def _path_dict(e: Findings, rank: int, p: Path) -> dict:
    def entity(i: str) -> dict:
        return {"id": i, "name": e.name(i), "category": e.entities[i]["category"]}

    return {
        "rank": rank,
        "kind": p.kind,
        "score": p.score,
        "evidence": p.evidence,
        "specificity": p.specificity,
        "context": p.context,
        "mechanism": p.mechanism,
        "novelty": p.novelty,
        "repeats": [e.name(x) for x in p.repeats],
        "stated_score": p.stated_score if p.stated else None,
        "own_disease": p.tier == 0 if e.mode == "condition" else None,
        "borrowed": list(p.borrowed),
        "distance": p.distance,
        "effect": {1: "raises", -1: "lowers", 0: "unsigned"}[p.effect],
        "benefit": benefit_words(e, p),
        "net_effect": net_effect(e, p),
        "stated_for_class": e.name(p.nodes[p.head]) if p.via_class else None,
        "stated_for_member": e.name(p.nodes[p.head]) if p.via_member else None,
        "subtype": subtype(e, p) or None,
        "conflict": p.conflict,
        "sentence": lead(e, p),
        "nodes": [entity(n) for n in p.nodes],
        "steps": [_step_dict(e, s) for s in p.steps],
        "outcomes": [_step_dict(e, s) for s in p.outcomes],
        "stated": _step_dict(e, p.stated) if p.stated else None,
    }


def as_dict(e: Findings) -> dict[str, Any]:
    def entity(i: str) -> dict:
        return {"id": i, "name": e.name(i), "category": e.entities[i]["category"]}

    groups = e.groups
    return {
        "drug": entity(e.drug),
        "target": entity(e.target),
        "mode": e.mode,
        "summary": summary(e),
        "dwpc": e.dwpc,
        "score_key": {"legend": LEGEND, **SCORE_KEY},
        "path_count": len(e.paths),
        "counts": {key: len(group) for key, group in e.every_group.items()},
        # the standing's text says whose it is and for which relative of the target (words.standing_clause)
        "standing": [{**_step_dict(e, s), "text": standing_clause(e, s, aspect=True)} for s in e.uses],
        **{key: [_path_dict(e, rank, p) for rank, p in enumerate(shown, 1)] for key, shown in groups.items()},
        "versus": None
        if e.versus is None
        else {
            "drug": entity(e.versus),
            "contrasts": [
                {
                    "drug": c.drug,
                    "status": c.status,
                    "statuses": list(c.statuses),
                    "step": _step_dict(e, c.step),
                    "other_relations": [_relation_dict(r) for r in c.other_relations],
                }
                for c in e.contrasts
            ],
            "own_routes": [_path_dict(e, rank, p) for rank, p in enumerate(own_routes(e), 1)],
            "other_routes": [_path_dict(e, rank, p) for rank, p in enumerate(e.other_routes, 1)],
            "empty_reason": empty_reason(e),
        },
        "not_known": unknowns.as_list(e),
    }
