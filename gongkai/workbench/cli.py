"""`gongkai workbench`: the request workbench from the command line; each command calls one library function."""
from __future__ import annotations

import datetime as dt
import json
import sys
from contextlib import contextmanager
from pathlib import Path
from typing import Annotated, Any, Iterator, Optional

import typer

from gongkai.workbench.errors import WorkbenchError

app = typer.Typer(help="依申请公开工作台：登记、办理、期限、统计、答复文书。", no_args_is_help=True,
                  rich_markup_mode=None)

Db = Annotated[Optional[str], typer.Option("--db", help="数据库 URL 或 SQLite 文件路径；默认取环境变量 GONGKAI_DB，否则为 gongkai.db")]
On = Annotated[Optional[str], typer.Option("--on", help="日期 YYYY-MM-DD，默认今天")]
Json = Annotated[bool, typer.Option("--json", help="输出 JSON")]
Actor = Annotated[str, typer.Option("--actor", help="经办人（记入日志）")]
Year = Annotated[int, typer.Option("--year", help="报告年度")]
Fmt = Annotated[str, typer.Option("--format", help="年度报告格式：2021（默认）或 2019")]


def _fail(msg: str, code: int = 1) -> None:
    typer.echo(f"错误：{msg}", err=True)
    raise typer.Exit(code)


@contextmanager
def _session(db: str | None) -> Iterator[Any]:
    from gongkai.workbench.db import make_sessionmaker

    try:
        with make_sessionmaker(db)() as session:
            yield session
    except WorkbenchError as e:
        _fail(e.message)


def _today(on: str | None) -> dt.date:
    return dt.date.fromisoformat(on) if on else dt.date.today()


def _value(v: str) -> Any:
    "`--set` values: integers stay integers, true/false booleans, the rest strings."
    if v.lstrip("-").isdigit():
        return int(v)
    return {"true": True, "false": False}.get(v.lower(), v)


def _print_json(obj: Any) -> None:
    typer.echo(json.dumps(obj, ensure_ascii=False, indent=2))


@app.command()
def register(
    channel: Annotated[str, typer.Option(help="申请渠道：in_person、post_signed、post_unsigned、online、fax")],
    applicant: Annotated[str, typer.Option(help="申请人类型：natural、commercial、research、social、legal、other_org")],
    on: On = None, content: Annotated[str, typer.Option(help="申请内容")] = "",
    name: Annotated[Optional[str], typer.Option(help="申请人姓名/名称（个人信息，不写入日志）")] = None,
    id_number: Annotated[Optional[str], typer.Option(help="证件号码（个人信息）")] = None,
    phone: Annotated[Optional[str], typer.Option(help="联系电话（个人信息）")] = None,
    address: Annotated[Optional[str], typer.Option(help="通讯地址（个人信息）")] = None,
    arrived: Annotated[Optional[str], typer.Option(help="平常信函到达日期")] = None,
    confirmed: Annotated[Optional[str], typer.Option(help="与申请人确认收到申请的日期（平常信函、网络、传真）")] = None,
    signed: Annotated[Optional[str], typer.Option(help="挂号信/EMS 签收日期")] = None,
    actor: Actor = "管理员", db: Db = None,
) -> None:
    """登记一件政府信息公开申请，输出申请编号、查询码和答复期限。

    示例：

    
      gongkai workbench register --channel online --applicant natural --on 2025-03-10 --content "2024年预算"
    """
    from gongkai.workbench import service

    with _session(db) as s:
        row, code = service.register(s, _today(on), channel=channel, applicant_type=applicant, content=content,
                                     applicant=service.Applicant(name, id_number, phone, address), actor=actor,
                                     arrived=arrived, confirmed=confirmed, signed=signed)
        s.commit()
        summary = service.load(s, row.number).summary()
    typer.echo(f"申请编号：{row.number}\n查询码：{code}\n状态：{summary['state_label']}")
    typer.echo(f"答复期限：{summary['deadline']['text'] if summary['deadline'] else '（暂不计算）'}")
    for err in summary["errors"]:
        typer.echo(f"注意：{err}", err=True)


