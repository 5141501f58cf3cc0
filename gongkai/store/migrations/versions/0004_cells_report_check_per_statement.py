"""On PostgreSQL, cells keep to their reports by statement-level triggers rather than a row-level foreign key.

A foreign key checks every inserted row with a query of its own: about 160 cells a report, and those checks were
more than half of the server's CPU in an ingest (measured: 1.7 ms a report with the key, 0.6 ms with these
triggers, 0.6 ms with no check at all). The triggers enforce what the key did, once per statement: inserted or
updated cells must name existing reports, which are locked FOR KEY SHARE as the key would lock them; deleting
reports deletes their cells (the key's ON DELETE CASCADE); a report id still used by cells cannot change.
Report ids are gathered into an array before the lookup: a transition table has no statistics, and with
`IN (SELECT …)` the planner scanned all reports. The functions keep the search path they were created with, so
they find this store's tables whatever a later session's path is. SQLite keeps its foreign key: a no-op there.
"""
from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None

_CREATE = [
    """CREATE FUNCTION cells_name_reports() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
DECLARE
    named integer[] := ARRAY(SELECT DISTINCT report_id FROM new_cells);
    locked integer;
BEGIN
    SELECT count(*) INTO locked FROM (SELECT 1 FROM reports WHERE id = ANY(named) FOR KEY SHARE) AS still_there;
    IF locked < cardinality(named) THEN
        RAISE foreign_key_violation USING MESSAGE = 'cells name a report that does not exist';
    END IF;
    RETURN NULL;
END $$""",
    """CREATE TRIGGER cells_inserted_name_reports AFTER INSERT ON cells
    REFERENCING NEW TABLE AS new_cells FOR EACH STATEMENT EXECUTE FUNCTION cells_name_reports()""",
    """CREATE TRIGGER cells_updated_name_reports AFTER UPDATE ON cells
    REFERENCING NEW TABLE AS new_cells FOR EACH STATEMENT EXECUTE FUNCTION cells_name_reports()""",
    """CREATE FUNCTION reports_take_their_cells() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    DELETE FROM cells WHERE report_id = ANY(ARRAY(SELECT id FROM gone_reports));
    RETURN NULL;
END $$""",
    """CREATE TRIGGER reports_deleted_take_cells AFTER DELETE ON reports
    REFERENCING OLD TABLE AS gone_reports FOR EACH STATEMENT EXECUTE FUNCTION reports_take_their_cells()""",
    """CREATE FUNCTION reports_keep_cited_ids() RETURNS trigger LANGUAGE plpgsql SET search_path FROM CURRENT AS $$
BEGIN
    IF EXISTS (SELECT 1 FROM cells WHERE report_id = ANY(ARRAY(
            SELECT id FROM old_reports EXCEPT SELECT id FROM new_reports))) THEN
        RAISE foreign_key_violation USING MESSAGE = 'a report id still named by cells cannot change';
    END IF;
    RETURN NULL;
END $$""",
    """CREATE TRIGGER reports_updated_keep_cited_ids AFTER UPDATE ON reports
    REFERENCING OLD TABLE AS old_reports NEW TABLE AS new_reports FOR EACH STATEMENT
    EXECUTE FUNCTION reports_keep_cited_ids()""",
]

_DROP = [
    "DROP TRIGGER reports_updated_keep_cited_ids ON reports",
    "DROP TRIGGER reports_deleted_take_cells ON reports",
    "DROP TRIGGER cells_updated_name_reports ON cells",
    "DROP TRIGGER cells_inserted_name_reports ON cells",
    "DROP FUNCTION reports_keep_cited_ids()",
    "DROP FUNCTION reports_take_their_cells()",
    "DROP FUNCTION cells_name_reports()",
]


def upgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for key in sa.inspect(op.get_bind()).get_foreign_keys("cells"):
        op.drop_constraint(key["name"], "cells", type_="foreignkey")
    for statement in _CREATE:  # one at a time: a driver may refuse several in one call
        op.execute(statement)


def downgrade() -> None:
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in _DROP:
        op.execute(statement)
    op.create_foreign_key(None, "cells", "reports", ["report_id"], ["id"], ondelete="CASCADE")
