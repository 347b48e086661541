"""Check a descriptor's catalog properties (DESIGN §3) against our JSON Schema, with Chinese messages."""

import json
from functools import cache
from pathlib import Path

from jsonschema import Draft202012Validator

from .report import Problem

SCHEMA_PATH = Path(__file__).with_name("catalog.schema.json")

LABELS = {
    "name": "数据集标识（name）", "title": "标题", "description": "描述", "version": "版本号",
    "keywords": "关键词", "licenses": "许可协议", "department": "数据提供部门", "domain": "所属领域",
    "open_access": "开放属性", "open_access_basis": "开放依据", "share_access": "共享属性",
    "update_frequency": "更新频率", "contact": "联系方式", "resources": "资源", "phone": "联系电话",
    "email": "电子邮箱", "pii": "个人信息类型", "desensitize": "脱敏方式", "desensitize_basis": "保留原值的依据",
}
PATTERN_HINTS = {
    "name": "只能使用小写字母、数字和连字符，3–80 个字符，例如 nanyang-licensed-pharmacies",
    "version": "应为 主版本.次版本.修订号，例如 1.2.0",
    "phone": "应为电话号码，例如 0377-63123456",
    "email": "应为有效的电子邮箱",
}


@cache
def _validator() -> Draft202012Validator:
    return Draft202012Validator(json.loads(SCHEMA_PATH.read_text(encoding="utf-8")))


def check_catalog(descriptor: dict) -> list[Problem]:
    problems = []
    for error in sorted(_validator().iter_errors(descriptor), key=lambda e: list(e.absolute_path)):
        message = _message(error)
        if message:
            problems.append(Problem(message, field=_where(error), code=f"catalog-{error.validator}"))
    return problems


def _where(error) -> str | None:
    path = [str(p) for p in error.absolute_path]
    return ".".join(path) or None


def _message(error) -> str | None:
    key = next((str(p) for p in reversed(error.absolute_path) if isinstance(p, str)), "")
    label = LABELS.get(key, key)
    if error.validator == "required":
        missing = error.message.split("'")[1]
        if missing == "open_access_basis":
            return "有条件开放或不予开放的数据必须填写开放依据（open_access_basis），说明法律、法规依据（第四十四条）"
        if missing == "desensitize_basis":
            return f"字段「{_field_name(error)}」选择保留原值（keep）时必须填写保留依据（desensitize_basis）"
        return f"缺少必填项：{LABELS.get(missing, missing)}"
    if error.validator == "enum":
        allowed = "、".join(map(str, error.validator_value))
        return f"{label}的取值“{error.instance}”无效，可选值：{allowed}"
    if error.validator == "pattern":
        return f"{label}“{error.instance}”格式不正确：{PATTERN_HINTS.get(key, '格式不符合要求')}"
    if error.validator == "minLength" and key == "open_access_basis":
        return "开放依据过短，请写明具体的法律、法规条款"
    if error.validator == "minLength" and key == "desensitize_basis":
        return f"字段「{_field_name(error)}」的保留依据过短，请写明具体依据"
    if error.validator in ("minLength", "minItems"):
        return f"{label}不能为空"
    if error.validator in ("maxLength", "maxItems"):
        return f"{label}过长"
    if error.validator == "type":
        return f"{label}的类型不正确"
    if error.validator in ("if", "allOf"):
        return None  # reported by the nested required/minLength error
    return f"{label}：{error.message}"


def _field_name(error) -> str:
    instance = error.instance if isinstance(error.instance, dict) else {}
    return instance.get("name", "?")
