// name: resistance
// description: What is associated with resistance to a drug or to a class it belongs to (lost targets, mutations, cell states, pathways), with context and evidence.
// param: drug (entity) = lenalidomide | the drug (or class, or therapy)
// columns: factor, factor_category, resistance_to, aspect, disease_context, detail, evidence, source, section, relation_id
MATCH (d:Imidgraph {id: $drug})
MATCH (f:Imidgraph)-[r:ASSOCIATED_WITH_RESISTANCE_TO WHERE r.imidgraph_load IS NOT NULL]->(t:Imidgraph)
WHERE t = d OR EXISTS { MATCH p = (d)-[:SUBCLASS_OF*1..]->(t) WHERE all(x IN relationships(p) WHERE x.imidgraph_load IS NOT NULL) }
RETURN f.name AS factor,
       f.category AS factor_category,
       t.name AS resistance_to,
       r.q_aspect AS aspect,
       head(COLLECT { MATCH (x:Imidgraph {id: r.q_disease_context}) RETURN x.name }) AS disease_context,
       r.q_detail AS detail,
       r.evidence AS evidence,
       r.source AS source,
       r.section AS section,
       r.id AS relation_id
ORDER BY factor, relation_id
