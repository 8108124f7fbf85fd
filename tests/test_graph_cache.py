"""The cache of built graphs: used when nothing changed, never stale when something did."""

from __future__ import annotations

import pickle

import pytest

from imidgraph.graph import KnowledgeGraph, load
from imidgraph.names import UnknownEntity
from imidgraph.validate import InvalidSeeds, load_facts

from .conftest import SEEDS


def _drug_names(kg: KnowledgeGraph) -> set[str]:
    return {e.name for e in kg.entities if e.category == "Drug"}


def test_second_load_is_read_from_the_cache(tiny, cache, builds):
    root = tiny()
    first = load(root)
    second = load(root)
    assert builds["n"] == 1
    assert len(list(cache.glob("*.pickle"))) == 1
    assert second is not first
    assert [r.id for r in second.relations] == [r.id for r in first.relations]
    assert _drug_names(second) == _drug_names(first)


def test_an_edited_seed_file_is_built_again(tiny, cache, builds):
    root = tiny()
    load(root)
    drugs = root / "entities" / "drugs.yaml"
    text = drugs.read_text(encoding="utf-8")
    drugs.write_text(text.replace("synonyms: [CC-5013]", "synonyms: [CC-5013, Revlimid]", 1), encoding="utf-8")
    after = load(root)
    assert builds["n"] == 2
    assert after.entity("Revlimid").name == "lenalidomide"
    drugs.write_text(text, encoding="utf-8")  # back as it was: the first build again, from the cache
    with pytest.raises(UnknownEntity):
        load(root).entity("Revlimid")
    assert builds["n"] == 2


def test_invalid_seeds_are_never_answered_from_the_cache(tiny, cache):
    root = tiny()
    load(root)
    drugs = root / "entities" / "drugs.yaml"
    drugs.write_text(drugs.read_text(encoding="utf-8").replace("category: Drug", "category: Drugg", 1), encoding="utf-8")
    with pytest.raises(InvalidSeeds, match="category"):
        load(root)


def test_a_new_or_renamed_file_is_a_different_graph(tiny, cache, builds):
    root = tiny()
    load(root)
    relations = sorted((root / "relations").glob("*.yaml"))
    extra = root / "relations" / "extra.yaml"
    extra.write_text("[]\n", encoding="utf-8")
    load(root)
    assert builds["n"] == 2
    relations[0].rename(root / "relations" / "zz_renamed.yaml")
    load(root)
    assert builds["n"] == 3


def test_a_damaged_cache_file_is_replaced(tiny, cache, builds):
    root = tiny()
    good = load(root)
    (path,) = cache.glob("*.pickle")
    path.write_bytes(path.read_bytes()[:100])  # truncated, as after a crash
    again = load(root)
    assert builds["n"] == 2
    assert [r.id for r in again.relations] == [r.id for r in good.relations]
    with open(path, "rb") as f:
        assert [r.id for r in pickle.load(f).relations] == [r.id for r in good.relations]


def test_turned_off_nothing_is_written(tiny, cache, builds, monkeypatch):
    monkeypatch.setenv("IMIDGRAPH_CACHE", "0")
    root = tiny()
    load(root)
    load(root)
    assert builds["n"] == 2
    assert not cache.exists()


def test_the_cached_curated_graph_answers_as_a_fresh_build(cache):
    fresh = KnowledgeGraph(load_facts(SEEDS))
    load(SEEDS)
    cached = load(SEEDS)
    assert sorted(cached.graph.edges(keys=True, data=True), key=repr) == sorted(fresh.graph.edges(keys=True, data=True), key=repr)
    assert dict(cached.graph.nodes(data=True)) == dict(fresh.graph.nodes(data=True))
    for name in ("Revlimid", "CK1α", "del(5q) MDS", "Ikaros"):
        assert cached.entity(name).id == fresh.entity(name).id
    assert cached.neighbours("CRBN") == fresh.neighbours("CRBN")
    assert cached.stats() == fresh.stats()
