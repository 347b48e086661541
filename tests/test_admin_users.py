"""The data authority's screens and commands: user list, suspension (art. 41), verification queue."""

import json

import pytest
from sqlalchemy import select

from portal import policies
from portal.extensions import db
from portal.models import AuditEvent, User
from portal.policies import SYSTEM
from portal.services import users
from tests.test_accounts import AGENT_ID, ID_1985, MOBILE, USCC, person_form, valid_id


def make_person(app, username="zhang-san", number=ID_1985, mobile=MOBILE, name="张三", verified=False) -> int:
    with app.app_context():
        return users.register(SYSTEM, users.Registration(kind="person", username=username, password="long-enough-1",
                                                         display_name=name, mobile=mobile, id_number=number),
                              verified=verified)


def load(app, user_id) -> User:
    with app.app_context():
        return db.session.get(User, user_id)


def actions(app, action) -> list[AuditEvent]:
    with app.app_context():
        return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


@pytest.mark.parametrize("path", ["/admin/users", "/admin/verifications"])
@pytest.mark.parametrize("who", ["market-staff", "market-head", "zhang-san"])
def test_admin_pages_are_forbidden_to_others(app, client, auth, people, path, who):
    make_person(app)
    auth.login(who, "long-enough-1" if who == "zhang-san" else "correct-horse-42")
    assert client.get(path).status_code == 403
    assert client.post("/admin/users/1/suspend", data={"reason": "x"}).status_code in (403, 404)


def test_admin_pages_need_login(client):
    assert client.get("/admin/users").status_code == 302


def test_user_list_shows_masked_identifiers_only(app, client, auth, people):
    make_person(app)
    auth.login("admin")
    page = client.get("/admin/users").get_data(as_text=True)
    assert "zhang-san" in page and "market-staff" in page
    assert ID_1985 not in page and MOBILE not in page
    assert ID_1985[:6] + "********" + ID_1985[-4:] in page and "138****2345" in page
    assert "管理" in page  # the nav entry


def test_user_list_searches_by_username_and_pages_by_20(app, client, auth, people):
    for i in range(22):
        make_person(app, f"citizen-{i:02d}", valid_id(f"41130219800101{i:03d}"), f"139377{i:05d}", "王芳")
    auth.login("admin")
    found = client.get("/admin/users?q=CITIZEN-0").get_data(as_text=True)
    assert "citizen-05" in found and "citizen-15" not in found and "market-staff" not in found
    first = client.get("/admin/users").get_data(as_text=True)
    assert first.count("<tr>") - 1 == 20 and "第 1 / 2 页" in first
    second = client.get("/admin/users?page=2").get_data(as_text=True)
    assert second.count("<tr>") - 1 == 6
    assert "没有符合条件的账号" in client.get("/admin/users?q=%25").get_data(as_text=True)


def test_suspension_stops_obtaining_data_and_is_audited(app, client, auth, people):
    user_id = make_person(app, verified=True)
    assert policies.can_obtain_data(load(app, user_id))
    auth.login("admin")
    refused = client.post(f"/admin/users/{user_id}/suspend", data={"reason": "  "})
    assert refused.status_code == 422 and "须填写理由" in refused.get_data(as_text=True)
    assert client.post(f"/admin/users/{user_id}/suspend", data={"reason": "转售有条件开放数据"}).status_code == 302
    suspended = load(app, user_id)
    assert suspended.is_suspended and suspended.suspension_reason == "转售有条件开放数据"
    assert not policies.can_obtain_data(suspended)
    assert actions(app, "user.suspend")[0].detail["reason"] == "转售有条件开放数据"
    auth.logout()
    auth.login("zhang-san", "long-enough-1")
    page = client.get("/account").get_data(as_text=True)
    assert "暂停" in page and "转售有条件开放数据" in page
    assert client.get("/datasets").status_code == 200  # still browses
    auth.logout()
    auth.login("admin")
    assert client.post(f"/admin/users/{user_id}/unsuspend").status_code == 302
    assert policies.can_obtain_data(load(app, user_id)) and actions(app, "user.unsuspend")


