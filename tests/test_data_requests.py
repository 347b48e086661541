"""Data requests (数据需求): filing, the data authority's routing or rejection, the department's answer
within the platform's 10-working-day commitment, support, the public list, the API, who may do what,
and that neither the submitter nor the supporters are ever shown publicly."""

import json
from datetime import date, datetime, time

import pytest
import schemathesis
from flask_login import AnonymousUserMixin
from sqlalchemy import func, select

from portal.errors import NotAuthorized, NotFound, ValidationError
from portal.extensions import db
from portal.models import Case, CaseSupport, Notification, User
from portal.policies import SYSTEM
from portal.services import clock as portal_clock
from portal.services import data_requests, publishing, tokens
from tests.test_downloads import add_user
from tests.test_openapi import CHECKS

MONDAY = date(2026, 9, 28)  # + 10 working days = Fri 2026-10-16 (Oct 1–7 off, Sat Oct 10 worked)
DEADLINE = date(2026, 10, 16)
# Distinctive names and masked identities, so that finding none of them on a page means something.
IDENTITIES = {"zhang-xq": ("张晓琴", "411***********7781"), "li-zc": ("李志诚", "412***********9952"),
              "wang-fm": ("王芳敏", "413***********3306")}
REQUEST = dict(title="城区公交线路实时客流数据", description="需要各公交线路按小时统计的上下车人数，用于出行研究。")


@pytest.fixture
def clock(monkeypatch):
    """Set the portal's "today" (China date)."""
    state = {"today": MONDAY}
    monkeypatch.setattr(portal_clock, "now", lambda: datetime.combine(state["today"], time(2, 0)))  # 10:00 in China

    def set_today(day: date):
        state["today"] = day
    return set_today


@pytest.fixture
def setup(app, people, write_package, clock):
    with app.app_context():
        assert publishing.publish(SYSTEM, [write_package("open", name="m-open", title="药店名录")]).ok
        for username, (name, masked) in IDENTITIES.items():
            user = add_user(username, "person" if username != "li-zc" else "firm")
            user.display_name, user.identity_masked = name, masked
        add_user("unverified", "person", verification="pending")
        add_user("suspended", "person", suspended=True)
        db.session.commit()
    return app


def actor(username):
    return db.session.scalar(select(User).where(User.username == username))


def file(username="zhang-xq", **overrides):
    return data_requests.file(actor(username), **(REQUEST | overrides))


def routed(username="zhang-xq", **overrides):
    reference = file(username, **overrides).reference
    return data_requests.route(actor("admin"), reference, "scjgj")


def inbox(username) -> list[str]:
    return list(db.session.scalars(select(Notification.subject).where(Notification.user_id == actor(username).id)
                                   .order_by(Notification.id)))


def text_of(response) -> str:
    """The page, or the JSON with its characters unescaped."""
    return json.dumps(response.get_json(), ensure_ascii=False) if response.is_json else response.get_data(as_text=True)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def bearer(username) -> dict:
    return {"Authorization": f"Bearer {tokens.create_token(SYSTEM, actor(username).id, 't')[1]}"}


