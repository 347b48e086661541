"""Publishing: run the package pipeline, store the version atomically, then commit the catalog row.

Order matters for crash safety: prepare in a staging folder → rename into the store → commit the
database. The database is the source of truth for which version is served, so a crash before the
commit leaves the previous version served; a folder left behind by a crash is moved aside the next
time the same version is stored (PackageStore.commit).
"""

import json
import re
import shutil
from dataclasses import dataclass, field
from pathlib import Path

from sqlalchemy import select

from packages import StoreError, prepare
from packages.catalog import check_catalog
from packages.pipeline import write_descriptor

from .. import policies
from ..errors import NotAuthorized, NotFound, ValidationError
from ..extensions import db
from ..models import Dataset, DatasetVersion, Department, Resource, utcnow
from . import audit, signatures
from .store import limits, package_store, pseudonym_key

VERSION = re.compile(r"^(\d+)\.(\d+)\.(\d+)$")


@dataclass
class PublishOutcome:
    ok: bool
    name: str | None
    version: str | None
    report: dict = field(default_factory=dict)
    version_id: int | None = None

    @property
    def problems(self) -> list[dict]:
        return self.report.get("problems", [])


def publish(actor, inputs: list[Path], metadata: dict | None = None, department: str | None = None,
            progress=None, dry_run: bool = False) -> PublishOutcome:
    """Publish (or with dry_run only check) a dataset version. Bad input comes back as a report with
    ok=False and nothing stored; acting for a department the actor does not belong to raises NotAuthorized."""
    if not policies.can_use_console(actor):
        raise NotAuthorized("只有数据提供部门的工作人员可以发布数据")
    progress = progress or (lambda pct, step: None)
    meta = dict(metadata or {})
    if department:
        meta["department"] = department
    store = package_store()
    staging = store.new_staging()
    try:
        prepared = prepare([Path(p) for p in inputs], meta, staging, limits(), progress, pseudonym_key())
        descriptor, report = prepared.descriptor, prepared.report
        dept = _department(descriptor.get("department"), report)
        if dept is not None and not policies.can_publish(actor, dept):
            raise NotAuthorized(f"您不能以「{dept.title}」的名义发布数据")
        existing = _existing(descriptor.get("name"), dept, report)
        version = _next_version(existing, descriptor.get("version"), report)
        outcome = PublishOutcome(report.valid, descriptor.get("name"), version,
                                 dict(report.as_dict(), desensitization=prepared.desensitization))
        if not report.valid or dry_run:
            progress(100, "校验完成" if report.valid else "校验未通过")
            return outcome
        descriptor["version"] = version
        descriptor_hash = write_descriptor(descriptor, prepared.folder)
        progress(85, "写入数据存储")
        known = set(db.session.scalars(select(DatasetVersion.path)))
        try:
            rel = store.commit(prepared.folder, descriptor["name"], version, known)
        except StoreError as exc:
            report.add(str(exc), code="version-exists")
            return PublishOutcome(False, descriptor["name"], version, report.as_dict())
        try:
            progress(95, "登记目录")
            row = _record_version(actor, existing, dept, descriptor, descriptor_hash, rel, prepared.row_counts,
                                  prepared.desensitization)
            row.signature = signatures.sign_stored(rel)  # art. 47: over the exact stored datapackage.json bytes
            db.session.commit()
        except BaseException:
            db.session.rollback()
            store.discard(rel)
            raise
        _refresh_index(descriptor["name"])
        progress(100, "发布完成")
        outcome.version_id = row.id
        return outcome
    finally:
        store.cleanup(staging)


def _refresh_index(name: str) -> None:
    """After the commit: the catalog is right even if the index is not; `portal reindex` repairs it."""
    from flask import current_app

    from . import search

    try:
        search.index_datasets([name])
    except Exception:
        current_app.logger.exception("search index update failed for %s; run `portal reindex`", name)


