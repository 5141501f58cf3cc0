"""Replay scenarios without a database: a list of cases in, one result object per case out (issue 9 item 6)."""
from __future__ import annotations

from typing import Any, Mapping

from gongkai.workbench.calendar import WorkCalendar, default_calendar
from gongkai.workbench.engine import Request
from gongkai.workbench.errors import ActionRefused, WorkbenchError

RESULT_KEYS = ("name", "state", "deadline", "correction_due", "outcome", "error")
EVENT_META = ("date", "action", "actor", "reason")


def replay_case(case: Mapping[str, Any], calendar: WorkCalendar | None = None) -> dict[str, Any]:
    """Run one case's events in order; stop at the first refused action and report the state reached.

    `error` is the first Chinese message met: a refused action, or a date beyond the calendar when the
    deadline or the 补正 due date is computed. The other fields are still filled where they can be.
    """
    req = Request(calendar or default_calendar())
    error: str | None = None
    for raw in case.get("events") or []:
        try:
            if not isinstance(raw, Mapping) or "action" not in raw or "date" not in raw:
                raise ActionRefused("workbench.input.field", field="action/date")
            data = {k: v for k, v in raw.items() if k not in EVENT_META}
            req.act(str(raw["action"]), raw["date"], actor=str(raw.get("actor") or "replay"),
                    reason=str(raw.get("reason") or ""), **data)
        except WorkbenchError as e:
            error = e.message
            break
    out: dict[str, Any] = {"name": case.get("name"), "state": req.state, "deadline": None,
                           "correction_due": None, "outcome": req.outcome, "error": error}
    for key, fn in (("deadline", req.deadline), ("correction_due", req.correction_due)):
        try:
            dl = fn()
            out[key] = dl.due.isoformat() if dl else None
        except WorkbenchError as e:
            out["error"] = out["error"] or e.message
    return out


def replay(cases: list[Mapping[str, Any]], calendar: WorkCalendar | None = None) -> list[dict[str, Any]]:
    "Replay every case; never touches a database."
    cal = calendar or default_calendar()
    return [replay_case(c, cal) for c in cases]
