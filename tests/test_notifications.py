"""Notifications: inbox entries (idempotent by key), unread count, marking read, e-mail address,
e-mail delivery to the outbox folder or an SMTP server, retry after an SMTP failure."""

import email
import socket
import socketserver
import threading
from email import policy

import pytest
from sqlalchemy import func, select

from portal.extensions import db
from portal.models import AuditEvent, Notification, User
from portal.services import notifications


def user_id(username) -> int:
    return db.session.scalar(select(User.id).where(User.username == username))


def entries(username=None) -> list[Notification]:
    query = select(Notification).order_by(Notification.id)
    if username:
        query = query.where(Notification.user_id == user_id(username))
    return list(db.session.scalars(query))


def set_email(username, address):
    db.session.get(User, user_id(username)).email = address
    db.session.commit()


def outbox_files(app):
    from pathlib import Path

    folder = Path(app.instance_path) / "outbox" / "mail"
    return sorted(folder.glob("*.eml")) if folder.exists() else []


# --- a tiny SMTP server for the tests --------------------------------------------------------------

class _SMTPHandler(socketserver.StreamRequestHandler):
    def reply(self, line: str) -> None:
        self.wfile.write(line.encode("ascii") + b"\r\n")
        self.wfile.flush()

    def handle(self):
        self.reply("220 test ESMTP")
        rcpt, data = [], None
        while True:
            line = self.rfile.readline()
            if not line:
                return
            command = line.decode("ascii", "replace").strip()
            verb = command[:4].upper()
            if verb in ("EHLO", "HELO"):
                self.reply("250-test" if verb == "EHLO" else "250 test")
                if verb == "EHLO":
                    self.reply("250 8BITMIME")
            elif verb == "MAIL":
                rcpt = []
                self.reply("250 OK")
            elif verb == "RCPT":
                rcpt.append(command.split(":", 1)[1].strip(" <>"))
                self.reply("250 OK")
            elif verb == "DATA":
                self.reply("354 go ahead")
                data = b""
                while True:
                    chunk = self.rfile.readline()
                    if chunk in (b".\r\n", b""):
                        break
                    data += chunk[1:] if chunk.startswith(b"..") else chunk
                self.server.messages.append((rcpt, data))
                self.reply("250 queued")
            elif verb == "QUIT":
                self.reply("221 bye")
                return
            else:
                self.reply("250 OK")


class SMTPServer(socketserver.ThreadingTCPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, port=0):
        super().__init__(("127.0.0.1", port), _SMTPHandler)
        self.messages = []
        threading.Thread(target=self.serve_forever, daemon=True).start()

    @property
    def port(self):
        return self.server_address[1]

    def stop(self):
        self.shutdown()
        self.server_close()


@pytest.fixture
def smtp():
    server = SMTPServer()
    yield server
    server.stop()


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# --- creating entries --------------------------------------------------------------------------------

def test_notify_creates_one_entry_per_distinct_user_and_does_not_commit(app, people):
    with app.app_context():
        staff, head = db.session.get(User, user_id("market-staff")), db.session.get(User, user_id("market-head"))
        created = notifications.notify([staff, None, head, staff, head.id], "申请已受理", "您的申请已受理。",
                                       link="/applications/1")
        assert created == 2
        assert sorted(n.user_id for n in entries()) == sorted([staff.id, head.id])
        db.session.rollback()  # the caller decides: nothing was committed
        assert entries() == []
        assert notifications.notify([None], "x", "y") == 0


def test_a_key_is_delivered_once(app, people):
    with app.app_context():
        uid = user_id("market-staff")
        assert notifications.notify([uid], "距离答复期限还有 3 个工作日", "请及时处理。", key="deadline:7:3") == 1
        db.session.commit()
        assert notifications.notify([uid], "距离答复期限还有 3 个工作日", "请及时处理。", key="deadline:7:3") == 0
        assert notifications.notify([uid, user_id("market-head")], "提醒", "", key="deadline:7:3") == 1
        db.session.commit()
        assert len(entries("market-staff")) == 1 and len(entries("market-head")) == 1
        assert notifications.notify([uid], "另一提醒", "", key="deadline:7:1") == 1  # another key: a new entry
        # no key: every call is a new entry
        assert notifications.notify([uid], "公告", "") + notifications.notify([uid], "公告", "") == 2
        db.session.commit()
        assert len(entries("market-staff")) == 4


