// name: neighbourhood
// description: Every relation of an entity, both directions, one step: what to look at in Neo4j Browser.
// param: entity (entity) = CRBN | the entity
// columns: subject, relation, object, neighbour, neighbour_category, evidence, relation_id
MATCH (n:Imidgraph {id: $entity})-[r WHERE r.imidgraph_load IS NOT NULL]-(m:Imidgraph)
RETURN DISTINCT startNode(r).name AS subject,
       r.predicate AS relation,
       endNode(r).name AS object,
       m.name AS neighbour,
       m.category AS neighbour_category,
       r.evidence AS evidence,
       r.id AS relation_id
ORDER BY subject, relation, object, relation_id
