"""Search behaviour, the same on every backend: Whoosh always, PostgreSQL when the suite runs on it."""

import os
import threading

import pytest

from portal.policies import SYSTEM
from portal.search.text import query_terms, tokens
from portal.services import publishing, search
from tests.conftest import PHARMACY_CSV

BACKENDS = ["whoosh"] + (["postgres"] if os.environ.get("PORTAL_TEST_DATABASE_URL") else [])

CATALOG = [
    ("nanyang-licensed-pharmacies", "南阳市药品零售企业（药店）名录", "scjgj", "市场监管", "unconditional", "monthly",
     ["药店", "药品", "零售"], "全市取得《药品经营许可证》的零售药店名录。"),
    ("nanyang-bus-routes", "南阳市公交线路与站点", "jtysj", "交通出行", "unconditional", "yearly",
     ["公交", "线路", "站点"], "城区公交线路走向、首末班时间和站点位置。"),
    ("nanyang-air-quality", "南阳市空气质量监测小时数据", "scjgj", "生态环境", "conditional", "realtime",
     ["空气质量", "AQI"], "各监测站点逐小时的空气质量指数与污染物浓度。"),
    ("nanyang-food-licences", "食品经营许可公示", "scjgj", "市场监管", "closed", "daily",
     ["食品", "许可"], "食品经营许可证核发信息，含药店兼营食品的情况。"),
]


@pytest.fixture(params=BACKENDS)
def catalog(request, app, people, write_package):
    app.config["SEARCH_BACKEND"] = request.param
    app.extensions.pop("portal_search", None)
    with app.app_context():
        search.rebuild()
        for name, title, dept, domain, access, freq, keywords, description in CATALOG:
            basis = None if access == "unconditional" else "《中华人民共和国数据安全法》第三十八条"
            department = "南阳市市场监督管理局" if dept == "scjgj" else "南阳市交通运输局"
            folder = write_package(name, name=name, title=title, department=department, domain=domain,
                                   open_access=access, open_access_basis=basis, update_frequency=freq,
                                   keywords=keywords, description=description)
            assert publishing.publish(SYSTEM, [folder]).ok
    return request.param


def find(app, text, **kwargs):
    with app.app_context():
        return search.search(None, text, **kwargs)


def names(found):
    return [d.name for d in found.page.items]


def test_segmentation_of_real_titles():
    assert {"药品", "零售", "药店", "名录"} <= set(tokens("南阳市药品零售企业（药店）名录"))
    assert {"空气质量", "监测"} <= set(tokens("南阳市空气质量监测小时数据")) or {"空气", "质量"} <= set(
        tokens("南阳市空气质量监测小时数据"))
    assert tokens("南陽市藥店") == tokens("南阳市药店")
    assert query_terms("药品零售 名录") == [["药品", "零售"], ["名录"]]


@pytest.mark.parametrize("simplified, traditional", [("药店", "藥店"), ("药品零售", "藥品零售"), ("公交线路", "公交線路"),
                                                     ("空气质量", "空氣質量"), ("食品经营许可", "食品經營許可")])
def test_traditional_finds_what_simplified_finds(app, catalog, simplified, traditional):
    expected = names(find(app, simplified))
    assert expected
    assert names(find(app, traditional)) == expected


def test_pharmacy_is_found_first_and_highlighted(app, catalog):
    found = find(app, "藥店")
    assert names(found)[0] == "nanyang-licensed-pharmacies"
    assert "nanyang-food-licences" in names(found)  # mentioned in the description only, ranked lower
    assert "<mark>药店</mark>" in found.page.items[0].title_html


def test_facets_count_the_matches_and_combine_with_filters(app, catalog):
    found = find(app, "南阳市")  # every entry: titles or the department name
    facets = {key: dict((v["value"], v["count"]) for v in values) for key, values in found.facets.items()}
    assert facets["department"] == {"scjgj": 3, "jtysj": 1}
    assert facets["open_access"] == {"unconditional": 2, "conditional": 1, "closed": 1}
    assert facets["format"] == {"csv": 4}
    assert facets["keyword"]["公交"] == 1
    narrowed = find(app, "南阳市", filters={"department": "scjgj", "open_access": "conditional"})
    assert names(narrowed) == ["nanyang-air-quality"]
    assert names(find(app, "南阳市", filters={"keyword": "药店"})) == ["nanyang-licensed-pharmacies"]
    assert names(find(app, "南阳市", filters={"format": "XLSX"})) == []
    assert names(find(app, "南阳市", filters={"domain": "交通出行"})) == ["nanyang-bus-routes"]
    assert names(find(app, "南阳市", filters={"update_frequency": "realtime"})) == ["nanyang-air-quality"]


def test_sort_orders(app, catalog):
    by_title = names(find(app, "南阳市", sort="title"))
    assert by_title == sorted(by_title, key=lambda n: dict((c[0], c[1]) for c in CATALOG)[n])
    assert names(find(app, "南阳市", sort="newest"))[0] == "nanyang-food-licences"  # published last
    assert set(names(find(app, "南阳市", sort="downloads"))) == set(by_title)
    with pytest.raises(Exception, match="排序"):
        find(app, "南阳市", sort="random")


