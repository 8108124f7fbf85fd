// name: drug_difference
// description: How two drugs differ, fairly and both ways: each relation (the three clinical uses compared as one, "use") stated yes or no for either drug, its class or (for uses) a subtype of the disease, where the two drugs' states differ, with the difference in words and every citation. Comparing b with a gives the same rows mirrored.
// param: drug_a (entity) = lenalidomide | the first drug
// param: drug_b (entity) = thalidomide | the second drug
// columns: drug_a, drug_b, relation, object, object_category, difference, state_a, state_b, stated_a, stated_b, citations_a, citations_b, relation_ids
//
// state_a / state_b: yes (stated for the drug, for a class it belongs to, or for a subtype of the
// disease when no use is stated for the disease itself), no (a relation names the drug in
// not_with), not stated. stated_a / stated_b say how: the level (approved, studied clinically,
// active preclinically, or stated), then "(IMiD class)", "(subtype X)", or "(parent X)" for the
// nearest parent's use, noted without counting; "more than" / "less than" the other drug
// (more_than). A use approved for one drug and studied for the other is "both used; ...", not a
// difference of use. `imidgraph query` heads the _a and _b columns with the drugs' names.
MATCH (a:Imidgraph {id: $drug_a}), (b:Imidgraph {id: $drug_b})
WITH a, b,
     [a] + COLLECT { MATCH q = (a)-[:SUBCLASS_OF*1..]->(c:Imidgraph) WHERE c <> a AND all(x IN relationships(q) WHERE x.imidgraph_load IS NOT NULL) RETURN DISTINCT c } AS heads_a,
     [b] + COLLECT { MATCH q = (b)-[:SUBCLASS_OF*1..]->(c:Imidgraph) WHERE c <> b AND all(x IN relationships(q) WHERE x.imidgraph_load IS NOT NULL) RETURN DISTINCT c } AS heads_b,
     ['approved_for', 'studied_clinically_for', 'active_preclinically_in'] AS uses
CALL (a, b, heads_a, heads_b, uses) {
  UNWIND heads_a + heads_b AS h
  MATCH (h)-[r WHERE r.imidgraph_load IS NOT NULL]->(x:Imidgraph)
  RETURN CASE WHEN r.predicate IN uses THEN 'use' ELSE r.predicate END AS relation, x
  UNION
  MATCH (:Imidgraph)-[r WHERE r.imidgraph_load IS NOT NULL]->(x:Imidgraph)
  WHERE a.id IN coalesce(r.q_not_with, []) OR b.id IN coalesce(r.q_not_with, [])
  RETURN CASE WHEN r.predicate IN uses THEN 'use' ELSE r.predicate END AS relation, x
}
CALL (a, b, heads_a, heads_b, uses, relation, x) {
  UNWIND [[0, a, b, heads_a], [1, b, a, heads_b]] AS side
  WITH side[0] AS i, side[1] AS d, side[2] AS o, side[3] AS heads
  WITH i, d, o, heads,
       COLLECT {
         MATCH (h:Imidgraph)-[r WHERE r.imidgraph_load IS NOT NULL]->(x)
         WHERE h IN heads AND CASE WHEN r.predicate IN uses THEN 'use' ELSE r.predicate END = relation
         RETURN {r: r, phrase: CASE r.predicate WHEN 'approved_for' THEN 'approved' WHEN 'studied_clinically_for' THEN 'studied clinically' WHEN 'active_preclinically_in' THEN 'active preclinically' ELSE 'stated' END
                              + CASE WHEN h <> d THEN ' (' + h.name + ' class)' ELSE '' END}
       } AS own
  WITH i, d, o, heads, own,
       CASE WHEN size(own) = 0 AND relation = 'use' THEN COLLECT {
         MATCH q = (y:Imidgraph)-[:SUBCLASS_OF*1..]->(x)
         WHERE y <> x AND all(z IN relationships(q) WHERE z.imidgraph_load IS NOT NULL)
         WITH DISTINCT y
         MATCH (h:Imidgraph)-[r WHERE r.imidgraph_load IS NOT NULL]->(y)
         WHERE h IN heads AND r.predicate IN uses
         RETURN {r: r, phrase: CASE r.predicate WHEN 'approved_for' THEN 'approved' WHEN 'studied_clinically_for' THEN 'studied clinically' ELSE 'active preclinically' END
                              + ' (' + CASE WHEN h <> d THEN h.name + ' class; ' ELSE '' END + 'subtype ' + y.name + ')'}
       } ELSE [] END AS sub
  WITH i, d, o, heads, CASE WHEN size(own) > 0 THEN own ELSE sub END AS yes
  WITH i, d, o, yes,
       COLLECT {
         MATCH (s:Imidgraph)-[r WHERE r.imidgraph_load IS NOT NULL]->(x)
         WHERE d.id IN coalesce(r.q_not_with, []) AND CASE WHEN r.predicate IN uses THEN 'use' ELSE r.predicate END = relation
         RETURN {r: r, phrase: 'stated not (relation of ' + s.name + ')'}
       } AS no,
       CASE WHEN size(yes) = 0 AND relation = 'use' THEN COLLECT {
         MATCH q = (x)-[:SUBCLASS_OF*1..]->(y:Imidgraph)
         WHERE y <> x AND all(z IN relationships(q) WHERE z.imidgraph_load IS NOT NULL)
         WITH DISTINCT y
         MATCH (h:Imidgraph)-[r WHERE r.imidgraph_load IS NOT NULL]->(y)
         WHERE h IN heads AND r.predicate IN uses
         RETURN {n: COLLECT { MATCH q = (x)-[:SUBCLASS_OF*1..]->(y) WHERE all(z IN relationships(q) WHERE z.imidgraph_load IS NOT NULL) RETURN length(q) AS l ORDER BY l LIMIT 1 }[0], r: r, phrase: CASE r.predicate WHEN 'approved_for' THEN 'approved' WHEN 'studied_clinically_for' THEN 'studied clinically' ELSE 'active preclinically' END
                                    + ' (' + CASE WHEN h <> d THEN h.name + ' class; ' ELSE '' END + 'parent ' + y.name + ')'}
       } ELSE [] END AS up
  WITH i, o, yes, no, [p IN up WHERE p.n = reduce(m = head(up).n, q IN up | CASE WHEN q.n < m THEN q.n ELSE m END)] AS parents
  WITH i, o, yes, no, parents, any(p IN yes WHERE o.id IN coalesce(p.r.q_more_than, [])) AS more,
       COLLECT { UNWIND yes + no + parents AS p WITH DISTINCT p.r AS r RETURN r ORDER BY r.id } AS rels
  WITH i, {
         state: CASE WHEN size(yes) > 0 THEN 'yes' WHEN size(no) > 0 THEN 'no' ELSE 'not stated' END,
         phrases: [p IN yes + no + parents | p.phrase] + CASE WHEN more THEN ['more than ' + o.name] ELSE [] END,
         more: more,
         best: reduce(m = null, p IN yes | CASE
           WHEN m IS NULL OR (CASE p.r.predicate WHEN 'approved_for' THEN 0 WHEN 'studied_clinically_for' THEN 1 WHEN 'active_preclinically_in' THEN 2 ELSE 3 END) < m
           THEN CASE p.r.predicate WHEN 'approved_for' THEN 0 WHEN 'studied_clinically_for' THEN 1 WHEN 'active_preclinically_in' THEN 2 ELSE 3 END
           ELSE m END),
         citations: [r IN rels | r.source + CASE WHEN coalesce(r.source_doi, '') = '' THEN '' ELSE ' doi:' + r.source_doi END + ' §' + r.section + CASE WHEN size(coalesce(r.refs, [])) = 0 THEN '' ELSE ' refs ' + reduce(s = '', k IN r.refs | s + CASE WHEN s = '' THEN '' ELSE ', ' END + toString(k)) END],
         ids: [r IN rels | r.id]
       } AS s
  ORDER BY i
  RETURN collect(s) AS sides
}
WITH a, b, relation, x, sides[0] AS sa, sides[1] AS sb,
     ['approved', 'studied clinically', 'active preclinically', 'stated'] AS levels
