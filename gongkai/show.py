"""Readable Chinese summaries of a Report for the terminal (Rich)."""
from __future__ import annotations

from rich.console import Console
from rich.table import Table

from gongkai.findings import Severity
from gongkai.formats.schema import load

_SEVERITY = {Severity.ERROR: "[red]错误[/]", Severity.WARNING: "[yellow]警告[/]", Severity.INFO: "[cyan]提示[/]"}
_META = (("agency", "发布机关"), ("region", "地区"), ("year", "报告年度"), ("format", "表格版本"),
         ("published", "发布日期"), ("script", "字体"), ("source", "文件"))


def _number(v) -> str:
    return "" if v is None else f"{v:g}" if isinstance(v, float) else str(v)


def report_summary(report, console: Console) -> None:
    "Meta, each statutory table as rows × columns, and the findings."
    meta = Table(show_header=False, box=None)
    for k, label in _META:
        if report.meta.get(k) is not None:
            meta.add_row(f"[bold]{label}[/]", str(report.meta[k]))
    console.print(meta)
    spec = load(report.format) if report.format else None
    for table in spec.tables if spec else ():
        if not any(c in report.cells for c in table.cells):
            continue
        width = max(len(r.cells) for r in table.rows)
        grid = Table(title=table.title, title_justify="left")
        grid.add_column("项目")
        labels = list(table.column_labels) or [f"第{i + 1}列" for i in range(width)]
        for label in labels:
            grid.add_column(label, justify="right")
        for row in table.rows:
            if not row.cells:
                continue
            vals = [_number(report.cells[c]) if c in report.cells else "[dim]?[/]" for c in row.cells]
            grid.add_row((row.label or table.title)[:24], *vals, *[""] * (width - len(vals)))
        console.print(grid)
    prose = [c for c in (spec.cells if spec else ()) if c.startswith("legacy.") and c in report.cells]
    if prose:
        t = Table("单元格", "数值", title="正文中的数字", title_justify="left")
        for c in prose:
            t.add_row(c, _number(report.cells[c]))
        console.print(t)
    if report.findings:
        f = Table("级别", "代码", "说明", title="读取发现", title_justify="left")
        for x in report.findings:
            f.add_row(_SEVERITY[x.severity], x.code, x.message)
        console.print(f)
    else:
        console.print("[green]读取完整，没有发现问题。[/]")
