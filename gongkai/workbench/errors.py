"""Workbench errors and warnings: stable codes with Chinese message templates, kept as data."""
from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any, Mapping

# One home for every message the workbench shows: refusals (errors) and recorded irregularities (warnings).
# Codes are stable, like the check catalogue: never renamed, never reused.
MESSAGES: dict[str, str] = {
    "workbench.calendar.year": "{year}年节假日安排尚未录入，无法计算工作日；请管理员按国务院办公厅通知将该年放假调休安排添加为日历数据",
    "workbench.calendar.data": "日历数据文件有误：{detail}",
    "workbench.input.date": "日期格式有误：{value}（应为 YYYY-MM-DD）",
    "workbench.input.field": "缺少必填项：{field}",
    "workbench.input.value": "{field} 的取值无效：{value}（可选：{allowed}）",
    "workbench.input.order": "事件日期 {date} 早于上一事件日期 {previous}；事件须按时间顺序记录",
    "workbench.action.unknown": "未知操作：{action}",
    "workbench.action.state": "当前状态为“{state}”，不能执行“{action}”",
    "workbench.register.twice": "该申请已登记，不能重复登记",
    "workbench.register.first": "申请尚未登记，请先登记",
    "workbench.receipt.future": "收到申请之日 {received} 晚于登记日期 {date}",
    "workbench.receipt.order": "确认日期 {confirmed} 早于信件到达日期 {arrived}",
    "workbench.receipt.unconfirmed": "尚未与申请人确认收到申请之日（条例第三十一条第（二）项），请先确认后再办理",
    "workbench.receipt.confirmed": "收到申请之日已确认（{received}），不能再次确认",
    "workbench.correction.once": "补正告知应一次性告知（条例第三十条），该申请已发出过补正告知",
    "workbench.correction.period": "补正期限应为正整数个工作日，而不是 {value}",
    "workbench.correction.not_lapsed": "补正期限至 {period_end} 届满，{date} 尚不能认定逾期未补正",
    "workbench.consultation.party": "征求意见对象应为第三方（third_party）或其他机关（other_agency），而不是 {value}",
    "workbench.consultation.none": "没有正在进行的征求意见",
    "workbench.consultation.which": "有多个正在进行的征求意见（{refs}），请用 ref 指明结束哪一个",
    "workbench.consultation.ref": "没有编号为 {ref} 的正在进行的征求意见",
    "workbench.consultation.ref_taken": "征求意见编号 {ref} 已在使用，请另取编号",
    "workbench.extend.late": "已超过答复期限（{deadline}），不能延期",
    "workbench.extend.days": "延期天数须为 1 至 {left} 个工作日（条例第三十三条第二款：延长期限最长不超过20个工作日，已延长 {used} 个）",
    "workbench.extend.reasonable": "已按条例第三十五条确定合理答复期限，不能再延期",
    "workbench.fee.before_2021": "《政府信息公开信息处理费管理办法》自2021年1月1日起施行，{date} 不能发出收费通知",
    "workbench.fee.late": "收费通知应在答复期限（{deadline}）内发出",
    "workbench.fee.both": "同一申请只能选择按件计收或按量计收中的一种（管理办法第三条），不能同时适用",
    "workbench.fee.none": "收费通知须注明金额（amount），或给出当月申请件次（nth）或页数（pages）以便计算",
    "workbench.fee.free": "按规定该申请不应收费（计算金额为 0 元）",
    "workbench.fee.too_much": "收费金额 {amount} 元超过按标准可收取的上限 {limit} 元",
    "workbench.fee.amount": "收费金额须为正整数元，而不是 {value}",
    "workbench.fee.again": "该申请已发出过收费通知",
    "workbench.fee.overdue": "缴费期限至 {pay_by} 届满，{date} 已逾期，应记录逾期未缴费",
    "workbench.fee.not_lapsed": "缴费期限至 {pay_by} 届满，{date} 尚不能认定逾期未缴费",
    "workbench.answer.outcome": "答复结果须为表三办理结果的一行（如 granted、partial、denied_secret），而不是 {value}",
    "workbench.answer.lapse_only": "“{outcome}”只能由逾期未补正或逾期未缴费的记录产生，不能直接答复",
    "workbench.reasonable.earlier": "合理答复期限 {deadline} 不得早于现行答复期限 {current}",
    "workbench.reasonable.past": "合理答复期限 {deadline} 不得早于作出决定之日 {date}",
    "workbench.reasonable.reason": "按条例第三十五条确定合理答复期限须说明理由（reason）",
    "workbench.conflict": "申请 {number} 已被其他工作人员更新（您看到的是第 {expected} 版，现为第 {actual} 版），您的操作未保存，请刷新后重试",
    "workbench.not_found": "找不到申请 {number}",
    "workbench.role": "角色“{role}”无权执行“{action}”",
    "workbench.login": "用户名或密码错误",
    "workbench.appeal.kind": "行政复议、行政诉讼类别无效：{value}（可选：review、suit_direct、suit_after_review）",
    "workbench.appeal.result": "审理结果无效：{value}（可选：upheld、corrected、other）",
    "workbench.appeal.order": "审结日期 {concluded} 早于受理日期 {filed}",
    "workbench.stats.format": "不支持的年度报告格式：{value}（可选：2019、2021）",
    "workbench.import.row": "导入文件第 {row} 行：{detail}",
    "workbench.import.format": "不支持的导入文件类型：{suffix}（可选 .csv、.xlsx）",
    "workbench.web.login_required": "请先登录工作台",
    "workbench.web.csrf": "表单已失效（缺少或不匹配的安全令牌），请刷新页面后重新提交",
    "workbench.web.throttled": "尝试次数过多，请 {minutes} 分钟后再试",
    "workbench.web.lookup": "申请编号或查询码不正确",
    "workbench.web.number": "申请编号 {value} 无效",
    "workbench.web.integer": "{field} 应为整数，而不是 {value}",
    # warnings: recorded, not refused (spec §3: the log must show what happened)
    "workbench.warn.late_correction": "逾期补正告知：补正告知应在 {due} 前发出（条例第三十条，收到申请之日起7个工作日内）",
    "workbench.warn.late_answer": "逾期答复：答复期限为 {deadline}",
    "workbench.warn.unclear_without_correction": "以“补正后申请内容仍不明确”答复，但未记录收到补正",
    "workbench.warn.direct_suit": "自2024年1月1日起，对不予公开决定不服应先申请行政复议（行政复议法第二十三条），请核实该直接起诉案件",
}


