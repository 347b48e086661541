"""Public catalog pages: home, dataset list with filters, dataset pages, departments."""

import json

from flask import Blueprint, Response, current_app, render_template, request, url_for
from flask_login import current_user

from ..errors import InvalidLink, NotAuthorized
from ..search.base import FACETS, SORTS
from ..services import (
    cases,
    catalog_changes,
    datasets,
    descriptors,
    downloads,
    feedback,
    objections,
    search,
    tokens,
)

bp = Blueprint("catalog", __name__)


def _page_arg(name: str = "page") -> int:
    value = request.args.get(name, "1")
    return int(value) if value.isdigit() and len(value) < 7 else 1


@bp.get("/")
def home():
    return render_template("catalog/home.html", stats=datasets.home(current_user))


@bp.get("/datasets")
def dataset_list():
    filters = {k: request.args.get(k, "") for k in FACETS if request.args.get(k)}
    text = request.args.get("q", "")
    found = search.search(current_user, text, filters, request.args.get("sort", ""), _page_arg(),
                          current_app.config["PAGE_SIZE"])
    sorts = {k: v for k, v in SORTS.items() if k != "relevance" or found.query}
    return render_template("catalog/list.html", page=found.page, filters=filters, sort=found.sort, q=found.query,
                           facets=found.facets, facet_labels=FACETS, sorts=sorts)


@bp.get("/datasets/<name>")
def dataset(name):
    from .metadata import dataset_response, rdf_requested  # DCAT by content negotiation (issue 8)

    if fmt := rdf_requested():  # Accept prefers text/turtle, application/ld+json or application/rdf+xml
        return dataset_response(name, fmt)
    detail = datasets.get_dataset(current_user, name)
    try:
        preview = datasets.preview(current_user, name, current_app.config["PREVIEW_ROWS"])
    except NotAuthorized:
        preview = None
    url = url_for("catalog.dataset", name=name, _external=True)
    return render_template("catalog/dataset.html", d=detail, preview=preview, json_ld=datasets.json_ld(detail, url),
                           access=downloads.access(current_user, name),
                           objections=objections.public_outcomes(name), catalog_history=catalog_changes.history(name),
                           error_reports=cases.public_outcomes(name, "error_report"),
                           feedback=feedback.for_dataset(current_user, name, _page_arg("feedback_page")))


@bp.get("/datasets/<name>/datapackage.json")
def datapackage(name):
    """Absolute resource URLs; signed download links for whoever may download (Bearer header, or
    `?access_token=` for tools that cannot send headers, such as the frictionless CLI)."""
    actor = current_user
    token = request.args.get("access_token")
    if token:
        actor = tokens.user_for_token(token)
        if actor is None:
            raise InvalidLink("访问令牌无效或已被撤销")
    body = json.dumps(descriptors.descriptor_for(actor, name), ensure_ascii=False, indent=2)
    response = Response(body, mimetype="application/json")
    if getattr(actor, "is_authenticated", False):
        response.headers["Cache-Control"] = "private, no-store"  # it carries personal signed links
    return response


@bp.get("/departments")
def departments():
    return render_template("catalog/departments.html", departments=datasets.list_departments(current_user))


@bp.get("/departments/<slug>")
def department(slug):
    info = datasets.get_department(current_user, slug)
    page = datasets.list_datasets(current_user, {"department": slug}, "newest", _page_arg(),
                                  current_app.config["PAGE_SIZE"])
    return render_template("catalog/department.html", department=info, page=page)
