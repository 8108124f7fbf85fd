"""The answer of ``imidgraph explain``: the findings with their words, as text, JSON, a
DataFrame, a picture or Cypher."""

from __future__ import annotations

import json
from typing import Any

from . import words
from .document import as_dict
from .model import Findings
from .phrases import benefit_words, citation, lead, net_effect


class Explanation(Findings):
    """Why a drug acts on a target: the findings (:class:`~.model.Findings`: ranked, cited,
    signed paths in groups, the standing, the contrasts) and their words."""

    def to_frame(self):
        """Every path of every group as a pandas DataFrame, one row per path, in the order shown:
        group, rank (within the group), kind, score and its factors, net effect, benefit,
        borrowed evidence, sentence, relation ids (the factors include the hierarchy's distance). (pandas is imported here, when asked for.)"""
        import pandas as pd

        effects = {1: "raises", -1: "lowers", 0: "unsigned"}
        rows = [
            {
                "group": group,
                "rank": rank,
                "kind": p.kind,
                "score": p.score,
                "evidence": p.evidence,
                "specificity": p.specificity,
                "context": p.context,
                "mechanism": p.mechanism,
                "distance": p.distance,
                "novelty": p.novelty,
                "stated_score": p.stated_score if p.stated else None,
                "effect": effects[p.effect],
                "benefit": benefit_words(self, p),
                "net_effect": net_effect(self, p),
                "borrowed": "; ".join(p.borrowed),
                "sentence": lead(self, p),
                "relation_ids": p.relation_ids(),
            }
            for group, paths in self.every_group.items()
            for rank, p in enumerate(paths, 1)
        ]
        columns = ["group", "rank", "kind", "score", "evidence", "specificity", "context", "mechanism", "distance", "novelty",
                   "stated_score", "effect", "benefit", "net_effect", "borrowed", "sentence", "relation_ids"]
        return pd.DataFrame(rows, columns=columns)

    def to_dataframe(self):
        """The shown paths as a pandas DataFrame, one row per path, reasons first: group,
        rank, score, sign (+1 a reason, -1 against, 0 no stated direction), the path as
        arrows, its citations (one per relation, in the order of its steps) and its relation
        ids. :meth:`to_frame` has every path with the score's factors. (pandas is imported
        here, when asked for.)"""
        import pandas as pd

        rows = [
            {
                "group": group,
                "rank": rank,
                "score": round(p.score, 6),
                "sign": p.benefit,
                "path": words._arrow(self, p),
                "citations": [citation(r) for s in (*p.steps, *p.outcomes) for r in s.relations]
                + [citation(r) for s in p.steps for _, r in s.support],
                "relation_ids": p.relation_ids(),
            }
            for group, paths in self.groups.items()
            for rank, p in enumerate(paths, 1)
        ]
        return pd.DataFrame(rows, columns=["group", "rank", "score", "sign", "path", "citations", "relation_ids"])

    def __repr__(self) -> str:
        """A line or two: the drug, the target, the counts of each group, the top reason."""
        counts = ", ".join(f"{len(v)} {words.group_titles(self)[k].lower()}" for k, v in self.every_group.items() if v)
        head = f"<Explanation {self.name(self.drug)} -> {self.name(self.target)} ({self.mode}): {counts or 'no paths'}"
        if self.versus is not None:
            head += f"; versus {self.name(self.versus)}"
        top = f"\n top reason: {lead(self, self.paths[0])}" if self.paths else ""
        return head + top + ">"

    def summary(self) -> str:
        return words.summary(self)

    def to_text(self) -> str:
        return words.text(self)

    def to_dict(self) -> dict[str, Any]:
        return as_dict(self)

    def to_json(self) -> str:
        return json.dumps(self.to_dict(), indent=2, ensure_ascii=False)

    def to_html(self, loader: str | None = None) -> str:
        """The explanation as one self-contained page, its paths left to right (imidgraph.view;
        ``loader``: a notebook's page, whose libraries the notebook keeps)."""
        if self.kg is None:
            raise ValueError("this explanation does not know its graph: use view.explanation_page(kg, e)")
        from ..view import explanation_page  # the pages: imported only when one is asked for

        return explanation_page(self.kg, self, loader=loader)

    def _repr_html_(self) -> str:
        """Jupyter shows the same page inline, in an iframe; the drawing libraries travel once
        per notebook (imidgraph.view.notebook)."""
        from ..view import notebook_html
        from ..view.notebook import loader

        return notebook_html(self.to_html(loader=loader()))

    def to_cypher(self) -> str:
        """Cypher that draws the explanation in Neo4j Browser: one row per shown path, in rank
        order (group by group, then the standing), each the path itself, matched step by step by
        relation id and type, with the relations it cites besides (:mod:`.drawn`)."""
        from . import drawn  # the Browser's Cypher: imported only when asked for

        ids = self.relation_ids()
        groups = self.groups
        title = (
            f"imidgraph explain {self.name(self.drug)} -> {self.name(self.target)}: "
            f"{len(groups['paths'])} reason(s), {len(groups['with_partner'])} with a partner, {len(groups['trials'])} trial(s), "
            f"{len(groups['against'])} against, {len(groups['unsigned'])} of no stated direction, "
            f"and the drug's standing: {len(ids)} relations."
        )
        return drawn.cypher(self, title) + "\n"
