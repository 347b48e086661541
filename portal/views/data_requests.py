"""Data requests: the public list, the request form, one request's page with the actions of the data
authority, the department, the submitter and supporters. Thin: parse the form, call the service, render."""

from datetime import date

from flask import Blueprint, flash, redirect, render_template, request, url_for
from flask_login import current_user, login_required

from ..errors import ValidationError
from ..services import cases, clock
from ..services import data_requests as service
from .actions import perform

bp = Blueprint("data_requests", __name__)


def _page_arg() -> int:
    value = request.args.get("page", "")
    return int(value) if value.isdigit() and len(value) < 7 else 1


def _date(name: str) -> date | None:
    try:
        return date.fromisoformat(request.form.get(name, "")[:10])
    except ValueError:
        return None


@bp.get("/data-requests")
def listing():
    state = request.args.get("state") or None
    sort = request.args.get("sort") or "newest"
    q = request.args.get("q", "")
    page = service.public_list(state, sort, q, _page_arg())
    return render_template("data_requests/list.html", page=page, state=state, sort=sort, q=q,
                           states=service.PUBLIC_STATES, sorts=service.SORTS, categories=cases.CATEGORY_LABELS["data_request"],
                           commitment=service.COMMITMENT)


@bp.route("/data-requests/new", methods=["GET", "POST"])
@login_required
def new():
    options = service.options(current_user)
    form = request.form if request.method == "POST" else {
        "dataset": request.args.get("dataset", "")[:80],
        "category": "more_fields" if request.args.get("dataset") else "new_dataset"}
    status = 200
    if request.method == "POST":
        try:
            detail = service.file(current_user, form.get("title", ""), form.get("description", ""),
                                  form.get("category", ""), form.get("department_hint") or None,
                                  form.get("dataset") or None)
        except ValidationError as exc:
            flash(exc.message, "error")
            status = 422
        else:
            flash(f"数据需求已提交，编号 {detail.reference}，等待数据主管部门分派", "success")
            return redirect(url_for("data_requests.show", reference=detail.reference))
    return render_template("data_requests/new.html", o=options, form=form, commitment=service.COMMITMENT), status


@bp.get("/data-requests/<reference>")
def show(reference):
    detail = service.get(current_user, reference)
    return render_template("data_requests/detail.html", r=detail, departments=service.departments(),
                           today=clock.today(), period=service.PERIOD, commitment=service.COMMITMENT)


ACTIONS = {
    "route": lambda r: service.route(current_user, r, request.form.get("department", ""), request.form.get("note", "")),
    "reject": lambda r: service.reject(current_user, r, request.form.get("reason", "")),
    "answer": lambda r: service.answer(current_user, r, request.form.get("will_open") == "1", _date("promised_date"),
                                       request.form.get("reasons", ""), request.form.get("basis", "")),
    "support": lambda r: service.support(current_user, r),
    "unsupport": lambda r: service.unsupport(current_user, r),
    "withdraw": lambda r: service.withdraw(current_user, r),
}
DONE = {"route": "已分派至承办部门，答复期限开始计算", "reject": "已作出不予受理的决定", "answer": "答复已发送给提交人和支持者",
        "support": "已支持该数据需求", "unsupport": "已取消支持", "withdraw": "数据需求已撤回"}


@bp.post("/data-requests/<reference>/<action>")
@login_required
def act(reference, action):  # CSRF is checked by CSRFProtect before this runs
    return perform(action, reference, ACTIONS, DONE, show, url_for("data_requests.show", reference=reference))
