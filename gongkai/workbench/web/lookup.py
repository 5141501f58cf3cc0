"""The applicant's lookup: request number + 查询码 → status and dates only; failures throttled per address and number."""
from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Body, Depends, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from gongkai.workbench import service
from gongkai.workbench.web import sessions
from gongkai.workbench.web.deps import WebRefused, check_csrf, db, page, visitor
from gongkai.workbench.web.sessions import Limit, Visit

router = APIRouter()
# 10 wrong tries per address in 15 minutes and per request number in an hour: with 31^10 possible codes a
# guesser needs ~10^13 hours per request, and spreading over many addresses does not help against one number.
IP_LIMIT = Limit(failures=10, minutes=15)
NUMBER_LIMIT = Limit(failures=10, minutes=60)


def lookup(request: Request, session: Session, v: Visit, number: str, code: str) -> dict[str, Any]:
    "Status and dates of a request, or a refusal that does not say whether the number exists."
    number, code = number.strip(), code.strip().upper()
    client = request.client.host if request.client else "-"
    limits = {f"lookup-ip:{client}": IP_LIMIT, f"lookup-no:{number}": NUMBER_LIMIT}
    if sessions.throttled(session, v, limits):
        raise WebRefused(429, "workbench.web.throttled", minutes=IP_LIMIT.minutes)
    seen = service.lookup(session, number, code) if number and code else None
    if seen is None:
        sessions.note_failure(session, v, limits)
        raise WebRefused(404, "workbench.web.lookup")
    return seen


@router.get("/lookup")
def lookup_form(request: Request, v: Visit = Depends(visitor)) -> Response:
    return page(request, v, "workbench/lookup.html", {"result": None, "error": None})


@router.post("/lookup")
def lookup_page(request: Request, number: str = Form(""), code: str = Form(""), csrf: str = Form(""),
                session: Session = Depends(db), v: Visit = Depends(visitor)) -> Response:
    check_csrf(v, csrf)
    try:
        seen = lookup(request, session, v, number, code)
    except WebRefused as e:
        return page(request, v, "workbench/lookup.html", {"result": None, "error": e.message}, e.status)
    return page(request, v, "workbench/lookup.html", {"result": seen, "error": None})


@router.post("/api/workbench/lookup")
def lookup_json(request: Request, number: str = Body(""), code: str = Body(""), session: Session = Depends(db),
                v: Visit = Depends(visitor)) -> dict[str, Any]:
    "JSON {number, code} → the same status and dates as the page; no cookie or CSRF token needed."
    return lookup(request, session, v, number, code)
