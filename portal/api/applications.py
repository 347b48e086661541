"""/api/v1/applications — apply, follow, and (producers) list and decide, with `Authorization: Bearer`.

Only token authentication is accepted here (no session cookie), which is why this blueprint needs
no CSRF token. Same services as the web pages."""

from dataclasses import asdict
from datetime import date

from flask import Blueprint, jsonify, request
from flask_login import current_user

from ..errors import NotAuthenticated, ValidationError
from ..services import applications
from .auth import require_known_requester

bp = Blueprint("api_applications", __name__, url_prefix="/api/v1/applications")


@bp.before_request
def _bearer_only():
    if not request.headers.get("Authorization", "").startswith("Bearer "):
        raise NotAuthenticated("该接口须在请求头中提供访问令牌：Authorization: Bearer <令牌>")
    require_known_requester(current_user)


def _json() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ValidationError("请求体须为 JSON 对象（Content-Type: application/json）")
    return body


def _date(body: dict, key: str) -> date | None:
    try:
        return date.fromisoformat(str(body.get(key, ""))[:10])
    except ValueError:
        return None


def _scope(value) -> dict:
    if not isinstance(value, dict) or not all(isinstance(v, list) for v in value.values()):
        raise ValidationError("范围须为对象：{资源名: [信息项, …]}，空列表表示全部信息项")
    return {str(k)[:100]: [str(f)[:100] for f in v] for k, v in value.items()}


def _plain(obj) -> dict:
    data = asdict(obj)
    for key, value in data.items():
        if hasattr(value, "isoformat"):
            data[key] = value.isoformat()
    data["timeline"] = [{**e, "at": e["at"].isoformat()} for e in data.get("timeline", [])]
    return data


def _page(page) -> dict:
    return {"total": page.total, "page": page.page, "per_page": page.per_page, "pages": page.pages,
            "items": [_plain(a) for a in page.items]}


def _int_arg(name: str, default: int) -> int:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 7 else default


@bp.post("")
def create():
    body = _json()
    detail = applications.submit(current_user, str(body.get("dataset", "")), str(body.get("purpose", "")),
                                 str(body.get("scenario", "")), str(body.get("security_measures", "")),
                                 _scope(body.get("requested", {})), _date(body, "period_from"),
                                 _date(body, "period_until"), body.get("accept_pledge") is True)
    return jsonify({"ok": True, "data": _plain(detail)}), 201


@bp.get("")
def listing():
    if request.args.get("role") == "department":
        page = applications.queue(current_user, request.args.get("department") or None,
                                  request.args.get("all") == "1", _int_arg("page", 1))
    else:
        page = applications.mine(current_user, _int_arg("page", 1))
    return jsonify({"ok": True, "data": _page(page)})


@bp.get("/figures")
def figures():
    rows = applications.figures(current_user, request.args.get("department") or None)
    return jsonify({"ok": True, "data": [asdict(r) for r in rows]})


@bp.get("/<receipt>")
def show(receipt):
    return jsonify({"ok": True, "data": _plain(applications.get(current_user, receipt))})


@bp.post("/<receipt>/decision")
def decide(receipt):
    body = _json()
    decision = body.get("decision")
    if decision == "approve":
        detail = applications.approve(current_user, receipt, _scope(body.get("scope", {})), _date(body, "valid_from"),
                                      _date(body, "valid_until"), str(body.get("note", "")))
    elif decision == "deny":
        detail = applications.deny(current_user, receipt, str(body.get("reasons", "")), str(body.get("basis", "")))
    else:
        raise ValidationError('decision 须为 "approve" 或 "deny"')
    return jsonify({"ok": True, "data": _plain(detail)})
