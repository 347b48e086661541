"""Data error reports (问题数据反馈, arts. 64–65): a user points at a published version, resource and
row or field; the data authority dispatches the report to the producer (or rejects it as not a
data problem); the producer decides within 5 working days of the dispatch whether to correct; a
decision to correct starts a 10-working-day clock that ends when a corrected version is published
and linked to the report. The reporter is notified at every step.

Every transition: policy check, state check, change, timeline event, notifications, one commit.
"""

import dataclasses
from dataclasses import dataclass

from .. import policies
from ..errors import ValidationError
from ..models import Case, Dataset, DatasetVersion
from . import cases, clock
from .cases import CaseDetail
from .documents import check as check_documents
from .documents import save_documents

KIND = "error_report"
DECISION_PERIOD = 5  # working days from the dispatch to the producer's decision (art. 65)
CORRECTION_PERIOD = 10  # working days from a decision to correct to the corrected version
MAX_DESCRIPTION = 4000
MAX_NOTE = 2000
OPEN_STATES = ("submitted", "dispatched")  # the reporter may still withdraw


@dataclass
class ReportOptions:
    """What the report form offers: the dataset's versions (current first) and the current version's
    resources with their fields and data row count."""

    dataset: str
    title: str
    department: str
    versions: list[str]
    resources: dict = dataclasses.field(default_factory=dict)  # name -> {"title", "fields", "rows"}
    categories: dict = dataclasses.field(default_factory=dict)


# -- reading ---------------------------------------------------------------------------------------
def options(actor, dataset_name: str) -> ReportOptions:
    dataset = cases.dataset_by_name(dataset_name)
    cases.require(policies.can_file_case(actor), _why_not_file(actor))
    current = dataset.current_version
    versions = [current.version] + [v.version for v in dataset.versions if v.id != current.id]
    resources = {r.name: {"title": r.title or r.name, "fields": _fields(r), "rows": r.row_count}
                 for r in current.resources}
    return ReportOptions(dataset.name, dataset.title, dataset.department.title, versions, resources,
                         dict(cases.CATEGORY_LABELS[KIND]))


def get(actor, reference: str) -> CaseDetail:
    """The full view for the reporter, the department it is with and the data authority; the public
    view (no reporter, no description, no evidence) for everyone else. The department correcting the
    data also gets `details["candidates"]`: the versions it may link as the correction."""
    case = cases.load(KIND, reference)
    detail = cases.detail(actor, case, _actions(actor, case))
    if "link-version" in detail.actions:
        detail.details["candidates"] = [v.version for v in _candidates(case)]
    return detail


def _actions(actor, case: Case) -> list[str]:
    state = case.state
    allowed = []
    if state == "submitted" and policies.can_dispatch_case(actor):
        allowed += ["dispatch", "reject"]
    if state == "dispatched" and policies.can_answer_case(actor, case):
        allowed += ["correct", "not-correct"]
    if state == "correcting" and policies.can_answer_case(actor, case):
        allowed.append("link-version")
    if state in OPEN_STATES and policies.can_act_as_submitter(actor, case):
        allowed.append("withdraw")
    return allowed


def _candidates(case: Case) -> list[DatasetVersion]:
    """The dataset's versions published since the decision to correct, newest first: version rows
    are numbered in publication order, so "since" is "a higher id than the version current then"."""
    before = (case.details or {}).get("version_id_at_decision")
    return [v for v in case.dataset.versions if before is not None and v.id > before]


def _fields(resource) -> list[str]:
    return [f.get("name") for f in (resource.schema or {}).get("fields", []) if f.get("name")]


# -- filing ----------------------------------------------------------------------------------------
def _why_not_file(actor) -> str:
    return cases.why_not_public(actor, "问题数据反馈", "提交")


