"""Catalog objections (art. 45) and catalog changes: both outcomes through the data authority's
decision and the catalog history, deadlines and extensions, who may do what, and the objector's
identity kept out of every public page."""

import io
import json
import random
import re
from datetime import date, datetime, time
from pathlib import Path

import pytest
from flask import render_template
from flask_login import AnonymousUserMixin
from sqlalchemy import func, select

from anonymization.identifiers import cn_id_card
from portal.errors import NotAuthorized, ValidationError
from portal.extensions import db
from portal.models import AuditEvent, Case, CatalogChange, Dataset, Notification, User
from portal.policies import SYSTEM
from portal.services import catalog_changes, objections, publishing, tokens
from portal.services import clock as portal_clock
from tests.conftest import PASSWORD, stored_versions
from tests.test_downloads import BASIS, add_user

# The objector's identity, none of which may appear on a public page.
OBJECTOR = {"username": "zhang-objector", "display_name": "张秀英", "identity_masked": "411303********2345"}
PDF = ("营业执照.pdf", b"%PDF-1.7\n%%EOF\n")


@pytest.fixture
def clock(monkeypatch):
    """Set the portal's "today" (China date); starts on Monday 2026-09-28."""
    state = {"today": date(2026, 9, 28)}
    monkeypatch.setattr(portal_clock, "now", lambda: datetime.combine(state["today"], time(2, 0)))  # 10:00 in China

    def set_today(day: date):
        state["today"] = day
    return set_today


@pytest.fixture
def setup(app, people, write_package, clock):
    """m-closed (closed, no personal data), m-cond (conditional) and the department's people; the
    objector and other citizens, verified or not."""
    with app.app_context():
        for name, access in (("m-closed", "closed"), ("m-cond", "conditional")):
            folder = write_package(name, name=name, title=f"药店名录（{name}）", open_access=access,
                                   open_access_basis=BASIS)
            assert publishing.publish(SYSTEM, [folder]).ok
        objector = add_user(OBJECTOR["username"], "person")
        objector.display_name, objector.identity_masked = OBJECTOR["display_name"], OBJECTOR["identity_masked"]
        db.session.commit()
        add_user("other", "person")
        add_user("firm", "firm")
        add_user("unverified", "person", verification="pending")
        add_user("suspended", "person", suspended=True)
    return app


def actor(username):
    return db.session.scalar(select(User).where(User.username == username))


def file(dataset="m-closed", username=OBJECTOR["username"], **kw):
    values = dict(category="open_access", description="该名录不涉及个人信息，应当无条件开放",
                  suggested={"open_access": "unconditional"}) | kw
    return objections.file(actor(username), dataset, **values)


def open_unconditionally(reference):
    return objections.agree(actor("market-staff"), reference, {"open_access": "unconditional"}, "经复核，数据可无条件开放")


def notified(username) -> list[str]:
    return list(db.session.scalars(select(Notification.subject).where(Notification.user_id == actor(username).id)
                                   .order_by(Notification.id)))


def audited(reference_or_name) -> list[str]:
    return list(db.session.scalars(select(AuditEvent.action).where(AuditEvent.object_id == reference_or_name)
                                   .order_by(AuditEvent.id)))


def login(client, username):
    client.post("/logout")
    assert client.post("/login", data={"username": username, "password": PASSWORD}).status_code == 302


def bearer(username) -> dict:
    return {"Authorization": f"Bearer {tokens.create_token(SYSTEM, actor(username).id, 't')[1]}"}


