"In Chromium: a registrar registers a request, a reviewer extends and answers it, the applicant looks it up."
from __future__ import annotations

import pytest

from tests.browser import chromium, served
from tests.workbench.wb_web import PASSWORD, SECRETS, make_web

pytestmark = pytest.mark.browser


def _login(page, base: str, username: str) -> None:  # type: ignore[no-untyped-def]
    page.goto(f"{base}/workbench/login")
    page.fill("input[name=username]", username)
    page.fill("input[name=password]", PASSWORD)
    page.click("button[type=submit]")
    page.wait_for_url(f"{base}/workbench/")


def _act(page, action: str, on: str, **fields: str) -> None:  # type: ignore[no-untyped-def]
    form = page.locator(f"#act-{action}")
    form.locator("input[name=on]").fill(on)
    for name, value in fields.items():
        field = form.locator(f"[name={name}]")
        if field.evaluate("e => e.tagName") == "SELECT":
            field.select_option(value)
        else:
            field.fill(value)
    form.locator("button[type=submit]").click()
    page.wait_for_load_state()


def test_register_extend_answer_and_look_up_in_chromium(tmp_path, monkeypatch):
    monkeypatch.delenv("GONGKAI_SECRET", raising=False)
    web = make_web(f"sqlite:///{tmp_path / 'browser.db'}")
    with served(web.app) as base, chromium() as browser:
        staff = browser.new_page()
        _login(staff, base, "dengji")
        staff.click("text=登记申请")
        staff.fill("input[name=on]", "2025-03-10")
        staff.select_option("select[name=channel]", "online")
        staff.select_option("select[name=applicant_type]", "natural")
        staff.fill("textarea[name=content]", "2024年部门预算")
        for name, value in zip(("name", "id_number", "phone", "address"), SECRETS):
            staff.fill(f"input[name={name}]", value)
        staff.click("form[action='/workbench/new'] button[type=submit]")
        number, code = staff.inner_text("#number"), staff.inner_text("#code")
        assert number == "2025-000001" and len(code) == 10
        staff.click("text=办理此申请")
        assert staff.locator("#act-answer").count() == 0  # 登记 may not answer
        staff.click("text=退出登录")

        _login(staff, base, "shenhe")
        staff.goto(f"{base}/workbench/r/{number}")
        _act(staff, "extend", "2025-03-20", days="10", reason="需调档查阅")
        assert "已保存：延期答复" in staff.inner_text("main")
        assert "2025-04-22" in staff.inner_text("#deadline")
        _act(staff, "answer", "2025-04-01", outcome="partial")
        assert staff.inner_text("#state") == "已答复"
        timeline = staff.inner_text("#timeline")
        assert all(step in timeline for step in ("登记", "延期答复", "答复", "需调档查阅", "shenhe"))

        applicant = browser.new_context().new_page()  # no cookie of the staff's
        applicant.goto(f"{base}/lookup")
        applicant.fill("input[name=number]", number)
        applicant.fill("input[name=code]", code)
        applicant.click("button[type=submit]")
        assert applicant.inner_text("#state") == "已答复"
        shown = applicant.inner_text("main")
        assert "部分公开" in shown and "2025-04-01" in shown
        assert not any(s in shown for s in SECRETS) and "2024年部门预算" not in shown
