"""The JSON API: parse and check uploads under the limits, search and read the store, compare, export."""
from __future__ import annotations

import io
import json
import multiprocessing
import threading

import openpyxl
import pytest
from fastapi.testclient import TestClient

from gongkai import parse
from gongkai.check import check_paths
from gongkai.serve import create_app, worker
from gongkai.store import compare_year
from tests.conftest import ROOT, SEEDS, gold_of
from tests.serve.conftest import REGION, YEAR, seed

JUNK = ROOT / "tests" / "fixtures" / "read" / "junk.bin"


def upload(client, path, url="/api/parse", **params):  # type: ignore[no-untyped-def]
    return client.post(url, files={"file": (path.name, path.read_bytes())}, params=params)


def mutated(path, cell: str = "requests.new.natural", by: int = 5) -> bytes:
    "A seed with one printed value changed in place, so the sums around it break."
    report = parse(path)
    p = report.provenance[cell]
    return (report.text[:p.start] + str(report.cells[cell] + by) + report.text[p.end:]).encode("utf-8")


@pytest.mark.parametrize("path", SEEDS, ids=lambda p: p.stem[:3])
def test_parse_reads_the_gold_cells(client, path):
    body = upload(client, path).json()
    gold = gold_of(path)
    assert body["cells"] == gold["cells"]
    assert body["meta"]["year"] == gold["meta"]["year"] and body["report_id"] is None


def test_check_finds_the_broken_sum(client):
    body = client.post("/api/check", files={"file": ("broken.txt", mutated(seed(4)))}).json()
    codes = {f["code"] for f in body["findings"] if f["severity"] == "error"}
    assert "check.sum.balance" in codes
    assert any(f["suspect"] == "requests.new.natural" for f in body["findings"])


def test_unreadable_upload_has_the_cli_code(client):
    r = upload(client, JUNK)
    assert r.status_code == 422
    assert r.json()["error"]["code"] == check_paths([JUNK])[0]["findings"][0]["code"]


def test_empty_upload_is_read_empty(client):
    r = client.post("/api/parse", files={"file": ("blank.txt", b"  \n ")})
    assert (r.status_code, r.json()["error"]["code"]) == (422, "read.empty")


def test_nothing_to_parse(client):
    r = client.post("/api/parse", data={"text": "   "})
    assert (r.status_code, r.json()["error"]["code"]) == (400, "serve.upload.missing")


def test_upload_size_cap(db_url):
    with TestClient(create_app(db_url, max_bytes=1000)) as c:
        r = upload(c, seed(4))
    assert (r.status_code, r.json()["error"]["code"]) == (413, "serve.upload.too_large")


def test_parse_time_cap(db_url):
    with TestClient(create_app(db_url, parse_seconds=0.001)) as c:
        r = upload(c, seed(4))
        assert (r.status_code, r.json()["error"]["code"]) == (503, "serve.parse.timeout")
        c.app.state.parser.seconds = 30  # the stopped parse process is replaced on the next upload
        assert upload(c, seed(4)).status_code == 200


def test_pasted_text_is_parsed(client):
    body = client.post("/api/parse", data={"text": seed(3).read_text("utf-8")}).json()
    assert body["cells"] == gold_of(seed(3))["cells"]


def test_nothing_is_stored_unless_asked(client):
    upload(client, seed(4))
    assert client.get("/api/reports").json()["total"] == 0
    saved = upload(client, seed(4), save="true").json()["report_id"]
    assert client.get("/api/reports").json()["total"] == 1
    stored = client.get(f"/api/reports/{saved}/cells").json()
    assert stored["cells"] == gold_of(seed(4))["cells"]
    assert stored["provenance"]["requests.new.total"]["line"] > 0


def test_saved_report_keeps_the_check_findings(client):
    saved = client.post("/api/parse", files={"file": ("broken.txt", mutated(seed(4)))},
                        params={"save": "true"}).json()["report_id"]
    assert client.get("/api/reports", params={"has_errors": "true"}).json()["reports"][0]["id"] == saved
    findings = client.get(f"/api/reports/{saved}/findings").json()
    keys = [(f["code"], tuple(f["cells"]), f["message"]) for f in findings]
    assert len(keys) == len(set(keys)) and any(f["code"] == "check.sum.balance" for f in findings)