# -- 1. the full path: the department agrees, the data authority approves -------------------------
def test_agreed_objection_opens_the_entry_with_history(setup, client):
    login(client, OBJECTOR["username"])
    form = client.get("/datasets/m-closed/objections/new").get_data(as_text=True)
    assert "开放属性有误" in form and "10 个工作日" in form
    filed = client.post("/datasets/m-closed/objections/new", data={
        "category": "open_access", "description": "名录只有企业名称和地址，应当无条件开放",
        "suggested_open_access": "unconditional", "documents": [(io.BytesIO(PDF[1]), PDF[0])]},
        content_type="multipart/form-data")
    assert filed.status_code == 302
    reference = filed.headers["Location"].rsplit("/", 1)[1]
    assert reference.startswith("NYYY20260928")
    page = client.get(f"/objections/{reference}").get_data(as_text=True)
    assert "2026-10-16" in page and "还剩 10 个工作日" in page and "营业执照.pdf" in page

    login(client, "market-staff")
    agree_form = client.get(f"/objections/{reference}").get_data(as_text=True)
    assert 'id="agree"' in agree_form and BASIS in agree_form  # pre-filled with the current values
    answered = client.post(f"/objections/{reference}/agree", data={
        "title": "药店名录（m-closed）", "description": "测试用药店名录。", "domain": "市场监管", "keywords": "药店、药品",
        "open_access": "unconditional", "open_access_basis": BASIS, "share_access": "unconditional",
        "update_frequency": "monthly", "reason": "经复核，名录不含个人信息，可以无条件开放"})
    assert answered.status_code == 302

    with setup.app_context():
        detail = objections.get(actor("admin"), reference)
        assert detail.state == "change_proposed" and detail.deadline is None and "change-decision" in detail.actions
        change = detail.catalog_change
        assert [(r["label"], r["before"], r["after"]) for r in change.changes] == [
            ("开放属性", "不予开放", "无条件开放"), ("开放依据", BASIS, "—")]  # the basis only justified the closure
        assert catalog_changes.pending(actor("admin")).total == 1

    login(client, "admin")
    assert "待数据主管部门审核" in client.get("/admin/catalog-changes").get_data(as_text=True)
    assert client.post(f"/admin/catalog-changes/{change.id}/approve", data={"note": "同意"}).status_code == 302

    with setup.app_context():
        dataset = db.session.scalar(select(Dataset).where(Dataset.name == "m-closed"))
        assert (dataset.open_access, dataset.open_access_basis) == ("unconditional", None)
        assert dataset.current_version.version == "1.1.0" and dataset.current_version.signature
        assert stored_versions(setup, "m-closed") == ["1.0.0", "1.1.0"]
        stored = json.loads((Path(setup.config["PACKAGE_STORE"]) / "m-closed/1.1.0/datapackage.json").read_text())
        assert stored["open_access"] == "unconditional" and "open_access_basis" not in stored
        done = objections.get(actor(OBJECTOR["username"]), reference)
        assert done.state == "changed" and done.catalog_change.version == "1.1.0"
        assert [e.kind for e in done.timeline] == ["submitted", "agreed", "change_approved"]
        assert notified(OBJECTOR["username"]) == [f"{s}：{reference}" for s in (
            "开放目录更正申请已受理", "数据提供部门同意更正", "目录已更正")]
        body = db.session.scalar(select(Notification.body).where(Notification.subject == f"目录已更正：{reference}"))
        assert "开放属性：不予开放 → 无条件开放" in body
        assert audited(reference) == ["objection.submitted", "objection.agreed", "objection.change_approved"]
        assert {"catalog_change.approved", "dataset.publish"} <= set(audited("m-closed"))
        assert catalog_changes.pending(actor("admin")).total == 0

    history = client.get("/datasets/m-closed/history").get_data(as_text=True)
    assert re.search(r"不予开放</td><td>无条件开放", history) and reference in history and "1.1.0" in history
    found = client.get("/api/v1/datasets?q=药店&open_access=unconditional").get_json()["data"]["items"]
    assert "m-closed" in [d["name"] for d in found]


