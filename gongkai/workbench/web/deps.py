"""What every workbench route needs: a database session, the visitor, the staff member, rendering and refusals."""
from __future__ import annotations

import datetime as dt
from functools import lru_cache
from pathlib import Path
from typing import Any, Iterator

from fastapi import Depends, Request
from fastapi.responses import JSONResponse, RedirectResponse, Response
from fastapi.templating import Jinja2Templates
from sqlalchemy.orm import Session

from gongkai.store.db import default_url
from gongkai.workbench.db import make_sessionmaker
from gongkai.workbench.errors import WorkbenchError
from gongkai.workbench.events import parse_date
from gongkai.workbench.service import ROLE_ACTIONS
from gongkai.workbench.store import ROLES, StaffUser
from gongkai.workbench.web import sessions
from gongkai.workbench.web.sessions import Visit

HERE = Path(__file__).resolve().parent
SERVE_TEMPLATES = HERE.parents[1] / "serve" / "templates"


class WebRefused(WorkbenchError):
    "A request the pages turn away (not logged in, wrong role, bad CSRF token, too many attempts), with a status."

    def __init__(self, status: int, code: str, **facts: Any):
        super().__init__(code, **facts)
        self.status = status


@lru_cache(maxsize=1)
def _own_templates() -> Jinja2Templates:
    # Only when mounted on a bare FastAPI (tests): the web app normally hands its own loader over both folders.
    return Jinja2Templates(directory=[HERE / "templates", SERVE_TEMPLATES])


def templates(request: Request) -> Jinja2Templates:
    return getattr(request.app.state, "templates", None) or _own_templates()


def db(request: Request) -> Iterator[Session]:
    "A session on the app's database (app.state.db_url, else the default store)."
    url = getattr(request.app.state, "db_url", None) or default_url()
    with make_sessionmaker(url)() as session:
        yield session


def visitor(request: Request, session: Session = Depends(db)) -> Visit:
    v = sessions.visit(session, request.cookies.get(sessions.COOKIE))
    request.state.visit = v  # for the refusal handler, which sets the cookie too
    return v


def staff(request: Request, v: Visit = Depends(visitor)) -> StaffUser:
    "The logged-in staff member, or a refusal: pages send the browser to the login page, the API says 401."
    if v.staff is None:
        raise WebRefused(401, "workbench.web.login_required")
    return v.staff


def may(user: StaffUser, action: str) -> bool:
    return user.active and action in ROLE_ACTIONS.get(user.role, frozenset())


def check_csrf(v: Visit, sent: str | None) -> None:
    if not v.csrf_ok(sent):
        raise WebRefused(403, "workbench.web.csrf")


def today(value: str | None = None) -> dt.date:
    "A date from a query or form field, else today."
    return parse_date(value) if value else dt.date.today()


def page(request: Request, v: Visit, name: str, ctx: dict[str, Any], status: int = 200) -> Response:
    "Render a workbench template with the visitor, its CSRF token and the role labels."
    base = {"me": v.staff, "csrf": v.csrf, "roles": ROLES}
    response = templates(request).TemplateResponse(request, name, {**base, **ctx}, status_code=status)
    return v.attach(response, request.url.scheme == "https")


def redirect(request: Request, v: Visit, url: str) -> Response:
    return v.attach(RedirectResponse(url, status_code=303), request.url.scheme == "https")


def refused(request: Request, e: WorkbenchError) -> Response:
    """Any refusal: JSON under /api/, else a page; a page needing a login sends the browser to the login form.

    Status: the WebRefused's own, 404 for an unknown request number, 409 for a conflict, else 422.
    """
    status = e.status if isinstance(e, WebRefused) else {"workbench.not_found": 404, "workbench.conflict": 409,
                                                          "workbench.role": 403}.get(e.code, 422)
    v: Visit | None = getattr(request.state, "visit", None)
    if request.url.path.startswith("/api/"):
        response: Response = JSONResponse({"error": {"code": e.code, "message": e.message}}, status_code=status)
    elif e.code == "workbench.web.login_required":
        response = RedirectResponse("/workbench/login", status_code=303)
    elif v is not None:
        return page(request, v, "workbench/refused.html", {"message": e.message}, status)
    else:
        response = Response(e.message, status_code=status, media_type="text/plain; charset=utf-8")
    return v.attach(response, request.url.scheme == "https") if v else response
