"""Conditional-access applications (art. 46): deadlines in working days, extensions, supplements,
decisions, grants, the sweep, figures, the API, and who may do what."""

from datetime import date, datetime, time, timedelta

import pytest
from sqlalchemy import func, select

from portal.errors import NotAuthorized, NotFound, ValidationError
from portal.extensions import db
from portal.models import Application, Grant, Notification, User
from portal.policies import SYSTEM
from portal.services import applications, deadlines, publishing, tokens
from portal.services import clock as portal_clock
from tests.test_downloads import BASIS, add_user

FIELDS = ["企业名称", "所在区县", "经营面积", "发证日期"]
FORM = dict(purpose="编制药品零售网点布局研究报告", scenario="城市规划研究", security_measures="专机存储，访问留痕，期满删除")


@pytest.fixture
def clock(monkeypatch):
    """Set the portal's "today" (China date)."""
    state = {"today": date(2026, 9, 28)}
    # 10:00 in China on that day, as a naive UTC timestamp like every stored one
    monkeypatch.setattr(portal_clock, "now", lambda: datetime.combine(state["today"], time(2, 0)))

    def set_today(day: date):
        state["today"] = day
    return set_today


@pytest.fixture
def setup(app, people, write_package, clock):
    with app.app_context():
        folder = write_package("cond", name="m-cond", title="药店名录（有条件）", open_access="conditional",
                               open_access_basis=BASIS)
        assert publishing.publish(SYSTEM, [folder]).ok
        market = db.session.scalar(select(User.department_id).where(User.username == "market-staff"))
        add_user("firm", "firm")
        add_user("person", "person")
        add_user("unverified", "person", verification="pending")
        add_user("head", "head", department_id=market)
    return app


def actor(username):
    return db.session.scalar(select(User).where(User.username == username))


def submit(username="firm", requested=None, **overrides):
    values = dict(FORM, requested=requested or {"pharmacies": ["企业名称", "发证日期"]},
                  period_from=date(2026, 10, 1), period_until=date(2027, 9, 30), accepted=True) | overrides
    return applications.submit(actor(username), "m-cond", values["purpose"], values["scenario"],
                               values["security_measures"], values["requested"], values["period_from"],
                               values["period_until"], values["accepted"], values.get("files", ()))


def test_deadline_across_national_day_with_make_up_saturday(setup):
    with setup.app_context():
        detail = submit()  # Monday 2026-09-28; Oct 1–7 off, Sat Oct 10 is a working day
        assert detail.receipt.startswith("NYSQ20260928") and detail.state == "submitted"
        assert detail.deadline == date(2026, 10, 16) and not detail.provisional
        assert detail.days_left == 10
        mine = applications.mine(actor("firm"))
        assert mine.total == 1 and mine.items[0].deadline == date(2026, 10, 16)


def test_submission_on_a_sunday_and_across_spring_festival(setup, clock):
    with setup.app_context():
        clock(date(2026, 3, 1))  # Sunday: the day of receipt is not counted
        assert submit().deadline == date(2026, 3, 13)
        clock(date(2026, 2, 10))  # Sat Feb 14 and Sat Feb 28 are working days, Feb 15–23 are not
        assert submit("person", period_from=date(2026, 2, 10)).deadline == date(2026, 3, 2)


def test_the_receipt_page_and_my_applications(setup, client, auth):
    with setup.app_context():
        receipt = submit().receipt
    auth.login("firm")
    page = client.get(f"/applications/{receipt}").get_data(as_text=True)
    assert "2026-10-16" in page and "还剩 10 个工作日" in page and "提交申请" in page
    assert receipt in client.get("/account/applications").get_data(as_text=True)


def test_applying_through_the_web_form(setup, client, auth):
    auth.login("firm")
    form = client.get("/datasets/m-cond/apply").get_data(as_text=True)
    assert "数据安全承诺书" in form and "pharmacies::经营面积" in form
    response = client.post("/datasets/m-cond/apply", data=dict(FORM, field=["pharmacies::企业名称"],
                           period_from="2026-10-01", period_until="2027-03-31", accept="y"))
    assert response.status_code == 302 and "/applications/NYSQ" in response.headers["Location"]
    refused = client.post("/datasets/m-cond/apply", data=dict(FORM, period_from="2026-10-01",
                                                              period_until="2027-03-31"))
    assert refused.status_code == 422 and "请选择申请的资源" in refused.get_data(as_text=True)
    with setup.app_context():
        assert db.session.scalar(select(func.count()).select_from(Application)) == 1


