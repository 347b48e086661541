"""Ratings and comments on datasets (art. 50: the portal collects opinions), moderated by the producing
department and the data authority, with reports of abusive content.

Authors appear under a pseudonym only (a keyed hash of their account id), never their name or
identity. The average counts each person once, with their latest visible rating. Hiding keeps the
entry for the record; every moderation is audited and resolves the entry's open reports.
"""

import hashlib
import hmac
import unicodedata
from dataclasses import dataclass, field
from datetime import datetime, time
from decimal import ROUND_HALF_UP, Decimal
from types import SimpleNamespace

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from .. import policies
from ..errors import NotAuthorized, NotFound, ValidationError
from ..extensions import db
from ..models import Dataset, Feedback, FeedbackReport, User
from . import audit, cases, clock, notifications
from .applications import department_for
from .views import Page

COMMENT_MAX = 1000
REASON_MAX = 500
DAILY_LIMIT = 5  # entries per person, dataset and (China) day
AUTHOR_DELETED = "作者删除"
QUEUE_LINK = "/console/feedback"


@dataclass
class FeedbackEntry:
    id: int
    dataset: str  # the dataset's name
    author: str  # a pseudonym, stable per account
    rating: int | None
    comment: str
    created_at: datetime
    state: str  # visible | hidden
    reports: int  # open reports (0 unless the actor moderates)
    mine: bool
    reported: bool  # the actor has reported it
    can_report: bool
    can_delete: bool
    can_moderate: bool
    moderation_reason: str | None = None  # moderators only


@dataclass
class ModerationEntry(FeedbackEntry):
    dataset_title: str = ""
    department: str = ""
    report_reasons: list[str] = field(default_factory=list)  # the open reports' reasons, oldest first
    moderated_at: datetime | None = None
    moderated_by: str = ""  # 作者 / the department / 数据主管部门


@dataclass
class DatasetFeedback:
    dataset: str
    title: str
    average: float | None  # one decimal; None without ratings
    ratings: int  # people whose latest visible entry carries a rating
    distribution: dict[int, int]  # {1..5: people}
    page: Page  # FeedbackEntry, newest first
    can_post: bool
    why_not: str  # why the actor may not post ("" when they may)
    can_moderate: bool
    include_hidden: bool = False

    @property
    def stars(self) -> str:
        full = int(Decimal(str(self.average or 0)).quantize(Decimal(1), ROUND_HALF_UP))
        return "★" * full + "☆" * (5 - full)


def pseudonym(user_id: int) -> str:
    """"用户" + 4 hex digits of an HMAC of the account id: stable, and reveals nothing about the person."""
    key = current_app.config["SECRET_KEY"]
    key = key.encode() if isinstance(key, str) else key
    return "用户" + hmac.new(key, f"feedback-author:{user_id}".encode(), hashlib.sha256).hexdigest()[:4]


def why_not_post(actor) -> str:
    if policies.can_post_feedback(actor):
        return ""
    if not getattr(actor, "is_authenticated", False) or getattr(actor, "id", None) is None:
        return "请先登录"
    if not actor.is_public:
        return "工作人员账号不能评价"
    if actor.is_suspended:
        return "账号已被暂停，不能发表评价"
    if not actor.is_verified:
        return "请先完成实名身份认证"
    return "您没有权限发表评价"


# -- reading -------------------------------------------------------------------------------------
def for_dataset(actor, dataset_name: str, page: int = 1, per_page: int = 10,
                include_hidden: bool = False) -> DatasetFeedback:
    """A dataset's rating summary and one page of its entries, newest first. Hidden entries only for
    the dataset's moderators, when they ask for them."""
    dataset = cases.dataset_by_name(dataset_name)
    # The policy asks about an entry; any entry of this dataset has the same moderators.
    moderator = policies.can_moderate_feedback(actor, SimpleNamespace(dataset=dataset, user_id=None))
    if include_hidden and not moderator:
        raise NotAuthorized("只有数据提供部门和数据主管部门可以查看已隐藏的评价")
    average, ratings, distribution = _ratings(dataset.id)
    query = select(Feedback).where(Feedback.dataset_id == dataset.id)
    if not include_hidden:
        query = query.where(Feedback.state == "visible")
    rows, total, page, per_page = _slice(query.order_by(Feedback.created_at.desc(), Feedback.id.desc()),
                                         page, per_page)
    why_not = why_not_post(actor)
    return DatasetFeedback(dataset=dataset.name, title=dataset.title, average=average, ratings=ratings,
                           distribution=distribution, page=Page(_entries(actor, rows), total, page, per_page),
                           can_post=not why_not, why_not=why_not, can_moderate=moderator,
                           include_hidden=include_hidden)


