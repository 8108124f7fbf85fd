"""The load plan, the generated graphs and the connection settings (no server needed)."""

from __future__ import annotations

import copy

import pytest

from imidgraph import schema, synthetic
from imidgraph.embedded.build import build_graph
from imidgraph.neo4j import bulk, connect
from imidgraph.neo4j.plan import LoadPlan, StreamedPlan
from imidgraph.neo4j.record import LoadError
from imidgraph.neo4j.vocabulary import CATEGORY_LABELS, REL_TYPES
from imidgraph.neo4j.write import _node_query, _relationship_query
from imidgraph.properties import edge_properties_from_stored, node_properties_from_stored
from imidgraph.validate import load_facts

from .conftest import SEEDS


@pytest.fixture(scope="module")
def facts():
    return load_facts(SEEDS)


@pytest.fixture(scope="module")
def plan(facts):
    return LoadPlan.from_facts(facts)


def test_the_plan_holds_every_entity_and_relation_with_the_graphs_properties(facts, plan):
    graph = build_graph(facts)
    assert plan.entity_count == graph.number_of_nodes() == len(facts.entities)
    assert plan.relation_count == graph.number_of_edges() == len(facts.relations)
    for label, rows in plan.nodes.items():
        for row in rows:
            assert graph.nodes[row["id"]] == node_properties_from_stored(row["p"]) and row["p"]["category"] == label
            assert [] not in row["p"].values()  # Neo4j stores no empty lists (neo4j-admin import cannot)
    for rel_type, rows in plan.relationships.items():
        for row in rows:
            data = graph.edges[row["s"], row["o"], row["id"]]
            assert data == edge_properties_from_stored(row["p"]) and schema.rel_type(data["predicate"]) == rel_type
            assert [] not in row["p"].values()
            assert not {"biolink_predicate", "publications"} & row["p"].keys()  # derived by readers, not stored


def test_csv_for_the_importer_says_whether_a_value_holds_a_line_break(plan, tmp_path):
    """Without line breaks in values the importer may parse in parallel (--multiline-fields=false)."""

    (tmp_path / "a").mkdir()
    nodes, rels, multiline = bulk.write_csv(plan, tmp_path / "a")
    assert not multiline and len(rels) == len(plan.relationships) and len(nodes) == len(plan.nodes)
    for line_break in ("\n", "\r\n", "\r"):
        broken = {t: [dict(r) for r in rows] for t, rows in plan.relationships.items()}
        row = broken[sorted(broken)[-1]][-1]
        row["p"] = {**row["p"], "paraphrase": f"two{line_break}lines"}
        folder = tmp_path / f"b{len(line_break)}{line_break == chr(13)}"
        folder.mkdir()
        assert bulk.write_csv(LoadPlan(plan.nodes, broken), folder)[2], repr(line_break)


def _files(folder) -> dict[str, bytes]:
    return {p.name: p.read_bytes() for p in sorted(folder.iterdir())}


@pytest.fixture
def forks(monkeypatch):
    """The pids of the children forked during a test; afterwards, that each one was reaped."""
    import os

    pids: list[int] = []
    real = os.fork

    def fork():
        pid = real()
        if pid:
            pids.append(pid)
        return pid

    monkeypatch.setattr(os, "fork", fork)
    yield pids
    for pid in pids:
        with pytest.raises(ChildProcessError):
            os.waitpid(pid, os.WNOHANG)  # reaped by write_csv: no zombie left behind


def test_csv_written_by_two_processes_is_the_csv_of_one(facts, tmp_path, forks):
    """From PARALLEL_ROWS rows on, a forked child writes its share of the files: the same
    bytes as one process writes, every child reaped, ``forked`` called once."""
    import os

    streamed = synthetic.generate(facts, relations=bulk.PARALLEL_ROWS + 1_000, entities=2_000)
    one, two = tmp_path / "one", tmp_path / "two"
    one.mkdir(), two.mkdir()
    calls = []
    by_one = bulk.write_csv(streamed, one, processes=1)
    by_two = bulk.write_csv(streamed, two, processes=2, forked=lambda: calls.append(os.getpid()))
    assert calls == [os.getpid()]
    assert [[(n, h.name, d.name) for n, h, d in files] for files in by_one[:2]] == [
        [(n, h.name, d.name) for n, h, d in files] for files in by_two[:2]
    ]
    assert by_one[2] is by_two[2] is False
    assert _files(one) == _files(two) and len(_files(one)) == 2 * (len(streamed.label_counts()) + len(streamed.type_counts()))
    assert len(forks) == 1


