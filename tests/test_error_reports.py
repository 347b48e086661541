"""Data error reports (arts. 64–65): the path through republication, rejection and "not correct",
validation, both clocks, who may do what, the reporter's identity never public, and the API."""

from datetime import date, datetime, time
from types import SimpleNamespace

import pytest
from flask import render_template
from flask_login import AnonymousUserMixin
from sqlalchemy import func, select

from portal.errors import NotAuthorized, NotFound, ValidationError
from portal.extensions import db
from portal.models import Case, CaseDocument, Notification, User
from portal.policies import SYSTEM
from portal.services import cases, error_reports, publishing, tokens
from portal.services import clock as portal_clock
from tests.conftest import PHARMACY_CSV
from tests.test_downloads import BASIS, add_user

DATASET = "m-pharm"
FIXED_CSV = PHARMACY_CSV.replace("卧龙区百姓药店,卧龙区,80,", "卧龙区百姓药店,卧龙区,85,")
WRONG_CSV = PHARMACY_CSV  # row 2 says 80 m², the licence says 85 m²
REPORTER = {"username": "zhang-reporter", "display_name": "张三丰", "identity": "412***********5678"}
DESCRIPTION = "第 2 行卧龙区百姓药店的经营面积应为 85，营业执照所载"
PDF = ("营业执照.pdf", b"%PDF-1.7\n%%EOF\n")


@pytest.fixture
def clock(monkeypatch):
    """Set the portal's "today" (China date); Monday 2026-09-28 to start with."""
    state = {"today": date(2026, 9, 28)}
    monkeypatch.setattr(portal_clock, "now", lambda: datetime.combine(state["today"], time(2, 0)))

    def set_today(day: date):
        state["today"] = day
    return set_today


@pytest.fixture
def setup(app, people, write_package, clock):
    with app.app_context():
        assert publishing.publish(SYSTEM, [write_package("v1", csv_text=WRONG_CSV, name=DATASET,
                                                         title="药品零售企业名录")]).ok
        roads = write_package("roads", name="t-roads", title="道路名录", department="南阳市交通运输局")
        assert publishing.publish(SYSTEM, [roads]).ok
        assert publishing.publish(SYSTEM, [roads]).ok  # t-roads 1.1.0: a version m-pharm does not have
        assert publishing.publish(SYSTEM, [write_package("closed", name="m-closed", title="不予开放名录",
                                                         open_access="closed", open_access_basis=BASIS)]).ok
        reporter = add_user(REPORTER["username"], "person")
        reporter.display_name, reporter.identity_masked = REPORTER["display_name"], REPORTER["identity"]
        add_user("li-citizen", "person")
        add_user("firm", "firm")
        add_user("unverified", "person", verification="pending")
        add_user("suspended", "person", suspended=True)
        db.session.commit()
    return app


def actor(username):
    return db.session.scalar(select(User).where(User.username == username))


def report(username=REPORTER["username"], **overrides):
    values = dict(dataset_name=DATASET, resource="pharmacies", description=DESCRIPTION, row=2, field="经营面积")
    return error_reports.file(actor(username), **(values | overrides))


def republish(write_package, folder="v2", by="market-staff"):
    outcome = publishing.publish(actor(by), [write_package(folder, csv_text=FIXED_CSV, name=DATASET,
                                                           title="药品零售企业名录")])
    assert outcome.ok
    return outcome.version


def case_count() -> int:
    return db.session.scalar(select(func.count()).select_from(Case))


def subjects(username) -> list[str]:
    return list(db.session.scalars(select(Notification.subject).join(User, User.id == Notification.user_id)
                                   .where(User.username == username).order_by(Notification.id)))


