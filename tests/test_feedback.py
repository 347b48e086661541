"""Ratings and comments on datasets (art. 50): posting rules, the average, reports, moderation by the
producing department and the data authority, the moderation queue, pseudonyms, and the web pages."""

import hashlib
import hmac
import re
from datetime import datetime
from types import SimpleNamespace

import pytest
from flask import render_template
from flask_login import AnonymousUserMixin, login_user
from sqlalchemy import func, select

from portal import create_app
from portal.errors import NotAuthorized, NotFound, ValidationError
from portal.extensions import db
from portal.models import AuditEvent, Feedback, FeedbackReport, Notification, User
from portal.policies import SYSTEM
from portal.services import clock as portal_clock
from portal.services import feedback, publishing
from tests.test_downloads import add_user

MARKET, TRANSPORT = "m-open", "t-roads"
CITIZEN = "zhangsan-citizen"  # a username that must never show up in public


@pytest.fixture
def clock(monkeypatch):
    """Pin "now" (naive UTC); 02:00 UTC is 10:00 in China."""
    state = {"now": datetime(2026, 9, 28, 2, 0)}
    monkeypatch.setattr(portal_clock, "now", lambda: state["now"])

    def set_now(moment: datetime):
        state["now"] = moment
    return set_now


@pytest.fixture
def setup(app, people, write_package, clock):
    with app.app_context():
        assert publishing.publish(SYSTEM, [write_package("m", name=MARKET, title="药店名录")]).ok
        assert publishing.publish(SYSTEM, [write_package("t", name=TRANSPORT, title="道路名录",
                                                         department=people["transport"], domain="交通出行")]).ok
        add_user(CITIZEN, "person")
        add_user("firm", "firm")
        add_user("reader", "person")
        add_user("unverified", "person", verification="pending")
        add_user("suspended", "person", suspended=True)
    return app


def actor(username):
    return db.session.scalar(select(User).where(User.username == username))


def post(username=CITIZEN, rating=4, comment="数据很有用", dataset=MARKET):
    return feedback.post(actor(username), dataset, rating, comment)


def count(model) -> int:
    return db.session.scalar(select(func.count()).select_from(model))


def notified(username, key=None) -> list[Notification]:
    query = select(Notification).where(Notification.user_id == actor(username).id)
    if key:
        query = query.where(Notification.key == key)
    return list(db.session.scalars(query))


def audited(action) -> list[AuditEvent]:
    return list(db.session.scalars(select(AuditEvent).where(AuditEvent.action == action)))


# -- posting -------------------------------------------------------------------------------------
def test_posting_a_rating_and_a_comment(setup):
    with setup.app_context():
        entry = post(rating="5", comment="  更新及时，字段说明清楚。\r\n谢谢！  ")
        assert entry.rating == 5 and entry.comment == "更新及时，字段说明清楚。\n谢谢！"
        assert entry.mine and entry.can_delete and not entry.can_report and entry.state == "visible"
        assert post(rating=None, comment="只评论").rating is None
        assert post(rating=3, comment="").comment == ""
        assert count(Feedback) == 3 and len(audited("feedback.posted")) == 3
        # the producing department hears of comments, not of bare ratings
        assert len(notified("market-staff")) == 2 and len(notified("market-head")) == 2
        assert notified("transport-staff") == [] and notified("admin") == []


@pytest.mark.parametrize("rating, comment, message", [
    (0, "", "评分须为 1 到 5 的整数"),
    (6, "好", "评分须为 1 到 5 的整数"),
    ("x", "好", "评分须为 1 到 5 的整数"),
    (3.5, "", "评分须为 1 到 5 的整数"),
    (True, "", "评分须为 1 到 5 的整数"),
    (None, "", "请选择评分或填写评论"),
    ("", " \n\t ", "请选择评分或填写评论"),
    (None, "\u200b\u3000\u200b", "不能只包含空白或不可见字符"),
    (4, "好\x07用", "不能包含控制字符"),
    (None, "长" * 1001, "不超过 1000 字"),
])
def test_bad_posts_are_refused_and_change_nothing(setup, rating, comment, message):
    with setup.app_context():
        with pytest.raises(ValidationError, match=message):
            post(rating=rating, comment=comment)
        assert count(Feedback) == 0
    with setup.app_context():
        assert post(rating=None, comment="长" * 1000).comment == "长" * 1000


