"""Gated downloads: the authorization matrix, grants limited to fields, Range/ETag, the audit log."""

import io
import socket
import threading
import zipfile
from datetime import timedelta

import pytest
from sqlalchemy import func, select
from werkzeug.serving import make_server

from portal.extensions import db
from portal.models import AuditEvent, Grant, User, utcnow
from portal.policies import SYSTEM
from portal.services import grants, publishing, tokens
from tests.conftest import PASSWORD, PHARMACY_CSV

BASIS = "《南阳市政务数据共享管理暂行办法》第四十四条"
DATASETS = {  # matrix column -> (dataset name, open attribute, grant for the actor: None / "active" / "expired")
    "unconditional": ("m-open", "unconditional", None),
    "conditional": ("m-cond", "conditional", None),
    "conditional+grant": ("m-cond-granted", "conditional", "active"),
    "conditional+expired": ("m-cond-expired", "conditional", "expired"),
    "closed": ("m-closed", "closed", None),
}
ACTORS = ("anonymous", "unverified", "person", "firm", "suspended", "revoked-token", "other-staff", "staff",
          "head", "admin")
ACTIONS = ("page", "preview", "resource", "zip", "api")
# Who may download (resource, zip, api) which column; every other cell is refused.
DOWNLOADS = {
    "person": {"unconditional", "conditional+grant"},
    "firm": {"unconditional", "conditional+grant"},
    "other-staff": {"unconditional", "conditional+grant"},
    "admin": {"unconditional", "conditional+grant"},
    # the producing department may check everything it published except closed data
    "staff": {"unconditional", "conditional", "conditional+grant", "conditional+expired"},
    "head": {"unconditional", "conditional", "conditional+grant", "conditional+expired"},
}


def add_user(username, kind, verification="verified", department_id=None, suspended=False) -> User:
    user = User(username=username, password_hash=_hash(), display_name=username, kind=kind,
                verification=verification, department_id=department_id, identity_masked="411***********1234")
    if suspended:
        user.suspended_at, user.suspension_reason = utcnow(), "滥用数据服务"
    db.session.add(user)
    db.session.commit()
    return user


def _hash():
    from werkzeug.security import generate_password_hash

    return generate_password_hash(PASSWORD, method="pbkdf2:sha256:1000")  # fast in tests


@pytest.fixture
def matrix(app, people, write_package):
    """Five datasets of the market department; every actor holds the column's grant, if any."""
    with app.app_context():
        for name, access, _grant in DATASETS.values():
            folder = write_package(name, name=name, title=f"测试 {name}", open_access=access,
                                   open_access_basis=None if access == "unconditional" else BASIS)
            assert publishing.publish(SYSTEM, [folder]).ok
        market = db.session.scalar(select(User.department_id).where(User.username == "market-staff"))
        add_user("unverified", "person", verification="unverified")
        add_user("person", "person")
        add_user("firm", "firm")
        add_user("suspended", "person", suspended=True)
        add_user("revoked-token", "person")
        add_user("staff", "staff", department_id=market)
        add_user("head", "head", department_id=market)
        bearer = {}
        now = utcnow()
        for actor in ACTORS[1:]:
            username = {"other-staff": "transport-staff"}.get(actor, actor)
            user = db.session.scalar(select(User).where(User.username == username))
            info, bearer[actor] = tokens.create_token(SYSTEM, user.id, "matrix")
            if actor == "revoked-token":
                tokens.revoke_token(SYSTEM, info.id)
            for name, _access, grant in DATASETS.values():
                if grant == "active":
                    grants.create_grant(SYSTEM, name, username, {"pharmacies": []}, now - timedelta(days=1),
                                        now + timedelta(days=30))
                elif grant == "expired":
                    gid = grants.create_grant(SYSTEM, name, username, {"pharmacies": []}, now - timedelta(days=60),
                                              now + timedelta(days=1))
                    db.session.get(Grant, gid).valid_until = now - timedelta(days=1)  # lapsed yesterday
                    db.session.commit()
    return bearer


def _login(client, actor):
    username = {"other-staff": "transport-staff", "admin": "admin"}.get(actor, actor)
    if actor in ("anonymous", "revoked-token"):
        return
    assert client.post("/login", data={"username": username, "password": PASSWORD}).status_code == 302


