"""Registration of citizens and firms, identity verification, login limits, passwords, account page."""

from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import func, inspect, select, text

from anonymization.identifiers import id_check_digit, uscc_check_char
from portal import create_app, policies, security
from portal.extensions import db
from portal.models import AuditEvent, PasswordReset, User, utcnow
from portal.services import identity
from tests.conftest import PASSWORD


def valid_id(first17: str) -> str:
    return first17 + id_check_digit(first17)


def valid_uscc(first17: str) -> str:
    return first17 + uscc_check_char(first17)


ID_1985 = valid_id("41130219850317123")  # 宛城区, born 1985: valid although the region code changed
AGENT_ID = valid_id("41132819900101002")
USCC = valid_uscc("91411300MA40A1B2C")
MOBILE = "13837712345"


def person_form(**overrides) -> dict:
    data = {"username": "zhang-san", "password": PASSWORD, "confirm": PASSWORD, "display_name": "张三",
            "id_number": ID_1985, "mobile": MOBILE, "accept_terms": "y"}
    return data | overrides


def firm_form(**overrides) -> dict:
    data = {"username": "wanxi-pharma", "password": PASSWORD, "confirm": PASSWORD,
            "display_name": "南阳宛西医药有限公司", "uscc": USCC, "agent_name": "李四", "agent_id_number": AGENT_ID,
            "mobile": "13937754321", "accept_terms": "y"}
    return data | overrides


def user_named(app, username) -> User | None:
    with app.app_context():
        return db.session.scalar(select(User).where(User.username == username))


def user_count(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count(User.id)))


def register(client, **overrides):
    return client.post("/register", data=person_form(**overrides))


# --- registration -------------------------------------------------------------------------------

def test_person_registers_and_lands_on_account_page(app, client):
    response = register(client)
    assert response.status_code == 302 and response.headers["Location"].endswith("/account")
    page = client.get("/account").get_data(as_text=True)
    assert "411302********1234"[:6] in page and ID_1985[-4:] in page and ID_1985 not in page
    assert "138****2345" in page and MOBILE not in page
    assert "已核验" in page and "/account/tokens" in page and "/account/downloads" in page
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "zhang-san"))
        assert user.kind == "person" and user.display_name == "张三" and user.verification == "verified"
        assert user.identity_hash == security.lookup_hash("id", ID_1985)
        assert security.decrypt(user.identity_encrypted) == ID_1985
        assert security.decrypt(user.mobile_encrypted) == MOBILE
        assert user.identity_masked == ID_1985[:6] + "*" * 8 + ID_1985[-4:]
        assert user.password_hash.startswith("pbkdf2:sha256:1000$")  # the suite's configured method
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "user.register"))
        assert event.detail["identity"] == user.identity_masked and ID_1985 not in str(event.detail)
        assert policies.can_obtain_data(user)


def test_firm_registers_with_agent(app, client):
    response = client.post("/register?kind=firm", data=firm_form())
    assert response.status_code == 302
    with app.app_context():
        user = db.session.scalar(select(User).where(User.username == "wanxi-pharma"))
        assert user.kind == "firm" and user.display_name == "南阳宛西医药有限公司" and user.agent_name == "李四"
        assert user.identity_hash == security.lookup_hash("uscc", USCC)
        assert user.agent_id_hash == security.lookup_hash("id", AGENT_ID)
        assert security.decrypt(user.agent_id_encrypted) == AGENT_ID
    page = client.get("/account").get_data(as_text=True)
    assert "统一社会信用代码" in page and USCC not in page and AGENT_ID not in page and "李四" in page


def test_register_page_offers_both_kinds(client):
    assert "居民身份证号码" in client.get("/register").get_data(as_text=True)
    firm = client.get("/register?kind=firm").get_data(as_text=True)
    assert "统一社会信用代码" in firm and "经办人" in firm


