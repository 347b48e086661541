"""Table Schema inference on a normalized CSV: conservative, deterministic, identifier-aware."""

import csv
import datetime as dt
import re
from pathlib import Path

SAMPLE_ROWS = 5000
INTEGER = re.compile(r"-?(0|[1-9]\d{0,14})")
NUMBER = re.compile(r"-?(0|[1-9]\d{0,14})(\.\d+)?")
DATETIME = re.compile(r"\d{4}-\d{2}-\d{2}[T ]\d{2}:\d{2}(:\d{2})?")
# Columns whose values are codes or numbers-as-names stay strings even when every value is digits.
IDENTIFIER_HINTS = ("电话", "手机", "号码", "编码", "代码", "证号", "邮编", "编号", "账号", "卡号", "身份证", "代号",
                    "phone", "code", "zip", "id")


def infer_schema(path: Path) -> dict:
    with open(path, encoding="utf-8", newline="") as fh:
        reader = csv.reader(fh)
        header = next(reader, [])
        columns: list[list[str]] = [[] for _ in header]
        for _, row in zip(range(SAMPLE_ROWS), reader, strict=False):
            for i, value in enumerate(row[: len(header)]):
                if value != "":
                    columns[i].append(value)
    return {"fields": [{"name": name, "type": _infer_type(name, values)} for name, values in zip(header, columns, strict=True)]}


def _infer_type(name: str, values: list[str]) -> str:
    lowered = name.lower()
    if not values or any(hint in lowered for hint in IDENTIFIER_HINTS):
        return "string"
    if all(INTEGER.fullmatch(v) for v in values):
        return "integer"
    if all(NUMBER.fullmatch(v) for v in values):
        return "number"
    if all(_is_date(v) for v in values):
        return "date"
    if all(DATETIME.fullmatch(v) and _is_datetime(v) for v in values):
        return "datetime"
    if all(v in ("true", "false") for v in values):
        return "boolean"
    return "string"


def _is_date(value: str) -> bool:
    if len(value) != 10:
        return False
    try:
        dt.date.fromisoformat(value)
    except ValueError:
        return False
    return True


def _is_datetime(value: str) -> bool:
    try:
        dt.datetime.fromisoformat(value)
    except ValueError:
        return False
    return True
