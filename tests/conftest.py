from __future__ import annotations

import shutil
from pathlib import Path

import pytest

TINY = Path(__file__).parent / "data" / "tiny"
ROOT = Path(__file__).resolve().parent.parent
SEEDS = ROOT / "seeds"
SHARED_SOURCES = ROOT.parent / "shared" / "sources"


@pytest.fixture
def tiny(tmp_path: Path):
    """A factory: a fresh copy of the tiny seeds, optionally with one file's text changed.

    ``tiny()`` returns the folder; ``tiny("relations/mechanism.yaml", old, new)`` first
    replaces ``old`` by ``new`` in that file (which must contain ``old``).
    """
    root = tmp_path / "seeds"
    shutil.copytree(TINY, root)

    def make(file: str | None = None, old: str | None = None, new: str | None = None) -> Path:
        if file is not None:
            path = root / file
            text = path.read_text(encoding="utf-8") if path.exists() else ""
            if old is None:
                path.write_text(new or "", encoding="utf-8")
            else:
                assert old in text, f"{old!r} not in {file}"
                path.write_text(text.replace(old, new or "", 1), encoding="utf-8")
        return root

    return make
