"""Machine-readable catalog metadata: DCAT-AP as Turtle, JSON-LD and RDF/XML, with content negotiation.

The schema.org markup embedded in dataset pages is `services.datasets.json_ld`.
"""

from flask import Blueprint, Response, after_this_request, redirect, request, url_for

from ..errors import PortalError
from ..services import dcat

bp = Blueprint("metadata", __name__)

RDF_TYPES = [mime for mime, _ in dcat.FORMATS.values()]  # text/turtle, application/ld+json, application/rdf+xml
HTML_TYPES = ["text/html", "application/xhtml+xml"]


@bp.errorhandler(PortalError)
def _error(exc: PortalError):
    return _text(exc.message, exc.status)


def _text(message: str, status: int) -> Response:
    return Response(message + "\n", status=status, mimetype="text/plain")


def _vary_accept(response: Response) -> Response:
    response.vary.add("Accept")
    return response


def rdf_requested() -> str | None:
    """For the HTML dataset page: the serialisation ("ttl", "jsonld", "rdf") when Accept prefers an RDF
    type over HTML, else None. Marks the response as varying with Accept either way."""
    after_this_request(_vary_accept)
    if not request.accept_mimetypes:
        return None
    best = request.accept_mimetypes.best_match([*HTML_TYPES, *RDF_TYPES])
    return dcat.MEDIA_TYPES.get(best)


def respond(described: dcat.Described, fmt: str, vary: bool = False) -> Response:
    """The serialised graph with its Content-Type, ETag (of the body), Last-Modified; 304 when unchanged."""
    response = Response(dcat.serialize(described, fmt), mimetype=dcat.FORMATS[fmt][0])
    if described.last_modified is not None:
        response.last_modified = described.last_modified.replace(microsecond=0)
    response.add_etag()
    response.cache_control.public = True
    response.cache_control.no_cache = True  # always revalidate: a publication changes the catalog at once
    if vary:
        response.vary.add("Accept")
    return response.make_conditional(request)


def dataset_response(name: str, fmt: str) -> Response:
    """The dataset page's RDF answer to `Accept: text/turtle` etc. (called by catalog.dataset)."""
    return respond(dcat.dataset(None, name), fmt, vary=True)


def _positive(key: str, default: int) -> int:
    value = request.args.get(key)
    if value is None:
        return default
    if not value.isdigit() or len(value) > 6 or int(value) < 1:
        raise PortalError(f"参数 {key} 须为正整数 / {key} must be a positive integer")
    return int(value)


def _catalog(fmt: str, endpoint: str, vary: bool = False) -> Response:
    page, per_page = _positive("page", 1), _positive("per_page", dcat.PER_PAGE)
    return respond(dcat.catalog(None, page, per_page, page_endpoint=endpoint), fmt, vary=vary)


@bp.get("/catalog")
def catalog():
    """Content negotiation: Turtle for `*/*` or no Accept, HTML browsers go to the catalog list."""
    accept = request.accept_mimetypes
    best = accept.best_match([*RDF_TYPES, *HTML_TYPES]) if accept else RDF_TYPES[0]
    if best in HTML_TYPES:
        return _vary_accept(redirect(url_for("catalog.dataset_list"), 303))
    if best is None:
        return _vary_accept(_text("不支持所请求的格式（Accept）。可用：" + ", ".join(RDF_TYPES)
                                  + "\nNot acceptable. Available: " + ", ".join(RDF_TYPES), 406))
    return _catalog(dcat.MEDIA_TYPES[best], "metadata.catalog", vary=True)


@bp.get("/catalog.ttl")
def catalog_ttl():
    return _catalog("ttl", "metadata.catalog_ttl")


@bp.get("/catalog.jsonld")
def catalog_jsonld():
    return _catalog("jsonld", "metadata.catalog_jsonld")


@bp.get("/catalog.rdf")
def catalog_rdf():
    return _catalog("rdf", "metadata.catalog_rdf")


@bp.get("/datasets/<name>.ttl")
def dataset_ttl(name):
    return respond(dcat.dataset(None, name), "ttl")


@bp.get("/datasets/<name>.jsonld")
def dataset_jsonld(name):
    return respond(dcat.dataset(None, name), "jsonld")


@bp.get("/datasets/<name>.rdf")
def dataset_rdf(name):
    return respond(dcat.dataset(None, name), "rdf")
