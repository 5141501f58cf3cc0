"""Export: wide and long tables in CSV, Parquet and XLSX (Chinese headers, frozen header row, findings sheet)."""
from __future__ import annotations

import openpyxl
import pandas as pd
import pytest

from gongkai.formats.schema import cell_label
from gongkai.store import ExportError, export, ingest
from tests.conftest import SEEDS


@pytest.fixture
def seeded(db_url):  # type: ignore[no-untyped-def]
    ingest(SEEDS, db_url, progress=False)
    return db_url


def test_wide_csv_has_one_row_per_report(seeded, tmp_path):
    assert export(seeded, tmp_path / "all.csv") == len(SEEDS)
    frame = pd.read_csv(tmp_path / "all.csv", encoding="utf-8-sig")
    assert {"agency", "region", "year", "format", "sha256", "requests.new.total"} <= set(frame.columns)
    row = frame.set_index("agency").loc["武汉市江汉区人民政府"]
    assert row["legacy.requests.received"] == 63 and row["year"] == 2017


def test_long_parquet_keeps_value_and_source_snippet(seeded, tmp_path):
    n = export(seeded, tmp_path / "cells.parquet", long=True, year=2021)
    frame = pd.read_parquet(tmp_path / "cells.parquet")
    assert n == len(frame) == 200 and set(frame["year"]) == {2021}
    row = frame.set_index("cell").loc["requests.new.total"]
    assert row["value"] == 0 and row["label"] == cell_label("requests.new.total") and row["snippet"]


def test_long_csv_prints_line_numbers_as_integers(seeded, tmp_path):
    export(seeded, tmp_path / "cells.csv", long=True)
    frame = pd.read_csv(tmp_path / "cells.csv", encoding="utf-8-sig", dtype={"line": str})
    lines = frame["line"].dropna()
    assert frame["line"].isna().any() and len(lines) > 100  # blank cells have no line, printed ones do
    assert lines.str.fullmatch(r"\d+").all()


def test_xlsx_has_chinese_headers_frozen_row_and_findings(seeded, tmp_path):
    export(seeded, tmp_path / "reports.xlsx")
    book = openpyxl.load_workbook(tmp_path / "reports.xlsx", read_only=False)
    assert book.sheetnames == ["报告", "发现", "列说明"]
    sheet = book["报告"]
    headers = [c.value for c in sheet[1]]
    assert headers[:4] == ["报告编号", "机关", "地区", "年度"]
    assert cell_label("requests.new.total") in headers and "requests.new.total" not in headers
    assert all(book[name].freeze_panes == "A2" for name in book.sheetnames)
    findings = [c.value for c in book["发现"][1]]
    assert findings[:5] == ["报告编号", "机关", "年度", "来源文件", "代码"]
    assert book["发现"].max_row >= 2  # the traditional-script seed carries read.script.traditional
    key = {r[0]: r[1] for r in book["列说明"].iter_rows(min_row=2, values_only=True)}
    assert key[cell_label("requests.new.total")] == "requests.new.total"


def test_filters_and_unknown_format(seeded, tmp_path):
    assert export(seeded, tmp_path / "jd.csv", agency="金东区") == 1
    assert export(seeded, tmp_path / "none.csv", region="西藏") == 0
    with pytest.raises(ExportError, match="不支持的导出格式"):
        export(seeded, tmp_path / "x.json")