def test_approval_copies_desensitized_files_unchanged(setup, write_package):
    """A conditional entry was desensitized when published: opening it keeps those very files."""
    with setup.app_context():
        phones = "企业名称,联系电话\n" + "".join(f"药店{i},1380377{i:04d}\n" for i in range(20))
        assert publishing.publish(SYSTEM, [write_package("phones", phones, name="m-phones", open_access="conditional",
                                                        open_access_basis=BASIS)]).ok
        before = db.session.scalar(select(Dataset).where(Dataset.name == "m-phones")).current_version
        old_hashes = [r.hash for r in before.resources]
        reference = file("m-phones").reference
        change = open_unconditionally(reference).catalog_change
        catalog_changes.approve(actor("admin"), change.id)
        dataset = db.session.scalar(select(Dataset).where(Dataset.name == "m-phones"))
        assert dataset.current_version.version == "1.1.0"
        assert [r.hash for r in dataset.current_version.resources] == old_hashes
        field = dataset.current_version.descriptor["resources"][0]["schema"]["fields"][1]
        assert (field["pii"], field["desensitize"]) == ("CN_MOBILE", "mask")


# -- 2. the department agrees, the data authority rejects -----------------------------------------
def test_rejected_change_leaves_the_entry_unchanged(setup):
    with setup.app_context():
        reference = file("m-cond").reference
        change = objections.agree(actor("market-head"), reference, {"title": "南阳市药店名录", "keywords": ["药店"]},
                                  "标题可以更准确").catalog_change
        with pytest.raises(ValidationError, match="请填写不予批准的理由"):
            catalog_changes.reject(actor("admin"), change.id, "  ")
        rejected = catalog_changes.reject(actor("admin"), change.id, "标题与目录编制规范不符")
        assert rejected.state == "rejected" and rejected.decision_note == "标题与目录编制规范不符"
        with pytest.raises(ValidationError, match="已审核"):
            catalog_changes.approve(actor("admin"), change.id)
        detail = objections.get(actor(OBJECTOR["username"]), reference)
        assert detail.state == "change_rejected" and detail.state_label == "数据主管部门未同意更正"
        dataset = db.session.scalar(select(Dataset).where(Dataset.name == "m-cond"))
        assert (dataset.title, dataset.current_version.version) == ("药店名录（m-cond）", "1.0.0")
        assert stored_versions(setup, "m-cond") == ["1.0.0"] and catalog_changes.history("m-cond") == []
        assert notified(OBJECTOR["username"])[-1] == f"目录更正未获批准：{reference}"
        assert "catalog_change.rejected" in audited("m-cond")


def test_what_a_proposal_may_change(setup):
    with setup.app_context():
        reference = file("m-cond").reference
        staff = actor("market-staff")
        for changes, message in (
                ({}, "请填写更正后的目录属性"),
                ({"name": "x"}, "不能更正「name」"),
                ({"open_access": "public"}, "开放属性的取值“public”无效"),
                ({"title": "药店名录（m-cond）"}, "与当前相同"),
                ({"open_access": "closed", "open_access_basis": ""}, "必须写明开放依据"),
                ({"keywords": "药店"}, "关键词须为文字列表"),
                ({"update_frequency": None}, "请选择更新频率")):
            with pytest.raises(ValidationError, match=message):
                objections.agree(staff, reference, changes, "理由")
        with pytest.raises(ValidationError, match="请填写同意更正的理由"):
            objections.agree(staff, reference, {"title": "南阳市药店名录"}, "")
        with pytest.raises(ValidationError, match="不能建议更正「resources」"):
            file("m-cond", suggested={"resources": []})
        assert db.session.scalar(select(func.count()).select_from(CatalogChange)) == 0
        agreed = objections.agree(staff, reference, {"keywords": [" 药店 ", "零售", "药店"], "share_access": "none"},
                                  "补充关键词")
        rows = {r["label"]: (r["before"], r["after"]) for r in agreed.catalog_change.changes}
        assert rows == {"关键词": ("药店、药品", "药店、零售"), "共享属性": ("无条件共享", "不予共享")}


