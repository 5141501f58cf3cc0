"""One PDF page's chars and ruling lines → text lines and cell grids (pdfplumber's edge geometry, pypdfium2's text)."""
from __future__ import annotations

import bisect
import re
from dataclasses import dataclass, field

import pypdfium2 as pdfium
import pypdfium2.raw as raw
from pdfplumber.table import cells_to_tables, edges_to_intersections, intersections_to_cells, merge_edges

from gongkai.read.layout import Box, Grid, Span, squeeze

_MAX_CHARS = 100_000  # per page; a page with more is not a report page
_MAX_PATH_SEGMENTS = 20_000
_RULE = 3.0  # points: a path thinner than this is a ruling line
_CJK = re.compile(r"[\u2e80-\u9fff\uf900-\ufaff\u3000-\u303f\uff00-\uffef]")
_ALNUM = re.compile(r"[A-Za-z]")


@dataclass(slots=True)
class Char:
    text: str
    x0: float
    top: float
    x1: float
    bottom: float
    size: float
    space_after: int = 0  # 1: a printed space follows in the stream; 2: a space pdfium generated for a gap

    @property
    def cx(self) -> float:
        return (self.x0 + self.x1) / 2

    @property
    def cy(self) -> float:
        return (self.top + self.bottom) / 2


@dataclass(slots=True)
class Line:
    "Chars on one baseline, left to right; `pieces` are the runs separated by column-wide gaps."

    chars: list[Char]
    pieces: list[list[Char]] = field(default_factory=list)

    @property
    def bbox(self) -> Box:
        return _bbox(self.chars)

    @property
    def text(self) -> str:
        return " ".join(run_text(p) for p in self.pieces)


@dataclass(slots=True)
class Table:
    "A ruled table on one page: its grid of Spans (each with page and bbox) and its outline."

    grid: Grid
    bbox: Box
    page: int


def page_chars(page, height: float) -> list[Char]:
    "Printed characters with loose boxes in top-down coordinates; a space (printed or generated) marks the char before."
    tp = page.get_textpage()
    try:
        n = min(tp.count_chars(), _MAX_CHARS)
        out = []
        for i in range(n):
            ch = chr(raw.FPDFText_GetUnicode(tp.raw, i) or 32)
            if ch in " \u00a0\u3000\t":
                if out and not out[-1].space_after:
                    out[-1].space_after = 2 if raw.FPDFText_IsGenerated(tp.raw, i) == 1 else 1
                continue
            if ch.isspace() or ch < " " or ch == "\ufffe" or raw.FPDFText_IsGenerated(tp.raw, i) == 1:
                continue
            x0, y0, x1, y1 = tp.get_charbox(i, loose=True)
            size = raw.FPDFText_GetFontSize(tp.raw, i) or (y1 - y0) or 10.0
            out.append(Char(ch, x0, height - y1, x1, height - y0, size))
        return out
    finally:
        tp.close()


def page_edges(page, height: float) -> list[dict]:
    "Ruling lines from path objects: thin paths as lines, other paths by their axis-aligned segments."
    edges: list[dict] = []
    budget = _MAX_PATH_SEGMENTS
    for obj in page.get_objects(filter=[raw.FPDF_PAGEOBJ_PATH], max_depth=3):
        x0, y0, x1, y1 = obj.get_bounds()
        w, h = x1 - x0, y1 - y0
        if w < _RULE and h < _RULE:
            continue
        if h < _RULE or w < _RULE:
            _edge(edges, x0, height - y1, x1, height - y0)
            continue
        n = raw.FPDFPath_CountSegments(obj.raw)
        budget -= max(n, 0)
        if n <= 0 or budget < 0 or n > 2000:
            _rect_edges(edges, x0, height - y1, x1, height - y0)
            continue
        matrix = obj.get_matrix()
        points = []
        for k in range(n):
            seg = raw.FPDFPath_GetPathSegment(obj.raw, k)
            px, py = pdfium.raw.FS_FLOAT(), pdfium.raw.FS_FLOAT()
            raw.FPDFPathSegment_GetPoint(seg, px, py)
            kind = raw.FPDFPathSegment_GetType(seg)
            x, y = matrix.on_point(px.value, py.value)
            if kind == raw.FPDF_SEGMENT_MOVETO:
                points = [(x, y)]
                continue
            if points:
                _segment(edges, points[-1], (x, y), height)
            points.append((x, y))
            if raw.FPDFPathSegment_GetClose(seg) and len(points) > 1:
                _segment(edges, points[-1], points[0], height)
    return edges


