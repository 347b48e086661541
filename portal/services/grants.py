"""Grants of conditional data: which account may obtain which resources and fields of a dataset,
between which dates. Approved applications create them (issue 6); operators can create them from
the CLI. Downloads check them at every request, so a revoked or expired grant stops at once."""

from datetime import datetime

from sqlalchemy import select

from .. import policies
from ..errors import NotAuthorized, NotFound, ValidationError
from ..extensions import db
from ..models import Dataset, Grant, User, utcnow
from . import audit
from .views import GrantInfo


def _dataset(name: str) -> Dataset:
    dataset = db.session.scalar(select(Dataset).where(Dataset.name == name))
    if dataset is None or dataset.current_version is None:
        raise NotFound(f"数据集「{name}」不存在")
    return dataset


def check_scope(dataset: Dataset, resources: dict) -> dict:
    """Every requested resource and field must exist in the current version; returns it normalised."""
    if not resources:
        raise ValidationError("请至少选择一个资源")
    available = {r.name: [f.get("name") for f in (r.schema or {}).get("fields", [])]
                 for r in dataset.current_version.resources}
    problems, scope = [], {}
    for name, fields in resources.items():
        if name not in available:
            problems.append(f"资源「{name}」不在该数据集的当前版本中")
            continue
        unknown = [f for f in fields or [] if f not in available[name]]
        if unknown:
            problems.append(f"资源「{name}」没有字段：{'、'.join(unknown)}")
        scope[name] = list(dict.fromkeys(fields or []))
    if problems:
        raise ValidationError("；".join(problems))
    return scope


def create_grant(actor, dataset_name: str, username: str, resources: dict, valid_from: datetime,
                 valid_until: datetime, purpose: str = "") -> int:
    dataset = _dataset(dataset_name)
    if not policies.can_grant(actor, dataset):
        raise NotAuthorized("只有数据提供部门可以授予该数据集的使用权限")
    if dataset.open_access != "conditional":
        raise ValidationError("只有有条件开放的数据集需要授权")
    user = db.session.scalar(select(User).where(User.username == username))
    if user is None:
        raise NotFound(f"账号「{username}」不存在")
    grant = add_grant(actor, dataset, user, resources, valid_from, valid_until, purpose)
    db.session.commit()
    return grant.id


def add_grant(actor, dataset: Dataset, user: User, resources: dict, valid_from: datetime, valid_until: datetime,
              purpose: str = "") -> Grant:
    """The grant row and its audit event, in the caller's transaction (an approval commits both)."""
    if valid_until <= valid_from:
        raise ValidationError("授权截止时间须晚于开始时间")
    scope = check_scope(dataset, resources)
    grant = Grant(dataset=dataset, user=user, resources=scope, valid_from=valid_from, valid_until=valid_until,
                  purpose=purpose, created_by_id=getattr(actor, "id", None))
    db.session.add(grant)
    db.session.flush()
    audit.record(actor, "grant.create", "grant", grant.id, {"dataset": dataset.name, "user": user.username,
                                                            "resources": scope, "until": valid_until.isoformat()})
    return grant


def revoke_grant(actor, grant_id: int, reason: str) -> None:
    grant = db.session.get(Grant, grant_id)
    if grant is None or not policies.can_grant(actor, grant.dataset):
        raise NotFound("授权不存在")
    if not (reason or "").strip():
        raise ValidationError("请填写撤销原因")
    if grant.revoked_at is None:
        grant.revoked_at, grant.revoked_reason = utcnow(), reason.strip()
        audit.record(actor, "grant.revoke", "grant", grant.id, {"dataset": grant.dataset.name, "reason": reason})
        db.session.commit()


def active_grant(user, dataset: Dataset) -> Grant | None:
    """The user's grant for this dataset in force now (the most recent, if several)."""
    if getattr(user, "id", None) is None:
        return None
    now = utcnow()
    grants = db.session.scalars(select(Grant).where(Grant.user_id == user.id, Grant.dataset_id == dataset.id,
                                                    Grant.revoked_at.is_(None), Grant.valid_from <= now,
                                                    Grant.valid_until > now).order_by(Grant.id.desc()))
    return next(iter(grants), None)


def my_grants(actor) -> list[GrantInfo]:
    if getattr(actor, "id", None) is None:
        return []
    now = utcnow()
    rows = db.session.scalars(select(Grant).where(Grant.user_id == actor.id).order_by(Grant.id.desc()))
    return [GrantInfo(g.id, g.dataset.name, g.dataset.title, g.user.username, dict(g.resources), g.valid_from,
                      g.valid_until, g.revoked_at, g.active(now)) for g in rows]
