"""Continuity across one agency's reports: carried-over requests, 2019-format item counts, duplicate years."""
from __future__ import annotations

from functools import lru_cache
from typing import Iterable

from gongkai.check.labels import label, value_text, where
from gongkai.findings import Finding, finding
from gongkai.model import Report
from gongkai.parse.normalize import key

COLUMNS = ("natural", "commercial", "research", "social", "legal", "other_org", "total")
# 2019-format items whose 上一年项目数量 is last year's count plus last year's 本年增/减.
ITEMS = ("license", "other_service", "penalty", "coercion", "fee")


def agency_key(report: Report) -> str | None:
    "Who published the report, as a matching key (folded, simplified, no whitespace); None if unknown."
    agency = report.meta.get("agency")
    return _agency_key(agency) if agency else None


@lru_cache(maxsize=65536)
def _agency_key(agency: str) -> str:
    return key(agency)


def same_agency(report: Report, history: Iterable[Report]) -> list[Report]:
    "The other reports of the report's agency (never the report itself, nor one of unknown agency)."
    me = agency_key(report)
    if me is None:
        return []
    return [h for h in history if h is not report and agency_key(h) == me and isinstance(h.meta.get("year"), int)]


def _num(report: Report, cell: str) -> int | float | None:
    "A cell's value for comparison: absent → None (not extracted), printed blank → 0."
    if cell not in report.cells:
        return None
    return report.cells[cell] or 0


def check_carry(report: Report, last: Report) -> list[Finding]:
    "This year's 上年结转 equals last year's 结转下年度, column by column."
    out = []
    for col in COLUMNS:
        this_cell, prev_cell = f"requests.carried_over.{col}", f"requests.carried_forward.{col}"
        this, prev = _num(report, this_cell), _num(last, prev_cell)
        if this is None or prev is None or this == prev:
            continue
        out.append(finding("check.continuity.carry", cell_label=label(this_cell), year=report.meta["year"],
                           prev_year=last.meta["year"], this_value=value_text(this), prev_value=value_text(prev),
                           other=last.meta.get("source") or "", cells=(this_cell,), suspect=this_cell,
                           where=where(report, this_cell)))
    return out


def check_items(report: Report, last: Report) -> list[Finding]:
    "2019 format: this year's 上一年项目数量 equals last year's 上一年项目数量 plus its 本年增/减."
    if report.meta.get("format") != "2019" or last.meta.get("format") != "2019":
        return []
    out = []
    for item in ITEMS:
        cell = f"active.{item}.prev_items"
        this, prev_items, prev_change = _num(report, cell), _num(last, cell), _num(last, f"active.{item}.change")
        if None in (this, prev_items, prev_change) or this == prev_items + prev_change:
            continue
        out.append(finding("check.continuity.items", cell_label=label(cell), year=report.meta["year"],
                           prev_year=last.meta["year"], this_value=value_text(this),
                           prev_items=value_text(prev_items), prev_change=value_text(prev_change),
                           prev_value=value_text(prev_items + prev_change), cells=(cell,), suspect=cell,
                           where=where(report, cell)))
    return out


def check_duplicate(report: Report, other: Report) -> list[Finding]:
    "The same agency and year reported twice with different numbers: one warning naming the differing cells."
    if report.meta.get("sha256") and report.meta.get("sha256") == other.meta.get("sha256"):
        return []
    differ = [c for c in report.cells if c in other.cells and (report.cells[c] or 0) != (other.cells[c] or 0)]
    if not differ:
        return []
    c = differ[0]
    example = f"{label(c)}：本报告 {value_text(report.cells[c])}，另一份 {value_text(other.cells[c])}"
    return [finding("check.duplicate.conflict", agency=report.meta.get("agency"), year=report.meta.get("year"),
                    other=other.meta.get("source") or "另一份报告", count=len(differ), example=example,
                    cells=tuple(differ), where=where(report, c))]


def check_continuity(report: Report, history: Iterable[Report]) -> list[Finding]:
    "Every continuity finding of a report against the other reports of its agency given in history."
    year = report.meta.get("year")
    if not isinstance(year, int):
        return []
    out: list[Finding] = []
    for other in same_agency(report, history):
        if other.meta["year"] == year - 1:
            out += check_carry(report, other) + check_items(report, other)
        elif other.meta["year"] == year:
            out += check_duplicate(report, other)
    return out
