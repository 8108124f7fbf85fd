// name: shared_mechanism
// description: Drugs (and regimens, classes) that bind or degrade the same targets as a drug, most shared first, with the citations of both drugs' relations.
// param: drug (entity) = lenalidomide | the drug
// columns: other, category, shared, count, citations, relation_ids
MATCH (d:Imidgraph {id: $drug})-[r1:BINDS|DEGRADES]->(t:Imidgraph)<-[r2:BINDS|DEGRADES]-(o:Imidgraph)
WHERE o <> d AND type(r1) = type(r2) AND r1.imidgraph_load IS NOT NULL AND r2.imidgraph_load IS NOT NULL
WITH o, collect(DISTINCT r1.predicate + ' ' + t.name) AS pairs, collect(DISTINCT r1) + collect(DISTINCT r2) AS rels
RETURN o.name AS other,
       o.category AS category,
       COLLECT { UNWIND pairs AS pair RETURN pair ORDER BY pair } AS shared,
       size(pairs) AS count,
       COLLECT { UNWIND rels AS x WITH DISTINCT x RETURN x.source + CASE WHEN coalesce(x.source_doi, '') = '' THEN '' ELSE ' doi:' + x.source_doi END + ' §' + x.section + CASE WHEN size(coalesce(x.refs, [])) = 0 THEN '' ELSE ' refs ' + reduce(s = '', i IN x.refs | s + CASE WHEN s = '' THEN '' ELSE ', ' END + toString(i)) END AS c ORDER BY x.id } AS citations,
       COLLECT { UNWIND rels AS x WITH DISTINCT x RETURN x.id AS i ORDER BY i } AS relation_ids
ORDER BY count DESC, other
