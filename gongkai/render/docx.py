"""Word writer: the outline as a .docx with real merged cells and the fonts of an official document (GB/T 9704)."""
from __future__ import annotations

import io

from docx import Document as new_document
from docx.enum.section import WD_ORIENT
from docx.enum.table import WD_CELL_VERTICAL_ALIGNMENT, WD_TABLE_ALIGNMENT
from docx.enum.text import WD_ALIGN_PARAGRAPH, WD_LINE_SPACING
from docx.oxml import OxmlElement
from docx.oxml.ns import qn
from docx.shared import Mm, Pt
from lxml import etree

from gongkai.render.layout import Grid
from gongkai.render.outline import Outline

# Official documents set body text in 仿宋_GB2312, headings in 黑体 and the title in 方正小标宋简体 (GB/T 9704).
# Machines without them fall back through the altName of each font (Word) or fontconfig (LibreOffice) to the
# next name here, down to the Noto CJK fonts every Linux has.
FONTS = {
    "仿宋_GB2312": ("方正仿宋_GBK", "仿宋", "FangSong", "Noto Serif CJK SC"),
    "黑体": ("方正黑体_GBK", "SimHei", "Noto Sans CJK SC"),
    "方正小标宋简体": ("方正小标宋_GBK", "华文中宋", "宋体", "Noto Serif CJK SC"),
}
BODY, HEADING, TITLE = "仿宋_GB2312", "黑体", "方正小标宋简体"
LATIN = "Times New Roman"
TEXT_WIDTH_MM = 156  # A4 less the 28 mm and 26 mm side margins of GB/T 9704
NARROW_MM = 10.4  # two characters of 五号 (10.5 pt) text and the cell margins
GROUP_MM = 13.4  # three characters: （三）/不予公/开 never starts a line with a closing bracket
WIDE_TABLE_MM = 172  # the requests form is printed wider than the text block, centred (the blank template's width)


def _set_font(run_or_style, east_asia: str, size: float | None = None, bold: bool | None = None) -> None:
    "Latin text in Times New Roman, Chinese text in the official font via w:eastAsia."
    font = run_or_style.font
    font.name = LATIN
    if size:
        font.size = Pt(size)
    if bold is not None:
        font.bold = bold
    rpr = run_or_style.element.get_or_add_rPr()
    fonts = rpr.find(qn("w:rFonts"))
    if fonts is None:
        fonts = OxmlElement("w:rFonts")
        rpr.insert(0, fonts)
    for attr in ("w:ascii", "w:hAnsi"):
        fonts.set(qn(attr), LATIN)
    fonts.set(qn("w:eastAsia"), east_asia)
    fonts.set(qn("w:hint"), "eastAsia")
    lang = rpr.find(qn("w:lang"))
    if lang is None:  # tells font fallback to choose simplified-Chinese glyphs (Noto … CJK SC, not JP)
        lang = OxmlElement("w:lang")
        rpr.append(lang)
    lang.set(qn("w:val"), "en-US")
    lang.set(qn("w:eastAsia"), "zh-CN")


def _font_table(doc) -> None:
    "Declare the Chinese fonts with their alternative names, so a reader without them substitutes sensibly."
    part = next((p for p in doc.part.package.iter_parts() if str(p.partname) == "/word/fontTable.xml"), None)
    if part is None:
        return
    root = etree.fromstring(part.blob)
    ns = root.nsmap.get("w") or "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
    w = lambda tag: f"{{{ns}}}{tag}"  # noqa: E731
    for name, alts in FONTS.items():
        font = etree.SubElement(root, w("font"), {w("name"): name})
        etree.SubElement(font, w("altName"), {w("val"): ",".join(alts)})
        etree.SubElement(font, w("charset"), {w("val"): "86"})  # GB2312
        etree.SubElement(font, w("family"), {w("val"): "modern" if name == BODY else "auto"})
        etree.SubElement(font, w("pitch"), {w("val"): "fixed" if name == BODY else "variable"})
    xml = etree.tostring(root, xml_declaration=True, encoding="UTF-8", standalone=True)
    if hasattr(part, "_element"):
        part._element = etree.fromstring(xml)
    else:
        part._blob = xml


STYLES = {  # name: (east-asian font, size pt, alignment, first-line indent in characters, exact line spacing pt)
    "报告标题": (TITLE, 22, WD_ALIGN_PARAGRAPH.CENTER, 0, 36),
    "报告正文": (BODY, 16, WD_ALIGN_PARAGRAPH.JUSTIFY, 2, 28),
    "报告章节": (HEADING, 16, WD_ALIGN_PARAGRAPH.LEFT, 2, 28),
    "报告落款": (BODY, 16, WD_ALIGN_PARAGRAPH.RIGHT, 0, 28),
    "表格单位": (BODY, 12, WD_ALIGN_PARAGRAPH.RIGHT, 0, None),
    "表格表头": (HEADING, 10.5, WD_ALIGN_PARAGRAPH.CENTER, 0, None),
    "表格文字": (BODY, 10.5, WD_ALIGN_PARAGRAPH.CENTER, 0, None),
    "表格行名": (BODY, 10.5, WD_ALIGN_PARAGRAPH.LEFT, 0, None),
}


def _styles(doc) -> None:
    "Paragraph styles carry the fonts, so runs need no direct formatting (and a clerk can restyle the document)."
    from docx.enum.style import WD_STYLE_TYPE
    for name, (font, size, align, indent, exact) in STYLES.items():
        st = doc.styles.add_style(name, WD_STYLE_TYPE.PARAGRAPH)
        st.base_style = doc.styles["Normal"]
        _set_font(st, font, size)
        fmt = st.paragraph_format
        fmt.alignment = align
        fmt.first_line_indent = Pt(size * indent)
        fmt.keep_with_next = name in ("报告章节", "表格单位")
        if exact:
            fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(exact)
        else:
            fmt.line_spacing_rule = WD_LINE_SPACING.SINGLE