# -- 1. the path through republication -------------------------------------------------------------
def test_a_wrong_row_is_reported_dispatched_corrected_and_republished(setup, clock, write_package):
    with setup.app_context():
        filed = report(files=[PDF])
        assert filed.reference.startswith("NYFK20260928") and filed.state == "submitted"
        assert filed.deadline is None and filed.days_left is None  # no clock until the dispatch
        assert filed.department is None and filed.reported_version == "1.0.0"
        assert filed.details == {"version": "1.0.0", "resource": "pharmacies", "row": 2, "field": "经营面积"}
        assert [name for _id, name, _size in filed.documents] == ["营业执照.pdf"]
        assert filed.actions == ["withdraw"]
        assert subjects("admin") == [f"新的问题数据反馈：{filed.reference}"]
        assert error_reports.get(actor("admin"), filed.reference).actions == ["dispatch", "reject"]

        ref = filed.reference
        dispatched = error_reports.dispatch(actor("admin"), ref, "请核实经营面积")
        # Mon 09-28 + 5 wd: 09-29, 09-30, (Oct 1–7 off) 10-08, 10-09, Sat 10-10 (a make-up working day)
        assert dispatched.state == "dispatched" and dispatched.deadline == date(2026, 10, 10)
        assert dispatched.department == "南阳市市场监督管理局" and dispatched.days_left == 5
        assert "2026年10月10日" in "".join(n.body for n in db.session.scalars(
            select(Notification).where(Notification.user_id == actor(REPORTER["username"]).id)))
        assert f"待核实的问题数据反馈：{ref}" in subjects("market-head")
        assert error_reports.get(actor("market-staff"), ref).actions == ["correct", "not-correct"]

        clock(date(2026, 10, 9))
        correcting = error_reports.decide(actor("market-staff"), ref, True)
        # Fri 10-09 + 10 wd: Sat 10-10, 10-12 … 10-16, 10-19 … 10-22
        assert correcting.state == "correcting" and correcting.deadline == date(2026, 10, 22)
        assert correcting.details["decided_on"] == "2026-10-09"
        case = db.session.scalar(select(Case).where(Case.reference == ref))
        assert case.answer_deadline == date(2026, 10, 10) and case.answered_at is not None  # decided on time
        assert error_reports.get(actor("market-staff"), ref).details["candidates"] == []

        clock(date(2026, 10, 20))
        assert republish(write_package) == "1.1.0"
        staff_view = error_reports.get(actor("market-staff"), ref)
        assert staff_view.actions == ["link-version"] and staff_view.details["candidates"] == ["1.1.0"]
        assert "candidates" not in error_reports.get(actor(REPORTER["username"]), ref).details

        corrected = error_reports.link_correction(actor("market-staff"), ref, "1.1.0")
        assert corrected.state == "corrected" and corrected.correction_version == "1.1.0"
        assert corrected.details["corrected_on_time"] is True
        assert corrected.details["correction_deadline"] == "2026-10-22"
        assert corrected.deadline is None and corrected.actions == []
        assert [e.kind for e in corrected.timeline] == ["submitted", "dispatched", "correcting", "corrected"]
        assert subjects(REPORTER["username"]) == [f"{s}：{ref}" for s in (
            "问题数据反馈已受理", "问题数据反馈已转数据提供部门", "数据提供部门决定更正", "问题数据已更正")]
        with pytest.raises(ValidationError, match="已办结"):
            error_reports.link_correction(actor("market-staff"), ref, "1.1.0")


def test_the_web_pages_walk_the_same_path(setup, client, auth, write_package):
    auth.login(REPORTER["username"])
    form = client.get(f"/datasets/{DATASET}/error-reports/new?resource=pharmacies&row=2&field=经营面积")
    page = form.get_data(as_text=True)
    assert form.status_code == 200 and 'value="2"' in page and '<option value="经营面积" selected>' in page
    refused = client.post(f"/datasets/{DATASET}/error-reports/new",
                          data={"resource": "pharmacies", "row": "abc", "description": DESCRIPTION})
    assert refused.status_code == 422 and "行号须为正整数" in refused.get_data(as_text=True)
    created = client.post(f"/datasets/{DATASET}/error-reports/new", data={
        "version": "1.0.0", "resource": "pharmacies", "row": "2", "field": "经营面积", "category": "wrong_value",
        "description": DESCRIPTION})
    assert created.status_code == 302 and "/error-reports/NYFK" in created.headers["Location"]
    ref = created.headers["Location"].rsplit("/", 1)[-1]
    assert "等待数据主管部门分派" in client.get(f"/error-reports/{ref}").get_data(as_text=True)

    auth.logout()
    auth.login("admin")
    assert 'id="dispatch"' in client.get(f"/error-reports/{ref}").get_data(as_text=True)
    assert client.post(f"/error-reports/{ref}/dispatch", data={"note": ""}).status_code == 302
    auth.logout()
    auth.login("market-staff")
    page = client.get(f"/error-reports/{ref}").get_data(as_text=True)
    assert "决定是否更正的期限（分派后 5 个工作日）：2026-10-10" in page and 'id="not-correct"' in page
    refused = client.post(f"/error-reports/{ref}/not-correct", data={"reasons": " "})
    assert refused.status_code == 422 and "请填写不予更正的理由" in refused.get_data(as_text=True)
    assert client.post(f"/error-reports/{ref}/correct", data={}).status_code == 302
    page = client.get(f"/error-reports/{ref}").get_data(as_text=True)
    assert "发布更正后数据的期限（决定更正后 10 个工作日）：2026-10-16" in page
    assert f"/console/publish?dataset={DATASET}" in page and 'id="link-version"' not in page
    with setup.app_context():
        republish(write_package)
    assert '<option value="1.1.0">' in client.get(f"/error-reports/{ref}").get_data(as_text=True)
    assert client.post(f"/error-reports/{ref}/link-version", data={"version": "1.1.0"}).status_code == 302
    page = client.get(f"/error-reports/{ref}").get_data(as_text=True)
    assert "已在版本 1.1.0 中更正" in page and "按期更正" in page


