"""/api/v1 — envelope {"ok": true, "data": …} / {"ok": false, "error": …} (errors mapped in portal.errors).

Each view's docstring carries its OpenAPI operation as YAML after `---`; portal/api/openapi.py
builds /api/v1/openapi.json from them and from the service dataclasses. Thin: parse, call a
service, shape the JSON.
"""

from dataclasses import asdict

from flask import Blueprint, current_app, jsonify, render_template, request, url_for
from flask_login import current_user

from ..errors import ValidationError
from ..search.base import FACETS
from ..services import datasets as catalog
from ..services import deadlines, downloads, search
from ..services.views import DepartmentInfo, ResourceInfo, VersionInfo
from ..views.downloads import deliver
from . import openapi
from .auth import require_known_requester

bp = Blueprint("api_v1", __name__, url_prefix="/api/v1")

MAX_PAGE = 10_000
MAX_PER_PAGE = 100
SEARCH_PARAMETERS = {"q", "sort", "page", "per_page", *FACETS}


def _int_arg(name: str, default: int, low: int, high: int) -> int:
    """An integer query parameter in [low, high]; anything else is the client's mistake (422)."""
    value = request.args.get(name)
    if value is None or value == "":
        return default
    if not (value.isascii() and value.isdigit()) or len(value) > 7 or not low <= int(value) <= high:
        raise ValidationError(f"参数 {name} 须为 {low} 到 {high} 之间的整数", [{"parameter": name, "value": value[:50]}])
    return int(value)


def _pagination(default_per_page: int = 20) -> tuple[int, int]:
    return _int_arg("page", 1, 1, MAX_PAGE), _int_arg("per_page", default_per_page, 1, MAX_PER_PAGE)


