"""The publishing pipeline up to the store: read → build descriptor → validate.

`prepare` never raises for bad input: it returns a Prepared whose report lists every problem.
Later steps (desensitize, re-validate) and the final store/commit are run by the caller, which
owns the database and the version number.
"""

import hashlib
import json
import re
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import reading
from .catalog import check_catalog
from .infer import infer_schema
from .report import Refused, Report
from .validation import validate_package

PROFILE = "https://datapackage.org/profiles/2.0/datapackage.json"
TABULAR = {".csv": "csv", ".tsv": "csv", ".txt": "csv", ".xlsx": "xlsx", ".json": "json"}
OTHER_MEDIATYPES = {".pdf": "application/pdf", ".geojson": "application/geo+json", ".zip": "application/zip"}
COMPUTED = ("hash", "bytes", "encoding", "mediatype", "format", "scheme", "dialect", "type")

Progress = Callable[[int, str], None]


@dataclass
class Limits:
    archive_max_bytes: int = 500 * 1024 * 1024
    archive_max_members: int = 200


@dataclass
class Prepared:
    descriptor: dict
    folder: Path  # the staged package: datapackage.json and the UTF-8 resources
    report: Report
    row_counts: dict
    desensitization: dict | None = None

    @property
    def valid(self) -> bool:
        return self.report.valid


def prepare(inputs: list[Path], metadata: dict | None, staging: Path, limits: Limits | None = None,
            progress: Progress | None = None, pseudonym_key: str | None = None) -> Prepared:
    """Run every step up to (not including) the store. Without `pseudonym_key` the desensitization
    step is skipped — only for checks that publish nothing."""
    limits = limits or Limits()
    progress = progress or (lambda pct, step: None)
    report = Report()
    folder = staging / "package"
    folder.mkdir(parents=True, exist_ok=True)
    state = {"descriptor": {}, "rows": {}, "desensitization": None}

    def read():
        state["descriptor"], state["rows"] = _read(inputs, metadata or {}, staging, folder, limits, report)

    def desensitize():
        from .desensitize import desensitize_package

        state["desensitization"] = desensitize_package(state["descriptor"], folder, staging / "raw", state["rows"],
                                                       pseudonym_key, report, progress)

    def revalidate():
        _finish_descriptor(state["descriptor"], folder, state["rows"])
        report.problems.extend(validate_package(folder / "datapackage.json"))

    steps = [
        (5, "read", "读取与转码", read),
        (35, "build", "生成数据包描述", lambda: _finish_descriptor(state["descriptor"], folder, state["rows"])),
        (45, "catalog", "校验目录属性", lambda: report.problems.extend(check_catalog(state["descriptor"]))),
        (50, "validate", "校验数据内容", lambda: report.problems.extend(validate_package(folder / "datapackage.json"))),
    ]
    if pseudonym_key:
        steps += [(60, "desensitize", "个人信息识别与脱敏", desensitize),
                  (88, "revalidate", "脱敏后再次校验", revalidate)]
    for pct, name, label, run in steps:
        progress(pct, label)
        run_step(report, name, label, run)
        if not report.valid:
            break
    descriptor, rows = state["descriptor"], state["rows"]
    report.resources = [{"name": r.get("name"), "path": r.get("path"), "rows": rows.get(r.get("name")),
                         "bytes": r.get("bytes"), "fields": len((r.get("schema") or {}).get("fields", []))}
                        for r in descriptor.get("resources", []) if isinstance(r, dict)]
    return Prepared(descriptor, folder, report, rows, state["desensitization"])


def run_step(report: Report, name: str, label: str, run: Callable[[], None]) -> None:
    """Run one step, turning a refusal into a problem and timing it into the report."""
    started = time.perf_counter()
    try:
        run()
    except Refused as refusal:
        report.problems.append(refusal.problem)
    report.steps.append({"name": name, "label": label, "ok": report.valid,
                         "seconds": round(time.perf_counter() - started, 3)})


def write_descriptor(descriptor: dict, folder: Path) -> str:
    """Write datapackage.json and return its sha256."""
    data = json.dumps(descriptor, ensure_ascii=False, indent=2).encode("utf-8")
    (folder / "datapackage.json").write_bytes(data)
    return hashlib.sha256(data).hexdigest()


