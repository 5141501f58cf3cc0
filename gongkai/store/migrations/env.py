"""Alembic environment: run on the connection gongkai.store.db.upgrade hands over (or a URL, for developers)."""
from __future__ import annotations

from alembic import context

from gongkai.store import models  # noqa: F401  (registers the tables on Base)
from gongkai.store.db import VERSION_TABLE, Base, engine_for

config = context.config


def run() -> None:
    conn = config.attributes.get("connection")
    if conn is None:  # `alembic -x url=… revision --autogenerate` from a checkout
        with engine_for(context.get_x_argument(as_dictionary=True).get("url")).begin() as c:
            _migrate(c)
    else:
        _migrate(conn)


def _migrate(conn) -> None:  # type: ignore[no-untyped-def]
    # render_as_batch: SQLite alters tables by copy; batch mode makes later migrations portable to it.
    context.configure(connection=conn, target_metadata=Base.metadata, version_table=VERSION_TABLE,
                      render_as_batch=True)
    with context.begin_transaction():
        context.run_migrations()


run()
