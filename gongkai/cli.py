"""The command line: options → one library call → print. Help and messages in Chinese."""
from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated, Optional

import typer
from rich.console import Console
from rich.table import Table

from gongkai.read.errors import UnreadableError

app = typer.Typer(help="gongkai（公开）：政府信息公开工作年度报告的读取、审核、存储、比较与生成。",
                  no_args_is_help=True, add_completion=False, rich_markup_mode="rich")
out = Console()
err = Console(stderr=True)

# Options shared by several commands, defined once.
JsonFlag = Annotated[bool, typer.Option("--json", help="输出 JSON（机器可读）")]
DbUrl = Annotated[Optional[str], typer.Option("--db", help="数据库 URL（默认环境变量 GONGKAI_DB，或当前目录的 gongkai.db）")]
Files = Annotated[list[Path], typer.Argument(help="年报文件（文本、HTML、PDF、Word）", show_default=False)]


def _dump(data) -> None:
    "JSON to stdout as UTF-8 whatever the terminal's encoding."
    sys.stdout.write(json.dumps(data, ensure_ascii=False, indent=1, default=str) + "\n")


def _unreadable(e: UnreadableError) -> None:
    err.print(f"[bold red]无法读取[/]：{e.finding.message}")
    raise typer.Exit(2)


@app.command()
def parse(file: Annotated[Path, typer.Argument(help="年报文件", show_default=False)], as_json: JsonFlag = False):
    """读取一份年报：元数据、各单元格数值（空白为 null）、出处与读取发现。

    示例：
      gongkai parse 报告.txt --json
      gongkai parse 报告.pdf
    """
    from gongkai import parse as parse_report
    from gongkai.show import report_summary

    try:
        report = parse_report(file)
    except UnreadableError as e:
        _unreadable(e)
    if as_json:
        _dump(report.to_dict())
    else:
        report_summary(report, out)


@app.command()
def formats():
    """列出内置的年报格式（2008 / 2019 / 2021 年版）及其表格。

    示例：
      gongkai formats
    """
    from gongkai.formats.schema import all_formats

    table = Table("版本", "依据", "适用年度", "表格", "单元格数", "勾稽规则数")
    for spec in all_formats():
        table.add_row(spec.version, spec.title, f"{spec.years[0]}–{spec.years[1]}",
                      "、".join(t.title for t in spec.tables), str(len(spec.cells)), str(len(spec.rules)))
    out.print(table)


@app.command()
def codes(as_json: JsonFlag = False):
    """列出全部发现代码（稳定的英文代码、级别与中文说明）。

    示例：
      gongkai codes --json
    """
    from gongkai.findings import catalog

    entries = catalog().values()
    if as_json:
        _dump([{"code": e.code, "severity": str(e.severity), "title": e.title, "template": e.template} for e in entries])
        return
    table = Table("代码", "级别", "说明")
    for e in entries:
        table.add_row(e.code, str(e.severity), e.title)
    out.print(table)


def main() -> None:  # pragma: no cover - console entry
    app()
