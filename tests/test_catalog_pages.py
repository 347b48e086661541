"""Catalog pages: home counts, list filters, facets, pagination, dataset page, departments."""

import json

import pytest

from portal.policies import SYSTEM
from portal.services import publishing
from tests.conftest import PHARMACY_CSV


@pytest.fixture
def catalog(app, people, write_package):
    """Five datasets across two departments and three open attributes."""
    specs = [
        ("nanyang-pharmacies", "南阳市药品零售企业名录", "unconditional", "南阳市市场监督管理局", "市场监管", "monthly"),
        ("nanyang-food-licences", "食品经营许可公示", "unconditional", "南阳市市场监督管理局", "市场监管", "daily"),
        ("nanyang-market-inspections", "市场主体抽查记录", "conditional", "南阳市市场监督管理局", "市场监管", "quarterly"),
        ("nanyang-bus-lines", "南阳市公交线路", "unconditional", "南阳市交通运输局", "交通出行", "yearly"),
        ("nanyang-taxi-drivers", "出租车驾驶员信息", "closed", "南阳市交通运输局", "交通出行", "irregular"),
    ]
    with app.app_context():
        for name, title, access, dept, domain, freq in specs:
            basis = None if access == "unconditional" else "《中华人民共和国个人信息保护法》第二十八条"
            folder = write_package(name, name=name, title=title, open_access=access, open_access_basis=basis,
                                   department=dept, domain=domain, update_frequency=freq)
            outcome = publishing.publish(SYSTEM, [folder])
            assert outcome.ok, outcome.problems
    return specs


def test_home_shows_counts_newest_domains_and_departments(client, catalog):
    page = client.get("/").get_data(as_text=True)
    assert "<strong>5</strong>" in page  # datasets
    assert "<strong>2</strong>" in page  # departments
    assert "出租车驾驶员信息" in page and "交通出行" in page and "南阳市交通运输局" in page


@pytest.mark.parametrize("query, expected", [
    ("department=jtysj", {"南阳市公交线路", "出租车驾驶员信息"}),
    ("domain=市场监管", {"南阳市药品零售企业名录", "食品经营许可公示", "市场主体抽查记录"}),
    ("open_access=conditional", {"市场主体抽查记录"}),
    ("update_frequency=daily", {"食品经营许可公示"}),
    ("format=csv&open_access=closed", {"出租车驾驶员信息"}),
    ("format=xlsx", set()),
    ("department=scjgj&open_access=unconditional", {"南阳市药品零售企业名录", "食品经营许可公示"}),
])
def test_list_filters(client, catalog, query, expected):
    page = client.get(f"/datasets?{query}").get_data(as_text=True)
    titles = {spec[1] for spec in catalog}
    assert {t for t in titles if f">{t}</a>" in page} == expected
    if not expected:
        assert "没有符合条件的数据集" in page


def test_facet_counts_combine_with_filters(app, catalog):
    from portal.services import datasets

    with app.app_context():
        facets = datasets.facets(None, {"department": "scjgj"})
    assert {f["value"]: f["count"] for f in facets["open_access"]} == {"unconditional": 2, "conditional": 1}
    assert facets["format"] == [{"value": "csv", "label": "CSV", "count": 3}]


def test_invalid_filter_value_is_a_422(client, catalog):
    response = client.get("/datasets?open_access=maybe")
    assert response.status_code == 422
    assert "开放属性的取值" in response.get_data(as_text=True)
    assert client.get("/datasets?sort=random").status_code == 422


def test_pagination_edges(app, client, catalog):
    app.config["PAGE_SIZE"] = 2
    first = client.get("/datasets?sort=title").get_data(as_text=True)
    assert "第 1 / 3 页，共 5 条" in first and "下一页" in first and "上一页" not in first
    last = client.get("/datasets?sort=title&page=3").get_data(as_text=True)
    assert "第 3 / 3 页" in last and "下一页" not in last
    beyond = client.get("/datasets?page=99")
    assert beyond.status_code == 200
    assert client.get("/datasets?page=-1").status_code == 200
    assert client.get("/datasets?page=abc").status_code == 200


def test_dataset_page_shows_attributes_fields_preview_and_history(client, catalog):
    page = client.get("/datasets/nanyang-pharmacies").get_data(as_text=True)
    for text in ("南阳市药品零售企业名录", "无条件开放", "无条件共享", "每月", "CC-BY-4.0", "王伟", "0377-63123456",
                 "企业名称", "经营面积", "宛城区仁和大药房", "版本历史", "datapackage.json", "SHA-256"):
        assert text in page, text
    ld = json.loads(page.split('<script type="application/ld+json">')[1].split("</script>")[0])
    assert ld["@type"] == "Dataset" and ld["name"] == "南阳市药品零售企业名录"


def test_conditional_and_closed_pages_show_basis_and_no_preview(client, catalog):
    conditional = client.get("/datasets/nanyang-market-inspections").get_data(as_text=True)
    assert "有条件开放" in conditional and "第二十八条" in conditional
    assert "宛城区仁和大药房" not in conditional
    closed = client.get("/datasets/nanyang-taxi-drivers").get_data(as_text=True)
    assert "不予开放" in closed and "宛城区仁和大药房" not in closed


def test_unknown_dataset_is_404(client, catalog):
    assert client.get("/datasets/nope").status_code == 404
    assert client.get("/datasets/nope/datapackage.json").status_code == 404


def test_department_pages(client, catalog):
    listing = client.get("/departments").get_data(as_text=True)
    assert "南阳市交通运输局" in listing and "2 个数据集" in listing
    page = client.get("/departments/scjgj").get_data(as_text=True)
    assert "食品经营许可公示" in page and "南阳市公交线路" not in page
    assert client.get("/departments/nope").status_code == 404


def test_preview_is_limited_to_configured_rows(app, client, people, write_package):
    rows = "".join(f"药店{i},宛城区,{i},2024-01-01\n" for i in range(50))
    with app.app_context():
        assert publishing.publish(SYSTEM, [write_package(csv_text=PHARMACY_CSV + rows)]).ok
    page = client.get("/datasets/nanyang-test-pharmacies").get_data(as_text=True)
    assert "药店17," not in page and ">药店17<" in page and ">药店18<" not in page