# -- 2. rejection and "not correct" ----------------------------------------------------------------
def test_the_data_authority_rejects_with_a_reason(setup):
    with setup.app_context():
        ref = report().reference
        with pytest.raises(ValidationError, match="请填写不予受理的理由"):
            error_reports.reject(actor("admin"), ref, "  ")
        assert error_reports.get(actor("admin"), ref).state == "submitted"
        rejected = error_reports.reject(actor("admin"), ref, "属于数据使用咨询，不属于数据问题")
        assert rejected.state == "rejected" and rejected.decision_reasons == "属于数据使用咨询，不属于数据问题"
        assert rejected.department is None and rejected.deadline is None
        assert subjects(REPORTER["username"])[-1] == f"问题数据反馈不予受理：{ref}"
        with pytest.raises(ValidationError, match="已办结"):
            error_reports.dispatch(actor("admin"), ref)


def test_the_producer_decides_not_to_correct_with_reasons(setup):
    with setup.app_context():
        ref = report().reference
        error_reports.dispatch(actor("admin"), ref)
        with pytest.raises(ValidationError, match="请填写不予更正的理由"):
            error_reports.decide(actor("market-staff"), ref, False, "")
        assert error_reports.get(actor("market-staff"), ref).state == "dispatched"
        closed = error_reports.decide(actor("market-head"), ref, False, "经核实，营业执照变更前面积为 80，数据无误")
        assert closed.state == "not_corrected" and closed.deadline is None
        assert closed.decision_reasons == "经核实，营业执照变更前面积为 80，数据无误"
        assert subjects(REPORTER["username"])[-1] == f"数据提供部门决定不予更正：{ref}"
        public = error_reports.get(actor("li-citizen"), ref)
        assert public.state_label == "经核实不予更正" and public.decision_reasons == closed.decision_reasons


# -- 3. validation ---------------------------------------------------------------------------------
@pytest.mark.parametrize("overrides, message", [
    ({"version": "9.9.9"}, "没有版本 9.9.9"),
    ({"resource": "roads"}, "没有资源「roads」"),
    ({"field": "身份证号"}, "没有信息项「身份证号」"),
    ({"row": 0}, "行号须为正整数"),
    ({"row": 3}, "共有 2 行数据"),
    ({"row": None, "field": None}, "至少一项"),
    ({"description": "  "}, "请填写问题描述"),
    ({"description": "长" * 4001}, "不超过 4000 字"),
    ({"category": "spam"}, "请选择类别"),
    ({"files": [("说明.pdf", b"not a pdf")]}, "不是 PDF"),
])
def test_bad_reports_are_refused_and_nothing_is_stored(setup, overrides, message):
    with setup.app_context():
        with pytest.raises(ValidationError, match=message):
            report(**overrides)
        assert case_count() == 0
        assert db.session.scalar(select(func.count()).select_from(CaseDocument)) == 0


def test_unknown_datasets_and_references_are_not_found(setup):
    with setup.app_context():
        with pytest.raises(NotFound):
            report(dataset_name="no-such-dataset")
        with pytest.raises(NotFound):
            error_reports.get(actor("admin"), "NYFK20260928999999")
        with pytest.raises(NotFound):
            error_reports.dispatch(actor("admin"), "NYFK20260928999999")


