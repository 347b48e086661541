"""Catalog objections (art. 45) and catalog changes: file an objection, follow and answer it, the data
authority's decision on the change, and the public lists and history. Thin: parse, call, render."""

import re

from flask import Blueprint, flash, redirect, render_template, request, send_file, url_for
from flask_login import current_user, login_required

from ..errors import ValidationError
from ..services import cases, catalog_changes, datasets, objections
from ..services.views import FREQUENCY_LABELS, OPEN_ACCESS_LABELS, SHARE_ACCESS_LABELS
from .actions import perform

bp = Blueprint("objections", __name__)

CHOICES = {"open_access": OPEN_ACCESS_LABELS, "share_access": SHARE_ACCESS_LABELS,
           "update_frequency": FREQUENCY_LABELS}


def _int(name: str, default: int = 0) -> int:
    value = request.args.get(name, "") or request.form.get(name, "")
    return int(value) if value.isdigit() and len(value) < 7 else default


def _changes_from_form() -> dict:
    """Every attribute field of the agree form; the service keeps those that differ from the catalog."""
    changes = {key: request.form[key] for key in catalog_changes.ATTRIBUTES if key in request.form}
    if "keywords" in changes:
        changes["keywords"] = [k for k in re.split(r"[,，、;；\n]+", changes["keywords"]) if k.strip()]
    return changes


# -- the objector --------------------------------------------------------------------------------
@bp.route("/datasets/<name>/objections/new", methods=["GET", "POST"])
@login_required
def new(name):
    form = objections.options(current_user, name)
    status = 200
    if request.method == "POST":
        suggested = request.form.get("suggested_open_access", "")
        try:
            detail = objections.file(current_user, name, request.form.get("category", ""),
                                     request.form.get("description", ""),
                                     {"open_access": suggested} if suggested else None,
                                     request.files.getlist("documents"))
        except ValidationError as exc:
            flash(exc.message, "error")
            status = 422
        else:
            flash(f"更正申请已受理，受理编号 {detail.reference}，答复期限 {detail.deadline:%Y-%m-%d}"
                  + ("（暂定）" if detail.provisional else ""), "success")
            return redirect(url_for("objections.show", reference=detail.reference))
    return render_template("objections/new.html", o=form, form=request.form), status


@bp.get("/objections/<reference>")
def show(reference):
    detail = objections.get(current_user, reference)
    current = catalog_changes.current_of(detail.dataset) if "agree" in detail.actions else None
    return render_template("objections/detail.html", c=detail, current=current, choices=CHOICES,
                           attributes=catalog_changes.ATTRIBUTES, shown=catalog_changes.shown)


ACTIONS = {
    "agree": lambda r: objections.agree(current_user, r, _changes_from_form(), request.form.get("reason", "")),
    "disagree": lambda r: objections.disagree(current_user, r, request.form.get("reasons", ""),
                                              request.form.get("basis", "")),
    "extension": lambda r: objections.propose_extension(current_user, r, _int("days"), request.form.get("reason", "")),
    "extension-decision": lambda r: objections.decide_extension(current_user, r,
                                                                request.form.get("decision") == "approve",
                                                                request.form.get("note", "")),
    "withdraw": lambda r: objections.withdraw(current_user, r),
}
DONE = {"agree": "已同意更正，目录更正已提请数据主管部门审核", "disagree": "已作出不予同意的答复",
        "extension": "延期申请已提交部门主要负责人", "extension-decision": "已处理延期申请", "withdraw": "更正申请已撤回"}


@bp.post("/objections/<reference>/<action>")
@login_required
def act(reference, action):  # CSRF is checked by CSRFProtect before this runs
    return perform(action, reference, ACTIONS, DONE, show, url_for("objections.show", reference=reference))


@bp.get("/objections/<reference>/documents/<int:document_id>")
@login_required
def document(reference, document_id):
    path, mediatype, filename = cases.document_file(current_user, objections.KIND, reference, document_id)
    return send_file(path, mimetype=mediatype, as_attachment=True, download_name=filename)


# -- public lists --------------------------------------------------------------------------------
@bp.get("/datasets/<name>/objections")
def for_dataset(name):
    page = cases.for_dataset(name, objections.KIND, _int("page", 1))
    return render_template("objections/list.html", d=datasets.get_dataset(current_user, name), page=page)


@bp.get("/datasets/<name>/history")
def history(name):
    return render_template("objections/history.html", d=datasets.get_dataset(current_user, name),
                           changes=catalog_changes.history(name))


# -- the data authority --------------------------------------------------------------------------
@bp.get("/admin/catalog-changes")
@login_required
def changes():
    include_closed = request.args.get("all") == "1"
    page = catalog_changes.pending(current_user, include_closed, _int("page", 1))
    return render_template("objections/changes.html", page=page, include_closed=include_closed)


@bp.get("/admin/catalog-changes/<int:change_id>")
@login_required
def change(change_id):
    info = catalog_changes.get(current_user, change_id)
    case = objections.get(current_user, info.case) if info.case else None
    return render_template("objections/change.html", ch=info, c=case)


CHANGE_ACTIONS = {"approve": lambda i: catalog_changes.approve(current_user, i, request.form.get("note", "")),
                  "reject": lambda i: catalog_changes.reject(current_user, i, request.form.get("note", ""))}
CHANGE_DONE = {"approve": "已批准，目录已更正并发布新版本", "reject": "已作出不予批准的决定"}


@bp.post("/admin/catalog-changes/<int:change_id>/<action>")
@login_required
def decide_change(change_id, action):
    return perform(action, change_id, CHANGE_ACTIONS, CHANGE_DONE, change,
                   url_for("objections.change", change_id=change_id))
