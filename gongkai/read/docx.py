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
_NOT_PRINTED = (MC + "Fallback", W + "del", W + "instrText")  # a VML copy of the mc:Choice, deleted runs, field codes
_INLINE = frozenset((_T, *_SPACES, *_BREAKS, _HYPHEN, _TXBX, *_NOT_PRINTED))
_PARSER = etree.XMLParser(resolve_entities=False, no_network=True, huge_tree=True)
_STYLE_ID = re.compile(rb'<w:style\b[^>]*?w:styleId="([^"]+)"')
_NUM_ID = re.compile(rb'<w:numId w:val="(\d+)"')
_ILVL = re.compile(rb'<w:ilvl w:val="(\d+)"')
_MAX_PART = 200_000_000  # bytes: a zip bomb is refused, not inflated
_HAN = re.compile(r"[\u4e00-\u9fff]")
_MAX_DEPTH = 60  # tables in text boxes in tables…: deeper nesting is flattened to text
_CN_DIGITS = "零一二三四五六七八九"


def read_docx(data: bytes, name: str, archive: zipfile.ZipFile | None = None) -> Document:
    "Read a Word 2007+ file (archive: its zip, if already opened); a zip that is not one raises UnreadableError."
    # The zip's XML parts are read with plain lxml: python-docx's element classes made parsing and walking
    # a report three times slower than the 100 reports/s target allows, and only these parts are needed.
    try:
        parts = _Parts(archive or zipfile.ZipFile(io.BytesIO(data)))
        main = parts.bytes(parts.main)
        body = etree.fromstring(main, _PARSER).find(W + "body")
    except (zipfile.BadZipFile, KeyError, etree.XMLSyntaxError, ValueError, OSError, EOFError) as e:
        raise UnreadableError("read.binary", name, detail=f"不是有效的 Word（DOCX）文件：{type(e).__name__}") from None
    if body is None:
        raise UnreadableError("read.binary", name, detail="DOCX 中没有正文（w:body）")
    reader = _Reader(_Numbering(parts, body, main))
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

    def __init__(self, archive: zipfile.ZipFile) -> None:
        self.zip = archive
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

    def bytes(self, part: str) -> bytes:
        info = self.zip.getinfo(part)
        if info.file_size > _MAX_PART:
            raise ValueError(f"{part} 过大")
        return self.zip.read(part)

    def xml(self, part: str):
        return etree.fromstring(self.bytes(part), _PARSER)

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

    def key(self, kind: str) -> tuple | None:
        "A related part's identity without inflating it: its zip entry's CRC-32 and sizes (None if absent)."
        part = self.related.get(kind)
        try:
            info = self.zip.getinfo(part) if part else None
        except KeyError:
            return None
        return (kind, info.CRC, info.file_size, info.compress_size) if info else None

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
                inner = _child(el, _SDT_CONTENT) if tag == _SDT else el
                if inner is not None:
                    self.blocks(inner, depth + 1)

    def paragraph(self, p, in_cell: bool) -> str:
        "A paragraph's printed text: its list number, runs, tabs as spaces; text boxes queued for later."
        parts = [self.numbering.label(p)]
        skip: set | None = None
        for el in p.iter():
            tag = el.tag
            if tag not in _INLINE or skip and el in skip:
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
                if skip is None:
                    skip = set()
                skip.update(el.iter())
        return "".join(parts)

    def table(self, tbl, depth: int) -> None:
        "A data table becomes a pipe grid; a layout table (one cell, or cells holding tables) is read as flow."
        nested = tbl.find(".//" + _TBL) is not None
        scanned = None if nested else _scan(tbl)
        if scanned is not None and sum(len(cells) for _, cells in scanned) > 1:
            self.w.table(squeeze(self.scanned_grid(scanned)))
            self.flush()
            return
        rows = _rows(tbl)
        row_cells = [_cells(row) for row in rows]
        cells = [tc for tcs in row_cells for tc in tcs]
        if len(cells) <= 1 or (nested and any(_holds_table(tc) for tc in cells)):
            for tc in cells:
                self.blocks(tc, depth + 1)
            return
        grid: list[list[Span | None]] = []
        above: list[Span | None] = []
        for row, tcs in zip(rows, row_cells):
            line: list[Span | None] = [None] * _grid_before(row)
            for tc in tcs:
                merged, span = _merge_and_span(tc)
                col = len(line)
                if merged and col < len(above) and above[col] is not None:
                    cell = above[col]  # a vertically merged cell: the text of the cell it continues
                else:
                    cell = Span(self.cell_text(tc, depth))
                line.extend([cell] * span)
            grid.append(line)
            above = line
        self.w.table(squeeze(_pad(grid)))
        self.flush()

    def scanned_grid(self, rows: list) -> list[list[Span | None]]:
        "The grid of a table _scan read: as table() builds it, list numbers counted in cell order, merged cells skipped."
        numbered, label = self.numbering.numbered, self.numbering.label
        grid: list[list[Span | None]] = []
        above: list[Span | None] = []
        for before, cells in rows:
            line: list[Span | None] = [None] * _int_val(before, 0, 0)
            for merge, span, paras in cells:
                col = len(line)
                if merge is not None and merge.get(_VAL, "continue") == "continue" and col < len(above) \
                        and above[col] is not None:
                    cell = above[col]  # a vertically merged cell: the text of the cell it continues
                else:
                    if len(paras) == 1 and paras[0][0] not in numbered:  # most cells: one paragraph
                        cell = Span("".join(paras[0][1]))
                    else:
                        cell = Span(BREAK.join([label(p) + "".join(parts) if p in numbered else "".join(parts)
                                                for p, parts in paras]))
                if span is None:
                    line.append(cell)
                else:
                    line.extend([cell] * _int_val(span, 1, 1))
            grid.append(line)
            above = line
        return _pad(grid)

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