def _read(inputs, metadata, staging, folder, limits, report):
    if len(inputs) == 1 and inputs[0].suffix.lower() == ".zip":
        extracted = staging / "extracted"
        extracted.mkdir()
        reading.safe_extract(inputs[0], extracted, limits.archive_max_bytes, limits.archive_max_members)
        found = _find_descriptor(extracted)
        inputs = [found] if found else sorted(p for p in extracted.rglob("*") if p.is_file())
    if len(inputs) == 1 and inputs[0].is_dir():
        candidate = inputs[0] / "datapackage.json"
        if not candidate.is_file():
            raise Refused(f"文件夹「{inputs[0].name}」中没有 datapackage.json", code="descriptor")
        inputs = [candidate]
    if len(inputs) == 1 and inputs[0].name.endswith("datapackage.json"):
        base = reading.load_descriptor(inputs[0])
        descriptor = {**base, **{k: v for k, v in metadata.items() if k != "resources"}}
        return descriptor, _read_package_resources(descriptor, inputs[0].parent, folder, report)
    descriptor = dict(metadata)
    return descriptor, _read_files(descriptor, inputs, folder, report)


def _find_descriptor(root: Path) -> Path | None:
    if (root / "datapackage.json").is_file():
        return root / "datapackage.json"
    children = [p for p in root.iterdir()]
    if len(children) == 1 and children[0].is_dir() and (children[0] / "datapackage.json").is_file():
        return children[0] / "datapackage.json"
    return None


def _read_package_resources(descriptor, base: Path, folder: Path, report) -> dict:
    resources = descriptor.get("resources")
    if not isinstance(resources, list) or not resources:
        raise Refused("数据包描述中没有资源（resources）", code="descriptor")
    rows = {}
    used: set[str] = set()
    descriptor["resources"] = []
    for index, resource in enumerate(resources):
        if not isinstance(resource, dict):
            raise Refused(f"第 {index + 1} 个资源的描述必须是 JSON 对象", code="descriptor")
        name = _unique_name(resource.get("name") or Path(str(resource.get("path", ""))).stem, index, used)
        resource["name"] = name
        source = _safe_resource_path(resource, base, name)
        _check_declared_integrity(resource, source, name, report)
        for key in COMPUTED:
            resource.pop(key, None)
        rows.update(_convert(source, resource, folder, report, descriptor["resources"], allow_other=True))
    return rows


def _read_files(descriptor, files, folder, report) -> dict:
    declared = {r.get("name"): r for r in descriptor.get("resources", []) if isinstance(r, dict)}
    descriptor["resources"] = []
    rows = {}
    used: set[str] = set()
    for index, source in enumerate(files):
        if source.suffix.lower() not in TABULAR:
            raise Refused(f"不支持的文件类型「{source.name}」：请上传 CSV、XLSX、JSON 或数据包 ZIP", resource=source.name,
                          code="format")
        name = _unique_name(source.stem, index, used)
        resource = dict(declared.get(name) or declared.get(source.name) or {})
        resource.update(name=name, title=resource.get("title") or source.stem)
        for key in COMPUTED + ("path",):
            resource.pop(key, None)
        rows.update(_convert(source, resource, folder, report, descriptor["resources"], allow_other=False))
    return rows


def _convert(source: Path, resource: dict, folder: Path, report, out: list, allow_other: bool) -> dict:
    """Write `source` as UTF-8 CSV into the package folder, appending its resource(s) to `out`.
    Returns row counts by resource name. An XLSX sheet after the first becomes its own resource."""
    kind = TABULAR.get(source.suffix.lower())
    name = resource["name"]
    if kind == "xlsx":
        rows = {}
        for position, (sheet, table) in enumerate(reading.xlsx_to_csv(source, folder, name)):
            entry = resource if position == 0 else {"name": f"{name}-{position + 1}",
                                                    "title": f"{resource.get('title', name)}（{sheet}）"}
            target = folder / f"{entry['name']}.csv"
            table.path.rename(target)
            entry["path"] = target.name
            out.append(entry)
            report.notes.append(table.note)
            rows[entry["name"]] = table.rows
        return rows
    if kind in ("csv", "json"):
        convert = reading.csv_to_utf8 if kind == "csv" else reading.json_to_csv
        table = convert(source, folder / f"{name}.csv")
        if table.note:
            report.notes.append(table.note)
        resource["path"] = table.path.name
        out.append(resource)
        return {name: table.rows}
    if not allow_other:
        raise Refused(f"不支持的文件类型「{source.name}」", resource=name, code="format")
    target = folder / _safe_filename(source.name)
    shutil.copyfile(source, target)
    resource.update(path=target.name, format=source.suffix.lower().lstrip(".") or "bin",
                    mediatype=OTHER_MEDIATYPES.get(source.suffix.lower(), "application/octet-stream"))
    out.append(resource)
    return {}


