"""Chinese working days: chinese-calendar plus schedules added as data, counted the legal way (day zero excluded)."""
from __future__ import annotations

import datetime as dt
import json
import os
import tomllib
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterable, Mapping

import chinese_calendar

from gongkai.workbench.errors import CalendarNotCovered, WorkbenchError

Date = dt.date
ONE_DAY = dt.timedelta(days=1)

# chinese_calendar names its holidays in English (Holiday enum values); staff and applicants read Chinese.
HOLIDAY_NAMES = {
    "New Year's Day": "元旦",
    "Spring Festival": "春节",
    "Tomb-sweeping Day": "清明节",
    "Labour Day": "劳动节",
    "Dragon Boat Festival": "端午节",
    "National Day": "国庆节",
    "Mid-autumn Festival": "中秋节",
    "Anti-Fascist 70th Day": "中国人民抗日战争暨世界反法西斯战争胜利70周年纪念日",
}
WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True, slots=True)
class YearSchedule:
    "One year's 放假调休 notice as data: rest days and make-up working days, each with the holiday's name."

    year: int
    holidays: Mapping[Date, str]
    workdays: Mapping[Date, str]
    source: str = ""


@dataclass(frozen=True, slots=True)
class Skipped:
    "A day the count passed over: a weekend, a holiday (named), or a working day inside a pause."

    day: Date
    kind: str  # weekend | holiday | paused
    name: str = ""


@dataclass(frozen=True, slots=True)
class Count:
    "The n-th working day strictly after `start`, with every day skipped and every make-up day counted."

    start: Date
    days: int
    end: Date
    skipped: tuple[Skipped, ...] = ()
    makeup: tuple[Date, ...] = ()  # weekend days that were counted as 调休上班
    pauses: tuple[tuple[Date, Date], ...] = ()  # (S, E] spans that were not counted
    rule: str = ""
    article: str = ""

    def holidays(self) -> list[Skipped]:
        return [s for s in self.skipped if s.kind == "holiday"]

    def weekends(self) -> list[Skipped]:
        return [s for s in self.skipped if s.kind == "weekend"]

    def paused_days(self) -> list[Skipped]:
        return [s for s in self.skipped if s.kind == "paused"]

    def text(self) -> str:
        "The explanation shown to staff and applicants alike."
        parts = [f"{self.rule}（{self.article}）：" if self.rule else "",
                 f"自 {_cn(self.start)} 的次日起算第 {self.days} 个工作日，为 {_cn(self.end)}。"]
        names: dict[str, list[Date]] = {}
        for s in self.holidays():
            names.setdefault(s.name or "节假日", []).append(s.day)
        if names:
            parts.append("跳过法定节假日：" + "；".join(f"{n} {_span(ds)}" for n, ds in names.items()) + "。")
        if weekends := self.weekends():
            parts.append(f"跳过周末 {len(weekends)} 天。")
        if self.makeup:
            parts.append("调休上班日计入：" + "、".join(_cn(d) for d in self.makeup) + "。")
        for s, e in self.pauses:
            n = sum(1 for p in self.paused_days() if s < p.day <= e)
            parts.append(f"{_cn(s)} 至 {_cn(e)} 期间（不含首日）暂停计算，不计 {n} 个工作日。")
        return "".join(parts)

    def as_dict(self) -> dict[str, Any]:
        return {
            "start": self.start.isoformat(), "days": self.days, "end": self.end.isoformat(),
            "rule": self.rule, "article": self.article,
            "holidays": [{"date": s.day.isoformat(), "name": s.name} for s in self.holidays()],
            "weekends": [s.day.isoformat() for s in self.weekends()],
            "makeup_days": [d.isoformat() for d in self.makeup],
            "pauses": [{"from": s.isoformat(), "to": e.isoformat()} for s, e in self.pauses],
            "paused_days": [s.day.isoformat() for s in self.paused_days()],
            "text": self.text(),
        }


