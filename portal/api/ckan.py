"""CKAN Action API, read side (so ckanapi and harvesters work unchanged). Only package_search for
now; the other actions arrive with the open-API issue. Errors use CKAN's envelope."""

import json
import re

from flask import Blueprint, jsonify, request, url_for
from flask_login import current_user

from ..errors import ValidationError
from ..services import search

bp = Blueprint("ckan", __name__, url_prefix="/api/3/action")

# CKAN facet/filter names → ours.
FIELD_MAP = {"organization": "department", "res_format": "format", "tags": "keyword", "groups": "domain",
             "domain": "domain", "open_access": "open_access", "update_frequency": "update_frequency",
             "department": "department", "format": "format", "keyword": "keyword"}
SORT_MAP = {"score desc": "relevance", "metadata_modified desc": "newest", "title_string asc": "title",
            "views_recent desc": "downloads", "name asc": "title"}
FQ_TERM = re.compile(r'(\+?)(\w+):(?:"([^"]*)"|(\S+))')


def _params() -> dict:
    if request.method == "POST":
        data = request.get_json(silent=True)
        if not isinstance(data, dict):
            raise ValidationError("请求体必须是 JSON 对象")
        return data
    return request.args.to_dict()


def _ok(result):
    help_url = url_for(request.endpoint, _external=True)
    return jsonify({"help": help_url, "success": True, "result": result})


def _int(params, name, default, high):
    try:
        value = int(params.get(name, default))
    except (TypeError, ValueError):
        raise ValidationError(f"参数 {name} 必须是整数") from None
    if value < 0:
        raise ValidationError(f"参数 {name} 不能为负数")
    return min(value, high)


def _filters(fq: str) -> dict:
    filters = {}
    for _plus, field, quoted, bare in FQ_TERM.findall(fq or ""):
        if field not in FIELD_MAP:
            raise ValidationError(f"不支持的 fq 字段「{field}」")
        filters[FIELD_MAP[field]] = quoted if quoted else bare
    return filters


@bp.route("/package_search", methods=["GET", "POST"])
def package_search():
    params = _params()
    rows, start = _int(params, "rows", 10, 1000), _int(params, "start", 0, 100_000)
    sort = SORT_MAP.get(str(params.get("sort", "")).strip(), "")
    text = str(params.get("q", "") or "")
    text = "" if text.strip() in ("*:*", "*") else text
    wanted = params.get("facet.field", "[]")
    try:
        facet_fields = json.loads(wanted) if isinstance(wanted, str) else list(wanted)
    except json.JSONDecodeError:
        raise ValidationError("facet.field 必须是 JSON 数组") from None
    # CKAN pages by offset; our service by page: fetch the page that covers `start` and slice.
    per_page = max(rows, 1)
    found = search.search(current_user, text, _filters(str(params.get("fq", ""))), sort or "",
                          start // per_page + 1, per_page)
    offset = start % per_page
    items = found.page.items[offset:offset + rows]
    facets, search_facets = {}, {}
    for field in facet_fields:
        ours = FIELD_MAP.get(str(field))
        values = found.facets.get(ours, []) if ours else []
        facets[field] = {v["value"]: v["count"] for v in values}
        search_facets[field] = {"title": field, "items": [
            {"name": v["value"], "display_name": v["label"], "count": v["count"]} for v in values]}
    return _ok({"count": found.page.total, "sort": params.get("sort") or "score desc, metadata_modified desc",
                "results": [package_dict(d) for d in items], "facets": facets, "search_facets": search_facets})


def package_dict(d) -> dict:
    """A CKAN-shaped package from a DatasetSummary (issue 8 fills in resources and extras)."""
    return {
        "id": d.name, "name": d.name, "title": d.title, "notes": d.description, "type": "dataset", "state": "active",
        "private": False, "metadata_modified": d.updated_at.isoformat(), "version": d.version,
        "organization": {"name": d.department_slug, "title": d.department, "type": "organization"},
        "tags": [{"name": k, "display_name": k} for k in d.keywords],
        "extras": [{"key": "open_access", "value": d.open_access}, {"key": "domain", "value": d.domain},
                   {"key": "update_frequency", "value": d.update_frequency}],
        "url": url_for("catalog.dataset", name=d.name, _external=True),
    }