def _segment(edges: list[dict], a: tuple, b: tuple, height: float) -> None:
    (ax, ay), (bx, by) = a, b
    if abs(ay - by) < 1 or abs(ax - bx) < 1:
        _edge(edges, min(ax, bx), height - max(ay, by), max(ax, bx), height - min(ay, by))


def _rect_edges(edges: list[dict], x0: float, top: float, x1: float, bottom: float) -> None:
    for e in ((x0, top, x1, top), (x0, bottom, x1, bottom), (x0, top, x0, bottom), (x1, top, x1, bottom)):
        _edge(edges, *e)


def _edge(edges: list[dict], x0: float, top: float, x1: float, bottom: float) -> None:
    "A horizontal or vertical edge in pdfplumber's shape, a thick line reduced to its middle."
    if x1 - x0 >= bottom - top:
        if x1 - x0 < _RULE:
            return
        y = (top + bottom) / 2
        edges.append({"x0": x0, "x1": x1, "top": y, "bottom": y, "width": x1 - x0, "height": 0,
                      "orientation": "h", "object_type": "line"})
    else:
        if bottom - top < _RULE:
            return
        x = (x0 + x1) / 2
        edges.append({"x0": x, "x1": x, "top": top, "bottom": bottom, "width": 0, "height": bottom - top,
                      "orientation": "v", "object_type": "line"})


def find_tables(edges: list[dict], chars: list[Char], page: int) -> tuple[list[Table], list[Char]]:
    "Ruled tables on a page, each cell's chars joined into its text; returns the tables and the chars outside them."
    if len(edges) < 4:
        return [], chars
    merged = merge_edges(edges, 3, 3, 3, 3)
    cells = intersections_to_cells(edges_to_intersections(merged, 3, 3))
    tables: list[Table] = []
    taken: set[int] = set()
    for rects in cells_to_tables(cells):
        table = _grid(rects, chars, page, taken)
        if table is not None:
            tables.append(table)
    rest = [c for i, c in enumerate(chars) if i not in taken]
    return sorted(tables, key=lambda t: t.bbox[1]), rest


def _grid(rects: list[tuple], chars: list[Char], page: int, taken: set[int]) -> Table | None:
    "Cell rectangles → a grid of Spans (merged cells cover several positions) with their chars' text."
    xs = _snap(sorted({r[0] for r in rects} | {r[2] for r in rects}))
    ys = _snap(sorted({r[1] for r in rects} | {r[3] for r in rects}))
    if len(xs) < 3 and len(ys) < 3:
        return None  # a single box around a paragraph is a frame, not a table
    box = (xs[0], ys[0], xs[-1], ys[-1])
    owner: dict[tuple[int, int], int] = {}
    for k, (x0, top, x1, bottom) in enumerate(rects):
        for r in range(_at(ys, top), _at(ys, bottom)):
            for c in range(_at(xs, x0), _at(xs, x1)):
                owner.setdefault((r, c), k)
    inside: dict[int, list[Char]] = {}
    for i, ch in enumerate(chars):
        if not (box[0] <= ch.cx <= box[2] and box[1] <= ch.cy <= box[3]):
            continue
        r, c = bisect.bisect_right(ys, ch.cy) - 1, bisect.bisect_right(xs, ch.cx) - 1
        k = owner.get((r, c))
        if k is not None:
            inside.setdefault(k, []).append(ch)
            taken.add(i)
    spans = {k: Span(cell_text(inside.get(k, [])), page=page, bbox=tuple(round(v, 1) for v in rects[k]))
             for k in range(len(rects))}
    grid: Grid = [[spans[owner[(r, c)]] if (r, c) in owner else None for c in range(len(xs) - 1)]
                  for r in range(len(ys) - 1)]
    grid = squeeze(grid)
    return Table(grid, box, page) if grid else None


def _snap(values: list[float], tol: float = 2.0) -> list[float]:
    out: list[float] = []
    for v in values:
        if not out or v - out[-1] > tol:
            out.append(v)
    return out


