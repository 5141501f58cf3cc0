"""DOCX and legacy Word readers: merged cells, list numbers from numbering.xml, text boxes, nested tables."""
from __future__ import annotations

import io
import random
from pathlib import Path

import pytest

from gongkai.read import UnreadableError
from gongkai.read.legacy_word import soffice

FIXTURES = Path(__file__).parent.parent / "fixtures" / "read"

NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"
EXPECTED = [
    "一、总体情况",
    "（一）主动公开",
    "1.属于国家秘密",
    "二、收到和处理政府信息公开申请情况",
    f"{NOTE} | {NOTE} | {NOTE} | " + " | ".join(["申请人情况"] * 7) + " |",
    f"{NOTE} | {NOTE} | {NOTE} | 自然人 | " + " | ".join(["法人或其他组织"] * 5) + " | 总计 |",
    f"{NOTE} | {NOTE} | {NOTE} | 自然人 | 商业企业 | 科研机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |",
    "一、本年新收政府信息公开申请数量 | 一、本年新收政府信息公开申请数量 | 一、本年新收政府信息公开申请数量"
    " | 5 | 1 | 0 | 0 | 0 | 0 | 6 |",
    "三、本年度办理结果 | （一）予以公开 | （一）予以公开 | 3 | 1 | 0 | 0 | 0 | 0 | 4 |",
    "三、本年度办理结果 | （三）不予公开 | 1.属于国家秘密 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |",
    "第二十条第（五）项",
    "信息内容 | 本年处理决定数量 |",  # the table inside a text box, read once (not again from the VML fallback)
    "行政许可 | 9 |",
    "复议 | 结果纠正 |",  # a one-cell table nested in a cell is flattened into that cell
]


def test_merged_cells_numbering_textbox(fixture, rows):
    doc = fixture("merged.docx")
    assert doc.container == "docx"
    assert doc.text.splitlines() == EXPECTED
    assert rows(doc, 1) == ["信息内容 | 本年处理决定数量 |", "行政许可 | 9 |"]
    loc = next(l for l in doc.locs if l.table == 0 and l.row == 3 and l.col == 9)
    assert doc.text[loc.start:loc.end] == "6"


def test_template_with_blank_cells():
    from pathlib import Path
    sample = Path("/work/shared/samples/015.docx")
    if not sample.exists():
        pytest.skip("shared sample not present")
    from gongkai.read import read
    lines = read(sample).text.splitlines()
    assert "规章 |  |  |  |" in lines
    assert "结果维持 | 结果 纠正 | 其他 结果 | 尚未 审结 | 总计 | " + " | ".join(["未经复议直接起诉"] * 5) + " | " \
        + " | ".join(["复议后起诉"] * 5) + " |" in lines


@pytest.mark.parametrize("name", ["not-docx.docx", "broken-xml.docx", "junk.bin"])
def test_damaged_word_files(fixture, name):
    with pytest.raises(UnreadableError) as e:
        fixture(name)
    assert e.value.code == "read.binary" and name in str(e.value)


@pytest.mark.skipif(soffice() is None, reason="LibreOffice not installed")
def test_legacy_doc_through_libreoffice(fixture):
    doc = fixture("legacy.doc")
    assert doc.container == "doc"
    lines = doc.text.splitlines()
    assert lines[:4] == EXPECTED[:4]
    assert EXPECTED[7] in lines and EXPECTED[9] in lines


def test_legacy_doc_without_libreoffice(monkeypatch, fixture):
    from gongkai.read import legacy_word as legacy
    monkeypatch.setattr(legacy, "soffice", lambda: None)
    with pytest.raises(UnreadableError) as e:
        fixture("legacy.doc")
    assert e.value.code == "read.convert.unavailable" and "LibreOffice" in str(e.value)


def _numbered_table_docx() -> bytes:
    "A python-docx file whose table cells hold list-numbered paragraphs, merged cells, tabs and line breaks."
    from docx import Document as Word
    word = Word()
    word.add_paragraph("总体情况", style="List Number")
    table = word.add_table(rows=4, cols=3)
    table.cell(0, 0).merge(table.cell(0, 2)).text = "第二十条第（一）项"
    table.cell(1, 0).merge(table.cell(2, 0)).text = "信息内容"
    for r, c, text in ((1, 1, "本年新制作数量"), (1, 2, "对外公开总数量"), (2, 1, "3"), (2, 2, "14")):
        table.cell(r, c).text = text
    table.cell(3, 0).paragraphs[0].add_run("规范性").add_tab()
    table.cell(3, 0).paragraphs[0].add_run("文件").add_break()
    table.cell(3, 1).add_paragraph("主动公开", style="List Number")
    table.cell(3, 2).paragraphs[0].style = "List Number"
    table.cell(3, 2).paragraphs[0].add_run("依申请公开")
    word.add_paragraph("收到和处理政府信息公开申请情况", style="List Number")
    out = io.BytesIO()
    word.save(out)
    return out.getvalue()


def test_tables_read_in_one_pass_as_the_walk_reads_them(monkeypatch, fixture):
    "The one-pass table reader and the element-by-element walk give the same text, locations and list numbers."
    from gongkai.read import docx, read
    from gongkai.render import render_bytes
    from gongkai.render.samples import random_report
    sources = [_numbered_table_docx(), (FIXTURES / "merged.docx").read_bytes(),
               render_bytes(random_report(random.Random(4)), "docx")]
    fast = [read(data, "t.docx") for data in sources]
    monkeypatch.setattr(docx, "_scan", lambda tbl: None)
    slow = [read(data, "t.docx") for data in sources]
    for a, b in zip(fast, slow):
        assert (a.text, a.locs) == (b.text, b.locs)
    assert fast[0].text.splitlines() == [
        "1.总体情况", "第二十条第（一）项 |", "信息内容 | 本年新制作数量 | 对外公开总数量 |", "信息内容 | 3 | 14 |",
        "规范性 文件 | 2.主动公开 | 3.依申请公开 |", "4.收到和处理政府信息公开申请情况"]  # counted on through the cells


def test_list_numbers_restart_with_each_file():
    "numbering.xml read once per template is shared between files; each file still counts from its start."
    from gongkai.read import read
    data = _numbered_table_docx()
    assert read(data, "a.docx").text == read(data, "b.docx").text
