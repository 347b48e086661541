"""Publishing jobs: uploads are saved, a job row is written, and the work runs in the background
(portal.jobs) while the producer watches its progress; the row survives the browser closing."""

import re
import shutil
import time
import uuid
from datetime import timedelta
from pathlib import Path

from flask import current_app
from sqlalchemy import select
from sqlalchemy.orm import Session

from .. import policies
from ..errors import NotAuthorized, NotFound, PortalError, ValidationError
from ..extensions import db
from ..models import PublishJob, User, utcnow
from . import publishing

STALE_UPLOADS = timedelta(days=7)


def start(actor, files: list, metadata: dict, dry_run: bool) -> str:
    """Save uploaded files (werkzeug FileStorage) and queue a job. Returns the job id."""
    if not policies.can_use_console(actor):
        raise NotAuthorized("只有数据提供部门的工作人员可以发布数据")
    files = [f for f in files if f and f.filename]
    if not files:
        raise ValidationError("请选择要上传的文件（CSV、XLSX、JSON 或数据包 ZIP）")
    _remove_stale_uploads()
    job_id = uuid.uuid4().hex
    upload_dir = Path(current_app.config["UPLOAD_FOLDER"]) / job_id
    upload_dir.mkdir(parents=True)
    used = set()
    for upload in files:
        name = _safe_name(upload.filename, used)
        upload.save(upload_dir / name)
    return _queue(actor, upload_dir, metadata, dry_run)


def confirm(actor, job_id: str) -> str:
    """Publish what a successful check job checked, from the same uploaded files."""
    job = _load(actor, job_id)
    if not (job.dry_run and job.state == "succeeded") or not Path(job.upload_dir).is_dir():
        raise ValidationError("只能确认发布已通过校验、且文件仍在的任务，请重新上传")
    return _queue(actor, Path(job.upload_dir), job.metadata_form, dry_run=False)


def _queue(actor, upload_dir: Path, metadata: dict, dry_run: bool) -> str:
    from ..jobs import publish_job

    department_id = actor.department_id or _admin_department(metadata)
    job = PublishJob(id=uuid.uuid4().hex, user_id=actor.id, department_id=department_id, dry_run=dry_run,
                     upload_dir=str(upload_dir), metadata_form=metadata, step="排队等待处理")
    db.session.add(job)
    db.session.commit()
    publish_job(job.id)
    return job.id


def get(actor, job_id: str) -> dict:
    job = _load(actor, job_id)
    return {
        "id": job.id, "state": job.state, "progress": job.progress, "step": job.step, "dry_run": job.dry_run,
        "report": job.report, "message": job.message, "created_at": job.created_at, "updated_at": job.updated_at,
        "dataset": (job.report or {}).get("name"), "version": (job.report or {}).get("version"),
        "metadata": job.metadata_form, "files": sorted(p.name for p in Path(job.upload_dir).glob("*"))
        if Path(job.upload_dir).is_dir() else [],
    }


def form_defaults(actor, job_id: str | None = None, dataset: str | None = None) -> dict:
    """Catalog metadata to pre-fill the publish form: from an earlier job (to fix a refusal) or
    from a published dataset (to publish its next version)."""
    if job_id:
        return dict(_load(actor, job_id).metadata_form)
    if dataset:
        from ..models import Dataset

        entry = db.session.scalar(select(Dataset).where(Dataset.name == dataset))
        if entry is None or not policies.can_publish(actor, entry.department):
            raise NotFound("数据集不存在或不属于本部门")
        return {"name": entry.name, "title": entry.title, "description": entry.description,
                "domain": entry.domain, "keywords": entry.keywords, "licenses": [{"name": entry.license}],
                "open_access": entry.open_access, "open_access_basis": entry.open_access_basis or "",
                "share_access": entry.share_access, "update_frequency": entry.update_frequency,
                "contact": entry.contact or {}}
    return {}


