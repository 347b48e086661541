"""The OpenAPI 3.1 document of /api/v1, generated from the code.

Paths come from `app.url_map` (every rule under /api/v1), operations from the YAML after `---` in
each view's docstring (apispec's convention), and the component schemas from the dataclasses the
services return (portal/services/views.py, portal/services/applications.py), turned into JSON
Schema 2020-12 by `dataclass_schema`. A route without a documented operation is left out of the
document, and tests/test_openapi.py fails on it.
"""

import dataclasses
import re
import types
import typing
from datetime import date, datetime

from apispec import APISpec
from apispec.yaml_utils import load_operations_from_docstring
from flask import current_app

from ..models import OPEN_ACCESS, UPDATE_FREQUENCIES
from ..search.base import FACETS, MAX_QUERY_LENGTH, SORTS
from ..services.applications import ApplicationDetail, ApplicationSummary, TimelineEntry
from ..services.cases import CaseDetail, CaseEventInfo, CaseSummary, CatalogChangeInfo
from ..services.deadlines import PROCESSES, DepartmentFigures
from ..services.views import (
    DatasetDetail,
    DatasetSummary,
    DepartmentInfo,
    DownloadRecord,
    ResourceInfo,
    VersionInfo,
)

PREFIX = "/api/v1"
METHODS = ("get", "post", "put", "patch", "delete")
NULL = {"type": "null"}


# -- dataclasses → JSON Schema -------------------------------------------------------------------
def type_schema(tp, refs: dict, naive_datetimes: bool = False) -> dict:
    """JSON Schema (2020-12, as OpenAPI 3.1 uses it) of one annotation."""
    origin = typing.get_origin(tp)
    if origin in (typing.Union, types.UnionType):
        options = [a for a in typing.get_args(tp) if a is not type(None)]
        inner = type_schema(options[0], refs, naive_datetimes) if len(options) == 1 else {
            "anyOf": [type_schema(a, refs, naive_datetimes) for a in options]}
        if type(None) not in typing.get_args(tp):
            return inner
        if set(inner) <= {"type", "format", "items"} and isinstance(inner.get("type"), str) and "format" not in inner:
            return {**inner, "type": [inner["type"], "null"]}
        return {"anyOf": [inner, NULL]}
    if tp in refs:
        return {"$ref": f"#/components/schemas/{refs[tp]}"}
    if dataclasses.is_dataclass(tp):
        return dataclass_schema(tp, refs=refs, naive_datetimes=naive_datetimes)
    if origin is list or tp is list:
        args = typing.get_args(tp)
        return {"type": "array", "items": type_schema(args[0], refs, naive_datetimes)} if args else {"type": "array"}
    if origin is dict or tp is dict:
        args = typing.get_args(tp)
        schema = {"type": "object"}
        if len(args) == 2 and args[1] is not typing.Any:
            schema["additionalProperties"] = type_schema(args[1], refs, naive_datetimes)
        return schema
    if tp is datetime:
        # naive datetimes serialised with isoformat() carry no offset, which RFC 3339 date-time requires
        return {"type": "string", "description": "ISO 8601，UTC，无时区后缀"} if naive_datetimes else {
            "type": "string", "format": "date-time"}
    if tp is date:
        return {"type": "string", "format": "date"}
    simple = {str: "string", int: "integer", float: "number", bool: "boolean"}
    if tp in simple:
        return {"type": simple[tp]}
    return {}


def dataclass_schema(cls, *, exclude=(), rename: dict | None = None, extra: dict | None = None,
                     override: dict | None = None, refs: dict | None = None, naive_datetimes: bool = False,
                     description: str | None = None) -> dict:
    """An object schema with one property per dataclass field (every field is always present in the JSON)."""
    hints = typing.get_type_hints(cls)
    rename, extra, override, refs = rename or {}, extra or {}, override or {}, refs or {}
    properties = {}
    for f in dataclasses.fields(cls):
        if f.name in exclude:
            continue
        key = rename.get(f.name, f.name)
        properties[key] = override.get(key) or type_schema(hints[f.name], refs, naive_datetimes)
    properties.update(extra)
    schema = {"type": "object", "properties": properties, "required": list(properties)}
    if description or cls.__doc__ and not cls.__doc__.startswith(f"{cls.__name__}("):
        schema["description"] = description or cls.__doc__.strip()
    return schema


def _ref(name: str) -> dict:
    return {"$ref": f"#/components/schemas/{name}"}


