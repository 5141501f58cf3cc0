"Shared helpers of the workbench tests (a unique name: tests/ has no __init__.py files)."
from __future__ import annotations

import datetime as dt
import json
from pathlib import Path

import pytest

from tests.databases import fresh_url

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
    "A session factory on a fresh store; returns (sessionmaker, cleanup)."
    from gongkai.workbench.db import make_sessionmaker

    url, cleanup = fresh_url(kind, tmp_path)
    return make_sessionmaker(url), cleanup