# -- 3. the department disagrees ------------------------------------------------------------------
def test_disagreement_needs_reasons_and_basis(setup, client):
    with setup.app_context():
        reference = file().reference
    login(client, "market-staff")
    for form, missing in (({"basis": "《数据安全法》第二十一条"}, "请填写不予同意的理由"),
                          ({"reasons": "涉及市场主体经营信息"}, "请填写不予同意的依据")):
        refused = client.post(f"/objections/{reference}/disagree", data=form)
        assert refused.status_code == 422 and missing in refused.get_data(as_text=True)
    with setup.app_context():
        with pytest.raises(ValidationError) as both:
            objections.disagree(actor("market-staff"), reference, "", " ")
        assert len(both.value.details) == 2
        assert objections.get(actor("market-staff"), reference).state == "submitted"
        done = objections.disagree(actor("market-staff"), reference, "涉及市场主体经营信息", "《数据安全法》第二十一条")
        assert done.state == "disagreed" and done.deadline is None and done.catalog_change is None
        with pytest.raises(ValidationError, match="已办结"):
            open_unconditionally(reference)
        subject, body = db.session.execute(select(Notification.subject, Notification.body)
                                           .where(Notification.user_id == actor(OBJECTOR["username"]).id)
                                           .order_by(Notification.id.desc()).limit(1)).one()
        assert subject == f"数据提供部门不予同意更正：{reference}"
        assert "涉及市场主体经营信息" in body and "《数据安全法》第二十一条" in body
    public = client.get(f"/objections/{reference}").get_data(as_text=True)
    assert "部门不予同意" in public and "《数据安全法》第二十一条" in public


# -- 4. deadline and extension ---------------------------------------------------------------------
def test_deadline_and_extension_rules(setup, clock):
    with setup.app_context():
        filed = file()  # Monday 2026-09-28; Oct 1–7 off, Sat Oct 10 is a working day
        reference = filed.reference
        assert (filed.deadline, filed.days_left) == (date(2026, 10, 16), 10)
        staff, head = actor("market-staff"), actor("market-head")
        with pytest.raises(ValidationError, match="1–10"):
            objections.propose_extension(staff, reference, 11, "需要核查")
        with pytest.raises(ValidationError, match="请说明延期理由"):
            objections.propose_extension(staff, reference, 5, "")
        proposed = objections.propose_extension(staff, reference, 10, "需征求法制部门意见")
        assert proposed.extension_state == "proposed" and "extension-decision" not in proposed.actions
        assert "extension-decision" in objections.get(head, reference).actions
        with pytest.raises(NotAuthorized, match="负责人"):
            objections.decide_extension(staff, reference, True)
        approved = objections.decide_extension(head, reference, True, "同意")
        # counted from the same start: 20 working days after Sep 28
        assert approved.deadline == date(2026, 10, 30) and approved.extension_state == "approved"
        with pytest.raises(ValidationError, match="不能再次延期（第四十五条）"):
            objections.propose_extension(staff, reference, 1, "再延一次")

        clock(date(2026, 10, 1))
        late = file("m-cond").reference
        assert objections.get(staff, late).deadline == date(2026, 10, 20)
        objections.propose_extension(staff, late, 5, "材料较多")
        clock(date(2026, 10, 21))
        with pytest.raises(ValidationError, match="已超过答复期限"):
            objections.decide_extension(head, late, True)
        assert objections.get(staff, late).extension_state == "proposed"

        clock(date(2026, 10, 12))
        third = file("m-cond", username="firm").reference
        clock(date(2026, 10, 27))  # its deadline, Oct 26, has passed
        with pytest.raises(ValidationError, match="已超过答复期限"):
            objections.propose_extension(staff, third, 5, "太晚了")

        clock(date(2026, 3, 1))  # a Sunday: the day of receipt is not counted
        assert file("m-cond", username="other").deadline == date(2026, 3, 13)


def test_agreeing_stops_the_clock_and_records_the_answer(setup, clock):
    with setup.app_context():
        reference = file().reference
        clock(date(2026, 10, 19))  # after the deadline of Oct 16
        assert objections.get(actor("market-staff"), reference).overdue
        open_unconditionally(reference)
        case = db.session.scalar(select(Case).where(Case.reference == reference))
        assert case.answer_deadline == date(2026, 10, 16) and case.answered_at is not None
        assert case.deadline is None and case.state == "change_proposed"


