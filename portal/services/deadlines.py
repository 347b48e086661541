"""The statutory clock of applications: the sweep (overdue marks, reminders, provisional deadlines
made final) and the per-department accountability figures. Deadlines themselves are computed in
portal.services.applications by one rule; this module only watches them."""

import statistics
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select

from ..extensions import db
from ..models import OPEN_STATES, Application, ApplicationEvent, Department, User
from . import audit, notifications
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
    db.session.commit()
    report.mailed = notifications.deliver_pending()
    return report


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
    db.session.commit()
    return changed


# -- accountability figures ---------------------------------------------------------------------
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


def figures(actor, department_slug: str | None = None) -> list[DepartmentFigures]:
    """Per department: received, decided within / after the deadline, open, open and overdue, and
    the median working days from submission to decision. The data authority sees every department."""
    if department_slug is None and getattr(actor, "is_admin", False):
        departments = db.session.scalars(select(Department).order_by(Department.id)).all()
    else:
        departments = [department_for(actor, department_slug)]
    cal, on = calendar(), today()
    out = []
    for d in departments:
        rows = db.session.scalars(select(Application).where(Application.department_id == d.id)).all()
        decided = [a for a in rows if a.state in ("approved", "denied")]
        on_time = sum(local_date(a.decided_at) <= a.deadline for a in decided)
        durations = [cal.workdays_between(local_date(a.submitted_at), local_date(a.decided_at)) for a in decided]
        running = [a for a in rows if a.state in OPEN_STATES]
        out.append(DepartmentFigures(d.title, d.slug, len(rows), on_time, len(decided) - on_time, len(running),
                                     sum(a.state == "submitted" and on > a.deadline for a in running),
                                     statistics.median(durations) if durations else None))
    return out


def _on_calendar_import(year: int) -> None:
    recompute_provisional(year)


# Registered when this module is first imported (the applications views and API import it).
calendar_hooks.on_import.append(_on_calendar_import)
