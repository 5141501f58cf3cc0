"""The store's database: URL resolution, engine with per-dialect settings, migrations applied on open."""
from __future__ import annotations

import os
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import Engine, create_engine, event, inspect
from sqlalchemy.orm import DeclarativeBase

if TYPE_CHECKING:
    from alembic.config import Config

DEFAULT_URL = "sqlite:///gongkai.db"
HEAD = "0004"  # the newest migration in migrations/versions; open_engine skips Alembic when a DB is at head
VERSION_TABLE = "gongkai_store_version"  # not alembic_version: the workbench may bring its own migrations


class Base(DeclarativeBase):
    "Declarative base of every store table."


def default_url() -> str:
    "The database URL when none is given: GONGKAI_DB, else the SQLite file gongkai.db in the working directory."
    return os.environ.get("GONGKAI_DB") or DEFAULT_URL


def normal_url(url: str | None) -> str:
    "An explicit URL, else the default; a bare file path means SQLite."
    url = url or default_url()
    return url if "://" in url else f"sqlite:///{url}"


def engine_for(url: str | None = None) -> Engine:
    "An engine on the URL, without touching the schema (see open_engine)."
    url = normal_url(url)
    if url.startswith("sqlite"):
        # A long busy timeout: a second `gongkai` process (web, compare) waits for the ingest writer.
        engine = create_engine(url, connect_args={"timeout": 60})
        event.listen(engine, "connect", _sqlite_pragmas)
        # pysqlite opens a transaction only before DML, so a migration's CREATE TABLEs would commit one by one;
        # an explicit BEGIN makes DDL transactional too: a kill mid-migration leaves the old schema, whole.
        event.listen(engine, "begin", lambda conn: conn.exec_driver_sql("BEGIN"))
        return engine
    return create_engine(url, pool_pre_ping=True)


def _sqlite_pragmas(dbapi_conn, _record) -> None:  # type: ignore[no-untyped-def]
    dbapi_conn.isolation_level = None  # transactions are begun by the "begin" listener, not by the driver
    cur = dbapi_conn.cursor()
    # WAL + NORMAL: a commit is atomic and survives the process being killed (only power loss can drop the
    # last commits), and readers don't block the writer.
    cur.execute("PRAGMA journal_mode=WAL")
    cur.execute("PRAGMA synchronous=NORMAL")
    cur.execute("PRAGMA foreign_keys=ON")
    cur.close()


def migrations_dir() -> Path:
    return Path(__file__).with_name("migrations")


def alembic_config() -> Config:
    "The Alembic configuration of the packaged migrations (alembic is imported here, not on every import)."
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(migrations_dir()))
    cfg.set_main_option("version_table", VERSION_TABLE)
    return cfg


def upgrade(engine: Engine) -> None:
    "Apply every Alembic migration up to head, so users never run alembic by hand."
    from alembic import command

    cfg = alembic_config()
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, "head")


def at_head(engine: Engine) -> bool:
    "Whether the schema is already at the newest migration (a cheap check that avoids loading Alembic)."
    with engine.connect() as conn:
        if not inspect(conn).has_table(VERSION_TABLE):
            return False
        return conn.exec_driver_sql(f"SELECT version_num FROM {VERSION_TABLE}").scalar() == HEAD


_ENGINES: dict[str, Engine] = {}


def open_engine(url: str | None = None) -> Engine:
    "An engine on a store brought up to the current schema; one engine per URL per process."
    url = normal_url(url)
    if url not in _ENGINES:
        engine = engine_for(url)
        if not at_head(engine):
            upgrade(engine)
        _ENGINES[url] = engine
    return _ENGINES[url]


def close_engine(url: str | None = None) -> None:
    "Dispose the cached engine of a URL (tests dropping a database; a long-lived server switching stores)."
    engine = _ENGINES.pop(normal_url(url), None)
    if engine is not None:
        engine.dispose()


def _after_fork() -> None:
    # A forked ingest worker must not share the parent's pooled connections (a PostgreSQL socket used from
    # two processes corrupts both sessions); dispose(close=False) drops them without closing the parent's.
    for engine in list(_ENGINES.values()):
        engine.dispose(close=False)


os.register_at_fork(after_in_child=_after_fork)