def _downloads(app) -> int:
    with app.app_context():
        return db.session.scalar(select(func.count()).select_from(AuditEvent)
                                 .where(AuditEvent.action == "dataset.download"))


def test_authorization_matrix(app, matrix):
    wrong = []
    for actor in ACTORS:
        client = app.test_client()
        _login(client, actor)
        headers = {"Authorization": f"Bearer {matrix[actor]}"} if actor in matrix else {}
        web_headers = headers if actor == "revoked-token" else {}
        for column, (name, access, _grant) in DATASETS.items():
            for action in ACTIONS:
                before = _downloads(app)
                if action in ("page", "preview"):
                    response = client.get(f"/datasets/{name}", headers=web_headers)
                    shown = b'class="preview"' in response.data
                    ok = response.status_code == 200 and (action == "page" or shown == (access == "unconditional"))
                    if not ok:
                        wrong.append((actor, column, action, response.status_code))
                    continue
                url = {"resource": f"/datasets/{name}/resources/pharmacies", "zip": f"/datasets/{name}/package.zip",
                       "api": f"/api/v1/datasets/{name}/resources/pharmacies"}[action]
                response = client.get(url, headers=headers if action == "api" else web_headers)
                allowed = column in DOWNLOADS.get(actor, set())
                logged = _downloads(app) - before
                if allowed:
                    ok = response.status_code == 200 and logged == 1
                    if ok and action != "zip":
                        ok = response.data == PHARMACY_CSV.encode()
                    if ok and action == "zip":
                        ok = "pharmacies.csv" in zipfile.ZipFile(io.BytesIO(response.data)).namelist()
                else:
                    expected = {"anonymous": (302, 401), "revoked-token": (302, 401)}.get(actor, (403,))
                    if action == "api" and actor in ("anonymous", "revoked-token"):
                        expected = (401,)
                    if column == "closed":
                        expected = (403,)  # whoever asks: never opened
                    ok = response.status_code in expected and logged == 0
                if not ok:
                    wrong.append((actor, column, action, response.status_code, logged))
    assert not wrong, "cells that differ from the matrix: " + "; ".join(map(str, wrong))


def test_refusals_explain_themselves(app, matrix, client):
    api = app.test_client()
    response = api.get("/api/v1/datasets/m-open/resources/pharmacies")
    assert response.status_code == 401 and "Bearer" in response.headers["WWW-Authenticate"]
    response = api.get("/api/v1/datasets/m-open/resources/pharmacies",
                       headers={"Authorization": f"Bearer {matrix['revoked-token']}"})
    assert response.status_code == 401 and "撤销" in response.get_json()["error"]["message"]
    response = api.get("/api/v1/datasets/m-cond/resources/pharmacies",
                       headers={"Authorization": f"Bearer {matrix['person']}"})
    assert response.status_code == 403 and "申请" in response.get_json()["error"]["message"]
    response = api.get("/api/v1/datasets/m-open/resources/pharmacies",
                       headers={"Authorization": f"Bearer {matrix['unverified']}"})
    assert "实名" in response.get_json()["error"]["message"]
    response = api.get("/api/v1/datasets/m-open/resources/pharmacies",
                       headers={"Authorization": f"Bearer {matrix['suspended']}"})
    assert "暂停" in response.get_json()["error"]["message"]
    assert client.get("/datasets/m-open/resources/pharmacies").status_code == 401  # a tool: a plain 401
    anonymous = client.get("/datasets/m-open/resources/pharmacies", headers={"Accept": "text/html,*/*;q=0.8"})
    assert anonymous.status_code == 302 and "/login" in anonymous.headers["Location"]
    page = client.get("/datasets/m-open")
    assert "下载数据前请先登录" in page.get_data(as_text=True)
    assert api.get("/api/v1/datasets/m-open/resources/nope",
                   headers={"Authorization": f"Bearer {matrix['person']}"}).status_code == 404
    assert api.get("/api/v1/datasets/nope/resources/pharmacies",
                   headers={"Authorization": f"Bearer {matrix['person']}"}).status_code == 404


