"""Workbench operations on a database session: register, act (optimistic lock, roles), queue, stats, PII access."""
from __future__ import annotations

import datetime as dt
import logging
import secrets
import time
import uuid
from dataclasses import dataclass, field
from functools import lru_cache
from typing import Any, Iterable

from sqlalchemy import select
from sqlalchemy.exc import IntegrityError, OperationalError
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from gongkai.workbench.calendar import WorkCalendar, default_calendar
from gongkai.workbench.engine import Request
from gongkai.workbench.errors import ActionRefused, ConflictError, Flag, WorkbenchError
from gongkai.workbench.events import ACTIONS, DENIALS, OPEN_STATES, parse_date
from gongkai.workbench.stats import AppealCase, RequestFacts, report_cells
from gongkai.workbench.store import (
    PII_FIELDS, ROLES, AppealRow, EventRow, PiiAccess, RequestRow, StaffUser, hash_secret, verify_secret,
)

log = logging.getLogger("gongkai.workbench")
LOOKUP_ALPHABET = "ABCDEFGHJKMNPQRSTUVWXYZ23456789"  # no 0/O, 1/I/L: read over the phone
DUE_SOON_DAYS = 3

# Who may do what (第45条 登记、审核、办理、答复): extensions and 第35条 deadlines need the reviewer's approval.
ROLE_ACTIONS: dict[str, frozenset[str]] = {
    "registrar": frozenset({"register", "confirm_receipt", "receive_correction", "withdraw", "archive"}),
    "handler": frozenset(set(ACTIONS) - {"extend", "set_reasonable_deadline", "import_conclusion"}),
    "reviewer": frozenset(set(ACTIONS) - {"import_conclusion"}),
    "admin": frozenset(ACTIONS),
}


@dataclass(frozen=True)
class Applicant:
    "The applicant's personal data: stored apart, never logged, never in a repr."

    name: str | None = field(default=None, repr=False)
    id_number: str | None = field(default=None, repr=False)
    phone: str | None = field(default=None, repr=False)
    address: str | None = field(default=None, repr=False)


def _allowed(staff: StaffUser | None, action: str) -> str:
    "The actor's name; raise if the staff member's role may not do the action (None = local administrator)."
    if staff is None:
        return "管理员"
    if not staff.active or action not in ROLE_ACTIONS.get(staff.role, frozenset()):
        raise ActionRefused("workbench.role", role=ROLES.get(staff.role, staff.role), action=ACTIONS.get(action, action))
    return staff.username


def refresh_summary(row: RequestRow, req: Request) -> None:
    "Copy the log's derived summary into the row's columns."
    row.state, row.received, row.concluded, row.outcome = req.state or "", req.received, req.concluded, req.outcome
    try:
        dl = req.deadline()
        row.deadline = dl.due if dl else None
    except WorkbenchError:
        row.deadline = None


def new_lookup_code() -> str:
    return "".join(secrets.choice(LOOKUP_ALPHABET) for _ in range(10))


def register(session: Session, on: dt.date | str, *, channel: str, applicant_type: str, content: str = "",
             applicant: Applicant | None = None, staff: StaffUser | None = None, actor: str | None = None,
             parent: str | None = None, number: str | None = None, calendar: WorkCalendar | None = None,
             **data: Any) -> tuple[RequestRow, str]:
    "登记: a new request row with its first event; returns the row and the applicant's lookup code (查询码)."
    who = actor or _allowed(staff, "register")
    req = Request(calendar or default_calendar())
    ev = req.act("register", on, actor=who, channel=channel, applicant=applicant_type, **data)
    code = new_lookup_code()
    p = applicant or Applicant()
    row = RequestRow(number=number or f"tmp-{uuid.uuid4().hex}", lookup_hash=hash_secret(code), applicant_type=applicant_type,
                     channel=channel, content=content, applicant_name=p.name, applicant_id_number=p.id_number,
                     applicant_phone=p.phone, applicant_address=p.address)
    if parent:
        row.parent_id = get_row(session, parent).id
    refresh_summary(row, req)
    row.events.append(EventRow.from_event(ev))
    session.add(row)
    session.flush()
    if number is None:
        row.number = f"{(req.received or ev.date).year}-{row.id:06d}"
    session.flush()
    log.info("登记申请 %s（%s，%s）", row.number, channel, applicant_type)
    return row, code


