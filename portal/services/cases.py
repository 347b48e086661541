"""What objections, error reports and data requests share: reference numbers, loading with the
visibility rule, the timeline and audit of every transition, notifications to the right people,
the read models (full for who may see the case, public without the submitter), lists and pages.

The per-kind transitions live in objections.py, error_reports.py and data_requests.py; each
checks its policy, changes the case, calls `event` and `notify`, and commits once.
"""

import uuid
from dataclasses import dataclass, field
from datetime import date, datetime

from sqlalchemy import func, select

from .. import policies
from ..errors import NotAuthorized, NotFound, ValidationError
from ..extensions import db
from ..models import CLOCK_STATES, Case, CaseEvent, Dataset, Department, User
from . import audit, clock, notifications
from .documents import document
from .views import Page

PREFIXES = {"objection": "NYYY", "error_report": "NYFK", "data_request": "NYXQ"}
KIND_LABELS = {"objection": "开放目录更正申请", "error_report": "问题数据反馈", "data_request": "数据需求"}
PATHS = {"objection": "objections", "error_report": "error-reports", "data_request": "data-requests"}
CATEGORY_LABELS = {
    "objection": {"metadata": "目录信息有误", "open_access": "开放属性有误", "missing_resource": "缺少数据资源",
                  "other": "其他"},
    "error_report": {"wrong_value": "数据错误", "missing_value": "数据缺失", "outdated": "数据过时",
                     "duplicate": "数据重复", "other": "其他"},
    "data_request": {"new_dataset": "新增数据集", "more_fields": "增加信息项", "more_frequent": "提高更新频率",
                     "other": "其他"},
}
STATE_LABELS = {
    "objection": {"submitted": "办理中", "change_proposed": "部门同意，待数据主管部门审核", "changed": "已更正目录",
                  "change_rejected": "数据主管部门未同意更正", "disagreed": "部门不予同意", "withdrawn": "已撤回"},
    "error_report": {"submitted": "待数据主管部门分派", "dispatched": "数据提供部门核实中", "correcting": "更正中",
                     "corrected": "已更正并重新发布", "not_corrected": "经核实不予更正",
                     "rejected": "不属于数据问题", "withdrawn": "已撤回"},
    "data_request": {"submitted": "待数据主管部门分派", "dispatched": "部门答复中", "will_open": "将开放",
                     "cannot_open": "暂不能开放", "rejected": "不予受理", "withdrawn": "已撤回"},
}
FINAL_STATES = ("changed", "change_rejected", "disagreed", "corrected", "not_corrected", "will_open", "cannot_open",
                "rejected", "withdrawn")
EVENT_LABELS = {
    "submitted": "提交", "withdrawn": "提交人撤回", "overdue": "已超过期限", "deadline_recomputed": "期限依正式日历重算",
    "extension_proposed": "提出延期", "extension_approved": "负责人批准延期", "extension_rejected": "负责人不同意延期",
    "agreed": "部门同意更正，提请数据主管部门审核", "disagreed": "部门不予同意",
    "change_approved": "数据主管部门批准目录更正", "change_rejected": "数据主管部门不同意目录更正",
    "dispatched": "数据主管部门分派", "rejected": "数据主管部门不予受理", "correcting": "部门决定更正",
    "not_corrected": "部门决定不予更正", "corrected": "已发布更正后的版本", "answered": "部门答复",
    "will_open": "部门答复：将开放", "cannot_open": "部门答复：暂不能开放",
}


# -- read models ---------------------------------------------------------------------------------
@dataclass
class CaseEventInfo:
    at: datetime
    kind: str
    label: str
    actor: str  # the department, the data authority or "提交人" — never a citizen's name in public
    note: str


@dataclass
class CatalogChangeInfo:
    """A proposed or decided change of a catalog entry: each attribute's value before and after."""

    id: int
    dataset: str
    dataset_title: str
    case: str | None  # the objection's reference
    state: str  # proposed | approved | rejected
    state_label: str
    changes: list[dict]  # [{"attribute", "label", "before", "after"}], values as shown to people
    reason: str
    proposed_by: str  # the department (never a person's name in public)
    proposed_at: datetime
    decided_at: datetime | None = None
    decision_note: str | None = None
    version: str | None = None  # the version published when the change was applied