@pytest.mark.parametrize("overrides, message", [
    ({"id_number": ID_1985[:17] + ("0" if ID_1985[17] != "0" else "1")}, "GB 11643 校验位错误"),
    ({"id_number": valid_id("41130219900230123")}, "出生日期 1990-02-30 不存在"),
    ({"id_number": "41130219850317"}, "应为18位"),
    ({"mobile": "12345678901"}, "手机号码应为 11 位数字"),
    ({"mobile": "1383771234"}, "手机号码应为 11 位数字"),
    ({"username": "张三"}, "用户名须为"),
    ({"password": "short", "confirm": "short"}, "密码至少 8 位"),
    ({"confirm": "something-else-1"}, "两次输入的密码不一致"),
    ({"accept_terms": ""}, "请阅读并同意平台服务协议"),
    ({"display_name": "张3"}, "真实姓名"),
])
def test_refusals_name_the_reason_and_store_nothing(app, client, overrides, message):
    response = register(client, **overrides)
    assert response.status_code == 422
    assert message in response.get_data(as_text=True)
    assert user_count(app) == 0


def test_firm_with_bad_credit_code_is_refused(app, client):
    bad = USCC[:17] + ("0" if USCC[17] != "0" else "1")
    response = client.post("/register?kind=firm", data=firm_form(uscc=bad))
    assert response.status_code == 422 and "统一社会信用代码校验码错误（GB 32100）" in response.get_data(as_text=True)
    assert user_count(app) == 0


def test_same_identity_registers_once(app, client, auth):
    assert register(client).status_code == 302
    auth.logout()
    again = register(client, username="zhang-san-2", id_number=" " + ID_1985.lower() + " ")
    assert again.status_code == 422 and "该居民身份证号码已注册过账号" in again.get_data(as_text=True)
    assert user_count(app) == 1


def test_lower_case_x_is_the_same_identity(app, client, auth):
    first17 = next(f"4113031970010{n:04d}" for n in range(1000, 9999)
                   if id_check_digit(f"4113031970010{n:04d}") == "X")
    assert register(client, id_number=first17 + "x").status_code == 302
    assert user_named(app, "zhang-san").identity_masked.endswith("X")
    auth.logout()
    assert register(client, username="other-name", id_number=first17 + "X").status_code == 422


def test_username_is_taken(app, client, auth):
    assert register(client).status_code == 302
    auth.logout()
    response = register(client, id_number=AGENT_ID)
    assert response.status_code == 422 and "用户名「zhang-san」已被使用" in response.get_data(as_text=True)


def test_concurrent_duplicate_is_a_422_not_a_500(app, client, auth, monkeypatch):
    """Both requests pass the look-up before either commits: the unique index decides."""
    from portal.services import users

    assert register(client).status_code == 302
    auth.logout()
    real = users._duplicates
    calls = []

    def miss_first_time(*args):
        calls.append(args)
        return {} if len(calls) == 1 else real(*args)

    monkeypatch.setattr(users, "_duplicates", miss_first_time)
    response = register(client, username="zhang-san-2")
    assert response.status_code == 422 and "已注册过账号" in response.get_data(as_text=True)
    assert user_count(app) == 1


def test_csrf_token_is_required(config, app):
    protected = create_app(config | {"WTF_CSRF_ENABLED": True})
    response = protected.test_client().post("/register", data=person_form())
    assert response.status_code == 400 and "CSRF" in response.get_data(as_text=True)
    assert user_count(app) == 0


def test_logged_in_users_are_sent_to_their_account(client, auth, people):
    auth.login("market-staff")
    assert client.get("/register").status_code == 302


def _stored_text(app) -> str:
    """Everything the database holds for accounts and audit events, as the disk or a DBA sees it."""
    with app.app_context():
        if db.engine.dialect.name == "sqlite":
            path = Path(db.engine.url.database)
            files = [path, path.with_name(path.name + "-wal")]
            return b"".join(f.read_bytes() for f in files if f.exists()).decode("latin-1")
        with db.engine.connect() as conn:
            columns = [c["name"] for c in inspect(conn).get_columns("account")]
            rows = conn.execute(text(f"SELECT {', '.join(f'CAST({c} AS TEXT)' for c in columns)} FROM account"))
            audit = conn.execute(text("SELECT CAST(detail AS TEXT) FROM audit_event"))
            return " ".join(str(v) for row in [*rows, *audit] for v in row)