def test_pagination_edges(app, catalog):
    first = find(app, "南阳市", sort="title", page=1, per_page=2)
    second = find(app, "南阳市", sort="title", page=2, per_page=2)
    assert first.page.total == second.page.total == 4
    assert len(names(first)) == 2 and len(names(second)) == 2
    assert not set(names(first)) & set(names(second))
    assert names(find(app, "南阳市", page=99, per_page=2)) == []


def test_query_cap_and_garbage(app, catalog, client):
    long_query = client.get("/datasets?q=" + "药" * 101)
    assert long_query.status_code == 422 and "搜索词过长" in long_query.get_data(as_text=True)
    assert client.get("/datasets?q=" + "x" * 40_000).status_code == 422
    for garbage in ['"AND OR (', "*:* NOT", "药店)) OR ((", "'; DROP TABLE dataset; --", "\\", "～！@#￥%……&*（）"]:
        response = client.get("/datasets", query_string={"q": garbage})
        assert response.status_code == 200, garbage


def test_empty_query_lists_everything_from_sql(app, catalog, client):
    found = find(app, "")
    assert found.page.total == 4 and found.sort == "newest"
    page = client.get("/datasets").get_data(as_text=True)
    assert "共 4 个数据集" in page


def test_index_follows_publish_and_removal(app, catalog, write_package):
    assert names(find(app, "停车场")) == []
    folder = write_package("parking", name="nanyang-parking", title="南阳市公共停车场", csv_text=PHARMACY_CSV)
    with app.app_context():
        assert publishing.publish(SYSTEM, [folder]).ok
    assert names(find(app, "停车场")) == ["nanyang-parking"]
    with app.app_context():
        publishing.remove(SYSTEM, "nanyang-parking", "重复发布")
    assert names(find(app, "停车场")) == []


def test_rebuild_swaps_while_searching(app, catalog):
    errors, counts = [], []
    stop = threading.Event()

    def keep_searching():
        while not stop.is_set():
            try:
                counts.append(find(app, "药店").page.total)
            except Exception as exc:  # any failure during the swap is a bug
                errors.append(exc)

    worker = threading.Thread(target=keep_searching)
    worker.start()
    try:
        for _ in range(3):
            with app.app_context():
                assert search.rebuild() == 4
    finally:
        stop.set()
        worker.join()
    assert not errors and counts and set(counts) == {2}


def test_publish_and_removal_during_a_rebuild_survive_the_swap(app, catalog, write_package, monkeypatch):
    with app.app_context():
        engine = search.backend()
        original = engine.rebuild

        def rebuild_while_the_catalog_changes(docs):
            folder = write_package("late", name="nanyang-late-parking", title="南阳市停车场名录",
                                   keywords=["停车场"])
            assert publishing.publish(SYSTEM, [folder]).ok  # indexed into the index being replaced
            publishing.remove(SYSTEM, "nanyang-bus-routes", "线路调整")
            original(docs)

        monkeypatch.setattr(engine, "rebuild", rebuild_while_the_catalog_changes)
        search.rebuild()
    assert names(find(app, "停车场")) == ["nanyang-late-parking"]
    assert find(app, "公交").page.total == 0


def test_missing_or_corrupt_whoosh_index_is_rebuilt(app, people, write_package):
    from pathlib import Path

    app.config["SEARCH_BACKEND"] = "whoosh"
    app.extensions.pop("portal_search", None)
    with app.app_context():
        assert publishing.publish(SYSTEM, [write_package()]).ok
    root = Path(app.config["SEARCH_INDEX"])
    for path in root.glob("index-*/*"):
        path.write_bytes(b"garbage")
    app.extensions.pop("portal_search", None)
    assert names(find(app, "药品零售")) == ["nanyang-test-pharmacies"]
    (root / "CURRENT").unlink()
    app.extensions.pop("portal_search", None)
    assert names(find(app, "药品零售")) == ["nanyang-test-pharmacies"]


def test_api_v1_and_ckan_package_search_use_the_same_service(app, catalog, client):
    body = client.get("/api/v1/datasets", query_string={"q": "藥店", "per_page": 1}).get_json()
    assert body["ok"] and body["data"]["total"] == 2 and body["data"]["items"][0]["name"] == "nanyang-licensed-pharmacies"
    assert body["data"]["pages"] == 2
    bad = client.get("/api/v1/datasets", query_string={"q": "药" * 200}).get_json()
    assert bad["ok"] is False and "搜索词过长" in bad["error"]["message"]
    ckan = client.get("/api/3/action/package_search", query_string={
        "q": "药店", "fq": 'organization:scjgj', "rows": 1, "start": 0, "facet.field": '["organization","tags"]'}).get_json()
    assert ckan["success"] and ckan["result"]["count"] == 2
    assert ckan["result"]["results"][0]["organization"]["name"] == "scjgj"
    assert ckan["result"]["facets"]["organization"] == {"scjgj": 2}
    posted = client.post("/api/3/action/package_search", json={"q": "公交", "rows": 5}).get_json()
    assert posted["result"]["results"][0]["name"] == "nanyang-bus-routes"
    error = client.get("/api/3/action/package_search", query_string={"fq": "nonsense:1"})
    assert error.status_code == 409 and error.get_json()["error"]["__type"] == "Validation Error"