def test_revoking_a_grant_stops_the_next_download(app, matrix):
    api = app.test_client()
    headers = {"Authorization": f"Bearer {matrix['person']}"}
    assert api.get("/api/v1/datasets/m-cond-granted/resources/pharmacies", headers=headers).status_code == 200
    with app.app_context():
        grant_id = db.session.scalar(select(Grant.id).join(User, Grant.user_id == User.id)
                                     .where(User.username == "person", Grant.revoked_at.is_(None)))
        grants.revoke_grant(SYSTEM, grant_id, "超出约定用途")
    assert api.get("/api/v1/datasets/m-cond-granted/resources/pharmacies", headers=headers).status_code == 403


def test_a_grant_limited_to_fields_serves_only_those_fields(app, people, write_package):
    with app.app_context():
        folder = write_package("fields", name="m-fields", open_access="conditional", open_access_basis=BASIS)
        assert publishing.publish(SYSTEM, [folder]).ok
        add_user("person", "person")
        now = utcnow()
        grants.create_grant(SYSTEM, "m-fields", "person", {"pharmacies": ["企业名称", "发证日期"]},
                            now - timedelta(hours=1), now + timedelta(days=7))
        user_id = db.session.scalar(select(User.id).where(User.username == "person"))
        _info, token = tokens.create_token(SYSTEM, user_id, "t")
    api = app.test_client()
    headers = {"Authorization": f"Bearer {token}"}
    body = api.get("/api/v1/datasets/m-fields/resources/pharmacies", headers=headers).get_data(as_text=True)
    assert body.splitlines() == ["企业名称,发证日期", "宛城区仁和大药房,2024-03-01", "卧龙区百姓药店,2023-11-15"]
    package = zipfile.ZipFile(io.BytesIO(api.get("/api/v1/datasets/m-fields/package.zip", headers=headers).data))
    assert package.read("pharmacies.csv").decode().splitlines()[0] == "企业名称,发证日期"
    assert "datapackage.json.sig" not in package.namelist()  # an extract is not the signed publication
    with app.app_context():
        with pytest.raises(Exception, match="没有字段"):
            grants.create_grant(SYSTEM, "m-fields", "person", {"pharmacies": ["不存在"]}, now, now + timedelta(1))


def test_range_etag_and_conditional_requests(app, matrix):
    api = app.test_client()
    headers = {"Authorization": f"Bearer {matrix['person']}"}
    url = "/api/v1/datasets/m-open/resources/pharmacies"
    full = api.get(url, headers=headers)
    data = PHARMACY_CSV.encode()
    assert full.status_code == 200 and full.headers["Content-Length"] == str(len(data))
    assert full.headers["Accept-Ranges"] == "bytes" and "private" in full.headers["Cache-Control"]
    import hashlib

    etag = full.headers["ETag"].strip('"')
    assert etag == hashlib.sha256(data).hexdigest()
    part = api.get(url, headers=headers | {"Range": "bytes=10-19"})
    assert part.status_code == 206 and part.data == data[10:20]
    assert part.headers["Content-Range"] == f"bytes 10-19/{len(data)}"
    resumed = api.get(url, headers=headers | {"Range": "bytes=20-", "If-Range": f'"{etag}"'})
    assert resumed.status_code == 206 and resumed.data == data[20:]
    assert api.get(url, headers=headers | {"If-None-Match": f'"{etag}"'}).status_code == 304
    assert api.get(url, headers=headers | {"Range": f"bytes={len(data) + 5}-"}).status_code == 416
    zipped = api.get("/api/v1/datasets/m-open/package.zip", headers=headers)
    again = api.get("/api/v1/datasets/m-open/package.zip", headers=headers | {"Range": "bytes=0-3"})
    assert again.status_code == 206 and again.data == zipped.data[:4] == b"PK\x03\x04"


