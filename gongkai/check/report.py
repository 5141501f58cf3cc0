"""How `gongkai check` shows its results: a Rich table grouped by report, and a summary for folders."""
from __future__ import annotations

import json
from collections import Counter
from typing import IO, Any, Iterable, Sequence

from rich.console import Group
from rich.table import Table
from rich.text import Text

from gongkai.findings import catalog

STYLE = {"error": "bold red", "warning": "yellow", "info": "dim"}
NAME = {"error": "错误", "warning": "警告", "info": "提示"}
ORDER = {"error": 0, "warning": 1, "info": 2}


def _title(result: dict[str, Any]) -> str:
    "A report's heading row: file, then agency and year when it was read."
    meta = result.get("meta") or {}
    parts = [str(result["file"])]
    if meta.get("agency") or meta.get("year"):
        parts.append(f"{meta.get('agency') or '发布机关不明'} {meta.get('year') or '年度不明'}年度（{meta.get('format') or '?'}年版）")
    return " · ".join(parts)


def _place(f: dict[str, Any]) -> str:
    "Where a finding points: line (and page), else nothing."
    src = f.get("source") or {}
    bits = []
    if src.get("page"):
        bits.append(f"第{src['page']}页")
    if src.get("line"):
        bits.append(f"第{src['line']}行")
    return " ".join(bits)


def status(result: dict[str, Any]) -> str:
    "How a report came out: 无法读取, 有错误, 请核对 (warnings only) or 无问题 (nothing, or only how it was read)."
    if result.get("unreadable"):
        return "无法读取"
    severities = {f["severity"] for f in result["findings"]}
    return "有错误" if "error" in severities else ("请核对" if "warning" in severities else "无问题")


def render_findings_table(results: Iterable[dict[str, Any]], *, show_info: bool = True) -> Table:
    "One Rich table for the results of check_paths: a heading row per report, then its findings, errors first."
    table = Table(title="年报审核结果", show_lines=False, expand=True)
    table.add_column("级别", no_wrap=True)
    table.add_column("代码", no_wrap=True, style="cyan")
    table.add_column("说明", ratio=1)
    table.add_column("位置", no_wrap=True)
    for n, result in enumerate(results):
        if n:
            table.add_section()
        findings = [f for f in result["findings"] if show_info or f["severity"] != "info"]
        table.add_row("", "", Text(f"{_title(result)}  [{status(result)}]", style="bold"), "")
        for f in sorted(findings, key=lambda f: ORDER.get(f["severity"], 3)):
            sev = f["severity"]
            message = f["message"]
            if f.get("suspect"):
                message += f"（疑似：{f['suspect']}）"
            table.add_row(Text(NAME.get(sev, sev), style=STYLE.get(sev, "")), f["code"], message, _place(f))
    return table


def needs_listing(result: dict[str, Any]) -> bool:
    "Whether a folder's default output lists the report one by one: it has an error or could not be read."
    return status(result) in ("有错误", "无法读取")


def summarise(results: Sequence[dict[str, Any]], top: int = 5) -> dict[str, Any]:
    """Counts for many reports: how many were checked, unreadable, with errors, with only warnings, clean; the
    commonest codes (warnings and errors) by number of findings, each with its title and how many reports have it."""
    statuses = Counter(status(r) for r in results)
    findings: Counter[str] = Counter()
    reports: Counter[str] = Counter()
    for r in results:
        codes = [f["code"] for f in r["findings"] if f["severity"] != "info"]
        findings.update(codes)
        reports.update(set(codes))
    entries = catalog()
    top_codes = findings.most_common(top)
    with_warnings = sum(1 for r in results if not r.get("unreadable")
                        and any(f["severity"] == "warning" for f in r["findings"]))
    return {"reports": len(results), "unreadable": statuses["无法读取"], "with_errors": statuses["有错误"],
            "only_warnings": statuses["请核对"], "clean": statuses["无问题"], "with_warnings": with_warnings,
            "top_codes": top_codes,
            "codes": [{"code": code, "title": entries[code].title if code in entries else "",
                       "severity": str(entries[code].severity) if code in entries else "", "findings": n,
                       "reports": reports[code]} for code, n in top_codes]}


def summary_line(results: Sequence[dict[str, Any]], top: int = 5) -> str:
    "The summary as one Chinese line: '共 1000 份：12 份有错误，40 份有警告，3 份无法读取；最多：check.sum.balance 9 …'."
    s = summarise(results, top)
    line = f"共 {s['reports']} 份：{s['with_errors']} 份有错误，{s['with_warnings']} 份有警告，{s['unreadable']} 份无法读取"
    if s["top_codes"]:
        line += "；最多：" + "，".join(f"{code} {n}" for code, n in s["top_codes"])
    return line


def render_summary(results: Sequence[dict[str, Any]], *, listed: int | None = None, top: int = 10) -> Group:
    """The summary `gongkai check` prints for several files: counts by outcome, then the commonest codes with
    their titles. `listed` is how many reports were shown one by one above it (None: all of them)."""
    s = summarise(results, top)
    counts = Text.assemble(
        ("审核汇总：", "bold"), f"共 {s['reports']} 份报告，",
        (f"有错误 {s['with_errors']} 份", STYLE["error"] if s["with_errors"] else ""), "，",
        (f"仅有警告 {s['only_warnings']} 份", STYLE["warning"] if s["only_warnings"] else ""), "，",
        f"无问题 {s['clean']} 份，",
        (f"无法读取 {s['unreadable']} 份", STYLE["error"] if s["unreadable"] else ""))
    parts: list[Any] = [counts]
    if listed is not None and listed < s["reports"]:
        shown = f"上表只列出有错误或无法读取的 {listed} 份报告" if listed else "没有报告有错误或无法读取"
        parts.append(Text(f"{shown}；加 --all 逐份列出全部报告。", style="dim"))
    if s["codes"]:
        table = Table(title=f"最常见的发现（前 {len(s['codes'])} 种，不含提示）", expand=False)
        table.add_column("代码", style="cyan", no_wrap=True)
        table.add_column("级别", no_wrap=True)
        table.add_column("说明")
        table.add_column("条数", justify="right")
        table.add_column("报告份数", justify="right")
        for c in s["codes"]:
            sev = c["severity"]
            table.add_row(c["code"], Text(NAME.get(sev, sev), style=STYLE.get(sev, "")), c["title"],
                          str(c["findings"]), str(c["reports"]))
        parts.append(table)
    return Group(*parts)


def write_json(results: Sequence[dict[str, Any]] | dict[str, Any], out: IO[str]) -> None:
    "The --json output, written piece by piece (never the whole text in memory), as json.dumps(indent=1) prints it."
    encoder = json.JSONEncoder(ensure_ascii=False, indent=1, default=str)
    buffer: list[str] = []
    for chunk in encoder.iterencode(results):
        buffer.append(chunk)
        if len(buffer) >= 4096:
            out.write("".join(buffer))
            buffer.clear()
    buffer.append("\n")
    out.write("".join(buffer))


def exit_code(results: Sequence[dict[str, Any]]) -> int:
    "The CLI's exit status: 2 if any file was unreadable, 1 if any error finding, else 0."
    if any(r.get("unreadable") for r in results):
        return 2
    return 1 if any(f["severity"] == "error" for r in results for f in r["findings"]) else 0
