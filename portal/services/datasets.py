"""Catalog reads: dataset lists with filters and facet counts, dataset pages, previews, departments."""

import json

from sqlalchemy import exists, func, select, text

from .. import policies
from ..errors import NotAuthorized, NotFound, ValidationError
from ..extensions import db
from ..models import OPEN_ACCESS, UPDATE_FREQUENCIES, Dataset, DatasetVersion, Department, Resource
from ..search.base import FACETS
from .store import package_store
from .views import (
    FREQUENCY_LABELS,
    OPEN_ACCESS_LABELS,
    DatasetDetail,
    DatasetSummary,
    DepartmentInfo,
    Page,
    ResourceInfo,
    VersionInfo,
)

# The filters of the SQL listing are the search facets (portal.search.base declares them once).
FILTERS = FACETS
ENUMERATED = {"open_access": OPEN_ACCESS, "update_frequency": UPDATE_FREQUENCIES}
SORTS = {"newest": ("最近更新", Dataset.updated_at.desc()), "downloads": ("下载最多", Dataset.download_count.desc()),
         "title": ("标题", Dataset.title.asc())}
MAX_PAGE = 10_000


def check_filters(filters: dict) -> None:
    for key, value in filters.items():
        if key not in FILTERS:
            raise ValidationError(f"不支持的筛选条件「{key}」")
        if key in ENUMERATED and value and value not in ENUMERATED[key]:
            raise ValidationError(f"{FILTERS[key]}的取值“{value}”无效")


def _filtered(filters: dict) -> "select":
    check_filters(filters)
    query = select(Dataset).where(Dataset.current_version_id.is_not(None))
    for key, value in filters.items():
        if not value:
            continue
        if key == "keyword":
            query = query.where(_has_keyword(value))
        elif key == "department":
            query = query.where(Dataset.department.has(Department.slug == value))
        elif key == "format":
            query = query.where(exists().where(Resource.version_id == Dataset.current_version_id,
                                               Resource.format == value.lower()))
        else:
            query = query.where(getattr(Dataset, key) == value)
    return query


def list_datasets(actor, filters: dict | None = None, sort: str = "newest", page: int = 1,
                  per_page: int = 20) -> Page:
    filters = filters or {}
    if sort not in SORTS:
        raise ValidationError(f"不支持的排序方式「{sort}」")
    page = min(max(1, page), MAX_PAGE)
    query = _filtered(filters)
    total = db.session.scalar(select(func.count()).select_from(query.subquery()))
    rows = db.session.scalars(query.order_by(SORTS[sort][1], Dataset.id)
                              .offset((page - 1) * per_page).limit(per_page)).all()
    return Page([_summary(d) for d in rows], total, page, per_page)


def _has_keyword(value: str):
    """JSON array membership, in each dialect's own words."""
    if db.engine.dialect.name == "postgresql":
        return text("CAST(dataset.keywords AS jsonb) ? :keyword").bindparams(keyword=value)
    return text("EXISTS (SELECT 1 FROM json_each(dataset.keywords) WHERE json_each.value = :keyword)"
                ).bindparams(keyword=value)


def facets(actor, filters: dict | None = None) -> dict[str, list[dict]]:
    """Counts per value for each facet, with every active filter applied."""
    base = _filtered(filters or {}).subquery()
    result: dict[str, list[dict]] = {}
    dept = db.session.execute(select(Department.slug, Department.title, func.count())
                              .join(base, base.c.department_id == Department.id)
                              .group_by(Department.slug, Department.title).order_by(func.count().desc())).all()
    result["department"] = [{"value": s, "label": t, "count": c} for s, t, c in dept]
    for key, labels in (("domain", None), ("open_access", OPEN_ACCESS_LABELS), ("update_frequency", FREQUENCY_LABELS)):
        column = getattr(base.c, key)
        rows = db.session.execute(select(column, func.count()).group_by(column).order_by(func.count().desc())).all()
        result[key] = [{"value": v, "label": (labels or {}).get(v, v), "count": c} for v, c in rows]
    fmt = db.session.execute(select(Resource.format, func.count(func.distinct(base.c.id)))
                             .join(base, base.c.current_version_id == Resource.version_id)
                             .group_by(Resource.format).order_by(func.count(func.distinct(base.c.id)).desc())).all()
    result["format"] = [{"value": v, "label": v.upper(), "count": c} for v, c in fmt]
    keywords: dict[str, int] = {}
    for row in db.session.execute(select(base.c.keywords)).scalars():
        for keyword in set(row or []):
            keywords[keyword] = keywords.get(keyword, 0) + 1
    top = sorted(keywords.items(), key=lambda kv: (-kv[1], kv[0]))[:30]
    result["keyword"] = [{"value": k, "label": k, "count": c} for k, c in top]
    return result


