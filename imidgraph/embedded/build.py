"""FactSet -> networkx MultiDiGraph, keeping every property and citation."""

from __future__ import annotations

import networkx as nx

from ..facts import FactSet
from ..properties import edge_properties, node_properties


def build_graph(facts: FactSet) -> nx.MultiDiGraph:
    """One node per entity (keyed by CURIE), one edge per relation (keyed by relation id)."""
    graph = nx.MultiDiGraph()
    for entity in facts.entities.values():
        graph.add_node(entity.id, **node_properties(entity))
    for relation in facts.relations:
        graph.add_edge(relation.subject, relation.object, key=relation.id, **edge_properties(relation))
    return graph
