"""Downloads of published data (art. 46 ¶3, 33): who may obtain what, the files to send, the log.

Every successful request writes its audit event and commits it before the view starts sending,
so a download whose client disconnects halfway is still on record. Files are immutable published
versions, or files derived from them (package zips, field-limited extracts for grant holders),
built once into DOWNLOAD_CACHE and reused; the view streams them with Range and ETag support.
"""

import csv
import hashlib
import json
import os
import tempfile
import zipfile
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path

from flask import current_app, has_request_context, request
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from .. import policies
from ..errors import NotAuthenticated, NotAuthorized, NotFound
from ..extensions import db
from ..models import AuditEvent, Dataset, DatasetVersion, Department, Resource, User
from . import audit, grants
from .store import package_store
from .views import Access, DownloadRecord, Page

ACTION = "dataset.download"


@dataclass
class Delivery:
    path: Path
    download_name: str
    mimetype: str
    etag: str
    size: int
    last_modified: datetime


def _dataset(name: str) -> Dataset:
    # one round trip for the dataset, its current version and that version's resources
    dataset = db.session.scalar(select(Dataset).where(Dataset.name == name).options(
        joinedload(Dataset.current_version).selectinload(DatasetVersion.resources)))
    if dataset is None or dataset.current_version is None:
        raise NotFound(f"数据集「{name}」不存在")
    return dataset


def _refusal(actor, dataset: Dataset) -> tuple[type, str]:
    """Why `actor` may not obtain this dataset, in words they can act on."""
    if dataset.open_access == "closed":
        return NotAuthorized, "该数据集不予开放，仅公开目录信息"
    if not getattr(actor, "is_authenticated", False):
        return NotAuthenticated, "下载数据前请先登录"
    if actor.is_suspended:
        return NotAuthorized, f"您的账号已被暂停数据服务（第四十一条）：{actor.suspension_reason or '请联系数据主管部门'}"
    if not actor.is_verified:
        pending = getattr(actor, "verification", "") == "pending"
        return NotAuthorized, ("您的身份认证正在审核中，通过后即可下载" if pending
                               else "请先完成实名身份认证，再下载无条件开放数据（第四十六条）")
    return NotAuthorized, "该数据集为有条件开放，须提出申请并获批准后，在授权范围和期限内下载"


def access(actor, name: str) -> Access:
    """For the dataset page: may the actor download, and if not, why."""
    dataset = _dataset(name)
    grant = grants.active_grant(actor, dataset) if dataset.open_access == "conditional" else None
    if policies.can_download(actor, dataset, grant):
        return Access(True, "", dict(grant.resources) if grant and not _producer(actor, dataset) else None)
    return Access(False, _refusal(actor, dataset)[1])


def _producer(actor, dataset: Dataset) -> bool:
    return bool(getattr(actor, "is_staff", False)) and actor.department_id == dataset.department_id


def _scope(actor, dataset: Dataset) -> tuple[dict | None, int | None]:
    """(resource -> granted fields, or None for everything; grant id). Raises when not allowed."""
    grant = grants.active_grant(actor, dataset) if dataset.open_access == "conditional" else None
    if not policies.can_download(actor, dataset, grant):
        error, message = _refusal(actor, dataset)
        raise error(message)
    if dataset.open_access == "conditional" and not _producer(actor, dataset):
        return dict(grant.resources), grant.id
    return None, None


def resource_file(actor, name: str, resource_name: str, via: str) -> Delivery:
    dataset = _dataset(name)
    scope, grant_id = _scope(actor, dataset)
    version = dataset.current_version
    resource = next((r for r in version.resources if r.name == resource_name), None)
    if resource is None:
        raise NotFound(f"资源「{resource_name}」不存在")
    fields = None
    if scope is not None:
        if resource.name not in scope:
            raise NotAuthorized(f"您的授权不包括资源「{resource.name}」")
        fields = scope[resource.name] or None
    source = package_store().path(version.path, resource.path)
    if fields:
        path, etag = _extract(version, resource, source, fields)
    else:
        path, etag = source, resource.hash
    delivery = Delivery(path, f"{dataset.name}-{version.version}-{Path(resource.path).name}",
                        resource.mediatype or "text/csv", etag, path.stat().st_size, version.published_at)
    _record(actor, dataset, resource.name, delivery, via, grant_id, fields)
    return delivery


