"""An entity or relation as properties on a node or edge, and back: the one shape both stores keep.

The embedded graph (:mod:`imidgraph.embedded.build`) stores :func:`node_properties` and
:func:`edge_properties` as they are; Neo4j stores them without what it cannot or need not hold
(:func:`stored_node_properties`, :func:`stored_edge_properties`), and its readers put that back
(:func:`node_properties_from_stored`, :func:`edge_properties_from_stored`), so that both
backends answer from the same properties.
"""

from __future__ import annotations

from . import schema, search
from .model import Citation, Entity, Relation


def node_properties(entity: Entity) -> dict:
    """An entity's properties as stored on its node (and in Neo4j)."""
    return {
        "id": entity.id,
        "name": entity.name,
        "category": entity.category,
        "biolink_category": schema.CATEGORIES[entity.category],
        "synonyms": list(entity.synonyms),
        "xrefs": list(entity.xrefs),
        "verified": entity.verified,
        "note": entity.note or "",
        "close_matches": list(entity.close_matches),
        **({"favourable": entity.favourable} if entity.favourable else {}),
        # the search tokens, for Neo4j's full-text index (imidgraph.search; not exported)
        "search_text": search.search_text(search.entity_document(entity)),
    }


def edge_properties(relation: Relation) -> dict:
    """A relation's properties as stored on its edge (and in Neo4j); flat, no nesting.

    Qualifiers become ``q_<key>`` properties so that they survive GraphML and Neo4j.
    """
    predicate = schema.PREDICATES[relation.predicate]
    citation = relation.citation
    props = {
        "id": relation.id,
        "predicate": relation.predicate,
        "biolink_predicate": predicate.biolink,
        "evidence": relation.evidence,
        "source": citation.source,
        "source_doi": citation.doi or "",
        "section": citation.section,
        "refs": list(citation.refs),
        "primary_dois": list(citation.primary_dois),
        "publications": list(citation.publications),
        "paraphrase": relation.paraphrase,
    }
    for key, value in relation.qualifiers.items():
        props[f"q_{key}"] = list(value) if isinstance(value, tuple) else value
    props["search_text"] = search.search_text(search.relation_document(relation))
    return props


# The list properties that may be empty. Neo4j stores no empty list for them (neo4j-admin
# import cannot write one, so the online loader does not either): ``stored_properties``
# leaves them out, and ``node_properties_from_stored``/``edge_properties_from_stored`` put
# them back as ``[]`` when reading from Neo4j, so the answers are the same either way.
NODE_LIST_PROPERTIES = ("synonyms", "xrefs", "close_matches")
EDGE_LIST_PROPERTIES = ("refs", "primary_dois")
# Relationship properties of the embedded graph that Neo4j does not store, since they follow
# from others: ``biolink_predicate`` from ``predicate`` (schema.PREDICATES), ``publications``
# from ``source_doi`` and ``primary_dois`` (model.Citation.publications). Readers derive them
# (``edge_properties_from_stored``); at a million relations they were ~15% of every row.
DERIVED_EDGE_PROPERTIES = ("biolink_predicate", "publications")


def stored_properties(props: dict, lists: tuple[str, ...], derived: tuple[str, ...] = ()) -> dict:
    """``props`` as Neo4j stores them: without the empty lists among ``lists`` and without
    the ``derived`` properties."""
    return {k: v for k, v in props.items() if not ((k in lists and v == []) or k in derived)}


def stored_node_properties(entity: Entity) -> dict:
    """An entity's node properties as Neo4j stores them."""
    return stored_properties(node_properties(entity), NODE_LIST_PROPERTIES)


def stored_edge_properties(relation: Relation) -> dict:
    """A relation's properties as Neo4j stores them (no empty list, nothing derivable)."""
    return stored_properties(edge_properties(relation), EDGE_LIST_PROPERTIES, DERIVED_EDGE_PROPERTIES)


def node_properties_from_stored(props: dict) -> dict:
    """A node's properties read from Neo4j, as :func:`node_properties` gives them."""
    return {**props, **{k: [] for k in NODE_LIST_PROPERTIES if k not in props}}


def edge_properties_from_stored(props: dict) -> dict:
    """A relationship's properties read from Neo4j, as :func:`edge_properties` gives them:
    the empty lists put back and the derived properties derived."""
    out = {**props, **{k: [] for k in EDGE_LIST_PROPERTIES if k not in props}}
    predicate = schema.PREDICATES.get(out.get("predicate"))
    if predicate is not None:
        out["biolink_predicate"] = predicate.biolink
    doi = out.get("source_doi")
    out["publications"] = [f"doi:{d}" for d in ([doi] if doi else []) + list(out["primary_dois"])]
    return out


def entity_from_properties(props: dict) -> Entity:
    """The entity whose node has these properties (the inverse of :func:`node_properties`)."""
    return Entity(
        id=props["id"],
        name=props["name"],
        category=props["category"],
        synonyms=tuple(props.get("synonyms") or ()),
        xrefs=tuple(props.get("xrefs") or ()),
        verified=bool(props.get("verified", True)),
        note=props.get("note") or None,
        close_matches=tuple(props.get("close_matches") or ()),
        favourable=props.get("favourable") or None,
    )


def relation_from_properties(props: dict, subject: str, object_: str) -> Relation:
    """The relation whose edge has these properties (the inverse of :func:`edge_properties`);
    qualifiers in the schema's order."""
    qualifiers = {}
    for key in schema.QUALIFIERS:
        value = props.get(f"q_{key}")
        if value is not None:
            qualifiers[key] = tuple(value) if isinstance(value, list) else value
    citation = Citation(
        source=props["source"],
        doi=props.get("source_doi") or None,
        section=props["section"],
        refs=tuple(props.get("refs") or ()),
        primary_dois=tuple(props.get("primary_dois") or ()),
    )
    return Relation(
        id=props["id"],
        subject=subject,
        predicate=props["predicate"],
        object=object_,
        evidence=props["evidence"],
        citation=citation,
        paraphrase=props["paraphrase"],
        qualifiers=qualifiers,
    )
