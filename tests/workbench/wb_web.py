"Helpers of the workbench web tests: an app on a fresh store with one user per role, and a logged-in client."
from __future__ import annotations

import re
from dataclasses import dataclass

from fastapi import FastAPI
from fastapi.testclient import TestClient

from gongkai.workbench import service
from gongkai.workbench.db import make_sessionmaker
from gongkai.workbench.web import mount

PII = service.Applicant(name="欧阳娜娜", id_number="11010519491231002X", phone="13912345678",
                        address="北京市东城区某胡同8号")
SECRETS = (PII.name, PII.id_number, PII.phone, PII.address)
USERS = {"dengji": "registrar", "chengban": "handler", "shenhe": "reviewer", "guanli": "admin"}
PASSWORD = "很长的口令-2025"
_CSRF = re.compile(r'name="csrf" value="([^"]+)"')


@dataclass
class Web:
    app: FastAPI
    url: str

    def session(self):  # type: ignore[no-untyped-def]
        return make_sessionmaker(self.url)()

    def client(self, host: str = "testclient") -> TestClient:
        return TestClient(self.app, client=(host, 50000))


def make_web(url: str) -> Web:
    "A bare FastAPI with the workbench mounted on the store at url, and one staff member per role."
    with make_sessionmaker(url)() as s:
        for name, role in USERS.items():
            service.create_staff(s, name, PASSWORD, role)
    app = FastAPI()
    app.state.db_url = url
    mount(app)
    return Web(app, url)


def csrf_of(client: TestClient, path: str = "/workbench/login") -> str:
    "The CSRF token a page hands this client (the GET also gives it its cookie)."
    return _CSRF.search(client.get(path).text).group(1)  # type: ignore[union-attr]


def login(client: TestClient, username: str, password: str = PASSWORD) -> str:
    "Log in; returns the CSRF token of the new session."
    res = client.post("/workbench/login", data={"username": username, "password": password,
                                                "csrf": csrf_of(client)}, follow_redirects=False)
    assert res.status_code == 303, res.text
    return csrf_of(client, "/workbench/")


def register(client: TestClient, csrf: str, on: str = "2025-03-10", **extra: str) -> tuple[str, str]:
    "Register a request with personal data through the page; returns (number, lookup code)."
    form = {"csrf": csrf, "on": on, "channel": "online", "applicant_type": "natural", "content": "2024年部门预算",
            "name": PII.name, "id_number": PII.id_number, "phone": PII.phone, "address": PII.address, **extra}
    res = client.post("/workbench/new", data=form)
    assert res.status_code == 200, res.text
    number, code = re.findall(r'<strong id="(?:number|code)">([^<]+)</strong>', res.text)
    return number, code


def version_of(client: TestClient, number: str) -> str:
    return re.search(r'name="version" value="(\d+)"', client.get(f"/workbench/r/{number}").text).group(1)  # type: ignore[union-attr]


def act(client: TestClient, csrf: str, number: str, action: str, on: str, version: str | None = None,
        **fields: str):  # type: ignore[no-untyped-def]
    data = {"csrf": csrf, "number": number, "action": action, "on": on,
            "version": version or version_of(client, number), **fields}
    return client.post("/workbench/act", data=data, follow_redirects=False)