def _pad(grid: list[list[Span | None]]) -> list[list[Span | None]]:
    "Rows made as wide as the widest."
    width = max(map(len, grid), default=0)
    for line in grid:
        if len(line) < width:
            line.extend([None] * (width - len(line)))
    return grid


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
    return _int_val(_child(props, _GRID_BEFORE) if props is not None else None, 0, 0)


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
    return merge is not None and merge.get(_VAL, "continue") == "continue", _int_val(span, 1, 1)


def _int_val(el, default: int, least: int) -> int:
    "A w:gridBefore or w:gridSpan count, at most 50."
    try:
        return max(least, min(int(el.get(_VAL)), 50)) if el is not None else default
    except (TypeError, ValueError):
        return default


_INLINE_MARKS = (*_SPACES, *_BREAKS, _HYPHEN)  # printed without text: " ", a break, "-"
_NEEDS_WALK = (_TXBX, MC + "AlternateContent", *_NOT_PRINTED)  # insides the walk skips or queues


def _scan(tbl) -> list | None:
    """A table without nested tables read by tag: rows of (gridBefore, cells), a cell [vMerge, gridSpan,
    paragraphs], a paragraph (w:p, its printed pieces); None for what the structural walk must read instead:
    rows or cells in content controls, paragraphs outside cells, text boxes, mc:AlternateContent, deleted runs.

    Walking rows, cells, paragraphs and runs as the walk does, most of the time goes to making an lxml iterator
    per element and reading every element's tag. Here libxml2 finds each kind of element in one pass over the
    table, and each is placed by its parents, so the same text is read as by the walk.
    """
    if any(len(el) or el.tag != W + "instrText" for el in tbl.iter(*_NEEDS_WALK)):
        return None  # a field code (w:instrText, no children) prints nothing; the rest needs the walk
    rows: list = []
    row_of: dict = {}
    for tr in tbl.iter(_TR):
        if tr.getparent() is not tbl:
            return None
        row_of[tr] = row = [None, []]
        rows.append(row)
    cell_of: dict = {}
    for tc in tbl.iter(_TC):
        row = row_of.get(tc.getparent())
        if row is None:
            return None
        cell_of[tc] = cell = [None, None, []]
        row[1].append(cell)
    pieces: dict = {}
    for p in tbl.iter(_P):
        cell = cell_of.get(p.getparent())
        if cell is None:
            return None
        pieces[p] = parts = []
        cell[2].append((p, parts))
    marked = next(tbl.iter(*_INLINE_MARKS), None) is not None
    for el in tbl.iter(_T, *_INLINE_MARKS) if marked else tbl.iter(_T):
        node = el.getparent()  # a run, then the paragraph, or deeper: a hyperlink, content control, field
        if node is not None:
            node = node.getparent()
        parts = pieces.get(node)
        while parts is None:
            if node is None or node in cell_of:
                return None  # not inside a paragraph: runs directly in a cell
            node = node.getparent()
            parts = pieces.get(node)
        tag = el.tag if marked else _T
        if tag == _T:
            parts.append(el.text or "")
        else:
            parts.append(" " if tag in _SPACES else BREAK if tag in _BREAKS else "-")
    for tag, slot in ((_VMERGE, 0), (_GRID_SPAN, 1)):  # the first of each in the cell's first tcPr
        for el in tbl.iter(tag):
            props = el.getparent()
            cell = cell_of.get(props.getparent()) if props is not None else None
            if cell is not None and cell[slot] is None and _child(props.getparent(), _TCPR) is props:
                cell[slot] = el
    for el in tbl.iter(_GRID_BEFORE):  # the first in the row's first trPr
        props = el.getparent()
        row = row_of.get(props.getparent()) if props is not None else None
        if row is not None and row[0] is None and _child(props.getparent(), _TRPR) is props:
            row[0] = el
    return rows


