"""Accounts: staff created by the data authority, citizens and firms registering themselves, login,
the account page, and the data authority's user list and suspensions (art. 41).

Identifiers (art. 24) are checked by portal.idnumbers, stored encrypted, found by keyed hash and
shown masked (portal.security); the raw numbers never reach the audit log, a template or a log.
"""

import re
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import func, select, true
from sqlalchemy.exc import IntegrityError
from werkzeug.security import check_password_hash

from .. import idnumbers, policies, security
from ..errors import NotAuthorized, NotFound, ValidationError
from ..extensions import db
from ..models import USER_KINDS, Department, User, utcnow
from . import audit, identity
from .views import Page

USERNAME = re.compile(r"^[A-Za-z0-9_.-]{3,64}$")
MIN_PASSWORD = 8
MAX_PASSWORD = 200
MOBILE = re.compile(r"1[3-9][0-9]{9}")
PERSON_NAME = re.compile(r"[\u4e00-\u9fffA-Za-z·. ]{2,50}")

KIND_LABELS = {"person": "自然人", "firm": "法人", "staff": "部门经办人", "head": "部门主要负责人",
               "admin": "数据主管部门"}
VERIFICATION_LABELS = {"unverified": "未核验", "pending": "待核验", "verified": "已核验", "rejected": "核验未通过"}
VERIFICATION_EXPLAINED = {
    "verified": "您的身份已核验，可以下载无条件开放数据，并可申请有条件开放数据。",
    "pending": "您的身份正在等待数据主管部门核验。核验通过前可以浏览、搜索数据目录，但不能下载数据。",
    "unverified": "您的身份尚未核验。核验通过前可以浏览、搜索数据目录，但不能下载数据。",
    "rejected": "您的身份未通过核验（原因见下），可以浏览、搜索数据目录，但不能下载数据；如有疑问请联系数据主管部门。",
}


def password_problems(password: str | None) -> list[str]:
    if len(password or "") < MIN_PASSWORD:
        return [f"密码至少 {MIN_PASSWORD} 位"]
    if len(password) > MAX_PASSWORD:
        return [f"密码不超过 {MAX_PASSWORD} 位"]
    return []


def create_user(actor, username: str, password: str, kind: str, display_name: str,
                department: str | None = None) -> int:
    if not policies.can_manage_users(actor):
        raise NotAuthorized()
    problems = []
    if not USERNAME.match(username or ""):
        problems.append("用户名须为 3–64 位字母、数字、下划线、点或连字符")
    problems += password_problems(password)
    if kind not in USER_KINDS:
        problems.append(f"账号类型须为：{'、'.join(USER_KINDS)}")
    dept = None
    if kind in ("staff", "head"):
        dept = db.session.scalar(select(Department).where((Department.slug == department) |
                                                          (Department.title == department)))
        if dept is None:
            problems.append(f"部门「{department or ''}」不存在")
    if db.session.scalar(select(User.id).where(User.username == username)):
        problems.append(f"用户名「{username}」已被使用")
    if problems:
        raise ValidationError("；".join(problems))
    user = User(username=username, password_hash=security.hash_password(password), kind=kind,
                display_name=display_name or username, department=dept)
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "user.create", "user", user.id, {"kind": kind, "username": username})
    db.session.commit()
    return user.id


# --- registration of citizens (person) and firms ------------------------------------------------

@dataclass
class Registration:
    kind: str  # person | firm
    username: str
    password: str
    display_name: str  # a person's real name, or the firm's registered name
    mobile: str
    id_number: str | None = None  # person
    uscc: str | None = None  # firm
    agent_name: str | None = None  # firm: the person registering on its behalf
    agent_id_number: str | None = None


class RegistrationRefused(ValidationError):
    """Problems keyed by Registration field, so a form can show each one next to its field."""

    def __init__(self, fields: dict[str, list[str]]):
        messages = [m for ms in fields.values() for m in ms]
        super().__init__("注册未通过：" + "；".join(messages), details=messages)
        self.fields = fields


def normalise_mobile(value: str | None) -> str:
    digits = re.sub(r"[\s-]", "", value or "")
    return re.sub(r"^(?:\+86|0086|86)(?=1\d{10}$)", "", digits)


