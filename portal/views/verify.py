"""Verification of downloaded files against the portal's signatures (art. 47), and the public key."""

from flask import Blueprint, Response, render_template
from flask_login import current_user
from flask_wtf import FlaskForm
from flask_wtf.file import FileField, FileRequired
from wtforms import StringField
from wtforms.validators import Length, Optional

from ..services import signatures

bp = Blueprint("verify", __name__)


class VerifyForm(FlaskForm):
    file = FileField("待验证的文件", validators=[FileRequired("请选择要验证的文件")])
    signature = FileField("签名文件（可选）")
    dataset = StringField("数据集标识（可选）", validators=[Optional(), Length(max=80)])
    version = StringField("版本号（可选）", validators=[Optional(), Length(max=40)])


@bp.route("/verify", methods=["GET", "POST"])
def index():
    form = VerifyForm()
    result, status = None, 200
    if form.validate_on_submit():
        upload = form.file.data
        sig = form.signature.data.read(8192) if form.signature.data else None
        result = signatures.verify_file(upload.stream, upload.filename or "上传的文件", form.dataset.data,
                                        form.version.data, sig or None)
        status = 400 if result.status == "unreadable" else 200
    elif form.is_submitted():
        status = 400
    return render_template("verify/index.html", form=form, result=result), status


@bp.get("/verify/public-key.pem")
def public_key():
    return Response(signatures.public_key_pem(), mimetype="text/plain",
                    headers={"Content-Disposition": 'inline; filename="nanyang-portal-public-key.pem"'})


@bp.get("/datasets/<name>/datapackage.json.sig")
def descriptor_signature(name):
    return Response(signatures.current_signature(current_user, name) + "\n", mimetype="text/plain",
                    headers={"Content-Disposition": 'inline; filename="datapackage.json.sig"'})
