"""Notices as DOCX (登记回执, 补正告知书, 延期答复告知书, 征求意见函, 收费通知书, 答复书, 不再处理告知书) from templates."""
from __future__ import annotations

import datetime as dt
import re
import tomllib
from functools import lru_cache
from importlib import resources
from pathlib import Path
from typing import Any, Mapping

from gongkai.workbench.engine import Request
from gongkai.workbench.errors import ActionRefused, WorkbenchError
from gongkai.workbench.events import DENIALS, OUTCOMES, PARTIES, Event

# Which notice an event produces (spec §4, documents per event).
NOTICE_FOR_ACTION = {
    "register": "receipt", "request_correction": "correction", "extend": "extension",
    "start_consultation": "consultation", "notice_fee": "fee", "answer": "answer",
    "correction_lapsed": "no_further", "fee_lapsed": "no_further",
}
REVIEW_FIRST_SINCE = dt.date(2024, 1, 1)  # 行政复议法 (2023) in force: 不予公开 → 复议前置
_FIELD = re.compile(r"\{(\w+)\}")


@lru_cache(maxsize=1)
def templates() -> dict[str, Any]:
    "The notice templates (templates/notices.toml), loaded once."
    text = resources.files("gongkai.workbench").joinpath("templates/notices.toml").read_text("utf-8")
    return tomllib.loads(text)


def _cn(d: dt.date | None) -> str:
    return f"{d.year}年{d.month}月{d.day}日" if d else ""


def remedies(outcome: str | None, on: dt.date) -> str:
    "The applicant's remedies; a 不予公开 decision since 2024-01-01 must go to 行政复议 first."
    t = templates()["remedies"]
    return t["denied"] if outcome in DENIALS and on >= REVIEW_FIRST_SINCE else t["general"]


def notice_context(req: Request, ev: Event, *, number: str, agency: str = "", applicant_name: str = "",
                   lookup_code: str = "") -> dict[str, str]:
    "The values a notice for event `ev` of request `req` is filled with."
    ctx: dict[str, str] = {
        "agency": agency, "number": number, "applicant_name": applicant_name or "申请人", "lookup_code": lookup_code,
        "received": _cn(req.received), "content": req.content or "（详见申请表）", "reason": ev.reason, "date": _cn(ev.date),
    }
    upto = Request.from_events(req.events[: ev.seq], req.calendar)  # the request as it stood after this event
    try:
        dl = upto.deadline()
        if dl:
            ctx["deadline"], ctx["deadline_text"] = _cn(dl.due), dl.text()
    except WorkbenchError as e:  # a year beyond the calendar: the notice says so instead of a date
        ctx["deadline_text"] = e.message
    d = ev.data
    if ev.action == "request_correction":
        ctx["correction_period"] = str(upto.correction_period)
        ctx["correction_period_end"] = _cn(upto.correction_period_end())
    if ev.action == "extend":
        ctx["days"] = str(d.get("days", 20))
    if ev.action == "start_consultation":
        party = d.get("party", "third_party")
        c = next(c for c in upto.consultations if c.ref == str(d.get("ref")))
        ctx["party_label"] = str(d.get("party_name") or PARTIES[party])
        ctx["consultation_limit"] = _cn(upto.consultation_limit(c))
        ctx["consultation_article"] = "第三十二条" if party == "third_party" else "第三十四条"
        ctx["silence_rule"] = ("逾期未提出意见的，由本机关依照条例的规定决定是否公开。" if party == "third_party"
                               else "逾期未提出意见的，视为同意公开。")
    if ev.action == "notice_fee":
        ctx["amount"] = str(d.get("amount", ""))
        ctx["pay_by"] = _cn(upto.pay_by())
        ctx["fee_basis"] = (f"按件计收：本月第{d['nth']}件申请。" if "nth" in d
                            else f"按量计收：共{d['pages']}页。" if "pages" in d else "")
    if ev.action == "answer":
        outcome = str(d.get("outcome"))
        ctx["outcome_text"] = templates()["outcomes"].get(outcome, OUTCOMES[outcome][0])
        ctx["basis"] = OUTCOMES[outcome][1].removeprefix("条例") or "有关规定"
        ctx["remedies"] = remedies(outcome, ev.date)
    if ev.action in ("correction_lapsed", "fee_lapsed"):
        ctx["lapse_text"] = ("经本机关告知补正，您无正当理由逾期未补正，" if ev.action == "correction_lapsed"
                             else "经本机关发出收费通知，您逾期未缴纳信息处理费，")
        ctx["basis"] = ("《中华人民共和国政府信息公开条例》第三十条" if ev.action == "correction_lapsed"
                        else "《政府信息公开信息处理费管理办法》")
        ctx["remedies"] = remedies(None, ev.date)
    return ctx


def fill(kind: str, ctx: Mapping[str, str]) -> tuple[str, list[str]]:
    "Title and paragraphs of a notice; a paragraph is dropped when one of its fields has no value."
    t = templates().get(kind)
    if t is None or "paragraphs" not in t:
        raise ActionRefused("workbench.input.value", field="notice", value=kind,
                            allowed="、".join(k for k, v in templates().items() if "paragraphs" in v))
    out = []
    for p in t["paragraphs"]:
        names = _FIELD.findall(p)
        if all(ctx.get(n) for n in names if n not in ("reason", "deadline_text", "fee_basis")):
            out.append(_FIELD.sub(lambda m: ctx.get(m.group(1), ""), p))
    return t["title"], out


def write_docx(title: str, paragraphs: list[str], path: str | Path, *, agency: str = "", number: str = "",
               on: dt.date | None = None) -> Path:
    "Write one notice as DOCX: agency, title, 文号 line, body, date and seal line."
    from docx import Document
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    doc = Document()
    if agency:
        doc.add_paragraph(agency).alignment = WD_ALIGN_PARAGRAPH.CENTER
    doc.add_heading(title, level=1).alignment = WD_ALIGN_PARAGRAPH.CENTER
    if number:
        doc.add_paragraph(f"申请编号：{number}").alignment = WD_ALIGN_PARAGRAPH.RIGHT
    for p in paragraphs:
        doc.add_paragraph(p)
    for line in (agency or "（行政机关名称）", "（印章）", _cn(on)):
        if line:
            doc.add_paragraph(line).alignment = WD_ALIGN_PARAGRAPH.RIGHT
    out = Path(path)
    doc.save(str(out))
    return out


def render_notice(req: Request, seq: int, path: str | Path, *, number: str, agency: str = "",
                  applicant_name: str = "", lookup_code: str = "") -> Path:
    "The notice that event `seq` of the request calls for, written to `path` as DOCX."
    ev = req.events[seq - 1]
    kind = NOTICE_FOR_ACTION.get(ev.action)
    if kind is None:
        raise ActionRefused("workbench.input.value", field="action", value=ev.action,
                            allowed="、".join(NOTICE_FOR_ACTION))
    ctx = notice_context(req, ev, number=number, agency=agency, applicant_name=applicant_name, lookup_code=lookup_code)
    title, paragraphs = fill(kind, ctx)
    return write_docx(title, paragraphs, path, agency=agency, number=number, on=ev.date)