# -- 5. who may do what ----------------------------------------------------------------------------
def test_who_may_file(setup, client):
    with setup.app_context():
        for who in (AnonymousUserMixin(), actor("unverified"), actor("suspended"), actor("market-staff"),
                    actor("admin")):
            with pytest.raises(NotAuthorized):
                objections.file(who, "m-closed", "open_access", "应当开放")
        assert db.session.scalar(select(func.count()).select_from(Case)) == 0
        with pytest.raises(ValidationError, match="请选择类别") as bad:
            file(category="wrong", description="")
        assert "请填写问题描述" in bad.value.message
        with pytest.raises(ValidationError, match="不是 PDF"):
            file(files=[("证明.pdf", b"plain text")])
        assert db.session.scalar(select(func.count()).select_from(Case)) == 0
    assert client.get("/datasets/m-closed/objections/new").status_code == 302  # to the login page
    for username, message in (("unverified", "请先完成实名身份认证"), ("market-staff", "工作人员账号不能提出")):
        login(client, username)
        refused = client.get("/datasets/m-closed/objections/new")
        assert refused.status_code == 403 and message in refused.get_data(as_text=True)


def test_every_transition_checks_who_acts(setup):
    with setup.app_context():
        reference = file().reference
        outsiders = ("transport-staff", OBJECTOR["username"], "other", "admin")
        for username in outsiders:
            for attempt in (lambda a: objections.agree(a, reference, {"open_access": "unconditional"}, "同意"),
                            lambda a: objections.disagree(a, reference, "理由", "依据"),
                            lambda a: objections.propose_extension(a, reference, 5, "理由")):
                with pytest.raises(NotAuthorized):
                    attempt(actor(username))
        objections.propose_extension(actor("market-staff"), reference, 5, "需核查")
        for username in ("market-staff", "transport-staff", OBJECTOR["username"], "admin"):
            with pytest.raises(NotAuthorized):
                objections.decide_extension(actor(username), reference, True)
        for username in ("market-staff", "other", "admin"):
            with pytest.raises(NotAuthorized):
                objections.withdraw(actor(username), reference)
        case = db.session.scalar(select(Case).where(Case.reference == reference))
        assert (case.state, case.extension_state, case.deadline) == ("submitted", "proposed", date(2026, 10, 16))
        assert [e.kind for e in case.events] == ["submitted", "extension_proposed"]

        change_id = open_unconditionally(reference).catalog_change.id
        for username in ("market-staff", "market-head", OBJECTOR["username"]):
            with pytest.raises(NotAuthorized):
                catalog_changes.approve(actor(username), change_id)
            with pytest.raises(NotAuthorized):
                catalog_changes.reject(actor(username), change_id, "不同意")
        with pytest.raises(NotAuthorized):
            catalog_changes.pending(actor("market-head"))
        with pytest.raises(NotAuthorized):
            catalog_changes.get(actor("transport-staff"), change_id)
        assert catalog_changes.get(actor("market-staff"), change_id).state == "proposed"
        with pytest.raises(ValidationError, match="不能执行此操作"):
            objections.withdraw(actor(OBJECTOR["username"]), reference)  # answered: too late to withdraw
        assert db.session.get(CatalogChange, change_id).state == "proposed"
        assert stored_versions(setup, "m-closed") == ["1.0.0"]


def test_the_submitter_withdraws(setup):
    with setup.app_context():
        reference = file().reference
        assert "withdraw" in objections.get(actor(OBJECTOR["username"]), reference).actions
        assert objections.withdraw(actor(OBJECTOR["username"]), reference).state == "withdrawn"
        with pytest.raises(ValidationError, match="已办结"):
            open_unconditionally(reference)
        assert notified("market-staff")[-1] == f"开放目录更正申请已撤回：{reference}"


