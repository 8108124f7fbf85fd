"""Paraphrases in our own words: no run of a source's wording, read through invisible and
look-alike characters; and where the source texts are."""

from __future__ import annotations

import functools
import re
import unicodedata
from collections.abc import Mapping
from pathlib import Path

from ..facts import RawSeeds
from ..names import LOOKALIKES
from .records import RecordChecks

COPY_RUN = 8  # a paraphrase may not repeat this many consecutive words of its source


class WordingChecks(RecordChecks):
    """The paraphrases the relation rules collected, against their sources' texts."""

    def copying(self, source_texts: Mapping[str, str]) -> None:
        """Every relation's paraphrase (valid or not) against its source's text."""
        shingles = {sid: _shingles(_words(text)) for sid, text in source_texts.items()}
        for source_id, paraphrase, record in self.paraphrases:
            source_shingles = shingles.get(source_id)
            if not source_shingles:
                continue
            copied = _shingles(_words(paraphrase)) & source_shingles
            if copied:
                run = " ".join(sorted(copied)[0])
                self.problem(
                    record,
                    "paraphrase",
                    f"repeats the source's wording ({run!r}...): write it in our own words",
                )



_NON_ASCII = re.compile(r"[^\x00-\x7f]")
_CONFUSABLES = Path(__file__).resolve().parent.parent / "resources" / "confusables.json"


@functools.cache
def lookalikes() -> dict[int, str]:
    """Every character that looks like a Latin letter -> that letter: Unicode's confusables
    (UTS #39; ``resources/confusables.json``, written by tools/build_confusables.py: Cyrillic,
    Greek, Armenian, Cherokee, Coptic, mathematical and other look-alikes of a-z and A-Z), with
    :data:`imidgraph.names.LOOKALIKES` first where both name one."""
    import json  # read on first use: only a validation with source texts needs it

    letters = json.loads(_CONFUSABLES.read_text(encoding="utf-8"))["letters"]
    table = {ord(ch): letter for letter, chars in letters.items() for ch in chars}
    table.update({ord(ch): letter for ch, letter in LOOKALIKES.items()})
    return table


@functools.lru_cache(maxsize=4096)
def _fold(ch: str) -> str:
    """A non-ASCII character as the wording check reads it: invisible ones vanish, look-alike
    letters are the Latin ones, compatibility forms are plain and accents go."""
    if unicodedata.category(ch) == "Cf":
        return ""
    plain = unicodedata.normalize("NFKD", ch.translate(lookalikes()))
    return "".join(c for c in plain if not unicodedata.combining(c))


def _words(text: str) -> list[str]:
    """The words of a text, so that no invisible or look-alike character hides a copy."""
    folded = _NON_ASCII.sub(lambda m: _fold(m.group()), unicodedata.normalize("NFKC", text))
    return re.findall(r"[a-z0-9]+", folded.casefold())


def _shingles(words: list[str]) -> set[tuple[str, ...]]:
    return {tuple(words[i : i + COPY_RUN]) for i in range(len(words) - COPY_RUN + 1)}


def source_files(raw: RawSeeds) -> dict[str, str]:
    """Source id -> the file name of its text, for the sources that name one."""
    files: dict[str, str] = {}
    for record in raw.sources:
        file = record.get("file")
        if isinstance(file, str) and file and Path(file).name == file and file not in (".", ".."):
            files[str(record.get("id"))] = file
    return files


def read_source_texts(raw: RawSeeds, sources_dir: Path | str) -> dict[str, str]:
    """Full texts of the seeds' sources whose ``file`` is present in ``sources_dir``."""
    texts: dict[str, str] = {}
    for source_id, file in source_files(raw).items():
        path = Path(sources_dir) / file
        if path.is_file():
            texts[source_id] = path.read_text(encoding="utf-8", errors="replace")
    return texts


def missing_source_texts(raw: RawSeeds, sources_dir: Path | str) -> list[str]:
    """``file (source id)`` of every source text the seeds name that ``sources_dir`` lacks."""
    return [
        f"{file} ({source_id})"
        for source_id, file in source_files(raw).items()
        if not (Path(sources_dir) / file).is_file()
    ]
