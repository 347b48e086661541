"""The watch over every clock (applications, objections, error reports, data requests): the sweep
(overdue marks, reminders, provisional deadlines made final) and the per-department accountability
figures per process. Deadlines themselves are computed by portal.services.clock; this module only
watches them."""

import statistics
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ..extensions import db
from ..models import (
    CLOCK_STATES,
    OPEN_STATES,
    Application,
    ApplicationEvent,
    Case,
    CaseEvent,
    Department,
    User,
)
from . import audit, cases, clock, notifications
from . import calendar as calendar_hooks
from .applications import (
    REMIND_BEFORE,
    department_for,
    department_people,
    link_to,
    local_date,
    recompute_deadline,
    today,
)
from .calendar import calendar


@dataclass
class SweepReport:
    overdue: int = 0
    reminders: int = 0
    recomputed: int = 0
    mailed: int = 0


def sweep(on: date | None = None) -> SweepReport:
    """Mark overdue applications and send reminders, each once (idempotent: safe from cron)."""
    on = on or today()
    report = SweepReport()
    cal = calendar()
    admins = list(db.session.scalars(select(User).where(User.kind == "admin", User.active.is_(True))))
    running = db.session.scalars(select(Application).where(Application.state == "submitted")).all()
    for a in running:
        if a.deadline_provisional and cal.is_official(a.deadline.year):
            recompute_deadline(a)
            report.recomputed += 1
        if on > a.deadline and a.overdue_since is None:
            a.overdue_since = on
            db.session.add(ApplicationEvent(application=a, kind="overdue", note=f"答复期限 {a.deadline} 已过"))
            audit.record(None, "application.overdue", "application", a.receipt, {"deadline": f"{a.deadline}"})
            notifications.notify([*department_people(a), *admins], f"申请已超期：{a.receipt}",
                                 f"「{a.dataset.title}」的申请答复期限 {a.deadline} 已过，请尽快办理。", link_to(a),
                                 key=f"overdue:{a.id}:{a.deadline}")
            report.overdue += 1
        elif on <= a.deadline and cal.workdays_between(on, a.deadline) <= REMIND_BEFORE:
            report.reminders += notifications.notify(
                department_people(a), f"申请即将到期：{a.receipt}",
                f"「{a.dataset.title}」的申请须在 {a.deadline} 前答复。", link_to(a), key=f"reminder:{a.id}:{a.deadline}")
    report_cases(on, report, admins)
    db.session.commit()
    report.mailed = notifications.deliver_pending()
    return report


def report_cases(on: date, report: SweepReport, admins: list[User]) -> None:
    """The same watch over objections, error reports and data requests whose clock runs."""
    cal = calendar()
    running = db.session.scalars(select(Case).where(Case.state.in_(CLOCK_STATES), Case.deadline.is_not(None))).all()
    for c in running:
        if c.deadline_provisional and cal.is_official(c.deadline.year):
            clock.set_deadline(c, c.period)
            report.recomputed += 1
        people = cases.department_people(c.department_id) or admins  # awaiting the data authority
        what = f"{cases.KIND_LABELS[c.kind]}「{c.title or (c.dataset.title if c.dataset else '')}」"
        if on > c.deadline and c.overdue_since is None:
            c.overdue_since = on
            db.session.add(CaseEvent(case=c, kind="overdue", note=f"期限 {c.deadline} 已过"))
            audit.record(None, f"{c.kind}.overdue", c.kind, c.reference, {"deadline": f"{c.deadline}"})
            cases.notify([*people, *admins], c, "已超期", f"{what}的期限 {c.deadline} 已过，请尽快办理。",
                         key=f"overdue:{c.reference}:{c.deadline}")
            report.overdue += 1
        elif on <= c.deadline and cal.workdays_between(on, c.deadline) <= REMIND_BEFORE:
            report.reminders += cases.notify(people, c, "即将到期", f"{what}须在 {c.deadline} 前办理。",
                                             key=f"reminder:{c.reference}:{c.deadline}")


