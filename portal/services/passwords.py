"""Changing a password, and resetting a forgotten one by a single-use link valid for one hour.

Only the sha256 of a reset token is stored. Asking for a reset answers the same whether or not
the user name exists, so accounts cannot be enumerated through it.
"""

import hashlib
import secrets
from collections.abc import Callable
from datetime import timedelta

from sqlalchemy import select, update
from werkzeug.security import check_password_hash

from .. import policies, security
from ..errors import NotAuthorized, NotFound, PortalError, ValidationError
from ..extensions import db
from ..models import PasswordReset, User, utcnow
from . import audit, notify
from .users import password_problems

RESET_VALID_FOR = timedelta(hours=1)


class ResetLinkGone(PortalError):
    status = 410
    default_message = "该密码重置链接已失效，请重新申请"


class PasswordRefused(ValidationError):
    def __init__(self, field: str, message: str):
        super().__init__(message)
        self.field = field  # which form field the message belongs to


def _digest(token: str) -> str:
    return hashlib.sha256(token.encode("utf-8")).hexdigest()


def change_password(actor, current: str, new: str) -> None:
    user = db.session.get(User, getattr(actor, "id", None) or 0)
    if user is None or not policies.can_change_password(actor, user):
        raise NotAuthorized()
    if not check_password_hash(user.password_hash, current or ""):
        raise PasswordRefused("current", "当前密码不正确")
    if problems := password_problems(new):
        raise PasswordRefused("new", "；".join(problems))
    _set_password(user, new)
    audit.record(actor, "password.change", "user", user.id, {"username": user.username})
    db.session.commit()


def request_reset(username: str, link_for: Callable[[str], str]) -> None:
    """Send a reset link to the account's owner, if there is such an (active) account."""
    user = db.session.scalar(select(User).where(User.username == (username or "").strip()))
    if user is None or not user.active:
        return
    token = secrets.token_urlsafe(32)
    now = utcnow()
    db.session.add(PasswordReset(user_id=user.id, token_hash=_digest(token), created_at=now,
                                 expires_at=now + RESET_VALID_FOR))
    audit.record(None, "password.reset_request", "user", user.id, {"username": user.username})
    db.session.commit()
    mobile = security.decrypt(user.mobile_encrypted) if user.mobile_encrypted else None
    notify.send(notify.Message(
        username=user.username, display_name=user.display_name, mobile=mobile, mobile_masked=user.mobile_masked,
        subject="南阳市政务数据开放平台：重置密码",
        body=f"{user.display_name}，您好：\n\n请在 1 小时内打开以下链接设置新密码（仅可使用一次）：\n{link_for(token)}\n\n"
             "如果不是您本人申请，请忽略本消息，您的密码不会改变。"))


def reset_username(token: str) -> str:
    """The user name a valid token resets; 404 for an unknown token, 410 for a used or expired one."""
    return _valid_reset(token)[1].username


def reset_password(token: str, new: str) -> str:
    reset, user = _valid_reset(token)
    if problems := password_problems(new):
        raise PasswordRefused("new", "；".join(problems))
    # Consume the token atomically: of two concurrent submissions only one finds it unused.
    consumed = db.session.execute(update(PasswordReset).where(PasswordReset.id == reset.id,
                                                              PasswordReset.used_at.is_(None))
                                  .values(used_at=utcnow()))
    if consumed.rowcount != 1:
        db.session.rollback()
        raise ResetLinkGone("该密码重置链接已使用过，请重新申请")
    _set_password(user, new)
    audit.record(user, "password.reset", "user", user.id, {"username": user.username})
    db.session.commit()
    return user.username


def _valid_reset(token: str) -> tuple[PasswordReset, User]:
    reset = db.session.scalar(select(PasswordReset).where(PasswordReset.token_hash == _digest(token or "")))
    if reset is None:
        raise NotFound("密码重置链接无效，请检查链接是否完整，或重新申请")
    if reset.used_at is not None:
        raise ResetLinkGone("该密码重置链接已使用过，请重新申请")
    if reset.expires_at <= utcnow():
        raise ResetLinkGone("该密码重置链接已过期（有效期 1 小时），请重新申请")
    user = db.session.get(User, reset.user_id)
    if user is None or not user.active:
        raise ResetLinkGone()
    return reset, user


def _set_password(user: User, new: str) -> None:
    """A new password also voids every reset link still outstanding for the account."""
    user.password_hash = security.hash_password(new)
    db.session.execute(update(PasswordReset).where(PasswordReset.user_id == user.id, PasswordReset.used_at.is_(None))
                       .values(used_at=utcnow()))
