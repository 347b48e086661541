"""The publishing step that wraps anonymization: classify each column, plan, refuse or transform,
then fix the schema so the descriptor tells the truth about what was published.

The converted input is moved out of the package folder into <staging>/raw first, so the folder
that is renamed into the store only ever holds desensitized files.
"""

import shutil
from collections.abc import Callable
from pathlib import Path

from anonymization.classifier import classify_column
from anonymization.operators import Pseudonymizer
from anonymization.policy import ENTITY_LABELS, OPERATOR_LABELS, plan_columns
from anonymization.table import desensitize_csv, read_sample

from .report import Problem, Report

SAMPLE_ROWS = 1000


def desensitize_package(descriptor: dict, folder: Path, raw: Path, rows: dict, key: str, report: Report,
                        progress: Callable[[int, str], None]) -> dict:
    """Returns the desensitization report (per resource and column); adds refusals to `report`."""
    if descriptor.get("open_access") == "closed":
        return {"skipped": "不予开放的数据不对外提供，未做脱敏处理", "resources": []}
    pseudonymizer = Pseudonymizer(key)
    raw.mkdir(parents=True, exist_ok=True)
    tables = [r for r in descriptor["resources"] if r.get("name") in rows]
    plans_by_resource = {}
    for resource in tables:
        path = folder / resource["path"]
        header, sample = read_sample(path, SAMPLE_ROWS)
        classes = {name: classify_column(name, [row[i] for row in sample if i < len(row)])
                   for i, name in enumerate(header)}
        plans, problems = plan_columns(resource.get("schema", {}).get("fields", []), classes,
                                       descriptor.get("open_access", "unconditional"))
        report.problems.extend(Problem(p.message, resource=resource["name"], field=p.field, code=p.code)
                               for p in problems)
        plans_by_resource[resource["name"]] = (plans, classes)
    if not report.valid:
        return {"resources": []}
    result = []
    total = sum(rows.values()) or 1
    done_before = 0
    for resource in tables:
        plans, classes = plans_by_resource[resource["name"]]
        source = raw / resource["path"]
        shutil.move(folder / resource["path"], source)

        def on_chunk(_index, done, offset=done_before, label=resource["name"]):
            progress(60 + int(25 * (offset + done) / total), f"脱敏处理 {label}：{offset + done:,} 行")
        stats = desensitize_csv(source, folder / resource["path"], plans, pseudonymizer, on_chunk=on_chunk)
        done_before += rows[resource["name"]]
        _rewrite_schema(resource, plans)
        result.append({"resource": resource["name"], "rows": rows[resource["name"]],
                       "columns": [_column_report(p, stats.get(p.name), classes.get(p.name)) for p in plans
                                   if p.entity or (classes.get(p.name) and classes[p.name].free_text)]})
    return {"resources": result}


def _rewrite_schema(resource: dict, plans) -> None:
    by_name = {p.name: p for p in plans}
    fields = []
    for field in resource.get("schema", {}).get("fields", []):
        plan = by_name.get(field["name"])
        if plan is not None and plan.operator == "drop":
            continue
        if plan is not None and plan.entity and plan.operator != "none":
            field["pii"] = plan.entity if plan.entity not in ("DATE", "OTHER") else field.get("pii", plan.entity)
            field["desensitize"] = plan.operator
            if plan.changes_values:
                field.pop("constraints", None)
                if plan.entity == "DATE" and plan.operator == "generalize":
                    field["type"] = "year"
                elif field.get("type") != "string":
                    field["type"] = "string"
                    field.pop("format", None)
        fields.append(field)
    resource["schema"]["fields"] = fields


def _column_report(plan, stats, found) -> dict:
    return {
        "name": plan.name, "entity": plan.entity, "entity_label": ENTITY_LABELS.get(plan.entity or "", ""),
        "hit_rate": round(found.hit_rate, 4) if found and found.entity else None,
        "operator": plan.operator, "operator_label": OPERATOR_LABELS.get(plan.operator, plan.operator),
        "source": plan.source, "basis": plan.basis,
        "cells": stats.cells if stats else 0,
        "cells_changed": (stats.cells if plan.operator == "drop" else stats.changed) if stats else 0,
        "spans": dict(stats.spans) if stats else {}, "samples": list(stats.samples) if stats else [],
    }
