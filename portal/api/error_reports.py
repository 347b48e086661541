"""/api/v1/error-reports — report a data problem, follow it, and (the data authority, the producer)
dispatch, decide and link the corrected version, with `Authorization: Bearer` only (no cookie, hence
no CSRF token). Same service as the web pages."""

from flask import Blueprint, jsonify, request
from flask_login import current_user

from ..errors import ValidationError
from ..services import cases, error_reports
from .helpers import int_arg, json_body, ok, page_json, require_bearer, text

bp = Blueprint("api_error_reports", __name__, url_prefix="/api/v1/error-reports")


@bp.before_request
def _bearer_only():
    require_bearer()


def _row(body: dict):
    row = body.get("row")
    if row is None or (isinstance(row, int) and not isinstance(row, bool)):
        return row
    raise ValidationError("row 须为正整数（表头之后的第几条数据，从 1 开始）或省略")


@bp.post("")
def create():
    """Report a problem in a published dataset.
    ---
    post:
      summary: 提交问题数据反馈
      description: >-
        指明数据集、版本（省略为当前版本）、资源，以及数据行（表头之后从 1 开始）或信息项（至少一项）。
        数据主管部门分派给数据提供部门后，部门在 5 个工作日内决定是否更正。成功返回 201 与受理编号。
      tags: [问题数据反馈]
      security: [{bearerAuth: []}]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [dataset, resource, description]
              properties:
                dataset: {type: string, description: 数据集名称}
                version: {type: string, description: 版本号，如 1.0.0；省略为当前版本}
                resource: {type: string, description: 资源名称}
                row: {type: integer, minimum: 1, description: 数据行号（表头不计）}
                field: {type: string, description: 信息项名称}
                category: {type: string, enum: [wrong_value, missing_value, outdated, duplicate, other]}
                description: {type: string, maxLength: 4000}
      responses:
        "201":
          description: 已受理
          content:
            application/json: {schema: {x-envelope: CaseDetail}}
        "401": Unauthorized
        "403": Forbidden
        "404": NotFound
        "422": Unprocessable
    """
    body = json_body()
    detail = error_reports.file(current_user, text(body, "dataset", 80), text(body, "resource", 100),
                                text(body, "description"), text(body, "category", 30) or "wrong_value",
                                text(body, "version", 40) or None, _row(body), text(body, "field", 100) or None)
    return ok(detail, 201)


@bp.get("")
def listing():
    """My error reports, or a department's.
    ---
    get:
      summary: 我的问题数据反馈 / 部门待办
      description: >-
        默认列出本人提交的反馈；role=department 时列出所在部门（或 department 指定部门）承办的反馈，
        all=1 含已办结；数据主管部门不指定部门时看到全部，包括待分派的反馈。
      tags: [问题数据反馈]
      security: [{bearerAuth: []}]
      parameters:
        - page
        - {name: role, in: query, description: department 表示部门待办, schema: {type: string, enum: [department]}}
        - {name: department, in: query, description: 部门标识, schema: {type: string}}
        - {name: all, in: query, description: 1 表示包括已办结的反馈, schema: {type: string, enum: ["1"]}}
      responses:
        "200":
          description: 一页反馈
          content:
            application/json: {schema: {x-envelope: {x-page: CaseSummary}}}
        "401": Unauthorized
        "403": Forbidden
        "404": NotFound
    """
    page = int_arg("page", 1)
    if request.args.get("role") == "department":
        found = cases.queue(current_user, error_reports.KIND, request.args.get("department") or None,
                            request.args.get("all") == "1", page)
    else:
        found = cases.mine(current_user, error_reports.KIND, page)
    return jsonify({"ok": True, "data": page_json(found)})


@bp.get("/<reference>")
def show(reference):
    """One error report with its timeline.
    ---
    get:
      summary: 问题数据反馈详情（含办理过程）
      description: 提交人、承办部门和数据主管部门看到完整内容；其他人只看到不含提交人信息的公开内容。
      tags: [问题数据反馈]
      security: [{bearerAuth: []}]
      parameters:
        - reference
      responses:
        "200":
          description: 反馈
          content:
            application/json: {schema: {x-envelope: CaseDetail}}
        "401": Unauthorized
        "404": NotFound
    """
    return ok(error_reports.get(current_user, reference))


@bp.post("/<reference>/dispatch")
def dispatch(reference):
    """The data authority dispatches the report to the producer, or rejects it.
    ---
    post:
      summary: 分派或不予受理（数据主管部门）
      description: 分派后数据提供部门在 5 个工作日内决定是否更正；不予受理须说明理由（不属于数据问题）。
      tags: [问题数据反馈]
      security: [{bearerAuth: []}]
      parameters:
        - reference
      requestBody:
        required: true
        content:
          application/json:
            schema:
              oneOf:
                - type: object
                  required: [decision]
                  properties: {decision: {const: dispatch}, note: {type: string}}
                - type: object
                  required: [decision, reason]
                  properties: {decision: {const: reject}, reason: {type: string, minLength: 1}}
      responses:
        "200":
          description: 已分派或已不予受理
          content:
            application/json: {schema: {x-envelope: CaseDetail}}
        "401": Unauthorized
        "403": Forbidden
        "404": NotFound
        "422": Unprocessable
    """
    body = json_body()
    decision = body.get("decision")
    if decision == "dispatch":
        return ok(error_reports.dispatch(current_user, reference, text(body, "note")))
    if decision == "reject":
        return ok(error_reports.reject(current_user, reference, text(body, "reason")))
    raise ValidationError('decision 须为 "dispatch" 或 "reject"')


@bp.post("/<reference>/decision")
def decision(reference):
    """The producer decides whether to correct.
    ---
    post:
      summary: 决定是否更正（数据提供部门）
      description: 决定更正后须在 10 个工作日内发布更正后的版本并关联；不予更正须说明理由。
      tags: [问题数据反馈]
      security: [{bearerAuth: []}]
      parameters:
        - reference
      requestBody:
        required: true
        content:
          application/json:
            schema:
              oneOf:
                - type: object
                  required: [correct]
                  properties: {correct: {const: true}, reasons: {type: string}}
                - type: object
                  required: [correct, reasons]
                  properties: {correct: {const: false}, reasons: {type: string, minLength: 1}}
      responses:
        "200":
          description: 决定已记录
          content:
            application/json: {schema: {x-envelope: CaseDetail}}
        "401": Unauthorized
        "403": Forbidden
        "404": NotFound
        "422": Unprocessable
    """
    body = json_body()
    correct = body.get("correct")
    if not isinstance(correct, bool):
        raise ValidationError("correct 须为 true 或 false")
    return ok(error_reports.decide(current_user, reference, correct, text(body, "reasons")))


@bp.post("/<reference>/correction")
def correction(reference):
    """Link the corrected version.
    ---
    post:
      summary: 关联更正后的版本（数据提供部门）
      description: 该版本须属于本数据集，并在决定更正之后发布；关联后反馈办结，并记录是否按期更正。
      tags: [问题数据反馈]
      security: [{bearerAuth: []}]
      parameters:
        - reference
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [version]
              properties: {version: {type: string, description: 版本号，如 1.1.0}}
      responses:
        "200":
          description: 已办结
          content:
            application/json: {schema: {x-envelope: CaseDetail}}
        "401": Unauthorized
        "403": Forbidden
        "404": NotFound
        "422": Unprocessable
    """
    body = json_body()
    return ok(error_reports.link_correction(current_user, reference, text(body, "version", 40)))
