"""Load the statutory formats (gb2008/gb2019/gb2021.toml) into checked, immutable specs, once."""
from __future__ import annotations

import csv
import itertools
import re
import tomllib
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from functools import cache
from importlib import resources
from typing import TypeVar

from gongkai.parse.normalize import key

T = TypeVar("T")
R = TypeVar("R")

# A list number printed before a label: 一、 （一） 1. 1、 (1)
LIST_NUMBER = re.compile(r"^(?:[一二三四五六七八九十]+、|\([一二三四五六七八九十]+\)|\d{1,2}[.、]|\(\d{1,2}\))")


class FormatError(ValueError):
    "A format file is malformed; raised when it is loaded, never in the middle of a batch."


@dataclass(frozen=True, slots=True)
class Row:
    label: str  # as the official form prints it
    keys: tuple[str, ...]  # matching keys of the label and its variants, list number removed
    number: str  # the printed list number's key ("一、", "(一)", "1."), or ""
    cells: tuple[str, ...]  # cell ids in column order; empty for a heading row

    @property
    def is_heading(self) -> bool:
        return not self.cells


@dataclass(frozen=True, slots=True)
class Table:
    id: str
    title: str
    section: int | None
    headers: tuple[str, ...]  # keys of header words (never row labels)
    rows: tuple[Row, ...]
    cumulative_header: str | None = None  # key of a header announcing an extra 历年累计 column
    units: tuple[str, ...] = ()
    column_labels: tuple[str, ...] = ()  # printed column headings, for tables with shared columns
    _cells: tuple[str, ...] = field(init=False, repr=False, compare=False)  # worked out once: parse asks per row

    def __post_init__(self) -> None:
        object.__setattr__(self, "_cells", tuple(c for r in self.rows for c in r.cells))

    @property
    def cells(self) -> tuple[str, ...]:
        return self._cells


@dataclass(frozen=True, slots=True)
class Rule:
    code: str
    op: str  # "eq": sum(left) == sum(right); "le": sum(left) <= sum(right)
    left: tuple[str, ...]
    right: tuple[str, ...]
    bindings: tuple[tuple[str, str], ...] = ()  # the `for` values this instance was expanded with
    _cells: tuple[str, ...] = field(init=False, repr=False, compare=False)  # worked out once: solve asks per row

    def __post_init__(self) -> None:
        object.__setattr__(self, "_cells", self.left + self.right)

    @property
    def cells(self) -> tuple[str, ...]:
        return self._cells

    def holds(self, values: dict) -> bool:
        "Whether the rule holds for the cells' values (a missing cell or a printed blank counts as 0)."
        return self.holds_for(map(values.get, self.left), map(values.get, self.right))

    def holds_for(self, left: Iterable[int | float | None], right: Iterable[int | float | None]) -> bool:
        "Whether the rule holds for the values of its left and right cells, in order (None for a blank)."
        # Summed in C: a blank (None) or a zero adds nothing, so filter(None) drops it instead of a generator's `or 0`.
        l = sum(filter(None, left))
        r = sum(filter(None, right))
        return abs(l - r) < 1e-6 if self.op == "eq" else l <= r + 1e-6


@dataclass(frozen=True, slots=True)
class Cue:
    cell: str
    cues: tuple[str, ...]


@dataclass(frozen=True, slots=True)
class ProseGroup:
    "Figures stated in sentences: a clause opened by one of `clause`, a total and parts named by cues."

    group: str
    clause: tuple[str, ...]
    total: Cue | None
    parts: tuple[Cue, ...]


@dataclass(frozen=True, slots=True)
class FormatSpec:
    version: str
    title: str
    years: tuple[int, int]
    markers: tuple[str, ...]
    sections: tuple[str, ...]
    tables: tuple[Table, ...]
    rules: tuple[Rule, ...]
    prose: tuple[ProseGroup, ...]
    _cells: tuple[str, ...] = field(init=False, repr=False, compare=False)  # worked out once: parse asks per cell

    def __post_init__(self) -> None:
        ids = list(itertools.chain.from_iterable(t.cells for t in self.tables))
        for g in self.prose:
            for cue in ((g.total,) if g.total else ()) + g.parts:
                if cue.cell not in ids:
                    ids.append(cue.cell)
        object.__setattr__(self, "_cells", tuple(ids))

    @property
    def cells(self) -> tuple[str, ...]:
        "Every cell id this format defines: table cells, then prose-only cells."
        return self._cells

    def table(self, table_id: str) -> Table | None:
        return next((t for t in self.tables if t.id == table_id), None)

    def covers(self, year: int) -> bool:
        return self.years[0] <= year <= self.years[1]


def split_number(label: str) -> tuple[str, str]:
    "Split a label's key into its list number and the rest: '(一)予以公开' → ('(一)', '予以公开')."
    k = key(label)
    m = LIST_NUMBER.match(k)
    return (m.group(), k[m.end():]) if m else ("", k)


