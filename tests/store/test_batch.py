"""Batched writes: a batch that meets a report stored meanwhile by another writer is written one by one, and an
agency made in the rolled-back batch is not reused by id."""
from __future__ import annotations

from pathlib import Path

from sqlalchemy import func, select

from gongkai.store.db import open_engine
from gongkai.store.ingest import IngestSummary, _Batch, read_one
from gongkai.store.inputs import Input
from gongkai.store.write import AGENCIES, CELLS, REPORTS, Save, Writer
from tests.store.conftest import snapshot


def _input(path: Path) -> Input:
    st = path.stat()
    return Input(str(path), str(path), None, st.st_size, st.st_mtime_ns)


def test_conflicting_batch_is_written_one_by_one(db_url, corpus):
    engine = open_engine(db_url)
    paths = sorted(corpus.rglob("*.txt"))[:3]
    outcomes = [read_one(p) for p in paths]
    assert all(o.ok for o in outcomes)
    # Another ingest stores the second file's bytes after this one planned it as fresh.
    Writer(engine, "0.1.0").save(outcomes[1], [_input(paths[1])])
    with engine.begin() as conn:  # … and its agency is gone again, so this batch makes it anew
        conn.execute(REPORTS.update().values(agency_id=None))
        conn.execute(AGENCIES.delete())

    summary, ticks = IngestSummary(), []
    batch = _Batch(Writer(engine, "0.1.0"), summary, ticks.append)
    for path, outcome in zip(paths, outcomes):
        batch.add(Save(outcome, [_input(path)], fresh=True), [_input(path)])
    batch.flush()

    assert (summary.new, summary.updated, sum(ticks)) == (2, 1, 3)
    snap = snapshot(db_url)
    assert sorted(r[1] for r in snap["reports"]) == sorted(map(str, paths))
    with engine.connect() as conn:
        known = set(conn.execute(select(AGENCIES.c.id)).scalars())
        used = set(conn.execute(select(REPORTS.c.agency_id)).scalars())
        assert used <= known  # no id of an agency row that was rolled back
        per_report = conn.execute(select(CELLS.c.report_id, func.count()).group_by(CELLS.c.report_id)).all()
    assert len(per_report) == 3 and {n for _, n in per_report} == {len(o.cells) for o in outcomes}