def test_who_may_apply(setup):
    with setup.app_context():
        for username in ("unverified", "market-staff", "admin"):
            with pytest.raises(NotAuthorized):
                submit(username)
        with pytest.raises(ValidationError, match="承诺书"):
            submit(accepted=False)
        with pytest.raises(ValidationError, match="没有字段"):
            submit(requested={"pharmacies": ["身份证号"]})


def test_documents_are_checked_by_content(setup):
    with setup.app_context():
        with pytest.raises(ValidationError, match="不是 PDF"):
            submit(files=[("营业执照.pdf", b"just text pretending")])
        detail = submit(files=[("营业执照.pdf", b"%PDF-1.7\n%%EOF\n"), ("", b"")])
        assert [name for _id, name, _size in detail.documents] == ["营业执照.pdf"]


def test_extension_once_at_most_ten_days_head_only_before_the_deadline(setup, clock):
    with setup.app_context():
        receipt = submit().receipt
        with pytest.raises(ValidationError, match="1–10"):
            applications.propose_extension(actor("market-staff"), receipt, 11, "数据量大")
        with pytest.raises(NotAuthorized):
            applications.propose_extension(actor("firm"), receipt, 5, "我想延期")
        applications.propose_extension(actor("market-staff"), receipt, 10, "需核查字段敏感性")
        with pytest.raises(NotAuthorized, match="负责人"):
            applications.decide_extension(actor("market-staff"), receipt, True)
        detail = applications.decide_extension(actor("market-head"), receipt, True, "同意")
        assert detail.deadline == date(2026, 10, 30) and detail.extension_state == "approved"
        with pytest.raises(ValidationError, match="不能再次延期"):
            applications.propose_extension(actor("market-staff"), receipt, 1, "再延一次")
        clock(date(2026, 10, 1))
        late = submit("person").receipt
        clock(date(2026, 10, 21))  # its deadline (Oct 20: Oct 1 is a holiday) has passed
        with pytest.raises(ValidationError, match="已超过答复期限"):
            applications.propose_extension(actor("market-staff"), late, 5, "太晚了")
        kinds = [e.kind for e in applications.get(actor("firm"), receipt).timeline]
        assert kinds == ["submitted", "extension_proposed", "extension_approved"]


def test_decisions_need_scope_or_reasons_and_basis_and_are_final(setup):
    with setup.app_context():
        receipt = submit().receipt
        staff = actor("market-staff")
        with pytest.raises(ValidationError, match="开放范围"):
            applications.approve(staff, receipt, {}, date(2026, 10, 1), date(2027, 9, 30))
        with pytest.raises(ValidationError, match="依据"):
            applications.deny(staff, receipt, "涉及商业秘密", "")
        with pytest.raises(ValidationError, match="理由"):
            applications.deny(staff, receipt, " ", "《数据安全法》第三十八条")
        denied = applications.deny(staff, receipt, "涉及商业秘密", "《南阳市政务数据共享管理暂行办法》第四十四条")
        assert denied.state == "denied" and denied.decision_basis.endswith("第四十四条")
        with pytest.raises(ValidationError, match="已办结"):
            applications.approve(staff, receipt, {"pharmacies": []}, date(2026, 10, 1), date(2027, 1, 1))
        with pytest.raises(NotFound):
            applications.get(actor("transport-staff"), receipt)  # another department: not even visible


def test_approval_grants_exactly_the_approved_fields_until_it_expires(setup, clock):
    with setup.app_context():
        receipt = submit(requested={"pharmacies": []}).receipt
        detail = applications.approve(actor("market-head"), receipt, {"pharmacies": ["企业名称", "所在区县"]},
                                      date(2026, 9, 28), date(2026, 12, 31))
        assert detail.state == "approved" and detail.granted == {"pharmacies": ["企业名称", "所在区县"]}
        user_id = actor("firm").id
        _info, token = tokens.create_token(SYSTEM, user_id, "t")
    api = setup.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    body = api.get("/api/v1/datasets/m-cond/resources/pharmacies", headers=headers).get_data(as_text=True)
    assert body.splitlines()[0] == "企业名称,所在区县"
    assert all("经营面积" not in line and "120.5" not in line for line in body.splitlines())
    with setup.app_context():
        grant = db.session.scalar(select(Grant).where(Grant.user_id == user_id))
        grant.valid_until = grant.valid_from + timedelta(seconds=1)  # expired
        db.session.commit()
    assert api.get("/api/v1/datasets/m-cond/resources/pharmacies", headers=headers).status_code == 403


