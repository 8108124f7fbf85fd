"""Every kind of bad input gives a problem naming file, line and field; nothing is built."""

from __future__ import annotations

import pytest

from imidgraph import InvalidSeeds, load
from imidgraph.facts import read_seeds
from imidgraph.validate import read_source_texts, validate


def problems_of(root, texts=None) -> list[str]:
    return [str(p) for p in validate(read_seeds(root), texts)]


def only_problem(root) -> str:
    problems = problems_of(root)
    assert len(problems) == 1, problems
    return problems[0]


def test_tiny_seeds_are_valid(tiny):
    assert problems_of(tiny()) == []


def test_yaml_syntax_error_names_file_and_line(tiny):
    root = tiny("relations/mechanism.yaml", "  predicate: binds\n", "  predicate: [binds\n")
    problem = only_problem(root)
    assert problem.startswith("seeds/relations/mechanism.yaml:")
    assert "YAML syntax error" in problem


def test_file_that_is_not_a_list(tiny):
    root = tiny("relations/extra.yaml", None, "subject: lenalidomide\n")
    assert only_problem(root) == "seeds/relations/extra.yaml:1: expected a list of records"


def test_duplicate_key_in_a_record(tiny):
    root = tiny("relations/mechanism.yaml", "  object: CRBN\n", "  object: CRBN\n  object: CRBN\n")
    assert only_problem(root) == "seeds/relations/mechanism.yaml:4: field 'object': duplicate key in record"


def test_unknown_field_suggests_the_right_one(tiny):
    root = tiny("relations/mechanism.yaml", "  evidence: in_vitro\n  source: review\n  section: \"2.2",
                "  evidence: in_vitro\n  sources: review\n  source: review\n  section: \"2.2")  # fmt: skip
    assert only_problem(root) == (
        "seeds/relations/mechanism.yaml:5: field 'sources': unknown field (did you mean 'source'?)"
    )


def test_missing_required_field(tiny):
    root = tiny("relations/mechanism.yaml", "  paraphrase: Lenalidomide sits in a pocket of cereblon.\n", "")
    assert only_problem(root) == "seeds/relations/mechanism.yaml:1: missing required field 'paraphrase'"


def test_duplicate_entity_id(tiny):
    root = tiny("entities/drugs.yaml", "- id: CHEBI:72690", "- id: CHEBI:63791")
    problems = problems_of(root)
    assert problems[0] == (
        "seeds/entities/drugs.yaml:6: field 'id': duplicate entity id 'CHEBI:63791' (also 'lenalidomide')"
    )


def test_duplicate_entity_name(tiny):
    root = tiny("entities/drugs.yaml", "  name: pomalidomide", "  name: lenalidomide")
    assert "seeds/entities/drugs.yaml:7: field 'name': duplicate entity name 'lenalidomide'" in problems_of(
        root
    )


def test_synonym_that_names_another_entity(tiny):
    root = tiny("entities/drugs.yaml", "synonyms: [CC-4047]", "synonyms: [CC-4047, CC5013]")
    assert problems_of(root) == [
        "seeds/entities/drugs.yaml:9: field 'synonyms': 'cc5013' already names entity 'lenalidomide'",
        "seeds/relations/mechanism.yaml:11: field 'qualifiers': entity 'pomalidomide' is invalid (see its own problem)",
    ]


def test_malformed_curie(tiny):
    root = tiny("entities/drugs.yaml", "- id: CHEBI:63791", "- id: CHEBI 63791")
    assert problems_of(root)[0] == (
        "seeds/entities/drugs.yaml:1: field 'id': malformed CURIE 'CHEBI 63791' (expected PREFIX:LOCAL)"
    )


def test_unknown_curie_prefix(tiny):
    root = tiny("entities/drugs.yaml", "- id: CHEBI:63791", "- id: DRUGBANK:DB00480")
    assert problems_of(root)[0] == (
        "seeds/entities/drugs.yaml:1: field 'id': unknown CURIE prefix 'DRUGBANK' in 'DRUGBANK:DB00480'"
    )


def test_wrong_local_part_for_prefix(tiny):
    root = tiny("entities/biology.yaml", "- id: HGNC:30185", "- id: HGNC:CRBN")
    assert (
        problems_of(root)[0]
        == "seeds/entities/biology.yaml:1: field 'id': malformed HGNC identifier 'HGNC:CRBN'"
    )


def test_vocabulary_not_for_that_category(tiny):
    root = tiny("entities/biology.yaml", "- id: HGNC:30185", "- id: CHEBI:30185")
    assert (
        problems_of(root)[0]
        == "seeds/entities/biology.yaml:1: field 'id': CHEBI is not a vocabulary for Gene (HGNC)"
    )


def test_unknown_category(tiny):
    root = tiny("entities/drugs.yaml", "  category: DrugClass", "  category: DrugClas")
    assert problems_of(root)[0] == (
        "seeds/entities/drugs.yaml:13: field 'category': unknown category 'DrugClas' (did you mean 'DrugClass'?)"
    )


def test_gene_without_uniprot_xref(tiny):
    root = tiny("entities/biology.yaml", "  xrefs: [UniProtKB:Q96SW2]\n", "")
    assert problems_of(root)[0] == (
        "seeds/entities/biology.yaml:1: field 'xrefs': a Gene needs its UniProtKB cross-reference"
    )


def test_unverified_identifier_needs_a_note(tiny):
    root = tiny("entities/drugs.yaml", "  note: test entity; identifier made up for the tiny fixture\n", "")
    assert only_problem(root) == (
        "seeds/entities/drugs.yaml:11: field 'note': an unverified identifier needs a note saying why"
    )