def recent(actor, limit: int = 20) -> list[dict]:
    if not policies.can_use_console(actor):
        raise NotAuthorized()
    query = select(PublishJob).order_by(PublishJob.created_at.desc()).limit(limit)
    if not actor.is_admin:
        query = query.where(PublishJob.department_id == actor.department_id)
    return [{"id": j.id, "state": j.state, "progress": j.progress, "step": j.step, "dry_run": j.dry_run,
             "created_at": j.created_at, "dataset": (j.report or {}).get("name") or j.metadata_form.get("name"),
             "user": j.user.display_name} for j in db.session.scalars(query)]


def run(job_id: str) -> None:
    """Executed by the worker. Never raises for bad input: the outcome is written to the job row."""
    job = db.session.get(PublishJob, job_id)
    if job is None or job.state not in ("queued",):
        return
    _update(job_id, state="running", progress=1, step="开始处理")
    actor = db.session.get(User, job.user_id)
    inputs = sorted(Path(job.upload_dir).iterdir()) if Path(job.upload_dir).is_dir() else []
    try:
        outcome = publishing.publish(actor, inputs, job.metadata_form, progress=_progress(job_id),
                                     department=None if actor.is_admin else actor.department.title,
                                     dry_run=job.dry_run)
    except PortalError as exc:
        _update(job_id, state="failed", step="已拒绝", message=exc.message)
        return
    except Exception as exc:  # an unexpected fault must still end the job visibly
        current_app.logger.exception("publish job %s failed", job_id)
        _update(job_id, state="failed", step="内部错误", message=f"处理时发生内部错误（{type(exc).__name__}），"
                "已发布的数据未受影响，请稍后重试或联系平台管理员")
        return
    report = dict(outcome.report, name=outcome.name, version=outcome.version)
    _update(job_id, state="succeeded" if outcome.ok else "failed", progress=100, report=report,
            version_id=outcome.version_id,
            step=("校验通过" if job.dry_run else "发布完成") if outcome.ok else "校验未通过")
    if outcome.ok and not job.dry_run:
        shutil.rmtree(job.upload_dir, ignore_errors=True)


def _progress(job_id):
    last = [0.0]

    def callback(pct: int, step: str) -> None:
        now = time.monotonic()
        if now - last[0] > 0.2 or pct >= 100:
            last[0] = now
            _update(job_id, progress=max(1, min(99, pct)), step=step)
    return callback


def _update(job_id: str, **values) -> None:
    """Job progress is written in its own short transaction, apart from the publishing session."""
    with Session(db.engine) as session:
        job = session.get(PublishJob, job_id)
        for key, value in values.items():
            setattr(job, key, value)
        job.updated_at = utcnow()
        session.commit()


def _load(actor, job_id: str) -> PublishJob:
    job = db.session.get(PublishJob, job_id) if re.fullmatch(r"[0-9a-f]{32}", job_id or "") else None
    if job is None:
        raise NotFound("任务不存在")
    if not policies.can_view_job(actor, job):
        raise NotAuthorized()
    db.session.refresh(job)
    return job


def _admin_department(metadata: dict) -> int:
    from ..models import Department

    dept = db.session.scalar(select(Department).where(Department.title == metadata.get("department")))
    if dept is None:
        raise ValidationError("数据主管部门发布时须在表单中选择数据提供部门")
    return dept.id


def _safe_name(filename: str, used: set) -> str:
    name = Path(filename.replace("\\", "/")).name
    name = re.sub(r"[^\w.\-（）()]+", "_", name).lstrip(".") or "upload"
    base, n = name, 2
    while name in used:
        name, n = f"{n}-{base}", n + 1
    used.add(name)
    return name


def _remove_stale_uploads() -> None:
    cutoff = utcnow() - STALE_UPLOADS
    stale = db.session.scalars(select(PublishJob).where(PublishJob.updated_at < cutoff,
                                                        PublishJob.state.in_(("succeeded", "failed"))))
    for job in stale:
        shutil.rmtree(job.upload_dir, ignore_errors=True)
