"""Login (rate limited), logout, registration of citizens and firms, the account page, passwords."""

from urllib.parse import urlsplit

from flask import Blueprint, current_app, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required, login_user, logout_user
from flask_wtf import FlaskForm
from wtforms import BooleanField, PasswordField, StringField
from wtforms.validators import DataRequired, EqualTo, Length, Optional

from ..errors import ValidationError
from ..extensions import limiter, login_manager
from ..services import notifications, passwords, users

bp = Blueprint("account", __name__)


class LoginForm(FlaskForm):
    username = StringField("用户名", validators=[DataRequired("请输入用户名"), Length(max=64)])
    password = PasswordField("密码", validators=[DataRequired("请输入密码"), Length(max=200)])


class _RegistrationForm(FlaskForm):
    username = StringField("用户名", [DataRequired("请填写用户名"), Length(max=64)],
                           description="3–64 位字母、数字、下划线、点或连字符，登录时使用")
    password = PasswordField("密码", [DataRequired("请设置密码"), Length(max=200)], description="至少 8 位")
    confirm = PasswordField("确认密码", [DataRequired("请再次输入密码"), EqualTo("password", "两次输入的密码不一致")])
    mobile = StringField("手机号码", [DataRequired("请填写手机号码"), Length(max=20)],
                         description="用于接收找回密码等通知")
    accept_terms = BooleanField("我已阅读并同意《平台服务协议》", [DataRequired("请阅读并同意平台服务协议")])

    def registration(self, kind: str) -> users.Registration:
        values = {name: self[name].data for name in self.FIELDS if name not in ("confirm", "accept_terms")}
        return users.Registration(kind=kind, **values)


class PersonForm(_RegistrationForm):
    FIELDS = ("username", "password", "confirm", "display_name", "id_number", "mobile", "accept_terms")
    display_name = StringField("真实姓名", [DataRequired("请填写真实姓名"), Length(max=50)])
    id_number = StringField("居民身份证号码", [DataRequired("请填写居民身份证号码"), Length(max=30)],
                            description="18 位，末位可为 X；加密保存，页面只显示部分号码")


class FirmForm(_RegistrationForm):
    FIELDS = ("username", "password", "confirm", "display_name", "uscc", "agent_name", "agent_id_number",
              "mobile", "accept_terms")
    display_name = StringField("单位名称", [DataRequired("请填写单位名称"), Length(max=100)])
    uscc = StringField("统一社会信用代码", [DataRequired("请填写统一社会信用代码"), Length(max=30)],
                       description="18 位，见营业执照或登记证书")
    agent_name = StringField("经办人姓名", [DataRequired("请填写经办人姓名"), Length(max=50)])
    agent_id_number = StringField("经办人居民身份证号码", [DataRequired("请填写经办人居民身份证号码"), Length(max=30)])
    mobile = StringField("经办人手机号码", [DataRequired("请填写手机号码"), Length(max=20)],
                         description="用于接收找回密码等通知")


class ChangePasswordForm(FlaskForm):
    current = PasswordField("当前密码", [DataRequired("请输入当前密码"), Length(max=200)])
    new = PasswordField("新密码", [DataRequired("请输入新密码"), Length(max=200)], description="至少 8 位")
    confirm = PasswordField("确认新密码", [DataRequired("请再次输入新密码"), EqualTo("new", "两次输入的密码不一致")])


class ResetRequestForm(FlaskForm):
    username = StringField("用户名", [DataRequired("请输入用户名"), Length(max=64)])


class ResetForm(FlaskForm):
    new = PasswordField("新密码", [DataRequired("请输入新密码"), Length(max=200)], description="至少 8 位")
    confirm = PasswordField("确认新密码", [DataRequired("请再次输入新密码"), EqualTo("new", "两次输入的密码不一致")])


class EmailForm(FlaskForm):
    email = StringField("通知邮箱", [Optional(), Length(max=200, message="电子邮箱地址不能超过 200 个字符")],
                        description="站内消息同时发送到这个邮箱；留空并保存即取消邮件通知")


@login_manager.user_loader
def _load_user(user_id):
    return users.load_user(user_id)


login_manager.login_view = "account.login"
login_manager.login_message = "请先登录"


def _attempt_limit() -> str:
    return current_app.config["RATELIMIT_LOGIN"]