def _paged(items: list, page: int, per_page: int, total: int | None = None) -> dict:
    """The page object of every collection: total, page, per_page, pages, items."""
    total = len(items) if total is None else total
    return {"total": total, "page": page, "per_page": per_page, "pages": max(1, -(-total // per_page)),
            "items": items}


def _slice(items: list, page: int, per_page: int) -> dict:
    return _paged(items[(page - 1) * per_page: page * per_page], page, per_page, len(items))


def _ok(data, status: int = 200):
    return jsonify({"ok": True, "data": data}), status


def _stamp(value) -> str | None:
    return value.isoformat() + "Z" if value is not None else None  # stored naive, in UTC


def dataset_json(d) -> dict:
    return {"name": d.name, "title": d.title, "description": d.description, "department": d.department,
            "department_slug": d.department_slug, "domain": d.domain, "open_access": d.open_access,
            "update_frequency": d.update_frequency, "keywords": d.keywords, "formats": d.formats,
            "version": d.version, "updated_at": d.updated_at.isoformat() + "Z", "downloads": d.downloads,
            "url": url_for("catalog.dataset", name=d.name, _external=True),
            "datapackage": url_for("catalog.datapackage", name=d.name, _external=True)}


def resource_json(dataset: str, r: ResourceInfo, current: bool) -> dict:
    url = url_for("api_v1.resource_download", name=dataset, resource=r.name, _external=True) if current else None
    return {"name": r.name, "title": r.title, "path": r.path, "format": r.format, "mediatype": r.mediatype,
            "bytes": r.bytes, "hash": r.hash, "rows": r.row_count, "fields": r.fields, "download_url": url}


def version_json(dataset: str, v: VersionInfo, current_version: str | None) -> dict:
    current = v.version == current_version
    return {"version": v.version, "published_at": _stamp(v.published_at), "descriptor_hash": v.descriptor_hash,
            "desensitization_report": v.desensitization_report, "current": current,
            "resources": [resource_json(dataset, r, current) for r in v.resources]}


def department_json(d: DepartmentInfo) -> dict:
    return {"slug": d.slug, "title": d.title, "description": d.description, "dataset_count": d.dataset_count,
            "url": url_for("catalog.department", slug=d.slug, _external=True),
            "datasets_url": url_for("api_v1.datasets", department=d.slug, _external=True)}


@bp.get("/datasets")
@openapi.annotate(get={"parameters": openapi.search_parameters()})
def datasets():
    """Search and list the catalog.
    ---
    get:
      summary: 检索与浏览数据集
      description: 全文检索（q）加分面筛选与排序；不提供 q 时按目录列出。未知的查询参数返回 422。
      tags: [数据集]
      parameters: [page, per_page]
      responses:
        "200":
          description: 一页数据集，含各分面的计数
          content:
            application/json:
              schema: {x-envelope: SearchResult}
        "422": Unprocessable
    """
    unknown = sorted(set(request.args) - SEARCH_PARAMETERS)
    if unknown:
        raise ValidationError(f"不支持的查询参数「{unknown[0][:50]}」", [{"parameter": k[:50]} for k in unknown]
                              + [{"allowed": sorted(SEARCH_PARAMETERS)}])
    filters = {k: request.args.get(k, "") for k in FACETS if request.args.get(k)}
    page, per_page = _pagination(current_app.config["PAGE_SIZE"])
    found = search.search(current_user, request.args.get("q", ""), filters, request.args.get("sort", ""),
                          page, per_page)
    page = found.page
    return jsonify({"ok": True, "data": {
        "query": found.query, "sort": found.sort, "total": page.total, "page": page.page, "per_page": page.per_page,
        "pages": page.pages, "items": [dataset_json(d) for d in page.items], "facets": found.facets}})


@bp.get("/datasets/<name>")
def dataset(name):
    """One dataset.
    ---
    get:
      summary: 数据集详情
      description: 目录信息、当前版本、资源（格式、字节数、sha256、行数、信息项、受控下载地址）和版本历史。
      tags: [数据集]
      parameters: [name]
      responses:
        "200":
          description: 数据集详情
          content:
            application/json:
              schema: {x-envelope: DatasetDetail}
        "404": NotFound
    """
    d = catalog.get_dataset(current_user, name)
    versions = [version_json(d.name, v, d.version) for v in d.history]
    data = dataset_json(d) | {
        "open_access_basis": d.open_access_basis, "share_access": d.share_access, "license": d.license,
        "contact": d.contact, "created_at": _stamp(d.created_at),
        "current": next((v for v in versions if v["current"]), None), "versions": versions,
        "package_url": url_for("api_v1.package_download", name=d.name, _external=True)}
    return _ok(data)


@bp.get("/datasets/<name>/versions")
def versions(name):
    """Published versions, newest first.
    ---
    get:
      summary: 数据集的版本历史
      tags: [数据集]
      parameters: [name, page, per_page]
      responses:
        "200":
          description: 一页版本（最新在前）
          content:
            application/json:
              schema: {x-envelope: {x-page: Version}}
        "404": NotFound
        "422": Unprocessable
    """
    page, per_page = _pagination()
    d = catalog.get_dataset(current_user, name)
    items = sorted(d.history, key=lambda v: v.published_at, reverse=True)
    return _ok(_slice([version_json(d.name, v, d.version) for v in items], page, per_page))


@bp.get("/datasets/<name>/resources")
def resources(name):
    """The current version's resources.
    ---
    get:
      summary: 当前版本的数据资源
      tags: [数据集]
      parameters: [name, page, per_page]
      responses:
        "200":
          description: 一页资源，含受控下载地址
          content:
            application/json:
              schema: {x-envelope: {x-page: Resource}}
        "404": NotFound
        "422": Unprocessable
    """
    page, per_page = _pagination()
    d = catalog.get_dataset(current_user, name)
    items = [resource_json(d.name, r, True) for r in (d.current.resources if d.current else [])]
    return _ok(_slice(items, page, per_page))


@bp.get("/departments")
def departments():
    """Departments that publish data.
    ---
    get:
      summary: 数据提供部门
      description: 按已发布数据集数量从多到少。
      tags: [部门]
      parameters: [page, per_page]
      responses:
        "200":
          description: 一页部门
          content:
            application/json:
              schema: {x-envelope: {x-page: Department}}
        "422": Unprocessable
    """
    page, per_page = _pagination()
    return _ok(_slice([department_json(d) for d in catalog.list_departments(current_user)], page, per_page))


@bp.get("/departments/<slug>")
def department(slug):
    """One department.
    ---
    get:
      summary: 部门详情
      description: 含已发布数据集数量和该部门数据集列表的链接（datasets_url）。
      tags: [部门]
      parameters: [{name: slug, in: path, required: true, description: 部门标识, schema: {type: string}}]
      responses:
        "200":
          description: 部门
          content:
            application/json:
              schema: {x-envelope: Department}
        "404": NotFound
    """
    return _ok(department_json(catalog.get_department(current_user, slug)))


@bp.get("/datasets/<name>/resources/<resource>")
@openapi.annotate(get=openapi.download_operation(openapi.RESOURCE_TYPES, resource=True))
def resource_download(name, resource):
    """Download one resource of the current version.
    ---
    get:
      summary: 下载数据资源（受控）
      description: 须以 Authorization（Bearer 令牌）调用（已登录的会话亦可）；有条件开放的数据还须持有效授权。支持 Range 与 ETag 条件请求；每次下载记入审计日志。
      tags: [下载]
    """
    return deliver(lambda: downloads.resource_file(current_user, name, resource, via="api"))


@bp.get("/datasets/<name>/package.zip")
@openapi.annotate(get=openapi.download_operation(["application/zip"]))
def package_download(name):
    """Download the whole data package.
    ---
    get:
      summary: 下载整个数据包（zip）
      description: 含 datapackage.json 与全部（或获授权的）资源；授权规则同单个资源。
      tags: [下载]
    """
    return deliver(lambda: downloads.package_zip(current_user, name, via="api"))


@bp.get("/downloads")
def my_downloads():
    """The requester's own download history (Bearer token or session).
    ---
    get:
      summary: 我的下载记录
      tags: [下载]
      security: [{bearerAuth: []}]
      parameters: [page, per_page]
      responses:
        "200":
          description: 一页下载记录（最新在前）
          content:
            application/json:
              schema: {x-envelope: {x-page: Download}}
        "401": Unauthorized
        "422": Unprocessable
    """
    require_known_requester(current_user)
    page, per_page = _pagination()
    page = downloads.history(current_user, page, per_page)
    items = [{"at": r.at.isoformat() + "Z", "dataset": r.dataset, "version": r.version, "resource": r.resource,
              "bytes": r.bytes, "sha256": r.sha256, "via": r.via} for r in page.items]
    return _ok(_paged(items, page.page, page.per_page, page.total))


@bp.get("/figures")
def figures():
    """Accountability figures of every process with a clock.
    ---
    get:
      summary: 部门办理统计（申请、目录更正、问题数据、数据需求）
      description: 每个部门每类事项：收到、按期答复、逾期答复、办理中、办理中且已超期、用时中位数（工作日）。部门工作人员看本部门，数据主管部门看全部或 department 指定部门。
      tags: [统计]
      security: [{bearerAuth: []}]
      parameters:
        - {name: department, in: query, description: 部门标识, schema: {type: string}}
      responses:
        "200":
          description: 各部门各类事项的统计
          content:
            application/json: {schema: {x-envelope: {type: array, items: {$ref: "#/components/schemas/DepartmentFigures"}}}}
        "401": Unauthorized
        "403": Forbidden
        "404": NotFound
    """
    require_known_requester(current_user)
    rows = deadlines.figures(current_user, request.args.get("department") or None)
    return _ok([asdict(r) for r in rows])


@bp.get("/openapi.json")
def openapi_document():
    """This API's OpenAPI 3.1 document.
    ---
    get:
      summary: OpenAPI 3.1 接口描述文档
      tags: [文档]
      responses:
        "200":
          description: OpenAPI 文档（本身不使用信封）
          content:
            application/json:
              schema: {type: object, required: [openapi, info, paths], properties: {openapi: {type: string}}}
    """
    response = jsonify(openapi.document())
    response.headers["Access-Control-Allow-Origin"] = "*"
    return response


@bp.get("/docs")
def docs():
    """Browsable documentation, rendered on the server from the same document.
    ---
    get:
      summary: 接口文档（网页）
      tags: [文档]
      responses:
        "200":
          description: HTML 页面
          content:
            text/html: {schema: {type: string}}
    """
    doc = openapi.document()
    return render_template("api/docs.html", doc=doc, operations=openapi.pages(doc),
                           describe=lambda schema: openapi.describe_schema(doc, schema))
