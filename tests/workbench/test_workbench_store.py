"Persistence: optimistic locking, roles, append-only log, personal data kept out of logs, import, stats from the DB."
from __future__ import annotations

import logging

import pytest

from gongkai.workbench import service
from gongkai.workbench.errors import ActionRefused, ConflictError
from gongkai.workbench.importer import import_file
from gongkai.workbench.store import PiiAccess
from tests.workbench.wb_helpers import DB_PARAMS, D, make_db

PII = service.Applicant(name="欧阳娜娜", id_number="11010519491231002X", phone="13912345678", address="北京市东城区某胡同8号")


@pytest.fixture(params=DB_PARAMS)
def factory(request, tmp_path):
    f, cleanup = make_db(request.param, tmp_path)
    yield f
    cleanup()


def _register(s, on="2025-03-10", **kw):
    row, code = service.register(s, on, channel=kw.pop("channel", "online"), applicant_type=kw.pop("applicant_type", "natural"),
                                 content="2024年部门预算", applicant=PII, **kw)
    s.commit()
    return row.number, code


def test_two_staff_at_once_one_wins_the_other_gets_a_conflict(factory):
    with factory() as s:
        number, _ = _register(s)
    a, b = factory(), factory()
    # Both open the request at the same time: rows and logs loaded, same version.
    row_a, row_b = service.get_row(a, number), service.get_row(b, number)
    assert len(row_a.events) == len(row_b.events) == 1 and row_a.version == row_b.version
    service.act(a, number, "extend", "2025-03-20", actor="甲", days=10)
    with pytest.raises(ConflictError) as e:  # b still holds the old version: its UPDATE matches no row
        service.act(b, number, "answer", "2025-03-20", actor="乙", outcome="granted")
    assert number in e.value.message and "请刷新后重试" in e.value.message
    a.close(), b.close()
    with factory() as s:  # nothing lost: the winner's event stands, the loser retries on the fresh version
        assert [ev["action"] for ev in service.history(s, number)] == ["register", "extend"]
        row = service.get_row(s, number)
        service.act(s, number, "answer", "2025-03-21", actor="乙", outcome="granted", expected_version=row.version)
        assert [ev["action"] for ev in service.history(s, number)] == ["register", "extend", "answer"]
        assert service.get_row(s, number).state == "answered"


def test_two_forms_submitted_with_the_same_version(factory):
    "The web case: both pages carry version v; the second submission is refused, not merged."
    with factory() as s:
        number, _ = _register(s)
        v = service.get_row(s, number).version
    with factory() as a:
        service.act(a, number, "extend", "2025-03-20", actor="甲", days=10, expected_version=v)
    with factory() as b:
        with pytest.raises(ConflictError, match=f"第 {v} 版"):
            service.act(b, number, "answer", "2025-03-20", actor="乙", outcome="granted", expected_version=v)
        assert [ev["action"] for ev in service.history(b, number)] == ["register", "extend"]


def test_stale_expected_version_is_refused_before_writing(factory):
    with factory() as s:
        number, _ = _register(s)
        v = service.get_row(s, number).version
        service.act(s, number, "extend", "2025-03-20", days=5)
        with pytest.raises(ConflictError, match=f"第 {v} 版"):
            service.act(s, number, "answer", "2025-03-21", outcome="granted", expected_version=v)
        assert len(service.history(s, number)) == 2


def test_refused_action_leaves_the_log_unchanged(factory):
    with factory() as s:
        number, _ = _register(s)
        with pytest.raises(ActionRefused, match="已超过答复期限"):
            service.act(s, number, "extend", "2025-05-01")
        s.rollback()
        assert len(service.history(s, number)) == 1


def test_roles_registrar_cannot_answer_reviewer_can_extend(factory):
    with factory() as s:
        reg = service.create_staff(s, "dengji", "pw-1", "registrar")
        handler = service.create_staff(s, "chengban", "pw-2", "handler")
        reviewer = service.create_staff(s, "shenhe", "pw-3", "reviewer")
        row, _ = service.register(s, "2025-03-10", channel="online", applicant_type="natural", staff=reg)
        s.commit()
        with pytest.raises(ActionRefused, match="登记.*答复"):
            service.act(s, row.number, "answer", "2025-03-12", staff=reg, outcome="granted")
        with pytest.raises(ActionRefused, match="承办.*延期"):
            service.act(s, row.number, "extend", "2025-03-12", staff=handler)
        service.act(s, row.number, "extend", "2025-03-12", staff=reviewer)
        service.act(s, row.number, "answer", "2025-03-13", staff=handler, outcome="granted")
        assert [e["actor"] for e in service.history(s, row.number)] == ["dengji", "shenhe", "chengban"]


def test_passwords_are_argon2_hashes(factory):
    with factory() as s:
        u = service.create_staff(s, "admin1", "正确的密码", "admin")
        assert u.password_hash.startswith("$argon2") and "正确的密码" not in u.password_hash
        assert service.authenticate(s, "admin1", "正确的密码").id == u.id
        with pytest.raises(ActionRefused, match="用户名或密码错误"):
            service.authenticate(s, "admin1", "错误")


def test_events_are_append_only(factory):
    with factory() as s:
        number, _ = _register(s)
        ev = service.get_row(s, number).events[0]
        ev.reason = "改写历史"
        with pytest.raises(PermissionError):
            s.flush()
        s.rollback()
        with pytest.raises(PermissionError):
            s.delete(service.get_row(s, number).events[0])
            s.flush()


