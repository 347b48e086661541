"""The one statutory clock every process shares (applications, objections, error reports, data
requests): today's date in China, deadlines in working days by one rule (DESIGN §2: the period
starts the day after the clock starts), days left, and the extension rule (once, at most 10 working
days, proposed before the deadline, approved by the department head).

A clocked row has `clock_start`, `deadline`, `deadline_provisional`, `overdue_since` and, when it may
be extended, `extension_state`, `extension_days`, `extension_reason`. Tests pin the date by
replacing `now` here.
"""

from datetime import date, datetime, timedelta

from ..models import utcnow
from .calendar import calendar

CHINA = timedelta(hours=8)
REMIND_BEFORE = 2  # working days before a deadline
MAX_EXTENSION = 10


def now() -> datetime:
    """UTC now (naive, like every stored timestamp)."""
    return utcnow()


def today() -> date:
    """The date in China (UTC+8): deadlines are counted in local working days."""
    return local_date(now())


def local_date(moment: datetime) -> date:
    return (moment + CHINA).date()


def start(row, period: int, on: date | None = None) -> None:
    """Start (or restart, in full) a clock of `period` working days on the row, from `on` (not counted)."""
    row.clock_start = on or today()
    if hasattr(row, "period"):
        row.period = period
    set_deadline(row, period)


def set_deadline(row, period: int) -> None:
    """deadline = `period` (+ an approved extension) working days after clock_start."""
    extra = row.extension_days if getattr(row, "extension_state", "none") == "approved" else 0
    due = calendar().deadline(row.clock_start, period + (extra or 0))
    row.deadline, row.deadline_provisional = due.due, due.provisional
    row.overdue_since = None if today() <= due.due else row.overdue_since


def stop(row) -> None:
    """No clock runs any more (answered, paused for someone else, or closed)."""
    row.clock_start = row.deadline = None
    row.deadline_provisional = False
    row.overdue_since = None
    if hasattr(row, "period"):
        row.period = None


def days_left(deadline: date | None, on: date) -> int | None:
    """Working days left until the deadline; negative = overdue by that many; None without a clock."""
    if deadline is None:
        return None
    cal = calendar()
    return cal.workdays_between(on, deadline) if on <= deadline else -cal.workdays_between(deadline, on)


def near_due(left: int | None) -> bool:
    return left is not None and 0 <= left <= REMIND_BEFORE


def extension_problems(row, days, reason: str, article: str) -> list[str]:
    """Why an extension cannot be proposed now (empty list: it can)."""
    problems = []
    if row.extension_state in ("proposed", "approved"):
        problems.append("已" + ("提出延期，等待负责人审批" if row.extension_state == "proposed"
                               else f"延期一次，不能再次延期（{article}）"))
    if not isinstance(days, int) or isinstance(days, bool) or not 1 <= days <= MAX_EXTENSION:
        problems.append(f"延期天数须为 1–{MAX_EXTENSION} 个工作日")
    if not (reason or "").strip():
        problems.append("请说明延期理由")
    if row.deadline is None or today() > row.deadline:
        problems.append("已超过答复期限，不能再延期")
    return problems


def propose_extension(row, days: int, reason: str) -> None:
    row.extension_state, row.extension_days, row.extension_reason = "proposed", days, reason.strip()


def decide_extension(row, approved: bool, period: int) -> None:
    """The head's decision; approval moves the deadline by the proposed days."""
    if approved:
        row.extension_state = "approved"
        set_deadline(row, period)
    else:
        row.extension_state = "rejected"
