"""Visitors, logins and CSRF: a signed cookie token, server-side login sessions, throttled failures."""
from __future__ import annotations

import datetime as dt
import hashlib
import hmac
import os
import secrets
from dataclasses import dataclass

from fastapi import Response
from itsdangerous import BadSignature, TimestampSigner
from sqlalchemy import delete, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session

from gongkai.workbench.store import StaffUser, _now
from gongkai.workbench.web.tables import Attempt, LoginSession, Setting

COOKIE = "gongkai_wb"
MAX_AGE = 12 * 3600  # a login lasts one working day at most
SECRET_KEY = "session_secret"
_SECRETS: dict[str, str] = {}


def secret(session: Session) -> str:
    "GONGKAI_SECRET, else one generated for this database on first use, so every worker signs alike."
    if os.environ.get("GONGKAI_SECRET"):
        return os.environ["GONGKAI_SECRET"]
    where = str(session.get_bind().url)
    if where not in _SECRETS:
        _SECRETS[where] = _stored_secret(session)
    return _SECRETS[where]


def _stored_secret(session: Session) -> str:
    row = session.get(Setting, SECRET_KEY)
    if row is None:
        try:
            session.add(Setting(key=SECRET_KEY, value=secrets.token_urlsafe(48)))
            session.commit()
        except IntegrityError:  # a second worker stored its own first: use that one
            session.rollback()
        row = session.get(Setting, SECRET_KEY)
    assert row is not None
    return row.value


def keyed(secret_: str, purpose: str, value: str) -> str:
    "HMAC of a value for one purpose: CSRF tokens, and throttle keys that never store an address or number."
    return hmac.new(secret_.encode(), f"{purpose}:{value}".encode(), hashlib.sha256).hexdigest()


def _token_hash(token: str) -> str:
    return hashlib.sha256(token.encode()).hexdigest()


@dataclass
class Visit:
    "One browser: its cookie token (new ones are set on the response), the CSRF token, the staff logged in."

    token: str
    fresh: bool
    secret: str
    staff: StaffUser | None = None

    @property
    def csrf(self) -> str:
        return keyed(self.secret, "csrf", self.token)

    def csrf_ok(self, sent: str | None) -> bool:
        return bool(sent) and hmac.compare_digest(str(sent), self.csrf)

    def attach(self, response: Response, secure: bool) -> Response:
        "Set the cookie when the token is new; workbench pages are never cached (codes, personal data)."
        response.headers["Cache-Control"] = "no-store"
        if self.fresh:
            value = TimestampSigner(self.secret).sign(self.token).decode()
            response.set_cookie(COOKIE, value, max_age=MAX_AGE, httponly=True, samesite="lax", secure=secure,
                                path="/")
        return response


def visit(session: Session, cookie: str | None) -> Visit:
    "The visitor behind a cookie: a valid signed token (and its login, if any), or a fresh token."
    key = secret(session)
    token = None
    if cookie:
        try:
            token = TimestampSigner(key).unsign(cookie, max_age=MAX_AGE).decode()
        except BadSignature:
            token = None
    if token is None:
        return Visit(secrets.token_urlsafe(32), True, key)
    return Visit(token, False, key, _staff_of(session, token))


def _staff_of(session: Session, token: str) -> StaffUser | None:
    login = session.get(LoginSession, _token_hash(token))
    if login is None or login.created_at < _now() - dt.timedelta(seconds=MAX_AGE):
        return None
    staff = session.get(StaffUser, login.staff_id)
    return staff if staff is not None and staff.active else None


def log_in(session: Session, v: Visit, staff: StaffUser) -> None:
    "Start a login under a new token (the old one may have been planted: session fixation)."
    end(session, v)
    v.token, v.fresh, v.staff = secrets.token_urlsafe(32), True, staff
    session.add(LoginSession(token_hash=_token_hash(v.token), staff_id=staff.id))
    session.commit()


def end(session: Session, v: Visit) -> None:
    "Log out: the login row goes, so the old cookie is worthless even if copied."
    session.execute(delete(LoginSession).where(LoginSession.token_hash == _token_hash(v.token)))
    session.commit()
    v.token, v.fresh, v.staff = secrets.token_urlsafe(32), True, None


@dataclass(frozen=True)
class Limit:
    "At most `failures` failed attempts per key within `minutes`."

    failures: int
    minutes: int


def throttled(session: Session, v: Visit, keys: dict[str, Limit]) -> bool:
    "Whether any key has used up its failures; keys are like 'lookup-ip:1.2.3.4'."
    for key, limit in keys.items():
        since = _now() - dt.timedelta(minutes=limit.minutes)
        n = session.scalar(select(func.count()).select_from(Attempt)
                           .where(Attempt.key == keyed(v.secret, "attempt", key), Attempt.at >= since))
        if (n or 0) >= limit.failures:
            return True
    return False


def note_failure(session: Session, v: Visit, keys: dict[str, Limit]) -> None:
    "Count one failed attempt against every key; attempts older than a day are dropped on the way."
    session.execute(delete(Attempt).where(Attempt.at < _now() - dt.timedelta(days=1)))
    session.add_all(Attempt(key=keyed(v.secret, "attempt", key)) for key in keys)
    session.commit()
