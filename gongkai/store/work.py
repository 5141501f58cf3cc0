"""The worker side of ingest: bytes → Report → plain rows, run in a pool process or on a Dask worker.

What crosses back to the writer is plain tuples of strings and numbers, ready to insert: the JSON columns are
encoded here, in the workers, so the single writer only binds values (pickling dicts and Finding objects, and
encoding their JSON, cost the writer as much as inserting them).
"""
from __future__ import annotations

import hashlib
import importlib
import json
from dataclasses import dataclass
from functools import cache
from typing import Any, Callable, Iterable, NamedTuple

from gongkai.findings import Finding, finding
from gongkai.model import Report
from gongkai.read.errors import UnreadableError
from gongkai.store.inputs import Input, load

DEFAULT_READER = "gongkai.store.work:read_report"

# Rows are lists whose first slot the writer fills with the report's id, so it binds them as they came.
CellRow = list  # [report_id, cell, value, start, end, line, snippet, how, loc as JSON text], trailing Nones left out
FindingRow = list  # [report_id, code, severity, message, cells, suspect, source, facts], JSON columns as JSON text


class Outcome(NamedTuple):
    """What a worker sends back for one input: rows ready to insert, or the reason it yielded no report.
    A tuple, so it pickles as its values (a dataclass pickles a dict of field names with every instance)."""

    source: str
    sha256: str
    ok: bool
    meta: dict[str, Any] = {}  # noqa: RUF012  (never mutated)
    cells: list[CellRow] = []  # noqa: RUF012
    findings: list[FindingRow] = []  # noqa: RUF012
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

    return Outcome(item.source, sha, True, _meta(report), cell_rows(report), finding_rows(check(report)))


def _meta(report: Report) -> dict[str, Any]:
    # The reader's own sha/source are dropped: the store keeps the input's, which also covers zip members.
    return {k: v for k, v in report.meta.items() if k not in ("sha256", "source")}


def cell_rows(report: Report) -> list[CellRow]:
    "The cells of a report as insert rows, each with its provenance."
    # Trailing empty columns are left out (the writer inserts each width with its own statement): the sqlite3
    # module binds a None through a failed adapter lookup, which cost the writer a fifth of its time.
    rows = []
    for cell, value in report.cells.items():
        p = report.provenance.get(cell)
        if p is None:
            rows.append([None, cell] if value is None else [None, cell, value])
            continue
        row = [None, cell, value, p.start, p.end, p.line, p.snippet, p.how]
        loc = p.loc.as_dict() if p.loc is not None else None
        if loc:
            # loc goes in as JSON text: the writer inserts cells through the DBAPI, past SQLAlchemy's JSON type.
            row.append(json.dumps(loc))
        rows.append(row)
    return rows


def _json(value: Any) -> str:
    # What SQLAlchemy's JSON type stores for the value (its default serializer; None is stored as JSON null),
    # so rows inserted past the type are the same text as rows inserted through it.
    return json.dumps(value)


def finding_rows(findings: Iterable[Finding]) -> list[FindingRow]:
    "Findings as insert rows, in the JSON shape of Finding.to_dict()."
    rows = []
    for f in findings:
        d = f.to_dict()
        rows.append([None, d["code"], d["severity"], d["message"], _json(list(d.get("cells") or [])), d.get("suspect"),
                     _json(d.get("source")), _json(dict(d.get("facts") or {}))])
    return rows
