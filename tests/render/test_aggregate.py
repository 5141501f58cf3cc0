"""Summing subordinate reports into a county report."""
import pytest

from gongkai.formats import schema
from gongkai.render import AggregateError, aggregate


def _sub(agency: str, scale: int, version: str = "2021", year: int = 2022) -> dict:
    "A small valid report: requests in the natural-person column only, one review case per scale."
    spec = schema.load(version)
    cells = {c: 0 for c in spec.cells}
    for row, n in (("new", 3), ("granted", 2), ("unable_not_held", 1)):
        cells[f"requests.{row}.natural"] = cells[f"requests.{row}.total"] = n * scale
    cells["requests.total.natural"] = cells["requests.total.total"] = 3 * scale
    cells["appeals.review.upheld"] = cells["appeals.review.total"] = scale
    return {"meta": {"year": year, "format": version, "agency": agency}, "cells": cells}


def test_three_subordinates_sum_to_the_county():
    subs = [_sub("某县教育局", 1), _sub("某县民政局", 2), _sub("某县财政局", 4)]
    subs[2]["cells"]["active.fee.amount"] = 1.25
    subs[1]["cells"]["active.fee.amount"] = 0.5
    subs[0]["cells"]["active.license.decisions"] = None
    county, findings = aggregate(subs, "某县人民政府")
    assert findings == []
    c = county["cells"]
    assert c["requests.new.natural"] == c["requests.new.total"] == 21
    assert c["requests.granted.total"] == 14 and c["requests.unable_not_held.total"] == 7
    assert c["requests.total.total"] == 21 and c["appeals.review.total"] == 7
    assert c["active.fee.amount"] == 1.75
    assert c["active.license.decisions"] == 0  # blank + 0 + 0 = 0
    assert county["meta"] == {"year": 2022, "format": "2021", "agency": "某县人民政府", "script": "simplified",
                              "sources": ["某县教育局", "某县民政局", "某县财政局"]}
    assert all(r.holds(c) for r in schema.load("2021").rules)


def test_blank_plus_blank_stays_blank():
    a, b = _sub("甲", 1), _sub("乙", 1)
    a["cells"]["active.regulation.issued"] = b["cells"]["active.regulation.issued"] = None
    a["cells"]["active.regulation.repealed"] = None
    b["cells"]["active.regulation.repealed"] = 5
    c = aggregate([a, b], "合计")[0]["cells"]
    assert c["active.regulation.issued"] is None and c["active.regulation.repealed"] == 5


def test_mixing_2019_and_2021_is_refused():
    with pytest.raises(AggregateError, match="不能汇总不同格式版本的年报") as e:
        aggregate([_sub("甲", 1, "2021", 2021), _sub("乙", 1, "2019", 2020)], "合计")
    assert isinstance(e.value, ValueError) and "2019" in str(e.value) and "乙" in str(e.value)


def test_mixing_years_is_refused():
    with pytest.raises(AggregateError, match="不能汇总不同年度的年报"):
        aggregate([_sub("甲", 1, year=2021), _sub("乙", 1, year=2022)], "合计")


def test_an_input_whose_identities_fail_is_named():
    bad = _sub("某县公安局", 1)
    bad["cells"]["requests.new.natural"] = 4  # 4 + 0 ≠ 3 + 0, and the row no longer sums to its total
    county, findings = aggregate([_sub("某县教育局", 1), bad], "某县人民政府")
    assert [(f.code, f.where.source) for f in findings] == [("aggregate.input.identity", "某县公安局")]
    assert "第 2 份" in findings[0].message and "check.sum.balance" in findings[0].message
    assert county["findings"][0]["code"] == "aggregate.input.identity"
    assert county["cells"]["requests.new.natural"] == 7


def test_no_input_is_refused():
    with pytest.raises(AggregateError, match="没有可汇总"):
        aggregate([], "合计")
