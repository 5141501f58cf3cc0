"""Staff pages and their JSON twins: the queue, registering, a request with its timeline and actions, the year's tables."""
from __future__ import annotations

import datetime as dt
import logging
from typing import Any

from fastapi import APIRouter, Depends, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session
from starlette.datastructures import FormData

from gongkai.workbench import service
from gongkai.workbench.errors import ActionRefused, ConflictError, WorkbenchError
from gongkai.workbench.events import ACTIONS, APPLICANTS, CHANNELS, OUTCOMES
from gongkai.workbench.stats import APPEAL_KINDS, APPEAL_RESULTS, RESULT_ROWS, identity_breaks
from gongkai.workbench.store import StaffUser
from gongkai.workbench.web.deps import check_csrf, db, may, page, redirect, staff, today, visitor
from gongkai.workbench.web.forms import ACTION_FIELDS, form_data
from gongkai.workbench.web.sessions import Visit

log = logging.getLogger("gongkai.workbench.web")
router = APIRouter()
HIDDEN = frozenset({"register", "import_conclusion"})  # not taken from the request page


async def form(request: Request) -> FormData:
    return await request.form()


# ---- views as data (the pages render them; the API returns them) -------------------------------------------
def queue_view(session: Session, on: dt.date) -> dict[str, Any]:
    return {"today": on.isoformat(), "items": service.queue(session, on)}


def request_view(session: Session, number: str, user: StaffUser, on: dt.date) -> dict[str, Any]:
    "A request without personal data: summary, explained deadlines, timeline, and the actions this user may take."
    row = service.get_row(session, number)
    req = service.load(session, number)
    timeline = []
    for ev in service.history(session, number):
        data = dict(ev["data"])
        if "outcome" in data:
            data["outcome"] = OUTCOMES.get(data["outcome"], (data["outcome"],))[0]
        timeline.append({**ev, "label": ACTIONS.get(ev["action"], ev["action"]), "data": data})
    return {"number": row.number, "version": row.version, "content": row.content,
            "applicant_label": APPLICANTS.get(row.applicant_type, row.applicant_type),
            "channel_label": CHANNELS.get(row.channel, row.channel), "summary": req.summary(on),
            "timeline": timeline,
            "actions": [a for a in req.allowed_actions() if a not in HIDDEN and may(user, a)]}


def stats_view(session: Session, year: int, fmt: str) -> dict[str, Any]:
    cells = service.year_cells(session, year, fmt)
    labels = {"new": "本年新收", "carried_over": "上年结转", "total": "总计", "carried_forward": "结转下年度",
              "other": "其他处理", **{k: v[0] for k, v in OUTCOMES.items()}}
    rows = ("new", "carried_over", *RESULT_ROWS[fmt], "total", "carried_forward")
    return {"year": year, "format": fmt, "cells": cells, "breaks": identity_breaks(cells, fmt),
            "rows": [(r, labels[r]) for r in rows],
            "columns": [*APPLICANTS.items(), ("total", "总计")],
            "appeal_kinds": [(k, {"review": "行政复议", "suit_direct": "未经复议直接起诉",
                                  "suit_after_review": "复议后起诉"}[k]) for k in APPEAL_KINDS],
            "appeal_columns": [*zip(APPEAL_RESULTS, ("结果维持", "结果纠正", "其他结果")), ("pending", "尚未审结"),
                               ("total", "总计")]}


# ---- pages ------------------------------------------------------------------------------------------------
@router.get("/workbench/")
def queue_page(request: Request, on: str | None = None, session: Session = Depends(db),
               v: Visit = Depends(visitor), user: StaffUser = Depends(staff)) -> Response:
    return page(request, v, "workbench/queue.html", {**queue_view(session, today(on)), "may_register": may(user, "register")})


@router.get("/workbench/new")
def new_form(request: Request, v: Visit = Depends(visitor), user: StaffUser = Depends(staff)) -> Response:
    return page(request, v, "workbench/new.html", {"channels": CHANNELS, "applicants": APPLICANTS,
                                                   "today": dt.date.today().isoformat(), "error": None})


