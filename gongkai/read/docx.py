"""DOCX → Document: body paragraphs (with list numbers from numbering.xml) and tables in document order."""
from __future__ import annotations

import io
import re
import zipfile

from lxml import etree

from gongkai.model import Document
from gongkai.read.errors import UnreadableError
from gongkai.read.layout import BREAK, Span, Writer, squeeze

W = "{http://schemas.openxmlformats.org/wordprocessingml/2006/main}"
MC = "{http://schemas.openxmlformats.org/markup-compatibility/2006}"
R = "{http://schemas.openxmlformats.org/package/2006/relationships}"
_P, _TBL, _TR, _TC, _VAL = W + "p", W + "tbl", W + "tr", W + "tc", W + "val"
_PPR, _NUMPR, _PSTYLE = W + "pPr", W + "numPr", W + "pStyle"
_TRPR, _GRID_BEFORE, _TCPR, _GRID_SPAN, _VMERGE = W + "trPr", W + "gridBefore", W + "tcPr", W + "gridSpan", W + "vMerge"
_SDT, _SDT_CONTENT, _CUSTOM_XML = W + "sdt", W + "sdtContent", W + "customXml"
_WRAPPERS = (_SDT, _CUSTOM_XML)  # content controls and custom XML around rows or cells
_BLOCK_WRAPPERS = frozenset((_SDT, _CUSTOM_XML, _SDT_CONTENT))
_CELL_INNER = frozenset((_TBL, _TR, _TC, _SDT, _SDT_CONTENT, _CUSTOM_XML))
_T, _TXBX, _HYPHEN = W + "t", W + "txbxContent", W + "noBreakHyphen"
_SPACES = (W + "tab", W + "ptab")
_BREAKS = (W + "br", W + "cr")
_INLINE = frozenset((_T, *_SPACES, *_BREAKS, _HYPHEN, _TXBX, MC + "Fallback", W + "del", W + "instrText"))
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
_STYLE_ID = re.compile(rb'<w:style\b[^>]*?w:styleId="([^"]+)"')
_NUM_ID = re.compile(rb'<w:numId w:val="(\d+)"')
_ILVL = re.compile(rb'<w:ilvl w:val="(\d+)"')
_MAX_PART = 200_000_000  # bytes: a zip bomb is refused, not inflated
_HAN = re.compile(r"[\u4e00-\u9fff]")
_MAX_DEPTH = 60  # tables in text boxes in tables…: deeper nesting is flattened to text
_CN_DIGITS = "零一二三四五六七八九"


def read_docx(data: bytes, name: str) -> Document:
    "Read a Word 2007+ file; a zip that is not one raises UnreadableError naming the file."
    # The zip's XML parts are read with plain lxml: python-docx's element classes made parsing and walking
    # a report three times slower than the 100 reports/s target allows, and only these parts are needed.
    try:
        parts = _Parts(data)
        body = parts.xml(parts.main).find(W + "body")
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, ValueError, OSError, EOFError) as e:
        raise UnreadableError("read.binary", name, detail=f"不是有效的 Word（DOCX）文件：{type(e).__name__}") from None
    if body is None:
        raise UnreadableError("read.binary", name, detail="DOCX 中没有正文（w:body）")
    reader = _Reader(_Numbering(parts, body))
    reader.blocks(body, 0)
    reader.flush()
    w = reader.w
    if not w.text.strip():
        raise UnreadableError("read.empty", name)
    title = parts.title()
    return Document(w.text, name, container="docx", encoding=None, locs=w.sorted_locs(),
                    title=title if title and _HAN.search(title) else None)


