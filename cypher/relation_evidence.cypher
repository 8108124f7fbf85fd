// name: relation_evidence
// description: The evidence behind a statement: every relation subject -predicate-> object, with its qualifiers, level, citation, primary studies and paraphrase.
// param: subject (entity) = lenalidomide | the subject
// param: predicate (predicate) = degrades | the predicate (see docs/curation.md)
// param: object (entity) = CSNK1A1 | the object
// columns: aspect, species, cell_context, disease_context, location, via, combined_with, more_than, not_with, crbn_dependence, setting, regulator, approval, year, trial, phase, outcome, model, detail, in_trial, arm, direction, value, ligand, effect_on, alternative_to, inclusion, mentions, in_regimen, correlation, paraphrase, evidence, source, source_doi, section, refs, primary_dois, relation_id
MATCH (s:Imidgraph {id: $subject})-[r]->(o:Imidgraph {id: $object})
WHERE r.predicate = $predicate AND r.imidgraph_load IS NOT NULL
RETURN r.q_aspect AS aspect,
       r.q_species AS species,
       head(COLLECT { MATCH (x:Imidgraph {id: r.q_cell_context}) RETURN x.name }) AS cell_context,
       head(COLLECT { MATCH (x:Imidgraph {id: r.q_disease_context}) RETURN x.name }) AS disease_context,
       COLLECT { MATCH (x:Imidgraph) WHERE x.id IN coalesce(r.q_location, []) RETURN x.name ORDER BY x.name } AS location,
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
       head(COLLECT { MATCH (x:Imidgraph {id: r.q_in_trial}) RETURN x.name }) AS in_trial,
       r.q_arm AS arm,
       r.q_direction AS direction,
       r.q_value AS value,
       COLLECT { MATCH (x:Imidgraph) WHERE x.id IN coalesce(r.q_ligand, []) RETURN x.name ORDER BY x.name } AS ligand,
       head(COLLECT { MATCH (x:Imidgraph {id: r.q_effect_on}) RETURN x.name }) AS effect_on,
       COLLECT { MATCH (x:Imidgraph) WHERE x.id IN coalesce(r.q_alternative_to, []) RETURN x.name ORDER BY x.name } AS alternative_to,
       r.q_inclusion AS inclusion,
       COLLECT { MATCH (x:Imidgraph) WHERE x.id IN coalesce(r.q_mentions, []) RETURN x.name ORDER BY x.name } AS mentions,
       head(COLLECT { MATCH (x:Imidgraph {id: r.q_in_regimen}) RETURN x.name }) AS in_regimen,
       r.q_correlation AS correlation,
       r.paraphrase AS paraphrase,
       r.evidence AS evidence,
       r.source AS source,
       r.source_doi AS source_doi,
       r.section AS section,
       coalesce(r.refs, []) AS refs,
       coalesce(r.primary_dois, []) AS primary_dois,
       r.id AS relation_id
ORDER BY relation_id
