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


@app.command()
def check(files: Files, as_json: JsonFlag = False, db: DbUrl = None,
          show_all: Annotated[bool, typer.Option("--all", help="逐份列出全部报告（默认只列出有错误或无法读取的）")] = False):
    """审核年报：勾稽关系、格式合规、文表一致、跨年连续；有错误时退出码为 1，无法读取为 2。

    给出多份报告（或目录）时，默认只逐份列出有错误或无法读取的报告，最后给出汇总：各类报告的份数与最常见的发现。

    示例：
      gongkai check 报告.txt
      gongkai check 年报目录/
      gongkai check 年报目录/ --all
      gongkai check 年报目录/ --json
      gongkai check 2023年报.pdf --db gongkai.db   （与库中同一机关上一年度的报告比对结转数）
    """
    from gongkai.check import check_paths
    from gongkai.check.report import (
        exit_code,
        needs_listing,
        render_findings_table,
        render_summary,
        write_json,
    )

    results = check_paths(files, db_url=db)
    if as_json:
        write_json(results[0] if len(results) == 1 else results, sys.stdout)
    elif len(results) == 1:
        out.print(render_findings_table(results))
    else:
        listed = results if show_all else [r for r in results if needs_listing(r)]
        if listed:
            out.print(render_findings_table(listed))
        out.print(render_summary(results, listed=None if show_all else len(listed)))
    raise typer.Exit(exit_code(results))


@app.command()
def ingest(paths: Annotated[list[Path], typer.Argument(help="文件、目录或 zip 压缩包", show_default=False)],
           db: DbUrl = None, jobs: Annotated[int, typer.Option("--jobs", "-j", help="并行进程数")] = 1,
           dask: Annotated[Optional[str], typer.Option("--dask", help="Dask 调度器地址，或 local")] = None):
    """批量读取年报入库：可重复运行，未变化的文件跳过；损坏的文件记录原因并列出。

    示例：
      gongkai ingest 年报目录/ --jobs 2
      gongkai ingest reports.zip --db postgresql+psycopg://user:pw@host/db
    """
    from gongkai.store import ingest as run_ingest
    from gongkai.store.show import render_summary

    summary = run_ingest(paths, db, jobs=jobs, dask=dask, progress=sys.stderr.isatty(), console=err)
    render_summary(summary, out)
    raise typer.Exit(1 if summary.failed else 0)


@app.command()
def compare(agency: Annotated[Optional[str], typer.Option("--agency", help="机关名称（包含即可）")] = None,
            year: Annotated[Optional[int], typer.Option("--year", help="年度")] = None,
            region: Annotated[Optional[str], typer.Option("--region", help="地区（包含即可）")] = None,
            db: DbUrl = None, as_json: JsonFlag = False):
    """比较：一个机关历年的主要数字，或某年各机关的主要数字，并给出与上年的变化。

    示例：
      gongkai compare --agency 金东区
      gongkai compare --year 2022 --region 浙江省
    """
    from gongkai.store.query import compare_agency, compare_year
    from gongkai.store.show import render_compare

    if agency:
        frame, title = compare_agency(db, agency, region), f"{agency} 历年主要数字"
    elif year:
        frame, title = compare_year(db, year, region), f"{year} 年各机关主要数字"
    else:
        err.print("[red]请给出 --agency 或 --year[/]")
        raise typer.Exit(2)
    if as_json:
        _dump(json.loads(frame.to_json(orient="records", force_ascii=False)))
    else:
        render_compare(frame, title, out)


@app.command()
def export(to: Annotated[Path, typer.Option("--to", help="输出文件：.csv .xlsx .parquet")],
           long: Annotated[bool, typer.Option("--long", help="长表：每个单元格一行")] = False,
           agency: Annotated[Optional[str], typer.Option("--agency")] = None,
           year: Annotated[Optional[int], typer.Option("--year")] = None,
           region: Annotated[Optional[str], typer.Option("--region")] = None,
           version: Annotated[Optional[str], typer.Option("--format", help="表格版本 2008/2019/2021")] = None,
           db: DbUrl = None):
    """导出库中的年报：宽表（每份报告一行）或长表（每个单元格一行）。

    示例：
      gongkai export --to 年报.xlsx
      gongkai export --to cells.parquet --long --year 2022
    """
    from gongkai.store import export as run_export

    rows = run_export(db, to, long=long, agency=agency, year=year, region=region, format=version)
    out.print(f"已导出 {rows} 行到 {to}")