def test_admin_cannot_suspend_an_admin(app, client, auth, people):
    auth.login("admin")
    with app.app_context():
        admin_id = users.user_id_for("admin")
    assert client.post(f"/admin/users/{admin_id}/suspend", data={"reason": "测试"}).status_code == 403


def test_manual_verification_queue(app, client, auth, people):
    app.config["IDENTITY_VERIFIER"] = "manual"
    client.post("/register", data=person_form())
    auth.logout()
    other = make_person(app, "li-si", AGENT_ID, "13600001111", "李四")
    auth.login("admin")
    queue = client.get("/admin/verifications").get_data(as_text=True)
    assert "zhang-san" in queue and "li-si" in queue and ID_1985 not in queue and AGENT_ID not in queue
    zhang = users_id(app, "zhang-san")
    assert client.post(f"/admin/verifications/{zhang}", data={"decision": "approve"}).status_code == 302
    assert load(app, zhang).verification == "verified" and policies.can_obtain_data(load(app, zhang))
    no_reason = client.post(f"/admin/verifications/{other}", data={"decision": "reject"})
    assert no_reason.status_code == 422 and "须填写理由" in no_reason.get_data(as_text=True)
    assert client.post(f"/admin/verifications/{other}",
                       data={"decision": "reject", "note": "身份证照片与号码不符"}).status_code == 302
    rejected = load(app, other)
    assert rejected.verification == "rejected" and rejected.verification_note == "身份证照片与号码不符"
    assert [e.detail["note"] for e in actions(app, "identity.reject")] == ["身份证照片与号码不符"]
    assert len(actions(app, "identity.verify")) == 1
    assert "没有待核验的账号" in client.get("/admin/verifications").get_data(as_text=True)


def users_id(app, username) -> int:
    with app.app_context():
        return users.user_id_for(username)


def test_cli_creates_people_and_firms_and_manages_them(app, runner, people):
    created = runner("users", "create", "--kind", "person", "--username", "cli-person", "--name", "赵六",
                     "--id-number", ID_1985, "--mobile", MOBILE, "--password", "long-enough-pw")
    assert created.exit_code == 0, created.output
    user_id = json.loads(created.stdout)["id"]
    firm = runner("users", "create", "--kind", "firm", "--username", "cli-firm", "--name", "南阳某某有限公司",
                  "--uscc", USCC, "--agent-name", "李四", "--agent-id-number", AGENT_ID, "--mobile", "13900000000",
                  "--verified", "--password", "long-enough-pw")
    assert firm.exit_code == 0, firm.output
    assert load(app, json.loads(firm.stdout)["id"]).verification == "verified"
    duplicate = runner("users", "create", "--kind", "person", "--username", "cli-person-2", "--name", "赵六",
                       "--id-number", ID_1985, "--mobile", MOBILE, "--password", "long-enough-pw")
    assert duplicate.exit_code == 1 and "已注册过账号" in duplicate.stderr

    app.config["IDENTITY_VERIFIER"] = "manual"  # the CLI app has its own config: verify explicitly
    assert runner("users", "verify", "cli-person").exit_code == 0
    assert load(app, user_id).verification == "verified"
    assert runner("users", "suspend", "cli-person").exit_code == 2  # --reason is required
    assert runner("users", "suspend", "cli-person", "--reason", "违规转售").exit_code == 0
    assert load(app, user_id).suspension_reason == "违规转售"
    assert runner("users", "unsuspend", "cli-person").exit_code == 0
    assert not load(app, user_id).is_suspended
    missing = runner("users", "verify", "nobody-here")
    assert missing.exit_code == 1 and "不存在" in missing.stderr
    staff = runner("users", "verify", "market-staff")
    assert staff.exit_code == 1 and "无需实名核验" in staff.stderr
