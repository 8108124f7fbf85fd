"""One seed file read into records that remember their file and line (PyYAML's events,
composed under the limits :mod:`imidgraph.facts` documents); :class:`Problem` and
:class:`Record` are what reading and validating report and pass on."""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING

from . import names
from .model import Location

MAX_FILE_BYTES = 4 * 1024 * 1024  # the largest seed file is under 100 KB
MAX_DEPTH = 16  # nesting of lists and mappings; a relation needs 4
MAX_VALUES = 100_000  # scalars, lists and mappings in one file; the largest seed file has about 5,000

if TYPE_CHECKING:
    import yaml
else:
    yaml = None  # PyYAML, imported by the first read (import_yaml): a graph read from the cache needs none
_Loader: type | None = None


def import_yaml() -> None:
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


class _Unreadable(Exception):
    """A file we do not read any further: its line and why."""

    def __init__(self, line: int, message: str):
        super().__init__(message)
        self.line = line
        self.message = message


def read_file(path: Path, name: str, problems: list[Problem]) -> list[Record] | None:
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
