"""Continuity across one agency's reports: carried-over requests, 2019-format item counts, duplicate years.

Reports are pooled in a `Pool` that keeps, of each report, only a `Trace`: agency, year, the few cells compared
across years and where they stand. Work stays linear in the number of reports: a report is compared with the
first version of its own year (once, as it is added) and with last year's reports through their first version.
"""
from __future__ import annotations

from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable, Mapping

from gongkai.check.labels import label, value_text, where
from gongkai.findings import Finding, Where, finding
from gongkai.model import Number, Report
from gongkai.parse.normalize import key

COLUMNS = ("natural", "commercial", "research", "social", "legal", "other_org", "total")
# 2019-format items whose 上一年项目数量 is last year's count plus last year's 本年增/减.
ITEMS = ("license", "other_service", "penalty", "coercion", "fee")
CARRIED_OVER = tuple(f"requests.carried_over.{c}" for c in COLUMNS)
CARRIED_FORWARD = tuple(f"requests.carried_forward.{c}" for c in COLUMNS)
PREV_ITEMS = tuple(f"active.{i}.prev_items" for i in ITEMS)
CHANGE = tuple(f"active.{i}.change" for i in ITEMS)
NAMED = 3  # files a duplicate finding names before "等 N 份"

Values = tuple[Number | None, ...]


def agency_key(report: Report) -> str | None:
    "Who published the report, as a matching key (folded, simplified, no whitespace); None if unknown."
    agency = report.meta.get("agency")
    return _agency_key(agency) if agency else None


@lru_cache(maxsize=65536)
def _agency_key(agency: str) -> str:
    return key(agency)


def _num(cells: Mapping[str, Number | None], cell: str) -> Number | None:
    "A cell's value for comparison: absent → None (not extracted), printed blank → 0."
    if cell not in cells:
        return None
    return cells[cell] or 0


def _values(cells: Mapping[str, Number | None], ids: tuple[str, ...]) -> Values:
    return tuple(_num(cells, c) for c in ids)


@dataclass(slots=True, eq=False)
class Trace:
    "What continuity keeps of one report: who, which year, the cells compared across years and where they stand."

    agency: str
    year: int
    meta: dict[str, Any]  # agency, year, format, source: what the messages print
    checked: bool  # a report being checked (gets findings), not history it is compared with
    carried_over: Values
    carried_forward: Values
    prev_items: Values
    change: Values
    places: dict[str, Where] = field(default_factory=dict)  # carried-over and item cells of a checked report
    differ: tuple[str, ...] = ()  # cells that differ from the first version of the same year
    example: str = ""
    place: Where | None = None  # where the first differing cell stands in this report

    @property
    def source(self) -> str:
        return self.meta.get("source") or ""

    @property
    def expected_items(self) -> Values:
        "Next year's 上一年项目数量 as this report implies it: its count plus its 本年增/减 (None if either is absent)."
        return tuple(None if p is None or c is None else p + c for p, c in zip(self.prev_items, self.change))


@dataclass(slots=True, eq=False)
class Year:
    "One agency's reports of one year: the first version's cells, who agrees with it, who does not."

    first: Trace
    cells: Mapping[str, Number | None]  # the first version's cells, kept to compare later reports with
    agreeing: list[Trace]
    conflicting: list[Trace] = field(default_factory=list)
    against: tuple[tuple[str, ...], str] | None = None  # the first conflict, seen from the first version's side
    forward: set[Values] = field(default_factory=set)  # every 结转下年度 row printed this year
    items: set[Values] = field(default_factory=set)  # every 2019-format count implied for next year


def _example(cell: str, this: Number | None, other: Number | None) -> str:
    return f"{label(cell)}：本报告 {value_text(this)}，另一份 {value_text(other)}"


def _names(traces: list[Trace]) -> str:
    "The files a finding names: the first three, then how many in all."
    shown = "、".join(t.source for t in traces[:NAMED] if t.source) or "另一份报告"
    return shown + (f" 等 {len(traces)} 份" if len(traces) > NAMED else "")