WITH a, b, relation, x, sa, sb,
     CASE
       WHEN sa.state = 'yes' AND sb.state = 'yes' THEN
         CASE WHEN sa.best <> sb.best OR sa.more OR sb.more THEN
           reduce(t = CASE WHEN relation = 'use' THEN 'both used' ELSE 'both' END, w IN
             CASE WHEN sa.best < sb.best THEN [a.name + ' ' + levels[sa.best] + ', ' + b.name + ' ' + levels[sb.best]]
                  WHEN sb.best < sa.best THEN [b.name + ' ' + levels[sb.best] + ', ' + a.name + ' ' + levels[sa.best]]
                  ELSE [] END
             + COLLECT { UNWIND CASE WHEN sa.more THEN [a.name + ' more'] ELSE [] END + CASE WHEN sb.more THEN [b.name + ' more'] ELSE [] END AS m RETURN m ORDER BY m }
           | t + '; ' + w)
         END
       WHEN sa.state = sb.state THEN null
       WHEN sa.state = 'yes' AND sb.state = 'not stated' THEN a.name + ' only'
       WHEN sb.state = 'yes' AND sa.state = 'not stated' THEN b.name + ' only'
       WHEN sa.state = 'yes' THEN a.name + ', not ' + b.name
       WHEN sb.state = 'yes' THEN b.name + ', not ' + a.name
       WHEN sa.state = 'no' THEN 'not ' + a.name + '; ' + b.name + ' not stated'
       ELSE 'not ' + b.name + '; ' + a.name + ' not stated'
     END AS difference
WHERE difference IS NOT NULL
RETURN a.name AS drug_a,
       b.name AS drug_b,
       relation,
       x.name AS object,
       x.category AS object_category,
       difference,
       sa.state AS state_a,
       sb.state AS state_b,
       COLLECT { UNWIND sa.phrases + CASE WHEN sb.more THEN ['less than ' + b.name] ELSE [] END AS p RETURN DISTINCT p ORDER BY p } AS stated_a,
       COLLECT { UNWIND sb.phrases + CASE WHEN sa.more THEN ['less than ' + a.name] ELSE [] END AS p RETURN DISTINCT p ORDER BY p } AS stated_b,
       sa.citations AS citations_a,
       sb.citations AS citations_b,
       sa.ids + sb.ids AS relation_ids
ORDER BY relation, object
