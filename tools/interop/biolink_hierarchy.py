"""The part of Biolink's hierarchy that the TRAPI endpoint needs, read from the biolink-model
package's own yaml (no network; the package is in the project's ``dev`` extras).

Usage: python tools/interop/biolink_hierarchy.py   (with the project's venv) writes
imidgraph/resources/biolink_hierarchy.json: for every Biolink category of our nodes its
ancestors (mixins included, itself first), for every Biolink predicate of our edges its
ancestors (mixins included, itself first), the inverse of every predicate whose inverse is one
of those, and which of those are symmetric. tests/test_trapi.py checks that the file is what this
script makes of the current graph.
"""

from __future__ import annotations

import json
import sys
from importlib.resources import files
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "imidgraph" / "resources" / "biolink_hierarchy.json"


def _model() -> dict:
    text = files("biolink_model.schema").joinpath("biolink_model.yaml").read_text(encoding="utf-8")
    return yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))  # libyaml's parser when there


def _class_curie(name: str) -> str:
    return "biolink:" + "".join(w[0].upper() + w[1:] for w in name.split())


def _slot_curie(name: str) -> str:
    return "biolink:" + name.replace(" ", "_")


def _ancestors(table: dict, name: str) -> list[str]:
    """``name`` and everything above it (is_a and mixins), nearest first, each once."""
    seen: list[str] = []
    todo = [name]
    while todo:
        x = todo.pop(0)
        if x in seen or x not in table:
            continue
        seen.append(x)
        element = table[x] or {}
        todo += ([element["is_a"]] if element.get("is_a") else []) + list(element.get("mixins") or [])
    return seen


def hierarchy(categories: set[str], predicates: set[str]) -> dict:
    model = _model()
    classes, slots = model["classes"], model["slots"]
    by_class = {_class_curie(n): n for n in classes}
    by_slot = {_slot_curie(n): n for n in slots}
    out: dict = {"biolink_version": model["version"], "categories": {}, "predicates": {}}
    for category in sorted(categories):
        out["categories"][category] = [_class_curie(n) for n in _ancestors(classes, by_class[category])]
    # inverse is declared on one side of a pair: read both ways
    inverse = {}
    for n, element in slots.items():
        if (element or {}).get("inverse"):
            inverse[_slot_curie(n)] = _slot_curie(element["inverse"])
            inverse[_slot_curie(element["inverse"])] = _slot_curie(n)
    above: set[str] = set()
    for predicate in sorted(predicates):
        out["predicates"][predicate] = [_slot_curie(n) for n in _ancestors(slots, by_slot[predicate])]
        above |= set(out["predicates"][predicate])
    # a query predicate P finds our edge read backwards when P's inverse is above the edge's
    out["inverses"] = {p: q for p, q in sorted(inverse.items()) if q in above}
    out["symmetric"] = sorted(p for p in above if (slots[by_slot[p]] or {}).get("symmetric"))
    return out


def ours() -> tuple[set[str], set[str]]:
    """The Biolink categories of our nodes and predicates of our edges (the TRAPI ones)."""
    from imidgraph import load
    from imidgraph.export import kgx_node, kgx_statement

    kg = load()
    categories = {c for e in kg.facts.entities for c in kgx_node(kg, e)["category"]}
    predicates = {kgx_statement(kg, r.id)["predicate"] for r in kg.facts.relations}
    return categories, predicates


if __name__ == "__main__":
    sys.path.insert(0, str(ROOT))  # the checkout's package, installed or not
    OUT.write_text(json.dumps(hierarchy(*ours()), indent=1) + "\n", encoding="utf-8")
    print(OUT)
