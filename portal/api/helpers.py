"""What the JSON blueprints of /api/v1 share: the request body, dataclasses to JSON, pages, and the
rule that writes need `Authorization: Bearer` (no cookie, hence no CSRF token)."""

from dataclasses import asdict
from datetime import date, datetime

from flask import jsonify, request
from flask_login import current_user

from ..errors import NotAuthenticated, ValidationError
from .auth import require_known_requester


def json_body() -> dict:
    body = request.get_json(silent=True)
    if not isinstance(body, dict):
        raise ValidationError("请求体须为 JSON 对象（Content-Type: application/json）")
    return body


def text(body: dict, key: str, limit: int = 10_000) -> str:
    value = body.get(key, "")
    if value is None:
        return ""
    if not isinstance(value, str | int | float) or isinstance(value, bool):
        raise ValidationError(f"{key} 须为字符串")
    if isinstance(value, str) and "\x00" in value:  # PostgreSQL text cannot hold NUL
        raise ValidationError(f"{key} 含有非法字符（NUL）")
    return str(value)[:limit]


def date_of(body: dict, key: str) -> date | None:
    try:
        return date.fromisoformat(str(body.get(key, ""))[:10])
    except ValueError:
        return None


def int_arg(name: str, default: int) -> int:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 7 else default


def _jsonable(value):
    if isinstance(value, datetime | date):
        return value.isoformat()
    if isinstance(value, dict):
        return {k: _jsonable(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_jsonable(v) for v in value]
    return value


def plain(obj) -> dict:
    """A service dataclass as JSON-ready data (dates and datetimes as ISO 8601 strings)."""
    return _jsonable(asdict(obj))


def ok(detail, status: int = 200):
    """The success envelope around a service dataclass."""
    return jsonify({"ok": True, "data": plain(detail)}), status


def page_json(page) -> dict:
    return {"total": page.total, "page": page.page, "per_page": page.per_page, "pages": page.pages,
            "items": [plain(x) for x in page.items]}


def require_bearer() -> None:
    """Call from a blueprint's before_request: every request must carry a valid Bearer token."""
    if not request.headers.get("Authorization", "").startswith("Bearer "):
        raise NotAuthenticated("该接口须在请求头中提供访问令牌：Authorization: Bearer <令牌>")
    require_known_requester(current_user)


def require_bearer_for_writes() -> None:
    """Reads may be anonymous (public lists); anything else needs a Bearer token."""
    if request.method not in ("GET", "HEAD", "OPTIONS"):
        require_bearer()
