"""The store's vocabulary: the names imidgraph gives things in Neo4j, and nothing else.

Every module that writes, reads or checks the graph in Neo4j takes its labels, the ownership
property, the load record's keys and the names of its constraints and indexes from here (at
module level); nothing outside :mod:`imidgraph.neo4j` knows them. The layout they make is
described in docs/neo4j.md and in :mod:`imidgraph.neo4j.load`.

Ours is what carries :data:`ENTITY_LABEL` (nodes) or :data:`OWNER` (relationships).
"""

from __future__ import annotations

import hashlib

from .. import schema

ENTITY_LABEL = "Imidgraph"  # on every node of ours, besides its category label
META_LABEL = "ImidgraphLoad"  # the load record's node
META_KEY = "current"  # the key of the load record
LOCK_KEY = "lock"  # a load record key that is never committed: loads wait on it (see lock.py)
OWNER = "imidgraph_load"  # on each node and relationship we write: the content hash of that load
# on each relationship we write: the ids of its subject and object, as the load put it between
# them; a relationship of ours whose real endpoints are others was moved (or copied, owner mark
# and all, between two other nodes of ours): readers and the instant re-load check see it
ENDS = "imidgraph_ends"
SYSTEM_DATABASE = "system"
REL_TYPES = tuple(schema.rel_type(p) for p in schema.PREDICATES)
CATEGORY_LABELS = tuple(schema.CATEGORIES)
# Every property name a load of ours may write (on a node, on a relationship): a load sets
# and removes these and no other, so a user's own property on one of our nodes or
# relationships survives every load.
NODE_KEYS = (
    "id", "name", "category", "biolink_category", "synonyms", "xrefs", "verified", "note",
    "close_matches", "favourable", "search_text", OWNER,
)  # fmt: skip
EDGE_KEYS = (
    "id", "predicate", "evidence", "source", "source_doi", "section", "refs", "primary_dois", "paraphrase",
    *(f"q_{key}" for key in schema.QUALIFIERS), "search_text", OWNER, ENDS,
)  # fmt: skip

# constraints and indexes (all on our own labels; statements in indexes.py)
ENTITY_ID_CONSTRAINT = "imidgraph_entity_id"
LOAD_KEY_CONSTRAINT = "imidgraph_load_key"
ENTITY_NAME_INDEX = "imidgraph_entity_name"
ENTITY_CATEGORY_INDEX = "imidgraph_entity_category"
ENTITY_NAMES_INDEX = "imidgraph_entity_names"  # full-text, name and synonyms, for Browser users
# imidgraph search: our own tokens (``search.PROPERTY``), split on spaces and nothing else
ENTITY_INDEX = "imidgraph_entity_search"
ANALYZER = "whitespace"
# Two relationship indexes, over alternate types (in sorted order): Neo4j populates each index
# with one thread and runs two populations at a time, so a new database of a million
# relations gets them in ~7.4 s instead of ~9.5 s for one index over every type (2 cores).
# Their types are disjoint: asking both gives the candidates one index would. An index is
# named after its types: a vocabulary with other predicates gets new indexes instead of old
# ones that would miss the new types.
_SORTED_TYPES = tuple(sorted(REL_TYPES))
REL_TYPE_GROUPS = (_SORTED_TYPES[0::2], _SORTED_TYPES[1::2])
RELATION_INDEX_PREFIX = "imidgraph_relation_search_"
RELATION_INDEXES = {
    RELATION_INDEX_PREFIX + hashlib.sha256("|".join(types).encode()).hexdigest()[:8]: types
    for types in REL_TYPE_GROUPS
}
