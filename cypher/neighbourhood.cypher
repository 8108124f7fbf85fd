// name: neighbourhood
// description: Every relation of an entity, both directions, one step, with its qualifiers and citation: what to look at in Neo4j Browser.
// param: entity (entity) = CRBN | the entity
// columns: subject, relation, object, neighbour, neighbour_category, aspect, species, cell_context, disease_context, via, combined_with, more_than, not_with, crbn_dependence, setting, regulator, approval, year, trial, phase, outcome, model, detail, paraphrase, evidence, source, source_doi, section, refs, primary_dois, relation_id
MATCH (n:Imidgraph {id: $entity})-[r WHERE r.imidgraph_load IS NOT NULL]-(m:Imidgraph)
RETURN DISTINCT startNode(r).name AS subject,
       r.predicate AS relation,
       endNode(r).name AS object,
       m.name AS neighbour,
       m.category AS neighbour_category,
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
ORDER BY subject, relation, object, relation_id