def test_a_failure_in_the_csv_writing_child_is_one_clear_error(facts, plan, tmp_path, forks):
    """A value of another type than its column's, in a group the child writes: LoadError in
    the parent, naming the group; no child left behind."""

    streamed = synthetic.generate(facts, relations=bulk.PARALLEL_ROWS + 1_000, entities=2_000).materialize()
    shares = bulk._shares({**{("nodes", k): v for k, v in streamed.label_counts().items()},
                           **{("relationships", k): v for k, v in streamed.type_counts().items()}}, 2)  # fmt: skip
    kind, name = sorted(k for k in shares[1] if k[0] == "relationships")[0]
    rows = streamed.relationships[name]
    rows[-1] = {**rows[-1], "p": {**rows[-1]["p"], "refs": 5}}  # refs is a long[] column
    rows[0] = {**rows[0], "p": {**rows[0]["p"], "refs": [1]}}
    with pytest.raises(LoadError, match=f"--bulk: a property of {name} has values of different types"):
        bulk.write_csv(streamed, tmp_path, processes=2)
    assert len(forks) == 1


def test_labels_and_types_outside_the_vocabulary_are_refused(plan):
    with pytest.raises(ValueError, match="vocabulary"):
        LoadPlan({"Drug` SET x=1 //": []}, {})
    with pytest.raises(ValueError, match="vocabulary"):
        LoadPlan({}, {"DEGRADES]->() DETACH DELETE": []})


def test_duplicate_ids_are_refused(plan):
    nodes = copy.deepcopy(plan.nodes)
    nodes["Drug"].append(nodes["Drug"][0])
    with pytest.raises(ValueError, match="duplicate entity ids"):
        LoadPlan(nodes, plan.relationships)


def test_the_content_hash_ignores_row_order_and_sees_any_change(plan):
    reordered = LoadPlan(
        {k: list(reversed(v)) for k, v in reversed(plan.nodes.items())},
        {k: list(reversed(v)) for k, v in plan.relationships.items()},
    )
    assert reordered.content_hash == plan.content_hash
    changed = copy.deepcopy(plan.relationships)
    first = next(iter(changed.values()))[0]
    first["p"]["paraphrase"] += " "
    assert LoadPlan(plan.nodes, changed).content_hash != plan.content_hash


def test_every_statement_takes_its_data_as_parameters():
    for label in CATEGORY_LABELS:
        for fresh in (True, False):
            assert "UNWIND $rows AS row" in _node_query(label, fresh)
    for rel_type in REL_TYPES:
        for fresh in (True, False):
            query = _relationship_query(rel_type, fresh)
            assert query.startswith("UNWIND $rows AS row") and "'" not in query


def test_generated_graphs_have_the_curated_schema(facts, plan):
    streamed = synthetic.generate(facts, relations=5_000, entities=400)
    generated = streamed.materialize()  # the same rows, held in memory
    assert (generated.relation_count, generated.entity_count) == (5_000, 400)
    assert (streamed.relation_count, streamed.entity_count) == (5_000, 400)
    assert streamed.label_counts() == generated.label_counts() and streamed.type_counts() == generated.type_counts()
    assert streamed.content_hash == generated.content_hash  # the same hash, streamed or in memory
    label_of = {row["id"]: label for label, rows in generated.nodes.items() for row in rows}
    keys = {k for rows in plan.relationships.values() for row in rows for k in row["p"]}
    for rel_type, rows in generated.relationships.items():
        predicate = schema.PREDICATES[rows[0]["p"]["predicate"]]
        assert schema.rel_type(rows[0]["p"]["predicate"]) == rel_type
        for row in rows:
            assert set(row["p"]) <= keys and row["p"]["id"] == row["id"]
            if predicate.domain:
                assert label_of[row["s"]] in predicate.domain | {s for s, _ in predicate.extra_pairs}
    assert synthetic.generate(facts, relations=5_000, entities=400).content_hash == generated.content_hash
    assert synthetic.generate(facts, relations=5_000, entities=400, seed=6).content_hash != generated.content_hash