@app.command()
def render(input: Annotated[Path, typer.Argument(help="报告 JSON（gongkai parse --json 的输出）")],
           to: Annotated[Path, typer.Option("--to", help="输出：.docx .html .md .txt")],
           version: Annotated[Optional[str], typer.Option("--format", help="表格版本 2019/2021")] = None,
           prose: Annotated[Optional[Path], typer.Option("--prose", help="各部分正文（TOML/JSON/Markdown）")] = None):
    """按法定格式生成年度报告（Word、网页、Markdown、文本）。

    示例：
      gongkai parse 报告.txt --json > r.json && gongkai render r.json --to 报告.docx
    """
    from gongkai.render import render_report

    data = json.loads(input.read_text("utf-8"))
    render_report(data, to, format=version, prose=prose)
    out.print(f"已生成 {to}")


@app.command()
def aggregate(reports: Annotated[list[Path], typer.Argument(help="下级机关的报告 JSON")],
              agency: Annotated[str, typer.Option("--agency", help="汇总机关名称")],
              to: Annotated[Path, typer.Option("--to", help="输出 JSON")]):
    """汇总下级机关的统计数字为一份报告；不同年度或不同表格版本拒绝汇总。

    示例：
      gongkai aggregate a.json b.json c.json --agency 某某县人民政府 --to 县汇总.json
    """
    from gongkai.render import aggregate as run_aggregate

    try:
        merged, findings = run_aggregate([json.loads(p.read_text("utf-8")) for p in reports], agency)
    except ValueError as e:
        err.print(f"[red]无法汇总[/]：{e}")
        raise typer.Exit(2)
    merged["findings"] = [f.to_dict() for f in findings]
    to.write_text(json.dumps(merged, ensure_ascii=False, indent=1), "utf-8")
    for f in findings:
        err.print(f"[yellow]{f.code}[/] {f.message}")
    out.print(f"已汇总 {len(reports)} 份报告到 {to}")


@app.command()
def damage(input: Annotated[Path, typer.Argument(help="报告 JSON")],
           shape: Annotated[str, typer.Option("--shape", help="pipes one-per-line concatenated spaces pdf-markdown word-html traditional mojibake")],
           to: Annotated[Path, typer.Option("--to", help="输出文件")],
           seed: Annotated[int, typer.Option("--seed", help="随机种子（结果可复现）")] = 0):
    """把报告写成真实年报中出现过的各种受损形态，用于测试和基准。

    示例：
      gongkai damage r.json --shape concatenated --to glued.txt --seed 1
    """
    from gongkai.render.damage import damage as run_damage

    data = run_damage(json.loads(input.read_text("utf-8")), shape, seed)
    (to.write_bytes(data) if isinstance(data, bytes) else to.write_text(data, "utf-8"))
    out.print(f"已写出 {to}")


@app.command()
def serve(db: DbUrl = None, host: Annotated[str, typer.Option("--host", help="监听地址")] = "127.0.0.1",
          port: Annotated[int, typer.Option("--port", help="端口")] = 8000,
          workers: Annotated[int, typer.Option("--workers", help="工作进程数")] = 1):
    """启动网页服务：核查年报、检索年报库、比较，以及 /api/ 下的 JSON 接口（说明见 /apidoc，OpenAPI 见 /openapi.json）。

    示例：
      gongkai serve
      gongkai serve --db postgresql+psycopg://user:pw@host/db --host 0.0.0.0 --port 8080 --workers 2
    """
    import os

    import uvicorn

    if db:
        os.environ["GONGKAI_DB"] = db  # each worker process builds the app from the environment (a factory)
    out.print(f"gongkai 网页服务：http://{host}:{port}/")
    uvicorn.run("gongkai.serve.app:from_env", factory=True, host=host, port=port, workers=workers, log_level="warning")


def _mount_workbench() -> None:
    from gongkai.workbench.cli import app as workbench_app

    app.add_typer(workbench_app, name="workbench", help="依申请公开工作台：登记、办理、期限、统计与年报。")


_mount_workbench()


def main() -> None:  # pragma: no cover - console entry
    app()