@dataclass
class CaseSummary:
    reference: str
    kind: str
    kind_label: str
    category: str
    category_label: str
    title: str
    dataset: str | None
    dataset_title: str | None
    department: str | None
    department_slug: str | None
    state: str
    state_label: str
    submitted_at: datetime
    deadline: date | None
    provisional: bool
    days_left: int | None  # working days left of the running clock; negative = overdue; None = no clock
    near_due: bool = False
    overdue: bool = False
    supporters: int = 0
    url: str = ""


@dataclass
class CaseDetail(CaseSummary):
    """The full case for its submitter, the department and the data authority; `submitter` is the
    masked identity and stays empty in the public view."""

    description: str = ""
    details: dict = field(default_factory=dict)
    submitter: str = ""
    extension_state: str = "none"
    extension_days: int | None = None
    extension_reason: str | None = None
    decision_reasons: str | None = None
    decision_basis: str | None = None
    promised_date: date | None = None
    reported_version: str | None = None
    correction_version: str | None = None
    documents: list = field(default_factory=list)  # (id, filename, bytes)
    timeline: list[CaseEventInfo] = field(default_factory=list)
    catalog_change: CatalogChangeInfo | None = None  # objections: the change the department proposed
    actions: list[str] = field(default_factory=list)  # what the current actor may do now


def summary(case: Case, on: date | None = None, cls=CaseSummary, **extra):
    on = on or clock.today()
    left = clock.days_left(case.deadline, on) if case.state in CLOCK_STATES else None
    dataset = case.dataset
    return cls(reference=case.reference, kind=case.kind, kind_label=KIND_LABELS[case.kind], category=case.category,
               category_label=CATEGORY_LABELS[case.kind].get(case.category, case.category),
               title=case.title or (dataset.title if dataset else ""), dataset=dataset.name if dataset else None,
               dataset_title=dataset.title if dataset else None,
               department=case.department.title if case.department else None,
               department_slug=case.department.slug if case.department else None, state=case.state,
               state_label=STATE_LABELS[case.kind].get(case.state, case.state), submitted_at=case.submitted_at,
               deadline=case.deadline if left is not None else None, provisional=case.deadline_provisional,
               days_left=left, near_due=clock.near_due(left), overdue=left is not None and left < 0,
               supporters=case.supporters, url=link_to(case), **extra)


def detail(actor, case: Case, actions: list[str] | None = None) -> CaseDetail:
    """The full view when the actor may see the case, the public view (no submitter, no evidence,
    only the department's and the authority's steps) otherwise."""
    full = policies.can_view_case(actor, case)
    timeline = [CaseEventInfo(e.at, e.kind, EVENT_LABELS.get(e.kind, e.kind), _actor_label(e, full), e.note)
                for e in case.events]
    submitter = ""
    if full:
        s = case.submitter
        submitter = f"{s.display_name}（{s.identity_masked or s.username}）"
    return summary(case, None, CaseDetail, description=case.description if full or case.kind == "data_request" else "",
                   details=dict(case.details or {}) if full else _public_details(case), submitter=submitter,
                   extension_state=case.extension_state, extension_days=case.extension_days,
                   extension_reason=case.extension_reason, decision_reasons=case.decision_reasons,
                   decision_basis=case.decision_basis, promised_date=case.promised_date,
                   reported_version=case.version.version if case.version else None,
                   correction_version=case.correction_version.version if case.correction_version else None,
                   documents=[(d.id, d.filename, d.bytes) for d in case.documents] if full else [],
                   timeline=timeline, actions=list(actions or []))


def _public_details(case: Case) -> dict:
    keep = ("resource", "field", "row") if case.kind == "error_report" else ()
    return {k: v for k, v in (case.details or {}).items() if k in keep}


def _actor_label(event: CaseEvent, full: bool) -> str:
    actor = event.actor
    if actor is None:
        return "系统"
    if actor.is_admin:
        return "数据主管部门"
    if actor.is_staff:
        return actor.department.title if actor.department else "数据提供部门"
    return actor.display_name if full else "提交人"


# -- loading -------------------------------------------------------------------------------------
def load(kind: str, reference: str) -> Case:
    case = db.session.scalar(select(Case).where(Case.reference == (reference or "")[:32], Case.kind == kind))
    if case is None:
        raise NotFound(f"{KIND_LABELS[kind]}不存在")
    return case


