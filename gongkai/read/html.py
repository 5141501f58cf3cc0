"""HTML (CMS pages, Word-exported HTML) → Document: the main content block's lines and its tables as pipe grids."""
from __future__ import annotations

import re

import lxml.etree as etree

from gongkai.findings import finding
from gongkai.model import Document
from gongkai.read.decode import decode
from gongkai.read.errors import UnreadableError
from gongkai.read.layout import BREAK, Span, Writer, clean, expand

_DROP = frozenset("script style noscript iframe object embed select option button input textarea svg canvas "
                  "template head title nav aside map audio video".split())
_BLOCK = frozenset("p div h1 h2 h3 h4 h5 h6 li ul ol dl dt dd tr table thead tbody tfoot caption center "
                   "blockquote pre section article main header footer form fieldset address hr figure "
                   "figcaption details summary".split())
# Class/id words of page chrome on Chinese government CMS sites (分享 bdshare/jiathis, 相关链接 xglj, 二维码 ewm).
_CHROME_WORDS = frozenset("nav navbar menu breadcrumb crumb crumbs position location share bdshare jiathis fenxiang "
                          "print close related xglj relevant footer foot copyright sidebar side aside search login "
                          "qrcode ewm erweima pagination pager prev next toolbar tools dyfx".split())
_CHROME_TEXT = re.compile(r"^\s*[【\[]?\s*(相关链接|相关文章|相关阅读|相关信息|相关稿件|分享到|分享|扫一扫|打印本页|"
                          r"关闭窗口|打印|关闭|上一篇|下一篇|网站地图|联系我们|收藏本站)")
# _CHROME_TEXT's words anywhere in the page's text; the texts holding one are then found by libxml2.
_CHROME_WORDS_TEXT = re.compile(r"(?=(相关链接|相关文章|相关阅读|相关信息|相关稿件|分享|扫一扫|打印|关闭|上一篇|下一篇|"
                                r"网站地图|联系我们|收藏本站))")  # overlapping finds: every word present
_TEXTS_WITH = etree.XPath("//text()[contains(., $word)]")
_NEVER_CHROME = frozenset(("html", "body", "td", "th", "tr", "table"))
_HIDDEN = re.compile(r"display\s*:\s*none|visibility\s*:\s*hidden", re.I)
# div/span grids styled as table cells are cells, whatever their tag (tables drawn as <div> grids).
_CELLISH = re.compile(r"display\s*:\s*(table-cell|inline-block)|float\s*:\s*(left|right)", re.I)
_WORD = re.compile(r"[A-Za-z]+")
_LEADING_DIGITS = re.compile(r"\s*(\d+)")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_NOT_HAN = re.compile(r"[^\u4e00-\u9fff]+")  # removing these leaves a text's Chinese to count
_XML_DECL = re.compile(r"^\s*<\?xml[^>]*\?>", re.I)
_DATE = r"(\d{4})\s*[-年/.]\s*(\d{1,2})\s*[-月/.]\s*(\d{1,2})"
_PUBLISHED_TEXT = re.compile(r"(?:发布时间|发布日期|发文日期|公开日期|发表时间|日期|时间)\s*[:：]?\s*" + _DATE)
_WRITTEN_TEXT = re.compile(r"成文日期\s*[:：]?\s*" + _DATE)
_PUBLISHED_META = ("pubdate", "publishdate", "firstpublishedtime", "article:published_time", "dc.date",
                   "dcterms.issued", "publishtime", "maketime")
_TITLE_META = ("articletitle", "title", "og:title", "dc.title")
_MAX_DEPTH = 180  # libxml2 stops nesting near 256; deeper trees are flattened to their text
# Plain lxml elements: lxml.html's element classes are looked up in Python for every node touched, a tenth of
# the reading time; only text_content() was used from them, and it is this XPath.
_PARSER = etree.HTMLParser()
_text_content = etree.XPath("string()")
# A table's own cells (as _own_rows and _own_cells find them) that could hold 300 Chinese characters: one query
# instead of each cell's text.
_LONG_CELLS = etree.XPath("(tr|thead/tr|tbody/tr|tfoot/tr)/*[self::td or self::th][string-length() > 300]")