def test_refusals_over_http_change_nothing(setup, client):
    with setup.app_context():
        reference = file().reference
        change_id = open_unconditionally(file("m-cond").reference).catalog_change.id
        transport = bearer("transport-staff")
    assert client.post(f"/objections/{reference}/agree", data={"reason": "x"}).status_code == 302  # anonymous: login
    login(client, "transport-staff")
    assert client.post(f"/objections/{reference}/disagree", data={"reasons": "x", "basis": "y"}).status_code == 403
    login(client, "other")
    assert client.post(f"/objections/{reference}/withdraw").status_code == 403
    login(client, "market-staff")
    assert client.post(f"/objections/{reference}/extension-decision", data={"decision": "approve"}).status_code == 403
    assert client.post(f"/admin/catalog-changes/{change_id}/approve").status_code == 403
    assert client.get("/admin/catalog-changes").status_code == 403
    api = setup.test_client().post(f"/api/v1/objections/{reference}/answer", headers=transport,
                      json={"decision": "disagree", "reasons": "x", "basis": "y"})
    assert api.status_code == 403
    with setup.app_context():
        assert objections.get(actor("admin"), reference).state == "submitted"
        assert db.session.get(CatalogChange, change_id).state == "proposed"
        assert stored_versions(setup, "m-cond") == ["1.0.0"]


# -- 6. the objector's identity is never public ----------------------------------------------------
def test_the_objector_is_never_shown_publicly(setup, client):
    with setup.app_context():
        changed = file(files=[PDF]).reference
        catalog_changes.approve(actor("admin"), open_unconditionally(changed).catalog_change.id)
        disagreed = file(description="我是张秀英，请公开").reference  # the description is not public either
        objections.disagree(actor("market-staff"), disagreed, "仍在核实数据来源", "《南阳市政务数据共享管理暂行办法》第四十三条")
        document_id = objections.get(actor("admin"), changed).documents[0][0]
        other_token = bearer("other")
        with setup.test_request_context("/datasets/m-closed"):
            from portal.services import datasets
            partial = render_template("objections/_dataset.html", d=datasets.get_dataset(None, "m-closed"),
                                      objections=objections.public_outcomes("m-closed"),
                                      catalog_history=catalog_changes.history("m-closed"))
    assert "仍在核实数据来源" in partial and "无条件开放" in partial and disagreed in partial
    pages = ["/datasets/m-closed", "/datasets/m-closed/objections", f"/objections/{changed}",
             f"/objections/{disagreed}", "/datasets/m-closed/history"]
    for who in (None, "other"):
        if who:
            login(client, who)
        seen = partial + "".join(client.get(p).get_data(as_text=True) for p in pages)
        assert changed in seen and "已更正目录" in seen and "部门不予同意" in seen
        assert all(v not in seen for v in OBJECTOR.values()) and "请公开" not in seen
        assert client.get(f"/objections/{changed}/documents/{document_id}").status_code in (302, 404)
    public = client.get(f"/api/v1/objections/{changed}", headers=other_token).get_json()["data"]
    assert public["submitter"] == "" and public["description"] == "" and public["documents"] == []
    assert public["catalog_change"]["changes"][0]["after"] == "无条件开放"
    login(client, OBJECTOR["username"])
    own = client.get(f"/objections/{changed}").get_data(as_text=True)
    assert OBJECTOR["display_name"] in own and OBJECTOR["identity_masked"] in own
    assert client.get(f"/objections/{changed}/documents/{document_id}").data == PDF[1]


