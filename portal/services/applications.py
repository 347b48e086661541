"""Conditional-access applications (art. 46): apply, decide within 10 working days, extend once by
at most 10 with the head's approval, ask for supplements, and the sweep that watches the clock.

The deadline is always computed by one rule: the statutory period (plus an approved extension),
in working days, after the day the current clock started (DESIGN §2). A supplement request stops
the clock; the resubmission starts it again in full (补正后重新计算, as for other administrative
applications). Every transition writes a timeline event and an audit event; decided applications
are never changed.
"""

import hashlib
import uuid
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta

from flask import current_app
from sqlalchemy import func, select

from .. import policies
from ..errors import NotAuthorized, NotFound, ValidationError
from ..extensions import db
from ..models import OPEN_STATES, Application, ApplicationEvent, Dataset, Department, Grant, User
from . import audit, clock, grants, notifications
from .calendar import calendar
from .clock import CHINA, MAX_EXTENSION, REMIND_BEFORE, local_date  # noqa: F401 (re-exported)
from .documents import document, save_documents
from .views import Page

PERIOD = 10  # working days, art. 46
STATE_LABELS = {"submitted": "办理中", "supplement": "待补正", "approved": "已同意", "denied": "不予同意",
                "withdrawn": "已撤回"}
EVENT_LABELS = {"submitted": "提交申请", "supplement": "要求补正材料", "resubmitted": "补正后重新提交",
                "extension_proposed": "提出延期", "extension_approved": "负责人批准延期",
                "extension_rejected": "负责人不同意延期", "approved": "同意申请", "denied": "不予同意",
                "withdrawn": "申请人撤回", "overdue": "已超过答复期限", "deadline_recomputed": "期限依正式日历重算"}


def now() -> datetime:
    return clock.now()


def today() -> date:
    return clock.today()


@dataclass
class TimelineEntry:
    at: datetime
    kind: str
    label: str
    actor: str
    note: str


@dataclass
class ApplicationSummary:
    receipt: str
    dataset: str
    dataset_title: str
    department: str
    applicant: str
    state: str
    state_label: str
    submitted_at: datetime
    deadline: date
    provisional: bool
    days_left: int | None  # working days left; negative = overdue by; None while paused or decided
    near_due: bool = False
    overdue: bool = False
    extension_state: str = "none"


@dataclass
class ApplicationDetail(ApplicationSummary):
    purpose: str = ""
    scenario: str = ""
    security_measures: str = ""
    requested: dict = field(default_factory=dict)
    period_from: date | None = None
    period_until: date | None = None
    extension_days: int | None = None
    extension_reason: str | None = None
    decision_reasons: str | None = None
    decision_basis: str | None = None
    granted: dict | None = None
    grant_until: datetime | None = None
    documents: list = field(default_factory=list)
    timeline: list[TimelineEntry] = field(default_factory=list)
    available: dict = field(default_factory=dict)  # resource -> every field, for the approval form
    can_handle: bool = False
    can_approve_extension: bool = False
    is_applicant: bool = False


# -- reading ------------------------------------------------------------------------------------
def _load(receipt: str) -> Application:
    application = db.session.scalar(select(Application).where(Application.receipt == (receipt or "")[:32]))
    if application is None:
        raise NotFound("申请不存在")
    return application


def _visible(actor, receipt: str) -> Application:
    application = _load(receipt)
    if not policies.can_view_application(actor, application):
        raise NotFound("申请不存在")  # do not confirm that someone else's application exists
    return application


def _days_left(a: Application, on: date) -> int | None:
    return clock.days_left(a.deadline, on) if a.state == "submitted" else None


def _summary(a: Application, on: date, cls=ApplicationSummary, **extra):
    left = _days_left(a, on)
    return cls(receipt=a.receipt, dataset=a.dataset.name, dataset_title=a.dataset.title, department=a.department.title,
               applicant=f"{a.applicant.display_name}（{a.applicant.identity_masked or a.applicant.username}）",
               state=a.state, state_label=STATE_LABELS[a.state], submitted_at=a.submitted_at, deadline=a.deadline,
               provisional=a.deadline_provisional, days_left=left,
               near_due=clock.near_due(left), overdue=left is not None and left < 0,
               extension_state=a.extension_state, **extra)