def get_row(session: Session, number: str) -> RequestRow:
    row = session.scalar(select(RequestRow).where(RequestRow.number == number))
    if row is None:
        raise ActionRefused("workbench.not_found", number=number)
    return row


def load(session: Session, number: str, calendar: WorkCalendar | None = None) -> Request:
    "The request rebuilt from its log."
    row = get_row(session, number)
    return Request.from_events([e.to_event() for e in row.events], calendar or default_calendar())


def act(session: Session, number: str, action: str, on: dt.date | str, *, staff: StaffUser | None = None,
        actor: str | None = None, expected_version: int | None = None, reason: str = "",
        calendar: WorkCalendar | None = None, **data: Any) -> tuple[RequestRow, list[dict[str, Any]]]:
    """Append one action to a request's log and commit; returns the row and the warnings recorded.

    Optimistic locking: if the row changed since the caller read it (`expected_version`), or another session
    commits first, the action is not saved and ConflictError says so in Chinese.
    """
    who = actor or _allowed(staff, action)
    row = get_row(session, number)
    if expected_version is not None and row.version != expected_version:
        raise ConflictError("workbench.conflict", number=number, expected=expected_version, actual=row.version)
    seen = row.version
    req = Request.from_events([e.to_event() for e in row.events], calendar or default_calendar())
    ev = req.act(action, on, actor=who, reason=reason, **data)
    row.events.append(EventRow.from_event(ev))
    refresh_summary(row, req)
    try:
        session.commit()
    except (StaleDataError, IntegrityError, OperationalError) as e:
        session.rollback()
        actual = session.scalar(select(RequestRow.version).where(RequestRow.number == number))
        # SQLite in WAL mode refuses, at once, a write from a snapshot that another writer is overtaking
        # ("database is locked"), before that writer has committed: a conflict too. Other errors are not.
        if isinstance(e, OperationalError) and "locked" not in str(e.orig):
            raise
        for _ in range(40):  # the overtaking writer commits in a moment: name the version it made
            if actual != seen:
                break
            time.sleep(0.05)
            actual = session.scalar(select(RequestRow.version).where(RequestRow.number == number))
        raise ConflictError("workbench.conflict", number=number, expected=seen, actual=actual) from None
    log.info("申请 %s：%s（%s）", number, ACTIONS[action], ev.date.isoformat())
    return row, [dict(f) for f in ev.flags]


def queue(session: Session, today: dt.date, calendar: WorkCalendar | None = None) -> list[dict[str, Any]]:
    "Open requests sorted by deadline (none last), each marked overdue or due within 3 working days."
    cal = calendar or default_calendar()
    rows = session.scalars(select(RequestRow).where(RequestRow.state.in_(OPEN_STATES))).all()
    out = []
    for row in rows:
        req = Request.from_events([e.to_event() for e in row.events], cal)
        s = req.summary(today)
        due = parse_date(s["deadline"]["due"]) if s["deadline"] else None
        s.update(number=row.number, version=row.version, overdue=bool(due and today > due), due_soon=False)
        if due and not s["overdue"]:
            try:
                s["due_soon"] = cal.count(today, due) <= DUE_SOON_DAYS
            except WorkbenchError as e:
                s["errors"].append(e.message)
        out.append(s)
    return sorted(out, key=lambda s: (s["deadline"] is None, s["deadline"]["due"] if s["deadline"] else "", s["number"]))


def request_facts(session: Session) -> list[RequestFacts]:
    "Every request's counting facts, from the summary columns (fast enough for 10,000 requests)."
    q = select(RequestRow.applicant_type, RequestRow.received, RequestRow.concluded, RequestRow.outcome)
    return [RequestFacts(*r) for r in session.execute(q)]


def add_appeal(session: Session, kind: str, filed: dt.date | str, *, concluded: dt.date | str | None = None,
               result: str | None = None, request: str | None = None, note: str = "") -> tuple[AppealRow, list[dict[str, Any]]]:
    "Record a 行政复议 / 行政诉讼 case; warns on a direct suit against a 不予公开 decision since 2024."
    case = AppealCase(kind, parse_date(filed), parse_date(concluded) if concluded else None, result)
    row = AppealRow(kind=case.kind, filed=case.filed, concluded=case.concluded, result=case.result, note=note)
    flags: list[dict[str, Any]] = []
    if request:
        req_row = get_row(session, request)
        row.request_id = req_row.id
        if kind == "suit_direct" and case.filed >= dt.date(2024, 1, 1) and req_row.outcome in DENIALS:
            flags.append(Flag.of("workbench.warn.direct_suit").as_dict())
    row.flags = flags
    session.add(row)
    session.commit()
    return row, flags


