"""DCAT-AP: /catalog.ttl|.jsonld|.rdf, /datasets/<name>.ttl|.jsonld|.rdf, content negotiation, paging, caching."""

import hashlib

import pytest
from rdflib import Graph, Literal, Namespace, URIRef
from rdflib.compare import isomorphic
from rdflib.namespace import DCTERMS, FOAF, RDF

from portal.policies import SYSTEM
from portal.services import publishing
from tests.conftest import PHARMACY_CSV

pytestmark = pytest.mark.filterwarnings("ignore:ConjunctiveGraph is deprecated:DeprecationWarning")  # rdflib's own

DCAT = Namespace("http://www.w3.org/ns/dcat#")  # plain namespaces: pytest probes module globals
XSD = Namespace("http://www.w3.org/2001/XMLSchema#")
VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
EU = "http://publications.europa.eu/resource/authority/"
BASE = "http://localhost"
BASIS = "《中华人民共和国个人信息保护法》第二十八条"

SPECS = [  # name, title, open_access, department, domain, update_frequency
    ("nanyang-pharmacies", "南阳市药品零售企业名录", "unconditional", "南阳市市场监督管理局", "市场监管", "monthly"),
    ("nanyang-food-licences", "食品经营许可公示", "unconditional", "南阳市市场监督管理局", "市场监管", "realtime"),
    ("nanyang-market-inspections", "市场主体抽查记录", "conditional", "南阳市市场监督管理局", "市场监管", "semiannual"),
    ("nanyang-bus-lines", "南阳市公交线路", "unconditional", "南阳市交通运输局", "交通出行", "yearly"),
    ("nanyang-taxi-drivers", "出租车驾驶员信息", "closed", "南阳市交通运输局", "交通出行", "irregular"),
]
ACCEPT_HTML = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"


@pytest.fixture
def catalog(app, people, write_package):
    with app.app_context():
        for name, title, access, dept, domain, freq in SPECS:
            folder = write_package(name, name=name, title=title, open_access=access, department=dept, domain=domain,
                                   open_access_basis=None if access == "unconditional" else BASIS,
                                   update_frequency=freq)
            outcome = publishing.publish(SYSTEM, [folder])
            assert outcome.ok, outcome.problems
    return SPECS


def graph_of(response, fmt) -> Graph:
    assert response.status_code == 200, response.get_data(as_text=True)
    graph = Graph().parse(data=response.get_data(as_text=True), format=fmt)
    assert len(graph) > 0
    return graph


def without_paging(graph: Graph) -> Graph:
    """The catalog minus its hydra block, whose subject is the page's own URL (it names the route)."""
    pages = set(graph.subjects(RDF.type, HYDRA.PagedCollection))
    stripped = Graph()
    for triple in graph:
        if triple[0] not in pages:
            stripped.add(triple)
    return stripped


def dataset_iri(name) -> URIRef:
    return URIRef(f"{BASE}/datasets/{name}")


# --- serialisations -----------------------------------------------------------------------------

def test_catalog_serialisations_parse_to_the_same_graph(client, catalog):
    ttl = client.get("/catalog.ttl")
    assert ttl.mimetype == "text/turtle" and ttl.mimetype_params["charset"] == "utf-8"
    jsonld = client.get("/catalog.jsonld")
    assert jsonld.mimetype == "application/ld+json"
    rdfxml = client.get("/catalog.rdf")
    assert rdfxml.mimetype == "application/rdf+xml"
    g = without_paging(graph_of(ttl, "turtle"))
    assert isomorphic(g, without_paging(graph_of(jsonld, "json-ld")))
    assert isomorphic(g, without_paging(graph_of(rdfxml, "xml")))


@pytest.mark.parametrize("name", [spec[0] for spec in SPECS])
def test_dataset_turtle_and_jsonld_are_isomorphic(client, catalog, name):
    ttl = graph_of(client.get(f"/datasets/{name}.ttl"), "turtle")
    assert isomorphic(ttl, graph_of(client.get(f"/datasets/{name}.jsonld"), "json-ld"))
    assert isomorphic(ttl, graph_of(client.get(f"/datasets/{name}.rdf"), "xml"))


def test_jsonld_context_is_inline(client, catalog):
    body = client.get("/datasets/nanyang-pharmacies.jsonld").get_json()
    assert isinstance(body["@context"], dict) and body["@context"]["dcat"] == str(DCAT)


