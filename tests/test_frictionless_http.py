"""datapackage.json over HTTP with absolute URLs, validated by the real `frictionless` CLI; signed
download links; ETag/Last-Modified on the APIs; the anonymous API rate limit."""

import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from werkzeug.serving import make_server

from portal.extensions import db
from portal.models import AuditEvent, utcnow
from portal.policies import SYSTEM
from portal.services import grants, publishing, tokens
from tests.test_downloads import BASIS, add_user

FRICTIONLESS = str(Path(sys.executable).with_name("frictionless"))


@pytest.fixture
def published(app, people, write_package):
    with app.app_context():
        for name, access in (("f-open", "unconditional"), ("f-cond", "conditional")):
            folder = write_package(name, name=name, open_access=access,
                                   open_access_basis=None if access == "unconditional" else BASIS)
            assert publishing.publish(SYSTEM, [folder]).ok
        user = add_user("person", "person")
        now = utcnow()
        grants.create_grant(SYSTEM, "f-cond", "person", {"pharmacies": ["企业名称", "发证日期"]},
                            now - timedelta(hours=1), now + timedelta(days=7))
        return tokens.create_token(SYSTEM, user.id, "frictionless")[1]


@pytest.fixture
def live(app):
    server = make_server("127.0.0.1", 0, app, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_port}"
    server.shutdown()


def test_anonymous_descriptor_points_at_the_gated_routes(app, published, client):
    descriptor = client.get("/datasets/f-open/datapackage.json").get_json()
    path = descriptor["resources"][0]["path"]
    assert path == "http://localhost/datasets/f-open/resources/pharmacies"
    assert client.get(path).status_code == 401  # art. 46 ¶3: a tool is told to authenticate
    assert client.get(path, headers={"Accept": "text/html"}).status_code == 302  # a browser: the login page


def test_frictionless_cli_validates_the_served_package(published, live):
    url = f"{live}/datasets/f-open/datapackage.json?access_token={published}"
    result = subprocess.run([FRICTIONLESS, "validate", url], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "valid" in result.stdout.lower()
    # a grant holder's package describes the granted extract, and that validates too
    limited = f"{live}/datasets/f-cond/datapackage.json?access_token={published}"
    result = subprocess.run([FRICTIONLESS, "validate", limited], capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stdout + result.stderr


def test_signed_links_are_personal_exact_and_audited(app, published, client):
    descriptor = client.get(f"/datasets/f-cond/datapackage.json?access_token={published}").get_json()
    resource = descriptor["resources"][0]
    assert [f["name"] for f in resource["schema"]["fields"]] == ["企业名称", "发证日期"] and "hash" not in resource
    link = resource["path"].replace("http://localhost", "")
    anonymous = app.test_client()
    body = anonymous.get(link).get_data(as_text=True)
    assert body.splitlines()[0] == "企业名称,发证日期"
    assert anonymous.get(link[:-3] + "xyz").status_code == 401  # tampered
    other = link.replace("/f-cond/", "/f-open/")
    assert anonymous.get(other).status_code == 401  # signed for another dataset
    with app.app_context():
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "dataset.download"))
        assert event.detail["via"] == "signed-link" and event.detail["fields"] == ["企业名称", "发证日期"]
    assert client.get("/datasets/f-open/datapackage.json?access_token=npd_wrong").status_code == 401


def test_api_responses_are_conditional(app, published, client):
    for url in ("/api/v1/datasets", "/api/3/action/package_search?q=药店"):
        first = client.get(url)
        assert first.status_code == 200 and first.headers["ETag"] and first.headers["Last-Modified"]
        assert client.get(url, headers={"If-None-Match": first.headers["ETag"]}).status_code == 304
        assert client.get(url, headers={"If-Modified-Since": first.headers["Last-Modified"]}).status_code == 304


def test_anonymous_api_use_is_rate_limited_with_retry_after(config, app, published):
    from portal import create_app

    limited = create_app(config | {"RATELIMIT_ENABLED": True, "RATELIMIT_STORAGE_URI": "memory://",
                                   "RATELIMIT_API_ANONYMOUS": "3 per minute"})
    anonymous = limited.test_client()
    statuses = [anonymous.get("/api/v1/datasets").status_code for _ in range(4)]
    assert statuses == [200, 200, 200, 429]
    refused = anonymous.get("/api/3/action/package_search")
    assert refused.status_code == 429 and int(refused.headers["Retry-After"]) > 0
    assert refused.get_json()["success"] is False and "频繁" in refused.get_json()["error"]["message"]
    with_token = limited.test_client()
    headers = {"Authorization": f"Bearer {published}"}
    assert all(with_token.get("/api/v1/datasets", headers=headers).status_code == 200 for _ in range(5))
