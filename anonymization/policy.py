"""Decide, per column, what the stage does: the producer's declaration first, then what the
classifier found, then the defaults — and refuse what an unconditional dataset may not publish."""

from dataclasses import dataclass

from .operators import DEFAULT_OPERATOR, GENERALIZABLE, OPERATORS, SURROGATES

ENTITY_LABELS = {
    "CN_ID_CARD": "居民身份证号码", "CN_USCC": "统一社会信用代码", "CN_MOBILE": "手机号码", "CN_LANDLINE": "固定电话",
    "CN_BANK_CARD": "银行卡号", "CN_LICENSE_PLATE": "机动车号牌", "EMAIL_ADDRESS": "电子邮箱", "IP_ADDRESS": "IP 地址",
    "PERSON": "自然人姓名", "ADDRESS": "住址", "FREE_TEXT": "含个人信息的自由文本", "DATE": "日期", "OTHER": "其他",
}
OPERATOR_LABELS = {"drop": "删除字段", "mask": "遮蔽", "hash": "密钥哈希（稳定假名）", "generalize": "概化",
                   "surrogate": "替换为仿真值", "keep": "保留原值", "none": "不处理"}


@dataclass
class ColumnPlan:
    name: str
    entity: str | None
    operator: str  # one of OPERATORS, or "none"
    source: str  # declared | detected | default | none
    field_type: str = "string"
    hit_rate: float | None = None
    basis: str | None = None

    @property
    def changes_values(self) -> bool:
        return self.operator not in ("none", "keep", "drop")


@dataclass
class PlanProblem:
    field: str
    message: str
    code: str


def plan_columns(fields: list[dict], classes: dict, open_access: str) -> tuple[list[ColumnPlan], list[PlanProblem]]:
    """`fields` are Table Schema fields (with our pii/desensitize properties); `classes` maps a
    column name to its classifier.ColumnClass."""
    plans, problems = [], []
    for field in fields:
        name, field_type = field["name"], field.get("type", "string")
        found = classes.get(name)
        detected = found.entity if found and found.entity else ("FREE_TEXT" if found and found.free_text else None)
        declared_entity, declared_op = field.get("pii"), field.get("desensitize")
        entity = declared_entity or detected
        hit_rate = found.hit_rate if found and found.entity else None
        if declared_op and not entity:
            entity = "DATE" if field_type in ("date", "datetime", "year") else "OTHER"
        if declared_op:
            problem = _check_operator(name, entity, declared_op)
            if problem:
                problems.append(problem)
                continue
            plans.append(ColumnPlan(name, entity, declared_op, "declared", field_type, hit_rate,
                                    field.get("desensitize_basis")))
        elif entity is None:
            plans.append(ColumnPlan(name, None, "none", "none", field_type))
        elif open_access == "unconditional" and entity != "FREE_TEXT":
            how = f"（抽样命中率 {hit_rate:.0%}）" if hit_rate is not None else "（数据包中已标注）"
            problems.append(PlanProblem(name, (
                f"字段「{name}」被识别为{ENTITY_LABELS.get(entity, entity)}{how}，但没有声明脱敏方式。"
                "无条件开放的数据必须为每个个人信息字段明确选择 drop、mask、hash、generalize、surrogate，"
                "或选择 keep 并写明依据（第四十四条第二款）"), "undecided-pii"))
        else:
            plans.append(ColumnPlan(name, entity, DEFAULT_OPERATOR.get(entity, "mask"),
                                    "detected" if detected and not declared_entity else "default", field_type, hit_rate))
    return plans, problems


def _check_operator(name: str, entity: str, operator: str) -> PlanProblem | None:
    label = ENTITY_LABELS.get(entity, entity)
    if operator not in OPERATORS:
        return PlanProblem(name, f"字段「{name}」的脱敏方式“{operator}”无效，可选：{'、'.join(OPERATORS)}", "operator")
    if operator == "generalize" and entity not in GENERALIZABLE:
        return PlanProblem(name, f"字段「{name}」（{label}）不能概化：概化只适用于住址、身份证号码和日期", "operator")
    if operator == "surrogate" and entity not in SURROGATES and entity != "FREE_TEXT":
        return PlanProblem(name, f"字段「{name}」（{label}）不能替换为仿真值，请选择 mask、hash 或 drop", "operator")
    if operator == "generalize" and entity == "FREE_TEXT":
        return PlanProblem(name, f"字段「{name}」是自由文本，不能概化，请选择 mask、hash、surrogate 或 drop", "operator")
    return None