# -- the full path ---------------------------------------------------------------------------------
def test_filed_routed_supported_and_answered_will_open(setup, client):
    with setup.app_context():
        filed = file(dataset="m-open", category="more_fields", department_hint="scjgj")
        assert filed.reference.startswith("NYXQ20260928") and filed.state == "submitted"
        assert filed.deadline is None and filed.days_left is None  # no clock until it is routed
        assert filed.dataset == "m-open" and filed.details == {"department_hint": "scjgj"}
        assert inbox("zhang-xq") == [f"数据需求已提交：{filed.reference}"]
        assert inbox("admin") == [f"新的数据需求待分派：{filed.reference}"]

        detail = data_requests.route(actor("admin"), filed.reference, "scjgj", "请研究开放")
        assert detail.state == "dispatched" and detail.department == "南阳市市场监督管理局"
        assert detail.deadline == DEADLINE and detail.days_left == 10
        for username in ("market-staff", "market-head"):
            assert inbox(username) == [f"新的数据需求待答复：{filed.reference}"]
        assert inbox("transport-staff") == []
        assert inbox("zhang-xq")[-1] == f"数据需求已分派：{filed.reference}"

        supported = data_requests.support(actor("li-zc"), filed.reference)
        assert supported.supporters == 1 and "unsupport" in supported.actions
        assert data_requests.support(actor("li-zc"), filed.reference).supporters == 1  # a double click
        assert count(CaseSupport) == 1
        with pytest.raises(NotAuthorized, match="自己"):
            data_requests.support(actor("zhang-xq"), filed.reference)

        answered = data_requests.answer(actor("market-staff"), filed.reference, True, date(2026, 12, 1), "按月更新")
        assert answered.state == "will_open" and answered.state_label == "将开放"
        assert answered.promised_date == date(2026, 12, 1) and answered.deadline is None
        case = db.session.scalar(select(Case).where(Case.reference == filed.reference))
        assert case.answered_at is not None and case.answer_deadline == DEADLINE and case.closed_at is not None
        for username in ("zhang-xq", "li-zc"):
            assert inbox(username)[-1] == f"数据需求答复：将开放：{filed.reference}"
        assert inbox("wang-fm") == []
        assert [e.kind for e in answered.timeline] == ["submitted", "dispatched", "will_open"]
    page = client.get("/data-requests").get_data(as_text=True)
    assert REQUEST["title"] in page and "将开放" in page and '<td class="supporters">1</td>' in page
    listed = client.get("/api/v1/data-requests").get_json()["data"]["items"]
    assert [(r["reference"], r["state_label"], r["supporters"]) for r in listed] == [(filed.reference, "将开放", 1)]
    shown = client.get(f"/data-requests/{filed.reference}").get_data(as_text=True)
    assert "2026-12-01" in shown and "按月更新" in shown and "部门答复：将开放" in shown


def test_cannot_open_needs_reasons_and_basis_and_rejection_a_reason(setup, client):
    with setup.app_context():
        reference = routed().reference
        headers = bearer("market-staff")
    for body, message in (({"will_open": False, "basis": "《数据安全法》第二十一条"}, "请填写不能开放的理由"),
                          ({"will_open": False, "reasons": "涉及个人信息"}, "请填写依据"),
                          ({"will_open": True}, "请填写计划开放日期"),
                          ({"will_open": True, "promised_date": "2026-09-25"}, "不能早于今天"),
                          ({"will_open": "yes"}, "will_open")):
        response = client.post(f"/api/v1/data-requests/{reference}/answer", headers=headers, json=body)
        assert response.status_code == 422 and message in response.get_json()["error"]["message"], body
    with setup.app_context():
        assert data_requests.get(actor("zhang-xq"), reference).state == "dispatched"
        detail = data_requests.answer(actor("market-head"), reference, False, reasons="涉及个人信息",
                                      basis="《个人信息保护法》第十三条")
        assert detail.state == "cannot_open" and detail.decision_basis == "《个人信息保护法》第十三条"
        assert inbox("zhang-xq")[-1] == f"数据需求答复：暂不能开放：{reference}"
        with pytest.raises(ValidationError, match="已办结"):
            data_requests.answer(actor("market-head"), reference, True, date(2026, 12, 1))

        other = file(title="公交数据（重复）").reference
        data_requests.support(actor("li-zc"), other)
        for reason in ("", "   "):
            with pytest.raises(ValidationError, match="请填写不予受理的理由"):
                data_requests.reject(actor("admin"), other, reason)
        rejected = data_requests.reject(actor("admin"), other, "与已有需求重复")
        assert rejected.state == "rejected" and rejected.decision_reasons == "与已有需求重复"
        assert inbox("li-zc")[-1] == f"数据需求不予受理：{other}"  # supporters learn the outcome too
        with pytest.raises(ValidationError, match="不予受理"):
            data_requests.support(actor("wang-fm"), other)
    assert "与已有需求重复" in client.get(f"/data-requests/{other}").get_data(as_text=True)


