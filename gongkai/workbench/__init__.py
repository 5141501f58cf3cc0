"""The request workbench: 依申请公开 handled within the 条例's working-day limits, table three/four by construction."""
from gongkai.workbench.calendar import Count, WorkCalendar, default_calendar
from gongkai.workbench.engine import Deadline, Request
from gongkai.workbench.errors import ActionRefused, CalendarNotCovered, ConflictError, WorkbenchError
from gongkai.workbench.replay import replay
from gongkai.workbench.stats import AppealCase, RequestFacts, identity_breaks, report_cells, table_four, table_three

__all__ = [
    "ActionRefused", "AppealCase", "CalendarNotCovered", "ConflictError", "Count", "Deadline", "Request",
    "RequestFacts", "WorkCalendar", "WorkbenchError", "default_calendar", "identity_breaks", "replay",
    "report_cells", "table_four", "table_three",
]
