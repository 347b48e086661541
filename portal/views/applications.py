"""Applications for conditional data: apply, follow one's applications, and the department's queue,
decisions, supplements, extensions and figures. Thin: parse the form, call the service, render."""

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required

from ..errors import ValidationError
from ..services import applications, deadlines
from .actions import perform

bp = Blueprint("applications", __name__)


def _date(name: str) -> date | None:
    try:
        return date.fromisoformat(request.form.get(name, "")[:10])
    except ValueError:
        return None


def _int(name: str, default: int = 0) -> int:
    value = request.args.get(name, "") or request.form.get(name, "")
    return int(value) if value.isdigit() and len(value) < 7 else default


def scope_from_form(prefix: str = "") -> dict:
    """Checkboxes `<prefix>field` = "resource::field" and `<prefix>resource` = "resource" (every field)."""
    scope: dict[str, list[str]] = {}
    for value in request.form.getlist(prefix + "field"):
        resource, _, name = value.partition("::")
        if resource and name:
            scope.setdefault(resource[:100], []).append(name[:100])
    for resource in request.form.getlist(prefix + "resource"):
        scope[resource[:100]] = []
    return scope


@bp.route("/datasets/<name>/apply", methods=["GET", "POST"])
@login_required
def apply(name):
    options = applications.options(current_user, name)
    status = 200
    if request.method == "POST":
        try:
            detail = applications.submit(
                current_user, name, request.form.get("purpose", ""), request.form.get("scenario", ""),
                request.form.get("security_measures", ""), scope_from_form(), _date("period_from"),
                _date("period_until"), request.form.get("accept") == "y", request.files.getlist("documents"))
        except ValidationError as exc:
            flash(exc.message, "error")
            status = 422
        else:
            flash(f"申请已受理，回执编号 {detail.receipt}，答复期限 {detail.deadline:%Y-%m-%d}"
                  + ("（暂定）" if detail.provisional else ""), "success")
            return redirect(url_for("applications.show", receipt=detail.receipt))
    return render_template("applications/apply.html", o=options, form=request.form, today=applications.today()), status


@bp.get("/account/applications")
@login_required
def mine():
    return render_template("applications/mine.html", page=applications.mine(current_user, _int("page", 1)))


@bp.get("/applications/<receipt>")
@login_required
def show(receipt):
    return render_template("applications/detail.html", a=applications.get(current_user, receipt),
                           today=applications.today())


ACTIONS = {
    "approve": lambda r: applications.approve(current_user, r, scope_from_form("grant_"), _date("valid_from"),
                                              _date("valid_until"), request.form.get("note", "")),
    "deny": lambda r: applications.deny(current_user, r, request.form.get("reasons", ""), request.form.get("basis", "")),
    "supplement": lambda r: applications.request_supplement(current_user, r, request.form.get("what", "")),
    "resubmit": lambda r: applications.resubmit(current_user, r, request.form.get("note", ""),
                                                request.files.getlist("documents")),
    "withdraw": lambda r: applications.withdraw(current_user, r),
    "extension": lambda r: applications.propose_extension(current_user, r, _int("days"), request.form.get("reason", "")),
    "extension-decision": lambda r: applications.decide_extension(current_user, r, request.form.get("decision") == "approve",
                                                                  request.form.get("note", "")),
}
DONE = {"approve": "已同意申请并生成授权", "deny": "已作出不予同意的答复", "supplement": "已通知申请人补正，计时暂停",
        "resubmit": "补正材料已提交，答复期限重新计算", "withdraw": "申请已撤回", "extension": "延期申请已提交部门主要负责人",
        "extension-decision": "已处理延期申请"}


@bp.post("/applications/<receipt>/<action>")
@login_required
def act(receipt, action):  # CSRF is checked by CSRFProtect before this runs
    return perform(action, receipt, ACTIONS, DONE, show, url_for("applications.show", receipt=receipt))


@bp.get("/applications/<receipt>/documents/<int:document_id>")
@login_required
def document(receipt, document_id):
    path, mediatype, filename = applications.document_file(current_user, receipt, document_id)
    return send_file(path, mimetype=mediatype, as_attachment=True, download_name=filename)


@bp.get("/console/applications")
@login_required
def queue():
    slug = request.args.get("department") or None
    include_closed = request.args.get("all") == "1"
    page = applications.queue(current_user, slug, include_closed, _int("page", 1))
    return render_template("applications/queue.html", page=page, slug=slug, include_closed=include_closed)


@bp.get("/console/applications/figures")
@login_required
def figures():
    return render_template("applications/figures.html",
                           rows=deadlines.figures(current_user, request.args.get("department") or None))
