"""Fixtures for the reader tests: the committed files of tests/fixtures/read (built by its build.py)."""
from __future__ import annotations

from pathlib import Path

import pytest

from gongkai.read import read

FIXTURES = Path(__file__).parent.parent / "fixtures" / "read"


@pytest.fixture
def fixture():
    "Read one committed fixture by file name."
    return lambda name: read(FIXTURES / name)


def pipe_rows(doc, table: int = 0) -> list[str]:
    "The pipe rows of one table, as lines of Document.text."
    lines = {}
    for loc in doc.locs:
        if loc.table == table:
            start = doc.text.rfind("\n", 0, loc.start) + 1
            lines[start] = doc.text[start:doc.text.find("\n", start)]
    return [lines[k] for k in sorted(lines)]


@pytest.fixture
def rows():
    "The pipe rows of one table of a Document, found through its Locs."
    return pipe_rows
