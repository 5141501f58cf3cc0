"""The printed cells after a row label: numbers, blank cells and digit runs, in every flattened shape."""
from __future__ import annotations

import re
from typing import NamedTuple

NUMBER = re.compile(r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|-?\d+(?:\.\d+)?")
_ASCII_DIGIT = re.compile("[0-9]")
_CJK = re.compile(r"[\u3400-\u9fff\uf900-\ufaff]")
# Unit words printed beside values; anything else in CJK ends the row.
_UNITS = re.compile(r"万元|元|件|条|个|项|次|人次|户")
_FOOTER = re.compile(r"-\s*\d{1,3}\s*-(?=\s|$)|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?")
_MD_RULE = re.compile(r"^[\s|:\-]*-[\s|:\-]*$")
_LIST_NUMBER_TAIL = re.compile(r"(?<![\d.])\s*\d{1,2}[.、]\s*$")
_WORD = re.compile(r"[^ \t\r\n]+")
_BLANKS = "\u00a0\u3000"
_SEPARATORS = " \t\r\n|" + _BLANKS
_DASHES = {"-", "/", "--", "—", "－"}
_tuple_new = tuple.__new__  # Token(...) calls its generated __new__, a Python call per value; this does not


class Token(NamedTuple):  # a tuple: built for every printed value, three times cheaper than a frozen dataclass
    kind: str  # "num" | "blank"
    start: int  # printed offsets
    end: int
    text: str = ""
    glued: bool = False  # printed right after a label or another value, with no space or `|` between

    @property
    def splittable(self) -> bool:
        """A run of plain digits that may be several cells run together: only where text runs together
        (crawled pages), or where it cannot be one number ("00", "0123")."""
        return self.kind == "num" and len(self.text) > 1 and self.text.isdigit() and (self.glued or self.text[0] == "0")

    @property
    def several(self) -> bool:
        "A run of digits no single number can be (\"00\", \"0123\"): several cells run together."
        return self.text[:1] == "0" and len(self.text) > 1 and self.text.isdigit()

    @property
    def value(self) -> int | float | None:
        return None if self.kind == "blank" else number(self.text)


def number(text: str) -> int | float:
    "A printed number as a value: '1,316' → 1316, '1316.84' → 1316.84, '-43' → -43."
    t = text.replace(",", "")
    return float(t) if "." in t else int(t)


def _stop(folded: str, start: int, end: int) -> int:
    "Where a row's values end: the first CJK character that is not a unit word."
    pos = start
    while True:
        m = _CJK.search(folded, pos, end)
        if m is None:
            return end
        u = _UNITS.match(folded, m.start(), end)
        if u is None:
            return m.start()
        pos = u.end()


def _blank_run(text: str) -> bool:
    return bool(text) and all(c in _BLANKS for c in text)


def _has_digit(text: str) -> bool:
    "Whether any character is a digit (str.isdigit: also ² and ①); an ASCII digit answers most texts at once."
    return _ASCII_DIGIT.search(text) is not None or any(map(str.isdigit, text))


def _numbers(folded: str, start: int, end: int, base: int, before: str) -> list[Token]:
    """The numbers in the region's [start:end]. `before` is the character printed before the region (the end
    of the row label)."""
    return [_tuple_new(Token, ("num", base + (s := m.start()), base + m.end(), m.group(),
                               (folded[s - 1] if s else before) not in _SEPARATORS))
            for m in NUMBER.finditer(folded, start, end)]


def _cell_tokens(folded: str, bounds: list[tuple[int, int]], base: int, before: str) -> list[Token]:
    """Tokens of a line's `|` cells: each cell's numbers, or one blank for a cell that prints none or a dash.
    No number spans a `|`, so each cell is read apart; a cell of plain digits, the most common, needs no search."""
    out: list[Token] = []
    for s, e in bounds:
        body = folded[s:e]
        num = body.strip()
        if num.isdigit() and num.isascii():  # one number: what NUMBER finds in it
            s += len(body) - len(body.lstrip())
            out.append(_tuple_new(Token, ("num", base + s, base + s + len(num), num,
                                          (folded[s - 1] if s else before) not in _SEPARATORS)))
        elif not num or num in _DASHES:
            out.append(_tuple_new(Token, ("blank", base + s, base + e, "", False)))
        else:
            out += _numbers(folded, s, e, base, before)
    return out


def _line_tokens(printed: str, folded: str, start: int, end: int, base: int, before: str) -> list[Token]:
    "Tokens of a line without `|`: its numbers, or the NBSP blanks it prints."
    nums = _numbers(folded, start, end, base, before)
    if nums:
        return nums
    # Outside pipes, each whitespace-separated group of NBSP/U+3000 is one blank cell (seed 002's shape).
    return [Token("blank", base + m.start(), base + m.end())
            for m in _WORD.finditer(printed, start, end) if _blank_run(m.group())]


def _is_cjk(c: str) -> bool:
    "_CJK.match for one character, without a regex call."
    return "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff"


def _label_cells(folded: str, label_end: int) -> int:
    "How many label cells the label's line prints up to the label's end (at least the label itself)."
    line = folded[folded.rfind("\n", 0, label_end) + 1:label_end]
    return max(1, sum(1 for part in line.split("|") if part.strip()))


def tokens(printed: str, folded: str, start: int, end: int, labelled: bool = True) -> list[Token]:
    """The value tokens of one row between start and end (printed offsets).

    Pipe rows: each `|` cell is a value or a blank; lines: numbers and NBSP blanks; glued digits stay one
    run (the solver splits it). Page footers and markdown rules inside the row are skipped.
    """
    end = _stop(folded, start, end)
    region = folded[start:end]
    # A list number glued before the next label: 00000002.其他 (the region's last printed character is its . or 、).
    if end < len(folded) and _is_cjk(folded[end]) and region.rstrip().endswith((".", "、")):
        m = _LIST_NUMBER_TAIL.search(folded, start, end)
        if m:
            end = m.start()
            region = folded[start:end]
    if "-" in region or "第" in region:  # page footers, blanked to the same length so offsets are kept
        region = _FOOTER.sub(lambda f: " " * (f.end() - f.start()), region)
    printed = printed[start:end]
    out: list[Token] = []
    # Header lines above a pipe row end in empty `|||` cells; once a line of the region holds a number, only
    # lines with numbers speak for this row's cells.
    numbered = None  # whether the region holds a digit: asked only of regions with pipe lines
    before = folded[start - 1] if start else "\n"
    pos = 0
    for text in region.split("\n"):
        ls, pos = pos, pos + len(text) + 1
        if not text:
            continue
        le = ls + len(text)
        if ("-" in text and _MD_RULE.match(text)) or not (text.strip() or any(c in _BLANKS for c in printed[ls:le])):
            continue
        if "|" in text:
            if numbered is None:
                numbered = _has_digit(region)
            if numbered and not _has_digit(text):
                continue
            bounds, at = [], ls
            for part in text.split("|"):
                bounds.append((at, at + len(part)))
                at += len(part) + 1
            # The gap between a label and its first pipe, or before a leading `|`, is not a cell; a line that
            # starts with spaces and then `|` opens with a blank cell.
            after_label = ls == 0 and start > 0 and folded[start - 1] != "\n"
            first = region[bounds[0][0]:bounds[0][1]]
            if first == "" or (after_label and not first.strip()):
                bounds = bounds[1:]
            # Values on a line below their label (PDF tables): that line opens with a blank cell under each
            # label cell of the label's line ("三、本年度办理结果 | （一）予以公开" has two).
            if labelled and ls > 0:
                under = _label_cells(folded, start)
                while under and bounds and not region[bounds[0][0]:bounds[0][1]].strip():
                    bounds, under = bounds[1:], under - 1
            if bounds and not region[bounds[-1][0]:bounds[-1][1]].strip():
                bounds = bounds[:-1]
            if bounds:
                out += _cell_tokens(region, bounds, start, before)
        else:
            out += _line_tokens(printed, region, ls, le, start, before)
    return out
