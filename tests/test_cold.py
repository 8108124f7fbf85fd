"""Cold starts (issue 24, item 3): the embedded answers read a compact graph of plain dicts,
kept in the cache of built graphs, that answers exactly as the networkx graph; the cache is
never stale; a cold explain imports only what its answer needs. (Timings: bench/bench_cold.py.)"""

from __future__ import annotations

import io
import os
import pickle
import subprocess
import sys

import networkx as nx
import pytest

from imidgraph.embedded.compact import CompactGraph
from imidgraph.graph import load
from imidgraph.validate import load_facts


def _layout(g: CompactGraph) -> tuple:
    """Everything the compact graph holds, in its order."""
    return (
        list(g.nodes.items()),
        g.edges(keys=True, data=True),
        [(v, list(nbrs.items())) for v, nbrs in g.pred.items()],
    )


def _modules(pickled: bytes) -> set[str]:
    """The modules whose classes a pickle names (what reading it imports)."""
    found: set[str] = set()

    class Recording(pickle.Unpickler):
        def find_class(self, module: str, name: str):
            found.add(module)
            return super().find_class(module, name)

    Recording(io.BytesIO(pickled)).load()
    return found


def _fresh(root) -> CompactGraph:
    return CompactGraph.from_facts(load_facts(root))


# -------------------------------------------------------------------- the same graph as networkx


def test_the_compact_graph_reads_as_the_networkx_graph(kg):
    compact, graph = kg.compact, kg.graph
    assert isinstance(graph, nx.MultiDiGraph)
    assert list(compact) == list(graph) and len(compact) == len(graph) == len(kg.entities)
    assert compact.number_of_edges() == graph.number_of_edges() == len(kg.relations)
    assert list(compact.nodes.items()) == list(graph.nodes(data=True))
    for data in (False, True, "predicate", "q_via"):
        for keys in (False, True):
            assert compact.edges(data=data, keys=keys) == list(graph.edges(data=data, keys=keys))
    for node in graph:
        assert compact.degree(node) == graph.degree(node)
        assert [(v, dict(kd)) for v, kd in compact.succ[node].items()] == [(v, dict(kd)) for v, kd in graph.succ[node].items()]
        assert [(u, dict(kd)) for u, kd in compact.pred[node].items()] == [(u, dict(kd)) for u, kd in graph.pred[node].items()]
        for data, keys in ((False, False), (True, True), ("predicate", False), ("q_in_trial", True)):
            if True:
                assert compact.out_edges(node, data=data, keys=keys) == list(graph.out_edges(node, data=data, keys=keys))
                assert compact.in_edges(node, data=data, keys=keys) == list(graph.in_edges(node, data=data, keys=keys))
        assert compact.links(node, True) == [(v, p) for _, v, p in graph.out_edges(node, data="predicate")]
        assert compact.links(node, False) == [(u, p) for u, _, p in graph.in_edges(node, data="predicate")]
    assert "no such entity" not in compact and ["a", "list"] not in compact
    assert compact.out_edges("no such entity") == compact.in_edges("no such entity") == []


def test_the_networkx_graph_is_built_when_asked_for_and_never_cached(tiny, cache):
    root = tiny()
    first = load(root)
    assert first.__dict__["_networkx"] is None
    graph = first.graph
    assert first.graph is graph  # built once
    assert sorted(graph.edges(keys=True)) == sorted((r.subject, r.object, r.id) for r in first.relations)
    (path,) = cache.glob("*.pickle")
    assert _modules(path.read_bytes()) <= {"imidgraph.graph", "imidgraph.facts", "imidgraph.model", "imidgraph.names",
                                           "imidgraph.embedded.compact"}  # fmt: skip
    again = load(root)
    assert again.__dict__["_networkx"] is None and again.graph is not graph
    assert list(again.graph.edges(keys=True, data=True)) == list(graph.edges(keys=True, data=True))


# ------------------------------------------------------------------------------ never stale

EXTRA = """\
- subject: pomalidomide
  predicate: binds
  object: CRBN
  evidence: in_vitro
  source: review
  section: "2.2 Mechanism of action"
  paraphrase: Pomalidomide also fits the cereblon pocket.
"""


