"""Export stored reports to CSV, XLSX or Parquet: wide (one row per report) or long (one row per cell)."""
from __future__ import annotations

from operator import itemgetter
from pathlib import Path
from typing import TYPE_CHECKING

from sqlalchemy import select

from gongkai.formats.schema import cell_catalog, cell_label
from gongkai.store.db import open_engine
from gongkai.store.filters import report_filter
from gongkai.store.write import AGENCIES, CELLS, FINDINGS, REPORTS

META = {"report_id": "报告编号", "agency": "机关", "region": "地区", "year": "年度", "format": "格式版本",
        "published": "发布日期", "script": "字体", "container": "文件类型", "source": "来源文件",
        "sha256": "SHA-256", "parser_version": "解析器版本", "read_at": "读取时间"}
LONG = {"cell": "单元格", "label": "名称", "value": "数值", "line": "行号", "snippet": "原文"}
FINDING = {"report_id": "报告编号", "agency": "机关", "year": "年度", "source": "来源文件", "code": "代码",
           "severity": "级别", "message": "说明", "cells": "涉及单元格", "suspect": "可疑单元格"}
SEVERITY = {"error": "错误", "warning": "警告", "info": "提示"}
FORMATS = (".csv", ".xlsx", ".parquet")

if TYPE_CHECKING:  # pandas is imported where used, so `import gongkai.store` (and every ingest worker) stays light
    import pandas as pd


class ExportError(ValueError):
    "An export the user asked for that cannot be written (unknown file type)."


def _reports(conn, terms) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    import pandas as pd

    query = (select(REPORTS.c.id.label("report_id"), AGENCIES.c.name.label("agency"), REPORTS.c.region,
                    REPORTS.c.year, REPORTS.c.format, REPORTS.c.published, REPORTS.c.script, REPORTS.c.container,
                    REPORTS.c.source, REPORTS.c.sha256, REPORTS.c.parser_version, REPORTS.c.read_at)
             .select_from(REPORTS.outerjoin(AGENCIES, REPORTS.c.agency_id == AGENCIES.c.id))
             .where(*terms).order_by(REPORTS.c.id))
    frame = pd.DataFrame(conn.execute(query).all(), columns=list(META))
    frame["year"] = frame["year"].astype("Int64")
    return frame


def _cells(conn, ids: list[int]) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    import pandas as pd

    rows = []
    for i in range(0, len(ids), 500):  # IN (…) in slices: SQLite caps bound parameters
        rows += conn.execute(select(CELLS.c.report_id, CELLS.c.cell, CELLS.c.value, CELLS.c.line, CELLS.c.snippet)
                             .where(CELLS.c.report_id.in_(ids[i:i + 500]))).all()
    # By report, then cell id, sorted here, the same on every database: SQLite returns primary key order,
    # PostgreSQL heap order (and would sort text by its locale's collation).
    rows.sort(key=itemgetter(0, 1))
    return pd.DataFrame(rows, columns=["report_id", "cell", "value", "line", "snippet"])


def _ordered(cells) -> list[str]:  # type: ignore[no-untyped-def]
    "Cell ids in the order of cells.csv (the order of the printed tables); unknown ids last."
    order = {c: i for i, c in enumerate(cell_catalog())}
    return sorted(set(cells), key=lambda c: (order.get(c, len(order)), c))


def _integers(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    "Counts come back from the Float column as whole numbers: show them as integers (blank stays blank)."
    for c in columns:
        col = frame[c]
        if col.notna().any() and (col.dropna() % 1 == 0).all():
            frame[c] = col.astype("Float64").astype("Int64")
    return frame


def wide_frame(db_url: str | None = None, **filters) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    "One row per stored report: meta columns, then one column per cell id."
    import pandas as pd

    with open_engine(db_url).connect() as conn:
        reports = _reports(conn, report_filter(**filters))
        cells = _cells(conn, reports["report_id"].tolist())
    values = cells.pivot(index="report_id", columns="cell", values="value") if len(cells) else pd.DataFrame()
    order = _ordered(values.columns)
    frame = reports.join(values.reindex(columns=order), on="report_id")
    return _integers(frame, order)


def long_frame(db_url: str | None = None, **filters) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    "One row per stored cell: its report, id, Chinese name, value and the line it was read from."
    with open_engine(db_url).connect() as conn:
        reports = _reports(conn, report_filter(**filters))
        cells = _cells(conn, reports["report_id"].tolist())
    cells["label"] = cells["cell"].map(cell_label)
    cells["line"] = cells["line"].astype("Int64")  # blank cells have no line: without this, 37 prints as 37.0
    frame = reports[["report_id", "agency", "region", "year", "format", "source"]].merge(cells, on="report_id")
    frame = frame[["report_id", "agency", "region", "year", "format", "source", *LONG]]
    return _integers(frame, ["value"]) if len(frame) else frame


def findings_frame(db_url: str | None = None, **filters) -> pd.DataFrame:  # type: ignore[no-untyped-def]
    "Every finding of the selected reports."
    import pandas as pd

    query = (select(FINDINGS.c.report_id, AGENCIES.c.name, REPORTS.c.year, REPORTS.c.source, FINDINGS.c.code,
                    FINDINGS.c.severity, FINDINGS.c.message, FINDINGS.c.cells, FINDINGS.c.suspect)
             .select_from(FINDINGS.join(REPORTS, FINDINGS.c.report_id == REPORTS.c.id)
                          .outerjoin(AGENCIES, REPORTS.c.agency_id == AGENCIES.c.id))
             .where(*report_filter(**filters)).order_by(FINDINGS.c.report_id, FINDINGS.c.id))
    with open_engine(db_url).connect() as conn:
        frame = pd.DataFrame(conn.execute(query).all(), columns=list(FINDING))
    frame["year"] = frame["year"].astype("Int64")
    frame["cells"] = frame["cells"].map(lambda c: " ".join(c or []))
    return frame


def export(db_url: str | None, path: str | Path, long: bool = False, **filters) -> int:  # type: ignore[no-untyped-def]
    """Write the selected reports to .csv, .xlsx or .parquet; returns the number of data rows written.

    filters: agency (name contains), year, region (contains), format ("2008" / "2019" / "2021").
    """
    path = Path(path)
    suffix = path.suffix.lower()
    if suffix not in FORMATS:
        raise ExportError(f"不支持的导出格式“{path.suffix or path.name}”，请使用 .csv、.xlsx 或 .parquet")
    frame = long_frame(db_url, **filters) if long else wide_frame(db_url, **filters)
    path.parent.mkdir(parents=True, exist_ok=True)
    if suffix == ".csv":
        frame.to_csv(path, index=False, encoding="utf-8-sig")  # the BOM makes Excel read the CSV as UTF-8
    elif suffix == ".parquet":
        frame.to_parquet(path, index=False)
    else:
        from gongkai.store.xlsx import write_xlsx

        write_xlsx(path, frame, findings_frame(db_url, **filters), long=long)
    return len(frame)
