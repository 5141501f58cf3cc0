"""A report as the official document reads from top to bottom: title, preface, six sections, tables, signature."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from gongkai.formats import schema
from gongkai.formats.schema import FormatSpec
from gongkai.model import Report
from gongkai.render.errors import RenderError
from gongkai.render.layout import Grid, table_grid
from gongkai.render.prose import NUMERALS, generate_prose, load_prose


@dataclass(frozen=True, slots=True)
class Section:
    heading: str  # "三、收到和处理政府信息公开申请情况"
    paragraphs: tuple[str, ...]
    grids: tuple[Grid, ...] = ()
    unit: str = ""  # printed above a table: "单位：件"


@dataclass(frozen=True, slots=True)
class Outline:
    title: str
    preface: tuple[str, ...]
    sections: tuple[Section, ...]
    signature: tuple[str, ...] = ()
    meta: dict[str, Any] = field(default_factory=dict)
    spec: FormatSpec | None = None


def as_report(report: dict | Report) -> tuple[Report, dict]:
    "A Report and the units printed after values ({cell: '万元'}), from a Report or a parse/gold JSON dict."
    if isinstance(report, Report):
        return report, {}
    if not isinstance(report, dict) or "cells" not in report:
        raise RenderError("输入不是年报数据：应为 gongkai parse --json 的输出（含 meta 与 cells）")
    units = {k: v for k, v in (report.get("units") or {}).items() if v in ("万元", "元", "亿元")}
    return Report.from_dict(report), units


def spec_of(report: Report, format: str | None = None) -> FormatSpec:
    "The format to render: the one asked for, else the report's own, else the one in force for its year."
    version = format or report.meta.get("format")
    try:
        if version:
            return schema.load(str(version))
        if report.meta.get("year"):
            return schema.for_year(int(report.meta["year"]))
    except schema.FormatError as e:
        raise RenderError(str(e)) from None
    raise RenderError("无法确定年报格式：meta 中既没有 format 也没有 year，请用 --format 指定 2019 或 2021")


def _date(iso: str) -> str:
    y, m, d = (int(x) for x in iso[:10].split("-"))
    return f"{y}年{m}月{d}日"


def build_outline(report: dict | Report, *, format: str | None = None, prose=None) -> Outline:
    "Everything a writer prints, in order; tables laid out from the format file."
    rep, units = as_report(report)
    spec = spec_of(rep, format)
    meta = {**rep.meta, "format": spec.version}
    year = meta.get("year")
    if not year:
        raise RenderError("meta 中缺少报告年度 year")
    agency = meta.get("agency") or ""
    given = load_prose(prose, spec) if prose is not None else {}
    plain = generate_prose(spec, rep.cells, agency)
    grids: dict[int, list[Grid]] = {}
    for t in spec.tables:
        # The 2008 附表 belongs to no section: it is printed after the last one, as reports append it.
        grids.setdefault(t.section or len(spec.sections), []).append(table_grid(spec, t, rep.cells, units))
    sections = []
    for n, name in enumerate(spec.sections, start=1):
        paras = given.get(n, plain.get(n, ()) if n not in given else ())
        gs = tuple(grids.get(n, ()))
        unit = "单位：件" if any(g.table in ("requests", "appeals") for g in gs) else ""
        sections.append(Section(f"{NUMERALS[n - 1]}、{name}", tuple(paras), gs, unit))
    title = f"{agency}{year}年政府信息公开工作年度报告"
    basis = f"和{spec.title}" if spec.title.startswith("国办") else ""
    preface = (
        f"本报告根据《中华人民共和国政府信息公开条例》（以下简称《条例》）{basis}的要求编制。"
        f"本报告中所列数据的统计期限自{year}年1月1日起至{year}年12月31日止。",
    )
    signature = tuple(x for x in (agency, _date(meta["published"]) if meta.get("published") else "") if x)
    return Outline(title, preface, tuple(sections), signature, meta, spec)
