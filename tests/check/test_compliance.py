"""Format compliance: version for the year, the six parts in order, period, fee statement, impossible values."""
from __future__ import annotations

from dataclasses import replace

from gongkai.check import check
from gongkai.findings import Severity
from tests.check.helpers import codes, gold, parsed


def with_text(report, old, new):
    assert old in report.text
    return replace(report, text=report.text.replace(old, new))


def test_2019_table_in_a_2021_report_is_an_error():
    r = replace(gold("000"), meta={**gold("000").meta, "year": 2021})
    found = [f for f in check(r) if f.code == "check.format.version"]
    assert len(found) == 1 and found[0].severity == Severity.ERROR
    assert "2021 年度报告应使用 2021 年版表格" in found[0].message


def test_2021_table_in_a_2020_report_is_an_error_and_right_years_are_not():
    r = replace(gold("003"), meta={**gold("003").meta, "year": 2020})
    assert "check.format.version" in codes(check(r))
    assert "check.format.version" not in codes(check(gold("003"))) + codes(check(gold("000")))


def test_missing_part_is_named():
    r = with_text(parsed("004"), "五、存在的主要问题及改进情况", "下一步工作")
    found = [f for f in check(r) if f.code == "check.sections.missing"]
    assert [f.facts["section"] for f in found] == ["存在的主要问题及改进情况"]
    assert "第五部分" in found[0].message


def test_parts_out_of_order():
    r = parsed("003")
    a, b = "五、存在的主要问题及改进措施", "六、其他需要报告的事项"
    r = replace(r, text=r.text.replace(a, "@@").replace(b, a).replace("@@", b))
    assert "check.sections.order" in codes(check(r))
    assert "check.sections.order" not in codes(check(parsed("003")))


def test_traditional_headings_are_found():
    assert "check.sections.missing" not in codes(check(parsed("000")))


def test_period_missing_and_stated():
    r = with_text(parsed("003"), "本报告中使用数据统计期限为2021年1月1日至12月31日。", "")
    assert "check.period.missing" in codes(check(r))
    r2 = with_text(parsed("003"), "统计期限为2021年1月1日至12月31日", "时间范围为2021年1月1日至12月31日")
    assert "check.period.missing" not in codes(check(r2))  # a date span alone states it


def test_fee_statement_missing_from_2021_on():
    six = parsed("003").text.split("六、其他需要报告的事项")[1]
    r = with_text(parsed("003"), six, "\n无。\n")
    found = [f for f in check(r) if f.code == "check.fee.statement_missing"]
    assert len(found) == 1 and "第六部分" in found[0].message
    # a 2019-format report of 2020 need not state it
    r0 = with_text(parsed("000"), "處理", "辦理")
    assert "check.fee.statement_missing" not in codes(check(r0))


def test_negative_count_is_an_error_but_change_may_be_negative():
    found = [f for f in check(gold("004").with_cell("active.license.decisions", -5)) if f.code == "check.value.negative"]
    assert len(found) == 1 and found[0].suspect == "active.license.decisions" and "-5" in found[0].message
    assert "check.value.negative" not in codes(check(gold("002")))  # 002 prints 本年增/减 -43


def test_fraction_only_in_amounts():
    assert "check.value.fraction" in codes(check(gold("004").with_cell("active.penalty.decisions", 2.5)))
    assert "check.value.fraction" not in codes(check(gold("004").with_cell("active.fee.amount", 62.01)))


def test_blank_required_cell_is_a_warning():
    found = [f for f in check(gold("004").with_cell("active.penalty.decisions", None)) if f.code == "check.cell.blank"]
    assert len(found) == 1 and found[0].cells == ("active.penalty.decisions",)
    assert found[0].severity == Severity.WARNING