def summaries(actor, names: list[str]) -> list[DatasetSummary]:
    """Summaries of these datasets, in the given order (search results)."""
    rows = {d.name: d for d in db.session.scalars(select(Dataset).where(Dataset.name.in_(names)))}
    return [_summary(rows[n]) for n in names if n in rows and rows[n].current_version is not None]


def department_titles() -> dict[str, str]:
    return dict(db.session.execute(select(Department.slug, Department.title)).all())


def get_dataset(actor, name: str) -> DatasetDetail:
    dataset = _load(name)
    versions = [_version(v) for v in dataset.versions]
    detail = DatasetDetail(**_summary(dataset).__dict__, open_access_basis=dataset.open_access_basis,
                           share_access=dataset.share_access, license=dataset.license, contact=dataset.contact or {},
                           created_at=dataset.created_at, history=versions)
    detail.current = next((v for v in versions if v.version == detail.version), None)
    return detail


def preview(actor, name: str, limit: int = 20) -> list[dict]:
    """First rows of each tabular resource of the current version, for unconditional data only."""
    dataset = _load(name)
    if not policies.can_preview(actor, dataset):
        raise NotAuthorized("该数据集不提供公开预览")
    from anonymization.table import read_sample

    store = package_store()
    tables = []
    for resource in dataset.current_version.resources:
        if resource.format != "csv":
            continue
        header, rows = read_sample(store.path(dataset.current_version.path, resource.path), limit)
        tables.append({"name": resource.name, "title": resource.title or resource.name, "header": header, "rows": rows})
    return tables


def descriptor_json(actor, name: str) -> str:
    dataset = _load(name)
    path = package_store().path(dataset.current_version.path, "datapackage.json")
    return path.read_text(encoding="utf-8")


def home(actor) -> dict:
    published = Dataset.current_version_id.is_not(None)
    newest = db.session.scalars(select(Dataset).where(published).order_by(Dataset.updated_at.desc(), Dataset.id)
                                .limit(8)).all()
    domains = db.session.execute(select(Dataset.domain, func.count()).where(published)
                                 .group_by(Dataset.domain).order_by(func.count().desc())).all()
    return {
        "datasets": db.session.scalar(select(func.count()).where(published)) or 0,
        "departments": db.session.scalar(select(func.count(func.distinct(Dataset.department_id))).where(published)) or 0,
        "resources": db.session.scalar(select(func.count()).select_from(Resource)
                                       .join(Dataset, Dataset.current_version_id == Resource.version_id)) or 0,
        "rows": db.session.scalar(select(func.coalesce(func.sum(Resource.row_count), 0))
                                  .join(Dataset, Dataset.current_version_id == Resource.version_id)) or 0,
        "newest": [_summary(d) for d in newest],
        "domains": [{"value": d, "count": c} for d, c in domains],
        "by_department": list_departments(actor),
    }


def list_departments(actor) -> list[DepartmentInfo]:
    counts = dict(db.session.execute(select(Dataset.department_id, func.count())
                                     .where(Dataset.current_version_id.is_not(None))
                                     .group_by(Dataset.department_id)).all())
    departments = db.session.scalars(select(Department).order_by(Department.id)).all()
    infos = [DepartmentInfo(d.slug, d.title, d.description, counts.get(d.id, 0)) for d in departments]
    return sorted(infos, key=lambda i: -i.dataset_count)


