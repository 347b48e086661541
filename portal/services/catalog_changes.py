"""Catalog changes (art. 45): what a producing department agrees to change in a catalog entry after
an objection, the data authority's decision, and the public history of the changes made.

Approval applies the change by republishing the entry as a new version with the same data
(publishing.republish_metadata), so the catalog, the descriptor and its signature agree and every
earlier version stays as it was. Attribute values are checked here, once, for the department's
proposal and the objector's suggestion alike.
"""

from sqlalchemy import func, select

from .. import policies
from ..errors import NotFound, ValidationError
from ..extensions import db
from ..models import OPEN_ACCESS, SHARE_ACCESS, UPDATE_FREQUENCIES, CatalogChange, Dataset
from . import audit, cases, clock, notifications, publishing
from .cases import CatalogChangeInfo
from .views import FREQUENCY_LABELS, OPEN_ACCESS_LABELS, SHARE_ACCESS_LABELS, Page

ATTRIBUTES = {"title": "标题", "description": "描述", "domain": "领域", "keywords": "关键词", "open_access": "开放属性",
              "open_access_basis": "开放依据", "share_access": "共享属性", "update_frequency": "更新频率"}
CHOICES = {"open_access": (OPEN_ACCESS, OPEN_ACCESS_LABELS), "share_access": (SHARE_ACCESS, SHARE_ACCESS_LABELS),
           "update_frequency": (UPDATE_FREQUENCIES, FREQUENCY_LABELS)}
TEXT_LIMITS = {"title": (2, 200), "description": (1, 4000), "domain": (2, 40), "open_access_basis": (4, 500)}
MAX_KEYWORDS, KEYWORD_LENGTH = 30, 40
STATE_LABELS = {"proposed": "待数据主管部门审核", "approved": "已批准并更正目录", "rejected": "数据主管部门未批准"}
_INVALID = object()


# -- values ----------------------------------------------------------------------------------------
def current_values(dataset: Dataset) -> dict:
    """The entry's attributes as they are now, in the form changes are written in."""
    return {"title": dataset.title, "description": _text(dataset.description), "domain": dataset.domain,
            "keywords": list(dataset.keywords or []), "open_access": dataset.open_access,
            "open_access_basis": dataset.open_access_basis or None, "share_access": dataset.share_access,
            "update_frequency": dataset.update_frequency}


def current_of(name: str) -> dict:
    """The current attributes of a published entry (public: the catalog shows them)."""
    return current_values(cases.dataset_by_name(name))


def shown(attribute: str, value) -> str:
    """A value as people read it: labels for choices, keywords joined, "—" for none."""
    if value in (None, "", []):
        return "—"
    if attribute == "keywords":
        return "、".join(value)
    if attribute in CHOICES:
        return CHOICES[attribute][1].get(value, value)
    return str(value)


def _text(value) -> str:
    return (value or "").replace("\r\n", "\n").strip()


def _normal(problems: list, key: str, value):
    """The value in its stored form (None for an empty text), or _INVALID after adding a problem."""
    label = ATTRIBUTES[key]
    if key == "keywords":
        if not isinstance(value, list) or not all(isinstance(k, str) for k in value):
            problems.append("关键词须为文字列表")
            return _INVALID
        words = []
        for word in (k.strip() for k in value):
            if word and word not in words:
                words.append(word)
        return words
    if value is not None and not isinstance(value, str):
        problems.append(f"{label}须为文字")
        return _INVALID
    value = _text(value) or None
    if key in CHOICES and value is not None and value not in CHOICES[key][0]:
        problems.append(f"{label}的取值“{value}”无效，可选：" + "、".join(CHOICES[key][1].values()))
        return _INVALID
    return value


def _check_limits(problems: list, key: str, value) -> None:
    label = ATTRIBUTES[key]
    if key == "keywords":
        if len(value) > MAX_KEYWORDS:
            problems.append(f"关键词最多 {MAX_KEYWORDS} 个")
        if any(len(word) > KEYWORD_LENGTH for word in value):
            problems.append(f"每个关键词不超过 {KEYWORD_LENGTH} 字")
    elif value is None:
        if key != "open_access_basis":  # the basis may go (an open entry needs none); the rule is checked apart
            problems.append(f"请{'选择' if key in CHOICES else '填写'}{label}")
    elif key in TEXT_LIMITS:
        low, high = TEXT_LIMITS[key]
        if len(value) < low:
            problems.append("开放依据过短，请写明具体的法律、法规条款" if key == "open_access_basis"
                            else f"{label}至少 {low} 个字")
        elif len(value) > high:
            problems.append(f"{label}不超过 {high} 个字")


