"""Which reports a compare or export covers: WHERE terms from agency, year, region and format."""
from __future__ import annotations

from typing import Any

from sqlalchemy import Select, and_, func, select

from gongkai.store.write import AGENCIES, REPORTS, agency_key


def report_filter(agency: str | None = None, year: int | None = None, region: str | None = None,
                  format: str | None = None) -> list[Any]:
    "WHERE terms over reports ⋈ agencies: agency and region match their normalised names anywhere."
    terms: list[Any] = []
    if agency:
        terms.append(AGENCIES.c.key.contains(agency_key(agency), autoescape=True))
    if region:
        terms.append(AGENCIES.c.region_key.contains(agency_key(region), autoescape=True))
    if year is not None:
        terms.append(REPORTS.c.year == int(year))
    if format:
        terms.append(REPORTS.c.format == str(format))
    return terms


def latest_reports(terms: list[Any]) -> Select:
    "One report per agency and year, the last one read, when an agency's year was downloaded twice."
    joined = REPORTS.outerjoin(AGENCIES, REPORTS.c.agency_id == AGENCIES.c.id)
    # Reports without an agency are never merged with each other: each is its own group.
    return (select(func.max(REPORTS.c.id)).select_from(joined).where(and_(True, *terms))
            .group_by(func.coalesce(REPORTS.c.agency_id, -REPORTS.c.id), REPORTS.c.year))