def register(actor, reg: Registration, verified: bool = False) -> int:
    """Create a person or firm account; nothing is stored when anything is refused."""
    if not policies.can_register(actor):
        raise NotAuthorized("您已登录，无需注册")
    if verified and not policies.can_manage_users(actor):
        raise NotAuthorized()
    if reg.kind not in ("person", "firm"):
        raise RegistrationRefused({"kind": ["注册类型须为自然人（person）或法人（firm）"]})
    fields, numbers = _check_registration(reg)
    if fields:
        raise RegistrationRefused(fields)
    number_kind = "id" if reg.kind == "person" else "uscc"
    number = numbers["id_number" if reg.kind == "person" else "uscc"]
    mobile = normalise_mobile(reg.mobile)
    user = User(username=reg.username, password_hash=security.hash_password(reg.password), kind=reg.kind,
                display_name=reg.display_name.strip(), identity_encrypted=security.encrypt(number),
                identity_hash=security.lookup_hash(number_kind, number), identity_masked=mask_number(number),
                mobile_encrypted=security.encrypt(mobile), mobile_masked=security.mask(mobile, 3, 4))
    if reg.kind == "firm":
        agent_number = numbers["agent_id_number"]
        user.agent_name = reg.agent_name.strip()
        user.agent_id_encrypted = security.encrypt(agent_number)
        user.agent_id_hash = security.lookup_hash("id", agent_number)
    if verified:
        verdict = identity.Verdict("verified", "数据主管部门登记时核验")
    else:
        verdict = identity.verify_claim(identity.IdentityClaim(
            reg.kind, user.display_name, number, user.agent_name, numbers.get("agent_id_number"), mobile))
    identity.apply_verdict(user, verdict)
    db.session.add(user)
    try:
        db.session.flush()
    except IntegrityError:  # a concurrent registration took the name or the identity first
        db.session.rollback()
        raise RegistrationRefused(_duplicates(reg.username, user.identity_hash, reg.kind)
                                  or {"username": ["注册未完成，请重试"]}) from None
    audit.record(actor, "user.register", "user", user.id,
                 {"kind": reg.kind, "username": reg.username, "identity": user.identity_masked,
                  "verification": verdict.state})
    db.session.commit()
    return user.id


def _check_registration(reg: Registration) -> tuple[dict[str, list[str]], dict[str, str]]:
    fields: dict[str, list[str]] = {}
    numbers: dict[str, str] = {}

    def refuse(name, *messages):
        fields.setdefault(name, []).extend(messages)

    if not USERNAME.match(reg.username or ""):
        refuse("username", "用户名须为 3–64 位字母、数字、下划线、点或连字符")
    if problems := password_problems(reg.password):
        refuse("password", *problems)
    name = (reg.display_name or "").strip()
    if reg.kind == "person" and not PERSON_NAME.fullmatch(name):
        refuse("display_name", "请填写与居民身份证一致的真实姓名（2–50 个汉字或字母）")
    if reg.kind == "firm" and not 2 <= len(name) <= 100:
        refuse("display_name", "请填写与营业执照一致的单位名称（2–100 字）")
    if not MOBILE.fullmatch(normalise_mobile(reg.mobile)):
        refuse("mobile", "手机号码应为 11 位数字，以 13–19 开头")
    checks = {"id_number": idnumbers.check_id_number} if reg.kind == "person" else \
        {"uscc": idnumbers.check_uscc, "agent_id_number": idnumbers.check_id_number}
    for key, check in checks.items():
        result = check(getattr(reg, key))
        numbers[key] = result.value
        if not result.ok:
            refuse(key, *result.problems)
    if reg.kind == "firm" and not PERSON_NAME.fullmatch((reg.agent_name or "").strip()):
        refuse("agent_name", "请填写经办人的真实姓名（2–50 个汉字或字母）")
    if not fields:
        number_kind, key = ("id", "id_number") if reg.kind == "person" else ("uscc", "uscc")
        fields = _duplicates(reg.username, security.lookup_hash(number_kind, numbers[key]), reg.kind)
    return fields, numbers


def _duplicates(username: str, identity_hash: str, kind: str) -> dict[str, list[str]]:
    fields = {}
    if db.session.scalar(select(User.id).where(User.username == username)):
        fields["username"] = [f"用户名「{username}」已被使用"]
    if db.session.scalar(select(User.id).where(User.identity_hash == identity_hash)):
        key, label = ("id_number", "居民身份证号码") if kind == "person" else ("uscc", "统一社会信用代码")
        fields[key] = [f"该{label}已注册过账号，不能重复注册；如忘记密码，请使用“找回密码”"]
    return fields


def mask_number(number: str) -> str:
    """411302********1234: the region and the last four, as on Chinese receipts and bills."""
    return security.mask(number, 6, 4)


# --- login ------------------------------------------------------------------------------------

def authenticate(username: str, password: str) -> User | None:
    user = db.session.scalar(select(User).where(User.username == (username or "")))
    if user is None or not user.active or not check_password_hash(user.password_hash, password or ""):
        return None
    user.last_login_at = utcnow()
    audit.record(user, "user.login", "user", user.id)
    db.session.commit()
    return user


def load_user(user_id: str) -> User | None:
    try:
        return db.session.get(User, int(user_id))
    except (TypeError, ValueError):
        return None


def landing_endpoint(user) -> str:
    """Where a login lands: the console for department staff and the data authority, else the account."""
    return "console.index" if policies.can_use_console(user) else "account.account"


# --- the account page ---------------------------------------------------------------------------

@dataclass
class AccountInfo:
    username: str
    display_name: str
    kind: str
    kind_label: str
    department: str | None
    identity_label: str | None
    identity_masked: str | None
    agent_name: str | None
    agent_id_masked: str | None
    mobile_masked: str | None
    needs_verification: bool
    verification: str
    verification_label: str
    verification_explained: str
    verification_note: str | None
    verified_at: datetime | None
    suspended_at: datetime | None
    suspension_reason: str | None
    can_obtain_data: bool


