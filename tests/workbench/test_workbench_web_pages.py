"Staff pages: queue marks, registering, a request's timeline and actions, conflicts between two staff, the year's tables."
from __future__ import annotations

import re

import pytest

from gongkai.workbench import service
from tests.workbench.wb_helpers import DB_PARAMS, fresh_url
from tests.workbench.wb_web import act, login, make_web, register, version_of


@pytest.fixture(params=DB_PARAMS)
def web(request, tmp_path):
    url, cleanup = fresh_url(request.param, tmp_path)
    yield make_web(url)
    cleanup()


def test_two_staff_submit_on_one_request_one_wins_the_other_is_told(web):
    a, b = web.client(), web.client()
    csrf_a, csrf_b = login(a, "shenhe"), login(b, "guanli")
    number, _ = register(a, csrf_a)
    seen = version_of(a, number)
    assert version_of(b, number) == seen  # both pages show the same version
    first = act(a, csrf_a, number, "extend", "2025-03-20", version=seen, days="10", reason="需调档")
    second = act(b, csrf_b, number, "answer", "2025-03-20", version=seen, outcome="granted")
    assert first.status_code == 303
    assert second.status_code == 409
    assert "已被其他工作人员更新" in second.text and "您的操作未保存，请刷新后重试" in second.text
    assert "延期答复" in second.text  # the page shown with the message is the fresh one, with the winner's step
    with web.session() as s:
        assert [e["action"] for e in service.history(s, number)] == ["register", "extend"]
    again = act(b, csrf_b, number, "answer", "2025-03-21", outcome="granted")  # reloaded: goes through
    assert again.status_code == 303
    with web.session() as s:
        assert [e["action"] for e in service.history(s, number)] == ["register", "extend", "answer"]


def test_queue_sorted_by_deadline_with_overdue_and_due_soon_marked(web):
    client = web.client()
    csrf = login(client, "guanli")
    late, _ = register(client, csrf, on="2025-03-03")   # deadline 2025-03-31
    soon, _ = register(client, csrf, on="2025-03-10")   # deadline 2025-04-08
    later, _ = register(client, csrf, on="2025-03-20")  # deadline 2025-04-18
    page = client.get("/workbench/?on=2025-04-03").text
    rows = re.findall(r'<tr class="([^"]*)">\s*<td><a href="/workbench/r/([^"]+)"', page)
    assert rows == [("overdue", late), ("due-soon", soon), ("", later)]
    items = client.get("/api/workbench/queue?on=2025-04-03").json()["items"]
    assert [(i["number"], i["overdue"], i["due_soon"]) for i in items] == [
        (late, True, False), (soon, False, True), (later, False, False)]


def test_request_page_shows_timeline_and_only_the_actions_of_its_state(web):
    client = web.client()
    csrf = login(client, "guanli")
    number, _ = register(client, csrf)
    page = client.get(f"/workbench/r/{number}").text
    offered = set(re.findall(r'id="act-(\w+)"', page))
    assert {"answer", "extend", "request_correction"} <= offered and not offered & {"pay_fee", "archive", "register"}
    assert "2025-04-08" in page and "条例第三十三条第二款" in page  # the deadline with its explanation
    assert act(client, csrf, number, "request_correction", "2025-03-11", period_days="10",
               reason="请明确年度").status_code == 303
    page = client.get(f"/workbench/r/{number}").text
    assert set(re.findall(r'id="act-(\w+)"', page)) == {"receive_correction", "correction_lapsed", "withdraw"}
    assert "待补正" in page and "请明确年度" in page and "补正告知" in page
    res = act(client, csrf, number, "correction_lapsed", "2025-03-12")
    assert res.status_code == 422 and "尚不能认定逾期未补正" in res.text  # the engine's refusal, in Chinese


def test_register_extend_answer_then_table_three(web):
    client = web.client()
    csrf = login(client, "guanli")
    number, _ = register(client, csrf, on="2025-03-10")
    assert act(client, csrf, number, "extend", "2025-03-20", days="10", reason="需调档").status_code == 303
    res = client.get(f"/workbench/r/{number}?done=extend")
    assert "已保存：延期答复" in res.text and "2025-04-22" in res.text  # 20 + 10 working days
    assert act(client, csrf, number, "answer", "2025-04-01", outcome="partial").status_code == 303
    assert "已答复" in client.get(f"/workbench/r/{number}").text
    cells = client.get("/api/workbench/stats?year=2025").json()["cells"]
    assert cells["requests.new.natural"] == 1 and cells["requests.partial.natural"] == 1
    page = client.get("/workbench/stats?year=2025").text
    assert "部分公开" in page and "勾稽关系全部成立" in page


def test_bad_input_is_a_chinese_message_not_a_crash(web):
    client = web.client()
    csrf = login(client, "guanli")
    res = client.post("/workbench/new", data={"csrf": csrf, "on": "2025-13-01", "channel": "online",
                                              "applicant_type": "natural"})
    assert res.status_code == 422 and "日期格式有误" in res.text
    number, _ = register(client, csrf)
    res = act(client, csrf, number, "extend", "2025-03-20", days="十")
    assert res.status_code == 422 and "应为整数" in res.text
    assert client.get("/workbench/r/2099-000001").status_code == 404
    assert client.get("/api/workbench/stats?year=2025&format=2008").json()["error"]["code"] == "workbench.stats.format"