def read_html(data: bytes, name: str) -> Document:
    "Decode a page, keep its report content (drop navigation, sidebars, footers, scripts), write lines and tables."
    text, encoding, bad = decode(data)
    if bad and bad > len(text) // 4:
        raise UnreadableError("read.binary", name, detail=f"{bad} 处字节无法按任何中文编码解码")
    try:
        root = etree.fromstring(_XML_DECL.sub("", text, count=1) or "<html></html>", _PARSER)
        if root is None:
            raise etree.ParserError("Document is empty")
    except (etree.ParserError, ValueError) as e:
        raise UnreadableError("read.binary", name, detail=f"HTML 无法解析：{e}") from None
    published, title = _published(root), _title(root)
    _prune(root)
    body = root.find("body")
    if body is None:
        body = root
    main = _main_block(body)
    w = Writer()
    if title and title not in _opening(main):
        w.line(title)
    _flow(main, w, [], 0)
    written = w.text
    if not _HAN.search(written) and not re.search(r"\d", written):
        scripted = sum(len(m) for m in re.findall(r"(?is)<script.*?</script>", text)) > len(text) * 0.5
        detail = "页面几乎全是脚本，正文可能由脚本动态加载" if scripted else "页面没有可见的正文"
        raise UnreadableError("read.not_report", name, detail=detail)
    findings = (finding("read.encoding.unknown", encoding=encoding, count=bad),) if bad else ()
    return Document(written, name, container="html", encoding=encoding, locs=w.sorted_locs(),
                    findings=findings, published=published, title=title)


def _opening(main) -> str:
    "The first 400 characters of the main block's cleaned text, cleaning only as much of it as that takes."
    text = _text_content(main)
    head = clean(text[:2000])
    # Cleaning a prefix can differ from cleaning the whole only at its cut (a whitespace run, a line break
    # between Chinese): well past 400 characters, the two agree.
    return head[:400] if len(head) > 410 else clean(text)[:400]


def _published(root) -> str | None:
    "The page's 发布时间: a CMS meta tag first, then a 发布时间 line, then 成文日期."
    for meta in root.iter("meta"):
        key = (meta.get("name") or meta.get("property") or meta.get("itemprop") or "").lower()
        if key in _PUBLISHED_META:
            m = re.search(_DATE, meta.get("content") or "")
            if m:
                return _iso(m)
    body = root.find("body")
    node = body if body is not None else root
    whole = _text_content(node)  # every pattern holds 日期 or 时间: most report pages can be passed over at once
    if "日期" not in whole and "时间" not in whole:
        return None
    page = " ".join(node.itertext())
    m = _PUBLISHED_TEXT.search(page) or _WRITTEN_TEXT.search(page)
    return _iso(m) if m else None


def _iso(m: re.Match) -> str | None:
    y, mo, d = (int(g) for g in m.groups()[-3:])
    return f"{y:04d}-{mo:02d}-{d:02d}" if 1990 < y < 2100 and 1 <= mo <= 12 and 1 <= d <= 31 else None


def _title(root) -> str | None:
    "ArticleTitle meta, else the page's first h1 with Chinese, else <title> without the site name."
    for meta in root.iter("meta"):
        key = (meta.get("name") or meta.get("property") or "").lower()
        if key in _TITLE_META and _HAN.search(meta.get("content") or ""):
            return clean(meta.get("content"))
    for h in root.iter("h1", "h2"):
        t = clean(_text_content(h))
        if _HAN.search(t) and len(t) < 120:
            return t
    node = root.find(".//title")
    if node is not None and node.text:
        parts = [clean(p) for p in re.split(r"\s[-_|—]+\s|[_|]", node.text) if clean(p)]
        if parts:
            return max(parts, key=lambda p: ("报告" in p, len(p)))
    return None


