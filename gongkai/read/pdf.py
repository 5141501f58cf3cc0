"""PDF → Document: lines and ruled tables page by page, running headers and page numbers dropped, split tables joined."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from gongkai.findings import finding
from gongkai.model import Document
from gongkai.read.errors import UnreadableError
from gongkai.read.layout import Box, Grid, Span, Writer
from gongkai.read.pdf_layout import Line, find_tables, group_lines, page_chars, page_edges, text_tables

_MAX_PAGES = 400
_MARGIN = 0.085  # share of the page height at top and bottom where running headers and page numbers live
_PAGE_NUMBER = re.compile(r"^[\s\-—–－─~·•]*(第\s*)?\d{1,4}(\s*页)?(\s*[/／]\s*\d{1,4}|\s*共\s*\d{1,4}\s*页)?[\s\-—–－─~·•]*$")
_DIGITS = re.compile(r"\d+")
_NUMBER = re.compile(r"^\s*-?[\d,，.．]+\s*$")
_LIST_START = re.compile(r"^\s*([（(][一二三四五六七八九十\d]+[)）]|[一二三四五六七八九十]+[、.．]|\d+[.．、])")


@dataclass(slots=True)
class _Item:
    "One thing printed on a page, in reading order: a text line or a table."

    top: float
    page: int
    line: Line | None = None
    grid: Grid | None = None
    bbox: Box | None = None
    margin: bool = False  # in the header/footer band
    edges: tuple[float, float] = (0.0, 0.0)  # the page's text column: left and right x of its body lines


def read_pdf(data: bytes, name: str) -> Document:
    "Read a PDF's text layer (tables from ruling lines or text positions); OCR a scanned one when Tesseract is here."
    import pypdfium2 as pdfium
    try:
        pdf = pdfium.PdfDocument(data)
    except Exception as e:  # PdfiumError: damaged, truncated or password-protected
        raise UnreadableError("read.pdf.damaged", name, detail=str(e) or type(e).__name__) from None
    try:
        pages = _pages(pdf, name)
    finally:
        pdf.close()
    findings = []
    if not any(items for items in pages):
        from gongkai.read.ocr import ocr_pdf
        return ocr_pdf(data, name)
    if b"%%EOF" not in data[-2048:]:
        findings.append(finding("read.truncated", detail="PDF 文件末尾缺少 %%EOF 标记，可能下载不完整"))
    w = Writer()
    paragraph: list[_Item] = []
    for item in _join_tables(_drop_running(pages)):
        if paragraph and (item.line is None or not _continues(paragraph[-1], item)):
            w.pieces([(it.line.text, it.page, it.bbox) for it in paragraph])
            paragraph = []
        if item.grid is not None:
            w.table(item.grid)
        elif item.line is not None:
            paragraph.append(item)
    if paragraph:
        w.pieces([(it.line.text, it.page, it.bbox) for it in paragraph])
    return Document(w.text, name, container="pdf", locs=w.sorted_locs(), findings=tuple(findings))


def _pages(pdf, name: str) -> list[list[_Item]]:
    "Each page's lines and tables sorted top to bottom."
    out = []
    for index in range(min(len(pdf), _MAX_PAGES)):
        try:
            page = pdf[index]
        except Exception as e:
            if out:
                break  # a truncated file whose first pages still load
            raise UnreadableError("read.pdf.damaged", name, detail=f"第 {index + 1} 页无法载入：{e}") from None
        try:
            out.append(_page_items(page, index + 1))
        finally:
            page.close()
    return out


def _page_items(page, number: int) -> list[_Item]:
    width, height = page.get_size()
    chars = page_chars(page, height)
    if not chars:
        return []
    tables, rest = find_tables(page_edges(page, height), chars, number)
    items = [_Item(t.bbox[1], number, grid=t.grid, bbox=t.bbox) for t in tables]
    lines = group_lines(rest)
    for line in lines:
        box = line.bbox
        items.append(_Item(box[1], number, line=line, bbox=box,
                           margin=box[3] < height * _MARGIN or box[1] > height * (1 - _MARGIN)))
    items.sort(key=lambda it: it.top)
    if not tables:
        items = _with_text_tables(items, number)
    body = [it.bbox for it in items if it.line is not None and not it.margin]
    if body:
        edges = (min(b[0] for b in body), max(b[2] for b in body))
        for it in items:
            it.edges = edges
    return items


def _continues(prev: _Item, item: _Item) -> bool:
    "A line continues the paragraph above when that one ran to the right edge and this one is not indented."
    size = max(c.size for c in item.line.chars)
    full = prev.bbox[2] >= prev.edges[1] - 2 * size
    flush_left = item.bbox[0] < item.edges[0] + 0.8 * size
    # A centred title wrapped over two lines (…2020年政府信 / 息公开工作年度报告) is one line.
    middle = (item.edges[0] + item.edges[1]) / 2
    if (item.page == prev.page and not flush_left and abs((item.bbox[0] + item.bbox[2]) / 2 - middle) < size
            and abs(max(c.size for c in prev.line.chars) - size) < 0.5
            and not prev.line.text.endswith(("。", "；", "：", ":"))):
        flush_left = True
    if item.page != prev.page:  # over a page break only an unfinished sentence continues
        return full and flush_left and not prev.line.text.endswith(("。", "；", "：", ":", "！", "？"))
    near = item.bbox[1] - prev.bbox[3] < 1.2 * size
    return full and flush_left and near


def _with_text_tables(items: list[_Item], number: int) -> list[_Item]:
    "A page without ruling lines: runs of column-aligned lines become tables."
    body = [it for it in items if it.line is not None and not it.margin]
    found = text_tables([it.line for it in body], number)
    if not found:
        return items
    out: list[_Item] = [it for it in items if it.margin]
    i = 0
    for start, end, grid in found:
        out.extend(body[i:start])
        out.append(_Item(body[start].top, number, grid=grid, bbox=body[start].bbox))
        i = end
    out.extend(body[i:])
    return sorted(out, key=lambda it: it.top)


def _drop_running(pages: list[list[_Item]]) -> list[list[_Item]]:
    "Drop page numbers (— 3 —, - 3 -, 第3页, 3/6) and header/footer lines repeated on most pages."
    repeated = Counter()
    for items in pages:
        seen = {_DIGITS.sub("#", it.line.text) for it in items if it.margin and it.line is not None}
        repeated.update(seen)
    floor = max(2, int(len(pages) * 0.6))
    out = []
    for items in pages:
        kept = []
        for it in items:
            if it.margin and it.line is not None:
                text = it.line.text
                if _PAGE_NUMBER.match(text) or (len(pages) > 1 and repeated[_DIGITS.sub("#", text)] >= floor):
                    continue
            kept.append(it)
        out.append(kept)
    return out


def _join_tables(pages: list[list[_Item]]) -> list[_Item]:
    "One stream of items; a table ending a page and one of the same width starting the next are one table."
    out: list[_Item] = []
    for items in pages:
        for k, it in enumerate(items):
            prev = out[-1] if out else None
            if (k == 0 and it.grid is not None and prev is not None and prev.grid is not None
                    and prev.page == it.page - 1 and len(prev.grid[0]) == len(it.grid[0])):
                prev.grid = _continue(prev.grid, it.grid)
                prev.page = it.page  # the joined table now ends on this page
                continue
            out.append(it)
    return out


def _continue(first: Grid, more: Grid) -> Grid:
    """Append a table's continuation on the next page to its first part.

    Repeated header rows are dropped. LibreOffice and Word let a row break across the page: the values
    print above the break and the rest of the labels below it, so such a first row is joined to the last.
    A merged label cell split by the break prints its text above it only (carried down), or its first
    characters above and the rest below (joined), unless the lower text starts a new numbered label.
    """
    heads = 0
    while heads < min(len(first), len(more)) - 1 and _texts(first[heads]) == _texts(more[heads]):
        heads += 1
    more = more[heads:]
    if not more:
        return first
    last, top = first[-1], more[0]
    above = first[-2] if len(first) > 1 else []
    numbers = [c for c, s in enumerate(last) if s is not None and _NUMBER.match(s.text)]
    split_row = bool(numbers) and all(c < len(top) and (top[c] is None or not top[c].text) for c in numbers)
    swap: dict[int, Span] = {}
    for c, (p, q) in enumerate(zip(last, top)):
        if p is None or q is None or id(q) in swap:
            continue
        spanned = c < len(above) and above[c] is p
        if not q.text and p.text and (spanned or split_row):
            swap[id(q)] = p  # carried down over the break
        elif p.text and q.text and (split_row or spanned) and not _NUMBER.match(p.text) \
                and not _NUMBER.match(q.text) and not _LIST_START.match(q.text):
            swap[id(q)] = swap[id(p)] = Span(p.text + q.text, q.rowspan, q.colspan, p.page, p.bbox)
    if swap:
        first = [[swap.get(id(s), s) if s is not None else None for s in row] for row in first]
        more = [[swap.get(id(s), s) if s is not None else None for s in row] for row in more]
    if split_row:
        first, more = first[:-1] + [more[0]], more[1:]
    return first + more


def _texts(row: list[Span | None]) -> list[str]:
    return ["".join((s.text if s else "").split()) for s in row]
