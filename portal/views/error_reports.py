"""Data error reports (arts. 64–65): the report form, the report page with each party's actions, a
dataset's public list, and evidence for who may see it. Thin: parse the form, call the service."""

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required

from ..errors import ValidationError
from ..services import cases, error_reports
from .actions import perform

bp = Blueprint("error_reports", __name__)


def _row(value: str):
    """The row as typed: blank → None, digits → int; anything else is passed on for the service to refuse."""
    value = (value or "").strip()
    if not value:
        return None
    return int(value) if value.isdigit() and len(value) < 12 else value


def _page_arg() -> int:
    value = request.args.get("page", "1")
    return int(value) if value.isdigit() and len(value) < 7 else 1


@bp.route("/datasets/<name>/error-reports/new", methods=["GET", "POST"])
@login_required
def new(name):
    options = error_reports.options(current_user, name)
    form = request.form if request.method == "POST" else {
        "version": options.versions[0], "resource": request.args.get("resource", ""),
        "row": request.args.get("row", ""), "field": request.args.get("field", ""), "category": "wrong_value"}
    status = 200
    if request.method == "POST":
        try:
            detail = error_reports.file(
                current_user, name, form.get("resource", ""), form.get("description", ""),
                form.get("category", ""), form.get("version") or None, _row(form.get("row", "")),
                form.get("field") or None, request.files.getlist("documents"))
        except ValidationError as exc:
            flash(exc.message, "error")
            status = 422
        else:
            flash(f"问题数据反馈已受理，编号 {detail.reference}。数据主管部门将转数据提供部门核实。", "success")
            return redirect(url_for("error_reports.show", reference=detail.reference))
    return render_template("error_reports/new.html", o=options, form=form), status


@bp.get("/error-reports/<reference>")
def show(reference):
    return render_template("error_reports/detail.html", c=error_reports.get(current_user, reference))


ACTIONS = {
    "dispatch": lambda r: error_reports.dispatch(current_user, r, request.form.get("note", "")),
    "reject": lambda r: error_reports.reject(current_user, r, request.form.get("reason", "")),
    "correct": lambda r: error_reports.decide(current_user, r, True, request.form.get("reasons", "")),
    "not-correct": lambda r: error_reports.decide(current_user, r, False, request.form.get("reasons", "")),
    "link-version": lambda r: error_reports.link_correction(current_user, r, request.form.get("version", "")),
    "withdraw": lambda r: error_reports.withdraw(current_user, r),
}
DONE = {"dispatch": "已分派数据提供部门核实，5 个工作日内决定是否更正", "reject": "已不予受理并通知提交人",
        "correct": "已决定更正：请在 10 个工作日内发布更正后的版本并关联到本反馈",
        "not-correct": "已作出不予更正的决定并通知提交人", "link-version": "已关联更正后的版本，本反馈办结",
        "withdraw": "问题数据反馈已撤回"}


@bp.post("/error-reports/<reference>/<action>")
@login_required
def act(reference, action):  # CSRF is checked by CSRFProtect before this runs
    return perform(action, reference, ACTIONS, DONE, show, url_for("error_reports.show", reference=reference))


@bp.get("/error-reports/<reference>/documents/<int:document_id>")
@login_required
def document(reference, document_id):
    path, mediatype, filename = cases.document_file(current_user, error_reports.KIND, reference, document_id)
    return send_file(path, mimetype=mediatype, as_attachment=True, download_name=filename)


@bp.get("/datasets/<name>/error-reports")
def for_dataset(name):
    title = cases.dataset_by_name(name).title
    page = cases.for_dataset(name, error_reports.KIND, _page_arg())
    return render_template("error_reports/list.html", name=name, title=title, page=page)
