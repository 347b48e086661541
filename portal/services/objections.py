"""Catalog objections (开放目录更正申请, art. 45).

A verified person or firm objects to any catalog entry, closed ones included ("this should be
open"). The producing department answers within 10 working days, extendable once by at most 10
with its head's approval: agreeing proposes a catalog change to the data authority
(catalog_changes.py), which approves it — the entry is republished with its history — or rejects
it; disagreeing needs reasons and their basis. The objector's identity is never public.
"""

from dataclasses import dataclass

from sqlalchemy import select

from .. import policies
from ..errors import ValidationError
from ..extensions import db
from ..models import Case, CatalogChange
from . import cases, catalog_changes, clock
from .cases import CaseDetail
from .documents import save_documents
from .views import OPEN_ACCESS_LABELS

KIND = "objection"
PERIOD = 10  # working days, art. 45
ARTICLE = "第四十五条"


@dataclass
class ObjectionForm:
    """What the objection form needs to show."""

    dataset: str
    title: str
    department: str
    open_access: str
    open_access_label: str
    categories: dict
    open_access_choices: dict


def why_not(actor) -> str:
    return cases.why_not_public(actor, "开放目录更正申请")


def options(actor, dataset_name: str) -> ObjectionForm:
    dataset = cases.dataset_by_name(dataset_name)
    cases.require(policies.can_file_case(actor), why_not(actor))
    return ObjectionForm(dataset.name, dataset.title, dataset.department.title, dataset.open_access,
                         OPEN_ACCESS_LABELS[dataset.open_access], dict(cases.CATEGORY_LABELS[KIND]),
                         dict(OPEN_ACCESS_LABELS))


# -- reading ---------------------------------------------------------------------------------------
def get(actor, reference: str) -> CaseDetail:
    """The full objection for the objector, the department and the data authority; the public view
    (no objector, evidence or description) for everyone else. Both carry the catalog change, if any."""
    case = cases.load(KIND, reference)
    detail = cases.detail(actor, case, actions(actor, case))
    change = catalog_changes.for_case(case)
    detail.catalog_change = catalog_changes.info(change) if change else None
    return detail


def public_outcomes(dataset_name: str, limit: int = 20) -> list[CaseDetail]:
    """For the dataset page: the latest objections with their public outcome and catalog change."""
    details = cases.public_outcomes(dataset_name, KIND, limit)
    found = db.session.scalars(select(CatalogChange).join(Case, CatalogChange.case_id == Case.id)
                               .where(Case.reference.in_([d.reference for d in details])).order_by(CatalogChange.id))
    latest = {change.case.reference: change for change in found}
    for detail in details:
        change = latest.get(detail.reference)
        detail.catalog_change = catalog_changes.info(change) if change else None
    return details


def actions(actor, case) -> list[str]:
    """What the actor may do with the objection now."""
    allowed = []
    if case.state == "submitted":
        if policies.can_answer_case(actor, case):
            allowed += ["agree", "disagree"]
            if case.extension_state in ("none", "rejected") and case.deadline and clock.today() <= case.deadline:
                allowed.append("extension")
        if case.extension_state == "proposed" and policies.can_approve_case_extension(actor, case):
            allowed.append("extension-decision")
        if policies.can_act_as_submitter(actor, case):
            allowed.append("withdraw")
    if case.state == "change_proposed" and policies.can_decide_catalog_change(actor):
        allowed.append("change-decision")
    return allowed


# -- filing ----------------------------------------------------------------------------------------
def file(actor, dataset_name: str, category: str, description: str, suggested: dict | None = None,
         files=()) -> CaseDetail:
    dataset = cases.dataset_by_name(dataset_name)
    cases.require(policies.can_file_case(actor), why_not(actor))
    problems: list[str] = []
    cases.check_category(problems, KIND, category)
    description = cases.check_text(problems, "问题描述", description, 4000)
    suggested = catalog_changes.check_suggestion(problems, suggested)
    cases.raise_problems(problems)
    case = cases.new_case(actor, KIND, description=description, category=category, dataset=dataset,
                          department_id=dataset.department_id, details={"suggested": suggested} if suggested else {},
                          version_id=dataset.current_version_id)
    try:
        save_documents(case, files)
    except ValidationError:
        db.session.rollback()  # the flushed case must not reach a later commit
        raise
    clock.start(case, PERIOD)
    due = f"{case.deadline:%Y-%m-%d}" + ("（暂定）" if case.deadline_provisional else "")
    cases.event(actor, case, "submitted", f"答复期限：{due}")
    cases.notify([actor], case, "开放目录更正申请已受理",
                 f"您对「{dataset.title}」的开放目录更正申请已受理，受理编号 {case.reference}。"
                 f"数据提供部门应在 {due} 前答复（{ARTICLE}）。")
    cases.notify(cases.department_people(case.department_id), case, "新的开放目录更正申请",
                 f"「{dataset.title}」：{cases.CATEGORY_LABELS[KIND][category]}。答复期限 {due}。")
    cases.commit()
    return get(actor, case.reference)