def file(actor, dataset_name: str, resource: str, description: str, category: str = "wrong_value",
         version: str | None = None, row: int | None = None, field: str | None = None, files=()) -> CaseDetail:
    """Report a problem in a published version's resource, at a data row (1-based, the header not
    counted) and/or a field. The report waits for the data authority; no clock runs yet."""
    dataset = cases.dataset_by_name(dataset_name)
    cases.require(policies.can_file_case(actor), _why_not_file(actor))
    problems: list[str] = []
    reported = _version(dataset, version, problems)
    target = _resource(reported, resource, problems) if reported else None
    field = (field or "").strip() or None
    if target is not None:
        _check_location(target, row, field, problems)
    cases.check_category(problems, KIND, category)
    description = cases.check_text(problems, "问题描述", description, MAX_DESCRIPTION)
    cases.raise_problems(problems)
    evidence = [(name, content) for name, content, _type, _ext in check_documents(files)]  # before anything is added
    case = cases.new_case(actor, KIND, description=description, category=category, dataset=dataset,
                          details={"version": reported.version, "resource": target.name, "row": row, "field": field},
                          version_id=reported.id)
    save_documents(case, evidence)
    cases.event(actor, case, "submitted", "", {"version": reported.version, "resource": target.name, "row": row,
                                               "field": field})
    cases.notify([actor], case, "问题数据反馈已受理",
                 f"您对「{dataset.title}」的问题数据反馈已受理，数据主管部门将转数据提供部门核实。")
    cases.notify(cases.authority_people(), case, "新的问题数据反馈",
                 f"「{dataset.title}」{_location(case)}，待分派。")
    cases.commit()
    return get(actor, case.reference)


def _version(dataset: Dataset, version: str | None, problems: list) -> DatasetVersion | None:
    if not version:
        return dataset.current_version
    found = next((v for v in dataset.versions if v.version == version), None)
    if found is None:
        problems.append(f"数据集「{dataset.title}」没有版本 {version}")
    return found


def _resource(version: DatasetVersion, name: str, problems: list):
    found = next((r for r in version.resources if r.name == name), None)
    if found is None:
        known = "、".join(r.name for r in version.resources)
        problems.append(f"版本 {version.version} 没有资源「{name or ''}」（可选：{known}）")
    return found


def _check_location(resource, row, field: str | None, problems: list) -> None:
    if row is None and field is None:
        problems.append("请指明有问题的数据行或信息项（至少一项）")
    if row is not None:
        if not isinstance(row, int) or isinstance(row, bool) or row < 1:
            problems.append("行号须为正整数（第 1 行为表头之后的第一条数据）")
        elif resource.row_count is not None and row > resource.row_count:
            problems.append(f"行号超出范围：资源「{resource.name}」共有 {resource.row_count} 行数据")
    if field is not None and field not in _fields(resource):
        problems.append(f"资源「{resource.name}」没有信息项「{field}」")


def _location(case: Case) -> str:
    d = case.details or {}
    parts = [f"版本 {d.get('version')}", f"资源「{d.get('resource')}」"]
    if d.get("row") is not None:
        parts.append(f"第 {d['row']} 行")
    if d.get("field"):
        parts.append(f"信息项「{d['field']}」")
    return "，".join(parts)


# -- the data authority ----------------------------------------------------------------------------
def _authority(actor, reference: str) -> Case:
    case = cases.load(KIND, reference)
    cases.require(policies.can_dispatch_case(actor), "只有数据主管部门可以分派或不予受理问题数据反馈")
    cases.require_state(case, "submitted")
    return case


def dispatch(actor, reference: str, note: str = "") -> CaseDetail:
    """To the producing department; its 5-working-day decision clock starts today."""
    case = _authority(actor, reference)
    problems: list[str] = []
    note = cases.check_text(problems, "分派说明", note, MAX_NOTE, required=False)
    cases.raise_problems(problems)
    case.state, case.department = "dispatched", case.dataset.department
    clock.start(case, DECISION_PERIOD)
    due = _due(case)
    cases.event(actor, case, "dispatched", note, {"department": case.dataset.department.title,
                                                  "deadline": f"{case.deadline}"})
    cases.notify(cases.department_people(case.dataset.department_id), case, "待核实的问题数据反馈",
                 f"「{case.dataset.title}」{_location(case)}。请于 {due} 前决定是否更正。" + (f"\n{note}" if note else ""))
    cases.notify([case.submitter], case, "问题数据反馈已转数据提供部门",
                 f"已转{case.dataset.department.title}核实，{due} 前答复是否更正。")
    cases.commit()
    return get(actor, reference)


