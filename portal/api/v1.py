"""/api/v1 — envelope {"ok": true, "data": …} / {"ok": false, "error": …} (errors mapped in portal.errors)."""

from flask import Blueprint, current_app, jsonify, request, url_for
from flask_login import current_user

from ..search.base import FACETS
from ..services import downloads, search
from ..views.downloads import deliver
from .auth import require_known_requester

bp = Blueprint("api_v1", __name__, url_prefix="/api/v1")


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    value = request.args.get(name, "")
    return min(max(int(value), low), high) if value.isdigit() and len(value) < 7 else default


def dataset_json(d) -> dict:
    return {"name": d.name, "title": d.title, "description": d.description, "department": d.department,
            "department_slug": d.department_slug, "domain": d.domain, "open_access": d.open_access,
            "update_frequency": d.update_frequency, "keywords": d.keywords, "formats": d.formats,
            "version": d.version, "updated_at": d.updated_at.isoformat() + "Z", "downloads": d.downloads,
            "url": url_for("catalog.dataset", name=d.name, _external=True),
            "datapackage": url_for("catalog.datapackage", name=d.name, _external=True)}


@bp.get("/datasets")
def datasets():
    filters = {k: request.args.get(k, "") for k in FACETS if request.args.get(k)}
    found = search.search(current_user, request.args.get("q", ""), filters, request.args.get("sort", ""),
                          _int_arg("page", 1, 1, 10_000), _int_arg("per_page", current_app.config["PAGE_SIZE"], 1, 100))
    page = found.page
    return jsonify({"ok": True, "data": {
        "query": found.query, "sort": found.sort, "total": page.total, "page": page.page, "per_page": page.per_page,
        "pages": page.pages, "items": [dataset_json(d) for d in page.items], "facets": found.facets}})


@bp.get("/datasets/<name>/resources/<resource>")
def resource_download(name, resource):
    return deliver(lambda: downloads.resource_file(current_user, name, resource, via="api"))


@bp.get("/datasets/<name>/package.zip")
def package_download(name):
    return deliver(lambda: downloads.package_zip(current_user, name, via="api"))


@bp.get("/downloads")
def my_downloads():
    """The requester's own download history (Bearer token or session)."""
    require_known_requester(current_user)
    page = downloads.history(current_user, _int_arg("page", 1, 1, 10_000), _int_arg("per_page", 20, 1, 100))
    items = [{"at": r.at.isoformat() + "Z", "dataset": r.dataset, "version": r.version, "resource": r.resource,
              "bytes": r.bytes, "sha256": r.sha256, "via": r.via} for r in page.items]
    return jsonify({"ok": True, "data": {"total": page.total, "page": page.page, "per_page": page.per_page,
                                         "pages": page.pages, "items": items}})