@router.post("/workbench/new")
def register(request: Request, f: FormData = Depends(form), session: Session = Depends(db),
             v: Visit = Depends(visitor), user: StaffUser = Depends(staff)) -> Response:
    check_csrf(v, f.get("csrf"))
    get = lambda k: str(f.get(k) or "").strip() or None  # noqa: E731
    person = service.Applicant(get("name"), get("id_number"), get("phone"), get("address"))
    try:
        row, code = service.register(session, today(get("on")), channel=get("channel") or "", staff=user,
                                     applicant_type=get("applicant_type") or "", content=get("content") or "",
                                     applicant=person, arrived=get("arrived"), confirmed=get("confirmed"),
                                     signed=get("signed"))
        session.commit()
    except WorkbenchError as e:
        session.rollback()
        return page(request, v, "workbench/new.html", {"channels": CHANNELS, "applicants": APPLICANTS,
                                                       "today": get("on") or "", "error": e.message}, 422)
    # The code is shown once, here: only its hash is stored.
    return page(request, v, "workbench/receipt.html", {"number": row.number, "code": code})


@router.get("/workbench/r/{number:path}")
def request_page(request: Request, number: str, on: str | None = None, done: str | None = None,
                 session: Session = Depends(db), v: Visit = Depends(visitor),
                 user: StaffUser = Depends(staff)) -> Response:
    return _request_page(request, session, v, user, number, on, done=ACTIONS.get(done or ""))


def _request_page(request: Request, session: Session, v: Visit, user: StaffUser, number: str, on: str | None,
                  status: int = 200, **extra: Any) -> Response:
    view = request_view(session, number, user, today(on))
    ctx = {**view, "fields": ACTION_FIELDS, "action_labels": ACTIONS, "today": today(on).isoformat(),
           "applicant": None, "error": None, "done": None, **extra}
    return page(request, v, "workbench/request.html", ctx, status)


@router.post("/workbench/act")
def act(request: Request, f: FormData = Depends(form), session: Session = Depends(db),
        v: Visit = Depends(visitor), user: StaffUser = Depends(staff)) -> Response:
    "One action from the request page; the version the page showed guards against a colleague's newer change."
    check_csrf(v, f.get("csrf"))
    number, action, version = str(f.get("number") or ""), str(f.get("action") or ""), str(f.get("version") or "")
    if not version.isdigit():
        raise ActionRefused("workbench.web.integer", field="version", value=version)
    try:
        service.act(session, number, action, today(str(f.get("on") or "") or None), staff=user,
                    expected_version=int(version), reason=str(f.get("reason") or "").strip(), **form_data(action, f))
    except ConflictError as e:
        session.rollback()
        return _request_page(request, session, v, user, number, None, 409, error=e.message)
    except WorkbenchError as e:
        session.rollback()
        status = 403 if e.code == "workbench.role" else 422
        return _request_page(request, session, v, user, number, None, status, error=e.message)
    return redirect(request, v, f"/workbench/r/{number}?done={action}")


@router.post("/workbench/applicant")
def applicant(request: Request, f: FormData = Depends(form), session: Session = Depends(db),
              v: Visit = Depends(visitor), user: StaffUser = Depends(staff)) -> Response:
    "The applicant's personal data, shown on purpose and logged (追溯): who, which request, why, when."
    check_csrf(v, f.get("csrf"))
    number, purpose = str(f.get("number") or ""), str(f.get("purpose") or "").strip()
    data = service.applicant_data(session, number, user, purpose=purpose)
    log.info("查看申请人信息：申请 %s，工作人员 %s", number, user.username)
    return _request_page(request, session, v, user, number, None, applicant=data)


@router.get("/workbench/stats")
def stats_page(request: Request, year: int | None = None, format: str = "2021", session: Session = Depends(db),
               v: Visit = Depends(visitor), user: StaffUser = Depends(staff)) -> Response:
    return page(request, v, "workbench/stats.html", stats_view(session, year or dt.date.today().year, format))


# ---- JSON twins -------------------------------------------------------------------------------------------
@router.get("/api/workbench/queue")
def queue_json(on: str | None = None, session: Session = Depends(db), user: StaffUser = Depends(staff)) -> dict:
    return queue_view(session, today(on))


@router.get("/api/workbench/requests/{number:path}")
def request_json(number: str, on: str | None = None, session: Session = Depends(db),
                 user: StaffUser = Depends(staff)) -> dict:
    return request_view(session, number, user, today(on))


@router.get("/api/workbench/stats")
def stats_json(year: int, format: str = "2021", session: Session = Depends(db),
               user: StaffUser = Depends(staff)) -> dict:
    return stats_view(session, year, format)
