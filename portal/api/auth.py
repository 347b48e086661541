"""`Authorization: Bearer <token>`: personal API tokens authenticate a request without a session."""

from flask import g, request

from ..errors import NotAuthenticated
from ..extensions import login_manager
from ..services import tokens


def init_app(app) -> None:
    login_manager.request_loader(_user_from_bearer)
    app.before_request(_bearer_decides)


def _bearer_decides() -> None:
    """A request that presents a token is that token's holder (or nobody, when the token is wrong),
    whatever session cookie the browser sends along: flask-login would otherwise prefer the session."""
    if request.headers.get("Authorization", "").startswith("Bearer "):
        g._login_user = _user_from_bearer(request) or login_manager.anonymous_user()


def _user_from_bearer(req):
    header = req.headers.get("Authorization", "")
    if not header.startswith("Bearer "):
        return None
    user = tokens.user_for_token(header[len("Bearer "):].strip())
    if user is None:
        g.bearer_rejected = True  # an explicit, wrong credential: say so instead of "please log in"
    return user


def require_known_requester(actor) -> None:
    if not getattr(actor, "is_authenticated", False):
        if g.get("bearer_rejected") or request.headers.get("Authorization", "").startswith("Bearer "):
            raise NotAuthenticated("访问令牌无效或已被撤销")
        raise NotAuthenticated("下载数据前请先登录" if not request.path.startswith("/api/")
                               else "请在请求头中提供有效的访问令牌：Authorization: Bearer <令牌>")