def _prune(root) -> None:
    "Drop what a reader never sees: scripts, styles, hidden elements, navigation and share chrome."
    doomed = []
    leading = _chrome_led(root)
    for el in root.iter():
        tag = el.tag
        if not isinstance(tag, str):
            if el.getparent() is not None:
                doomed.append(el)  # comments, incl. Word's <!--[if gte mso 9]><xml>…
            continue
        tag = tag.lower()
        if tag in _DROP:
            doomed.append(el)
            continue
        get = el.get
        style = get("style")
        if get("hidden") is not None or style and _HIDDEN.search(style):
            doomed.append(el)
        elif tag not in _NEVER_CHROME:
            named = get("class") or get("id")
            if (named or el in leading) and _chrome(el, leading):
                doomed.append(el)
    for el in doomed:
        _remove(el)


def _chrome_led(root) -> set:
    """The elements whose first words are chrome's (相关链接, 分享到): found from the few texts holding such words.

    An element's first words are its first non-blank text, its own or a descendant's. A text starting with
    chrome's words is the first words of its element and of each ancestor up to one with earlier text.
    """
    led: set = set()
    words = set(_CHROME_WORDS_TEXT.findall(_text_content(root)))
    for text in (t for word in words for t in _TEXTS_WITH(root, word=word)):
        if not _CHROME_TEXT.match(text):
            continue
        el = text.getparent() if text.is_text else text.getparent().getparent()
        while el is not None and el not in led and _CHROME_TEXT.match(_first_words(el)):
            led.add(el)
            el = el.getparent()
    return led


def _first_words(el) -> str:
    return (el.text or "").strip() or next((t for t in el.itertext() if t.strip()), "")


def _chrome(el, leading: set) -> bool:
    "Page chrome by class/id words or by its first words (相关链接, 分享到), when it holds little text and no table."
    named = el.get("class") or el.get("id")
    words = {w.lower() for w in _WORD.findall(f"{el.get('class') or ''} {el.get('id') or ''}")} if named else ()
    named_chrome = bool(words) and not words.isdisjoint(_CHROME_WORDS)
    if not (named_chrome or el in leading):
        return False
    if el.find(".//table") is not None:
        return False
    text = _text_content(el)
    # Led only by its first words, a sentence of the report ("相关信息已按规定公开。") is not chrome.
    return _han(text) < 200 and (named_chrome or "。" not in text)


def _remove(el) -> None:
    "Remove an element but keep its tail text in place."
    parent = el.getparent()
    if parent is None:
        return
    if el.tail:
        prev = el.getprevious()
        if prev is not None:
            prev.tail = (prev.tail or "") + el.tail
        else:
            parent.text = (parent.text or "") + el.tail
    parent.remove(el)


def _main_block(body):
    """The element holding the report: descend from <body> while one child holds most of the non-link Chinese.

    Link text is not counted, so menus, 相关链接 lists and footers of links weigh nothing; a wrapper holding
    the title and the body side by side stops the descent, keeping both.
    """
    weight: dict = {}
    for el in reversed(list(body.iter(etree.Element))):  # children before parents: each adds itself to its parent
        tag = el.tag
        own = weight.get(el, 0)
        if tag != "a":
            text = el.text
            if text and not text.isascii():
                own += len(_NOT_HAN.sub("", text))
        if tag == "table":
            own += 40
        weight[el] = own
        if el is not body:
            tail = el.tail
            if tail and not tail.isascii():
                own += len(_NOT_HAN.sub("", tail))
            parent = el.getparent()
            weight[parent] = weight.get(parent, 0) + own
    node = body
    for _ in range(_MAX_DEPTH):
        total = weight.get(node, 0)
        best = max((c for c in node if isinstance(c.tag, str)), key=lambda c: weight.get(c, 0), default=None)
        if best is None or total == 0 or weight.get(best, 0) < 0.7 * total or best.tag in ("tr", "td", "th"):
            break
        if best.tag == "table" and not _is_layout(best):
            break
        node = best
    return node


def _flow(el, w: Writer, line: list[str], depth: int) -> None:
    "Write an element's content in reading order: blocks end lines, data tables become pipe grids."
    tag = el.tag.lower() if isinstance(el.tag, str) else ""
    if depth > _MAX_DEPTH:
        line.append(_text_content(el))
        return
    if tag == "table":
        _flush(w, line)
        rows = [_own_cells(r) for r in _own_rows(el)]
        spans, cut = (None, False) if _layout_shape(el, rows) else _spans(rows)
        if spans is None or _has_prose(el, spans, cut):
            for cells in rows:
                for cell in cells:
                    _flow(cell, w, line, depth + 1)
                    _flush(w, line)
        else:
            w.table(expand(spans))
        return
    if tag == "br":
        _flush(w, line)
        return
    block = tag in _BLOCK or _CELLISH.search(el.get("style") or "")
    if block:
        _flush(w, line)
    if el.text:
        line.append(el.text)
    for child in el:
        if isinstance(child.tag, str):
            _flow(child, w, line, depth + 1)
        if child.tail:
            line.append(child.tail)
    if block:
        _flush(w, line)


