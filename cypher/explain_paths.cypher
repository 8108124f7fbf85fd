// name: explain_paths
// description: Candidate mechanism paths from a drug to a disease (or phenotype), a partner agent, or any other entity; `imidgraph explain` cites them, signs them (reasons, against) and ranks them. One row per path: the entities in order, the predicate of each step and whether it is read forward (subject to object).
// param: drug (entity) = lenalidomide | the drug
// param: target (entity) = del(5q) MDS | a disease or phenotype, a partner agent, or any entity
// columns: kind, node_ids, predicates, forward
//
// A path = [the drug's classes, 1-3 subclass_of steps up, when a class-level statement is used;
// or, when the drug is a class, one of its members, 1-3 steps down]
// + a mechanism chain of 0-3 steps (binds, degrades, increases, decreases, mediates) from the
// drug to an entity m + an ending that ties m to the target:
//   driver       m contributes to the disease
//   lesion       a genomic alteration acting on m contributes to the disease
//   observed     the chain's last step was observed in the disease (its disease_context is the
//                target or a member of it), or the drug's own use in (or harm to) the disease
//                goes via m; the ending is the pseudo-step 'observed_in'
//   partner      another agent acting on m is used in the disease (or is the partner asked for)
//   potentiates  the drug enhances an agent used in the disease (or the partner)
//   sensitivity  something that makes cells sensitive to the drug underlies the disease, or
//                was observed in it ('observed_in')
//   resistance   the same for a mechanism of resistance to the drug
//   trial        (partner asked for) a regimen with both drugs tried in the clinic, or a trial of
//                one combined_with the other (the pseudo-step 'tested_with')
//   reach        m is the target itself or one of its members (targets neither conditions nor agents)
//   use          the standing (rows start at the relation's subject): an approval, trial, preclinical
//                or side-effect relation to the target or a class or member of it, of the drug, its
//                classes, a regimen holding one of them (has_part, 1-2 levels), or any agent whose
//                relation names one of them in combined_with (a combination's harm stored on the partner)
// The target is reached through any class of it or any member of it (subclass_of, any depth, the
// shortest route to each: a subtype of the disease, a drug of the class asked for); a partner used
// in the disease through one subclass_of step (its class). For a disease, a partner must have been
// given with the drug (given_with, potentiates, another part of a regimen or arm of a trial that
// holds it, combined_with either way; itself, a class or a member of it) and hold no drug of ours.
// No entity occurs twice in a path.
MATCH (d:Imidgraph {id: $drug}), (t:Imidgraph {id: $target})
WITH d, t,
     (t:Disease OR t:Phenotype) AS condition,
     (t:Drug OR t:Treatment OR t:DrugClass) AS agent,
     COLLECT {
       RETURN {y: t, tn: [], tp: [], tf: []} AS f
       UNION
       MATCH q = (t)-[:SUBCLASS_OF*1..]->(y:Imidgraph)
       WHERE all(x IN relationships(q) WHERE x.imidgraph_load IS NOT NULL)
       RETURN DISTINCT {y: y, tn: tail(reverse(nodes(q))), tp: [x IN relationships(q) | 'subclass_of'], tf: [x IN relationships(q) | false]} AS f
       UNION
       MATCH q = (y:Imidgraph)-[:SUBCLASS_OF*1..]->(t)
       WHERE all(x IN relationships(q) WHERE x.imidgraph_load IS NOT NULL)
       RETURN DISTINCT {y: y, tn: tail(nodes(q)), tp: [x IN relationships(q) | 'subclass_of'], tf: [x IN relationships(q) | true]} AS f
     } AS family0,
     [d] + COLLECT { MATCH q = (d)-[:SUBCLASS_OF*1..3]->(k:Imidgraph) WHERE all(x IN relationships(q) WHERE x.imidgraph_load IS NOT NULL) RETURN DISTINCT k } AS up
// one route to each class or member of the target: the shortest (no detours through the hierarchy)
WITH d, t, condition, agent, up, [f IN family0 WHERE NOT any(g IN family0 WHERE g.y = f.y AND size(g.tn) < size(f.tn))] AS family
WITH d, t, condition, agent, family, [f IN family WHERE all(x IN f.tf WHERE x) | f.y.id] AS down, up,
     up + COLLECT { MATCH q = (d)<-[:SUBCLASS_OF*1..3]-(k:Imidgraph) WHERE d:DrugClass AND all(x IN relationships(q) WHERE x.imidgraph_load IS NOT NULL) RETURN DISTINCT k } AS heads
