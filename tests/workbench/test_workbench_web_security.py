"Web security: personal data only after login and always logged, roles, CSRF, sessions, throttled lookups and logins."
from __future__ import annotations

import datetime as dt
import logging
import re

import pytest
from fastapi.routing import APIRoute
from sqlalchemy import func, select, update

from gongkai.workbench import service
from gongkai.workbench.store import PiiAccess
from gongkai.workbench.web import sessions
from gongkai.workbench.web.tables import LoginSession, Setting
from tests.workbench.wb_web import (
    PASSWORD, SECRETS, act, csrf_of, login, make_web, register, version_of,
)


@pytest.fixture
def web(tmp_path, monkeypatch):
    monkeypatch.delenv("GONGKAI_SECRET", raising=False)
    return make_web(f"sqlite:///{tmp_path / 'web.db'}")


@pytest.fixture
def registered(web):
    "A request with personal data, registered by the registrar; (number, code)."
    client = web.client()
    return register(client, login(client, "dengji"))


def _routes(routes) -> list[APIRoute]:  # type: ignore[no-untyped-def]
    "Every endpoint, looking inside included routers (FastAPI keeps them whole since 0.16x)."
    out: list[APIRoute] = []
    for r in routes:
        if isinstance(r, APIRoute):
            out.append(r)
        elif hasattr(r, "original_router"):
            out += _routes(r.original_router.routes)
    return out


def _pii_views(web) -> int:
    with web.session() as s:
        return s.scalar(select(func.count()).select_from(PiiAccess))


def test_no_route_returns_personal_data_without_login(web, registered):
    number, code = registered
    anon = web.client()
    token = csrf_of(anon, "/lookup")  # a valid anonymous CSRF token, so POSTs get past the token check
    form = {"csrf": token, "number": number, "code": code, "purpose": "x", "action": "answer", "version": "2",
            "outcome": "granted", "name": "x", "channel": "online", "applicant_type": "natural"}
    routes = _routes(web.app.routes)
    assert {"/workbench/applicant", "/workbench/r/{number:path}", "/api/workbench/requests/{number:path}"} <= {
        r.path for r in routes}
    for r in routes:
        path = re.sub(r"\{number(:path)?\}", number, r.path)
        for method in r.methods:
            res = anon.request(method, path, data=form if method == "POST" and "/api/" not in path else None,
                               json={"number": number, "code": code} if "/api/" in path and method == "POST" else None,
                               follow_redirects=False)
            assert not any(s in res.text for s in SECRETS), (method, path)
            if path not in ("/lookup", "/api/workbench/lookup", "/workbench/login"):
                assert res.status_code in (303, 401), (method, path, res.status_code)
    assert _pii_views(web) == 0
    with web.session() as s:  # nothing was acted on without login
        assert [e["action"] for e in service.history(s, number)] == ["register"]


def test_staff_pages_hide_personal_data_until_asked_and_every_view_is_logged(web, registered):
    number, _ = registered
    client = web.client()
    csrf = login(client, "chengban")
    for path in ("/workbench/?on=2025-03-12", f"/workbench/r/{number}", "/api/workbench/queue?on=2025-03-12",
                 f"/api/workbench/requests/{number}", "/api/workbench/stats?year=2025"):
        res = client.get(path)
        assert res.status_code == 200 and (number in res.text or "stats" in path), path
        assert not any(s in res.text for s in SECRETS), path
    assert _pii_views(web) == 0
    res = client.post("/workbench/applicant", data={"csrf": csrf, "number": number, "purpose": "电话联系补正"})
    assert res.status_code == 200 and all(s in res.text for s in SECRETS) and "本次查看已记录" in res.text
    with web.session() as s:
        (view,) = s.scalars(select(PiiAccess)).all()
        assert (view.actor, view.purpose) == ("chengban", "电话联系补正")
    assert res.headers["cache-control"] == "no-store"