def _submitted_username() -> str:
    """Counts attempts on one account from every address, so a botnet cannot guess at leisure."""
    return "username:" + (request.form.get("username") or "").strip().lower()


@bp.route("/login", methods=["GET", "POST"])
@limiter.limit(_attempt_limit, methods=["POST"])
@limiter.limit(_attempt_limit, key_func=_submitted_username, methods=["POST"])
def login():
    form = LoginForm()
    status = 200
    if form.validate_on_submit():
        user = users.authenticate(form.username.data, form.password.data)
        if user is not None:
            login_user(user)
            flash(f"欢迎，{user.display_name}", "success")
            return redirect(_safe_next(request.args.get("next")) or url_for(users.landing_endpoint(user)))
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


@bp.route("/register", methods=["GET", "POST"])
def register():
    if current_user.is_authenticated:
        flash("您已登录，无需注册", "info")
        return redirect(url_for("account.account"))
    kind = "firm" if request.args.get("kind") == "firm" else "person"
    form = FirmForm() if kind == "firm" else PersonForm()
    status = 200
    if form.validate_on_submit():
        try:
            user_id = users.register(current_user, form.registration(kind))
        except users.RegistrationRefused as refusal:
            _show_problems(form, refusal.fields)
            status = 422
        else:
            login_user(users.load_user(user_id))
            flash("注册成功", "success")
            return redirect(url_for("account.account"))
    elif request.method == "POST":
        status = 422
    return render_template("account/register.html", form=form, kind=kind), status


@bp.get("/account")
@login_required
def account():
    return render_template("account/index.html", info=users.account_info(current_user),
                           email=notifications.notification_email(current_user))


@bp.route("/account/email", methods=["GET", "POST"])
@login_required
def email():
    form = EmailForm()
    status = 200
    if form.validate_on_submit():
        try:
            address = notifications.set_email(current_user, form.email.data)
        except ValidationError as refusal:
            form.email.errors = [*form.email.errors, refusal.message]
            status = 422
        else:
            flash("通知邮箱已保存" if address else "已取消邮件通知", "success")
            return redirect(url_for("account.account"))
    elif request.method == "POST":
        status = 422
    else:
        form.email.data = notifications.notification_email(current_user)
    return render_template("account/email.html", form=form), status


@bp.route("/account/password", methods=["GET", "POST"])
@login_required
def change_password():
    form = ChangePasswordForm()
    status = 200
    if form.validate_on_submit():
        try:
            passwords.change_password(current_user, form.current.data, form.new.data)
        except passwords.PasswordRefused as refusal:
            _show_problems(form, {refusal.field: [refusal.message]})
            status = 422
        else:
            flash("密码已修改", "success")
            return redirect(url_for("account.account"))
    elif request.method == "POST":
        status = 422
    return render_template("account/password.html", form=form), status


@bp.route("/password/reset", methods=["GET", "POST"])
@limiter.limit(_attempt_limit, methods=["POST"])
@limiter.limit(_attempt_limit, key_func=_submitted_username, methods=["POST"])
def request_reset():
    form = ResetRequestForm()
    status, sent = 200, False
    if form.validate_on_submit():
        passwords.request_reset(form.username.data,
                                lambda token: url_for("account.reset_password", token=token, _external=True))
        sent = True
    elif request.method == "POST":
        status = 422
    return render_template("account/reset_request.html", form=form, sent=sent), status


@bp.route("/password/reset/<token>", methods=["GET", "POST"])
def reset_password(token):
    username = passwords.reset_username(token)  # 404 / 410 with the reason for a bad link
    form = ResetForm()
    status = 200
    if form.validate_on_submit():
        try:
            passwords.reset_password(token, form.new.data)
        except passwords.PasswordRefused as refusal:
            _show_problems(form, {"new": [refusal.message]})
            status = 422
        else:
            flash("密码已重置，请用新密码登录", "success")
            return redirect(url_for("account.login"))
    elif request.method == "POST":
        status = 422
    return render_template("account/reset.html", form=form, username=username), status


def _show_problems(form: FlaskForm, fields: dict[str, list[str]]) -> None:
    for name, messages in fields.items():
        if name in form:
            form[name].errors = [*form[name].errors, *messages]
        else:
            for message in messages:
                flash(message, "error")


def _safe_next(target: str | None) -> str | None:
    if not target:
        return None
    parts = urlsplit(target)
    return target if not parts.scheme and not parts.netloc and target.startswith("/") else None