@pytest.mark.parametrize("username, message", [
    ("unverified", "请先完成实名身份认证"), ("suspended", "账号已被暂停"), ("market-staff", "工作人员账号不能评价"),
    ("admin", "工作人员账号不能评价"),
])
def test_who_may_post(setup, username, message):
    with setup.app_context():
        with pytest.raises(NotAuthorized, match=message):
            post(username)
        with pytest.raises(NotAuthorized, match="请先登录"):
            feedback.post(AnonymousUserMixin(), MARKET, 5, "")
        with pytest.raises(NotFound):
            post(dataset="no-such-dataset")
        assert count(Feedback) == 0
        shown = feedback.for_dataset(actor(username), MARKET)
        assert not shown.can_post and message in shown.why_not


def test_at_most_five_entries_per_person_dataset_and_china_day(setup, clock):
    with setup.app_context():
        for n in range(5):
            post(comment=f"第 {n + 1} 条")
        clock(datetime(2026, 9, 28, 15, 59))  # 23:59 in China: still the same day
        with pytest.raises(ValidationError, match="每天最多发表 5 条"):
            post()
        post(dataset=TRANSPORT)  # another dataset has its own allowance
        post("firm")  # and so has another person
        feedback.delete_own(actor(CITIZEN), feedback.for_dataset(None, MARKET).page.items[-1].id)
        with pytest.raises(ValidationError, match="每天最多发表 5 条"):
            post()  # deleting does not give the allowance back
        clock(datetime(2026, 9, 28, 16, 0))  # midnight in China
        assert post().rating == 4
        assert count(Feedback) == 8


# -- reading -------------------------------------------------------------------------------------
def test_the_average_counts_each_persons_latest_visible_rating(setup):
    with setup.app_context():
        post(rating=1, comment="")
        latest = post(rating=5, comment="改正后好多了")
        post("firm", rating=4, comment="")
        post("reader", rating=None, comment="没有评分的评论")
        shown = feedback.for_dataset(None, MARKET)
        assert (shown.average, shown.ratings) == (4.5, 2) and shown.stars == "★★★★★"
        assert shown.distribution == {1: 0, 2: 0, 3: 0, 4: 1, 5: 1}
        assert shown.page.total == 4 and [e.comment for e in shown.page.items][:2] == ["没有评分的评论", ""]

        feedback.delete_own(actor(CITIZEN), latest.id)  # the earlier rating counts again
        shown = feedback.for_dataset(None, MARKET)
        assert (shown.average, shown.ratings, shown.stars) == (2.5, 2, "★★★☆☆")
        post("reader", rating=4, comment="")  # (1 + 4 + 4) / 3
        assert feedback.for_dataset(None, MARKET).average == 3.0
        post("reader", rating=5, comment="")  # (1 + 4 + 5) / 3 = 3.33…
        assert feedback.for_dataset(None, MARKET).average == 3.3
        empty = feedback.for_dataset(None, TRANSPORT)
        assert (empty.average, empty.ratings, empty.page.total, empty.stars) == (None, 0, 0, "☆☆☆☆☆")


def test_hidden_entries_are_not_shown_publicly(setup):
    with setup.app_context():
        kept = post(rating=5, comment="很好")
        bad = post("firm", rating=1, comment="不文明的内容")
        feedback.moderate(actor("market-staff"), bad.id, True, "含有不文明用语")
        for viewer in (None, actor("reader"), actor("firm"), actor("transport-staff")):
            shown = feedback.for_dataset(viewer, MARKET)
            assert [e.id for e in shown.page.items] == [kept.id] and shown.ratings == 1 and shown.average == 5.0
        with pytest.raises(NotAuthorized):
            feedback.for_dataset(actor("reader"), MARKET, include_hidden=True)
        everything = feedback.for_dataset(actor("market-head"), MARKET, include_hidden=True)
        hidden = next(e for e in everything.page.items if e.id == bad.id)
        assert hidden.state == "hidden" and hidden.moderation_reason == "含有不文明用语"
        assert everything.ratings == 1  # the average is what the public sees


def test_paging_newest_first(setup, clock):
    with setup.app_context():
        for n, username in enumerate((CITIZEN, "firm", "reader")):
            clock(datetime(2026, 9, 28, 2, n))
            post(username, comment=f"评论 {n}")
        first = feedback.for_dataset(None, MARKET, page=1, per_page=2)
        assert [e.comment for e in first.page.items] == ["评论 2", "评论 1"] and first.page.pages == 2
        last = feedback.for_dataset(None, MARKET, page=99, per_page=2)
        assert last.page.page == 2 and [e.comment for e in last.page.items] == ["评论 0"]


