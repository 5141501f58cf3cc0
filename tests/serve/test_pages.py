"""The Chinese pages, read as HTML: check page tables and sources, findings, the reports list, compare tables."""
from __future__ import annotations

import csv
import io
import zipfile

import openpyxl
from lxml import html

from gongkai import parse
from gongkai.render.layout import number_text
from gongkai.store import compare_agency, compare_year
from tests.conftest import SEEDS, gold_of
from tests.serve.conftest import REGION, YEAR, seed
from tests.serve.test_api import JUNK, mutated


def page(response):  # type: ignore[no-untyped-def]
    assert response.status_code == 200, response.text[:500]
    return html.fromstring(response.text)


def check_page(client, name: str, data: bytes, **form):  # type: ignore[no-untyped-def]
    return client.post("/check", files={"file": (name, data)}, data=form)


def has(name: str) -> str:
    "XPath test for one class among an element's classes (lxml without cssselect)."
    return f"contains(concat(' ', normalize-space(@class), ' '), ' {name} ')"


def value_cells(doc, table: str) -> dict[str, str]:
    return {td.get("data-cell"): td.text_content() for td in doc.xpath(f"//table[{has(table)}]//td[@data-cell]")}


def test_check_page_draws_the_requests_table(client):
    for path in SEEDS:
        gold = gold_of(path)
        doc = page(check_page(client, path.name, path.read_bytes()))
        shown = value_cells(doc, "requests")
        expected = {c: number_text(v) for c, v in gold["cells"].items() if c.startswith("requests.")}
        assert {c: shown[c] for c in expected} == expected, path.name
        assert "本次上传未保存" in doc.text_content()


def test_every_read_cell_is_marked_in_the_source(client):
    path = seed(4)
    report = parse(path)
    doc = page(check_page(client, path.name, path.read_bytes()))
    marks = {}
    for m in doc.xpath("//pre[@id='source-text']/mark"):
        for cell in m.get("data-cells").split():
            marks[cell] = m.text_content()
    assert marks == {c: report.text[p.start:p.end] for c, p in report.provenance.items()}
    td = doc.xpath("//td[@data-cell='requests.new.total']")[0]
    where = report.provenance["requests.new.total"]
    assert td.get("title") == f"第{where.line}行：{where.snippet}"


def test_mutated_report_shows_its_finding_beside_the_cell(client):
    doc = page(check_page(client, "broken.txt", mutated(seed(4))))
    codes = doc.xpath(f"//li[{has('finding')} and {has('error')}]/code/text()")
    assert "check.sum.balance" in codes
    td = doc.xpath("//td[@data-cell='requests.new.natural']")[0]
    assert {"error", "suspect"} <= set(td.get("class").split())
    assert doc.xpath(f"//h1/span[{has('badge')} and {has('error')}]")


def test_unreadable_upload_gets_a_chinese_error_page(client):
    r = check_page(client, JUNK.name, JUNK.read_bytes())
    assert r.status_code == 422 and "text/html" in r.headers["content-type"]
    doc = html.fromstring(r.text)
    assert doc.xpath("//h1")[0].text == "无法完成请求" and "read.binary" in doc.text_content()


def test_unknown_page_is_a_chinese_404(client):
    r = client.get("/no/such/page")
    assert r.status_code == 404 and "serve.not_found" in r.text and "没有这个地址" in r.text


def test_save_from_the_check_page(client):
    doc = page(check_page(client, seed(2).name, seed(2).read_bytes(), save="true"))
    link = doc.xpath(f"//p[{has('saved')}]/a/@href")[0]
    report = page(client.get(link))
    total = gold_of(seed(2))["cells"]["requests.new.total"]
    assert value_cells(report, "requests")["requests.new.total"] == number_text(total)
    # the uploaded bytes were kept with the store, so the page shows the full text, not the line excerpts
    assert "原文件不在库中" not in report.xpath(f"//section[{has('source')}]/h2")[0].text_content()


def test_reports_list_filters(seeds_client):
    doc = page(seeds_client.get("/reports"))
    assert len(doc.xpath("//table[@id='reports']/tbody/tr")) == len(SEEDS)
    gold = gold_of(seed(0))
    doc = page(seeds_client.get("/reports", params={"year": gold["meta"]["year"], "agency": "滨江"}))
    rows = doc.xpath("//table[@id='reports']/tbody/tr")
    assert len(rows) == 1 and gold["meta"]["agency"] in rows[0].text_content()
    with_errors = page(seeds_client.get("/reports", params={"errors": "yes"}))
    assert not with_errors.xpath("//table[@id='reports']/tbody/tr//a")


