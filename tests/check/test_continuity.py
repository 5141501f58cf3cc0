"""Continuity: one agency's consecutive years must join up; one year reported twice must agree."""
from __future__ import annotations

from dataclasses import replace

from gongkai.check import check, check_reports
from tests.check.helpers import codes, gold


def year_of(report, year, **cells):
    r = replace(report, meta={**report.meta, "year": year, "sha256": f"sha-{year}-{len(cells)}"})
    for c, v in cells.items():
        r = r.with_cell(c.replace("__", "."), v)
    return r


def test_broken_year_pair_names_this_years_carried_over():
    this = gold("004")  # 2022: 上年结转 自然人 3, 总计 3
    last = year_of(gold("004"), 2021, requests__carried_forward__natural=2, requests__carried_forward__total=2)
    found = [f for f in check(this, history=[last]) if f.code == "check.continuity.carry"]
    assert sorted(f.suspect for f in found) == ["requests.carried_over.natural", "requests.carried_over.total"]
    assert "而 2021 年度报告的结转下年度为 2" in found[0].message


def test_joined_year_pair_is_silent_and_other_agencies_ignored():
    this = gold("004")
    last = year_of(gold("004"), 2021, requests__carried_forward__natural=3, requests__carried_forward__total=3)
    assert "check.continuity.carry" not in codes(check(this, history=[last]))
    stranger = replace(last, meta={**last.meta, "agency": "别的机关"}).with_cell("requests.carried_forward.total", 9)
    assert codes(check(this, history=[stranger])) == []


def test_2019_items_follow_last_year_count_plus_change():
    this = gold("000")  # 2020, 2019 format
    last = year_of(gold("000"), 2019, active__license__prev_items=10, active__license__change=-2)
    found = [f for f in check(this, history=[last]) if f.code == "check.continuity.items"]
    assert [f.suspect for f in found] == ["active.license.prev_items"]
    assert "10 加本年增/减 -2 为 8" in found[0].message
    last_ok = year_of(gold("000"), 2019, active__license__prev_items=3, active__license__change=-3)
    assert "check.continuity.items" not in codes(check(this, history=[last_ok]))


def test_same_year_twice_with_different_numbers():
    a = gold("004")
    b = replace(a, meta={**a.meta, "sha256": "other", "source": "b.txt"}).with_cell("active.penalty.decisions", 4066)
    found = [f for f in check_reports([a, b])[0] if f.code == "check.duplicate.conflict"]
    assert len(found) == 1 and found[0].cells == ("active.penalty.decisions",) and "b.txt" in found[0].message
    same = replace(a, meta={**a.meta, "sha256": "other"})
    assert "check.duplicate.conflict" not in codes(check(a, history=[same]))
