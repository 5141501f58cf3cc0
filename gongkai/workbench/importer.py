"""Import existing requests from CSV/XLSX (one row per request) so an agency can start mid-year."""
from __future__ import annotations

import csv
from pathlib import Path
from typing import Any, Iterable, Mapping

from sqlalchemy import select
from sqlalchemy.orm import Session

from gongkai.workbench.calendar import WorkCalendar, default_calendar
from gongkai.workbench.engine import Request
from gongkai.workbench.errors import ActionRefused, WorkbenchError, message
from gongkai.workbench.events import APPLICANTS, CHANNELS, OUTCOMES, parse_date
from gongkai.workbench.store import EventRow, RequestRow
from gongkai.workbench.service import refresh_summary

# Header names accepted for each field: the id, or the Chinese a spreadsheet would use.
HEADERS = {
    "number": ("number", "申请编号", "编号"),
    "applicant": ("applicant", "申请人类型", "申请人情况"),
    "channel": ("channel", "申请方式", "渠道"),
    "received": ("received", "收到申请日期", "收到日期", "受理日期"),
    "concluded": ("concluded", "办结日期", "答复日期"),
    "outcome": ("outcome", "办理结果", "答复结果"),
    "withdrawn": ("withdrawn", "撤回"),
    "content": ("content", "申请内容"),
}
# Chinese labels → ids; outcomes by their table label after the colon as well as the full label.
LABELS = {
    "applicant": {**{v: k for k, v in APPLICANTS.items()}, "法人或其他组织": "other_org"},
    "channel": {**{v: k for k, v in CHANNELS.items()}, "当面": "in_person", "信函": "post_unsigned",
                "网络": "online", "网上": "online"},
    "outcome": {**{v[0]: k for k, v in OUTCOMES.items()}, **{v[0].split("：")[-1]: k for k, v in OUTCOMES.items()}},
}
YES = {"1", "true", "yes", "是", "y"}


def read_rows(path: str | Path) -> list[dict[str, Any]]:
    "Rows of a CSV (UTF-8, with or without BOM) or XLSX (first sheet) file as dicts keyed by header."
    p = Path(path)
    suffix = p.suffix.lower()
    if suffix == ".csv":
        with p.open(encoding="utf-8-sig", newline="") as f:
            return list(csv.DictReader(f))
    if suffix == ".xlsx":
        from openpyxl import load_workbook

        ws = load_workbook(p, read_only=True, data_only=True).worksheets[0]
        it = ws.iter_rows(values_only=True)
        header = [str(h or "").strip() for h in next(it, [])]
        return [dict(zip(header, r)) for r in it if any(v not in (None, "") for v in r)]
    raise ActionRefused("workbench.import.format", suffix=suffix or "（无）")


def _field(row: Mapping[str, Any], name: str) -> Any:
    for h in HEADERS[name]:
        v = row.get(h)
        if v not in (None, ""):
            return v.strip() if isinstance(v, str) else v
    return None


def _id(kind: str, value: Any, allowed: Mapping[str, Any]) -> str:
    v = str(value).strip()
    if v in allowed:
        return v
    if v in LABELS[kind]:
        return LABELS[kind][v]
    raise ActionRefused("workbench.input.value", field=kind, value=v, allowed="、".join(allowed))


def row_to_request(row: Mapping[str, Any], calendar: WorkCalendar) -> tuple[Request, str | None, str]:
    "Check one row and build its request: registered on `received`, concluded by `import_conclusion`."
    received = _field(row, "received")
    if received is None:
        raise ActionRefused("workbench.input.field", field="received（收到申请日期）")
    applicant = _id("applicant", _field(row, "applicant") or "", APPLICANTS)
    channel = _id("channel", _field(row, "channel") or "in_person", CHANNELS)
    req = Request(calendar)
    on = parse_date(received)
    req.act("register", on, actor="导入", channel=channel, applicant=applicant, received=on.isoformat(),
            confirmed=on.isoformat() if channel == "post_unsigned" else None, content=_field(row, "content") or "")
    concluded, outcome = _field(row, "concluded"), _field(row, "outcome")
    withdrawn = str(_field(row, "withdrawn") or "").lower() in YES
    if concluded is not None or outcome is not None or withdrawn:
        if concluded is None:
            raise ActionRefused("workbench.input.field", field="concluded（办结日期）")
        oid = "other_misc" if withdrawn and outcome is None else _id("outcome", outcome or "", OUTCOMES)
        req.act("import_conclusion", parse_date(concluded), actor="导入", outcome=oid, withdrawn=withdrawn or None)
    number = _field(row, "number")
    return req, (str(number) if number is not None else None), str(_field(row, "content") or "")


def import_rows(session: Session, rows: Iterable[Mapping[str, Any]], calendar: WorkCalendar | None = None
                ) -> tuple[int, list[str]]:
    """Store every good row; return how many were stored and a Chinese message for each row left out.

    Idempotent: a row whose 申请编号 is already in the database is skipped.
    """
    cal = calendar or default_calendar()
    stored, problems = 0, []
    for i, row in enumerate(rows, start=2):  # row 1 is the header
        try:
            req, number, content = row_to_request(row, cal)
        except WorkbenchError as e:
            problems.append(message("workbench.import.row", row=i, detail=e.message))
            continue
        if number and session.scalar(select(RequestRow.id).where(RequestRow.number == number)):
            problems.append(message("workbench.import.row", row=i, detail=f"申请编号 {number} 已存在，跳过"))
            continue
        db_row = RequestRow(number=number or f"import-{i}-{id(req)}", lookup_hash="",  # no 查询码 until issued
                            applicant_type=req.applicant or "other_org", channel=req.channel or "in_person",
                            content=content)
        refresh_summary(db_row, req)
        db_row.events.extend(EventRow.from_event(ev) for ev in req.events)
        session.add(db_row)
        session.flush()
        if not number:
            db_row.number = f"{req.received.year if req.received else 0}-{db_row.id:06d}"
        stored += 1
    session.commit()
    return stored, problems


def import_file(session: Session, path: str | Path, calendar: WorkCalendar | None = None) -> tuple[int, list[str]]:
    return import_rows(session, read_rows(path), calendar)