def package_zip(actor, name: str, via: str) -> Delivery:
    dataset = _dataset(name)
    scope, grant_id = _scope(actor, dataset)
    path, etag = _package(dataset.current_version, scope)  # etag: the zip's sha256
    delivery = Delivery(path, f"{dataset.name}-{dataset.current_version.version}.zip", "application/zip", etag,
                        path.stat().st_size, dataset.current_version.published_at)
    _record(actor, dataset, "*", delivery, via, grant_id, None)
    return delivery


def _record(actor, dataset, resource_name, delivery: Delivery, via, grant_id, fields) -> None:
    detail = {"dataset": dataset.name, "version": dataset.current_version.version, "resource": resource_name,
              "sha256": delivery.etag, "bytes": delivery.size, "via": via}
    if grant_id:
        detail["grant"] = grant_id
    if fields:
        detail["fields"] = fields
    whole = True  # counts as a download in the popularity figures
    if has_request_context():
        if request.headers.get("Range"):
            detail["range"] = request.headers["Range"][:100]
            whole = False
        if delivery.etag in request.headers.get("If-None-Match", ""):
            detail["not_modified"] = True  # answered 304: the client already has this file
            whole = False
    audit.record(actor, ACTION, "dataset", dataset.name, detail)
    if whole:
        dataset.download_count = Dataset.download_count + 1
    db.session.commit()


# -- derived files ----------------------------------------------------------------------------
def _cache(kind: str) -> Path:
    folder = Path(current_app.config["DOWNLOAD_CACHE"]) / kind
    folder.mkdir(parents=True, exist_ok=True)
    return folder


def _key(*parts) -> str:
    return hashlib.sha256(json.dumps(parts, ensure_ascii=False, sort_keys=True).encode()).hexdigest()


def _build(target: Path, write) -> tuple[Path, str]:
    """Write through a temporary file renamed into place (concurrent builders never see half a file);
    the sha256 is kept beside it, written last, so a file without one is rebuilt."""
    digest_file = target.with_name(target.name + ".sha256")
    if target.exists() and digest_file.exists():
        return target, digest_file.read_text(encoding="ascii").strip()
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=".building-")
    os.close(fd)
    try:
        write(Path(tmp))
        digest = _sha256(Path(tmp))
        os.replace(tmp, target)
    finally:
        if os.path.exists(tmp):
            os.unlink(tmp)
    _write_atomic(digest_file, digest)
    return target, digest


def _write_atomic(path: Path, text: str) -> None:
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=".building-")
    with os.fdopen(fd, "w", encoding="ascii") as f:
        f.write(text)
    os.replace(tmp, path)


def _extract(version, resource: Resource, source: Path, fields: list[str]) -> tuple[Path, str]:
    """Only the granted columns of a published CSV, in the schema's order."""
    order = [f.get("name") for f in (resource.schema or {}).get("fields", []) if f.get("name") in fields]
    key = _key("extract", version.id, version.descriptor_hash, resource.name, order)

    def write(tmp: Path):
        with open(source, encoding="utf-8", newline="") as src, open(tmp, "w", encoding="utf-8", newline="") as out:
            reader, writer = csv.reader(src), csv.writer(out)
            header = next(reader, [])
            keep = [header.index(name) for name in order if name in header]
            writer.writerow([header[i] for i in keep])
            for row in reader:
                writer.writerow([row[i] if i < len(row) else "" for i in keep])

    return _build(_cache("extracts") / f"{key}.csv", write)


