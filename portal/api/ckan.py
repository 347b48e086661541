"""CKAN Action API, read side, so that ckanapi and harvesters work unchanged.

`/api/3/action/<action>` and `/api/action/<action>` (the unversioned form ckanapi uses), GET with
query parameters or POST with a JSON (or form) body, as CKAN accepts them. Answers use CKAN's
envelope `{"help", "success": true, "result"}`; errors `{"help", "success": false, "error":
{"__type", "message", <field>: [messages]}}` with CKAN's statuses: 404 Not Found Error,
409 Validation Error, 403 Authorization Error, 400 for an unknown action, a body that is not a JSON
object, or an unknown package_search parameter (Search Query Error). The shapes come from
services/ckan.py; this module only reads parameters and dispatches.
"""

import json
import re
from collections.abc import Callable

from flask import Blueprint, jsonify, request, url_for
from flask_login import current_user
from werkzeug.exceptions import HTTPException

from ..errors import NotAuthenticated, NotAuthorized, NotFound, PortalError, ValidationError
from ..services import ckan, datasets, search

bp = Blueprint("ckan", __name__, url_prefix="/api")

# CKAN facet/filter names → ours.
FIELD_MAP = {"organization": "department", "res_format": "format", "tags": "keyword", "groups": "domain",
             "domain": "domain", "open_access": "open_access", "update_frequency": "update_frequency",
             "department": "department", "format": "format", "keyword": "keyword"}
SORT_MAP = {"score desc": "relevance", "metadata_modified desc": "newest", "title_string asc": "title",
            "views_recent desc": "downloads", "name asc": "title", "metadata_created desc": "newest"}
# package_search parameters CKAN accepts (Solr's, and its schema's); any other is a Search Query Error.
SEARCH_PARAMETERS = {"q", "fq", "fq_list", "rows", "start", "sort", "facet", "facet.field", "facet.limit",
                     "facet.mincount", "include_private", "include_drafts", "include_deleted", "use_default_schema",
                     "fl", "wt", "qf", "bf", "boost", "tie", "defType", "mm", "df", "extras"}
TRUE, FALSE = {"true", "yes", "on", "y", "t", "1"}, {"false", "no", "off", "n", "f", "0", ""}


class ActionError(Exception):
    """An error CKAN reports with its own type and status (not one of the service layer's)."""

    def __init__(self, status: int, kind: str, message: str):
        super().__init__(message)
        self.status, self.kind, self.message = status, kind, message


ACTIONS: dict[str, Callable[[dict], object]] = {}


def _register(function):
    ACTIONS[function.__name__] = function
    return function


@bp.route("/action/<action>", methods=["GET", "POST"])
@bp.route("/3/action/<action>", methods=["GET", "POST"])  # registered first: url_for builds this one
def dispatch(action):
    function = ACTIONS.get(action)
    if function is None:
        raise ActionError(400, "Bad Request", f"Bad request - Action name not known: {action}")
    return jsonify({"help": _help_url(action), "success": True, "result": function(_params())})


def _help_url(name: str) -> str:
    return url_for("ckan.dispatch", action="help_show", name=name, _external=True)


# -- errors: CKAN's envelope for everything raised under this blueprint -----------------------------
def _error(status: int, error: dict):
    name = (request.view_args or {}).get("action", "")
    return jsonify({"help": _help_url(name), "success": False, "error": error}), status


@bp.errorhandler(ActionError)
def _action_error(exc: ActionError):
    return _error(exc.status, {"__type": exc.kind, "message": exc.message})


@bp.errorhandler(PortalError)
def _portal_error(exc: PortalError):
    if isinstance(exc, NotFound):
        return _error(404, {"__type": "Not Found Error", "message": f"Not found: {exc.message}"})
    if isinstance(exc, NotAuthorized | NotAuthenticated):
        return _error(403, {"__type": "Authorization Error", "message": f"Access denied: {exc.message}"})
    error = {"__type": "Validation Error", "message": exc.message}
    for detail in exc.details:
        if isinstance(detail, dict) and detail.get("field"):
            error.setdefault(detail["field"], []).append(detail.get("message") or exc.message)
    return _error(409, error)