def test_search_filters(seeds_client):
    everything = seeds_client.get("/api/reports").json()
    assert everything["total"] == len(SEEDS)
    for path in SEEDS:
        gold = gold_of(path)
        rows = seeds_client.get("/api/reports", params={"year": gold["meta"]["year"]}).json()["reports"]
        assert gold["meta"]["agency"] in [r["agency"] for r in rows]
        assert all(r["year"] == gold["meta"]["year"] for r in rows)
    v2021 = seeds_client.get("/api/reports", params={"format": "2021"}).json()["reports"]
    assert sorted(r["agency"] for r in v2021) == sorted(gold_of(p)["meta"]["agency"] for p in SEEDS
                                                         if gold_of(p)["meta"]["format"] == "2021")
    page = seeds_client.get("/api/reports", params={"per_page": 2, "page": 3}).json()
    assert len(page["reports"]) == len(SEEDS) - 4


def test_stored_report_cells_are_the_gold(seeds_client):
    for row in seeds_client.get("/api/reports").json()["reports"]:
        path = next(p for p in SEEDS if p.name in row["source"])
        body = seeds_client.get(f"/api/reports/{row['id']}").json()
        assert body["cells"] == gold_of(path)["cells"]


def test_unknown_report_is_a_json_404(client):
    r = client.get("/api/reports/12345")
    assert (r.status_code, r.json()["error"]["code"]) == (404, "serve.report.not_found")


def test_invalid_query_is_a_json_error(client):
    r = client.get("/api/reports", params={"year": "abc"})
    assert (r.status_code, r.json()["error"]["code"]) == (422, "serve.request.invalid")


def test_compare_is_the_cli_json(compare_client, compare_url):
    body = compare_client.get("/api/compare/year", params={"year": YEAR, "region": REGION}).json()
    assert body == json.loads(compare_year(compare_url, YEAR, REGION).to_json(orient="records", force_ascii=False))
    assert len(body) == 3
    years = compare_client.get("/api/compare/agency", params={"name": "金东区"}).json()
    assert [r["year"] for r in years] == [2020, 2021, 2022]


def test_export(seeds_client):
    csv = seeds_client.get("/api/export", params={"to": "csv"})
    assert csv.status_code == 200 and csv.content.startswith("\ufeff".encode())
    assert len(csv.text.strip().splitlines()) == 1 + len(SEEDS)
    xlsx = seeds_client.get("/api/export", params={"to": "xlsx", "format": "2021"})
    sheet = openpyxl.load_workbook(io.BytesIO(xlsx.content))["报告"]
    assert sheet.max_row - 1 == sum(1 for p in SEEDS if gold_of(p)["meta"]["format"] == "2021")


def test_codes_include_the_service_codes(client):
    codes = {c["code"] for c in client.get("/api/codes").json()}
    assert {"serve.upload.too_large", "serve.parse.timeout", "check.sum.balance"} <= codes


def test_parser_crash_is_a_json_error(client, monkeypatch):
    "A parser bug on one upload answers serve.parse.crash and leaves the service up."
    monkeypatch.setattr(client.app.state.parser, "_exchange", lambda data, name: ("crash", "ValueError: x"))
    r = upload(client, seed(4))
    assert (r.status_code, r.json()["error"]["code"]) == (422, "serve.parse.crash")


def test_parse_process_reports_a_crash(monkeypatch):
    "The child's loop answers ('crash', text) for a parser exception and keeps serving."
    def broken(data, name):
        raise ValueError("bad table")

    monkeypatch.setattr(worker, "parse_and_check", broken)
    ours, theirs = multiprocessing.Pipe()
    loop = threading.Thread(target=worker._serve, args=(theirs,))
    loop.start()
    ours.send((b"x", "a.txt"))
    assert ours.recv() == ("crash", "ValueError: bad table")
    ours.close()
    loop.join(5)
    assert not loop.is_alive()


def test_killed_parse_process_is_replaced(client):
    client.app.state.parser.warm()
    client.app.state.parser._proc.kill()
    client.app.state.parser._proc.join(5)
    assert upload(client, seed(4)).status_code == 200
