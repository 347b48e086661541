"""/api/v1: the envelope on every route, pagination edges, 404/422, Bearer where personal."""

import pytest
from sqlalchemy import select

from portal.extensions import db
from portal.models import User
from portal.policies import SYSTEM
from portal.services import publishing, search, tokens
from tests.conftest import PHARMACY_CSV
from tests.test_downloads import add_user

BASIS = "《中华人民共和国数据安全法》第三十八条"
CATALOG = [  # name, department slug, open access, keywords
    ("api-pharmacies", "scjgj", "unconditional", ["药店", "药品"]),
    ("api-air", "scjgj", "conditional", ["空气质量"]),
    ("api-bus", "jtysj", "unconditional", ["公交"]),
]
DEPARTMENTS = {"scjgj": "南阳市市场监督管理局", "jtysj": "南阳市交通运输局"}


@pytest.fixture
def api_catalog(app, people, write_package):
    """Three published datasets (one with two versions), a verified person and a staff member with tokens."""
    with app.app_context():
        search.rebuild()
        for name, dept, access, keywords in CATALOG:
            folder = write_package(name, name=name, title=f"测试 {name}", department=DEPARTMENTS[dept],
                                   open_access=access, keywords=keywords,
                                   open_access_basis=None if access == "unconditional" else BASIS)
            assert publishing.publish(SYSTEM, [folder]).ok
        folder = write_package("api-pharmacies-2", csv_text=PHARMACY_CSV + "宛城区新华药店,宛城区,60,2025-01-02\n",
                               name="api-pharmacies", title="测试 api-pharmacies", keywords=["药店", "药品"])
        assert publishing.publish(SYSTEM, [folder]).ok
        person = add_user("api-person", "person")
        staff = db.session.scalar(select(User).where(User.username == "market-staff"))
        return {"person": tokens.create_token(SYSTEM, person.id, "api")[1],
                "staff": tokens.create_token(SYSTEM, staff.id, "api")[1]}


def bearer(token: str) -> dict:
    return {"Authorization": f"Bearer {token}"}


def ok(response, status=200):
    assert response.status_code == status, response.get_data(as_text=True)
    body = response.get_json()
    assert body["ok"] is True and "data" in body
    return body["data"]


def error(response, status):
    assert response.status_code == status, response.get_data(as_text=True)
    assert response.mimetype == "application/json"
    body = response.get_json()
    assert body["ok"] is False and body["error"]["message"]
    return body["error"]


