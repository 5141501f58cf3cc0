"""The printed cells after a row label: numbers, blank cells and digit runs, in every flattened shape."""
from __future__ import annotations

import re
from operator import attrgetter, itemgetter
from typing import NamedTuple

NUMBER = re.compile(r"-?\d{1,3}(?:,\d{3})+(?:\.\d+)?(?!\d)|-?\d+(?:\.\d+)?")
_ASCII_DIGIT = re.compile("[0-9]")
_DIGIT = re.compile(r"\d")  # where NUMBER finds nothing, it finds no digit either
_CJK = "\u3400-\u9fff\uf900-\ufaff"
# A PDF page footer inside a row: "第 3 页", "共 12 页", or both.
_PAGE_WORDS = r"第\s*\d{1,4}\s*页|共\s*\d{1,4}\s*页"
# A row's values run to the first CJK character that is not a unit word printed beside them or a page footer.
_VALUES = re.compile(f"[^{_CJK}]*(?:(?:万元|元|件|条|个|项|次|人次|户|{_PAGE_WORDS})[^{_CJK}]*)*")
# Page footers: "- 3 -", and the 第…页 ones.
_FOOTER = re.compile(rf"-\s*\d{{1,3}}\s*-(?=\s|$)|{_PAGE_WORDS}")
_MD_RULE = re.compile(r"[\s|:\-]*-[\s|:\-]*")  # a markdown table rule, as a whole line
_LIST_NUMBER_TAIL = re.compile(r"(?<![\d.])\s*\d{1,2}[.、]\s*$")
_BLANKS = "\u00a0\u3000"
_SEPARATORS = " \t\r\n|" + _BLANKS
# Outside pipes, each whitespace-separated group of NBSP/U+3000 is one blank cell (seed 002's shape). The
# pattern opens with the blank character, not with the look-behind before it (the same test, widened by that
# character), so a search jumps to blank characters rather than trying a match at every character.
_BLANK_RUN = re.compile(rf"[{_BLANKS}](?<![^ \t\r\n][{_BLANKS}])[{_BLANKS}]*(?![^ \t\r\n])")
_DASHES = {"-", "/", "--", "—", "－"}
_START = attrgetter("start")
_KIND = itemgetter(0)
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


def _searched(region: str, start: int, end: int, base: int, before: str) -> list[Token]:
    "The numbers NUMBER finds in region[start:end] (printed at base); `before` is the character printed before region."
    return [_tuple_new(Token, ("num", base + (s := m.start()), base + m.end(), m.group(),
                               (region[s - 1] if s else before) not in _SEPARATORS))
            for m in NUMBER.finditer(region, start, end)]


def _blank_cells(shown: str, region: str, start: int, end: int, base: int) -> list[Token]:
    """The NBSP blank cells (_BLANK_RUN) in region[start:end] on lines that print no number and are no markdown
    rule; `shown` is the region as printed. Found run by run, not line by line: most lines print none."""
    out = []
    line_end = -1
    for m in _BLANK_RUN.finditer(shown, start, end):
        s, e = m.span()  # one method call, not start() and end()
        if s > line_end:  # the first run on its line: may the line hold blank cells?
            line_start = region.rfind("\n", start, s) + 1 or start
            line_end = region.find("\n", s, end)
            if line_end < 0:
                line_end = end
            # A rule prints a "-": one str.find spares most lines the rule's backtracking search.
            blank = _DIGIT.search(region, line_start, line_end) is None and \
                (region.find("-", line_start, line_end) < 0 or _MD_RULE.fullmatch(region, line_start, line_end) is None)
        if blank:
            out.append(_tuple_new(Token, ("blank", base + s, base + e, "", False)))
    return out


def _line_tokens(printed: str, region: str, text: str, start: int, base: int, before: str) -> list[Token]:
    """Tokens of text, region[start:] without `|`: its numbers, and the NBSP blanks of its lines with none
    (`printed` is the whole printed text, region's at base). Plain digit runs between spaces, the most common
    text, are what NUMBER finds in it, with no search (a search tries NUMBER at every character)."""
    nums = []
    if not (words := text.split()):
        pass
    elif (joined := "".join(words)).isdigit() and joined.isascii():
        e = start
        for word in words:
            s = region.find(word, e)
            e = s + len(word)
            nums.append(_tuple_new(Token, ("num", base + s, base + e, word,
                                           (region[s - 1] if s else before) not in _SEPARATORS)))
    else:
        nums = _searched(region, start, start + len(text), base, before)
    # Most rows print no NBSP blanks to look for; NBSP and U+3000 fold to spaces, so a row without one has none.
    if " " not in region:
        return nums
    shown = printed[base:base + len(region)]  # the region as printed
    if "\u00a0" not in shown and "\u3000" not in shown:
        return nums
    blanks = _blank_cells(shown, region, start, start + len(text), base)
    return sorted(nums + blanks, key=_START) if nums and blanks else nums or blanks