def test_audit_event_is_written_even_when_the_client_disconnects(app, people, write_package):
    big = "序号,名称\n" + "".join(f"{i},南阳市测试数据第{i}行\n" for i in range(200_000))
    with app.app_context():
        folder = write_package("big", csv_text=big, name="m-big")
        assert publishing.publish(SYSTEM, [folder]).ok
        user = add_user("person", "person")
        _info, token = tokens.create_token(SYSTEM, user.id, "t")
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        with socket.create_connection(("127.0.0.1", server.server_port), timeout=10) as conn:
            conn.sendall(f"GET /api/v1/datasets/m-big/resources/pharmacies HTTP/1.1\r\nHost: x\r\n"
                         f"Authorization: Bearer {token}\r\n\r\n".encode())
            first = conn.recv(4096)  # headers and the first bytes, then hang up
        assert first.startswith(b"HTTP/1.1 200")
    finally:
        server.shutdown()
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "dataset.download"))
        assert event is not None and event.detail["dataset"] == "m-big" and event.detail["via"] == "api"
        assert event.detail["bytes"] > len(first) and len(event.detail["sha256"]) == 64 and event.ip == "127.0.0.1"


def test_history_for_the_user_and_for_the_producing_department(app, matrix, auth, client):
    api = app.test_client()
    api.get("/api/v1/datasets/m-open/resources/pharmacies", headers={"Authorization": f"Bearer {matrix['person']}"})
    mine = api.get("/api/v1/downloads", headers={"Authorization": f"Bearer {matrix['person']}"}).get_json()
    assert mine["data"]["total"] == 1 and mine["data"]["items"][0]["dataset"] == "m-open"
    assert mine["data"]["items"][0]["via"] == "api"
    auth.login("person")
    page = client.get("/account/downloads").get_data(as_text=True)
    assert "测试 m-open" in page and "pharmacies" in page
    auth.logout()
    auth.login("market-staff")
    log = client.get("/console/downloads").get_data(as_text=True)
    assert "person（411***********1234）" in log and "测试 m-open" in log
    auth.logout()
    auth.login("transport-staff")
    assert client.get("/console/downloads?department=scjgj").status_code == 403
    assert "暂无下载记录" in client.get("/console/downloads").get_data(as_text=True)


def test_tokens_created_shown_once_and_revoked_on_the_account_page(app, matrix, auth, client):
    auth.login("person")
    page = client.post("/account/tokens", data={"name": "分析脚本"}).get_data(as_text=True)
    token = page.split('id="new-token">')[1].split("<")[0]
    assert token.startswith("npd_")
    api = app.test_client()
    assert api.get("/api/v1/downloads", headers={"Authorization": f"Bearer {token}"}).status_code == 200
    listing = client.get("/account/tokens").get_data(as_text=True)
    assert token not in listing and token[:10] in listing
    with app.app_context():
        from portal.models import ApiToken

        row = db.session.scalar(select(ApiToken).where(ApiToken.name == "分析脚本"))
        assert token not in (row.token_hash, row.prefix)
        token_id = row.id
    assert client.post(f"/account/tokens/{token_id}/revoke").status_code == 302
    assert api.get("/api/v1/downloads", headers={"Authorization": f"Bearer {token}"}).status_code == 401
    auth.logout()
    auth.login("firm")  # someone else's token: not found, not revoked twice
    assert client.post(f"/account/tokens/{token_id}/revoke").status_code == 404


def test_cli_tokens_and_grants(app, matrix, runner):
    created = runner("tokens", "create", "person", "--name", "cli")
    token = created.output.strip().splitlines()[-1]
    assert created.exit_code == 0 and token.startswith("npd_")
    assert "cli" in runner("tokens", "list", "person").output
    granted = runner("grants", "create", "--dataset", "m-cond", "--user", "person", "--resource", "pharmacies:企业名称",
                     "--from", "2026-01-01", "--until", "2099-01-01")
    assert granted.exit_code == 0, granted.output
    body = app.test_client().get("/api/v1/datasets/m-cond/resources/pharmacies",
                                 headers={"Authorization": f"Bearer {token}"}).get_data(as_text=True)
    assert body.splitlines()[0] == "企业名称"
    refused = runner("grants", "create", "--dataset", "m-open", "--user", "person", "--resource", "pharmacies",
                     "--from", "2026-01-01", "--until", "2099-01-01")
    assert refused.exit_code != 0 and "有条件开放" in refused.output
