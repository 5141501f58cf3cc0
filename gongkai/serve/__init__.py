"""The web service (`gongkai serve`): check a report, browse the store, compare agencies, and a JSON API."""
from __future__ import annotations

from typing import Any

__all__ = ["create_app"]


def __getattr__(name: str) -> Any:
    # Imported on first use: the parse process imports gongkai.serve.worker and needs none of FastAPI's app.
    if name == "create_app":
        from gongkai.serve.app import create_app
        return create_app
    raise AttributeError(name)