def envelope(data: dict) -> dict:
    return {"type": "object", "required": ["ok", "data"],
            "properties": {"ok": {"const": True}, "data": data}}


def paged(item: dict) -> dict:
    return {"type": "object", "required": ["total", "page", "per_page", "pages", "items"],
            "properties": {"total": {"type": "integer", "minimum": 0}, "page": {"type": "integer", "minimum": 1},
                           "per_page": {"type": "integer", "minimum": 1},
                           "pages": {"type": "integer", "minimum": 1}, "items": {"type": "array", "items": item}}}


def schemas() -> dict[str, dict]:
    uri = {"type": "string", "format": "uri"}
    stamp = {"type": "string", "format": "date-time"}
    facet = {"type": "array", "items": {"type": "object", "required": ["value", "label", "count"], "properties": {
        "value": {"type": "string"}, "label": {"type": "string"}, "count": {"type": "integer", "minimum": 0}}}}
    resource = dataclass_schema(ResourceInfo, rename={"row_count": "rows"}, extra={"download_url": {
        "type": ["string", "null"], "format": "uri", "description": "受控下载地址（仅当前版本）"}},
        description="数据资源（文件）：格式、字节数、sha256、行数、信息项")
    version = dataclass_schema(VersionInfo, refs={ResourceInfo: "Resource"}, extra={
        "current": {"type": "boolean", "description": "是否为当前版本"}}, description="一个已发布版本")
    dataset = dataclass_schema(DatasetSummary, exclude=("snippet", "title_html"), override={
        "open_access": {"enum": list(OPEN_ACCESS)}, "update_frequency": {"type": "string"}},
        extra={"url": uri, "datapackage": uri}, description="数据集（目录信息摘要）")
    dataset["properties"]["updated_at"] = stamp
    detail = dataclass_schema(DatasetDetail, exclude=("snippet", "title_html", "history"),
                              refs={VersionInfo: "Version"}, override={"open_access": {"enum": list(OPEN_ACCESS)}},
                              extra={"url": uri, "datapackage": uri, "package_url": uri,
                                     "versions": {"type": "array", "items": _ref("Version")}},
                              description="数据集详情：目录信息、当前版本、资源、下载地址、版本历史")
    department = dataclass_schema(DepartmentInfo, extra={"url": uri, "datasets_url": {
        **uri, "description": "该部门数据集列表：GET /api/v1/datasets?department=<slug>"}},
        description="数据提供部门及其已发布数据集数量")
    download = dataclass_schema(DownloadRecord, exclude=("dataset_title", "user", "ip"),
                                override={"at": stamp}, description="一次下载记录")
    timeline = dataclass_schema(TimelineEntry, naive_datetimes=True)
    app_summary = dataclass_schema(ApplicationSummary, naive_datetimes=True,
                                   extra={"timeline": {"type": "array", "items": _ref("TimelineEntry")}},
                                   description="有条件开放数据申请（摘要）")
    app_detail = dataclass_schema(ApplicationDetail, naive_datetimes=True, refs={TimelineEntry: "TimelineEntry"},
                                  description="有条件开放数据申请（含办理过程）")
    error = {"type": "object", "required": ["ok", "error"], "properties": {
        "ok": {"const": False},
        "error": {"type": "object", "required": ["message"], "properties": {
            "message": {"type": "string", "description": "面向用户的中文说明"},
            "details": {"type": "array", "description": "逐项说明（如校验错误）"}}}}}
    scope = {"type": "object", "additionalProperties": {"type": "array", "items": {"type": "string"}},
             "description": "{资源名: [信息项, …]}，空列表表示全部信息项"}
    return {
        "Error": error,
        "Facet": facet,
        "Resource": resource,
        "Version": version,
        "Dataset": dataset,
        "DatasetDetail": detail,
        "Department": department,
        "Download": download,
        "TimelineEntry": timeline,
        "ApplicationSummary": app_summary,
        "ApplicationDetail": app_detail,
        "DepartmentFigures": dataclass_schema(DepartmentFigures, override={"process": {"enum": list(PROCESSES)}},
                                              description="部门办理统计（按事项）"),
        "CaseEvent": dataclass_schema(CaseEventInfo, naive_datetimes=True, description="办理过程中的一步"),
        "CatalogChange": dataclass_schema(CatalogChangeInfo, naive_datetimes=True,
                                          description="目录更正：各属性更正前后的值"),
        "CaseSummary": dataclass_schema(CaseSummary, naive_datetimes=True,
                                        description="开放目录更正申请、问题数据反馈或数据需求（摘要，不含提交人信息）"),
        "CaseDetail": dataclass_schema(CaseDetail, naive_datetimes=True,
                                       refs={CaseEventInfo: "CaseEvent", CatalogChangeInfo: "CatalogChange"},
                                       description="办理详情；submitter、证明材料只对提交人、承办部门和数据主管部门可见"),
        "Scope": scope,
        "SearchResult": {**paged(_ref("Dataset")), "required": [
            "query", "sort", "total", "page", "per_page", "pages", "items", "facets"]} | {"properties": {
                **paged(_ref("Dataset"))["properties"], "query": {"type": "string"}, "sort": {"enum": list(SORTS)},
                "facets": {"type": "object", "additionalProperties": _ref("Facet")}}},
        "ApplicationRequest": {"type": "object", "required": ["dataset", "purpose", "accept_pledge"], "properties": {
            "dataset": {"type": "string", "description": "数据集名称"},
            "purpose": {"type": "string"}, "scenario": {"type": "string"}, "security_measures": {"type": "string"},
            "requested": _ref("Scope"), "period_from": {"type": "string", "format": "date"},
            "period_until": {"type": "string", "format": "date"},
            "accept_pledge": {"const": True, "description": "承诺遵守数据使用协议"}}},
        "DecisionRequest": {"oneOf": [
            {"type": "object", "required": ["decision", "scope", "valid_from", "valid_until"], "properties": {
                "decision": {"const": "approve"}, "scope": _ref("Scope"),
                "valid_from": {"type": "string", "format": "date"},
                "valid_until": {"type": "string", "format": "date"}, "note": {"type": "string"}}},
            {"type": "object", "required": ["decision", "reasons", "basis"], "properties": {
                "decision": {"const": "deny"}, "reasons": {"type": "string"}, "basis": {"type": "string"}}}]},
    }


