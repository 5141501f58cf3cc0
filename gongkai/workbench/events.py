"""The workbench vocabulary: applicant types, channels, states, actions, outcomes, and the Event of the log."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Mapping

from gongkai.workbench.errors import ActionRefused

# Columns of table three (申请人情况), in table order; ids are the last part of `requests.<row>.<col>`.
APPLICANTS: dict[str, str] = {
    "natural": "自然人", "commercial": "商业企业", "research": "科研机构", "social": "社会公益组织",
    "legal": "法律服务机构", "other_org": "其他",
}

# 条例第31条: how the receipt date is fixed depends on the channel (spec §1).
CHANNELS: dict[str, str] = {
    "in_person": "当面提交", "post_signed": "邮寄（需签收）", "post_unsigned": "平常信函",
    "online": "互联网渠道", "fax": "传真",
}

STATES: dict[str, str] = {
    "registered": "已登记", "correction_requested": "待补正", "in_progress": "办理中", "consulting": "征求意见中",
    "fee_noticed": "待缴费", "answered": "已答复", "withdrawn": "已撤回", "archived": "已归档",
}
OPEN_STATES = frozenset({"registered", "correction_requested", "in_progress", "consulting", "fee_noticed"})

ACTIONS: dict[str, str] = {
    "register": "登记", "confirm_receipt": "确认收到申请", "request_correction": "补正告知",
    "receive_correction": "收到补正", "correction_lapsed": "逾期未补正", "start_consultation": "征求意见",
    "end_consultation": "征求意见结束", "extend": "延期答复", "notice_fee": "收费通知", "pay_fee": "缴费",
    "fee_lapsed": "逾期未缴费", "answer": "答复", "withdraw": "撤回", "archive": "归档",
    "set_reasonable_deadline": "确定合理答复期限",
    "import_conclusion": "导入办结记录",  # an agency starting mid-year: the conclusion of a request handled before
}

# Result rows of table three (2021 format), in table order, with the article the decision rests on (spec §6).
OUTCOMES: dict[str, tuple[str, str]] = {
    "granted": ("予以公开", "条例第三十六条第（一）（二）项"),
    "partial": ("部分公开", "条例第三十七条"),
    "denied_secret": ("不予公开：属于国家秘密", "条例第十四条、第三十六条第（三）项"),
    "denied_law": ("不予公开：其他法律行政法规禁止公开", "条例第十四条、第三十六条第（三）项"),
    "denied_safety": ("不予公开：危及“三安全一稳定”", "条例第十四条、第三十六条第（三）项"),
    "denied_third_party": ("不予公开：保护第三方合法权益", "条例第十五条、第三十二条、第三十六条第（三）项"),
    "denied_internal": ("不予公开：属于三类内部事务信息", "条例第十六条第一款、第三十六条第（三）项"),
    "denied_process": ("不予公开：属于四类过程性信息", "条例第十六条第二款、第三十六条第（三）项"),
    "denied_enforcement": ("不予公开：属于行政执法案卷", "条例第十六条第二款、第三十六条第（三）项"),
    "denied_inquiry": ("不予公开：属于行政查询事项", "条例第三十六条第（七）项"),
    "unable_not_held": ("无法提供：本机关不掌握相关政府信息", "条例第三十六条第（四）（五）项"),
    "unable_need_creation": ("无法提供：没有现成信息需要另行制作", "条例第三十八条"),
    "unable_unclear": ("无法提供：补正后申请内容仍不明确", "条例第三十条"),
    "declined_complaint": ("不予处理：信访举报投诉类申请", "条例第三十九条第一款"),
    "declined_repeat": ("不予处理：重复申请", "条例第三十六条第（六）项"),
    "declined_publication": ("不予处理：要求提供公开出版物", "条例第三十九条第二款"),
    "declined_mass": ("不予处理：无正当理由大量反复申请", "条例第三十五条"),
    "declined_confirm": ("不予处理：要求行政机关确认或重新出具已获取信息", "条例第三十九条"),
    "other_no_correction": ("其他处理：申请人无正当理由逾期不补正、行政机关不再处理", "条例第三十条"),
    "other_no_fee": ("其他处理：申请人逾期未按收费通知要求缴纳费用、行政机关不再处理", "《政府信息公开信息处理费管理办法》"),
    "other_misc": ("其他处理：其他", ""),
}
# Rows only a lapse produces; `answer` may not pick them (spec §4).
LAPSE_OUTCOMES = frozenset({"other_no_correction", "other_no_fee"})
DENIALS = frozenset(o for o in OUTCOMES if o.startswith("denied_"))
# The 2019 format has one （六）其他处理 row for the three 2021 rows.
OUTCOME_2019 = {o: ("other" if o.startswith("other_") else o) for o in OUTCOMES}

PARTIES = {"third_party": "第三方", "other_agency": "其他机关"}
DATE_FIELDS = frozenset({"received", "arrived", "signed", "confirmed", "deadline"})


def parse_date(value: Any) -> dt.date:
    "ISO string, date or datetime → date; anything else is refused with a Chinese message."
    if isinstance(value, dt.datetime):
        return value.date()
    if isinstance(value, dt.date):
        return value
    try:
        return dt.date.fromisoformat(str(value).strip())
    except ValueError:
        raise ActionRefused("workbench.input.date", value=value) from None


@dataclass(frozen=True, slots=True)
class Event:
    "One entry of the append-only log: what was done (action, data), when (date), by whom (actor) and why."

    seq: int
    action: str
    date: dt.date
    actor: str = ""
    reason: str = ""
    data: Mapping[str, Any] = field(default_factory=dict)
    flags: tuple[Mapping[str, Any], ...] = ()  # warnings recorded with the event (逾期答复, …)
    recorded_at: dt.datetime | None = None

    def get_date(self, key: str) -> dt.date | None:
        v = self.data.get(key)
        return None if v in (None, "") else parse_date(v)

    def as_dict(self) -> dict[str, Any]:
        return {
            "seq": self.seq, "action": self.action, "date": self.date.isoformat(), "actor": self.actor,
            "reason": self.reason, "data": {k: _jsonable(v) for k, v in self.data.items()},
            "flags": [dict(f) for f in self.flags],
            "recorded_at": self.recorded_at.isoformat() if self.recorded_at else None,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> "Event":
        at = d.get("recorded_at")
        return cls(int(d["seq"]), str(d["action"]), parse_date(d["date"]), d.get("actor") or "",
                   d.get("reason") or "", dict(d.get("data") or {}), tuple(d.get("flags") or ()),
                   dt.datetime.fromisoformat(at) if isinstance(at, str) else at)


def _jsonable(v: Any) -> Any:
    return v.isoformat() if isinstance(v, (dt.date, dt.datetime)) else v


def clean_data(data: Mapping[str, Any]) -> dict[str, Any]:
    "Normalise action data for the log: date fields as ISO strings, None dropped."
    out: dict[str, Any] = {}
    for k, v in data.items():
        if v is None:
            continue
        out[k] = parse_date(v).isoformat() if k in DATE_FIELDS else v
    return out
