"""Sum subordinate agencies' reports into one summary report (a county's or a city's)."""
from __future__ import annotations

from decimal import Decimal

from gongkai.findings import Finding, Where, finding
from gongkai.formats.schema import FormatSpec
from gongkai.model import Report
from gongkai.render.errors import AggregateError, RenderError
from gongkai.render.outline import spec_of


def _report(r: dict | Report, i: int) -> Report:
    if isinstance(r, Report):
        return r
    if not isinstance(r, dict) or "cells" not in r:
        raise AggregateError(f"第 {i} 份输入不是年报数据（应含 meta 与 cells）")
    return Report.from_dict(r)


def _sum(values: list) -> int | float | None:
    "Blank + blank stays blank; blank + n = n; decimals added exactly (0.1 + 0.2 = 0.3)."
    present = [v for v in values if v is not None]
    if not present:
        return None
    total = sum(Decimal(str(v)) for v in present)
    return int(total) if total == total.to_integral_value() and all(isinstance(v, int) for v in present) else float(total)


def _failed_rules(spec: FormatSpec, cells: dict) -> list[str]:
    return [r.code + (f"[{','.join(v for _, v in r.bindings)}]" if r.bindings else "")
            for r in spec.rules if all(c in cells for c in r.cells) and not r.holds(cells)]


def aggregate(reports: list[dict | Report], agency: str, *, region: str | None = None) -> tuple[dict, list[Finding]]:
    """Sum the cells of subordinate reports into one report for `agency`.

    All inputs must share one format version and one year (AggregateError, a ValueError, otherwise). An input
    whose own identities fail is still summed, and named in an `aggregate.input.identity` finding.
    Returns the summary in the JSON shape of `gongkai parse --json`, and the findings (also in its "findings").
    """
    reps = [_report(r, i) for i, r in enumerate(reports, start=1)]
    if not reps:
        raise AggregateError("没有可汇总的年报：请至少提供一份下级单位的年报")
    try:
        specs = [spec_of(r) for r in reps]
    except RenderError as e:
        raise AggregateError(str(e)) from None
    versions = sorted({s.version for s in specs})
    if len(versions) > 1:
        which = "；".join(f"第 {i} 份（{r.meta.get('agency') or '未知单位'}）为 {s.version} 年版"
                         for i, (r, s) in enumerate(zip(reps, specs), start=1))
        raise AggregateError(f"不能汇总不同格式版本的年报（{'、'.join(versions)} 年版混在一起）：{which}。"
                             "请按格式版本分别汇总")
    years = sorted({r.meta.get("year") for r in reps}, key=str)
    if len(years) != 1 or years[0] is None:
        raise AggregateError(f"不能汇总不同年度的年报（读到的年度：{'、'.join(str(y) for y in years)}）："
                             "汇总报告只能由同一年度的下级年报相加")
    spec = specs[0]
    cells = {}
    for cid in spec.cells:
        if any(cid in r.cells for r in reps):
            cells[cid] = _sum([r.cells.get(cid) for r in reps])
    findings = []
    for i, r in enumerate(reps, start=1):
        failed = _failed_rules(spec, r.cells)
        if failed:
            name = r.meta.get("agency") or f"第 {i} 份"
            findings.append(finding("aggregate.input.identity", where=Where(source=name), index=i, agency=name,
                                    count=len(failed), rules="、".join(failed[:5]) + ("等" if len(failed) > 5 else "")))
    meta = {"year": years[0], "format": spec.version, "agency": agency, "script": "simplified",
            "sources": [r.meta.get("agency") or "" for r in reps]}
    if region:
        meta["region"] = region
    out = {"meta": meta, "cells": cells, "provenance": {}, "findings": [f.to_dict() for f in findings]}
    return out, findings
