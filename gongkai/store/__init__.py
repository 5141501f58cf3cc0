"""Store stage: reports → a SQL database (SQLite or PostgreSQL); batch ingest, compare, export.

Most names are imported on first use, so `gongkai ingest` does not load pandas. `ingest` and `export` are bound
here, because importing the submodules of the same name would otherwise shadow the functions.
"""
from __future__ import annotations

import importlib
from typing import Any

from gongkai.store.export import export
from gongkai.store.ingest import ingest

_EXPORTS = {
    "ingest": "gongkai.store.ingest", "IngestSummary": "gongkai.store.ingest", "FailedInput": "gongkai.store.ingest",
    "parser_version": "gongkai.store.ingest",
    "compare_agency": "gongkai.store.query", "compare_year": "gongkai.store.query",
    "export": "gongkai.store.export", "wide_frame": "gongkai.store.export", "long_frame": "gongkai.store.export",
    "findings_frame": "gongkai.store.export", "ExportError": "gongkai.store.export",
    "render_summary": "gongkai.store.show", "render_compare": "gongkai.store.show",
    "Base": "gongkai.store.db", "engine_for": "gongkai.store.db", "open_engine": "gongkai.store.db",
    "default_url": "gongkai.store.db",
    "store_report": "gongkai.store.write", "load_report": "gongkai.store.load",
    "reports_of_agency": "gongkai.store.load",
}
__all__ = list(_EXPORTS)
del _EXPORTS["ingest"], _EXPORTS["export"]


def __getattr__(name: str) -> Any:
    if name in _EXPORTS:
        return getattr(importlib.import_module(_EXPORTS[name]), name)
    raise AttributeError(name)
