"""/api/v1/data-requests — the public list and pages of data requests (anonymous reads allowed), and,
with `Authorization: Bearer`, filing, support, the data authority's routing and the department's answer.
Same service as the web pages."""

from flask import Blueprint, jsonify, request
from flask_login import current_user

from ..errors import ValidationError
from ..services import cases
from ..services import data_requests as service
from .helpers import (
    date_of,
    int_arg,
    json_body,
    ok,
    page_json,
    require_bearer,
    require_bearer_for_writes,
    text,
)

bp = Blueprint("api_data_requests", __name__, url_prefix="/api/v1/data-requests")


@bp.before_request
def _writes_need_a_token():
    require_bearer_for_writes()



@bp.get("")
def listing():
    """The public list of data requests; one's own (mine=1) or a department's queue (role=department).
    ---
    get:
      summary: 数据需求列表
      description: >-
        公开列表（不含已撤回的需求，不显示提出人和支持者），可按状态筛选、按名称检索，按最新或支持人数排序。
        mine=1 列出本人提出的需求，role=department 列出所在部门（或 department 指定部门）的待答复需求，二者均须提供访问令牌。
      tags: [数据需求]
      security: [{}, {bearerAuth: []}]
      parameters:
        - page
        - {name: per_page, in: query, description: 每页条数，最多 100, schema: {type: integer, minimum: 1, maximum: 100}}
        - {name: state, in: query, description: 按状态筛选,
           schema: {type: string, enum: [submitted, dispatched, will_open, cannot_open, rejected]}}
        - {name: sort, in: query, description: newest（最新）或 supported（支持最多）,
           schema: {type: string, enum: [newest, supported]}}
        - {name: q, in: query, description: 按需求名称检索, schema: {type: string, maxLength: 100}}
        - {name: mine, in: query, description: 1 表示本人提出的需求（须令牌）, schema: {type: string, enum: ["1"]}}
        - {name: role, in: query, description: department 表示部门待办（须令牌）, schema: {type: string, enum: [department]}}
        - {name: department, in: query, description: 部门标识（数据主管部门可查看任一部门）, schema: {type: string}}
        - {name: all, in: query, description: 部门待办中 1 表示包括已办结的需求, schema: {type: string, enum: ["1"]}}
      responses:
        "200":
          description: 一页数据需求
          content:
            application/json: {schema: {x-envelope: {x-page: CaseSummary}}}
        "401": Unauthorized
        "403": Forbidden
        "404": NotFound
        "422": Unprocessable
    """
    page = int_arg("page", 1)
    if request.args.get("mine") == "1":
        require_bearer()
        return jsonify({"ok": True, "data": page_json(cases.mine(current_user, service.KIND, page))})
    if request.args.get("role") == "department":
        require_bearer()
        queue = cases.queue(current_user, service.KIND, request.args.get("department") or None,
                            request.args.get("all") == "1", page)
        return jsonify({"ok": True, "data": page_json(queue)})
    found = service.public_list(request.args.get("state") or None, request.args.get("sort") or "newest",
                                request.args.get("q", ""), page, int_arg("per_page", 20))
    return jsonify({"ok": True, "data": page_json(found)})


@bp.post("")
def create():
    """File a data request.
    ---
    post:
      summary: 提出数据需求
      description: 实名认证的自然人或法人提出目录中尚没有的数据需求；等待数据主管部门分派。成功返回 201。
      tags: [数据需求]
      security: [{bearerAuth: []}]
      requestBody:
        required: true
        content:
          application/json:
            schema:
              type: object
              required: [title, description]
              properties:
                title: {type: string, maxLength: 200, description: 需求名称}
                description: {type: string, maxLength: 4000, description: 需要什么数据、哪些信息项、用途}
                category: {type: string, enum: [new_dataset, more_fields, more_frequent, other], default: new_dataset}
                dataset: {type: string, description: 涉及的已有数据集名称（增加信息项、提高更新频率时）}
                department_hint: {type: string, description: 建议承办部门标识}
      responses:
        "201":
          description: 已提交
          content:
            application/json: {schema: {x-envelope: CaseDetail}}
        "401": Unauthorized
        "403": Forbidden
        "422": Unprocessable
    """
    body = json_body()
    detail = service.file(current_user, text(body, "title"), text(body, "description"),
                          text(body, "category") or "new_dataset", text(body, "department_hint") or None,
                          text(body, "dataset") or None)
    return ok(detail, 201)


