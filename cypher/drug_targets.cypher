// name: drug_targets
// description: A drug's direct targets (binds) and the neosubstrates it degrades, with mediators, comparisons and context.
// param: drug (entity) = lenalidomide | the drug: a name, synonym or CURIE
// columns: relation, target, via, more_than, not_with, cell_context, disease_context, species, evidence, source, section, relation_id
MATCH (d:Imidgraph {id: $drug})-[r:BINDS|DEGRADES WHERE r.imidgraph_load IS NOT NULL]->(t:Imidgraph)
RETURN r.predicate AS relation,
       t.name AS target,
       COLLECT { MATCH (x:Imidgraph) WHERE x.id IN coalesce(r.q_via, []) RETURN x.name ORDER BY x.name } AS via,
       COLLECT { MATCH (x:Imidgraph) WHERE x.id IN coalesce(r.q_more_than, []) RETURN x.name ORDER BY x.name } AS more_than,
       COLLECT { MATCH (x:Imidgraph) WHERE x.id IN coalesce(r.q_not_with, []) RETURN x.name ORDER BY x.name } AS not_with,
       head(COLLECT { MATCH (x:Imidgraph {id: r.q_cell_context}) RETURN x.name }) AS cell_context,
       head(COLLECT { MATCH (x:Imidgraph {id: r.q_disease_context}) RETURN x.name }) AS disease_context,
       r.q_species AS species,
       r.evidence AS evidence,
       r.source AS source,
       r.section AS section,
       r.id AS relation_id
ORDER BY relation, target, relation_id