def test_pseudonyms_are_stable_and_never_the_name(setup):
    with setup.app_context():
        user = actor(CITIZEN)
        first, second = post(), post(rating=None, comment="再来一条")
        expected = "用户" + hmac.new(b"test-secret", f"feedback-author:{user.id}".encode(),
                                     hashlib.sha256).hexdigest()[:4]
        assert first.author == second.author == expected
        assert re.fullmatch(r"用户[0-9a-f]{4}", first.author)
        assert first.author not in (user.username, user.display_name) and CITIZEN not in first.author
        assert {e.author for e in feedback.for_dataset(None, MARKET).page.items} == {expected}


# -- reports ------------------------------------------------------------------------------------------
def test_reporting_once_per_person_and_moderators_notified_once(setup):
    with setup.app_context():
        entry = post(comment="不文明的内容")
        rating_only = post("firm", rating=2, comment="")
        reported = feedback.report(actor("reader"), entry.id, "  人身攻击  ")
        assert reported.reported and not reported.can_report
        with pytest.raises(ValidationError, match="您已举报过该评论"):
            feedback.report(actor("reader"), entry.id, "再次举报")
        with pytest.raises(NotAuthorized, match="不能举报自己的评价"):
            feedback.report(actor(CITIZEN), entry.id, "自己举报自己")
        with pytest.raises(NotAuthorized, match="请先登录"):
            feedback.report(AnonymousUserMixin(), entry.id, "匿名")
        with pytest.raises(ValidationError, match="请填写举报理由"):
            feedback.report(actor("firm"), entry.id, "   ")
        with pytest.raises(ValidationError, match="不超过 500 字"):
            feedback.report(actor("firm"), entry.id, "长" * 501)
        with pytest.raises(ValidationError, match="只有评分"):
            feedback.report(actor("reader"), rating_only.id, "打分太低")
        with pytest.raises(NotFound):
            feedback.report(actor("reader"), 987654, "不存在")
        feedback.report(actor("firm"), entry.id, "广告")
        feedback.report(actor("market-staff"), entry.id, "工作人员也可举报")

        assert db.session.get(Feedback, entry.id).reports == 3 and count(FeedbackReport) == 3
        assert [r.reason for r in db.session.scalars(select(FeedbackReport).order_by(FeedbackReport.id))] == \
            ["人身攻击", "广告", "工作人员也可举报"]
        key = f"feedback-report:{entry.id}"
        for moderator in ("market-staff", "market-head", "admin"):
            (message,) = notified(moderator, key)
            assert "人身攻击" in message.body and message.link == "/console/feedback"
        assert notified("transport-staff") == [] and notified(CITIZEN) == []
        assert len(audited("feedback.reported")) == 3


def test_a_report_racing_past_the_check_is_refused_by_the_constraint(setup, monkeypatch):
    with setup.app_context():
        entry = post(comment="内容")
        feedback.report(actor("reader"), entry.id, "第一次")
        monkeypatch.setattr(feedback, "_has_reported", lambda *_: False)  # as if a double click won the race
        with pytest.raises(ValidationError, match="您已举报过该评论"):
            feedback.report(actor("reader"), entry.id, "第二次")
        db.session.rollback()
        assert db.session.get(Feedback, entry.id).reports == 1 and count(FeedbackReport) == 1
        feedback.report(actor("firm"), entry.id, "另一人")  # the session is still usable
        assert db.session.get(Feedback, entry.id).reports == 2


# -- moderation ------------------------------------------------------------------------------------
def test_who_may_moderate(setup):
    with setup.app_context():
        entry = post(comment="不文明的内容")
        for username in ("transport-staff", CITIZEN, "reader"):
            with pytest.raises(NotAuthorized):
                feedback.moderate(actor(username), entry.id, True, "不文明")
        with pytest.raises(NotAuthorized):
            feedback.moderate(AnonymousUserMixin(), entry.id, True, "不文明")
        assert db.session.get(Feedback, entry.id).state == "visible" and audited("feedback.hidden") == []
        assert feedback.moderate(actor("market-staff"), entry.id, True, "不文明").state == "hidden"
        assert feedback.moderate(actor("admin"), entry.id, False, "").state == "visible"
        assert feedback.moderate(actor("market-head"), entry.id, True, "仍不文明").state == "hidden"


