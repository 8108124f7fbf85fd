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
* :mod:`.phrases`: a step, a path, a net effect in words; :mod:`.words`: the summary and
  the text report; :mod:`.document`: the JSON document;
* :mod:`.unknowns`: the open questions that bear on the answer ("Not known");
* :mod:`.model` and :mod:`.sources`: the findings' types and where the facts come from;
  :mod:`.explanation`: the answer, the findings with their words.

Within the package each module imports only those listed before it in this order: model,
signs, rank, sources, phrases, versus, unknowns, words, document, explanation, search.
"""

from .explanation import Explanation
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
    Findings,
    Path,
    Step,
)
from .phrases import clause, lead, net_effect
from .search import explain
from .sources import source_for

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
    "Findings",
    "Path",
    "Step",
    "clause",
    "explain",
    "lead",
    "net_effect",
    "source_for",
]
