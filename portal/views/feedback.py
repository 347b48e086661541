"""Ratings and comments on datasets (art. 50): post, report, delete one's own, and the moderation
queue with hide/restore. Thin: parse the form, call the service, redirect; a refused request gets
a small page with the message, a link back and, for a post, the form filled in again."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..errors import NotAuthorized, ValidationError
from ..services import feedback
from ..services.notifications import local_link

bp = Blueprint("feedback", __name__)


def _int(name: str, default: int = 1) -> int:
    value = request.args.get(name, "")
    return int(value) if value.isdigit() and len(value) < 7 else default


def _back(default: str) -> str:
    """Where the form came from (a local `next` field), else `default`."""
    return local_link(request.form.get("next")) or default


def _refused(exc, back: str, form: dict | None = None):
    return render_template("feedback/error.html", status=exc.status, message=exc.message, details=exc.details,
                           back=back, form=form), exc.status


def _dataset_page(name: str) -> str:
    return url_for("catalog.dataset", name=name, _anchor="feedback")


@bp.post("/datasets/<name>/feedback")
@login_required
def post(name):  # CSRF is checked by CSRFProtect before this runs
    rating, comment = request.form.get("rating"), request.form.get("comment", "")
    back = _back(_dataset_page(name))
    try:
        feedback.post(current_user, name, rating, comment)
    except (ValidationError, NotAuthorized) as exc:
        return _refused(exc, back, {"name": name, "rating": rating, "comment": comment})
    flash("感谢您的评价" if not comment.strip() else "感谢您的评价，评论已发表", "success")
    return redirect(back)


@bp.post("/feedback/<int:feedback_id>/report")
@login_required
def report(feedback_id):
    try:
        entry = feedback.report(current_user, feedback_id, request.form.get("reason", ""))
    except (ValidationError, NotAuthorized) as exc:
        return _refused(exc, _back(url_for("catalog.dataset_list")))
    flash("已收到您的举报，数据提供部门和数据主管部门将尽快处理", "success")
    return redirect(_back(_dataset_page(entry.dataset)))


@bp.post("/feedback/<int:feedback_id>/moderate")
@login_required
def moderate(feedback_id):
    action = request.form.get("action")
    back = _back(url_for("feedback.queue"))
    if action not in ("hide", "restore"):
        return _refused(ValidationError("请选择隐藏或恢复"), back)
    try:
        feedback.moderate(current_user, feedback_id, action == "hide", request.form.get("reason", ""))
    except (ValidationError, NotAuthorized) as exc:
        return _refused(exc, back)
    flash("评价已隐藏，已通知作者" if action == "hide" else "已处理：评价正常显示，相关举报已办结", "success")
    return redirect(back)


@bp.post("/feedback/<int:feedback_id>/delete")
@login_required
def delete(feedback_id):
    try:
        entry = feedback.delete_own(current_user, feedback_id)
    except (ValidationError, NotAuthorized) as exc:
        return _refused(exc, _back(url_for("catalog.dataset_list")))
    flash("您的评价已删除", "success")
    return redirect(_back(_dataset_page(entry.dataset)))


@bp.get("/console/feedback")
@login_required
def queue():
    slug = request.args.get("department") or None
    everything = request.args.get("all") == "1"
    page = feedback.moderation_queue(current_user, slug, not everything, _int("page"))
    return render_template("feedback/queue.html", page=page, slug=slug, everything=everything)
