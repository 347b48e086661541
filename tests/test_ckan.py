"""CKAN Action API, read side: the real ckanapi client against a live server, the envelope over plain
HTTP, and the private-data rule checked on every action."""

import json
import re
import subprocess
import sys
import threading
from datetime import timedelta
from pathlib import Path

import ckanapi
import pytest
from werkzeug.serving import make_server

from portal.api.ckan import ACTIONS
from portal.models import utcnow
from portal.policies import SYSTEM
from portal.services import grants, publishing, search
from portal.services.ckan import make_id
from tests.conftest import PASSWORD
from tests.test_downloads import add_user

BASIS = "《中华人民共和国数据安全法》第三十八条"
CATALOG = [  # name, title, department slug, domain, open attribute, keywords
    ("nanyang-licensed-pharmacies", "南阳市药品零售企业（药店）名录", "scjgj", "市场监管", "unconditional", ["药店", "药品"]),
    ("nanyang-bus-routes", "南阳市公交线路与站点", "jtysj", "交通出行", "unconditional", ["公交", "线路"]),
    ("nanyang-air-quality", "南阳市空气质量监测小时数据", "scjgj", "生态环境", "conditional", ["空气质量"]),
    ("nanyang-food-licences", "食品经营许可公示（含药店兼营）", "scjgj", "市场监管", "closed", ["食品", "许可"]),
]
NAMES = sorted(c[0] for c in CATALOG)
GRANTEE = {"username": "ckan-grantee", "identity": "411***********1234", "purpose": "课题研究-内部用途说明"}


@pytest.fixture
def catalog(app, people, write_package, client):
    """Four entries (unconditional, conditional, closed), a grant on the conditional one and a download
    by its holder: the data the CKAN actions must never show."""
    app.config["SEARCH_BACKEND"] = "whoosh"
    app.extensions.pop("portal_search", None)
    with app.app_context():
        search.rebuild()
        for name, title, dept, domain, access, keywords in CATALOG:
            department = people["market"] if dept == "scjgj" else people["transport"]
            folder = write_package(name, name=name, title=title, department=department, domain=domain,
                                   open_access=access, open_access_basis=None if access == "unconditional" else BASIS,
                                   keywords=keywords, description=f"{title}。")
            assert publishing.publish(SYSTEM, [folder]).ok
        add_user(GRANTEE["username"], "person")
        now = utcnow()
        grants.create_grant(SYSTEM, "nanyang-air-quality", GRANTEE["username"], {"pharmacies": []},
                            now - timedelta(days=1), now + timedelta(days=30), GRANTEE["purpose"])
    assert client.post("/login", data={"username": GRANTEE["username"], "password": PASSWORD}).status_code == 302
    assert client.get("/datasets/nanyang-air-quality/resources/pharmacies").status_code == 200  # logged download
    client.post("/logout")
    return app