def test_a_report_on_an_older_version_or_a_field_alone(setup, write_package):
    with setup.app_context():
        republish(write_package)
        older = report(version="1.0.0", row=None)
        assert older.reported_version == "1.0.0" and older.details["row"] is None
        assert report(field=None).reported_version == "1.1.0"  # the current version by default
        assert report(dataset_name="m-closed", row=1, field=None).state == "submitted"  # closed entries too


def test_only_a_version_of_the_dataset_published_since_the_decision_is_linked(setup, write_package):
    with setup.app_context():
        ref = report().reference
        error_reports.dispatch(actor("admin"), ref)
        early = republish(write_package, "early")  # 1.1.0, published before the decision
        error_reports.decide(actor("market-staff"), ref, True)
        for version, message in ((early, "发布于决定更正之前"), ("1.0.0", "发布于决定更正之前"),
                                 ("2.0.0", "没有版本 2.0.0"), ("", "请选择")):
            with pytest.raises(ValidationError, match=message):
                error_reports.link_correction(actor("market-staff"), ref, version)
        assert error_reports.get(actor("market-staff"), ref).state == "correcting"
        assert republish(write_package, "late") == "1.2.0"
        error_reports.link_correction(actor("market-staff"), ref, "1.2.0")
        assert error_reports.get(actor("market-staff"), ref).correction_version == "1.2.0"


def test_a_version_of_another_dataset_is_refused(setup):
    with setup.app_context():
        ref = report().reference
        error_reports.dispatch(actor("admin"), ref)
        error_reports.decide(actor("market-staff"), ref, True)
        with pytest.raises(ValidationError, match="没有版本 1.1.0"):  # t-roads has a 1.1.0, m-pharm does not
            error_reports.link_correction(actor("market-staff"), ref, "1.1.0")


# -- 4. deadlines ----------------------------------------------------------------------------------
def test_both_clocks_in_working_days_and_overdue_after_them(setup, clock, write_package):
    with setup.app_context():
        ref = report().reference
        error_reports.dispatch(actor("admin"), ref)
        clock(date(2026, 10, 10))  # the make-up Saturday is the last day to decide
        view = error_reports.get(actor("market-staff"), ref)
        assert view.days_left == 0 and not view.overdue and view.near_due
        clock(date(2026, 10, 12))
        view = error_reports.get(actor("market-staff"), ref)
        assert view.days_left == -1 and view.overdue
        case = db.session.scalar(select(Case).where(Case.reference == ref))
        assert cases.summary(case).overdue

        late = error_reports.decide(actor("market-staff"), ref, True)  # one working day late
        db.session.refresh(case)
        assert case.answer_deadline == date(2026, 10, 10) and portal_clock.local_date(case.answered_at) == date(
            2026, 10, 12)
        # Mon 10-12 + 10 wd: 10-13 … 10-16, 10-19 … 10-23, 10-26
        assert late.deadline == date(2026, 10, 26) and late.days_left == 10 and not late.overdue
        clock(date(2026, 10, 26))
        assert error_reports.get(actor("market-staff"), ref).days_left == 0
        clock(date(2026, 10, 27))
        assert error_reports.get(actor("market-staff"), ref).days_left == -1
        republish(write_package)
        corrected = error_reports.link_correction(actor("market-staff"), ref, "1.1.0")
        assert corrected.details["corrected_on_time"] is False
        assert corrected.details["correction_deadline"] == "2026-10-26"


# -- 5. who may do what ----------------------------------------------------------------------------
def test_who_may_file(setup):
    with setup.app_context():
        for who in (AnonymousUserMixin(), actor("unverified"), actor("suspended"), actor("market-staff"),
                    actor("market-head"), actor("admin")):
            with pytest.raises(NotAuthorized):
                error_reports.file(who, DATASET, "pharmacies", DESCRIPTION, row=2)
        with pytest.raises(NotAuthorized, match="暂停数据服务"):
            report("suspended")
        assert case_count() == 0
        assert report("firm").state == "submitted"


