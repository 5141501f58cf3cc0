"""A Report as the pages show it: the statutory tables with each cell's source and findings, and the marked text."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from markupsafe import Markup, escape

from gongkai.check.report import NAME as SEVERITY_NAME, ORDER
from gongkai.findings import Finding
from gongkai.formats.schema import FormatError, cell_label, load
from gongkai.model import Report
from gongkai.render.layout import Grid, number_text, table_grid

META_FIELDS = (("agency", "发布机关"), ("region", "地区"), ("year", "报告年度"), ("format", "表格版本"),
               ("published", "发布日期"), ("container", "文件类型"), ("script", "字体"), ("source", "文件"),
               ("sha256", "SHA-256"))


@dataclass(slots=True)
class Piece:
    "A run of the source text; `cells` is non-empty where a value was read."

    text: str
    cells: list[str] = field(default_factory=list)


@dataclass(slots=True)
class ReportView:
    meta: list[tuple[str, Any]]
    grids: list[Grid]
    cells: dict[str, dict[str, Any]]  # cell id → label, value, line, snippet, state, finding numbers
    prose_cells: list[str]  # figures read from sentences only (the 2008 format's 正文中的数字)
    findings: list[dict[str, Any]]
    source: Markup  # the text with each read value in <mark data-cells="…">
    full_text: bool  # False: the source is the stored snippets line by line (the file itself is gone)

    @property
    def errors(self) -> int:
        return sum(1 for f in self.findings if f["severity"] == "error")


def finding_rows(findings: tuple[Finding, ...] | list[Finding]) -> list[dict[str, Any]]:
    "Findings, errors first, in their JSON shape plus the Chinese severity and the cells' names."
    rows = []
    for n, f in enumerate(sorted(findings, key=lambda f: ORDER.get(str(f.severity), 3))):
        d = f.to_dict()
        d.update(n=n, severity_name=SEVERITY_NAME.get(d["severity"], d["severity"]),
                 cell_names=[(c, cell_label(c)) for c in f.cells], line=f.where.line,
                 suspect_name=cell_label(f.suspect) if f.suspect else None)
        rows.append(d)
    return rows


def _cell_info(report: Report, findings: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    info: dict[str, dict[str, Any]] = {}
    for cell, value in report.cells.items():
        p = report.provenance.get(cell)
        info[cell] = {"label": cell_label(cell), "value": number_text(value), "blank": value is None,
                      "line": p.line if p else None, "snippet": p.snippet if p else None,
                      "how": p.how if p else None, "page": p.loc.page if p and p.loc else None,
                      "findings": [], "state": "ok", "suspect": False}
    for f in findings:
        for cell in f["cells"]:
            entry = info.setdefault(cell, {"label": cell_label(cell), "value": "", "findings": [], "state": "missing",
                                           "suspect": False})
            entry["findings"].append(f["n"])
            if ORDER[f["severity"]] < ORDER.get(entry["state"], 3):  # a cell shows its worst finding
                entry["state"] = f["severity"]
            entry["suspect"] = entry["suspect"] or f["suspect"] == cell
    return info


def source_pieces(report: Report) -> tuple[list[Piece], bool]:
    "The decoded text cut at every read value, or, without the text, each cell's stored line once."
    spans: dict[tuple[int, int], list[str]] = {}
    if report.text:
        for cell, p in report.provenance.items():
            spans.setdefault((p.start, p.end), []).append(cell)
        pieces, at = [], 0
        for (start, end), cells in sorted(spans.items()):
            if start < at:  # overlapping spans (a split run of digits): the first mark takes them all
                pieces[-1].cells.extend(cells)
                continue
            pieces += [Piece(report.text[at:start]), Piece(report.text[start:end], cells)]
            at = end
        return pieces + [Piece(report.text[at:])], True
    lines: dict[tuple[int, str], list[str]] = {}
    for cell, p in report.provenance.items():
        lines.setdefault((p.line, p.snippet), []).append(cell)
    pieces = []
    for (line, snippet), cells in sorted(lines.items()):
        pieces += [Piece(f"第{line}行："), Piece(snippet, cells), Piece("\n")]
    return pieces, False


def marked(pieces: list[Piece]) -> Markup:
    "The pieces as HTML, built here in one join: a template loop over a long report's pieces costs 20 ms a page."
    return Markup("").join(Markup('<mark data-cells="{}">{}</mark>').format(" ".join(p.cells), p.text) if p.cells
                           else escape(p.text) for p in pieces)


def report_view(report: Report) -> ReportView:
    "Everything a check or report page draws for one report (its findings are taken as given)."
    findings = finding_rows(report.findings)
    try:
        spec = load(str(report.format))
    except FormatError:  # no tables were found: meta, findings and text are still worth showing
        spec = None
    grids = [table_grid(spec, t, report.cells) for t in spec.tables] if spec else []
    in_tables = {c for t in spec.tables for c in t.cells} if spec else set()
    prose = [c for c in report.cells if c not in in_tables]
    meta = [(label, report.meta[k]) for k, label in META_FIELDS if report.meta.get(k) not in (None, "")]
    pieces, full = source_pieces(report)
    return ReportView(meta, grids, _cell_info(report, findings), prose, findings, marked(pieces), full)
