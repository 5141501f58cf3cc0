"""Staff login and logout pages: argon2 passwords, a new session token at login, failures throttled."""
from __future__ import annotations

import logging

from fastapi import APIRouter, Depends, Form, Request
from fastapi.responses import Response
from sqlalchemy.orm import Session

from gongkai.workbench import service
from gongkai.workbench.errors import ActionRefused
from gongkai.workbench.web import sessions
from gongkai.workbench.web.deps import WebRefused, check_csrf, db, page, redirect, visitor
from gongkai.workbench.web.sessions import Limit, Visit

log = logging.getLogger("gongkai.workbench.web")
router = APIRouter()
LOGIN_LIMIT = Limit(failures=5, minutes=15)        # per user name: slows password guessing to a crawl
LOGIN_IP_LIMIT = Limit(failures=20, minutes=15)    # per address: many names from one place


def _limits(request: Request, username: str) -> dict[str, Limit]:
    client = request.client.host if request.client else "-"
    return {f"login-user:{username}": LOGIN_LIMIT, f"login-ip:{client}": LOGIN_IP_LIMIT}


@router.get("/workbench/login")
def login_form(request: Request, v: Visit = Depends(visitor)) -> Response:
    return page(request, v, "workbench/login.html", {"error": None})


@router.post("/workbench/login")
def login(request: Request, username: str = Form(""), password: str = Form(""), csrf: str = Form(""),
          session: Session = Depends(db), v: Visit = Depends(visitor)) -> Response:
    check_csrf(v, csrf)
    limits = _limits(request, username)
    if sessions.throttled(session, v, limits):
        raise WebRefused(429, "workbench.web.throttled", minutes=LOGIN_LIMIT.minutes)
    try:
        user = service.authenticate(session, username, password)
    except ActionRefused as e:
        sessions.note_failure(session, v, limits)
        log.info("工作台登录失败：%s", username)
        return page(request, v, "workbench/login.html", {"error": e.message}, 401)
    sessions.log_in(session, v, user)
    log.info("工作台登录：%s（%s）", user.username, service.ROLES[user.role])
    return redirect(request, v, "/workbench/")


@router.post("/workbench/logout")
def logout(request: Request, csrf: str = Form(""), session: Session = Depends(db),
           v: Visit = Depends(visitor)) -> Response:
    check_csrf(v, csrf)
    sessions.end(session, v)
    return redirect(request, v, "/workbench/login")