@app.command()
def act(
    number: Annotated[str, typer.Argument(help="申请编号")],
    action: Annotated[str, typer.Argument(help="操作：request_correction、receive_correction、extend、answer 等")],
    on: On = None,
    set_: Annotated[Optional[list[str]], typer.Option("--set", help="操作参数 KEY=VALUE，可重复，如 outcome=granted")] = None,
    reason: Annotated[str, typer.Option(help="理由（记入日志）")] = "",
    version: Annotated[Optional[int], typer.Option(help="您看到的版本号；已被他人更新时拒绝保存")] = None,
    actor: Actor = "管理员", db: Db = None,
) -> None:
    """对一件申请执行一项操作（写入日志），输出新状态、期限和提示。

    示例：

    
      gongkai workbench act 2025-000001 extend --on 2025-03-28 --set days=10 --reason "需调档查阅"
      gongkai workbench act 2025-000001 answer --on 2025-04-01 --set outcome=partial
    """
    from gongkai.workbench import service

    data = {}
    for kv in set_ or []:
        key, sep, val = kv.partition("=")
        if not sep:
            _fail(f"--set 的格式应为 KEY=VALUE：{kv}")
        data[key.strip()] = _value(val.strip())
    with _session(db) as s:
        row, flags = service.act(s, number, action, _today(on), actor=actor, reason=reason,
                                 expected_version=version, **data)
        summary = service.load(s, number).summary()
    typer.echo(f"{row.number}：{summary['state_label']}（第 {row.version} 版）")
    if summary["deadline"]:
        typer.echo(f"答复期限：{summary['deadline']['text']}")
    for f in flags:
        typer.echo(f"警示：{f['message']}", err=True)


@app.command()
def queue(on: On = None, json_: Json = False, db: Db = None) -> None:
    """待办队列：按答复期限排序，标出已逾期和3个工作日内到期的申请。

    示例：

    
      gongkai workbench queue --on 2025-04-01
    """
    from gongkai.workbench import service

    with _session(db) as s:
        items = service.queue(s, _today(on))
    if json_:
        return _print_json(items)
    for it in items:
        mark = "【逾期】" if it["overdue"] else "【将到期】" if it["due_soon"] else ""
        due = it["deadline"]["due"] if it["deadline"] else "—"
        typer.echo(f"{mark}{it['number']}\t{it['state_label']}\t期限 {due}")


@app.command()
def stats(year: Year, fmt: Fmt = "2021", json_: Json = False, db: Db = None) -> None:
    """按办理记录生成年度报告表三（申请情况）和表四（复议、诉讼情况）。

    示例：

    
      gongkai workbench stats --year 2025 --json
    """
    from gongkai.workbench import service
    from gongkai.workbench.stats import identity_breaks

    with _session(db) as s:
        cells = service.year_cells(s, year, fmt)
    if json_:
        return _print_json(cells)
    for cid, n in cells.items():
        if n:
            typer.echo(f"{cid}\t{n}")
    breaks = identity_breaks(cells, fmt)
    typer.echo("勾稽关系：全部成立" if not breaks else "勾稽关系不成立：" + "；".join(breaks))


@app.command()
def replay(cases: Annotated[Path, typer.Argument(help="场景文件（JSON 列表）", exists=True, dir_okay=False)]) -> None:
    """回放场景（不连接数据库），输出每个场景的状态、期限、补正告知期限、办理结果和错误（JSON）。

    示例：

    
      gongkai workbench replay tests/fixtures/workbench/spec_cases.json
    """
    from gongkai.workbench.replay import replay as run

    try:
        data = json.loads(cases.read_text(encoding="utf-8"))
    except ValueError as e:
        return _fail(f"场景文件不是有效的 JSON：{e}")
    if not isinstance(data, list):
        return _fail("场景文件应为 JSON 列表")
    _print_json(run(data))


@app.command("import")
def import_(file: Annotated[Path, typer.Argument(help="CSV 或 XLSX 文件，每行一件申请", exists=True, dir_okay=False)],
            db: Db = None) -> None:
    """导入已有申请（每行一件：申请人类型、收到日期、办结日期、办理结果等），便于年中启用。

    列名可用：申请编号、申请人类型、申请方式、收到申请日期、办结日期、办理结果、撤回、申请内容。

    示例：

    
      gongkai workbench import 2025上半年申请.xlsx --db gongkai.db
    """
    from gongkai.workbench.importer import import_file

    with _session(db) as s:
        stored, problems = import_file(s, file)
    typer.echo(f"已导入 {stored} 件申请")
    for p in problems:
        typer.echo(p, err=True)
    if problems:
        raise typer.Exit(1)