def _finish_descriptor(descriptor: dict, folder: Path, rows: dict) -> None:
    descriptor["$schema"] = PROFILE
    for resource in descriptor["resources"]:
        path = folder / resource["path"]
        if resource["name"] in rows:
            resource.update(type="table", format="csv", mediatype="text/csv", encoding="utf-8")
            if not isinstance(resource.get("schema"), dict) or not resource["schema"].get("fields"):
                resource["schema"] = infer_schema(path)
        resource["bytes"] = path.stat().st_size
        resource["hash"] = "sha256:" + _sha256(path)
    write_descriptor(descriptor, folder)


def _sha256(path: Path) -> str:
    digest = hashlib.sha256()
    with open(path, "rb") as fh:
        while chunk := fh.read(1 << 20):
            digest.update(chunk)
    return digest.hexdigest()


def _unique_name(raw: str, index: int, used: set[str]) -> str:
    name = re.sub(r"[^a-z0-9_-]+", "-", str(raw).lower()).strip("-_") or f"resource-{index + 1}"
    base, n = name, 2
    while name in used:
        name, n = f"{base}-{n}", n + 1
    used.add(name)
    return name


def _safe_filename(name: str) -> str:
    return re.sub(r"[^\w.-]+", "_", name) or "file"


def _safe_resource_path(resource: dict, base: Path, name: str) -> Path:
    raw = resource.get("path")
    if "data" in resource and raw is None:
        raise Refused(f"资源「{name}」使用了内联数据，请将数据保存为文件后再发布", resource=name, code="inline-data")
    if isinstance(raw, list):
        raise Refused(f"资源「{name}」由多个文件组成，暂不支持，请合并为一个文件", resource=name, code="multipart")
    if not isinstance(raw, str) or not raw:
        raise Refused(f"资源「{name}」缺少文件路径（path）", resource=name, code="path")
    if re.match(r"^[a-z][a-z0-9+.-]*://", raw, re.I):
        raise Refused(f"资源「{name}」指向远程地址，只接受数据包内的文件", resource=name, code="remote-path")
    parts = Path(raw).parts
    if raw.startswith(("/", "\\")) or ".." in parts or (parts and ":" in parts[0]):
        raise Refused(f"资源「{name}」的路径“{raw}”不安全（绝对路径或 ../）", resource=name, code="unsafe-path")
    candidate = base / raw
    if candidate.is_symlink() or not candidate.resolve().is_relative_to(base.resolve()):
        raise Refused(f"资源「{name}」的路径“{raw}”指向数据包以外", resource=name, code="unsafe-path")
    if not candidate.is_file():
        raise Refused(f"资源「{name}」的文件“{raw}”不存在", resource=name, code="missing-file")
    return candidate


def _check_declared_integrity(resource: dict, source: Path, name: str, report) -> None:
    declared = resource.get("hash")
    if isinstance(declared, str) and declared:
        algorithm, _, value = declared.rpartition(":")
        if (algorithm or "md5") in ("md5", "sha256"):
            digest = hashlib.new(algorithm or "md5", source.read_bytes()).hexdigest()
            if digest != value.lower():
                report.add("文件的校验值与数据包描述不一致，文件可能已被修改", resource=name, code="hash-count")
    if isinstance(resource.get("bytes"), int) and resource["bytes"] != source.stat().st_size:
        report.add("文件大小与数据包描述不一致，文件可能已被修改", resource=name, code="byte-count")
