"""Batch ingest: walk the inputs, skip what is stored, read the rest in parallel, write whole reports in batches."""
from __future__ import annotations

import hashlib
import time
from dataclasses import dataclass, field
from itertools import islice
from pathlib import Path
from typing import Any, Iterable, Iterator

from sqlalchemy import Engine, select
from sqlalchemy.exc import IntegrityError

from gongkai.store.db import open_engine
from gongkai.store.inputs import Input, load, walk
from gongkai.store.parallel import dask_client, run_dask, run_inline, run_pool
from gongkai.store.work import DEFAULT_READER, Outcome, Task, run_task
from gongkai.store.write import FAILURES, LOOKUP, REPORTS, SEEN, Fail, Op, Save, Seen, Writer

STORE_PARSER_VERSION = "0.1.0"  # used when gongkai.__version__ is missing
BATCH = 64  # reports per transaction: a commit per report cost the writer a third of its time …
BATCH_SECONDS = 0.5  # … but a batch waits no longer than this for slow workers, so progress stays visible


def parser_version() -> str:
    "The version a stored report was read with; a different one makes ingest read the file again."
    import gongkai

    return str(getattr(gongkai, "__version__", None) or STORE_PARSER_VERSION)


@dataclass(frozen=True, slots=True)
class FailedInput:
    source: str
    code: str
    message: str  # Chinese, names the file


@dataclass(slots=True)
class IngestSummary:
    "What a batch did: counts per outcome and every input that yielded no report, with its reason."

    new: int = 0
    updated: int = 0
    unchanged: int = 0
    duplicate: int = 0  # same bytes as another input of this batch, stored once
    failed: list[FailedInput] = field(default_factory=list)
    seconds: float = 0.0
    read: int = 0  # inputs actually parsed in this run

    @property
    def total(self) -> int:
        return self.new + self.updated + self.unchanged + self.duplicate + len(self.failed)

    @property
    def exit_code(self) -> int:
        "0 when every input was read, 1 when some failed."
        return 1 if self.failed else 0

    def to_dict(self) -> dict[str, Any]:
        return {"new": self.new, "updated": self.updated, "unchanged": self.unchanged, "duplicate": self.duplicate,
                "failed": [{"source": f.source, "code": f.code, "message": f.message} for f in self.failed],
                "total": self.total, "read": self.read, "seconds": round(self.seconds, 3)}


class _Plan:
    "Decides per input: skip (stored, or known broken), wait (same bytes already queued), or read."

    def __init__(self, engine: Engine, version: str, batch: _Batch, summary: IngestSummary, tick, reader: str,
                 send_bytes: bool):  # type: ignore[no-untyped-def]
        self.engine, self.version, self.batch, self.summary, self.tick = engine, version, batch, summary, tick
        self.reader, self.send_bytes = reader, send_bytes
        self.queued: dict[str, list[Input]] = {}  # sha → inputs waiting for its one reading
        self.sha_of: dict[str, str] = {}  # source → sha planned for it
        self.written: set[str] = set()  # shas stored by this run: a later input with the same bytes is a duplicate
        self.unknown: set[str] = set()  # sources never seen before …
        self.fresh: set[str] = set()  # … whose bytes are in no report either: nothing to replace when writing

    def tasks(self, items: list[Input]) -> Iterator[Task]:
        it = iter(items)
        while batch := list(islice(it, LOOKUP)):
            yield from self._batch(batch)

    def _batch(self, batch: list[Input]) -> Iterator[Task]:
        todo = self._unseen(batch)
        hashed: list[tuple[Input, str]] = []
        for item in todo:
            try:
                sha = hashlib.sha256(load(item)).hexdigest()
            except Exception:  # noqa: BLE001  (the worker reads it again and records the reason)
                yield Task(item, self.reader)
                continue
            hashed.append((item, sha))
        versions = self._stored({sha for _, sha in hashed})
        stored = {sha for sha, v in versions.items() if v == self.version}
        seen, duplicates = [], 0
        for item, sha in hashed:
            if item.source in self.unknown and sha not in versions:
                self.fresh.add(item.source)
            if sha in stored or sha in self.written:
                seen.append((item, sha))
                duplicates += sha in self.written
            elif sha in self.queued:
                self.queued[sha].append(item)
            else:
                self.queued[sha] = [item]
                self.sha_of[item.source] = sha
                yield Task(item, self.reader, load(item) if self.send_bytes else None)
        if seen:
            # Through the batch: a duplicate's bytes may be in a report not yet committed.
            self.batch.add(Seen(seen), [])
        self.summary.unchanged += len(seen) - duplicates
        self.summary.duplicate += duplicates
        self.tick(len(seen))

    def _unseen(self, batch: list[Input]) -> list[Input]:
        "Inputs not provably unchanged by size, mtime and parser version (the rerun fast path: no reading)."
        with self.engine.connect() as conn:
            rows = conn.execute(
                select(SEEN.c.source, SEEN.c.size, SEEN.c.mtime_ns, REPORTS.c.id, FAILURES.c.code, FAILURES.c.message,
                       SEEN.c.parser_version)
                .outerjoin(REPORTS, (REPORTS.c.sha256 == SEEN.c.sha256)
                           & (REPORTS.c.parser_version == SEEN.c.parser_version))
                .outerjoin(FAILURES, FAILURES.c.source == SEEN.c.source)
                .where(SEEN.c.source.in_([i.source for i in batch]))
            ).all()
        known = {r[0]: r for r in rows}
        todo, skipped = [], 0
        for item in batch:
            r = known.get(item.source)
            if r is None:
                self.unknown.add(item.source)
                todo.append(item)
            elif r[6] != self.version or (r[1], r[2]) != (item.size, item.mtime_ns) or item.size < 0:
                todo.append(item)
            elif r[3] is not None:
                self.summary.unchanged += 1
                skipped += 1
            elif r[4] is not None:
                self.summary.failed.append(FailedInput(item.source, r[4], r[5]))
                skipped += 1
            else:
                todo.append(item)  # seen, but its report is gone (replaced): read again
        self.tick(skipped)
        return todo

    def _stored(self, shas: set[str]) -> dict[str, str]:
        "sha → parser version of the stored reports among these hashes."
        if not shas:
            return {}
        with self.engine.connect() as conn:
            return dict(conn.execute(select(REPORTS.c.sha256, REPORTS.c.parser_version)
                                     .where(REPORTS.c.sha256.in_(shas))).all())

    def done(self, outcome: Outcome, item: Input) -> list[Input]:
        "The input and every later input with the same bytes, now to be written together."
        planned = self.sha_of.pop(item.source, None)
        if outcome.ok:
            self.written.update((planned or outcome.sha256, outcome.sha256))
        return self.queued.pop(planned, [item]) if planned else [item]

    def is_fresh(self, group: list[Input]) -> bool:
        "Whether writing this group can skip looking for an older report to replace."
        fresh = all(i.source in self.fresh for i in group)
        for i in group:
            self.fresh.discard(i.source)
            self.unknown.discard(i.source)
        return fresh