class Pool:
    """Reports of many agencies and years, each kept as a Trace; `findings(trace)` gives one report's continuity.

    Add every report first (the order decides which report is the first version of its year), then ask.
    """

    def __init__(self) -> None:
        self.years: dict[tuple[str, int], Year] = {}

    def add(self, report: Report, *, checked: bool = True) -> Trace | None:
        "Keep what continuity needs of a report; None if its agency or year is unknown (nothing to compare)."
        agency, year = agency_key(report), report.meta.get("year")
        if agency is None or not isinstance(year, int):
            return None
        cells = report.cells
        trace = Trace(agency, year, {k: report.meta.get(k) for k in ("agency", "year", "format", "source")}, checked,
                      _values(cells, CARRIED_OVER), _values(cells, CARRIED_FORWARD), _values(cells, PREV_ITEMS),
                      _values(cells, CHANGE))
        if checked:
            trace.places = {c: where(report, c) for c in CARRIED_OVER + PREV_ITEMS if c in cells}
        group = self.years.get((agency, year))
        if group is None:
            self.years[agency, year] = group = Year(trace, cells, [trace])
        else:
            self._compare(report, trace, group)
        group.forward.add(trace.carried_forward)
        if trace.meta["format"] == "2019":
            group.items.add(trace.expected_items)
        return trace

    @staticmethod
    def _compare(report: Report, trace: Trace, group: Year) -> None:
        "The report against its year's first version: agreeing (same numbers) or conflicting (which cells differ)."
        first, cells = group.cells, report.cells
        sha = report.meta.get("sha256")
        differ = () if sha and sha == group.first.meta.get("sha256") else tuple(
            c for c, v in cells.items() if c in first and (v or 0) != (first[c] or 0))
        if not differ:
            group.agreeing.append(trace)
            return
        c = differ[0]
        trace.differ, trace.example = differ, _example(c, cells[c], first[c])
        trace.place = where(report, c) if trace.checked else None
        group.conflicting.append(trace)
        if group.against is None:
            back = tuple(d for d in first if d in cells and (first[d] or 0) != (cells[d] or 0))
            group.against = back, _example(back[0], first[back[0]], cells[back[0]])

    def findings(self, trace: Trace | None) -> list[Finding]:
        "Every continuity finding of one added report: joins with last year, and the same year reported twice."
        if trace is None:
            return []
        last = self.years.get((trace.agency, trace.year - 1))
        out = self._carry(trace, last) + self._items(trace, last) if last else []
        return out + self._duplicate(trace, self.years[trace.agency, trace.year])

    @staticmethod
    def _carry(trace: Trace, last: Year) -> list[Finding]:
        """This year's 上年结转 equals last year's 结转下年度, column by column. If last year was reported more
        than once, matching any of its versions is enough; otherwise the first version is compared."""
        if trace.carried_over in last.forward:
            return []
        prev = last.first
        out = []
        for n, this in enumerate(trace.carried_over):
            before = prev.carried_forward[n]
            if this is None or before is None or this == before:
                continue
            cell = CARRIED_OVER[n]
            out.append(finding("check.continuity.carry", cell_label=label(cell), year=trace.year, prev_year=prev.year,
                               this_value=value_text(this), prev_value=value_text(before), other=prev.source,
                               cells=(cell,), suspect=cell, where=trace.places.get(cell, Where(trace.source or None))))
        return out

    @staticmethod
    def _items(trace: Trace, last: Year) -> list[Finding]:
        "2019 format: this year's 上一年项目数量 equals last year's 上一年项目数量 plus its 本年增/减."
        if trace.meta["format"] != "2019" or not last.items or trace.prev_items in last.items:
            return []
        prev = last.first if last.first.meta["format"] == "2019" else next(
            t for t in last.agreeing + last.conflicting if t.meta["format"] == "2019")
        out = []
        for n, this in enumerate(trace.prev_items):
            prev_items, prev_change = prev.prev_items[n], prev.change[n]
            if None in (this, prev_items, prev_change) or this == prev_items + prev_change:
                continue
            cell = PREV_ITEMS[n]
            out.append(finding("check.continuity.items", cell_label=label(cell), year=trace.year, prev_year=prev.year,
                               this_value=value_text(this), prev_items=value_text(prev_items),
                               prev_change=value_text(prev_change), prev_value=value_text(prev_items + prev_change),
                               cells=(cell,), suspect=cell, where=trace.places.get(cell, Where(trace.source or None))))
        return out

    @staticmethod
    def _duplicate(trace: Trace, group: Year) -> list[Finding]:
        """The same agency and year reported with different numbers: one warning per report. A report that differs
        from the year's first version names the reports agreeing with it; one that agrees names those that differ."""
        if not trace.checked or not group.conflicting:
            return []
        if trace.differ:
            others, differ, example, place = group.agreeing, trace.differ, trace.example, trace.place
        else:
            (differ, example), others, place = group.against, group.conflicting, Where(trace.source or None)
        return [finding("check.duplicate.conflict", agency=trace.meta["agency"], year=trace.year, other=_names(others),
                        count=len(differ), example=example, cells=differ, where=place)]


def check_continuity(report: Report, history: Iterable[Report]) -> list[Finding]:
    "Every continuity finding of one report against the other reports (of any agency) given in history."
    others = [h for h in history if h is not report]
    if not others:  # alone, a report neither follows another year nor repeats its own: nothing to pool
        return []
    pool = Pool()
    trace = pool.add(report)
    for h in others:
        pool.add(h, checked=False)
    return pool.findings(trace)
