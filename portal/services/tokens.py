"""Personal API tokens (`Authorization: Bearer …`): created on the account page or by the CLI,
shown once, stored as sha256, revocable at once."""

import hashlib
import secrets
from datetime import timedelta

from sqlalchemy import select
from sqlalchemy.orm import joinedload

from .. import policies
from ..errors import NotAuthorized, NotFound, ValidationError
from ..extensions import db
from ..models import ApiToken, User, utcnow
from . import audit
from .views import TokenInfo

PREFIX = "npd_"  # recognisable when a token leaks into a log or a repository
MAX_ACTIVE = 20
TOUCH_EVERY = timedelta(minutes=5)  # last_used_at precision: no write on every API call


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def _info(t: ApiToken) -> TokenInfo:
    return TokenInfo(t.id, t.name, t.prefix, t.created_at, t.last_used_at, t.revoked_at)


def _user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("账号不存在")
    return user


def create_token(actor, user_id: int, name: str) -> tuple[TokenInfo, str]:
    user = _user(user_id)
    if not policies.can_create_token(actor, user):
        raise NotAuthorized("只能为自己的账号创建令牌")
    name = (name or "").strip()
    if not name or len(name) > 60:
        raise ValidationError("请为令牌起一个 1–60 个字的名称，便于日后识别和撤销")
    active = db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id, ApiToken.revoked_at.is_(None))).all()
    if len(active) >= MAX_ACTIVE:
        raise ValidationError(f"有效令牌最多 {MAX_ACTIVE} 个，请先撤销不用的令牌")
    token = PREFIX + secrets.token_urlsafe(32)
    row = ApiToken(user_id=user.id, name=name, token_hash=_digest(token), prefix=token[:10])
    db.session.add(row)
    db.session.flush()
    audit.record(actor, "token.create", "token", row.id, {"user": user.username, "name": name})
    db.session.commit()
    return _info(row), token


def list_tokens(actor, user_id: int) -> list[TokenInfo]:
    user = _user(user_id)
    if not policies.can_manage_tokens(actor, user):
        raise NotAuthorized()
    rows = db.session.scalars(select(ApiToken).where(ApiToken.user_id == user.id).order_by(ApiToken.id.desc()))
    return [_info(t) for t in rows]


def revoke_token(actor, token_id: int) -> None:
    row = db.session.get(ApiToken, token_id)
    if row is None or not policies.can_manage_tokens(actor, row.user):
        raise NotFound("令牌不存在")  # someone else's token: do not confirm it exists
    if row.revoked_at is None:
        row.revoked_at = utcnow()
        audit.record(actor, "token.revoke", "token", row.id, {"user": row.user.username})
        db.session.commit()


def user_for_token(token: str) -> User | None:
    """The account behind a presented token, or None for unknown and revoked tokens."""
    if not token or not token.startswith(PREFIX) or len(token) > 200:
        return None
    row = db.session.scalar(select(ApiToken).where(ApiToken.token_hash == _digest(token))
                            .options(joinedload(ApiToken.user)))
    if row is None or row.revoked_at is not None:
        return None
    now = utcnow()
    if row.last_used_at is None or now - row.last_used_at > TOUCH_EVERY:
        row.last_used_at = now
        db.session.commit()
    return row.user
