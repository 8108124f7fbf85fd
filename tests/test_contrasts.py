"""Fair contrasts (issue 19, item 6): ``explain --versus``, ``drug_difference`` and
``side_effects_compared`` are symmetric, count a class's statements for its members, compare
like with like, keep three states (yes, no, not stated), name their columns after the drugs and
say why a contrast is empty. Every case runs on the embedded graph and on Neo4j."""

from __future__ import annotations

import pytest

from imidgraph import catalogue
from imidgraph.backends import MemoryBackend, Neo4jBackend
from imidgraph.catalogue import resolve_params
from imidgraph.graph import load

from .conftest import ROOT, SEEDS

QUERIES = catalogue.read_catalogue(ROOT / "cypher")
IMIDS = ["thalidomide", "lenalidomide", "pomalidomide", "iberdomide", "avadomide", "IMiD"]


@pytest.fixture(scope="module")
def kg():
    return load(SEEDS)


@pytest.fixture(scope="module")
def loaded_server(loaded):
    return Neo4jBackend(loaded)


@pytest.fixture(params=["memory", pytest.param("neo4j", marks=pytest.mark.neo4j)])
def backend(request, kg):
    """The embedded graph or Neo4j: every case runs on both."""
    return MemoryBackend(kg) if request.param == "memory" else request.getfixturevalue("loaded_server")


def rows(kg, backend, name: str, a: str, b: str) -> list[dict]:
    query = QUERIES[name]
    return backend.run(query, resolve_params(kg, query, {"drug_a": a, "drug_b": b})).records()


@pytest.mark.neo4j
@pytest.mark.parametrize("name", ["drug_difference", "side_effects_compared"])
def test_both_backends_give_the_same_rows_for_every_pair(kg, loaded_server, name):
    memory = MemoryBackend(kg)
    for a in IMIDS:
        for b in IMIDS:
            if a != b:
                assert rows(kg, loaded_server, name, a, b) == rows(kg, memory, name, a, b), (name, a, b)
