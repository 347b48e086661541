"""Run frictionless on a staged package and translate its report into Chinese problems."""

import re
from pathlib import Path

from frictionless import Package, system

from .report import Problem

MAX_ERRORS = 200

TYPE_LABELS = {"string": "文本", "integer": "整数", "number": "数值", "date": "日期（YYYY-MM-DD）",
               "datetime": "日期时间", "boolean": "布尔值（true/false）", "year": "年份", "time": "时间"}


def validate_package(descriptor_path: Path) -> list[Problem]:
    with system.use_context(trusted=False):
        package = Package(str(descriptor_path))
        report = package.validate(limit_errors=MAX_ERRORS)
    problems = [Problem(_translate(err), code=err.type) for err in report.errors]
    for task in report.tasks:
        for err in task.errors:
            problems.append(Problem(_translate(err), resource=task.name,
                                    row=getattr(err, "row_number", None),
                                    field=getattr(err, "field_name", None) or getattr(err, "label", None),
                                    code=err.type))
    return problems


def _translate(err) -> str:
    row = getattr(err, "row_number", None)
    field = getattr(err, "field_name", None)
    cell = getattr(err, "cell", None)
    kind = err.type
    match = re.search(r'type is "(\w+)', getattr(err, "note", "") or "")
    field_type = match.group(1) if match else ""
    messages = {
        "type-error": f"第 {row} 行「{field}」的值“{cell}”不是有效的{TYPE_LABELS.get(field_type, field_type)}",
        "constraint-error": f"第 {row} 行「{field}」的值“{cell}”不满足约束（{err.note}）",
        "missing-cell": f"第 {row} 行缺少「{field}」列的值（单元格少于表头）",
        "extra-cell": f"第 {row} 行的单元格多于表头",
        "blank-row": f"第 {row} 行是空行",
        "primary-key": f"第 {row} 行的主键值重复",
        "unique-error": f"第 {row} 行「{field}」的值“{cell}”重复，该字段要求唯一",
        "duplicate-label": f"表头「{getattr(err, 'label', '')}」重复",
        "blank-label": f"第 {getattr(err, 'field_number', '?')} 列的表头为空",
        "incorrect-label": f"表头「{getattr(err, 'label', '')}」与字段定义「{field}」不一致",
        "extra-label": f"表头「{getattr(err, 'label', '')}」在字段定义中不存在",
        "missing-label": f"字段「{field}」在文件表头中不存在",
        "hash-count": "文件的 SHA-256 校验值与描述不一致，文件可能已被修改",
        "byte-count": "文件大小与描述不一致，文件可能已被修改",
        "encoding-error": f"文件编码错误：{err.note}",
        "source-error": f"无法读取数据文件：{err.note}",
        "scheme-error": f"无法读取数据文件：{err.note}",
        "format-error": f"不支持的文件格式：{err.note}",
    }
    if kind in messages:
        return messages[kind]
    if kind.endswith("-error") and kind.split("-")[0] in ("package", "resource", "schema", "field", "dialect"):
        return f"数据包描述无效：{err.note or err.message}"
    return f"{err.title}：{err.note or err.message}"
