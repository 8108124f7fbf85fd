"""Biolink domain and range of every edge of a KGX export, checked with bmt on the biolink-model
package's own yaml (no network).

Usage: python domain_range.py NODES.jsonl EDGES.jsonl  (with the python of the venv rv-venv.sh prints)

A predicate's domain (range) is its own or the nearest ancestor predicate's; an edge respects it
when one of its subject's (object's) categories is that class or a descendant of it, mixins
included. Prints a JSON list of the edges that do not, and exits 1 when there are any.
"""

import json
import socket
import sys


def _refuse(*args, **kwargs):
    raise RuntimeError(f"domain_range: the network is off limits here, refused {args[:2]!r}")


socket.socket.connect = _refuse
socket.create_connection = _refuse
socket.getaddrinfo = _refuse

from importlib.resources import files  # noqa: E402

import requests  # noqa: E402


class _EmptyPredicateMap:
    status_code = 200
    text = "predicate mappings: []\n"


def _get(url, *args, **kwargs):
    if str(url).endswith("predicate_mapping.yaml"):
        return _EmptyPredicateMap()
    raise RuntimeError(f"domain_range: the network is off limits here, refused {url}")


requests.get = _get

from bmt import Toolkit  # noqa: E402


def read(path):
    with open(path, encoding="utf-8") as f:
        return [json.loads(line) for line in f if line.strip()]


def main(nodes_path, edges_path):
    toolkit = Toolkit(str(files("biolink_model.schema").joinpath("biolink_model.yaml")))
    categories = {n["id"]: n["category"] for n in read(nodes_path)}
    ancestors = {}

    def fits(category_list, cls):
        if cls is None:
            return True
        for category in category_list:
            if category not in ancestors:
                ancestors[category] = set(toolkit.get_ancestors(category, mixin=True, formatted=False))
            if cls in ancestors[category]:
                return True
        return False

    def constraint(predicate, which):
        for name in toolkit.get_ancestors(predicate, reflexive=True, mixin=False):
            element = toolkit.get_element(name)
            value = getattr(element, which, None)
            if value:
                return value
        return None

    bad = []
    for edge in read(edges_path):
        domain = constraint(edge["predicate"], "domain")
        range_ = constraint(edge["predicate"], "range")
        ok_s = fits(categories.get(edge["subject"], []), domain)
        ok_o = fits(categories.get(edge["object"], []), range_)
        if not (ok_s and ok_o):
            bad.append({
                "id": edge["id"], "predicate": edge["predicate"],
                "subject": [edge["subject"], categories.get(edge["subject"]), domain, ok_s],
                "object": [edge["object"], categories.get(edge["object"]), range_, ok_o],
            })
    print(json.dumps(bad, indent=1))
    return 1 if bad else 0


if __name__ == "__main__":
    if len(sys.argv) != 3:
        sys.exit(__doc__)
    sys.exit(main(*sys.argv[1:]))
