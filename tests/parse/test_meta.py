"""The report's meta read from its text: the issuing agency, whatever shape the title line takes."""
from __future__ import annotations

import pytest

from gongkai.parse.meta import find_agency

BODY = "\n本报告中所列数据统计期限自2021年1月1日起至2021年12月31日止。\n一、总体情况\n本年度工作平稳推进。\n"


@pytest.mark.parametrize("title", [
    "某某县人民政府2021年政府信息公开工作年度报告",
    "# 某某县人民政府2021年政府信息公开工作年度报告",
    "## 某某县人民政府2021年政府信息公开工作年度报告",
    "标题: 某某县人民政府2021年政府信息公开工作年度报告",
    "# 标题: 某某县人民政府2021年政府信息公开工作年度报告",
])
def test_title_line_names_the_agency(title):
    assert find_agency(title + BODY)[0] == "某某县人民政府"


def test_markdown_heading_title_through_parse():
    import gongkai

    report = gongkai.parse(("# 某某县人民政府2021年政府信息公开工作年度报告" + BODY).encode(), "heading.md.txt")
    assert report.meta["agency"] == "某某县人民政府"
    assert "parse.agency.unknown" not in [f.code for f in report.findings]


def test_heading_marks_are_not_part_of_a_bare_agency_line():
    text = "## 某某县财政局\n一、总体情况\n本年度工作平稳推进。\n"
    assert find_agency(text)[0] == "某某县财政局"
