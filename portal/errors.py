"""Errors the service layer raises, mapped to HTTP statuses in one place."""

from flask import jsonify, make_response, redirect, render_template, request, url_for


class PortalError(Exception):
    status = 400
    default_message = "请求无法处理"

    def __init__(self, message: str | None = None, details: list | None = None):
        super().__init__(message or self.default_message)
        self.message = message or self.default_message
        self.details = details or []


class NotFound(PortalError):
    status = 404
    default_message = "未找到所请求的内容"


class NotAuthenticated(PortalError):
    """Who the requester is must be known first: a web page sends them to the login form."""

    status = 401
    default_message = "请先登录"
    login_redirect = True  # an HTML request goes to the login form


class InvalidLink(NotAuthenticated):
    """A signed link that is wrong or expired: tools get a plain 401, not a login page."""

    default_message = "下载链接无效或已过期"
    login_redirect = False


class NotAuthorized(PortalError):
    status = 403
    default_message = "您没有权限执行此操作"


class ValidationError(PortalError):
    status = 422
    default_message = "提交的内容未通过校验"


def _wants_json():
    return request.path.startswith("/api/") or request.accept_mimetypes.best == "application/json"


def _browser() -> bool:
    """A browser names text/html in Accept; tools (curl, frictionless, scripts) send */* and get a 401."""
    return any(mimetype == "text/html" for mimetype, _quality in request.accept_mimetypes)


def _reject_nul_bytes():
    """PostgreSQL text cannot hold NUL; no legitimate form or query needs it. Refuse it up front."""
    from flask import abort

    values = [request.path, *request.args.keys(), *request.args.values()]
    if request.method == "POST" and request.mimetype in ("application/x-www-form-urlencoded", "multipart/form-data"):
        values += [*request.form.keys(), *request.form.values()]
    if any("\x00" in value for value in values):
        abort(400, description="请求包含非法字符（NUL）")


def register(app):
    app.before_request(_reject_nul_bytes)
    @app.errorhandler(PortalError)
    def portal_error(exc):
        if request.path.startswith(CKAN_PREFIXES):
            return _ckan_error(exc.status, exc.message)
        if _wants_json():
            body = {"ok": False, "error": {"message": exc.message, "details": [_plain(d) for d in exc.details]}}
            headers = {"WWW-Authenticate": 'Bearer realm="portal"'} if exc.status == 401 else {}
            return jsonify(body), exc.status, headers
        if exc.status == 401 and getattr(exc, "login_redirect", False) and _browser():
            return redirect(url_for("account.login", next=request.full_path.rstrip("?")))
        return render_template("errors/error.html", status=exc.status, message=exc.message,
                               details=exc.details), exc.status

    for status, message in ((400, "请求格式有误"), (404, "页面不存在"), (405, "不支持该请求方法"),
                            (413, "上传的文件过大"), (429, "请求过于频繁，请稍后再试")):
        app.register_error_handler(status, _simple_handler(status, message))


CKAN_PREFIXES = ("/api/3/", "/api/action/")  # ckanapi calls the unversioned path
CKAN_TYPES = {400: "Validation Error", 401: "Authorization Error", 403: "Authorization Error", 404: "Not Found Error",
              409: "Validation Error", 422: "Validation Error", 429: "Rate Limit Error"}


def _ckan_error(status: int, message: str):
    """CKAN reports validation problems as 409 with its own envelope; clients such as ckanapi rely on it."""
    status = 409 if status in (400, 422) else status
    return jsonify({"help": request.url, "success": False,
                    "error": {"__type": CKAN_TYPES.get(status, "Error"), "message": message}}), status


def _simple_handler(status, message):
    def handler(exc):
        text = getattr(exc, "description", None) if status == 400 else None
        msg = f"{message}：{text}" if text and ("CSRF" in str(text) or "非法字符" in str(text)) else message
        if status == 429 and getattr(exc, "description", None) and "频繁" in str(exc.description):
            msg = str(exc.description)  # the limit's own message says which limit it was
        response = (_ckan_error(status, msg) if request.path.startswith(CKAN_PREFIXES)
                    else (jsonify({"ok": False, "error": {"message": msg, "details": []}}), status) if _wants_json()
                    else (render_template("errors/error.html", status=status, message=msg, details=[]), status))
        response = make_response(response)
        if status == 405 and getattr(exc, "valid_methods", None):
            response.headers["Allow"] = ", ".join(exc.valid_methods)  # RFC 9110 §15.5.6
        return response
    return handler


def _plain(detail):
    return detail.as_dict() if hasattr(detail, "as_dict") else detail
