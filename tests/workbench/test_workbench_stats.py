"Tables three and four by construction: the spec's year-boundary example and a property test over two years."
from __future__ import annotations

import csv
import datetime as dt

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from gongkai.workbench.engine import Request
from gongkai.workbench.errors import WorkbenchError
from gongkai.workbench.events import APPLICANTS, LAPSE_OUTCOMES, OUTCOMES
from gongkai.workbench.stats import AppealCase, identity_breaks, report_cells, table_four, table_three
from tests.workbench.wb_helpers import CELLS_CSV, D, spec_cases

COLS = list(APPLICANTS)


def _scenario_14() -> list[Request]:
    reqs = []
    for c in spec_cases():
        if c["name"].startswith("14-"):
            r = Request()
            for ev in c["events"]:
                r.act(ev["action"], ev["date"], **{k: v for k, v in ev.items() if k not in ("action", "date")})
            reqs.append(r)
    assert len(reqs) == 5
    return reqs


def _nonzero(cells):
    return {k: v for k, v in cells.items() if v}


def test_scenario_14_year_2025():
    cells = table_three(_scenario_14(), 2025)
    assert _nonzero(cells) == {
        "requests.new.natural": 2, "requests.new.commercial": 1, "requests.new.legal": 1, "requests.new.total": 4,
        "requests.carried_over.natural": 1, "requests.carried_over.total": 1,
        "requests.granted.natural": 1, "requests.granted.legal": 1, "requests.granted.total": 2,
        "requests.other_no_correction.natural": 1, "requests.other_no_correction.total": 1,
        "requests.other_misc.natural": 1, "requests.other_misc.total": 1,
        "requests.total.natural": 3, "requests.total.legal": 1, "requests.total.total": 4,
        "requests.carried_forward.commercial": 1, "requests.carried_forward.total": 1,
    }
    assert identity_breaks(cells) == []


def test_scenario_14_years_2024_and_2026():
    reqs = _scenario_14()
    y24, y26 = _nonzero(table_three(reqs, 2024)), _nonzero(table_three(reqs, 2026))
    assert y24 == {"requests.new.natural": 1, "requests.new.total": 1,
                   "requests.carried_forward.natural": 1, "requests.carried_forward.total": 1}
    assert y26 == {"requests.carried_over.commercial": 1, "requests.carried_over.total": 1,
                   "requests.partial.commercial": 1, "requests.partial.total": 1,
                   "requests.total.commercial": 1, "requests.total.total": 1}


def test_scenario_14_in_the_2019_format():
    cells = table_three(_scenario_14(), 2025, fmt="2019")
    assert cells["requests.other.natural"] == 2 and cells["requests.other.total"] == 2
    assert not any(k.startswith("requests.other_") for k in cells)
    assert identity_breaks(cells, "2019") == []


def test_scenario_5_counts_in_2024_new_and_carried_forward():
    r = Request()
    r.act("register", "2024-12-31", channel="post_signed", applicant="research")
    cells = table_three([r], 2024)
    assert cells["requests.new.research"] == 1 and cells["requests.carried_forward.research"] == 1


def test_unconfirmed_letter_is_not_yet_new():
    r = Request()
    r.act("register", "2025-06-27", channel="post_unsigned", applicant="natural", arrived="2025-06-27")
    assert table_three([r], 2025)["requests.new.total"] == 0


def test_table_four_counts_concluded_by_result_and_open_as_pending():
    cases = [
        AppealCase("review", D("2024-11-01"), D("2025-01-20"), "upheld"),
        AppealCase("review", D("2025-03-01"), D("2025-05-01"), "corrected"),
        AppealCase("review", D("2025-12-01")),
        AppealCase("suit_direct", D("2025-02-01"), D("2026-03-01"), "other"),
        AppealCase("suit_after_review", D("2025-06-01"), D("2025-09-01"), "other"),
        AppealCase("review", D("2024-01-01"), D("2024-03-01"), "upheld"),  # concluded before 2025
    ]
    cells = table_four(cases, 2025)
    assert (cells["appeals.review.upheld"], cells["appeals.review.corrected"], cells["appeals.review.pending"],
            cells["appeals.review.total"]) == (1, 1, 1, 3)
    assert cells["appeals.suit_direct.pending"] == 1 and cells["appeals.suit_direct.total"] == 1
    assert cells["appeals.suit_after_review.other"] == 1
    assert table_four(cases, 2026)["appeals.suit_direct.other"] == 1


