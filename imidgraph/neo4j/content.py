"""The content hash a load of given seeds records (:attr:`~.plan.LoadPlan.content_hash`),
cached beside the built graphs (:mod:`imidgraph.embedded.cache`) under the same key: the seeds'
content and this code. A command on Neo4j checks the database against it before it asks
anything; making the load plan to hash it is a few hundred milliseconds of a cold start.

The key changes whenever a seed file or the code changes, so a cached hash is never stale;
with the cache turned off (``IMIDGRAPH_CACHE=0``), or seeds that cannot all be read, the hash is
made every time.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING

from ..embedded import cache

if TYPE_CHECKING:
    from ..facts import FactSet

KEEP = 64  # hashes kept; older ones are removed when a new one is written


def content_hash(root: Path, facts: Callable[[], FactSet]) -> str:
    """The load plan's content hash of the seeds at ``root`` (``facts()``: their facts, asked
    only when the hash is not cached)."""

    def make() -> str:
        from .plan import LoadPlan

        return LoadPlan.from_facts(facts()).content_hash

    seeds = cache.seeds_fingerprint(root) if cache.enabled() else None
    if seeds is None:
        return make()
    key = hashlib.blake2b(f"{cache.code_fingerprint()}|{seeds}|load plan".encode(), digest_size=16).hexdigest()
    folder = cache.cache_dir()
    path = folder / f"{key}.content-hash"
    try:
        found = path.read_text(encoding="utf-8").strip()
        if len(found) >= 16 and all(c in "0123456789abcdef" for c in found):
            return found
    except OSError:
        pass
    value = make()
    try:
        folder.mkdir(parents=True, exist_ok=True, mode=0o700)
        fd, tmp = tempfile.mkstemp(dir=folder, prefix=".part-", suffix=".content-hash")
        with os.fdopen(fd, "w", encoding="utf-8") as f:
            f.write(value)
        os.replace(tmp, path)
        for old in sorted(folder.glob("*.content-hash"), key=lambda p: p.stat().st_mtime, reverse=True)[KEEP:]:
            old.unlink(missing_ok=True)
    except OSError:
        pass
    return value