def test_identifiers_are_encrypted_at_rest(app, client, auth):
    assert register(client).status_code == 302
    auth.logout()
    assert client.post("/register?kind=firm", data=firm_form()).status_code == 302
    stored = _stored_text(app)
    assert "zhang-san" in stored  # the check does see the rows
    for secret in (ID_1985, MOBILE, USCC, AGENT_ID, "13937754321"):
        assert secret not in stored


# --- identity verifiers -------------------------------------------------------------------------

class PlatformVerifier:
    """Stands in for the provincial identity platform."""

    def verify(self, claim):
        if claim.name == "王五":
            return identity.Verdict("rejected", "姓名与证件号码不一致")
        return identity.Verdict("verified", f"省统一身份认证平台核验通过（{claim.kind}）")


class BrokenVerifier:
    def verify(self, claim):
        raise ConnectionError("platform down")


def test_adapter_by_dotted_path(app, client, auth):
    app.config["IDENTITY_VERIFIER"] = "tests.test_accounts:PlatformVerifier"
    assert register(client).status_code == 302
    user = user_named(app, "zhang-san")
    assert user.verification == "verified" and "省统一身份认证平台" in user.verification_note
    auth.logout()
    assert register(client, username="wang-wu", display_name="王五", id_number=AGENT_ID).status_code == 302
    assert user_named(app, "wang-wu").verification == "rejected"
    page = client.get("/account").get_data(as_text=True)
    assert "核验未通过" in page and "姓名与证件号码不一致" in page and "不能下载数据" in page


def test_failing_adapter_queues_the_account(app, client):
    app.config["IDENTITY_VERIFIER"] = "tests.test_accounts:BrokenVerifier"
    assert register(client).status_code == 302
    assert user_named(app, "zhang-san").verification == "pending"


def test_manual_verifier_leaves_the_account_pending(app, client):
    app.config["IDENTITY_VERIFIER"] = "manual"
    assert register(client).status_code == 302
    user = user_named(app, "zhang-san")
    assert user.verification == "pending" and not policies.can_obtain_data(user)
    page = client.get("/account").get_data(as_text=True)
    assert "待核验" in page and "可以浏览、搜索数据目录，但不能下载数据" in page


# --- login --------------------------------------------------------------------------------------

def test_public_users_land_on_account_and_staff_on_console(client, auth, people):
    register(client)
    auth.logout()
    assert auth.login("zhang-san").headers["Location"].endswith("/account")
    auth.logout()
    assert "/console" in auth.login("market-staff").headers["Location"]


