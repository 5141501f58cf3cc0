"""Write outcomes in batches, one transaction each: whole reports with their cells and findings, or failures.

A batch holds up to a few dozen reports (a fraction of a second of a parallel ingest). Within it the writes keep
their order; reports that replace nothing are inserted together, each table with one executemany (COPY on
PostgreSQL), which is what lets one writer keep up with several parsing workers. A killed ingest leaves the
batches it committed, each whole: every stored report has all its cells and findings, and no path is marked
seen without its report.
"""
from __future__ import annotations

import re
from dataclasses import dataclass, field
from datetime import datetime, timezone
from itertools import groupby
from typing import Iterable, Sequence

from sqlalchemy import Connection, Engine, delete, insert, select

from gongkai.model import Report
from gongkai.parse.normalize import fold, to_simplified
from gongkai.store.inputs import Input
from gongkai.store.models import Agency, Failure, SeenFile, StoredCell, StoredFinding, StoredReport
from gongkai.store.work import Outcome, cell_rows, finding_rows

AGENCIES, REPORTS, CELLS = Agency.__table__, StoredReport.__table__, StoredCell.__table__
FINDINGS, FAILURES, SEEN = StoredFinding.__table__, Failure.__table__, SeenFile.__table__
CELL_COLUMNS = ("cell", "value", "start", "end", "line", "snippet", "how", "loc")
FINDING_COLUMNS = ("code", "severity", "message", "cells", "suspect", "source", "facts")
LOOKUP = 500  # values per IN (…): well under every driver's parameter limit
_SPACE = re.compile(r"\s+")


def agency_key(name: str | None) -> str:
    "The matching key of an agency or region name: half-width, simplified, no whitespace."
    return _SPACE.sub("", to_simplified(fold(name or "")))


def now() -> datetime:
    return datetime.now(timezone.utc).replace(tzinfo=None)


@dataclass(slots=True)
class Save:
    "Store a report read from these inputs (all with the same bytes); `fresh`: no older report can be replaced."

    outcome: Outcome
    items: list[Input]
    fresh: bool = False
    replaced: bool = False  # set by the writer


@dataclass(slots=True)
class Fail:
    "Record why these inputs yielded no report."

    outcome: Outcome
    items: list[Input]


@dataclass(slots=True)
class Seen:
    "Remember size and mtime of inputs whose bytes are already stored (or stored earlier in the same batch)."

    pairs: list[tuple[Input, str]] = field(default_factory=list)


Op = Save | Fail | Seen


