"""SIGKILL at random moments of an ingest leaves only whole reports; the rerun equals an uninterrupted run."""
from __future__ import annotations

import os
import random
import signal
import subprocess
import sys
import time
from pathlib import Path

from sqlalchemy import create_engine, text

from bench.ingest_speed import make_corpus
from gongkai.store import ingest
from tests.store.conftest import snapshot

ROOT = Path(__file__).resolve().parents[2]
RUN = "import sys; from gongkai.store import ingest; ingest([sys.argv[1]], sys.argv[2], jobs=2, progress=False)"


def _count(url: str) -> int:
    engine = create_engine(url)
    try:
        with engine.connect() as conn:
            return conn.execute(text("SELECT count(*) FROM reports")).scalar() or 0
    except Exception:  # noqa: BLE001  (the schema may not exist yet)
        return 0
    finally:
        engine.dispose()


def _killed_run(folder: Path, url: str, until: int | None, delay: float) -> int:
    "Start an ingest process group; SIGKILL it once `until` reports are stored (or after `delay` s)."
    proc = subprocess.Popen([sys.executable, "-c", RUN, str(folder), url], start_new_session=True,
                            env={**os.environ, "PYTHONPATH": str(ROOT)})
    deadline = time.monotonic() + 60
    try:
        if until is None:
            time.sleep(delay)
        else:
            while proc.poll() is None and _count(url) < until and time.monotonic() < deadline:
                time.sleep(0.01)
            time.sleep(delay)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)  # the ingest and its pool workers, all at once
        proc.wait()
    return proc.returncode


def _whole(url: str, reference: dict) -> None:
    "Every stored report has exactly the cells and findings of the same report in the reference."
    snap = snapshot(url)
    cells = {}
    for sha, *rest in snap["cells"]:
        cells.setdefault(sha, []).append(tuple(rest))
    ref_cells = {}
    for sha, *rest in reference["cells"]:
        ref_cells.setdefault(sha, []).append(tuple(rest))
    for report in snap["reports"]:
        assert cells.get(report[0], []) == ref_cells[report[0]], f"partial report {report[1]}"
    assert len({r[0] for r in snap["reports"]}) == len(snap["reports"])
    stored = {r[0] for r in snap["reports"]}
    assert {sha for _, sha in snap["seen"]} <= stored  # nothing marked seen without its report


def test_sigkill_at_random_points_then_rerun(db_url, tmp_path):
    folder = tmp_path / "reports"
    n = 120
    make_corpus(folder, n)
    reference_url = f"sqlite:///{tmp_path}/reference.db"
    ingest([folder], reference_url, progress=False)
    reference = snapshot(reference_url)

    rng = random.Random(int(os.environ.get("GONGKAI_FAULT_SEED", "20240601")))
    kills = []
    for i in range(5):
        stored = _count(db_url)
        # The first kill lands during start-up or migration; the others at a random report still to come.
        until = None if i == 0 else stored + rng.randrange(1, max(2, (n - stored) // 2))
        delay = rng.uniform(0.2, 1.0) if i == 0 else rng.uniform(0, 0.03)
        code = _killed_run(folder, db_url, until, delay)
        kills.append((until, code, _count(db_url)))
        _whole(db_url, reference)
    print("kills (target, return code, reports stored):", kills)
    assert any(code == -signal.SIGKILL and 0 < stored < n for _, code, stored in kills), kills

    final = ingest([folder], db_url, progress=False)
    assert final.exit_code == 0 and final.new + final.unchanged == n
    assert snapshot(db_url) == reference
