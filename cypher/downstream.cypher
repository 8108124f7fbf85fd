// name: downstream
// description: What changing an entity (e.g. degrading a neosubstrate) does downstream: effectors, then cells, then processes and diseases, up to three steps.
// param: start (entity) = IKZF1 | where the chains start, e.g. a degraded neosubstrate
// columns: steps, chain, predicates, reaches, reaches_category
MATCH p = (s:Imidgraph {id: $start})-[:INCREASES|DECREASES|MEDIATES|CONTRIBUTES_TO|PRODUCED_BY*1..3]->(e:Imidgraph)
WHERE all(x IN relationships(p) WHERE x.imidgraph_load IS NOT NULL)
WITH DISTINCT length(p) AS steps,
     [n IN nodes(p) | n.name] AS chain,
     [r IN relationships(p) | r.predicate] AS predicates,
     e.name AS reaches,
     e.category AS reaches_category
RETURN steps, chain, predicates, reaches, reaches_category
ORDER BY steps, chain, predicates