def test_hiding_and_restoring(setup):
    with setup.app_context():
        entry = post(comment="不文明的内容")
        feedback.report(actor("reader"), entry.id, "人身攻击")
        feedback.report(actor("firm"), entry.id, "辱骂")
        with pytest.raises(ValidationError, match="请填写隐藏理由"):
            feedback.moderate(actor("market-staff"), entry.id, True, " ")
        hidden = feedback.moderate(actor("market-staff"), entry.id, True, "含有人身攻击内容")
        assert hidden.state == "hidden" and hidden.reports == 0
        row = db.session.get(Feedback, entry.id)
        assert row.moderated_by_id == actor("market-staff").id and row.moderated_at == portal_clock.now()
        assert row.moderation_reason == "含有人身攻击内容" and row.reports == 0
        assert all(r.resolved_at is not None for r in db.session.scalars(select(FeedbackReport)))
        (event,) = audited("feedback.hidden")
        assert event.detail["reason"] == "含有人身攻击内容" and event.detail["reports_resolved"] == 2
        (message,) = notified(CITIZEN)
        assert message.subject == "您的评价已被隐藏" and "含有人身攻击内容" in message.body
        assert "南阳市市场监督管理局" in message.body
        with pytest.raises(ValidationError, match="已被隐藏"):
            feedback.moderate(actor("admin"), entry.id, True, "再隐藏")
        with pytest.raises(ValidationError, match="无需举报"):
            feedback.report(actor("market-head"), entry.id, "已隐藏的")

        restored = feedback.moderate(actor("admin"), entry.id, False, "经复核不违规")
        assert restored.state == "visible" and len(audited("feedback.restored")) == 1
        assert notified(CITIZEN)[-1].subject == "您的评价已恢复显示"
        with pytest.raises(ValidationError, match="没有待处理的举报"):
            feedback.moderate(actor("admin"), entry.id, False, "")


def test_keeping_a_reported_entry_dismisses_its_reports(setup):
    with setup.app_context():
        entry = post(comment="批评意见：数据更新太慢")
        feedback.report(actor("reader"), entry.id, "我不同意")
        kept = feedback.moderate(actor("market-staff"), entry.id, False, "属于正常批评")
        assert kept.state == "visible" and db.session.get(Feedback, entry.id).reports == 0
        assert len(audited("feedback.reports_dismissed")) == 1 and audited("feedback.restored") == []
        assert notified(CITIZEN) == []  # nothing happened to the author's entry
        assert feedback.moderation_queue(actor("market-staff")).total == 0


def test_authors_delete_their_own_entries(setup):
    with setup.app_context():
        entry = post(comment="写错了")
        feedback.report(actor("reader"), entry.id, "误导")
        for username in ("firm", "market-staff", "admin"):
            with pytest.raises(NotAuthorized, match="只能删除自己的评价"):
                feedback.delete_own(actor(username), entry.id)
        deleted = feedback.delete_own(actor(CITIZEN), entry.id)
        assert deleted.state == "hidden" and not deleted.can_delete
        row = db.session.get(Feedback, entry.id)
        assert row.moderation_reason == "作者删除" and row.reports == 0 and row.moderated_by_id == actor(CITIZEN).id
        assert len(audited("feedback.deleted")) == 1 and feedback.for_dataset(None, MARKET).page.total == 0
        with pytest.raises(ValidationError, match="已删除或已被隐藏"):
            feedback.delete_own(actor(CITIZEN), entry.id)
        with pytest.raises(ValidationError, match="作者删除"):
            feedback.moderate(actor("admin"), entry.id, False, "")


