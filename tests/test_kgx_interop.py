"""The KGX export read by the Biolink ecosystem's own tools, offline (docs/export.md).

kgx 2.7.0 (``kgx validate``, and its default, non-streaming ``kgx transform`` as a round trip) and
reasoner-validator 7.0.0's Biolink checks run against the biolink-model 4.4.6 package's files;
each lives in a virtual environment of its own outside the project, built on first use from the
package registry (kgx's by ``../shared/tools/kgx-venv.sh``, reasoner-validator's by
``tools/interop/rv-venv.sh``) and reused after that. Nothing here reaches the network otherwise:
the runners refuse it.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
from pathlib import Path

import networkx as nx
import pytest

from imidgraph import load
from imidgraph.export import EXPORT_PREFIXES, kgx_statement

from .conftest import ROOT, SEEDS

# ../shared beside the project (IMIDGRAPH_SHARED names another place for it)
SHARED_TOOLS = Path(os.environ.get("IMIDGRAPH_SHARED") or ROOT.parent / "shared") / "tools"
OWN_TOOLS = ROOT / "tools" / "interop"
BIOLINK = "4.4.6"


def _venv(script: Path) -> Path:
    if not script.is_file():
        pytest.fail(f"{script} is missing: the interop tests need it", pytrace=False)
    done = subprocess.run(["bash", str(script)], capture_output=True, text=True)
    if done.returncode != 0:
        pytest.fail(f"{script.name} could not build its environment:\n{done.stderr[-3000:]}", pytrace=False)
    return Path(done.stdout.strip().splitlines()[-1])


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text(encoding="utf-8").splitlines() if line.strip()]


@pytest.fixture(scope="module")
def kg():
    return load(SEEDS)


@pytest.fixture(scope="module")
def exported(kg, tmp_path_factory) -> Path:
    out = tmp_path_factory.mktemp("kgx")
    kg.export("kgx", out)
    return out


@pytest.fixture(scope="module")
def kgx(exported, tmp_path_factory):
    """Run a kgx command offline: Biolink 4.4.6's files, its prefix map plus the export's own."""
    venv = _venv(SHARED_TOOLS / "kgx-venv.sh")
    offline = tmp_path_factory.mktemp("kgx-offline")
    shutil.copytree(venv / "offline", offline, dirs_exist_ok=True)
    context_path = offline / f"biolink-{BIOLINK}-context.jsonld"
    context = json.loads(context_path.read_text())
    own = json.loads((exported / "prefixes.jsonld").read_text())["@context"]
    assert not set(own) & set(context["@context"]), "the export may add prefixes, never redefine Biolink's"
    context["@context"].update(own)
    context_path.write_text(json.dumps(context))

    def run(*args: str, cwd: Path, tally: Path | None = None, stock: bool = False):
        env = {"PATH": "/usr/bin:/bin", "HOME": str(cwd)}
        if tally is not None:
            env["KGX_TALLY"] = str(tally)
        where = venv / "offline" if stock else offline
        command = [str(venv / "bin" / "python"), str(SHARED_TOOLS / "kgx_offline.py"), str(where), *args]
        return subprocess.run(command, cwd=cwd, env=env, capture_output=True, text=True)

    return run


@pytest.fixture(scope="module")
def rv_python() -> Path:
    return _venv(OWN_TOOLS / "rv-venv.sh") / "bin" / "python"


# --------------------------------------------------------------------------- the export itself


def test_every_relation_is_in_exactly_one_edge_and_kept_whole(kg, exported):
    edges = _read(exported / "edges.jsonl")
    holders: dict[str, list[str]] = {}
    for edge in edges:
        for relation_id in edge["imidgraph_relations"]:
            holders.setdefault(relation_id, []).append(edge["id"])
    assert sorted(holders) == sorted(r.id for r in kg.relations)
    assert all(len(h) == 1 for h in holders.values())
    # kgx keys edges by (subject, predicate, object): at most one edge for each
    keys = [(e["subject"], e["predicate"], e["object"]) for e in edges]
    assert len(keys) == len(set(keys))
    merged = [e for e in edges if len(e["imidgraph_relations"]) > 1]
    assert merged, "statements that share subject, predicate and object exist in the seeds"
    for edge in merged:
        statements = [json.loads(s) for s in edge["imidgraph_statements"]]
        assert [s["id"] for s in statements] == edge["imidgraph_relations"]
        for statement in statements:
            whole = kgx_statement(kg, statement["id"])
            assert statement == {k: v for k, v in whole.items() if k not in ("subject", "object")}
            # what the merged edge says, every statement in it says
            for key, value in edge.items():
                if key.endswith("_qualifier") or key.startswith("imidgraph_") and key not in (
                    "imidgraph_relations", "imidgraph_evidence_level", "imidgraph_citation",
                    "imidgraph_statements",
                ):  # fmt: skip
                    assert whole[key] == value, (edge["id"], key)
            assert set(whole.get("publications", [])) <= set(edge.get("publications", []))


def test_one_statement_cited_twice_is_one_edge_with_both_publications(kg, exported):
    edges = _read(exported / "edges.jsonl")
    tam = kg.entity("tumor-associated macrophage").id
    macrophage = kg.entity("macrophage").id
    (edge,) = [e for e in edges if e["subject"] == tam and e["object"] == macrophage]
    assert edge["predicate"] == "biolink:subclass_of"
    assert len(edge["imidgraph_relations"]) == len(edge["imidgraph_citation"]) >= 1


def test_no_empty_values_and_one_prefix_spelling(exported):
    nodes, edges = _read(exported / "nodes.jsonl"), _read(exported / "edges.jsonl")
    for record in nodes + edges:
        empty = [k for k, v in record.items() if v in ([], "", None)]
        assert not empty, (record["id"], empty)
    ids = [n["id"] for n in nodes] + [e["id"] for e in edges]
    statements = [json.loads(s) for e in edges for s in e.get("imidgraph_statements", [])]
    ids += [r for e in edges for r in e["imidgraph_relations"]]
    ids += [e["original_predicate"] for e in edges + statements if "original_predicate" in e]
    assert not [i for i in ids if i.split(":", 1)[0].lower() == "imidgraph" and not i.startswith("IMIDGRAPH:")]
    prefixes = json.loads((exported / "prefixes.jsonld").read_text())["@context"]
    assert prefixes == EXPORT_PREFIXES and "IMIDGRAPH" in prefixes


def test_local_ids_are_never_biolink_context_qualifiers(exported):
    for edge in _read(exported / "edges.jsonl"):
        for key in ("anatomical_context_qualifier", "disease_context_qualifier"):
            values = edge.get(key, [])
            for value in values if isinstance(values, list) else [values]:
                assert value.split(":", 1)[0] not in EXPORT_PREFIXES, (edge["id"], key, value)


def test_graphml_agrees_with_kgx_on_every_predicate(kg, exported, tmp_path):
    path, style = kg.export("graphml", tmp_path)
    assert style.name == "imidgraph-style.xml"
    graph = nx.read_graphml(path, force_multigraph=True)
    kgx_predicate = {r: e["predicate"] for e in _read(exported / "edges.jsonl") for r in e["imidgraph_relations"]}
    graphml_predicate = {k: d["biolink_predicate"] for _, _, k, d in graph.edges(keys=True, data=True)}
    assert graphml_predicate == kgx_predicate
    members = [d for _, _, d in graph.edges(data=True) if d["biolink_predicate"] == "biolink:member_of"]
    assert len(members) >= 4 and all(d["label"] == "member_of" for d in members)


# --------------------------------------------------------------------------- the ecosystem's tools


def test_kgx_validate_finds_no_errors(kgx, exported, tmp_path):
    tally = tmp_path / "tally.json"
    done = kgx("validate", "-i", "jsonl", "-b", BIOLINK, "nodes.jsonl", "edges.jsonl", cwd=exported, tally=tally)
    calls = json.loads(tally.read_text())
    assert calls == [] and done.returncode == 0, (done.returncode, calls[:5], done.stderr[-2000:])


def test_kgx_validate_without_our_prefix_map_objects_only_to_our_declared_prefixes(kgx, exported, tmp_path):
    tally = tmp_path / "tally.json"
    done = kgx(
        "validate", "-i", "jsonl", "-b", BIOLINK, "nodes.jsonl", "edges.jsonl", cwd=exported, tally=tally, stock=True
    )  # fmt: skip
    calls = json.loads(tally.read_text())
    assert done.returncode == 1 and calls  # the control: stock kgx does report unknown prefixes
    declared = tuple(f"CURIE prefix '{p}'" for p in EXPORT_PREFIXES)
    assert [c for c in calls if not any(d in c[2] for d in declared)] == []


def test_kgx_validate_catches_what_the_export_must_not_do(kgx, exported, tmp_path):
    shutil.copy(exported / "nodes.jsonl", tmp_path / "nodes.jsonl")
    edge = _read(exported / "edges.jsonl")[0]
    bad = {**edge, "subject": "NOSUCHPREFIX:1"}
    (tmp_path / "edges.jsonl").write_text(json.dumps(bad) + "\n")
    tally = tmp_path / "tally.json"
    done = kgx("validate", "-i", "jsonl", "-b", BIOLINK, "nodes.jsonl", "edges.jsonl", cwd=tmp_path, tally=tally)
    assert done.returncode == 1 and any("NOSUCHPREFIX" in c[2] for c in json.loads(tally.read_text()))


def test_kgx_default_transform_keeps_every_edge_and_qualifier(kgx, exported, tmp_path):
    for name in ("nodes.jsonl", "edges.jsonl"):
        shutil.copy(exported / name, tmp_path / name)
    done = kgx("transform", "-i", "jsonl", "-o", "rt", "-f", "jsonl", "nodes.jsonl", "edges.jsonl", cwd=tmp_path)
    assert done.returncode == 0, done.stdout[-2000:] + done.stderr[-2000:]
    for kind in ("nodes", "edges"):
        before = {r["id"]: r for r in _read(tmp_path / f"{kind}.jsonl")}
        after = {r["id"]: r for r in _read(tmp_path / f"rt_{kind}.jsonl")}
        assert sorted(after) == sorted(before)
        for record_id, record in before.items():
            back = dict(after[record_id])
            if kind == "edges":
                # kgx's own provenance default (the deprecated knowledge_source slot), added to every
                # edge read from a file: an addition, nothing of ours changed
                assert back.pop("knowledge_source") == "edges.jsonl"
            assert back == record, record_id


def test_biolink_domain_and_range_hold_for_every_edge(rv_python, exported):
    done = subprocess.run(
        [str(rv_python), str(OWN_TOOLS / "domain_range.py"), "nodes.jsonl", "edges.jsonl"],
        cwd=exported, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 0 and json.loads(done.stdout) == [], done.stdout[-3000:] + done.stderr[-2000:]


def test_the_domain_and_range_check_catches_a_trial_as_has_input_subject(rv_python, exported, tmp_path):
    shutil.copy(exported / "nodes.jsonl", tmp_path / "nodes.jsonl")
    edge = next(
        e for e in _read(exported / "edges.jsonl")
        if e.get("original_predicate") == "IMIDGRAPH:tested" and e["subject"].startswith("CLINICALTRIALS:")
    )  # fmt: skip
    assert edge["predicate"] == "biolink:related_to_at_instance_level"
    (tmp_path / "edges.jsonl").write_text(json.dumps({**edge, "predicate": "biolink:has_input"}) + "\n")
    done = subprocess.run(
        [str(rv_python), str(OWN_TOOLS / "domain_range.py"), "nodes.jsonl", "edges.jsonl"],
        cwd=tmp_path, capture_output=True, text=True,
    )  # fmt: skip
    (bad,) = json.loads(done.stdout)
    assert done.returncode == 1 and bad["subject"][2:] == ["biological process or activity", False]


def test_reasoner_validator_biolink_checks_find_no_errors(rv_python, exported):
    done = subprocess.run(
        [str(rv_python), str(OWN_TOOLS / "rv_check.py"), "nodes.jsonl", "edges.jsonl"],
        cwd=exported, capture_output=True, text=True,
    )  # fmt: skip
    assert done.stdout, done.stderr[-3000:]
    report = json.loads(done.stdout)
    assert report["biolink_version"] == BIOLINK
    assert "error" not in report["counts"] and "critical" not in report["counts"], report["messages"].get("error")
    assert done.returncode == 0


def test_reasoner_validator_catches_a_mixin_predicate(rv_python, exported, tmp_path):
    shutil.copy(exported / "nodes.jsonl", tmp_path / "nodes.jsonl")
    edge = next(e for e in _read(exported / "edges.jsonl") if e["predicate"] == "biolink:applied_to_treat")
    (tmp_path / "edges.jsonl").write_text(json.dumps({**edge, "predicate": "biolink:treats"}) + "\n")
    done = subprocess.run(
        [str(rv_python), str(OWN_TOOLS / "rv_check.py"), "nodes.jsonl", "edges.jsonl"],
        cwd=tmp_path, capture_output=True, text=True,
    )  # fmt: skip
    assert done.returncode == 1
    assert "error.knowledge_graph.edge.predicate.mixin" in json.loads(done.stdout)["messages"]["error"]


def test_the_runners_refuse_the_network(rv_python, tmp_path):
    script = tmp_path / "probe.py"
    script.write_text(
        "import runpy, sys\nsys.argv = ['rv_check.py']\n"
        f"runpy.run_path({str(OWN_TOOLS / 'rv_check.py')!r}, run_name='probe')\n"
        "import requests\nrequests.get('https://example.org/')\n"
    )
    done = subprocess.run([str(rv_python), str(script)], capture_output=True, text=True)
    assert done.returncode != 0 and "off limits" in done.stderr


