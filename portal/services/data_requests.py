"""Data requests (数据需求): a verified citizen or firm asks for data the catalog lacks; the data
authority routes the request to a department (or rejects it with a reason); the department answers
within PERIOD working days — will open by a date, or cannot open with reasons and a basis. Other
users add their support ("我也需要"); the public list shows every request with its state and the
number of supporters, never who asked or who supported.

The answer period is the platform's service commitment, not a statutory deadline: no article of
the Measures sets one for data requests. It runs on the same working-day clock as everything else.
"""

from dataclasses import dataclass
from datetime import date

from sqlalchemy import delete, select, update
from sqlalchemy.exc import IntegrityError

from .. import policies
from ..errors import NotAuthorized, NotFound, ValidationError
from ..extensions import db
from ..models import Case, CaseSupport, Department
from . import audit, cases, clock, notifications
from .views import Page

KIND = "data_request"
PERIOD = 10  # working days from routing to the department's answer: a service commitment, not a statutory one
MAX_QUERY = 100
MAX_PER_PAGE = 100
SORTS = {"newest": "最新", "supported": "支持最多"}
PUBLIC_STATES = {k: v for k, v in cases.STATE_LABELS[KIND].items() if k != "withdrawn"}
NO_SUPPORT_STATES = ("withdrawn", "rejected")
COMMITMENT = f"部门应在分派后 {PERIOD} 个工作日内答复。该期限是本平台的服务承诺，不是法定期限。"


@dataclass
class FormOptions:
    categories: dict[str, str]
    departments: list[tuple[str, str]]  # (slug, title)


# -- reading ---------------------------------------------------------------------------------------
def get(actor, reference: str) -> cases.CaseDetail:
    """Public for everyone; the submitter's identity only for who may see the full case."""
    case = cases.load(KIND, reference)
    return cases.detail(actor, case, _actions(actor, case))


def public_list(state: str | None = None, sort: str = "newest", q: str | None = None, page: int = 1,
                per_page: int = 20) -> Page:
    """Every request except withdrawn ones, newest or most supported first."""
    problems = []
    if state and state not in PUBLIC_STATES:
        problems.append("未知的状态：" + state[:50])
    if sort not in SORTS:
        problems.append("排序方式须为：" + "、".join(f"{k}（{v}）" for k, v in SORTS.items()))
    q = (q or "").strip()
    if len(q) > MAX_QUERY:
        problems.append(f"检索词不超过 {MAX_QUERY} 字")
    cases.raise_problems(problems)
    query = select(Case).where(Case.kind == KIND, Case.state != "withdrawn")
    if state:
        query = query.where(Case.state == state)
    if q:
        query = query.where(Case.title.ilike(f"%{_escape_like(q)}%", escape="\\"))
    order = (Case.supporters.desc(), Case.id.desc()) if sort == "supported" else (Case.id.desc(),)
    return cases.page_of(query.order_by(*order), page, min(max(per_page, 1), MAX_PER_PAGE))


