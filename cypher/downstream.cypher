// name: downstream
// description: What changing an entity (e.g. degrading a neosubstrate) does downstream: effectors, then cells, then processes and diseases, up to three steps; each chain with the citation of every relation along it.
// param: start (entity) = IKZF1 | where the chains start, e.g. a degraded neosubstrate
// columns: steps, chain, predicates, net_sign, reaches, reaches_category, citations, relation_ids
//
// citations and relation_ids: every relation that makes a step of the chain (parallel
// relations between the same two entities too), step by step, by relation id within a step.
// net_sign: the product of the steps' signs (schema.POLARITY, as explain reads them): 1 the
// start raises what the chain reaches, -1 it lowers it, 0 a step states no direction.
MATCH p = (s:Imidgraph {id: $start})-[:INCREASES|DECREASES|MEDIATES|CONTRIBUTES_TO|PRODUCED_BY*1..3]->(e:Imidgraph)
WHERE all(x IN relationships(p) WHERE x.imidgraph_load IS NOT NULL)
WITH length(p) AS steps,
     [n IN nodes(p) | n.name] AS chain,
     [r IN relationships(p) | r.predicate] AS predicates,
     reduce(sign = 1, r IN relationships(p) | sign * CASE r.predicate
       WHEN 'increases' THEN 1 WHEN 'decreases' THEN -1 WHEN 'mediates' THEN 1
       WHEN 'contributes_to' THEN 1 WHEN 'produced_by' THEN 0 END) AS net_sign,
     e.name AS reaches,
     e.category AS reaches_category,
     relationships(p) AS rels
UNWIND range(0, size(rels) - 1) AS i
WITH DISTINCT steps, chain, predicates, net_sign, reaches, reaches_category, i, rels[i] AS x
ORDER BY i, x.id
WITH steps, chain, predicates, net_sign, reaches, reaches_category,
     collect(x.source + CASE WHEN coalesce(x.source_doi, '') = '' THEN '' ELSE ' doi:' + x.source_doi END + ' §' + x.section + CASE WHEN size(coalesce(x.refs, [])) = 0 THEN '' ELSE ' refs ' + reduce(s = '', i IN x.refs | s + CASE WHEN s = '' THEN '' ELSE ', ' END + toString(i)) END) AS citations,
     collect(x.id) AS relation_ids
RETURN steps, chain, predicates, net_sign, reaches, reaches_category, citations, relation_ids
ORDER BY steps, chain, predicates
