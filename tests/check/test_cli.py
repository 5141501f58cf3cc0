"""`gongkai check` on several files: only reports with errors listed one by one (all with --all), then a summary."""
from __future__ import annotations

import json

from typer.testing import CliRunner

from gongkai.cli import app
from tests.conftest import SHARED

SEEDS = SHARED / "seeds"


def folder(tmp_path):
    "Eight files: the five seeds, two copies of 004 with a broken sum, one empty file."
    text = (SEEDS / "004_9bf3dd1d6b9a4ab2.txt").read_text("utf-8")
    broken = text.replace("(七)总计 | 139 |", "(七)总计 | 140 |")
    assert broken != text
    for f in SEEDS.glob("*.txt"):
        (tmp_path / f.name).write_text(f.read_text("utf-8"), "utf-8")
    (tmp_path / "x_broken_1.txt").write_text(broken, "utf-8")
    (tmp_path / "x_broken_2.txt").write_text(broken.replace("2022年", "2022 年", 1), "utf-8")
    (tmp_path / "z_empty.txt").write_bytes(b"")
    return tmp_path


def run(*args):
    return CliRunner().invoke(app, ["check", *map(str, args)], env={"COLUMNS": "200"})


def test_folder_prints_only_reports_with_errors_then_the_summary(tmp_path):
    res = run(folder(tmp_path))
    assert res.exit_code == 2, res.output  # an unreadable file
    out = res.output
    # 002 has warnings of its own; 004 now has a warning too: the broken copies report its year differently.
    assert "共 8 份报告，有错误 2 份，仅有警告 2 份，无问题 3 份，无法读取 1 份" in out
    # Listed one by one: the two broken copies and the empty file; the clean seeds only counted.
    assert "x_broken_1.txt" in out and "x_broken_2.txt" in out and "z_empty.txt" in out
    assert "001_e353603ced10e90f.txt" not in out and "002_2e247731aada4717.txt" not in out
    assert "上表只列出有错误或无法读取的 3 份报告" in out
    # The commonest codes with their Chinese titles and counts: the broken sum fails in two reports.
    lines = {line.split("│")[1].strip(): line for line in out.splitlines() if line.count("│") >= 6}
    assert "check.sum.balance" in lines and "申请数量不平衡" in lines["check.sum.balance"]
    assert [c.strip() for c in lines["check.sum.balance"].split("│")[4:6]] == ["2", "2"]
    assert [c.strip() for c in lines["check.duplicate.conflict"].split("│")[4:6]] == ["3", "3"]
    assert "check.cell.blank" in lines
    assert "read.empty" in lines


def test_all_lists_every_report_and_single_file_prints_no_summary(tmp_path):
    out = run(folder(tmp_path), "--all").output
    assert "001_e353603ced10e90f.txt" in out and "审核汇总" in out and "加 --all" not in out
    one = run(SEEDS / "002_2e247731aada4717.txt")
    assert one.exit_code == 0 and "check.cell.blank" in one.output and "审核汇总" not in one.output


def test_json_is_a_list_per_file_or_one_object(tmp_path):
    res = run(folder(tmp_path), "--json")
    data = json.loads(res.output)
    assert isinstance(data, list) and len(data) == 8
    assert {"file", "findings", "unreadable", "meta"} <= set(data[0])
    single = json.loads(run(SEEDS / "004_9bf3dd1d6b9a4ab2.txt", "--json").output)
    assert isinstance(single, dict) and single["findings"] == [] and res.exit_code == 2
