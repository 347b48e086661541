"""/api/v1/applications — apply, follow, and (producers) list and decide, with `Authorization: Bearer`.

Only token authentication is accepted here (no session cookie), which is why this blueprint needs
no CSRF token. Same services as the web pages."""

from dataclasses import asdict

from flask import Blueprint, jsonify, request
from flask_login import current_user

from ..errors import ValidationError
from ..services import applications, deadlines
from .helpers import date_of, int_arg, json_body, page_json, plain, require_bearer, text

bp = Blueprint("api_applications", __name__, url_prefix="/api/v1/applications")


@bp.before_request
def _bearer_only():
    require_bearer()


def _scope(value) -> dict:
    if not isinstance(value, dict) or not all(isinstance(v, list) for v in value.values()):
        raise ValidationError("范围须为对象：{资源名: [信息项, …]}，空列表表示全部信息项")
    return {str(k)[:100]: [str(f)[:100] for f in v] for k, v in value.items()}


@bp.post("")
def create():
    """Apply for conditional-access data.
    ---
    post:
      summary: 提交有条件开放数据申请
      description: 仅接受 Authorization（Bearer 令牌）。成功返回 201 与受理回执号、答复期限。
      tags: [申请]
      security: [{bearerAuth: []}]
      requestBody:
        required: true
        content:
          application/json: {schema: ApplicationRequest}
      responses:
        "201":
          description: 已受理
          content:
            application/json: {schema: {x-envelope: ApplicationDetail}}
        "401": Unauthorized
        "403": Forbidden
        "404": NotFound
        "422": Unprocessable
    """
    body = json_body()
    detail = applications.submit(current_user, text(body, "dataset"), text(body, "purpose"),
                                 text(body, "scenario"), text(body, "security_measures"),
                                 _scope(body.get("requested", {})), date_of(body, "period_from"),
                                 date_of(body, "period_until"), body.get("accept_pledge") is True)
    return jsonify({"ok": True, "data": plain(detail)}), 201


@bp.get("")
def listing():
    """My applications, or a producing department's queue.
    ---
    get:
      summary: 我的申请 / 部门待办
      description: 默认列出本人提交的申请；role=department 时列出所在部门（或 department 指定部门）的待办，all=1 含已办结。
      tags: [申请]
      security: [{bearerAuth: []}]
      parameters:
        - page
        - {name: role, in: query, description: department 表示部门待办, schema: {type: string, enum: [department]}}
        - {name: department, in: query, description: 部门标识（数据管理部门可查看任一部门）, schema: {type: string}}
        - {name: all, in: query, description: 1 表示包括已办结的申请, schema: {type: string, enum: ["1"]}}
      responses:
        "200":
          description: 一页申请
          content:
            application/json: {schema: {x-envelope: {x-page: ApplicationSummary}}}
        "401": Unauthorized
        "403": Forbidden
        "404": NotFound
    """
    if request.args.get("role") == "department":
        page = applications.queue(current_user, request.args.get("department") or None,
                                  request.args.get("all") == "1", int_arg("page", 1))
    else:
        page = applications.mine(current_user, int_arg("page", 1))
    return jsonify({"ok": True, "data": page_json(page)})


@bp.get("/figures")
def figures():
    """Per-department figures.
    ---
    get:
      summary: 申请办理统计
      tags: [申请]
      security: [{bearerAuth: []}]
      parameters:
        - {name: department, in: query, description: 部门标识, schema: {type: string}}
      responses:
        "200":
          description: 各部门收件数、按期办结数、逾期数、办理用时中位数
          content:
            application/json: {schema: {x-envelope: {type: array, items: {$ref: "#/components/schemas/DepartmentFigures"}}}}
        "401": Unauthorized
        "403": Forbidden
        "404": NotFound
    """
    rows = deadlines.figures(current_user, request.args.get("department") or None, processes=("application",))
    return jsonify({"ok": True, "data": [asdict(r) for r in rows]})


@bp.get("/<receipt>")
def show(receipt):
    """One application with its timeline.
    ---
    get:
      summary: 申请详情（含办理过程）
      tags: [申请]
      security: [{bearerAuth: []}]
      parameters:
        - {name: receipt, in: path, required: true, description: 受理回执号, schema: {type: string}}
      responses:
        "200":
          description: 申请
          content:
            application/json: {schema: {x-envelope: ApplicationDetail}}
        "401": Unauthorized
        "403": Forbidden
        "404": NotFound
    """
    return jsonify({"ok": True, "data": plain(applications.get(current_user, receipt))})


@bp.post("/<receipt>/decision")
def decide(receipt):
    """Approve (with a scope and period) or deny (with reasons and basis).
    ---
    post:
      summary: 作出决定（批准或不予开放）
      description: 由数据提供部门办理；批准时须给出授权范围与有效期，不予开放时须说明理由和依据。
      tags: [申请]
      security: [{bearerAuth: []}]
      parameters:
        - {name: receipt, in: path, required: true, description: 受理回执号, schema: {type: string}}
      requestBody:
        required: true
        content:
          application/json: {schema: DecisionRequest}
      responses:
        "200":
          description: 决定已记录
          content:
            application/json: {schema: {x-envelope: ApplicationDetail}}
        "401": Unauthorized
        "403": Forbidden
        "404": NotFound
        "422": Unprocessable
    """
    body = json_body()
    decision = body.get("decision")
    if decision == "approve":
        detail = applications.approve(current_user, receipt, _scope(body.get("scope", {})), date_of(body, "valid_from"),
                                      date_of(body, "valid_until"), text(body, "note"))
    elif decision == "deny":
        detail = applications.deny(current_user, receipt, text(body, "reasons"), text(body, "basis"))
    else:
        raise ValidationError('decision 须为 "approve" 或 "deny"')
    return jsonify({"ok": True, "data": plain(detail)})
