"""Prose ↔ table: a figure stated in a sentence that differs from its table cell is quoted with both places."""
from __future__ import annotations

from dataclasses import replace

from gongkai.check import check
from gongkai.check.prose import check_prose, read_statements
from gongkai.check.compliance import plain
from gongkai.formats.schema import load
from tests.check.helpers import codes, parsed


def with_text(report, old, new):
    assert old in report.text
    return replace(report, text=report.text.replace(old, new))


def test_prose_mismatch_quotes_both_places():
    r = with_text(parsed("004"), "予以公开49件", "予以公开50件")
    found = [f for f in check(r) if f.code == "check.prose.mismatch"]
    assert len(found) == 1
    f = found[0]
    assert f.suspect == "requests.granted.total"
    assert "予以公开50件" in f.message and "第三项（一）予以公开 总计 为 49" in f.message
    assert f.where.line == r.text[:f.where.span[0]].count("\n") + 1
    assert "check.sum" not in " ".join(codes(check(r)))  # the table itself still adds up


def test_sum_statements_and_traditional_text():
    r = with_text(parsed("004"), "无法提供74件", "无法提供75件")
    found = check_prose(r, load("2021"))
    assert len(found) == 1 and set(found[0].cells) == {"requests.unable_not_held.total", "requests.unable_need_creation.total",
                                                      "requests.unable_unclear.total"}
    assert "之和 为 74" in found[0].message
    r0 = with_text(parsed("000"), "新收依申請公開30件", "新收依申請公開31件")
    assert [f.facts["prose_value"] for f in check_prose(r0, load("2019"))] == ["31"]


def test_table_change_is_caught_by_the_prose():
    r = parsed("004").with_cell("appeals.review.total", 3)
    assert "check.prose.mismatch" in codes(check(r))


def test_negated_and_unrelated_figures_are_not_read():
    r = parsed("004")
    text = plain(r).replace("全区共收到依申请公开147件", "全区未受理依申请公开1件")
    assert not [s for s in read_statements(text, r.cells) if s.statement.cells == ("requests.new.total",)]
    text = plain(r).replace("全区共收到依申请公开147件", "全区共收到行政复议申请5件")
    assert not [s for s in read_statements(text, r.cells) if s.statement.cells == ("requests.new.total",)]


def test_no_prose_check_for_the_2008_format():
    assert check_prose(parsed("001"), load("2008")) == []