def require(allowed: bool, message: str) -> None:
    if not allowed:
        raise NotAuthorized(message)


def require_state(case: Case, *states: str) -> None:
    if case.state not in states:
        label = STATE_LABELS[case.kind].get(case.state, case.state)
        if case.state in FINAL_STATES:
            raise ValidationError(f"该{KIND_LABELS[case.kind]}已办结（{label}），不能再修改")
        raise ValidationError(f"该{KIND_LABELS[case.kind]}当前状态为「{label}」，不能执行此操作")


def document_file(actor, kind: str, reference: str, document_id: int):
    """(path, mediatype, filename) of evidence, for who may see the full case."""
    case = load(kind, reference)
    if not policies.can_view_case(actor, case):
        raise NotFound(f"{KIND_LABELS[kind]}不存在")
    return document(case, document_id)


def dataset_by_name(name: str) -> Dataset:
    dataset = db.session.scalar(select(Dataset).where(Dataset.name == (name or "")[:80]))
    if dataset is None or dataset.current_version is None:
        raise NotFound(f"数据集「{name}」不存在")
    return dataset


def department_by_slug(slug: str) -> Department:
    department = db.session.scalar(select(Department).where(Department.slug == (slug or "")[:40]))
    if department is None:
        raise ValidationError(f"部门「{slug}」不存在")
    return department


def why_not_public(actor, what: str, verb: str = "提出") -> str:
    """Why a step reserved to verified, unsuspended citizens and firms is refused to this actor, in
    words the actor can act on (`what` is the thing, e.g. "数据需求"; `verb` what one does with it)."""
    if not getattr(actor, "is_authenticated", False) or getattr(actor, "id", None) is None:
        return "请先登录"
    if not getattr(actor, "is_public", False):
        return f"{what}由自然人或法人账号{verb}，工作人员账号不能{verb}"
    if actor.is_suspended:
        return "您的账号已被暂停数据服务（第四十一条）"
    return "请先完成实名身份认证"


# -- writing -------------------------------------------------------------------------------------
def new_case(actor, kind: str, *, description: str, category: str, dataset: Dataset | None = None,
             department_id: int | None = None, title: str = "", details: dict | None = None,
             version_id: int | None = None) -> Case:
    """Add a case with its reference number (flushed, not committed)."""
    case = Case(kind=kind, reference=f"pending-{uuid.uuid4().hex[:24]}", dataset=dataset, department_id=department_id,
                submitter_id=actor.id, category=category, title=title, description=description,
                details=details or {}, version_id=version_id, submitted_at=clock.now())
    db.session.add(case)
    db.session.flush()
    case.reference = f"{PREFIXES[kind]}{clock.today():%Y%m%d}{case.id:06d}"
    return case


def check_text(problems: list, label: str, value: str, limit: int, required: bool = True) -> str:
    value = (value or "").strip()
    if required and not value:
        problems.append(f"请填写{label}")
    elif len(value) > limit:
        problems.append(f"{label}不超过 {limit} 字")
    return value


def check_category(problems: list, kind: str, category: str) -> str:
    if category not in CATEGORY_LABELS[kind]:
        problems.append("请选择类别：" + "、".join(CATEGORY_LABELS[kind].values()))
    return category


def raise_problems(problems: list) -> None:
    if problems:
        raise ValidationError("；".join(problems), details=problems)


def event(actor, case: Case, kind: str, note: str = "", data: dict | None = None) -> None:
    db.session.add(CaseEvent(case=case, at=clock.now(), actor_id=getattr(actor, "id", None), kind=kind, note=note,
                             data=data or {}))
    audit.record(actor, f"{case.kind}.{kind}", case.kind, case.reference, {"note": note, **(data or {})})


def answered(case: Case) -> None:
    """Record when the department answered and which deadline it was due by (for the figures)."""
    case.answered_at, case.answer_deadline = clock.now(), case.deadline


def close(case: Case, state: str) -> None:
    case.state, case.closed_at = state, clock.now()
    clock.stop(case)


def link_to(case: Case) -> str:
    return f"/{PATHS[case.kind]}/{case.reference}"


def department_people(department_id: int | None, heads_only: bool = False) -> list[User]:
    if department_id is None:
        return []
    kinds = ("head",) if heads_only else ("staff", "head")
    return list(db.session.scalars(select(User).where(User.department_id == department_id, User.kind.in_(kinds),
                                                      User.active.is_(True))))


