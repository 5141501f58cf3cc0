"""The web pages' own tables: settings (the session secret), login sessions, and failed-attempt throttling."""
from __future__ import annotations

import datetime as dt

from sqlalchemy import DateTime, ForeignKey, String, Text
from sqlalchemy.orm import Mapped, mapped_column

from gongkai.store.db import Base
from gongkai.workbench.store import Shown, _now


class Setting(Base):
    "A named value shared by every web worker (the generated session secret)."

    __tablename__ = "wb_settings"
    key: Mapped[str] = mapped_column(String(64), primary_key=True)
    value: Mapped[str] = mapped_column(Text)


class LoginSession(Shown, Base):
    "A staff login: the cookie carries a random token, the table only its hash, so logout ends it everywhere."

    __tablename__ = "wb_sessions"
    token_hash: Mapped[str] = mapped_column(String(64), primary_key=True)
    staff_id: Mapped[int] = mapped_column(ForeignKey("wb_staff.id"), index=True)
    created_at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now)
    _shown = ("staff_id", "created_at")


class Attempt(Base):
    "A failed login or lookup; `key` is a keyed hash of who or what was tried, never the raw address or number."

    __tablename__ = "wb_attempts"
    id: Mapped[int] = mapped_column(primary_key=True)
    key: Mapped[str] = mapped_column(String(64), index=True)
    at: Mapped[dt.datetime] = mapped_column(DateTime, default=_now, index=True)
