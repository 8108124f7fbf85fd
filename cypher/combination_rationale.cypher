// name: combination_rationale
// description: Why combine a drug with an immunotherapy: stated synergy, and mechanism chains from the drug that meet what the partner does (e.g. IL-2 -> NK cells -> ADCC for rituximab).
// param: drug (entity) = lenalidomide | the drug
// param: partner (entity) = rituximab | the immunotherapy or other partner
// columns: kind, chain, predicates, meets, partner_relation
CALL () {
  MATCH (d:Imidgraph {id: $drug})-[r:POTENTIATES WHERE r.imidgraph_load IS NOT NULL]->(p:Imidgraph {id: $partner})
  RETURN 'stated synergy' AS kind,
         [d.name, p.name] AS chain,
         [r.predicate] AS predicates,
         p.name AS meets,
         null AS partner_relation
  UNION
  MATCH path = (d:Imidgraph {id: $drug})-[:INCREASES|DECREASES|DEGRADES|MEDIATES|PRODUCED_BY*1..3]->(m:Imidgraph)
  WHERE all(x IN relationships(path) WHERE x.imidgraph_load IS NOT NULL)
  MATCH (p:Imidgraph {id: $partner})-[q:INCREASES|DECREASES|MEDIATES|BINDS WHERE q.imidgraph_load IS NOT NULL]->(m)
  RETURN 'shared mechanism' AS kind,
         [n IN nodes(path) | n.name] AS chain,
         [x IN relationships(path) | x.predicate] AS predicates,
         m.name AS meets,
         q.predicate AS partner_relation
}
RETURN kind, chain, predicates, meets, partner_relation
ORDER BY kind DESC, size(chain), chain, predicates, meets, partner_relation
