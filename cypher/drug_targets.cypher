// name: drug_targets
// description: A drug's direct targets (binds) and the neosubstrates it degrades, with mediators, comparisons, context, CRBN dependence and the citation of each.
// param: drug (entity) = lenalidomide | the drug: a name, synonym or CURIE
// columns: relation, target, aspect, species, cell_context, disease_context, via, combined_with, more_than, not_with, crbn_dependence, setting, regulator, approval, year, trial, phase, outcome, model, detail, paraphrase, evidence, source, source_doi, section, refs, primary_dois, relation_id
MATCH (d:Imidgraph {id: $drug})-[r:BINDS|DEGRADES WHERE r.imidgraph_load IS NOT NULL]->(t:Imidgraph)
RETURN r.predicate AS relation,
       t.name AS target,
       r.q_aspect AS aspect,
       r.q_species AS species,
       head(COLLECT { MATCH (x:Imidgraph {id: r.q_cell_context}) RETURN x.name }) AS cell_context,
       head(COLLECT { MATCH (x:Imidgraph {id: r.q_disease_context}) RETURN x.name }) AS disease_context,
       COLLECT { MATCH (x:Imidgraph) WHERE x.id IN coalesce(r.q_via, []) RETURN x.name ORDER BY x.name } AS via,
       COLLECT { MATCH (x:Imidgraph) WHERE x.id IN coalesce(r.q_combined_with, []) RETURN x.name ORDER BY x.name } AS combined_with,
       COLLECT { MATCH (x:Imidgraph) WHERE x.id IN coalesce(r.q_more_than, []) RETURN x.name ORDER BY x.name } AS more_than,
       COLLECT { MATCH (x:Imidgraph) WHERE x.id IN coalesce(r.q_not_with, []) RETURN x.name ORDER BY x.name } AS not_with,
       r.q_crbn_dependence AS crbn_dependence,
       r.q_setting AS setting,
       r.q_regulator AS regulator,
       r.q_approval AS approval,
       r.q_year AS year,
       r.q_trial AS trial,
       r.q_phase AS phase,
       r.q_outcome AS outcome,
       r.q_model AS model,
       r.q_detail AS detail,
       r.paraphrase AS paraphrase,
       r.evidence AS evidence,
       r.source AS source,
       r.source_doi AS source_doi,
       r.section AS section,
       r.refs AS refs,
       r.primary_dois AS primary_dois,
       r.id AS relation_id
ORDER BY relation, target, relation_id
