"""Lines and cell grids → Document text with Locs: the one writer every container reader shares."""
from __future__ import annotations

import re
from operator import attrgetter, is_
from typing import NamedTuple

from gongkai.model import Loc

Box = tuple[float, float, float, float]
_CJK = "\u3000-\u303f\u3400-\u9fff\uff00-\uffef"
# A source line break between two Chinese characters is an artefact of the exporter wrapping its
# markup (Word HTML wraps at ~76 columns, PDF lines wrap inside a cell), not a printed space.
_CJK_BREAK = re.compile(rf"(?<=[{_CJK}])[ \t\r\f\v\u00a0]*\n\s*(?=[{_CJK}])")
_LATIN = re.compile(r"[A-Za-z0-9]")  # a paragraph's lines join without a space except between Latin words
BREAK = "\ufdd0"  # a printed break inside a cell (<br>, a second paragraph): a space that survives _CJK_BREAK


def clean(text: str) -> str:
    "Cell or line text as printed: joined source breaks between Chinese, other whitespace runs (NBSP, U+3000) one space."
    if text.isalnum():  # no whitespace, no BREAK: most table cells (规章, 12)
        return text
    if "\n" in text:
        text = _CJK_BREAK.sub("", text)
    return " ".join(text.replace(BREAK, " ").split())  # str.split() splits at exactly the runs \s+ matches


class Span(NamedTuple):
    """One source cell: its text, how many grid rows/columns it covers, and where it was printed.

    A NamedTuple, not a frozen dataclass: readers make one per table cell, and a frozen dataclass is built
    three times slower. Grids tell cells apart by identity (`is`), never by value.
    """

    text: str
    rowspan: int = 1
    colspan: int = 1
    page: int | None = None
    bbox: Box | None = None


Grid = list[list[Span | None]]


def expand(rows: list[list[Span]], max_span: int = 200) -> Grid:
    "Source rows of spanning cells → a full grid; a spanned cell's Span sits in every position it covers."
    grid: Grid = [[] for _ in rows]  # a rowspan is clipped at the last source row, as browsers do
    last = len(rows)
    for r, row in enumerate(rows):
        line = grid[r]
        c = 0
        for cell in row:
            width = len(line)
            while c < width and line[c] is not None:  # positions filled by cells spanning from rows above
                c += 1
            rs, cs = cell.rowspan, cell.colspan
            if rs == 1 and cs == 1:  # most cells: one position
                if c == width:
                    line.append(cell)
                else:
                    line[c] = cell
                c += 1
                continue
            rs, cs = min(max(1, min(rs, max_span)), last - r), max(1, min(cs, max_span))
            for below in grid[r:r + rs]:
                if len(below) < c + cs:
                    below.extend([None] * (c + cs - len(below)))
                below[c:c + cs] = [cell] * cs
            c += cs
    width = max(map(len, grid), default=0)
    for line in grid:
        if len(line) < width:
            line.extend([None] * (width - len(line)))
    return squeeze(grid)


def squeeze(grid: Grid) -> Grid:
    """Drop blank rows and merge columns (rows) that no source cell ever splits.

    Word and LibreOffice emit extra grid columns where cell edges in other rows are misaligned by a hair;
    a column that every row covers with the same cell as its neighbour carries nothing of its own, and
    keeping it would print each value twice. Columns are merged band by band, a band ending at a row that
    is one cell across the table (第二十条第（五）项): the 2021 template stacks four tables of different
    widths into one Word table, and 行政许可's one value must not print three times.
    """
    grid = [line for line in grid if any(s is not None and clean(s.text) for s in line)]
    out: Grid = []
    band: Grid = []
    for line in grid:
        if len(set(map(id, line))) == 1:  # one cell across the table
            out += _merge_columns(band)
            out.append(line[:1])
            band = []
        else:
            band.append(line)
    out += _merge_columns(band)
    rows = out[:1]
    for line in out[1:]:
        prev = rows[-1]
        if len(line) != len(prev) or not all(map(is_, line, prev)):
            rows.append(line)
    return rows


def _merge_columns(band: Grid) -> Grid:
    if not band:
        return band
    keep = [0]
    for c in range(1, len(band[0])):
        for line in band:  # usually the first row already tells column c from column c − 1
            if line[c] is not line[c - 1]:
                keep.append(c)
                break
    if len(keep) == len(band[0]):
        return band
    return [[line[c] for c in keep] for line in band]


class Writer:
    "Accumulates text lines and pipe-row tables, recording a Loc for every table cell and placed line."

    def __init__(self) -> None:
        self._parts: list[str] = []
        self._pos = 0
        self.locs: list[Loc] = []
        self.tables = 0

    def line(self, text: str, page: int | None = None, bbox: Box | None = None) -> None:
        "One line of prose or heading; blank lines are skipped."
        text = clean(text)
        if not text:
            return
        if page is not None or bbox is not None:
            self.locs.append(Loc(self._pos, self._pos + len(text), page=page, bbox=bbox))
        self._emit(text)

    def pieces(self, parts: list[tuple[str, int | None, Box | None]]) -> None:
        "One paragraph printed over several lines (PDF): joined as one line, a Loc for each printed line."
        start = self._pos
        text = ""
        for piece, page, bbox in parts:
            piece = clean(piece)
            if not piece:
                continue
            if text and (_LATIN.match(text[-1]) and _LATIN.match(piece[0])):
                text += " "
            self.locs.append(Loc(start + len(text), start + len(text) + len(piece), page=page, bbox=bbox))
            text += piece
        if text:
            self._emit(text)

    def table(self, grid: Grid) -> int:
        "Write a grid as pipe rows (`a | b |  | c |`); returns the table's index, or -1 if it had no text."
        if not grid:
            return -1
        index = self.tables
        self.tables += 1
        add = self.locs.append
        for r, line in enumerate(grid):
            pieces: list[str] = []
            pos = self._pos
            for c, span in enumerate(line):
                if span is None:
                    add(Loc(pos, pos, index, r, c))
                    pieces.append("")
                    pos += 3
                    continue
                text = span.text
                if not text.isalnum():  # clean()'s own first test, saving the call for most cells
                    text = clean(text)
                end = pos + len(text)
                add(Loc(pos, end, index, r, c, span.page, span.bbox))
                pieces.append(text)
                pos = end + 3
            self._emit(" | ".join(pieces) + " |")
        return index

    def _emit(self, text: str) -> None:
        self._parts.append(text)
        self._pos += len(text) + 1

    @property
    def text(self) -> str:
        return "\n".join(self._parts) + ("\n" if self._parts else "")

    def sorted_locs(self) -> tuple[Loc, ...]:
        return tuple(sorted(self.locs, key=attrgetter("start", "end")))
