"Shared helpers of the workbench tests (a unique name: tests/ has no __init__.py files)."
from __future__ import annotations

import datetime as dt
import json
import os
import uuid
from pathlib import Path

import pytest

FIXTURES = Path(__file__).resolve().parents[1] / "fixtures" / "workbench"
SPEC_CASES = FIXTURES / "spec_cases.json"
CELLS_CSV = Path(__file__).resolve().parents[3] / "shared" / "spec" / "cells.csv"
D = dt.date.fromisoformat


def spec_cases() -> list[dict]:
    return json.loads(SPEC_CASES.read_text(encoding="utf-8"))


def case(name_prefix: str) -> dict:
    (found,) = [c for c in spec_cases() if c["name"].startswith(name_prefix)]
    return found


DB_PARAMS = [
    pytest.param("sqlite", id="sqlite"),
    pytest.param("postgres", id="postgres", marks=pytest.mark.postgres),
]


def fresh_url(kind: str, tmp_path: Path):
    "A URL of a fresh store: SQLite (tmp file) or a schema of its own on GONGKAI_TEST_PG; (url, cleanup)."
    from sqlalchemy import create_engine, text

    from gongkai.store.db import close_engine

    if kind == "sqlite":
        url = f"sqlite:///{tmp_path / 'wb.db'}"
        return url, lambda: close_engine(url)
    pg = os.environ.get("GONGKAI_TEST_PG")
    if not pg:
        pytest.skip("GONGKAI_TEST_PG 未设置")
    schema = f"wb_{uuid.uuid4().hex[:12]}"
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


def make_db(kind: str, tmp_path: Path):
    "A session factory on a fresh store; returns (sessionmaker, cleanup)."
    from gongkai.workbench.db import make_sessionmaker

    url, cleanup = fresh_url(kind, tmp_path)
    return make_sessionmaker(url), cleanup
