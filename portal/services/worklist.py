"""One queue for a department: applications, objections, error reports and data requests side by
side, the nearest deadline first (issue 7 item 5). The data authority sees every department's, and
its own steps (dispatching, approving catalog changes) are marked as waiting for it."""

from dataclasses import dataclass
from datetime import date, datetime

from . import applications, cases
from .views import Page

ALL = 10_000  # a department's open items fit in memory; the queue is merged and paged here


@dataclass
class WorkItem:
    kind: str
    kind_label: str
    reference: str
    title: str
    department: str | None
    state_label: str
    submitted_at: datetime
    deadline: date | None
    provisional: bool
    days_left: int | None
    near_due: bool
    overdue: bool
    waiting_for: str  # who must act next: 数据提供部门 / 数据主管部门 / 申请人
    url: str


def worklist(actor, department_slug: str | None = None, page: int = 1, per_page: int = 30) -> Page:
    items = [_from_application(a) for a in applications.queue(actor, department_slug, False, 1, ALL).items]
    items += [_from_case(c) for c in cases.queue(actor, None, department_slug, False, 1, ALL).items]
    items.sort(key=lambda i: (i.deadline is None, i.deadline or date.max, i.submitted_at))
    page = max(1, page)
    return Page(items[(page - 1) * per_page:page * per_page], len(items), page, per_page)


def _from_application(a) -> WorkItem:
    return WorkItem("application", "有条件开放申请", a.receipt, a.dataset_title, a.department, a.state_label,
                    a.submitted_at, a.deadline if a.state == "submitted" else None, a.provisional, a.days_left,
                    a.near_due, a.overdue, "申请人" if a.state == "supplement" else "数据提供部门",
                    f"/applications/{a.receipt}")


def _from_case(c) -> WorkItem:
    authority = c.state == "change_proposed" or (c.state == "submitted" and c.kind != "objection")
    return WorkItem(c.kind, c.kind_label, c.reference, c.title, c.department, c.state_label, c.submitted_at,
                    c.deadline, c.provisional, c.days_left, c.near_due, c.overdue,
                    "数据主管部门" if authority else "数据提供部门", c.url)