def test_routing_starts_a_ten_working_day_clock_then_overdue(setup, clock):
    with setup.app_context():
        reference = file().reference
        clock(date(2026, 9, 30))  # waiting for the data authority: no clock runs
        assert data_requests.get(actor("zhang-xq"), reference).days_left is None
        clock(MONDAY)
        assert data_requests.route(actor("admin"), reference, "scjgj").deadline == DEADLINE
        clock(DEADLINE)
        last_day = data_requests.get(actor("market-staff"), reference)
        assert last_day.days_left == 0 and not last_day.overdue and last_day.near_due
        clock(date(2026, 10, 19))  # Monday after the deadline
        late = data_requests.get(actor("market-staff"), reference)
        assert late.days_left == -1 and late.overdue and late.deadline == DEADLINE
        answered = data_requests.answer(actor("market-staff"), reference, True, date(2026, 10, 19))
        assert answered.state == "will_open" and answered.days_left is None
        case = db.session.scalar(select(Case).where(Case.reference == reference))
        assert case.answer_deadline == DEADLINE and portal_clock.local_date(case.answered_at) == date(2026, 10, 19)


def test_the_deadline_box_says_it_is_a_service_commitment(setup, client, auth):
    with setup.app_context():
        reference = routed().reference
    page = client.get(f"/data-requests/{reference}").get_data(as_text=True)
    assert "2026-10-16" in page and "还剩 10 个工作日" in page and "不是法定期限" in page


# -- who may do what --------------------------------------------------------------------------------
def test_who_may_file(setup):
    with setup.app_context():
        for who in (AnonymousUserMixin(), actor("unverified"), actor("suspended"), actor("market-staff"),
                    actor("market-head"), actor("admin")):
            with pytest.raises(NotAuthorized):
                data_requests.file(who, **REQUEST)
        with pytest.raises(NotAuthorized, match="实名身份认证"):
            file("unverified")
        with pytest.raises(NotAuthorized, match="暂停"):
            file("suspended")
        assert count(Case) == 0
        with pytest.raises(ValidationError) as problems:
            file(title="", description="x" * 4001, category="everything", dataset="no-such", department_hint="nope")
        assert problems.value.details == ["请填写需求名称", "需求描述不超过 4000 字",
                                          "请选择类别：新增数据集、增加信息项、提高更新频率、其他", "数据集「no-such」不存在",
                                          "部门「nope」不存在"]
        with pytest.raises(ValidationError, match="不超过 200 字"):
            file(title="长" * 201)
        assert count(Case) == 0
        assert file("li-zc").state == "submitted"  # firms too