def remove(actor, name: str, reason: str) -> None:
    """Take a dataset out of the catalog (the data authority only). Versions stay stored for the
    record; the entry is no longer listed, shown or searchable."""
    if not policies.can_remove_dataset(actor):
        raise NotAuthorized("只有数据主管部门可以下架数据集")
    if not (reason or "").strip():
        raise ValidationError("请填写下架原因")
    dataset = db.session.scalar(select(Dataset).where(Dataset.name == name))
    if dataset is None or dataset.current_version_id is None:
        raise NotFound(f"数据集「{name}」不存在")
    version = dataset.current_version.version
    dataset.current_version_id = None
    audit.record(actor, "dataset.remove", "dataset", name, {"version": version, "reason": reason.strip()})
    db.session.commit()
    _refresh_index(name)


def _department(value, report) -> Department | None:
    if not value:
        return None  # the catalog check already reports the missing department
    dept = db.session.scalar(select(Department).where((Department.title == value) | (Department.slug == value)))
    if dept is None:
        report.add(f"数据提供部门「{value}」未在平台登记，请联系数据主管部门", field="department", code="department")
    return dept


def _existing(name, dept, report) -> Dataset | None:
    if not name:
        return None
    dataset = db.session.scalar(select(Dataset).where(Dataset.name == name))
    if dataset is not None and dept is not None and dataset.department_id != dept.id:
        report.add(f"数据集标识「{name}」已被「{dataset.department.title}」使用，请换一个标识", field="name",
                   code="name-taken")
    return dataset


def _next_version(existing: Dataset | None, requested, report) -> str:
    versions = [_parse(v.version) for v in existing.versions] if existing else []
    latest = max(versions, default=None)
    if requested and VERSION.match(str(requested)):
        if latest is not None and _parse(requested) <= latest:
            report.add(f"版本号 {requested} 不高于已发布的最新版本 {'.'.join(map(str, latest))}；"
                       "已发布的版本不可覆盖，请提高版本号或留空自动递增", field="version", code="version-exists")
        return requested
    if latest is None:
        return "1.0.0"
    return f"{latest[0]}.{latest[1] + 1}.0"


def _parse(version: str) -> tuple[int, int, int]:
    match = VERSION.match(version)
    return tuple(int(x) for x in match.groups()) if match else (0, 0, 0)


def _record_version(actor, dataset, dept, descriptor, descriptor_hash, rel, row_counts,
                    desensitization) -> DatasetVersion:
    now = utcnow()
    if dataset is None:
        dataset = Dataset(name=descriptor["name"], created_at=now)
        db.session.add(dataset)
    resources = descriptor["resources"]
    dataset.title = descriptor["title"]
    dataset.description = descriptor["description"]
    dataset.department = dept
    dataset.domain = descriptor["domain"]
    dataset.open_access = descriptor["open_access"]
    dataset.open_access_basis = descriptor.get("open_access_basis") or None
    dataset.share_access = descriptor["share_access"]
    dataset.update_frequency = descriptor["update_frequency"]
    dataset.license = (descriptor.get("licenses") or [{}])[0].get("name")
    dataset.keywords = list(descriptor.get("keywords", []))
    dataset.contact = dict(descriptor.get("contact", {}))
    dataset.formats = sorted({r.get("format", "") for r in resources})
    dataset.updated_at = now
    version = DatasetVersion(dataset=dataset, version=descriptor["version"], path=rel, descriptor=descriptor,
                             descriptor_hash=descriptor_hash, published_at=now, desensitization_report=desensitization,
                             published_by_id=getattr(actor, "id", None))
    db.session.add(version)
    for position, r in enumerate(resources):
        db.session.add(Resource(version=version, position=position, name=r["name"], title=r.get("title"),
                                path=r["path"], format=r.get("format", ""), mediatype=r.get("mediatype", ""),
                                bytes=r["bytes"], hash=r["hash"].split(":")[-1], row_count=row_counts.get(r["name"]),
                                schema=r.get("schema")))
    db.session.flush()
    dataset.current_version_id = version.id
    audit.record(actor, "dataset.publish", "dataset", dataset.name,
                 {"version": version.version, "descriptor_hash": descriptor_hash, "path": rel})
    return version


METADATA_KEYS = ("title", "description", "domain", "keywords", "open_access", "open_access_basis", "share_access",
                 "update_frequency", "licenses", "contact")