# -- 7. approval refused when the data may not be opened as it is ---------------------------------
def test_opening_undecided_personal_data_is_refused(setup, client, write_package):
    rng = random.Random(7)
    people = "姓名,身份证号\n" + "".join(f"药店{i},{cn_id_card(rng)}\n" for i in range(20))
    schema = {"fields": [{"name": "姓名", "type": "string"},
                         {"name": "身份证号", "type": "string", "pii": "CN_ID_CARD"}]}
    with setup.app_context():
        assert publishing.publish(SYSTEM, [write_package("pii", people, schema=schema, name="m-pii", open_access="closed",
                                                        open_access_basis=BASIS)]).ok
        reference = file("m-pii").reference
        change_id = open_unconditionally(reference).catalog_change.id
    login(client, "admin")
    refused = client.post(f"/admin/catalog-changes/{change_id}/approve", data={"note": "同意"})
    assert refused.status_code == 422 and "身份证号" in refused.get_data(as_text=True)
    with setup.app_context():
        with pytest.raises(ValidationError, match="没有声明脱敏方式"):
            catalog_changes.approve(actor("admin"), change_id)
        dataset = db.session.scalar(select(Dataset).where(Dataset.name == "m-pii"))
        assert (dataset.open_access, dataset.current_version.version) == ("closed", "1.0.0")
        assert stored_versions(setup, "m-pii") == ["1.0.0"]
        assert db.session.get(CatalogChange, change_id).state == "proposed"
        assert objections.get(actor("admin"), reference).state == "change_proposed"


# -- 8. forms need the CSRF token ------------------------------------------------------------------
def test_forged_form_without_csrf_token_is_refused(setup):
    with setup.app_context():
        reference = file().reference
    setup.config["WTF_CSRF_ENABLED"] = True
    client = setup.test_client()
    token = re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', client.get("/login").get_data(as_text=True))
    assert client.post("/login", data={"username": OBJECTOR["username"], "password": PASSWORD,
                                       "csrf_token": token.group(1)}).status_code == 302
    assert client.post(f"/objections/{reference}/withdraw").status_code == 400
    forged = client.post("/datasets/m-closed/objections/new", data={"category": "other", "description": "伪造"})
    assert forged.status_code == 400
    with setup.app_context():
        assert objections.get(actor("admin"), reference).state == "submitted"
        assert db.session.scalar(select(func.count()).select_from(Case)) == 1


# -- the API ---------------------------------------------------------------------------------------
def test_api_file_list_show_and_answer(setup, client):
    with setup.app_context():
        citizen, staff = bearer(OBJECTOR["username"]), bearer("market-staff")
    created = client.post("/api/v1/objections", headers=citizen, json={
        "dataset": "m-cond", "category": "metadata", "description": "更新频率应为每周", "suggested": {
            "update_frequency": "weekly"}})
    assert created.status_code == 201
    data = created.get_json()["data"]
    reference = data["reference"]
    assert data["deadline"] == "2026-10-16" and data["details"] == {"suggested": {"update_frequency": "weekly"}}
    assert client.post("/api/v1/objections", headers=citizen, json={"dataset": "m-cond", "category": "metadata",
                                                                    "description": "x", "suggested": "weekly"}
                       ).status_code == 422
    assert client.post("/api/v1/objections", headers=staff, json={"dataset": "m-cond", "category": "metadata",
                                                                  "description": "x"}).status_code == 403
    assert [c["reference"] for c in client.get("/api/v1/objections", headers=citizen).get_json()["data"]["items"]] \
        == [reference]
    queue = client.get("/api/v1/objections?role=department", headers=staff).get_json()["data"]["items"]
    assert [c["reference"] for c in queue] == [reference]
    assert client.post(f"/api/v1/objections/{reference}/answer", headers=staff,
                       json={"decision": "agree", "changes": {"update_frequency": "weekly"}}).status_code == 422
    answered = client.post(f"/api/v1/objections/{reference}/answer", headers=staff, json={
        "decision": "agree", "changes": {"update_frequency": "weekly"}, "reason": "该数据实际每周更新"})
    assert answered.status_code == 200
    shown = client.get(f"/api/v1/objections/{reference}", headers=citizen).get_json()["data"]
    assert shown["state"] == "change_proposed"
    assert shown["catalog_change"]["changes"] == [
        {"attribute": "update_frequency", "label": "更新频率", "before": "每月", "after": "每周"}]
    assert client.get("/api/v1/objections").status_code == 401