// the agents given with the drug (itself, its classes, its members) in the sources
WITH d, t, condition, agent, family, down, up, heads,
     COLLECT {
       MATCH (h:Imidgraph)-[g:GIVEN_WITH]-(x:Imidgraph) WHERE h IN heads AND g.imidgraph_load IS NOT NULL RETURN x.id AS x
       UNION
       MATCH (h:Imidgraph)-[g:POTENTIATES]->(x:Imidgraph) WHERE h IN heads AND g.imidgraph_load IS NOT NULL RETURN x.id AS x
       UNION
       MATCH (h:Imidgraph)<-[a:HAS_PART]-(:Imidgraph)-[b:HAS_PART]->(x:Imidgraph)
       WHERE h IN heads AND a.imidgraph_load IS NOT NULL AND b.imidgraph_load IS NOT NULL RETURN x.id AS x
       UNION
       MATCH (h:Imidgraph)<-[a:TESTED]-(:Imidgraph)-[b:TESTED]->(x:Imidgraph)
       WHERE h IN heads AND a.imidgraph_load IS NOT NULL AND b.imidgraph_load IS NOT NULL RETURN x.id AS x
       UNION
       MATCH (h:Imidgraph)-[u]->(:Imidgraph) WHERE h IN heads AND u.imidgraph_load IS NOT NULL
       UNWIND coalesce(u.q_combined_with, []) AS x RETURN x
       UNION
       MATCH (x:Imidgraph)-[u]->(:Imidgraph)
       WHERE u.imidgraph_load IS NOT NULL AND any(i IN coalesce(u.q_combined_with, []) WHERE i IN [h IN heads | h.id])
       RETURN x.id AS x
     } AS given0
WITH d, t, condition, agent, family, down, up, heads, [x IN given0 WHERE NOT x IN [h IN heads | h.id]] AS given
// asked once, not per path: the classes of the drug and their members (kin), the regimens holding the
// side of the drug (holders: of heads; upholders: of up), and the agents given with it with their
// classes and members (givenkin)
WITH d, t, condition, agent, family, down, up, heads, given,
     COLLECT { MATCH q = (d)-[own6:SUBCLASS_OF WHERE own6.imidgraph_load IS NOT NULL]->(:Imidgraph)<-[:SUBCLASS_OF*0..1]-(p:Imidgraph) WHERE all(x IN relationships(q) WHERE x.imidgraph_load IS NOT NULL) RETURN DISTINCT p } AS kin,
     COLLECT { UNWIND heads AS h MATCH q = (p:Imidgraph)-[:HAS_PART*1..2]->(h) WHERE all(x IN relationships(q) WHERE x.imidgraph_load IS NOT NULL) RETURN DISTINCT p } AS holders,
     COLLECT { UNWIND up AS h MATCH q = (p:Imidgraph)-[:HAS_PART*1..2]->(h) WHERE all(x IN relationships(q) WHERE x.imidgraph_load IS NOT NULL) RETURN DISTINCT p } AS upholders,
     given + COLLECT {
       UNWIND given AS gi MATCH (g:Imidgraph {id: gi}) MATCH q = (p:Imidgraph)-[:SUBCLASS_OF*1..]->(g) WHERE all(x IN relationships(q) WHERE x.imidgraph_load IS NOT NULL) RETURN p.id AS x
       UNION
       UNWIND given AS gi MATCH (g:Imidgraph {id: gi}) MATCH q = (g)-[:SUBCLASS_OF*1..]->(p:Imidgraph) WHERE all(x IN relationships(q) WHERE x.imidgraph_load IS NOT NULL) RETURN p.id AS x
     } AS givenkin,
     // the endings at the family of the target, by the entity they start from: drivers (x contributes to
     // it), lesions (an alteration acting on x contributes to it), uses of the side of the drug via x
     COLLECT { UNWIND family AS f WITH f, f.y AS y MATCH (x:Imidgraph)-[own4:CONTRIBUTES_TO WHERE own4.imidgraph_load IS NOT NULL]->(y) RETURN {x: x, f: f} AS e } AS drivers,
     COLLECT {
       UNWIND family AS f
       WITH f, f.y AS y
       MATCH (x:Imidgraph)<-[a1:INCREASES|DECREASES WHERE a1.imidgraph_load IS NOT NULL]-(a:Imidgraph&GenomicAlteration)-[own5:CONTRIBUTES_TO WHERE own5.imidgraph_load IS NOT NULL]->(y)
       RETURN {x: x, a: a, p: a1.predicate, f: f} AS e
     } AS lesions,
     COLLECT {
       UNWIND heads AS h
       MATCH (h)-[u:APPROVED_FOR|STUDIED_CLINICALLY_FOR|ACTIVE_PRECLINICALLY_IN|HAS_SIDE_EFFECT WHERE u.imidgraph_load IS NOT NULL]->(y:Imidgraph) WHERE y.id IN down
       UNWIND coalesce(u.q_via, []) AS v
       RETURN DISTINCT [h.id, v] AS e
     } AS usedvia