def _error_response(description: str) -> dict:
    return {"description": description, "content": {"application/json": {"schema": _ref("Error")}}}


RESPONSES = {
    "NotModified": {"description": "未修改（If-None-Match / If-Modified-Since 命中）"},
    "BadRequest": _error_response("请求格式有误"),
    "Unauthorized": {**_error_response("未提供或提供了无效的访问令牌"), "headers": {"WWW-Authenticate": {
        "schema": {"type": "string"}, "description": 'Bearer realm="portal"'}}},
    "Forbidden": _error_response("无权访问（如有条件开放数据未获授权）"),
    "NotFound": _error_response("数据集、资源、部门或申请不存在"),
    "Unprocessable": _error_response("参数或请求体未通过校验（页码越界、未知筛选条件等）"),
    "TooManyRequests": {**_error_response("请求过于频繁（匿名调用限频）"), "headers": {"Retry-After": {
        "schema": {"type": "string"}}}},
}

PARAMETERS = {
    "page": {"name": "page", "in": "query", "description": "页码，从 1 开始",
             "schema": {"type": "integer", "minimum": 1, "maximum": 10_000, "default": 1}},
    "per_page": {"name": "per_page", "in": "query", "description": "每页条数，最多 100",
                 "schema": {"type": "integer", "minimum": 1, "maximum": 100, "default": 20}},
    "name": {"name": "name", "in": "path", "required": True, "description": "数据集名称（英文标识）",
             "schema": {"type": "string"}},
    "reference": {"name": "reference", "in": "path", "required": True,
                  "description": "受理编号：NYYY… 开放目录更正申请，NYFK… 问题数据反馈，NYXQ… 数据需求",
                  "schema": {"type": "string"}},
    "If-None-Match": {"name": "If-None-Match", "in": "header", "description": "条件请求：上次响应的 ETag",
                      "schema": {"type": "string"}},
}
# Every operation may answer these; a view's docstring lists the ones particular to it.
COMMON = {"400": "BadRequest", "429": "TooManyRequests"}  # 400: e.g. a NUL byte in the request
COMMON_GET = {"304": "NotModified"}

FILTER_SCHEMAS = {"open_access": {"type": "string", "enum": list(OPEN_ACCESS)},
                  "update_frequency": {"type": "string", "enum": list(UPDATE_FREQUENCIES)}}