def _flush(w: Writer, line: list[str]) -> None:
    if line:
        w.line("".join(line))
        line.clear()


def _own_rows(table) -> list:
    rows = []
    for el in table:
        if el.tag == "tr":
            rows.append(el)
        elif el.tag in ("thead", "tbody", "tfoot"):
            rows.extend(r for r in el if r.tag == "tr")
    return rows


def _own_cells(row) -> list:
    return [c for c in row if c.tag in ("td", "th")]


def _is_layout(table) -> bool:
    "A table used for page layout (one cell, a cell holding a two-way table, or a cell of prose), not data."
    rows = [_own_cells(r) for r in _own_rows(table)]
    return _layout_shape(table, rows) or any(_han(_text_content(c)) > 300 for c in _LONG_CELLS(table))


def _layout_shape(table, rows: list[list]) -> bool:
    "A layout table by its shape: one cell, or a cell holding a two-way table."
    if sum(map(len, rows)) <= 1:
        return True
    if table.find(".//table") is None:  # spares a search per cell in the usual table, which holds no table
        return False
    inner_tables = (c.find(".//table") for cells in rows for c in cells)
    return any(inner is not None and _two_way(inner) for inner in inner_tables)


def _has_prose(table, spans: list[list[Span]], cut: bool) -> bool:
    "A layout table by its text: a cell of prose (300 Chinese characters), told from the cells' text unless cut."
    if cut:
        return any(_han(_text_content(c)) > 300 for c in _LONG_CELLS(table))
    return any(len(s.text) > 300 and _han(s.text) > 300 for row in spans for s in row)


def _two_way(table) -> bool:
    "A table with at least two rows and two columns: a real table, not a stack of labels inside one cell."
    rows = _own_rows(table)
    return len(rows) >= 2 and max((len(_own_cells(r)) for r in rows), default=0) >= 2


def _spans(rows: list[list]) -> tuple[list[list[Span]], bool]:
    "Each td/th: its text with <br> and inner blocks as spaces, and its spans; and whether a text was cut short."
    out = []
    cut = False
    for cells in rows:
        line = []
        for cell in cells:
            if len(cell):
                parts: list[str] = []
                deep = _cell_text(cell, parts, 0)
                text = "".join(parts)
            else:
                text, deep = cell.text or "", False
            rowspan, colspan = cell.get("rowspan"), cell.get("colspan")
            line.append(Span(text, _int(rowspan) if rowspan else 1, _int(colspan) if colspan else 1))
            cut = cut or deep
        out.append(line)
    return out, cut


def _cell_text(el, parts: list[str], depth: int) -> bool:
    "Appends an element's printed text; True if nesting past _MAX_DEPTH was cut off."
    deep = False
    if el.text:
        parts.append(el.text)
    for child in el:
        if isinstance(child.tag, str):
            tag = child.tag.lower()
            if tag == "br" or tag in _BLOCK:
                parts.append(BREAK)
            if depth < _MAX_DEPTH:
                deep = _cell_text(child, parts, depth + 1) or deep
            else:
                deep = True
            if tag in _BLOCK:
                parts.append(BREAK)
        if child.tail:
            parts.append(child.tail)
    return deep


def _int(value: str | None) -> int:
    "A rowspan/colspan attribute as browsers read it: leading digits, else 1."
    if value is None:
        return 1
    m = _LEADING_DIGITS.match(value)
    return int(m.group(1)) if m and int(m.group(1)) > 0 else 1


def _han(text: str | None) -> int:
    "How many Chinese characters a text holds."
    return len(_NOT_HAN.sub("", text)) if text and not text.isascii() else 0