def get_department(actor, slug: str) -> DepartmentInfo:
    department = db.session.scalar(select(Department).where(Department.slug == slug))
    if department is None:
        raise NotFound("部门不存在")
    count = db.session.scalar(select(func.count()).where(Dataset.department_id == department.id,
                                                        Dataset.current_version_id.is_not(None)))
    return DepartmentInfo(department.slug, department.title, department.description, count)


def _load(name: str) -> Dataset:
    dataset = db.session.scalar(select(Dataset).where(Dataset.name == name))
    if dataset is None or dataset.current_version is None:
        raise NotFound(f"数据集「{name}」不存在")
    return dataset


def _summary(d: Dataset) -> DatasetSummary:
    return DatasetSummary(
        name=d.name, title=d.title, description=d.description, department=d.department.title,
        department_slug=d.department.slug, domain=d.domain, open_access=d.open_access,
        update_frequency=d.update_frequency, keywords=list(d.keywords or []), formats=list(d.formats or []),
        updated_at=d.updated_at, version=d.current_version.version if d.current_version else None,
        downloads=d.download_count)


def _version(v: DatasetVersion) -> VersionInfo:
    return VersionInfo(
        version=v.version, published_at=v.published_at, descriptor_hash=v.descriptor_hash,
        desensitization_report=v.desensitization_report,
        resources=[ResourceInfo(r.name, r.title, r.path, r.format, r.mediatype, r.bytes, r.hash, r.row_count,
                                list((r.schema or {}).get("fields", []))) for r in v.resources])


def json_ld(detail: DatasetDetail, url: str) -> str:
    """schema.org Dataset markup for search engines (the same facts as the DCAT in services/dcat.py)."""
    from flask import url_for

    from .dcat import AUTHORITY, license_url

    def when(value):
        return value.replace(microsecond=0).isoformat() + "Z"

    department = {"@type": "GovernmentOrganization", "name": detail.department,
                  "url": url_for("catalog.department", slug=detail.department_slug, _external=True)}
    published = min((v.published_at for v in detail.history), default=detail.created_at or detail.updated_at)
    data = {
        "@context": "https://schema.org", "@type": "Dataset", "name": detail.title,
        "description": detail.description or detail.title, "url": url, "identifier": detail.name,
        "keywords": detail.keywords, "creator": department, "publisher": department,
        "provider": {"@type": "GovernmentOrganization", "name": AUTHORITY},
        "includedInDataCatalog": {"@type": "DataCatalog", "name": "南阳市政务数据开放平台",
                                  "url": url_for("catalog.home", _external=True)},
        "dateModified": when(detail.updated_at), "datePublished": when(published),
        "isAccessibleForFree": detail.open_access != "closed", "inLanguage": "zh-CN",
        "spatialCoverage": {"@type": "Place", "name": "南阳市"}, "version": detail.version,
    }
    if detail.license:
        data["license"] = license_url(detail.license) or detail.license
    data["conditionsOfAccess"] = {
        "unconditional": "无条件开放：经实名身份核验后可下载。",
        "conditional": "有条件开放：须向数据提供部门提出申请，经审核同意后在批准的范围和期限内使用（第四十六条）。"
                       f"依据：{detail.open_access_basis}",
        "closed": f"不予开放：仅公开目录信息，不提供数据（第四十三条）。依据：{detail.open_access_basis}",
    }[detail.open_access]
    resources = detail.current.resources if detail.current else []
    if detail.open_access != "closed":  # closed data is never served: no DataDownload to point at
        data["distribution"] = [
            {"@type": "DataDownload", "name": r.title or r.name, "encodingFormat": r.mediatype or r.format,
             "contentUrl": url_for("downloads.resource", name=detail.name, resource=r.name, _external=True),
             "contentSize": f"{r.bytes} B", "sha256": r.hash}
            for r in resources]
    fields = list(dict.fromkeys(f["name"] for r in resources for f in r.fields if f.get("name")))
    if fields:
        data["variableMeasured"] = fields
    return json.dumps(data, ensure_ascii=False).replace("</", "<\\/")
