"""The application's working-day calendar: package data plus the official files in CALENDAR_FOLDER.

`calendar()` gives the WorkCalendar (cached in app.extensions, reloaded when the folder's files
change); `import_file(actor, path)` is `portal calendar import FILE`. Functions appended to
`on_import` are called with the year after every successful import (e.g. to recompute the
provisional deadlines of that year).
"""

import hashlib
import logging
import os
import tempfile
from collections.abc import Callable
from pathlib import Path

from flask import current_app

from ..errors import NotAuthorized, ValidationError
from ..extensions import db
from ..policies import can_manage_calendar
from ..workdays import CalendarFileError, OfficialYear, WorkCalendar, load_calendar, parse_calendar_file
from . import audit

log = logging.getLogger(__name__)

EXTENSION_KEY = "portal.workcalendar"
MAX_FILE_BYTES = 1024 * 1024

on_import: list[Callable[[int], object]] = []


def folder() -> Path:
    return Path(current_app.config["CALENDAR_FOLDER"])


def _signature(root: Path) -> tuple:
    try:
        entries = sorted(os.scandir(root), key=lambda e: e.name)
    except FileNotFoundError:
        return ()
    return tuple((e.name, e.stat().st_mtime_ns, e.stat().st_size) for e in entries
                 if e.name.endswith(".json") and e.is_file())


def calendar() -> WorkCalendar:
    """The WorkCalendar for the current app; reloaded when a file in CALENDAR_FOLDER changes."""
    root = folder()
    signature = _signature(root)
    cached = current_app.extensions.get(EXTENSION_KEY)
    if cached is not None and cached[0] == signature:
        return cached[1]
    work_calendar = load_calendar(root)
    current_app.extensions[EXTENSION_KEY] = (signature, work_calendar)
    return work_calendar


def invalidate() -> None:
    current_app.extensions.pop(EXTENSION_KEY, None)


def import_file(actor, path) -> OfficialYear:
    """Validate an official calendar file and install it as CALENDAR_FOLDER/<year>.json (data authority only)."""
    if not can_manage_calendar(actor):
        raise NotAuthorized("只有数据主管部门可以导入工作日历")
    path = Path(path)
    try:
        if path.stat().st_size > MAX_FILE_BYTES:
            raise ValidationError("日历文件过大（超过 1 MB），请检查是否选错了文件")
        raw = path.read_bytes()
    except IsADirectoryError:
        raise ValidationError(f"{path} 是文件夹，请指定日历文件（JSON）") from None
    except FileNotFoundError:
        raise ValidationError(f"找不到日历文件 {path}") from None
    except OSError as exc:
        raise ValidationError(f"无法读取日历文件 {path}：{exc.strerror or exc}") from None
    return import_bytes(actor, raw, source=path.name)


def import_bytes(actor, raw: bytes, source: str = "") -> OfficialYear:
    """The same as import_file for content already in memory (e.g. an upload)."""
    if not can_manage_calendar(actor):
        raise NotAuthorized("只有数据主管部门可以导入工作日历")
    try:
        official = parse_calendar_file(raw)
    except CalendarFileError as exc:
        raise ValidationError(exc.message) from None
    root = folder()
    root.mkdir(parents=True, exist_ok=True)
    target = root / f"{official.year}.json"
    previous = target.read_bytes() if target.exists() else None
    content = official.to_json().encode("utf-8")
    audit.record(actor, "calendar.import", "calendar", official.year, {
        "notice": official.notice, "holidays": len(official.holidays), "workdays": len(official.workdays),
        "source": source, "sha256": hashlib.sha256(raw).hexdigest(), "replaced": previous is not None})
    _write_atomically(target, content)
    try:
        db.session.commit()
    except Exception:
        db.session.rollback()
        if previous is None:
            target.unlink(missing_ok=True)
        else:
            _write_atomically(target, previous)
        raise
    invalidate()
    for hook in list(on_import):
        try:
            hook(official.year)
        except Exception:  # the import itself stands; a failing follower must not hide it
            log.exception("calendar on_import hook %r failed for %s", hook, official.year)
    return official


def _write_atomically(target: Path, content: bytes) -> None:
    fd, tmp = tempfile.mkstemp(dir=target.parent, prefix=f".{target.name}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            out.write(content)
            out.flush()
            os.fsync(out.fileno())
        os.chmod(tmp, 0o644)
        os.replace(tmp, target)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
