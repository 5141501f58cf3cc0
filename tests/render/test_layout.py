"""The official layouts: labels from the format files, merges as in the blank 2021 Word template (sample 015)."""
import io
import re

import docx
import pytest
from docx.oxml.ns import qn

from gongkai.formats import schema
from gongkai.render import RenderError, render_bytes, render_report
from gongkai.render.layout import number_text, table_grid

from tests.render.render_golds import gold_reports


def _merges(table) -> list[list[str]]:
    "Each row of a Word table as 'text[gsN][vm]' strings, the way the template was studied."
    out = []
    for tr in table._tbl.tr_lst:
        row = []
        for tc in tr.tc_lst:
            pr = tc.tcPr
            gs = pr.find(qn("w:gridSpan")) if pr is not None else None
            vm = pr.find(qn("w:vMerge")) if pr is not None else None
            text = "".join(t.text or "" for t in tc.iter(qn("w:t")))
            tag = text[:6]
            if gs is not None:
                tag += f"[gs{gs.get(qn('w:val'))}]"
            if vm is not None:
                tag += "[vr]" if vm.get(qn("w:val")) == "restart" else "[vc]"
            row.append(tag)
        out.append(row)
    return out


def test_requests_merges_follow_the_official_template(gold_2021):
    doc = docx.Document(io.BytesIO(render_bytes(gold_2021, "docx")))
    req = _merges(doc.tables[1])
    assert req[0] == ["（本列数据的[gs3][vr]", "申请人情况[gs7]"]
    assert req[1] == ["[gs3][vc]", "自然人[vr]", "法人或其他组[gs5]", "总计[vr]"]
    assert req[2] == ["[gs3][vc]", "[vc]", "商业企业", "科研机构", "社会公益组织", "法律服务机构", "其他", "[vc]"]
    assert req[3][0] == "一、本年新收[gs3]"
    assert req[5][:2] == ["三、本年度办[vr]", "（一）予以公[gs2]"]
    assert req[7][:3] == ["[vc]", "（三）不予公[vr]", "1.属于国家"]
    assert req[8][:2] == ["[vc]", "[vc]"]
    assert req[-2][:2] == ["[vc]", "（七）总计[gs2]"]
    assert req[-1][0] == "四、结转下年[gs3]"
    assert len(req) == 28
    app = _merges(doc.tables[2])
    assert app[0] == ["行政复议[gs5]", "行政诉讼[gs10]"]
    assert app[1][:5] == ["结果维持[vr]", "结果纠正[vr]", "其他结果[vr]", "尚未审结[vr]", "总计[vr]"]
    assert app[1][5:] == ["未经复议直接[gs5]", "复议后起诉[gs5]"]
    act = _merges(doc.tables[0])
    assert act[0] == ["第二十条第（[gs4]"] and act[5] == ["信息内容", "本年处理决定[gs3]"]


def test_docx_xml_has_grid_spans_and_vertical_merges(gold_2019):
    xml = docx.Document(io.BytesIO(render_bytes(gold_2019, "docx"))).tables[1]._tbl.xml
    assert xml.count("<w:gridSpan") >= 10 and xml.count("<w:vMerge") >= 20
    assert 'w:pStyle w:val="表格文字"' in xml


def test_docx_fonts_and_title(gold_2021):
    data = render_bytes(gold_2021, "docx")
    doc = docx.Document(io.BytesIO(data))
    assert doc.paragraphs[0].text == f"{gold_2021['meta']['agency']}{gold_2021['meta']['year']}年政府信息公开工作年度报告"
    headings = [p.text for p in doc.paragraphs if re.match(r"^[一二三四五六]、", p.text)]
    assert headings == [f"{n}、{s}" for n, s in zip("一二三四五六", schema.load("2021").sections)]
    heads = [p for p in doc.paragraphs if p.text in headings]
    assert {p.style.name for p in heads} == {"报告章节"}
    east_asia = lambda st: st.element.rPr.rFonts.get(qn("w:eastAsia"))  # noqa: E731
    assert east_asia(doc.styles["报告章节"]) == "黑体" and east_asia(doc.styles["报告正文"]) == "仿宋_GB2312"
    assert east_asia(doc.styles["表格文字"]) == "仿宋_GB2312" and east_asia(doc.styles["报告标题"]) == "方正小标宋简体"
    import zipfile
    fonts = zipfile.ZipFile(io.BytesIO(data)).read("word/fontTable.xml").decode()
    assert "仿宋_GB2312" in fonts and "方正仿宋_GBK" in fonts


