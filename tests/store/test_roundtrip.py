"""A report stored and read back is the same report, on SQLite and PostgreSQL."""
from __future__ import annotations

import hashlib
from pathlib import Path

from alembic.script import ScriptDirectory
import pytest
from sqlalchemy import Engine, delete, func, insert, inspect, select, update
from sqlalchemy.exc import IntegrityError

import gongkai
from gongkai.model import Report
from gongkai.store import load_report, store_report
from gongkai.store.db import HEAD, alembic_config, open_engine
from gongkai.store.write import AGENCIES, CELLS, REPORTS, agency_key
from tests.conftest import SEEDS
from tests.databases import store_at
from tests.store.conftest import gold_reports


def _sha(report) -> str:  # type: ignore[no-untyped-def]
    return hashlib.sha256(repr(sorted(report.cells.items())).encode() + repr(report.meta).encode()).hexdigest()


def test_gold_reports_round_trip(db_url):
    engine = open_engine(db_url)
    for report in gold_reports():
        store_report(engine, report, report.meta["agency"] + ".txt", _sha(report), "0.1.0")
        back = load_report(db_url, _sha(report))
        assert back.cells == report.cells
        assert {k: back.meta[k] for k in report.meta} == report.meta


def test_parsed_report_keeps_provenance_and_findings(db_url):
    engine = open_engine(db_url)
    for seed in SEEDS:
        report = gongkai.parse(seed)
        store_report(engine, report, str(seed), report.meta["sha256"], "0.1.0")
        back = load_report(db_url, report.meta["sha256"])
        assert list(back.cells.items()) == list(report.cells.items())  # in the parser's order, on every database
        assert list(back.provenance.items()) == list(report.provenance.items())
        assert back.findings == report.findings
        assert all(type(back.cells[c]) is type(v) for c, v in report.cells.items())  # ints stay ints


EVERY_CELL = select(CELLS).order_by(CELLS.c.report_id, CELLS.c.cell)


def _store_seeds(engine: Engine, seeds: list[Path]) -> list[Report]:
    "Parse and store these seeds; their reports."
    reports = [gongkai.parse(seed) for seed in seeds]
    for report in reports:
        store_report(engine, report, report.meta["source"], report.meta["sha256"], "0.1.0")
    return reports


def test_a_store_at_0002_keeps_every_cell_when_cells_lose_their_rowid(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    old = store_at(url, "0002")
    reports = _store_seeds(old, SEEDS)
    with old.connect() as conn:
        before = conn.execute(EVERY_CELL).all()
    old.dispose()
    with open_engine(url).connect() as conn:  # migrates to head
        assert "WITHOUT ROWID" in conn.exec_driver_sql("SELECT sql FROM sqlite_master WHERE name = 'cells'").scalar()
        assert conn.execute(EVERY_CELL).all() == before and len(before) > 100
    for report in reports:
        back = load_report(url, report.meta["sha256"])
        assert list(back.cells.items()) == list(report.cells.items()) and back.provenance == report.provenance


def _cells_keep_to_their_reports(engine: Engine) -> None:
    "No cell names a missing report, a deleted report takes its cells along, a cited report id cannot change."
    with engine.connect() as conn:
        rid, other = conn.execute(select(REPORTS.c.id).order_by(REPORTS.c.id).limit(2)).scalars().all()
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(insert(CELLS), [{"report_id": rid, "cell": "x.mine"}, {"report_id": -1, "cell": "x.orphan"}])
    with pytest.raises(IntegrityError), engine.begin() as conn:
        conn.execute(update(REPORTS).where(REPORTS.c.id == rid).values(id=-2))
    with engine.begin() as conn:
        conn.execute(delete(REPORTS).where(REPORTS.c.id == rid))
    with engine.connect() as conn:
        left = dict(conn.execute(select(CELLS.c.report_id, func.count()).group_by(CELLS.c.report_id)).all())
    assert rid not in left and left[other] > 0


def test_cells_keep_to_their_reports(db_url):
    engine = open_engine(db_url)
    _store_seeds(engine, SEEDS[:2])
    _cells_keep_to_their_reports(engine)


def test_a_store_at_0003_still_keeps_cells_to_their_reports_after_upgrade(db_url):
    old = store_at(db_url, "0003")
    _store_seeds(old, SEEDS[:2])
    with old.connect() as conn:
        before = conn.execute(EVERY_CELL).all()
    old.dispose()
    engine = open_engine(db_url)  # migrates to head
    with engine.connect() as conn:
        assert conn.execute(EVERY_CELL).all() == before
    _cells_keep_to_their_reports(engine)


def test_schema_is_at_the_packaged_alembic_head(db_url):
    assert ScriptDirectory.from_config(alembic_config()).get_current_head() == HEAD
    tables = set(inspect(open_engine(db_url)).get_table_names())
    assert {"agencies", "reports", "cells", "findings", "failures", "seen_files"} <= tables


def test_agencies_are_keyed_by_normalised_name_and_region(db_url):
    engine = open_engine(db_url)
    base = gold_reports()[3]  # 郎溪县科技经信局, 安徽省宣城市郎溪县
    variants = [base.meta, {**base.meta, "agency": "郎溪县 科技经信局"}, {**base.meta, "agency": "郎溪縣科技經信局"},
                {**base.meta, "region": "安徽省宣城市宁国市"}]
    for i, meta in enumerate(variants):
        store_report(engine, gongkai.Report(meta, base.cells), f"{i}.txt", f"{i:064d}", "0.1.0")
    with engine.connect() as conn:
        rows = conn.execute(select(AGENCIES.c.key, AGENCIES.c.region_key, AGENCIES.c.name)).all()
        assert conn.execute(select(func.count()).select_from(AGENCIES)).scalar() == 2
    assert {(r.key, r.region_key) for r in rows} == {
        (agency_key("郎溪县科技经信局"), agency_key("安徽省宣城市郎溪县")),
        (agency_key("郎溪县科技经信局"), agency_key("安徽省宣城市宁国市"))}


def test_container_locations_survive(db_url):
    from gongkai.model import Loc, Provenance, Report

    loc = Loc(10, 12, table=0, row=3, col=4, page=2, bbox=(72.0, 100.5, 90.0, 112.0))
    report = Report({"year": 2022, "format": "2021", "agency": "某某局"}, {"requests.new.total": 12, "x.y": 1.5},
                    {"requests.new.total": Provenance(10, 12, 3, "本年新收 | 12 |", loc, "read")})
    store_report(open_engine(db_url), report, "a.pdf", "f" * 64, "0.1.0")
    back = load_report(db_url, "f" * 64)
    assert back.provenance == report.provenance and back.cells == report.cells