class _Parts:
    "The package parts a reader needs, found through the relationships as Word does."

    def __init__(self, data: bytes) -> None:
        self.zip = zipfile.ZipFile(io.BytesIO(data))
        names = set(self.zip.namelist())
        self.main = "word/document.xml"
        self.related: dict[str, str] = {}
        if "_rels/.rels" in names:
            for rel in self.xml("_rels/.rels").iter(R + "Relationship"):
                if rel.get("Type", "").endswith("/officeDocument"):
                    self.main = rel.get("Target", self.main).lstrip("/")
        folder, _, base = self.main.rpartition("/")
        rels = f"{folder}/_rels/{base}.rels" if folder else f"_rels/{base}.rels"
        if rels in names:
            for rel in self.xml(rels).iter(R + "Relationship"):
                kind = rel.get("Type", "").rsplit("/", 1)[-1]
                target = rel.get("Target", "")
                self.related[kind] = target.lstrip("/") if target.startswith("/") else f"{folder}/{target}".lstrip("/")

    def xml(self, part: str):
        info = self.zip.getinfo(part)
        if info.file_size > _MAX_PART:
            raise ValueError(f"{part} 过大")
        return etree.fromstring(self.zip.read(part), _PARSER)

    def optional(self, kind: str):
        part = self.related.get(kind)
        try:
            return self.xml(part) if part else None
        except (KeyError, etree.XMLSyntaxError, ValueError):
            return None

    def raw(self, kind: str) -> bytes:
        part = self.related.get(kind)
        try:
            return self.zip.read(part) if part and self.zip.getinfo(part).file_size < _MAX_PART else b""
        except KeyError:
            return b""

    def title(self) -> str | None:
        try:
            core = self.xml("docProps/core.xml")
        except (KeyError, etree.XMLSyntaxError, ValueError):
            return None
        node = core.find("{http://purl.org/dc/elements/1.1/}title")
        return (node.text or "").strip() if node is not None else None


class _Reader:
    "Walks body XML in document order, writing paragraphs as lines and tables as pipe grids."

    def __init__(self, numbering: "_Numbering") -> None:
        self.w = Writer()
        self.numbering = numbering
        self.pending: list = []  # text boxes met inside a paragraph, written after it

    def flush(self) -> None:
        boxes, self.pending = self.pending, []
        for box in boxes:
            self.blocks(box, 1)

    def blocks(self, parent, depth: int) -> None:
        "Paragraphs and tables under a body, cell or text box (through content controls and custom XML)."
        for el in parent:
            tag = el.tag
            if tag == _P:
                self.w.line(self.paragraph(el, in_cell=False))
                self.flush()
            elif tag == _TBL:
                self.table(el, depth)
            elif tag in _BLOCK_WRAPPERS and depth < _MAX_DEPTH:
                self.blocks(el.find(_SDT_CONTENT) if tag == _SDT else el, depth + 1)

    def paragraph(self, p, in_cell: bool) -> str:
        "A paragraph's printed text: its list number, runs, tabs as spaces; text boxes queued for later."
        parts = [self.numbering.label(p)]
        skip: set = set()
        # Every descendant, the inline ones picked here: p.iter(*_INLINE) builds a tag matcher on each call,
        # which costs more than walking past the runs' formatting elements.
        for el in p.iter():
            tag = el.tag
            if tag not in _INLINE or el in skip:
                continue
            if tag == _T:
                parts.append(el.text or "")
            elif tag in _SPACES:
                parts.append(" ")
            elif tag in _BREAKS:
                parts.append(BREAK if in_cell else "\n")
            elif tag == _HYPHEN:
                parts.append("-")
            else:
                # Text boxes are written after the paragraph; mc:Fallback repeats the mc:Choice box as VML;
                # deleted runs were not printed. Their insides are skipped here.
                if tag == _TXBX:
                    self.pending.append(el)
                skip.update(el.iter())
        return "".join(parts)

    def table(self, tbl, depth: int) -> None:
        "A data table becomes a pipe grid; a layout table (one cell, or cells holding tables) is read as flow."
        rows = _rows(tbl)
        row_cells = [_cells(row) for row in rows]
        cells = [tc for tcs in row_cells for tc in tcs]
        nested = tbl.find(".//" + _TBL) is not None
        if len(cells) <= 1 or (nested and any(_holds_table(tc) for tc in cells)):
            for tc in cells:
                self.blocks(tc, depth + 1)
            return
        grid: list[list[Span | None]] = []
        for row, tcs in zip(rows, row_cells):
            line: list[Span | None] = [None] * _grid_before(row)
            for tc in tcs:
                merged, span = _merge_and_span(tc)
                col = len(line)
                above = grid[-1][col] if grid and col < len(grid[-1]) else None
                if merged and above is not None:
                    cell = above  # a vertically merged cell: the text of the cell it continues
                else:
                    cell = Span(self.cell_text(tc, depth))
                line.extend([cell] * span)
            grid.append(line)
        width = max((len(line) for line in grid), default=0)
        for line in grid:
            line.extend([None] * (width - len(line)))
        self.w.table(squeeze(grid))
        self.flush()

    def cell_text(self, tc, depth: int) -> str:
        "A cell's paragraphs joined by spaces; a small table nested in it is flattened into the cell."
        parts: list[str] = []
        self._cell_parts(tc, parts, depth)
        return BREAK.join(parts)

    def _cell_parts(self, parent, parts: list[str], depth: int) -> None:
        for el in parent:
            tag = el.tag
            if tag == _P:
                parts.append(self.paragraph(el, in_cell=True))
            elif depth < _MAX_DEPTH and tag in _CELL_INNER:
                self._cell_parts(el, parts, depth + 1)


