"The `gongkai workbench` sub-app through Typer's CliRunner."
from __future__ import annotations

import json
import sys
import types

import pytest
from typer.testing import CliRunner

from gongkai.workbench.cli import app
from tests.workbench.wb_helpers import SPEC_CASES, spec_cases

runner = CliRunner()


def test_replay_prints_the_spec_results_as_json():
    res = runner.invoke(app, ["replay", str(SPEC_CASES)])
    assert res.exit_code == 0, res.output
    got = json.loads(res.stdout)
    cases = spec_cases()
    assert len(got) == len(cases)
    for g, c in zip(got, cases):
        assert set(g) == {"name", "state", "deadline", "correction_due", "outcome", "error"}
        for k, v in c["expected"].items():
            assert g[k] == v, (c["name"], k)


def test_replay_rejects_non_list(tmp_path):
    p = tmp_path / "x.json"
    p.write_text("{}", encoding="utf-8")
    res = runner.invoke(app, ["replay", str(p)])
    assert res.exit_code == 1 and "JSON 列表" in res.output


def test_register_act_queue_stats(tmp_path):
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    res = runner.invoke(app, ["register", "--channel", "online", "--applicant", "legal", "--on", "2024-09-27",
                              "--name", "某律师事务所", "--db", db])
    assert res.exit_code == 0, res.output
    assert "2024-000001" in res.output and "2024年10月30日" in res.output and "某律师事务所" not in res.output
    res = runner.invoke(app, ["act", "2024-000001", "answer", "--on", "2024-10-08", "--set", "outcome=granted", "--db", db])
    assert res.exit_code == 0 and "已答复" in res.output, res.output
    res = runner.invoke(app, ["act", "2024-000001", "answer", "--on", "2024-10-09", "--set", "outcome=granted", "--db", db])
    assert res.exit_code == 1 and "不能执行" in res.output
    res = runner.invoke(app, ["stats", "--year", "2024", "--json", "--db", db])
    cells = json.loads(res.stdout)
    assert cells["requests.new.legal"] == 1 and cells["requests.granted.legal"] == 1 and cells["requests.total.total"] == 1
    res = runner.invoke(app, ["stats", "--year", "2024", "--db", db])
    assert "勾稽关系：全部成立" in res.output
    res = runner.invoke(app, ["queue", "--on", "2024-10-09", "--db", db])
    assert res.exit_code == 0 and "2024-000001" not in res.output


def test_import_command(tmp_path):
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    csv = tmp_path / "old.csv"
    csv.write_text("申请人类型,收到申请日期,办结日期,办理结果\n自然人,2025-01-06,2025-01-20,granted\n", encoding="utf-8")
    res = runner.invoke(app, ["import", str(csv), "--db", db])
    assert res.exit_code == 0 and "已导入 1 件" in res.output


def test_report_passes_cells_to_the_renderer(tmp_path, monkeypatch):
    seen = {}
    fake = types.ModuleType("gongkai.render")
    fake.render_report = lambda report, path: seen.update(report=report, path=path)
    monkeypatch.setitem(sys.modules, "gongkai.render", fake)
    db = f"sqlite:///{tmp_path / 'cli.db'}"
    res = runner.invoke(app, ["report", "--year", "2025", "--to", str(tmp_path / "r.docx"), "--db", db])
    assert res.exit_code == 0, res.output
    assert seen["report"]["meta"]["year"] == 2025 and seen["report"]["cells"]["requests.total.total"] == 0


def test_report_without_renderer_is_a_chinese_error(tmp_path, monkeypatch):
    monkeypatch.setitem(sys.modules, "gongkai.render", types.ModuleType("gongkai.render"))
    res = runner.invoke(app, ["report", "--year", "2025", "--to", str(tmp_path / "r.docx"),
                              "--db", f"sqlite:///{tmp_path / 'cli.db'}"])
    assert res.exit_code == 1 and "报告生成模块" in res.output


def test_user_add_prompts_for_the_password_and_leaves_an_existing_user_alone(tmp_path):
    from gongkai.workbench import service
    from gongkai.workbench.db import make_sessionmaker

    db = f"sqlite:///{tmp_path / 'cli.db'}"
    res = runner.invoke(app, ["user", "add", "zhangsan", "--role", "审核", "--db", db], input="口令-1\n口令-1\n")
    assert res.exit_code == 0 and "已添加用户 zhangsan（审核）" in res.output and "口令-1" not in res.output
    res = runner.invoke(app, ["user", "add", "zhangsan", "--role", "登记", "--db", db], input="口令-2\n口令-2\n")
    assert res.exit_code == 0 and "已存在（审核），未作更改" in res.output
    with make_sessionmaker(db)() as s:
        assert service.authenticate(s, "zhangsan", "口令-1").role == "reviewer"
    res = runner.invoke(app, ["user", "add", "lisi", "--role", "外星", "--db", db], input="x\nx\n")
    assert res.exit_code == 1 and "登记（registrar）" in res.output
    res = runner.invoke(app, ["user", "list", "--db", db])
    assert res.output.split("\t")[:3] == ["zhangsan", "审核", "启用"]


@pytest.mark.parametrize("command", ["register", "act", "queue", "stats", "replay", "import", "appeal", "notice",
                                     "report", "user add", "user list"])
def test_every_command_has_chinese_help_ending_with_examples(command):
    res = runner.invoke(app, [*command.split(), "--help"])
    assert res.exit_code == 0
    assert "示例" in res.output and "gongkai workbench " + command in res.output
