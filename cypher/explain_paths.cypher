// name: explain_paths
// description: Candidate mechanism paths from a drug to a disease (or phenotype), a partner agent, or any other entity; `imidgraph explain` cites and ranks them. One row per path: the entities in order, the predicate of each step and whether it is read forward (subject to object).
// param: drug (entity) = lenalidomide | the drug
// param: target (entity) = del(5q) MDS | a disease or phenotype, a partner agent, or any entity
// columns: kind, node_ids, predicates, forward
//
// A path = [the drug's class, when a class-level statement is used] + a mechanism chain of
// 0-3 steps (binds, degrades, increases, decreases, mediates) from the drug to an entity m
// + an ending that ties m to the target:
//   driver       m contributes to the disease
//   lesion       a genomic alteration acting on m contributes to the disease
//   partner      another agent acting on m is used in the disease (or is the partner asked for)
//   potentiates  the drug enhances an agent used in the disease (or the partner)
//   sensitivity  something that makes cells sensitive to the drug underlies the disease
//   reach        m is the target itself (targets that are neither conditions nor agents)
//   use          the drug's own approval, trial, preclinical or side-effect relation to the target
// The disease may be reached through one subclass_of step (a parent or child disease); a
// partner through one subclass_of step (its class). No entity occurs twice in a path.
MATCH (d:Imidgraph {id: $drug}), (t:Imidgraph {id: $target})
WITH d, t,
     (t:Disease OR t:Phenotype) AS condition,
     (t:Drug OR t:Treatment OR t:DrugClass) AS agent,
     COLLECT {
       RETURN {y: t, tn: [], tp: [], tf: []} AS f
       UNION
       MATCH (t)-[own1:SUBCLASS_OF WHERE own1.imidgraph_load IS NOT NULL]->(y:Imidgraph) RETURN DISTINCT {y: y, tn: [t], tp: ['subclass_of'], tf: [false]} AS f
       UNION
       MATCH (y:Imidgraph)-[own2:SUBCLASS_OF WHERE own2.imidgraph_load IS NOT NULL]->(t) WHERE (t:Disease OR t:Phenotype)
       RETURN DISTINCT {y: y, tn: [t], tp: ['subclass_of'], tf: [true]} AS f
     } AS family
CALL (d) {
  RETURN [d] AS hn
  UNION
  MATCH (d)-[own3:SUBCLASS_OF WHERE own3.imidgraph_load IS NOT NULL]->(k:Imidgraph)
  RETURN DISTINCT [d, k] AS hn
}
WITH d, t, condition, agent, family, hn, last(hn) AS s
MATCH chain = (s)-[:BINDS|DEGRADES|INCREASES|DECREASES|MEDIATES*0..3]->(m:Imidgraph)
WHERE all(x IN relationships(chain) WHERE x.imidgraph_load IS NOT NULL)
// one row per chain of distinct entities and predicates (parallel relations say the same)
WITH DISTINCT d, t, condition, agent, family, s, m, length(chain) AS k,
     hn + tail(nodes(chain)) AS cn,
     [x IN range(2, size(hn)) | 'subclass_of'] + [r IN relationships(chain) | r.predicate] AS cp
