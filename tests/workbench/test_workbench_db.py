"One database for store and workbench (migration 0002), two staff acting at the same moment, and the stats load figure."
from __future__ import annotations

import threading

import pytest
from alembic.autogenerate import compare_metadata
from alembic.migration import MigrationContext
from sqlalchemy import insert, inspect, select

import gongkai.store.models
import gongkai.workbench.web.tables  # noqa: F401
from bench.workbench_stats import make_requests, timed_stats
from gongkai.store.db import (
    HEAD,
    VERSION_TABLE,
    Base,
    open_engine,
)
from gongkai.store.models import Agency
from gongkai.workbench import service
from gongkai.workbench.db import make_sessionmaker
from gongkai.workbench.errors import ConflictError
from gongkai.workbench.stats import identity_breaks
from gongkai.workbench.store import RequestRow
from tests.databases import store_at
from tests.workbench.wb_helpers import DB_PARAMS, fresh_url


@pytest.fixture(params=DB_PARAMS)
def url(request, tmp_path):
    url, cleanup = fresh_url(request.param, tmp_path)
    yield url
    cleanup()


def test_one_database_carries_store_and_workbench_tables_as_migrated(url):
    with make_sessionmaker(url)() as s:
        service.create_staff(s, "guanli", "pw", "admin")
    engine = open_engine(url)
    tables = set(inspect(engine).get_table_names())
    assert {"reports", "cells", "wb_requests", "wb_events", "wb_staff", "wb_sessions", "wb_attempts"} <= tables
    with engine.connect() as conn:
        assert conn.exec_driver_sql(f"SELECT version_num FROM {VERSION_TABLE}").scalar() == HEAD == "0004"
        diff = compare_metadata(MigrationContext.configure(conn), Base.metadata)
    # On PostgreSQL, triggers stand in for the cells → reports foreign key (migration 0004; tested in tests/store).
    replaced = [("add_fk", "cells")] if engine.dialect.name == "postgresql" else []
    assert [(d[0], d[1].table.name if d[0] == "add_fk" else d[1].name) for d in diff
            if not (d[0] == "remove_table" and d[1].name == VERSION_TABLE)] == replaced


def test_a_store_at_0001_is_upgraded_once_and_keeps_its_rows(tmp_path):
    url = f"sqlite:///{tmp_path / 'old.db'}"
    old = store_at(url, "0001", lambda conn: conn.execute(  # a store made before the workbench moved in
        insert(Agency).values(key="金东区", region_key="", name="金东区人民政府")))
    old.dispose()
    with make_sessionmaker(url)() as s:
        row, _ = service.register(s, "2025-03-10", channel="online", applicant_type="natural")
        s.commit()
        assert s.scalar(select(Agency.name)) == "金东区人民政府" and row.number == "2025-000001"


def test_two_staff_acting_in_the_same_instant_one_wins_nothing_is_lost(url):
    factory = make_sessionmaker(url)
    with factory() as s:
        row, _ = service.register(s, "2025-03-10", channel="online", applicant_type="natural")
        s.commit()
        number = row.number
    both_read = threading.Barrier(2)
    results: dict[str, object] = {}

    def staff(name: str, action: str, **data: object) -> None:
        with factory() as s:
            seen = service.get_row(s, number).version
            assert len(service.get_row(s, number).events) == 1
            both_read.wait(10)  # both have read version `seen` before either writes
            try:
                service.act(s, number, action, "2025-03-20", actor=name, expected_version=seen, **data)
                results[name] = "saved"
            except ConflictError as e:
                results[name] = e.message

    threads = [threading.Thread(target=staff, args=("甲", "extend"), kwargs={"days": 10}),
               threading.Thread(target=staff, args=("乙", "answer"), kwargs={"outcome": "granted"})]
    for t in threads:
        t.start()
    for t in threads:
        t.join(90)
    assert sorted(v == "saved" for v in results.values()) == [False, True], results
    loser = next(v for v in results.values() if v != "saved")
    assert "已被其他工作人员更新" in str(loser) and "请刷新后重试" in str(loser)
    winner = next(k for k, v in results.items() if v == "saved")
    with factory() as s:
        log = service.history(s, number)
        assert [(e["action"], e["actor"]) for e in log][1:] == [({"甲": "extend", "乙": "answer"}[winner], winner)]
        assert service.get_row(s, number).version == 3


def test_stats_of_10000_requests_over_a_year_in_under_a_second(url):
    with make_sessionmaker(url)() as s:
        make_requests(s, 10_000, 2025, variety=500)
        seconds, cells = timed_stats(s, 2025)
    with make_sessionmaker(url)() as s:  # every request received in the year is counted as 新收
        received = s.scalars(select(RequestRow.received)).all()
    assert len(received) == 10_000 and cells["requests.new.total"] == sum(d.year == 2025 for d in received) > 9000
    assert identity_breaks(cells) == []
    assert seconds < 1.0, f"{seconds:.2f} s"