def _row(raw: dict, where: str) -> Row:
    if "label" not in raw:
        raise FormatError(f"{where}: 行缺少 label")
    number, main = split_number(raw["label"])
    keys = [main] + [split_number(a)[1] for a in raw.get("aliases", ())]
    if "cell" in raw and "cells" in raw:
        raise FormatError(f"{where}: 行 {raw['label']} 同时有 cell 和 cells")
    cells = tuple(raw.get("cells", ()))
    if "cell" in raw:
        cells = tuple(f"{raw['cell']}.{c}" for c in raw["columns"])
    return Row(raw["label"], tuple(dict.fromkeys(k for k in keys if k or not main)), number, cells)


def _rules(raw: list[dict], where: str) -> tuple[Rule, ...]:
    out = []
    for r in raw:
        names = list(r.get("for", {}))
        for combo in itertools.product(*(r["for"][n] for n in names)):
            bind = dict(zip(names, combo))
            try:
                left = tuple(c.format(**bind) for c in r["left"])
                right = tuple(c.format(**bind) for c in r["right"])
            except (KeyError, IndexError) as e:
                raise FormatError(f"{where}: 规则 {r.get('code')} 的模板变量 {e} 未定义") from None
            out.append(Rule(r["code"], r.get("op", "eq"), left, right, tuple(bind.items())))
    return tuple(out)


def _cue(raw: dict | None) -> Cue | None:
    return Cue(raw["cell"], tuple(key(c) for c in raw["cues"])) if raw else None


def parse_format(text: str, where: str) -> FormatSpec:
    "Build a FormatSpec from TOML text, checking its shape; raises FormatError naming the file."
    try:
        raw = tomllib.loads(text)
    except tomllib.TOMLDecodeError as e:
        raise FormatError(f"{where}: {e}") from None
    tables = []
    for t in raw.get("tables", ()):
        rows = []
        for r in t["rows"]:
            if "cell" in r:
                r = {**r, "columns": t["columns"]}
            rows.append(_row(r, where))
        tables.append(Table(
            t["id"], t.get("title", ""), t.get("section"), tuple(key(h) for h in t.get("headers", ())), tuple(rows),
            key(t["cumulative_header"]) if t.get("cumulative_header") else None, tuple(t.get("units", ())),
            tuple(t.get("column_labels", ())),
        ))
    prose = tuple(ProseGroup(p["group"], tuple(key(c) for c in p["clause"]), _cue(p.get("total")),
                             tuple(_cue(c) for c in p.get("parts", ()))) for p in raw.get("prose", ()))
    spec = FormatSpec(str(raw["version"]), raw.get("title", ""), tuple(raw["years"]),
                      tuple(key(m) for m in raw.get("markers", ())), tuple(raw.get("sections", ())),
                      tuple(tables), _rules(raw.get("rules", []), where), prose)
    unknown = [c for rule in spec.rules for c in rule.cells if c not in spec.cells]
    if unknown:
        raise FormatError(f"{where}: 规则引用了表中没有的单元格 {unknown[:3]}")
    return spec


FILES = {"2008": "gb2008.toml", "2019": "gb2019.toml", "2021": "gb2021.toml"}


def per_object(make: Callable[[T], R]) -> Callable[[T], R]:
    """make(obj), worked out once per format object: by identity, not @cache, because hashing a frozen spec or
    table walks all of its rows on every call. Keeping the object keeps its id from being reused."""
    made: dict[int, tuple[T, R]] = {}

    def get(obj: T) -> R:
        got = made.get(id(obj))
        if got is None:
            got = made[id(obj)] = obj, make(obj)
        return got[1]

    return get


@cache
def load(version: str) -> FormatSpec:
    "The format of one version ('2008', '2019', '2021'), loaded and checked once."
    if version not in FILES:
        raise FormatError(f"未知的年报格式版本：{version}（可用：{'、'.join(FILES)}）")
    name = FILES[version]
    return parse_format(resources.files("gongkai.formats").joinpath(name).read_text("utf-8"), name)


def all_formats() -> tuple[FormatSpec, ...]:
    return tuple(load(v) for v in FILES)


def for_year(year: int) -> FormatSpec:
    "The format in force for a report year."
    for spec in all_formats():
        if spec.covers(year):
            return spec
    return load("2008") if year < 2008 else load("2021")


@dataclass(frozen=True, slots=True)
class CellInfo:
    id: str
    format: str
    section: str
    row: str
    column: str
    unit: str


@cache
def cell_catalog() -> dict[str, CellInfo]:
    "Every canonical cell id with its Chinese row/column labels (a copy of shared/spec/cells.csv)."
    text = resources.files("gongkai.formats").joinpath("cells.csv").read_text("utf-8")
    out: dict[str, CellInfo] = {}
    for r in csv.DictReader(text.splitlines()):
        out.setdefault(r["id"], CellInfo(r["id"], r["format"], r["section"], r["row"], r["column"], r["unit"]))
    return out


def cell_label(cell: str) -> str:
    "A short Chinese name of a cell: '一、本年新收政府信息公开申请数量 / 自然人'."
    info = cell_catalog().get(cell)
    if info is None:
        return cell
    return f"{info.row} / {info.column}" if info.column else info.row
