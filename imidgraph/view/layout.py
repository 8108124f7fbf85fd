"""Where each entity stands: its mechanism layer (drugs, targets, neosubstrates, effectors,
cells, uses; side effects and resistance apart) and its column."""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass
from typing import TYPE_CHECKING

from .. import schema
from ..model import Relation

if TYPE_CHECKING:
    from ..embedded.graph import EmbeddedGraph


@dataclass(frozen=True)
class Layer:
    key: str
    label: str
    band: str = "mechanism"  # "mechanism": a column, left to right; "apart": a row below


LAYERS: tuple[Layer, ...] = (
    Layer("drug", "drugs"),
    Layer("target", "target & ligase"),
    Layer("neosubstrate", "neosubstrates"),
    Layer("effector", "effectors & molecules"),
    Layer("cell", "cells"),
    Layer("use", "diseases & uses"),
    Layer("side_effect", "side effects", band="apart"),
    Layer("resistance", "resistance & sensitivity", band="apart"),
)
_LAYER_ORDER = {layer.key: i for i, layer in enumerate(LAYERS)}

# Where each category stands when its relations give it no role of its own. The one place to
# add a category: one that is not listed stands with the effectors and molecules.
CATEGORY_LAYER: dict[str, str] = {
    "Drug": "drug",
    "DrugClass": "drug",
    "Treatment": "drug",
    "ChemicalMoiety": "drug",
    "Complex": "target",
    "ProteinDomain": "target",
    "Gene": "effector",
    "GeneFamily": "effector",
    "BiologicalProcess": "effector",
    "MolecularActivity": "effector",
    "GenomicAlteration": "effector",
    "CellType": "cell",
    "CellLine": "cell",
    "Compartment": "cell",
    "Disease": "use",
    "Phenotype": "use",
    "ClinicalTrial": "use",
    "ClinicalEndpoint": "use",
    "OpenQuestion": "use",  # what is not known about a use, a target or a cell: beside the uses
}
DEFAULT_LAYER = "effector"
USE_PREDICATES = frozenset({"approved_for", "studied_clinically_for", "active_preclinically_in"})
MARKER_PREDICATES = frozenset({"associated_with_resistance_to", "associated_with_sensitivity_to"})
MAX_COLUMN = 14  # entities a column holds before its layer takes another column


def layers(kg: EmbeddedGraph, entity_ids: Iterable[str], relations: Iterable[Relation]) -> dict[str, str]:
    """The mechanism layer of each entity (a key of :data:`LAYERS`), from its category and
    its role among the drawn ``relations``.

    A drug binds its target (the object of ``binds`` from a drug, and complexes such as
    CRL4-CRBN) and degrades neosubstrates (objects of ``degrades``); an adverse event
    (``has_side_effect``) that is no use of a drawn drug stands with the side effects, and an
    entity whose every drawn relation marks resistance or sensitivity to a drug stands with
    resistance. Everything else stands where :data:`CATEGORY_LAYER` puts its category.
    """
    ids = list(dict.fromkeys(entity_ids))
    relations = list(relations)
    category = {i: known_entity(kg, i).category for i in ids}
    for r in relations:
        for end in (r.subject, r.object):
            category.setdefault(end, known_entity(kg, end).category)
    layer = {i: CATEGORY_LAYER.get(c, DEFAULT_LAYER) for i, c in category.items()}
    drugs = {i for i, c in category.items() if CATEGORY_LAYER.get(c) == "drug"}
    used = {r.object for r in relations if r.predicate in USE_PREDICATES}
    predicates: dict[str, set[str]] = defaultdict(set)
    for r in relations:
        predicates[r.subject].add(r.predicate)
        predicates[r.object].add(r.predicate)
    for r in relations:
        obj = r.object
        if obj in drugs:
            continue
        if r.predicate == "binds" and r.subject in drugs:
            layer[obj] = "target"
        elif r.predicate == "degrades" and layer[obj] != "target":
            layer[obj] = "neosubstrate"
        elif r.predicate == "has_side_effect" and obj not in used and layer[obj] == "use":
            layer[obj] = "side_effect"
    for i in category:
        if i not in drugs and predicates[i] and predicates[i] <= MARKER_PREDICATES:
            layer[i] = "resistance"
    return layer



def assign_columns(nodes: list[dict]) -> None:
    """Give each node of a mechanism layer its column (layers in order, left to right; a
    layer of more than :data:`MAX_COLUMN` entities takes several) and each node apart its row."""
    by_layer: dict[str, list[dict]] = defaultdict(list)
    for n in nodes:
        by_layer[n["layer"]].append(n)
    column = 0
    for layer in LAYERS:
        members = sorted(
            by_layer.get(layer.key, []),
            key=lambda n: (not n["highlight"], _CATEGORY_ORDER.get(n["category"], 99), n["name"].casefold(), n["id"]),
        )
        if layer.band == "apart" or not members:
            for k, n in enumerate(members):
                n["column"] = -1
                n["order"] = k
            continue
        wide = -(-len(members) // MAX_COLUMN)
        per = -(-len(members) // wide)
        for k, n in enumerate(members):
            n["column"] = column + k // per
            n["order"] = k
        column += wide


_CATEGORY_ORDER = {c: i for i, c in enumerate(schema.CATEGORIES)}


def known_entity(kg: EmbeddedGraph, entity_id: str):
    try:
        return kg.facts.entities[entity_id]
    except KeyError:
        raise KeyError(f"unknown entity id {entity_id!r}") from None
