"""Damaged shapes: deterministic, and each with the quirk it is named for."""
import random

import pytest

from gongkai.render import SHAPES, RenderError, damage
from gongkai.render.samples import holds, random_report


@pytest.mark.parametrize("shape", SHAPES)
def test_deterministic_with_a_seed(gold_2021, shape):
    assert damage(gold_2021, shape, seed=7) == damage(gold_2021, shape, seed=7)


def test_one_per_line_blanks_are_nbsp_runs(gold_blanks):
    text = damage(gold_blanks, "one-per-line", seed=0) + damage(gold_blanks, "one-per-line", seed=1)
    assert "\u00a0 \u00a0 \u00a0 \u00a0 \u00a0 \u00a0 \u00a0" in text or "\u3000 \u3000 \u3000 \u3000 \u3000 \u3000 \u3000" in text
    assert "一、本年新收政府信息公开申请数量\n\n  \n\n3\n\n  \n\n1\n\n" in text


def test_concatenated_runs_cells_together(gold_2021):
    c = gold_2021["cells"]
    digits = "".join(str(c[f"requests.new.{k}"]) for k in ("natural", "commercial", "research", "social", "legal",
                                                           "other_org", "total"))
    assert f"一、本年新收政府信息公开申请数量{digits}\n" in damage(gold_2021, "concatenated")


def test_pdf_markdown_has_footer_inside_a_table(gold_2021):
    text = damage(gold_2021, "pdf-markdown", seed=3)
    lines = text.splitlines()
    footer = next(i for i, l in enumerate(lines) if l.startswith("— ") and l.endswith(" —"))
    assert lines[footer - 2].startswith("|") and lines[footer + 2].startswith("|")


def test_word_html_is_gb2312_with_word_markup(gold_2021):
    data = damage(gold_2021, "word-html", seed=0)
    assert isinstance(data, bytes) and b"charset=gb2312" in data
    page = data.decode("gb18030")
    assert "<o:p>&nbsp;</o:p>" in page or "<o:p></o:p>" in page
    assert "class=MsoNormal" in page and "rowspan=22" in page


def test_traditional_and_mojibake(gold_2021):
    assert "政府信息公開工作年度報告" in damage(gold_2021, "traditional")
    text = damage(gold_2021, "mojibake", seed=2)
    assert 3 <= text.count("\ufffd") <= 6
    assert "统计期限" in text and text.splitlines()[0].endswith("政府信息公开工作年度报告")


def test_unknown_shape_is_refused(gold_2021):
    with pytest.raises(RenderError, match="未知的损坏形态"):
        damage(gold_2021, "origami")


def test_random_reports_satisfy_every_identity():
    for seed in range(200):
        assert holds(random_report(random.Random(seed))) == []
