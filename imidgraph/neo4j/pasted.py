"""Cypher a user pastes into Neo4j Browser to see a set of our relations drawn."""

from __future__ import annotations

from collections.abc import Iterable

from ..cypher_text import cypher_comment, cypher_string
from .vocabulary import ENTITY_LABEL


def relations_cypher(title: str, relation_ids: Iterable[str]) -> str:
    """A commented query returning our relations with these ids and their two ends."""
    listed = ",\n  ".join(cypher_string(i) for i in relation_ids)
    return (
        f"{cypher_comment(title)}\n"
        "// Paste into Neo4j Browser.\n"
        f"MATCH (a:{ENTITY_LABEL})-[r]->(b:{ENTITY_LABEL})\n"
        f"WHERE r.id IN [\n  {listed}\n]\n"
        "RETURN a, r, b\n"
    )
