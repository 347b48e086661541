"""The department's one queue (applications beside objections, error reports and data requests)
and "my objections, reports and requests" for citizens and firms."""

from flask import Blueprint, render_template, request
from flask_login import current_user, login_required

from ..services import cases, worklist

bp = Blueprint("casework", __name__)


def _page() -> int:
    value = request.args.get("page", "")
    return int(value) if value.isdigit() and len(value) < 7 else 1


@bp.get("/console/queue")
@login_required
def queue():
    slug = request.args.get("department") or None
    return render_template("cases/queue.html", page=worklist.worklist(current_user, slug, _page()), slug=slug)


@bp.get("/account/cases")
@login_required
def mine():
    kind = request.args.get("kind") if request.args.get("kind") in cases.KIND_LABELS else None
    return render_template("cases/mine.html", page=cases.mine(current_user, kind, _page()), kind=kind,
                           kinds=cases.KIND_LABELS)