def _ratings(dataset_id: int) -> tuple[float | None, int, dict[int, int]]:
    latest = (select(func.max(Feedback.id))
              .where(Feedback.dataset_id == dataset_id, Feedback.state == "visible", Feedback.rating.is_not(None))
              .group_by(Feedback.user_id))
    counts = dict(db.session.execute(select(Feedback.rating, func.count()).where(Feedback.id.in_(latest))
                                     .group_by(Feedback.rating)).all())
    distribution = {stars: counts.get(stars, 0) for stars in range(1, 6)}
    people = sum(distribution.values())
    if not people:
        return None, 0, distribution
    total = sum(stars * n for stars, n in distribution.items())
    return float((Decimal(total) / people).quantize(Decimal("0.1"), ROUND_HALF_UP)), people, distribution


def _slice(query, page: int, per_page: int):
    per_page = max(1, min(int(per_page), 50))
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    page = max(1, min(int(page), -(-total // per_page) or 1))
    rows = db.session.scalars(query.offset((page - 1) * per_page).limit(per_page)).all()
    return rows, total, page, per_page


def _entries(actor, rows, cls=FeedbackEntry, extra: dict | None = None) -> list:
    """Read models of `rows` for the actor; `extra` holds further fields of `cls` per entry id."""
    uid = getattr(actor, "id", None)
    reported = set()
    if uid is not None and rows:
        reported = set(db.session.scalars(select(FeedbackReport.feedback_id).where(
            FeedbackReport.user_id == uid, FeedbackReport.feedback_id.in_([r.id for r in rows]))))
    return [_entry(actor, r, r.id in reported, cls, **(extra or {}).get(r.id, {})) for r in rows]


def _entry(actor, fb: Feedback, reported: bool, cls=FeedbackEntry, **extra):
    moderator = policies.can_moderate_feedback(actor, fb)
    visible = fb.state == "visible"
    return cls(id=fb.id, dataset=fb.dataset.name, author=pseudonym(fb.user_id), rating=fb.rating,
               comment=fb.comment, created_at=fb.created_at, state=fb.state, reports=fb.reports if moderator else 0,
               mine=getattr(actor, "id", None) == fb.user_id, reported=reported,
               can_report=visible and bool(fb.comment) and not reported and not moderator
               and policies.can_report_feedback(actor, fb),  # moderators hide instead
               can_delete=visible and policies.can_delete_feedback(actor, fb), can_moderate=moderator,
               moderation_reason=fb.moderation_reason if moderator else None, **extra)


def moderation_queue(actor, department_slug: str | None = None, reported_only: bool = True, page: int = 1,
                     per_page: int = 20) -> Page:
    """Feedback on a department's datasets, the most reported first, then the newest; the data authority
    without a department sees every department's."""
    cases.require(policies.can_use_console(actor), "只有数据提供部门和数据主管部门可以处理评价")
    query = select(Feedback).join(Dataset, Dataset.id == Feedback.dataset_id)
    if department_slug or not actor.is_admin:
        query = query.where(Dataset.department_id == department_for(actor, department_slug).id)
    if reported_only:
        query = query.where(Feedback.reports > 0)
    rows, total, page, per_page = _slice(query.order_by(Feedback.reports.desc(), Feedback.id.desc()), page, per_page)
    reasons: dict[int, list[str]] = {}
    if rows:
        for feedback_id, reason in db.session.execute(
                select(FeedbackReport.feedback_id, FeedbackReport.reason).where(
                    FeedbackReport.feedback_id.in_([r.id for r in rows]), FeedbackReport.resolved_at.is_(None))
                .order_by(FeedbackReport.id)):
            reasons.setdefault(feedback_id, []).append(reason)
    extra = {r.id: {"dataset_title": r.dataset.title, "department": r.dataset.department.title,
                    "report_reasons": reasons.get(r.id, []), "moderated_at": r.moderated_at,
                    "moderated_by": _moderator_label(r)} for r in rows}
    return Page(_entries(actor, rows, ModerationEntry, extra), total, page, per_page)


def _moderator_label(fb: Feedback) -> str:
    if fb.moderated_at is None:
        return ""
    if fb.moderated_by_id == fb.user_id:
        return "作者"
    return _department_label(db.session.get(User, fb.moderated_by_id) if fb.moderated_by_id else None)


def _department_label(user) -> str:
    if user is None or user.is_admin:
        return "数据主管部门"
    return user.department.title if user.department else "数据提供部门"


# -- writing -------------------------------------------------------------------------------------
def post(actor, dataset_name: str, rating, comment: str) -> FeedbackEntry:
    """A rating (1–5), a comment, or both. `rating` may be an int, a form string or None."""
    reason = why_not_post(actor)
    if reason:
        raise NotAuthorized(reason)
    dataset = cases.dataset_by_name(dataset_name)
    problems: list[str] = []
    rating = _rating(rating, problems)
    comment = _comment(comment, problems)
    if not problems and rating is None and not comment:
        problems.append("请选择评分或填写评论")
    cases.raise_problems(problems)
    since = datetime.combine(clock.today(), time()) - clock.CHINA  # midnight in China, as naive UTC
    posted = db.session.scalar(select(func.count()).select_from(Feedback).where(
        Feedback.user_id == actor.id, Feedback.dataset_id == dataset.id, Feedback.created_at >= since))
    if posted >= DAILY_LIMIT:
        raise ValidationError(f"同一数据集每天最多发表 {DAILY_LIMIT} 条评价，请明天再试")
    fb = Feedback(dataset=dataset, user_id=actor.id, rating=rating, comment=comment, created_at=clock.now())
    db.session.add(fb)
    db.session.flush()
    audit.record(actor, "feedback.posted", "feedback", fb.id, {"dataset": dataset.name, "rating": rating})
    if comment:  # a bare rating is not worth a message
        stars = f"（评分 {rating} 星）" if rating else ""
        notifications.notify(cases.department_people(dataset.department_id), f"数据集收到新评论：{dataset.title}",
                             f"{pseudonym(actor.id)}{stars}：{_excerpt(comment)}", _dataset_link(dataset))
    cases.commit()
    return _entry(actor, fb, False)


def _rating(value, problems: list) -> int | None:
    if value is None or value == "":
        return None
    text = "" if isinstance(value, bool) else str(value).strip()
    if text in ("1", "2", "3", "4", "5"):
        return int(text)
    problems.append("评分须为 1 到 5 的整数")
    return None


def _comment(value, problems: list) -> str:
    text = (value or "").replace("\r\n", "\n").replace("\r", "\n").strip()
    if not text:
        return ""
    if any(unicodedata.category(c) == "Cc" and c not in "\n\t" for c in text):
        problems.append("评论不能包含控制字符")
    elif all(c.isspace() or unicodedata.category(c)[0] in "CZ" for c in text):
        problems.append("评论不能只包含空白或不可见字符")
    elif len(text) > COMMENT_MAX:
        problems.append(f"评论不超过 {COMMENT_MAX} 字")
    return text


def report(actor, feedback_id: int, reason: str) -> FeedbackEntry:
    """Report an entry as abusive: once per person and entry. The moderators hear of an entry's first
    report only; later ones wait in the moderation queue."""
    fb = _load(feedback_id)
    if not policies.can_report_feedback(actor, fb):
        raise NotAuthorized("不能举报自己的评价" if getattr(actor, "id", None) == fb.user_id else "请先登录")
    if fb.state != "visible":
        raise ValidationError("该评价已被隐藏，无需举报")
    if not fb.comment:
        raise ValidationError("该评价只有评分，没有可举报的内容")
    problems: list[str] = []
    reason = cases.check_text(problems, "举报理由", reason, REASON_MAX)
    cases.raise_problems(problems)
    if _has_reported(actor.id, fb.id):
        raise ValidationError("您已举报过该评论")
    # A double click may race past the check above; the unique constraint decides, and the savepoint
    # keeps the session usable. SQLite needs its transaction open before the SAVEPOINT.
    notifications.ensure_transaction()
    try:
        with db.session.begin_nested():
            db.session.add(FeedbackReport(feedback_id=fb.id, user_id=actor.id, reason=reason, at=clock.now()))
    except IntegrityError:
        raise ValidationError("您已举报过该评论") from None
    fb.reports = Feedback.reports + 1  # in SQL: concurrent reports add up
    audit.record(actor, "feedback.reported", "feedback", fb.id, {"dataset": fb.dataset.name, "reason": reason})
    dataset = fb.dataset
    notifications.notify([*cases.department_people(dataset.department_id), *cases.authority_people()],
                         f"评价被举报：{dataset.title}",
                         f"{pseudonym(fb.user_id)} 对数据集「{dataset.title}」的评价被举报，理由：{reason}。"
                         "请在评价管理中处理。", QUEUE_LINK, key=f"feedback-report:{fb.id}")
    cases.commit()
    return _entry(actor, fb, True)


def _has_reported(user_id: int, feedback_id: int) -> bool:
    return db.session.scalar(select(FeedbackReport.id).where(FeedbackReport.feedback_id == feedback_id,
                                                             FeedbackReport.user_id == user_id)) is not None


def moderate(actor, feedback_id: int, hide: bool, reason: str = "") -> FeedbackEntry:
    """Hide an entry (a reason is required) or restore it; on a visible entry with open reports,
    "restore" keeps it and dismisses the reports. Either way its open reports are resolved."""
    fb = _load(feedback_id)
    cases.require(policies.can_moderate_feedback(actor, fb), "只有数据提供部门和数据主管部门可以处理评价")
    problems: list[str] = []
    reason = cases.check_text(problems, "隐藏理由" if hide else "处理说明", reason, REASON_MAX, required=hide)
    cases.raise_problems(problems)
    was_hidden = fb.state == "hidden"
    if hide and was_hidden:
        raise ValidationError("该评价已被隐藏")
    if not hide and was_hidden and fb.moderated_by_id == fb.user_id:
        raise ValidationError("该评价已由作者删除，不能恢复")
    if not hide and not was_hidden and not fb.reports:
        raise ValidationError("该评价正常显示，没有待处理的举报")
    dismissed = _resolve_reports(fb)
    fb.state = "hidden" if hide else "visible"
    fb.moderated_by_id, fb.moderated_at, fb.moderation_reason = getattr(actor, "id", None), clock.now(), reason or None
    action = "hidden" if hide else "restored" if was_hidden else "reports_dismissed"
    audit.record(actor, f"feedback.{action}", "feedback", fb.id,
                 {"dataset": fb.dataset.name, "reason": reason, "reports_resolved": dismissed})
    title, by = fb.dataset.title, _department_label(actor)
    if hide:
        notifications.notify([fb.user_id], "您的评价已被隐藏",
                             f"您对数据集「{title}」的评价已被{by}隐藏。理由：{reason}", _dataset_link(fb.dataset))
    elif was_hidden:
        notifications.notify([fb.user_id], "您的评价已恢复显示",
                             f"您对数据集「{title}」的评价已由{by}恢复显示。", _dataset_link(fb.dataset))
    cases.commit()
    return _entry(actor, fb, False)


def delete_own(actor, feedback_id: int) -> FeedbackEntry:
    """The author takes their entry down; it is hidden (kept for the record), not erased."""
    fb = _load(feedback_id)
    cases.require(policies.can_delete_feedback(actor, fb), "只能删除自己的评价")
    if fb.state != "visible":
        raise ValidationError("该评价已删除或已被隐藏")
    _resolve_reports(fb)
    fb.state, fb.moderated_by_id, fb.moderated_at, fb.moderation_reason = "hidden", actor.id, clock.now(), AUTHOR_DELETED
    audit.record(actor, "feedback.deleted", "feedback", fb.id, {"dataset": fb.dataset.name})
    cases.commit()
    return _entry(actor, fb, False)


def _load(feedback_id) -> Feedback:
    fb = db.session.get(Feedback, feedback_id) if isinstance(feedback_id, int) else None
    if fb is None:
        raise NotFound("评价不存在")
    return fb


def _resolve_reports(fb: Feedback) -> int:
    result = db.session.execute(update(FeedbackReport).where(
        FeedbackReport.feedback_id == fb.id, FeedbackReport.resolved_at.is_(None)).values(resolved_at=clock.now()))
    fb.reports = 0
    return result.rowcount or 0


def _dataset_link(dataset: Dataset) -> str:
    return f"/datasets/{dataset.name}#feedback"


def _excerpt(text: str, limit: int = 200) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