def test_html_has_real_rowspan_and_colspan(gold_2021):
    page = render_bytes(gold_2021, "html").decode()
    assert '<th rowspan="3" colspan="3">（本列数据的勾稽关系为：第一项加第二项之和，等于第三项加第四项之和）</th>' in page
    assert '<th colspan="7">申请人情况</th>' in page
    assert '<th rowspan="2">自然人</th><th colspan="5">法人或其他组织</th><th rowspan="2">总计</th>' in page
    assert '<td rowspan="22" class="label group">三、本年度办理结果</td>' in page
    for label, n in (("（三）不予公开", 8), ("（四）无法提供", 3), ("（五）不予处理", 5), ("（六）其他处理", 3)):
        assert f'<td rowspan="{n}" class="label group">{label}</td>' in page
    assert '<th colspan="5">行政复议</th><th colspan="10">行政诉讼</th>' in page
    assert '<th colspan="5">未经复议直接起诉</th><th colspan="5">复议后起诉</th>' in page
    assert "http" not in page.split("<body>")[0]  # no external assets
    assert "@page" in page


def test_2019_other_row_is_one_row(gold_blanks):
    page = render_bytes(gold_blanks, "html").decode()
    assert '<td colspan="2" class="label">（六）其他处理</td>' in page
    assert '<td rowspan="20" class="label group">三、本年度办理结果</td>' in page


@pytest.mark.parametrize("name,gold", list(gold_reports().items()))
@pytest.mark.parametrize("to", ["docx", "html", "md", "txt"])
def test_every_label_and_value_is_printed(name, gold, to, tmp_path):
    path = render_report(gold, tmp_path / f"out.{to}")
    if to == "docx":
        d = docx.Document(str(path))
        text = "\n".join([p.text for p in d.paragraphs] +
                         [c.text for t in d.tables for r in t.rows for c in r.cells])
    else:
        text = path.read_text("utf-8")
    spec = schema.load(gold["meta"]["format"])
    for t in spec.tables:
        for r in t.rows:
            assert r.label in text, (to, r.label)
    assert f"本报告中所列数据的统计期限自{gold['meta']['year']}年1月1日起至{gold['meta']['year']}年12月31日止" in text
    for cid, v in gold["cells"].items():
        if v is not None and cid.startswith(("requests", "appeals", "active")):
            assert number_text(v) in text


def test_blank_is_empty_and_zero_is_zero(gold_blanks):
    spec = schema.load("2019")
    cells = {**gold_blanks["cells"], "requests.new.research": None, "requests.new.social": 0}
    g = table_grid(spec, spec.table("requests"), cells)
    by_cell = {s.cell: s.text for s in g.slots if s.cell}
    assert by_cell["requests.new.research"] == "" and by_cell["requests.new.social"] == "0"


def test_number_text():
    assert [number_text(v) for v in (None, 0, -43, 1316.84, 12.0, 0.5)] == ["", "0", "-43", "1316.84", "12", "0.5"]


def test_prose_file_is_used(gold_2021, tmp_path):
    prose = tmp_path / "prose.md"
    prose.write_text("# 标题\n\n## 一、总体情况\n\n今年我们做了很多工作。\n\n## 五、存在的主要问题及改进情况\n\n问题是人手不足。\n", "utf-8")
    text = render_bytes(gold_2021, "txt", prose=prose).decode()
    assert "今年我们做了很多工作。" in text and "问题是人手不足。" in text
    assert "本年度共收到政府信息公开申请" not in text  # given prose replaces the generated one
    toml = tmp_path / "prose.toml"
    toml.write_text('"总体情况" = "甲。"\n"6" = ["乙。", "丙。"]\n', "utf-8")
    text = render_bytes(gold_2021, "md", prose=toml).decode()
    assert "甲。" in text and "乙。\n\n丙。" in text


def test_generated_prose_states_the_figures(gold_2021):
    text = render_bytes(gold_2021, "txt").decode()
    new = gold_2021["cells"]["requests.new.total"]
    assert f"本年度共收到政府信息公开申请{new}件" in text


def test_errors_are_clear(gold_2021, tmp_path):
    with pytest.raises(RenderError, match="无法根据文件名"):
        render_report(gold_2021, tmp_path / "out.pdf")
    with pytest.raises(RenderError, match="未知的年报格式版本"):
        render_bytes(gold_2021, "txt", format="1999")
    with pytest.raises(RenderError, match="无法识别的章节"):
        render_bytes(gold_2021, "txt", prose={"第七章": "x"})
