"""Run worker chunks in this process, a local process pool, or a Dask cluster, with a bounded number in flight."""
from __future__ import annotations

import multiprocessing
import os
from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
from itertools import islice
from typing import Iterable, Iterator

from gongkai.store.work import Outcome, Task, run_chunk

CHUNK = 8  # inputs per worker call: big enough to amortise pickling, small enough for a smooth progress bar


def chunks(tasks: Iterable[Task], size: int = CHUNK) -> Iterator[list[Task]]:
    it = iter(tasks)
    while chunk := list(islice(it, size)):
        yield chunk


def run_inline(tasks: Iterable[Task]) -> Iterator[Outcome]:
    "One process: read each input in turn (jobs=1, and the simplest thing to debug)."
    for chunk in chunks(tasks):
        yield from run_chunk(chunk)


def run_pool(tasks: Iterable[Task], jobs: int) -> Iterator[Outcome]:
    "N worker processes; at most 4 chunks per worker in flight, so memory stays flat however large the batch."
    # fork starts workers at once with the parser already imported; elsewhere the platform default.
    ctx = multiprocessing.get_context("fork" if os.name == "posix" else None)
    with ProcessPoolExecutor(jobs, mp_context=ctx) as pool:
        yield from _windowed(lambda c: pool.submit(run_chunk, c), tasks, jobs * 4)


def _windowed(submit, tasks: Iterable[Task], window: int) -> Iterator[Outcome]:  # type: ignore[no-untyped-def]
    pending = set()
    source = chunks(tasks)
    for chunk in islice(source, window):
        pending.add(submit(chunk))
    while pending:
        done, pending = wait(pending, return_when=FIRST_COMPLETED)
        for fut in done:
            yield from fut.result()
        for chunk in islice(source, len(done)):
            pending.add(submit(chunk))


def dask_client(address: str, jobs: int):  # type: ignore[no-untyped-def]
    "A client on a scheduler address, or on a LocalCluster of `jobs` worker processes for 'local'."
    from distributed import Client, LocalCluster

    if address == "local":
        cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None)
        return Client(cluster)
    return Client(address)


def run_dask(tasks: Iterable[Task], client) -> Iterator[Outcome]:  # type: ignore[no-untyped-def]
    "Chunks as Dask futures; each task carries its bytes, so workers on other machines need not see the files."
    from distributed import as_completed

    window = max(4, 4 * sum(client.nthreads().values()))
    source = chunks(tasks)
    queue = as_completed([client.submit(run_chunk, c, pure=False) for c in islice(source, window)])
    for fut in queue:
        yield from fut.result()
        fut.release()
        for chunk in islice(source, 1):
            queue.add(client.submit(run_chunk, chunk, pure=False))