@app.command()
def appeal(
    kind: Annotated[str, typer.Argument(help="类别：review（行政复议）、suit_direct（直接起诉）、suit_after_review（复议后起诉）")],
    filed: Annotated[str, typer.Option(help="受理/立案日期")],
    concluded: Annotated[Optional[str], typer.Option(help="审结日期")] = None,
    result: Annotated[Optional[str], typer.Option(help="结果：upheld（维持）、corrected（纠正）、other（其他）")] = None,
    request: Annotated[Optional[str], typer.Option(help="所涉申请编号")] = None,
    db: Db = None,
) -> None:
    """登记一件政府信息公开行政复议或行政诉讼案件（用于表四）。

    示例：

    
      gongkai workbench appeal review --filed 2025-05-06 --concluded 2025-07-01 --result upheld --request 2025-000001
    """
    from gongkai.workbench import service

    with _session(db) as s:
        row, flags = service.add_appeal(s, kind, filed, concluded=concluded, result=result, request=request)
    typer.echo(f"已登记案件 {row.id}")
    for f in flags:
        typer.echo(f"警示：{f['message']}", err=True)


@app.command()
def notice(number: Annotated[str, typer.Argument(help="申请编号")],
           seq: Annotated[int, typer.Argument(help="日志序号（第几个事件）")],
           to: Annotated[Path, typer.Option("--to", help="输出 DOCX 文件")],
           agency: Annotated[str, typer.Option(help="行政机关名称")] = "", db: Db = None) -> None:
    """为某一事件生成告知文书（登记回执、补正告知书、延期答复告知书、征求意见函、收费通知书、答复书）。

    示例：

    
      gongkai workbench notice 2025-000001 1 --to 回执.docx --agency "某某市人民政府办公室"
    """
    from gongkai.workbench import service
    from gongkai.workbench.documents import render_notice

    with _session(db) as s:
        row = service.get_row(s, number)
        path = render_notice(service.load(s, number), seq, to, number=number, agency=agency,
                             applicant_name=row.applicant_name or "")
    typer.echo(f"已生成 {path}")


@app.command()
def report(year: Year, to: Annotated[Path, typer.Option("--to", help="输出文件，如 report.docx")],
           fmt: Fmt = "2021", agency: Annotated[str, typer.Option(help="行政机关名称")] = "", db: Db = None) -> None:
    """按办理记录生成表三、表四，并交给报告生成器输出年度报告。

    示例：

    
      gongkai workbench report --year 2025 --to 2025年度报告.docx
    """
    from gongkai.workbench import service

    try:
        from gongkai.render import render_report
    except ImportError as e:
        return _fail(f"报告生成模块（gongkai.render）不可用，无法生成年度报告：{e}")
    with _session(db) as s:
        cells = service.year_cells(s, year, fmt)
    report_dict = {"meta": {"year": year, "format": fmt, "agency": agency, "source": "gongkai workbench"},
                   "cells": cells}
    render_report(report_dict, to)
    typer.echo(f"已生成 {to}")


user_app = typer.Typer(help="工作人员账号：添加、列出。", no_args_is_help=True, rich_markup_mode=None)
app.add_typer(user_app, name="user")


@user_app.command("add")
def user_add(
    username: Annotated[str, typer.Argument(help="登录名")],
    role: Annotated[str, typer.Option(help="角色：登记、承办、审核、管理（或 registrar、handler、reviewer、admin）")],
    display_name: Annotated[str, typer.Option(help="姓名（显示用）")] = "",
    password: Annotated[str, typer.Option(prompt="密码", hide_input=True, confirmation_prompt="再次输入密码",
                                          show_default=False, help="密码；不给出时提示输入（不回显）")] = "",
    db: Db = None,
) -> None:
    """添加一名工作人员（已存在则不作更改），密码以 argon2 散列保存。

    示例：

    
      gongkai workbench user add zhangsan --role 审核
    """
    from gongkai.workbench import service

    with _session(db) as s:
        user, created = service.ensure_staff(s, username, password, role, display_name)
    label = service.ROLES[user.role]
    typer.echo(f"已添加用户 {username}（{label}）" if created else f"用户 {username} 已存在（{label}），未作更改")


@user_app.command("list")
def user_list(db: Db = None) -> None:
    """列出工作人员账号及其角色。

    示例：

    
      gongkai workbench user list
    """
    from gongkai.workbench import service

    with _session(db) as s:
        for u in service.staff_list(s):
            typer.echo(f"{u.username}\t{service.ROLES[u.role]}\t{'启用' if u.active else '停用'}\t{u.display_name}")


def main() -> None:  # pragma: no cover - `python -m gongkai.workbench.cli`
    app()


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
