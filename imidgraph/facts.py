"""Read ``seeds/`` into records that remember their file and line.

Reading only checks syntax and shape: UTF-8 text without control characters, plain YAML
(no anchors, aliases, tags or merge keys), a list of mappings, no duplicate keys at any depth.
Meaning is checked by :mod:`imidgraph.validate`, which turns records into a :class:`FactSet`.
"""

from __future__ import annotations

import os
import re
import unicodedata
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from . import names
from .model import Entity, Location, Reference, Relation, Source

if TYPE_CHECKING:
    import yaml
else:
    yaml = None  # PyYAML, imported by the first read (_import_yaml): a graph read from the cache needs none
_Loader: type | None = None


def _import_yaml() -> None:
    global yaml, _Loader
    if _Loader is None:
        import yaml as module

        yaml = module
        # libyaml is ten times faster; fall back to the pure-Python parser
        _Loader = getattr(module, "CSafeLoader", None) or module.SafeLoader


@dataclass(frozen=True)
class Problem:
    """One thing wrong with the seeds, pinned to file, line and field."""

    location: Location
    field: str | None
    message: str

    def __str__(self) -> str:
        where = f"{self.location}: " + (f"field '{self.field}': " if self.field else "")
        return names.printable(where + self.message)


class Record(dict):
    """A mapping read from YAML, with the line of the record and of each field."""

    def __init__(self, location: Location, lines: dict[str, int]):
        super().__init__()
        self.location = location
        self.lines = lines
        self.unreadable: set[str] = set()  # fields whose value could not be read (already a problem)

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
    unread: set[str] = field(default_factory=set)  # kinds with a file or folder that was not read


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


SEED_FILES = ("sources", "references")  # <kind>.yaml in the seeds folder
SEED_FOLDERS = ("entities", "relations")  # every *.yaml and *.yml below <kind>/, subfolders too
YAML_SUFFIXES = (".yaml", ".yml")
MAX_FILE_BYTES = 4 * 1024 * 1024  # the largest seed file is under 100 KB
MAX_DEPTH = 16  # nesting of lists and mappings; a relation needs 4
MAX_VALUES = 100_000  # scalars, lists and mappings in one file; the largest seed file has about 5,000


def read_seeds(root: Path | str) -> RawSeeds:
    """Read ``root``: sources.yaml, references.yaml, and every YAML file below entities/, relations/.

    A missing or empty file or folder is one problem, and its kind goes into ``unread`` so
    that validation does not blame every record that refers to what it would have held.
    """
    _import_yaml()
    root = Path(root)
    raw = RawSeeds(root=root)
    if not root.is_dir():
        raw.problems.append(Problem(Location(str(root), 0), None, "seeds folder not found"))
        raw.unread.update(SEED_FILES + SEED_FOLDERS)
        return raw
    real_root = root.resolve()
    for kind in SEED_FILES:
        path = root / f"{kind}.yaml"
        if _outside(raw, path, real_root):
            raw.unread.add(kind)
            continue
        if not path.is_file():
            raw.problems.append(Problem(Location(_display(path, root), 0), None, "missing file"))
            raw.unread.add(kind)
            continue
        _read_kind(raw, kind, [path])
    for kind in SEED_FOLDERS:
        folder = root / kind
        if _outside(raw, folder, real_root):
            raw.unread.add(kind)
            continue
        if not folder.is_dir():
            raw.problems.append(Problem(Location(_display(folder, root), 0), None, "missing folder"))
            raw.unread.add(kind)
            continue
        paths = sorted(p for p in _walk(raw, folder, real_root) if _is_yaml(p) and p.is_file())
        _read_kind(raw, kind, paths, where=_display(folder, root))
    _unread_yaml(raw, root)
    return raw


def _outside(raw: RawSeeds, path: Path, real_root: Path) -> bool:
    """True (and one problem naming it) when ``path`` is a symlink the seeds do not follow: a
    symlinked folder, or a file whose target lies outside the seeds folder. A symlinked file
    whose target is inside the seeds folder is read (as the file it points to)."""
    if not path.is_symlink():
        return False
    target = path.resolve()
    if path.is_dir():
        why = f"a symlinked folder (to {target}) is not read: put the files themselves in the seeds folder"
    elif target == real_root or real_root in target.parents:
        return False
    else:
        why = f"a symlink to {target}, outside the seeds folder, is not read: copy the file into the seeds folder"
    raw.problems.append(Problem(Location(_display(path, raw.root), 0), None, why))
    return True


def _walk(raw: RawSeeds, folder: Path, real_root: Path) -> list[Path]:
    """Every file below ``folder`` (symlinks outside the seeds folder reported, not followed)."""
    out: list[Path] = []
    for top, dirs, files in os.walk(folder, followlinks=False):
        for name in sorted(dirs):
            if _outside(raw, Path(top) / name, real_root):
                dirs.remove(name)
        paths = [Path(top) / name for name in sorted(files)]
        out += [p for p in paths if _is_yaml(p) and not _outside(raw, p, real_root)]
    return out


