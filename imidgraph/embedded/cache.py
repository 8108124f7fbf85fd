"""A cache of validated, built graphs, keyed by what they are built from.

Validating the seeds (the curation lint above all) and building the graph take seconds; every
command and every test that reads the graph would pay that again. :func:`cached` keeps the
built :class:`~imidgraph.graph.KnowledgeGraph` as a pickle named after a fingerprint of

* every file below the seeds folder (its path and bytes; a symlinked folder, which the seeds
  reader does not enter, by its name), so that any edit, new, removed or renamed file is a
  different graph;
* the code that validates and builds it (every ``.py`` file of the ``imidgraph`` package and
  the data files of ``resources/`` validation reads), and the Python and pickle versions, so
  that an upgrade never reads an old build. The graph kept holds plain Python objects only (the
  facts, the :class:`~imidgraph.embedded.compact.CompactGraph`, the name index): reading it
  imports neither networkx nor the validator.

A cached graph is therefore never stale: what changed is a new key. Only valid seeds are kept
(invalid ones raise before anything is written). A cache file that cannot be read (truncated,
from another version) is removed and the graph rebuilt. Files are written whole (a temporary
file renamed into place) in a folder only the user can read, ``$IMIDGRAPH_CACHE_DIR`` or
``$XDG_CACHE_HOME/imidgraph/graphs`` (default ``~/.cache/imidgraph/graphs``); the newest
few are kept. ``IMIDGRAPH_CACHE=0`` turns the cache off.
"""

from __future__ import annotations

import gc
import os
import pickle
import sys
from collections.abc import Callable
from pathlib import Path
from typing import TypeVar

try:  # BLAKE2 without hashlib, which loads OpenSSL (a measurable part of a cold start)
    from _blake2 import blake2b
except ImportError:  # another Python than CPython
    from hashlib import blake2b

T = TypeVar("T")

KEEP = 64  # cache files kept; older ones are removed when a new one is written
_PACKAGE = Path(__file__).resolve().parent.parent  # the imidgraph package: all of its code
_code_fingerprint: str | None = None


def enabled() -> bool:
    return os.environ.get("IMIDGRAPH_CACHE", "1").strip().lower() not in ("0", "off", "no", "false")


def cache_dir() -> Path:
    explicit = os.environ.get("IMIDGRAPH_CACHE_DIR")
    if explicit:
        return Path(explicit)
    base = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(base) / "imidgraph" / "graphs"


def code_files() -> list[Path]:
    """What validates and builds a graph: the package's Python files and the data validation
    reads (the look-alike letters of the wording check). Found with ``os.walk`` (a cold start
    pays for this: pathlib's globbing is several times slower)."""
    return [_PACKAGE / p for p in _code_paths()]


def _code_paths() -> list[str]:
    """:func:`code_files`, relative to the package, as strings."""
    found = []
    for top, dirs, files in os.walk(_PACKAGE):
        dirs[:] = [d for d in dirs if d != "__pycache__"]
        rel = os.path.relpath(top, _PACKAGE)
        found += [f if rel == "." else os.path.join(rel, f) for f in files if f.endswith(".py")]
    found += [os.path.join("resources", f) for f in os.listdir(_PACKAGE / "resources") if f.endswith(".json")]
    return sorted(found)


