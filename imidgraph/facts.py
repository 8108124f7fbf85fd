"""Read ``seeds/`` into records that remember their file and line.

Reading only checks syntax and shape: UTF-8 text without control characters, plain YAML
(no anchors, aliases, tags or merge keys), a list of mappings, no duplicate keys at any depth.
Meaning is checked by :mod:`imidgraph.validate`, which turns records into a :class:`FactSet`.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from pathlib import Path

from .model import Entity, Location, Reference, Relation, Source
from .seed_file import MAX_DEPTH, MAX_FILE_BYTES, MAX_VALUES, Problem, Record, import_yaml, read_file

__all__ = ["MAX_DEPTH", "MAX_FILE_BYTES", "MAX_VALUES", "FactSet", "Problem", "RawSeeds", "Record", "read_seeds"]

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


def read_seeds(root: Path | str) -> RawSeeds:
    """Read ``root``: sources.yaml, references.yaml, and every YAML file below entities/, relations/.

    A missing or empty file or folder is one problem, and its kind goes into ``unread`` so
    that validation does not blame every record that refers to what it would have held.
    """
    import_yaml()
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
        read = read_file(path, _display(path, raw.root), raw.problems)
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