def test_registrar_cannot_answer(web, registered):
    number, _ = registered
    client = web.client()
    csrf = login(client, "dengji")
    assert 'id="act-answer"' not in client.get(f"/workbench/r/{number}").text  # not offered ...
    res = act(client, csrf, number, "answer", "2025-03-12", outcome="granted")
    assert res.status_code == 403 and "角色“登记”无权执行“答复”" in res.text  # ... and refused if forced
    other = web.client()
    login(other, "chengban")
    assert 'id="act-answer"' in other.get(f"/workbench/r/{number}").text
    with web.session() as s:
        assert [e["action"] for e in service.history(s, number)] == ["register"]


def test_handler_cannot_extend_but_reviewer_can(web, registered):
    number, _ = registered
    handler, reviewer = web.client(), web.client()
    res = act(handler, login(handler, "chengban"), number, "extend", "2025-03-20", days="10")
    assert res.status_code == 403 and "无权执行“延期答复”" in res.text
    assert act(reviewer, login(reviewer, "shenhe"), number, "extend", "2025-03-20", days="10").status_code == 303


def test_csrf_token_missing_or_from_another_session_is_refused(web, registered):
    number, _ = registered
    mine, theirs = web.client(), web.client()
    login(mine, "guanli")
    their_token = login(theirs, "shenhe")
    for token in ("", their_token, "0" * 64):
        res = act(mine, token, number, "withdraw", "2025-03-12")
        assert res.status_code == 403 and "安全令牌" in res.text
    res = mine.post("/workbench/login", data={"username": "guanli", "password": PASSWORD}, follow_redirects=False)
    assert res.status_code == 403  # the login form is protected too (login CSRF)
    with web.session() as s:
        assert [e["action"] for e in service.history(s, number)] == ["register"]


def test_session_cookie_is_httponly_lax_and_renewed_at_login(web):
    client = web.client()
    client.get("/workbench/login")
    before = client.cookies.get(sessions.COOKIE)
    res = client.post("/workbench/login", data={"username": "guanli", "password": PASSWORD, "csrf": csrf_of(client)},
                      follow_redirects=False)
    cookie = res.headers["set-cookie"]
    assert "HttpOnly" in cookie and "SameSite=lax" in cookie and "Path=/" in cookie and "Secure" not in cookie
    after = client.cookies.get(sessions.COOKIE)
    assert after and after != before  # a planted pre-login cookie does not become a login (fixation)
    fixed = web.client()
    fixed.cookies.set(sessions.COOKIE, before)
    assert fixed.get("/workbench/", follow_redirects=False).status_code == 303


def test_logout_ends_the_session_on_the_server(web):
    client = web.client()
    csrf = login(client, "guanli")
    stolen = client.cookies.get(sessions.COOKIE)
    assert client.post("/workbench/logout", data={"csrf": csrf}, follow_redirects=False).status_code == 303
    replay = web.client()
    replay.cookies.set(sessions.COOKIE, stolen)
    res = replay.get("/workbench/", follow_redirects=False)
    assert res.status_code == 303 and res.headers["location"] == "/workbench/login"


def test_tampered_and_expired_cookies_are_anonymous(web):
    client = web.client()
    login(client, "guanli")
    good = client.cookies.get(sessions.COOKIE)
    forged = web.client()
    forged.cookies.set(sessions.COOKIE, good[:-2] + ("AA" if not good.endswith("AA") else "BB"))
    assert forged.get("/workbench/", follow_redirects=False).status_code == 303
    assert client.get("/workbench/", follow_redirects=False).status_code == 200
    with web.session() as s:  # a login older than a working day no longer counts
        s.execute(update(LoginSession).values(created_at=dt.datetime(2020, 1, 1)))
        s.commit()
    assert client.get("/workbench/", follow_redirects=False).status_code == 303


def test_secret_is_generated_once_and_kept_in_the_database(web, monkeypatch):
    client = web.client()
    login(client, "guanli")
    with web.session() as s:
        stored = s.get(Setting, sessions.SECRET_KEY).value
    assert len(stored) >= 48
    sessions._SECRETS.clear()  # a second worker process: reads the same secret, so the cookie still holds
    assert client.get("/workbench/", follow_redirects=False).status_code == 200
    monkeypatch.setenv("GONGKAI_SECRET", "another-secret-from-the-environment")
    assert client.get("/workbench/", follow_redirects=False).status_code == 303  # signed with the other key


