"""The worker side of ingest: bytes → Report → plain rows, run in a pool process or on a Dask worker."""
from __future__ import annotations

import hashlib
import importlib
import json
from dataclasses import dataclass, field
from functools import cache
from typing import Any, Callable

from gongkai.findings import finding
from gongkai.model import Report
from gongkai.read.errors import UnreadableError
from gongkai.store.inputs import Input, load

DEFAULT_READER = "gongkai.store.work:read_report"

CellRow = tuple  # (cell, value, start, end, line, snippet, how, loc)


@dataclass(slots=True)
class Outcome:
    "What a worker sends back for one input: rows ready to insert, or the reason it yielded no report."

    source: str
    sha256: str
    ok: bool
    meta: dict[str, Any] = field(default_factory=dict)
    cells: list[CellRow] = field(default_factory=list)
    findings: list[dict[str, Any]] = field(default_factory=list)
    code: str = ""
    message: str = ""


@dataclass(frozen=True, slots=True)
class Task:
    "One input to read; `data` is sent along only when the worker may not see the file (a remote Dask worker)."

    item: Input
    reader: str = DEFAULT_READER
    data: bytes | None = None


def read_report(data: bytes, name: str) -> Report:
    "The default reader: the package's read and parse stages."
    from gongkai import parse

    return parse(data, name)


@cache
def _reader(spec: str) -> Callable[[bytes, str], Report]:
    "A reader given as 'module:function', so it crosses process and machine boundaries by name."
    module, _, func = spec.partition(":")
    return getattr(importlib.import_module(module), func)


def run_chunk(tasks: list[Task]) -> list[Outcome]:
    "Read a chunk of inputs; never raises, so one bad file cannot take its neighbours down."
    return [run_task(t) for t in tasks]


def run_task(task: Task) -> Outcome:
    item = task.item
    try:
        data = task.data if task.data is not None else load(item)
    except Exception as e:  # noqa: BLE001  (OSError, BadZipFile, …: all mean the same to the user)
        reason = getattr(e, "strerror", None) or e
        f = finding("read.binary", source=item.source, detail=f"无法打开文件：{reason}")
        return Outcome(item.source, "", False, code=f.code, message=f.message)
    sha = hashlib.sha256(data).hexdigest()
    try:
        report = _reader(task.reader)(data, item.source)
    except UnreadableError as e:
        return Outcome(item.source, sha, False, code=e.finding.code, message=e.finding.message)
    except Exception as e:  # noqa: BLE001  (a parser bug must not stop the batch; it is recorded and listed)
        f = finding("store.crash", source=item.source, error=f"{type(e).__name__}: {e}")
        return Outcome(item.source, sha, False, code=f.code, message=f.message)
    if not report.cells:
        detail = next((f.message for f in report.findings if f.severity == "warning"), "未找到统计表")
        f = finding("store.no_cells", source=item.source, detail=detail)
        return Outcome(item.source, sha, False, code=f.code, message=f.message)
    # The audit's findings are stored with the reading's, so "has errors" can be asked of the store.
    from gongkai.check import check

    return Outcome(item.source, sha, True, _meta(report), cell_rows(report), [f.to_dict() for f in check(report)])


def _meta(report: Report) -> dict[str, Any]:
    # The reader's own sha/source are dropped: the store keeps the input's, which also covers zip members.
    return {k: v for k, v in report.meta.items() if k not in ("sha256", "source")}


def cell_rows(report: Report) -> list[CellRow]:
    "The cells of a report as insert rows, each with its provenance."
    rows = []
    for cell, value in report.cells.items():
        p = report.provenance.get(cell)
        if p is None:
            rows.append((cell, value, None, None, None, None, None, None))
        else:
            loc = p.loc.as_dict() if p.loc is not None else None
            # loc goes in as JSON text: the writer inserts cells through the DBAPI, past SQLAlchemy's JSON type.
            rows.append((cell, value, p.start, p.end, p.line, p.snippet, p.how, json.dumps(loc) if loc else None))
    return rows