def get(actor, receipt: str) -> ApplicationDetail:
    a = _visible(actor, receipt)
    grant = db.session.get(Grant, a.grant_id) if a.grant_id else None
    timeline = [TimelineEntry(e.at, e.kind, EVENT_LABELS.get(e.kind, e.kind),
                              e.actor.display_name if e.actor else "系统", e.note) for e in a.events]
    return _summary(a, today(), ApplicationDetail, purpose=a.purpose, scenario=a.scenario,
                    security_measures=a.security_measures, requested=dict(a.requested), period_from=a.period_from,
                    period_until=a.period_until, extension_days=a.extension_days, extension_reason=a.extension_reason,
                    decision_reasons=a.decision_reasons, decision_basis=a.decision_basis,
                    granted=dict(grant.resources) if grant else None, grant_until=grant.valid_until if grant else None,
                    documents=[(d.id, d.filename, d.bytes) for d in a.documents], timeline=timeline,
                    available={r.name: [f.get("name") for f in (r.schema or {}).get("fields", [])]
                               for r in a.dataset.current_version.resources} if a.dataset.current_version else {},
                    can_handle=policies.can_handle_application(actor, a),
                    can_approve_extension=policies.can_approve_extension(actor, a),
                    is_applicant=policies.can_act_as_applicant(actor, a))


def document_file(actor, receipt: str, document_id: int):
    """(path, mediatype, filename) of a supporting document, for the applicant and the department."""
    return document(_visible(actor, receipt), document_id)


def mine(actor, page: int = 1, per_page: int = 20) -> Page:
    if getattr(actor, "id", None) is None:
        raise NotAuthorized("请先登录")
    query = select(Application).where(Application.applicant_id == actor.id).order_by(Application.id.desc())
    return _page(query, page, per_page)


def queue(actor, department_slug: str | None = None, include_closed: bool = False, page: int = 1,
          per_page: int = 20) -> Page:
    """A department's applications, the nearest deadline first (paused ones after the running ones);
    the data authority without a department sees every department's."""
    query = select(Application)
    if department_slug or not getattr(actor, "is_admin", False):
        query = query.where(Application.department_id == department_for(actor, department_slug).id)
    if not include_closed:
        query = query.where(Application.state.in_(OPEN_STATES))
    paused_last = (Application.state == "supplement")
    return _page(query.order_by(paused_last, Application.deadline, Application.id), page, per_page)


def department_for(actor, slug: str | None) -> Department:
    if not policies.can_use_console(actor):
        raise NotAuthorized("只有数据提供部门和数据主管部门可以查看办理队列")
    if slug is None and getattr(actor, "department_id", None) is not None:
        department = db.session.get(Department, actor.department_id)
    else:
        department = db.session.scalar(select(Department).where(Department.slug == (slug or "")))
    if department is None:
        raise NotFound("部门不存在")
    if not policies.can_view_application_queue(actor, department.id):
        raise NotAuthorized()
    return department


def _page(query, page: int, per_page: int) -> Page:
    page = max(1, page)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.scalars(query.offset((page - 1) * per_page).limit(per_page)).all()
    on = today()
    return Page([_summary(a, on) for a in rows], total, page, per_page)


# -- applying -----------------------------------------------------------------------------------
@dataclass
class ApplyOptions:
    dataset: str
    title: str
    department: str
    resources: dict  # resource name -> [field names]
    pledge: str
    agreement: str


def options(actor, dataset_name: str) -> ApplyOptions:
    dataset = _dataset(dataset_name)
    if not policies.can_apply(actor, dataset):
        raise NotAuthorized(_why_not(actor, dataset))
    resources = {r.name: [f.get("name") for f in (r.schema or {}).get("fields", [])]
                 for r in dataset.current_version.resources}
    return ApplyOptions(dataset.name, dataset.title, dataset.department.title, resources,
                        current_app.config["APPLICATION_PLEDGE"], current_app.config["DATA_USE_AGREEMENT"])


def _why_not(actor, dataset: Dataset) -> str:
    if dataset.open_access != "conditional":
        return "只有有条件开放的数据集需要申请" if dataset.open_access == "unconditional" else "该数据集不予开放"
    if not getattr(actor, "is_authenticated", False):
        return "请先登录"
    if not getattr(actor, "is_public", False):
        return "申请由自然人或法人账号提出，工作人员账号不能申请"
    if actor.is_suspended:
        return "您的账号已被暂停数据服务（第四十一条）"
    return "请先完成实名身份认证"


def _dataset(name: str) -> Dataset:
    dataset = db.session.scalar(select(Dataset).where(Dataset.name == name))
    if dataset is None or dataset.current_version is None:
        raise NotFound(f"数据集「{name}」不存在")
    return dataset


def pledge_version() -> str:
    texts = current_app.config["APPLICATION_PLEDGE"] + "\n" + current_app.config["DATA_USE_AGREEMENT"]
    return hashlib.sha256(texts.encode("utf-8")).hexdigest()[:12]