def test_who_may_route_reject_answer_support_and_withdraw(setup):
    with setup.app_context():
        reference = file().reference
        for username in ("zhang-xq", "li-zc", "market-staff", "market-head"):
            with pytest.raises(NotAuthorized, match="数据主管部门"):
                data_requests.route(actor(username), reference, "scjgj")
            with pytest.raises(NotAuthorized, match="数据主管部门"):
                data_requests.reject(actor(username), reference, "重复")
        with pytest.raises(NotAuthorized):  # not routed yet: no department may answer
            data_requests.answer(actor("market-staff"), reference, True, MONDAY)
        for username in ("li-zc", "admin", "market-staff"):
            with pytest.raises(NotAuthorized, match="提交人本人"):
                data_requests.withdraw(actor(username), reference)
        for username in ("zhang-xq", "unverified", "suspended", "market-staff", "admin"):
            with pytest.raises(NotAuthorized):
                data_requests.support(actor(username), reference)
        with pytest.raises(NotAuthorized):
            data_requests.support(AnonymousUserMixin(), reference)
        with pytest.raises(ValidationError, match="请选择承办部门"):
            data_requests.route(actor("admin"), reference, "")
        with pytest.raises(ValidationError, match="不存在"):
            data_requests.route(actor("admin"), reference, "no-such")
        with pytest.raises(NotFound):
            data_requests.route(actor("admin"), "NYXQ00000000000000", "scjgj")
        assert data_requests.get(actor("admin"), reference).actions == ["route", "reject"]
        assert data_requests.get(actor("zhang-xq"), reference).actions == ["withdraw"]
        assert data_requests.get(actor("li-zc"), reference).actions == ["support"]
        assert data_requests.get(AnonymousUserMixin(), reference).actions == []

        data_requests.route(actor("admin"), reference, "scjgj")
        with pytest.raises(ValidationError, match="部门答复中"):
            data_requests.route(actor("admin"), reference, "jtysj")
        with pytest.raises(ValidationError, match="部门答复中"):
            data_requests.withdraw(actor("zhang-xq"), reference)  # only until it is routed
        for username in ("transport-staff", "zhang-xq", "li-zc", "admin"):
            with pytest.raises(NotAuthorized, match="承办部门"):
                data_requests.answer(actor(username), reference, True, date(2026, 12, 1))
        assert data_requests.get(actor("market-head"), reference).actions == ["answer"]
        assert data_requests.get(actor("zhang-xq"), reference).state == "dispatched"


def test_withdrawn_requests_leave_the_list_and_supporters_are_told(setup, client):
    with setup.app_context():
        reference = file().reference
        data_requests.support(actor("li-zc"), reference)
        detail = data_requests.withdraw(actor("zhang-xq"), reference)
        assert detail.state == "withdrawn" and detail.actions == []
        assert inbox("li-zc")[-1] == f"您支持的数据需求已撤回：{reference}"
        assert inbox("admin")[-1] == f"数据需求已撤回：{reference}"
        assert data_requests.public_list().total == 0
        with pytest.raises(ValidationError, match="已撤回"):
            data_requests.unsupport(actor("li-zc"), reference)
    assert REQUEST["title"] not in client.get("/data-requests").get_data(as_text=True)


def test_http_route_and_answer_are_refused_to_the_wrong_people(setup, client, auth):
    with setup.app_context():
        reference = file().reference
        transport = bearer("transport-staff")
    auth.login("market-staff")
    refused = client.post(f"/data-requests/{reference}/route", data={"department": "scjgj"})
    assert refused.status_code == 403 and "只有数据主管部门可以分派" in refused.get_data(as_text=True)
    assert client.post(f"/data-requests/{reference}/reject", data={"reason": "x"}).status_code == 403
    assert client.post(f"/data-requests/{reference}/nonsense").status_code == 404
    auth.logout()
    auth.login("admin")
    assert client.post(f"/data-requests/{reference}/route", data={"department": ""}).status_code == 422
    assert client.post(f"/data-requests/{reference}/route", data={"department": "scjgj"}).status_code == 302
    auth.logout()
    auth.login("transport-staff")
    refused = client.post(f"/data-requests/{reference}/answer", data={"will_open": "1", "promised_date": "2026-12-01"})
    assert refused.status_code == 403 and "只有承办部门可以答复" in refused.get_data(as_text=True)
    auth.logout()
    api_refused = client.post(f"/api/v1/data-requests/{reference}/answer", headers=transport,
                              json={"will_open": True, "promised_date": "2026-12-01"})
    assert api_refused.status_code == 403 and api_refused.get_json()["ok"] is False
    auth.login("zhang-xq")
    assert client.post(f"/data-requests/{reference}/answer", data={"will_open": "0", "reasons": "x",
                                                                    "basis": "y"}).status_code == 403
    with setup.app_context():
        detail = data_requests.get(actor("admin"), reference)
        assert detail.state == "dispatched" and [e.kind for e in detail.timeline] == ["submitted", "dispatched"]
    auth.logout()
    auth.login("market-head")
    answered = client.post(f"/data-requests/{reference}/answer", data={"will_open": "1", "promised_date": "2026-12-01"})
    assert answered.status_code == 302