class _Numbering:
    "List numbers as Word prints them (一、 （一） 1.), counted per list from numbering.xml."

    def __init__(self, parts: _Parts, body, main: bytes) -> None:
        self.counters: dict[str, list[int]] = {}
        # What numbering.xml and styles.xml say is kept by their zip entries' CRC-32: reports of one template
        # share them, and styles.xml alone is often 350 KB to inflate.
        self.levels = _cached(parts.key("numbering"), lambda: _levels(parts.optional("numbering")))
        self.style_num: dict[str, tuple[str, int]] = {}
        self.numbered: set = set()  # paragraphs whose pPr has a numPr or a numbered style: only these get a label
        if not self.levels:
            return
        self.style_num = _cached(parts.key("styles"), lambda: _numbered_styles(parts.raw("styles")))
        marks = [*body.iter(_NUMPR), *_styled(body, self.style_num, main)]
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


_CACHE: dict = {}  # a part's key → what was read from it (never changed after), for up to 256 parts


def _cached(key: tuple | None, read):
    "What read() returns for the part with this key, read once per process while the cache has room."
    if key is None:
        return read()
    found = _CACHE.get(key)
    if found is None:
        if len(_CACHE) >= 256:
            _CACHE.clear()  # atomic, unlike evicting one entry while another thread may be adding
        found = _CACHE[key] = read()
    return found


def _levels(root) -> dict[tuple[str, int], tuple[str, str, int]]:
    "numbering.xml → (numId, ilvl) → (numFmt, lvlText, start)."
    levels: dict[tuple[str, int], tuple[str, str, int]] = {}
    if root is None:
        return levels
    abstract = {a.get(W + "abstractNumId"): a for a in root.iterchildren(W + "abstractNum")}
    for num in root.iterchildren(W + "num"):
        num_id = num.get(W + "numId")
        ref = _child(num, W + "abstractNumId")
        base = abstract.get(ref.get(W + "val")) if ref is not None else None
        lvls = {lvl.get(W + "ilvl"): lvl for lvl in (base.iterchildren(W + "lvl") if base is not None else ())}
        starts = {}
        for ov in num.iterchildren(W + "lvlOverride"):
            first = _firsts(ov)
            if W + "lvl" in first:
                lvls[ov.get(W + "ilvl")] = first[W + "lvl"]
            if W + "startOverride" in first:
                starts[ov.get(W + "ilvl")] = _val_int(first[W + "startOverride"], 1)
        for ilvl, lvl in lvls.items():
            first = _firsts(lvl)
            fmt, text = first.get(W + "numFmt"), first.get(W + "lvlText")
            start = starts.get(ilvl, _val_int(first.get(W + "start"), 1))
            levels[(num_id, int(ilvl or 0))] = (fmt.get(W + "val") if fmt is not None else "decimal",
                                                text.get(W + "val", "") if text is not None else "", start)
    return levels


def _firsts(el) -> dict:
    "Each tag's first child, as find() would return it, in one pass over the children."
    first: dict = {}
    for child in el:
        first.setdefault(child.tag, child)
    return first


def _numbered_styles(raw: bytes) -> dict[str, tuple[str, int]]:
    "styles.xml → styleId → (numId, ilvl) of the styles carrying a list number, found without parsing it all."
    style_num: dict[str, tuple[str, int]] = {}
    at = raw.find(b"<w:numPr")
    for _ in range(10_000):
        if at < 0:
            break
        start = raw.rfind(b"<w:style ", 0, at)
        head = _STYLE_ID.match(raw, start) if start >= 0 else None
        num, ilvl = _NUM_ID.search(raw, at, at + 400), _ILVL.search(raw, at, at + 400)
        if head and num:
            style_num[head.group(1).decode()] = (num.group(1).decode(), int(ilvl.group(1)) if ilvl else 0)
        at = raw.find(b"<w:numPr", at + 8)
    return style_num


def _styled(body, style_num: dict, main: bytes) -> list:
    "The w:pStyle elements naming a numbered style (none, when document.xml's bytes show it names none)."
    if not style_num:
        return []
    used = _style_names(main)
    if used is not None and used.isdisjoint(style_num):
        return []
    return [s for s in body.iter(_PSTYLE) if s.get(_VAL) in style_num]


_PSTYLE_VAL = re.compile(rb'<w:pStyle w:val="([^"&\s]*)"')


def _style_names(main: bytes) -> set[str] | None:
    """The style ids a UTF-8 document.xml's paragraphs name, read from its bytes, where every mention of pStyle
    is written as Word writes it; else None (the elements are then read)."""
    head = main[:200].lower()
    if b"\x00" in head or b"encoding" in head and b"utf-8" not in head:
        return None
    names = _PSTYLE_VAL.findall(main)
    if len(names) != main.count(b"pStyle"):
        return None
    try:
        return {n.decode() for n in set(names)}
    except UnicodeDecodeError:
        return None


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
