"""gongkai (公开): read, audit, store, compare and render China's government information disclosure annual reports."""
from __future__ import annotations

from pathlib import Path

from gongkai.model import Document, Report
from gongkai.parse import parse as parse_document
from gongkai.read import UnreadableError, read

__version__ = "0.1.0"
__all__ = ["read", "parse", "parse_document", "parse_file", "Document", "Report", "UnreadableError", "__version__"]


def parse(source: str | Path | bytes | Document, name: str | None = None) -> Report:
    "Read and parse one report: a path, its bytes, or an already read Document."
    doc = source if isinstance(source, Document) else read(source, name)
    return parse_document(doc)


parse_file = parse
