"""Every flattened shape of the statutory tables parses back to the printed cells; splits are never guessed."""
from __future__ import annotations

import random
import sys

import pytest
from hypothesis import HealthCheck, given, settings, strategies as st

import gongkai
from gongkai.parse.normalize import KeyText
from tests.parse.shapes import SPEC, write

COLS = ["natural", "commercial", "research", "social", "legal", "other_org"]
RESULTS = ["granted", "partial", "denied_secret", "denied_law", "denied_safety", "denied_third_party", "denied_internal",
           "denied_process", "denied_enforcement", "denied_inquiry", "unable_not_held", "unable_need_creation",
           "unable_unclear", "declined_complaint", "declined_repeat", "declined_publication", "declined_mass",
           "declined_confirm", "other_no_correction", "other_no_fee", "other_misc"]


def valid_cells(rng: random.Random, high: int = 30) -> dict:
    "A 2021 report whose every identity holds: results and carry-forward drawn first, new derived from them."
    cells = {}
    for col in COLS:
        for row in RESULTS:
            cells[f"requests.{row}.{col}"] = rng.choice([0, 0, 0, rng.randint(0, high)])
        total = sum(cells[f"requests.{r}.{col}"] for r in RESULTS)
        forward = rng.choice([0, rng.randint(0, 5)])
        carried = rng.randint(0, min(5, total + forward))
        cells[f"requests.total.{col}"] = total
        cells[f"requests.carried_forward.{col}"] = forward
        cells[f"requests.carried_over.{col}"] = carried
        cells[f"requests.new.{col}"] = total + forward - carried
    for row in RESULTS + ["total", "carried_forward", "carried_over", "new"]:
        cells[f"requests.{row}.total"] = sum(cells[f"requests.{row}.{c}"] for c in COLS)
    for group in ("review", "suit_direct", "suit_after_review"):
        parts = [rng.choice([0, rng.randint(0, 9)]) for _ in range(4)]
        for name, v in zip(("upheld", "corrected", "other", "pending"), parts):
            cells[f"appeals.{group}.{name}"] = v
        cells[f"appeals.{group}.total"] = sum(parts)
    for c in SPEC.table("active").cells:
        cells[c] = rng.randint(0, 500)
    cells["active.fee.amount"] = round(rng.randint(0, 99999) / 100, 2)
    return cells


@pytest.mark.parametrize("shape", ["pipes", "one-per-line", "spaces", "pdf-markdown"])
def test_separated_shapes_read_back_exactly(shape):
    cells = valid_cells(random.Random(7))
    report = gongkai.parse(write(cells, shape).encode("utf-8"), f"{shape}.txt")
    assert report.meta["format"] == "2021" and report.meta["year"] == 2023
    assert {k: report.cells.get(k) for k in cells} == cells


@pytest.mark.parametrize("footer", ["— 2 —", "第 2 页", "第2页 共5页"])
def test_a_page_footer_inside_a_row_is_skipped(footer):
    "A PDF row broken across two pages: the page's footer stands between its values."
    cells = valid_cells(random.Random(11))
    text = write(cells, "spaces")
    label = "（一）予以公开 "
    at = text.index(label) + len(label)
    values = text[at:text.index("\n", at)].split(" ")
    broken = text[:at] + " ".join(values[:3]) + f"\n{footer}\n" + " ".join(values[3:]) + text[text.index("\n", at):]
    report = gongkai.parse(broken.encode("utf-8"), "broken.txt")
    assert {k: report.cells.get(k) for k in cells} == cells


def test_blank_cells_stay_blank_and_zero_stays_zero():
    cells = valid_cells(random.Random(3))
    cells["active.regulation.issued"] = None
    cells["active.regulation.repealed"] = 0
    for shape in ("pipes", "one-per-line"):
        report = gongkai.parse(write(cells, shape).encode(), "x.txt")
        assert report.cells["active.regulation.issued"] is None
        assert report.cells["active.regulation.repealed"] == 0


def test_concatenated_unique_split_is_solved_by_the_identities():
    "The issue's example: 一、本年新收政府信息公开申请数量640020470 is 64|0|0|2|0|4|70."
    cells = {c: 0 for c in SPEC.cells}
    for row, vals in {"new": [64, 0, 0, 2, 0, 4, 70], "total": [64, 0, 0, 2, 0, 4, 70],
                      "granted": [40, 0, 0, 2, 0, 4, 46], "partial": [24, 0, 0, 0, 0, 0, 24]}.items():
        cells.update({f"requests.{row}.{c}": v for c, v in zip(COLS + ["total"], vals)})
    text = write(cells, "concatenated")
    assert "一、本年新收政府信息公开申请数量640020470" in text
    report = gongkai.parse(text.encode(), "glued.txt")
    assert {k: report.cells.get(k) for k in cells} == cells
    assert "parse.split.solved" in [f.code for f in report.findings]


def test_concatenated_ambiguous_split_is_left_out_with_a_finding():
    text = ("2019年某局政府信息公开工作年度报告\n统计期限为2019年1月1日至12月31日。\n二、主动公开政府信息情况\n"
            "第二十条第（五）项信息内容上一年项目数量本年增/减处理决定数量行政许可4500其他对外管理服务事项000\n")
    report = gongkai.parse(text.encode(), "ambiguous.txt")
    assert "active.license.prev_items" not in report.cells and "active.license.change" not in report.cells
    assert report.cells["active.license.decisions"] == 0  # every split agrees on it
    assert report.cells["active.other_service.prev_items"] == 0
    codes = [f.code for f in report.findings]
    assert "parse.split.ambiguous" in codes


