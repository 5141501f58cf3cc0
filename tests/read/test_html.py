"""HTML reader: rowspan/colspan grids, Word-exported HTML, CMS pages, nested and div tables, encodings."""
from __future__ import annotations

import pytest

from gongkai.read import UnreadableError, read

NOTE = "（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）"


def test_gbk_rowspan_colspan_grid(fixture, rows):
    doc = fixture("gbk-rowspan.html")
    assert doc.container == "html" and doc.encoding == "gb18030"
    assert rows(doc) == [
        f"{NOTE} | {NOTE} | {NOTE} | " + " | ".join(["申请人情况"] * 7) + " |",
        f"{NOTE} | {NOTE} | {NOTE} | 自然人 | " + " | ".join(["法人或其他组织"] * 5) + " | 总计 |",
        f"{NOTE} | {NOTE} | {NOTE} | 自然人 | 商业 企业 | 科研 机构 | 社会公益组织 | 法律服务机构 | 其他 | 总计 |",
        "一、本年新收政府信息公开申请数量 | 一、本年新收政府信息公开申请数量 | 一、本年新收政府信息公开申请数量"
        " | 12 | 3 | 0 | 0 | 1 | 0 | 16 |",
        "三、本年度办理结果 | （一）予以公开 | （一）予以公开 | 8 | 2 | 0 | 0 | 1 | 0 | 11 |",
        "三、本年度办理结果 | （三）不予公开 | 1.属于国家秘密 | 1 | 0 | 0 | 0 | 0 | 0 | 1 |",
        "三、本年度办理结果 | （三）不予公开 | 2.其他法律行政法规禁止公开 | 0 | 0 | 0 | 0 | 0 | 0 | 0 |",
    ]
    assert doc.text.splitlines()[1] == "三、收到和处理政府信息公开申请情况"


def test_locs_point_at_cells(fixture):
    doc = fixture("gbk-rowspan.html")
    cells = [l for l in doc.locs if l.table == 0]
    assert len(cells) == 7 * 10
    assert list(doc.locs) == sorted(doc.locs, key=lambda l: l.start)
    loc = next(l for l in cells if l.row == 3 and l.col == 9)
    assert doc.text[loc.start:loc.end] == "16"
    assert doc.loc_at(loc.start) == loc


def test_word_export_html(fixture, rows):
    doc = fixture("word-export.html")
    assert rows(doc) == [
        "第二十条第（一）项 |",  # a row one cell across the table stays one cell
        "信息内容 | 本年 制发件数 | 本年 废止件数 | 现行有效件数 |",
        "规章 | 0 |  | 3 |",
        "行政规范性文件 | 2 | 1 | 15 |",
    ]
    lines = doc.text.splitlines()
    assert lines[0] == "二、 主动公开政府信息情况"
    assert lines[-1] == "本年度共3件。"
    assert "WordDocument" not in doc.text and "mso" not in doc.text


def test_cms_page_keeps_the_report_only(fixture):
    doc = fixture("cms-page.html")
    assert doc.published == "2021-01-28"
    assert doc.title == "某市统计局2020年政府信息公开工作年度报告"
    assert doc.text.splitlines() == [
        "某市统计局2020年政府信息公开工作年度报告",
        "一、总体情况",
        "2020年，我局认真贯彻落实《中华人民共和国政府信息公开条例》，全年主动公开政府信息120条。",
        "二、主动公开政府信息情况",
        "第二十条第（一）项 |",
        "信息内容 | 本年新制作数量 | 本年新公开数量 | 对外公开总数量 |",
        "规章 | 0 | 0 | 0 |",
        "规范性文件 | 2 | 2 | 14 |",
        "六、其他需要报告的事项",
        "无。",
    ]


def test_declared_charset_wrong(fixture):
    doc = fixture("wrong-charset.html")
    assert doc.encoding == "gb18030"
    assert "规范性文件 | 2 | 2 | 14 |" in doc.text


def test_nested_tables(fixture):
    doc = fixture("nested-table.html")
    assert doc.text.splitlines() == [
        "四、政府信息公开行政复议、行政诉讼情况",
        "行政复议 | 行政复议 | 行政诉讼 | 行政诉讼 |",
        "结果维持 | 结果 纠正 | 尚未审结 | 总计 |",
        "1 | 0 | 0 | 1 |",
    ]