# -- support -----------------------------------------------------------------------------------------
def test_support_is_counted_once_per_user_even_in_a_race(setup, monkeypatch):
    with setup.app_context():
        reference = file().reference
        assert data_requests.support(actor("li-zc"), reference).supporters == 1
        assert data_requests.support(actor("wang-fm"), reference).supporters == 2
        # A concurrent request of the same user passed the "already supported?" check too: the unique
        # constraint stops the second row inside a savepoint, and the count stays right.
        monkeypatch.setattr(data_requests, "_support_of", lambda _actor, _case: None)
        assert data_requests.support(actor("li-zc"), reference).supporters == 2
        monkeypatch.undo()
        assert data_requests.unsupport(actor("li-zc"), reference).supporters == 1
        assert data_requests.unsupport(actor("li-zc"), reference).supporters == 1  # not supported: no change
        assert data_requests.get(actor("li-zc"), reference).actions == ["support"]
        assert count(CaseSupport) == 1
        assert db.session.scalar(select(Case.supporters).where(Case.reference == reference)) == 1


def test_support_through_the_page(setup, client, auth):
    with setup.app_context():
        reference = file().reference
    anonymous = client.get(f"/data-requests/{reference}").get_data(as_text=True)
    assert "登录后可以支持" in anonymous and "我也需要" in anonymous
    assert client.post(f"/data-requests/{reference}/support").status_code == 302  # to the login form
    auth.login("li-zc")
    assert client.post(f"/data-requests/{reference}/support").status_code == 302
    page = client.get(f"/data-requests/{reference}").get_data(as_text=True)
    assert "您已支持该需求" in page and '<td id="supporters">1</td>' in page
    auth.logout()
    auth.login("zhang-xq")
    own = client.post(f"/data-requests/{reference}/support")
    assert own.status_code == 403 and "不能支持自己提出的数据需求" in own.get_data(as_text=True)


# -- privacy -----------------------------------------------------------------------------------------
def _identities(*usernames) -> list[str]:
    return [value for u in usernames for value in (u, *IDENTITIES[u])]


def test_submitter_and_supporters_never_public(setup, client, auth):
    with setup.app_context():
        reference = file().reference
        data_requests.support(actor("li-zc"), reference)
        data_requests.route(actor("admin"), reference, "scjgj", "请研究")
        data_requests.support(actor("wang-fm"), reference)  # supporting after routing, too
        data_requests.unsupport(actor("wang-fm"), reference)
        data_requests.support(actor("wang-fm"), reference)
    hidden = _identities("zhang-xq", "li-zc")
    pages = {"anonymous list": client.get("/data-requests"),
             "anonymous page": client.get(f"/data-requests/{reference}"),
             "API list": client.get("/api/v1/data-requests"),
             "API list, supported first": client.get("/api/v1/data-requests?sort=supported"),
             "API page": client.get(f"/api/v1/data-requests/{reference}")}
    auth.login("wang-fm")  # another citizen, and a supporter
    pages["citizen's list"] = client.get("/data-requests")
    pages["citizen's page"] = client.get(f"/data-requests/{reference}")
    for what, response in pages.items():
        assert response.status_code == 200, what
        body = text_of(response)
        assert REQUEST["title"] in body, what
        assert not [value for value in hidden if value in body], what
    assert "提交人" in pages["anonymous page"].get_data(as_text=True)  # the step is shown, not the person
    assert pages["API page"].get_json()["data"]["submitter"] == ""
    auth.logout()
    auth.login("admin")  # the full view names the submitter: the check above can fail
    assert "张晓琴（411***********7781）" in client.get(f"/data-requests/{reference}").get_data(as_text=True)