def test_the_moderation_queue_per_department(setup, clock):
    with setup.app_context():
        quiet = post(comment="安静的评论")
        once = post("firm", comment="被举报一次")
        twice = post("reader", comment="被举报两次")
        road = post(dataset=TRANSPORT, comment="道路数据的评论")
        feedback.report(actor(CITIZEN), once.id, "广告")
        feedback.report(actor(CITIZEN), twice.id, "辱骂")
        feedback.report(actor("firm"), twice.id, "人身攻击")
        feedback.report(actor("reader"), road.id, "无关内容")

        page = feedback.moderation_queue(actor("market-staff"))
        assert [e.id for e in page.items] == [twice.id, once.id]  # the most reported first
        assert page.items[0].report_reasons == ["辱骂", "人身攻击"] and page.items[0].reports == 2
        assert page.items[0].dataset_title == "药店名录" and page.items[0].department == "南阳市市场监督管理局"
        assert [e.id for e in feedback.moderation_queue(actor("market-head"), reported_only=False).items] == \
            [twice.id, once.id, quiet.id]
        assert [e.id for e in feedback.moderation_queue(actor("transport-staff")).items] == [road.id]
        assert {e.id for e in feedback.moderation_queue(actor("admin")).items} == {twice.id, once.id, road.id}
        assert [e.id for e in feedback.moderation_queue(actor("admin"), "jtysj").items] == [road.id]
        with pytest.raises(NotAuthorized):
            feedback.moderation_queue(actor("market-staff"), "jtysj")
        for username in (CITIZEN, "firm"):
            with pytest.raises(NotAuthorized):
                feedback.moderation_queue(actor(username))

        feedback.moderate(actor("market-staff"), twice.id, True, "辱骂")
        everything = feedback.moderation_queue(actor("market-staff"), reported_only=False)
        hidden = next(e for e in everything.items if e.id == twice.id)
        assert hidden.state == "hidden" and hidden.moderated_by == "南阳市市场监督管理局" and hidden.report_reasons == []
        assert [e.id for e in feedback.moderation_queue(actor("market-staff")).items] == [once.id]


# -- web pages ------------------------------------------------------------------------------------------
def _forms_have_csrf(html: str) -> None:
    forms = re.findall(r"<form\b.*?</form>", html, re.S)
    assert forms and all('name="csrf_token"' in form for form in forms)


def test_posting_through_the_web(setup, client, auth):
    auth.login(CITIZEN)
    response = client.post(f"/datasets/{MARKET}/feedback", data={"rating": "5", "comment": "很好用"})
    assert response.status_code == 302 and response.headers["Location"].endswith(f"/datasets/{MARKET}#feedback")
    refused = client.post(f"/datasets/{MARKET}/feedback", data={"rating": "9", "comment": "保留我写的字"})
    page = refused.get_data(as_text=True)
    assert refused.status_code == 422 and "评分须为 1 到 5 的整数" in page and "保留我写的字" in page
    _forms_have_csrf(page)
    assert client.post(f"/datasets/{MARKET}/feedback", data={"comment": " "}).status_code == 422
    assert client.post("/datasets/nothing-here/feedback", data={"rating": "3"}).status_code == 404
    auth.logout()
    auth.login("market-staff")
    staff = client.post(f"/datasets/{MARKET}/feedback", data={"rating": "5"})
    assert staff.status_code == 403 and "工作人员账号不能评价" in staff.get_data(as_text=True)
    auth.logout()
    anonymous = client.post(f"/datasets/{MARKET}/feedback", data={"rating": "5"})
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    with setup.app_context():
        assert count(Feedback) == 1


def test_reporting_moderating_and_deleting_through_the_web(setup, client, auth):
    with setup.app_context():
        entry = post(comment="不文明的内容")
        own = post("reader", comment="我自己的")
    auth.login("reader")
    back = f"/datasets/{MARKET}?feedback_page=1#feedback"
    response = client.post(f"/feedback/{entry.id}/report", data={"reason": "辱骂", "next": back})
    assert response.status_code == 302 and response.headers["Location"] == back
    again = client.post(f"/feedback/{entry.id}/report", data={"reason": "辱骂"})
    assert again.status_code == 422 and "您已举报过该评论" in again.get_data(as_text=True)
    assert client.post(f"/feedback/{own.id}/report", data={"reason": "x"}).status_code == 403
    outside = client.post(f"/feedback/{own.id}/delete", data={"next": "https://evil.example/"})
    assert outside.status_code == 302 and outside.headers["Location"].endswith(f"/datasets/{MARKET}#feedback")
    assert client.post(f"/feedback/{entry.id}/delete").status_code == 403
    assert client.post(f"/feedback/{entry.id}/moderate", data={"action": "hide", "reason": "x"}).status_code == 403
    auth.logout()

    auth.login("transport-staff")
    assert client.post(f"/feedback/{entry.id}/moderate", data={"action": "hide", "reason": "x"}).status_code == 403
    auth.logout()
    auth.login("market-staff")
    assert client.post(f"/feedback/{entry.id}/moderate", data={"action": "erase"}).status_code == 422
    no_reason = client.post(f"/feedback/{entry.id}/moderate", data={"action": "hide", "reason": ""})
    assert no_reason.status_code == 422 and "请填写隐藏理由" in no_reason.get_data(as_text=True)
    hidden = client.post(f"/feedback/{entry.id}/moderate", data={"action": "hide", "reason": "辱骂他人"})
    assert hidden.status_code == 302 and hidden.headers["Location"].endswith("/console/feedback")
    assert client.post(f"/feedback/{entry.id}/report", data={"reason": "x"}).status_code == 422
    with setup.app_context():
        assert db.session.get(Feedback, entry.id).state == "hidden"
        assert db.session.get(Feedback, own.id).moderation_reason == "作者删除"


