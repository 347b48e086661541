"""CKAN-shaped read models of the public catalog (the shapes of CKAN 2.10's action API).

Only catalog metadata leaves here: no grants, applications, accounts or download logs, and no
file-system paths. Every resource `url` is the gated download route
`/datasets/<name>/resources/<resource>` (it checks the open attribute and grants on each request),
except for closed entries (不予开放), whose resources point to the dataset page: the gated route
would refuse everybody.

Ids are UUIDs derived (uuid5) from stable names, so they survive new versions and reinstalls:
package `dataset/<name>`, resource `resource/<name>/<resource name>`, organization
`organization/<slug>`, group `group/<domain>`, tag `tag/<keyword>`. Lookups accept the UUID or
the name (`<name>/<resource name>` for a resource).
"""

import uuid

from flask import request, url_for
from sqlalchemy import func, select
from sqlalchemy.orm import joinedload

from ..errors import NotFound, ValidationError
from ..extensions import db
from ..models import Dataset, DatasetVersion, Department, Resource

CKAN_VERSION = "2.10.5"  # whose action API shapes we follow
SITE_TITLE = "南阳市政务数据开放平台"
SITE_DESCRIPTION = "南阳市政务数据开放目录与数据下载（《南阳市政务数据管理办法》第七章）"
NAMESPACE = uuid.UUID("6f1c7a52-2b8e-5d3a-9c41-0e5f2a7b9d13")  # fixed: ids never depend on the host
LICENSES = {  # our licence ids -> (title, url, open per the Open Definition)
    "CC-BY-4.0": ("Creative Commons Attribution 4.0", "https://creativecommons.org/licenses/by/4.0/", True),
    "CC0-1.0": ("Creative Commons CCZero 1.0", "https://creativecommons.org/publicdomain/zero/1.0/", True),
    "ODC-BY-1.0": ("Open Data Commons Attribution License 1.0", "https://opendatacommons.org/licenses/by/1-0/",
                   True),
    "ODbL-1.0": ("Open Data Commons Open Database License 1.0", "https://opendatacommons.org/licenses/odbl/1-0/",
                 True),
}
MAX_ROWS = 1000  # CKAN's ckan.search.rows_max and group list maximum


def make_id(kind: str, *names: str) -> str:
    return str(uuid.uuid5(NAMESPACE, "/".join((kind, *names))))


def _iso(value) -> str | None:
    return value.isoformat() if value else None


def _published():
    return Dataset.current_version_id.is_not(None)


def _with_everything(query):
    return query.options(joinedload(Dataset.department),
                         joinedload(Dataset.current_version).selectinload(DatasetVersion.resources))


# -- packages ----------------------------------------------------------------------------------
def package_names(limit: int | None = None, offset: int = 0) -> list[str]:
    query = select(Dataset.name).where(_published()).order_by(Dataset.name).offset(offset)
    return list(db.session.scalars(query.limit(limit) if limit is not None else query))


def package(id_or_name: str) -> dict:
    return package_dict(_dataset(id_or_name))


def packages(names: list[str]) -> list[dict]:
    """Package dicts of these datasets, in the given order (search results)."""
    if not names:
        return []
    rows = {d.name: d for d in db.session.scalars(_with_everything(select(Dataset).where(
        Dataset.name.in_(names), _published())))}
    return [package_dict(rows[n]) for n in names if n in rows]


def _dataset(id_or_name: str) -> Dataset:
    name = id_or_name
    if _looks_like_uuid(id_or_name):
        name = next((n for n in db.session.scalars(select(Dataset.name).where(_published()))
                     if make_id("dataset", n) == id_or_name.lower()), id_or_name)
    dataset = db.session.scalar(_with_everything(select(Dataset).where(Dataset.name == name, _published())))
    if dataset is None:
        raise NotFound(f"数据集「{id_or_name}」不存在")
    return dataset


def _looks_like_uuid(value: str) -> bool:
    try:
        uuid.UUID(value)
    except ValueError:
        return False
    return len(value) == 36


