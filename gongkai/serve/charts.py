"""Compare pages' data: the store's compare frames → chart options (ECharts) and the exact table each chart shows."""
from __future__ import annotations

import io
from dataclasses import dataclass
from typing import Any

import pandas as pd
from sqlalchemy import func, select

from gongkai.formats.schema import cell_catalog
from gongkai.store import compare_agency, compare_year, open_engine
from gongkai.store.show import HEADINGS
from gongkai.store.write import CELLS

# 不予公开 is not among the store's headline figures; its total is the sum of the 不予公开 rows' 总计 cells.
DENIED = tuple(c for c in cell_catalog() if c.startswith("requests.denied_") and c.endswith(".total"))
SHARES = {"granted_share": "予以公开占比（%）", "unable_share": "无法提供占比（%）",
          "denied_share": "不予公开占比（%）"}
COUNTS = {"received": "收到申请", "handled": "办理总数", "appeals": "复议诉讼", "corrected": "被纠错"}
NAMES = {**HEADINGS, **COUNTS, **SHARES, "received_change": "较上年（%）"}
BINS = 10  # the share distribution in steps of 10 %


@dataclass(slots=True)
class Chart:
    "One chart and the table beside it: `table` is exactly what the page prints and the downloads contain."

    id: str
    title: str
    option: dict[str, Any]
    table: pd.DataFrame

    def rows(self) -> list[list[Any]]:
        "The table's cells for the template: missing values as None (printed as a dash)."
        return self.table.astype(object).where(self.table.notna(), None).values.tolist()


def _denied_share(db_url: str, frame: pd.DataFrame) -> pd.Series:
    "不予公开 / 办理总数 of each report in a compare frame (NaN when none of the rows was read)."
    ids = [int(i) for i in frame["report_id"].dropna()]
    sums: dict[int, float] = {}
    with open_engine(db_url).connect() as conn:
        for i in range(0, len(ids), 500):  # IN (…) in slices: SQLite caps bound parameters
            sums.update(conn.execute(select(CELLS.c.report_id, func.sum(CELLS.c.value))
                                     .where(CELLS.c.report_id.in_(ids[i:i + 500]), CELLS.c.cell.in_(DENIED))
                                     .group_by(CELLS.c.report_id)).all())
    handled = frame["handled"].astype("Float64")
    return frame["report_id"].map(sums).astype("Float64") / handled.where(handled > 0)


def _shown(frame: pd.DataFrame, columns: list[str]) -> pd.DataFrame:
    "The columns as printed: Chinese headings, shares as percentages to one decimal."
    out = pd.DataFrame(index=frame.index)
    for c in columns:
        v = frame[c]
        out[NAMES[c]] = (v.astype("Float64") * 100).round(1) if c in SHARES or c == "received_change" else v
    return out.reset_index(drop=True)


def _numbers(values: pd.Series) -> list[float | None]:
    return [None if pd.isna(v) else float(v) for v in values]


def _line(unit: str, x: list, series: dict[str, list], percent: bool = False) -> dict[str, Any]:
    "An ECharts line chart; the page's heading is its title, the y axis names the unit."
    return {"tooltip": {"trigger": "axis"}, "legend": {"top": 6}, "grid": {"top": 60, "left": 56, "right": 24},
            "xAxis": {"type": "category", "data": [str(v) for v in x]},
            "yAxis": {"type": "value", "name": unit,
                      "axisLabel": {"formatter": "{value}%" if percent else "{value}"}},
            "series": [{"name": k, "type": "line", "data": v, "connectNulls": True} for k, v in series.items()]}


def _bar(unit: str, x: list, series: dict[str, list], rotate: int = 0) -> dict[str, Any]:
    option = _line(unit, x, series)
    option["xAxis"]["axisLabel"] = {"rotate": rotate, "interval": 0}
    option["grid"]["bottom"] = 110 if rotate else 40
    for s in option["series"]:
        s["type"] = "bar"
    return option