def test_login_attempts_are_limited_per_address_and_per_user_name(config, app):
    limited = create_app(config | {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://"})
    client = limited.test_client()
    for _ in range(10):
        assert client.post("/login", data={"username": "nobody", "password": "wrong-pass"}).status_code == 401
    response = client.post("/login", data={"username": "someone-else", "password": "wrong-pass"})
    assert response.status_code == 429 and "请求过于频繁" in response.get_data(as_text=True)
    assert client.get("/login").status_code == 200  # only attempts count

    # the same user name from many addresses
    for i in range(10):
        attempt = client.post("/login", data={"username": "target", "password": "x" * 8},
                              environ_base={"REMOTE_ADDR": f"10.0.0.{i}"})
        assert attempt.status_code == 401
    blocked = client.post("/login", data={"username": "Target", "password": "x" * 8},
                          environ_base={"REMOTE_ADDR": "10.0.1.1"})
    assert blocked.status_code == 429
    with limited.app_context():
        db.engine.dispose()


# --- passwords ----------------------------------------------------------------------------------

def _outbox(app) -> list[Path]:
    return sorted((Path(app.instance_path) / "outbox").glob("*.txt"))


def _reset_link(app) -> str:
    body = _outbox(app)[-1].read_text(encoding="utf-8")
    return next(line for line in body.splitlines() if "/password/reset/" in line).split("localhost", 1)[1]


NEUTRAL = "如果该用户名存在，重置密码的链接已发送"


def test_password_reset_happy_path_and_single_use(app, client, auth):
    register(client)
    auth.logout()
    unknown = client.post("/password/reset", data={"username": "no-such-user"})
    assert unknown.status_code == 200 and NEUTRAL in unknown.get_data(as_text=True)
    assert _outbox(app) == []
    known = client.post("/password/reset", data={"username": "zhang-san"})
    assert known.status_code == 200 and NEUTRAL in known.get_data(as_text=True)
    message = _outbox(app)[0]
    assert message.name.endswith("-zhang-san.txt") and MOBILE not in message.read_text(encoding="utf-8")
    link = _reset_link(app)
    with app.app_context():
        stored = db.session.scalar(select(PasswordReset))
        assert link.rsplit("/", 1)[1] not in stored.token_hash and len(stored.token_hash) == 64
    assert client.get(link).status_code == 200
    mismatch = client.post(link, data={"new": "brand-new-pw-1", "confirm": "other"})
    assert mismatch.status_code == 422
    done = client.post(link, data={"new": "brand-new-pw-1", "confirm": "brand-new-pw-1"})
    assert done.status_code == 302
    assert auth.login("zhang-san", "brand-new-pw-1").status_code == 302
    auth.logout()
    again = client.post(link, data={"new": "another-pw-22", "confirm": "another-pw-22"})
    assert again.status_code == 410 and "已使用过" in again.get_data(as_text=True)
    assert auth.login("zhang-san", "another-pw-22").status_code == 401


def test_expired_and_unknown_reset_links(app, client, auth):
    register(client)
    auth.logout()
    client.post("/password/reset", data={"username": "zhang-san"})
    link = _reset_link(app)
    with app.app_context():
        reset = db.session.scalar(select(PasswordReset))
        reset.expires_at = utcnow() - timedelta(minutes=1)
        db.session.commit()
    expired = client.post(link, data={"new": "brand-new-pw-1", "confirm": "brand-new-pw-1"})
    assert expired.status_code == 410 and "已过期" in expired.get_data(as_text=True)
    unknown = client.get("/password/reset/not-a-real-token")
    assert unknown.status_code == 404 and "链接无效" in unknown.get_data(as_text=True)
    assert auth.login("zhang-san").status_code == 302


def test_change_password_needs_the_current_one(app, client, auth):
    register(client)
    wrong = client.post("/account/password", data={"current": "not-my-password", "new": "brand-new-pw-1",
                                                   "confirm": "brand-new-pw-1"})
    assert wrong.status_code == 422 and "当前密码不正确" in wrong.get_data(as_text=True)
    ok = client.post("/account/password", data={"current": PASSWORD, "new": "brand-new-pw-1",
                                                "confirm": "brand-new-pw-1"})
    assert ok.status_code == 302
    auth.logout()
    assert auth.login("zhang-san").status_code == 401
    assert auth.login("zhang-san", "brand-new-pw-1").status_code == 302


def test_account_page_needs_login(client):
    response = client.get("/account")
    assert response.status_code == 302 and "/login" in response.headers["Location"]


def test_staff_account_page(client, auth, people):
    auth.login("market-staff")
    page = client.get("/account").get_data(as_text=True)
    assert "部门经办人" in page and "南阳市市场监督管理局" in page and "无需核验" in page


def test_passwords_are_hashed_with_scrypt_by_default(app):
    from portal import config

    assert config.DEFAULTS["PASSWORD_HASH_METHOD"] == "scrypt"
    with app.app_context():
        app.config["PASSWORD_HASH_METHOD"] = config.DEFAULTS["PASSWORD_HASH_METHOD"]
        assert security.hash_password("correct-horse-42").startswith("scrypt:")