def test_mojibake_is_flagged_and_clean_cells_still_read():
    cells = valid_cells(random.Random(11))
    text = write(cells, "pipes").replace("总体情况", "总\ufffd情况")
    report = gongkai.parse(text.encode(), "mojibake.txt")
    assert "read.damaged_chars" in [f.code for f in report.findings]
    assert {k: report.cells.get(k) for k in cells} == cells


def test_traditional_script_reads_the_same_cells():
    import opencc

    cells = valid_cells(random.Random(5))
    text = opencc.OpenCC("s2t").convert(write(cells, "pipes"))
    report = gongkai.parse(text.encode(), "trad.txt")
    assert report.meta["script"] == "traditional"
    assert {k: report.cells.get(k) for k in cells} == cells


def test_prose_era_figures_from_sentences():
    text = ("2016年某区政府信息公开工作年度报告\n本报告所列数据的统计期限为2016年1月1日至12月31日。\n"
            "三、依申请公开政府信息情况\n区长专线共受理群众来电2275人次。全年共受理政府信息公开申请58件，均按期答复。\n"
            "四、行政复议、行政诉讼情况\n全年共收到行政复议申请5件，维持3件，纠正1件，其他情形1件；行政诉讼案件2件，其中维持2件，其他情形0件。\n")
    report = gongkai.parse(text.encode(), "prose.txt")
    assert report.meta["format"] == "2008"
    assert report.cells["legacy.requests.received"] == 58
    assert [report.cells[f"legacy.review.{k}"] for k in ("total", "upheld", "corrected", "other")] == [5, 3, 1, 1]
    assert report.cells["legacy.suit.total"] == 2 and report.cells["legacy.suit.upheld"] == 2


def test_prose_groups_opening_at_one_place_are_both_read():
    from gongkai.formats.schema import Cue, ProseGroup
    from gongkai.parse.prose import prose_figures

    groups = (ProseGroup("a", ("行政复议",), Cue("x.total", ("共",)), ()),
              ProseGroup("b", ("行政复议案件",), None, (Cue("y.kept", ("维持",)),)))
    found = prose_figures("本年度行政复议案件共5件，维持2件。", groups)
    assert {c: v.value for c, v in found.items()} == {"x.total": 5, "y.kept": 2}


def test_page_chrome_gives_published_and_agency():
    cells = valid_cells(random.Random(2))
    text = "首页 > 政务公开 > 年报\n发布时间：2024-01-26 09:30 来源：某某县人民政府办公室 字号：[大 中 小]\n" + write(cells, "pipes")
    report = gongkai.parse(text.encode(), "chrome.txt")
    assert report.meta["published"] == "2024-01-26"
    assert {k: report.cells.get(k) for k in cells} == cells


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**9), shape=st.sampled_from(["pipes", "one-per-line", "spaces", "pdf-markdown"]))
def test_property_random_valid_table_round_trips(seed, shape):
    cells = valid_cells(random.Random(seed))
    report = gongkai.parse(write(cells, shape).encode(), "p.txt")
    assert {k: report.cells.get(k) for k in cells} == cells


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**9))
def test_property_concatenated_never_guesses(seed):
    "Run together, every cell read is the true one; a cell left out is named in a finding."
    cells = valid_cells(random.Random(seed), high=12)
    report = gongkai.parse(write(cells, "concatenated").encode(), "c.txt")
    wrong = {k: (report.cells[k], cells[k]) for k in cells if k in report.cells and report.cells[k] != cells[k]}
    assert wrong == {}
    named = {c for f in report.findings for c in f.cells}
    assert {k for k in cells if k not in report.cells} <= named


@settings(max_examples=20, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(seed=st.integers(0, 10**9), share=st.sampled_from([0.3, 0.6, 0.9]))
def test_property_concatenated_never_guesses_where_some_zeros_are_left_blank(seed, share):
    "An author who prints some zeros and leaves others blank: the dropped blanks may sit anywhere a 0 could."
    rng = random.Random(seed)
    cells = {k: (None if v == 0 and rng.random() < share else v) for k, v in valid_cells(rng, high=12).items()}
    report = gongkai.parse(write(cells, "concatenated").encode(), "c.txt")
    wrong = {k: (report.cells[k], cells[k]) for k in cells if k in report.cells and report.cells[k] != cells[k]}
    assert wrong == {}
    named = {c for f in report.findings for c in f.cells}
    assert {k for k in cells if k not in report.cells} <= named


def test_concatenated_rows_of_a_large_agency_are_split_by_their_sums():
    "Thousands of requests run together give more splits than can be listed; the row's total bounds them."
    cells = valid_cells(random.Random(1), high=3000)
    line = next(l for l in write(cells, "concatenated").splitlines() if l.startswith("一、本年新收"))
    assert len(line) - len("一、本年新收政府信息公开申请数量") >= 18  # digits of seven cells, run together
    report = gongkai.parse(write(cells, "concatenated").encode(), "big.txt")
    requests = {k: v for k, v in cells.items() if k.startswith("requests.")}
    assert {k: report.cells.get(k) for k in requests} == requests


def test_whitespace_other_than_what_fold_makes_a_space_is_listed_whole():
    "KeyText.of takes the text's census for whether other whitespace needs its slower pass: the list must be whole."
    from gongkai.parse.normalize import _FOLD_TO, _OTHER_SPACE_CHARS

    spaces = [c for c in map(chr, range(sys.maxunicode + 1)) if c.isspace()]
    assert set(_OTHER_SPACE_CHARS) == {c for c in spaces if c not in " \n\r" and c not in _FOLD_TO}
    text = "一、本年新收\u2028政府信息公开申请数量\x0b64"
    assert KeyText.of(text, traditional=False).keys == "一、本年新收政府信息公开申请数量64"
