"""A batch with broken files stores every good report and lists every bad one with its reason."""
from __future__ import annotations

import shutil

from gongkai.store import ingest
from tests.store.broken import broken_files
from tests.store.conftest import snapshot

N = 30


def test_broken_files_are_listed_and_the_good_ones_stored(db_url, corpus, tmp_path):
    folder = shutil.copytree(corpus, tmp_path / "batch")
    bad = broken_files()
    for name, data in bad.items():
        (folder / name).write_bytes(data)
    missing = tmp_path / "不存在.txt"
    summary = ingest([folder, missing], db_url, jobs=2, progress=False)
    assert (summary.new, summary.exit_code) == (N, 1)
    reasons = {f.source: (f.code, f.message) for f in summary.failed}
    assert set(reasons) == {str(folder / n) for n in bad} | {str(missing)}
    assert reasons[str(folder / "截断的年报.pdf")][0] == "read.pdf.damaged"
    assert reasons[str(folder / "乱码.txt")][0] == "read.binary"
    assert reasons[str(folder / "空文件.html")][0] == "read.empty"
    assert reasons[str(folder / "植树通知.html")][0] in ("read.not_report", "store.no_cells")
    for source, (_, message) in reasons.items():
        assert source in message  # every reason names its file, in Chinese
    assert len(snapshot(db_url)["failures"]) == len(bad) + 1

    again = ingest([folder, missing], db_url, jobs=2, progress=False)
    assert (again.unchanged, again.exit_code) == (N, 1)
    assert again.read == 1  # only the missing path is tried again: unchanged broken files are not re-read
    assert {f.source: (f.code, f.message) for f in again.failed} == reasons


def test_a_fixed_file_leaves_the_failure_list(db_url, corpus, tmp_path):
    folder = tmp_path / "batch"
    folder.mkdir()
    target = folder / "年报.txt"
    target.write_bytes(b"")
    assert [f.code for f in ingest([folder], db_url, progress=False).failed] == ["read.empty"]
    target.write_bytes(next(corpus.rglob("*.txt")).read_bytes())
    summary = ingest([folder], db_url, progress=False)
    assert (summary.new, summary.failed) == (1, [])
    assert snapshot(db_url)["failures"] == []


def test_a_crashing_parser_is_recorded_not_raised(db_url, corpus):
    summary = ingest([corpus], db_url, progress=False, reader="tests.store.test_broken:explode")
    assert len(summary.failed) == N and {f.code for f in summary.failed} == {"store.crash"}
    assert "RuntimeError" in summary.failed[0].message


def explode(data: bytes, name: str):  # type: ignore[no-untyped-def]
    raise RuntimeError("解析器内部错误")


def test_summary_and_progress_are_printed_in_chinese(db_url, tmp_path):
    import io

    from rich.console import Console

    from gongkai.store import render_summary

    (tmp_path / "空.txt").write_bytes(b"")
    out = io.StringIO()
    console = Console(file=out, width=200, force_terminal=False)
    summary = ingest([tmp_path], db_url, progress=True, console=console)
    render_summary(summary, console)
    text = out.getvalue()
    assert "失败 1" in text and "未能入库的文件" in text and "空.txt" in text and "文件为空" in text