def test_relation_to_missing_entity(tiny):
    root = tiny("relations/mechanism.yaml", "  object: CRBN\n", "  object: CRBN2\n")
    assert (
        only_problem(root)
        == "seeds/relations/mechanism.yaml:3: field 'object': unknown entity 'CRBN2' (close: CRBN)"
    )


def test_relation_by_synonym_is_refused_with_a_hint(tiny):
    root = tiny("relations/mechanism.yaml", "  object: CRBN\n", "  object: cereblon\n")
    assert only_problem(root) == (
        "seeds/relations/mechanism.yaml:3: field 'object': unknown entity 'cereblon' "
        "(a synonym of 'CRBN': use its name or id)"
    )


def test_relation_by_curie_is_accepted(tiny):
    root = tiny("relations/mechanism.yaml", "  object: CRBN\n", "  object: HGNC:30185\n")
    assert problems_of(root) == []


def test_unknown_predicate(tiny):
    root = tiny("relations/mechanism.yaml", "  predicate: binds\n", "  predicate: bind\n")
    assert only_problem(root) == (
        "seeds/relations/mechanism.yaml:2: field 'predicate': unknown predicate 'bind' (did you mean 'binds'?)"
    )


def test_predicate_not_allowed_between_categories(tiny):
    root = tiny(
        "relations/mechanism.yaml", "  predicate: binds\n  object: CRBN", "  predicate: binds\n  object: IMiD"
    )
    assert only_problem(root) == (
        "seeds/relations/mechanism.yaml:2: field 'predicate': 'binds' is not allowed from Drug to DrugClass "
        "(lenalidomide -> IMiD)"
    )


def test_unknown_source(tiny):
    root = tiny("relations/mechanism.yaml", "  source: abstract\n", "  source: abstrakt\n")
    assert (
        only_problem(root) == "seeds/relations/mechanism.yaml:39: field 'source': unknown source 'abstrakt'"
    )


def test_missing_source_doi_without_note(tiny):
    root = tiny("sources.yaml", "  doi: 10.1000/abstract.2012\n", "")
    assert only_problem(root) == (
        "seeds/sources.yaml:6: field 'doi': missing DOI: give it, or a note saying why it is unknown"
    )


def test_unknown_evidence_level(tiny):
    root = tiny("relations/mechanism.yaml", "  evidence: in_vitro\n", "  evidence: invitro\n")
    problem = only_problem(root)
    assert problem.startswith(
        "seeds/relations/mechanism.yaml:4: field 'evidence': unknown evidence level 'invitro'"
    )


def test_unknown_qualifier(tiny):
    root = tiny("relations/mechanism.yaml", "    more_than: [pomalidomide]", "    more_then: [pomalidomide]")
    assert only_problem(root) == (
        "seeds/relations/mechanism.yaml:11: field 'qualifiers.more_then': unknown qualifier (did you mean 'more_than'?)"
    )


def test_qualifier_value_outside_its_enumeration(tiny):
    root = tiny("relations/mechanism.yaml", "{regulator: FDA}", "{regulator: EMA}")
    assert (
        only_problem(root)
        == "seeds/relations/mechanism.yaml:37: field 'qualifiers.regulator': 'EMA' is not one of FDA"
    )


def test_qualifier_naming_a_missing_entity(tiny):
    root = tiny("relations/mechanism.yaml", "    via: [CRBN]", "    via: [CRBM]")
    assert (
        only_problem(root)
        == "seeds/relations/mechanism.yaml:11: field 'qualifiers': unknown entity 'CRBM' (close: CRBN)"
    )


def test_increase_of_a_gene_needs_an_aspect(tiny):
    root = tiny("relations/mechanism.yaml", "  qualifiers: {aspect: gene_dosage}\n", "")
    assert only_problem(root) == (
        "seeds/relations/mechanism.yaml:19: field 'qualifiers': 'decreases' on a Gene needs an aspect qualifier"
    )


def test_reference_numbers_only_for_a_numbered_source(tiny):
    root = tiny(
        "relations/mechanism.yaml",
        "  section: Abstract\n  paraphrase: The FDA",
        "  section: Abstract\n  refs: [3]\n  paraphrase: The FDA",
    )
    assert only_problem(root) == (
        "seeds/relations/mechanism.yaml:41: field 'refs': source 'abstract' has no numbered reference list"
    )


def test_duplicate_relation(tiny):
    text = (tiny() / "relations" / "mechanism.yaml").read_text()
    first = text.split("\n- ")[0]
    root = tiny("relations/again.yaml", None, first + "\n")
    assert only_problem(root) == (
        "seeds/relations/mechanism.yaml:1: duplicate relation (same as seeds/relations/again.yaml:1)"
    )


def test_paraphrase_copied_from_the_source(tiny):
    root = tiny(
        "relations/mechanism.yaml",
        "Lenalidomide removes CK1α better than pomalidomide does.",
        "Lenalidomide degrades casein kinase one alpha far more efficiently than the other drugs.",
    )
    texts = read_source_texts(read_seeds(root), root)
    problems = problems_of(root, texts)
    assert len(problems) == 1
    assert problems[0].startswith(
        "seeds/relations/mechanism.yaml:18: field 'paraphrase': repeats the source's wording"
    )


def test_nothing_is_built_from_invalid_seeds(tiny):
    root = tiny("relations/mechanism.yaml", "  predicate: binds\n", "  predicate: bind\n")
    with pytest.raises(InvalidSeeds) as caught:
        load(root)
    assert len(caught.value.problems) == 1


def test_every_problem_is_reported_not_just_the_first(tiny):
    root = tiny("relations/mechanism.yaml", "  predicate: binds\n", "  predicate: bind\n")
    root = tiny("entities/drugs.yaml", "- id: CHEBI:63791", "- id: CHEBI 63791")
    assert len(problems_of(root)) >= 3  # the entity, and every relation that needed it
