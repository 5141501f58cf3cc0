"""Table layouts of the official forms: a format's rows and columns → a grid of slots with rowspan/colspan."""
from __future__ import annotations

import csv
import tomllib
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from gongkai.formats import schema
from gongkai.formats.schema import FormatSpec, Table

Number = int | float


@dataclass(frozen=True, slots=True)
class Slot:
    "One printed cell of a table: where it starts, how far it spans, what it says."

    text: str
    kind: str  # head | label | value
    row: int
    col: int
    rowspan: int = 1
    colspan: int = 1
    cell: str | None = None  # the cell id of a value slot


@dataclass(frozen=True, slots=True)
class Grid:
    "A statutory table laid out as the official form prints it."

    table: str
    title: str
    width: int
    height: int
    header_rows: int
    slots: tuple[Slot, ...]  # in row-major order of their top-left corner

    def rows(self) -> list[list[Slot]]:
        "The slots that start in each grid row (what HTML <tr> and DOCX merges need)."
        out: list[list[Slot]] = [[] for _ in range(self.height)]
        for s in self.slots:
            out[s.row].append(s)
        return out

    def dense(self) -> list[list[Slot | None]]:
        "Every grid position → the slot covering it (spanned positions repeat their slot)."
        out: list[list[Slot | None]] = [[None] * self.width for _ in range(self.height)]
        for s in self.slots:
            for r in range(s.row, s.row + s.rowspan):
                for c in range(s.col, s.col + s.colspan):
                    out[r][c] = s
        return out


def number_text(value: Number | None, unit: str | None = None) -> str:
    "A value as printed: blank for None, integers without a decimal point, decimals as they are."
    if value is None:
        return ""
    if isinstance(value, float):
        text = format(value, "f").rstrip("0").rstrip(".") if "e" in repr(value) else repr(value)
        text = text[:-2] if text.endswith(".0") else text
    else:
        text = str(value)
    return text + unit if unit else text


@cache
def raw_format(version: str) -> dict[str, Any]:
    "The format file as written (printed labels with their full-width punctuation), beside the checked spec."
    return tomllib.loads(resources.files("gongkai.formats").joinpath(schema.FILES[version]).read_text("utf-8"))


@dataclass(frozen=True, slots=True)
class CellPlace:
    section: str
    row: str
    column: str


@cache
def cell_places(version: str) -> dict[str, CellPlace]:
    "Each cell id of one format version → its printed section, row and column (from cells.csv)."
    text = resources.files("gongkai.formats").joinpath("cells.csv").read_text("utf-8")
    out = {}
    for r in csv.DictReader(text.splitlines()):
        if r["format"] in (version, "both"):
            out[r["id"]] = CellPlace(r["section"], r["row"], r["column"])
    return out


def _raw_table(version: str, table_id: str) -> dict[str, Any]:
    return next(t for t in raw_format(version)["tables"] if t["id"] == table_id)


def _level(number: str) -> int:
    "Depth of a printed list number: 一、 → 0, (一) → 1, 1. → 2."
    if not number:
        return 0
    if number.startswith("("):
        return 1
    return 2 if number[0].isdigit() else 0


def _header_slots(paths: list[list[str]], top: int, left: int, depth: int) -> list[Slot]:
    "Header rows over value columns from each column's path of header words; short paths span downwards."
    out = []
    for d in range(depth):
        c = 0
        while c < len(paths):
            p = paths[c]
            if len(p) <= d:
                c += 1
                continue
            end = c + 1
            while end < len(paths) and len(paths[end]) > d and paths[end][: d + 1] == p[: d + 1] and len(p) > d + 1:
                end += 1
            rowspan = depth - d if len(p) == d + 1 else 1
            out.append(Slot(p[d], "head", top + d, left + c, rowspan, end - c))
            c = end
    return out


def _values(cells: dict, units: dict, ids) -> list[str]:
    return [number_text(cells.get(i), units.get(i)) for i in ids]


def matrix_grid(spec: FormatSpec, table: Table, cells: dict, units: dict) -> Grid:
    "The requests table: nested row labels at the left, 申请人情况 → 法人或其他组织 → kinds over the columns."
    raw = _raw_table(spec.version, table.id)
    places = cell_places(spec.version)
    first = next(r for r in table.rows if r.cells)
    col_paths = [places[c].column.split("/") for c in first.cells]
    words = {w for p in col_paths for w in p}
    note = next((h for h in raw.get("headers", ()) if "勾稽" in h), None)
    tops = [h for h in raw.get("headers", ()) if h != note and h not in words]
    paths = [tops + p for p in col_paths]
    depth = max(len(p) for p in paths)
    levels = [_level(r.number) for r in table.rows]
    label_cols = max(levels) + 1
    slots = [Slot(f"（{note}）" if note else "", "head", 0, 0, depth, label_cols)]
    slots += _header_slots(paths, 0, label_cols, depth)
    row = depth
    for i, r in enumerate(table.rows):
        lv = levels[i]
        if r.is_heading:
            span = 0
            for nxt, nlv in zip(table.rows[i + 1:], levels[i + 1:]):
                if nlv <= lv:
                    break
                span += bool(nxt.cells)
            slots.append(Slot(r.label, "label", row, lv, max(span, 1), 1))
            continue
        slots.append(Slot(r.label, "label", row, lv, 1, label_cols - lv))
        for j, (cid, text) in enumerate(zip(r.cells, _values(cells, units, r.cells))):
            slots.append(Slot(text, "value", row, label_cols + j, cell=cid))
        row += 1
    return _grid(table, label_cols + len(paths), row, depth, slots)


