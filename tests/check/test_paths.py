"""check_paths over files and folders, its JSON shape, and the CLI's table, summary and exit code."""
from __future__ import annotations

import json

from rich.console import Console

from gongkai.check import check_paths, expand_paths
from gongkai.check.report import exit_code, render_findings_table, summarise, summary_line
from tests.conftest import SHARED


def test_folder_and_unreadable_file(tmp_path):
    (tmp_path / "empty.txt").write_bytes(b"")
    results = check_paths([SHARED / "seeds", tmp_path / "empty.txt"])
    assert len(results) == 6
    assert [r["unreadable"] for r in results] == [False] * 5 + [True]
    assert results[-1]["findings"][0]["code"] == "read.empty"
    json.dumps(results, ensure_ascii=False)  # the --json output as is
    for r in results:
        for f in r["findings"]:
            assert set(f) >= {"code", "severity", "message", "cells", "suspect", "source"}
    assert exit_code(results) == 2 and exit_code(results[:5]) == 0


def test_broken_file_exits_1_and_names_the_cell(tmp_path):
    text = (SHARED / "seeds" / "004_9bf3dd1d6b9a4ab2.txt").read_text("utf-8")
    text = text.replace("(七)总计 | 139 |", "(七)总计 | 140 |")
    (tmp_path / "broken.txt").write_text(text, "utf-8")
    [result] = check_paths([tmp_path / "broken.txt"])
    assert exit_code([result]) == 1
    errors = [f for f in result["findings"] if f["severity"] == "error"]
    assert {f["suspect"] for f in errors} == {"requests.total.natural"}


def test_table_and_summary():
    results = check_paths(sorted((SHARED / "seeds").glob("*.txt")))
    console = Console(record=True, width=200)
    console.print(render_findings_table(results))
    out = console.export_text()
    assert "攀枝花市东区人民政府" in out and "check.period.missing" in out
    s = summarise(results)
    assert s["reports"] == 5 and s["with_errors"] == 0 and s["with_warnings"] == 1
    assert dict(s["top_codes"])["check.cell.blank"] == 2
    assert summary_line(results).startswith("共 5 份：0 份有错误")


def test_expand_paths_skips_hidden(tmp_path):
    (tmp_path / ".hidden").mkdir()
    (tmp_path / ".hidden" / "x.txt").write_text("x")
    (tmp_path / "a.txt").write_text("x")
    assert expand_paths([tmp_path]) == [tmp_path / "a.txt"]


def test_db_gives_last_years_report_of_the_same_agency(tmp_path):
    from gongkai.store import ingest

    text = (SHARED / "seeds" / "004_9bf3dd1d6b9a4ab2.txt").read_text("utf-8")  # 2022, 上年结转 自然人 3
    assert "2022年1月1日起至2022年12月31日" in text
    last = text.replace("2022", "2021")
    (tmp_path / "db").mkdir()
    (tmp_path / "db" / "last.txt").write_text(last, "utf-8")
    (tmp_path / "this.txt").write_text(text, "utf-8")
    db = f"sqlite:///{tmp_path / 'store.db'}"
    assert ingest([tmp_path / "db", tmp_path / "this.txt"], db).exit_code == 0

    [result] = check_paths([tmp_path / "this.txt"], db_url=db)
    carry = [f for f in result["findings"] if f["code"] == "check.continuity.carry"]
    # Last year's copy carried forward this year's 结转下年度, not its 上年结转: where they differ, it is named.
    last_report = check_paths([tmp_path / "db" / "last.txt"])[0]
    assert last_report["meta"]["year"] == 2021
    assert carry and all(f["suspect"].startswith("requests.carried_over.") for f in carry)
    # Without the store, the file alone has no history and no continuity finding.
    [alone] = check_paths([tmp_path / "this.txt"])
    assert not [f for f in alone["findings"] if f["code"].startswith("check.continuity")]