def _escape_like(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def options(actor) -> FormOptions:
    """What the request form offers; refuses (with the reason) whoever may not file."""
    cases.require(policies.can_file_case(actor), _why_not(actor))
    return FormOptions(dict(cases.CATEGORY_LABELS[KIND]), departments())


def departments() -> list[tuple[str, str]]:
    return [(d.slug, d.title) for d in db.session.scalars(select(Department).order_by(Department.id))]


def _actions(actor, case: Case) -> list[str]:
    actions = []
    if case.state == "submitted" and policies.can_dispatch_case(actor):
        actions += ["route", "reject"]
    if case.state == "dispatched" and policies.can_answer_case(actor, case):
        actions.append("answer")
    if case.state not in NO_SUPPORT_STATES and policies.can_support_request(actor, case):
        actions.append("unsupport" if _support_of(actor, case) else "support")
    if case.state == "submitted" and policies.can_act_as_submitter(actor, case):
        actions.append("withdraw")
    return actions


def _support_of(actor, case: Case) -> CaseSupport | None:
    return db.session.scalar(select(CaseSupport).where(CaseSupport.case_id == case.id,
                                                       CaseSupport.user_id == actor.id))


def _supporters(case: Case) -> list[int]:
    return list(db.session.scalars(select(CaseSupport.user_id).where(CaseSupport.case_id == case.id)))


def _why_not(actor) -> str:
    return cases.why_not_public(actor, "数据需求")


# -- filing and withdrawing ------------------------------------------------------------------------
def file(actor, title: str, description: str, category: str = "new_dataset", department_hint: str | None = None,
         dataset: str | None = None) -> cases.CaseDetail:
    cases.require(policies.can_file_case(actor), _why_not(actor))
    problems: list[str] = []
    title = cases.check_text(problems, "需求名称", title, 200)
    description = cases.check_text(problems, "需求描述", description, 4000)
    cases.check_category(problems, KIND, category)
    found = hint = None
    if (dataset or "").strip():
        try:
            found = cases.dataset_by_name(dataset.strip())
        except NotFound as exc:
            problems.append(exc.message)
    if (department_hint or "").strip():
        try:
            hint = cases.department_by_slug(department_hint.strip())
        except ValidationError as exc:
            problems.append(exc.message)
    cases.raise_problems(problems)
    case = cases.new_case(actor, KIND, description=description, category=category, dataset=found, title=title,
                          details={"department_hint": hint.slug} if hint else {})
    cases.event(actor, case, "submitted")
    cases.notify([actor], case, "数据需求已提交", f"「{title}」已提交，等待数据主管部门分派。{COMMITMENT}")
    cases.notify(cases.authority_people(), case, "新的数据需求待分派",
                 f"「{title}」" + (f"，建议承办部门：{hint.title}" if hint else ""))
    cases.commit()
    return get(actor, case.reference)


def withdraw(actor, reference: str) -> cases.CaseDetail:
    case = cases.load(KIND, reference)
    cases.require(policies.can_act_as_submitter(actor, case), "只有提交人本人可以撤回数据需求")
    cases.require_state(case, "submitted")
    cases.close(case, "withdrawn")
    cases.event(actor, case, "withdrawn")
    cases.notify(cases.authority_people(), case, "数据需求已撤回", f"「{case.title}」已由提交人撤回，无需分派。")
    cases.notify(_supporters(case), case, "您支持的数据需求已撤回",
                 f"「{case.title}」已由提交人撤回。如仍需要这些数据，可以自己提出数据需求。")
    cases.commit()
    return get(actor, reference)


# -- the data authority ----------------------------------------------------------------------------
def route(actor, reference: str, department_slug: str, note: str = "") -> cases.CaseDetail:
    case = cases.load(KIND, reference)
    cases.require(policies.can_dispatch_case(actor), "只有数据主管部门可以分派数据需求")
    cases.require_state(case, "submitted")
    problems: list[str] = []
    note = cases.check_text(problems, "分派说明", note, 1000, required=False)
    department = None
    if not (department_slug or "").strip():
        problems.append("请选择承办部门")
    else:
        try:
            department = cases.department_by_slug(department_slug.strip())
        except ValidationError as exc:
            problems.append(exc.message)
    cases.raise_problems(problems)
    case.department_id, case.state = department.id, "dispatched"
    clock.start(case, PERIOD)
    due = f"{case.deadline:%Y-%m-%d}" + ("（暂定）" if case.deadline_provisional else "")
    cases.event(actor, case, "dispatched", f"分派至{department.title}" + (f"：{note}" if note else ""),
                {"department": department.slug, "deadline": f"{case.deadline}"})
    cases.notify(cases.department_people(department.id), case, "新的数据需求待答复",
                 f"「{case.title}」，答复期限 {due}（平台服务承诺 {PERIOD} 个工作日）。" + (f"说明：{note}" if note else ""))
    cases.notify([case.submitter], case, "数据需求已分派",
                 f"「{case.title}」已分派至{department.title}，答复期限 {due}。{COMMITMENT}")
    cases.commit()
    return get(actor, reference)


def reject(actor, reference: str, reason: str) -> cases.CaseDetail:
    """Not a data request, a duplicate, or otherwise out of scope: closed with a public reason."""
    case = cases.load(KIND, reference)
    cases.require(policies.can_dispatch_case(actor), "只有数据主管部门可以不予受理数据需求")
    cases.require_state(case, "submitted")
    problems: list[str] = []
    reason = cases.check_text(problems, "不予受理的理由", reason, 2000)
    cases.raise_problems(problems)
    case.decision_reasons, case.decided_by_id = reason, actor.id
    cases.close(case, "rejected")
    cases.event(actor, case, "rejected", reason)
    cases.notify([case.submitter, *_supporters(case)], case, "数据需求不予受理", f"「{case.title}」不予受理。理由：{reason}")
    cases.commit()
    return get(actor, reference)


# -- the department --------------------------------------------------------------------------------
def answer(actor, reference: str, will_open: bool, promised_date: date | None = None, reasons: str = "",
           basis: str = "") -> cases.CaseDetail:
    case = cases.load(KIND, reference)
    cases.require(policies.can_answer_case(actor, case), "只有承办部门可以答复该数据需求")
    cases.require_state(case, "dispatched")
    problems: list[str] = []
    if will_open:
        reasons = cases.check_text(problems, "说明", reasons, 4000, required=False)
        if promised_date is None:
            problems.append("请填写计划开放日期")
        elif promised_date < clock.today():
            problems.append("计划开放日期不能早于今天")
    else:
        reasons = cases.check_text(problems, "不能开放的理由", reasons, 4000)
        basis = cases.check_text(problems, "依据（法律、法规或规章条款）", basis, 1000)
    cases.raise_problems(problems)
    cases.answered(case)
    case.decided_by_id, case.decision_reasons = actor.id, reasons or None
    if will_open:
        case.promised_date, case.decision_basis = promised_date, None
        cases.close(case, "will_open")
        cases.event(actor, case, "will_open", reasons, {"promised_date": f"{promised_date}"})
        subject = "数据需求答复：将开放"
        body = f"「{case.title}」将于 {promised_date:%Y年%m月%d日} 前开放。" + (f"说明：{reasons}" if reasons else "")
    else:
        case.promised_date, case.decision_basis = None, basis
        cases.close(case, "cannot_open")
        cases.event(actor, case, "cannot_open", reasons, {"basis": basis})
        subject, body = "数据需求答复：暂不能开放", f"「{case.title}」暂不能开放。理由：{reasons}\n依据：{basis}"
    cases.notify([case.submitter, *_supporters(case)], case, subject, body)
    cases.commit()
    return get(actor, reference)


# -- support ("我也需要") ----------------------------------------------------------------------------
def support(actor, reference: str) -> cases.CaseDetail:
    """Add the actor's support once; a second click (or a concurrent one) changes nothing."""
    case = _supportable(actor, reference)
    if _support_of(actor, case) is None:
        notifications.ensure_transaction()  # pysqlite: a SAVEPOINT must not open the transaction itself
        try:
            with db.session.begin_nested():
                db.session.add(CaseSupport(case_id=case.id, user_id=actor.id, at=clock.now()))
        except IntegrityError:
            pass  # the same user's concurrent request won the unique constraint
        else:
            _count(case, +1)
            audit.record(actor, f"{KIND}.supported", KIND, case.reference)
            cases.commit()
    return get(actor, reference)


def unsupport(actor, reference: str) -> cases.CaseDetail:
    case = _supportable(actor, reference)
    removed = db.session.execute(delete(CaseSupport).where(CaseSupport.case_id == case.id,
                                                           CaseSupport.user_id == actor.id)).rowcount
    if removed:
        _count(case, -1)
        audit.record(actor, f"{KIND}.unsupported", KIND, case.reference)
        cases.commit()
    return get(actor, reference)


def _supportable(actor, reference: str) -> Case:
    case = cases.load(KIND, reference)
    if getattr(actor, "id", None) == case.submitter_id:
        raise NotAuthorized("不能支持自己提出的数据需求")
    cases.require(policies.can_support_request(actor, case), _why_not(actor))
    if case.state in NO_SUPPORT_STATES:
        label = cases.STATE_LABELS[KIND][case.state]
        raise ValidationError(f"该数据需求{label}，不能再支持或取消支持")
    return case


def _count(case: Case, change: int) -> None:
    """Change the counter in SQL, so that concurrent supporters of one request do not overwrite each other."""
    db.session.execute(update(Case).where(Case.id == case.id).values(supporters=Case.supporters + change)
                       .execution_options(synchronize_session=False))
    db.session.refresh(case, ["supporters"])