def test_the_moderation_queue_page(setup, client, auth):
    with setup.app_context():
        entry = post(rating=1, comment="不文明的内容")
        post("firm", comment="未被举报的评论")
        feedback.report(actor("reader"), entry.id, "含有辱骂")
        author = feedback.pseudonym(actor(CITIZEN).id)
    auth.login("market-staff")
    page = client.get("/console/feedback").get_data(as_text=True)
    assert "不文明的内容" in page and "含有辱骂" in page and author in page and "药店名录" in page
    assert "未被举报的评论" not in page and CITIZEN not in page and "隐藏该评价" in page and "保留（驳回举报）" in page
    assert "提交举报" not in page  # moderators hide rather than report
    _forms_have_csrf(page)
    assert "未被举报的评论" in client.get("/console/feedback?all=1").get_data(as_text=True)
    assert client.get("/console/feedback?department=jtysj").status_code == 403
    auth.logout()
    auth.login("admin")
    assert "含有辱骂" in client.get("/console/feedback?department=scjgj").get_data(as_text=True)
    assert "含有辱骂" not in client.get("/console/feedback?department=jtysj").get_data(as_text=True)
    auth.logout()
    auth.login(CITIZEN)
    assert client.get("/console/feedback").status_code == 403


def _render_partial(app, username, **kwargs) -> str:
    with app.test_request_context(f"/datasets/{MARKET}"):
        user = actor(username) if username else AnonymousUserMixin()
        if username:
            login_user(user)
        shown = feedback.for_dataset(user, MARKET, per_page=3, **kwargs)
        return render_template("feedback/_dataset.html", feedback=shown, d=SimpleNamespace(name=MARKET))


def test_the_dataset_partial(setup):
    with setup.app_context():
        for n in range(5):
            post("reader", rating=None, comment=f"读者评论 {n}")
        other = post("firm", rating=4, comment="别人的评论")
        mine = post(rating=5, comment="我的评论")
    html = _render_partial(setup, CITIZEN)
    assert 'id="feedback"' in html and "4.5" in html and "★★★★★" in html and "2 人评分" in html
    assert 'name="rating"' in html and 'name="comment"' in html and "发表评价" in html
    assert f'action="/feedback/{mine.id}/delete"' in html and f'action="/feedback/{other.id}/report"' in html
    assert f'action="/feedback/{mine.id}/report"' not in html and CITIZEN not in html and "（我）" in html
    assert "feedback_page=2" in html and "隐藏该评价" not in html and "读者评论 4" in html
    _forms_have_csrf(html)

    html = _render_partial(setup, None)
    assert "请先登录" in html and "/login" in html and 'name="comment"' not in html and "/report" not in html
    assert "我的评论" in html and "reader" not in html

    html = _render_partial(setup, "market-staff", page=2)
    assert "工作人员账号不能评价" in html and "隐藏该评价" in html and "评价管理" in html
    assert "读者评论 3" in html and "读者评论 1" in html and "我的评论" not in html
    assert "feedback_page=1" in html and "feedback_page=3" in html
    _forms_have_csrf(html)


def test_csrf_is_required(config, setup):
    protected = create_app(config | {"WTF_CSRF_ENABLED": True})
    response = protected.test_client().post(f"/datasets/{MARKET}/feedback", data={"rating": "5"})
    assert response.status_code == 400 and "CSRF" in response.get_data(as_text=True)
    with setup.app_context():
        assert count(Feedback) == 0
