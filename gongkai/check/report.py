"""How `gongkai check` shows its results: a Rich table grouped by report, and a summary for folders."""
from __future__ import annotations

from collections import Counter
from typing import Any, Sequence

from rich.table import Table
from rich.text import Text

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


def render_findings_table(results: Sequence[dict[str, Any]], *, show_info: bool = True) -> Table:
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
        errors = sum(1 for f in findings if f["severity"] == "error")
        status = "无法读取" if result.get("unreadable") else ("有错误" if errors else ("无问题" if not findings else "请核对"))
        table.add_row("", "", Text(f"{_title(result)}  [{status}]", style="bold"), "")
        for f in sorted(findings, key=lambda f: ORDER.get(f["severity"], 3)):
            sev = f["severity"]
            message = f["message"]
            if f.get("suspect"):
                message += f"（疑似：{f['suspect']}）"
            table.add_row(Text(NAME.get(sev, sev), style=STYLE.get(sev, "")), f["code"], message, _place(f))
    return table


def summarise(results: Sequence[dict[str, Any]], top: int = 5) -> dict[str, Any]:
    "Counts for many reports: how many were checked, unreadable, with errors, with warnings; the commonest codes."
    codes = Counter(f["code"] for r in results for f in r["findings"] if f["severity"] != "info")
    with_errors = sum(1 for r in results if not r.get("unreadable") and any(f["severity"] == "error" for f in r["findings"]))
    with_warnings = sum(1 for r in results if not r.get("unreadable") and any(f["severity"] == "warning" for f in r["findings"]))
    return {"reports": len(results), "unreadable": sum(1 for r in results if r.get("unreadable")),
            "with_errors": with_errors, "with_warnings": with_warnings, "top_codes": codes.most_common(top)}


def summary_line(results: Sequence[dict[str, Any]], top: int = 5) -> str:
    "The summary as one Chinese line: '共 1000 份：12 份有错误，40 份有警告，3 份无法读取；最多：check.sum.balance 9 …'."
    s = summarise(results, top)
    line = f"共 {s['reports']} 份：{s['with_errors']} 份有错误，{s['with_warnings']} 份有警告，{s['unreadable']} 份无法读取"
    if s["top_codes"]:
        line += "；最多：" + "，".join(f"{code} {n}" for code, n in s["top_codes"])
    return line


def exit_code(results: Sequence[dict[str, Any]]) -> int:
    "The CLI's exit status: 2 if any file was unreadable, 1 if any error finding, else 0."
    if any(r.get("unreadable") for r in results):
        return 2
    return 1 if any(f["severity"] == "error" for r in results for f in r["findings"]) else 0