def test_a_changed_seed_file_is_built_again_and_read_as_changed(tiny, cache, builds):
    root = tiny()
    load(root)
    changed = tiny("relations/mechanism.yaml", "sits in a pocket of cereblon", "lodges in a pocket of cereblon")
    after = load(changed)
    assert builds["n"] == 2
    assert _layout(after.compact) == _layout(_fresh(changed))
    (binds,) = [d for _, _, d in after.compact.out_edges("CHEBI:63791", data=True) if d["predicate"] == "binds"]
    assert binds["paraphrase"] == "Lenalidomide lodges in a pocket of cereblon."


def test_an_added_and_then_removed_seed_file_is_read_as_it_is(tiny, cache, builds):
    root = tiny()
    before = load(root)
    pomalidomide = before.entity("pomalidomide").id
    assert before.compact.out_edges(pomalidomide) == []
    (root / "relations" / "extra.yaml").write_text(EXTRA, encoding="utf-8")
    added = load(root)
    assert builds["n"] == 2
    assert [d["paraphrase"] for _, _, d in added.compact.out_edges(pomalidomide, data=True)] == [
        "Pomalidomide also fits the cereblon pocket."
    ]
    assert _layout(added.compact) == _layout(_fresh(root))
    (root / "relations" / "extra.yaml").unlink()
    removed = load(root)
    assert builds["n"] == 2  # the seeds are as they were at first: that graph, from the cache
    assert removed.compact.out_edges(pomalidomide) == []
    assert _layout(removed.compact) == _layout(before.compact) == _layout(_fresh(root))


def test_a_touched_but_unchanged_seed_file_is_read_from_the_cache(tiny, cache, builds):
    root = tiny()
    before = load(root)
    path = root / "relations" / "mechanism.yaml"
    stat = path.stat()
    os.utime(path, ns=(stat.st_atime_ns + 10**10, stat.st_mtime_ns + 10**10))
    path.write_bytes(path.read_bytes())  # rewritten with the same bytes
    after = load(root)
    assert builds["n"] == 1
    assert after is not before
    assert _layout(after.compact) == _layout(before.compact)


# ---------------------------------------------------------------------- what a cold explain imports


def test_a_cold_explain_imports_neither_networkx_nor_the_pages(tiny, tmp_path):
    code = (
        "import sys\n"
        "from imidgraph.cli import main\n"
        f"main(['--seeds', {str(tiny())!r}, 'explain', 'lenalidomide', 'del(5q) MDS'], standalone_mode=False)\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in ('networkx', 'yaml', 'logging', 'tempfile')\n"
        "             or m.startswith(('imidgraph.validate', 'imidgraph.view', 'imidgraph.browser', 'imidgraph.search',\n"
        "                              'imidgraph.explain.drawn', 'imidgraph.properties'))))\n"
        "import imidgraph\n"
        f"print(type(imidgraph.load({str(tiny())!r}).graph).__name__)\n"
    )
    env = {**os.environ, "IMIDGRAPH_CACHE_DIR": str(tmp_path / "cache")}
    env.pop("IMIDGRAPH_CACHE", None)
    first = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert "'imidgraph.validate'" in first.stdout  # the first run validates and fills the cache
    second = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True, env=env)
    assert second.stdout == first.stdout.replace(first.stdout.splitlines()[-2], "[]")
    assert "Why lenalidomide -> myelodysplastic syndrome with isolated del(5q)" in second.stdout
    assert second.stdout.splitlines()[-2:] == ["[]", "MultiDiGraph"]


def test_the_relations_are_read_from_the_cache_when_first_asked_for(tiny, cache):
    root = tiny()
    fresh = load(root)  # built: everything at hand
    cached = load(root)
    assert "_later" in cached.__dict__ and "facts" not in cached.__dict__
    assert cached.entity("CK1α").id == fresh.entity("CK1α").id and cached.name("CHEBI:63791") == "lenalidomide"
    again = pickle.loads(pickle.dumps(cached))  # pickled while its relations are still unread
    assert cached.relations_of("lenalidomide") == fresh.relations_of("lenalidomide")
    assert "_later" not in cached.__dict__
    assert cached.facts == fresh.facts and again.facts == fresh.facts
    assert cached.facts.entities is cached._entities  # one set of entities: the name index's
    assert again.context_relations("CRBN") == fresh.context_relations("CRBN")
    searched = load(root)
    assert [h.to_dict() for h in searched.search("cereblon pocket")] == [h.to_dict() for h in fresh.search("cereblon pocket")]
    assert "_later" not in searched.__dict__ and searched._search_documents  # the tokens, from the cache
    with pytest.raises(AttributeError, match="no attribute 'nothing'"):
        cached.nothing  # noqa: B018
