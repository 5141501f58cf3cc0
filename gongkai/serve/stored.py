"""Reports in the store as the service needs them: search with counts of findings, load with a fresh check, save."""
from __future__ import annotations

import dataclasses
import os
from functools import lru_cache
from pathlib import Path
from typing import Any

from sqlalchemy import and_, case, func, select
from sqlalchemy.engine import make_url

from gongkai.check import check
from gongkai.model import Report
from gongkai.read import UnreadableError, read
from gongkai.serve.limits import ServeError
from gongkai.store import load_report, open_engine, parser_version, store_report
from gongkai.store.db import normal_url
from gongkai.store.filters import report_filter
from gongkai.store.write import AGENCIES, FINDINGS, REPORTS

LIST_COLUMNS = ("id", "agency", "region", "year", "format", "container", "published", "source", "errors", "warnings")


def search_reports(db_url: str, *, agency: str | None = None, region: str | None = None, year: int | None = None,
                   format: str | None = None, container: str | None = None, has_errors: bool | None = None,
                   page: int = 1, per_page: int = 50) -> tuple[int, list[dict[str, Any]]]:
    "Stored reports matching the filters, newest year first: (how many match, the rows of one page)."
    counts = (select(FINDINGS.c.report_id,
                     func.sum(case((FINDINGS.c.severity == "error", 1), else_=0)).label("errors"),
                     func.sum(case((FINDINGS.c.severity == "warning", 1), else_=0)).label("warnings"))
              .group_by(FINDINGS.c.report_id).subquery())
    terms = report_filter(agency=agency, year=year, region=region, format=format)
    if container:
        terms.append(REPORTS.c.container == container)
    errors = func.coalesce(counts.c.errors, 0)
    if has_errors is not None:
        terms.append(errors > 0 if has_errors else errors == 0)
    joined = (REPORTS.outerjoin(AGENCIES, REPORTS.c.agency_id == AGENCIES.c.id)
              .outerjoin(counts, counts.c.report_id == REPORTS.c.id))
    query = (select(REPORTS.c.id, func.coalesce(AGENCIES.c.name, REPORTS.c.meta["agency"].as_string()),
                    func.coalesce(AGENCIES.c.region, REPORTS.c.region), REPORTS.c.year, REPORTS.c.format,
                    REPORTS.c.container, REPORTS.c.published, REPORTS.c.source, errors,
                    func.coalesce(counts.c.warnings, 0))
             .select_from(joined).where(and_(True, *terms)))
    with open_engine(db_url).connect() as conn:
        total = conn.execute(select(func.count()).select_from(query.subquery())).scalar_one()
        rows = conn.execute(query.order_by(REPORTS.c.year.desc().nulls_last(), REPORTS.c.id.desc())
                            .limit(per_page).offset((page - 1) * per_page)).all()
    return total, [dict(zip(LIST_COLUMNS, r)) for r in rows]


def filter_choices(db_url: str) -> dict[str, list]:
    "The years, table formats and containers present in the store, for the search form's lists."
    with open_engine(db_url).connect() as conn:
        return {c: [v for (v,) in conn.execute(select(getattr(REPORTS.c, c)).distinct().order_by(
            getattr(REPORTS.c, c).desc())) if v is not None] for c in ("year", "format", "container")}


def originals_dir(db_url: str) -> Path | None:
    "Where uploads saved to the store keep their bytes: GONGKAI_UPLOADS, else beside a SQLite file, else nowhere."
    if os.environ.get("GONGKAI_UPLOADS"):
        return Path(os.environ["GONGKAI_UPLOADS"])
    url = make_url(normal_url(db_url))
    if url.get_backend_name() == "sqlite" and url.database not in (None, "", ":memory:"):
        return Path(url.database).with_name(Path(url.database).name + ".uploads")
    return None


def save_upload(db_url: str, report: Report, data: bytes, name: str) -> int:
    "Store a checked upload (and its bytes, so its page can show the text); returns its report id."
    folder = originals_dir(db_url)
    sha = report.meta["sha256"]
    if folder is not None:
        folder.mkdir(parents=True, exist_ok=True)
        (folder / (sha + Path(name).suffix.lower()[:8])).write_bytes(data)
    return store_report(open_engine(db_url), report, name, sha, parser_version())


@lru_cache(maxsize=32)
def _text(path: str, sha: str, mtime_ns: int) -> str | None:
    "The decoded text of a file, when it still has the bytes the report was read from (cached per version)."
    try:
        doc = read(path)
    except UnreadableError:
        return None
    return doc.text if doc.sha256 == sha else None


def source_text(db_url: str, meta: dict[str, Any]) -> str:
    "The text a stored report's offsets point into: its file re-read, or the saved upload; '' when both are gone."
    sha = meta.get("sha256") or ""
    folder = originals_dir(db_url)
    candidates = [Path(meta.get("source") or "")]
    if folder is not None and folder.is_dir():
        candidates += sorted(folder.glob(sha + ".*")) + [folder / sha]
    for path in candidates:
        if path.is_file():
            text = _text(str(path), sha, path.stat().st_mtime_ns)
            if text is not None:
                return text
    return ""


def checked_report(db_url: str, report_id: int) -> Report:
    "A stored report with its text, checked again: ingest stores reading findings only, so the checks run here."
    try:
        stored = load_report(db_url, report_id=report_id)
    except KeyError:
        raise ServeError(404, "serve.report.not_found", report_id=report_id) from None
    report = dataclasses.replace(stored, text=source_text(db_url, stored.meta))
    seen, findings = set(), []
    for f in check(report):  # a saved upload stored the check's findings already: keep each once
        key = (f.code, f.cells, f.message)
        if key not in seen:
            seen.add(key)
            findings.append(f)
    return report.with_findings(tuple(findings))
