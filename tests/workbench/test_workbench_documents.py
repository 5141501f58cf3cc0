"Notices as DOCX: number and dates filled in, legal basis and remedies per outcome."
from __future__ import annotations

import pytest
from docx import Document

from gongkai.workbench.documents import NOTICE_FOR_ACTION, render_notice, templates
from gongkai.workbench.engine import Request
from gongkai.workbench.events import LAPSE_OUTCOMES, OUTCOMES


def _text(path) -> str:
    return "\n".join(p.text for p in Document(str(path)).paragraphs)


def _req(*steps) -> Request:
    r = Request()
    r.act("register", "2024-09-27", channel="online", applicant="natural", content="某路段规划许可")
    for action, on, data in steps:
        r.act(action, on, **data)
    return r


def test_receipt_has_number_code_and_deadline(tmp_path):
    p = render_notice(_req(), 1, tmp_path / "r.docx", number="2024-000007", agency="某市自然资源局",
                      applicant_name="申请人甲", lookup_code="ABCD2345EF")
    text = _text(p)
    assert "2024-000007" in text and "ABCD2345EF" in text and "2024年10月30日" in text and "某市自然资源局" in text


def test_correction_notice_states_the_period_end(tmp_path):
    r = _req(("request_correction", "2024-09-30", {"period_days": 7}))
    text = _text(render_notice(r, 2, tmp_path / "c.docx", number="N1"))
    assert "补正告知书" in text and "2024年10月15日" in text and "第三十条" in text  # 10/8–11, 10/12 Sat W, 10/14–15


def test_extension_notice(tmp_path):
    r = Request()
    r.act("register", "2024-08-02", channel="online", applicant="natural")
    r.act("extend", "2024-08-27", reason="需要调取档案")
    text = _text(render_notice(r, 2, tmp_path / "e.docx", number="N2"))
    assert "延期答复告知书" in text and "2024年9月29日" in text and "20个工作日" in text  # §9.11(a)


def test_fee_notice(tmp_path):
    r = Request()
    r.act("register", "2025-03-10", channel="online", applicant="natural")
    r.act("notice_fee", "2025-03-14", nth=31)
    text = _text(render_notice(r, 2, tmp_path / "f.docx", number="N3"))
    assert "200元" in text and "2025年4月14日" in text and "109号" in text


def test_consultation_letter(tmp_path):
    r = Request()
    r.act("register", "2025-04-01", channel="online", applicant="natural")
    r.act("start_consultation", "2025-04-03", party="third_party", party_name="某公司")
    text = _text(render_notice(r, 2, tmp_path / "k.docx", number="N4"))
    assert "某公司" in text and "2025年4月25日" in text and "第三十二条" in text  # §9.9 limit


@pytest.mark.parametrize("outcome", [o for o in OUTCOMES if o not in LAPSE_OUTCOMES])
def test_answer_per_outcome_has_basis_and_remedies(tmp_path, outcome):
    r = _req(("answer", "2024-10-08", {"outcome": outcome}))
    text = _text(render_notice(r, 2, tmp_path / f"{outcome}.docx", number="N5"))
    assert "N5" in text and "2024年9月27日" in text and "60日" in text
    assert templates()["outcomes"][outcome] in text
    if outcome.startswith("denied_"):
        assert "先依法申请行政复议" in text  # 复议前置 since 2024-01-01
    else:
        assert "6个月" in text


def test_denial_before_2024_allows_direct_suit(tmp_path):
    r = Request()
    r.act("register", "2023-11-01", channel="online", applicant="natural")
    r.act("answer", "2023-11-20", outcome="denied_secret")
    text = _text(render_notice(r, 2, tmp_path / "d.docx", number="N6"))
    assert "6个月" in text and "先依法申请行政复议" not in text


def test_lapse_notice(tmp_path):
    r = _req(("request_correction", "2024-09-30", {"period_days": 7}), ("correction_lapsed", "2024-10-16", {}))
    text = _text(render_notice(r, 3, tmp_path / "l.docx", number="N7"))
    assert "不再处理" in text and "第三十条" in text


def test_every_action_with_a_notice_has_a_template():
    assert set(NOTICE_FOR_ACTION.values()) <= set(templates())