def package_dict(d: Dataset) -> dict:
    version = d.current_version
    contact = d.contact or {}
    title, url, is_open = LICENSES.get(d.license or "", (d.license or "", "", False))
    tags = [tag_dict(k) for k in d.keywords or []]
    descriptor = {r.get("name"): r for r in (version.descriptor or {}).get("resources", []) if isinstance(r, dict)}
    resources = [resource_dict(d, version, r, descriptor.get(r.name, {})) for r in version.resources]
    extras = {"open_access": d.open_access, "open_access_basis": d.open_access_basis, "share_access": d.share_access,
              "update_frequency": d.update_frequency, "domain": d.domain, "department": d.department.title}
    return {
        "id": make_id("dataset", d.name), "name": d.name, "title": d.title, "notes": d.description,
        "url": url_for("catalog.dataset", name=d.name, _external=True), "version": version.version,
        "state": "active", "type": "dataset", "private": False,
        "metadata_created": _iso(d.created_at), "metadata_modified": _iso(d.updated_at),
        "license_id": d.license or "", "license_title": title, "license_url": url,
        "isopen": bool(is_open and d.open_access == "unconditional"),
        "author": d.department.title, "author_email": None,
        "maintainer": contact.get("name") or None, "maintainer_email": contact.get("email") or None,
        "creator_user_id": None,
        "organization": organization_dict(d.department), "owner_org": make_id("organization", d.department.slug),
        "tags": tags, "num_tags": len(tags),
        "groups": [group_dict(d.domain)] if d.domain else [],
        "extras": [{"key": k, "value": v} for k, v in extras.items() if v is not None],
        "resources": resources, "num_resources": len(resources),
        "relationships_as_object": [], "relationships_as_subject": [],
    }


def resource_dict(d: Dataset, version: DatasetVersion, r: Resource, described: dict) -> dict:
    if d.open_access == "closed":  # 不予开放: only the catalog entry is public
        url = url_for("catalog.dataset", name=d.name, _external=True)
    else:  # the gated route decides per request: verified identity, grant, scope
        url = url_for("downloads.resource", name=d.name, resource=r.name, _external=True)
    return {
        "id": make_id("resource", d.name, r.name), "package_id": make_id("dataset", d.name),
        "name": r.title or r.name, "description": str(described.get("description") or ""),
        "format": (r.format or "").upper(), "mimetype": r.mediatype or None, "mimetype_inner": None,
        "url": url, "url_type": None, "size": r.bytes, "hash": r.hash, "position": r.position,
        "created": _iso(version.published_at), "last_modified": _iso(version.published_at),
        "metadata_modified": _iso(version.published_at), "state": "active", "resource_type": None,
        "cache_url": None, "datastore_active": False,
    }


def resource(id_or_name: str) -> dict:
    dataset_name = resource_name = None
    if "/" in id_or_name:
        dataset_name, _, resource_name = id_or_name.partition("/")
    elif _looks_like_uuid(id_or_name):
        pairs = db.session.execute(select(Dataset.name, Resource.name).join(
            Resource, Resource.version_id == Dataset.current_version_id)).all()
        dataset_name, resource_name = next(((dn, rn) for dn, rn in pairs
                                            if make_id("resource", dn, rn) == id_or_name.lower()), (None, None))
    if dataset_name:
        dataset = db.session.scalar(_with_everything(select(Dataset).where(Dataset.name == dataset_name,
                                                                            _published())))
        if dataset is not None:
            found = next((p for p in package_dict(dataset)["resources"]
                          if p["id"] == make_id("resource", dataset_name, resource_name)), None)
            if found is not None:
                return found
    raise NotFound(f"资源「{id_or_name}」不存在")


# -- tags and groups -----------------------------------------------------------------------------
def tag_dict(keyword: str) -> dict:
    return {"id": make_id("tag", keyword), "name": keyword, "display_name": keyword, "state": "active",
            "vocabulary_id": None}