def test_who_may_dispatch_decide_link_and_withdraw(setup, write_package):
    with setup.app_context():
        ref = report().reference
        for who in ("market-staff", "market-head", REPORTER["username"], "li-citizen"):
            for transition in (lambda a: error_reports.dispatch(a, ref), lambda a: error_reports.reject(a, ref, "x")):
                with pytest.raises(NotAuthorized):
                    transition(actor(who))
        for who in ("market-staff", "admin", "li-citizen"):
            with pytest.raises(NotAuthorized):
                error_reports.withdraw(actor(who), ref)
        error_reports.dispatch(actor("admin"), ref)
        for who in ("transport-staff", REPORTER["username"], "admin", "li-citizen"):
            for correct in (True, False):
                with pytest.raises(NotAuthorized):
                    error_reports.decide(actor(who), ref, correct, "理由")
            assert error_reports.get(actor(who), ref).actions in ([], ["withdraw"])
        error_reports.decide(actor("market-head"), ref, True)
        republish(write_package)
        for who in ("transport-staff", REPORTER["username"], "admin"):
            with pytest.raises(NotAuthorized):
                error_reports.link_correction(actor(who), ref, "1.1.0")
        with pytest.raises(ValidationError, match="不能执行此操作"):  # once decided, no longer withdrawn
            error_reports.withdraw(actor(REPORTER["username"]), ref)
        assert error_reports.get(actor("admin"), ref).state == "correcting"

        other = report().reference
        error_reports.dispatch(actor("admin"), other)
        withdrawn = error_reports.withdraw(actor(REPORTER["username"]), other)
        assert withdrawn.state == "withdrawn" and withdrawn.deadline is None
        assert subjects("market-staff")[-1] == f"问题数据反馈已撤回：{other}"


def test_web_transitions_are_permission_checked(setup, client, auth):
    with setup.app_context():
        ref = report().reference
    auth.login("market-staff")
    assert client.post(f"/error-reports/{ref}/dispatch").status_code == 403
    assert client.post(f"/error-reports/{ref}/reject", data={"reason": "x"}).status_code == 403
    auth.logout()
    auth.login("admin")
    assert client.post(f"/error-reports/{ref}/dispatch").status_code == 302
    assert client.post(f"/error-reports/{ref}/correct").status_code == 403
    auth.logout()
    auth.login("transport-staff")
    assert client.post(f"/error-reports/{ref}/correct").status_code == 403
    assert client.post(f"/error-reports/{ref}/not-correct", data={"reasons": "x"}).status_code == 403
    assert client.get(f"/datasets/{DATASET}/error-reports/new").status_code == 403
    with setup.app_context():
        view = error_reports.get(actor("admin"), ref)
        assert view.state == "dispatched" and [e.kind for e in view.timeline] == ["submitted", "dispatched"]
    auth.logout()
    assert client.get(f"/datasets/{DATASET}/error-reports/new").status_code == 302  # to the login form


# -- 6. the reporter's identity is never public ----------------------------------------------------
def test_the_reporter_is_never_shown_publicly(setup, client, auth, write_package):
    with setup.app_context():
        filed = report(files=[PDF])
        ref, document_id = filed.reference, filed.documents[0][0]
        error_reports.dispatch(actor("admin"), ref)
        error_reports.decide(actor("market-staff"), ref, True)
        republish(write_package)
        error_reports.link_correction(actor("market-staff"), ref, "1.1.0")
        open_ref = report(row=1).reference
        outcomes = cases.public_outcomes(DATASET, "error_report")
        with setup.test_request_context():
            partial = render_template("error_reports/_dataset.html", d=SimpleNamespace(name=DATASET),
                                      error_reports=outcomes)
    secrets = (REPORTER["display_name"], REPORTER["username"], REPORTER["identity"], DESCRIPTION)
    assert "已在版本 1.1.0 中更正" in partial and "第 2 行" in partial and "经营面积" in partial
    assert "报告数据问题" in partial and not any(s in partial for s in secrets)
    urls = (f"/datasets/{DATASET}", f"/datasets/{DATASET}/error-reports", f"/error-reports/{ref}",
            f"/error-reports/{open_ref}")
    evidence_url = f"/error-reports/{ref}/documents/{document_id}"
    for who, evidence_status in ((None, 302), ("li-citizen", 404)):  # anonymous: to the login form
        if who:
            auth.login(who)
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            assert not any(s in response.get_data(as_text=True) for s in secrets), (who, url)
        assert ref in client.get(f"/datasets/{DATASET}/error-reports").get_data(as_text=True)
        assert client.get(evidence_url).status_code == evidence_status
    auth.logout()
    auth.login(REPORTER["username"])
    own = client.get(f"/error-reports/{ref}").get_data(as_text=True)
    assert REPORTER["display_name"] in own and DESCRIPTION in own
    evidence = client.get(evidence_url)
    assert evidence.status_code == 200 and evidence.data.startswith(b"%PDF")


