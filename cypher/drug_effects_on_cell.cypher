// name: drug_effects_on_cell
// description: What a drug does to a cell type (or its subtypes): relations to the cell, and relations observed in it.
// param: drug (entity) = lenalidomide | the drug
// param: cell (entity) = natural killer cell | the cell type; its subtypes are included
// columns: relation, object, cell_context, aspect, species, evidence, paraphrase, source, section, relation_id
WITH [p = (c:Imidgraph)-[:SUBCLASS_OF*0..]->(:Imidgraph {id: $cell}) WHERE all(x IN relationships(p) WHERE x.imidgraph_load IS NOT NULL) | c.id] AS cells
MATCH (d:Imidgraph {id: $drug})-[r WHERE r.imidgraph_load IS NOT NULL]->(x:Imidgraph)
WHERE x.id IN cells OR r.q_cell_context IN cells
RETURN DISTINCT r.predicate AS relation,
       x.name AS object,
       head(COLLECT { MATCH (c:Imidgraph {id: r.q_cell_context}) RETURN c.name }) AS cell_context,
       r.q_aspect AS aspect,
       r.q_species AS species,
       r.evidence AS evidence,
       r.paraphrase AS paraphrase,
       r.source AS source,
       r.section AS section,
       r.id AS relation_id
ORDER BY relation, object, relation_id