def submit(actor, dataset_name: str, purpose: str, scenario: str, security_measures: str, requested: dict,
           period_from: date | None, period_until: date | None, accepted: bool, files=()) -> ApplicationDetail:
    dataset = _dataset(dataset_name)
    if not policies.can_apply(actor, dataset):
        raise NotAuthorized(_why_not(actor, dataset))
    problems = []
    for label, value, limit in (("用途", purpose, 2000), ("应用场景", scenario, 2000),
                                ("数据安全保障措施", security_measures, 4000)):
        if not (value or "").strip():
            problems.append(f"请填写{label}")
        elif len(value) > limit:
            problems.append(f"{label}不超过 {limit} 字")
    if not requested:
        problems.append("请选择申请的资源和信息项")
    if not period_from or not period_until:
        problems.append("请填写使用期限")
    elif period_until <= period_from:
        problems.append("使用期限的结束日期须晚于开始日期")
    elif period_from < today() - timedelta(days=1) or period_until > period_from + timedelta(days=3 * 366):
        problems.append("使用期限须从今天或以后开始，最长三年")
    if not accepted:
        problems.append("请阅读并接受数据安全承诺书和数据使用协议")
    if problems:
        raise ValidationError("；".join(problems), details=problems)
    scope = grants.check_scope(dataset, requested)
    started = today()
    due = calendar().deadline(started, PERIOD)
    application = Application(
        receipt=f"pending-{uuid.uuid4().hex[:24]}", dataset=dataset,  # the id-based number follows
        department_id=dataset.department_id, applicant_id=actor.id, purpose=purpose.strip(), scenario=scenario.strip(),
        security_measures=security_measures.strip(), requested=scope, period_from=period_from,
        period_until=period_until, pledge_version=pledge_version(), submitted_at=now(), clock_start=started,
        deadline=due.due,
        deadline_provisional=due.provisional)
    db.session.add(application)
    db.session.flush()
    application.receipt = f"NYSQ{started:%Y%m%d}{application.id:06d}"
    save_documents(application, files)
    _event(actor, application, "submitted", f"答复期限：{due.due:%Y-%m-%d}" + ("（暂定）" if due.provisional else ""))
    notifications.notify([actor], f"申请已受理：{application.receipt}",
                         f"您对「{dataset.title}」的申请已受理，答复期限为 {due.due:%Y年%m月%d日}。", link_to(application))
    notifications.notify(department_people(application), f"新的数据开放申请：{dataset.title}",
                         f"{application.receipt}，答复期限 {due.due:%Y-%m-%d}。", link_to(application))
    db.session.commit()
    notifications.after_commit_deliver()
    return get(actor, application.receipt)


def link_to(application: Application) -> str:
    return f"/applications/{application.receipt}"


def department_people(application: Application, heads_only: bool = False) -> list[User]:
    kinds = ("head",) if heads_only else ("staff", "head")
    return list(db.session.scalars(select(User).where(User.department_id == application.department_id,
                                                      User.kind.in_(kinds), User.active.is_(True))))


def _event(actor, application: Application, kind: str, note: str = "", data: dict | None = None) -> None:
    db.session.add(ApplicationEvent(application=application, actor_id=getattr(actor, "id", None), kind=kind,
                                    note=note, data=data or {}))
    audit.record(actor, f"application.{kind}", "application", application.receipt, {"note": note, **(data or {})})


# -- deciding -----------------------------------------------------------------------------------
def _handling(actor, receipt: str, check=policies.can_handle_application, states=("submitted",)) -> Application:
    application = _visible(actor, receipt)
    if not check(actor, application):
        raise NotAuthorized("只有数据提供部门可以办理该申请" if check is policies.can_handle_application
                            else "只有部门主要负责人可以批准延期" if check is policies.can_approve_extension
                            else "只有申请人本人可以执行此操作")
    if application.state not in states:
        if application.state not in OPEN_STATES:
            raise ValidationError(f"该申请已办结（{STATE_LABELS[application.state]}），不能再修改")
        raise ValidationError(f"该申请当前状态为「{STATE_LABELS[application.state]}」，不能执行此操作")
    return application


def approve(actor, receipt: str, scope: dict, valid_from: date | None, valid_until: date | None,
            note: str = "") -> ApplicationDetail:
    application = _handling(actor, receipt)
    if not scope:
        raise ValidationError("同意申请须确定开放范围：至少一个资源及其信息项")
    if not valid_from or not valid_until or valid_until <= valid_from:
        raise ValidationError("同意申请须确定有效期，且结束日期晚于开始日期")
    start = datetime.combine(valid_from, datetime.min.time()) - CHINA
    end = datetime.combine(valid_until + timedelta(days=1), datetime.min.time()) - CHINA  # through valid_until
    grant = grants.add_grant(actor, application.dataset, application.applicant, scope, start, end,
                             application.purpose[:200])
    application.state, application.grant_id = "approved", grant.id
    application.decided_at, application.decided_by_id = now(), actor.id
    application.decision_reasons = (note or "").strip() or None
    _event(actor, application, "approved", note, {"scope": grant.resources, "until": f"{valid_until}"})
    notifications.notify([application.applicant], f"申请已同意：{application.receipt}",
                         f"您可以在 {valid_from} 至 {valid_until} 期间下载获批的资源和信息项。", link_to(application))
    db.session.commit()
    notifications.after_commit_deliver()
    return get(actor, receipt)


