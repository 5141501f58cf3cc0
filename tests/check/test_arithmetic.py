"""Identities: each rule of each format fires on a broken report, naming the one mistyped cell."""
from __future__ import annotations

from gongkai.check import check
from gongkai.check.arithmetic import check_rules, suspects
from gongkai.formats.schema import load, parse_format
from gongkai.model import Report
from tests.check.helpers import codes, gold, parsed

SUMS = ("check.sum.row_total", "check.sum.balance", "check.sum.results", "check.sum.appeals",
        "check.sum.published_le_total", "check.sum.legacy_appeals")


def sums(report):
    return [f for f in check(report) if f.code in SUMS]


def test_balance_broken_in_one_column_names_that_cell():
    broken = gold("004").with_cell("requests.carried_over.natural", 4)  # printed 3
    found = sums(broken)
    assert {f.code for f in found} == {"check.sum.row_total", "check.sum.balance"}
    assert {f.suspect for f in found} == {"requests.carried_over.natural"}
    balance = next(f for f in found if f.code == "check.sum.balance")
    assert "自然人列" in balance.message and "应为 3，报告为 4" in balance.message
    assert balance.facts["left"] == "140" and balance.facts["right"] == "139"


def test_total_message_names_the_numbers():
    broken = gold("004").with_cell("requests.total.natural", 140)  # printed 139
    found = sums(broken)
    assert len(found) == 3 and {f.suspect for f in found} == {"requests.total.natural"}
    assert all("第三项（七）总计 自然人：应为 139，报告为 140" in f.message for f in found)


def test_result_row_mistyped_in_total_column():
    found = sums(gold("004").with_cell("requests.granted.total", 48))
    assert sorted(f.code for f in found) == ["check.sum.results", "check.sum.row_total"]
    assert {f.suspect for f in found} == {"requests.granted.total"}


def test_results_rule_in_2019_format():
    found = sums(gold("000").with_cell("requests.other.natural", 0))  # printed 1
    assert {f.code for f in found} == {"check.sum.results", "check.sum.row_total"}
    assert {f.suspect for f in found} == {"requests.other.natural"}


def test_appeals_group_fails_and_suspect_comes_from_the_row_identity():
    found = sums(gold("004").with_cell("appeals.review.total", 3))
    assert codes(found) == ["check.sum.appeals"]
    assert "行政复议" in found[0].message and "之和为 2，总计为 3" in found[0].message


def test_appeals_tie_names_nobody_rather_than_guessing():
    # Four parts and a total: raising one part by 1 could be undone in any of three cells.
    found = sums(gold("004").with_cell("appeals.review.upheld", 2))
    assert codes(found) == ["check.sum.appeals"] and found[0].suspect is None
    assert "无法确定" in found[0].message


def test_prose_breaks_an_appeals_tie():
    # 004's prose says 行政复议2件: the total is confirmed, so a total of 3 is the suspect…
    found = sums(parsed("004").with_cell("appeals.review.total", 3))
    assert found[0].suspect == "appeals.review.total"


def test_negative_part_is_named():
    found = sums(gold("004").with_cell("appeals.review.corrected", -1))
    assert found[0].suspect == "appeals.review.corrected"


def test_published_le_total_2019():
    found = sums(gold("000").with_cell("active.normative.published", 76))  # total 75
    assert codes(found) == ["check.sum.published_le_total"]
    assert "本年新公开数量 76 大于对外公开总数量 75" in found[0].message


def test_legacy_appeals_2008():
    found = sums(gold("001").with_cell("legacy.review.upheld", 15))
    assert codes(found) == ["check.sum.legacy_appeals"]
    assert "之和为 40，总数为 39" in found[0].message


def test_rule_with_an_absent_cell_is_skipped_and_blank_counts_as_zero():
    r = gold("004").with_cell("requests.total.natural", 140)
    cells = dict(r.cells)
    del cells["requests.granted.natural"]  # not extracted: results/row rules over it are skipped
    found = check_rules(Report(r.meta, cells), load("2021"))
    assert {f.code for f in found} == {"check.sum.row_total", "check.sum.balance"}
    blank = gold("003").with_cell("requests.granted.natural", None)  # 003 prints all zeros
    assert check_rules(blank, load("2021")) == []


def test_two_independent_errors_each_named():
    r = gold("004").with_cell("requests.granted.natural", 47).with_cell("requests.partial.commercial", 1)
    found = sums(r)
    assert {f.suspect for f in found} == {"requests.granted.natural", "requests.partial.commercial"}


def test_suspect_scores_fixes_minus_breaks():
    spec = load("2021")
    values = dict(gold("004").cells, **{"requests.total.total": 151})
    named = suspects(list(spec.rules), values)
    assert {s.cell for s in named.values()} == {"requests.total.total"}
    assert {s.expected for s in named.values()} == {150}


def test_unregistered_rule_code_is_reported_not_raised():
    spec = parse_format('version = "t"\nyears = [1, 2]\n[[tables]]\nid = "x"\nrows = [{label = "a", cells = ["x.a", "x.b"]}]\n'
                        '[[rules]]\ncode = "check.sum.nonexistent"\nleft = ["x.a"]\nright = ["x.b"]\n', "t.toml")
    found = check_rules(Report({"format": "t"}, {"x.a": 1, "x.b": 2}), spec)
    assert codes(found) == ["check.rule.invalid"] and "check.sum.nonexistent" in found[0].message