def strip_grid(spec: FormatSpec, table: Table, cells: dict, units: dict) -> Grid:
    "The appeals table: one row of values under 行政复议 / 行政诉讼 → 未经复议直接起诉 / 复议后起诉 headers."
    places = cell_places(spec.version)
    ids = [c for r in table.rows for c in r.cells]
    paths = [places[c].row.split("/") + [places[c].column] for c in ids]
    depth = max(len(p) for p in paths)
    slots = _header_slots(paths, 0, 0, depth)
    slots += [Slot(t, "value", depth, j, cell=c) for j, (c, t) in enumerate(zip(ids, _values(cells, units, ids)))]
    return _grid(table, len(ids), depth + 1, depth, slots)


def grouped_grid(spec: FormatSpec, table: Table, cells: dict, units: dict) -> Grid:
    "The active-disclosure table: one block per 第二十条 item, each with its 信息内容 header row."
    raw = _raw_table(spec.version, table.id)
    places = cell_places(spec.version)
    groups: list[tuple[str, list]] = []
    for r in table.rows:
        section = places[r.cells[0]].section
        if not groups or groups[-1][0] != section:
            groups.append((section, []))
        groups[-1][1].append(r)
    words = {places[c].column for r in table.rows for c in r.cells} | {g for g, _ in groups}
    item = next((h for h in raw.get("headers", ()) if h not in words), "")
    width = 1 + max(len(r.cells) for r in table.rows)
    slots, row = [], 0
    for section, rows in groups:
        slots.append(Slot(section, "head", row, 0, 1, width))
        heads = [item] + list(dict.fromkeys(places[c].column for r in rows for c in r.cells))
        for j, h in enumerate(heads):
            slots.append(Slot(h, "head", row + 1, j, 1, width - j if j == len(heads) - 1 else 1))
        row += 2
        for r in rows:
            slots.append(Slot(r.label, "label", row, 0))
            for j, (cid, text) in enumerate(zip(r.cells, _values(cells, units, r.cells))):
                last = j == len(r.cells) - 1
                slots.append(Slot(text, "value", row, j + 1, 1, width - j - 1 if last else 1, cid))
            row += 1
    return _grid(table, width, row, 0, slots)


def list_grid(spec: FormatSpec, table: Table, cells: dict, units: dict) -> Grid:
    "A plain 指标 | 单位 | 本年度 list (the 2008 附表)."
    raw = _raw_table(spec.version, table.id)
    heads = [h for h in raw.get("headers", ()) if h in ("指标名称", "计量单位", "本年度")] or ["指标名称", "本年度"]
    slots = [Slot(h, "head", 0, j) for j, h in enumerate(heads)]
    for i, r in enumerate(table.rows, start=1):
        row = [r.label] + (["件"] if len(heads) == 3 else []) + _values(cells, units, r.cells[:1])
        slots += [Slot(t, "label" if j == 0 else "value", i, j, cell=r.cells[0] if j == len(row) - 1 else None)
                  for j, t in enumerate(row)]
    return _grid(table, len(heads), len(table.rows) + 1, 1, slots)


def _grid(table: Table, width: int, height: int, header_rows: int, slots: list[Slot]) -> Grid:
    slots.sort(key=lambda s: (s.row, s.col))
    return Grid(table.id, table.title, width, height, header_rows, tuple(slots))


def table_grid(spec: FormatSpec, table: Table, cells: dict, units: dict | None = None) -> Grid:
    "Lay out one statutory table with its values filled in (None prints as an empty cell)."
    units = units or {}
    raw = _raw_table(spec.version, table.id)
    if "columns" in raw:
        return matrix_grid(spec, table, cells, units)
    if len(table.rows) == 1 and not table.rows[0].label:
        return strip_grid(spec, table, cells, units)
    if all(c in cell_places(spec.version) and cell_places(spec.version)[c].section.startswith("第")
           for r in table.rows for c in r.cells):
        return grouped_grid(spec, table, cells, units)
    return list_grid(spec, table, cells, units)
