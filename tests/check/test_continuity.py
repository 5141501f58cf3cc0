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


def copy_of(report, name, **cells):
    "Another file of the same agency and year: its own source and sha, some cells changed."
    r = replace(report, meta={**report.meta, "source": name, "sha256": f"sha-{name}"})
    for c, v in cells.items():
        r = r.with_cell(c.replace("__", "."), v)
    return r


def duplicates(findings_per_report):
    return [[f for f in fs if f.code == "check.duplicate.conflict"] for fs in findings_per_report]


def test_copies_of_one_year_give_one_finding_per_report_not_one_per_pair():
    base = gold("004")  # 2022; 主动公开 行政处罚 决定数 4065 … in the gold
    same = [copy_of(base, f"{n}.txt") for n in "abc"]
    d = copy_of(base, "d.txt", active__penalty__decisions=1)
    e = copy_of(base, "e.txt", requests__new__natural=999)
    found = duplicates(check_reports(same + [d, e]))
    # Five reports, five findings (pairwise there were 3×2 + 2×4 = 14).
    assert [len(fs) for fs in found] == [1, 1, 1, 1, 1]
    a_f, _, _, d_f, e_f = (fs[0] for fs in found)
    # The first version (a, b, c) names the reports that differ; each of those names the first version.
    assert "d.txt、e.txt" in a_f.message and a_f.cells == ("active.penalty.decisions",)
    assert "a.txt、b.txt、c.txt" in d_f.message and d_f.cells == ("active.penalty.decisions",)
    assert "a.txt、b.txt、c.txt" in e_f.message and e_f.cells == ("requests.new.natural",)
    assert "本报告 1，另一份" in d_f.message and "本报告 999" in e_f.message
    assert d_f.where.source == "d.txt" and a_f.where.source == "a.txt"
    # Identical copies alone say nothing.
    assert duplicates(check_reports(same)) == [[], [], []]


def test_many_differing_copies_stay_linear_and_name_at_most_three_files():
    base = gold("004")
    copies = [copy_of(base, f"{n:03d}.txt", active__penalty__decisions=n) for n in range(300)]
    found = duplicates(check_reports(copies))
    assert [len(fs) for fs in found] == [1] * 300
    first = found[0][0].message
    assert "001.txt、002.txt、003.txt 等 299 份" in first and "004.txt" not in first
    assert "（000.txt）" in found[1][0].message


def years_of(base, *years_and_cells):
    return [year_of(base, y, **cells) for y, cells in years_and_cells]


def test_three_years_given_together_compare_each_year_with_the_one_before():
    base = gold("004")  # 上年结转 自然人 3, 总计 3; 结转下年度 0
    joined = {"requests__carried_forward__natural": 3, "requests__carried_forward__total": 3}
    broken = {"requests__carried_forward__natural": 4, "requests__carried_forward__total": 4}
    y2020, y2021 = years_of(base, (2020, joined), (2021, broken))
    y2022 = base
    # Given out of order: the years are sorted out by the pool.
    by_year = dict(zip((2022, 2020, 2021), check_reports([y2022, y2020, y2021])))
    carry = {y: [f for f in fs if f.code == "check.continuity.carry"] for y, fs in by_year.items()}
    assert carry[2020] == [] and carry[2021] == []  # 2021 上年结转 3 = 2020 结转下年度 3
    assert sorted(f.suspect for f in carry[2022]) == ["requests.carried_over.natural", "requests.carried_over.total"]
    assert all("而 2021 年度报告的结转下年度为 4" in f.message for f in carry[2022])


def test_last_year_reported_twice_one_matching_version_is_enough():
    base = gold("004")
    wrong = year_of(base, 2021, requests__carried_forward__natural=7, requests__carried_forward__total=7)
    right = copy_of(year_of(base, 2021, requests__carried_forward__natural=3, requests__carried_forward__total=3),
                    "right.txt")
    this = replace(base, meta={**base.meta, "source": "this.txt"})
    assert [f for f in check_reports([this, wrong, right])[0] if f.code == "check.continuity.carry"] == []
    # Matching neither: compared with the first version only, one finding per column (not one per version).
    other = year_of(base, 2021, requests__carried_forward__natural=8, requests__carried_forward__total=8)
    found = [f for f in check_reports([this, wrong, other])[0] if f.code == "check.continuity.carry"]
    assert len(found) == 2 and all("结转下年度为 7" in f.message for f in found)