def test_supplement_stops_the_clock_and_resubmission_restarts_it(setup, clock):
    with setup.app_context():
        receipt = submit().receipt
        clock(date(2026, 9, 30))
        paused = applications.request_supplement(actor("market-staff"), receipt, "请补充数据安全管理制度文件")
        assert paused.state == "supplement" and paused.days_left is None
        with pytest.raises(ValidationError):
            applications.approve(actor("market-staff"), receipt, {"pharmacies": []}, date(2026, 10, 1),
                                 date(2027, 1, 1))
        with pytest.raises(NotAuthorized):
            applications.resubmit(actor("market-staff"), receipt, "代为补正")
        clock(date(2026, 10, 12))
        resumed = applications.resubmit(actor("firm"), receipt, "已补充制度文件",
                                        [("制度.pdf", b"%PDF-1.4 rules")])
        # ten working days after Monday Oct 12, counted in full again
        assert resumed.state == "submitted" and resumed.deadline == date(2026, 10, 26) and resumed.days_left == 10
        assert [e.kind for e in resumed.timeline] == ["submitted", "supplement", "resubmitted"]


def test_sweep_reminds_once_and_marks_overdue_once(setup, clock):
    with setup.app_context():
        receipt = submit().receipt  # deadline 2026-10-16
        clock(date(2026, 10, 14))  # two working days before
        first = deadlines.sweep(date(2026, 10, 14))
        again = deadlines.sweep(date(2026, 10, 14))
        assert first.reminders == 3 and again.reminders == 0  # the department's staff and heads, once each
        later = deadlines.sweep(date(2026, 10, 19))
        assert later.overdue == 1 and deadlines.sweep(date(2026, 10, 19)).overdue == 0
        overdue = db.session.scalars(select(Notification).where(Notification.key.like("overdue:%"))).all()
        assert {n.user_id for n in overdue} == {actor(u).id for u in ("market-staff", "market-head", "head", "admin")}
        assert db.session.get(Application, db.session.scalar(
            select(Application.id).where(Application.receipt == receipt))).overdue_since == date(2026, 10, 19)


def test_cli_sweep(setup, runner):
    with setup.app_context():
        submit()
    result = runner("deadlines", "sweep")
    assert result.exit_code == 0 and "超期" in result.output


def test_accountability_figures(setup, clock):
    with setup.app_context():
        on_time = submit().receipt
        late = submit("person").receipt
        submit("firm", period_from=date(2026, 10, 2))  # stays open
        clock(date(2026, 10, 9))
        applications.approve(actor("market-staff"), on_time, {"pharmacies": []}, date(2026, 10, 9),
                             date(2026, 12, 31))
        clock(date(2026, 10, 19))
        applications.deny(actor("market-staff"), late, "不符合开放条件", "第四十四条")
        rows = deadlines.figures(actor("market-head"), processes=("application",))
        assert len(rows) == 1
        figures = rows[0]
        assert (figures.received, figures.on_time, figures.late, figures.open, figures.open_overdue) == (3, 1, 1, 1, 1)
        assert figures.median_workdays == (4 + 11) / 2  # Sep 28 → Oct 9 is 4, → Oct 19 is 11 working days
        with pytest.raises(NotAuthorized):
            deadlines.figures(actor("firm"), "scjgj")
        assert len(deadlines.figures(actor("admin"), processes=("application",))) == 2  # every department