def group_dict(domain: str) -> dict:
    """The dataset's domain (所属领域) as a CKAN group (`fq=groups:<domain>` filters by it)."""
    return {"id": make_id("group", domain), "name": domain, "title": domain, "display_name": domain,
            "description": "", "image_display_url": ""}


def tags(query: str = "", all_fields: bool = False) -> list:
    names: set[str] = set()
    for keywords in db.session.scalars(select(Dataset.keywords).where(_published())):
        names.update(k for k in keywords or [] if isinstance(k, str))
    wanted = (query or "").casefold()
    found = sorted(n for n in names if wanted in n.casefold())
    if all_fields:
        return [{"id": make_id("tag", n), "name": n, "vocabulary_id": None} for n in found]
    return found


# -- organizations (departments) ---------------------------------------------------------------
def organization_dict(department: Department, package_count: int | None = None) -> dict:
    org = {"id": make_id("organization", department.slug), "name": department.slug, "title": department.title,
           "display_name": department.title, "description": department.description or "", "type": "organization",
           "is_organization": True, "state": "active", "approval_status": "approved", "image_url": "",
           "image_display_url": "", "created": _iso(department.created_at)}
    if package_count is not None:
        org["package_count"] = package_count
        org["num_followers"] = 0
    return org


def _counts() -> dict[int, int]:
    return dict(db.session.execute(select(Dataset.department_id, func.count()).where(_published())
                                   .group_by(Dataset.department_id)).all())


ORG_SORTS = {"name": lambda o: o["name"], "title": lambda o: o["title"], "package_count": lambda o: o["package_count"]}


def organizations(all_fields: bool = False, sort: str = "", limit: int | None = None, offset: int = 0,
                  only: list[str] | None = None, include_dataset_count: bool = True) -> list:
    counts = _counts()
    departments = db.session.scalars(select(Department).order_by(Department.id)).all()
    orgs = [organization_dict(d, counts.get(d.id, 0)) for d in departments
            if only is None or d.slug in only or make_id("organization", d.slug) in only]
    field, _, direction = (sort or "title asc").strip().partition(" ")
    direction = direction.strip().lower() or "asc"
    if field not in ORG_SORTS or direction not in ("asc", "desc"):
        raise ValidationError(f"不支持的排序方式「{sort}」", [{"field": "sort", "message": "排序字段须为 name、title 或 "
                                                        "package_count，方向为 asc 或 desc"}])
    orgs.sort(key=lambda o: (ORG_SORTS[field](o), o["name"]), reverse=direction == "desc")
    orgs = orgs[offset:offset + (limit if limit is not None else MAX_ROWS)]
    if not all_fields:
        return [o["name"] for o in orgs]
    if not include_dataset_count:
        for o in orgs:
            o.pop("package_count")
    return orgs


def organization(id_or_name: str, include_datasets: bool = False, include_dataset_count: bool = True) -> dict:
    department = db.session.scalar(select(Department).where(Department.slug == id_or_name))
    if department is None and _looks_like_uuid(id_or_name):
        department = next((d for d in db.session.scalars(select(Department))
                           if make_id("organization", d.slug) == id_or_name.lower()), None)
    if department is None:
        raise NotFound(f"部门「{id_or_name}」不存在")
    org = organization_dict(department, _counts().get(department.id, 0))
    org |= {"extras": [], "tags": [], "groups": []}
    if not include_dataset_count:
        org.pop("package_count")
    if include_datasets:
        rows = db.session.scalars(_with_everything(select(Dataset).where(
            Dataset.department_id == department.id, _published())
            .order_by(Dataset.updated_at.desc(), Dataset.id).limit(MAX_ROWS))).unique()
        org["packages"] = [package_dict(d) for d in rows]
    return org


# -- the site --------------------------------------------------------------------------------------
def status() -> dict:
    return {"site_title": SITE_TITLE, "site_description": SITE_DESCRIPTION,
            "site_url": request.host_url.rstrip("/"), "ckan_version": CKAN_VERSION, "error_emails_to": None,
            "locale_default": "zh_Hans_CN", "extensions": []}

