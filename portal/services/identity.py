"""Identity verification (art. 24, art. 46 ¶3): who confirms that a registered identity is real.

Config IDENTITY_VERIFIER picks the verifier:
- "format": the number's check character and birth date are valid → verified at registration;
- "manual": the account waits as `pending` until the data authority decides at /admin/verifications;
- "package.module:Class": an adapter (e.g. the provincial unified identity platform), instantiated
  without arguments; it may read current_app.config itself.

Verifiers see the identifiers in the clear, at registration only; they never store them.
"""

import logging
from dataclasses import dataclass
from datetime import datetime
from typing import Protocol

from flask import current_app
from sqlalchemy import func, select
from werkzeug.utils import import_string

from .. import idnumbers, policies
from ..errors import NotAuthorized, NotFound, ValidationError
from ..extensions import db
from ..models import User, utcnow
from . import audit
from .views import Page

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class IdentityClaim:
    kind: str  # person | firm
    name: str  # real name, or the firm's registered name
    number: str  # 居民身份证号码, or 统一社会信用代码
    agent_name: str | None = None
    agent_id_number: str | None = None
    mobile: str | None = None


@dataclass(frozen=True)
class Verdict:
    state: str  # verified | pending | rejected
    note: str = ""


class IdentityVerifier(Protocol):
    def verify(self, claim: IdentityClaim) -> Verdict: ...


class FormatVerifier:
    """Checks what can be checked offline: check characters and birth dates."""

    def verify(self, claim: IdentityClaim) -> Verdict:
        checks = [idnumbers.check_id_number(claim.number)] if claim.kind == "person" else \
            [idnumbers.check_uscc(claim.number), idnumbers.check_id_number(claim.agent_id_number)]
        problems = [p for check in checks for p in check.problems]
        if problems:
            return Verdict("rejected", "；".join(problems))
        return Verdict("verified", "格式核验通过（校验码、出生日期有效）")


class ManualVerifier:
    def verify(self, claim: IdentityClaim) -> Verdict:
        return Verdict("pending", "等待数据主管部门人工核验")


BUILTIN = {"format": FormatVerifier, "manual": ManualVerifier}


def verifier() -> IdentityVerifier:
    setting = current_app.config.get("IDENTITY_VERIFIER") or "format"
    cache = current_app.extensions.setdefault("identity_verifier", {})
    if setting not in cache:
        cls = BUILTIN.get(setting)
        if cls is None:
            try:
                cls = import_string(setting)
            except ImportError as exc:
                raise RuntimeError(f"IDENTITY_VERIFIER 配置错误：无法加载 {setting}（{exc}）") from None
        cache[setting] = cls()
    return cache[setting]


def verify_claim(claim: IdentityClaim) -> Verdict:
    """An adapter that fails (platform down, timeout) must not lose a registration: queue it."""
    try:
        verdict = verifier().verify(claim)
    except Exception:
        log.exception("identity verifier failed; the account waits for manual review")
        return Verdict("pending", "核验服务暂不可用，已转人工核验")
    if verdict.state not in ("verified", "pending", "rejected"):
        return Verdict("pending", f"核验结果无法识别（{verdict.state}），已转人工核验")
    return verdict


def apply_verdict(user: User, verdict: Verdict, at: datetime | None = None) -> None:
    user.verification = verdict.state
    user.verification_note = verdict.note or None
    user.verified_at = (at or utcnow()) if verdict.state == "verified" else None


@dataclass
class PendingIdentity:
    id: int
    username: str
    kind: str
    display_name: str
    identity_masked: str | None
    agent_name: str | None
    mobile_masked: str | None
    created_at: datetime
    note: str | None


def pending(actor, page: int = 1, per_page: int = 20):
    """The manual verification queue, oldest first."""
    if not policies.can_manage_users(actor):
        raise NotAuthorized()
    where = (User.verification == "pending") & User.kind.in_(("person", "firm"))
    total = db.session.scalar(select(func.count(User.id)).where(where)) or 0
    rows = db.session.scalars(select(User).where(where).order_by(User.created_at, User.id)
                              .offset((max(page, 1) - 1) * per_page).limit(per_page))
    items = [PendingIdentity(u.id, u.username, u.kind, u.display_name, u.identity_masked, u.agent_name,
                             u.mobile_masked, u.created_at, u.verification_note) for u in rows]
    return Page(items=items, total=total, page=max(page, 1), per_page=per_page)


def decide(actor, user_id: int, approve: bool, note: str) -> str:
    """The data authority approves or rejects an identity; a rejection needs a reason."""
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("账号不存在")
    if not policies.can_manage_users(actor):
        raise NotAuthorized()
    if not user.is_public:
        raise ValidationError("工作人员账号由数据主管部门开通，无需实名核验")
    if not policies.can_review_identity(actor, user):
        raise NotAuthorized()
    note = (note or "").strip()
    if not approve and not note:
        raise ValidationError("驳回实名核验须填写理由")
    if len(note) > 500:
        raise ValidationError("核验意见不超过 500 字")
    state = "verified" if approve else "rejected"
    apply_verdict(user, Verdict(state, note or "数据主管部门人工核验通过"))
    audit.record(actor, "identity.verify" if approve else "identity.reject", "user", user.id,
                 {"username": user.username, "identity": user.identity_masked, "note": note})
    db.session.commit()
    return state
