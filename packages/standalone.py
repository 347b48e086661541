"""`portal desensitize`: the publishing step run alone on one CSV/XLSX file, no instance needed."""

import json
import shutil
import tempfile
from collections.abc import Callable
from pathlib import Path

from . import reading
from .desensitize import desensitize_package
from .report import Refused, Report


def load_policy(path: Path | None) -> tuple[dict[str, dict], str | None]:
    """A policy file is a Table Schema ({"fields": […]}), a datapackage.json (first resource, and its
    open_access), or a plain mapping {"列名": "mask", "列名2": {"pii": "PERSON", "desensitize": "hash"}}."""
    if path is None:
        return {}, None
    data = reading.load_descriptor(path)
    open_access = data.get("open_access")
    if "resources" in data:
        data = (data["resources"] or [{}])[0].get("schema", {})
    if "fields" in data:
        return {f["name"]: f for f in data["fields"] if isinstance(f, dict) and "name" in f}, open_access
    fields = {}
    for name, rule in data.items():
        fields[name] = {"name": name, **({"desensitize": rule} if isinstance(rule, str) else rule)}
    return fields, open_access


def desensitize_file(source: Path, out: Path, key: str, policy: dict[str, dict], open_access: str,
                     progress: Callable[[int, str], None]) -> tuple[Report, dict, list[Path]]:
    """Desensitize every table in `source` (a CSV, or each sheet of an XLSX) into `out` (and
    `out`-2.csv … for further sheets). Returns the report, the desensitization report and the outputs."""
    report = Report()
    with tempfile.TemporaryDirectory(prefix="portal-desensitize-") as tmp:
        work = Path(tmp) / "package"
        work.mkdir()
        try:
            if source.suffix.lower() == ".xlsx":
                tables = [table for _, table in reading.xlsx_to_csv(source, work, "sheet")]
            else:
                tables = [reading.csv_to_utf8(source, work / "sheet-1.csv")]
        except Refused as refusal:
            report.problems.append(refusal.problem)
            return report, {}, []
        report.notes.extend(t.note for t in tables if t.note)
        resources = [{"name": t.path.stem, "path": t.path.name, "schema": {"fields": [
            policy.get(name, {"name": name, "type": "string"}) for name in t.header]}} for t in tables]
        descriptor = {"open_access": open_access, "resources": resources}
        rows = {t.path.stem: t.rows for t in tables}
        result = desensitize_package(descriptor, work, Path(tmp) / "raw", rows, key, report, progress)
        outputs = []
        if report.valid:
            for index, table in enumerate(tables):
                target = out if index == 0 else out.with_name(f"{out.stem}-{index + 1}{out.suffix or '.csv'}")
                shutil.move(work / table.path.name, target)
                outputs.append(target)
    return report, result, outputs


def write_report(path: Path, result: dict) -> None:
    path.write_text(json.dumps(result, ensure_ascii=False, indent=2), encoding="utf-8")
