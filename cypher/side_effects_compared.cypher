// name: side_effects_compared
// description: The side effects of two drugs side by side: which drug each is reported for, on what evidence, and where each is cited.
// param: drug_a (entity) = lenalidomide | the first drug
// param: drug_b (entity) = thalidomide | the second drug
// columns: side_effect, in_a, in_b, evidence_a, evidence_b, citations_a, citations_b, relation_ids
MATCH (d:Imidgraph)-[s:HAS_SIDE_EFFECT WHERE s.imidgraph_load IS NOT NULL]->(e:Imidgraph)
WHERE d.id IN [$drug_a, $drug_b]
WITH DISTINCT e
RETURN e.name AS side_effect,
       EXISTS { (:Imidgraph {id: $drug_a})-[s:HAS_SIDE_EFFECT WHERE s.imidgraph_load IS NOT NULL]->(e) } AS in_a,
       EXISTS { (:Imidgraph {id: $drug_b})-[s:HAS_SIDE_EFFECT WHERE s.imidgraph_load IS NOT NULL]->(e) } AS in_b,
       COLLECT { MATCH (:Imidgraph {id: $drug_a})-[r:HAS_SIDE_EFFECT WHERE r.imidgraph_load IS NOT NULL]->(e) RETURN DISTINCT r.evidence AS v ORDER BY v } AS evidence_a,
       COLLECT { MATCH (:Imidgraph {id: $drug_b})-[r:HAS_SIDE_EFFECT WHERE r.imidgraph_load IS NOT NULL]->(e) RETURN DISTINCT r.evidence AS v ORDER BY v } AS evidence_b,
       COLLECT { MATCH (:Imidgraph {id: $drug_a})-[x:HAS_SIDE_EFFECT WHERE x.imidgraph_load IS NOT NULL]->(e) RETURN x.source + CASE WHEN coalesce(x.source_doi, '') = '' THEN '' ELSE ' doi:' + x.source_doi END + ' §' + x.section + CASE WHEN size(coalesce(x.refs, [])) = 0 THEN '' ELSE ' refs ' + reduce(s = '', i IN x.refs | s + CASE WHEN s = '' THEN '' ELSE ', ' END + toString(i)) END AS c ORDER BY x.id } AS citations_a,
       COLLECT { MATCH (:Imidgraph {id: $drug_b})-[x:HAS_SIDE_EFFECT WHERE x.imidgraph_load IS NOT NULL]->(e) RETURN x.source + CASE WHEN coalesce(x.source_doi, '') = '' THEN '' ELSE ' doi:' + x.source_doi END + ' §' + x.section + CASE WHEN size(coalesce(x.refs, [])) = 0 THEN '' ELSE ' refs ' + reduce(s = '', i IN x.refs | s + CASE WHEN s = '' THEN '' ELSE ', ' END + toString(i)) END AS c ORDER BY x.id } AS citations_b,
       COLLECT { MATCH (a:Imidgraph)-[x:HAS_SIDE_EFFECT WHERE x.imidgraph_load IS NOT NULL]->(e) WHERE a.id IN [$drug_a, $drug_b] RETURN DISTINCT x.id AS i ORDER BY i } AS relation_ids
ORDER BY side_effect
