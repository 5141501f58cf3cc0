"""The request workbench on the store's database: staff, requests and their event log, appeals, PII access log,
and the web pages' settings, login sessions and failed attempts."""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

TABLES = ("wb_attempts", "wb_sessions", "wb_settings", "wb_pii_access", "wb_appeals", "wb_events", "wb_requests",
          "wb_staff")


def upgrade() -> None:
    op.create_table(
        "wb_staff",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("username", sa.String(64), nullable=False, unique=True),
        sa.Column("display_name", sa.String(64), nullable=False),
        sa.Column("role", sa.String(16), nullable=False),
        sa.Column("password_hash", sa.String(255), nullable=False),
        sa.Column("active", sa.Boolean, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_table(
        "wb_requests",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("number", sa.String(64), nullable=False, unique=True),
        sa.Column("lookup_hash", sa.String(255), nullable=False),
        sa.Column("applicant_type", sa.String(16), nullable=False),
        sa.Column("channel", sa.String(16), nullable=False),
        sa.Column("content", sa.Text, nullable=False),
        sa.Column("applicant_name", sa.String(128)),
        sa.Column("applicant_id_number", sa.String(64)),
        sa.Column("applicant_phone", sa.String(64)),
        sa.Column("applicant_address", sa.String(255)),
        sa.Column("parent_id", sa.Integer, sa.ForeignKey("wb_requests.id")),
        sa.Column("state", sa.String(24), nullable=False),
        sa.Column("received", sa.Date),
        sa.Column("concluded", sa.Date),
        sa.Column("outcome", sa.String(32)),
        sa.Column("deadline", sa.Date),
        sa.Column("version", sa.Integer, nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    for col in ("state", "received", "concluded"):
        op.create_index(f"ix_wb_requests_{col}", "wb_requests", [col])
    op.create_table(
        "wb_events",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("request_id", sa.Integer, sa.ForeignKey("wb_requests.id"), nullable=False),
        sa.Column("seq", sa.Integer, nullable=False),
        sa.Column("action", sa.String(32), nullable=False),
        sa.Column("date", sa.Date, nullable=False),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("data", sa.JSON, nullable=False),
        sa.Column("flags", sa.JSON, nullable=False),
        sa.Column("recorded_at", sa.DateTime, nullable=False),
        sa.UniqueConstraint("request_id", "seq", name="uq_wb_event_seq"),
    )
    op.create_index("ix_wb_events_request_id", "wb_events", ["request_id"])
    op.create_table(
        "wb_appeals",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("request_id", sa.Integer, sa.ForeignKey("wb_requests.id")),
        sa.Column("kind", sa.String(24), nullable=False),
        sa.Column("filed", sa.Date, nullable=False),
        sa.Column("concluded", sa.Date),
        sa.Column("result", sa.String(16)),
        sa.Column("note", sa.Text, nullable=False),
        sa.Column("flags", sa.JSON, nullable=False),
    )
    op.create_table(
        "wb_pii_access",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("staff_id", sa.Integer, sa.ForeignKey("wb_staff.id")),
        sa.Column("actor", sa.String(64), nullable=False),
        sa.Column("request_id", sa.Integer, sa.ForeignKey("wb_requests.id"), nullable=False),
        sa.Column("fields", sa.String(255), nullable=False),
        sa.Column("purpose", sa.String(255), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_wb_pii_access_request_id", "wb_pii_access", ["request_id"])
    op.create_table(
        "wb_settings",
        sa.Column("key", sa.String(64), primary_key=True),
        sa.Column("value", sa.Text, nullable=False),
    )
    op.create_table(
        "wb_sessions",
        sa.Column("token_hash", sa.String(64), primary_key=True),
        sa.Column("staff_id", sa.Integer, sa.ForeignKey("wb_staff.id"), nullable=False),
        sa.Column("created_at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_wb_sessions_staff_id", "wb_sessions", ["staff_id"])
    op.create_table(
        "wb_attempts",
        sa.Column("id", sa.Integer, primary_key=True),
        sa.Column("key", sa.String(64), nullable=False),
        sa.Column("at", sa.DateTime, nullable=False),
    )
    op.create_index("ix_wb_attempts_key", "wb_attempts", ["key"])
    op.create_index("ix_wb_attempts_at", "wb_attempts", ["at"])


def downgrade() -> None:
    for table in TABLES:
        op.drop_table(table)
