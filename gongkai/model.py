"""The nouns every stage shares: Loc, Document, Report."""
from __future__ import annotations

import bisect
from dataclasses import dataclass, field, replace
from operator import attrgetter
from typing import Any, NamedTuple

from gongkai.findings import Finding

Number = int | float


@dataclass(frozen=True, slots=True)
class Loc:
    "Where a piece of a Document came from in its container: offsets into Document.text, plus page/table/cell."

    start: int
    end: int
    table: int | None = None  # 0-based index of the table in the container (HTML, DOCX, PDF)
    row: int | None = None
    col: int | None = None
    page: int | None = None  # 1-based, PDF/DOCX
    bbox: tuple[float, float, float, float] | None = None  # PDF points: x0, top, x1, bottom

    def as_dict(self) -> dict[str, Any]:
        return {k: getattr(self, k) for k in self.__slots__ if getattr(self, k) is not None}


@dataclass(frozen=True, slots=True)
class Document:
    """What the read stage gives the parse stage: the decoded text and where its pieces came from.

    Tables of every container are written into `text` as pipe rows (`a | b | c |`, one line per grid row,
    spanned cells repeated), so one parser serves every container; `locs` maps text offsets back to
    the table cell, page or box they were read from.
    """

    text: str
    source: str = "<bytes>"
    sha256: str = ""
    container: str = "text"  # text | html | pdf | docx
    encoding: str | None = None
    locs: tuple[Loc, ...] = ()  # sorted by start
    findings: tuple[Finding, ...] = ()
    published: str | None = None  # ISO date from page metadata, when the container carries one
    title: str | None = None

    def loc_at(self, offset: int) -> Loc | None:
        "The container location covering a text offset, if the reader recorded one."
        if not self.locs:
            return None
        i = bisect.bisect_right(self.locs, offset, key=attrgetter("start")) - 1  # no list of starts built per call
        if i >= 0 and self.locs[i].start <= offset < self.locs[i].end:
            return self.locs[i]
        return None


class Provenance(NamedTuple):  # a tuple: built for every cell of every report, cheaper than a frozen dataclass
    "Where a cell's value was read: offsets into the decoded text, the line it stands on, the container place."

    start: int
    end: int
    line: int  # 1-based line number in the decoded text
    snippet: str  # the printed text of the value's line (or its neighbourhood), as printed
    loc: Loc | None = None
    how: str = "read"  # read | split (solved from a run of digits) | prose

    def as_dict(self) -> dict[str, Any]:
        d: dict[str, Any] = {"start": self.start, "end": self.end, "line": self.line, "snippet": self.snippet}
        if self.how != "read":
            d["how"] = self.how
        if self.loc is not None:
            d.update({k: v for k, v in self.loc.as_dict().items() if k not in ("start", "end")})
        return d


@dataclass(frozen=True, slots=True)
class Report:
    "One parsed annual report: meta, canonical cells (None = printed blank), provenance, findings."

    meta: dict[str, Any]
    cells: dict[str, Number | None]
    provenance: dict[str, Provenance] = field(default_factory=dict)
    findings: tuple[Finding, ...] = ()
    text: str = ""  # the decoded text the offsets point into

    @property
    def format(self) -> str | None:
        return self.meta.get("format")

    def with_cell(self, cell: str, value: Number | None) -> "Report":
        "A copy with one cell changed (for tests and mutation benchmarks); the cell's provenance is kept."
        return replace(self, cells={**self.cells, cell: value})

    def with_findings(self, findings: tuple[Finding, ...]) -> "Report":
        return replace(self, findings=findings)

    def to_dict(self) -> dict[str, Any]:
        "The JSON shape of `gongkai parse --json`."
        return {
            "meta": self.meta,
            "cells": self.cells,
            "provenance": {k: p.as_dict() for k, p in self.provenance.items()},
            "findings": [f.to_dict() for f in self.findings],
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> "Report":
        "Read back the JSON of `gongkai parse --json` (or a gold file: meta + cells)."
        prov = {}
        for k, p in (data.get("provenance") or {}).items():
            prov[k] = Provenance(p.get("start", 0), p.get("end", 0), p.get("line", 0), p.get("snippet", ""),
                                 how=p.get("how", "read"))
        findings = tuple(Finding.from_dict(f) for f in data.get("findings") or ())
        return cls(meta=dict(data.get("meta") or {}), cells=dict(data.get("cells") or {}),
                   provenance=prov, findings=findings)
