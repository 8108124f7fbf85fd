"""The package keeps the layering of docs/architecture.md.

Every ``import`` and ``from ... import`` of the package, at any depth (inside functions, under
``if TYPE_CHECKING:``), is an edge from the importing module to the imported one. No edge may
go from a layer to a higher one, no circle of edges may join modules, and no module may be over
MAX_LINES lines. The layers are read from the table in docs/architecture.md.
"""

from __future__ import annotations

import ast
import re
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "imidgraph"
ARCHITECTURE = ROOT / "docs" / "architecture.md"
MAX_LINES = 420



def read_layers(text: str) -> list[tuple[str, list[str]]]:
    """(layer name, module names) from the table of docs/architecture.md, bottom layer first."""
    layers = []
    for line in text.splitlines():
        match = re.match(r"^\|\s*(\d+)\s*\|\s*([^|]+?)\s*\|\s*([^|]+?)\s*\|\s*$", line)
        if match:
            layers.append((int(match[1]), match[2], re.findall(r"`([\w.]+)`", match[3])))
    assert [n for n, _, _ in layers] == list(range(1, len(layers) + 1)), "layers numbered 1, 2, ... bottom up"
    return [(name, modules) for _, name, modules in layers]


def module_files(package: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every .py file of ``package`` (a package is its __init__)."""
    found = {}
    for path in sorted(package.rglob("*.py")):
        parts = list(path.relative_to(package.parent).with_suffix("").parts)
        if parts[-1] == "__init__":
            parts.pop()
        found[".".join(parts)] = path
    return found


def imports(name: str, path: Path, modules: dict[str, Path]) -> set[tuple[str, int]]:
    """(imported module, line) of every import of the package in the module ``name``, at any depth."""
    package = name.split(".") if path.name == "__init__.py" else name.split(".")[:-1]
    root = next(iter(modules)).split(".")[0]
    found = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"), str(path))):
        if isinstance(node, ast.Import):
            found |= {(a.name, node.lineno) for a in node.names if a.name.split(".")[0] == root}
        elif isinstance(node, ast.ImportFrom):
            base = ".".join(package[: len(package) - node.level + 1] + [node.module or ""]).strip(".") if node.level else node.module
            if base is None or base.split(".")[0] != root:
                continue
            for alias in node.names:  # ``from . import words`` imports the module words
                found.add((f"{base}.{alias.name}" if f"{base}.{alias.name}" in modules else base, node.lineno))
    return found


def layer_of(name: str, layers: list[tuple[str, list[str]]], transitional: dict[str, str]) -> tuple[int, str] | None:
    """(index, layer name) of the longest name of the table that covers the module (the bare
    package name covers only the package itself)."""
    best = None
    table = [(names, i, layer) for i, (layer, names) in enumerate(layers)]
    table += [([prefix], [n for n, _ in layers].index(layer), layer) for prefix, layer in transitional.items()]
    for names, i, layer in table:
        for prefix in names:
            covers = name == prefix or ("." in prefix and name.startswith(prefix + "."))
            if covers and (best is None or len(prefix) > best[0]):
                best = (len(prefix), i, layer)
    return (best[1], best[2]) if best else None


def problems(package: Path, layers, transitional=None, known_edges=None) -> list[str]:
    """What breaks the layering: modules in no layer, upward imports, circles."""
    transitional, known_edges = transitional or {}, known_edges or {}
    modules = module_files(package)
    edges = {name: imports(name, path, modules) for name, path in modules.items()}
    out = []
    for name in modules:
        if layer_of(name, layers, transitional) is None:
            out.append(f"{name}: in no layer of docs/architecture.md's table")
    graph: dict[str, set[str]] = {name: set() for name in modules}
    for name, found in sorted(edges.items()):
        for target, line in sorted(found):
            if target == name or (name, target) in known_edges or target not in modules:
                continue
            graph[name].add(target)
            here, there = layer_of(name, layers, transitional), layer_of(target, layers, transitional)
            if here and there and there[0] > here[0]:
                out.append(f"{name} (layer {here[1]}) imports {target} (layer {there[1]}, higher) at line {line}")
    for component in circles(graph):
        circle = shortest_circle(graph, component)
        others = sorted(set(component) - set(circle))
        also = f" (and {len(others)} more module(s) round other circles: {', '.join(others)})" if others else ""
        out.append(f"import circle: {' -> '.join(circle + circle[:1])}{also}")
    return out


def shortest_circle(graph: dict[str, set[str]], component: list[str]) -> list[str]:
    """A shortest circle through the first module of a strongly connected component."""
    start, inside = component[0], set(component)
    came_from: dict[str, str] = {}
    frontier = [start]
    while frontier:
        following = []
        for v in frontier:
            for w in sorted(graph[v] & inside):
                if w == start:
                    path = [v]
                    while path[-1] != start:
                        path.append(came_from[path[-1]])
                    return path[::-1]
                if w not in came_from:
                    came_from[w] = v
                    following.append(w)
        frontier = following
    raise AssertionError(f"no circle through {start}")


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one module (Tarjan), each sorted: every
    module of one imports every other, directly or round a circle."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    on_stack: set[str] = set()
    found = []

    def visit(v: str) -> None:
        index[v] = low[v] = len(index)
        stack.append(v)
        on_stack.add(v)
        for w in sorted(graph.get(v, ())):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on_stack:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            component = []
            while True:
                w = stack.pop()
                on_stack.discard(w)
                component.append(w)
                if w == v:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for v in sorted(graph):
        if v not in index:
            visit(v)
    return sorted(found)


def long_modules(package: Path) -> dict[str, int]:
    """Modules over MAX_LINES lines (files under a ``vendor`` folder aside)."""
    return {
        name: n
        for name, path in module_files(package).items()
        if "vendor" not in path.relative_to(package).parts
        and (n := len(path.read_text(encoding="utf-8").splitlines())) > MAX_LINES
    }


LAYERS = read_layers(ARCHITECTURE.read_text(encoding="utf-8"))


def test_the_table_names_the_seven_layers_bottom_up():
    assert [name for name, _ in LAYERS] == [
        "Vocabulary", "Facts", "Stores", "Backends", "Pictures and files", "Answers", "Facade and CLI",
    ]  # fmt: skip
    assert ("Facade and CLI", ["imidgraph", "imidgraph.graph", "imidgraph.cli", "imidgraph.serve"]) in LAYERS


def test_every_module_sits_in_a_layer_imports_only_downward_and_in_no_circle():
    assert problems(PACKAGE, LAYERS, {}, {}) == []


def test_no_module_is_over_the_limit():
    assert long_modules(PACKAGE) == {}


# --------------------------------------------------------------------------- the checks can fail

TOY_TABLE = """
| # | Layer | Modules |
|---|---|---|
| 1 | Low | `toy.low` |
| 2 | Middle | `toy.mid` |
| 3 | Top | `toy`, `toy.top` |
"""


def _toy(tmp_path: Path, files: dict[str, str]) -> Path:
    package = tmp_path / "toy"
    for name, text in {"__init__.py": "", **files}.items():
        (package / name).parent.mkdir(parents=True, exist_ok=True)
        (package / name).write_text(text)
    return package


def test_an_upward_import_is_found_inside_a_function_and_under_type_checking(tmp_path):
    package = _toy(
        tmp_path,
        {
            "low.py": "def f():\n    from . import mid\n",
            "mid.py": "from typing import TYPE_CHECKING\nif TYPE_CHECKING:\n    from toy.top import x\n",
            "top.py": "from .low import f\nfrom . import mid\n",
        },
    )
    assert problems(package, read_layers(TOY_TABLE)) == [
        "toy.low (layer Low) imports toy.mid (layer Middle, higher) at line 2",
        "toy.mid (layer Middle) imports toy.top (layer Top, higher) at line 3",
        "import circle: toy.low -> toy.mid -> toy.top -> toy.low",
    ]


def test_a_circle_within_one_layer_and_a_module_in_no_layer_are_found(tmp_path):
    package = _toy(
        tmp_path,
        {
            "top.py": "import toy.extra\n",
            "extra.py": "from .top import y\n",
            "mid/__init__.py": "",
            "mid/a.py": "from .b import z\n",
            "mid/b.py": "def g():\n    from ..mid import a\n",
        },
    )
    assert problems(package, read_layers(TOY_TABLE)) == [
        "toy.extra: in no layer of docs/architecture.md's table",
        "import circle: toy.extra -> toy.top -> toy.extra",
        "import circle: toy.mid.a -> toy.mid.b -> toy.mid.a",
    ]


def test_a_long_module_is_found_and_vendored_files_are_not(tmp_path):
    package = _toy(tmp_path, {"low.py": "x = 1\n" * (MAX_LINES + 1), "vendor/big.py": "x = 1\n" * 1000, "mid.py": "x = 1\n" * MAX_LINES})
    assert long_modules(package) == {"toy.low": MAX_LINES + 1}


@pytest.mark.parametrize("name, layer", [("imidgraph.neo4j.load", "Stores"), ("imidgraph.neo4j.backend", "Backends"),
                                         ("imidgraph.embedded.answers.paths", "Stores"), ("imidgraph", "Facade and CLI"),
                                         ("imidgraph.explain.words", "Answers"), ("imidgraph.cli.graph", "Facade and CLI")])  # fmt: skip
def test_the_longest_name_of_the_table_decides_a_module_s_layer(name, layer):
    assert layer_of(name, LAYERS, {})[1] == layer
