"""Workbench tables: requests (optimistic lock), their append-only events, appeals, staff, and PII access log."""
from __future__ import annotations

import datetime as dt
from typing import Any

from argon2 import PasswordHasher
from argon2.exceptions import InvalidHashError, VerificationError
from sqlalchemy import JSON, Boolean, Date, DateTime, ForeignKey, Integer, String, Text, UniqueConstraint, event
from sqlalchemy.orm import Mapped, mapped_column, relationship

from gongkai.store.db import Base
from gongkai.workbench.events import Event

ROLES = {"registrar": "登记", "handler": "承办", "reviewer": "审核", "admin": "管理"}
PII_FIELDS = ("applicant_name", "applicant_id_number", "applicant_phone", "applicant_address")
_hasher = PasswordHasher()


def _now() -> dt.datetime:
    return dt.datetime.now(dt.timezone.utc).replace(tzinfo=None)


def hash_secret(secret: str) -> str:
    return _hasher.hash(secret)


def verify_secret(hashed: str, secret: str) -> bool:
    try:
        return _hasher.verify(hashed, secret)
    except (VerificationError, InvalidHashError):
        return False


class Shown:
    "Mixin: a repr made only of the columns named in `_shown`, so personal data never reaches a repr."

    _shown: tuple[str, ...] = ("id",)

    def __repr__(self) -> str:
        return f"<{type(self).__name__} {' '.join(str(getattr(self, a)) for a in self._shown)}>"


class StaffUser(Shown, Base):
    "A staff member; role is one of registrar / handler / reviewer / admin (登记 / 承办 / 审核 / 管理)."

    __tablename__ = "wb_staff"
    id: Mapped[int] = mapped_column(primary_key=True)
    username: Mapped[str] = mapped_column(String(64), unique=True)
    display_name: Mapped[str] = mapped_column(String(64), default="")
    role: Mapped[str] = mapped_column(String(16))
    password_hash: Mapped[str] = mapped_column(String(255))
    active: Mapped[bool] = mapped_column(Boolean, default=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    _shown = ("username", "role")

    def set_password(self, password: str) -> None:
        self.password_hash = hash_secret(password)

    def check_password(self, password: str) -> bool:
        return self.active and verify_secret(self.password_hash, password)



class RequestRow(Shown, Base):
    """A request: identity, applicant type and channel, personal data kept apart, and a summary of its log.

    `version` is SQLAlchemy's version counter: an UPDATE from a stale read matches no row (optimistic lock).
    The summary columns (state, received, concluded, outcome, deadline) are refreshed from the log on every
    action so that queues and statistics need not fold 10,000 logs.
    """

    __tablename__ = "wb_requests"
    id: Mapped[int] = mapped_column(primary_key=True)
    number: Mapped[str] = mapped_column(String(64), unique=True)
    lookup_hash: Mapped[str] = mapped_column(String(255), default="")
    applicant_type: Mapped[str] = mapped_column(String(16))
    channel: Mapped[str] = mapped_column(String(16))
    content: Mapped[str] = mapped_column(Text, default="")
    applicant_name: Mapped[str | None] = mapped_column(String(128))
    applicant_id_number: Mapped[str | None] = mapped_column(String(64))
    applicant_phone: Mapped[str | None] = mapped_column(String(64))
    applicant_address: Mapped[str | None] = mapped_column(String(255))
    parent_id: Mapped[int | None] = mapped_column(ForeignKey("wb_requests.id"))
    state: Mapped[str] = mapped_column(String(24), index=True)
    received: Mapped[dt.date | None] = mapped_column(Date, index=True)
    concluded: Mapped[dt.date | None] = mapped_column(Date, index=True)
    outcome: Mapped[str | None] = mapped_column(String(32))
    deadline: Mapped[dt.date | None] = mapped_column(Date)
    version: Mapped[int] = mapped_column(Integer, nullable=False)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    events: Mapped[list["EventRow"]] = relationship(back_populates="request", order_by="EventRow.seq",
                                                    cascade="save-update, merge")

    __mapper_args__ = {"version_id_col": version}
    _shown = ("number", "state", "version")


class EventRow(Shown, Base):
    "One log entry; (request_id, seq) is unique so two writers cannot both append entry n. Never updated."

    __tablename__ = "wb_events"
    __table_args__ = (UniqueConstraint("request_id", "seq", name="uq_wb_event_seq"),)
    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int] = mapped_column(ForeignKey("wb_requests.id"), index=True)
    seq: Mapped[int] = mapped_column(Integer)
    action: Mapped[str] = mapped_column(String(32))
    date: Mapped[dt.date] = mapped_column(Date)
    actor: Mapped[str] = mapped_column(String(64), default="")
    reason: Mapped[str] = mapped_column(Text, default="")
    data: Mapped[dict[str, Any]] = mapped_column(JSON, default=dict)
    flags: Mapped[list[Any]] = mapped_column(JSON, default=list)
    recorded_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    request: Mapped[RequestRow] = relationship(back_populates="events")
    _shown = ("request_id", "seq", "action", "date")

    def to_event(self) -> Event:
        return Event(self.seq, self.action, self.date, self.actor, self.reason, dict(self.data or {}),
                     tuple(self.flags or ()), self.recorded_at)

    @classmethod
    def from_event(cls, ev: Event) -> "EventRow":
        d = ev.as_dict()
        return cls(seq=ev.seq, action=ev.action, date=ev.date, actor=ev.actor, reason=ev.reason, data=d["data"],
                   flags=d["flags"], recorded_at=ev.recorded_at or _now())


class AppealRow(Shown, Base):
    "A 行政复议 / 行政诉讼 case (table four), optionally linked to the request it is about."

    __tablename__ = "wb_appeals"
    id: Mapped[int] = mapped_column(primary_key=True)
    request_id: Mapped[int | None] = mapped_column(ForeignKey("wb_requests.id"))
    kind: Mapped[str] = mapped_column(String(24))
    filed: Mapped[dt.date] = mapped_column(Date)
    concluded: Mapped[dt.date | None] = mapped_column(Date)
    result: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str] = mapped_column(Text, default="")
    flags: Mapped[list[Any]] = mapped_column(JSON, default=list)
    _shown = ("id", "kind", "filed", "result")


class PiiAccess(Shown, Base):
    "Every view of an applicant's personal data, by whom and why (追溯). Never updated."

    __tablename__ = "wb_pii_access"
    id: Mapped[int] = mapped_column(primary_key=True)
    staff_id: Mapped[int | None] = mapped_column(ForeignKey("wb_staff.id"))
    actor: Mapped[str] = mapped_column(String(64), default="")
    request_id: Mapped[int] = mapped_column(ForeignKey("wb_requests.id"), index=True)
    fields: Mapped[str] = mapped_column(String(255))
    purpose: Mapped[str] = mapped_column(String(255), default="")
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)


@event.listens_for(EventRow, "before_update")
@event.listens_for(EventRow, "before_delete")
@event.listens_for(PiiAccess, "before_update")
@event.listens_for(PiiAccess, "before_delete")
def _append_only(_mapper, _conn, target) -> None:  # type: ignore[no-untyped-def]
    raise PermissionError(f"{type(target).__name__} 只能追加，不能修改或删除")
