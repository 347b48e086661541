"""Notifications: an in-app inbox per user, and e-mail through an outbox (issue 6 item 5).

`notify` adds inbox entries inside the caller's transaction and never commits: the entry is
committed together with the change it announces, or not at all. E-mail goes out after the commit:
entries stay `emailed_at IS NULL` until `deliver_pending` sends them, run by the `deliver_mail`
job (enqueue it with `after_commit_deliver()` after `db.session.commit()`) and by the deadline
sweep. A failed delivery leaves the entry queued; the next run retries it (at-least-once).
"""

import re
from dataclasses import dataclass
from datetime import datetime
from urllib.parse import urlsplit

from flask import current_app
from sqlalchemy import func, select, update
from sqlalchemy.exc import IntegrityError

from .. import policies
from ..errors import NotAuthorized, NotFound, ValidationError
from ..extensions import db
from ..models import Notification, User, utcnow
from . import audit, mailer
from .views import Page

MAIL_PENDING = "notifications.mail_pending"  # session.info flag: a committed notify may have mail to send
EMAIL_MAX = 200
_EMAIL = re.compile(r"^[A-Za-z0-9.!#$%&'*+/=?^_`{|}~-]+@[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?"
                    r"(?:\.[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?)+$")


@dataclass
class NotificationInfo:
    id: int
    subject: str
    body: str
    link: str | None
    created_at: datetime
    read: bool


# --- creating ---------------------------------------------------------------------------------

def notify(users, subject: str, body: str, link: str | None = None, key: str | None = None) -> int:
    """One inbox entry per distinct user (None entries ignored; users or user ids). With `key`, a user
    never gets the same key twice, also under concurrency (unique (user_id, key) + savepoint).
    Does not commit. Returns how many entries were created."""
    user_ids: list[int] = []
    for user in users or ():
        if user is None:
            continue
        uid = user if isinstance(user, int) else getattr(user, "id", None)
        if uid is not None and uid not in user_ids:
            user_ids.append(uid)
    if not user_ids:
        return 0
    subject = (subject or "").strip()[:200] or "平台通知"
    link = (link or None) and link[:300]
    if key is not None:
        had = _already_notified(key, user_ids)
        user_ids = [uid for uid in user_ids if uid not in had]
    created = []
    for uid in user_ids:
        entry = Notification(user_id=uid, key=key, subject=subject, body=body or "", link=link)
        if key is None:
            db.session.add(entry)
            created.append(uid)
            continue
        ensure_transaction()
        try:
            with db.session.begin_nested():  # a concurrent sweep inserted the same key: skip, not fail
                db.session.add(entry)
        except IntegrityError:
            continue
        created.append(uid)
    if created:
        db.session.flush()
        if db.session.scalar(select(func.count()).select_from(User).where(
                User.id.in_(created), User.email.is_not(None), User.email != "")):
            db.session.info[MAIL_PENDING] = True
    return len(created)


def _already_notified(key: str, user_ids: list[int]) -> set[int]:
    """The cheap common case; a concurrent insert after this check is caught by the unique constraint."""
    return set(db.session.scalars(select(Notification.user_id).where(
        Notification.key == key, Notification.user_id.in_(user_ids))))


def ensure_transaction() -> None:
    """SQLite (pysqlite) opens its transaction lazily, at the first INSERT/UPDATE/DELETE; a SAVEPOINT
    issued before that would itself be the outermost transaction and its RELEASE would commit the
    caller's work. Open the transaction explicitly first."""
    conn = db.session.connection()
    if conn.dialect.name == "sqlite":
        dbapi = conn.connection.dbapi_connection
        if not dbapi.in_transaction:
            conn.exec_driver_sql("BEGIN")


def after_commit_deliver() -> bool:
    """Call after `db.session.commit()`: enqueue the e-mail job if a committed `notify` created entries
    for users with an e-mail address. Returns whether a job was enqueued."""
    if not db.session.info.pop(MAIL_PENDING, False):
        return False
    from .. import jobs

    jobs.deliver_mail()
    return True


# --- the inbox ----------------------------------------------------------------------------------

def _user_id(actor) -> int:
    uid = getattr(actor, "id", None)
    if not getattr(actor, "is_authenticated", False) or uid is None:
        raise NotAuthorized("请先登录")
    return uid


def unread_count(actor) -> int:
    uid = getattr(actor, "id", None)
    if not getattr(actor, "is_authenticated", False) or uid is None:
        return 0
    return db.session.scalar(select(func.count()).select_from(Notification).where(
        Notification.user_id == uid, Notification.read_at.is_(None))) or 0


