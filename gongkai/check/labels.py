"""Short Chinese names of cells, and where a report printed them, for the audit's messages."""
from __future__ import annotations

import re
from functools import cache

from gongkai.findings import Where
from gongkai.formats.schema import cell_catalog
from gongkai.model import Report

_PART = re.compile(r"^([一二三四五六七八九十]+)(?:、(.*))?$")


@cache
def label(cell: str) -> str:
    "A cell as a reader of the table names it: '第三项（七）总计 自然人', '行政复议 结果维持'."
    return f"{row_label(cell)} {column_label(cell)}".strip()


@cache
def column_label(cell: str) -> str:
    "The column a cell stands in, its last header: '自然人', '商业企业', '结果维持' ('' in prose-only cells)."
    info = cell_catalog().get(cell)
    return info.column.removeprefix("法人或其他组织/") if info is not None and info.column else ""


@cache
def row_label(cell: str) -> str:
    "The row a cell stands in: '第三项（七）总计', '第一项（本年新收政府信息公开申请数量）', '行政复议'."
    info = cell_catalog().get(cell)
    if info is None:
        return cell
    parts = info.row.split("/")
    m = _PART.match(parts[0])
    if m and len(parts) > 1:  # "三" or "三、本年度办理结果" heading a sub-row: the sub-row says enough
        row = f"第{m.group(1)}项" + "".join(" " + x if x[:1].isdigit() else x for x in parts[1:])
    elif m:
        row = f"第{m.group(1)}项（{m.group(2)}）" if m.group(2) else f"第{m.group(1)}项"
    else:
        row = " ".join(parts)
    return row


def value_text(value: int | float | None) -> str:
    "A value as the message prints it: blank cells say 空白."
    if value is None:
        return "空白"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    return str(value)


def where(report: Report, cell: str | None) -> Where:
    "The source place of a cell: file, offsets, line and snippet from its provenance (file only if none)."
    source = report.meta.get("source")
    p = report.provenance.get(cell) if cell else None
    if p is None:
        return Where(source=source)
    page = p.loc.page if p.loc is not None else None
    return Where(source, (p.start, p.end), p.line or None, page, p.snippet or None)


def where_text(report: Report, start: int, end: int) -> Where:
    "The source place of a stretch of the report's text (a sentence, a heading)."
    line = report.text.count("\n", 0, start) + 1
    lo = report.text.rfind("\n", 0, start) + 1
    hi = report.text.find("\n", end)
    snippet = report.text[lo:hi if hi >= 0 else len(report.text)].strip()
    if len(snippet) > 160:
        snippet = report.text[max(lo, start - 60):end + 60].strip()
    return Where(report.meta.get("source"), (start, end), line, None, snippet)
