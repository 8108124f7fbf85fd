// name: drug_difference
// description: What one drug does that another does not: relations of the first with no relation of the same predicate to the same entity from the second, with their citations.
// param: drug_a (entity) = lenalidomide | the drug whose relations are listed
// param: drug_b (entity) = pomalidomide | the drug compared with
// columns: relation, object, object_category, count, citations, relation_ids
MATCH (a:Imidgraph {id: $drug_a})-[r WHERE r.imidgraph_load IS NOT NULL]->(x:Imidgraph)
WHERE NOT EXISTS { MATCH (:Imidgraph {id: $drug_b})-[r2]->(x) WHERE type(r2) = type(r) AND r2.imidgraph_load IS NOT NULL }
WITH r.predicate AS relation, x.name AS object, x.category AS object_category, r
ORDER BY r.id
WITH relation, object, object_category, count(r) AS count,
     collect(r.source + CASE WHEN coalesce(r.source_doi, '') = '' THEN '' ELSE ' doi:' + r.source_doi END + ' §' + r.section + CASE WHEN size(coalesce(r.refs, [])) = 0 THEN '' ELSE ' refs ' + reduce(s = '', i IN r.refs | s + CASE WHEN s = '' THEN '' ELSE ', ' END + toString(i)) END) AS citations,
     collect(r.id) AS relation_ids
RETURN relation, object, object_category, count, citations, relation_ids
ORDER BY relation, object