CALL (d) {
  RETURN [d] AS hn, [] AS hf
  UNION
  MATCH q = (d)-[:SUBCLASS_OF*1..3]->(k:Imidgraph)
  WHERE all(x IN relationships(q) WHERE x.imidgraph_load IS NOT NULL)
    AND NOT EXISTS { MATCH q2 = (d)-[:SUBCLASS_OF*1..3]->(k) WHERE length(q2) < length(q) AND all(x IN relationships(q2) WHERE x.imidgraph_load IS NOT NULL) }
  RETURN DISTINCT nodes(q) AS hn, [x IN relationships(q) | true] AS hf
  UNION
  MATCH q = (d)<-[:SUBCLASS_OF*1..3]-(k:Imidgraph)
  WHERE d:DrugClass AND all(x IN relationships(q) WHERE x.imidgraph_load IS NOT NULL)
    AND NOT EXISTS { MATCH q2 = (d)<-[:SUBCLASS_OF*1..3]-(k) WHERE length(q2) < length(q) AND all(x IN relationships(q2) WHERE x.imidgraph_load IS NOT NULL) }
  RETURN DISTINCT nodes(q) AS hn, [x IN relationships(q) | false] AS hf
}
WITH d, t, condition, agent, family, down, up, heads, given, kin, holders, upholders, givenkin, drivers, lesions, usedvia, hn, hf, last(hn) AS s
MATCH chain = (s)-[:BINDS|DEGRADES|INCREASES|DECREASES|MEDIATES*0..3]->(m:Imidgraph)
WHERE all(x IN relationships(chain) WHERE x.imidgraph_load IS NOT NULL)
// one row per chain of distinct entities and predicates (parallel relations say the same)
WITH DISTINCT d, t, condition, agent, family, down, up, heads, given, kin, holders, upholders, givenkin, drivers, lesions, usedvia, s, m, length(chain) AS k, hf,
     hn + tail(nodes(chain)) AS cn,
     [x IN range(2, size(hn)) | 'subclass_of'] + [r IN relationships(chain) | r.predicate] AS cp
