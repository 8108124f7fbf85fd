// name: combination_rationale
// description: Why combine a drug with an immunotherapy: stated synergy, and mechanism chains from the drug that meet what the partner does (e.g. IL-2 -> NK cells -> ADCC for rituximab); each row with the citation of every relation in it.
// param: drug (entity) = lenalidomide | the drug
// param: partner (entity) = rituximab | the immunotherapy or other partner
// columns: kind, chain, predicates, meets, partner_relation, citations, relation_ids
//
// citations and relation_ids: the relations of the chain step by step, then the partner's
// relation to what the chain meets (by relation id within a step).
CALL () {
  MATCH (d:Imidgraph {id: $drug})-[r:POTENTIATES WHERE r.imidgraph_load IS NOT NULL]->(p:Imidgraph {id: $partner})
  RETURN 'stated synergy' AS kind,
         [d.name, p.name] AS chain,
         [r.predicate] AS predicates,
         p.name AS meets,
         null AS partner_relation,
         [r] AS rels
  UNION
  MATCH path = (d:Imidgraph {id: $drug})-[:INCREASES|DECREASES|DEGRADES|MEDIATES|PRODUCED_BY*1..3]->(m:Imidgraph)
  WHERE all(x IN relationships(path) WHERE x.imidgraph_load IS NOT NULL)
  MATCH (p:Imidgraph {id: $partner})-[q:INCREASES|DECREASES|MEDIATES|BINDS WHERE q.imidgraph_load IS NOT NULL]->(m)
  RETURN 'shared mechanism' AS kind,
         [n IN nodes(path) | n.name] AS chain,
         [x IN relationships(path) | x.predicate] AS predicates,
         m.name AS meets,
         q.predicate AS partner_relation,
         relationships(path) + [q] AS rels
}
UNWIND range(0, size(rels) - 1) AS i
WITH DISTINCT kind, chain, predicates, meets, partner_relation, i, rels[i] AS x
ORDER BY i, x.id
WITH kind, chain, predicates, meets, partner_relation,
     collect(x.source + CASE WHEN coalesce(x.source_doi, '') = '' THEN '' ELSE ' doi:' + x.source_doi END + ' §' + x.section + CASE WHEN size(coalesce(x.refs, [])) = 0 THEN '' ELSE ' refs ' + reduce(s = '', i IN x.refs | s + CASE WHEN s = '' THEN '' ELSE ', ' END + toString(i)) END) AS citations,
     collect(x.id) AS relation_ids
RETURN kind, chain, predicates, meets, partner_relation, citations, relation_ids
ORDER BY kind DESC, size(chain), chain, predicates, meets, partner_relation
