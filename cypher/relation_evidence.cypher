// name: relation_evidence
// description: The evidence behind a statement: every relation subject -predicate-> object, with its level, citation, primary studies and paraphrase.
// param: subject (entity) = lenalidomide | the subject
// param: predicate (predicate) = degrades | the predicate (see docs/curation.md)
// param: object (entity) = CSNK1A1 | the object
// columns: evidence, source, source_doi, section, refs, primary_dois, detail, paraphrase, relation_id
MATCH (s:Imidgraph {id: $subject})-[r]->(o:Imidgraph {id: $object})
WHERE r.predicate = $predicate AND r.imidgraph_load IS NOT NULL
RETURN r.evidence AS evidence,
       r.source AS source,
       r.source_doi AS source_doi,
       r.section AS section,
       coalesce(r.refs, []) AS refs,
       coalesce(r.primary_dois, []) AS primary_dois,
       r.q_detail AS detail,
       r.paraphrase AS paraphrase,
       r.id AS relation_id
ORDER BY relation_id