def reject(actor, reference: str, reason: str) -> CaseDetail:
    """Not a data problem (e.g. a question about use, or about the catalog): closed with a reason."""
    case = _authority(actor, reference)
    problems: list[str] = []
    reason = cases.check_text(problems, "不予受理的理由", reason, MAX_NOTE)
    cases.raise_problems(problems)
    case.decided_by_id, case.decision_reasons = actor.id, reason
    cases.close(case, "rejected")
    cases.event(actor, case, "rejected", reason)
    cases.notify([case.submitter], case, "问题数据反馈不予受理", f"理由：{reason}")
    cases.commit()
    return get(actor, reference)


# -- the producing department ----------------------------------------------------------------------
def _producer(actor, reference: str, state: str) -> Case:
    case = cases.load(KIND, reference)
    cases.require(policies.can_answer_case(actor, case), "只有承办该反馈的数据提供部门可以执行此操作")
    cases.require_state(case, state)
    return case


def decide(actor, reference: str, correct: bool, reasons: str = "") -> CaseDetail:
    """Correct (a 10-working-day clock to republish starts) or not (reasons required, closed)."""
    case = _producer(actor, reference, "dispatched")
    if not isinstance(correct, bool):
        raise ValidationError("请选择是否更正")
    problems: list[str] = []
    reasons = cases.check_text(problems, "不予更正的理由", reasons, MAX_DESCRIPTION, required=not correct)
    cases.raise_problems(problems)
    cases.answered(case)
    case.decided_by_id, case.decision_reasons = actor.id, reasons or None
    if correct:
        case.state = "correcting"
        clock.start(case, CORRECTION_PERIOD)
        case.details = {**(case.details or {}), "decided_on": f"{clock.today()}",
                        "version_id_at_decision": case.dataset.current_version_id or 0}
        cases.event(actor, case, "correcting", reasons, {"deadline": f"{case.deadline}"})
        cases.notify([case.submitter], case, "数据提供部门决定更正",
                     f"{case.dataset.department.title}决定更正，将于 {_due(case)} 前发布更正后的数据。")
    else:
        cases.close(case, "not_corrected")
        cases.event(actor, case, "not_corrected", reasons)
        cases.notify([case.submitter], case, "数据提供部门决定不予更正", f"理由：{reasons}")
    cases.commit()
    return get(actor, reference)


def link_correction(actor, reference: str, version: str) -> CaseDetail:
    """The corrected version, published since the decision to correct, closes the report."""
    case = _producer(actor, reference, "correcting")
    version = (version or "").strip()
    found = next((v for v in case.dataset.versions if v.version == version), None) if version else None
    if found is None:
        raise ValidationError(f"请选择数据集「{case.dataset.title}」决定更正后发布的版本"
                              + (f"：该数据集没有版本 {version}" if version else ""))
    if found not in _candidates(case):
        raise ValidationError(f"版本 {version} 发布于决定更正之前，不能作为更正后的版本；请先发布更正后的数据")
    deadline = case.deadline
    on_time = deadline is not None and clock.today() <= deadline
    case.correction_version = found
    case.details = {**(case.details or {}), "correction_deadline": f"{deadline}", "corrected_on_time": on_time}
    cases.close(case, "corrected")
    cases.event(actor, case, "corrected", "", {"version": version, "on_time": on_time})
    cases.notify([case.submitter], case, "问题数据已更正",
                 f"「{case.dataset.title}」已发布更正后的版本 {version}：/datasets/{case.dataset.name}")
    cases.commit()
    return get(actor, reference)


# -- the reporter ----------------------------------------------------------------------------------
def withdraw(actor, reference: str) -> CaseDetail:
    case = cases.load(KIND, reference)
    cases.require(policies.can_act_as_submitter(actor, case), "只有提交人本人可以撤回")
    cases.require_state(case, *OPEN_STATES)
    was_dispatched = case.state == "dispatched"
    cases.close(case, "withdrawn")
    cases.event(actor, case, "withdrawn")
    if was_dispatched:
        cases.notify(cases.department_people(case.department_id), case, "问题数据反馈已撤回", "提交人已撤回，无需再办理。")
    cases.commit()
    return get(actor, reference)


def _due(case: Case) -> str:
    return f"{case.deadline:%Y年%m月%d日}" + ("（暂定）" if case.deadline_provisional else "")

