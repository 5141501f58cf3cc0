"""The workbench's sessions on the store's database: one file (or PostgreSQL schema) carries both, migrated once."""
from __future__ import annotations

from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from gongkai.store.db import Base, open_engine

__all__ = ["Base", "engine", "make_sessionmaker"]


def engine(url: str | None = None) -> Engine:
    "The store's engine on the URL (migrated to head), seen through a proxy that hides bound values."
    # hide_parameters on the proxy only: names, ID numbers and phones never reach log lines or exception
    # text of workbench statements, and the store's own engine is left as it is.
    proxy = open_engine(url).execution_options()
    proxy.hide_parameters = True
    return proxy


def make_sessionmaker(url: str | None = None) -> sessionmaker[Session]:
    "A session factory on the URL: the default, GONGKAI_DB, a URL, or a bare SQLite file path."
    import gongkai.workbench.store  # noqa: F401  (registers the models on Base)

    return sessionmaker(engine(url), expire_on_commit=False)
