// name: side_effects_compared
// description: The side effects of two drugs side by side, fairly: for each drug yes (stated for it or for a class it belongs to), no (a relation names it in not_with) or not stated, how, on what evidence, and where each is cited. Comparing b with a gives the same rows mirrored.
// param: drug_a (entity) = lenalidomide | the first drug
// param: drug_b (entity) = thalidomide | the second drug
// columns: side_effect, drug_a, drug_b, state_a, state_b, stated_a, stated_b, evidence_a, evidence_b, citations_a, citations_b, relation_ids
//
// stated_a / stated_b: "stated", "stated (IMiD class)" for a class's statement, "stated not
// (relation of X)" for a relation of X that names the drug in not_with. Silence is "not stated",
// never "no". `imidgraph query` heads the _a and _b columns with the drugs' names.
MATCH (a:Imidgraph {id: $drug_a}), (b:Imidgraph {id: $drug_b})
WITH a, b,
     [a] + COLLECT { MATCH q = (a)-[:SUBCLASS_OF*1..]->(c:Imidgraph) WHERE c <> a AND all(x IN relationships(q) WHERE x.imidgraph_load IS NOT NULL) RETURN DISTINCT c } AS heads_a,
     [b] + COLLECT { MATCH q = (b)-[:SUBCLASS_OF*1..]->(c:Imidgraph) WHERE c <> b AND all(x IN relationships(q) WHERE x.imidgraph_load IS NOT NULL) RETURN DISTINCT c } AS heads_b
CALL (a, b, heads_a, heads_b) {
  UNWIND heads_a + heads_b AS h
  MATCH (h)-[r:HAS_SIDE_EFFECT WHERE r.imidgraph_load IS NOT NULL]->(e:Imidgraph)
  RETURN e
  UNION
  MATCH (:Imidgraph)-[r:HAS_SIDE_EFFECT WHERE r.imidgraph_load IS NOT NULL]->(e:Imidgraph)
  WHERE a.id IN coalesce(r.q_not_with, []) OR b.id IN coalesce(r.q_not_with, [])
  RETURN e
}
CALL (a, b, heads_a, heads_b, e) {
  UNWIND [[0, a, b, heads_a], [1, b, a, heads_b]] AS side
  WITH side[0] AS i, side[1] AS d, side[2] AS o, side[3] AS heads
  WITH i, d, o,
       COLLECT {
         MATCH (h:Imidgraph)-[r:HAS_SIDE_EFFECT WHERE r.imidgraph_load IS NOT NULL]->(e)
         WHERE h IN heads
         RETURN {r: r, phrase: 'stated' + CASE WHEN h <> d THEN ' (' + h.name + ' class)' ELSE '' END}
       } AS yes,
       COLLECT {
         MATCH (s:Imidgraph)-[r:HAS_SIDE_EFFECT WHERE r.imidgraph_load IS NOT NULL]->(e)
         WHERE d.id IN coalesce(r.q_not_with, [])
         RETURN {r: r, phrase: 'stated not (relation of ' + s.name + ')'}
       } AS no
  WITH i, o, yes, no, any(p IN yes WHERE o.id IN coalesce(p.r.q_more_than, [])) AS more,
       COLLECT { UNWIND yes + no AS p WITH DISTINCT p.r AS r RETURN r ORDER BY r.id } AS rels
  WITH i, {
         state: CASE WHEN size(yes) > 0 THEN 'yes' WHEN size(no) > 0 THEN 'no' ELSE 'not stated' END,
         phrases: [p IN yes + no | p.phrase] + CASE WHEN more THEN ['more than ' + o.name] ELSE [] END,
         more: more,
         evidence: COLLECT { UNWIND yes AS p RETURN DISTINCT p.r.evidence AS v ORDER BY v },
         citations: [r IN rels | r.source + CASE WHEN coalesce(r.source_doi, '') = '' THEN '' ELSE ' doi:' + r.source_doi END + ' §' + r.section + CASE WHEN size(coalesce(r.refs, [])) = 0 THEN '' ELSE ' refs ' + reduce(s = '', k IN r.refs | s + CASE WHEN s = '' THEN '' ELSE ', ' END + toString(k)) END],
         ids: [r IN rels | r.id]
       } AS s
  ORDER BY i
  RETURN collect(s) AS sides
}
WITH a, b, e, sides[0] AS sa, sides[1] AS sb
RETURN e.name AS side_effect,
       a.name AS drug_a,
       b.name AS drug_b,
       sa.state AS state_a,
       sb.state AS state_b,
       COLLECT { UNWIND sa.phrases + CASE WHEN sb.more THEN ['less than ' + b.name] ELSE [] END AS p RETURN DISTINCT p ORDER BY p } AS stated_a,
       COLLECT { UNWIND sb.phrases + CASE WHEN sa.more THEN ['less than ' + a.name] ELSE [] END AS p RETURN DISTINCT p ORDER BY p } AS stated_b,
       sa.evidence AS evidence_a,
       sb.evidence AS evidence_b,
       sa.citations AS citations_a,
       sb.citations AS citations_b,
       sa.ids + sb.ids AS relation_ids
ORDER BY side_effect
