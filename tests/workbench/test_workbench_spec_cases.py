"Every worked example of the spec (§9), replayed as data, plus the engine rules around them."
from __future__ import annotations

import csv

import pytest

from gongkai.workbench.engine import Request
from gongkai.workbench.errors import ActionRefused
from gongkai.workbench.events import OUTCOMES, APPLICANTS
from gongkai.workbench.fees import fee_by_count, fee_by_count_total, fee_by_pages, max_fee
from gongkai.workbench.replay import RESULT_KEYS, replay, replay_case
from tests.workbench.wb_helpers import CELLS_CSV, D, case, spec_cases

CASES = spec_cases()


@pytest.mark.parametrize("case", CASES, ids=[c["name"] for c in CASES])
def test_spec_case(case):
    got = replay_case(case)
    assert tuple(got) == RESULT_KEYS
    for key, want in case["expected"].items():
        assert got[key] == want, (key, got)
    for part in case.get("error_contains", []):
        assert got["error"] and part in got["error"], got["error"]


def test_replay_returns_one_object_per_case_in_order():
    got = replay(CASES)
    assert [g["name"] for g in got] == [c["name"] for c in CASES]


def test_every_spec_scenario_is_in_the_fixture():
    names = " ".join(c["name"] for c in CASES)
    for n in range(1, 16):
        assert any(c["name"].startswith((f"{n} ", f"{n}a", f"{n}b", f"{n}-")) for c in CASES), n
    assert "beyond the calendar" in names


# §9 scenario 13: fee amounts are pure functions.
@pytest.mark.parametrize("k,fee", [(10, 0), (11, 100), (30, 100), (31, 200), (40, 200), (41, 300), (51, 400)])
def test_fee_by_count(k, fee):
    assert fee_by_count(k) == fee


def test_fee_by_count_total_35():
    assert fee_by_count_total(35) == 3000


@pytest.mark.parametrize("pages,fee", [(30, 0), (31, 10), (100, 700), (101, 720), (200, 2700), (201, 2740), (250, 4700)])
def test_fee_by_pages(pages, fee):
    assert fee_by_pages(pages) == fee


def test_fee_both_ways_refused():
    with pytest.raises(ActionRefused, match="按件计收或按量计收"):
        max_fee(nth=31, pages=250)


def test_scenario_12_fee_amount_and_pay_by():
    r = Request()
    r.act("register", "2025-03-10", channel="online", applicant="natural")
    ev = r.act("notice_fee", "2025-03-14", nth=31)
    assert ev.data["amount"] == 200
    assert r.pay_by() == D("2025-04-14")
    with pytest.raises(ActionRefused, match="2025-04-14"):
        r.act("pay_fee", "2025-04-15")


def test_scenario_9_explanation_names_the_capped_pause():
    r = Request()
    r.act("register", "2025-04-01", channel="online", applicant="natural")
    r.act("start_consultation", "2025-04-03", party="third_party")
    assert r.consultation_limit(r.consultations[0]) == D("2025-04-25")
    r.act("end_consultation", "2025-04-28")
    dl = r.deadline()
    assert dl.due == D("2025-05-23")
    assert dl.count.pauses == ((D("2025-04-03"), D("2025-04-25")),)
    assert D("2025-04-27") in dl.count.makeup  # 4/27 Sun W
    assert {s.name for s in dl.count.holidays()} >= {"清明节", "劳动节"}
    assert "第三款" in dl.article and "暂停计算" in dl.text()


def test_scenario_9_clock_while_paused():
    r = Request()
    r.act("register", "2025-04-01", channel="online", applicant="natural")
    r.act("start_consultation", "2025-04-03", party="third_party")
    assert r.deadline() is None
    assert r.clock(D("2025-04-10")) == {"used": 2, "left": 18, "budget": 20}  # elapsed 4/2–3 = 2


def test_scenario_2_explanation_lists_make_up_days_and_holidays():
    r = Request()
    r.act("register", "2024-09-27", channel="online", applicant="natural")
    due = r.correction_due()
    assert due.due == D("2024-10-12") and due.article == "条例第三十条"
    assert due.count.makeup == (D("2024-09-29"), D("2024-10-12"))
    assert [s.day for s in due.count.holidays()] == [D(f"2024-10-0{i}") for i in range(1, 8)]


