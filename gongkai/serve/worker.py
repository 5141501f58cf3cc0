"""Parse and check uploads in a child process, so a file that takes too long can be stopped at the time cap."""
from __future__ import annotations

import multiprocessing
import threading
import time
from multiprocessing.connection import Connection

from gongkai.model import Report
from gongkai.read import UnreadableError
from gongkai.serve.limits import ServeError


def parse_and_check(data: bytes, name: str) -> Report:
    "A report read from bytes, carrying every finding of `gongkai check` (reading findings first)."
    from gongkai import parse
    from gongkai.check import check

    report = parse(data, name)
    return report.with_findings(tuple(check(report)))


def _serve(conn: Connection) -> None:
    "The child's loop: (bytes, name) in, ('ok', Report) | ('unreadable', Finding) | ('crash', text) out."
    while True:
        try:
            data, name = conn.recv()
        except EOFError:
            return
        try:
            conn.send(("ok", parse_and_check(data, name)))
        except UnreadableError as e:  # sent as its finding: the exception itself does not survive pickling
            conn.send(("unreadable", e.finding))
        except Exception as e:  # noqa: BLE001  (a parser bug on one upload must not take the service down)
            conn.send(("crash", f"{type(e).__name__}: {e}"))


class Parser:
    """One parse process per server worker, started on first use and replaced after it is stopped.

    Parses are CPU-bound, so one at a time per worker; the wait for the process counts toward the time cap.
    """

    def __init__(self, seconds: float):
        self.seconds = seconds
        self._lock = threading.Lock()
        self._proc: multiprocessing.process.BaseProcess | None = None
        self._conn: Connection | None = None

    def _start(self) -> Connection:
        if self._proc is None or not self._proc.is_alive():
            # spawn, not fork: the server has threads, and a forked copy of a held lock would hang the child.
            ctx = multiprocessing.get_context("spawn")
            ours, theirs = ctx.Pipe()
            self._proc = ctx.Process(target=_serve, args=(theirs,), daemon=True, name="gongkai-parse")
            self._proc.start()
            theirs.close()
            self._conn = ours
        assert self._conn is not None
        return self._conn

    def warm(self) -> None:
        "Start the process ahead of the first upload (it imports the parser, about a second)."
        with self._lock:
            self._start()

    def run(self, data: bytes, name: str) -> Report:
        "Parse and check in the child; ServeError on timeout or crash, UnreadableError as the reader raised it."
        kind, value = self._exchange(data, name)
        if kind == "unreadable":
            raise UnreadableError(value.code, **value.facts)
        if kind == "crash":
            raise ServeError(422, "serve.parse.crash", source=name, error=value)
        return value

    def _exchange(self, data: bytes, name: str) -> tuple[str, object]:
        "One round trip to the child within the time cap: its (kind, value) answer."
        deadline = time.monotonic() + self.seconds
        if not self._lock.acquire(timeout=self.seconds):
            raise ServeError(503, "serve.parse.timeout", source=name, seconds=self.seconds)
        try:
            conn = self._start()
            conn.send((data, name))
            if not conn.poll(max(0.0, deadline - time.monotonic())):
                self.stop()
                raise ServeError(503, "serve.parse.timeout", source=name, seconds=self.seconds)
            return conn.recv()
        except (EOFError, OSError) as e:  # the process died (out of memory, killed): the next upload restarts it
            self.stop()
            return "crash", f"解析进程意外退出：{type(e).__name__}"
        finally:
            self._lock.release()

    def stop(self) -> None:
        "Kill the process (a parse over the cap, or server shutdown); the next upload starts a new one."
        if self._proc is not None and self._proc.is_alive():
            self._proc.kill()
            self._proc.join(5)
        self._proc, self._conn = None, None
