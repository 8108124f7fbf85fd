"""Exports carry every entity and relation with Biolink categories, predicates and citations."""

from __future__ import annotations

import json

import networkx as nx

from imidgraph import load


def test_kgx_nodes_and_edges(tiny, tmp_path):
    kg = load(tiny())
    kg.export("kgx", tmp_path)
    nodes = [json.loads(line) for line in (tmp_path / "nodes.jsonl").read_text().splitlines()]
    edges = [json.loads(line) for line in (tmp_path / "edges.jsonl").read_text().splitlines()]
    assert len(nodes) == 7 and len(edges) == 6
    lenalidomide = next(n for n in nodes if n["id"] == "CHEBI:63791")
    assert lenalidomide["category"] == ["biolink:Drug"]
    assert lenalidomide["name"] == "lenalidomide"
    assert lenalidomide["synonym"] == ["CC-5013"]
    degrades = next(e for e in edges if e["original_predicate"] == "IMIDGRAPH:degrades")
    assert degrades["subject"] == "CHEBI:63791" and degrades["object"] == "HGNC:2451"
    assert degrades["predicate"] == "biolink:affects"
    assert degrades["object_aspect_qualifier"] == "degradation"
    assert degrades["object_direction_qualifier"] == "increased"
    assert degrades["publications"] == ["doi:10.1000/primary.7", "doi:10.1000/review.2022"]  # sorted, as kgx writes them
    assert degrades["imidgraph_more_than"] == ["CHEBI:72690"]
    assert degrades["knowledge_level"] == "knowledge_assertion"
    assert degrades["agent_type"] == "manual_agent"
    approved = next(e for e in edges if e["original_predicate"] == "IMIDGRAPH:approved_for")
    assert approved["predicate"] == "biolink:applied_to_treat"  # biolink:treats is a mixin in 4.4.6
    assert approved["clinical_approval_status"] == "fda_approved_for_condition"  # regulator: FDA


def test_approval_without_a_named_regulator_is_not_exported_as_fda(tiny, tmp_path):
    kg = load(tiny("relations/mechanism.yaml", "  qualifiers: {regulator: FDA}\n", ""))
    kg.export("kgx", tmp_path)
    edges = [json.loads(line) for line in (tmp_path / "edges.jsonl").read_text().splitlines()]
    approved = next(e for e in edges if e["original_predicate"] == "IMIDGRAPH:approved_for")
    assert approved["clinical_approval_status"] == "approved_for_condition"
    assert "imidgraph_regulator" not in approved


def test_graphml_reads_back_with_labels(tiny, tmp_path):
    kg = load(tiny())
    path, style = kg.export("graphml", tmp_path)
    assert style.name == "imidgraph-style.xml"
    graph = nx.read_graphml(path, force_multigraph=True)
    assert graph.number_of_nodes() == 7 and graph.number_of_edges() == 6
    assert graph.nodes["HGNC:2451"]["label"] == "CSNK1A1"
    assert graph.nodes["HGNC:2451"]["synonyms"] == "CK1α|casein kinase 1 alpha"
    labels = sorted(d["label"] for _, _, d in graph.edges(data=True))
    assert sorted(d["biolink_predicate"] for _, _, d in graph.edges(data=True)) == [
        "biolink:affects", "biolink:affects", "biolink:applied_to_treat", "biolink:contributes_to",
        "biolink:directly_physically_interacts_with", "biolink:subclass_of",
    ]  # fmt: skip
    assert labels == ["approved_for", "binds", "contributes_to", "decreases", "degrades", "subclass_of"]
    text = path.read_text()
    assert 'attr.name="label"' in text and 'attr.type="string"' in text


def test_json_round_trip(tiny, tmp_path):
    kg = load(tiny())
    (path,) = kg.export("json", tmp_path)
    document = json.loads(path.read_text())
    assert {n["id"] for n in document["nodes"]} == {e.id for e in kg.entities}
    assert {e["id"] for e in document["edges"]} == {r.id for r in kg.relations}


def test_python_api_lookups(tiny):
    kg = load(tiny())
    assert kg.entity("CK1α").id == "HGNC:2451"
    assert [e.name for e in kg.neighbours("lenalidomide")] == [
        "CRBN", "CSNK1A1", "IMiD", "myelodysplastic syndrome with isolated del(5q)",
    ]  # fmt: skip
    assert [r.predicate for r in kg.relations_of("lenalidomide", direction="out")] == [
        "approved_for", "binds", "degrades", "subclass_of",
    ]  # fmt: skip
    frame = kg.to_dataframe()
    assert len(frame) == 6
    assert set(frame.loc[frame.predicate == "degrades", "object"]) == {"CSNK1A1"}


def test_a_close_match_is_exported_as_such_never_as_the_node_id(tiny, tmp_path):
    root = tiny(
        "entities/biology.yaml", "- id: HGNC:2451\n",
        "- id: IMIDGRAPH:neighbour-process\n  name: neighbour process\n  category: BiologicalProcess\n"
        "  close_matches: [GO:0038096]\n  verified: false\n  note: GO has only a neighbouring term\n"
        "- id: HGNC:2451\n",
    )  # fmt: skip
    load(root).export("kgx", tmp_path)
    nodes = {n["id"]: n for n in map(json.loads, (tmp_path / "nodes.jsonl").read_text().splitlines())}
    assert "GO:0038096" not in nodes
    assert nodes["IMIDGRAPH:neighbour-process"]["imidgraph_close_matches"] == ["GO:0038096"]
    assert "xref" not in nodes["IMIDGRAPH:neighbour-process"]  # no empty lists
    assert "imidgraph_close_matches" not in nodes["CHEBI:63791"]


def test_resistance_keeps_the_direction_of_its_subject():
    from imidgraph.export import kgx_edge

    from .conftest import SEEDS

    kg = load(SEEDS)
    irf4 = kg.entity("IRF4").id
    (relation,) = kg.relations_of(irf4, direction="out", predicate="associated_with_resistance_to")
    edge = kgx_edge(kg, relation.id)
    assert edge["predicate"] == "biolink:associated_with_resistance_to"  # to a drug class: a chemical
    synapse = kg.entity("immunological synapse formation").id
    (relation,) = kg.relations_of(synapse, direction="out", predicate="associated_with_resistance_to")
    edge = kgx_edge(kg, relation.id)
    # resistance to CAR-T therapy, a Treatment: Biolink's range is chemical entity
    assert edge["predicate"] == "biolink:associated_with"
    assert edge["original_predicate"] == "IMIDGRAPH:associated_with_resistance_to"
    assert edge["imidgraph_direction"] == "decreased"  # defective synapse formation
    assert "subject_direction_qualifier" not in edge and "qualified_predicate" not in edge


def test_subclass_of_a_gene_family_is_exported_as_membership():
    from imidgraph.export import kgx_edge

    from .conftest import SEEDS

    kg = load(SEEDS)
    ikzf1 = kg.entity("IKZF1").id
    (relation,) = [
        r for r in kg.relations_of(ikzf1, direction="out", predicate="subclass_of")
        if kg.facts.entities[r.object].category == "GeneFamily"
    ][:1]  # fmt: skip
    assert kgx_edge(kg, relation.id)["predicate"] == "biolink:member_of"
    lenalidomide = kg.entity("lenalidomide").id
    drug_class = next(iter(kg.relations_of(lenalidomide, direction="out", predicate="subclass_of")))
    assert kgx_edge(kg, drug_class.id)["predicate"] == "biolink:subclass_of"
