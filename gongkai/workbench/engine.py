"""The request lifecycle: an append-only event log folded into state, guarded by the 条例, with explained deadlines."""
from __future__ import annotations

import datetime as dt
from dataclasses import dataclass, field
from typing import Any, Iterable, Mapping

from gongkai.workbench.calendar import Count, WorkCalendar, default_calendar
from gongkai.workbench.errors import ActionRefused, Flag, WorkbenchError
from gongkai.workbench.events import (
    ACTIONS, APPLICANTS, CHANNELS, LAPSE_OUTCOMES, OPEN_STATES, OUTCOMES, PARTIES, STATES, Event, clean_data,
    parse_date,
)
from gongkai.workbench.fees import max_fee

Date = dt.date
ANSWER_DAYS = 20        # 条例第33条第2款
CORRECTION_NOTICE_DAYS = 7  # 条例第30条
CORRECTION_PERIOD_DAYS = 15  # gongkai default for the period stated on the 补正告知书 (spec §3)
CONSULTATION_DAYS = 15  # 条例第32条 (third party), 第34条 (other agency)
EXTENSION_CAP = 20      # 条例第33条第2款
FEE_PAY_DAYS = 20       # 管理办法: 20 working days from the day after receiving the notice
FEE_IN_FORCE = Date(2021, 1, 1)
RUNNING = ("registered", "in_progress")
# Spec §4, column "from": the states an action may be taken in (register: none; it starts the log).
FROM_STATES: dict[str, tuple[str, ...]] = {
    "confirm_receipt": ("registered",), "request_correction": RUNNING,
    "receive_correction": ("correction_requested",), "correction_lapsed": ("correction_requested",),
    "start_consultation": (*RUNNING, "consulting"), "end_consultation": ("consulting",), "extend": RUNNING,
    "notice_fee": RUNNING, "pay_fee": ("fee_noticed",), "fee_lapsed": ("fee_noticed",),
    "answer": (*RUNNING, "consulting"), "withdraw": tuple(sorted(OPEN_STATES)), "archive": ("answered", "withdrawn"),
    "set_reasonable_deadline": RUNNING, "import_conclusion": tuple(sorted(OPEN_STATES)),
}


@dataclass
class Consultation:
    "A 征求意见 letter: sent on `sent`, received by the party on `received`; the party has 15 working days."

    ref: str
    party: str
    sent: Date
    received: Date
    ended: Date | None = None


@dataclass(frozen=True, slots=True)
class Deadline:
    "A due date with the rule and article it follows and, when counted, the days it skipped."

    due: Date
    rule: str
    article: str
    count: Count | None = None
    note: str = ""

    def text(self) -> str:
        if self.count is not None:
            return self.count.text()
        return f"{self.rule}（{self.article}）：{self.due.isoformat()}。{self.note}"

    def as_dict(self) -> dict[str, Any]:
        out = {"due": self.due.isoformat(), "rule": self.rule, "article": self.article, "note": self.note,
               "text": self.text()}
        if self.count is not None:
            out["count"] = self.count.as_dict()
        return out