def _known_attributes(problems: list, values: dict, what: str) -> None:
    unknown = [str(k) for k in values if k not in ATTRIBUTES]
    if unknown:
        problems.append(f"不能{what}「{'、'.join(unknown)}」：可更正的目录属性为" + "、".join(ATTRIBUTES.values()))


def check_suggestion(problems: list, suggested) -> dict:
    """The objector's optional suggestion ({attribute: value}), checked; empty values dropped."""
    if not suggested:
        return {}
    if not isinstance(suggested, dict):
        problems.append("建议的更正须为 {目录属性: 建议值}")
        return {}
    _known_attributes(problems, suggested, "建议更正")
    checked = {}
    for key in ATTRIBUTES:
        if key in suggested:
            value = _normal(problems, key, suggested[key])
            if value not in (_INVALID, None, []):
                _check_limits(problems, key, value)
                checked[key] = value
    return checked


def check_changes(dataset: Dataset, changes) -> tuple[dict, dict]:
    """(before, after) of the attributes a proposal changes. Attributes given with their current
    value are left out; an entry opened unconditionally loses its open_access_basis (the basis
    justifies a restriction, art. 44); a conditional or closed entry must keep or get one."""
    if not isinstance(changes, dict) or not changes:
        raise ValidationError("请填写更正后的目录属性")
    problems: list[str] = []
    _known_attributes(problems, changes, "更正")
    current = current_values(dataset)
    proposed = {}
    for key in ATTRIBUTES:
        if key in changes:
            value = _normal(problems, key, changes[key])
            if value is not _INVALID:
                proposed[key] = value
    access = proposed.get("open_access") or current["open_access"]
    if access == "unconditional":
        proposed["open_access_basis"] = None
    elif not proposed.get("open_access_basis", current["open_access_basis"]):
        problems.append("有条件开放或不予开放的数据必须写明开放依据（第四十四条）")
    after = {k: v for k, v in proposed.items() if v != current[k]}
    for key, value in after.items():
        _check_limits(problems, key, value)
    if not after and not problems:
        problems.append("更正后的目录属性与当前相同，请至少修改一项")
    cases.raise_problems(problems)
    return {k: current[k] for k in after}, after


# -- read models -----------------------------------------------------------------------------------
def info(change: CatalogChange) -> CatalogChangeInfo:
    dataset = change.dataset
    rows = [{"attribute": k, "label": label, "before": shown(k, change.before.get(k)), "after": shown(k, change.after[k])}
            for k, label in ATTRIBUTES.items() if k in change.after]
    return CatalogChangeInfo(
        id=change.id, dataset=dataset.name, dataset_title=dataset.title,
        case=change.case.reference if change.case else None, state=change.state,
        state_label=STATE_LABELS[change.state], changes=rows, reason=change.reason,
        proposed_by=dataset.department.title if dataset.department else "数据提供部门",  # never a person
        proposed_at=change.proposed_at, decided_at=change.decided_at, decision_note=change.decision_note,
        version=change.version.version if change.version else None)


def for_case(case) -> CatalogChange | None:
    return db.session.scalar(select(CatalogChange).where(CatalogChange.case_id == case.id)
                             .order_by(CatalogChange.id.desc()).limit(1))


def _load(change_id) -> CatalogChange:
    change = db.session.get(CatalogChange, change_id) if isinstance(change_id, int) else None
    if change is None:
        raise NotFound("目录更正不存在")
    return change


def get(actor, change_id: int) -> CatalogChangeInfo:
    change = _load(change_id)
    cases.require(policies.can_view_catalog_change(actor, change), "只有数据主管部门和数据提供部门可以查看待审核的目录更正")
    return info(change)


def pending(actor, include_closed: bool = False, page: int = 1, per_page: int = 20) -> Page:
    """The data authority's queue: changes awaiting a decision, oldest first (decided ones after)."""
    cases.require(policies.can_decide_catalog_change(actor), "只有数据主管部门可以审核目录更正")
    query = select(CatalogChange)
    if not include_closed:
        query = query.where(CatalogChange.state == "proposed")
    page = max(1, page)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    rows = db.session.scalars(query.order_by(CatalogChange.state != "proposed", CatalogChange.id)
                              .offset((page - 1) * per_page).limit(per_page)).all()
    return Page([info(c) for c in rows], total, page, per_page)


