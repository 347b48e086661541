"""DCAT-AP metadata of the open catalog (rdflib): the catalog, paged, and each published dataset.

Only published entries (a current version) are described. Conditional and closed entries are
described like the others (the catalog entry is public, art. 43); their distributions carry
metadata only as far as the dataset page already shows it. `dcat:downloadURL` is always the gated
download route, which serves a verified identity only (and a grant holder for conditional data);
closed data is never served, so its distributions have no `dcat:downloadURL` at all.
"""

from dataclasses import dataclass
from datetime import UTC, datetime

from flask import url_for
from rdflib import BNode, Graph, Literal, Namespace, URIRef
from rdflib.namespace import DCAT, DCTERMS, FOAF, RDF, RDFS, SKOS, XSD
from sqlalchemy import func, select
from sqlalchemy.orm import selectinload

from ..errors import NotFound, ValidationError
from ..extensions import db
from ..models import AuditEvent, Dataset, DatasetVersion

VCARD = Namespace("http://www.w3.org/2006/vcard/ns#")
SPDX = Namespace("http://spdx.org/rdf/terms#")
HYDRA = Namespace("http://www.w3.org/ns/hydra/core#")
ADMS = Namespace("http://www.w3.org/ns/adms#")
EU = "http://publications.europa.eu/resource/authority/"
IANA = "https://www.iana.org/assignments/media-types/"

PREFIXES = {"dcat": DCAT, "dct": DCTERMS, "foaf": FOAF, "vcard": VCARD, "spdx": SPDX, "hydra": HYDRA,
            "skos": SKOS, "adms": ADMS, "rdfs": RDFS, "xsd": XSD}
LANG = "zh"
LANGUAGE = URIRef(EU + "language/ZHO")
DCAT_VERSION = URIRef(str(DCAT) + "version")  # DCAT 3 / DCAT-AP 3; rdflib's DCAT is DCAT 2
ADMS_PUBLISHER_LOCAL = URIRef("http://purl.org/adms/publishertype/LocalAuthority")

# update_frequency → EU frequency vocabulary (DESIGN §3 lists the eight values).
FREQUENCIES = {"realtime": "UPDATE_CONT", "daily": "DAILY", "weekly": "WEEKLY", "monthly": "MONTHLY",
               "quarterly": "QUARTERLY", "semiannual": "ANNUAL_2", "yearly": "ANNUAL", "irregular": "IRREG"}
# open_access (art. 43) → EU access-right vocabulary.
ACCESS_RIGHTS = {"unconditional": "PUBLIC", "conditional": "RESTRICTED", "closed": "NON_PUBLIC"}
# Our domains → EU data themes (our own concept is always given too; unknown domains get only that).
DATA_THEMES = {"市场监管": "ECON", "交通出行": "TRAN", "交通": "TRAN", "医疗卫生": "HEAL", "教育文化": "EDUC",
               "生态环境": "ENVI", "文化旅游": "EDUC", "社会民生": "SOCI", "劳动就业": "SOCI", "城建住房": "REGI",
               "公共安全": "JUST", "资源环境": "ENVI", "农业农村": "AGRI", "社会保障": "SOCI"}
# Resource format → EU file-type vocabulary.
FILE_TYPES = {"csv": "CSV", "xlsx": "XLSX", "xls": "XLS", "json": "JSON", "geojson": "GEOJSON", "xml": "XML",
              "zip": "ZIP", "pdf": "PDF", "txt": "TXT"}
# SPDX licence ids (as descriptors name them) → licence document URLs.
LICENSES = {
    "cc-by-4.0": "https://creativecommons.org/licenses/by/4.0/",
    "cc-by-sa-4.0": "https://creativecommons.org/licenses/by-sa/4.0/",
    "cc-by-nc-4.0": "https://creativecommons.org/licenses/by-nc/4.0/",
    "cc-by-nd-4.0": "https://creativecommons.org/licenses/by-nd/4.0/",
    "cc-by-nc-sa-4.0": "https://creativecommons.org/licenses/by-nc-sa/4.0/",
    "cc-by-nc-nd-4.0": "https://creativecommons.org/licenses/by-nc-nd/4.0/",
    "cc0-1.0": "https://creativecommons.org/publicdomain/zero/1.0/",
    "odc-by-1.0": "https://opendatacommons.org/licenses/by/1-0/",
    "odbl-1.0": "https://opendatacommons.org/licenses/odbl/1-0/",
    "pddl-1.0": "https://opendatacommons.org/licenses/pddl/1-0/",
}

CATALOG_TITLE = "南阳市政务数据开放平台"
CATALOG_DESCRIPTION = "南阳市政务数据开放目录：各数据提供部门依法开放的公共数据（无条件开放、有条件开放及不予开放的目录信息）。"
AUTHORITY = "南阳市政务服务和大数据管理局"