class Writer:
    "The batch's single writer: one transaction per batch of operations, agencies cached by name."

    def __init__(self, engine: Engine, parser_version: str):
        self.engine = engine
        self.version = parser_version
        self.postgres = engine.dialect.name == "postgresql"
        self._agencies: dict[tuple[str, str], int] = {}  # (key, region key) → id, of committed agencies only
        self._keys: dict[tuple[str | None, str | None], tuple[str, str]] = {}  # (name, region) → keys
        mark = "?" if engine.dialect.paramstyle == "qmark" else "%s"
        self._insert_cells, self._copy_cells = _driver_sql("cells", CELL_COLUMNS, mark)
        self._insert_findings, self._copy_findings = _driver_sql("findings", FINDING_COLUMNS, mark)

    def save(self, outcome: Outcome, items: list[Input], fresh: bool = False) -> bool:
        "Store one report in a transaction of its own (the web upload, tests); True when it replaced an older one."
        op = Save(outcome, items, fresh)
        self.write([op])
        return op.replaced

    def write(self, ops: Sequence[Op]) -> None:
        """Apply the operations in order in one transaction; sets `replaced` on each Save.

        IntegrityError (another ingest stored the same bytes meanwhile) rolls the whole batch back."""
        made: dict[tuple[str, str], int] = {}
        with self.engine.begin() as conn:
            if self.postgres:
                # Still atomic; only a crash of the server itself could drop the last commits, and those inputs
                # would simply be read again, because seen_files commits with its report.
                conn.exec_driver_sql("SET LOCAL synchronous_commit = off")
            pending: list[Save] = []
            for op in ops:
                if isinstance(op, Save):
                    if not op.fresh:
                        # What it replaces goes first, in order with the batch's other writes.
                        self._insert(conn, pending, made)
                        pending = []
                        op.replaced = self._drop_old(conn, op.outcome.sha256, [i.source for i in op.items])
                    pending.append(op)
                    continue
                self._insert(conn, pending, made)
                pending = []
                if isinstance(op, Fail):
                    self._fail(conn, op)
                else:
                    self._seen(conn, op.pairs)
            self._insert(conn, pending, made)
        self._agencies.update(made)  # cached only after commit: a rolled-back id must not be reused

    def _insert(self, conn: Connection, saves: list[Save], made: dict[tuple[str, str], int]) -> None:
        "Insert these reports, their cells, findings and seen paths: one statement per table."
        if not saves:
            return
        read_at = now()
        rows = []
        for op in saves:
            meta = op.outcome.meta
            rows.append({"sha256": op.outcome.sha256, "source": op.items[0].source, "container": meta.get("container"),
                         "format": meta.get("format"), "year": meta.get("year"),
                         "agency_id": self._agency(conn, meta, made), "region": meta.get("region"),
                         "published": meta.get("published"), "script": meta.get("script"), "meta": meta,
                         "parser_version": self.version, "read_at": read_at})
        if len(rows) == 1:
            ids = {rows[0]["sha256"]: conn.execute(insert(REPORTS).returning(REPORTS.c.id), rows[0]).scalar_one()}
        else:
            # A plain executemany, then the new ids by hash (unique): cheaper than RETURNING in parameter order.
            conn.execute(insert(REPORTS), rows)
            ids = self._ids(conn, [r["sha256"] for r in rows])
        cells, findings = [], []
        for op in saves:
            rid = ids[op.outcome.sha256]
            for row in op.outcome.cells:
                row[0] = rid
            for row in op.outcome.findings:
                row[0] = rid
            cells += op.outcome.cells
            findings += op.outcome.findings
        self._rows(conn, cells, self._insert_cells, self._copy_cells)
        self._rows(conn, findings, self._insert_findings, self._copy_findings)
        sources = [i.source for op in saves for i in op.items]
        for part in _parts(sources):
            conn.execute(delete(FAILURES).where(FAILURES.c.source.in_(part)))
        # Fresh paths have no seen row; those of a replacing Save were deleted with what it replaced.
        conn.execute(insert(SEEN), [_seen_row(i, op.outcome.sha256, self.version) for op in saves for i in op.items])

    def _ids(self, conn: Connection, shas: list[str]) -> dict[str, int]:
        ids: dict[str, int] = {}
        for part in _parts(shas):
            ids.update(conn.execute(select(REPORTS.c.sha256, REPORTS.c.id).where(REPORTS.c.sha256.in_(part))).all())
        return ids

    def _rows(self, conn: Connection, rows: list[list],  # type: ignore[type-arg]
              insert_sql: dict[int, str], copy_sql: str) -> None:
        """Insert plain rows past SQLAlchemy's types: COPY on PostgreSQL, the driver's executemany on SQLite.
        A row may stop short of the last columns, which are then NULL."""
        # Core would build and process a parameter dict per row: 160 cells a report, most of the writer's time.
        if not rows:
            return
        dbapi = conn.connection.dbapi_connection
        if self.postgres:
            width = max(insert_sql)
            with dbapi.cursor() as cur, cur.copy(copy_sql) as copy:  # type: ignore[union-attr]
                for r in rows:
                    copy.write_row(r if len(r) == width else r + [None] * (width - len(r)))
        else:
            cur = dbapi.cursor()  # type: ignore[union-attr]
            try:
                # Runs of rows of one width, in order: a report's cells come in a few runs.
                for width, run in groupby(rows, len):
                    cur.executemany(insert_sql[width], run)
            finally:
                cur.close()

    def _fail(self, conn: Connection, op: Fail) -> None:
        outcome, sources = op.outcome, [i.source for i in op.items]
        conn.execute(delete(FAILURES).where(FAILURES.c.source.in_(sources)))
        conn.execute(insert(FAILURES), [{"source": s, "sha256": outcome.sha256 or None, "code": outcome.code,
                                          "message": outcome.message, "parser_version": self.version,
                                          "failed_at": now()} for s in sources])
        if outcome.sha256:
            self._seen(conn, [(i, outcome.sha256) for i in op.items])

    def _seen(self, conn: Connection, pairs: list[tuple[Input, str]]) -> None:
        for part in _parts([i.source for i, _ in pairs]):
            conn.execute(delete(SEEN).where(SEEN.c.source.in_(part)))
        conn.execute(insert(SEEN), [_seen_row(i, sha, self.version) for i, sha in pairs])

    def _drop_old(self, conn: Connection, sha: str, sources: list[str]) -> bool:
        """Delete the same bytes read by an older parser, and what these paths held before they changed (with
        their seen rows, written anew with the report)."""
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
        conn.execute(delete(SEEN).where(SEEN.c.source.in_(sources)))
        return bool(ids)

    def _agency(self, conn: Connection, meta: dict, made: dict[tuple[str, str], int]) -> int | None:
        "The agency's id, created on first sight; `made` collects the ids looked up or made in this transaction."
        name = meta.get("agency")
        if not name:
            return None
        raw = (name, meta.get("region"))
        key = self._keys.get(raw)
        if key is None:
            key = self._keys[raw] = (agency_key(name), agency_key(meta.get("region")))
        found = self._agencies.get(key) or made.get(key)
        if found is not None:
            return found
        found = conn.execute(select(AGENCIES.c.id).where(AGENCIES.c.key == key[0],
                                                         AGENCIES.c.region_key == key[1])).scalar()
        if found is None:
            found = conn.execute(insert(AGENCIES).returning(AGENCIES.c.id), {
                "key": key[0], "region_key": key[1], "name": name, "region": meta.get("region")}).scalar_one()
        made[key] = found
        return found


def _driver_sql(table: str, columns: tuple[str, ...], mark: str) -> tuple[dict[int, str], str]:
    "INSERT statements (for executemany) by row width, each naming the first columns only, and the COPY statement."
    names = [f'"{c}"' for c in ("report_id", *columns)]
    inserts = {width: f"INSERT INTO {table} ({', '.join(names[:width])}) VALUES ({', '.join([mark] * width)})"
               for width in range(2, len(names) + 1)}
    return inserts, f"COPY {table} ({', '.join(names)}) FROM STDIN"


def _parts(values: list[str]) -> Iterable[list[str]]:
    for start in range(0, len(values), LOOKUP):
        yield values[start:start + LOOKUP]


def _seen_row(item: Input, sha: str, version: str) -> dict:
    return {"source": item.source, "size": item.size, "mtime_ns": item.mtime_ns, "sha256": sha,
            "parser_version": version}


def store_report(engine: Engine, report: Report, source: str, sha256: str, parser_version: str) -> int:
    "Store one Report object directly (tests, the web upload); returns the new report id."
    outcome = Outcome(source, sha256, True, {k: v for k, v in report.meta.items() if k not in ("sha256", "source")},
                      cell_rows(report), finding_rows(report.findings))
    Writer(engine, parser_version).save(outcome, [Input(source, source, None, -1, -1)])
    with engine.connect() as conn:
        return conn.execute(select(REPORTS.c.id).where(REPORTS.c.sha256 == sha256)).scalar_one()