# -- the department's answer -----------------------------------------------------------------------
def _case(actor, reference: str, allowed, message: str, *states: str):
    case = cases.load(KIND, reference)
    cases.require(allowed(actor, case), message)
    cases.require_state(case, *states)
    return case


def _answering(actor, reference: str):
    return _case(actor, reference, policies.can_answer_case, "只有数据提供部门可以答复该更正申请", "submitted")


def agree(actor, reference: str, changes: dict, reason: str) -> CaseDetail:
    """Agree and propose the change to the data authority: `changes` maps catalog attributes to their
    new values (attributes given with their current value are ignored)."""
    case = _answering(actor, reference)
    before, after = catalog_changes.check_changes(case.dataset, changes)
    problems: list[str] = []
    reason = cases.check_text(problems, "同意更正的理由", reason, 4000)
    cases.raise_problems(problems)
    change = CatalogChange(dataset=case.dataset, case=case, state="proposed", before=before, after=after,
                           reason=reason, proposed_by_id=actor.id, proposed_at=clock.now())
    db.session.add(change)
    case.state, case.decided_by_id, case.decision_reasons = "change_proposed", actor.id, reason
    cases.answered(case)
    clock.stop(case)  # answered in time or not, the data authority decides next
    cases.event(actor, case, "agreed", reason, {"before": before, "after": after})
    db.session.flush()
    lines = catalog_changes.change_lines(change)
    cases.notify(cases.authority_people(), case, "待审核的目录更正",
                 f"{case.department.title}同意更正「{case.dataset.title}」的开放目录：\n{lines}\n理由：{reason}")
    cases.notify([case.submitter], case, "数据提供部门同意更正",
                 f"数据提供部门同意更正「{case.dataset.title}」的开放目录，已提请数据主管部门审核：\n{lines}")
    cases.commit()
    return get(actor, reference)


def disagree(actor, reference: str, reasons: str, basis: str) -> CaseDetail:
    case = _answering(actor, reference)
    problems: list[str] = []
    reasons = cases.check_text(problems, "不予同意的理由", reasons, 4000)
    basis = cases.check_text(problems, "不予同意的依据（法律、法规或规章条款）", basis, 1000)
    cases.raise_problems(problems)
    case.decided_by_id, case.decision_reasons, case.decision_basis = actor.id, reasons, basis
    cases.answered(case)
    cases.close(case, "disagreed")
    cases.event(actor, case, "disagreed", reasons, {"basis": basis})
    cases.notify([case.submitter], case, "数据提供部门不予同意更正",
                 f"数据提供部门不同意更正「{case.dataset.title}」的开放目录。\n理由：{reasons}\n依据：{basis}")
    cases.commit()
    return get(actor, reference)


def propose_extension(actor, reference: str, days: int, reason: str) -> CaseDetail:
    case = _answering(actor, reference)
    cases.propose_extension(actor, case, days, reason, article=ARTICLE)
    cases.commit()
    return get(actor, reference)


def decide_extension(actor, reference: str, approved: bool, note: str = "") -> CaseDetail:
    case = _case(actor, reference, policies.can_approve_case_extension, "只有部门主要负责人可以批准延期",
                 "submitted")
    problems: list[str] = []
    note = cases.check_text(problems, "审批意见", note, 2000, required=False)
    cases.raise_problems(problems)
    cases.decide_extension(actor, case, approved, note)
    cases.commit()
    return get(actor, reference)


# -- the objector ----------------------------------------------------------------------------------
def withdraw(actor, reference: str) -> CaseDetail:
    case = _case(actor, reference, policies.can_act_as_submitter, "只有提交人本人可以撤回", "submitted")
    cases.close(case, "withdrawn")
    cases.event(actor, case, "withdrawn")
    cases.notify(cases.department_people(case.department_id), case, "开放目录更正申请已撤回",
                 f"提交人撤回了对「{case.dataset.title}」的更正申请，无需再答复。")
    cases.commit()
    return get(actor, reference)
