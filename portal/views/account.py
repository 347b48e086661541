"""Login and logout for staff (public registration arrives with identity verification)."""

from urllib.parse import urlsplit

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import PasswordField, StringField
from wtforms.validators import DataRequired, Length

from ..extensions import login_manager
from ..services import users

bp = Blueprint("account", __name__)


class LoginForm(FlaskForm):
    username = StringField("用户名", validators=[DataRequired("请输入用户名"), Length(max=64)])
    password = PasswordField("密码", validators=[DataRequired("请输入密码"), Length(max=200)])


@login_manager.user_loader
def _load_user(user_id):
    return users.load_user(user_id)


login_manager.login_view = "account.login"
login_manager.login_message = "请先登录"


@bp.route("/login", methods=["GET", "POST"])
def login():
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        user = users.authenticate(form.username.data, form.password.data)
        if user is not None:
            login_user(user)
            flash(f"欢迎，{user.display_name}", "success")
            return redirect(_safe_next(request.args.get("next")) or url_for("console.index"))
        flash("用户名或密码错误", "error")
        status = 401
    elif request.method == "POST":
        status = 400
    return render_template("account/login.html", form=form), status


@bp.post("/logout")
@login_required
def logout():
    logout_user()
    flash("您已退出登录", "success")
    return redirect(url_for("catalog.home"))


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc and target.startswith("/") else None