def _package(version, scope: dict | None) -> tuple[Path, str]:
    """The whole version as a zip: the signed datapackage.json, its signature and every resource;
    for a grant holder, only the granted resources and fields with a descriptor describing them."""
    key = _key("package", version.id, version.descriptor_hash, scope, bool(version.signature))
    store = package_store()

    def write(tmp: Path):
        with zipfile.ZipFile(tmp, "w", zipfile.ZIP_DEFLATED, allowZip64=True) as zf:
            if scope is None:
                zf.write(store.path(version.path, "datapackage.json"), "datapackage.json")
                if version.signature:
                    zf.writestr("datapackage.json.sig", version.signature)
                for r in version.resources:
                    zf.write(store.path(version.path, r.path), r.path)
                return
            descriptor = json.loads(store.path(version.path, "datapackage.json").read_text(encoding="utf-8"))
            kept = []
            for entry in descriptor.get("resources", []):
                resource = next((r for r in version.resources if r.name == entry.get("name")), None)
                if resource is None or resource.name not in scope:
                    continue
                source = store.path(version.path, resource.path)
                if scope[resource.name]:
                    source, digest = _extract(version, resource, source, scope[resource.name])
                    fields = entry.get("schema", {}).get("fields", [])
                    entry["schema"]["fields"] = [f for f in fields if f.get("name") in scope[resource.name]]
                    entry["hash"] = "sha256:" + digest
                    entry["bytes"] = source.stat().st_size
                zf.write(source, resource.path)
                kept.append(entry)
            descriptor["resources"] = kept
            descriptor["granted_extract"] = True  # not the signed publication: a subset of it
            zf.writestr("datapackage.json", json.dumps(descriptor, ensure_ascii=False, indent=2))

    return _build(_cache("packages") / f"{key}.zip", write)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


# -- history ---------------------------------------------------------------------------------
def history(actor, page: int = 1, per_page: int = 20) -> Page:
    """The actor's own downloads, newest first."""
    if getattr(actor, "id", None) is None:
        raise NotAuthenticated("请先登录")
    return _page(select(AuditEvent).where(AuditEvent.action == ACTION, AuditEvent.actor_id == actor.id),
                 page, per_page, with_user=False)


def department_history(actor, slug: str, page: int = 1, per_page: int = 20) -> Page:
    """Who downloaded a department's data (its staff and head, and the data authority)."""
    department = db.session.scalar(select(Department).where(Department.slug == slug))
    if department is None:
        raise NotFound("部门不存在")
    if not policies.can_view_downloads_of(actor, department.id):
        raise NotAuthorized()
    names = select(Dataset.name).where(Dataset.department_id == department.id)
    return _page(select(AuditEvent).where(AuditEvent.action == ACTION, AuditEvent.object_id.in_(names)),
                 page, per_page, with_user=True, with_ip=actor.is_admin)


def _page(query, page: int, per_page: int, with_user: bool, with_ip: bool = False) -> Page:
    page = max(1, page)
    total = db.session.scalar(select(func.count()).select_from(query.subquery())) or 0
    events = db.session.scalars(query.order_by(AuditEvent.id.desc()).offset((page - 1) * per_page)
                                .limit(per_page)).all()
    titles = dict(db.session.execute(select(Dataset.name, Dataset.title)
                                     .where(Dataset.name.in_({e.object_id for e in events}))).all())
    users = {u.id: u for u in db.session.scalars(select(User).where(User.id.in_({e.actor_id for e in events})))}
    items = []
    for e in events:
        d = e.detail or {}
        who = ""
        if with_user and e.actor_id in users:
            u = users[e.actor_id]
            who = f"{u.display_name}（{u.identity_masked or u.username}）"
        items.append(DownloadRecord(e.at, e.object_id, titles.get(e.object_id, e.object_id), d.get("version", ""),
                                    d.get("resource", ""), d.get("bytes", 0), d.get("sha256") or "",
                                    d.get("via", ""), who, e.ip if with_ip else None))
    return Page(items, total, page, per_page)