def _read_kind(raw: RawSeeds, kind: str, paths: list[Path], where: str | None = None) -> None:
    records: list[Record] = getattr(raw, kind)
    for path in paths:
        read = _read_file(path, _display(path, raw.root), raw.problems)
        if read is None:
            raw.unread.add(kind)
        else:
            records.extend(read)
    if kind == "references" or records or kind in raw.unread:
        return  # an empty reference list is fine: not every source numbers its references
    shown = where or _display(paths[0], raw.root)
    raw.problems.append(Problem(Location(shown, 0), None, f"no {kind} found here"))
    raw.unread.add(kind)


def _unread_yaml(raw: RawSeeds, root: Path) -> None:
    """YAML files the layout does not read are problems, never silently ignored."""
    expected = {f"{kind}.yaml" for kind in SEED_FILES} | set(SEED_FOLDERS)
    for path in sorted(root.iterdir()):
        if path.name in expected:
            continue
        if path.is_dir():
            try:
                strays = sorted(p for p in path.iterdir() if _is_yaml(p))
            except OSError:
                continue  # a folder we may not list holds nothing we could read either
            if strays:
                raw.unread.add("entities")  # it may hold entities: relations naming them are not blamed
                raw.problems.append(Problem(
                    Location(_display(strays[0], root), 0), None,
                    f"not read: folder {path.name}/ is not part of the seeds "
                    "(entities go in entities/, relations in relations/)",
                ))  # fmt: skip
        elif _is_yaml(path):
            raw.unread.add("entities")
            raw.problems.append(Problem(
                Location(_display(path, root), 0), None,
                "not read: the seeds are sources.yaml, references.yaml, entities/ and relations/",
            ))  # fmt: skip


def _is_yaml(path: Path) -> bool:
    return path.suffix.lower() in YAML_SUFFIXES


def _display(path: Path, root: Path) -> str:
    """A path as shown in problems: relative to the seeds folder's parent."""
    try:
        return str(path.relative_to(root.parent))
    except ValueError:
        return str(path)


class _Unreadable(Exception):
    """A file we do not read any further: its line and why."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def _read_file(path: Path, name: str, problems: list[Problem]) -> list[Record] | None:
    """The file's records; None (and one problem) when the file cannot be read at all."""
    try:
        node = _compose(_read_text(path))
    except _Unreadable as e:
        problems.append(Problem(Location(name, e.line), None, e.message))
        return None
    if node is None:
        return []
    if not isinstance(node, yaml.SequenceNode):
        problems.append(Problem(Location(name, node.start_mark.line + 1), None, "expected a list of records"))
        return None
    scalars = yaml.SafeLoader("")  # constructs scalar values with YAML's implicit types
    records = []
    for item in node.value:
        loc = Location(name, item.start_mark.line + 1)
        if not isinstance(item, yaml.MappingNode):
            problems.append(Problem(loc, None, "expected a mapping (key: value) record"))
            continue
        records.append(_record(item, name, scalars, problems))
    return records


_SUSPECT = re.compile(r"[^\t\n\r\x20-\x7e]")


def _read_text(path: Path) -> str:
    """The file as text: UTF-8, of bounded size, without control or invisible characters."""
    try:
        with path.open("rb") as f:
            data = f.read(MAX_FILE_BYTES + 1)
    except OSError as e:
        raise _Unreadable(0, f"cannot read file: {e.strerror or e}") from e
    if len(data) > MAX_FILE_BYTES:
        raise _Unreadable(0, f"file larger than {MAX_FILE_BYTES // (1024 * 1024)} MiB: split it")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as e:
        line = data.count(b"\n", 0, e.start) + 1
        raise _Unreadable(line, f"not UTF-8 text (byte 0x{data[e.start]:02x})") from e
    for match in _SUSPECT.finditer(text):
        ch, at = match.group(), match.start()
        if ch == "\ufeff" and at == 0:
            continue  # a byte order mark opening the file is harmless
        if unicodedata.category(ch) in ("Cc", "Cf", "Cs", "Zl", "Zp"):
            line = text.count("\n", 0, at) + 1
            column = at - (text.rfind("\n", 0, at) + 1) + 1
            raise _Unreadable(
                line,
                f"{names.describe(ch)} at column {column}: seed files hold printable text, "
                "tabs and line breaks only",
            )
    return text


def _compose(text: str) -> yaml.Node | None:
    """The document's node tree, built from the parser's events.

    Anchors, aliases, merge keys and tags are refused where they appear (curated data needs
    none, and aliases are how a small file expands to a billion items or refers to itself);
    nesting is bounded, and only one document is read.
    """
    loader = _Loader(text)
    try:
        return _compose_events(loader)
    except yaml.YAMLError as e:
        mark = getattr(e, "problem_mark", None) or getattr(e, "context_mark", None)
        why = " ".join(str(getattr(e, "problem", None) or e).split())
        raise _Unreadable(mark.line + 1 if mark else 0, f"YAML syntax error: {why}") from e
    finally:
        loader.dispose()