def test_wrong_password_is_refused_and_logins_are_throttled(web):
    client = web.client()
    for _ in range(5):
        res = client.post("/workbench/login", data={"username": "guanli", "password": "wrong", "csrf": csrf_of(client)})
        assert res.status_code == 401 and "用户名或密码错误" in res.text
    res = client.post("/workbench/login", data={"username": "guanli", "password": PASSWORD, "csrf": csrf_of(client)})
    assert res.status_code == 429 and "尝试次数过多" in res.text  # even the right password, while throttled


def test_lookup_code_is_long_random_and_hashed(web, registered):
    number, code = registered
    assert len(code) == 10 and set(code) <= set(service.LOOKUP_ALPHABET)
    assert len(service.LOOKUP_ALPHABET) ** 10 > 2 ** 49
    assert len({service.new_lookup_code() for _ in range(2000)}) == 2000
    with web.session() as s:
        row = service.get_row(s, number)
        assert row.lookup_hash.startswith("$argon2") and code not in row.lookup_hash


def test_lookup_is_throttled_per_address_and_per_number(web, registered):
    number, code = registered
    guesser = web.client("10.0.0.1")
    token = csrf_of(guesser, "/lookup")
    for i in range(10):
        res = guesser.post("/lookup", data={"csrf": token, "number": number, "code": f"WRONG{i:05d}"})
        assert res.status_code == 404 and "申请编号或查询码不正确" in res.text
    res = guesser.post("/lookup", data={"csrf": token, "number": number, "code": code})
    assert res.status_code == 429 and "尝试次数过多" in res.text  # the right code too: guessing stops here
    other_place = web.client("10.0.0.2")  # a new address does not reopen the number that was attacked
    res = other_place.post("/api/workbench/lookup", json={"number": number, "code": code})
    assert res.status_code == 429 and res.json()["error"]["code"] == "workbench.web.throttled"
    with web.session() as s:  # the throttle keeps keyed hashes, not addresses or request numbers
        keys = " ".join(s.scalars(select(sessions.Attempt.key)).all())
        assert number not in keys and "10.0.0.1" not in keys


def test_unknown_number_and_wrong_code_look_the_same(web, registered):
    number, _ = registered
    anon = web.client()
    a = anon.post("/api/workbench/lookup", json={"number": "2099-999999", "code": "ABCDEFGHJK"})
    b = anon.post("/api/workbench/lookup", json={"number": number, "code": "ABCDEFGHJK"})
    assert a.status_code == b.status_code == 404 and a.json() == b.json()


def test_lookup_shows_status_and_dates_only(web, registered):
    number, code = registered
    anon = web.client()
    res = anon.post("/api/workbench/lookup", json={"number": number, "code": code.lower()})
    assert res.status_code == 200
    assert set(res.json()) == {"number", "state", "state_label", "received", "deadline", "deadline_text",
                               "concluded", "outcome_label"}
    assert res.json()["deadline"] == "2025-04-08" and not any(s in res.text for s in SECRETS)
    page = anon.post("/lookup", data={"csrf": csrf_of(anon, "/lookup"), "number": number, "code": code})
    assert "已登记" in page.text and "2024年部门预算" not in page.text and not any(s in page.text for s in SECRETS)


def test_no_personal_data_or_secret_in_logs_during_a_full_flow(web, caplog):
    caplog.set_level(logging.DEBUG)  # every logger, SQLAlchemy's engine included
    staff = web.client()
    csrf = login(staff, "guanli")
    number, code = register(staff, csrf)
    assert act(staff, csrf, number, "extend", "2025-03-20", days="10", reason="需调档").status_code == 303
    staff.post("/workbench/applicant", data={"csrf": csrf, "number": number, "purpose": "核对身份"})
    assert act(staff, csrf, number, "answer", "2025-03-21", outcome="granted").status_code == 303
    anon = web.client()
    anon.post("/lookup", data={"csrf": csrf_of(anon, "/lookup"), "number": number, "code": code})
    assert number in caplog.text and "查看申请人信息" in caplog.text  # the log does say what happened
    for secret in (*SECRETS, code, PASSWORD):
        assert secret not in caplog.text
    assert version_of(staff, number)  # the flow left a readable request page
