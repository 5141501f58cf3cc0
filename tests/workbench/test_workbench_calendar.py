"Working days: the legal count over the real schedules of §7, explanations, and years added as data."
from __future__ import annotations

import datetime as dt

import chinese_calendar
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gongkai.workbench.calendar import WorkCalendar, default_calendar
from gongkai.workbench.errors import CalendarNotCovered, WorkbenchError
from tests.workbench.wb_helpers import D

CAL = default_calendar()


@pytest.mark.parametrize("start,n,end", [
    ("2024-07-01", 7, "2024-07-10"), ("2024-07-01", 20, "2024-07-29"),      # §9.1
    ("2024-09-27", 7, "2024-10-12"), ("2024-09-27", 20, "2024-10-30"),      # §9.2
    ("2024-10-03", 20, "2024-11-01"), ("2024-10-03", 7, "2024-10-15"),      # §9.3
    ("2025-01-24", 20, "2025-02-27"), ("2026-02-13", 20, "2026-03-19"),     # §9.4
    ("2024-12-31", 20, "2025-02-05"),                                       # §9.5
    ("2025-06-30", 20, "2025-07-28"), ("2025-06-27", 20, "2025-07-25"),     # §9.6 (and the wrong date)
    ("2025-09-24", 7, "2025-10-10"), ("2025-10-11", 20, "2025-11-07"),     # §9.7
    ("2024-11-04", 7, "2024-11-13"), ("2024-11-06", 10, "2024-11-20"),     # §9.8
    ("2025-04-03", 15, "2025-04-25"),                                       # §9.9
    ("2026-09-16", 15, "2026-10-13"),                                       # §9.10
    ("2024-08-02", 20, "2024-08-30"), ("2024-08-02", 40, "2024-09-29"),     # §9.11
    ("2025-03-14", 20, "2025-04-14"), ("2025-03-10", 20, "2025-04-08"),     # §9.12
    ("2025-11-05", 10, "2025-11-19"),                                       # §9.14
    ("2026-12-10", 7, "2026-12-21"),                                        # §9.15
])
def test_worked_examples(start, n, end):
    assert CAL.add(D(start), n).end == D(end)


def test_pauses_are_half_open_spans():
    # §9.11(c): budget 40, days 9/4–9/10 excluded → 2024-10-11
    c = CAL.add(D("2024-08-02"), 40, pauses=[(D("2024-09-03"), D("2024-09-10"))])
    assert c.end == D("2024-10-11")
    assert [s.day for s in c.paused_days()] == [D(f"2024-09-{d:02d}") for d in (4, 5, 6, 9, 10)]


def test_find_workday_trap_of_scenario_3():
    assert chinese_calendar.find_workday(20, D("2024-10-03")) == D("2024-11-04")  # the library's count
    assert CAL.add(D("2024-10-03"), 20).end == D("2024-11-01")                   # the legal count


@settings(max_examples=300, deadline=None)
@given(st.dates(min_value=D("2004-01-01"), max_value=D("2026-09-30")), st.sampled_from([1, 7, 15, 20, 40]))
def test_legal_count_equals_the_spec_formula(start, n):
    "§7: legal wd+(d, n) = find_workday(n − 1, d + 1 day), verified by the spec's author on every start day."
    assert CAL.add(start, n).end == chinese_calendar.find_workday(n - 1, start + dt.timedelta(days=1))


@pytest.mark.parametrize("year,days", [(2023, 249), (2024, 251), (2025, 248), (2026, 248)])
def test_working_days_per_year(year, days):
    assert CAL.count(D(f"{year - 1}-12-31"), D(f"{year}-12-31")) == days


def test_make_up_saturday_is_a_working_day_and_holiday_weekday_is_not():
    assert CAL.day(D("2024-10-12")) == ("makeup", "国庆节")
    assert CAL.day(D("2024-10-03"))[0] == "holiday"
    assert CAL.day(D("2024-10-13")) == ("weekend", "")


def test_year_beyond_the_calendar_is_an_error_naming_it():
    with pytest.raises(CalendarNotCovered) as e:
        CAL.add(D("2026-12-10"), 20)
    assert e.value.year == 2027 and "2027年节假日安排尚未录入" in e.value.message
    with pytest.raises(CalendarNotCovered, match="2003年"):
        CAL.is_workday(D("2003-05-01"))


def test_year_added_as_data_makes_the_count_possible(tmp_path):
    data = tmp_path / "2027.toml"
    data.write_text('[years.2027]\nsource = "测试"\nholidays = { "元旦" = ["2027-01-01"], "春节" = ["2027-02-06..2027-02-14"] }\n'
                    'workdays = { "春节" = ["2027-02-20"] }\n', encoding="utf-8")
    cal = CAL.with_file(data)
    # 12/11 (1), 12/14–18 (6), 12/21–25 (11), 12/28–31 (15), 1/1 元旦, 1/4–8 (20)
    assert cal.add(D("2026-12-10"), 20).end == D("2027-01-08")
    assert cal.day(D("2027-02-20")) == ("makeup", "春节")
    assert cal.day(D("2027-02-08"))[0] == "holiday"
    assert cal.is_workday(D("2027-03-01")) and not cal.is_workday(D("2027-03-06"))
    with pytest.raises(CalendarNotCovered):
        cal.is_workday(D("2028-01-03"))


def test_json_data_and_agency_holidays(tmp_path):
    data = tmp_path / "agency.json"
    data.write_text('{"agency": {"holidays": {"三月三": ["2025-03-31"]}}}', encoding="utf-8")
    cal = CAL.with_file(data)
    assert not cal.is_workday(D("2025-03-31"))
    assert cal.add(D("2025-03-28"), 1).end == D("2025-04-01")
    assert CAL.add(D("2025-03-28"), 1).end == D("2025-03-31")


def test_bad_calendar_data_is_a_chinese_error(tmp_path):
    bad = tmp_path / "bad.toml"
    bad.write_text('[years.2027]\nholidays = { "元旦" = ["2027-13-01"] }\n', encoding="utf-8")
    with pytest.raises(WorkbenchError, match="日历数据文件有误"):
        CAL.with_file(bad)


def test_explanation_text_names_holidays_weekends_and_make_up_days():
    c = WorkCalendar().add(D("2025-01-24"), 20, rule="答复期限", article="条例第三十三条第二款")
    text = c.text()
    assert "春节" in text and "条例第三十三条第二款" in text and "2025年1月26日" in text and "2025年2月8日" in text
    d = c.as_dict()
    assert d["end"] == "2025-02-27" and d["makeup_days"] == ["2025-01-26", "2025-02-08"]
    assert len([h for h in d["holidays"] if h["name"] == "春节"]) == 8  # 1/28–2/4