def test_queue_sorted_by_deadline_and_highlighted(setup, clock, client, auth):
    with setup.app_context():
        first = submit().receipt  # Oct 16
        clock(date(2026, 10, 9))
        second = submit("person", period_from=date(2026, 10, 9)).receipt  # later deadline
        clock(date(2026, 10, 15))
    auth.login("market-staff")
    page = client.get("/console/applications").get_data(as_text=True)
    assert page.index(first) < page.index(second) and 'class="near-due"' in page
    auth.logout()
    auth.login("transport-staff")
    assert first not in client.get("/console/applications").get_data(as_text=True)


def test_web_transitions_are_permission_checked(setup, client, auth):
    with setup.app_context():
        receipt = submit().receipt
    auth.login("firm")
    refused = client.post(f"/applications/{receipt}/approve", data={"grant_resource": "pharmacies",
                                                                    "valid_from": "2026-10-01",
                                                                    "valid_until": "2026-12-31"})
    assert refused.status_code == 403
    auth.logout()
    auth.login("market-staff")
    done = client.post(f"/applications/{receipt}/approve", data={"grant_field": ["pharmacies::企业名称"],
                                                                 "valid_from": "2026-10-01",
                                                                 "valid_until": "2026-12-31"})
    assert done.status_code == 302
    again = client.post(f"/applications/{receipt}/deny", data={"reasons": "x", "basis": "y"})
    assert again.status_code == 422 and "已办结" in again.get_data(as_text=True)


def test_api_create_list_show_decide_and_figures(setup):
    with setup.app_context():
        firm_token = tokens.create_token(SYSTEM, actor("firm").id, "t")[1]
        staff_token = tokens.create_token(SYSTEM, actor("market-staff").id, "t")[1]
    api = setup.test_client()
    firm, staff = ({"Authorization": f"Bearer {t}"} for t in (firm_token, staff_token))
    created = api.post("/api/v1/applications", headers=firm, json=dict(
        FORM, dataset="m-cond", requested={"pharmacies": ["企业名称"]}, period_from="2026-10-01",
        period_until="2027-03-31", accept_pledge=True))
    assert created.status_code == 201
    receipt = created.get_json()["data"]["receipt"]
    assert created.get_json()["data"]["deadline"] == "2026-10-16"
    assert api.get("/api/v1/applications", headers=firm).get_json()["data"]["total"] == 1
    assert api.get(f"/api/v1/applications/{receipt}", headers=firm).get_json()["data"]["state"] == "submitted"
    queue = api.get("/api/v1/applications?role=department", headers=staff).get_json()["data"]
    assert [a["receipt"] for a in queue["items"]] == [receipt]
    bad = api.post(f"/api/v1/applications/{receipt}/decision", headers=staff, json={"decision": "deny",
                                                                                    "reasons": "x"})
    assert bad.status_code == 422
    decided = api.post(f"/api/v1/applications/{receipt}/decision", headers=staff, json={
        "decision": "approve", "scope": {"pharmacies": ["企业名称"]}, "valid_from": "2026-10-01",
        "valid_until": "2027-03-31"})
    assert decided.status_code == 200 and decided.get_json()["data"]["state"] == "approved"
    figures = api.get("/api/v1/applications/figures", headers=staff).get_json()["data"]
    assert figures[0]["received"] == 1 and figures[0]["on_time"] == 1
    assert api.get("/api/v1/applications").status_code == 401  # no token, no session fallback
    assert api.post("/api/v1/applications", headers=firm, data="not json").status_code == 422


def test_provisional_deadline_becomes_final_when_the_year_is_imported(setup, clock, runner, tmp_path):
    import json

    with setup.app_context():
        clock(date(2030, 6, 3))  # Monday, in a year without official data
        detail = submit(period_from=date(2030, 6, 3), period_until=date(2031, 6, 1))
        # the package's estimate already gives the Dragon Boat Festival (June 5, 2030) off
        assert detail.provisional and detail.deadline == date(2030, 6, 18)
    notice = tmp_path / "2030.json"
    notice.write_text(json.dumps({"year": 2030, "notice": "国办发明电〔2029〕1号", "holidays": ["2030-06-05", "2030-06-10"],
                                  "workdays": []}), encoding="utf-8")
    assert runner("calendar", "import", notice).exit_code == 0
    with setup.app_context():
        after = applications.get(actor("firm"), detail.receipt)
        assert not after.provisional and after.deadline == date(2030, 6, 19)  # the notice adds June 10
        assert after.timeline[-1].kind == "deadline_recomputed"