def _page(doc) -> None:
    sec = doc.sections[0]
    sec.orientation = WD_ORIENT.PORTRAIT
    sec.page_width, sec.page_height = Mm(210), Mm(297)
    sec.top_margin, sec.bottom_margin, sec.left_margin, sec.right_margin = Mm(37), Mm(35), Mm(28), Mm(26)
    normal = doc.styles["Normal"]
    _set_font(normal, BODY, 16)
    fmt = normal.paragraph_format
    fmt.line_spacing_rule, fmt.line_spacing = WD_LINE_SPACING.EXACTLY, Pt(28)
    fmt.space_before = fmt.space_after = Pt(0)


def _para(doc, text: str, style: str):
    p = doc.add_paragraph(style=style)
    p.add_run(text)
    return p


def _widths(grid: Grid) -> list[float]:
    """Column widths in mm, filling the text block.

    A wide table (the requests form) gets value columns two characters wide (商业/企业, 社会/公益/组织 wrap
    evenly, as in the blank Word template), label columns holding only rowspan groups the same, and its long
    row labels the rest. Narrow tables share the width by the length of each column's own texts.
    """
    values = {s.col for s in grid.slots if s.kind == "value"}
    texts = {s.col for s in grid.slots if s.kind == "label" and s.colspan == 1 and s.rowspan <= 2}
    if len(values) >= 5 and texts:
        fixed = [NARROW_MM if c in values else GROUP_MM for c in range(grid.width) if c not in texts]
        rest = WIDE_TABLE_MM - sum(fixed)
        return [rest / len(texts) if c in texts else NARROW_MM if c in values else GROUP_MM for c in range(grid.width)]
    weights = [3.0] * grid.width
    for s in grid.slots:
        if s.colspan == 1 and s.rowspan <= 2:
            weights[s.col] = max(weights[s.col], min(len(s.text), 16) if s.kind == "label" else min(len(s.text), 4))
    scale = TEXT_WIDTH_MM / sum(weights)
    return [w * scale for w in weights]


def _cell_margins(table) -> None:
    tblpr = table._tbl.tblPr
    mar = OxmlElement("w:tblCellMar")
    for side in ("top", "left", "bottom", "right"):
        el = OxmlElement(f"w:{side}")
        el.set(qn("w:w"), "57" if side in ("left", "right") else "0")
        el.set(qn("w:type"), "dxa")
        mar.append(el)
    tblpr.append(mar)
    layout = OxmlElement("w:tblLayout")
    layout.set(qn("w:type"), "fixed")
    tblpr.append(layout)


def _table(doc, grid: Grid, styles: dict) -> None:
    "One statutory table: every slot with a span becomes a real merge (w:gridSpan / w:vMerge)."
    table = doc.add_table(rows=grid.height, cols=grid.width)
    table.style = doc.styles["Table Grid"]
    table.alignment = WD_TABLE_ALIGNMENT.CENTER
    table.autofit = False
    _cell_margins(table)
    widths = _widths(grid)
    cells = table._cells  # row-major, taken once: table.cell() rescans the whole table on each call
    for c, w in enumerate(widths):
        table.columns[c].width = Mm(w)
        for r in range(grid.height):
            cells[r * grid.width + c].width = Mm(w)
    for s in grid.slots:
        if s.rowspan > 1 or s.colspan > 1:
            cells[s.row * grid.width + s.col].merge(cells[(s.row + s.rowspan - 1) * grid.width + s.col + s.colspan - 1])
    for s in grid.slots:
        cell = cells[s.row * grid.width + s.col]
        cell.vertical_alignment = WD_CELL_VERTICAL_ALIGNMENT.CENTER
        p = cell.paragraphs[0]
        name = "表格表头" if s.kind == "head" else "表格行名" if s.kind == "label" and s.rowspan == 1 else "表格文字"
        p._p.style = styles[name].style_id  # set in the XML: the python-docx setter rescans every style
        if s.row + s.rowspan < grid.height:  # keep the table on one page where it fits, as printed forms are
            p.paragraph_format.keep_with_next = True
        if s.text:
            p.add_run(s.text)
    for r, tr in enumerate(table._tbl.tr_lst):
        trpr = tr.get_or_add_trPr()
        trpr.append(OxmlElement("w:cantSplit"))  # a row never breaks across pages
        if r < grid.header_rows:
            trpr.append(OxmlElement("w:tblHeader"))  # header rows repeat on a following page


def outline_to_docx(outline: Outline) -> bytes:
    "The report as a Word document (bytes)."
    doc = new_document()
    _page(doc)
    _styles(doc)
    styles = {name: doc.styles[name] for name in STYLES}  # looked up once: a lookup by name scans every style
    _font_table(doc)
    doc.core_properties.title = outline.title
    doc.core_properties.author = outline.meta.get("agency") or ""
    _para(doc, outline.title, "报告标题")
    for text in outline.preface:
        _para(doc, text, "报告正文")
    for sec in outline.sections:
        head = _para(doc, sec.heading, "报告章节")
        if any(g.height > 20 for g in sec.grids):  # the requests form starts a page, so it prints whole
            head.paragraph_format.page_break_before = True
        for text in sec.paragraphs:
            _para(doc, text, "报告正文")
        for grid in sec.grids:
            if sec.unit:
                _para(doc, sec.unit, "表格单位")
            _table(doc, grid, styles)
    if outline.signature:
        _para(doc, "", "报告正文")
        for text in outline.signature:
            _para(doc, text, "报告落款")
    buf = io.BytesIO()
    doc.save(buf)
    return buf.getvalue()