@dataclass
class Request:
    "One 依申请公开 request: its log, and everything derived from it. Mutate only through `act`."

    calendar: WorkCalendar = field(default_factory=default_calendar)
    events: list[Event] = field(default_factory=list)
    state: str | None = None
    applicant: str | None = None
    channel: str | None = None
    content: str = ""
    arrived: Date | None = None
    received: Date | None = None      # 收到申请之日 (first receipt): the request is 新收 in this year
    clock_start: Date | None = None   # R: moved to the corrected request's receipt (第30条)
    correction_notice: Date | None = None
    correction_period: int = CORRECTION_PERIOD_DAYS
    correction_received: Date | None = None
    consultations: list[Consultation] = field(default_factory=list)
    fee_notice: Date | None = None
    fee_received: Date | None = None
    fee_amount: int | None = None
    fee_paid: Date | None = None
    extended: int = 0
    reasonable: Date | None = None
    reasonable_reason: str = ""
    outcome: str | None = None
    concluded: Date | None = None

    # ---- building -------------------------------------------------------------------------------------
    @classmethod
    def from_events(cls, events: Iterable[Event | Mapping[str, Any]],
                    calendar: WorkCalendar | None = None) -> "Request":
        "Rebuild a request from its log without re-checking guards (the log is what happened)."
        req = cls(calendar or default_calendar())
        for e in events:
            ev = e if isinstance(e, Event) else Event.from_dict(e)
            req._apply(ev)
            req.events.append(ev)
        return req

    def act(self, action: str, on: Date | str, *, actor: str = "", reason: str = "",
            recorded_at: dt.datetime | None = None, **data: Any) -> Event:
        "Check an action against the state and the 条例; append it to the log or raise ActionRefused."
        if action not in ACTIONS:
            raise ActionRefused("workbench.action.unknown", action=action)
        day = parse_date(on)
        if self.events and day < self.events[-1].date:
            raise ActionRefused("workbench.input.order", date=day, previous=self.events[-1].date)
        clean = clean_data(data)
        if action != "register":
            self._need(action)
        check = getattr(self, f"_check_{action}", None)  # withdraw, archive: the state is the only guard
        flags = check(day, clean, reason) if check else []
        ev = Event(len(self.events) + 1, action, day, actor, reason, clean,
                   tuple(f.as_dict() for f in flags), recorded_at)
        self._apply(ev)
        self.events.append(ev)
        return ev

    # ---- derived dates --------------------------------------------------------------------------------
    def correction_due(self) -> Deadline | None:
        "Last day for the 补正 notice: `wd+(R, 7)` from the first receipt (第30条)."
        if self.received is None:
            return None
        c = self.calendar.add(self.received, CORRECTION_NOTICE_DAYS, rule="补正告知期限", article="条例第三十条")
        return Deadline(c.end, c.rule, c.article, c)

    def correction_period_end(self) -> Date | None:
        "Last day the applicant may correct: `wd+(notice, period)` (gongkai, spec §3)."
        if self.correction_notice is None:
            return None
        return self.calendar.add(self.correction_notice, self.correction_period).end

    def consultation_limit(self, c: Consultation) -> Date:
        "The party's 15 working days from receiving the letter (第32条 / 第34条)."
        return self.calendar.add(c.received, CONSULTATION_DAYS).end

    def pay_by(self) -> Date | None:
        "Last day to pay: `wd+(notice received, 20)`."
        if self.fee_notice is None:
            return None
        return self.calendar.add(self.fee_received or self.fee_notice, FEE_PAY_DAYS).end

    def pauses(self, until: Date | None = None) -> tuple[list[tuple[Date, Date]], bool]:
        "Closed pauses (S, E] and whether one is still open; `until` closes open consultations on that day."
        spans: list[tuple[Date, Date]] = []
        open_ = False
        for c in self.consultations:
            end = c.ended or until
            if end is None:
                open_ = True
                continue
            spans.append((c.sent, min(end, self.consultation_limit(c))))
        if self.fee_notice is not None:
            if self.fee_paid is not None:
                spans.append((self.fee_notice, self.fee_paid))
            else:
                open_ = True
        return spans, open_

    def deadline(self, *, until: Date | None = None) -> Deadline | None:
        "The current answer deadline; None while awaiting correction, before receipt, or while paused."
        if self.received is None or self.clock_start is None:
            return None
        if self.correction_notice is not None and self.correction_received is None:
            return None
        spans, open_ = self.pauses(until)
        if open_:
            return None
        if self.reasonable is not None:
            return Deadline(self.reasonable, "合理答复期限", "条例第三十五条", None, self.reasonable_reason)
        article = "条例第三十三条第二款"
        if spans:
            article += "、第三款"
        if self.correction_received is not None:
            article = "条例第三十条、" + article.removeprefix("条例")
        rule = "答复期限" + (f"（含延期{self.extended}个工作日）" if self.extended else "")
        c = self.calendar.add(self.clock_start, ANSWER_DAYS + self.extended, pauses=spans, rule=rule,
                              article=article)
        return Deadline(c.end, rule, article, c)

    def clock(self, on: Date) -> dict[str, int] | None:
        "Working days used and left on a day (已用 X / 剩余 Y), pauses open on that day counted as ending then."
        if self.clock_start is None or self.reasonable is not None:
            return None
        spans, _ = self.pauses(until=on)
        if self.fee_notice is not None and self.fee_paid is None:
            spans.append((self.fee_notice, on))
        used = self.calendar.count(self.clock_start, on, pauses=spans) if on > self.clock_start else 0
        budget = ANSWER_DAYS + self.extended
        return {"used": used, "left": budget - used, "budget": budget}

    # ---- shared guards --------------------------------------------------------------------------------
    def allowed_actions(self) -> list[str]:
        "The actions the request's state allows now; their other guards are checked when one is taken."
        out = []
        for action in FROM_STATES:
            try:
                self._need(action)
            except ActionRefused:
                continue
            if not (action == "confirm_receipt" and self.received is not None):
                out.append(action)
        return out

    def _need(self, action: str) -> None:
        if self.state is None:
            raise ActionRefused("workbench.register.first")
        if self.state not in FROM_STATES[action]:
            raise ActionRefused("workbench.action.state", state=STATES[self.state], action=ACTIONS[action])
        if self.received is None and action not in ("withdraw", "confirm_receipt"):
            raise ActionRefused("workbench.receipt.unconfirmed")

    def _current_deadline(self) -> Deadline:
        d = self.deadline()
        assert d is not None, "the clock runs in registered/in_progress"
        return d

    def _open(self) -> list[Consultation]:
        return [c for c in self.consultations if c.ended is None]

    # ---- checks: one per action; may normalise `data`; return flags ------------------------------------
    def _check_register(self, on: Date, data: dict[str, Any], reason: str) -> list[Flag]:
        if self.state is not None:
            raise ActionRefused("workbench.register.twice")
        for key, allowed in (("channel", CHANNELS), ("applicant", APPLICANTS)):
            if key not in data:
                raise ActionRefused("workbench.input.field", field=key)
            if data[key] not in allowed:
                raise ActionRefused("workbench.input.value", field=key, value=data[key], allowed="、".join(allowed))
        arrived, received = _receipt(on, data)
        if received is not None and received > on:
            raise ActionRefused("workbench.receipt.future", received=received, date=on)
        if received is not None and arrived is not None and received < arrived:
            raise ActionRefused("workbench.receipt.order", confirmed=received, arrived=arrived)
        return []

    def _check_confirm_receipt(self, on: Date, data: dict[str, Any], reason: str) -> list[Flag]:
        if self.received is not None:
            raise ActionRefused("workbench.receipt.confirmed", received=self.received)
        confirmed = _day(data, "confirmed", on)
        if confirmed > on:
            raise ActionRefused("workbench.receipt.future", received=confirmed, date=on)
        if self.arrived is not None and confirmed < self.arrived:
            raise ActionRefused("workbench.receipt.order", confirmed=confirmed, arrived=self.arrived)
        return []

    def _check_request_correction(self, on: Date, data: dict[str, Any], reason: str) -> list[Flag]:
        if self.correction_notice is not None:
            raise ActionRefused("workbench.correction.once")
        period = data.setdefault("period_days", CORRECTION_PERIOD_DAYS)
        if not isinstance(period, int) or isinstance(period, bool) or period < 1:
            raise ActionRefused("workbench.correction.period", value=period)
        due = self.correction_due()
        assert due is not None
        return [Flag.of("workbench.warn.late_correction", due=due.due)] if on > due.due else []

    def _check_receive_correction(self, on: Date, data: dict[str, Any], reason: str) -> list[Flag]:
        got = _day(data, "received", on)
        if got > on:
            raise ActionRefused("workbench.receipt.future", received=got, date=on)
        return []

    def _lapsed_after(self, on: Date, end: Date | None, code: str, name: str) -> list[Flag]:
        "A lapse may be recorded only after the period's last day: on that day the applicant may still act."
        if end is not None and on <= end:
            raise ActionRefused(code, date=on, **{name: end})
        return []

    def _check_correction_lapsed(self, on: Date, data: dict[str, Any], reason: str) -> list[Flag]:
        return self._lapsed_after(on, self.correction_period_end(), "workbench.correction.not_lapsed", "period_end")

    def _check_start_consultation(self, on: Date, data: dict[str, Any], reason: str) -> list[Flag]:
        party = data.setdefault("party", "third_party")
        if party not in PARTIES:
            raise ActionRefused("workbench.consultation.party", value=party)
        ref = str(data.setdefault("ref", f"{party}-{len(self.consultations) + 1}"))
        if any(c.ref == ref for c in self.consultations):
            raise ActionRefused("workbench.consultation.ref_taken", ref=ref)
        _delivered(data, on)
        return []

    def _check_end_consultation(self, on: Date, data: dict[str, Any], reason: str) -> list[Flag]:
        open_ = self._open()
        if "ref" in data:
            match = [c for c in open_ if c.ref == str(data["ref"])]
            if not match:
                raise ActionRefused("workbench.consultation.ref", ref=data["ref"])
        else:
            match = [c for c in open_ if c.party == data["party"]] if "party" in data else open_
            if len(match) != 1:
                if not match:
                    raise ActionRefused("workbench.consultation.none")
                raise ActionRefused("workbench.consultation.which", refs="、".join(c.ref for c in match))
        data["ref"] = match[0].ref
        return []

    def _check_extend(self, on: Date, data: dict[str, Any], reason: str) -> list[Flag]:
        if self.reasonable is not None:
            raise ActionRefused("workbench.extend.reasonable")
        due = self._current_deadline().due
        if on > due:
            raise ActionRefused("workbench.extend.late", deadline=due)
        days = data.setdefault("days", EXTENSION_CAP)
        left = EXTENSION_CAP - self.extended
        if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= left:
            raise ActionRefused("workbench.extend.days", left=left, used=self.extended)
        return []

    def _check_notice_fee(self, on: Date, data: dict[str, Any], reason: str) -> list[Flag]:
        if self.fee_notice is not None:
            raise ActionRefused("workbench.fee.again")
        if on < FEE_IN_FORCE:
            raise ActionRefused("workbench.fee.before_2021", date=on)
        due = self._current_deadline().due
        if on > due:
            raise ActionRefused("workbench.fee.late", deadline=due)
        nth, pages, amount = data.get("nth"), data.get("pages"), data.get("amount")
        limit = max_fee(nth, pages) if (nth is not None or pages is not None) else None
        if amount is None:
            if limit is None:
                raise ActionRefused("workbench.fee.none")
            amount = limit
        if not isinstance(amount, int) or isinstance(amount, bool) or amount < 0:
            raise ActionRefused("workbench.fee.amount", value=amount)
        if amount == 0:
            raise ActionRefused("workbench.fee.free")
        if limit is not None and amount > limit:
            raise ActionRefused("workbench.fee.too_much", amount=amount, limit=limit)
        data["amount"] = amount
        _delivered(data, on)
        return []

    def _check_pay_fee(self, on: Date, data: dict[str, Any], reason: str) -> list[Flag]:
        pay_by = self.pay_by()
        if pay_by is not None and on > pay_by:
            raise ActionRefused("workbench.fee.overdue", pay_by=pay_by, date=on)
        return []

    def _check_fee_lapsed(self, on: Date, data: dict[str, Any], reason: str) -> list[Flag]:
        return self._lapsed_after(on, self.pay_by(), "workbench.fee.not_lapsed", "pay_by")

    def _check_answer(self, on: Date, data: dict[str, Any], reason: str) -> list[Flag]:
        outcome = data.get("outcome")
        if outcome is None:
            raise ActionRefused("workbench.input.field", field="outcome")
        if outcome not in OUTCOMES:
            raise ActionRefused("workbench.answer.outcome", value=outcome)
        if outcome in LAPSE_OUTCOMES:
            raise ActionRefused("workbench.answer.lapse_only", outcome=outcome)
        flags = []
        due = self.deadline(until=on)
        if due is not None and on > due.due:
            flags.append(Flag.of("workbench.warn.late_answer", deadline=due.due))
        if outcome == "unable_unclear" and self.correction_received is None:
            flags.append(Flag.of("workbench.warn.unclear_without_correction"))
        return flags

    def _check_set_reasonable_deadline(self, on: Date, data: dict[str, Any], reason: str) -> list[Flag]:
        if "deadline" not in data:
            raise ActionRefused("workbench.input.field", field="deadline")
        if not (reason or data.get("reason")):
            raise ActionRefused("workbench.reasonable.reason")
        new = parse_date(data["deadline"])
        if new < on:
            raise ActionRefused("workbench.reasonable.past", deadline=new, date=on)
        current = self._current_deadline().due
        if new < current:
            raise ActionRefused("workbench.reasonable.earlier", deadline=new, current=current)
        return []

    def _check_import_conclusion(self, on: Date, data: dict[str, Any], reason: str) -> list[Flag]:
        outcome = data.get("outcome")
        if outcome not in OUTCOMES:
            raise ActionRefused("workbench.answer.outcome", value=outcome)
        assert self.received is not None
        if on < self.received:
            raise ActionRefused("workbench.input.order", date=on, previous=self.received)
        return []

    # ---- folding: trusts the event, never raises on a checked log -------------------------------------
    def _apply(self, ev: Event) -> None:
        a, on, d = ev.action, ev.date, ev.data
        if a == "register":
            self.applicant, self.channel, self.content = d.get("applicant"), d.get("channel"), d.get("content", "")
            self.arrived, self.received = _receipt(on, d)
            self.clock_start = self.received
            self.state = "registered"
        elif a == "confirm_receipt":
            self.received = self.clock_start = ev.get_date("confirmed") or on
        elif a == "request_correction":
            self.correction_notice, self.correction_period = on, int(d.get("period_days", CORRECTION_PERIOD_DAYS))
            self.state = "correction_requested"
        elif a == "receive_correction":
            # 第30条: the answer period runs afresh from the corrected request; extensions restart with it.
            self.correction_received = self.clock_start = ev.get_date("received") or on
            self.extended, self.reasonable = 0, None
            self.state = "in_progress"
        elif a == "start_consultation":
            party = d.get("party", "third_party")
            self.consultations.append(Consultation(str(d.get("ref", f"{party}-{len(self.consultations) + 1}")),
                                                   party, on, ev.get_date("received") or on))
            self.state = "consulting"
        elif a == "end_consultation":
            for c in self._open():
                if c.ref == str(d.get("ref")):
                    c.ended = on
            self.state = "consulting" if self._open() else "in_progress"
        elif a == "extend":
            self.extended += int(d.get("days", EXTENSION_CAP))
            self.state = "in_progress"
        elif a == "notice_fee":
            self.fee_notice, self.fee_received = on, ev.get_date("received") or on
            self.fee_amount = d.get("amount")
            self.state = "fee_noticed"
        elif a == "pay_fee":
            self.fee_paid, self.state = on, "in_progress"
        elif a == "set_reasonable_deadline":
            self.reasonable, self.reasonable_reason = ev.get_date("deadline"), ev.reason or d.get("reason", "")
            self.state = "in_progress"
        elif a in ("answer", "withdraw", "correction_lapsed", "fee_lapsed"):
            for c in self._open():
                c.ended = on  # 第33条第3款 pause closes with the decision
            self.outcome = {"answer": d.get("outcome"), "withdraw": "other_misc",
                            "correction_lapsed": "other_no_correction", "fee_lapsed": "other_no_fee"}[a]
            self.concluded = on
            self.state = "withdrawn" if a == "withdraw" else "answered"
        elif a == "import_conclusion":
            self.outcome, self.concluded = d.get("outcome"), on
            self.state = "withdrawn" if d.get("withdrawn") else "answered"
        elif a == "archive":
            self.state = "archived"

    # ---- views ----------------------------------------------------------------------------------------
    @property
    def is_open(self) -> bool:
        return self.state in OPEN_STATES

    def flags(self) -> list[dict[str, Any]]:
        return [dict(f, seq=e.seq) for e in self.events for f in e.flags]

    def summary(self, today: Date | None = None) -> dict[str, Any]:
        "What a queue or status page shows: state, dates with explanations, the clock, flags. No personal data."
        out: dict[str, Any] = {
            "state": self.state, "state_label": STATES.get(self.state or "", ""), "applicant": self.applicant,
            "channel": self.channel, "received": _iso(self.received), "outcome": self.outcome,
            "outcome_label": OUTCOMES[self.outcome][0] if self.outcome else None,
            "concluded": _iso(self.concluded), "flags": self.flags(), "errors": [],
        }
        for key, fn in (("deadline", self.deadline), ("correction_due", self.correction_due)):
            try:
                dl = fn()
                out[key] = dl.as_dict() if dl else None
            except WorkbenchError as e:
                out[key], out["errors"] = None, [*out["errors"], e.message]
        if today is not None and self.is_open:
            try:
                out["clock"] = self.clock(today)
            except WorkbenchError as e:
                out["errors"].append(e.message)
        return out