def assert_page(data, total, page=1, per_page=20):
    assert (data["total"], data["page"], data["per_page"]) == (total, page, per_page)
    assert data["pages"] == max(1, -(-total // per_page))
    assert len(data["items"]) == max(0, min(per_page, total - (page - 1) * per_page))


def test_dataset_list_envelope_and_pagination(client, api_catalog):
    data = ok(client.get("/api/v1/datasets", query_string={"per_page": 2}))
    assert_page(data, 3, 1, 2)
    assert set(data["facets"]) >= {"department", "open_access", "format"}
    assert_page(ok(client.get("/api/v1/datasets", query_string={"per_page": 2, "page": 2})), 3, 2, 2)
    assert_page(ok(client.get("/api/v1/datasets", query_string={"page": 5})), 3, 5, 20)  # past the end: empty
    assert_page(ok(client.get("/api/v1/datasets", query_string={"per_page": 100})), 3, 1, 100)
    filtered = ok(client.get("/api/v1/datasets", query_string={"department": "jtysj"}))
    assert [d["name"] for d in filtered["items"]] == ["api-bus"]
    found = ok(client.get("/api/v1/datasets", query_string={"q": "公交"}))
    assert [d["name"] for d in found["items"]] == ["api-bus"]


@pytest.mark.parametrize("query", [{"page": "0"}, {"page": "-1"}, {"page": "abc"}, {"page": "10001"},
                                   {"per_page": "0"}, {"per_page": "101"}, {"per_page": "1.5"}, {"page": "１"},
                                   {"colour": "red"}, {"open_access": "sometimes"}, {"sort": "random"},
                                   {"sort": "relevance"}, {"q": "药" * 101}])
def test_dataset_list_rejects_bad_parameters(client, api_catalog, query):
    error(client.get("/api/v1/datasets", query_string=query), 422)


def test_dataset_detail(client, api_catalog):
    d = ok(client.get("/api/v1/datasets/api-pharmacies"))
    assert d["name"] == "api-pharmacies" and d["department_slug"] == "scjgj" and d["open_access"] == "unconditional"
    assert d["current"]["version"] == d["version"] and d["current"]["current"] is True
    assert len(d["versions"]) == 2 and sum(v["current"] for v in d["versions"]) == 1
    resource = d["current"]["resources"][0]
    assert resource["name"] == "pharmacies" and resource["format"] == "csv" and resource["rows"] == 3
    assert len(resource["hash"]) == 64 and resource["bytes"] > 0
    assert [f["name"] for f in resource["fields"]][:2] == ["企业名称", "所在区县"]
    assert resource["download_url"].endswith("/api/v1/datasets/api-pharmacies/resources/pharmacies")
    assert d["package_url"].endswith("/api/v1/datasets/api-pharmacies/package.zip")
    old = next(v for v in d["versions"] if not v["current"])
    assert old["resources"][0]["download_url"] is None and old["resources"][0]["rows"] == 2
    assert client.get(resource["download_url"], headers=bearer(api_catalog["person"])).status_code == 200
    error(client.get("/api/v1/datasets/no-such-dataset"), 404)


def test_versions_and_resources(client, api_catalog):
    versions = ok(client.get("/api/v1/datasets/api-pharmacies/versions"))
    assert_page(versions, 2)
    assert versions["items"][0]["current"] and not versions["items"][1]["current"]  # newest first
    assert_page(ok(client.get("/api/v1/datasets/api-pharmacies/versions", query_string={"per_page": 1, "page": 2})),
                2, 2, 1)
    resources = ok(client.get("/api/v1/datasets/api-air/resources"))
    assert_page(resources, 1)
    assert resources["items"][0]["download_url"].endswith("/api/v1/datasets/api-air/resources/pharmacies")
    error(client.get("/api/v1/datasets/nope/versions"), 404)
    error(client.get("/api/v1/datasets/nope/resources"), 404)
    error(client.get("/api/v1/datasets/api-air/resources", query_string={"per_page": 500}), 422)


def test_departments(client, api_catalog):
    data = ok(client.get("/api/v1/departments"))
    assert_page(data, 2)
    counts = {d["slug"]: d["dataset_count"] for d in data["items"]}
    assert counts == {"scjgj": 2, "jtysj": 1}
    one = ok(client.get("/api/v1/departments/jtysj"))
    assert one["title"] == "南阳市交通运输局" and one["dataset_count"] == 1
    listed = ok(client.get(one["datasets_url"]))
    assert [d["name"] for d in listed["items"]] == ["api-bus"]
    error(client.get("/api/v1/departments/nope"), 404)
    error(client.get("/api/v1/departments", query_string={"page": "x"}), 422)


def test_downloads_need_a_token_where_personal(client, api_catalog):
    err = error(client.get("/api/v1/datasets/api-pharmacies/resources/pharmacies"), 401)  # even open data
    assert "Bearer" in err["message"]
    error(client.get("/api/v1/datasets/api-air/package.zip", headers=bearer(api_catalog["person"])), 403)
    assert client.get("/api/v1/datasets/api-air/package.zip", headers=bearer(api_catalog["staff"])).status_code == 200
    error(client.get("/api/v1/datasets/nope/package.zip", headers=bearer(api_catalog["person"])), 404)
    error(client.get("/api/v1/datasets/api-bus/resources/nope", headers=bearer(api_catalog["person"])), 404)
    response = client.get("/api/v1/downloads")
    error(response, 401)
    assert response.headers["WWW-Authenticate"].startswith("Bearer")
    error(client.get("/api/v1/downloads", headers=bearer("wrong-token")), 401)
    client.get("/api/v1/datasets/api-bus/resources/pharmacies", headers=bearer(api_catalog["person"]))
    mine = ok(client.get("/api/v1/downloads", headers=bearer(api_catalog["person"])))
    assert_page(mine, 1)
    assert mine["items"][0]["dataset"] == "api-bus" and mine["items"][0]["via"] == "api"
    error(client.get("/api/v1/downloads", headers=bearer(api_catalog["person"]), query_string={"per_page": 0}), 422)


def test_applications_are_bearer_only_and_in_the_envelope(client, api_catalog):
    error(client.get("/api/v1/applications"), 401)
    error(client.get("/api/v1/applications/figures", headers=bearer("nope")), 401)
    assert_page(ok(client.get("/api/v1/applications", headers=bearer(api_catalog["person"]))), 0)
    error(client.get("/api/v1/applications/NYSQ-nope", headers=bearer(api_catalog["person"])), 404)
    error(client.post("/api/v1/applications", headers=bearer(api_catalog["person"]), data="x"), 422)


def test_unknown_api_routes_and_methods_answer_in_the_envelope(client):
    assert client.get("/api/v1/nothing-here").get_json()["ok"] is False
    response = client.post("/api/v1/datasets")
    assert response.status_code == 405 and response.get_json()["ok"] is False
