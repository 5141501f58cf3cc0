"""Tables three and four by construction: each request and each appeal case counted once, from its dates."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import Any, Iterable, Mapping

from gongkai.workbench.engine import Request
from gongkai.workbench.errors import ActionRefused
from gongkai.workbench.events import APPLICANTS, OUTCOME_2019, OUTCOMES, parse_date

Date = dt.date
COLUMNS = tuple(APPLICANTS)  # natural … other_org; `total` is their sum
RESULT_ROWS = {"2021": tuple(OUTCOMES), "2019": tuple(dict.fromkeys(OUTCOME_2019.values()))}
APPEAL_KINDS = ("review", "suit_direct", "suit_after_review")
APPEAL_RESULTS = ("upheld", "corrected", "other")


@dataclass(frozen=True, slots=True)
class RequestFacts:
    "What table three needs of a request: who applied, when it was received and concluded, and how."

    applicant: str
    received: Date | None
    concluded: Date | None = None
    outcome: str | None = None

    @classmethod
    def of(cls, req: Request) -> "RequestFacts":
        return cls(req.applicant or "other_org", req.received, req.concluded, req.outcome)


@dataclass(frozen=True, slots=True)
class AppealCase:
    "A 行政复议 or 行政诉讼 case about a request: filed, and once concluded, its result."

    kind: str       # review | suit_direct | suit_after_review
    filed: Date
    concluded: Date | None = None
    result: str | None = None  # upheld | corrected | other

    def __post_init__(self) -> None:
        if self.kind not in APPEAL_KINDS:
            raise ActionRefused("workbench.appeal.kind", value=self.kind)
        if (self.concluded is None) != (self.result is None) or (self.result and self.result not in APPEAL_RESULTS):
            raise ActionRefused("workbench.appeal.result", value=self.result)
        if self.concluded is not None and self.concluded < self.filed:
            raise ActionRefused("workbench.appeal.order", concluded=self.concluded, filed=self.filed)


def _facts(items: Iterable[Request | RequestFacts | Mapping[str, Any]]) -> Iterable[RequestFacts]:
    for it in items:
        if isinstance(it, RequestFacts):
            yield it
        elif isinstance(it, Request):
            yield RequestFacts.of(it)
        else:
            get = lambda k: parse_date(it[k]) if it.get(k) else None  # noqa: E731
            yield RequestFacts(it["applicant"], get("received"), get("concluded"), it.get("outcome"))


def table_three(items: Iterable[Request | RequestFacts | Mapping[str, Any]], year: int,
                fmt: str = "2021") -> dict[str, int]:
    """Table three of report year `year` as canonical cells.

    新收 = received in the year; 上年结转 = received before and open on 1 January; results = concluded in the
    year, by outcome (部分公开 is one outcome, so counted once); 结转下年度 = received by 31 December and still
    open. Each request lands in exactly one left row and one right row, so the identities cannot fail.
    """
    if fmt not in RESULT_ROWS:
        raise ActionRefused("workbench.stats.format", value=fmt)
    results = RESULT_ROWS[fmt]
    rows = ("new", "carried_over", *results, "carried_forward")
    grid = {r: dict.fromkeys(COLUMNS, 0) for r in rows}
    for f in _facts(items):
        if f.received is None or f.received.year > year:
            continue  # not yet received (awaiting confirmation) or received later
        if f.concluded is not None and f.concluded.year < year:
            continue  # concluded in an earlier year
        col = f.applicant if f.applicant in grid["new"] else "other_org"
        grid["new" if f.received.year == year else "carried_over"][col] += 1
        if f.concluded is not None and f.concluded.year == year:
            row = f.outcome if fmt == "2021" else OUTCOME_2019.get(f.outcome or "", "other")
            grid[row if row in grid else results[-1]][col] += 1
        else:
            grid["carried_forward"][col] += 1
    grid["total"] = {c: sum(grid[r][c] for r in results) for c in COLUMNS}
    cells: dict[str, int] = {}
    for r in (*rows[:-1], "total", "carried_forward"):
        for c in COLUMNS:
            cells[f"requests.{r}.{c}"] = grid[r][c]
        cells[f"requests.{r}.total"] = sum(grid[r].values())
    return cells


def table_four(cases: Iterable[AppealCase], year: int) -> dict[str, int]:
    "Table four: cases concluded in the year by result; cases filed by 31 December and still open as 尚未审结."
    grid = {k: dict.fromkeys((*APPEAL_RESULTS, "pending"), 0) for k in APPEAL_KINDS}
    for c in cases:
        if c.filed.year > year or (c.concluded is not None and c.concluded.year < year):
            continue
        done = c.concluded is not None and c.concluded.year == year
        grid[c.kind][c.result if done else "pending"] += 1  # type: ignore[index]
    cells: dict[str, int] = {}
    for k, cols in grid.items():
        for col, n in cols.items():
            cells[f"appeals.{k}.{col}"] = n
        cells[f"appeals.{k}.total"] = sum(cols.values())
    return cells


def report_cells(requests: Iterable[Request | RequestFacts | Mapping[str, Any]], appeals: Iterable[AppealCase],
                 year: int, fmt: str = "2021") -> dict[str, int]:
    "Tables three and four of one report year, as `{cell_id: int}`."
    return {**table_three(requests, year, fmt), **table_four(appeals, year)}


def identity_breaks(cells: Mapping[str, int], fmt: str = "2021") -> list[str]:
    "The identities of tables three and four that do not hold, as Chinese sentences (empty = all hold)."
    out: list[str] = []
    results = RESULT_ROWS[fmt]
    for col in (*COLUMNS, "total"):
        g = lambda r: cells.get(f"requests.{r}.{col}", 0)  # noqa: E731
        if g("new") + g("carried_over") != g("total") + g("carried_forward"):
            out.append(f"{col}：新收 {g('new')} + 上年结转 {g('carried_over')} ≠ 总计 {g('total')} + 结转 {g('carried_forward')}")
        if sum(g(r) for r in results) != g("total"):
            out.append(f"{col}：办理结果各项之和 ≠ 总计 {g('total')}")
    for r in ("new", "carried_over", *results, "total", "carried_forward"):
        if sum(cells.get(f"requests.{r}.{c}", 0) for c in COLUMNS) != cells.get(f"requests.{r}.total", 0):
            out.append(f"{r}：六类申请人之和 ≠ 总计")
    for k in APPEAL_KINDS:
        parts = sum(cells.get(f"appeals.{k}.{c}", 0) for c in (*APPEAL_RESULTS, "pending"))
        if parts != cells.get(f"appeals.{k}.total", 0):
            out.append(f"{k}：维持 + 纠正 + 其他 + 尚未审结 ≠ 总计")
    return out