@bp.errorhandler(HTTPException)
def _http_error(exc: HTTPException):
    """Rate limits and the like, in CKAN's envelope on both prefixes (headers such as Retry-After kept)."""
    response, status = _error(exc.code or 500, {"__type": "Rate Limit Error" if exc.code == 429 else "Error",
                                                "message": exc.description or exc.name})
    for key, value in exc.get_headers():
        if key.lower() not in ("content-type", "content-length"):
            response.headers[key] = value
    return response, status


# -- parameters ------------------------------------------------------------------------------------
def _params() -> dict:
    """GET: the query string (a repeated key becomes a list). POST: a JSON object, or a form."""
    if request.method == "POST":
        if request.form:
            data = _flat(request.form)
        else:
            raw = request.get_data(cache=True)
            try:
                data = json.loads(raw) if raw.strip() else {}
            except (ValueError, UnicodeDecodeError):
                raise ActionError(400, "Bad Request", "Bad request - JSON Error: 请求体不是合法的 JSON") from None
            if not isinstance(data, dict):
                raise ActionError(400, "Bad Request", "Bad request - JSON Error: 请求体必须是 JSON 对象")
    else:
        data = _flat(request.args)
    data.pop("callback", None)  # JSONP is not offered
    _refuse_nul(data)
    return data


def _flat(multi) -> dict:
    return {k: v[0] if len(v) == 1 else v for k, v in multi.to_dict(flat=False).items()}


def _refuse_nul(value) -> None:
    """PostgreSQL text cannot hold NUL; no parameter needs it (errors.py checks query strings)."""
    if isinstance(value, str) and "\x00" in value:
        raise ValidationError("参数包含非法字符（NUL）")
    if isinstance(value, dict):
        for k, v in value.items():
            _refuse_nul(k)
            _refuse_nul(v)
    elif isinstance(value, list):
        for v in value:
            _refuse_nul(v)


def _invalid(name: str, message: str) -> ValidationError:
    return ValidationError(f"参数 {name}：{message}", [{"field": name, "message": message}])


def _text(params: dict, name: str, required: bool = False, default: str = "") -> str:
    value = params.get(name)
    if value is None or value == "":
        if required:
            raise _invalid(name, "缺少参数")
        return default
    if isinstance(value, bool) or not isinstance(value, str | int):
        raise _invalid(name, "必须是字符串")
    return str(value)


def _int(params: dict, name: str, default: int | None, high: int | None = None) -> int | None:
    value = params.get(name)
    if value is None or value == "":
        return default
    if isinstance(value, bool) or not isinstance(value, int | str):
        raise _invalid(name, "必须是整数")
    try:
        number = int(value)
    except ValueError:
        raise _invalid(name, "必须是整数") from None
    if number < 0:
        raise _invalid(name, "不能为负数")
    return min(number, high) if high is not None else number


def _bool(params: dict, name: str, default: bool) -> bool:
    value = params.get(name)
    if value is None:
        return default
    if isinstance(value, bool):
        return value
    if isinstance(value, int | str) and str(value).strip().lower() in TRUE | FALSE:
        return str(value).strip().lower() in TRUE
    raise _invalid(name, "必须是 true 或 false")


def _list(params: dict, name: str) -> list[str] | None:
    value = params.get(name)
    if value is None:
        return None
    if isinstance(value, str):
        try:
            value = json.loads(value) if value.lstrip().startswith("[") else [value]
        except ValueError:
            raise _invalid(name, "无法解析为 JSON 数组") from None
    if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
        raise _invalid(name, "必须是字符串数组")
    return value


# -- actions ---------------------------------------------------------------------------------------
@_register
def package_list(params):
    """Names of all published datasets, sorted. `limit`, `offset` (optional)."""
    return ckan.package_names(_int(params, "limit", None), _int(params, "offset", 0) or 0)


@_register
def package_show(params):
    """One dataset: `id` is its name or its id (a UUID derived from the name)."""
    return ckan.package(_text(params, "id", required=not params.get("name_or_id"))
                        or _text(params, "name_or_id", required=True))


@_register
def resource_show(params):
    """One resource: `id` is its id (UUID) or `<dataset name>/<resource name>`."""
    return ckan.resource(_text(params, "id", required=True))


@_register
def organization_list(params):
    """Departments (slugs), or with `all_fields` their dicts with `package_count`.
    `sort` (`title asc` default, `name`, `package_count`; asc/desc), `limit`, `offset`, `organizations`."""
    return ckan.organizations(_bool(params, "all_fields", False), _text(params, "sort"),
                              _int(params, "limit", None, ckan.MAX_ROWS), _int(params, "offset", 0) or 0,
                              _list(params, "organizations") or _list(params, "groups"),
                              _bool(params, "include_dataset_count", True))


