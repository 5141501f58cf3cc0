"""The first store schema: agencies, reports, cells, findings, failures, seen_files."""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "agencies",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(200), nullable=False),
        sa.Column("region_key", sa.String(200), nullable=False),
        sa.Column("name", sa.String(200), nullable=False),
        sa.Column("region", sa.String(200)),
        sa.UniqueConstraint("key", "region_key", name="uq_agencies_key_region"),
    )
    op.create_table(
        "reports",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("sha256", sa.String(64), nullable=False, unique=True),
        sa.Column("source", sa.Text, nullable=False),
        sa.Column("container", sa.String(16)),
        sa.Column("format", sa.String(8)),
        sa.Column("year", sa.Integer),
        sa.Column("agency_id", sa.Integer, sa.ForeignKey("agencies.id")),
        sa.Column("region", sa.String(200)),
        sa.Column("published", sa.String(10)),
        sa.Column("script", sa.String(16)),
        sa.Column("meta", sa.JSON, nullable=False),
        sa.Column("parser_version", sa.String(32), nullable=False),
        sa.Column("read_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_reports_agency_year", "reports", ["agency_id", "year"])
    op.create_index("ix_reports_year_region", "reports", ["year", "region"])
    op.create_index("ix_reports_source", "reports", ["source"])
    op.create_table(
        "cells",
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("cell", sa.String(80), primary_key=True),
        sa.Column("value", sa.Float),
        sa.Column("start", sa.Integer),
        sa.Column("end", sa.Integer),
        sa.Column("line", sa.Integer),
        sa.Column("snippet", sa.Text),
        sa.Column("how", sa.String(16)),
        sa.Column("loc", sa.JSON),
    )
    op.create_table(
        "findings",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id", ondelete="CASCADE"), nullable=False),
        sa.Column("code", sa.String(80), nullable=False),
        sa.Column("severity", sa.String(8), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("cells", sa.JSON, nullable=False),
        sa.Column("suspect", sa.String(80)),
        sa.Column("source", sa.JSON),
        sa.Column("facts", sa.JSON, nullable=False),
    )
    op.create_index("ix_findings_report", "findings", ["report_id"])
    op.create_index("ix_findings_code", "findings", ["code"])
    op.create_table(
        "failures",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("source", sa.Text, nullable=False, unique=True),
        sa.Column("sha256", sa.String(64)),
        sa.Column("code", sa.String(80), nullable=False),
        sa.Column("message", sa.Text, nullable=False),
        sa.Column("parser_version", sa.String(32), nullable=False),
        sa.Column("failed_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_failures_sha256", "failures", ["sha256"])
    op.create_table(
        "seen_files",
        sa.Column("source", sa.Text, primary_key=True),
        sa.Column("size", sa.BigInteger, nullable=False),
        sa.Column("mtime_ns", sa.BigInteger, nullable=False),
        sa.Column("sha256", sa.String(64), nullable=False),
        sa.Column("parser_version", sa.String(32), nullable=False),
    )
    op.create_index("ix_seen_files_sha256", "seen_files", ["sha256"])


def downgrade() -> None:
    for table in ("seen_files", "failures", "findings", "cells", "reports", "agencies"):
        op.drop_table(table)