WHERE all(i IN range(0, size(cn) - 2) WHERE NOT cn[i] IN cn[i + 1..])
CALL (d, t, condition, agent, family, s, m, k) {
  WITH * WHERE condition AND k >= 1
  UNWIND family AS f
  MATCH (m)-[own4:CONTRIBUTES_TO WHERE own4.imidgraph_load IS NOT NULL]->(y) WHERE y = f.y
  RETURN DISTINCT 'driver' AS kind, [y] + f.tn AS en, ['contributes_to'] + f.tp AS ep, [true] + f.tf AS ef
  UNION
  WITH * WHERE condition AND k >= 1
  UNWIND family AS f
  MATCH (m)<-[a1:INCREASES|DECREASES WHERE a1.imidgraph_load IS NOT NULL]-(a:Imidgraph&GenomicAlteration)-[own5:CONTRIBUTES_TO WHERE own5.imidgraph_load IS NOT NULL]->(y) WHERE y = f.y
  RETURN DISTINCT 'lesion' AS kind, [a, y] + f.tn AS en, [a1.predicate, 'contributes_to'] + f.tp AS ep,
         [false, true] + f.tf AS ef
  UNION
  WITH * WHERE k >= 1
  MATCH (m)<-[c:INCREASES|DECREASES|BINDS|DEGRADES WHERE c.imidgraph_load IS NOT NULL]-(p:Imidgraph&(Drug|Treatment|DrugClass))
  WHERE NOT EXISTS { MATCH q = (d)-[own6:SUBCLASS_OF WHERE own6.imidgraph_load IS NOT NULL]->(:Imidgraph)<-[:SUBCLASS_OF*0..1]-(p) WHERE all(x IN relationships(q) WHERE x.imidgraph_load IS NOT NULL) } AND NOT EXISTS { (p)-[own7:SUBCLASS_OF WHERE own7.imidgraph_load IS NOT NULL]->(d) }
  WITH DISTINCT d, t, condition, agent, family, p, c.predicate AS cp
  CALL (p, condition, agent, family, d) {
    WITH * WHERE condition
    UNWIND family AS f
    MATCH (p)-[u:APPROVED_FOR|STUDIED_CLINICALLY_FOR|ACTIVE_PRECLINICALLY_IN WHERE u.imidgraph_load IS NOT NULL]->(y) WHERE y = f.y
    RETURN DISTINCT [y] + f.tn AS pn, [u.predicate] + f.tp AS pp, [true] + f.tf AS pf
    UNION
    WITH * WHERE condition
    UNWIND family AS f
    MATCH (p)<-[own8:SUBCLASS_OF WHERE own8.imidgraph_load IS NOT NULL]-(p2:Imidgraph)-[u:APPROVED_FOR|STUDIED_CLINICALLY_FOR|ACTIVE_PRECLINICALLY_IN WHERE u.imidgraph_load IS NOT NULL]->(y)
    WHERE y = f.y AND NOT EXISTS { MATCH q = (d)-[own9:SUBCLASS_OF WHERE own9.imidgraph_load IS NOT NULL]->(:Imidgraph)<-[:SUBCLASS_OF*0..1]-(p2) WHERE all(x IN relationships(q) WHERE x.imidgraph_load IS NOT NULL) } AND p2 <> d
    RETURN DISTINCT [p2, y] + f.tn AS pn, ['subclass_of', u.predicate] + f.tp AS pp, [false, true] + f.tf AS pf
    UNION
    WITH * WHERE agent
    UNWIND family AS f
    WITH * WHERE p = f.y
    RETURN f.tn AS pn, f.tp AS pp, f.tf AS pf
  }
  RETURN 'partner' AS kind, [p] + pn AS en, [cp] + pp AS ep, [false] + pf AS ef
  UNION
  WITH * WHERE k = 0
  MATCH (s)-[own10:POTENTIATES WHERE own10.imidgraph_load IS NOT NULL]->(p:Imidgraph)
  WITH DISTINCT d, t, condition, agent, family, p
  CALL (p, condition, agent, family, d) {
    WITH * WHERE condition
    UNWIND family AS f
    MATCH (p)-[u:APPROVED_FOR|STUDIED_CLINICALLY_FOR|ACTIVE_PRECLINICALLY_IN WHERE u.imidgraph_load IS NOT NULL]->(y) WHERE y = f.y
    RETURN DISTINCT [y] + f.tn AS pn, [u.predicate] + f.tp AS pp, [true] + f.tf AS pf
    UNION
    WITH * WHERE condition
    UNWIND family AS f
    MATCH (p)<-[own11:SUBCLASS_OF WHERE own11.imidgraph_load IS NOT NULL]-(p2:Imidgraph)-[u:APPROVED_FOR|STUDIED_CLINICALLY_FOR|ACTIVE_PRECLINICALLY_IN WHERE u.imidgraph_load IS NOT NULL]->(y)
    WHERE y = f.y AND NOT EXISTS { MATCH q = (d)-[own12:SUBCLASS_OF WHERE own12.imidgraph_load IS NOT NULL]->(:Imidgraph)<-[:SUBCLASS_OF*0..1]-(p2) WHERE all(x IN relationships(q) WHERE x.imidgraph_load IS NOT NULL) } AND p2 <> d
    RETURN DISTINCT [p2, y] + f.tn AS pn, ['subclass_of', u.predicate] + f.tp AS pp, [false, true] + f.tf AS pf
    UNION
    WITH * WHERE agent
    UNWIND family AS f
    WITH * WHERE p = f.y
    RETURN f.tn AS pn, f.tp AS pp, f.tf AS pf
  }
  RETURN 'potentiates' AS kind, [p] + pn AS en, ['potentiates'] + pp AS ep, [true] + pf AS ef
  UNION
  WITH * WHERE condition AND k = 0
  MATCH (s)<-[own13:ASSOCIATED_WITH_SENSITIVITY_TO WHERE own13.imidgraph_load IS NOT NULL]-(x:Imidgraph)
  WITH DISTINCT family, x
  UNWIND family AS f
  CALL (x, f) {
    MATCH (x)-[own14:CONTRIBUTES_TO WHERE own14.imidgraph_load IS NOT NULL]->(y) WHERE y = f.y
    RETURN DISTINCT [y] AS xn, ['contributes_to'] AS xp, [true] AS xf
    UNION
    MATCH (x)<-[a1:INCREASES|DECREASES WHERE a1.imidgraph_load IS NOT NULL]-(a:Imidgraph&GenomicAlteration)-[own15:CONTRIBUTES_TO WHERE own15.imidgraph_load IS NOT NULL]->(y) WHERE y = f.y
    RETURN DISTINCT [a, y] AS xn, [a1.predicate, 'contributes_to'] AS xp, [false, true] AS xf
  }
  RETURN 'sensitivity' AS kind, [x] + xn + f.tn AS en, ['associated_with_sensitivity_to'] + xp + f.tp AS ep,
         [false] + xf + f.tf AS ef
  UNION
  WITH * WHERE NOT condition AND NOT agent AND k >= 1 AND m = t
  RETURN 'reach' AS kind, [] AS en, [] AS ep, [] AS ef
  UNION
  WITH * WHERE k = 0 AND s = d
  MATCH (d)-[u:APPROVED_FOR|STUDIED_CLINICALLY_FOR|ACTIVE_PRECLINICALLY_IN|HAS_SIDE_EFFECT WHERE u.imidgraph_load IS NOT NULL]->(t)
  RETURN DISTINCT 'use' AS kind, [t] AS en, [u.predicate] AS ep, [true] AS ef
}
WITH kind, cn + en AS ns, cp + ep AS predicates, [x IN cp | true] + ef AS forward
WHERE all(i IN range(0, size(ns) - 2) WHERE NOT ns[i] IN ns[i + 1..])
RETURN DISTINCT kind, [n IN ns | n.id] AS node_ids, predicates, forward
ORDER BY kind, node_ids, predicates, forward
