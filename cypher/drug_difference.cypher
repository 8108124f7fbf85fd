// name: drug_difference
// description: What one drug does that another does not: relations of the first with no relation of the same predicate to the same entity from the second.
// param: drug_a (entity) = lenalidomide | the drug whose relations are listed
// param: drug_b (entity) = pomalidomide | the drug compared with
// columns: relation, object, object_category, count
MATCH (a:Imidgraph {id: $drug_a})-[r WHERE r.imidgraph_load IS NOT NULL]->(x:Imidgraph)
WHERE NOT EXISTS { MATCH (:Imidgraph {id: $drug_b})-[r2]->(x) WHERE type(r2) = type(r) AND r2.imidgraph_load IS NOT NULL }
RETURN r.predicate AS relation, x.name AS object, x.category AS object_category, count(r) AS count
ORDER BY relation, object