def test_unknown_dataset_is_404(client, catalog):
    response = client.get("/datasets/nanyang-nope.ttl")
    assert response.status_code == 404 and "不存在" in response.get_data(as_text=True)
    assert client.get("/datasets/nanyang-nope", headers={"Accept": "text/turtle"}).status_code == 404


# --- catalog and dataset properties -------------------------------------------------------------

def test_catalog_mandatory_and_recommended_properties(client, catalog):
    g = graph_of(client.get("/catalog.ttl"), "turtle")
    cat = URIRef(f"{BASE}/catalog")
    assert (cat, RDF.type, DCAT.Catalog) in g
    assert g.value(cat, DCTERMS.title) == Literal("南阳市政务数据开放平台", lang="zh")
    assert g.value(cat, DCTERMS.description).language == "zh"
    publisher = g.value(cat, DCTERMS.publisher)
    assert (publisher, RDF.type, FOAF.Agent) in g
    assert g.value(publisher, FOAF.name) == Literal("南阳市政务服务和大数据管理局", lang="zh")
    assert g.value(cat, FOAF.homepage) == URIRef(f"{BASE}/")
    assert g.value(cat, DCTERMS.language) == URIRef(EU + "language/ZHO")
    assert g.value(cat, DCTERMS.modified).datatype == XSD.dateTime
    assert set(g.objects(cat, DCAT.dataset)) == {dataset_iri(spec[0]) for spec in SPECS}
    assert set(g.subjects(RDF.type, DCAT.Dataset)) == {dataset_iri(spec[0]) for spec in SPECS}


REQUIRED_DATASET = """
PREFIX dcat: <http://www.w3.org/ns/dcat#>
PREFIX dct: <http://purl.org/dc/terms/>
PREFIX foaf: <http://xmlns.com/foaf/0.1/>
PREFIX vcard: <http://www.w3.org/2006/vcard/ns#>
PREFIX spdx: <http://spdx.org/rdf/terms#>
ASK {
  ?d a dcat:Dataset ; dct:identifier ?id ; dct:title ?title ; dct:description ?description ; dcat:keyword ?kw ;
     dct:publisher ?pub ; dct:issued ?issued ; dct:modified ?modified ; dct:accrualPeriodicity ?freq ;
     dct:accessRights ?rights ; dcat:theme ?theme ; dct:subject ?subject ; dcat:contactPoint ?contact ;
     dct:language ?lang ; dcat:landingPage ?page ; dct:license ?license ; dcat:distribution ?dist .
  ?pub a foaf:Agent ; foaf:name ?pubname .
  ?contact a vcard:Kind ; vcard:fn ?fn ; vcard:hasTelephone ?tel ; vcard:hasEmail ?mail .
  ?dist a dcat:Distribution ; dct:title ?dtitle ; dcat:accessURL ?access ; dcat:mediaType ?media ;
        dct:format ?format ; dcat:byteSize ?size ; spdx:checksum ?sum ; dct:license ?dlicense ;
        dct:issued ?dissued ; dct:modified ?dmodified .
  ?sum a spdx:Checksum ; spdx:algorithm spdx:checksumAlgorithm_sha256 ; spdx:checksumValue ?hex .
  FILTER (lang(?title) = "zh" && lang(?description) = "zh" && lang(?kw) = "zh" && lang(?pubname) = "zh")
  FILTER (datatype(?issued) = <http://www.w3.org/2001/XMLSchema#dateTime>)
}
"""


@pytest.mark.parametrize("name", [spec[0] for spec in SPECS])
def test_every_dataset_has_the_dcat_ap_properties(client, catalog, name):
    for url in (f"/datasets/{name}.ttl", "/catalog.ttl"):
        g = graph_of(client.get(url), "turtle")
        assert g.query(REQUIRED_DATASET, initBindings={"d": dataset_iri(name)}).askAnswer, (url, name)