@bp.get("/<reference>")
def show(reference):
    """One data request with its timeline.
    ---
    get:
      summary: 数据需求详情
      description: 公开；提出人（脱敏）只对提出人、承办部门和数据主管部门显示。actions 为当前调用者此时可执行的操作。
      tags: [数据需求]
      security: [{}, {bearerAuth: []}]
      parameters:
        - reference
      responses:
        "200":
          description: 数据需求
          content:
            application/json: {schema: {x-envelope: CaseDetail}}
        "404": NotFound
    """
    return ok(service.get(current_user, reference))


@bp.route("/<reference>/support", methods=["POST", "DELETE"])
def support(reference):
    """Support a data request ("我也需要"), or withdraw one's support.
    ---
    post:
      summary: 支持数据需求（我也需要）
      description: 实名认证的自然人或法人支持他人的数据需求，每人一次；重复提交不改变支持人数。不公开支持者。
      tags: [数据需求]
      security: [{bearerAuth: []}]
      parameters:
        - reference
      responses:
        "200":
          description: 已支持
          content:
            application/json: {schema: {x-envelope: CaseDetail}}
        "401": Unauthorized
        "403": Forbidden
        "404": NotFound
        "422": Unprocessable
    delete:
      summary: 取消支持数据需求
      tags: [数据需求]
      security: [{bearerAuth: []}]
      parameters:
        - reference
      responses:
        "200":
          description: 已取消支持（未支持过时不变）
          content:
            application/json: {schema: {x-envelope: CaseDetail}}
        "401": Unauthorized
        "403": Forbidden
        "404": NotFound
        "422": Unprocessable
    """
    act = service.support if request.method == "POST" else service.unsupport
    return ok(act(current_user, reference))


@bp.post("/<reference>/routing")
def routing(reference):
    """The data authority routes the request to a department, or rejects it with a reason.
    ---
    post:
      summary: 分派或不予受理数据需求
      description: 数据主管部门办理。分派后承办部门应在 10 个工作日内答复（平台服务承诺，不是法定期限）。
      tags: [数据需求]
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
                  required: [decision, department]
                  properties:
                    decision: {const: route}
                    department: {type: string, description: 承办部门标识}
                    note: {type: string, maxLength: 1000}
                - type: object
                  required: [decision, reason]
                  properties:
                    decision: {const: reject}
                    reason: {type: string, maxLength: 2000}
      responses:
        "200":
          description: 已分派或不予受理
          content:
            application/json: {schema: {x-envelope: CaseDetail}}
        "401": Unauthorized
        "403": Forbidden
        "404": NotFound
        "422": Unprocessable
    """
    body = json_body()
    decision = body.get("decision")
    if decision == "route":
        return ok(service.route(current_user, reference, text(body, "department", 100), text(body, "note")))
    if decision == "reject":
        return ok(service.reject(current_user, reference, text(body, "reason")))
    raise ValidationError('decision 须为 "route" 或 "reject"')


@bp.post("/<reference>/answer")
def answer(reference):
    """The department answers: will open by a date, or cannot open with reasons and basis.
    ---
    post:
      summary: 答复数据需求
      description: 承办部门办理；将开放须给出计划开放日期（今天或以后），暂不能开放须说明理由和依据（法律、法规或规章条款）。
      tags: [数据需求]
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
                  required: [will_open, promised_date]
                  properties:
                    will_open: {const: true}
                    promised_date: {type: string, format: date}
                    reasons: {type: string, maxLength: 4000, description: 说明（可选）}
                - type: object
                  required: [will_open, reasons, basis]
                  properties:
                    will_open: {const: false}
                    reasons: {type: string, maxLength: 4000}
                    basis: {type: string, maxLength: 1000}
      responses:
        "200":
          description: 已答复
          content:
            application/json: {schema: {x-envelope: CaseDetail}}
        "401": Unauthorized
        "403": Forbidden
        "404": NotFound
        "422": Unprocessable
    """
    body = json_body()
    will_open = body.get("will_open")
    if not isinstance(will_open, bool):
        raise ValidationError("will_open 须为 true 或 false")
    return ok(service.answer(current_user, reference, will_open, date_of(body, "promised_date"),
                              text(body, "reasons"), text(body, "basis")))
