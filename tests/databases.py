"""A fresh, empty store for one test: a SQLite file, or a PostgreSQL schema of its own on GONGKAI_TEST_PG
(so tests never see each other's rows). Shared by tests/store and tests/workbench."""
from __future__ import annotations

import os
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest
from alembic import command
from sqlalchemy import Connection, Engine, create_engine, text

from gongkai.store.db import alembic_config, close_engine, engine_for


def fresh_url(kind: str, tmp_path: Path) -> tuple[str, Callable[[], None]]:
    "(url, cleanup) of an empty store; kind is 'sqlite' or a PostgreSQL one (skipped without GONGKAI_TEST_PG)."
    if kind == "sqlite":
        url = f"sqlite:///{tmp_path / 'store.db'}"
        return url, lambda: close_engine(url)
    pg = os.environ.get("GONGKAI_TEST_PG")
    if not pg:
        pytest.skip("未设置 GONGKAI_TEST_PG，跳过 PostgreSQL")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(pg)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    url = f"{pg}{'&' if '?' in pg else '?'}options=-csearch_path%3D{schema}"

    def cleanup() -> None:
        close_engine(url)
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()

    return url, cleanup


def store_at(url: str, revision: str, then: Callable[[Connection], None] | None = None) -> Engine:
    """An engine on a store migrated only as far as `revision`, as an older release left it; `then` adds rows in
    the same transaction."""
    cfg = alembic_config()
    engine = engine_for(url)
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
        if then is not None:
            then(conn)
    return engine