def test_dataset_values(app, client, catalog):
    name = "nanyang-pharmacies"
    g = graph_of(client.get(f"/datasets/{name}.ttl"), "turtle")
    d = dataset_iri(name)
    assert g.value(d, DCTERMS.identifier) == Literal(name)
    assert g.value(d, DCTERMS.title) == Literal("南阳市药品零售企业名录", lang="zh")
    assert set(g.objects(d, DCAT.keyword)) == {Literal("药店", lang="zh"), Literal("药品", lang="zh")}
    publisher = g.value(d, DCTERMS.publisher)
    assert publisher == URIRef(f"{BASE}/departments/scjgj")
    assert g.value(publisher, FOAF.name) == Literal("南阳市市场监督管理局", lang="zh")
    assert g.value(d, DCAT.landingPage) == d
    assert g.value(d, DCTERMS.license) == URIRef("https://creativecommons.org/licenses/by/4.0/")
    assert Literal("市场监管", lang="zh") in set(g.objects(d, DCTERMS.subject))
    assert URIRef(EU + "data-theme/ECON") in set(g.objects(d, DCAT.theme))
    contact = g.value(d, DCAT.contactPoint)
    assert g.value(contact, VCARD.fn) == Literal("王伟")
    assert g.value(contact, VCARD.hasEmail) == URIRef("mailto:scjgj@nanyang.gov.cn")
    assert g.value(g.value(contact, VCARD.hasTelephone), VCARD.hasValue) == URIRef("tel:+86-377-63123456")

    [dist] = g.objects(d, DCAT.distribution)
    assert g.value(dist, DCAT.accessURL) == d
    assert g.value(dist, DCAT.downloadURL) == URIRef(f"{BASE}/datasets/{name}/resources/pharmacies")
    assert g.value(dist, DCAT.mediaType) == URIRef("https://www.iana.org/assignments/media-types/text/csv")
    assert g.value(dist, DCTERMS.format) == URIRef(EU + "file-type/CSV")
    with app.app_context():
        from portal.services import datasets

        resource = datasets.get_dataset(SYSTEM, name).current.resources[0]
    size = g.value(dist, DCAT.byteSize)
    assert size.datatype == XSD.nonNegativeInteger and int(size) == resource.bytes
    checksum = g.value(g.value(dist, SPDX.checksum), SPDX.checksumValue)
    assert str(checksum).lower() == resource.hash == hashlib.sha256(PHARMACY_CSV.encode()).hexdigest()


@pytest.mark.parametrize("name, right", [("nanyang-pharmacies", "PUBLIC"),
                                         ("nanyang-market-inspections", "RESTRICTED"),
                                         ("nanyang-taxi-drivers", "NON_PUBLIC")])
def test_access_rights_follow_the_open_attribute(client, catalog, name, right):
    g = graph_of(client.get(f"/datasets/{name}.ttl"), "turtle")
    assert g.value(dataset_iri(name), DCTERMS.accessRights) == URIRef(EU + "access-right/" + right)


@pytest.mark.parametrize("name, frequency", [("nanyang-pharmacies", "MONTHLY"), ("nanyang-food-licences", "UPDATE_CONT"),
                                             ("nanyang-market-inspections", "ANNUAL_2"),
                                             ("nanyang-bus-lines", "ANNUAL"), ("nanyang-taxi-drivers", "IRREG")])
def test_accrual_periodicity_uses_the_eu_frequency_vocabulary(client, catalog, name, frequency):
    g = graph_of(client.get(f"/datasets/{name}.ttl"), "turtle")
    assert g.value(dataset_iri(name), DCTERMS.accrualPeriodicity) == URIRef(EU + "frequency/" + frequency)


def test_frequency_mapping_is_complete():
    from portal.models import UPDATE_FREQUENCIES
    from portal.services.dcat import FREQUENCIES

    assert set(FREQUENCIES) == set(UPDATE_FREQUENCIES)
    assert FREQUENCIES == {"realtime": "UPDATE_CONT", "daily": "DAILY", "weekly": "WEEKLY", "monthly": "MONTHLY",
                           "quarterly": "QUARTERLY", "semiannual": "ANNUAL_2", "yearly": "ANNUAL",
                           "irregular": "IRREG"}


def test_download_urls_are_only_the_gated_routes(client, catalog):
    g = graph_of(client.get("/catalog.ttl"), "turtle")
    downloads = {str(o) for o in g.objects(None, DCAT.downloadURL)}
    assert downloads == {f"{BASE}/datasets/{name}/resources/pharmacies"
                         for name, _, access, *_ in SPECS if access != "closed"}
    for url in downloads:  # anonymous: refused, nothing of the data served
        response = client.get(url.removeprefix(BASE))
        assert response.status_code in (302, 401, 403) and "宛城区仁和大药房" not in response.get_data(as_text=True)
    closed = dataset_iri("nanyang-taxi-drivers")
    [dist] = g.objects(closed, DCAT.distribution)
    assert g.value(dist, DCAT.downloadURL) is None and g.value(dist, DCAT.accessURL) == closed
    # no other route of ours is named: pages, departments, catalog themes and the gated downloads only
    ours = {str(t) for triple in g for t in triple if isinstance(t, URIRef) and str(t).startswith(BASE)}
    allowed = ("/datasets/", "/departments/", "/catalog", "/datasets?domain=")
    assert all(u.removeprefix(BASE).startswith(allowed) or u == f"{BASE}/" for u in ours), ours
    assert not any("package.zip" in u or "datapackage.json" in u or "/preview" in u for u in ours)


