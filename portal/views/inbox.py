"""The inbox: notifications of the signed-in user, and the unread count shown in the navigation."""

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from sqlalchemy.exc import SQLAlchemyError

from ..extensions import db
from ..services import notifications

bp = Blueprint("inbox", __name__)


@bp.app_context_processor
def _unread_messages():
    """`unread_messages()` in templates: one COUNT query, only for a signed-in user, only when used."""
    cache = {}

    def unread_messages() -> int:
        if "n" not in cache:
            try:
                cache["n"] = notifications.unread_count(current_user) if current_user.is_authenticated else 0
            except SQLAlchemyError:  # an error page after a failed transaction still renders
                db.session.rollback()
                cache["n"] = 0
        return cache["n"]
    return {"unread_messages": unread_messages}


@bp.get("/account/inbox")
@login_required
def index():
    page = request.args.get("page", 1, type=int) or 1
    return render_template("account/inbox.html", page=notifications.inbox(current_user, page=page))


@bp.post("/account/inbox/<int:notification_id>/read")
@login_required
def read(notification_id):
    link = notifications.mark_read(current_user, notification_id)
    return redirect(link or url_for("inbox.index"))


@bp.post("/account/inbox/read-all")
@login_required
def read_all():
    count = notifications.mark_all_read(current_user)
    flash(f"已将 {count} 条消息标为已读" if count else "没有未读消息", "success")
    return redirect(url_for("inbox.index"))
