"""schema.org Dataset JSON-LD embedded in dataset pages (read offline: the schema.org context is never fetched)."""

import json
from datetime import datetime

import pytest
from rdflib import Graph, Namespace, URIRef
from rdflib.namespace import RDF

from portal.policies import SYSTEM
from portal.services import publishing

pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")  # rdflib's own
SDO = Namespace("https://schema.org/")
BASIS = "《中华人民共和国个人信息保护法》第二十八条"
SPECS = [("nanyang-pharmacies", "unconditional"), ("nanyang-market-inspections", "conditional"),
         ("nanyang-taxi-drivers", "closed")]


@pytest.fixture
def catalog(app, people, write_package):
    with app.app_context():
        for name, access in SPECS:
            folder = write_package(name, name=name, title=f"{name} 标题", open_access=access,
                                   open_access_basis=None if access == "unconditional" else BASIS)
            outcome = publishing.publish(SYSTEM, [folder])
            assert outcome.ok, outcome.problems


def embedded(client, name) -> tuple[dict, str]:
    page = client.get(f"/datasets/{name}").get_data(as_text=True)
    scripts = page.split('<script type="application/ld+json">')
    assert len(scripts) == 2, "exactly one JSON-LD block"
    raw = scripts[1].split("</script>")[0]
    return json.loads(raw), raw


def test_unconditional_dataset_markup(client, catalog):
    ld, _ = embedded(client, "nanyang-pharmacies")
    assert ld["@context"] == "https://schema.org" and ld["@type"] == "Dataset"
    assert ld["name"] == "nanyang-pharmacies 标题" and ld["description"] == "测试用药店名录。"
    assert ld["url"] == "http://localhost/datasets/nanyang-pharmacies" and ld["identifier"] == "nanyang-pharmacies"
    assert ld["keywords"] == ["药店", "药品"]
    for role in ("creator", "publisher"):
        assert ld[role]["@type"] == "GovernmentOrganization" and ld[role]["name"] == "南阳市市场监督管理局"
        assert ld[role]["url"] == "http://localhost/departments/scjgj"
    assert ld["provider"]["name"] == "南阳市政务服务和大数据管理局"
    assert ld["license"] == "https://creativecommons.org/licenses/by/4.0/"
    assert ld["isAccessibleForFree"] is True and "实名" in ld["conditionsOfAccess"]
    assert ld["inLanguage"] == "zh-CN"
    assert ld["spatialCoverage"] == {"@type": "Place", "name": "南阳市"}
    assert ld["version"] == "1.0.0"
    published, modified = (datetime.fromisoformat(ld[k].replace("Z", "+00:00")) for k in ("datePublished", "dateModified"))
    assert published <= modified
    [download] = ld["distribution"]
    assert download["@type"] == "DataDownload" and download["encodingFormat"] == "text/csv"
    assert download["contentUrl"] == "http://localhost/datasets/nanyang-pharmacies/resources/pharmacies"
    assert download["contentSize"].endswith(" B") and int(download["contentSize"].split()[0]) > 0
    assert len(download["sha256"]) == 64
    assert "企业名称" in ld["variableMeasured"]
    assert "temporalCoverage" not in ld  # not known for our data


def test_content_url_is_the_gated_route(client, catalog):
    ld, _ = embedded(client, "nanyang-pharmacies")
    response = client.get(ld["distribution"][0]["contentUrl"].removeprefix("http://localhost"))
    assert response.status_code in (302, 401, 403)  # anonymous: log in and verify first


def test_conditional_dataset_markup(client, catalog):
    ld, _ = embedded(client, "nanyang-market-inspections")
    assert ld["isAccessibleForFree"] is True
    assert "有条件开放" in ld["conditionsOfAccess"] and BASIS in ld["conditionsOfAccess"]
    assert ld["distribution"][0]["contentUrl"].endswith("/datasets/nanyang-market-inspections/resources/pharmacies")


def test_closed_dataset_markup(client, catalog):
    ld, _ = embedded(client, "nanyang-taxi-drivers")
    assert ld["isAccessibleForFree"] is False
    assert "不予开放" in ld["conditionsOfAccess"] and BASIS in ld["conditionsOfAccess"]
    assert "distribution" not in ld  # never served: nothing to point a DataDownload at


def test_unknown_license_stays_text_and_script_end_is_escaped(app, client, people, write_package):
    hostile = "药店名录</script><script>alert(1)</script>"
    with app.app_context():
        folder = write_package(description=hostile, licenses=[{"name": "南阳市政务数据开放许可协议"}])
        assert publishing.publish(SYSTEM, [folder]).ok
    ld, raw = embedded(client, "nanyang-test-pharmacies")
    assert ld["description"] == hostile and "</" not in raw
    assert ld["license"] == "南阳市政务数据开放许可协议"


@pytest.mark.parametrize("name, access", SPECS)
def test_markup_is_valid_json_ld(client, catalog, name, access):
    """Parsed by rdflib with the schema.org vocabulary given inline (no context is fetched)."""
    ld, _ = embedded(client, name)
    ld["@context"] = {"@vocab": "https://schema.org/"}
    g = Graph().parse(data=json.dumps(ld), format="json-ld")
    dataset = URIRef(f"http://localhost/datasets/{name}")
    assert len(g) > 0
    [node] = g.subjects(RDF.type, SDO.Dataset)
    assert str(g.value(node, SDO.url)) == str(dataset)
    assert (g.value(node, SDO.creator), RDF.type, SDO.GovernmentOrganization) in g