def test_only_published_entries_are_described(app, client, catalog):
    with app.app_context():
        publishing.remove(SYSTEM, "nanyang-bus-lines", "测试下架")
    g = graph_of(client.get("/catalog.ttl"), "turtle")
    assert dataset_iri("nanyang-bus-lines") not in set(g.subjects(RDF.type, DCAT.Dataset))
    assert len(set(g.subjects(RDF.type, DCAT.Dataset))) == 4
    assert client.get("/datasets/nanyang-bus-lines.ttl").status_code == 404


# --- paging ------------------------------------------------------------------------------------

def test_paging_with_hydra(client, catalog):
    seen = []
    for page in (1, 2, 3):
        url = f"{BASE}/catalog.ttl?page={page}&per_page=2"
        g = graph_of(client.get(url.removeprefix(BASE)), "turtle")
        here = URIRef(url)
        assert (here, RDF.type, HYDRA.PagedCollection) in g
        assert int(g.value(here, HYDRA.totalItems)) == 5 and int(g.value(here, HYDRA.itemsPerPage)) == 2
        assert g.value(here, HYDRA.firstPage) == URIRef(f"{BASE}/catalog.ttl?page=1&per_page=2")
        assert g.value(here, HYDRA.lastPage) == URIRef(f"{BASE}/catalog.ttl?page=3&per_page=2")
        nxt, prev = g.value(here, HYDRA.nextPage), g.value(here, HYDRA.previousPage)
        assert nxt == (URIRef(f"{BASE}/catalog.ttl?page={page + 1}&per_page=2") if page < 3 else None)
        assert prev == (URIRef(f"{BASE}/catalog.ttl?page={page - 1}&per_page=2") if page > 1 else None)
        listed = set(g.objects(URIRef(f"{BASE}/catalog"), DCAT.dataset))
        assert listed == set(g.subjects(RDF.type, DCAT.Dataset))
        assert len(listed) == (2 if page < 3 else 1)
        seen += listed
    assert sorted(seen) == sorted(dataset_iri(spec[0]) for spec in SPECS)


def test_paging_defaults_limits_and_errors(client, catalog):
    g = graph_of(client.get("/catalog.jsonld"), "json-ld")
    here = URIRef(f"{BASE}/catalog.jsonld?page=1")
    assert int(g.value(here, HYDRA.itemsPerPage)) == 100 and g.value(here, HYDRA.nextPage) is None
    g = graph_of(client.get("/catalog.ttl?per_page=5000"), "turtle")
    assert int(g.value(URIRef(f"{BASE}/catalog.ttl?page=1&per_page=1000"), HYDRA.itemsPerPage)) == 1000
    for query in ("page=0", "page=abc", "per_page=-1", "page=1.5"):
        response = client.get(f"/catalog.ttl?{query}")
        assert response.status_code == 400 and "正整数" in response.get_data(as_text=True), query
    beyond = client.get("/catalog.ttl?page=4&per_page=2")
    assert beyond.status_code == 404 and "共 3 页" in beyond.get_data(as_text=True)


def test_empty_catalog(client, people):
    g = graph_of(client.get("/catalog.ttl"), "turtle")
    assert (URIRef(f"{BASE}/catalog"), RDF.type, DCAT.Catalog) in g
    assert int(g.value(URIRef(f"{BASE}/catalog.ttl?page=1"), HYDRA.totalItems)) == 0


# --- content negotiation -----------------------------------------------------------------------