# -- 7. the API ------------------------------------------------------------------------------------
def test_api_round_trip_with_tokens(setup, write_package):
    with setup.app_context():
        token = {who: tokens.create_token(SYSTEM, actor(who).id, "t")[1]
                 for who in (REPORTER["username"], "admin", "market-staff", "li-citizen")}
    api = setup.test_client()
    reporter, admin, staff, other = ({"Authorization": f"Bearer {token[w]}"} for w in (
        REPORTER["username"], "admin", "market-staff", "li-citizen"))
    body = {"dataset": DATASET, "version": "1.0.0", "resource": "pharmacies", "row": 2, "field": "经营面积",
            "category": "wrong_value", "description": DESCRIPTION}
    assert api.post("/api/v1/error-reports", headers=reporter, json=body | {"row": "2"}).status_code == 422
    assert api.post("/api/v1/error-reports", headers=staff, json=body).status_code == 403
    created = api.post("/api/v1/error-reports", headers=reporter, json=body)
    assert created.status_code == 201, created.get_data(as_text=True)
    ref = created.get_json()["data"]["reference"]
    assert created.get_json()["data"]["details"]["row"] == 2
    assert api.get("/api/v1/error-reports", headers=reporter).get_json()["data"]["total"] == 1
    public = api.get(f"/api/v1/error-reports/{ref}", headers=other).get_json()["data"]
    assert public["submitter"] == "" and public["description"] == "" and public["documents"] == []

    assert api.post(f"/api/v1/error-reports/{ref}/dispatch", headers=reporter,
                    json={"decision": "dispatch"}).status_code == 403
    assert api.post(f"/api/v1/error-reports/{ref}/dispatch", headers=admin,
                    json={"decision": "maybe"}).status_code == 422
    dispatched = api.post(f"/api/v1/error-reports/{ref}/dispatch", headers=admin, json={"decision": "dispatch"})
    assert dispatched.get_json()["data"]["deadline"] == "2026-10-10"
    queue = api.get("/api/v1/error-reports?role=department", headers=staff).get_json()["data"]
    assert [c["reference"] for c in queue["items"]] == [ref]

    assert api.post(f"/api/v1/error-reports/{ref}/decision", headers=admin, json={"correct": True}).status_code == 403
    assert api.post(f"/api/v1/error-reports/{ref}/decision", headers=staff,
                    json={"correct": False}).status_code == 422
    decided = api.post(f"/api/v1/error-reports/{ref}/decision", headers=staff, json={"correct": True})
    assert decided.get_json()["data"]["state"] == "correcting"
    with setup.app_context():
        republish(write_package)
    linked = api.post(f"/api/v1/error-reports/{ref}/correction", headers=staff, json={"version": "1.1.0"})
    data = linked.get_json()["data"]
    assert data["state"] == "corrected" and data["correction_version"] == "1.1.0"
    assert data["details"]["corrected_on_time"] is True
    assert api.get("/api/v1/error-reports?role=department", headers=staff).get_json()["data"]["total"] == 0
    assert api.get("/api/v1/error-reports?role=department&all=1",
                   headers=staff).get_json()["data"]["total"] == 1
    assert api.get("/api/v1/error-reports").status_code == 401  # no token, no session fallback


def test_api_rejection_by_the_data_authority(setup):
    with setup.app_context():
        ref = report().reference
        admin = {"Authorization": f"Bearer {tokens.create_token(SYSTEM, actor('admin').id, 't')[1]}"}
    api = setup.test_client()
    assert api.post(f"/api/v1/error-reports/{ref}/dispatch", headers=admin,
                    json={"decision": "reject"}).status_code == 422
    rejected = api.post(f"/api/v1/error-reports/{ref}/dispatch", headers=admin,
                        json={"decision": "reject", "reason": "不属于数据问题"})
    assert rejected.get_json()["data"]["state"] == "rejected"
