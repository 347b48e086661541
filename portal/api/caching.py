"""HTTP caching and fair use of the APIs (CKAN, /api/v1): ETag and Last-Modified on every
successful GET, answered with 304 when the client already has it, and one per-address rate limit
shared by all API routes for anonymous callers (429 with Retry-After; token holders are not limited)."""

import hashlib

from flask import current_app, request
from flask_login import current_user
from sqlalchemy import func, select

from ..extensions import db, limiter
from ..models import Dataset

API_PREFIXES = ("/api/3/", "/api/action/", "/api/v1/")
CATALOG_PREFIXES = ("/api/3/", "/api/action/", "/api/v1/datasets", "/api/v1/departments")


_limited: set[str] = set()


def init_app(app, blueprints) -> None:
    for blueprint in blueprints:
        # Blueprints are module-level objects shared by every app of the process: limit them once,
        # or each create_app would stack another identical limit on the same counter.
        if blueprint.name not in _limited:
            _limited.add(blueprint.name)
            limiter.shared_limit(lambda: current_app.config["RATELIMIT_API_ANONYMOUS"], scope="anonymous-api",
                                 exempt_when=_identified,
                                 error_message="请求过于频繁：匿名调用接口每个地址有频率限制，请稍后再试，或使用访问令牌",
                                 )(blueprint)
    app.after_request(_conditional)


def _identified() -> bool:
    return bool(getattr(current_user, "is_authenticated", False))


def _conditional(response):
    if (request.method != "GET" or response.status_code != 200 or response.direct_passthrough
            or not request.path.startswith(API_PREFIXES) or response.mimetype != "application/json"):
        return response
    if "ETag" not in response.headers:
        response.set_etag(hashlib.sha256(response.get_data()).hexdigest()[:32])
    if request.path.startswith(CATALOG_PREFIXES) and response.last_modified is None:
        latest = db.session.scalar(select(func.max(Dataset.updated_at)))
        if latest is not None:
            response.last_modified = latest
    personal = _identified() or "Authorization" in request.headers
    response.headers["Cache-Control"] = "private, no-cache" if personal else "public, no-cache"
    response.vary.add("Authorization")
    return response.make_conditional(request)