def appeal_cases(session: Session) -> list[AppealCase]:
    return [AppealCase(r.kind, r.filed, r.concluded, r.result) for r in session.scalars(select(AppealRow))]


def year_cells(session: Session, year: int, fmt: str = "2021") -> dict[str, int]:
    "Tables three and four of a report year from the database."
    return report_cells(request_facts(session), appeal_cases(session), year, fmt)


def applicant_data(session: Session, number: str, staff: StaffUser, purpose: str = "") -> dict[str, str | None]:
    "An applicant's personal data for a logged-in staff member; the access itself is logged (追溯)."
    row = get_row(session, number)
    session.add(PiiAccess(staff_id=staff.id, actor=staff.username, request_id=row.id, fields=",".join(PII_FIELDS),
                          purpose=purpose))
    session.commit()
    return {f: getattr(row, f) for f in PII_FIELDS}


@lru_cache(maxsize=1)
def _decoy_hash() -> str:
    # An unknown request number or user name costs the same argon2 check as a wrong code or password, so the
    # response time does not tell which numbers or names exist.
    return hash_secret(secrets.token_urlsafe(16))


def lookup(session: Session, number: str, code: str, calendar: WorkCalendar | None = None) -> dict[str, Any] | None:
    "What an applicant sees with number + 查询码: status and dates only, or None if they do not match."
    row = session.scalar(select(RequestRow).where(RequestRow.number == number))
    matched = verify_secret(row.lookup_hash if row else _decoy_hash(), code)
    if row is None or not matched:
        return None
    s = load(session, number, calendar).summary()
    return {"number": row.number, "state": s["state"], "state_label": s["state_label"], "received": s["received"],
            "deadline": s["deadline"]["due"] if s["deadline"] else None, "deadline_text": s["deadline"]["text"] if s["deadline"] else None,
            "concluded": s["concluded"], "outcome_label": s["outcome_label"]}


def role_id(role: str) -> str:
    "A role given as its id or its Chinese name (审核) → the id (reviewer)."
    found = role if role in ROLES else {v: k for k, v in ROLES.items()}.get(role)
    if found is None:
        raise ActionRefused("workbench.input.value", field="role", value=role,
                            allowed="、".join(f"{v}（{k}）" for k, v in ROLES.items()))
    return found


def create_staff(session: Session, username: str, password: str, role: str, display_name: str = "") -> StaffUser:
    if not password:
        raise ActionRefused("workbench.input.field", field="password")
    user = StaffUser(username=username, role=role_id(role), display_name=display_name)
    user.set_password(password)
    session.add(user)
    session.commit()
    return user


def ensure_staff(session: Session, username: str, password: str, role: str,
                 display_name: str = "") -> tuple[StaffUser, bool]:
    "The staff member of that name, created with the role if not present; (user, created)."
    user = session.scalar(select(StaffUser).where(StaffUser.username == username))
    if user is not None:
        return user, False
    return create_staff(session, username, password, role, display_name), True


def staff_list(session: Session) -> list[StaffUser]:
    return list(session.scalars(select(StaffUser).order_by(StaffUser.username)))


def authenticate(session: Session, username: str, password: str) -> StaffUser:
    user = session.scalar(select(StaffUser).where(StaffUser.username == username))
    if user is None:
        verify_secret(_decoy_hash(), password)
        raise ActionRefused("workbench.login")
    if not user.check_password(password):
        raise ActionRefused("workbench.login")
    return user


def history(session: Session, number: str) -> list[dict[str, Any]]:
    "The request's log as dicts, oldest first."
    return [e.to_event().as_dict() for e in get_row(session, number).events]


def all_requests(session: Session, calendar: WorkCalendar | None = None) -> Iterable[Request]:
    cal = calendar or default_calendar()
    for row in session.scalars(select(RequestRow)):
        yield Request.from_events([e.to_event() for e in row.events], cal)