PER_PAGE = 100
MAX_PER_PAGE = 1000

# Serialisations: name → (Content-Type, rdflib format).
FORMATS = {"ttl": ("text/turtle", "turtle"), "jsonld": ("application/ld+json", "json-ld"),
           "rdf": ("application/rdf+xml", "pretty-xml")}
MEDIA_TYPES = {mime: name for name, (mime, _) in FORMATS.items()}


def license_url(license: str | None) -> str | None:
    """The licence document URL of a known SPDX id, else None."""
    return LICENSES.get((license or "").strip().lower())


@dataclass
class Described:
    graph: Graph
    last_modified: datetime | None


def catalog(actor, page: int = 1, per_page: int = PER_PAGE, page_endpoint: str = "metadata.catalog") -> Described:
    """The catalog with one page of its published datasets and hydra paging links."""
    if page < 1 or per_page < 1:
        raise ValidationError("page 与 per_page 须为正整数")
    per_page = min(per_page, MAX_PER_PAGE)
    published = Dataset.current_version_id.is_not(None)
    total = db.session.scalar(select(func.count()).select_from(Dataset).where(published)) or 0
    last = max(1, -(-total // per_page))
    if page > last:
        raise NotFound(f"页码超出范围：共 {last} 页")
    rows = db.session.scalars(_loaded(select(Dataset).where(published).order_by(Dataset.id)
                                      .offset((page - 1) * per_page).limit(per_page))).all()
    modified = _catalog_modified()

    g = _graph()
    cat = URIRef(url_for("metadata.catalog", _external=True))
    g.add((cat, RDF.type, DCAT.Catalog))
    g.add((cat, DCTERMS.title, Literal(CATALOG_TITLE, lang=LANG)))
    g.add((cat, DCTERMS.description, Literal(CATALOG_DESCRIPTION, lang=LANG)))
    g.add((cat, FOAF.homepage, _document(g, url_for("catalog.home", _external=True))))
    g.add((cat, DCTERMS.language, LANGUAGE))
    g.add((cat, DCTERMS.publisher, _authority(g)))
    g.add((cat, DCAT.themeTaxonomy, _themes(g)))
    g.add((cat, DCTERMS.spatial, _place(g)))
    if modified is not None:
        g.add((cat, DCTERMS.modified, _datetime(modified)))
    issued = _first_published([d.id for d in rows])
    for dataset in rows:
        g.add((cat, DCAT.dataset, _describe(g, dataset, issued.get(dataset.id))))

    def link(n: int) -> URIRef:
        args = {"page": n} | ({"per_page": per_page} if per_page != PER_PAGE else {})
        return URIRef(url_for(page_endpoint, _external=True, **args))

    here = link(page)
    g.add((here, RDF.type, HYDRA.PagedCollection))
    g.add((here, HYDRA.totalItems, Literal(total, datatype=XSD.integer)))
    g.add((here, HYDRA.itemsPerPage, Literal(per_page, datatype=XSD.integer)))
    g.add((here, HYDRA.firstPage, link(1)))
    g.add((here, HYDRA.lastPage, link(last)))
    if page < last:
        g.add((here, HYDRA.nextPage, link(page + 1)))
    if page > 1:
        g.add((here, HYDRA.previousPage, link(page - 1)))
    return Described(g, modified)


def dataset(actor, name: str) -> Described:
    """One published dataset with its distributions (the current version's resources)."""
    row = db.session.scalar(_loaded(select(Dataset).where(Dataset.name == name)))
    if row is None or row.current_version is None:
        raise NotFound(f"数据集「{name}」不存在")
    g = _graph()
    _describe(g, row, _first_published([row.id]).get(row.id))
    return Described(g, row.updated_at)


def serialize(described: Described, fmt: str) -> bytes:
    if fmt == "jsonld":
        context = {prefix: str(ns) for prefix, ns in PREFIXES.items()}
        return described.graph.serialize(format="json-ld", context=context, indent=2,
                                         ensure_ascii=False).encode("utf-8")
    return described.graph.serialize(format=FORMATS[fmt][1], encoding="utf-8")


# --- building blocks ---------------------------------------------------------------------------

def _loaded(query):
    return query.options(selectinload(Dataset.department),
                         selectinload(Dataset.current_version).selectinload(DatasetVersion.resources))


def _catalog_modified() -> datetime | None:
    """The last publication or removal: a removal changes the catalog without touching any entry's
    updated_at, so it is read from the audit log (action dataset.remove)."""
    updated = db.session.scalar(select(func.max(Dataset.updated_at)).where(Dataset.current_version_id.is_not(None)))
    removed = db.session.scalar(select(func.max(AuditEvent.at)).where(AuditEvent.action == "dataset.remove"))
    return max((t for t in (updated, removed) if t is not None), default=None)


def _first_published(ids: list[int]) -> dict[int, datetime]:
    if not ids:
        return {}
    return dict(db.session.execute(select(DatasetVersion.dataset_id, func.min(DatasetVersion.published_at))
                                   .where(DatasetVersion.dataset_id.in_(ids))
                                   .group_by(DatasetVersion.dataset_id)).all())


def _graph() -> Graph:
    g = Graph()
    for prefix, ns in PREFIXES.items():
        g.bind(prefix, ns)
    return g


def _datetime(value: datetime) -> Literal:
    if value.tzinfo is None:
        value = value.replace(tzinfo=UTC)
    return Literal(value.astimezone(UTC).replace(microsecond=0).strftime("%Y-%m-%dT%H:%M:%SZ"),
                   datatype=XSD.dateTime)


def _document(g: Graph, url: str) -> URIRef:
    node = URIRef(url)
    g.add((node, RDF.type, FOAF.Document))
    return node


def _authority(g: Graph) -> URIRef:
    node = URIRef(url_for("metadata.catalog", _external=True) + "#publisher")
    g.add((node, RDF.type, FOAF.Agent))
    g.add((node, RDF.type, FOAF.Organization))
    g.add((node, FOAF.name, Literal(AUTHORITY, lang=LANG)))
    g.add((node, DCTERMS.type, ADMS_PUBLISHER_LOCAL))
    return node



def _themes(g: Graph) -> URIRef:
    scheme = URIRef(url_for("metadata.catalog", _external=True) + "#themes")
    g.add((scheme, RDF.type, SKOS.ConceptScheme))
    g.add((scheme, SKOS.prefLabel, Literal("南阳市政务数据开放目录所属领域", lang=LANG)))
    return scheme


def _place(g: Graph) -> URIRef:
    node = URIRef(url_for("metadata.catalog", _external=True) + "#nanyang")
    g.add((node, RDF.type, DCTERMS.Location))
    g.add((node, SKOS.prefLabel, Literal("南阳市", lang=LANG)))
    return node


def _publisher(g: Graph, dataset: Dataset) -> URIRef:
    node = URIRef(url_for("catalog.department", slug=dataset.department.slug, _external=True))
    g.add((node, RDF.type, FOAF.Agent))
    g.add((node, RDF.type, FOAF.Organization))
    g.add((node, FOAF.name, Literal(dataset.department.title, lang=LANG)))
    g.add((node, DCTERMS.type, ADMS_PUBLISHER_LOCAL))
    return node


def _license(g: Graph, license: str | None):
    if not license:
        return None
    url = license_url(license)
    node = URIRef(url) if url else BNode()
    g.add((node, RDF.type, DCTERMS.LicenseDocument))
    g.add((node, RDFS.label, Literal(license)))
    return node


def _tel(phone: str) -> URIRef:
    """RFC 3966: 0377-63123456 → tel:+86-377-63123456, 13812345678 → tel:+86-13812345678."""
    cleaned = "".join(c for c in phone.replace(" ", "-").replace("(", "-").replace(")", "-") if c.isdigit() or c in "+-")
    cleaned = "-".join(part for part in cleaned.split("-") if part)
    if cleaned.startswith("+"):
        return URIRef("tel:" + cleaned)
    if cleaned.startswith("0"):
        return URIRef("tel:+86-" + cleaned[1:])
    if len(cleaned) == 11 and cleaned.startswith("1"):
        return URIRef("tel:+86-" + cleaned)
    return URIRef(f"tel:{cleaned};phone-context=+86")


def _contact(g: Graph, dataset_iri: str, contact: dict) -> URIRef:
    node = URIRef(dataset_iri + "#contact")
    g.add((node, RDF.type, VCARD.Kind))
    g.add((node, VCARD.fn, Literal(contact.get("name") or dataset_iri)))
    if contact.get("phone"):
        tel = URIRef(dataset_iri + "#contact-phone")
        g.add((tel, RDF.type, VCARD.Voice))
        g.add((tel, VCARD.hasValue, _tel(contact["phone"])))
        g.add((node, VCARD.hasTelephone, tel))
    if contact.get("email"):
        g.add((node, VCARD.hasEmail, URIRef("mailto:" + contact["email"])))
    return node


def _theme(g: Graph, domain: str) -> URIRef:
    node = URIRef(url_for("catalog.dataset_list", domain=domain, _external=True))
    g.add((node, RDF.type, SKOS.Concept))
    g.add((node, SKOS.prefLabel, Literal(domain, lang=LANG)))
    g.add((node, SKOS.inScheme, URIRef(url_for("metadata.catalog", _external=True) + "#themes")))
    return node


def _describe(g: Graph, dataset: Dataset, first_published: datetime | None) -> URIRef:
    page = url_for("catalog.dataset", name=dataset.name, _external=True)
    node = URIRef(page)
    version = dataset.current_version
    g.add((node, RDF.type, DCAT.Dataset))
    g.add((node, DCTERMS.identifier, Literal(dataset.name)))
    g.add((node, DCTERMS.title, Literal(dataset.title, lang=LANG)))
    g.add((node, DCTERMS.description, Literal(dataset.description or dataset.title, lang=LANG)))
    for keyword in dataset.keywords or []:
        g.add((node, DCAT.keyword, Literal(keyword, lang=LANG)))
    g.add((node, DCTERMS.publisher, _publisher(g, dataset)))
    g.add((node, DCTERMS.issued, _datetime(first_published or dataset.created_at)))
    g.add((node, DCTERMS.modified, _datetime(dataset.updated_at)))
    if dataset.update_frequency in FREQUENCIES:
        g.add((node, DCTERMS.accrualPeriodicity, URIRef(EU + "frequency/" + FREQUENCIES[dataset.update_frequency])))
    g.add((node, DCTERMS.accessRights, URIRef(EU + "access-right/" + ACCESS_RIGHTS[dataset.open_access])))
    g.add((node, DCAT.theme, _theme(g, dataset.domain)))
    if dataset.domain in DATA_THEMES:
        g.add((node, DCAT.theme, URIRef(EU + "data-theme/" + DATA_THEMES[dataset.domain])))
    g.add((node, DCTERMS.subject, Literal(dataset.domain, lang=LANG)))
    g.add((node, DCAT.contactPoint, _contact(g, page, dataset.contact or {})))
    g.add((node, DCTERMS.language, LANGUAGE))
    g.add((node, DCTERMS.spatial, _place(g)))
    g.add((node, DCAT.landingPage, node))  # the dataset IRI is its page (negotiated: HTML or RDF)
    license = _license(g, dataset.license)
    if license is not None:
        g.add((node, DCTERMS.license, license))
    g.add((node, DCAT_VERSION, Literal(version.version)))
    rights = None
    if dataset.open_access != "unconditional":
        rights = URIRef(page + "#rights")
        g.add((rights, RDF.type, DCTERMS.RightsStatement))
        text = ("有条件开放：须提出申请，经数据提供部门审核同意后在批准的范围和期限内使用（第四十六条）。"
                if dataset.open_access == "conditional" else "不予开放：仅公开目录信息，不提供数据（第四十三条）。")
        g.add((rights, RDFS.label, Literal(f"{text}依据：{dataset.open_access_basis}", lang=LANG)))
    for resource in version.resources:
        dist = URIRef(f"{page}#distribution-{resource.name}")
        g.add((node, DCAT.distribution, dist))
        g.add((dist, RDF.type, DCAT.Distribution))
        g.add((dist, DCTERMS.identifier, Literal(resource.name)))
        g.add((dist, DCTERMS.title, Literal(resource.title or resource.name, lang=LANG)))
        g.add((dist, DCAT.accessURL, node))
        if dataset.open_access != "closed":
            download = url_for("downloads.resource", name=dataset.name, resource=resource.name, _external=True)
            g.add((dist, DCAT.downloadURL, URIRef(download)))
        if resource.mediatype:
            g.add((dist, DCAT.mediaType, URIRef(IANA + resource.mediatype)))
        fmt = (resource.format or "").lower()
        if fmt in FILE_TYPES:
            g.add((dist, DCTERMS.format, URIRef(EU + "file-type/" + FILE_TYPES[fmt])))
        elif fmt:
            g.add((dist, DCTERMS.format, Literal(fmt.upper())))
        g.add((dist, DCAT.byteSize, Literal(resource.bytes, datatype=XSD.nonNegativeInteger)))
        checksum = URIRef(f"{page}#distribution-{resource.name}-sha256")
        g.add((checksum, RDF.type, SPDX.Checksum))
        g.add((checksum, SPDX.algorithm, SPDX.checksumAlgorithm_sha256))
        g.add((checksum, SPDX.checksumValue, Literal(resource.hash, datatype=XSD.hexBinary)))
        g.add((dist, SPDX.checksum, checksum))
        if license is not None:
            g.add((dist, DCTERMS.license, license))
        if rights is not None:
            g.add((dist, DCTERMS.rights, rights))
        g.add((dist, DCTERMS.issued, _datetime(version.published_at)))
        g.add((dist, DCTERMS.modified, _datetime(version.published_at)))
    return node
