"""The data authority's screens: accounts, suspensions (art. 41), the identity verification queue."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..errors import ValidationError
from ..services import identity, users

bp = Blueprint("admin", __name__, url_prefix="/admin")


def _page() -> int:
    return max(1, request.args.get("page", 1, type=int) or 1)


@bp.get("/users")
@login_required
def user_list():
    q = request.args.get("q", "")
    return render_template("admin/users.html", page=users.list_users(current_user, q, _page()), q=q)


@bp.post("/users/<int:user_id>/suspend")
@login_required
def suspend(user_id):
    users.suspend(current_user, user_id, request.form.get("reason", ""))
    flash("已暂停该账号获取数据的服务", "success")
    return redirect(_back())


@bp.post("/users/<int:user_id>/unsuspend")
@login_required
def unsuspend(user_id):
    users.unsuspend(current_user, user_id)
    flash("已恢复该账号的服务", "success")
    return redirect(_back())


@bp.get("/verifications")
@login_required
def verifications():
    return render_template("admin/verifications.html", page=identity.pending(current_user, _page()))


@bp.post("/verifications/<int:user_id>")
@login_required
def decide(user_id):
    decision = request.form.get("decision")
    if decision not in ("approve", "reject"):
        raise ValidationError("请选择通过或驳回")
    state = identity.decide(current_user, user_id, decision == "approve", request.form.get("note", ""))
    flash("已通过实名核验" if state == "verified" else "已驳回实名核验", "success")
    return redirect(url_for("admin.verifications"))


def _back() -> str:
    """Back to the list the form was on (same search and page)."""
    return url_for("admin.user_list", q=request.form.get("q") or None, page=request.form.get("page") or None)