def message(code: str, **facts: Any) -> str:
    "Render the Chinese message of a code with its facts."
    return MESSAGES[code].format(**{k: _show(v) for k, v in facts.items()})


def _show(value: Any) -> str:
    return value.isoformat() if hasattr(value, "isoformat") else str(value)


class WorkbenchError(Exception):
    "A refused action or an impossible computation; `message` is Chinese, `code` is stable."

    def __init__(self, code: str, **facts: Any):
        self.code = code
        self.facts = facts
        self.message = message(code, **facts)
        super().__init__(self.message)


class ActionRefused(WorkbenchError):
    "The action is not allowed in the request's state or breaks a rule of the 条例."


class CalendarNotCovered(WorkbenchError):
    "A date falls in a year for which no holiday schedule is known."

    def __init__(self, year: int):
        super().__init__("workbench.calendar.year", year=year)
        self.year = year


class ConflictError(WorkbenchError):
    "Someone else changed the request since it was read (optimistic locking)."


@dataclass(frozen=True, slots=True)
class Flag:
    "An irregularity the log records without refusing the action (逾期补正告知, 逾期答复, …)."

    code: str
    message: str
    facts: Mapping[str, Any] = field(default_factory=dict)

    @classmethod
    def of(cls, code: str, **facts: Any) -> "Flag":
        return cls(code, message(code, **facts), {k: _show(v) for k, v in facts.items()})

    def as_dict(self) -> dict[str, Any]:
        return {"code": self.code, "message": self.message, "facts": dict(self.facts)}
