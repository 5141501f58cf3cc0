"""Compare: headline figures of one agency across years, or of the agencies of one year, as pandas frames."""
from __future__ import annotations

from typing import Any

import pandas as pd
from sqlalchemy import func, select

from gongkai.store.db import open_engine
from gongkai.store.filters import latest_reports, report_filter
from gongkai.store.write import AGENCIES, CELLS, REPORTS

UNABLE = ("requests.unable_not_held.total", "requests.unable_need_creation.total", "requests.unable_unclear.total")
APPEALS = ("appeals.review.total", "appeals.suit_direct.total", "appeals.suit_after_review.total")
CORRECTED = ("appeals.review.corrected", "appeals.suit_direct.corrected", "appeals.suit_after_review.corrected")
# The 2008-era reports state the same figures in prose (legacy.* cells); they have no 予以公开/无法提供 table.
LEGACY_APPEALS = ("legacy.review.total", "legacy.suit.total")
LEGACY_CORRECTED = ("legacy.review.corrected", "legacy.suit.corrected")
HEADLINE_CELLS = ("requests.new.total", "legacy.requests.received", "requests.total.total", "requests.granted.total",
                  *UNABLE, *APPEALS, *CORRECTED, *LEGACY_APPEALS, *LEGACY_CORRECTED)
COLUMNS = ["agency", "region", "year", "format", "received", "received_prev", "received_change", "handled",
           "granted", "granted_share", "unable", "unable_share", "appeals", "corrected", "report_id", "source"]


def _figures(db_url: str | None, terms: list[Any]) -> pd.DataFrame:
    "Headline cells of the newest report per agency and year matching the terms, one row per report."
    engine = open_engine(db_url)
    query = (select(REPORTS.c.id.label("report_id"), REPORTS.c.year, REPORTS.c.format, REPORTS.c.source,
                    REPORTS.c.agency_id, func.coalesce(AGENCIES.c.name, REPORTS.c.meta["agency"].as_string())
                    .label("agency"), func.coalesce(AGENCIES.c.region, REPORTS.c.region).label("region"),
                    CELLS.c.cell, CELLS.c.value)
             .select_from(REPORTS.outerjoin(AGENCIES, REPORTS.c.agency_id == AGENCIES.c.id)
                          .outerjoin(CELLS, (CELLS.c.report_id == REPORTS.c.id) & CELLS.c.cell.in_(HEADLINE_CELLS)))
             .where(REPORTS.c.id.in_(latest_reports(terms))))
    with engine.connect() as conn:
        rows = pd.DataFrame(conn.execute(query).all(), columns=["report_id", "year", "format", "source", "agency_id",
                                                                "agency", "region", "cell", "value"])
    meta = rows.drop(columns=["cell", "value"]).drop_duplicates("report_id").set_index("report_id")
    values = rows.dropna(subset=["cell"]).pivot(index="report_id", columns="cell", values="value")
    return meta.join(values.reindex(columns=list(HEADLINE_CELLS)))


def headline(figures: pd.DataFrame) -> pd.DataFrame:
    "Requests received, 予以公开 and 无法提供 shares, appeals and corrected appeals from the headline cells."
    f = figures
    out = pd.DataFrame(index=f.index)
    for c in ("agency", "region", "year", "format", "source", "agency_id"):
        out[c] = f[c]
    out["received"] = f["requests.new.total"].fillna(f["legacy.requests.received"])
    out["handled"] = f["requests.total.total"]
    out["granted"] = f["requests.granted.total"]
    out["unable"] = _sum(f, UNABLE)
    handled = out["handled"].where(out["handled"] > 0)
    out["granted_share"] = out["granted"] / handled
    out["unable_share"] = out["unable"] / handled
    out["appeals"] = _sum(f, APPEALS).fillna(_sum(f, LEGACY_APPEALS))
    out["corrected"] = _sum(f, CORRECTED).fillna(_sum(f, LEGACY_CORRECTED))
    out["report_id"] = out.index
    return out.reset_index(drop=True)


def _sum(f: pd.DataFrame, cells: tuple[str, ...]) -> pd.Series:
    "Sum of cells; NaN only when none of them was read (a printed blank counts as absent, not as 0)."
    return f[list(cells)].sum(axis=1, min_count=1)


def _with_change(frame: pd.DataFrame, previous: pd.DataFrame) -> pd.DataFrame:
    "Add the agency's requests received in the previous year and the relative change."
    prev = previous.dropna(subset=["agency_id"])[["agency_id", "year", "received"]]
    prev = prev.assign(year=prev["year"] + 1).rename(columns={"received": "received_prev"})
    out = frame.merge(prev, on=["agency_id", "year"], how="left")
    base = out["received_prev"].where(out["received_prev"] > 0)
    out["received_change"] = (out["received"] - out["received_prev"]) / base
    return out


def compare_agency(db_url: str | None, name: str, region: str | None = None) -> pd.DataFrame:
    "One agency (every agency whose name contains `name`) across years, oldest first."
    frame = headline(_figures(db_url, report_filter(agency=name, region=region)))
    frame = _with_change(frame, frame)
    return _finish(frame.sort_values(["agency", "region", "year"], na_position="last"))


def compare_year(db_url: str | None, year: int, region: str | None = None) -> pd.DataFrame:
    "The agencies of one year (optionally of one region), most requests first, with the change from year-1."
    frame = headline(_figures(db_url, report_filter(year=year, region=region)))
    previous = headline(_figures(db_url, report_filter(year=int(year) - 1, region=region)))
    frame = _with_change(frame, previous)
    return _finish(frame.sort_values(["received", "agency"], ascending=[False, True], na_position="last"))


def _finish(frame: pd.DataFrame) -> pd.DataFrame:
    frame = frame.reindex(columns=COLUMNS).reset_index(drop=True)
    frame["year"] = frame["year"].astype("Int64")
    for c in ("received", "received_prev", "handled", "granted", "unable", "appeals", "corrected"):
        frame[c] = frame[c].astype("Float64").round().astype("Int64")
    return frame
