"""End to end in Debian's Chromium: upload a seed, read the numbers, click a cell, see a finding, open a chart."""
from __future__ import annotations

from urllib.parse import urlparse

import pytest

from gongkai import parse
from gongkai.render.layout import number_text
from gongkai.serve import create_app
from gongkai.store import ingest
from gongkai.store.db import close_engine
from tests.browser import chromium, served
from tests.conftest import SEEDS, gold_of
from tests.serve.conftest import seed, store_compare
from tests.serve.test_api import mutated

pytestmark = pytest.mark.browser


@pytest.fixture(scope="module")
def base_url(tmp_path_factory):
    url = f"sqlite:///{tmp_path_factory.mktemp('browser')}/serve.db"
    ingest(SEEDS, url)
    store_compare(url)
    with served(create_app(url)) as base:
        yield base
    close_engine(url)


@pytest.fixture(scope="module")
def browser():
    with chromium() as b:
        yield b


@pytest.fixture
def tab(browser, base_url):
    "A page that may only talk to the app: any other host fails the test."
    context = browser.new_context(viewport={"width": 1400, "height": 900})
    page = context.new_page()
    outside, errors = [], []
    page.route("**/*", lambda route: (route.continue_() if urlparse(route.request.url).hostname == "127.0.0.1"
                                      else (outside.append(route.request.url), route.abort())))
    page.on("pageerror", lambda e: errors.append(str(e)))
    yield page
    context.close()
    assert not outside, f"requests off the loopback: {outside}"
    assert not errors, f"script errors: {errors}"


def upload(page, base_url: str, name: str, data: bytes) -> None:
    page.goto(base_url + "/")
    page.set_input_files("#file", {"name": name, "mimeType": "text/plain", "buffer": data})
    page.click("#submit")
    page.wait_for_selector("table.requests")


def test_upload_shows_the_requests_table_and_a_cell_source(tab, base_url):
    path = seed(4)
    upload(tab, base_url, path.name, path.read_bytes())
    gold = gold_of(path)["cells"]
    for cell in ("requests.new.total", "requests.new.natural", "requests.granted.total",
                 "requests.carried_forward.total"):
        assert tab.inner_text(f'table.requests td[data-cell="{cell}"]') == number_text(gold[cell])
    where = parse(path).provenance["requests.new.total"]
    tab.click('table.requests td[data-cell="requests.new.total"]')
    assert tab.is_visible("#source-panel")
    assert tab.inner_text("#source-panel .snippet") == where.snippet
    assert f"第{where.line}行" in tab.inner_text("#source-panel .cell-where")
    mark = tab.locator('#source-text mark.picked')
    assert mark.first.inner_text() == number_text(gold["requests.new.total"])


def test_mutated_report_shows_the_finding(tab, base_url):
    upload(tab, base_url, "broken.txt", mutated(seed(4)))
    finding = tab.locator("li.finding.error", has_text="check.sum.balance").first
    assert finding.is_visible()
    assert "error" in tab.get_attribute('td[data-cell="requests.new.natural"]', "class").split()
    finding.click()
    for cell in finding.get_attribute("data-cells").split():
        assert "picked" in tab.get_attribute(f'td.value[data-cell="{cell}"]', "class").split()


def test_compare_chart_is_drawn(tab, base_url):
    tab.goto(base_url + "/compare?agency=金东区")
    tab.wait_for_selector('div[data-chart="received"][data-ready="1"] canvas')
    box = tab.locator('div[data-chart="received"] canvas').bounding_box()
    assert box["width"] > 300 and box["height"] > 200
    years = tab.locator('table[data-table="received"] tbody tr td:first-child').all_inner_texts()
    assert years == ["2020", "2021", "2022"]


def test_compare_table_sorts(tab, base_url):
    tab.goto(base_url + "/compare?year=2022&region=浙江省金华市")
    table = 'table[data-table="table"]'
    tab.click(f"{table} th:nth-child(4)")  # 收到申请, ascending
    received = [int(v) for v in tab.locator(f"{table} tbody td:nth-child(4)").all_inner_texts()]
    assert received == sorted(received) and len(received) == 3
