"""Write one outcome per transaction: a whole report with its cells and findings, or a failure, never a part."""
from __future__ import annotations

import re
from datetime import datetime, timezone
from typing import Iterable

from sqlalchemy import Connection, Engine, delete, insert, select

from gongkai.model import Report
from gongkai.parse.normalize import fold, to_simplified
from gongkai.store.inputs import Input
from gongkai.store.models import Agency, Failure, SeenFile, StoredCell, StoredFinding, StoredReport
from gongkai.store.work import Outcome, cell_rows

AGENCIES, REPORTS, CELLS = Agency.__table__, StoredReport.__table__, StoredCell.__table__
FINDINGS, FAILURES, SEEN = StoredFinding.__table__, Failure.__table__, SeenFile.__table__
CELL_COLUMNS = ("cell", "value", "start", "end", "line", "snippet", "how", "loc")
_SPACE = re.compile(r"\s+")


def agency_key(name: str | None) -> str:
    "The matching key of an agency or region name: half-width, simplified, no whitespace."
    return _SPACE.sub("", to_simplified(fold(name or "")))


def now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


class Writer:
    "The batch's single writer: one transaction per report, agencies cached by key."

    def __init__(self, engine: Engine, parser_version: str):
        self.engine = engine
        self.version = parser_version
        self._agencies: dict[tuple[str, str], int] = {}
        mark = "?" if engine.dialect.paramstyle == "qmark" else "%s"
        columns = ", ".join(f'"{c}"' for c in ("report_id", *CELL_COLUMNS))
        self._insert_cells = f"INSERT INTO cells ({columns}) VALUES ({', '.join([mark] * (len(CELL_COLUMNS) + 1))})"
        self._copy_cells = f"COPY cells ({columns}) FROM STDIN"

    def save(self, outcome: Outcome, items: list[Input], fresh: bool = False) -> bool:
        """Store a report read from the inputs (all with the same bytes); True when it replaced an older one.

        `fresh`: the caller knows these paths were never seen and these bytes are in no report, so the
        statements that look for an older version are skipped (a third of the writer's time on a first run).
        """
        with self.engine.begin() as conn:
            if self.engine.dialect.name == "postgresql":
                # Still atomic; only a crash of the server itself could drop the last commits, and those inputs
                # would simply be read again, because seen_files commits with its report.
                conn.exec_driver_sql("SET LOCAL synchronous_commit = off")
            replaced = not fresh and self._drop_old(conn, outcome.sha256, [i.source for i in items])
            agency_id, to_cache = self._agency(conn, outcome.meta)
            meta = outcome.meta
            report_id = conn.execute(insert(REPORTS).returning(REPORTS.c.id), {
                "sha256": outcome.sha256, "source": items[0].source, "container": meta.get("container"),
                "format": meta.get("format"), "year": meta.get("year"), "agency_id": agency_id,
                "region": meta.get("region"), "published": meta.get("published"), "script": meta.get("script"),
                "meta": meta, "parser_version": self.version, "read_at": now()}).scalar_one()
            if outcome.cells:
                self._cells(conn, report_id, outcome.cells)
            if outcome.findings:
                conn.execute(insert(FINDINGS), [_finding_row(report_id, f) for f in outcome.findings])
            sources = [i.source for i in items]
            conn.execute(delete(FAILURES).where(FAILURES.c.source.in_(sources)))
            self._seen(conn, items, outcome.sha256, fresh)
        if to_cache:  # cached only after commit: a rolled-back id must not be reused
            self._agencies[to_cache] = agency_id
        return replaced

    def _cells(self, conn: Connection, report_id: int, cells: list) -> None:  # type: ignore[type-arg]
        "Insert a report's cells: COPY on PostgreSQL (one round trip), plain DBAPI executemany on SQLite."
        # Core would build a parameter dict per cell, 200 per report; both paths skip that.
        if self.engine.dialect.name == "postgresql":
            dbapi = conn.connection.dbapi_connection
            with dbapi.cursor() as cur, cur.copy(self._copy_cells) as copy:  # type: ignore[union-attr]
                for r in cells:
                    copy.write_row((report_id, *r))
        else:
            conn.exec_driver_sql(self._insert_cells, [(report_id, *r) for r in cells])

    def fail(self, outcome: Outcome, items: list[Input]) -> None:
        "Record why the inputs yielded no report (replacing an earlier reason for the same path)."
        with self.engine.begin() as conn:
            sources = [i.source for i in items]
            conn.execute(delete(FAILURES).where(FAILURES.c.source.in_(sources)))
            conn.execute(insert(FAILURES), [{"source": s, "sha256": outcome.sha256 or None, "code": outcome.code,
                                              "message": outcome.message, "parser_version": self.version,
                                              "failed_at": now()} for s in sources])
            if outcome.sha256:
                self._seen(conn, items, outcome.sha256)

    def seen(self, pairs: list[tuple[Input, str]]) -> None:
        "Remember size and mtime of inputs whose bytes are already stored, so the next run skips them unread."
        if pairs:
            with self.engine.begin() as conn:
                conn.execute(delete(SEEN).where(SEEN.c.source.in_([i.source for i, _ in pairs])))
                conn.execute(insert(SEEN), [_seen_row(i, sha, self.version) for i, sha in pairs])

    def _seen(self, conn: Connection, items: Iterable[Input], sha: str, fresh: bool = False) -> None:
        items = list(items)
        if not fresh:
            conn.execute(delete(SEEN).where(SEEN.c.source.in_([i.source for i in items])))
        conn.execute(insert(SEEN), [_seen_row(i, sha, self.version) for i in items])

    def _drop_old(self, conn: Connection, sha: str, sources: list[str]) -> bool:
        "Delete the same bytes read by an older parser, and what these paths held before they changed."
        ids = []
        for rid, old_sha in conn.execute(select(REPORTS.c.id, REPORTS.c.sha256).where(
                (REPORTS.c.sha256 == sha) | REPORTS.c.source.in_(sources))).all():
            # A path's previous content goes, unless another path still holds those bytes.
            if old_sha == sha or conn.execute(select(SEEN.c.source).where(
                    SEEN.c.sha256 == old_sha, SEEN.c.source.not_in(sources)).limit(1)).first() is None:
                ids.append(rid)
        if ids:
            conn.execute(delete(CELLS).where(CELLS.c.report_id.in_(ids)))
            conn.execute(delete(FINDINGS).where(FINDINGS.c.report_id.in_(ids)))
            conn.execute(delete(REPORTS).where(REPORTS.c.id.in_(ids)))
        return bool(ids)

    def _agency(self, conn: Connection, meta: dict) -> tuple[int | None, tuple[str, str] | None]:
        "The agency's id, created on first sight; returns the key to cache when it was looked up or made here."
        name = meta.get("agency")
        if not name:
            return None, None
        key = (agency_key(name), agency_key(meta.get("region")))
        if key in self._agencies:
            return self._agencies[key], None
        found = conn.execute(select(AGENCIES.c.id).where(AGENCIES.c.key == key[0],
                                                         AGENCIES.c.region_key == key[1])).scalar()
        if found is None:
            found = conn.execute(insert(AGENCIES).returning(AGENCIES.c.id), {
                "key": key[0], "region_key": key[1], "name": name, "region": meta.get("region")}).scalar_one()
        return found, key


def _finding_row(report_id: int, f: dict) -> dict:
    return {"report_id": report_id, "code": f["code"], "severity": f["severity"], "message": f["message"],
            "cells": list(f.get("cells") or []), "suspect": f.get("suspect"), "source": f.get("source"),
            "facts": dict(f.get("facts") or {})}


def _seen_row(item: Input, sha: str, version: str) -> dict:
    return {"source": item.source, "size": item.size, "mtime_ns": item.mtime_ns, "sha256": sha,
            "parser_version": version}


def store_report(engine: Engine, report: Report, source: str, sha256: str, parser_version: str) -> int:
    "Store one Report object directly (tests, the web upload); returns the new report id."
    outcome = Outcome(source, sha256, True, {k: v for k, v in report.meta.items() if k not in ("sha256", "source")},
                      cell_rows(report), [f.to_dict() for f in report.findings])
    Writer(engine, parser_version).save(outcome, [Input(source, source, None, -1, -1)])
    with engine.connect() as conn:
        return conn.execute(select(REPORTS.c.id).where(REPORTS.c.sha256 == sha256)).scalar_one()
