"""Cells as a WITHOUT ROWID table on SQLite: rows stored in their primary key's b-tree, (report_id, cell).

A rowid table keeps each cell twice, in the table and in its primary key's index; the ingest writer inserts about
160 cells a report, and the second b-tree cost it 5% of its instructions. PostgreSQL has no rowid: a no-op there.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    _rebuild_cells(with_rowid=False)


def downgrade() -> None:
    _rebuild_cells(with_rowid=True)


def _rebuild_cells(with_rowid: bool) -> None:
    "SQLite cannot alter a table's storage: copy cells into a new table of the other kind and swap it in."
    if op.get_bind().dialect.name != "sqlite":
        return
    rebuilt = op.create_table(
        "cells_rebuilt",
        sa.Column("report_id", sa.Integer, sa.ForeignKey("reports.id", ondelete="CASCADE"), primary_key=True),
        sa.Column("cell", sa.String(80), primary_key=True),
        sa.Column("value", sa.Float),
        sa.Column("start", sa.Integer),
        sa.Column("end", sa.Integer),
        sa.Column("line", sa.Integer),
        sa.Column("snippet", sa.Text),
        sa.Column("how", sa.String(16)),
        sa.Column("loc", sa.JSON),
        sqlite_with_rowid=with_rowid,
    )
    names = ", ".join(f'"{c.name}"' for c in rebuilt.columns)
    op.execute(f"INSERT INTO cells_rebuilt ({names}) SELECT {names} FROM cells")
    op.drop_table("cells")
    op.rename_table("cells_rebuilt", "cells")
