"""PDF reader: ruled and unruled tables, tables over pages, split rows, vertical labels, page furniture, OCR."""
from __future__ import annotations

import pytest

from gongkai.read.ocr import tesseract
from gongkai.read import UnreadableError

NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
HEAD = [
    f"{NOTE} | {NOTE} | {NOTE} | " + " | ".join(["申请人情况"] * 7) + " |",
    f"{NOTE} | {NOTE} | {NOTE} | 自然人 | " + " | ".join(["法人或其他组织"] * 5) + " | 总计 |",
    f"{NOTE} | {NOTE} | {NOTE} | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |",
]


def test_table_over_three_pages_is_one_table(fixture, rows):
    doc = fixture("multipage-table.pdf")
    got = rows(doc)
    assert got[:3] == HEAD  # the header rows repeated on pages 2 and 3 are dropped
    assert len(got) == 3 + 2 + 8 + 8
    assert got[5] == "三、本年度办理结果 | （三）不予公开 | 1.第1类情形 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |"
    assert got[-1] == "三、本年度办理结果 | （四）无法提供 | 8.无法提供情形8 | 0 | 8 | 0 | 0 | 0 | 0 | 8 |"
    assert {l.page for l in doc.locs if l.table == 0} == {1, 2, 3}
    assert max(l.table or 0 for l in doc.locs) == 0


def test_page_numbers_and_running_header_dropped(fixture):
    text = fixture("multipage-table.pdf").text
    assert "—" not in text and "某县民政局" not in text
    assert text.splitlines()[0] == "三、收到和处理政府信息公开申请情况"
    assert text.splitlines()[-1] == "四、政府信息公开行政复议、行政诉讼情况"


def test_row_broken_over_a_page(fixture, rows):
    got = rows(fixture("row-split.pdf"))
    long = "2.申请人逾期未按收费通知要求缴纳费用、行政机关不再处理其政府信息公开申请" * 3
    assert got[3:] == [
        "一、本年新收政府信息公开申请数量 | 一、本年新收政府信息公开申请数量 | 一、本年新收政府信息公开申请数量"
        " | 7 | 0 | 0 | 0 | 0 | 0 | 7 |",
        "三、本年度办理结果 | （六）其他处理 | 1.申请人无正当理由逾期不补正 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |",
        f"三、本年度办理结果 | （六）其他处理 | {long} | 2 | 0 | 0 | 0 | 0 | 0 | 2 |",
        "三、本年度办理结果 | （六）其他处理 | 3.其他 | 3 | 0 | 0 | 0 | 0 | 0 | 3 |",
    ]


def test_vertical_label_one_char_per_line(fixture):
    doc = fixture("vertical-label.pdf")
    assert doc.text.splitlines() == [
        "本年度办理结果 | （一）予以公开 | 4 |",
        "本年度办理结果 | （二）部分公开 | 1 |",
        "本年度办理结果 | （七）总计 | 5 |",
        "本年度办理结果 |  |  |",
    ]
    first = doc.locs[0]
    assert (first.table, first.row, first.col, first.page) == (0, 0, 0, 1)
    x0, top, x1, bottom = first.bbox
    assert bottom - top > 4 * (x1 - x0)  # the merged label cell is tall and narrow


def test_table_from_text_positions(fixture):
    doc = fixture("borderless-table.pdf")
    assert doc.text.splitlines() == [
        "二、主动公开政府信息情况",
        "信息内容 | 本年制发件数 | 本年废止件数 | 现行有效件数 |",
        "规章 | 0 | 0 | 2 |",
        "行政规范性文件 | 3 |  | 12 |",
        "合计 | 3 | 0 | 14 |",
        "三、收到和处理政府信息公开申请情况",
    ]
    assert doc.locs[0].page == 1 and doc.locs[0].bbox is not None


def test_text_lines_carry_page_and_box(fixture):
    doc = fixture("multipage-table.pdf")
    first = doc.locs[0]
    assert first.table is None and first.page == 1
    assert doc.text[first.start:first.end] == "三、收到和处理政府信息公开申请情况"


def test_truncated_pdf(fixture):
    with pytest.raises(UnreadableError) as e:
        fixture("truncated.pdf")
    assert e.value.code == "read.pdf.damaged" and "truncated.pdf" in str(e.value)


@pytest.mark.skipif(tesseract() is None, reason="Tesseract with chi_sim not installed")
def test_scanned_page_is_read_by_ocr(fixture):
    doc = fixture("scanned.pdf")
    assert [f.code for f in doc.findings] == ["read.ocr.used"]
    lines = doc.text.splitlines()
    assert "本年度共收到政府信息公开申请 12 件" in lines
    assert "行政许可 15" in lines
    assert all(l.page == 1 for l in doc.locs)


def test_scanned_page_without_tesseract(monkeypatch, fixture):
    from gongkai.read import ocr
    monkeypatch.setattr(ocr, "tesseract", lambda: None)
    with pytest.raises(UnreadableError) as e:
        fixture("scanned.pdf")
    assert e.value.code == "read.ocr.needed" and "OCR" in str(e.value)
