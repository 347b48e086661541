"""/api/v1/objections — catalog objections (art. 45): file, follow, and (producers) list and answer,
with `Authorization: Bearer` only (no cookie, hence no CSRF token). Same services as the web pages."""

from flask import Blueprint, jsonify, request
from flask_login import current_user

from ..errors import ValidationError
from ..services import cases, objections
from .helpers import int_arg, json_body, ok, page_json, require_bearer, text

bp = Blueprint("api_objections", __name__, url_prefix="/api/v1/objections")
bp.before_request(require_bearer)


def _object(body: dict, key: str) -> dict | None:
    value = body.get(key)
    if value is not None and not isinstance(value, dict):
        raise ValidationError(f"{key} 须为 JSON 对象：{{目录属性: 值}}")
    return value


@bp.get("")
def listing():
    """My objections, or a producing department's.
    ---
    get:
      summary: 我的开放目录更正申请 / 部门待办
      description: 默认列出本人提交的更正申请；role=department 时列出所在部门（或 department 指定部门）的更正申请，按答复期限排序，all=1 含已办结。
      tags: [开放目录更正申请]
      security: [{bearerAuth: []}]
      parameters:
        - page
        - {name: role, in: query, description: department 表示部门待办, schema: {type: string, enum: [department]}}
        - {name: department, in: query, description: 部门标识（数据主管部门可查看任一部门）, schema: {type: string}}
        - {name: all, in: query, description: 1 表示包括已办结的申请, schema: {type: string, enum: ["1"]}}
      responses:
        "200":
          description: 一页更正申请
          content:
            application/json: {schema: {x-envelope: {x-page: CaseSummary}}}
        "401": Unauthorized
        "403": Forbidden
        "404": NotFound
    """
    if request.args.get("role") == "department":
        page = cases.queue(current_user, objections.KIND, request.args.get("department") or None,
                           request.args.get("all") == "1", int_arg("page", 1))
    else:
        page = cases.mine(current_user, objections.KIND, int_arg("page", 1))
    return jsonify({"ok": True, "data": page_json(page)})


@bp.post("")
def create():
    """File an objection to a catalog entry.
    ---
    post:
      summary: 提出开放目录更正申请
      description: 由实名认证的自然人或法人提出，任何目录条目（包括不予开放的）均可。成功返回 201、受理编号和答复期限（10 个工作日，第四十五条）。
      tags: [开放目录更正申请]
      security: [{bearerAuth: []}]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [dataset, category, description]
              properties:
                dataset: {type: string, description: 数据集名称}
                category: {type: string, enum: [metadata, open_access, missing_resource, other], description: 目录信息有误、开放属性有误、缺少数据资源、其他}
                description: {type: string, maxLength: 4000, description: 问题描述}
                suggested: {type: object, description: '建议的更正，如 {"open_access": "unconditional"}'}
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
    detail = objections.file(current_user, text(body, "dataset", 80), text(body, "category", 30),
                             text(body, "description", 4001), _object(body, "suggested"))
    return ok(detail, 201)


@bp.get("/<reference>")
def show(reference):
    """One objection with its timeline and catalog change.
    ---
    get:
      summary: 更正申请详情（含办理过程和目录更正）
      description: 提交人、承办部门和数据主管部门看到完整内容；其他人看到公开内容（不含提交人、问题描述和证明材料）。
      tags: [开放目录更正申请]
      security: [{bearerAuth: []}]
      parameters:
        - reference
      responses:
        "200":
          description: 更正申请
          content:
            application/json: {schema: {x-envelope: CaseDetail}}
        "401": Unauthorized
        "404": NotFound
    """
    return ok(objections.get(current_user, reference))


@bp.post("/<reference>/answer")
def answer(reference):
    """The department's answer: agree (proposing a catalog change) or disagree (reasons and basis).
    ---
    post:
      summary: 答复更正申请（同意并提出目录更正，或不予同意）
      description: 由承办部门答复。同意时 changes 给出更正后的目录属性（与当前相同的属性不计），提请数据主管部门审核；改为无条件开放时不再保留开放依据。不予同意时须说明理由和依据。
      tags: [开放目录更正申请]
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
                  required: [decision, changes, reason]
                  properties:
                    decision: {const: agree}
                    changes:
                      type: object
                      description: 目录属性 → 更正后的值
                      properties:
                        title: {type: string}
                        description: {type: string}
                        domain: {type: string}
                        keywords: {type: array, items: {type: string}}
                        open_access: {type: string, enum: [unconditional, conditional, closed]}
                        open_access_basis: {type: [string, "null"]}
                        share_access: {type: string, enum: [unconditional, conditional, none]}
                        update_frequency: {type: string, enum: [realtime, daily, weekly, monthly, quarterly, semiannual, yearly, irregular]}
                    reason: {type: string}
                - type: object
                  required: [decision, reasons, basis]
                  properties:
                    decision: {const: disagree}
                    reasons: {type: string}
                    basis: {type: string}
      responses:
        "200":
          description: 答复已记录
          content:
            application/json: {schema: {x-envelope: CaseDetail}}
        "401": Unauthorized
        "403": Forbidden
        "404": NotFound
        "422": Unprocessable
    """
    body = json_body()
    decision = body.get("decision")
    if decision == "agree":
        detail = objections.agree(current_user, reference, _object(body, "changes") or {}, text(body, "reason", 4001))
    elif decision == "disagree":
        detail = objections.disagree(current_user, reference, text(body, "reasons", 4001), text(body, "basis", 1001))
    else:
        raise ValidationError('decision 须为 "agree" 或 "disagree"')
    return ok(detail)
