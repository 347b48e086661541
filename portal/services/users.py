"""Staff accounts and login. Public registration and identity checks come with the accounts issue."""

import re

from sqlalchemy import select
from werkzeug.security import check_password_hash, generate_password_hash

from .. import policies
from ..errors import NotAuthorized, ValidationError
from ..extensions import db
from ..models import USER_KINDS, Department, User, utcnow
from . import audit

USERNAME = re.compile(r"^[A-Za-z0-9_.-]{3,64}$")
MIN_PASSWORD = 8


def create_user(actor, username: str, password: str, kind: str, display_name: str,
                department: str | None = None) -> int:
    if not policies.can_manage_users(actor):
        raise NotAuthorized()
    problems = []
    if not USERNAME.match(username or ""):
        problems.append("用户名须为 3–64 位字母、数字、下划线、点或连字符")
    if len(password or "") < MIN_PASSWORD:
        problems.append(f"密码至少 {MIN_PASSWORD} 位")
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
    user = User(username=username, password_hash=generate_password_hash(password), kind=kind,
                display_name=display_name or username, department=dept)
    db.session.add(user)
    db.session.flush()
    audit.record(actor, "user.create", "user", user.id, {"kind": kind, "username": username})
    db.session.commit()
    return user.id


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