def test_personal_data_never_in_logs_or_reprs(factory, caplog):
    caplog.set_level(logging.DEBUG)  # every logger, SQLAlchemy's engine included
    with factory() as s:
        number, code = _register(s)
        service.act(s, number, "request_correction", "2025-03-11", reason="请明确年度")
        with pytest.raises(ActionRefused):
            service.act(s, number, "answer", "2025-03-12", outcome="granted")
        s.rollback()
        row = service.get_row(s, number)
        text = caplog.text + repr(row) + repr(PII) + repr(service.queue(s, D("2025-03-12")))
        assert number in caplog.text  # the log does say what happened
        for secret in (PII.name, PII.id_number, PII.phone, PII.address, code):
            assert secret not in text
        staff = service.create_staff(s, "viewer", "pw", "handler")
        assert service.applicant_data(s, number, staff, purpose="电话联系补正")["applicant_phone"] == PII.phone
        assert PII.phone not in caplog.text
        (access,) = s.query(PiiAccess).all()
        assert access.actor == "viewer" and access.purpose == "电话联系补正"


def test_lookup_shows_status_and_dates_only(factory):
    with factory() as s:
        number, code = _register(s)
        seen = service.lookup(s, number, code)
        assert seen["deadline"] == "2025-04-08" and seen["state"] == "registered"
        assert not any(PII.name in str(v) for v in seen.values())
        assert service.lookup(s, number, "WRONGCODE1") is None


def test_queue_sorts_by_deadline_and_marks_overdue_and_due_soon(factory):
    with factory() as s:
        late, _ = _register(s, on="2025-03-03")    # deadline 2025-03-31
        soon, _ = _register(s, on="2025-03-10")    # deadline 2025-04-08
        later, _ = _register(s, on="2025-03-20")
        q = service.queue(s, D("2025-04-03"))
        assert [i["number"] for i in q] == [late, soon, later]
        assert (q[0]["overdue"], q[1]["overdue"], q[1]["due_soon"], q[2]["due_soon"]) == (True, False, True, False)


def test_year_cells_from_the_database_and_table_four(factory):
    with factory() as s:
        a, _ = _register(s, on="2024-12-20")
        service.act(s, a, "answer", "2025-01-10", outcome="denied_process")
        b, _ = _register(s, on="2025-12-29", applicant_type="commercial")
        _, flags = service.add_appeal(s, "suit_direct", "2025-02-01", request=a)
        assert flags and "行政复议" in flags[0]["message"]
        service.add_appeal(s, "review", "2025-02-01", concluded="2025-04-01", result="corrected", request=a)
        cells = service.year_cells(s, 2025)
        assert cells["requests.carried_over.natural"] == 1 and cells["requests.denied_process.natural"] == 1
        assert cells["requests.new.commercial"] == 1 and cells["requests.carried_forward.commercial"] == 1
        assert cells["appeals.review.corrected"] == 1 and cells["appeals.suit_direct.pending"] == 1


def test_import_csv_mid_year(factory, tmp_path):
    path = tmp_path / "old.csv"
    path.write_text("申请编号,申请人类型,申请方式,收到申请日期,办结日期,办理结果,撤回\n"
                    "H-1,自然人,当面提交,2025-01-06,2025-01-20,予以公开,\n"
                    "H-2,legal,online,2025-02-03,2025-02-10,,是\n"
                    "H-3,商业企业,,2025-05-06,,,\n"
                    "H-4,外星人,,2025-05-06,,,\n"
                    "H-5,natural,,2025-05-06,2025-05-01,granted,\n", encoding="utf-8-sig")
    with factory() as s:
        stored, problems = import_file(s, path)
        assert stored == 3
        assert [p.split("：")[0] for p in problems] == ["导入文件第 5 行", "导入文件第 6 行"]
        assert "外星人" in problems[0]
        assert service.get_row(s, "H-2").state == "withdrawn" and service.get_row(s, "H-2").outcome == "other_misc"
        assert service.load(s, "H-3").deadline().due == D("2025-06-04")  # imported open requests keep their clock
        service.act(s, "H-3", "answer", "2025-05-20", outcome="partial")
        assert import_file(s, path)[0] == 0  # idempotent by 申请编号
        cells = service.year_cells(s, 2025)
        assert cells["requests.granted.natural"] == 1 and cells["requests.partial.commercial"] == 1
        assert cells["requests.new.total"] == 3 == cells["requests.total.total"]


def test_import_xlsx(factory, tmp_path):
    from openpyxl import Workbook

    wb = Workbook()
    wb.active.append(["申请人类型", "收到申请日期", "办结日期", "办理结果"])
    wb.active.append(["科研机构", "2025-03-03", "2025-03-20", "本机关不掌握相关政府信息"])
    path = tmp_path / "old.xlsx"
    wb.save(path)
    with factory() as s:
        assert import_file(s, path) == (1, [])
        assert service.year_cells(s, 2025)["requests.unable_not_held.research"] == 1


def test_import_refuses_other_file_types(factory, tmp_path):
    path = tmp_path / "x.txt"
    path.write_text("x", encoding="utf-8")
    with factory() as s, pytest.raises(ActionRefused, match="不支持的导入文件类型"):
        import_file(s, path)
