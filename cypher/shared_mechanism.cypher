// name: shared_mechanism
// description: Drugs (and regimens, classes) that bind or degrade the same targets as a drug, most shared first.
// param: drug (entity) = lenalidomide | the drug
// columns: other, category, shared, count
MATCH (d:Imidgraph {id: $drug})-[r1:BINDS|DEGRADES]->(t:Imidgraph)<-[r2:BINDS|DEGRADES]-(o:Imidgraph)
WHERE o <> d AND type(r1) = type(r2) AND r1.imidgraph_load IS NOT NULL AND r2.imidgraph_load IS NOT NULL
WITH o, collect(DISTINCT r1.predicate + ' ' + t.name) AS pairs
RETURN o.name AS other,
       o.category AS category,
       COLLECT { UNWIND pairs AS pair RETURN pair ORDER BY pair } AS shared,
       size(pairs) AS count
ORDER BY count DESC, other
