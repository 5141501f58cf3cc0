"Shared helpers of the workbench tests (a unique name: tests/ has no __init__.py files)."
from __future__ import annotations

import datetime as dt
import json
import os
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


def make_db(kind: str, tmp_path: Path):
    "A session factory on SQLite (tmp file) or on GONGKAI_TEST_PG; returns (sessionmaker, cleanup)."
    from gongkai.workbench.db import Base, make_sessionmaker

    if kind == "postgres":
        url = os.environ.get("GONGKAI_TEST_PG")
        if not url:
            pytest.skip("GONGKAI_TEST_PG 未设置")
    else:
        url = f"sqlite:///{tmp_path / 'wb.db'}"
    factory = make_sessionmaker(url)
    engine = factory.kw["bind"]
    if kind == "postgres":
        Base.metadata.drop_all(engine)
        Base.metadata.create_all(engine)
    return factory, lambda: (Base.metadata.drop_all(engine) if kind == "postgres" else None, engine.dispose())