@pytest.mark.parametrize("accept, mimetype, fmt", [
    ("text/turtle", "text/turtle", "turtle"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
    ("*/*", "text/turtle", "turtle"),
    ("application/ld+json;q=0.9, text/turtle;q=0.5", "application/ld+json", "json-ld"),
])
def test_catalog_content_negotiation(client, catalog, accept, mimetype, fmt):
    response = client.get("/catalog", headers={"Accept": accept})
    assert response.mimetype == mimetype and "Accept" in response.vary
    g = graph_of(response, fmt)
    assert isomorphic(without_paging(g), without_paging(graph_of(client.get("/catalog.ttl"), "turtle")))
    assert (URIRef(f"{BASE}/catalog?page=1"), RDF.type, HYDRA.PagedCollection) in g
    assert len(set(g.subjects(RDF.type, DCAT.Dataset))) == 5


def test_catalog_negotiation_html_and_unsupported(client, catalog):
    browser = client.get("/catalog", headers={"Accept": ACCEPT_HTML})
    assert browser.status_code == 303 and browser.headers["Location"].endswith("/datasets")
    assert client.get("/catalog").mimetype == "text/turtle"  # no Accept at all
    refused = client.get("/catalog", headers={"Accept": "application/pdf"})
    assert refused.status_code == 406
    text = refused.get_data(as_text=True)
    assert "text/turtle" in text and "application/ld+json" in text and "不支持" in text


@pytest.mark.parametrize("accept, mimetype, fmt", [
    ("text/turtle", "text/turtle", "turtle"),
    ("application/ld+json", "application/ld+json", "json-ld"),
    ("application/rdf+xml", "application/rdf+xml", "xml"),
])
def test_dataset_page_negotiates_rdf(client, catalog, accept, mimetype, fmt):
    response = client.get("/datasets/nanyang-pharmacies", headers={"Accept": accept})
    assert response.mimetype == mimetype and "Accept" in response.vary
    reference = graph_of(client.get("/datasets/nanyang-pharmacies.ttl"), "turtle")
    assert isomorphic(graph_of(response, fmt), reference)


def test_dataset_page_stays_html_for_browsers(client, catalog):
    for headers in ({"Accept": ACCEPT_HTML}, {}, {"Accept": "*/*"}):
        response = client.get("/datasets/nanyang-pharmacies", headers=headers)
        assert response.status_code == 200 and response.mimetype == "text/html", headers
        assert "Accept" in response.vary


# --- caching -----------------------------------------------------------------------------------

@pytest.mark.parametrize("url, headers", [("/catalog.ttl", {}), ("/catalog.jsonld?per_page=2", {}),
                                          ("/datasets/nanyang-pharmacies.ttl", {}),
                                          ("/catalog", {"Accept": "application/ld+json"}),
                                          ("/datasets/nanyang-pharmacies", {"Accept": "text/turtle"})])
def test_conditional_requests(client, catalog, url, headers):
    first = client.get(url, headers=headers)
    assert first.status_code == 200 and first.headers["ETag"] and first.headers["Last-Modified"]
    again = client.get(url, headers=headers | {"If-None-Match": first.headers["ETag"]})
    assert again.status_code == 304 and again.get_data() == b""
    assert client.get(url, headers=headers | {"If-None-Match": '"other"'}).status_code == 200
    since = client.get(url, headers=headers | {"If-Modified-Since": first.headers["Last-Modified"]})
    assert since.status_code == 304


def test_etag_changes_when_a_dataset_is_published(app, client, catalog, write_package):
    before = client.get("/catalog.ttl").headers["ETag"]
    with app.app_context():
        assert publishing.publish(SYSTEM, [write_package("extra", name="nanyang-extra-data", title="新增数据")]).ok
    response = client.get("/catalog.ttl", headers={"If-None-Match": before})
    assert response.status_code == 200 and response.headers["ETag"] != before
    assert dataset_iri("nanyang-extra-data") in set(graph_of(response, "turtle").subjects(RDF.type, DCAT.Dataset))


def test_a_removal_moves_last_modified_of_the_catalog(app, client, catalog):
    from datetime import timedelta

    from sqlalchemy import update

    from portal.extensions import db
    from portal.models import Dataset, utcnow

    with app.app_context():
        db.session.execute(update(Dataset).values(updated_at=utcnow() - timedelta(hours=1)))
        db.session.commit()
    before = client.get("/catalog.ttl").headers["Last-Modified"]
    with app.app_context():
        publishing.remove(SYSTEM, "nanyang-bus-lines", "测试下架")
    response = client.get("/catalog.ttl", headers={"If-Modified-Since": before})
    assert response.status_code == 200 and response.headers["Last-Modified"] != before