def agency_charts(db_url: str, name: str, region: str | None = None) -> list[Chart]:
    "One agency (every agency whose name contains `name`) across years: requests, outcome shares, appeals."
    frame = compare_agency(db_url, name, region).dropna(subset=["year"])
    if frame.empty:
        return []
    frame["denied_share"] = _denied_share(db_url, frame)
    several = frame["agency"].nunique() > 1
    years = sorted(frame["year"].unique())

    def by_year(column: str) -> dict[str, list]:
        out = {}
        for agency, rows in frame.groupby("agency", sort=False):
            values = rows.set_index("year")[column].reindex(years)
            out[agency] = _numbers(values * 100 if column in SHARES else values)
        return out

    shares = {}
    for c, label in SHARES.items():
        for agency, values in by_year(c).items():
            shares[f"{agency}·{label[:-3]}" if several else label[:-3]] = [None if v is None else round(v, 1)
                                                                          for v in values]
    appeals = {}
    for c in ("appeals", "corrected"):
        for agency, values in by_year(c).items():
            appeals[f"{agency}·{NAMES[c]}" if several else NAMES[c]] = values
    key = ["agency", "year"] if several else ["year"]
    return [
        Chart("received", "收到政府信息公开申请数量", _line("件", years, by_year("received")),
              _shown(frame, key + ["received", "received_change"])),
        Chart("shares", "办理结果占比", _line("占办理总数", years, shares, percent=True),
              _shown(frame, key + ["handled", *SHARES])),
        Chart("appeals", "行政复议和行政诉讼", _line("件", years, appeals),
              _shown(frame, key + ["appeals", "corrected"])),
    ]


def _distribution(frame: pd.DataFrame) -> pd.DataFrame:
    "How many agencies fall in each 10 % band of the 无法提供 and 不予公开 shares."
    labels = [f"{i * 100 // BINS}–{(i + 1) * 100 // BINS}%" for i in range(BINS)]
    out = pd.DataFrame({"占比区间": labels})
    for c in ("unable_share", "denied_share"):
        band = (frame[c].astype("Float64").dropna() * BINS).clip(upper=BINS - 1).astype(int)  # 100 % joins the top band
        out[f"{NAMES[c][:-3]}（机关数）"] = band.value_counts().reindex(range(BINS), fill_value=0).to_numpy()
    return out


def year_charts(db_url: str, year: int, region: str | None = None) -> list[Chart]:
    "The agencies of one year (and region): requests by agency, the full sortable table, the shares' spread."
    frame = compare_year(db_url, year, region)
    if frame.empty:
        return []
    frame["denied_share"] = _denied_share(db_url, frame)
    agencies = frame["agency"].fillna("（机关不明）").tolist()
    dist = _distribution(frame)
    return [
        Chart("received", "各机关收到申请数量",
              _bar("件", agencies, {"收到申请": _numbers(frame["received"])}, rotate=30),
              _shown(frame, ["agency", "region", "received", "received_change"])),
        Chart("table", "各机关主要数字", {},
              _shown(frame, ["agency", "region", "format", "received", "received_change", *SHARES,
                             "appeals", "corrected"])),
        Chart("distribution", "无法提供、不予公开占比的分布",
              _bar("机关数", dist["占比区间"].tolist(), {c[:-5]: dist[c].tolist() for c in dist.columns[1:]}), dist),
    ]


def table_bytes(table: pd.DataFrame, to: str) -> bytes:
    "A chart's table as CSV (UTF-8 with BOM, for Excel) or XLSX, with the headings the page prints."
    if to == "csv":
        return table.to_csv(index=False).encode("utf-8-sig")
    buf = io.BytesIO()
    with pd.ExcelWriter(buf, engine="openpyxl") as writer:
        table.to_excel(writer, sheet_name="数据", index=False)
    return buf.getvalue()