def test_late_answer_and_late_correction_are_flagged_not_refused():
    r = Request()
    r.act("register", "2024-07-01", channel="in_person", applicant="natural")
    ev = r.act("request_correction", "2024-07-11")  # due 2024-07-10 (scenario 1)
    assert [f["code"] for f in ev.flags] == ["workbench.warn.late_correction"]
    r.act("receive_correction", "2024-07-12")
    ev = r.act("answer", "2024-09-30", outcome="granted")
    assert [f["code"] for f in ev.flags] == ["workbench.warn.late_answer"]
    assert r.state == "answered"


@pytest.mark.parametrize("steps,message", [
    ([("answer", "2024-07-02", {"outcome": "granted"}), ("answer", "2024-07-03", {"outcome": "granted"})], "不能执行"),
    ([("request_correction", "2024-07-02", {}), ("answer", "2024-07-03", {"outcome": "granted"})], "不能执行"),
    ([("request_correction", "2024-07-02", {}), ("receive_correction", "2024-07-03", {}),
      ("request_correction", "2024-07-04", {})], "一次性告知"),
    ([("answer", "2024-07-02", {"outcome": "other_no_fee"})], "只能由逾期"),
    ([("answer", "2024-07-02", {"outcome": "maybe"})], "maybe"),
    ([("extend", "2024-07-02", {"days": 15}), ("extend", "2024-07-03", {"days": 6})], "1 至 5"),
    ([("archive", "2024-07-02", {})], "不能执行"),
    ([("answer", "2024-06-30", {"outcome": "granted"})], "早于上一事件"),
    ([("notice_fee", "2024-07-02", {"nth": 5})], "不应收费"),
    ([("notice_fee", "2024-07-02", {"nth": 31, "amount": 300})], "超过"),
    ([("set_reasonable_deadline", "2024-07-02", {"deadline": "2024-07-20", "reason": "数量大"})], "不得早于"),
])
def test_refused_actions_carry_chinese_messages(steps, message):
    r = Request()
    r.act("register", "2024-07-01", channel="in_person", applicant="natural")
    with pytest.raises(ActionRefused) as e:
        for action, on, data in steps:
            r.act(action, on, **data)
    assert message in e.value.message


def test_reasonable_deadline_replaces_computed_one():
    r = Request()
    r.act("register", "2024-07-01", channel="in_person", applicant="natural")
    r.act("set_reasonable_deadline", "2024-07-05", deadline="2024-09-30", reason="申请数量明显超过合理范围")
    dl = r.deadline()
    assert dl.due == D("2024-09-30") and dl.article == "条例第三十五条"
    with pytest.raises(ActionRefused):
        r.act("extend", "2024-07-08")


def test_correction_restart_resets_extension():
    "第30条: the period runs afresh from the corrected request (scenario 7's restart), without old extensions."
    r = Request()
    r.act("register", "2025-09-24", channel="online", applicant="natural")
    r.act("extend", "2025-09-25", days=10)
    r.act("request_correction", "2025-09-30")
    r.act("receive_correction", "2025-10-11")
    assert r.deadline().due == D("2025-11-07")


def test_log_round_trip_rebuilds_the_same_request():
    r = Request()
    for ev in case("11c")["events"]:  # extension + consultation
        r.act(ev["action"], ev["date"], **{k: v for k, v in ev.items() if k not in ("action", "date")})
    again = Request.from_events([e.as_dict() for e in r.events])
    assert again.state == r.state and again.deadline().due == r.deadline().due == D("2024-10-11")


@pytest.mark.skipif(not CELLS_CSV.exists(), reason="shared/spec/cells.csv not beside the repo")
def test_outcomes_and_applicants_are_the_canonical_row_and_column_ids():
    with CELLS_CSV.open(encoding="utf-8") as f:
        ids = [r["id"] for r in csv.DictReader(f) if r["id"].startswith("requests.") and r["format"] in ("2021", "both")]
    rows = list(dict.fromkeys(i.split(".")[1] for i in ids))
    cols = list(dict.fromkeys(i.split(".")[2] for i in ids))
    results = [r for r in rows if r not in ("new", "carried_over", "total", "carried_forward")]
    assert list(OUTCOMES) == results
    assert [*APPLICANTS, "total"] == cols