WHERE all(i IN range(0, size(cn) - 2) WHERE NOT cn[i] IN cn[i + 1..])
CALL (d, t, condition, agent, family, down, up, heads, given, kin, holders, upholders, givenkin, drivers, lesions, usedvia, s, m, k, cn, cp) {
  WITH * WHERE condition AND k >= 1
  UNWIND drivers AS e
  WITH * WHERE e.x = m
  RETURN DISTINCT 'driver' AS kind, [e.f.y] + e.f.tn AS en, ['contributes_to'] + e.f.tp AS ep, [true] + e.f.tf AS ef
  UNION
  WITH * WHERE condition AND k >= 1
  UNWIND lesions AS e
  WITH * WHERE e.x = m
  RETURN DISTINCT 'lesion' AS kind, [e.a, e.f.y] + e.f.tn AS en, [e.p, 'contributes_to'] + e.f.tp AS ep,
         [false, true] + e.f.tf AS ef
  UNION
  WITH * WHERE condition AND k >= 1
    AND (EXISTS { MATCH (a:Imidgraph)-[r]->(m) WHERE a = cn[size(cn) - 2] AND r.predicate = last(cp) AND r.imidgraph_load IS NOT NULL AND r.q_disease_context IN down }
      OR [s.id, m.id] IN usedvia)
  RETURN 'observed' AS kind, [t] AS en, ['observed_in'] AS ep, [true] AS ef
  UNION
  WITH * WHERE k >= 1
  MATCH (m)<-[c:INCREASES|DECREASES|BINDS|DEGRADES WHERE c.imidgraph_load IS NOT NULL]-(p:Imidgraph&(Drug|Treatment|DrugClass))
  WHERE NOT p IN kin AND NOT EXISTS { (p)-[own7:SUBCLASS_OF WHERE own7.imidgraph_load IS NOT NULL]->(d) }
    // for a disease, a real partner: given with the drug (itself, a class or a member of it), no regimen holding the drug
    AND (NOT condition OR (
      NOT p IN holders AND p.id IN givenkin))
  WITH DISTINCT d, t, condition, agent, family, kin, holders, p, c.predicate AS pa
  CALL (p, condition, agent, family, d, kin, holders) {
    WITH * WHERE condition
    MATCH (p)-[u:APPROVED_FOR|STUDIED_CLINICALLY_FOR|ACTIVE_PRECLINICALLY_IN WHERE u.imidgraph_load IS NOT NULL]->(y)
    UNWIND [f IN family WHERE f.y = y] AS f
    RETURN DISTINCT [y] + f.tn AS pn, [u.predicate] + f.tp AS pp, [true] + f.tf AS pf
    UNION
    WITH * WHERE condition
    MATCH (p)<-[own8:SUBCLASS_OF WHERE own8.imidgraph_load IS NOT NULL]-(p2:Imidgraph)-[u:APPROVED_FOR|STUDIED_CLINICALLY_FOR|ACTIVE_PRECLINICALLY_IN WHERE u.imidgraph_load IS NOT NULL]->(y)
    WHERE NOT p2 IN kin AND p2 <> d AND NOT p2 IN holders
    UNWIND [f IN family WHERE f.y = y] AS f
    RETURN DISTINCT [p2, y] + f.tn AS pn, ['subclass_of', u.predicate] + f.tp AS pp, [false, true] + f.tf AS pf
    UNION
    WITH * WHERE agent
    UNWIND family AS f
    WITH * WHERE p = f.y
    RETURN f.tn AS pn, f.tp AS pp, f.tf AS pf
  }
  RETURN 'partner' AS kind, [p] + pn AS en, [pa] + pp AS ep, [false] + pf AS ef
  UNION
  WITH * WHERE k = 0
  MATCH (s)-[own10:POTENTIATES WHERE own10.imidgraph_load IS NOT NULL]->(p:Imidgraph)
  WITH DISTINCT d, t, condition, agent, family, kin, holders, p
  CALL (p, condition, agent, family, d, kin, holders) {
    WITH * WHERE condition
    MATCH (p)-[u:APPROVED_FOR|STUDIED_CLINICALLY_FOR|ACTIVE_PRECLINICALLY_IN WHERE u.imidgraph_load IS NOT NULL]->(y)
    UNWIND [f IN family WHERE f.y = y] AS f
    RETURN DISTINCT [y] + f.tn AS pn, [u.predicate] + f.tp AS pp, [true] + f.tf AS pf
    UNION
    WITH * WHERE condition
    MATCH (p)<-[own11:SUBCLASS_OF WHERE own11.imidgraph_load IS NOT NULL]-(p2:Imidgraph)-[u:APPROVED_FOR|STUDIED_CLINICALLY_FOR|ACTIVE_PRECLINICALLY_IN WHERE u.imidgraph_load IS NOT NULL]->(y)
    WHERE NOT p2 IN kin AND p2 <> d AND NOT p2 IN holders
    UNWIND [f IN family WHERE f.y = y] AS f
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
  MATCH (s)<-[own13:ASSOCIATED_WITH_SENSITIVITY_TO|ASSOCIATED_WITH_RESISTANCE_TO WHERE own13.imidgraph_load IS NOT NULL]-(x:Imidgraph)
  WITH DISTINCT s, family, down, t, x, own13.predicate AS mp
  CALL (s, family, down, t, x, mp) {
    MATCH (x)-[own14:CONTRIBUTES_TO WHERE own14.imidgraph_load IS NOT NULL]->(y)
    UNWIND [f IN family WHERE f.y = y] AS f
    RETURN DISTINCT [y] + f.tn AS xn, ['contributes_to'] + f.tp AS xp, [true] + f.tf AS xf
    UNION
    MATCH (x)<-[a1:INCREASES|DECREASES WHERE a1.imidgraph_load IS NOT NULL]-(a:Imidgraph&GenomicAlteration)-[own15:CONTRIBUTES_TO WHERE own15.imidgraph_load IS NOT NULL]->(y)
    UNWIND [f IN family WHERE f.y = y] AS f
    RETURN DISTINCT [a, y] + f.tn AS xn, [a1.predicate, 'contributes_to'] + f.tp AS xp, [false, true] + f.tf AS xf
    UNION
    WITH * WHERE EXISTS { MATCH (x)-[r]->(s) WHERE r.predicate = mp AND r.imidgraph_load IS NOT NULL AND r.q_disease_context IN down }
    RETURN [t] AS xn, ['observed_in'] AS xp, [true] AS xf
  }
  RETURN CASE mp WHEN 'associated_with_sensitivity_to' THEN 'sensitivity' ELSE 'resistance' END AS kind,
         [x] + xn AS en, [mp] + xp AS ep, [false] + xf AS ef
  UNION
  WITH * WHERE agent AND k = 0
  MATCH (s)<-[h1:HAS_PART WHERE h1.imidgraph_load IS NOT NULL]-(r:Imidgraph&Treatment)-[h2:HAS_PART WHERE h2.imidgraph_load IS NOT NULL]->(y)
  WHERE EXISTS { (r)-[u:APPROVED_FOR|STUDIED_CLINICALLY_FOR WHERE u.imidgraph_load IS NOT NULL]->(:Imidgraph) }
  UNWIND [f IN family WHERE f.y = y] AS f
  RETURN DISTINCT 'trial' AS kind, [r, y] + f.tn AS en, ['has_part', 'has_part'] + f.tp AS ep, [false, true] + f.tf AS ef
  UNION
  WITH * WHERE agent AND k = 0
  UNWIND family AS f
  WITH *, f.y AS y WHERE y <> s
    AND (EXISTS { MATCH (y)-[u:APPROVED_FOR|STUDIED_CLINICALLY_FOR WHERE u.imidgraph_load IS NOT NULL]->(:Imidgraph) WHERE s.id IN coalesce(u.q_combined_with, []) }
      OR EXISTS { MATCH (s)-[u:APPROVED_FOR|STUDIED_CLINICALLY_FOR WHERE u.imidgraph_load IS NOT NULL]->(:Imidgraph) WHERE f.y.id IN coalesce(u.q_combined_with, []) })
  RETURN 'trial' AS kind, [f.y] + f.tn AS en, ['tested_with'] + f.tp AS ep, [true] + f.tf AS ef
  UNION
  WITH * WHERE NOT condition AND NOT agent AND k >= 1
  UNWIND family AS f
  WITH * WHERE m = f.y AND all(x IN f.tf WHERE x)
  RETURN 'reach' AS kind, f.tn AS en, f.tp AS ep, f.tf AS ef
  UNION
  WITH * WHERE k = 0 AND s = d
  UNWIND family AS f
  WITH *, f.y AS y
  MATCH (x:Imidgraph)-[u:APPROVED_FOR|STUDIED_CLINICALLY_FOR|ACTIVE_PRECLINICALLY_IN|HAS_SIDE_EFFECT WHERE u.imidgraph_load IS NOT NULL]->(y)
  WHERE (x IN up
      OR x IN upholders
      OR any(i IN coalesce(u.q_combined_with, []) WHERE i IN [h IN up | h.id]))
  RETURN DISTINCT 'use' AS kind, [x, y] + f.tn AS en, [u.predicate] + f.tp AS ep, [true] + f.tf AS ef
}
WITH kind, CASE kind WHEN 'use' THEN en ELSE cn + en END AS ns, cp + ep AS predicates, hf + [x IN range(size(hf), size(cp) - 1) | true] + ef AS forward
WHERE all(i IN range(0, size(ns) - 2) WHERE NOT ns[i] IN ns[i + 1..])
RETURN DISTINCT kind, [n IN ns | n.id] AS node_ids, predicates, forward
ORDER BY kind, node_ids, predicates, forward