def test_appeal_case_rejects_result_without_conclusion():
    with pytest.raises(WorkbenchError):
        AppealCase("review", D("2025-01-01"), None, "upheld")


# ---- property test: random valid event sequences over two years ------------------------------------------

ANSWERABLE = [o for o in OUTCOMES if o not in LAPSE_OUTCOMES]
MOVES = ["answer", "withdraw", "request_correction", "receive_correction", "correction_lapsed",
         "start_consultation", "end_consultation", "extend", "notice_fee", "pay_fee", "fee_lapsed", "archive"]


@st.composite
def request_logs(draw):
    "One request: a register on a day of 2024–2025, then accepted actions; refused attempts are dropped."
    r = Request()
    day = D("2024-01-01") + dt.timedelta(days=draw(st.integers(0, 730)))
    r.act("register", day, channel=draw(st.sampled_from(["in_person", "online", "fax"])),
          applicant=draw(st.sampled_from(COLS)))
    for _ in range(draw(st.integers(0, 6))):
        day += dt.timedelta(days=draw(st.integers(0, 45)))
        if day > D("2026-06-30"):
            break
        move = draw(st.sampled_from(MOVES))
        data = {"outcome": draw(st.sampled_from(ANSWERABLE))} if move == "answer" else {}
        if move == "request_correction":
            data["period_days"] = draw(st.integers(1, 20))
        if move == "extend":
            data["days"] = draw(st.integers(1, 20))
        if move == "notice_fee":
            data["nth"] = draw(st.integers(11, 60))
        try:
            r.act(move, day, **data)
        except WorkbenchError:
            pass
    return r


def naive(reqs, year):
    "Recount from the raw logs: receipt = register date; conclusion = first concluding event."
    ends = {"answer": None, "withdraw": "other_misc", "correction_lapsed": "other_no_correction",
            "fee_lapsed": "other_no_fee"}
    cells = {}
    for r in reqs:
        col = r.events[0].data["applicant"]
        got = r.events[0].date
        end = next(((e.date, ends[e.action] or e.data["outcome"]) for e in r.events if e.action in ends), None)
        if got.year > year or (end and end[0].year < year):
            continue
        left = "new" if got.year == year else "carried_over"
        right = end[1] if end and end[0].year == year else "carried_forward"
        for row in {left, right} | ({"total"} if right != "carried_forward" else set()):
            cells[(row, col)] = cells.get((row, col), 0) + 1
    return cells


@settings(max_examples=60, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(request_logs(), min_size=0, max_size=25))
def test_table_three_identities_recount_and_continuity(reqs):
    for year in (2024, 2025):
        cells = table_three(reqs, year)
        for col in COLS + ["total"]:
            g = lambda row: cells[f"requests.{row}.{col}"]  # noqa: E731
            assert g("new") + g("carried_over") == g("total") + g("carried_forward")
            assert sum(g(o) for o in OUTCOMES) == g("total")
        for row in ["new", "carried_over", *OUTCOMES, "total", "carried_forward"]:
            assert sum(cells[f"requests.{row}.{c}"] for c in COLS) == cells[f"requests.{row}.total"]
        recount = naive(reqs, year)
        for row in ["new", "carried_over", *OUTCOMES, "total", "carried_forward"]:
            for col in COLS:
                assert cells[f"requests.{row}.{col}"] == recount.get((row, col), 0), (year, row, col)
        assert identity_breaks(cells) == []
    y24, y25 = table_three(reqs, 2024), table_three(reqs, 2025)
    for col in COLS + ["total"]:
        assert y25[f"requests.carried_over.{col}"] == y24[f"requests.carried_forward.{col}"]


@pytest.mark.parametrize("fmt", ["2021", "2019"])
def test_report_cells_are_exactly_the_canonical_ids(fmt):
    if not CELLS_CSV.exists():
        pytest.skip("shared/spec/cells.csv not beside the repo")
    with CELLS_CSV.open(encoding="utf-8") as f:
        ids = {r["id"] for r in csv.DictReader(f)
               if r["id"].startswith(("requests.", "appeals.")) and r["format"] in (fmt, "both")}
    cells = report_cells([], [], 2025, fmt)
    assert set(cells) == ids and all(v == 0 for v in cells.values())