def _cn(d: Date) -> str:
    return f"{d.year}年{d.month}月{d.day}日（周{WEEKDAYS[d.weekday()]}）"


def _span(days: list[Date]) -> str:
    return days[0].isoformat() if len(days) == 1 else f"{days[0].isoformat()} 至 {days[-1].isoformat()}（{len(days)}天）"


# Cached: the package scans its whole holiday table on every call (`_validate_date` takes its min and max),
# which cost 3 ms a deadline: 30 s to summarise 10,000 requests, and a slow queue page.
@lru_cache(maxsize=None)
def _package_day(d: Date) -> tuple[bool, str | None] | None:
    "chinese-calendar's (is_rest, name) of a day; None for a year it does not cover."
    try:
        return chinese_calendar.get_holiday_detail(d)
    except NotImplementedError:
        return None


class WorkCalendar:
    """Working days = chinese-calendar, overridden by years added as data, plus an agency's own days off and on.

    A day in a year that neither source covers raises CalendarNotCovered: never a Mon–Fri guess (spec §7).
    """

    def __init__(self, years: Iterable[YearSchedule] = (), extra_holidays: Mapping[Date, str] | None = None,
                 extra_workdays: Mapping[Date, str] | None = None):
        self.years: dict[int, YearSchedule] = {y.year: y for y in years}
        self.extra_holidays = dict(extra_holidays or {})  # 第4条 regional/ethnic holidays set locally
        self.extra_workdays = dict(extra_workdays or {})
        # A notice may reach into the neighbouring year (2023's 元旦 rest began 2022-12-31): index by date.
        self._data_holidays = {d: n for y in self.years.values() for d, n in y.holidays.items()}
        self._data_workdays = {d: n for y in self.years.values() for d, n in y.workdays.items()}

    def day(self, d: Date) -> tuple[str, str]:
        "Classify a day: ('work'|'makeup'|'weekend'|'holiday', holiday name)."
        if d in self.extra_holidays:
            return "holiday", self.extra_holidays[d]
        if d in self.extra_workdays:
            return ("work" if d.weekday() < 5 else "makeup"), self.extra_workdays[d]
        if d in self._data_workdays:
            return ("work" if d.weekday() < 5 else "makeup"), self._data_workdays[d]
        if d in self._data_holidays:
            return "holiday", self._data_holidays[d]
        if d.year in self.years:
            return ("work", "") if d.weekday() < 5 else ("weekend", "")
        detail = _package_day(d)
        if detail is None:
            raise CalendarNotCovered(d.year)
        rest, name = detail
        cn = HOLIDAY_NAMES.get(name, name or "")
        if not rest:
            return ("work" if d.weekday() < 5 else "makeup"), cn
        return ("weekend" if (d.weekday() >= 5 and name is None) else "holiday"), cn

    def is_workday(self, d: Date) -> bool:
        return self.day(d)[0] in ("work", "makeup")

    def check_year(self, year: int) -> None:
        "Raise CalendarNotCovered unless the year's schedule is known."
        self.day(Date(year, 6, 1))

    def add(self, start: Date, n: int, *, pauses: Iterable[tuple[Date, Date]] = (), rule: str = "",
            article: str = "") -> Count:
        """`wd+(start, n)`: the n-th working day strictly after start that lies in no pause (S, E] (民法典第201条)."""
        if n < 1:
            raise ValueError("n must be ≥ 1")
        spans = sorted((s, e) for s, e in pauses if e > s)
        skipped: list[Skipped] = []
        makeup: list[Date] = []
        used: set[tuple[Date, Date]] = set()
        d, counted = start, 0
        while counted < n:
            d += ONE_DAY
            kind, name = self.day(d)
            if kind in ("weekend", "holiday"):
                skipped.append(Skipped(d, kind, name))
                continue
            span = next(((s, e) for s, e in spans if s < d <= e), None)
            if span is not None:
                skipped.append(Skipped(d, "paused"))
                used.add(span)
                continue
            counted += 1
            if kind == "makeup":
                makeup.append(d)
        return Count(start, n, d, tuple(skipped), tuple(makeup), tuple(sorted(used)), rule, article)

    def count(self, a: Date, b: Date, *, pauses: Iterable[tuple[Date, Date]] = ()) -> int:
        "`wd(a, b]`: working days after a up to and including b, leaving out paused days."
        spans = list(pauses)
        n, d = 0, a
        while d < b:
            d += ONE_DAY
            if self.is_workday(d) and not any(s < d <= e for s, e in spans):
                n += 1
        return n

    def with_data(self, data: Mapping[str, Any]) -> "WorkCalendar":
        "A new calendar with years and agency days from parsed TOML/JSON data (see `load_calendar_data`)."
        years = dict(self.years)
        for key, body in (data.get("years") or {}).items():
            year = _int(key)
            hol, work = _days(body.get("holidays", {})), _days(body.get("workdays", {}))
            if not hol:
                raise WorkbenchError("workbench.calendar.data", detail=f"{year}年没有列出任何放假日期")
            years[year] = YearSchedule(year, hol, work, str(body.get("source", "")))
        agency = data.get("agency") or {}
        extra_h = {**self.extra_holidays, **_days(agency.get("holidays", {}))}
        extra_w = {**self.extra_workdays, **_days(agency.get("workdays", {}))}
        return WorkCalendar(years.values(), extra_h, extra_w)

    def with_file(self, path: str | os.PathLike[str]) -> "WorkCalendar":
        return self.with_data(load_calendar_data(path))