# -- the public list ---------------------------------------------------------------------------------
def test_public_list_filters_sorts_pages_and_refuses_long_queries(setup, client):
    with setup.app_context():
        first = file(title="公交客流 100% 统计").reference
        second = file("li-zc", title="药店_名录扩展").reference
        third = file("wang-fm", title="公交站点位置").reference
        withdrawn = file(title="公交撤回的需求").reference
        data_requests.withdraw(actor("zhang-xq"), withdrawn)
        for username in ("li-zc", "wang-fm"):
            data_requests.support(actor(username), first)
        data_requests.support(actor("zhang-xq"), third)
        data_requests.route(actor("admin"), third, "jtysj")

        def refs(**kwargs):
            return [r.reference for r in data_requests.public_list(**kwargs).items]

        assert refs() == [third, second, first]
        assert refs(sort="supported") == [first, third, second]
        assert refs(state="dispatched") == [third]
        assert refs(state="submitted") == [second, first]
        assert refs(q="公交") == [third, first]
        assert refs(q="%") == [first]  # a literal percent sign, not a wildcard
        assert refs(q="_") == [second]
        assert refs(q="撤回") == []
        two = data_requests.public_list(per_page=2, page=2)
        assert two.total == 3 and two.pages == 2 and [r.reference for r in two.items] == [first]
        for kwargs in ({"state": "withdrawn"}, {"state": "nonsense"}, {"sort": "random"}, {"q": "公" * 101}):
            with pytest.raises(ValidationError):
                data_requests.public_list(**kwargs)
    page = client.get("/data-requests?state=dispatched").get_data(as_text=True)
    assert "公交站点位置" in page and "南阳市交通运输局" in page and "药店_名录扩展" not in page
    page = client.get("/data-requests?sort=supported&q=公交").get_data(as_text=True)
    assert page.index("公交客流 100% 统计") < page.index("公交站点位置")
    api = client.get("/api/v1/data-requests", query_string={"per_page": 1, "page": 3}).get_json()["data"]
    assert api["total"] == 3 and api["pages"] == 3 and [r["reference"] for r in api["items"]] == [first]
    huge = "需" * 40_000
    for url in ("/data-requests", "/api/v1/data-requests"):
        response = client.get(url, query_string={"q": huge})
        assert response.status_code == 422 and "不超过 100 字" in text_of(response)
    assert client.get("/api/v1/data-requests?state=nonsense").status_code == 422


# -- the form ----------------------------------------------------------------------------------------
def test_the_request_form(setup, client, auth):
    assert client.get("/data-requests/new").status_code == 302  # to the login form
    auth.login("market-staff")
    refused = client.get("/data-requests/new")
    assert refused.status_code == 403 and "工作人员账号不能提出" in refused.get_data(as_text=True)
    auth.logout()
    auth.login("zhang-xq")
    form = client.get("/data-requests/new?dataset=m-open").get_data(as_text=True)
    assert 'name="dataset" maxlength="80" value="m-open"' in form and "不是法定期限" in form
    assert '<option value="more_fields" selected>' in form
    bad = client.post("/data-requests/new", data={"title": "", "description": "x", "category": "new_dataset"})
    assert bad.status_code == 422 and "请填写需求名称" in bad.get_data(as_text=True)
    created = client.post("/data-requests/new", data=dict(REQUEST, category="new_dataset", department_hint="jtysj"))
    assert created.status_code == 302 and "/data-requests/NYXQ" in created.headers["Location"]
    with setup.app_context():
        assert count(Case) == 1
        assert db.session.scalar(select(Case.details)) == {"department_hint": "jtysj"}