def authority_people() -> list[User]:
    return list(db.session.scalars(select(User).where(User.kind == "admin", User.active.is_(True))))


def notify(users, case: Case, subject: str, body: str = "", key: str | None = None) -> int:
    return notifications.notify(users, f"{subject}：{case.reference}", body, link_to(case), key=key)


def commit() -> None:
    db.session.commit()
    notifications.after_commit_deliver()


# -- extension (objections; same rule as applications) -------------------------------------------
def propose_extension(actor, case: Case, days, reason: str, article: str) -> None:
    problems = clock.extension_problems(case, days, reason, article)
    raise_problems(problems)
    clock.propose_extension(case, days, reason)
    event(actor, case, "extension_proposed", reason.strip(), {"days": days})
    notify(department_people(case.department_id, heads_only=True), case, "待批准延期",
           f"经办人申请延期 {days} 个工作日：{reason.strip()}")


def decide_extension(actor, case: Case, approved: bool, note: str = "") -> None:
    if case.extension_state != "proposed":
        raise ValidationError("没有待批准的延期")
    if case.deadline is None or clock.today() > case.deadline:
        raise ValidationError("已超过答复期限，不能再批准延期")
    clock.decide_extension(case, approved, case.period)
    if approved:
        event(actor, case, "extension_approved", note, {"days": case.extension_days, "deadline": f"{case.deadline}"})
        notify([case.submitter, *department_people(case.department_id)], case, "答复期限延长",
               f"经部门主要负责人批准，答复期限延长 {case.extension_days} 个工作日至 {case.deadline}。"
               f"理由：{case.extension_reason}")
    else:
        event(actor, case, "extension_rejected", note)
        notify(department_people(case.department_id), case, "延期未获批准", note or "负责人不同意延期")


# -- lists -----------------------------------------------------------------------------------------
def page_of(query, page: int, per_page: int) -> Page:
    page = max(1, page)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.scalars(query.offset((page - 1) * per_page).limit(per_page)).all()
    on = clock.today()
    return Page([summary(c, on) for c in rows], total, page, per_page)


def mine(actor, kind: str | None = None, page: int = 1, per_page: int = 20) -> Page:
    """The actor's own objections, error reports and data requests, newest first."""
    if getattr(actor, "id", None) is None:
        raise NotAuthorized("请先登录")
    query = select(Case).where(Case.submitter_id == actor.id)
    if kind:
        query = query.where(Case.kind == kind)
    return page_of(query.order_by(Case.id.desc()), page, per_page)


def for_dataset(name: str, kind: str, page: int = 1, per_page: int = 20) -> Page:
    """The public list of a dataset's objections or error reports: category, state, outcome — no
    submitter (the summaries carry none)."""
    dataset = dataset_by_name(name)
    query = select(Case).where(Case.dataset_id == dataset.id, Case.kind == kind, Case.state != "withdrawn")
    return page_of(query.order_by(Case.id.desc()), page, per_page)


def public_outcomes(name: str, kind: str, limit: int = 20) -> list[CaseDetail]:
    """For the dataset page: the latest cases of a kind with their public outcome."""
    dataset = dataset_by_name(name)
    rows = db.session.scalars(select(Case).where(Case.dataset_id == dataset.id, Case.kind == kind,
                                                 Case.state != "withdrawn").order_by(Case.id.desc()).limit(limit))
    return [detail(None, c) for c in rows]


def queue(actor, kind: str | None = None, department_slug: str | None = None, include_closed: bool = False,
          page: int = 1, per_page: int = 20) -> Page:
    """A department's cases, the nearest deadline first (those without a running clock last); the
    data authority without a department sees every case, including those awaiting its dispatch."""
    from .applications import department_for  # the same department rule as the application queue

    query = select(Case)
    if kind:
        query = query.where(Case.kind == kind)
    if department_slug or not getattr(actor, "is_admin", False):
        query = query.where(Case.department_id == department_for(actor, department_slug).id)
    if not include_closed:
        query = query.where(Case.state.not_in(FINAL_STATES))
    return page_of(query.order_by(Case.deadline.is_(None), Case.deadline, Case.id), page, per_page)
