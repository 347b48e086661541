"""The producer console: upload, fill the catalog form, check, publish, watch progress."""

from flask import Blueprint, jsonify, redirect, render_template, request, url_for
from flask_login import current_user, login_required
from flask_wtf import FlaskForm
from flask_wtf.file import MultipleFileField
from wtforms import SelectField, StringField, SubmitField, TextAreaField
from wtforms.fields.choices import SelectChoice
from wtforms.validators import Length, Optional

from ..errors import NotAuthorized
from ..services import datasets, downloads, jobs
from ..services.views import FREQUENCY_LABELS, OPEN_ACCESS_LABELS, SHARE_ACCESS_LABELS

bp = Blueprint("console", __name__, url_prefix="/console")

DOMAINS = ("市场监管", "交通出行", "医疗卫生", "教育文化", "生态环境", "文化旅游", "社会民生", "劳动就业", "城建住房",
           "公共安全", "资源环境", "农业农村", "社会保障", "经济发展", "财税金融", "机构团体", "其他")
LICENSES = ("CC-BY-4.0", "CC0-1.0", "ODC-BY-1.0", "ODbL-1.0")


KEEP = SelectChoice("", "（沿用数据包中的值）")


def _choices(labels: dict) -> list[SelectChoice]:
    return [KEEP] + [SelectChoice(k, f"{v}（{k}）") for k, v in labels.items()]


class PublishForm(FlaskForm):
    files = MultipleFileField("数据文件", description="CSV（UTF-8 或 GBK）、XLSX、JSON 记录数组，或含 datapackage.json 的 ZIP 数据包")
    name = StringField("数据集标识", [Optional(), Length(max=80)],
                       description="小写字母、数字和连字符，如 nanyang-licensed-pharmacies；发布新版本时填写相同标识")
    title = StringField("数据集名称", [Optional(), Length(max=200)])
    description = TextAreaField("数据集描述", [Optional(), Length(max=5000)],
                                description="说明数据内容、统计口径、覆盖范围（第十七条：信息项、格式等）")
    domain = SelectField("所属领域", default="", choices=[KEEP] + [SelectChoice(d, d) for d in DOMAINS])
    keywords = StringField("关键词", [Optional(), Length(max=400)], description="用逗号或顿号分隔")
    license = SelectField("许可协议", default="", choices=[KEEP] + [SelectChoice(x, x) for x in LICENSES])
    open_access = SelectField("开放属性", default="", choices=_choices(OPEN_ACCESS_LABELS),
                              description="第四十三条：无条件开放、有条件开放或不予开放")
    open_access_basis = TextAreaField("开放依据", [Optional(), Length(max=1000)],
                                      description="有条件开放或不予开放时必填：写明法律、法规或规章条款（第四十四条）")
    share_access = SelectField("共享属性", default="", choices=_choices(SHARE_ACCESS_LABELS), description="第三十六条")
    update_frequency = SelectField("更新频率", default="", choices=_choices(FREQUENCY_LABELS))
    contact_name = StringField("联系人", [Optional(), Length(max=50)])
    contact_phone = StringField("联系电话", [Optional(), Length(max=20)])
    contact_email = StringField("联系邮箱", [Optional(), Length(max=120)])
    version = StringField("版本号", [Optional(), Length(max=20)], description="留空则自动递增，如 1.0.0 → 1.1.0")
    department = SelectField("数据提供部门", default="", choices=[], validate_choice=False,
                             description="仅数据主管部门代发布时选择")
    check = SubmitField("仅校验")
    publish = SubmitField("校验并发布")

    def metadata(self) -> dict:
        """Only what the producer filled in; the rest comes from an uploaded datapackage.json."""
        meta = {}
        for key in ("name", "title", "description", "domain", "open_access", "open_access_basis", "share_access",
                    "update_frequency", "version", "department"):
            value = (getattr(self, key).data or "").strip()
            if value:
                meta[key] = value
        keywords = [k.strip() for k in (self.keywords.data or "").replace("、", ",").replace("，", ",").split(",")]
        if any(keywords):
            meta["keywords"] = [k for k in keywords if k]
        if self.license.data:
            meta["licenses"] = [{"name": self.license.data}]
        contact = {k: (getattr(self, f"contact_{k}").data or "").strip() for k in ("name", "phone", "email")}
        if any(contact.values()):
            meta["contact"] = {k: v for k, v in contact.items() if v}
        return meta

    def prefill(self, meta: dict) -> None:
        for key in ("name", "title", "description", "domain", "open_access", "open_access_basis", "share_access",
                    "update_frequency", "version", "department"):
            if meta.get(key):
                getattr(self, key).data = meta[key]
        if meta.get("keywords"):
            self.keywords.data = "、".join(meta["keywords"])
        if meta.get("licenses") and meta["licenses"][0].get("name"):
            self.license.data = meta["licenses"][0]["name"]
        for key in ("name", "phone", "email"):
            value = (meta.get("contact") or {}).get(key)
            if value:
                getattr(self, f"contact_{key}").data = value


def _require_console():
    from .. import policies

    if not policies.can_use_console(current_user):
        raise NotAuthorized("控制台仅对数据提供部门和数据主管部门开放")


@bp.get("/")
@login_required
def index():
    _require_console()
    own = None
    if current_user.department is not None:
        own = datasets.list_datasets(current_user, {"department": current_user.department.slug}, "newest", 1, 50)
    return render_template("console/index.html", jobs=jobs.recent(current_user), own=own)


@bp.get("/downloads")
@login_required
def download_log():
    """Who downloaded the department's data (the data authority picks a department with ?department=)."""
    _require_console()
    slug = request.args.get("department") or (current_user.department.slug if current_user.department else "")
    if not slug:
        return render_template("console/downloads.html", page=None, slug="",
                               departments=datasets.list_departments(current_user))
    value = request.args.get("page", "1")
    page = downloads.department_history(current_user, slug, int(value) if value.isdigit() and len(value) < 7 else 1)
    return render_template("console/downloads.html", page=page, slug=slug,
                           departments=datasets.list_departments(current_user) if current_user.is_admin else [])


@bp.route("/publish", methods=["GET", "POST"])
@login_required
def publish():
    _require_console()
    form = PublishForm()
    form.department.choices = [SelectChoice("", "（本部门）")] + [
        SelectChoice(d.title, d.title) for d in datasets.list_departments(current_user)]
    if form.validate_on_submit():
        job_id = jobs.start(current_user, form.files.data or [], form.metadata(), dry_run=bool(form.check.data))
        return redirect(url_for("console.job", job_id=job_id))
    if request.method == "GET" and (request.args.get("from") or request.args.get("dataset")):
        form.prefill(jobs.form_defaults(current_user, request.args.get("from"), request.args.get("dataset")))
    status = 400 if form.errors else 200
    return render_template("console/publish.html", form=form), status


@bp.get("/jobs/<job_id>")
@login_required
def job(job_id):
    return render_template("console/job.html", job=jobs.get(current_user, job_id), form=FlaskForm())


@bp.get("/jobs/<job_id>.json")
@login_required
def job_status(job_id):
    info = jobs.get(current_user, job_id)
    return jsonify({"ok": True, "data": {k: info[k] for k in ("id", "state", "progress", "step", "message")}})


@bp.post("/jobs/<job_id>/confirm")
@login_required
def confirm(job_id):  # CSRF is checked by CSRFProtect before this runs
    return redirect(url_for("console.job", job_id=jobs.confirm(current_user, job_id)))