@_register
def organization_show(params):
    """One department: `id` is its slug or id; `include_datasets` adds its packages (≤ 1000)."""
    return ckan.organization(_text(params, "id", required=True), _bool(params, "include_datasets", False),
                             _bool(params, "include_dataset_count", True))


@_register
def tag_list(params):
    """Keywords of published datasets, sorted; `query` keeps those containing it; `all_fields`."""
    if _text(params, "vocabulary_id"):
        raise NotFound("Could not find vocabulary")  # no tag vocabularies here
    return ckan.tags(_text(params, "query"), _bool(params, "all_fields", False))


@_register
def status_show(params):
    """The site: title, URL, the CKAN version whose API shapes we follow, extensions (none)."""
    return ckan.status()


@_register
def help_show(params):
    """The documentation of an action: `name`."""
    name = _text(params, "name", required=True)
    if name not in ACTIONS:
        raise NotFound("Action function not found")
    return " ".join((ACTIONS[name].__doc__ or "").split())


@_register
def package_search(params):
    """Search: `q`, `fq` (`organization:`, `res_format:`, `tags:`, `groups:`/`domain:`, `open_access:`,
    `update_frequency:`), `fq_list`, `rows` (≤ 1000), `start`, `sort`, `facet.field`, `facet.limit`."""
    unknown = sorted(k for k in params if k not in SEARCH_PARAMETERS and not k.startswith("ext_"))
    if unknown:
        raise ActionError(400, "Search Query Error",
                          f"Search Query is invalid: \"Invalid search parameters: {unknown}\"")
    rows, start = _int(params, "rows", 10, ckan.MAX_ROWS), _int(params, "start", 0, 10_000_000)
    sort = SORT_MAP.get(_text(params, "sort").strip(), "")
    text = _text(params, "q")
    text = "" if text.strip() in ("*:*", "*", '""', "''") else text
    fields = _list(params, "facet.field") or []  # a JSON array; also a repeated or single query parameter
    facet_limit = _facet_limit(params)
    filters = _filters([_text(params, "fq")] + (_list(params, "fq_list") or []))
    names, found = _window(text, filters, sort, start, rows)
    facets, search_facets = {}, {}
    for field in fields:
        ours = FIELD_MAP.get(field)
        values = found.facets.get(ours, []) if ours else []
        values = values if facet_limit < 0 else values[:facet_limit]
        facets[field] = {v["value"]: v["count"] for v in values}
        search_facets[field] = {"title": field, "items": [
            {"name": v["value"], "display_name": v["label"], "count": v["count"]} for v in values]}
    return {"count": found.page.total, "sort": _text(params, "sort") or "score desc, metadata_modified desc",
            "results": ckan.packages(names), "facets": facets, "search_facets": search_facets}


def _facet_limit(params) -> int:
    value = params.get("facet.limit", 50)
    try:
        return int(value)
    except (TypeError, ValueError):
        raise _invalid("facet.limit", "必须是整数") from None


def _filters(queries: list[str]) -> dict:
    """`field:value` and `field:"quoted value"` terms, `+` optional; other fields are refused."""
    filters = {}
    for fq in queries:
        for _plus, field, quoted, bare in re.findall(r'(\+?)([\w.]+):(?:"([^"]*)"|(\S+))', fq or ""):
            if field not in FIELD_MAP:
                raise _invalid("fq", f"不支持的 fq 字段「{field}」")
            filters[FIELD_MAP[field]] = quoted if quoted else bare
    return filters


def _window(text: str, filters: dict, sort: str, start: int, rows: int):
    """CKAN pages by offset, the search service by page: fetch the one or two pages (of `rows`)
    that cover [start, start + rows) and cut the window out of them."""
    per_page = max(rows, 1)
    first = start // per_page + 1
    found = search.search(current_user, text, filters, sort, min(first, datasets.MAX_PAGE), per_page)
    if rows == 0 or first > datasets.MAX_PAGE:
        return [], found
    names = [d.name for d in found.page.items]
    offset = start % per_page
    if offset and first + 1 <= datasets.MAX_PAGE and len(names) == per_page:
        following = search.search(current_user, text, filters, sort, first + 1, per_page)
        names += [d.name for d in following.page.items]
    return names[offset:offset + rows], found