def republish_metadata(actor, name: str, changes: dict, note: str = "", before_commit=None) -> DatasetVersion:
    """Publish a new minor version of a dataset whose catalog attributes change while its data does not
    (an approved catalog change, art. 45). A value of None or "" removes the attribute.

    The resource files are the current version's: already-desensitized files are copied as they are,
    never desensitized again (hashing a hash would change the data). Files that were never desensitized
    because the entry was closed go through the desensitization stage when the entry opens (art. 44 ¶2).
    Refused with a ValidationError, nothing stored, when the catalog check fails or personal fields lack
    a desensitization decision for unconditional opening. `before_commit(version)` lets the caller write
    its own rows in the same transaction. Same crash-safety order as `publish`."""
    dataset = db.session.scalar(select(Dataset).where(Dataset.name == name))
    if dataset is None or dataset.current_version is None:
        raise NotFound(f"数据集「{name}」不存在")
    if not policies.can_publish(actor, dataset.department):
        raise NotAuthorized(f"您不能以「{dataset.department.title}」的名义发布数据")
    unknown = sorted(set(changes) - set(METADATA_KEYS))
    if not changes or unknown:
        raise ValidationError("只能更改目录属性：" + "、".join(METADATA_KEYS))
    current = dataset.current_version
    version = _next_version(dataset, None, None)
    store = package_store()
    staging = store.new_staging()
    try:
        source = staging / "source"
        shutil.copytree(store.path(current.path), source, copy_function=shutil.copyfile)  # stored files are read-only
        descriptor = json.loads((source / "datapackage.json").read_text(encoding="utf-8"))
        for key, value in changes.items():
            if value is None or value == "":
                descriptor.pop(key, None)
            else:
                descriptor[key] = value
        descriptor["version"] = version
        write_descriptor(descriptor, source)
        if _never_desensitized(current) and descriptor.get("open_access") != "closed":
            prepared = prepare([source], {}, staging, limits(), None, pseudonym_key())
            problems = [p.message for p in prepared.report.problems]
            folder, descriptor = prepared.folder, prepared.descriptor
            row_counts, desensitization = prepared.row_counts, prepared.desensitization
        else:
            problems = [p.message for p in check_catalog(descriptor)] + _undecided_pii(descriptor)
            folder, row_counts = source, {r.name: r.row_count for r in current.resources}
            desensitization = current.desensitization_report
        if problems:
            raise ValidationError("；".join(problems), details=problems)
        descriptor_hash = write_descriptor(descriptor, folder)
        known = set(db.session.scalars(select(DatasetVersion.path)))
        try:
            rel = store.commit(folder, name, version, known)
        except StoreError as exc:
            raise ValidationError(str(exc)) from exc
        try:
            row = _record_version(actor, dataset, dataset.department, descriptor, descriptor_hash, rel, row_counts,
                                  desensitization)
            db.session.expire(dataset, ["current_version"])  # loaded above; _record_version moved the id
            row.signature = signatures.sign_stored(rel)
            audit.record(actor, "dataset.republish_metadata", "dataset", name,
                         {"version": version, "attributes": sorted(changes), "note": note})
            if before_commit is not None:
                before_commit(row)
            db.session.commit()
        except BaseException:
            db.session.rollback()
            store.discard(rel)
            raise
        _refresh_index(name)
        return row
    finally:
        store.cleanup(staging)


def _never_desensitized(version: DatasetVersion) -> bool:
    """A closed entry's files are stored as received (packages.desensitize skips them)."""
    report = version.desensitization_report
    return not report or "skipped" in report


def _undecided_pii(descriptor: dict) -> list[str]:
    if descriptor.get("open_access") != "unconditional":
        return []
    return [f"资源「{r.get('name')}」的字段「{f.get('name')}」标注为个人信息（{f['pii']}）但没有脱敏处理，"
            "不能改为无条件开放；请数据提供部门脱敏后重新发布（第四十四条第二款）"
            for r in descriptor.get("resources", []) for f in (r.get("schema") or {}).get("fields", [])
            if f.get("pii") and not f.get("desensitize")]
