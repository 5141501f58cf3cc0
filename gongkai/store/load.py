"""Read a stored report back into a Report, with its provenance and findings."""
from __future__ import annotations

from collections.abc import Iterable, Sequence
from functools import cache

from sqlalchemy import RowMapping, select

from gongkai.findings import Finding
from gongkai.formats.schema import all_formats
from gongkai.model import Loc, Provenance, Report
from gongkai.store.db import open_engine
from gongkai.store.filters import latest_reports
from gongkai.store.write import AGENCIES, CELLS, FINDINGS, REPORTS, agency_key


def number(value: float | None) -> int | float | None:
    "Cells are stored as floating point; whole numbers come back as int, as the parser gave them."
    return int(value) if value is not None and float(value).is_integer() else value


def load_report(db_url: str | None, sha256: str | None = None, report_id: int | None = None) -> Report:
    "The stored report with this sha256 (or id); KeyError when there is none."
    engine = open_engine(db_url)
    where = REPORTS.c.sha256 == sha256 if sha256 else REPORTS.c.id == report_id
    with engine.connect() as conn:
        row = conn.execute(select(REPORTS).where(where)).mappings().first()
        if row is None:
            raise KeyError(f"数据库中没有这份报告：{sha256 or report_id}")
        cells = conn.execute(select(CELLS).where(CELLS.c.report_id == row["id"])).mappings().all()
        findings = conn.execute(select(FINDINGS).where(FINDINGS.c.report_id == row["id"])
                                .order_by(FINDINGS.c.id)).mappings().all()
    meta = {**row["meta"], "sha256": row["sha256"], "source": row["source"]}
    values, provenance = {}, {}
    for c in _in_format_order(cells, row["format"]):
        values[c["cell"]] = number(c["value"])
        if c["start"] is not None:
            loc = Loc(c["start"], c["end"], **_loc_fields(c["loc"])) if c["loc"] else None
            provenance[c["cell"]] = Provenance(c["start"], c["end"], c["line"], c["snippet"], loc, c["how"] or "read")
    return Report(meta, values, provenance, tuple(Finding.from_dict({**f, "source": f["source"]}) for f in findings))


def _in_format_order(cells: Sequence[RowMapping], version: str | None) -> list[RowMapping]:
    """A report's cell rows in the order parse gives them, its format's; cells the format lacks after, by id.
    The database's row order is no guide: SQLite returns primary key order, PostgreSQL heap order."""
    places = _places().get(version or "", {})
    return sorted(cells, key=lambda c: (places.get(c["cell"], len(places)), c["cell"]))


@cache
def _places() -> dict[str, dict[str, int]]:
    "Each format's cell ids with their place in its cell order, worked out once."
    return {spec.version: {c: i for i, c in enumerate(spec.cells)} for spec in all_formats()}


def reports_of_agency(db_url: str | None, agency: str | None, years: Iterable[int]) -> list[Report]:
    """The stored reports of the agency (exact normalised name, any region) for these years, oldest first:
    what `gongkai check --db` compares a report with (carry-over, repeated tables)."""
    years = list(years)
    if not agency or not years:
        return []
    joined = REPORTS.join(AGENCIES, REPORTS.c.agency_id == AGENCIES.c.id)
    query = (select(REPORTS.c.id).select_from(joined)
             .where(AGENCIES.c.key == agency_key(agency), REPORTS.c.year.in_(years),
                    REPORTS.c.id.in_(latest_reports([AGENCIES.c.key == agency_key(agency)])))
             .order_by(REPORTS.c.year, REPORTS.c.id))
    with open_engine(db_url).connect() as conn:
        ids = conn.execute(query).scalars().all()
    return [load_report(db_url, report_id=i) for i in ids]


def _loc_fields(loc: dict) -> dict:
    fields = {k: v for k, v in loc.items() if k in ("table", "row", "col", "page")}
    if loc.get("bbox"):
        fields["bbox"] = tuple(loc["bbox"])
    return fields