def test_div_grid_degrades_to_lines(fixture):
    doc = fixture("div-grid.html")
    assert doc.text.splitlines() == ["第二十条第（五）项", "信息内容", "本年处理决定数量", "行政许可", "15",
                                     "行政处罚", "4"]
    assert doc.locs == ()


def test_utf16_html(fixture):
    doc = fixture("utf16-bom.html")
    assert doc.container == "html"
    assert doc.text == "一、总体情况\n行政许可 | 7 |\n行政处罚 | 2 |\n"


def test_big5_text(fixture):
    doc = fixture("big5.txt")
    assert doc.encoding.startswith("big5")
    assert doc.text.splitlines()[1] == "行政許可 | 15 |"


@pytest.mark.parametrize("encoding", ["gbk", "gb18030", "big5", "utf-8-sig", "utf-16"])
def test_encodings_without_declaration(encoding):
    text = "<html><body><p>本年度共收到政府信息公开申请12件</p><table><tr><td>行政许可</td><td>15</td></tr>" \
           "<tr><td>行政处罚</td><td>4</td></tr></table></body></html>"
    if encoding == "big5":
        text = text.replace("信息公开申请", "資訊公開申請").replace("许可", "許可").replace("处罚", "處罰")
    doc = read(text.encode(encoding), "page.html")
    assert doc.text.splitlines()[0].startswith("本年度共收到政府")
    assert doc.text.splitlines()[1].endswith("| 15 |")


def test_script_only_page_is_unreadable(fixture):
    with pytest.raises(UnreadableError) as e:
        fixture("script-only.html")
    assert e.value.code == "read.not_report"
    assert "script-only.html" in str(e.value) and "脚本" in str(e.value)


def test_nbsp_cell_is_blank_and_br_is_space():
    html = "<table><tr><td>商业<br>企业</td><td>&nbsp;</td><td>科研\r\n机构</td></tr><tr><td>1</td><td>2</td><td>3</td></tr></table>"
    doc = read(html.encode(), "t.html")
    assert doc.text == "商业 企业 |  | 科研机构 |\n1 | 2 | 3 |\n"


@pytest.mark.parametrize("body, kept", [
    # A block whose first words are chrome's (分享到, 【打印本页】) goes, though the words sit in a nested span.
    ("<p>本年度，我县认真贯彻落实《中华人民共和国政府信息公开条例》。</p>"
     "<div><div> <span>分享到：</span><a href='#'>微信</a></div></div>"
     "<div><b></b><span>【打印本页】</span><span>【关闭窗口】</span></div>",
     "本年度，我县认真贯彻落实《中华人民共和国政府信息公开条例》。"),
    # 相关信息 opens a link list on CMS pages, but also the report's own sentences: a sentence is never chrome.
    ("<p>相关信息已按规定在本机关网站公开，本年度共收到政府信息公开申请70件。</p>"
     "<div>相关链接：<a href='#'>某省人民政府</a> <a href='#'>某市人民政府</a></div>",
     "相关信息已按规定在本机关网站公开，本年度共收到政府信息公开申请70件。"),
], ids=["nested-chrome-words", "sentence-opening-with-a-chrome-word"])
def test_chrome_told_by_its_first_words_but_never_a_sentence(body, kept):
    html = f"<html><body><div><h1>某县2021年政府信息公开工作年度报告</h1>{body}</div></body></html>"
    doc = read(html.encode(), "t.html")
    assert doc.text.splitlines() == ["某县2021年政府信息公开工作年度报告", kept]


def test_prose_cell_makes_a_layout_table():
    "A cell of 300 Chinese characters is page layout, read as lines; its nested data table stays a grid."
    prose = "本年度我局认真贯彻落实政府信息公开条例扎实推进各项工作" * 12
    html = (f"<table><tr><td><p>{prose}</p><table><tr><td>规章</td><td>3</td></tr>"
            f"<tr><td>规范性文件</td><td>5</td></tr></table></td><td>侧栏</td></tr></table>")
    doc = read(html.encode(), "t.html")
    assert doc.text.splitlines() == [prose, "规章 | 3 |", "规范性文件 | 5 |", "侧栏"]
