"""The printed cells after a row label: numbers, blank cells and digit runs, in every flattened shape."""
from __future__ import annotations

import re
from operator import attrgetter
from typing import NamedTuple

NUMBER = re.compile(r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|-?\d+(?:\.\d+)?")
_ASCII_DIGIT = re.compile("[0-9]")
_CJK = "\u3400-\u9fff\uf900-\ufaff"
# A row's values run to the first CJK character that is not a unit word printed beside them.
_VALUES = re.compile(f"[^{_CJK}]*(?:(?:万元|元|件|条|个|项|次|人次|户)[^{_CJK}]*)*")
_FOOTER = re.compile(r"-\s*\d{1,3}\s*-(?=\s|$)|第\s*\d+\s*页(?:\s*共\s*\d+\s*页)?")
_MD_RULE = re.compile(r"^[\s|:\-]*-[\s|:\-]*$")
_LIST_NUMBER_TAIL = re.compile(r"(?<![\d.])\s*\d{1,2}[.、]\s*$")
_BLANKS = "\u00a0\u3000"
_SEPARATORS = " \t\r\n|" + _BLANKS
# Outside pipes, each whitespace-separated group of NBSP/U+3000 is one blank cell (seed 002's shape).
_BLANK_RUN = re.compile(rf"(?<![^ \t\r\n])[{_BLANKS}]+(?![^ \t\r\n])")
_DASHES = {"-", "/", "--", "—", "－"}
_START = attrgetter("start")
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


def _is_cjk(c: str) -> bool:
    "Whether c is a CJK character (_CJK), without a regex call."
    return "\u3400" <= c <= "\u9fff" or "\uf900" <= c <= "\ufaff"


def _has_digit(text: str) -> bool:
    "Whether any character is a digit (str.isdigit: also ² and ①); an ASCII digit answers most texts at once."
    return _ASCII_DIGIT.search(text) is not None or any(map(str.isdigit, text))


def _numbers(region: str, parts: list[str], start: int, base: int, before: str, cells: bool = False) -> list[Token]:
    """The numbers in `parts`, consecutive `|`-separated parts of region from offset start (no number spans a
    `|`); where `cells`, a part that prints nothing or a dash is a blank cell. `before` is the character printed
    before the region (the end of the row label). A part of plain digits, the most common, needs no search."""
    out: list[Token] = []
    for part in parts:
        num = part.strip()
        if num.isdigit() and num.isascii():  # one number: what NUMBER finds in it
            s = start + part.find(num)
            out.append(_tuple_new(Token, ("num", base + s, base + s + len(num), num,
                                          (region[s - 1] if s else before) not in _SEPARATORS)))
        elif cells and (not num or num in _DASHES):
            out.append(_tuple_new(Token, ("blank", base + start, base + start + len(part), "", False)))
        elif num:
            out += [_tuple_new(Token, ("num", base + (s := m.start()), base + m.end(), m.group(),
                                       (region[s - 1] if s else before) not in _SEPARATORS))
                    for m in NUMBER.finditer(region, start, start + len(part))]
        start += len(part) + 1
    return out


def _line_tokens(printed: str, region: str, start: int, end: int, base: int, before: str) -> list[Token]:
    """Tokens of region[start:end], lines without `|`: each line's numbers, or the NBSP blanks of a line with
    none. `printed` is the region's printed text."""
    nums = _numbers(region, [region[start:end]], start, base, before)
    if "\u00a0" not in (text := printed[start:end]) and "\u3000" not in text:  # most rows: no blanks to look for
        return nums
    blanks = []
    for text in region[start:end].split("\n"):  # the lines of region (a footer blanked out may join two printed ones)
        le = start + len(text)
        if ("\u00a0" in (shown := printed[start:le]) or "\u3000" in shown) and NUMBER.search(text) is None \
                and not ("-" in text and _MD_RULE.match(text)):
            blanks += [Token("blank", base + m.start(), base + m.end()) for m in _BLANK_RUN.finditer(printed, start, le)]
        start = le + 1
    return sorted(nums + blanks, key=_START) if nums and blanks else nums or blanks


def _value_cells(parts: list[str], start: int, after_label: bool, under: int) -> tuple[list[str], int]:
    """A pipe line's value cells among its `|`-separated parts (the first at offset start), and where they begin.

    The gap between a label and its first pipe, or before a leading `|`, is not a cell; a line that starts with
    spaces and then `|` opens with a blank cell. A line below its label opens with a blank cell under each of
    the label's `under` cells. A blank last part (after a trailing `|`) is no cell either.
    """
    if not parts[0].strip() and (not parts[0] or after_label):
        start, parts = start + len(parts[0]) + 1, parts[1:]
    while under and parts and not parts[0].strip():
        start, parts, under = start + len(parts[0]) + 1, parts[1:], under - 1
    if parts and not parts[-1].strip():
        parts = parts[:-1]
    return parts, start


def _label_cells(folded: str, label_end: int) -> int:
    "How many label cells the label's line prints up to the label's end (at least the label itself)."
    line = folded[folded.rfind("\n", 0, label_end) + 1:label_end]
    return max(1, sum(1 for part in line.split("|") if part.strip()))


def _pipe_tokens(printed: str, region: str, folded: str, base: int, before: str, labelled: bool) -> list[Token]:
    "Tokens of a region with `|` lines (printed at base): each `|` cell is a value or a blank; other lines as _line_tokens."
    out: list[Token] = []
    ls = 0
    for text in region.split("\n"):
        le = ls + len(text)
        if "|" in text:
            # Header lines above a pipe row end in empty `|||` cells; once a line of the region holds a number,
            # only lines with numbers speak for this row's cells. A markdown rule is no row at all.
            if not (("-" in text and _MD_RULE.match(text)) or (not _has_digit(text) and _has_digit(region))):
                # Values on a line below their label (PDF tables) open with a blank cell under each label cell
                # of the label's line ("三、本年度办理结果 | （一）予以公开" has two).
                under = _label_cells(folded, base) if labelled and ls > 0 else 0
                cells, at = _value_cells(text.split("|"), ls, ls == 0 and before != "\n", under)
                out += _numbers(region, cells, at, base, before, cells=True)
        elif text:
            out += _line_tokens(printed[base:base + len(region)], region, ls, le, base, before)
        ls = le + 1
    return out


def tokens(printed: str, folded: str, start: int, end: int, labelled: bool = True) -> list[Token]:
    """The value tokens of one row between start and end (printed offsets).

    Pipe rows: each `|` cell is a value or a blank; lines: numbers and NBSP blanks; glued digits stay one
    run (the solver splits it). Page footers and markdown rules inside the row are skipped.
    """
    end = _VALUES.match(folded, start, end).end()
    region = folded[start:end]
    # A list number glued before the next label: 00000002.其他 (the region's last printed character is its . or 、).
    if region.rstrip().endswith((".", "、")) and end < len(folded) and _is_cjk(folded[end]):
        tail = _LIST_NUMBER_TAIL.search(folded, start, end)
        if tail is not None:
            region = folded[start:tail.start()]
    if "-" in region or "第" in region:  # page footers, blanked to the same length so offsets are kept
        region = _FOOTER.sub(lambda f: " " * (f.end() - f.start()), region)
    before = folded[start - 1] if start else "\n"
    if "|" in region:
        return _pipe_tokens(printed, region, folded, start, before, labelled)
    return _line_tokens(printed[start:start + len(region)], region, 0, len(region), start, before)
