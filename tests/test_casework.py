"""What objections, error reports and data requests share with applications: one clock, one sweep,
one department queue and one set of figures (issue 7 item 5). Cases are made with the shared core
here; the per-kind journeys have their own test files."""

from datetime import date, datetime, time

import pytest
from sqlalchemy import select

from portal.errors import NotAuthorized
from portal.extensions import db
from portal.models import Case, CaseEvent, Notification, User
from portal.policies import SYSTEM
from portal.services import applications, cases, deadlines, publishing, tokens, worklist
from portal.services import clock as portal_clock
from tests.test_downloads import BASIS, add_user


@pytest.fixture
def today(monkeypatch):
    state = {"today": date(2026, 9, 28)}  # a Monday; Oct 1–7 off, Sat Oct 10 worked
    monkeypatch.setattr(portal_clock, "now", lambda: datetime.combine(state["today"], time(2, 0)))

    def set_today(day: date):
        state["today"] = day
    return set_today


@pytest.fixture
def setup(app, people, write_package, today):
    with app.app_context():
        folder = write_package("cond", name="m-cond", title="药店名录（有条件）", open_access="conditional",
                               open_access_basis=BASIS)
        assert publishing.publish(SYSTEM, [folder]).ok
        market = db.session.scalar(select(User.department_id).where(User.username == "market-staff"))
        add_user("citizen", "person")
        add_user("firm", "firm")
        add_user("head", "head", department_id=market)
    return app


def actor(username):
    return db.session.scalar(select(User).where(User.username == username))


def objection(by="citizen", period=10) -> Case:
    """An objection with the department's clock running from today."""
    dataset = cases.dataset_by_name("m-cond")
    case = cases.new_case(actor(by), "objection", description="应当无条件开放", category="open_access",
                          dataset=dataset, department_id=dataset.department_id)
    portal_clock.start(case, period)
    db.session.commit()
    return case


def error_report_with_the_department(period=5) -> Case:
    dataset = cases.dataset_by_name("m-cond")
    case = cases.new_case(actor("firm"), "error_report", description="第 2 行面积有误", category="wrong_value",
                          dataset=dataset, details={"resource": "pharmacies", "row": 2})
    case.department_id, case.state = dataset.department_id, "dispatched"
    portal_clock.start(case, period)
    db.session.commit()
    return case


def test_case_references_and_the_shared_deadline_rule(setup):
    with setup.app_context():
        case = objection()
        assert case.reference == f"NYYY20260928{case.id:06d}"
        assert case.deadline == date(2026, 10, 16) and case.period == 10  # the same rule as applications
        assert error_report_with_the_department().deadline == date(2026, 10, 10)  # a Saturday that is worked
        summary = cases.summary(case)
        assert summary.days_left == 10 and not summary.overdue and summary.url == f"/objections/{case.reference}"


def test_the_sweep_reminds_once_and_marks_overdue_once_for_cases(setup, today):
    with setup.app_context():
        case = objection()  # deadline 2026-10-16
        today(date(2026, 10, 14))
        first = deadlines.sweep(date(2026, 10, 14))
        assert first.reminders == 3 and deadlines.sweep(date(2026, 10, 14)).reminders == 0  # staff and 2 heads
        today(date(2026, 10, 19))
        assert deadlines.sweep(date(2026, 10, 19)).overdue == 1
        assert deadlines.sweep(date(2026, 10, 19)).overdue == 0
        db.session.refresh(case)
        assert case.overdue_since == date(2026, 10, 19)
        assert db.session.scalar(select(CaseEvent.kind).where(CaseEvent.case_id == case.id,
                                                              CaseEvent.kind == "overdue")) == "overdue"
        notified = {n.user_id for n in db.session.scalars(select(Notification).where(
            Notification.key == f"overdue:{case.reference}:2026-10-16"))}
        assert notified == {actor(u).id for u in ("market-staff", "market-head", "head", "admin")}
        assert cases.summary(case).days_left == -1 and cases.summary(case).overdue


def test_a_case_without_a_clock_is_never_overdue(setup, today):
    with setup.app_context():
        dataset = cases.dataset_by_name("m-cond")
        waiting = cases.new_case(actor("citizen"), "error_report", description="x", category="other", dataset=dataset)
        db.session.commit()
        today(date(2027, 1, 4))
        assert deadlines.sweep(date(2027, 1, 4)).overdue == 0
        assert cases.summary(waiting).days_left is None and waiting.overdue_since is None


