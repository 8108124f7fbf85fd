// name: side_effects_compared
// description: The side effects of two drugs side by side: which drug each is reported for, and on what evidence.
// param: drug_a (entity) = lenalidomide | the first drug
// param: drug_b (entity) = thalidomide | the second drug
// columns: side_effect, in_a, in_b, evidence_a, evidence_b
MATCH (d:Imidgraph)-[s:HAS_SIDE_EFFECT WHERE s.imidgraph_load IS NOT NULL]->(e:Imidgraph)
WHERE d.id IN [$drug_a, $drug_b]
WITH DISTINCT e
RETURN e.name AS side_effect,
       EXISTS { (:Imidgraph {id: $drug_a})-[s:HAS_SIDE_EFFECT WHERE s.imidgraph_load IS NOT NULL]->(e) } AS in_a,
       EXISTS { (:Imidgraph {id: $drug_b})-[s:HAS_SIDE_EFFECT WHERE s.imidgraph_load IS NOT NULL]->(e) } AS in_b,
       COLLECT { MATCH (:Imidgraph {id: $drug_a})-[r:HAS_SIDE_EFFECT WHERE r.imidgraph_load IS NOT NULL]->(e) RETURN DISTINCT r.evidence AS v ORDER BY v } AS evidence_a,
       COLLECT { MATCH (:Imidgraph {id: $drug_b})-[r:HAS_SIDE_EFFECT WHERE r.imidgraph_load IS NOT NULL]->(e) RETURN DISTINCT r.evidence AS v ORDER BY v } AS evidence_b
ORDER BY side_effect