def deny(actor, receipt: str, reasons: str, basis: str) -> ApplicationDetail:
    application = _handling(actor, receipt)
    problems = [m for v, m in ((reasons, "请说明不予同意的理由"), (basis, "请写明不予同意的依据（法律、法规或规章条款）"))
                if not (v or "").strip()]
    if problems:
        raise ValidationError("；".join(problems), details=problems)
    application.state = "denied"
    application.decided_at, application.decided_by_id = now(), actor.id
    application.decision_reasons, application.decision_basis = reasons.strip(), basis.strip()
    _event(actor, application, "denied", reasons.strip(), {"basis": basis.strip()})
    notifications.notify([application.applicant], f"申请未获同意：{application.receipt}",
                         f"理由：{reasons.strip()}\n依据：{basis.strip()}", link_to(application))
    db.session.commit()
    notifications.after_commit_deliver()
    return get(actor, receipt)


def request_supplement(actor, receipt: str, what: str) -> ApplicationDetail:
    application = _handling(actor, receipt)
    if not (what or "").strip():
        raise ValidationError("请说明需要补正的材料或内容")
    application.state = "supplement"
    _event(actor, application, "supplement", what.strip())
    notifications.notify([application.applicant], f"请补正申请材料：{application.receipt}",
                         f"{what.strip()}\n补正后答复期限重新计算。", link_to(application))
    db.session.commit()
    notifications.after_commit_deliver()
    return get(actor, receipt)


def resubmit(actor, receipt: str, note: str, files=()) -> ApplicationDetail:
    application = _handling(actor, receipt, policies.can_act_as_applicant, ("supplement",))
    if not (note or "").strip() and not files:
        raise ValidationError("请说明补正的内容或上传补正材料")
    save_documents(application, files)
    application.state = "submitted"
    _restart_clock(application, today())
    _event(actor, application, "resubmitted", (note or "").strip(),
           {"deadline": f"{application.deadline}", "provisional": application.deadline_provisional})
    notifications.notify(department_people(application), f"申请已补正：{application.receipt}",
                         f"新的答复期限 {application.deadline}。", link_to(application))
    db.session.commit()
    notifications.after_commit_deliver()
    return get(actor, receipt)


def _restart_clock(application: Application, started: date) -> None:
    clock.start(application, PERIOD, started)


def recompute_deadline(application: Application) -> None:
    clock.set_deadline(application, PERIOD)


def withdraw(actor, receipt: str) -> ApplicationDetail:
    application = _handling(actor, receipt, policies.can_act_as_applicant, OPEN_STATES)
    application.state, application.decided_at = "withdrawn", None
    _event(actor, application, "withdrawn")
    db.session.commit()
    return get(actor, receipt)


# -- extension (once, ≤ 10 working days, head's approval, before the deadline) -------------------
def propose_extension(actor, receipt: str, days: int, reason: str) -> ApplicationDetail:
    application = _handling(actor, receipt)
    problems = clock.extension_problems(application, days, reason, "第四十六条")
    if problems:
        raise ValidationError("；".join(problems), details=problems)
    clock.propose_extension(application, days, reason)
    _event(actor, application, "extension_proposed", reason.strip(), {"days": days})
    notifications.notify(department_people(application, heads_only=True), f"待批准延期：{application.receipt}",
                         f"经办人申请延期 {days} 个工作日：{reason.strip()}", link_to(application))
    db.session.commit()
    notifications.after_commit_deliver()
    return get(actor, receipt)


def decide_extension(actor, receipt: str, approved: bool, note: str = "") -> ApplicationDetail:
    application = _handling(actor, receipt, policies.can_approve_extension)
    if application.extension_state != "proposed":
        raise ValidationError("没有待批准的延期")
    if today() > application.deadline:
        raise ValidationError("已超过答复期限，不能再批准延期")
    clock.decide_extension(application, approved, PERIOD)
    if approved:
        _event(actor, application, "extension_approved", note,
               {"days": application.extension_days, "deadline": f"{application.deadline}"})
        notifications.notify([application.applicant, *department_people(application)],
                             f"答复期限延长：{application.receipt}",
                             f"经部门主要负责人批准，答复期限延长 {application.extension_days} 个工作日至 "
                             f"{application.deadline}。理由：{application.extension_reason}", link_to(application))
    else:
        _event(actor, application, "extension_rejected", note)
        notifications.notify(department_people(application), f"延期未获批准：{application.receipt}",
                             note or "负责人不同意延期", link_to(application))
    db.session.commit()
    notifications.after_commit_deliver()
    return get(actor, receipt)
