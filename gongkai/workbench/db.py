"""The workbench's SQLAlchemy base and engine factory (to be merged into gongkai.store by the lead)."""
from __future__ import annotations

import os

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import DeclarativeBase, Session, sessionmaker

DEFAULT_DB = "sqlite:///gongkai.db"


class Base(DeclarativeBase):
    "Declarative base of every workbench table."


def db_url(url: str | None = None) -> str:
    "The database URL: explicit, else GONGKAI_DB, else sqlite file gongkai.db; a bare path means SQLite."
    url = url or os.environ.get("GONGKAI_DB") or DEFAULT_DB
    return url if "://" in url else f"sqlite:///{url}"


def make_engine(url: str | None = None) -> Engine:
    # hide_parameters: bound values (names, ID numbers, phones) never reach log lines or exception text.
    engine = create_engine(db_url(url), hide_parameters=True)
    if engine.dialect.name == "sqlite":
        event.listen(engine, "connect", _sqlite_pragmas)
    return engine


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
    cur = dbapi_conn.cursor()
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def make_sessionmaker(url: str | None = None, create: bool = True) -> sessionmaker[Session]:
    "A session factory on the URL; creates the workbench tables when `create`."
    import gongkai.workbench.store  # noqa: F401  (registers the models on Base)

    engine = make_engine(url)
    if create:
        Base.metadata.create_all(engine)
    return sessionmaker(engine, expire_on_commit=False)
