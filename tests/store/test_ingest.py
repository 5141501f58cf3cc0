"""Batch ingest: idempotent reruns, re-reading on a new parser version, changed and duplicate files, zip archives."""
from __future__ import annotations

import os
import shutil
import zipfile

from sqlalchemy import select

from gongkai.store import ingest
from gongkai.store.db import open_engine
from gongkai.store.write import REPORTS
from tests.store.conftest import snapshot

N = 30  # reports in the corpus fixture


class _GbkName(zipfile.ZipInfo):
    "A member name stored as GBK bytes without the UTF-8 flag, as archivers on Chinese Windows write it."

    def _encodeFilenameFlags(self):  # type: ignore[no-untyped-def]
        return self.filename.encode("gb18030"), self.flag_bits


def test_rerun_skips_unchanged_files_without_reading_them(db_url, corpus):
    first = ingest([corpus], db_url, progress=False)
    assert (first.new, first.updated, first.unchanged, first.failed, first.exit_code) == (N, 0, 0, [], 0)
    stored = snapshot(db_url)
    assert len(stored["reports"]) == N and len(stored["cells"]) > 100 * N
    again = ingest([corpus], db_url, progress=False)
    assert (again.new, again.updated, again.unchanged, again.read) == (0, 0, N, 0)
    assert snapshot(db_url) == stored


def test_touched_file_is_hashed_and_still_skipped(db_url, corpus, tmp_path):
    folder = shutil.copytree(corpus, tmp_path / "c")
    ingest([folder], db_url, progress=False)
    one = next(folder.rglob("*.txt"))
    os.utime(one, ns=(1_000_000_000, 1_000_000_000))
    again = ingest([folder], db_url, progress=False)
    assert (again.unchanged, again.read) == (N, 0)


def test_newer_parser_version_reads_every_file_again(db_url, corpus):
    ingest([corpus], db_url, progress=False, version="0.1.0")
    before = snapshot(db_url)
    newer = ingest([corpus], db_url, progress=False, version="0.2.0")
    assert (newer.new, newer.updated, newer.read) == (0, N, N)
    after = snapshot(db_url)
    assert {r[-1] for r in after["reports"]} == {"0.2.0"}
    assert after["cells"] == before["cells"] and len(after["reports"]) == N


def test_changed_file_replaces_its_report(db_url, corpus, tmp_path):
    folder = shutil.copytree(corpus, tmp_path / "c")
    ingest([folder], db_url, progress=False)
    a, b = sorted(folder.rglob("*.txt"))[:2]
    a.write_bytes(b.read_bytes().replace("</p>".encode(), b"") + "\n（更正版）\n".encode())
    again = ingest([folder], db_url, progress=False)
    assert (again.updated, again.unchanged) == (1, N - 1)
    with open_engine(db_url).connect() as conn:
        sources = conn.execute(select(REPORTS.c.source)).scalars().all()
    assert len(sources) == N and sources.count(str(a)) == 1


def test_same_bytes_at_two_paths_are_stored_once(db_url, corpus, tmp_path):
    folder = shutil.copytree(corpus, tmp_path / "c")
    one = next(folder.rglob("*.txt"))
    shutil.copy(one, folder / "copy.txt")
    summary = ingest([folder], db_url, progress=False)
    assert (summary.new, summary.duplicate, summary.total) == (N, 1, N + 1)
    assert len(snapshot(db_url)["reports"]) == N
    assert ingest([folder], db_url, progress=False).unchanged == N + 1


def test_zip_archives_are_read_member_by_member(db_url, corpus, tmp_path):
    files = sorted(corpus.rglob("*.txt"))[:4]
    archive = tmp_path / "downloads.zip"
    with zipfile.ZipFile(archive, "w") as z:
        for f in files[:3]:
            z.write(f, f"年报/{f.name}")
        # An archive made on Chinese Windows: a GBK member name without the UTF-8 flag.
        z.writestr(_GbkName("区政府2021年报.txt"), files[3].read_bytes())
        z.writestr("说明.jpg", b"\xff\xd8junk")  # not a report container: not listed
    summary = ingest([archive], db_url, progress=False)
    assert (summary.new, summary.failed) == (4, [])
    sources = [r[1] for r in snapshot(db_url)["reports"]]
    assert f"{archive}!区政府2021年报.txt" in sources
    assert f"{archive}!年报/{files[0].name}" in sources
    assert ingest([tmp_path], db_url, progress=False).unchanged == 4


def test_parallel_run_stores_what_a_single_process_stores(db_url, corpus, tmp_path):
    ingest([corpus], db_url, jobs=2, progress=False)
    inline = f"sqlite:///{tmp_path}/inline.db"
    ingest([corpus], inline, jobs=1, progress=False)
    assert snapshot(db_url) == snapshot(inline)
