"""Store fixtures: a fresh database per test on SQLite and, when GONGKAI_TEST_PG is set, on PostgreSQL."""
from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select

from bench.ingest_speed import make_corpus
from gongkai.model import Report
from gongkai.store.db import open_engine
from gongkai.store.write import AGENCIES, CELLS, FAILURES, FINDINGS, REPORTS, SEEN
from tests.databases import fresh_url

GOLD = Path(__file__).resolve().parents[3] / "shared" / "spec" / "gold"


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request, tmp_path):  # type: ignore[no-untyped-def]
    "A URL of an empty store; on PostgreSQL a schema of its own, so tests never see each other's rows."
    url, cleanup = fresh_url(request.param, tmp_path)
    yield url
    cleanup()


@pytest.fixture(scope="session")
def corpus(tmp_path_factory) -> Path:  # type: ignore[no-untyped-def]
    "30 reports made from the seeds (numbers scaled consistently), in nested folders."
    out = tmp_path_factory.mktemp("corpus")
    make_corpus(out, 30)
    return out


def gold_reports() -> list[Report]:
    return [Report.from_dict(json.loads(p.read_text("utf-8"))) for p in sorted(GOLD.glob("*.json"))]


def snapshot(url: str) -> dict[str, list[tuple]]:
    "The store's content without ids and timestamps, for comparing two databases."
    with open_engine(url).connect() as conn:
        sha = dict(conn.execute(select(REPORTS.c.id, REPORTS.c.sha256)).all())
        agency = dict(conn.execute(select(AGENCIES.c.id, AGENCIES.c.name)).all())
        return {
            "reports": sorted((r.sha256, r.source, r.format, r.year, agency.get(r.agency_id), r.region,
                               r.parser_version) for r in conn.execute(select(REPORTS))),
            "cells": sorted((sha[c.report_id], c.cell, c.value, c.start, c.end, c.snippet)
                            for c in conn.execute(select(CELLS))),
            "findings": sorted((sha[f.report_id], f.code, f.message) for f in conn.execute(select(FINDINGS))),
            "failures": sorted((f.source, f.code) for f in conn.execute(select(FAILURES))),
            "seen": sorted((s.source, s.sha256) for s in conn.execute(select(SEEN))),
            "agencies": sorted((a.key, a.region_key) for a in conn.execute(select(AGENCIES))),
        }
