"""Downloads (web), the account's download history and grants, and personal API tokens."""

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from wtforms import StringField
from wtforms.validators import DataRequired, Length

from ..api.auth import require_known_requester
from ..errors import InvalidLink, NotAuthenticated
from ..services import downloads, grants, signed_urls, tokens

bp = Blueprint("downloads", __name__)


def send(delivery):
    """Stream a prepared file: Content-Length, ETag (sha256), Last-Modified, Range and conditional
    requests by werkzeug; sendfile(2) under gunicorn. Gated data: never cached by shared caches."""
    response = send_file(delivery.path, mimetype=delivery.mimetype, as_attachment=True,
                         download_name=delivery.download_name, conditional=True, etag=delivery.etag,
                         last_modified=delivery.last_modified, max_age=0)
    response.headers["Cache-Control"] = "private, no-cache"
    return response


def _page_arg() -> int:
    value = request.args.get("page", "1")
    return int(value) if value.isdigit() and len(value) < 7 else 1


def deliver(prepare):
    """Send what the service prepared; an anonymous refusal says whether a token was wrong."""
    try:
        return send(prepare())
    except NotAuthenticated:
        require_known_requester(current_user)
        raise


@bp.get("/datasets/<name>/resources/<resource>")
def resource(name, resource):
    signature = request.args.get("signature")
    if signature:  # a signed link from a datapackage.json: the person it was made for, checked again
        actor = signed_urls.user_for(signature, name, resource)
        if actor is None:
            raise InvalidLink("下载链接无效或已过期（有效期一小时），请重新获取 datapackage.json")
        return deliver(lambda: downloads.resource_file(actor, name, resource, via="signed-link"))
    return deliver(lambda: downloads.resource_file(current_user, name, resource, via="web"))


@bp.get("/datasets/<name>/package.zip")
def package(name):
    return deliver(lambda: downloads.package_zip(current_user, name, via="web"))


@bp.get("/account/downloads")
@login_required
def history():
    return render_template("account/downloads.html", page=downloads.history(current_user, _page_arg()),
                           grants=grants.my_grants(current_user))


class TokenForm(FlaskForm):
    name = StringField("令牌名称", validators=[DataRequired("请填写令牌名称"), Length(max=60)])


@bp.route("/account/tokens", methods=["GET", "POST"])
@login_required
def token_list():
    form = TokenForm()
    created, status = None, 200
    if form.validate_on_submit():
        _info, created = tokens.create_token(current_user, current_user.id, form.name.data)
        form = TokenForm(formdata=None)
    elif request.method == "POST":
        status = 400
    return render_template("account/tokens.html", form=form, created=created,
                           tokens=tokens.list_tokens(current_user, current_user.id)), status


@bp.post("/account/tokens/<int:token_id>/revoke")
@login_required
def token_revoke(token_id):  # CSRF is checked by CSRFProtect before this runs
    tokens.revoke_token(current_user, token_id)
    flash("令牌已撤销，使用它的请求将立即被拒绝", "success")
    return redirect(url_for("downloads.token_list"))