def ingest(paths: Iterable[str | Path], db_url: str | None = None, jobs: int = 1, dask: str | None = None,
           progress: bool = True, *, reader: str = DEFAULT_READER, version: str | None = None,
           console=None) -> IngestSummary:  # type: ignore[no-untyped-def]
    """Read files, folders and zip archives into the store; idempotent, whole reports committed in batches.

    `dask` is a scheduler address or "local"; `reader` ("module:function", bytes and name → Report) replaces the
    parser, for tests and benchmarks; `version` overrides the parser version recorded with each report.
    """
    from gongkai.store.show import ingest_progress

    started = time.perf_counter()
    engine = open_engine(db_url)
    version = version or parser_version()
    summary = IngestSummary()
    items = list(walk(paths))
    client = dask_client(dask, max(jobs, 1)) if dask else None
    try:
        with ingest_progress(len(items), enabled=progress, console=console) as tick:
            batch = _Batch(Writer(engine, version), summary, tick)
            plan = _Plan(engine, version, batch, summary, tick, reader, send_bytes=client is not None)
            tasks = plan.tasks(items)
            if client is not None:
                outcomes = run_dask(tasks, client)
            elif jobs > 1:
                outcomes = run_pool(tasks, jobs)
            else:
                outcomes = run_inline(tasks)
            by_source = {i.source: i for i in items}
            for outcome in outcomes:
                summary.read += 1
                group = plan.done(outcome, by_source[outcome.source])
                op = Save(outcome, group, plan.is_fresh(group)) if outcome.ok else Fail(outcome, group)
                batch.add(op, group)
            batch.flush()
    finally:
        if client is not None:
            _close(client, dask)
    summary.failed.sort(key=lambda f: f.source)
    summary.seconds = time.perf_counter() - started
    return summary


class _Batch:
    "The writes waiting for the next transaction; counted in the summary and the progress bar once committed."

    def __init__(self, writer: Writer, summary: IngestSummary, tick):  # type: ignore[no-untyped-def]
        self.writer, self.summary, self.tick = writer, summary, tick
        self.ops: list[Op] = []
        self.inputs = 0  # inputs the progress bar advances by on commit
        self.reports = 0
        self.since = 0.0

    def add(self, op: Op, group: list[Input]) -> None:
        if not self.ops:
            self.since = time.monotonic()
        self.ops.append(op)
        self.inputs += len(group)
        self.reports += not isinstance(op, Seen)
        if self.reports >= BATCH or time.monotonic() - self.since >= BATCH_SECONDS:
            self.flush()

    def flush(self) -> None:
        ops, inputs = self.ops, self.inputs
        self.ops, self.inputs, self.reports = [], 0, 0
        if not ops:
            return
        try:
            self.writer.write(ops)
        except IntegrityError:
            # Another ingest on the same database stored some of these bytes meanwhile: one at a time, as below.
            for op in ops:
                _write_alone(self.writer, op)
        for op in ops:
            _count(op, self.summary)
        self.tick(inputs)


def _write_alone(writer: Writer, op: Op) -> None:
    "Write one operation in its own transaction; a fresh report that meets a conflict is written as a replacement."
    try:
        writer.write([op])
    except IntegrityError:
        if not isinstance(op, Save) or not op.fresh:
            raise
        op.fresh = False
        writer.write([op])


def _count(op: Op, summary: IngestSummary) -> None:
    if isinstance(op, Save):
        summary.updated += op.replaced
        summary.new += not op.replaced
        summary.duplicate += len(op.items) - 1
    elif isinstance(op, Fail):
        o = op.outcome
        summary.failed += [FailedInput(i.source, o.code, o.message.replace(o.source, i.source)) for i in op.items]


def _close(client, address: str) -> None:  # type: ignore[no-untyped-def]
    cluster = client.cluster if address == "local" else None
    client.close()
    if cluster is not None:
        cluster.close()


def read_one(path: str | Path, reader: str = DEFAULT_READER) -> Outcome:
    "Read one input as ingest would (for `gongkai check --db`, and to debug a failing file)."
    path = Path(path)
    st = path.stat()
    return run_task(Task(Input(str(path), str(path), None, st.st_size, st.st_mtime_ns), reader))