def test_a_concurrent_duplicate_is_skipped_by_the_constraint_not_an_error(app, people, monkeypatch):
    """Another sweep committed the same key after our check: the savepoint absorbs the conflict and
    the caller's own work in the same transaction survives, uncommitted."""
    with app.app_context():
        staff, head = user_id("market-staff"), user_id("market-head")
        db.session.add(Notification(user_id=staff, key="k", subject="已有"))
        db.session.commit()
        monkeypatch.setattr(notifications, "_already_notified", lambda key, ids: set())
        assert notifications.notify([staff, head], "提醒", "", key="k") == 1
        assert [n.subject for n in entries("market-staff")] == ["已有"]
        assert [n.subject for n in entries("market-head")] == ["提醒"]
        db.session.rollback()
        assert entries("market-head") == []  # the savepoint did not commit the caller's transaction


def test_notify_as_first_write_of_a_transaction_is_rolled_back_with_it(app, people):
    with app.app_context():
        uid = user_id("transport-staff")
        db.session.commit()
        assert notifications.notify([uid], "提醒", "", key="first-write") == 1
        db.session.rollback()
        assert entries("transport-staff") == []


# --- the inbox ---------------------------------------------------------------------------------------

def _seed(app, username, *subjects, link=None):
    with app.app_context():
        for subject in subjects:
            notifications.notify([user_id(username)], subject, f"{subject}的正文", link=link)
        db.session.commit()
        return [n.id for n in entries(username)]


def test_unread_count_in_the_navigation_and_the_inbox_page(app, client, auth, people):
    _seed(app, "market-staff", "第一条", "第二条")
    _seed(app, "admin", "管理员的消息")
    page = client.get("/").get_data(as_text=True)
    assert "消息 (" not in page
    auth.login("market-staff")
    page = client.get("/datasets").get_data(as_text=True)
    assert "消息 (2)" in page
    inbox = client.get("/account/inbox").get_data(as_text=True)
    assert inbox.index("第二条") < inbox.index("第一条")  # newest first
    assert "管理员的消息" not in inbox and "全部标为已读" in inbox
    with app.app_context():
        assert notifications.unread_count(db.session.get(User, user_id("market-staff"))) == 2


def test_inbox_requires_login(client):
    response = client.get("/account/inbox")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_inbox_is_paginated(app, client, auth, people):
    _seed(app, "market-staff", *[f"消息{i:02d}" for i in range(25)])
    auth.login("market-staff")
    first = client.get("/account/inbox").get_data(as_text=True)
    second = client.get("/account/inbox?page=2").get_data(as_text=True)
    assert "消息24" in first and "消息00" not in first
    assert "消息00" in second and "消息24" not in second
    with app.app_context():
        page = notifications.inbox(db.session.get(User, user_id("market-staff")), page=2, per_page=20)
        assert page.total == 25 and len(page.items) == 5 and page.items[0].read is False


def test_mark_read_follows_its_link_and_only_for_its_owner(app, client, auth, people):
    own = _seed(app, "market-staff", "申请已受理", link="/account/downloads")[0]
    other = _seed(app, "admin", "不是你的")[0]
    auth.login("market-staff")
    response = client.post(f"/account/inbox/{own}/read")
    assert response.status_code == 302 and response.headers["Location"].endswith("/account/downloads")
    assert client.post(f"/account/inbox/{other}/read").status_code == 404
    assert client.post("/account/inbox/999999/read").status_code == 404
    with app.app_context():
        assert entries("market-staff")[0].read_at is not None
        assert entries("admin")[0].read_at is None
    assert "消息 (" not in client.get("/datasets").get_data(as_text=True)


def test_a_foreign_link_is_not_followed(app, client, auth, people):
    ids = [_seed(app, "market-staff", "可疑", link=link)[-1] for link in ("https://evil.example/x", "//evil.example")]
    auth.login("market-staff")
    for nid in ids:
        response = client.post(f"/account/inbox/{nid}/read")
        assert response.headers["Location"].endswith("/account/inbox")


def test_read_all(app, client, auth, people):
    _seed(app, "market-staff", "一", "二", "三")
    _seed(app, "admin", "管理员")
    auth.login("market-staff")
    response = client.post("/account/inbox/read-all", follow_redirects=True)
    assert response.status_code == 200 and "已将 3 条消息标为已读" in response.get_data(as_text=True)
    with app.app_context():
        assert all(n.read_at for n in entries("market-staff"))
        assert entries("admin")[0].read_at is None
        assert notifications.mark_all_read(db.session.get(User, user_id("market-staff"))) == 0


