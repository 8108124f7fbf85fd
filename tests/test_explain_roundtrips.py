"""An explanation on Neo4j in at most two round trips (the paths, then everything else at
once: imidgraph.neo4j.prefetch), with the answer the embedded graph gives; the driver imported
only when needed, without its optional pandas support."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest

TOP0 = {"top": 0}
# every explanation tests/test_explain*.py, test_contrasts.py and test_open_questions.py ask
# (drug, target, options): both modes, --versus, harm on and off, top 5 and all
QUESTIONS = [
    ("lenalidomide", "del(5q) MDS", {}),
    ("lenalidomide", "del(5q) MDS", {"top": 0, "harm": True}),
    ("lenalidomide", "del(5q) MDS", {"versus": "pomalidomide"}),
    ("pomalidomide", "del(5q) MDS", {}),
    ("pomalidomide", "del(5q) MDS", {"versus": "lenalidomide"}),
    ("IMiD", "del(5q) MDS", {}),
    ("lenalidomide", "MDS", {}),
    ("lenalidomide", "myelodysplastic syndrome", {}),
    ("lenalidomide", "multiple myeloma", {}),
    ("lenalidomide", "multiple myeloma", TOP0),
    ("lenalidomide", "multiple myeloma", {"versus": "pomalidomide"}),
    ("lenalidomide", "multiple myeloma", {"versus": "thalidomide"}),
    ("thalidomide", "multiple myeloma", {"versus": "lenalidomide"}),
    ("pomalidomide", "multiple myeloma", TOP0),
    ("IMiD", "multiple myeloma", TOP0),
    ("lenalidomide", "rituximab", {}),
    ("rituximab", "B-cell lymphoma", TOP0),
    ("lenalidomide", "B-cell lymphoma", TOP0),
    ("CELMoD", "B-cell lymphoma", TOP0),
    ("lenalidomide", "anti-CD20 monoclonal antibody", TOP0),
    ("lenalidomide", "anti-CD38 monoclonal antibody", {}),
    ("lenalidomide", "pembrolizumab", TOP0),
    ("lenalidomide", "anti-PD-1/PD-L1 therapy", TOP0),
    ("lenalidomide", "dexamethasone", TOP0),
    ("lenalidomide", "CRBN", {}),
    ("lenalidomide", "natural killer cell", {"versus": "pomalidomide"}),
    ("thalidomide", "ENL", {}),
    ("thalidomide", "erythema nodosum leprosum", {"versus": "iberdomide"}),
    ("iberdomide", "ACTH stimulation", {"versus": "avadomide"}),
    ("thalidomide", "teratogenicity", TOP0),
    ("thalidomide", "teratogenicity", {"top": 0, "harm": False}),
    ("pomalidomide", "teratogenicity", TOP0),
    ("lenalidomide", "therapy-related myeloid neoplasm", TOP0),
    ("lenalidomide", "therapy-related myeloid neoplasm", {"top": 0, "harm": False}),
    ("lenalidomide", "therapy-related myeloid neoplasm", {"versus": "pomalidomide"}),
    ("pomalidomide", "therapy-related myeloid neoplasm", {"versus": "lenalidomide"}),
    ("lenalidomide", "cytokine release syndrome", {}),
    ("lenalidomide", "cytopenia", {}),
    ("pomalidomide", "cytopenia", {}),
    ("avadomide", "cytopenia", {}),
    ("lenalidomide", "mantle cell lymphoma", TOP0),
    ("lenalidomide", "chronic lymphocytic leukemia", TOP0),
    ("lenalidomide", "Burkitt lymphoma", {}),
    ("lenalidomide", "follicular lymphoma", {}),
    ("lenalidomide", "breast cancer", TOP0),
    ("lenalidomide", "pancreatic cancer", TOP0),
    ("pomalidomide", "pancreatic cancer", TOP0),
]


class CountingDriver:
    """The driver, counting what goes to the server: a query run (its records come in its first
    answer: the backend fetches them all at once), a transaction, a query the driver runs itself."""

    def __init__(self, driver) -> None:
        self.driver, self.trips = driver, 0

    def session(self, **config):
        assert config.get("fetch_size") == -1, "every record in the first answer, or more round trips"
        return _CountingSession(self, self.driver.session(**config))

    def execute_query(self, *args, **kwargs):
        self.trips += 1
        return self.driver.execute_query(*args, **kwargs)


class _CountingSession:
    def __init__(self, counter: CountingDriver, session) -> None:
        self.counter, self.session = counter, session

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.session.close()

    def run(self, *args, **kwargs):
        self.counter.trips += 1
        return self.session.run(*args, **kwargs)

    def begin_transaction(self, *args, **kwargs):
        self.counter.trips += 1
        return self.session.begin_transaction(*args, **kwargs)

    def execute_read(self, *args, **kwargs):
        self.counter.trips += 1
        return self.session.execute_read(*args, **kwargs)


@pytest.mark.neo4j
def test_every_explanation_the_tests_ask_takes_two_round_trips(kg, loaded):
    """The round trips of each (what each explanation says on both backends, the tests of
    these questions assert literally, and test_explain.py compares 400+ pairs whole)."""
    from imidgraph.neo4j.backend import Neo4jBackend

    counting = CountingDriver(loaded)
    backend = Neo4jBackend(counting)
    trips = {}
    for drug, target, options in QUESTIONS:
        counting.trips = 0
        kg.explain(drug, target, backend=backend, **options)
        trips[(drug, target, json.dumps(options))] = counting.trips
    assert {q: n for q, n in trips.items() if n > 2} == {}
    assert set(trips.values()) == {2}  # the paths, then the rest


@pytest.mark.neo4j
def test_versus_and_harm_answered_from_the_prefetch_say_what_the_embedded_graph_says(kg, loaded_server):
    for drug, target, options in [
        ("lenalidomide", "multiple myeloma", {"versus": "pomalidomide"}),
        ("lenalidomide", "therapy-related myeloid neoplasm", {"top": 0}),
    ]:
        online = kg.explain(drug, target, backend=loaded_server, **options)
        offline = kg.explain(drug, target, **options)
        assert json.loads(online.to_json()) == json.loads(offline.to_json()), (drug, target, options)
        assert online.to_text() == offline.to_text(), (drug, target, options)


@pytest.mark.neo4j
def test_the_paths_of_two_drugs_asked_together_are_the_catalogue_rows_of_each(kg, loaded_server):
    from imidgraph.catalogue import get, read_catalogue

    query = get(read_catalogue(), "explain_paths")
    asks = [
        (kg.entity(d).id, kg.entity(t).id)
        for d, t in [("lenalidomide", "multiple myeloma"), ("pomalidomide", "multiple myeloma"), ("IMiD", "rituximab"), ("CRBN", "IKZF1")]
    ]
    together = loaded_server.explain_paths(asks)
    alone = [loaded_server.run(query, {"drug": d, "target": t}).rows for d, t in asks]
    assert together == alone
    assert [len(rows) > 0 for rows in together] == [True, True, True, False]  # CRBN is no drug: no paths


@pytest.mark.neo4j
def test_a_read_the_prefetch_did_not_cover_is_asked_of_the_server(kg, loaded):
    """The answers never depend on the prefetch holding everything: outside it, one more round trip."""
    from imidgraph.neo4j.backend import Neo4jBackend

    counting = CountingDriver(loaded)
    backend = Neo4jBackend(counting)
    ids = {n: kg.entity(n).id for n in ("lenalidomide", "del(5q) MDS", "CSNK1A1", "CRBN", "multiple myeloma", "IKZF1")}
    local = backend.explain_prefetch([ids["lenalidomide"]], ids["del(5q) MDS"], {ids["CSNK1A1"]}, set(), set())
    counting.trips = 0
    degrades = (ids["lenalidomide"], "degrades", ids["CSNK1A1"])
    assert local.relations([degrades]).keys() == {degrades} and counting.trips == 0
    elsewhere = (ids["lenalidomide"], "degrades", ids["IKZF1"])  # IKZF1 was not among the entities
    assert local.relations([elsewhere]) == backend.relations([elsewhere]) != {} and counting.trips == 2
    assert local.classes_around(ids["multiple myeloma"]) == backend.classes_around(ids["multiple myeloma"])
    assert local.entities([ids["CRBN"]]) == backend.entities([ids["CRBN"]])


def test_explain_and_the_prefetch_agree_on_what_a_clinical_use_is():
    from imidgraph.explain.model import USES
    from imidgraph.neo4j.prefetch import USES as PREFETCHED

    assert PREFETCHED == USES


@pytest.mark.neo4j
def test_the_driver_is_imported_without_pandas_and_pandas_later_works_with_it(neo4j_server, loaded):
    """neo4j imports pandas and numpy when they are installed (to pack their values as query
    parameters); a command needs neither. Imported through imidgraph.neo4j.driver they stay out,
    and a later ``import pandas`` imports pandas, with which the driver makes a DataFrame."""
    code = (
        "import os, sys\n"
        "from imidgraph.neo4j.driver import import_driver\n"
        "neo4j = import_driver()\n"
        "assert not {'pandas', 'numpy', 'pyarrow'} & {m.split('.')[0] for m in sys.modules}\n"
        "assert import_driver() is neo4j is sys.modules['neo4j']\n"
        "import pandas\n"
        "auth = (os.environ['NEO4J_USERNAME'], os.environ['NEO4J_PASSWORD'])\n"
        "with neo4j.GraphDatabase.driver(os.environ['NEO4J_URI'], auth=auth) as driver, driver.session() as s:\n"
        "    df = s.run('MATCH (n:Imidgraph {name: $n}) RETURN n.name AS name', n='CRBN').to_df()\n"
        "assert isinstance(df, pandas.DataFrame), type(df)\n"
        "print(df['name'].tolist())\n"
    )
    env = {**os.environ, **neo4j_server.env()}
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False, env=env)
    assert out.stdout.strip() == "['CRBN']", out.stderr


def test_the_content_hash_a_neo4j_command_checks_is_cached_and_never_stale(tiny, tmp_path, monkeypatch):
    """A command on Neo4j checks the database against the load plan's content hash of the seeds:
    read from the cache when the seeds (and code) are those it was made for, made again when a
    seed file changes, never asked of the cache when it is turned off."""
    from imidgraph.graph import load
    from imidgraph.neo4j.content import content_hash
    from imidgraph.neo4j.plan import LoadPlan

    monkeypatch.setenv("IMIDGRAPH_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.delenv("IMIDGRAPH_CACHE", raising=False)
    root = tiny()
    asked = []

    def facts():
        asked.append(1)
        return load(root).facts

    first = content_hash(root, facts)
    assert first == LoadPlan.from_facts(load(root).facts).content_hash and len(asked) == 1
    assert content_hash(root, facts) == first and len(asked) == 1  # from the cache: no facts asked
    drugs = root / "entities" / "drugs.yaml"
    text = drugs.read_text(encoding="utf-8")
    drugs.write_text(text.replace("synonyms: [CC-5013]", "synonyms: [CC-5013, Revlimid]", 1), encoding="utf-8")
    edited = content_hash(root, facts)
    assert edited == LoadPlan.from_facts(load(root).facts).content_hash != first and len(asked) == 2
    drugs.write_text(text, encoding="utf-8")
    assert content_hash(root, facts) == first and len(asked) == 2  # the first seeds again: cached
    monkeypatch.setenv("IMIDGRAPH_CACHE", "0")
    assert content_hash(root, facts) == first and len(asked) == 3