def recompute_provisional(year: int) -> int:
    """Calendar import hook: deadlines that were provisional for `year` become final."""
    changed = 0
    for a in db.session.scalars(select(Application).where(Application.state.in_(OPEN_STATES),
                                                          Application.deadline_provisional.is_(True))):
        before = a.deadline
        recompute_deadline(a)
        if a.deadline != before or not a.deadline_provisional:
            db.session.add(ApplicationEvent(application=a, kind="deadline_recomputed",
                                            note=f"{before} → {a.deadline}", data={"year": year}))
            changed += 1
    for c in db.session.scalars(select(Case).where(Case.state.in_(CLOCK_STATES), Case.deadline.is_not(None),
                                                   Case.deadline_provisional.is_(True))):
        before = c.deadline
        clock.set_deadline(c, c.period)
        if c.deadline != before or not c.deadline_provisional:
            db.session.add(CaseEvent(case=c, kind="deadline_recomputed", note=f"{before} → {c.deadline}",
                                     data={"year": year}))
            changed += 1
    db.session.commit()
    return changed


# -- accountability figures ---------------------------------------------------------------------
PROCESSES = {"application": "有条件开放申请（10 个工作日）", "objection": "开放目录更正申请（10 个工作日）",
             "error_report": "问题数据核实（5 个工作日）", "error_correction": "问题数据更正（10 个工作日）",
             "data_request": "数据需求答复（10 个工作日，平台承诺）"}


@dataclass
class DepartmentFigures:
    department: str
    slug: str
    received: int
    on_time: int
    late: int
    open: int
    open_overdue: int
    median_workdays: float | None
    process: str = "application"
    process_label: str = PROCESSES["application"]


@dataclass
class _Item:
    """One thing a department had to do by a deadline: when it started, when (if) it was done."""

    started: date
    deadline: date | None
    done: date | None
    running: bool


def figures(actor, department_slug: str | None = None, processes=tuple(PROCESSES)) -> list[DepartmentFigures]:
    """Per department and process: received, answered within / after the deadline, open, open and
    overdue, and the median working days from the start of the clock to the answer. The data
    authority sees every department."""
    if department_slug is None and getattr(actor, "is_admin", False):
        departments = db.session.scalars(select(Department).order_by(Department.id)).all()
    else:
        departments = [department_for(actor, department_slug)]
    cal, on = calendar(), today()
    out = []
    for d in departments:
        for process in processes:
            items = _items(process, d.id)
            done = [i for i in items if i.done is not None]
            on_time = sum(i.deadline is not None and i.done <= i.deadline for i in done)
            durations = [cal.workdays_between(i.started, i.done) for i in done]
            running = [i for i in items if i.running]
            out.append(DepartmentFigures(d.title, d.slug, len(items), on_time, len(done) - on_time, len(running),
                                         sum(i.deadline is not None and on > i.deadline for i in running),
                                         statistics.median(durations) if durations else None, process,
                                         PROCESSES[process]))
    return out


def _items(process: str, department_id: int) -> list[_Item]:
    if process == "application":
        rows = db.session.scalars(select(Application).where(Application.department_id == department_id)).all()
        # a paused application (待补正) is open but cannot be overdue: its clock stands still
        return [_Item(local_date(a.submitted_at), None if a.state == "supplement" else a.deadline,
                      local_date(a.decided_at) if a.decided_at else None, a.state in OPEN_STATES) for a in rows]
    kind = "error_report" if process == "error_correction" else process
    rows = db.session.scalars(select(Case).where(Case.kind == kind, Case.department_id == department_id)).all()
    if process == "error_correction":
        return [_correction(c) for c in rows if c.state == "correcting" or c.details.get("decided_on")]
    return [_Item(_clock_started(c), c.answer_deadline if c.answered_at else c.deadline,
                  local_date(c.answered_at) if c.answered_at else None,
                  c.answered_at is None and c.state in CLOCK_STATES) for c in rows]


def _clock_started(case: Case) -> date:
    """Objections run from submission; error reports and data requests from their dispatch."""
    dispatched = next((e.at for e in case.events if e.kind == "dispatched"), None)
    return local_date(dispatched or case.submitted_at)


def _correction(case: Case) -> _Item:
    decided = date.fromisoformat(case.details["decided_on"]) if case.details.get("decided_on") else case.clock_start
    due = case.details.get("correction_deadline")
    deadline = date.fromisoformat(due) if due else case.deadline
    done = local_date(case.closed_at) if case.state == "corrected" and case.closed_at else None
    return _Item(decided, deadline, done, case.state == "correcting")


def _on_calendar_import(year: int) -> None:
    recompute_provisional(year)


# Registered when this module is first imported (the applications views and API import it).
calendar_hooks.on_import.append(_on_calendar_import)
