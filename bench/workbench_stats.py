"""Workbench statistics benchmark: 10,000 requests over a year, then tables three and four of that year, timed.

Every request goes through the engine (register, then answer / withdraw / correction lapse, or left open) and is
stored with its event log, as the web pages would store it; only the insert is batched. Prints numbers, asserts
nothing (tests/workbench/test_workbench_db.py holds the < 1 s figure).

    PYTHONPATH=. python bench/workbench_stats.py [--n 10000] [--year 2025] [--db URL]
"""
from __future__ import annotations

import argparse
import datetime as dt
import os
import random
import tempfile
import time

from sqlalchemy import insert
from sqlalchemy.orm import Session

from gongkai.workbench import service
from gongkai.workbench.calendar import default_calendar
from gongkai.workbench.engine import Request
from gongkai.workbench.events import APPLICANTS, LAPSE_OUTCOMES, OUTCOMES
from gongkai.workbench.store import EventRow, RequestRow

ANSWERS = [o for o in OUTCOMES if o not in LAPSE_OUTCOMES]


def _request(rng: random.Random, year: int) -> Request:
    "One request received in `year` (a few in the December before), concluded in most cases."
    req = Request(default_calendar())
    received = dt.date(year, 1, 1) + dt.timedelta(days=rng.randrange(-20, 345))
    req.act("register", received, channel=rng.choice(["online", "in_person", "post_signed"]),
            applicant=rng.choice(list(APPLICANTS)))
    roll = rng.random()
    if roll < 0.8:
        due = req.deadline()
        assert due is not None
        req.act("answer", min(due.due, received + dt.timedelta(days=rng.randrange(0, 28))), outcome=rng.choice(ANSWERS))
    elif roll < 0.85:
        req.act("withdraw", received + dt.timedelta(days=rng.randrange(0, 10)))
    elif roll < 0.9:
        req.act("request_correction", received + dt.timedelta(days=1), period_days=10)
        req.act("correction_lapsed", received + dt.timedelta(days=30))
    return req


def make_requests(session: Session, n: int, year: int, variety: int | None = None, seed: int = 0) -> None:
    """n requests with their logs, inserted in batches (ids assigned here so events can point at them).

    `variety`: how many distinct requests the engine builds (all n by default); the rows cycle through them.
    The statistics read one row per request whatever its history, so a test may build 500 and store 10,000.
    """
    rng = random.Random(seed)
    built = [_request(rng, year) for _ in range(min(n, variety or n))]
    rows, events = [], []
    for i in range(1, n + 1):
        req = built[(i - 1) % len(built)]
        row = RequestRow(number=f"B-{i:06d}")
        service.refresh_summary(row, req)
        rows.append({"id": i, "number": row.number, "lookup_hash": "", "applicant_type": req.applicant,
                     "channel": req.channel, "content": "", "state": row.state, "received": row.received,
                     "concluded": row.concluded, "outcome": row.outcome, "deadline": row.deadline, "version": 1,
                     "created_at": dt.datetime(year, 1, 1)})
        for ev in req.events:
            d = EventRow.from_event(ev)
            events.append({"request_id": i, "seq": d.seq, "action": d.action, "date": d.date, "actor": "",
                           "reason": "", "data": d.data, "flags": d.flags, "recorded_at": d.recorded_at})
    session.execute(insert(RequestRow), rows)
    session.execute(insert(EventRow), events)
    session.commit()


def timed_stats(session: Session, year: int) -> tuple[float, dict[str, int]]:
    "Seconds to compute tables three and four of `year` from the database, and the cells."
    t = time.perf_counter()
    cells = service.year_cells(session, year)
    return time.perf_counter() - t, cells


def main() -> None:
    from gongkai.workbench.db import make_sessionmaker

    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--n", type=int, default=10_000)
    ap.add_argument("--year", type=int, default=2025)
    ap.add_argument("--variety", type=int, help="distinct requests built by the engine (default: all)")
    ap.add_argument("--db", default=os.environ.get("GONGKAI_BENCH_DB"),
                    help="an empty database (default: a new SQLite file)")
    a = ap.parse_args()
    url = a.db or f"sqlite:///{tempfile.mkdtemp(prefix='gongkai-wb-bench-')}/bench.db"
    with make_sessionmaker(url)() as s:
        t = time.perf_counter()
        make_requests(s, a.n, a.year, a.variety)
        print(f"{a.n} requests with their logs built and stored in {time.perf_counter() - t:.1f} s ({url.split(':')[0]})")
        seconds, cells = timed_stats(s, a.year)
    print(f"tables three and four of {a.year}: {seconds * 1000:.0f} ms; new {cells['requests.new.total']}, "
          f"concluded {cells['requests.total.total']}, carried forward {cells['requests.carried_forward.total']}")


if __name__ == "__main__":
    main()