def test_the_queue_puts_every_process_side_by_side_by_deadline(setup, today):
    with setup.app_context():
        obj = objection()  # 2026-10-16
        obj.submitted_at = obj.submitted_at.replace(hour=1)  # an hour before the application below
        report = error_report_with_the_department()  # 2026-10-10
        receipt = applications.submit(
            actor("firm"), "m-cond", "研究", "规划", "专机存储", {"pharmacies": []}, date(2026, 10, 1),
            date(2027, 9, 30), True).receipt  # 2026-10-16, submitted after the objection
        dataset = cases.dataset_by_name("m-cond")
        waiting = cases.new_case(actor("citizen"), "data_request", description="公交到站", category="new_dataset",
                                 title="公交实时到站数据")
        waiting.department_id = dataset.department_id  # a case without a running clock comes last
        db.session.commit()
        page = worklist.worklist(actor("market-staff"))
        assert [i.reference for i in page.items] == [report.reference, obj.reference, receipt, waiting.reference]
        assert [i.kind for i in page.items] == ["error_report", "objection", "application", "data_request"]
        assert page.items[0].waiting_for == "数据提供部门" and page.items[-1].deadline is None
        assert worklist.worklist(actor("transport-staff")).total == 0  # another department's queue is its own
        assert worklist.worklist(actor("admin")).total == 4  # the data authority sees every department
        assert worklist.worklist(actor("admin"), "jtysj").total == 0
        with pytest.raises(NotAuthorized):
            worklist.worklist(actor("citizen"))
        with pytest.raises(NotAuthorized):
            worklist.worklist(actor("market-staff"), "jtysj")


def test_figures_count_each_process_against_its_own_deadline(setup, today):
    with setup.app_context():
        on_time, late, still_open = objection(), objection("firm"), objection()
        today(date(2026, 10, 12))
        cases.answered(on_time)
        cases.close(on_time, "disagreed")
        today(date(2026, 10, 20))  # after the 2026-10-16 deadline
        cases.answered(late)
        cases.close(late, "disagreed")
        db.session.commit()
        rows = {r.process: r for r in deadlines.figures(actor("market-head"))}
        assert set(rows) == set(deadlines.PROCESSES)
        o = rows["objection"]
        assert (o.received, o.on_time, o.late, o.open, o.open_overdue) == (3, 1, 1, 1, 1)
        assert o.median_workdays == (6 + 12) / 2  # Sep 28 → Oct 12: 6 working days (Sat Oct 10 too); → Oct 20: 12
        assert rows["application"].received == 0 and rows["error_report"].received == 0
        assert still_open.state == "submitted"


def test_correction_figures_follow_the_second_clock(setup, today):
    with setup.app_context():
        report = error_report_with_the_department()  # decision due 2026-10-10
        today(date(2026, 10, 9))
        cases.answered(report)
        report.state = "correcting"
        report.details = {**report.details, "decided_on": "2026-10-09"}
        portal_clock.start(report, 10)  # correction due 2026-10-23
        db.session.commit()
        rows = {r.process: r for r in deadlines.figures(actor("market-staff"))}
        assert (rows["error_report"].on_time, rows["error_report"].late) == (1, 0)
        assert (rows["error_correction"].received, rows["error_correction"].open) == (1, 1)
        today(date(2026, 10, 26))
        rows = {r.process: r for r in deadlines.figures(actor("market-staff"))}
        assert rows["error_correction"].open_overdue == 1
        report.details = {**report.details, "correction_deadline": f"{report.deadline}"}
        cases.close(report, "corrected")
        db.session.commit()
        rows = {r.process: r for r in deadlines.figures(actor("market-staff"))}
        assert (rows["error_correction"].on_time, rows["error_correction"].late) == (0, 1)


def test_queue_my_cases_and_figures_over_http(setup, client, auth):
    with setup.app_context():
        case = objection()
        staff_token = tokens.create_token(SYSTEM, actor("market-staff").id, "t")[1]
        citizen_token = tokens.create_token(SYSTEM, actor("citizen").id, "t")[1]
    auth.login("market-staff")
    page = client.get("/console/queue").get_data(as_text=True)
    assert case.reference in page and "开放目录更正申请" in page and "2026-10-16" in page
    auth.logout()
    auth.login("citizen")
    assert client.get("/console/queue").status_code == 403
    mine = client.get("/account/cases").get_data(as_text=True)
    assert case.reference in mine
    assert case.reference not in client.get("/account/cases?kind=data_request").get_data(as_text=True)
    auth.logout()
    auth.login("firm")
    assert case.reference not in client.get("/account/cases").get_data(as_text=True)  # only one's own
    auth.logout()
    figures = client.get("/api/v1/figures", headers={"Authorization": f"Bearer {staff_token}"})
    assert figures.status_code == 200
    rows = [r for r in figures.get_json()["data"] if r["process"] == "objection"]
    assert rows[0]["received"] == 1 and rows[0]["open"] == 1
    assert client.get("/api/v1/figures", headers={"Authorization": f"Bearer {citizen_token}"}).status_code == 403


def test_a_bearer_token_decides_who_calls_even_beside_a_session_cookie(setup, client, auth):
    with setup.app_context():
        staff_token = tokens.create_token(SYSTEM, actor("market-staff").id, "t")[1]
    auth.login("citizen")  # the browser's session cookie goes along with every request below
    assert client.get("/api/v1/figures").status_code == 403  # the session: a citizen
    assert client.get("/api/v1/figures", headers={"Authorization": f"Bearer {staff_token}"}).status_code == 200
    wrong = client.get("/api/v1/figures", headers={"Authorization": "Bearer nyt_not-a-real-token"})
    assert wrong.status_code == 401 and "令牌" in wrong.get_json()["error"]["message"]


def test_the_queue_says_who_acts_next_in_english_too(setup, client, auth):
    with setup.app_context():
        objection()
    auth.login("market-staff")
    page = client.get("/console/queue?lang=en").get_data(as_text=True)
    assert "Producing department" in page and "数据提供部门" not in page
