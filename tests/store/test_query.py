"""Compare: headline figures per agency and year, and the change from the previous year."""
from __future__ import annotations

import math

import pytest

from gongkai.model import Report
from gongkai.store import compare_agency, compare_year, render_compare, store_report
from gongkai.store.db import open_engine
from tests.store.conftest import gold_reports


def _store(url: str, report: Report, tag: str, **meta) -> None:  # type: ignore[no-untyped-def]
    report = Report({**report.meta, **meta}, report.cells)
    store_report(open_engine(url), report, f"{tag}.txt", tag.encode().hex().ljust(64, "0")[:64], "0.1.0")


def _scaled(report: Report, k: int) -> Report:
    return Report(report.meta, {c: None if v is None else v * k for c, v in report.cells.items()})


@pytest.fixture
def stored(db_url):  # type: ignore[no-untyped-def]
    "金东区 2022 and 2023 (every figure doubled), 郎溪县科技经信局 2022 (all zero), 武汉市江汉区 2017 (prose era)."
    g = gold_reports()
    _store(db_url, g[4], "jd2022")
    _store(db_url, _scaled(g[4], 2), "jd2023", year=2023)
    _store(db_url, g[3], "lx2022", year=2022)
    _store(db_url, g[1], "jh2017")
    return db_url, g


def test_one_agency_across_years(stored):
    url, g = stored
    cells = g[4].cells
    frame = compare_agency(url, "金东区人民政府办公室")
    assert frame["year"].tolist() == [2022, 2023]
    first, second = frame.iloc[0], frame.iloc[1]
    assert first["received"] == cells["requests.new.total"]
    assert second["received"] == 2 * cells["requests.new.total"]
    assert math.isclose(second["received_change"], 1.0)
    assert math.isclose(first["granted_share"], cells["requests.granted.total"] / cells["requests.total.total"])
    unable = sum(cells[f"requests.unable_{k}.total"] for k in ("not_held", "need_creation", "unclear"))
    assert math.isclose(first["unable_share"], unable / cells["requests.total.total"])
    appeals = sum(cells[f"appeals.{k}.total"] for k in ("review", "suit_direct", "suit_after_review"))
    assert first["appeals"] == appeals and second["appeals"] == 2 * appeals


def test_agencies_of_one_year_with_region_filter(stored):
    url, g = stored
    frame = compare_year(url, 2023)
    assert frame["agency"].tolist() == ["金华市金东区人民政府办公室"]
    assert frame.iloc[0]["received_prev"] == g[4].cells["requests.new.total"]
    both = compare_year(url, 2022)
    assert set(both["agency"]) == {"金华市金东区人民政府办公室", "郎溪县科技经信局"}
    assert both["received"].is_monotonic_decreasing
    zero = both[both["agency"] == "郎溪县科技经信局"].iloc[0]
    assert zero["received"] == 0 and zero["granted_share"] is not None and math.isnan(zero["granted_share"])
    assert compare_year(url, 2022, region="金华")["agency"].tolist() == ["金华市金东区人民政府办公室"]
    assert compare_year(url, 2022, region="浙江省 金华市")["agency"].tolist() == ["金华市金东区人民政府办公室"]


def test_prose_era_figures(stored):
    url, _ = stored
    row = compare_agency(url, "江汉区").iloc[0]
    assert (row["received"], row["appeals"], row["corrected"]) == (63, 39 + 45, 17 + 0)


def test_the_newest_report_of_an_agency_year_counts(stored):
    url, g = stored
    _store(url, _scaled(g[4], 3), "jd2022-again")  # the same year downloaded again, read later
    frame = compare_agency(url, "金东区")
    assert frame["year"].tolist() == [2022, 2023]
    assert frame.iloc[0]["received"] == 3 * g[4].cells["requests.new.total"]


def test_rich_table_has_chinese_headings(stored):
    from rich.console import Console

    console = Console(record=True, width=160)
    render_compare(compare_agency(stored[0], "金东区"), "金华市金东区人民政府办公室", console)
    out = console.export_text()
    assert "收到申请" in out and "予以公开占比" in out and "2023" in out and "+100.0%" in out