def _receipt(on: Date, data: Mapping[str, Any]) -> tuple[Date | None, Date | None]:
    "(arrived, received) per channel, 条例第31条 and spec §1; received None = awaiting confirmation."
    get = lambda k: parse_date(data[k]) if data.get(k) not in (None, "") else None  # noqa: E731
    channel = data.get("channel")
    if channel == "post_unsigned":
        arrived = get("arrived")
        confirmed = get("confirmed") or get("received")
        if confirmed is None and arrived is None:
            arrived = on  # registered on arrival; the clock waits for confirmation with the applicant
        return arrived, confirmed
    if channel == "post_signed":
        return get("arrived"), get("signed") or get("received") or on
    return get("arrived"), get("confirmed") or get("received") or on


def _day(data: dict[str, Any], key: str, on: Date) -> Date:
    "The action's date field `key`, the action's own day when not given (and then stored so in the log)."
    return parse_date(data.setdefault(key, on.isoformat()))


def _delivered(data: dict[str, Any], sent: Date) -> None:
    "A letter or notice reaches its addressee (`received`, default the day sent) no earlier than it was sent."
    got = _day(data, "received", sent)
    if got < sent:
        raise ActionRefused("workbench.receipt.order", confirmed=got, arrived=sent)


def _iso(d: Date | None) -> str | None:
    return d.isoformat() if d else None
