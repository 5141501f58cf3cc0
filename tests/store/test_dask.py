"""Ingest on a Dask cluster stores what a single process stores."""
from __future__ import annotations

import pytest

from gongkai.store import ingest
from tests.store.conftest import snapshot

distributed = pytest.importorskip("distributed")


def test_local_cluster_of_several_workers(db_url, corpus, tmp_path):
    with distributed.LocalCluster(n_workers=3, threads_per_worker=1, processes=False,
                                  dashboard_address=None) as cluster:
        summary = ingest([corpus], db_url, dask=cluster.scheduler_address, progress=False)
        workers = len(cluster.workers)
    assert workers == 3 and (summary.new, summary.failed) == (30, [])
    inline = f"sqlite:///{tmp_path}/inline.db"
    ingest([corpus], inline, progress=False)
    assert snapshot(db_url) == snapshot(inline)
    assert ingest([corpus], db_url, progress=False).read == 0  # a Dask-built store reruns like any other