def _at(points: list[float], v: float) -> int:
    "Index of the snapped grid line nearest to v."
    i = bisect.bisect_left(points, v)
    if i > 0 and (i == len(points) or v - points[i - 1] < points[i] - v):
        i -= 1
    return i


def group_lines(chars: list[Char]) -> list[Line]:
    "Chars → lines by vertical overlap, each left to right and split into runs at column-wide gaps."
    lines: list[list[Char]] = []
    for ch in sorted(chars, key=lambda c: (c.cy, c.x0)):
        if lines:
            last = lines[-1]
            ref = last[0]
            if abs(ch.cy - ref.cy) < max(ref.size, ch.size) * 0.45:
                last.append(ch)
                continue
        lines.append([ch])
    out = []
    for chars_ in lines:
        chars_.sort(key=lambda c: c.x0)
        pieces, run = [], [chars_[0]]
        for prev, ch in zip(chars_, chars_[1:]):
            if ch.x0 - prev.x1 > 1.5 * max(prev.size, ch.size):
                pieces.append(run)
                run = []
            run.append(ch)
        pieces.append(run)
        out.append(Line(chars_, pieces))
    return out


def run_text(chars: list[Char]) -> str:
    "Text of chars on one line: a space where one was printed, none inside Chinese."
    parts = []
    for prev, ch in zip([None] + chars, chars):
        if prev is not None:
            gap = ch.x0 - prev.x1
            cjk = _CJK.match(prev.text), _CJK.match(ch.text)
            # LibreOffice and Word widen the gap between Chinese and Latin text (autospace); pdfium reads that
            # gap as a space that was never typed, so a generated space counts only between Latin words.
            printed = prev.space_after == 1 and not all(cjk)
            generated = prev.space_after == 2 and not any(cjk)
            if gap > 0.9 * max(prev.size, ch.size) or ((printed or generated) and gap > -0.1 * ch.size):
                parts.append(" ")
        parts.append(ch.text)
    return "".join(parts)


def cell_text(chars: list[Char]) -> str:
    "A cell's lines joined: wrapped Chinese and one-char-per-line vertical labels with no space, Latin words with one."
    out = ""
    for line in group_lines(chars):
        text = line.text
        if out and (_ALNUM.search(out[-1]) or _ALNUM.match(text)):
            out += " "
        out += text
    return out


def _bbox(chars: list[Char]) -> Box:
    return (round(min(c.x0 for c in chars), 1), round(min(c.top for c in chars), 1),
            round(max(c.x1 for c in chars), 1), round(max(c.bottom for c in chars), 1))


def text_tables(lines: list[Line], page: int) -> list[tuple[int, int, Grid]]:
    """Tables without ruling lines, from text positions: runs of ≥3 lines split into ≥2 columns by wide gaps.

    Columns come from the rows with the most pieces; a piece of another row goes to the column it overlaps
    most, so a missing value stays a blank cell. Returns (first line, last line + 1, grid) per table.
    """
    found = []
    i = 0
    while i < len(lines):
        j = i
        while j < len(lines) and len(lines[j].pieces) >= 2:
            j += 1
        if j - i >= 3:
            found.append((i, j, _text_grid(lines[i:j], page)))
            i = j
        else:
            i = max(j, i + 1)
    return found


def _text_grid(lines: list[Line], page: int) -> Grid:
    widest = max(len(l.pieces) for l in lines)
    cols: list[list[float]] = []
    for line in lines:
        if len(line.pieces) != widest:
            continue
        for k, p in enumerate(line.pieces):
            x0, x1 = p[0].x0, p[-1].x1
            if k < len(cols):
                cols[k] = [min(cols[k][0], x0), max(cols[k][1], x1)]
            else:
                cols.append([x0, x1])
    grid: Grid = []
    for line in lines:
        row: list[Span | None] = [Span("", page=page) for _ in cols]
        for p in line.pieces:
            x0, x1 = p[0].x0, p[-1].x1
            k = max(range(len(cols)), key=lambda c: min(x1, cols[c][1]) - max(x0, cols[c][0]))
            text = run_text(p)
            prev = row[k].text if row[k] is not None else ""
            row[k] = Span((prev + " " + text).strip(), page=page, bbox=_bbox(p))
        grid.append(row)
    return grid