def history(dataset_name: str) -> list[CatalogChangeInfo]:
    """The approved changes of an entry, newest first (public)."""
    dataset = cases.dataset_by_name(dataset_name)
    rows = db.session.scalars(select(CatalogChange).where(CatalogChange.dataset_id == dataset.id,
                                                          CatalogChange.state == "approved")
                              .order_by(CatalogChange.decided_at.desc(), CatalogChange.id.desc()))
    return [info(c) for c in rows]


# -- the data authority's decision -----------------------------------------------------------------
def _deciding(actor, change_id) -> CatalogChange:
    cases.require(policies.can_decide_catalog_change(actor), "只有数据主管部门可以审核目录更正")
    # Locked (PostgreSQL) until the decision commits: a second approval waits, then finds it decided,
    # instead of storing the same new version twice.
    change = db.session.scalar(select(CatalogChange).where(CatalogChange.id == change_id).with_for_update()
                               .execution_options(populate_existing=True)) if isinstance(change_id, int) else None
    if change is None:
        raise NotFound("目录更正不存在")
    if change.state != "proposed":
        raise ValidationError(f"该目录更正已审核（{STATE_LABELS[change.state]}），不能再修改")
    if change.case is not None:
        cases.require_state(change.case, "change_proposed")
    return change


def change_lines(change: CatalogChange) -> str:
    """One line per attribute: 标签：before → after."""
    return "\n".join(f"{row['label']}：{row['before']} → {row['after']}" for row in info(change).changes)


def approve(actor, change_id: int, note: str = "") -> CatalogChangeInfo:
    """Apply the change as a new version of the entry; the objection is closed as changed."""
    change = _deciding(actor, change_id)
    note = (note or "").strip()
    if len(note) > 2000:
        raise ValidationError("审核意见不超过 2000 个字")
    dataset, case = change.dataset, change.case
    if dataset.current_version is None:
        raise ValidationError("该数据集已下架，不能更正目录；请作出不予批准的决定并说明情况")
    current = current_values(dataset)
    moved = [ATTRIBUTES.get(k, k) for k in change.after if current.get(k) != change.before.get(k)]
    if moved:
        raise ValidationError(f"提出更正后，目录的{'、'.join(moved)}已有变化；请不予批准并说明情况，由数据提供部门重新办理")

    def record(version) -> None:
        change.state, change.version_id = "approved", version.id
        change.decided_by_id, change.decided_at, change.decision_note = actor.id, clock.now(), note or None
        audit.record(actor, "catalog_change.approved", "dataset", dataset.name,
                     {"change": change.id, "case": case.reference if case else None, "version": version.version,
                      "before": change.before, "after": change.after})
        lines, department = change_lines(change), cases.department_people(dataset.department_id)
        if case is None:
            notifications.notify(department, f"目录更正已批准：{dataset.title}", lines, f"/datasets/{dataset.name}/history")
            return
        cases.close(case, "changed")
        cases.event(actor, case, "change_approved", note, {"version": version.version})
        cases.notify([case.submitter], case, "目录已更正",
                     f"「{dataset.title}」的开放目录已按您的更正申请更正（版本 {version.version}）：\n{lines}")
        cases.notify(department, case, "目录更正已批准", f"已发布版本 {version.version}：\n{lines}")

    publishing.republish_metadata(actor, dataset.name, dict(change.after),
                                  f"目录更正 {case.reference}" if case else "目录更正", before_commit=record)
    notifications.after_commit_deliver()
    return info(change)


def reject(actor, change_id: int, note: str) -> CatalogChangeInfo:
    """Refuse the change, with the reason; the entry stays as it is and the objection is closed."""
    change = _deciding(actor, change_id)
    problems: list[str] = []
    note = cases.check_text(problems, "不予批准的理由", note, 2000)
    cases.raise_problems(problems)
    change.state = "rejected"
    change.decided_by_id, change.decided_at, change.decision_note = actor.id, clock.now(), note
    dataset, case = change.dataset, change.case
    audit.record(actor, "catalog_change.rejected", "dataset", dataset.name,
                 {"change": change.id, "case": case.reference if case else None, "note": note})
    department = cases.department_people(dataset.department_id)
    if case is None:
        notifications.notify(department, f"目录更正未获批准：{dataset.title}", note)
    else:
        cases.close(case, "change_rejected")
        cases.event(actor, case, "change_rejected", note)
        cases.notify([case.submitter], case, "目录更正未获批准",
                     f"数据主管部门未批准对「{dataset.title}」的目录更正，目录保持不变。理由：{note}")
        cases.notify(department, case, "目录更正未获批准", note)
    cases.commit()
    return info(change)