def search_parameters() -> list[dict]:
    """/api/v1/datasets: q, sort and one parameter per facet filter (portal.search.base.FACETS)."""
    params = [{"name": "q", "in": "query", "description": "检索词（简繁体等同）",
               "schema": {"type": "string", "maxLength": MAX_QUERY_LENGTH}},
              {"name": "sort", "in": "query", "description": "排序：" + "、".join(f"{k}（{v}）" for k, v in SORTS.items())
               + "；relevance 须同时提供 q", "schema": {"type": "string", "enum": list(SORTS)}}]
    for key, label in FACETS.items():
        params.append({"name": key, "in": "query", "description": f"筛选：{label}",
                       "schema": FILTER_SCHEMAS.get(key, {"type": "string"})})
    return params


RESOURCE_TYPES = ["text/csv", "application/json", "application/vnd.ms-excel",
                  "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet", "application/octet-stream"]


def download_operation(media_types: list[str], resource: bool = False) -> dict:
    """The parts every gated download shares: Range/If-None-Match, optional Bearer, the file responses."""
    file = {t: {"schema": {"type": "string", "contentMediaType": t}} for t in media_types}
    etag = {"description": "文件的 sha256（受授权范围影响）", "schema": {"type": "string"}}
    length = {"description": "字节数", "schema": {"type": "integer", "minimum": 0}}
    parameters = ["name"]
    if resource:
        parameters.append({"name": "resource", "in": "path", "required": True, "description": "资源名称",
                           "schema": {"type": "string"}})
    parameters += [{"name": "Range", "in": "header", "description": "断点续传，如 bytes=0-1023",
                    "schema": {"type": "string"}}, "If-None-Match"]
    return {
        "parameters": parameters,
        "security": [{"bearerAuth": []}],
        "responses": {
            "200": {"description": "文件（附件）", "content": file, "headers": {
                "ETag": etag, "Content-Length": length, "Last-Modified": {"schema": {"type": "string"}},
                "Accept-Ranges": {"schema": {"type": "string"}}}},
            "206": {"description": "部分内容（Range 请求）", "content": file, "headers": {
                "Content-Range": {"schema": {"type": "string"}}, "ETag": etag, "Content-Length": length}},
            "304": "NotModified",
            "401": "Unauthorized",
            "403": "Forbidden",
            "404": "NotFound",
            "416": {"description": "请求的范围无法满足"},
        },
    }


def annotate(**operations):
    """Add schema fragments built in Python to a view's docstring operations (merged by build)."""
    def decorate(view):
        view.__openapi__ = operations
        return view
    return decorate


def _merge(operation: dict, extra: dict) -> dict:
    merged = {**operation}
    for key, value in extra.items():
        if key == "parameters":
            merged[key] = [*value, *operation.get(key, [])]
        elif isinstance(value, dict) and isinstance(operation.get(key), dict):
            merged[key] = {**value, **operation[key]}
        else:
            merged[key] = value
    return merged


def expand(node):
    """Docstring shorthands: {x-envelope: X} is the success envelope around X, {x-page: X} a page of X;
    a bare name stands for a component schema."""
    if isinstance(node, dict):
        if set(node) == {"x-envelope"}:
            return envelope(expand(_named(node["x-envelope"])))
        if set(node) == {"x-page"}:
            return paged(expand(_named(node["x-page"])))
        return {k: expand(v) for k, v in node.items()}
    if isinstance(node, list):
        return [expand(v) for v in node]
    return node


def _named(value):
    return _ref(value) if isinstance(value, str) else value


# -- the document ------------------------------------------------------------------------------
def openapi_path(rule: str) -> tuple[str, list[str]]:
    names = re.findall(r"<(?:\w+:)?(\w+)>", rule)
    return re.sub(r"<(?:\w+:)?(\w+)>", r"{\1}", rule), names


