// name: drug_uses
// description: Uses of a drug, alone or in a regimen: approved (regulator, year, setting, partners), studied in trials, active preclinically.
// param: drug (entity) = lenalidomide | the drug
// columns: use, disease, regimen, combined_with, regulator, year, setting, phase, trial, evidence, source, section, relation_id
MATCH (d:Imidgraph {id: $drug})
MATCH (t:Imidgraph)-[r:APPROVED_FOR|STUDIED_CLINICALLY_FOR|ACTIVE_PRECLINICALLY_IN WHERE r.imidgraph_load IS NOT NULL]->(x:Imidgraph)
WHERE t = d OR EXISTS { (t)-[h:HAS_PART WHERE h.imidgraph_load IS NOT NULL]->(d) }
RETURN r.predicate AS use,
       x.name AS disease,
       CASE WHEN t = d THEN null ELSE t.name END AS regimen,
       COLLECT { MATCH (c:Imidgraph) WHERE c.id IN coalesce(r.q_combined_with, []) RETURN c.name ORDER BY c.name } AS combined_with,
       r.q_regulator AS regulator,
       r.q_year AS year,
       r.q_setting AS setting,
       r.q_phase AS phase,
       r.q_trial AS trial,
       r.evidence AS evidence,
       r.source AS source,
       r.section AS section,
       r.id AS relation_id
ORDER BY use, disease, regimen, relation_id