def code_fingerprint() -> str:
    """A hash of :func:`code_files` (their names and bytes) and the versions that read a
    pickle, once per process.

    The hash of the code's bytes is kept beside the cache, under a stamp of the files' names,
    sizes, modification times and inodes: a start with the same stamp reads it back instead of
    reading and hashing every file of the package again (an edited, added or removed file is a
    new stamp, and the bytes are hashed again)."""
    global _code_fingerprint
    if _code_fingerprint is None:
        package = str(_PACKAGE)
        paths = _code_paths()
        versions = f"{sys.version}|pickle {pickle.HIGHEST_PROTOCOL}"
        stamp = blake2b(versions.encode(), digest_size=16)
        for rel in paths:
            st = os.stat(os.path.join(package, rel))
            stamp.update(f"{rel}\0{st.st_size}\0{st.st_mtime_ns}\0{st.st_ino}\0".encode())
        memo = cache_dir() / "code" / stamp.hexdigest()
        try:
            with open(memo, "rb") as f:
                known = f.read().decode("ascii").strip()
        except (OSError, ValueError):
            known = ""
        if len(known) == 128:  # a whole hex digest (never a half-written file: files are renamed into place)
            _code_fingerprint = known
        else:
            h = blake2b(versions.encode())
            for rel in paths:
                h.update(rel.encode() + b"\0")
                with open(os.path.join(package, rel), "rb") as f:
                    h.update(f.read() + b"\0")
            _code_fingerprint = h.hexdigest()
            _store(memo.parent, memo, _code_fingerprint.encode("ascii"), raw=True)
    return _code_fingerprint


def seeds_fingerprint(root: Path) -> str | None:
    """A hash of every file below ``root`` (names and bytes); None when some file cannot be
    read (the graph is then built without the cache, and the reader reports the problem)."""
    h = blake2b()  # a cryptographic hash, and faster than SHA-256 where SHA has no CPU help
    try:
        h.update(str(root.resolve()).encode() + b"\0")
        for top, dirs, files in os.walk(root, followlinks=False):
            dirs.sort()
            rel = os.path.relpath(top, root)
            for d in dirs:
                if os.path.islink(os.path.join(top, d)):
                    h.update(f"L {rel}/{d}\0".encode())  # a symlinked folder: not read, but its presence counts
            for name in sorted(files):
                path = os.path.join(top, name)
                h.update(f"F {rel}/{name}\0".encode())
                if os.path.isfile(path):
                    with open(path, "rb") as f:
                        h.update(blake2b(f.read()).digest())
                else:
                    h.update(b"not a regular file")
    except OSError:
        return None
    return h.hexdigest()


def cached(root: Path, build: Callable[[], T]) -> T:
    """``build()``, or the copy cached for the seeds at ``root`` and this code."""
    if not enabled():
        return build()
    seeds = seeds_fingerprint(root)
    if seeds is None:
        return build()
    key = blake2b(f"{code_fingerprint()}|{seeds}".encode(), digest_size=16).hexdigest()
    folder = cache_dir()
    path = folder / f"{key}.pickle"
    collecting = gc.isenabled()
    try:
        with open(path, "rb") as f:
            gc.disable()  # a graph is many small objects: no collections while they are read
            return pickle.load(f)
    except FileNotFoundError:
        pass
    except Exception:  # a damaged or foreign file: drop it and build again
        path.unlink(missing_ok=True)
    finally:
        if collecting:
            gc.enable()
    value = build()
    _store(folder, path, value)
    return value


def _store(folder: Path, path: Path, value: object, raw: bool = False) -> None:
    """Write ``value`` (pickled, or ``raw`` bytes as they are) whole to ``path``, keeping the
    newest :data:`KEEP` files of the folder (nothing when the folder cannot be written)."""
    import tempfile  # only a cache miss writes

    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".part-", suffix=path.suffix)
        try:
            with os.fdopen(fd, "wb") as f:
                if raw:
                    f.write(value)  # type: ignore[arg-type]
                else:
                    pickle.dump(value, f, protocol=pickle.HIGHEST_PROTOCOL)
            os.replace(tmp, path)
        except BaseException:
            Path(tmp).unlink(missing_ok=True)
            raise
        kept = [p for p in folder.iterdir() if p.is_file() and not p.name.startswith(".part-")]
        for p in sorted(kept, key=lambda p: p.stat().st_mtime, reverse=True)[KEEP:]:
            p.unlink(missing_ok=True)
    except OSError:
        return