def _child(el, tag: str):
    "First child with a tag: a loop over a handful of children beats lxml's find(), which parses a path each call."
    for child in el:
        if child.tag == tag:
            return child
    return None


def _rows(tbl) -> list:
    return _own(tbl, _TR)


def _cells(row) -> list:
    return _own(row, _TC)


def _own(parent, tag: str) -> list:
    "A table's rows or a row's cells, which may sit inside content controls or custom XML wrappers."
    found = []
    for el in parent:  # a loop, not iterchildren(*tags), which builds a tag matcher on each call
        if el.tag == tag:
            found.append(el)
        elif el.tag in _WRAPPERS:
            found.extend(el.iter(tag))
    return found


def _holds_table(tc) -> bool:
    "A cell holding a two-way table (≥2 rows and ≥2 columns) makes its table a layout table."
    inner = tc.find(".//" + _TBL)
    if inner is None:
        return False
    rows = _rows(inner)
    return len(rows) >= 2 and max(len(_cells(r)) for r in rows) >= 2


def _grid_before(row) -> int:
    props = _child(row, _TRPR)
    el = _child(props, _GRID_BEFORE) if props is not None else None
    try:
        return max(0, min(int(el.get(_VAL)), 50)) if el is not None else 0
    except (TypeError, ValueError):
        return 0


def _merge_and_span(tc) -> tuple[bool, int]:
    "Whether a cell continues a vertical merge (a w:vMerge that is not a restart), and its w:gridSpan."
    merge = span = None
    props = _child(tc, _TCPR)
    for el in props if props is not None else ():  # one pass, keeping the first of each as _child would
        tag = el.tag
        if tag == _VMERGE and merge is None:
            merge = el
        elif tag == _GRID_SPAN and span is None:
            span = el
    try:
        columns = max(1, min(int(span.get(_VAL)), 50)) if span is not None else 1
    except (TypeError, ValueError):
        columns = 1
    return merge is not None and merge.get(_VAL, "continue") == "continue", columns


