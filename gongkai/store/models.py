"""The store's tables: agencies, reports, cells (with provenance), findings, failed inputs, seen files."""
from __future__ import annotations

from datetime import datetime

from sqlalchemy import JSON, BigInteger, Float, ForeignKey, Index, Integer, String, Text, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from gongkai.store.db import Base


class Agency(Base):
    "A reporting agency, keyed by its normalised name and region (the same name recurs across counties)."

    __tablename__ = "agencies"
    __table_args__ = (UniqueConstraint("key", "region_key", name="uq_agencies_key_region"),)

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    key: Mapped[str] = mapped_column(String(200))  # normalise.agency_key(name)
    region_key: Mapped[str] = mapped_column(String(200), default="")  # "" when the report names no region
    name: Mapped[str] = mapped_column(String(200))  # as first printed
    region: Mapped[str | None] = mapped_column(String(200))


class StoredReport(Base):
    "One report read from one file's bytes; a file is stored once per sha256."

    __tablename__ = "reports"
    __table_args__ = (Index("ix_reports_agency_year", "agency_id", "year"),
                      Index("ix_reports_year_region", "year", "region"),
                      Index("ix_reports_source", "source"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    sha256: Mapped[str] = mapped_column(String(64), unique=True)
    source: Mapped[str] = mapped_column(Text)  # path, or archive.zip!member
    container: Mapped[str | None] = mapped_column(String(16))
    format: Mapped[str | None] = mapped_column(String(8))
    year: Mapped[int | None] = mapped_column(Integer)
    agency_id: Mapped[int | None] = mapped_column(ForeignKey("agencies.id"))
    region: Mapped[str | None] = mapped_column(String(200))
    published: Mapped[str | None] = mapped_column(String(10))  # ISO date
    script: Mapped[str | None] = mapped_column(String(16))
    meta: Mapped[dict] = mapped_column(JSON, default=dict)  # the full Report.meta, for fields not in columns
    parser_version: Mapped[str] = mapped_column(String(32))
    read_at: Mapped[datetime] = mapped_column()


class StoredCell(Base):
    "One canonical cell of a report with the place its value was read."

    # No index on `cell` alone: every query reaches cells through a report, and that index cost 5× in ingest speed.
    __tablename__ = "cells"
    # On SQLite the rows live in the primary key's b-tree alone (migration 0003): one b-tree to insert into, not two.
    __table_args__ = ({"sqlite_with_rowid": False},)

    # On PostgreSQL, statement-level triggers enforce this key in place of a constraint (migration 0004).
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True)
    cell: Mapped[str] = mapped_column(String(80), primary_key=True)
    value: Mapped[float | None] = mapped_column(Float)  # None = printed blank; integers come back as int
    start: Mapped[int | None] = mapped_column(Integer)
    end: Mapped[int | None] = mapped_column(Integer)
    line: Mapped[int | None] = mapped_column(Integer)
    snippet: Mapped[str | None] = mapped_column(Text)
    how: Mapped[str | None] = mapped_column(String(16))
    loc: Mapped[dict | None] = mapped_column(JSON)  # page / table / row / col / bbox in the container


class StoredFinding(Base):
    "A finding of a report, in the JSON shape of Finding.to_dict()."

    __tablename__ = "findings"
    __table_args__ = (Index("ix_findings_report", "report_id"), Index("ix_findings_code", "code"))

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    report_id: Mapped[int] = mapped_column(ForeignKey("reports.id", ondelete="CASCADE"))
    code: Mapped[str] = mapped_column(String(80))
    severity: Mapped[str] = mapped_column(String(8))
    message: Mapped[str] = mapped_column(Text)
    cells: Mapped[list] = mapped_column(JSON, default=list)
    suspect: Mapped[str | None] = mapped_column(String(80))
    source: Mapped[dict | None] = mapped_column(JSON)
    facts: Mapped[dict] = mapped_column(JSON, default=dict)


class Failure(Base):
    "An input that yielded no report, with the reason; kept until the same path reads cleanly."

    __tablename__ = "failures"

    id: Mapped[int] = mapped_column(Integer, primary_key=True)
    source: Mapped[str] = mapped_column(Text, unique=True)
    sha256: Mapped[str | None] = mapped_column(String(64), index=True)
    code: Mapped[str] = mapped_column(String(80))
    message: Mapped[str] = mapped_column(Text)
    parser_version: Mapped[str] = mapped_column(String(32))
    failed_at: Mapped[datetime] = mapped_column()


class SeenFile(Base):
    "The last size, mtime and hash of every input path: a rerun skips unchanged files without reading them."

    __tablename__ = "seen_files"

    source: Mapped[str] = mapped_column(Text, primary_key=True)
    size: Mapped[int] = mapped_column(BigInteger)
    mtime_ns: Mapped[int] = mapped_column(BigInteger)
    sha256: Mapped[str] = mapped_column(String(64), index=True)
    parser_version: Mapped[str] = mapped_column(String(32))