def _cell_tokens(region: str, text: str, start: int, base: int, before: str, under: int) -> list[Token]:
    """Tokens of the value cells of a pipe line, text at region offset start: each cell's numbers, or a blank
    for a cell that prints nothing or a dash. A cell of plain digits, the most common, needs no search.

    The gap between a label and its first pipe, or before a leading `|`, is not a cell; a line that starts with
    spaces and then `|` opens with a blank cell. A line below its label opens with a blank cell under each of
    the label's `under` cells. A blank last part (after a trailing `|`) is no cell either.
    """
    parts = text.split("|")
    if not parts[0].strip() and (not parts[0] or (start == 0 and before != "\n")):
        start, parts = start + len(parts[0]) + 1, parts[1:]
    while under and parts and not parts[0].strip():
        start, parts, under = start + len(parts[0]) + 1, parts[1:], under - 1
    if parts and not parts[-1].strip():
        parts.pop()
    out: list[Token] = []
    ascii_line = text.isascii()  # asked once a line, not once a cell
    for part in parts:
        n = len(part)
        num = (rest := part.lstrip()).rstrip()
        if num.isdigit() and (ascii_line or num.isascii()):  # one number: what NUMBER finds in it
            s = start + n - len(rest)
            out.append(_tuple_new(Token, ("num", base + s, base + s + len(num), num,
                                          (region[s - 1] if s else before) not in _SEPARATORS)))
        elif not num or num in _DASHES:
            out.append(_tuple_new(Token, ("blank", base + start, base + start + n, "", False)))
        else:
            out += _searched(region, start, start + n, base, before)
        start += n + 1
    return out


def _label_cells(folded: str, label_end: int) -> int:
    "How many label cells the label's line prints up to the label's end (at least the label itself)."
    line = folded[folded.rfind("\n", 0, label_end) + 1:label_end]
    return max(1, sum(1 for part in line.split("|") if part.strip()))


def _pipe_tokens(printed: str, region: str, folded: str, base: int, before: str, labelled: bool) -> list[Token]:
    "Tokens of a region with `|` lines (printed at base): each `|` cell is a value or a blank; other lines as _line_tokens."
    out: list[Token] = []
    ls = 0
    for text in region.split("\n"):
        if "|" in text:
            if not ("-" in text and _MD_RULE.fullmatch(text)):  # a markdown rule is no row at all
                # Values on a line below their label (PDF tables) open with a blank cell under each label cell
                # of the label's line ("三、本年度办理结果 | （一）予以公开" has two).
                under = _label_cells(folded, base) if labelled and ls else 0
                cells = _cell_tokens(region, text, ls, base, before, under)
                # Header lines above a pipe row end in empty `|||` cells; once a line of the region holds a number,
                # only lines with numbers speak for this row's cells. A line that gave a number holds a digit: only
                # the others are searched for one.
                if "num" in map(_KIND, cells) or _has_digit(text) or not _has_digit(region):
                    out += cells
        elif text:
            out += _line_tokens(printed, region, text, ls, base, before)
        ls += len(text) + 1
    return out


def tokens(printed: str, folded: str, start: int, end: int, labelled: bool = True) -> list[Token]:
    """The value tokens of one row between start and end (printed offsets).

    Pipe rows: each `|` cell is a value or a blank; lines: numbers and NBSP blanks; glued digits stay one
    run (the solver splits it). Page footers and markdown rules inside the row are skipped.
    """
    region = folded[start:end]
    # The commonest row of crawled pages is one digit run after the label, maybe after spaces ("0000000"): one
    # token, which needs none of the tests below (no CJK, list number, footer, `|`, line or NBSP blank cell).
    if (run := region.lstrip(" ")).isdigit() and run.isascii():
        s = start + len(region) - len(run)
        return [_tuple_new(Token, ("num", s, s + len(run), run, (folded[s - 1] if s else "\n") not in _SEPARATORS))]
    if not region.isascii():  # a CJK character, not a unit word, may end the values before the next label
        end = _VALUES.match(folded, start, end).end()
        region = folded[start:end]
    # A list number glued before the next label: 00000002.其他 (the region's last printed character is its . or 、).
    if ("." in region or "、" in region) and region.rstrip().endswith((".", "、")) and end < len(folded) \
            and _is_cjk(folded[end]):
        tail = _LIST_NUMBER_TAIL.search(folded, start, end)
        if tail is not None:
            region = folded[start:tail.start()]
    if "-" in region or "页" in region:  # page footers, blanked to the same length so offsets are kept
        region = _FOOTER.sub(lambda f: " " * (f.end() - f.start()), region)
    before = folded[start - 1] if start else "\n"
    if "|" in region:
        return _pipe_tokens(printed, region, folded, start, before, labelled)
    return _line_tokens(printed, region, region, 0, start, before)