def inbox(actor, page: int = 1, per_page: int = 20) -> Page:
    uid = _user_id(actor)
    per_page = max(1, min(int(per_page), 100))
    total = db.session.scalar(select(func.count()).select_from(Notification).where(Notification.user_id == uid)) or 0
    page = max(1, min(int(page), max(1, -(-total // per_page))))
    rows = db.session.scalars(select(Notification).where(Notification.user_id == uid)
                              .order_by(Notification.created_at.desc(), Notification.id.desc())
                              .offset((page - 1) * per_page).limit(per_page)).all()
    items = [NotificationInfo(n.id, n.subject, n.body, n.link, n.created_at, n.read_at is not None) for n in rows]
    return Page(items=items, total=total, page=page, per_page=per_page)


def mark_read(actor, notification_id: int) -> str | None:
    """Marks one's own entry read; returns its link (local links only) to follow. Someone else's: 404."""
    _user_id(actor)
    entry = db.session.get(Notification, notification_id)
    if entry is None or not policies.can_read_notification(actor, entry):
        raise NotFound("消息不存在")
    if entry.read_at is None:
        entry.read_at = utcnow()
        db.session.commit()
    return local_link(entry.link)


def mark_all_read(actor) -> int:
    uid = _user_id(actor)
    result = db.session.execute(update(Notification).where(Notification.user_id == uid,
                                                           Notification.read_at.is_(None)).values(read_at=utcnow()))
    db.session.commit()
    return result.rowcount or 0


def local_link(link: str | None) -> str | None:
    """A path on this site ("/applications/12"), never another host ("//evil", "https://…", "\\\\x")."""
    if not link or "\\" in link or any(ord(c) < 32 for c in link):
        return None
    parts = urlsplit(link)
    if parts.scheme or parts.netloc or not link.startswith("/") or link.startswith("//"):
        return None
    return link


# --- the notification e-mail address ---------------------------------------------------------------

def notification_email(actor) -> str | None:
    uid = _user_id(actor)
    return db.session.scalar(select(User.email).where(User.id == uid))


def mask_email(address: str | None) -> str | None:
    """zhang.wei@example.com -> z***@e***.com: the audit log records that it changed, not to what."""
    if not address:
        return None
    local, _, domain = address.rpartition("@")
    host, dot, tld = domain.rpartition(".")
    return f"{local[:1]}***@{host[:1]}***{dot}{tld}" if host else f"{local[:1]}***@***"


def set_email(actor, address: str | None) -> str | None:
    """Set (or, with an empty value, clear) one's own notification e-mail address. Commits, audited."""
    uid = _user_id(actor)
    address = (address or "").strip() or None
    if address is not None:
        if len(address) > EMAIL_MAX:
            raise ValidationError(f"电子邮箱地址不能超过 {EMAIL_MAX} 个字符")
        if not _EMAIL.match(address) or len(address.rpartition("@")[0]) > 64:
            raise ValidationError("请填写有效的电子邮箱地址，例如 name@example.com")
    user = db.session.get(User, uid)
    if user is None:
        raise NotFound("账号不存在")
    if user.email == address:
        return address
    previous = user.email
    user.email = address
    audit.record(actor, "user.email_set" if address else "user.email_clear", "user", user.id,
                 {"from": mask_email(previous), "to": mask_email(address)})
    db.session.commit()
    return address


# --- e-mail delivery ------------------------------------------------------------------------------

def deliver_pending(limit: int = 200) -> int:
    """E-mail the entries not yet e-mailed whose user has an address; returns how many were sent.

    Each entry is claimed by a conditional UPDATE (emailed_at IS NULL -> now) in its own transaction
    and committed only after the send succeeded: a concurrent run skips it, a failure (or a crash)
    rolls the claim back so the next run retries. A connection failure ends the run early.
    Commits the session: call it after committing one's own work, never in the middle of it."""
    db.session.info.pop(MAIL_PENDING, None)
    ids = db.session.scalars(
        select(Notification.id).join(User, User.id == Notification.user_id)
        .where(Notification.emailed_at.is_(None), User.email.is_not(None), User.email != "")
        .order_by(Notification.id).limit(limit)).all()
    db.session.commit()
    sent = 0
    for nid in ids:
        claimed = db.session.execute(update(Notification).where(
            Notification.id == nid, Notification.emailed_at.is_(None)).values(emailed_at=utcnow()))
        if claimed.rowcount != 1:
            db.session.rollback()
            continue
        row = db.session.execute(
            select(Notification.subject, Notification.body, Notification.link, User.email, User.display_name)
            .join(User, User.id == Notification.user_id).where(Notification.id == nid)).one()
        if not row.email:
            db.session.rollback()
            continue
        try:
            mailer.send_mail(row.email, row.subject, _mail_text(row.display_name, row.body, row.link))
        except mailer.DELIVERY_ERRORS as exc:
            db.session.rollback()
            current_app.logger.warning("notification %s: e-mail to %s not delivered, will retry: %s",
                                       nid, mask_email(row.email), exc)
            if _connection_failure(exc):
                break
            continue
        db.session.commit()
        sent += 1
    return sent


def _connection_failure(exc: Exception) -> bool:
    """The server is down or refuses us: trying the rest of the batch now would only wait for timeouts."""
    import smtplib

    # Refusals of one message or one recipient: the next message may well go through. Everything
    # else (refused connection, timeout, TLS, authentication, disconnect; SMTPException is an
    # OSError) concerns the server.
    return not isinstance(exc, smtplib.SMTPRecipientsRefused | smtplib.SMTPSenderRefused | smtplib.SMTPDataError)


def _mail_text(display_name: str, body: str, link: str | None) -> str:
    lines = [f"{display_name}，您好：", "", body or ""]
    link = local_link(link) or (link if link and urlsplit(link).scheme in ("http", "https") else None)
    if link:
        base = (current_app.config.get("MAIL_SITE_URL") or "").rstrip("/")
        lines += ["", f"查看详情：{base + link if link.startswith('/') else link}"]
    lines += ["", "—— 南阳市政务数据开放平台（本邮件由系统自动发送，请勿直接回复；"
              "您可在平台“我的账号”页面修改或取消通知邮箱）"]
    return "\n".join(lines) + "\n"