def _compose_events(loader) -> yaml.Node | None:
    """The node tree from the parser's events (one branch per event type, the common ones first:
    this loop is most of the time a large seeds folder takes to read)."""
    scalar_event, end_events = yaml.ScalarEvent, (yaml.MappingEndEvent, yaml.SequenceEndEvent)
    mapping_start, sequence_start = yaml.MappingStartEvent, yaml.SequenceStartEvent
    scalar_node, mapping_node, sequence_node = yaml.ScalarNode, yaml.MappingNode, yaml.SequenceNode
    resolve = loader.resolve
    root: yaml.Node | None = None
    stack: list[tuple[yaml.Node, list[yaml.Node]]] = []  # open collections and their items
    documents = values = 0
    while loader.check_event():
        event = loader.get_event()
        kind = type(event)
        if kind is scalar_event or kind is mapping_start or kind is sequence_start:
            if event.anchor is not None:
                raise _Unreadable(event.start_mark.line + 1, f"YAML anchor &{event.anchor} not allowed: write the value out")
            if event.tag not in (None, "!"):
                raise _Unreadable(event.start_mark.line + 1, f"YAML tag {event.tag} not allowed: write plain values")
            values += 1
            if values > MAX_VALUES:
                raise _Unreadable(event.start_mark.line + 1, f"more than {MAX_VALUES:,} values in one file: split it")
            if kind is scalar_event:
                # a quoted or block scalar is text; only a plain one's type is resolved from its value
                tag = resolve(scalar_node, event.value, event.implicit) if event.implicit[0] else _STR
                if tag == "tag:yaml.org,2002:merge":
                    raise _Unreadable(event.start_mark.line + 1, "YAML merge key '<<' not allowed: write the keys out")
                node: yaml.Node = scalar_node(tag, event.value, event.start_mark, event.end_mark, event.style)
                if stack:
                    stack[-1][1].append(node)
                else:
                    root = node
                continue
            if len(stack) >= MAX_DEPTH:
                raise _Unreadable(event.start_mark.line + 1, f"nested more than {MAX_DEPTH} levels deep")
            if kind is sequence_start:
                node = sequence_node("tag:yaml.org,2002:seq", [], event.start_mark, event.end_mark, event.flow_style)
            else:
                node = mapping_node("tag:yaml.org,2002:map", [], event.start_mark, event.end_mark, event.flow_style)
            if stack:
                stack[-1][1].append(node)
            else:
                root = node
            stack.append((node, []))
        elif kind in end_events:
            node, items = stack.pop()
            node.end_mark = event.end_mark
            node.value = list(zip(items[::2], items[1::2], strict=True)) if type(node) is mapping_node else items
        elif kind is yaml.AliasEvent:
            raise _Unreadable(event.start_mark.line + 1, f"YAML alias *{event.anchor} not allowed: write the value out")
        elif kind is yaml.DocumentStartEvent:
            documents += 1
            if documents > 1:
                raise _Unreadable(event.start_mark.line + 1, "more than one YAML document ('---') in the file")
        # stream and document ends: nothing to do
    return root


def _record(node: yaml.MappingNode, name: str, scalars: yaml.SafeLoader, problems: list[Problem]) -> Record:
    record = Record(Location(name, node.start_mark.line + 1), {})
    for key_node, value_node in node.value:
        line = key_node.start_mark.line + 1
        key = _key(key_node, name, problems)
        if key is None:
            continue
        if key in record:
            problems.append(Problem(Location(name, line), key, "duplicate key in record"))
            continue
        record.lines[key] = line
        value = _plain(value_node, name, key, scalars, problems)
        if value is _UNREADABLE:
            record.unreadable.add(key)
        else:
            record[key] = value
    return record


def _key(node: yaml.Node, name: str, problems: list[Problem]) -> str | None:
    if isinstance(node, yaml.ScalarNode):
        return str(node.value)
    problems.append(Problem(Location(name, node.start_mark.line + 1), None, "a key must be plain text"))
    return None


def _plain(node: yaml.Node, name: str, field: str, scalars: yaml.SafeLoader, problems: list[Problem]):
    """Construct a plain Python value from a node (safe types only); nested keys are unique."""
    if isinstance(node, yaml.MappingNode):
        out = {}
        for key_node, value_node in node.value:
            key = _key(key_node, name, problems)
            if key is None:
                continue
            if key in out:
                line = key_node.start_mark.line + 1
                problems.append(Problem(Location(name, line), f"{field}.{key}", "duplicate key"))
                continue
            value = _plain(value_node, name, f"{field}.{key}", scalars, problems)
            if value is not _UNREADABLE:
                out[key] = value
        return out
    if isinstance(node, yaml.SequenceNode):
        items = [_plain(v, name, field, scalars, problems) for v in node.value]
        return [v for v in items if v is not _UNREADABLE]
    if node.tag == _STR:
        return node.value  # what the constructor returns for text, without its bookkeeping
    try:
        return scalars.construct_object(node)
    except (ValueError, yaml.YAMLError) as e:
        why = " ".join(str(getattr(e, "problem", None) or e).split()).split(";")[0]
        problems.append(Problem(Location(name, node.start_mark.line + 1), field, f"cannot read value: {why}"))
        return _UNREADABLE


_STR = "tag:yaml.org,2002:str"
_UNREADABLE = object()  # a value that could not be constructed; its problem is already recorded