@pytest.fixture
def live(catalog):
    server = make_server("127.0.0.1", 0, catalog, threaded=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield f"http://127.0.0.1:{server.server_port}"
    finally:
        server.shutdown()


@pytest.fixture
def remote(live):
    return ckanapi.RemoteCKAN(live, user_agent="portal-tests")


# -- the real client ---------------------------------------------------------------------------------
def test_ckanapi_reads_the_catalog(remote, live):
    assert remote.action.package_list() == NAMES
    assert remote.action.package_list(limit=2, offset=1) == NAMES[1:3]

    found = remote.call_action("package_search", {"q": "药店", "facet.field": ["organization", "tags", "res_format"]})
    assert found["count"] == 2  # the title of one, the title and description of the closed one
    assert found["results"][0]["name"] == "nanyang-licensed-pharmacies"
    assert found["facets"]["organization"] == {"scjgj": 2}
    assert found["facets"]["res_format"] == {"csv": 2}
    assert {i["name"] for i in found["search_facets"]["organization"]["items"]} == {"scjgj"}

    pkg = remote.action.package_show(id="nanyang-licensed-pharmacies")
    assert pkg["id"] == make_id("dataset", "nanyang-licensed-pharmacies")
    assert remote.action.package_show(id=pkg["id"]) == pkg
    assert pkg["organization"]["name"] == "scjgj" and pkg["organization"]["is_organization"] is True
    assert pkg["owner_org"] == pkg["organization"]["id"] and pkg["author"] == "南阳市市场监督管理局"
    assert {t["name"] for t in pkg["tags"]} == {"药店", "药品"} and pkg["num_tags"] == 2
    assert pkg["groups"][0]["name"] == "市场监管"
    extras = {e["key"]: e["value"] for e in pkg["extras"]}
    assert extras["open_access"] == "unconditional" and extras["department"] == "南阳市市场监督管理局"
    assert {"share_access", "update_frequency", "domain"} <= set(extras)
    assert pkg["maintainer"] == "王伟" and pkg["maintainer_email"] == "scjgj@nanyang.gov.cn"
    assert pkg["license_id"] == "CC-BY-4.0" and pkg["isopen"] is True and pkg["private"] is False
    assert pkg["num_resources"] == 1
    res = pkg["resources"][0]
    assert res["format"] == "CSV" and res["mimetype"] == "text/csv" and re.fullmatch(r"[0-9a-f]{64}", res["hash"])
    assert res["package_id"] == pkg["id"] and res["position"] == 0 and res["size"] > 0
    assert res["url"] == f"{live}/datasets/nanyang-licensed-pharmacies/resources/pharmacies"

    assert remote.action.resource_show(id=res["id"]) == res
    assert remote.action.resource_show(id="nanyang-licensed-pharmacies/pharmacies") == res

    orgs = remote.action.organization_list(all_fields=True)
    assert [(o["name"], o["package_count"]) for o in orgs] == [("jtysj", 1), ("scjgj", 3)]  # by title
    assert remote.action.organization_list() == ["jtysj", "scjgj"]
    assert remote.action.organization_list(sort="package_count desc") == ["scjgj", "jtysj"]
    org = remote.action.organization_show(id="scjgj", include_datasets=True)
    assert org["package_count"] == 3 and org["title"] == "南阳市市场监督管理局"
    assert {p["name"] for p in org["packages"]} == {"nanyang-licensed-pharmacies", "nanyang-air-quality",
                                                    "nanyang-food-licences"}
    assert "packages" not in remote.action.organization_show(id=org["id"])

    assert "药店" in remote.action.tag_list()
    assert remote.action.tag_list(query="药") == ["药品", "药店"]
    status = remote.action.status_show()
    assert status["ckan_version"].startswith("2.10") and status["site_url"] == live and status["extensions"] == []
    assert status["site_title"] == "南阳市政务数据开放平台"


def test_ckanapi_gets_ckan_errors(remote, live):
    with pytest.raises(ckanapi.NotFound):
        remote.action.package_show(id="no-such-dataset")
    with pytest.raises(ckanapi.NotFound):
        remote.action.resource_show(id=make_id("resource", "no-such-dataset", "x"))
    with pytest.raises(ckanapi.NotFound):
        remote.action.organization_show(id="no-such-department")
    with pytest.raises(ckanapi.ValidationError) as missing:
        remote.action.package_show()
    assert "id" in missing.value.error_dict
    with pytest.raises(ckanapi.ValidationError) as bad:
        remote.action.package_search(rows="many")
    assert bad.value.error_dict["__type"] == "Validation Error" and "rows" in bad.value.error_dict
    with pytest.raises(ckanapi.ValidationError):
        remote.action.package_list(limit=-1)
    with pytest.raises(ckanapi.SearchQueryError):  # CKAN's name is facet.field
        remote.action.package_search(facet_field=["organization"])
    with pytest.raises(ckanapi.CKANAPIError, match="Action name not known"):
        remote.action.package_create(name="x")


def test_ckanapi_get_only_sends_query_parameters(live):
    remote = ckanapi.RemoteCKAN(live, get_only=True)
    found = remote.call_action("package_search", {"q": "南阳市", "fq": "organization:scjgj", "rows": 10,
                                                  "facet.field": ["open_access"]})
    assert found["count"] == 3
    assert found["facets"]["open_access"] == {"unconditional": 1, "conditional": 1, "closed": 1}
    assert remote.action.package_show(id="nanyang-bus-routes")["name"] == "nanyang-bus-routes"


def test_the_ckanapi_command_line_as_in_the_readme(live):
    command = Path(sys.executable).with_name("ckanapi")
    assert command.exists(), "ckanapi is a test dependency: `pip install -e '.[test]'` installs its command"
    run = subprocess.run([str(command), "action", "package_search", "-r", live, "q=药店"], capture_output=True,
                         text=True, timeout=60, env={"PATH": str(command.parent), "LANG": "C.UTF-8"})
    assert run.returncode == 0, run.stderr
    assert json.loads(run.stdout)["results"][0]["name"] == "nanyang-licensed-pharmacies"


# -- plain HTTP ------------------------------------------------------------------------------------
def test_envelope_over_get_and_post(catalog, client):
    got = client.get("/api/3/action/package_show", query_string={"id": "nanyang-bus-routes"})
    assert got.status_code == 200 and got.mimetype == "application/json"
    body = got.get_json()
    assert set(body) == {"help", "success", "result"} and body["success"] is True
    assert body["help"] == "http://localhost/api/3/action/help_show?name=package_show"
    assert client.get(body["help"]).get_json()["result"].startswith("One dataset")
    posted = client.post("/api/3/action/package_show", json={"id": "nanyang-bus-routes"}).get_json()
    assert posted["result"] == body["result"]
    form = client.post("/api/3/action/package_show", data={"id": "nanyang-bus-routes"}).get_json()
    assert form["result"] == body["result"]
    assert client.post("/api/action/package_list", json={}).get_json()["result"] == NAMES
    assert client.post("/api/3/action/package_list").get_json()["result"] == NAMES  # empty body


@pytest.mark.parametrize("method, path, payload, status, kind", [
    ("get", "/api/3/action/package_show", {"id": "missing"}, 404, "Not Found Error"),
    ("post", "/api/3/action/package_show", {"id": "missing"}, 404, "Not Found Error"),
    ("get", "/api/3/action/package_show", {}, 409, "Validation Error"),
    ("post", "/api/3/action/package_show", {"id": ["a", "b"]}, 409, "Validation Error"),
    ("post", "/api/3/action/package_show", {"id": "nanyang-bus-routes\x00"}, 409, "Validation Error"),
    ("get", "/api/3/action/package_search", {"rows": "-1"}, 409, "Validation Error"),
    ("get", "/api/3/action/package_search", {"facet.field": "[organization"}, 409, "Validation Error"),
    ("get", "/api/3/action/package_search", {"fq": "nonsense:1"}, 409, "Validation Error"),
    ("get", "/api/3/action/package_search", {"facet_field": '["tags"]'}, 400, "Search Query Error"),
    ("get", "/api/3/action/organization_list", {"all_fields": "maybe"}, 409, "Validation Error"),
    ("get", "/api/3/action/organization_list", {"sort": "random"}, 409, "Validation Error"),
    ("get", "/api/3/action/tag_list", {"vocabulary_id": "x"}, 404, "Not Found Error"),
    ("get", "/api/3/action/no_such_action", {}, 400, "Bad Request"),
    ("post", "/api/action/package_delete", {"id": "nanyang-bus-routes"}, 400, "Bad Request"),
])
def test_errors_use_ckans_envelope_and_statuses(catalog, client, method, path, payload, status, kind):
    if method == "get":
        response = client.get(path, query_string=payload)
    else:
        response = client.post(path, json=payload)
    assert response.status_code == status and response.mimetype == "application/json"
    body = response.get_json()
    assert body["success"] is False and body["error"]["__type"] == kind and body["error"]["message"]
    assert body["help"].startswith("http://localhost/api/3/action/help_show")


def test_bodies_that_are_not_json_objects_are_bad_requests(catalog, client):
    for data in ("[1, 2]", "{not json", '"text"'):
        response = client.post("/api/3/action/package_list", data=data, content_type="application/json")
        assert response.status_code == 400 and response.get_json()["error"]["__type"] == "Bad Request"
    assert client.put("/api/3/action/package_list").get_json()["success"] is False  # 405, still JSON


def test_package_search_windows_rows_and_start(catalog, client):
    def window(start, rows):
        body = client.get("/api/3/action/package_search", query_string={
            "sort": "title_string asc", "start": start, "rows": rows}).get_json()["result"]
        assert body["count"] == 4
        return [p["name"] for p in body["results"]]

    everything = window(0, 10)
    assert len(everything) == 4
    for start in range(5):
        for rows in range(4):
            assert window(start, rows) == everything[start:start + rows], (start, rows)
    facets = client.get("/api/3/action/package_search", query_string={
        "rows": 0, "facet.field": '["tags"]', "facet.limit": 2}).get_json()["result"]
    assert facets["results"] == [] and len(facets["facets"]["tags"]) == 2
    listed = client.post("/api/3/action/package_search", json={"fq_list": ["groups:市场监管", "res_format:CSV"]})
    assert {p["name"] for p in listed.get_json()["result"]["results"]} == {"nanyang-licensed-pharmacies",
                                                                         "nanyang-food-licences"}


# -- the private-data rule, for every action ----------------------------------------------------------
def _calls(pkg_id: str, res_id: str) -> dict[str, list[dict]]:
    return {
        "package_list": [{}],
        "package_search": [{}, {"q": "南阳市", "rows": 100, "facet.field": json.dumps(["organization", "tags"])}],
        "package_show": [{"id": name} for name in NAMES] + [{"id": pkg_id}],
        "resource_show": [{"id": f"{name}/pharmacies"} for name in NAMES] + [{"id": res_id}],
        "organization_list": [{}, {"all_fields": "true"}],
        "organization_show": [{"id": "scjgj", "include_datasets": "true"}, {"id": "jtysj", "include_datasets": "1"}],
        "tag_list": [{}, {"all_fields": "true"}],
        "status_show": [{}],
        "help_show": [{"name": name} for name in ACTIONS],
    }


def _strings(value, key=""):
    if isinstance(value, dict):
        for k, v in value.items():
            yield k, k
            yield from _strings(v, k)
    elif isinstance(value, list):
        for v in value:
            yield from _strings(v, key)
    elif isinstance(value, str):
        yield key, value


def test_every_action_shows_catalog_metadata_only(catalog, client, tmp_path):
    base = "http://localhost"
    calls = _calls(make_id("dataset", "nanyang-air-quality"), make_id("resource", "nanyang-food-licences", "pharmacies"))
    assert set(calls) == set(ACTIONS), "a new action needs its calls here"
    closed = {"nanyang-food-licences"}
    allowed_urls = [rf"{base}/datasets/({'|'.join(NAMES)})", rf"{base}/datasets/({'|'.join(NAMES)})/resources/pharmacies",
                    rf"{base}/api/3/action/help_show\?name=\w+", base,
                    r"https://(creativecommons|opendatacommons)\.org/[\w/.-]+"]
    forbidden = [str(tmp_path), catalog.config["PACKAGE_STORE"], catalog.instance_path, GRANTEE["username"],
                 GRANTEE["identity"], GRANTEE["purpose"], "pharmacies.csv", "market-staff", "admin"]
    checked = 0
    for action, variants in calls.items():
        for params in variants:
            for response in (client.get(f"/api/3/action/{action}", query_string=params),
                             client.post(f"/api/action/{action}", json=params)):
                assert response.status_code == 200, (action, params, response.get_data(as_text=True)[:300])
                result = response.get_json()["result"]
                for key, text in _strings(result):
                    assert not any(f in text for f in forbidden), (action, key, text)
                    assert key.lower() not in ("grants", "grant", "users", "applicants", "downloads", "path"), key
                    for url in re.findall(r"https?://[^\s\"'<>]+", text):
                        assert any(re.fullmatch(p, url) for p in allowed_urls), (action, url)
                for res in _resources(result):
                    name = res["url"].removeprefix(f"{base}/datasets/").split("/")[0]
                    if name in closed:
                        assert res["url"] == f"{base}/datasets/{name}", res["url"]
                    else:
                        assert res["url"] == f"{base}/datasets/{name}/resources/pharmacies", res["url"]
                    checked += 1
    assert checked > 20
    # the gated routes still refuse what they refuse: an anonymous caller gets nothing
    for name in NAMES:
        if name not in closed:
            refused = client.get(f"/datasets/{name}/resources/pharmacies")
            assert refused.status_code in (401, 403) or "/login" in refused.headers["Location"]
    assert client.get("/datasets/nanyang-food-licences").status_code == 200  # the closed entry's page


def _resources(value):
    if isinstance(value, dict):
        if "package_id" in value and "url" in value:
            yield value
        for v in value.values():
            yield from _resources(v)
    elif isinstance(value, list):
        for v in value:
            yield from _resources(v)
