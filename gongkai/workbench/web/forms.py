"""The action forms of the request page as data: which fields each action asks for, and form → action data."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

from gongkai.workbench.errors import ActionRefused
from gongkai.workbench.events import LAPSE_OUTCOMES, OUTCOMES, PARTIES


@dataclass(frozen=True)
class Field:
    "One input: `kind` is text, date, int or select (with `options` id → Chinese label)."

    name: str
    label: str
    kind: str = "text"
    options: Mapping[str, str] = field(default_factory=dict)
    default: str = ""


ANSWERS = {k: label for k, (label, _) in OUTCOMES.items() if k not in LAPSE_OUTCOMES}

# Every action also has 日期 (the day it was done) and 理由; defaults are the engine's (spec §3).
ACTION_FIELDS: dict[str, tuple[Field, ...]] = {
    "confirm_receipt": (Field("confirmed", "与申请人确认之日", "date"),),
    "request_correction": (Field("period_days", "补正期限（工作日）", "int", default="15"),),
    "receive_correction": (Field("received", "收到补正之日", "date"),),
    "start_consultation": (Field("party", "征求意见对象", "select", PARTIES), Field("party_name", "对象名称"),
                           Field("received", "对方收到征求意见书之日", "date")),
    "end_consultation": (Field("ref", "征求意见编号（有多个时填写）"),),
    "extend": (Field("days", "延长工作日数", "int", default="20"),),
    "notice_fee": (Field("nth", "本月第几件（按件计收）", "int"), Field("pages", "页数（按量计收）", "int"),
                   Field("amount", "金额（元，可不填）", "int"), Field("received", "申请人收到通知之日", "date")),
    "answer": (Field("outcome", "办理结果", "select", ANSWERS),),
    "set_reasonable_deadline": (Field("deadline", "合理答复期限", "date"),),
}


def form_data(action: str, form: Mapping[str, Any]) -> dict[str, Any]:
    "The action's data from a submitted form: blanks left out (the engine's defaults apply), integers parsed."
    data: dict[str, Any] = {}
    for f in ACTION_FIELDS.get(action, ()):
        value = str(form.get(f.name) or "").strip()
        if not value:
            continue
        if f.kind == "int":
            try:
                data[f.name] = int(value)
            except ValueError:
                raise ActionRefused("workbench.web.integer", field=f.label, value=value) from None
        else:
            data[f.name] = value
    return data