class _Numbering:
    "List numbers as Word prints them (一、 （一） 1.), counted per list from numbering.xml."

    def __init__(self, parts: _Parts, body) -> None:
        self.levels: dict[tuple[str, int], tuple[str, str, int]] = {}  # (numId, ilvl) → (fmt, lvlText, start)
        self.counters: dict[str, list[int]] = {}
        self.style_num: dict[str, tuple[str, int]] = {}
        self.numbered: set = set()  # paragraphs whose pPr has a numPr or a numbered style: only these get a label
        root = parts.optional("numbering")
        if root is None:
            return
        abstract = {a.get(W + "abstractNumId"): a for a in root.iterchildren(W + "abstractNum")}
        for num in root.iterchildren(W + "num"):
            num_id = num.get(W + "numId")
            ref = num.find(W + "abstractNumId")
            base = abstract.get(ref.get(W + "val")) if ref is not None else None
            lvls = {lvl.get(W + "ilvl"): lvl for lvl in (base.iterchildren(W + "lvl") if base is not None else ())}
            starts = {}
            for ov in num.iterchildren(W + "lvlOverride"):
                if ov.find(W + "lvl") is not None:
                    lvls[ov.get(W + "ilvl")] = ov.find(W + "lvl")
                so = ov.find(W + "startOverride")
                if so is not None:
                    starts[ov.get(W + "ilvl")] = _val_int(so, 1)
            for ilvl, lvl in lvls.items():
                fmt = lvl.find(W + "numFmt")
                text = lvl.find(W + "lvlText")
                start = starts.get(ilvl, _val_int(lvl.find(W + "start"), 1))
                self.levels[(num_id, int(ilvl or 0))] = (fmt.get(W + "val") if fmt is not None else "decimal",
                                                         text.get(W + "val", "") if text is not None else "", start)
        # styles.xml is often 350 KB of latent styles: only the few styles carrying a list number are parsed.
        raw = parts.raw("styles")
        at = raw.find(b"<w:numPr")
        for _ in range(10_000):
            if at < 0:
                break
            start = raw.rfind(b"<w:style ", 0, at)
            head = _STYLE_ID.match(raw, start) if start >= 0 else None
            num, ilvl = _NUM_ID.search(raw, at, at + 400), _ILVL.search(raw, at, at + 400)
            if head and num:
                self.style_num[head.group(1).decode()] = (num.group(1).decode(), int(ilvl.group(1)) if ilvl else 0)
            at = raw.find(b"<w:numPr", at + 8)
        # Found in two passes over the body rather than by reading every paragraph's properties.
        marks = [*body.iter(_NUMPR), *(s for s in body.iter(_PSTYLE) if s.get(_VAL) in self.style_num)]
        self.numbered = {m.getparent().getparent() for m in marks if m.getparent().tag == _PPR}

    def label(self, p) -> str:
        "The rendered list number of a paragraph, or ''."
        if not self.levels or p not in self.numbered:
            return ""
        ppr = p[0] if len(p) and p[0].tag == _PPR else None  # pPr is always a paragraph's first child
        if ppr is None:
            return ""
        num = style = None
        for child in ppr:
            if child.tag == _NUMPR:
                num = child
            elif child.tag == _PSTYLE:
                style = child
        num_id, ilvl = None, 0
        if num is not None and _child(num, W + "numId") is not None:
            num_id = _child(num, W + "numId").get(W + "val")
            ilvl = _val_int(_child(num, W + "ilvl"), 0)
        else:
            if style is None or style.get(W + "val") not in self.style_num:
                return ""
            num_id, ilvl = self.style_num[style.get(W + "val")]
        if num_id in (None, "0") or (num_id, ilvl) not in self.levels:
            return ""
        counts = self.counters.setdefault(num_id, [0] * 10)
        ilvl = min(max(ilvl, 0), 8)
        fmt, text, start = self.levels[(num_id, ilvl)]
        counts[ilvl] = start if counts[ilvl] == 0 else counts[ilvl] + 1
        for deeper in range(ilvl + 1, 10):
            counts[deeper] = 0
        if fmt == "bullet" or fmt == "none":
            return ""

        def level(m: re.Match) -> str:
            k = int(m.group(1)) - 1
            f, _, s = self.levels.get((num_id, k), ("decimal", "", 1))
            return _format(counts[k] or s, f)

        return re.sub(r"%([1-9])", level, text)


def _val_int(el, default: int) -> int:
    try:
        return int(el.get(W + "val")) if el is not None else default
    except (TypeError, ValueError):
        return default


def _format(n: int, fmt: str) -> str:
    "One list counter in a numFmt."
    if fmt in ("chineseCounting", "chineseCountingThousand", "ideographTraditional", "japaneseCounting",
               "chineseLegalSimplified", "taiwaneseCounting", "taiwaneseCountingThousand"):
        return _chinese(n)
    if fmt == "decimalFullWidth":
        return str(n).translate(str.maketrans("0123456789", "０１２３４５６７８９"))
    if fmt == "decimalEnclosedCircle" and 1 <= n <= 20:
        return chr(0x2460 + n - 1)
    if fmt in ("upperLetter", "lowerLetter"):
        s = chr(ord("A") + (n - 1) % 26) * ((n - 1) // 26 + 1)
        return s if fmt == "upperLetter" else s.lower()
    if fmt in ("upperRoman", "lowerRoman"):
        s = _roman(n)
        return s if fmt == "upperRoman" else s.lower()
    return str(n)


def _chinese(n: int) -> str:
    "1 → 一, 10 → 十, 12 → 十二, 20 → 二十, 105 → 一百零五 (list numbers only go so far)."
    if n < 10:
        return _CN_DIGITS[n]
    if n < 100:
        tens, ones = divmod(n, 10)
        return ("" if tens == 1 else _CN_DIGITS[tens]) + "十" + (_CN_DIGITS[ones] if ones else "")
    hundreds, rest = divmod(n, 100)
    tail = "" if rest == 0 else ("零" + _CN_DIGITS[rest] if rest < 10 else
                                 (_CN_DIGITS[1] if rest < 20 else "") + _chinese(rest))
    return _CN_DIGITS[hundreds % 10] + "百" + tail


def _roman(n: int) -> str:
    out = ""
    for value, sym in ((1000, "M"), (900, "CM"), (500, "D"), (400, "CD"), (100, "C"), (90, "XC"), (50, "L"),
                       (40, "XL"), (10, "X"), (9, "IX"), (5, "V"), (4, "IV"), (1, "I")):
        while n >= value:
            out, n = out + sym, n - value
    return out
