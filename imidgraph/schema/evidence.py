"""Evidence levels: how a relation's statement was found, strongest first."""

from __future__ import annotations

EVIDENCE_LEVELS: dict[str, str] = {
    "approved": "a regulator's approval (FDA)",
    "phase_3": "randomised phase 3 trial",
    "phase_2": "phase 2 trial",
    "phase_1": "phase 1 or early phase 1/2 trial",
    "clinical_observation": "patients, outside a phased efficacy trial",
    "preclinical_in_vivo": "animal models, PDX",
    "in_vitro": "cell lines, ex vivo patient cells",
    "review_statement": "stated by the review without a study design we can place",
    "ontology": "asserted by a reference ontology at the cited release (CL, MONDO): hierarchy edges",
}
