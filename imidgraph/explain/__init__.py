"""Why does a drug help a disease: ranked, cited, signed mechanism paths.

``explain(kg, drug, target)`` asks a backend for the candidate paths of
``cypher/explain_paths.cypher`` (the same rows offline and on Neo4j), cites every step with
the relations that state it, keeps the paths whose consecutive steps happen in compatible
contexts, signs them and ranks them (docs/explain.md). The modules:

* :mod:`.search`: rows to cited paths, sorted into reasons, with a partner, against, unsigned;
* :mod:`.signs`: predicate polarities, net effects, outcomes, the context rule;
* :mod:`.rank`: scores, class echoes, folding summary statements, the order of each group
  (the disease's own evidence first, distinct mechanisms before variants);
* :mod:`.versus`: ``--versus``, two drugs' explanations compared fairly;
* :mod:`.words`: sentences and text; :mod:`.document`: the JSON document;
* :mod:`.unknowns`: the open questions that bear on the answer ("Not known");
* :mod:`.model` and :mod:`.sources`: the answer's types and where the facts come from.
"""

from .model import (
    CONTEXT_BONUS,
    DAMPING,
    ELSEWHERE,
    EVIDENCE_WEIGHT,
    HIERARCHY,
    NOVELTY,
    SECONDARY,
    Contrast,
    ExplainError,
    Explanation,
    Path,
    Step,
)
from .search import explain
from .sources import source_for
from .words import clause, lead, net_effect

__all__ = [
    "CONTEXT_BONUS",
    "DAMPING",
    "ELSEWHERE",
    "EVIDENCE_WEIGHT",
    "HIERARCHY",
    "NOVELTY",
    "SECONDARY",
    "Contrast",
    "ExplainError",
    "Explanation",
    "Path",
    "Step",
    "clause",
    "explain",
    "lead",
    "net_effect",
    "source_for",
]