def account_info(actor) -> AccountInfo:
    user = db.session.get(User, getattr(actor, "id", None) or 0)
    if user is None:
        raise NotAuthorized("请先登录")
    agent_id = security.decrypt(user.agent_id_encrypted) if user.agent_id_encrypted else None
    return AccountInfo(
        username=user.username, display_name=user.display_name, kind=user.kind, kind_label=KIND_LABELS[user.kind],
        department=user.department.title if user.department else None,
        identity_label={"person": "居民身份证号码", "firm": "统一社会信用代码"}.get(user.kind),
        identity_masked=user.identity_masked, agent_name=user.agent_name,
        agent_id_masked=mask_number(agent_id) if agent_id else None, mobile_masked=user.mobile_masked,
        needs_verification=user.is_public, verification=user.verification,
        verification_label=VERIFICATION_LABELS[user.verification],
        verification_explained=VERIFICATION_EXPLAINED[user.verification],
        verification_note=user.verification_note, verified_at=user.verified_at,
        suspended_at=user.suspended_at, suspension_reason=user.suspension_reason,
        can_obtain_data=policies.can_obtain_data(user))


# --- the data authority: list, suspend, unsuspend, verify ---------------------------------------

@dataclass
class UserRow:
    id: int
    username: str
    display_name: str
    kind: str
    kind_label: str
    identity_masked: str | None
    mobile_masked: str | None
    verification: str
    verification_label: str
    suspended: bool
    suspension_reason: str | None
    created_at: datetime
    last_login_at: datetime | None
    can_suspend: bool = field(default=False)


def list_users(actor, q: str = "", page: int = 1, per_page: int = 20) -> Page:
    if not policies.can_manage_users(actor):
        raise NotAuthorized()
    q = (q or "").strip()[:64].lower()
    where = func.lower(User.username).contains(q, autoescape=True) if q else true()
    total = db.session.scalar(select(func.count(User.id)).where(where)) or 0
    page = max(1, page)
    users = db.session.scalars(select(User).where(where).order_by(User.username)
                               .offset((page - 1) * per_page).limit(per_page))
    items = [UserRow(u.id, u.username, u.display_name, u.kind, KIND_LABELS[u.kind], u.identity_masked,
                     u.mobile_masked, u.verification, VERIFICATION_LABELS[u.verification], u.is_suspended,
                     u.suspension_reason, u.created_at, u.last_login_at, policies.can_suspend_user(actor, u))
             for u in users]
    return Page(items=items, total=total, page=page, per_page=per_page)


def user_id_for(username: str) -> int:
    user_id = db.session.scalar(select(User.id).where(User.username == username))
    if user_id is None:
        raise NotFound(f"用户「{username}」不存在")
    return user_id


def _user(user_id: int) -> User:
    user = db.session.get(User, user_id)
    if user is None:
        raise NotFound("账号不存在")
    return user


def suspend(actor, user_id: int, reason: str) -> None:
    """Art. 41: the account can still log in and browse, but obtains no data until unsuspended."""
    user = _user(user_id)
    if not policies.can_suspend_user(actor, user):
        raise NotAuthorized()
    reason = (reason or "").strip()
    if not reason:
        raise ValidationError("暂停服务须填写理由（第四十一条）")
    if len(reason) > 500:
        raise ValidationError("理由不超过 500 字")
    if user.is_suspended:
        raise ValidationError(f"账号「{user.username}」已处于暂停状态")
    user.suspended_at = utcnow()
    user.suspension_reason = reason
    audit.record(actor, "user.suspend", "user", user.id, {"username": user.username, "reason": reason})
    db.session.commit()


def unsuspend(actor, user_id: int) -> None:
    user = _user(user_id)
    if not policies.can_suspend_user(actor, user):
        raise NotAuthorized()
    if not user.is_suspended:
        raise ValidationError(f"账号「{user.username}」未被暂停")
    previous = user.suspension_reason
    user.suspended_at = None
    user.suspension_reason = None
    audit.record(actor, "user.unsuspend", "user", user.id, {"username": user.username, "previous_reason": previous})
    db.session.commit()


def mark_verified(actor, user_id: int, note: str = "") -> None:
    """The operator confirms an identity outside the queue (`portal users verify`)."""
    identity.decide(actor, user_id, True, note or "数据主管部门（命令行）核验通过")


def ensure_department(actor, slug: str, title: str, description: str = "") -> int:
    if not policies.can_manage_users(actor):
        raise NotAuthorized()
    dept = db.session.scalar(select(Department).where(Department.slug == slug))
    if dept is None:
        dept = Department(slug=slug, title=title, description=description)
        db.session.add(dept)
        db.session.flush()
        audit.record(actor, "department.create", "department", slug, {"title": title})
    db.session.commit()
    return dept.id