def test_a_streamed_plan_is_checked_while_it_is_hashed(plan):
    def streamed(nodes, rels=None, counts=None):
        rels = rels or {}
        return StreamedPlan(
            counts or {k: len(v) for k, v in nodes.items()},
            {k: len(v) for k, v in rels.items()},
            lambda: ((k, iter(v)) for k, v in sorted(nodes.items())),
            lambda: ((k, iter(v)) for k, v in sorted(rels.items())),
        )

    drugs = sorted(plan.nodes["Drug"], key=lambda r: r["id"])
    assert streamed({"Drug": drugs}).content_hash == LoadPlan({"Drug": drugs}, {}).content_hash
    with pytest.raises(ValueError, match="not in ascending id order"):
        _ = streamed({"Drug": list(reversed(drugs))}).content_hash
    with pytest.raises(ValueError, match="ascending id order"):  # a duplicate id
        _ = streamed({"Drug": [drugs[0], drugs[0]]}).content_hash
    with pytest.raises(ValueError, match="duplicate entity ids"):  # the same id under two labels
        _ = streamed({"Drug": drugs[:1], "Gene": drugs[:1]}).content_hash
    with pytest.raises(ValueError, match="do not match the plan's counts"):
        _ = streamed({"Drug": drugs}, counts={"Drug": len(drugs) + 1}).content_hash
    with pytest.raises(ValueError, match="vocabulary"):
        streamed({"Drug` SET x=1 //": drugs})


def test_settings_come_from_options_then_the_environment(monkeypatch, tmp_path):
    monkeypatch.setenv("NEO4J_URI", "neo4j+s://abc.databases.neo4j.io")
    monkeypatch.setenv("NEO4J_USERNAME", "reader")
    monkeypatch.setenv("NEO4J_PASSWORD", "from-env")
    monkeypatch.setenv("NEO4J_DATABASE", "graphs")
    s = connect.Settings.resolve()
    assert (s.uri, s.user, s.password, s.database) == (
        "neo4j+s://abc.databases.neo4j.io", "reader", "from-env", "graphs"
    )
    s = connect.Settings.resolve(uri="bolt://h:1", user="u", password="p", database="d")
    assert (s.uri, s.user, s.password, s.database) == ("bolt://h:1", "u", "p", "d")
    assert "'p'" not in repr(s) and "from-env" not in repr(connect.Settings.resolve())  # no password in reprs


def test_a_local_uri_finds_the_local_servers_password(monkeypatch, tmp_path):
    for name in ("NEO4J_URI", "NEO4J_PASSWORD", "NEO4J_USERNAME", "NEO4J_USER", "NEO4J_DATABASE"):
        monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("IMIDGRAPH_NEO4J_HOME", str(tmp_path))
    (tmp_path / "password").write_text("local-secret\n")
    assert connect.Settings.resolve().password == "local-secret"
    assert connect.Settings.resolve(uri="bolt://db.example.org:7687").password is None


@pytest.mark.parametrize("uri", ["http://127.0.0.1:7474", "127.0.0.1:7687", "neo4j+x://h"])
def test_uris_that_are_not_bolt_are_refused(uri):
    with pytest.raises(connect.Neo4jError, match="invalid Neo4j URI"):
        connect.connect(connect.Settings(uri=uri, password="x"))


def test_no_password_is_one_clear_error():
    with pytest.raises(connect.Neo4jError, match="no password for Neo4j at bolt://db.example.org:7687"):
        connect.connect(connect.Settings(uri="bolt://db.example.org:7687", password=None))
