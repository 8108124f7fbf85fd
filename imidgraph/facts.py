"""Read ``seeds/`` into records that remember their file and line.

Reading only checks syntax and shape (a list of mappings, no duplicate keys). Meaning is
checked by :mod:`imidgraph.validate`, which turns records into a :class:`FactSet`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

import yaml

from .model import Entity, Location, Reference, Relation, Source

try:  # libyaml is ten times faster; fall back to the pure-Python parser
    _Loader: type = yaml.CSafeLoader
except AttributeError:  # pragma: no cover - depends on how PyYAML was built
    _Loader = yaml.SafeLoader


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the seeds, pinned to file, line and field."""

    location: Location
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.location}: " + (f"field '{self.field}': " if self.field else "")
        return where + self.message


class Record(dict):
    """A mapping read from YAML, with the line of the record and of each field."""

    def __init__(self, location: Location, lines: dict[str, int]):
        super().__init__()
        self.location = location
        self.lines = lines

    def at(self, key: str) -> Location:
        """Location of field ``key`` (the record's own line if the field is absent)."""
        return Location(self.location.file, self.lines.get(key, self.location.line))


@dataclass
class RawSeeds:
    """Records as read, grouped by kind, and the syntax problems met on the way."""

    root: Path
    sources: list[Record] = field(default_factory=list)
    references: list[Record] = field(default_factory=list)
    entities: list[Record] = field(default_factory=list)
    relations: list[Record] = field(default_factory=list)
    problems: list[Problem] = field(default_factory=list)


@dataclass
class FactSet:
    """Validated facts: what the graph is built from."""

    sources: dict[str, Source]
    references: dict[tuple[str, int], Reference]
    entities: dict[str, Entity]
    relations: list[Relation]
    locations: dict[str, Location] = field(default_factory=dict)  # entity or relation id -> where


def default_seeds_dir() -> Path:
    """``$IMIDGRAPH_SEEDS``, else the repository's ``seeds/``, else the packaged copy."""
    env = os.environ.get("IMIDGRAPH_SEEDS")
    if env:
        return Path(env)
    here = Path(__file__).resolve().parent
    for candidate in (here.parent / "seeds", here / "seeds"):
        if (candidate / "sources.yaml").is_file():
            return candidate
    return here.parent / "seeds"


def read_seeds(root: Path | str) -> RawSeeds:
    """Read every YAML file below ``root``: sources, references, entities/, relations/."""
    root = Path(root)
    raw = RawSeeds(root=root)
    if not root.is_dir():
        raw.problems.append(Problem(Location(str(root), 0), None, "seeds folder not found"))
        return raw
    layout = [
        ("sources", sorted(root.glob("sources.yaml"))),
        ("references", sorted(root.glob("references.yaml"))),
        ("entities", sorted((root / "entities").glob("*.yaml"))),
        ("relations", sorted((root / "relations").glob("*.yaml"))),
    ]
    if not layout[0][1]:
        raw.problems.append(Problem(Location(str(root / "sources.yaml"), 0), None, "missing file"))
    for kind, paths in layout:
        for path in paths:
            getattr(raw, kind).extend(_read_file(path, _display(path, root), raw.problems))
    return raw


def _display(path: Path, root: Path) -> str:
    """A path as shown in problems: relative to the seeds folder's parent."""
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


def _read_file(path: Path, name: str, problems: list[Problem]) -> list[Record]:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as e:
        problems.append(Problem(Location(name, 0), None, f"cannot read file: {e}"))
        return []
    loader = _Loader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None)
        line = mark.line + 1 if mark else 0
        problems.append(Problem(Location(name, line), None, f"YAML syntax error: {e.problem}"))
        return []
    finally:
        loader.dispose()
    if node is None:
        return []
    if not isinstance(node, yaml.SequenceNode):
        problems.append(Problem(Location(name, node.start_mark.line + 1), None, "expected a list of records"))
        return []
    scalars = yaml.SafeLoader("")  # constructs scalar values with YAML's implicit types
    records = []
    for item in node.value:
        loc = Location(name, item.start_mark.line + 1)
        if not isinstance(item, yaml.MappingNode):
            problems.append(Problem(loc, None, "expected a mapping (key: value) record"))
            continue
        records.append(_record(item, name, scalars, problems))
    return records


def _record(node: yaml.MappingNode, name: str, scalars: yaml.SafeLoader, problems: list[Problem]) -> Record:
    record = Record(Location(name, node.start_mark.line + 1), {})
    for key_node, value_node in node.value:
        key = str(key_node.value)
        line = key_node.start_mark.line + 1
        if key in record:
            problems.append(Problem(Location(name, line), key, "duplicate key in record"))
            continue
        record.lines[key] = line
        record[key] = _plain(value_node, scalars)
    return record


def _plain(node: yaml.Node, scalars: yaml.SafeLoader):
    """Construct a plain Python value from a node (safe types only)."""
    if isinstance(node, yaml.MappingNode):
        return {str(k.value): _plain(v, scalars) for k, v in node.value}
    if isinstance(node, yaml.SequenceNode):
        return [_plain(v, scalars) for v in node.value]
    return scalars.construct_object(node)
