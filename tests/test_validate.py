"""Every kind of bad input gives a problem naming file, line and field; nothing is built."""

from __future__ import annotations

import shutil

import pytest

from imidgraph import InvalidSeeds, load
from imidgraph.facts import read_seeds
from imidgraph.validate import load_facts, read_source_texts, validate


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
    assert problems_of(root) == [  # one problem naming both places
        "seeds/entities/drugs.yaml:6: field 'id': duplicate entity id 'CHEBI:63791': 'pomalidomide' here, "
        "'lenalidomide' at seeds/entities/drugs.yaml:1",
        "seeds/relations/mechanism.yaml:11: field 'qualifiers': entity 'pomalidomide' is invalid (see its own problem)",
    ]


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
    root = tiny("entities/drugs.yaml", "- id: CHEBI:63791", "- id: KEGG.DRUG:D04687")
    assert problems_of(root)[0] == (
        "seeds/entities/drugs.yaml:1: field 'id': unknown CURIE prefix 'KEGG.DRUG' in 'KEGG.DRUG:D04687'"
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


def test_favourable_change_only_on_an_endpoint_and_from_its_values(tiny):
    root = tiny(
        "entities/biology.yaml", "  xrefs: [UniProtKB:Q96SW2]\n  verified: true",
        "  xrefs: [UniProtKB:Q96SW2]\n  verified: true\n  favourable: increased",
    )
    assert problems_of(root)[0] == (
        "seeds/entities/biology.yaml:7: field 'favourable': only a ClinicalEndpoint says which change of it is favourable"
    )
    root = tiny(
        "entities/biology.yaml", "- id: HGNC:30185",
        "- id: NCIT:C28554\n  name: death\n  category: ClinicalEndpoint\n  verified: false\n"
        "  note: test endpoint\n  favourable: lower\n- id: HGNC:30185",
    )
    assert problems_of(root)[0] == (
        "seeds/entities/biology.yaml:6: field 'favourable': expected one of increased, decreased, got 'lower'"
    )


def test_an_ncit_id_on_a_drug_is_refused_as_biolink_does(tiny):
    root = tiny("entities/drugs.yaml", "- id: CHEBI:63791", "- id: NCIT:C63791")
    assert problems_of(root)[0] == (
        "seeds/entities/drugs.yaml:1: field 'id': NCIT is not a vocabulary for Drug (CHEBI, DRUGBANK, PUBCHEM.COMPOUND)"
    )
    assert problems_of(tiny("entities/drugs.yaml", "- id: NCIT:C63791", "- id: DRUGBANK:DB00480")) == []


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


# -- text that reaches a terminal, a page or Cypher ------------------------------------------


def test_control_and_invisible_characters_in_names_and_synonyms(tiny):
    root = tiny("entities/drugs.yaml", "  name: lenalidomide", '  name: "lenalidomide\\e[2J"')
    root = tiny(
        "entities/drugs.yaml", "synonyms: [CC-4047]", 'synonyms: ["CC-4047\\n", "po\\u200bmalidomide"]'
    )
    root = tiny("entities/biology.yaml", "synonyms: [cereblon]", 'synonyms: ["cereblon\\u202e"]')
    problems = problems_of(root)
    assert (
        "seeds/entities/drugs.yaml:2: field 'name': control character U+001B ESCAPE not allowed" in problems
    )
    assert (
        "seeds/entities/drugs.yaml:9: field 'synonyms': control character U+000A LINE FEED not allowed"
        in problems
    )
    assert (
        "seeds/entities/biology.yaml:4: field 'synonyms': invisible character U+202E RIGHT-TO-LEFT OVERRIDE not allowed"
        in problems
    )
    assert all(p.isprintable() for p in problems)


def test_look_alike_letters_in_names_but_greek_as_biology_writes_it(tiny):
    root = tiny(
        "entities/biology.yaml", "synonyms: [CK1α, casein", "synonyms: [CK1α, TNF-α, IFN-γ, NF-κB, casein"
    )
    assert problems_of(root) == []  # Greek letters used as Greek stay valid
    root = tiny("entities/drugs.yaml", "synonyms: [CC-4047]", "synonyms: [CC-4047, pomalid\u043emide]")
    assert problems_of(root) == [
        "seeds/entities/drugs.yaml:9: field 'synonyms': 'о' is U+043E CYRILLIC SMALL LETTER O, which looks "
        "like the Latin letter 'o': write 'pomalidomide'",
        "seeds/relations/mechanism.yaml:11: field 'qualifiers': entity 'pomalidomide' is invalid (see its own problem)",
    ]


def test_names_that_look_the_same_are_one_name(tiny):
    root = tiny("entities/drugs.yaml", "synonyms: [CC-4047]", "synonyms: [CC-4047, lenalid\u03bfmide]")
    assert (
        "seeds/entities/drugs.yaml:9: field 'synonyms': 'lenalidomide' already names entity 'lenalidomide'"
        in (problems_of(root))
    )
    root = tiny(
        "entities/drugs.yaml", "synonyms: [CC-4047, lenalid\u03bfmide]", "synonyms: [CC-4047, lenalidornide]"
    )
    assert problems_of(root)[0] == (
        "seeds/entities/drugs.yaml:9: field 'synonyms': 'lenalidornide' looks the same as 'lenalidomide', "
        "a name of entity 'lenalidomide'"
    )


def test_name_length_limit(tiny):
    long = "a" * 201
    root = tiny("entities/drugs.yaml", "synonyms: [CC-4047]", f"synonyms: [CC-4047, {long}]")
    assert problems_of(root)[0] == (
        "seeds/entities/drugs.yaml:9: field 'synonyms': too long (201 characters; at most 200)"
    )


def test_identifiers_are_ascii(tiny):
    root = tiny("entities/drugs.yaml", "- id: CHEBI:72690", "- id: CHEBI:\u0667\u0662\u0666\u0669\u0660")
    assert problems_of(root)[0] == (
        "seeds/entities/drugs.yaml:6: field 'id': an identifier is printable ASCII without spaces, got 'CHEBI:٧٢٦٩٠'"
    )


def test_short_fields_are_one_line_and_prose_folds_its_line_breaks(tiny):
    root = tiny("relations/mechanism.yaml", '  section: "2.2 Mechanism of action"\n  paraphrase: Lenalidomide sits',
                '  section: "2.2 Mechanism\\nof action"\n  paraphrase: Lenalidomide sits')  # fmt: skip
    root = tiny("relations/mechanism.yaml", "{regulator: FDA}", '{regulator: FDA, trial: "MAIA\\e]8;;"}')
    root = tiny(
        "entities/drugs.yaml", "  note: test entity;", "  note: |-\n    test\tentity\n    on two lines;"
    )
    assert problems_of(root) == [
        "seeds/relations/mechanism.yaml:6: field 'section': control character U+000A LINE FEED not allowed",
        "seeds/relations/mechanism.yaml:37: field 'qualifiers.trial': control character U+001B ESCAPE not allowed",
    ]
    root = tiny("relations/mechanism.yaml", '"2.2 Mechanism\\nof action"', '"2.2 Mechanism of action"')
    root = tiny("relations/mechanism.yaml", '"MAIA\\e]8;;"', "MAIA")
    (drug,) = [e for e in load_facts(root).entities.values() if e.name == "IMiD"]
    assert drug.note == "test entity on two lines; identifier made up for the tiny fixture"


def test_problems_print_what_they_quote_safely(tiny):
    root = tiny(
        "relations/mechanism.yaml",
        "  evidence: in_vitro\n  source: review",
        '  evidence: in_vitro\n  "\\e[2J\\n": x\n  source: review',
    )
    assert only_problem(root) == "seeds/relations/mechanism.yaml:5: field '\\u001b[2J\\u000a': unknown field"


def test_copied_wording_is_caught_through_invisible_and_look_alike_characters(tiny):
    copied = "degrades casein kinase one alpha far more efficiently than the other drugs"
    for disguised in (
        '"'
        + copied.replace(" ", " \\u200b").replace("kinase", "ki\\u200bnase")
        + '"',  # zero-width, YAML-escaped
        copied.replace("o", "\u043e"),  # Cyrillic o
        copied.replace("casein", "\uff43asein"),  # fullwidth c
    ):
        root = tiny("relations/mechanism.yaml", "Lenalidomide removes CK1α better than pomalidomide does.",
                    disguised)  # fmt: skip
        texts = read_source_texts(read_seeds(root), root)
        assert any(
            p.startswith(
                "seeds/relations/mechanism.yaml:18: field 'paraphrase': repeats the source's wording"
            )
            for p in problems_of(root, texts)
        ), disguised
        tiny(
            "relations/mechanism.yaml", disguised, "Lenalidomide removes CK1α better than pomalidomide does."
        )


# -- seed files cannot crash or exhaust us ---------------------------------------------------

BILLION_LAUGHS = "- a: &a [lol, lol, lol, lol, lol, lol, lol, lol, lol, lol]\n" + "".join(
    f"  {b}: &{b} [{', '.join([f'*{a}'] * 10)}]\n" for a, b in zip("abcdefgh", "bcdefghi", strict=True)
)  # 10 ** 9 items once expanded

BAD_FILES = {
    "nul": (b"- subject: lenalidomide\n  object: CRBN\x00\n",
            "seeds/relations/bad.yaml:2: U+0000 NULL at column 15: seed files hold printable text, tabs and line breaks only"),
    "form feed": (b"- subject: lenalidomide\n\x0c\n",
                  "seeds/relations/bad.yaml:2: U+000C FORM FEED at column 1: seed files hold printable text, tabs and line breaks only"),
    "escape": (b"- subject: \x1b[2Jlenalidomide\n",
               "seeds/relations/bad.yaml:1: U+001B ESCAPE at column 12: seed files hold printable text, tabs and line breaks only"),
    "bidi": ("- subject: lenalidomide\n  object: CRBN \u202e\n".encode(),
             "seeds/relations/bad.yaml:2: U+202E RIGHT-TO-LEFT OVERRIDE at column 16: seed files hold printable text, tabs and line breaks only"),
    "not utf-8": (b"- subject: lenalidomide\n  object: CRBN\xff\n",
                  "seeds/relations/bad.yaml:2: not UTF-8 text (byte 0xff)"),
    "self-referencing alias": (b"- subject: lenalidomide\n  qualifiers: &x {via: [*x]}\n",
                               "seeds/relations/bad.yaml:2: YAML anchor &x not allowed: write the value out"),
    "alias": (b"- subject: lenalidomide\n  object: *crbn\n",
              "seeds/relations/bad.yaml:2: YAML alias *crbn not allowed: write the value out"),
    "merge key": (b"- subject: lenalidomide\n  <<: {object: CRBN}\n",
                  "seeds/relations/bad.yaml:2: YAML merge key '<<' not allowed: write the keys out"),
    "tag": (b"- subject: !!python/object/apply:os.system [ls]\n",
            "seeds/relations/bad.yaml:1: YAML tag tag:yaml.org,2002:python/object/apply:os.system not allowed: write plain values"),
    "deep nesting": (b"- subject: " + b"[" * 100 + b"]" * 100 + b"\n",
                     "seeds/relations/bad.yaml:1: nested more than 16 levels deep"),
    "too many values": (b"- [" + b"1, " * 100_001 + b"]\n",
                        "seeds/relations/bad.yaml:1: more than 100,000 values in one file: split it"),
    "nested duplicate key": (
        b"- subject: lenalidomide\n  qualifiers:\n    aspect: activity\n    aspect: expression\n",
        "seeds/relations/bad.yaml:4: field 'qualifiers.aspect': duplicate key"),
    "impossible date": (b"- subject: lenalidomide\n  section: 2022-13-45\n",
                        "seeds/relations/bad.yaml:2: field 'section': cannot read value: month must be in 1..12"),
}  # fmt: skip


@pytest.mark.parametrize("case", sorted(BAD_FILES))
def test_a_bad_seed_file_is_one_line_naming_file_and_line(tiny, case):
    content, expected = BAD_FILES[case]
    root = tiny()
    (root / "relations" / "bad.yaml").write_bytes(content)
    problems = problems_of(root)
    assert problems[0] == expected
    if case not in ("nested duplicate key", "impossible date"):  # those records lack fields too
        assert problems == [expected]  # the file is not read any further


def test_a_huge_number_is_a_problem_not_a_crash(tiny):
    root = tiny("references.yaml", "- ref: 7", "- ref: " + "7" * 5000)
    assert only_problem(root) == (
        "seeds/references.yaml:1: field 'ref': cannot read value: "
        "Exceeds the limit (4300 digits) for integer string conversion: value has 5000 digits"
    )


def test_yml_files_and_subfolders_are_read(tiny):
    root = tiny()
    (root / "relations" / "mechanism.yaml").rename(root / "relations" / "mechanism.yml")
    (root / "entities" / "genes").mkdir()
    (root / "entities" / "biology.yaml").rename(root / "entities" / "genes" / "biology.YAML")
    raw = read_seeds(root)
    assert (len(raw.entities), len(raw.relations), validate(raw)) == (7, 6, [])


def test_yaml_files_outside_the_layout_are_refused_not_ignored(tiny):
    root = tiny("entities.yaml", None, "- id: CHEBI:1\n")
    assert only_problem(root) == (
        "seeds/entities.yaml:0: not read: the seeds are sources.yaml, references.yaml, entities/ and relations/"
    )
    (root / "entities.yaml").unlink()
    (root / "entity").mkdir()
    (root / "entities" / "drugs.yaml").rename(root / "entity" / "drugs.yaml")
    assert only_problem(root) == (
        "seeds/entity/drugs.yaml:0: not read: folder entity/ is not part of the seeds "
        "(entities go in entities/, relations in relations/)"
    )


@pytest.mark.parametrize(
    ("remove", "expected"),
    [
        ("sources.yaml", "seeds/sources.yaml:0: missing file"),
        ("references.yaml", "seeds/references.yaml:0: missing file"),
        ("entities", "seeds/entities:0: missing folder"),
        ("entities/*", "seeds/entities:0: no entities found here"),
        ("relations", "seeds/relations:0: missing folder"),
        ("relations/*", "seeds/relations:0: no relations found here"),
    ],
)
def test_a_missing_file_or_folder_is_reported_once(tiny, remove, expected):
    root = tiny()
    for path in root.glob(remove):
        shutil.rmtree(path) if path.is_dir() else path.unlink()
    assert only_problem(root) == expected


def test_an_unreadable_entity_file_is_its_one_cause(tiny):
    root = tiny("entities/drugs.yaml", "  name: lenalidomide", "  name: [lenalidomide")
    assert only_problem(root).startswith("seeds/entities/drugs.yaml:3: YAML syntax error")


def test_a_source_file_is_a_name_in_the_sources_folder(tiny):
    root = tiny("sources.yaml", "file: review.txt", "file: ../../etc/passwd")
    assert only_problem(root) == (
        "seeds/sources.yaml:5: field 'file': expected a file name in the sources folder, got '../../etc/passwd'"
    )
    assert read_source_texts(read_seeds(root), root) == {}


# -- the curation lint: no fact only as qualifier text ---------------------------------------
_CONTRIBUTES = "  object: myelodysplastic syndrome with isolated del(5q)\n  evidence: review_statement\n"


def test_text_naming_an_unlinked_entity_is_a_problem(tiny):
    root = tiny(
        "relations/mechanism.yaml", _CONTRIBUTES,
        _CONTRIBUTES.replace("  evidence", "  qualifiers: {detail: as with Pomalidomide}\n  evidence"),
    )  # fmt: skip
    problem = only_problem(root)
    assert problem.startswith("seeds/relations/mechanism.yaml:")
    assert "field 'qualifiers.detail': names the entity 'pomalidomide'" in problem
    assert "make this a relation or an entity reference (mentions)" in problem


def test_text_naming_an_entity_in_mentions_is_clean(tiny):
    mentioned = _CONTRIBUTES.replace(
        "  evidence", "  qualifiers: {detail: as with pomalidomide, mentions: [pomalidomide]}\n  evidence"
    )
    assert problems_of(tiny("relations/mechanism.yaml", _CONTRIBUTES, mentioned)) == []


def test_text_naming_an_entity_a_relation_links_is_clean(tiny):
    # lenalidomide is approved for the disease: a relation the lint finds
    linked = _CONTRIBUTES.replace("  evidence", "  qualifiers: {detail: treated with lenalidomide}\n  evidence")
    assert problems_of(tiny("relations/mechanism.yaml", _CONTRIBUTES, linked)) == []


def test_text_naming_a_parent_is_clean(tiny):
    # IMiD is lenalidomide's parent (subclass_of), and lenalidomide is the subject here
    parent = "  object: CRBN\n  evidence: in_vitro\n"
    with_parent = parent.replace("  evidence", "  qualifiers: {detail: like any IMiD}\n  evidence")
    assert problems_of(tiny("relations/mechanism.yaml", parent, with_parent)) == []


def test_a_trial_name_that_is_no_entity_is_a_problem(tiny):
    root = tiny(
        "relations/mechanism.yaml", _CONTRIBUTES,
        _CONTRIBUTES.replace("  evidence", "  qualifiers: {outcome: stopped early in KEYNOTE-185}\n  evidence"),
    )  # fmt: skip
    problem = only_problem(root)
    assert "field 'qualifiers.outcome': names the trial 'KEYNOTE-185', which is no entity" in problem


def test_the_lint_waits_for_otherwise_valid_seeds(tiny):
    bad = _CONTRIBUTES.replace("  evidence: review_statement", "  qualifiers: {detail: pomalidomide}\n  evidence: guess")
    problems = problems_of(tiny("relations/mechanism.yaml", _CONTRIBUTES, bad))
    assert len(problems) == 1 and "unknown evidence level" in problems[0]


def test_close_matches_need_a_project_local_id(tiny):
    root = tiny("entities/biology.yaml", "  name: CSNK1A1\n", "  name: CSNK1A1\n  close_matches: [GO:0038096]\n")
    problems = problems_of(root)  # then every relation naming CSNK1A1 says it is invalid
    assert "field 'close_matches': an entity with only close matches has a project-local IMIDGRAPH id" in problems[0]
    assert all("entity 'CSNK1A1' is invalid" in p for p in problems[1:])


# --------------------------------------------------------------------------- issue 20's fault kinds

_NEOPLASMS = """- id: MONDO:0004095
  name: B-cell neoplasm
  category: Disease
  verified: true
- id: MONDO:0005062
  name: lymphoma
  category: Disease
  verified: true
- id: MONDO:0018908
  name: non-Hodgkin lymphoma
  category: Disease
  verified: true
- id: MONDO:0015759
  name: B-cell lymphoma
  category: Disease
  verified: true
- id: MONDO:0009693
  name: multiple myeloma
  category: Disease
  verified: true
"""


def _hierarchy(*edges: tuple[str, str, str]) -> str:
    out = []
    for subject, obj, evidence in edges:
        source = "abstract" if evidence == "ontology" else "review"
        out.append(
            f"- subject: {subject}\n  predicate: subclass_of\n  object: {obj}\n  evidence: {evidence}\n"
            f"  source: {source}\n  section: Intro\n  paraphrase: {subject} is filed under {obj} here.\n"
        )
    return "".join(out)


def test_an_ontology_placement_that_lumps_what_the_source_keeps_apart_is_refused(tiny):
    tiny("entities/diseases.yaml", None, _NEOPLASMS)
    edges = [
        ("B-cell lymphoma", "B-cell neoplasm", "review_statement"),
        ("multiple myeloma", "B-cell neoplasm", "review_statement"),
        ("B-cell lymphoma", "non-Hodgkin lymphoma", "ontology"),
        ("non-Hodgkin lymphoma", "lymphoma", "ontology"),
    ]
    root = tiny("relations/hierarchy.yaml", None, _hierarchy(*edges))
    assert problems_of(root) == []
    root = tiny("relations/hierarchy.yaml", None, _hierarchy(*edges, ("B-cell neoplasm", "lymphoma", "ontology")))
    assert problems_of(root) == [
        "seeds/relations/hierarchy.yaml:29: field 'object': this abstract edge makes multiple myeloma lymphomas, "
        "which a review lists beside B-cell lymphoma among the kinds of B-cell neoplasm: follow the "
        "source's structure and record the ontology's placement in the note of 'B-cell neoplasm'"
    ]


def test_an_ontology_placement_above_members_that_are_not_otherwise_below_it_is_fine(tiny):
    tiny("entities/diseases.yaml", None, _NEOPLASMS)
    edges = [
        ("B-cell lymphoma", "B-cell neoplasm", "review_statement"),
        ("multiple myeloma", "B-cell neoplasm", "review_statement"),
        ("B-cell neoplasm", "lymphoma", "ontology"),  # no member is a lymphoma by another path
    ]
    assert problems_of(tiny("relations/hierarchy.yaml", None, _hierarchy(*edges))) == []


def test_one_fact_from_one_source_in_two_sections_is_stored_twice(tiny):
    root = tiny(
        "relations/mechanism.yaml", "- subject: lenalidomide\n  predicate: subclass_of\n",
        "- subject: lenalidomide\n  predicate: subclass_of\n  object: IMiD\n  evidence: review_statement\n"
        "  source: abstract\n  section: Background\n  paraphrase: Lenalidomide is one of the IMiD drugs.\n"
        "- subject: lenalidomide\n  predicate: subclass_of\n",
    )  # fmt: skip
    (problem,) = problems_of(root)
    assert problem == (
        "seeds/relations/mechanism.yaml:49: lenalidomide subclass_of IMiD is already stated from abstract "
        "(at seeds/relations/mechanism.yaml:42): one fact, one relation"
    )


def test_the_same_paraphrase_twice_is_one_fact_stored_twice(tiny):
    root = tiny(
        "relations/mechanism.yaml", "  paraphrase: Lenalidomide belongs to the immunomodulatory drugs.",
        "  paraphrase: Lenalidomide sits in a pocket of cereblon.",
    )  # fmt: skip
    (problem,) = problems_of(root)
    assert problem == (
        "seeds/relations/mechanism.yaml:42: field 'paraphrase': the same paraphrase as the relation at "
        "seeds/relations/mechanism.yaml:1: a fact stored twice (keep the one on the node that holds it)"
    )


_PLACES = """- id: UBERON:0002371
  name: bone marrow
  category: Compartment
  verified: true
- id: UBERON:0000029
  name: lymph node
  category: Compartment
  verified: true
- id: CL:0010001
  name: bone marrow stromal cell
  category: CellType
  verified: true
- id: CL:0000499
  name: stromal cell
  category: CellType
  verified: true
"""

_SUPPORTS = """- subject: {subject}
  predicate: increases
  object: CSNK1A1
  qualifiers: {{aspect: expression, location: [{places}]}}
  evidence: review_statement
  source: review
  section: "3 Stroma"
  paraphrase: Stroma raises the level of CK1α in the places named.
"""


def test_a_location_where_the_subject_is_found_is_fine(tiny):
    tiny("entities/places.yaml", None, _PLACES)
    root = tiny("relations/stroma.yaml", None, _SUPPORTS.format(subject="stromal cell", places="bone marrow, lymph node"))
    assert problems_of(root) == []
    root = tiny("relations/stroma.yaml", None, _SUPPORTS.format(subject="bone marrow stromal cell", places="bone marrow"))
    assert problems_of(root) == []


def test_a_location_the_subjects_own_name_rules_out_is_refused(tiny):
    tiny("entities/places.yaml", None, _PLACES)
    root = tiny(
        "relations/stroma.yaml", None, _SUPPORTS.format(subject="bone marrow stromal cell", places="bone marrow, lymph node")
    )  # fmt: skip
    assert problems_of(root) == [
        "seeds/relations/stroma.yaml:4: field 'qualifiers': 'bone marrow stromal cell' is named for bone marrow: "
        "a location in lymph node contradicts it (a broader subject, or another relation)"
    ]


def test_a_location_on_a_clinical_statement_is_refused(tiny):
    tiny("entities/places.yaml", None, _PLACES)
    root = tiny(
        "relations/mechanism.yaml", "  qualifiers: {regulator: FDA}\n",
        "  qualifiers: {regulator: FDA, location: [bone marrow]}\n",
    )  # fmt: skip
    assert problems_of(root) == [
        "seeds/relations/mechanism.yaml:37: field 'qualifiers': location says where the subject acts or is "
        "found, which 'approved_for' does not describe: name the place in mentions (or make it a relation)"
    ]


def test_an_effect_that_needs_the_drug_bound_names_it_in_ligand(tiny):
    root = tiny(
        "relations/mechanism.yaml", "- subject: chromosome 5q deletion\n  predicate: decreases\n",
        "- subject: CRBN\n  predicate: decreases\n  object: CSNK1A1\n  qualifiers: {aspect: abundance}\n"
        "  evidence: review_statement\n  source: review\n  section: \"2.2 Mechanism of action\"\n"
        "  paraphrase: Once lenalidomide is bound, cereblon lowers the amount of CK1α.\n"
        "- subject: chromosome 5q deletion\n  predicate: decreases\n",
    )  # fmt: skip
    assert problems_of(root) == [
        "seeds/relations/mechanism.yaml:22: field 'qualifiers': 'Once lenalidomide is bound' is a condition: "
        "name the bound drug in ligand"
    ]
    root = tiny("relations/mechanism.yaml", "qualifiers: {aspect: abundance}", "qualifiers: {aspect: abundance, ligand: [lenalidomide]}")
    assert problems_of(root) == []


_TEST_ENDPOINT = """- id: NCIT:C25717
  name: survival
  category: ClinicalEndpoint
  favourable: increased
  verified: true
"""

_CORRELATION = """- subject: CRBN
  predicate: correlated_with
  object: survival
  qualifiers: {{{qualifiers}}}
  evidence: clinical_observation
  source: review
  section: "5 Outlook"
  paraphrase: Patients whose cells keep more cereblon live longer.
"""


def test_a_correlation_with_an_endpoint_states_its_sign(tiny, tmp_path):
    tiny("entities/endpoints.yaml", None, _TEST_ENDPOINT)
    root = tiny("relations/outcomes.yaml", None, _CORRELATION.format(qualifiers="disease_context: myelodysplastic syndrome with isolated del(5q)"))
    assert problems_of(root) == [
        "seeds/relations/outcomes.yaml:4: field 'qualifiers': the text gives the sign of this correlation with "
        "'survival': say it in correlation: positive or negative"
    ]
    unsigned = _CORRELATION.replace("Patients whose cells keep more cereblon live longer.", "Cereblon levels go with how long patients live.")
    root = tiny("relations/outcomes.yaml", None, unsigned.format(qualifiers="disease_context: myelodysplastic syndrome with isolated del(5q)"))
    assert problems_of(root) == []  # the source gives no sign: none is asked for
    root = tiny("relations/outcomes.yaml", None, _CORRELATION.format(qualifiers="correlation: positive"))
    assert problems_of(root) == []
    edges = load(root).export("kgx", tmp_path)[1].read_text()
    assert '"predicate": "biolink:positively_correlated_with"' in edges
    root = tiny(
        "relations/mechanism.yaml", "  qualifiers: {regulator: FDA}\n", "  qualifiers: {regulator: FDA, correlation: negative}\n"
    )  # fmt: skip
    assert problems_of(root) == [
        "seeds/relations/mechanism.yaml:37: field 'qualifiers': correlation is the sign of a correlated_with "
        "relation only"
    ]


def test_a_study_design_the_relation_says_the_source_does_not_give_is_refused(tiny):
    root = tiny(
        "relations/mechanism.yaml", "  qualifiers:\n    more_than: [pomalidomide]\n",
        "  qualifiers:\n    more_than: [pomalidomide]\n    detail: the review does not state the study type\n",
    )  # fmt: skip
    assert problems_of(root) == [
        "seeds/relations/mechanism.yaml:15: field 'evidence': in_vitro names a study design, but the relation "
        "says 'does not state the study type': review_statement is the level of a statement whose design the "
        "source does not give"
    ]
    root = tiny("relations/mechanism.yaml", "  evidence: in_vitro\n  source: review\n  section: \"2.2 Mechanism of action\"\n  refs: [7, 8]", "  evidence: review_statement\n  source: review\n  section: \"2.2 Mechanism of action\"\n  refs: [7, 8]")
    assert problems_of(root) == []