def load_calendar_data(path: str | os.PathLike[str]) -> dict[str, Any]:
    """Read calendar data (TOML or JSON):

        [years.2027]
        source   = "国办发明电〔2026〕…号"
        holidays = { "元旦" = ["2027-01-01"], "春节" = ["2027-02-05..2027-02-11"] }
        workdays = { "春节" = ["2027-02-14"] }
        [agency]                      # 第4条: regional holidays of this agency
        holidays = { "三月三" = ["2025-03-31"] }   # TOML: quote Chinese keys
    """
    p = Path(path)
    try:
        raw = p.read_bytes()
        return json.loads(raw) if p.suffix.lower() == ".json" else tomllib.loads(raw.decode("utf-8"))
    except (OSError, ValueError) as e:
        raise WorkbenchError("workbench.calendar.data", detail=f"{p.name}: {e}") from None


def _int(key: Any) -> int:
    try:
        return int(key)
    except (TypeError, ValueError):
        raise WorkbenchError("workbench.calendar.data", detail=f"年份 {key!r} 不是整数") from None


def _days(spec: Mapping[str, Any] | list[Any]) -> dict[Date, str]:
    "Expand {name: [dates or 'a..b' ranges]} (or a bare list) into {date: name}."
    items = spec.items() if isinstance(spec, Mapping) else [("", spec)]
    out: dict[Date, str] = {}
    for name, values in items:
        for v in ([values] if isinstance(values, str) else values):
            a, _, b = str(v).partition("..")
            try:
                lo, hi = Date.fromisoformat(a.strip()), Date.fromisoformat((b or a).strip())
            except ValueError:
                raise WorkbenchError("workbench.calendar.data", detail=f"日期 {v!r} 格式有误") from None
            if hi < lo or (hi - lo).days > 31:
                raise WorkbenchError("workbench.calendar.data", detail=f"日期范围 {v!r} 无效")
            d = lo
            while d <= hi:
                out[d] = name
                d += ONE_DAY
    return out


@lru_cache(maxsize=1)
def _default(path: str | None) -> WorkCalendar:
    cal = WorkCalendar()
    return cal.with_file(path) if path else cal


def default_calendar() -> WorkCalendar:
    "The package calendar, plus the data file named by GONGKAI_CALENDAR when set."
    return _default(os.environ.get("GONGKAI_CALENDAR") or None)