def test_report_page_and_downloads(seeds_client):
    for row in seeds_client.get("/api/reports").json()["reports"]:
        path = next(p for p in SEEDS if p.name in row["source"])
        doc = page(seeds_client.get(f"/reports/{row['id']}"))
        assert doc.xpath("//pre[@id='source-text']/mark") and "原文件不在库中" not in doc.text_content()
        body = seeds_client.get(f"/reports/{row['id']}/download/json").json()
        assert body["cells"] == gold_of(path)["cells"]
    docx = seeds_client.get(f"/reports/{row['id']}/download/docx")
    assert "word/document.xml" in zipfile.ZipFile(io.BytesIO(docx.content)).namelist()
    rendered = html.fromstring(seeds_client.get(f"/reports/{row['id']}/download/html").text)
    assert rendered.xpath("//table//td[@data-cell]")


def number(v):  # type: ignore[no-untyped-def]
    "A table cell compared by value: XLSX gives 100 where the page prints 100.0."
    try:
        return float(v)
    except (TypeError, ValueError):
        return "" if v is None else v


def chart_table(doc, chart: str) -> list[list[str]]:
    table = doc.xpath(f"//table[@data-table='{chart}']")[0]
    return [[c.text_content() for c in tr.xpath("th|td")] for tr in table.xpath(".//tr")]


def test_agency_compare_tables_and_downloads(compare_client, compare_url):
    query = {"agency": "金东区"}
    doc = page(compare_client.get("/compare", params=query))
    frame = compare_agency(compare_url, "金东区")
    received = chart_table(doc, "received")
    assert received[0][:2] == ["年度", "收到申请"]
    assert [r[1] for r in received[1:]] == [str(v) for v in frame["received"]]
    assert doc.xpath("//div[@data-chart='shares']") and doc.xpath("//script[@id='option-appeals']")
    for chart in ("received", "shares", "appeals"):
        shown = [[c.replace("—", "") for c in row] for row in chart_table(doc, chart)]
        got = compare_client.get("/compare/download", params={**query, "chart": chart, "to": "csv"})
        assert list(csv.reader(io.StringIO(got.content.decode("utf-8-sig")))) == shown
        xlsx = compare_client.get("/compare/download", params={**query, "chart": chart, "to": "xlsx"})
        rows = openpyxl.load_workbook(io.BytesIO(xlsx.content)).active.iter_rows(values_only=True)
        assert [[number(v) for v in row] for row in rows] == [[number(v) for v in row] for row in shown]


def test_year_compare_is_sorted_and_spread(compare_client, compare_url):
    doc = page(compare_client.get("/compare", params={"year": YEAR, "region": REGION}))
    frame = compare_year(compare_url, YEAR, REGION)
    received = chart_table(doc, "received")
    assert [r[0] for r in received[1:]] == list(frame["agency"])
    assert [int(r[2]) for r in received[1:]] == sorted(frame["received"], reverse=True)
    assert doc.xpath(f"//table[{has('sortable')} and @data-table='table']//th")
    spread = chart_table(doc, "distribution")
    unable_counted = sum(int(r[1]) for r in spread[1:])
    assert unable_counted == frame["unable_share"].notna().sum()


def test_compare_without_matches_says_so(compare_client):
    doc = page(compare_client.get("/compare", params={"agency": "没有这个机关"}))
    assert "没有符合条件的报告" in doc.text_content() and not doc.xpath("//div[@data-chart]")


def test_unknown_chart_download_is_404(compare_client):
    r = compare_client.get("/compare/download", params={"agency": "金东区", "chart": "nope"})
    assert r.status_code == 404


def test_pages_load_nothing_from_other_hosts(client, compare_client):
    "Closed network: every script and stylesheet is served by the app itself."
    for c, url in ((client, "/"), (compare_client, "/compare?agency=金东区"), (client, "/apidoc")):
        doc = page(c.get(url))
        refs = doc.xpath("//script/@src") + doc.xpath("//link/@href")
        assert refs and all(r.startswith("/static/") for r in refs)
        for r in refs:
            assert c.get(r).status_code == 200


def test_assets_and_templates_are_package_data():
    "A wheel carries the templates, the CSS/JS and the vendored ECharts (pyproject's package-data patterns)."
    import fnmatch
    import tomllib

    from tests.conftest import ROOT

    pyproject = tomllib.loads((ROOT / "pyproject.toml").read_text("utf-8"))
    patterns = pyproject["tool"]["setuptools"]["package-data"]["gongkai"]
    serve = ROOT / "gongkai" / "serve"
    files = [f for d in ("templates", "static") for f in (serve / d).rglob("*") if f.is_file() and f.name != "LICENSE"]
    assert serve / "static" / "vendor" / "echarts.min.js" in files
    for f in files:
        rel = f.relative_to(ROOT / "gongkai").as_posix()
        assert any(fnmatch.fnmatch(rel, p) or fnmatch.fnmatch(f.name, p.split("/")[-1]) for p in patterns), rel