# --- the e-mail address -------------------------------------------------------------------------------

def test_set_and_clear_the_notification_email(app, client, auth, people):
    auth.login("market-staff")
    assert "通知邮箱" in client.get("/account").get_data(as_text=True)
    assert client.get("/account/email").status_code == 200
    response = client.post("/account/email", data={"email": "zhang.wei@example.com"})
    assert response.status_code == 302
    assert "zhang.wei@example.com" in client.get("/account").get_data(as_text=True)
    for bad in ("not-an-address", "a@b", "x" * 190 + "@example.com", "a b@example.com"):
        assert client.post("/account/email", data={"email": bad}).status_code == 422, bad
    with app.app_context():
        assert db.session.get(User, user_id("market-staff")).email == "zhang.wei@example.com"
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.email_set"))
        assert "zhang.wei@example.com" not in str(event.detail) and event.detail["to"] == "z***@e***.com"
    assert client.post("/account/email", data={"email": ""}).status_code == 302
    with app.app_context():
        assert db.session.get(User, user_id("market-staff")).email is None
        assert db.session.scalar(select(func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.action == "user.email_clear")) == 1


# --- e-mail delivery -----------------------------------------------------------------------------------

def test_without_mail_server_an_eml_lands_in_the_outbox(app, people):
    with app.app_context():
        set_email("market-staff", "staff@example.com")
        notifications.notify([user_id("market-staff"), user_id("admin")], "您的数据申请已获批准", "请在有效期内使用。",
                             link="/account/downloads")
        db.session.commit()
        assert notifications.after_commit_deliver() is True  # JOBS_IMMEDIATE: the job ran inline
        assert notifications.after_commit_deliver() is False
        files = outbox_files(app)
        assert len(files) == 1  # admin has no address
        msg = email.message_from_bytes(files[0].read_bytes(), policy=policy.default)
        assert msg["Subject"] == "您的数据申请已获批准"
        assert msg["To"] == "staff@example.com"
        assert "南阳市政务数据开放平台" in str(msg["From"])
        raw_headers = files[0].read_bytes().split(b"\n\n", 1)[0]
        assert raw_headers.isascii()  # RFC 2047 encoded
        assert "请在有效期内使用。" in msg.get_content() and "/account/downloads" in msg.get_content()
        assert entries("market-staff")[0].emailed_at is not None
        assert entries("admin")[0].emailed_at is None
        assert notifications.deliver_pending() == 0  # nothing left: not sent twice
        assert len(outbox_files(app)) == 1


def test_with_mail_server_the_message_arrives_by_smtp(app, people, smtp):
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=smtp.port, MAIL_SITE_URL="https://data.nanyang.gov.cn")
    with app.app_context():
        set_email("market-head", "head@example.com")
        notifications.notify([user_id("market-head")], "有新的开放申请待办理", "申请人：张三", link="/console")
        db.session.commit()
        notifications.after_commit_deliver()
        assert len(smtp.messages) == 1
        rcpt, data = smtp.messages[0]
        assert rcpt == ["head@example.com"]
        msg = email.message_from_bytes(data, policy=policy.default)
        assert msg["Subject"] == "有新的开放申请待办理"
        assert "https://data.nanyang.gov.cn/console" in msg.get_content()
        assert entries("market-head")[0].emailed_at is not None
        assert outbox_files(app) == []


def test_an_smtp_failure_keeps_the_mail_queued_and_a_later_run_sends_it(app, people, caplog):
    port = free_port()  # nothing listens here
    app.config.update(MAIL_SERVER="127.0.0.1", MAIL_PORT=port)
    with app.app_context():
        set_email("market-staff", "staff@example.com")
        notifications.notify([user_id("market-staff")], "提醒一", "")
        notifications.notify([user_id("market-staff")], "提醒二", "")
        db.session.commit()
        notifications.after_commit_deliver()  # the job fails quietly
        assert notifications.deliver_pending() == 0
        assert [n.emailed_at for n in entries("market-staff")] == [None, None]
        assert "will retry" in caplog.text and "staff@example.com" not in caplog.text
        server = SMTPServer(port)
        try:
            assert notifications.deliver_pending() == 2
            assert sorted(email.message_from_bytes(d, policy=policy.default)["Subject"]
                          for _, d in server.messages) == ["提醒一", "提醒二"]
        finally:
            server.stop()
        assert all(n.emailed_at for n in entries("market-staff"))