def build(app) -> dict:
    spec = APISpec(
        title="南阳市政务数据开放平台 API", version="v1", openapi_version="3.1.0",
        info={"description": "数据集目录、部门、受控下载、下载记录与有条件开放数据申请。所有 JSON 响应使用统一信封："
                             '成功 `{"ok": true, "data": …}`，失败 `{"ok": false, "error": {"message", "details"}}`。',
              "license": {"name": "CC-BY-4.0", "identifier": "CC-BY-4.0"}},
        servers=[{"url": "/"}],
    )
    spec.components.security_scheme("bearerAuth", {
        "type": "http", "scheme": "bearer", "description": "个人访问令牌：在“账号 → 访问令牌”页面或用命令行签发"})
    for name, schema in schemas().items():
        spec.components.schema(name, schema)
    for name, response in RESPONSES.items():
        spec.components.response(name, response)
    for name, parameter in PARAMETERS.items():
        spec.components.parameter(name, parameter["in"], parameter)
    rules = sorted((r for r in app.url_map.iter_rules() if r.rule.startswith(PREFIX)), key=lambda r: r.rule)
    for rule in rules:
        view = app.view_functions[rule.endpoint]
        documented = load_operations_from_docstring(view.__doc__ or "")
        for method, extra in getattr(view, "__openapi__", {}).items():
            if method in documented:
                documented[method] = _merge(documented[method], extra)
        operations = {}
        for method in sorted(m.lower() for m in rule.methods if m.lower() in METHODS):
            if method not in documented:
                continue
            operation = expand(documented[method])
            operation.setdefault("operationId", f"{rule.endpoint}.{method}")
            operation["responses"] = {**(COMMON_GET if method == "get" else {}), **COMMON,
                                      **operation.get("responses", {})}
            operations[method] = operation
        if not operations:
            continue
        path, names = openapi_path(rule.rule)
        declared = {PARAMETERS[p]["name"] if isinstance(p, str) else p.get("name")
                    for op in operations.values() for p in op.get("parameters", [])}
        path_params = [{"name": n, "in": "path", "required": True, "schema": {"type": "string"}}
                       for n in names if n not in declared]
        spec.path(path=path, operations=operations, parameters=path_params or None)  # merges per path
    document = spec.to_dict()
    document["jsonSchemaDialect"] = "https://spec.openapis.org/oas/3.1/dialect/base"
    return document


def document() -> dict:
    """The document of the running app, built once per app."""
    cached = current_app.extensions.get("portal_openapi")
    if cached is None:
        cached = current_app.extensions["portal_openapi"] = build(current_app)
    return cached


def resolve(doc: dict, node):
    """Follow a local $ref (for the HTML page)."""
    while isinstance(node, dict) and "$ref" in node:
        target = doc
        for part in node["$ref"].lstrip("#/").split("/"):
            target = target[part]
        node = target
    return node


def describe_schema(doc: dict, schema: dict | None) -> str:
    """A short human description of a schema: its component name, or its type."""
    if not schema:
        return ""
    if "$ref" in schema:
        return schema["$ref"].rsplit("/", 1)[-1]
    if "enum" in schema:
        return " | ".join(str(v) for v in schema["enum"])
    if "const" in schema:
        return repr(schema["const"])
    kind = schema.get("type", "")
    if kind == "array":
        return f"array<{describe_schema(doc, schema.get('items'))}>"
    if kind == "object" and "properties" in schema:
        props = schema["properties"]
        if set(props) == {"ok", "data"}:
            return f"{{ok: true, data: {describe_schema(doc, props['data'])}}}"
        if {"items", "total"} <= set(props):
            return f"分页<{describe_schema(doc, props['items'].get('items'))}>"
    if isinstance(kind, list):
        kind = " | ".join(kind)
    return f"{kind}({schema['format']})" if schema.get("format") else str(kind or "any")


def pages(doc: dict) -> list[dict]:
    """The operations flattened for the HTML page, in path order."""
    out = []
    for path, item in doc.get("paths", {}).items():
        shared = item.get("parameters", [])
        for method in METHODS:
            op = item.get(method)
            if op is None:
                continue
            params = [resolve(doc, p) for p in [*shared, *op.get("parameters", [])]]
            body = None
            if "requestBody" in op:
                content = resolve(doc, op["requestBody"]).get("content", {})
                body = [(ct, describe_schema(doc, c.get("schema"))) for ct, c in content.items()]
            responses = []
            for code, response in op.get("responses", {}).items():
                response = resolve(doc, response)
                content = response.get("content", {})
                responses.append({"code": code, "description": response.get("description", ""),
                                  "content": [(ct, describe_schema(doc, c.get("schema"))) for ct, c in content.items()],
                                  "headers": list(response.get("headers", {}))})
            out.append({"path": path, "method": method.upper(), "summary": op.get("summary", ""),
                        "description": op.get("description", ""), "operation_id": op.get("operationId"),
                        "secured": bool(op.get("security")) and {} not in op.get("security", []),
                        "optional_auth": {} in op.get("security", []),
                        "parameters": [{"name": p.get("name"), "in": p.get("in"), "required": p.get("required", False),
                                        "type": describe_schema(doc, p.get("schema")),
                                        "description": p.get("description", "")} for p in params],
                        "body": body, "responses": responses})
    return out
