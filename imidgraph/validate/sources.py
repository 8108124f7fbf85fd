"""The rules of sources and of the numbered references a source lists."""

from __future__ import annotations

import re
from pathlib import Path

from ..facts import Record
from ..model import Reference, Source
from .records import REFERENCE_FIELDS, SOURCE_FIELDS, RecordChecks

_DOI = re.compile(r"^10\.\d{4,9}/\S+$")


class SourceChecks(RecordChecks):
    """Sources (DOI, file, numbered references) and their references."""

    def sources(self, records: list[Record]) -> dict[str, Source]:
        sources: dict[str, Source] = {}
        self.numbered: set[str] = set()
        for record in records:
            if not self.fields(record, SOURCE_FIELDS, ["id", "citation"]):
                continue
            source_id, doi = self.text(record, "id"), self.text(record, "doi")
            if not source_id:
                continue
            if doi is None and not self.text(record, "note"):
                self.problem(record, "doi", "missing DOI: give it, or a note saying why it is unknown")
            elif doi is not None and not _DOI.match(doi):
                self.problem(record, "doi", f"malformed DOI {doi!r}")
            file = self.text(record, "file")
            if file is not None and (Path(file).name != file or file in ("", ".", "..")):
                self.problem(record, "file", f"expected a file name in the sources folder, got {file!r}")
                file = None
            if source_id in sources:
                self.problem(record, "id", f"duplicate source id {source_id!r}")
                continue
            sources[source_id] = Source(source_id, doi, self.text(record, "citation") or "", file)
            if record.get("numbered_references") is True:
                self.numbered.add(source_id)
        return sources

    def references(
        self, records: list[Record], sources: dict[str, Source]
    ) -> dict[tuple[str, int], Reference]:
        references: dict[tuple[str, int], Reference] = {}
        for record in records:
            if not self.fields(record, REFERENCE_FIELDS, ["ref", "source", "doi", "title"]):
                continue
            number, source, doi = record["ref"], self.text(record, "source"), self.text(record, "doi")
            if not isinstance(number, int) or isinstance(number, bool) or number < 1:
                self.problem(record, "ref", f"expected a positive reference number, got {number!r}")
                continue
            if source not in sources:
                if "sources" not in self.unread:
                    self.problem(record, "source", f"unknown source {source!r}")
                continue
            if not doi or not _DOI.match(doi):
                self.problem(record, "doi", f"malformed DOI {doi!r}")
                continue
            if (source, number) in references:
                self.problem(record, "ref", f"duplicate reference {number} of {source}")
                continue
            year = record.get("year")
            references[(source, number)] = Reference(
                number, source, doi, self.text(record, "title") or "",
                year if isinstance(year, int) else None,
            )  # fmt: skip
        return references