# -- the API -----------------------------------------------------------------------------------------
def test_api_round_trip(setup, client):
    with setup.app_context():
        asker, backer, admin, staff = (bearer(u) for u in ("zhang-xq", "li-zc", "admin", "market-staff"))
    assert client.post("/api/v1/data-requests", json=REQUEST).status_code == 401  # writes need a token
    assert client.post("/api/v1/data-requests", headers=asker, data="not json").status_code == 422
    created = client.post("/api/v1/data-requests", headers=asker, json=dict(REQUEST, category="new_dataset"))
    assert created.status_code == 201
    reference = created.get_json()["data"]["reference"]
    assert created.get_json()["data"]["submitter"] == "张晓琴（411***********7781）"
    public = client.get(f"/api/v1/data-requests/{reference}").get_json()["data"]
    assert public["submitter"] == "" and public["description"] == REQUEST["description"] and public["actions"] == []
    assert client.get(f"/api/v1/data-requests/{reference}", headers=backer).get_json()["data"]["actions"] == ["support"]

    support = f"/api/v1/data-requests/{reference}/support"
    assert client.post(support).status_code == 401
    assert client.post(support, headers=backer).get_json()["data"]["supporters"] == 1
    assert client.post(support, headers=backer).get_json()["data"]["supporters"] == 1
    assert client.delete(support, headers=backer).get_json()["data"]["supporters"] == 0
    assert client.post(support, headers=backer).get_json()["data"]["supporters"] == 1
    assert client.post(support, headers=asker).status_code == 403

    routing = f"/api/v1/data-requests/{reference}/routing"
    assert client.post(routing, headers=staff, json={"decision": "route", "department": "scjgj"}).status_code == 403
    assert client.post(routing, headers=admin, json={"decision": "maybe"}).status_code == 422
    assert client.post(routing, headers=admin, json={"decision": "reject"}).status_code == 422
    routed_ = client.post(routing, headers=admin, json={"decision": "route", "department": "scjgj", "note": "请研究"})
    assert routed_.status_code == 200 and routed_.get_json()["data"]["deadline"] == "2026-10-16"

    queue = client.get("/api/v1/data-requests?role=department", headers=staff).get_json()["data"]
    assert [r["reference"] for r in queue["items"]] == [reference] and queue["items"][0]["days_left"] == 10
    assert client.get("/api/v1/data-requests?role=department").status_code == 401
    assert client.get("/api/v1/data-requests?role=department", headers=asker).status_code == 403
    answered = client.post(f"/api/v1/data-requests/{reference}/answer", headers=staff,
                           json={"will_open": True, "promised_date": "2026-11-30", "reasons": "年底前开放"})
    assert answered.status_code == 200 and answered.get_json()["data"]["state"] == "will_open"

    mine = client.get("/api/v1/data-requests?mine=1", headers=asker).get_json()["data"]
    assert [(r["reference"], r["state"]) for r in mine["items"]] == [(reference, "will_open")]
    assert client.get("/api/v1/data-requests?mine=1").status_code == 401
    assert client.get("/api/v1/data-requests/NYXQ00000000000000").status_code == 404
    with setup.app_context():
        assert inbox("li-zc")[-1] == f"数据需求答复：将开放：{reference}"


def test_api_answers_conform_to_the_document(setup):
    """The public list and page as documented, with real requests in them (anonymous and with a token)."""
    with setup.app_context():
        reference = routed().reference
        data_requests.support(actor("li-zc"), reference)
        file("wang-fm", title="另一个需求")
        headers = bearer("market-staff")
    schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", setup)
    listing = schema["/api/v1/data-requests"]["GET"]
    show = schema["/api/v1/data-requests/{reference}"]["GET"]
    for auth_headers in ({}, headers):
        for query in ({}, {"sort": "supported", "state": "dispatched"}, {"q": "公交"}):
            response = listing.Case(query=query, headers=auth_headers).call_and_validate(checks=CHECKS)
            assert response.status_code == 200 and response.json()["data"]["total"] >= 1
        page = show.Case(path_parameters={"reference": reference}, headers=auth_headers).call_and_validate(checks=CHECKS)
        assert page.status_code == 200 and page.json()["data"]["supporters"] == 1
    queue = listing.Case(query={"role": "department"}, headers=headers).call_and_validate(checks=CHECKS)
    assert [r["reference"] for r in queue.json()["data"]["items"]] == [reference]
