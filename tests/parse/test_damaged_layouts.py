"""Damage that drops or moves what the form printed: vanished blank cells, values below their label, wrapped
labels, mojibake inside labels and header words, hard-wrapped prose. Exact where the text decides; left out,
with a finding, where it does not."""
from __future__ import annotations

import random

import gongkai
from tests.parse.shapes import write
from tests.parse.test_shapes import valid_cells


def _parse(text: str):
    return gongkai.parse(text.encode("utf-8"), "damaged.txt")


def _codes(report) -> set[str]:
    return {f.code for f in report.findings}


def test_a_dropped_blank_in_a_row_without_identities_is_left_out_not_split():
    cells = valid_cells(random.Random(7))
    text = write(cells, "spaces")
    line = next(l for l in text.splitlines() if l.startswith("规章 "))
    report = _parse(text.replace(line, "规章 40"))
    # 40 | blank | blank, blank | 40 | blank …: never 4 | 0 | blank. Left out: not in cells (null = printed blank).
    assert not {"active.regulation.issued", "active.regulation.repealed", "active.regulation.in_force"} & set(report.cells)
    assert "parse.split.ambiguous" in _codes(report)
    assert report.cells["requests.new.total"] == cells["requests.new.total"]


def test_a_dropped_blank_is_put_back_where_the_identities_allow_one_place_only():
    cells = valid_cells(random.Random(7))
    text = write(cells, "spaces")
    # 四、结转下年度继续办理 0 0 0 0 1 0 1 printed by an author who leaves zero cells blank: only "1 1" remains.
    line = next(l for l in text.splitlines() if l.startswith("四、结转下年度继续办理"))
    values = line.split()[1:]
    assert values.count("0") == 5
    report = _parse(text.replace(line, "四、结转下年度继续办理 1 1"))
    got = [report.cells.get(f"requests.carried_forward.{c}") for c in
           ("natural", "commercial", "research", "social", "legal", "other_org", "total")]
    # The row's total = sum of its columns fixes where the last 1 goes; the first 1 could be any column, and the
    # column identities (new + carried over = total + carried forward) fix which one.
    assert got == [None if v == "0" else int(v) for v in values]


def test_values_on_the_line_below_their_label_are_read():
    cells = valid_cells(random.Random(11))
    text = write(cells, "pipes")
    line = next(l for l in text.splitlines() if "行政事业性收费" in l)
    label, rest = line.split("行政事业性收费", 1)
    moved = text.replace(line, f"{label}行政事业性收费 |  |\n|  {rest.lstrip(' |').rstrip()}")
    report = _parse(moved)
    assert report.cells["active.fee.amount"] == cells["active.fee.amount"]


def test_a_long_label_wrapped_in_its_cell_keeps_its_row():
    cells = valid_cells(random.Random(5))
    text = write(cells, "pipes")
    label = "5.要求行政机关确认或重新出具已获取信息"
    line = next(l for l in text.splitlines() if label in l)
    wrapped = line.replace(label, "5.要求行政机关确认") + "\n| 或重新出具已获取信息 |  |  |  |  |  |  |  |"
    report = _parse(text.replace(line, wrapped))
    assert "parse.row.missing" not in _codes(report)
    for col in ("natural", "commercial", "total"):
        cell = f"requests.declined_confirm.{col}"
        assert report.cells[cell] == cells[cell]


def test_one_damaged_character_in_a_short_label_or_header_loses_nothing():
    cells = valid_cells(random.Random(9))
    text = write(cells, "pipes")
    damaged = text.replace("（七）总计", "（七）\ufffd计").replace("尚未审结 | 总计 |", "尚未审结 | \ufffd计 |")
    report = _parse(damaged)
    assert "read.damaged_chars" in _codes(report)
    assert {k: report.cells.get(k) for k in cells} == cells


def test_hard_wrapped_prose_still_gives_its_figures():
    text = ("某某市某某区人民政府2016年政府信息公开工作年度报告\n"
            "本报告中所列数据的统计期限自2016年1月1日起至2016年12月31日止。\n"
            "五、行政复议、行政诉讼\n"
            "行政复议方面，本年度共收到行政复议申请39件，其中维持14件，纠正17件，其他\n"
            "8件。\n")
    report = _parse(text)
    assert report.meta["format"] == "2008"
    assert [report.cells.get(f"legacy.review.{k}") for k in ("total", "upheld", "corrected", "other")] == [39, 14, 17, 8]


def test_values_below_a_row_with_two_label_cells_keep_their_columns():
    "PDF markdown: `| 三、本年度办理结果 | （一）予以公开 |` and, below, one blank cell under each label cell."
    cells = valid_cells(random.Random(5))
    # An author who leaves zero cells blank and granted nothing but one printed 0: the row ends in blanks too,
    # so the label columns' blanks must be dropped at its start, not its trailing blanks at its end.
    for c in ("natural", "commercial", "research", "social", "legal", "other_org", "total"):
        cells[f"requests.granted.{c}"] = 0 if c == "commercial" else None
    text = write(cells, "pipes")
    line = next(l for l in text.splitlines() if l.startswith("（一）予以公开"))
    values = [cells[f"requests.granted.{c}"] for c in
              ("natural", "commercial", "research", "social", "legal", "other_org", "total")]
    shown = " | ".join("" if v is None else str(v) for v in values)
    # The table is two cells wider than its values (empty trailing columns), as PDF extraction often prints it.
    two_labels = "| 三、本年度办理结果 | （一）予以公开 |" + " |" * 9 + "\n|  |  | " + shown + " |  |  |"
    report = _parse(text.replace(line, two_labels))
    assert [report.cells.get(f"requests.granted.{c}") for c in
            ("natural", "commercial", "research", "social", "legal", "other_org", "total")] == values
