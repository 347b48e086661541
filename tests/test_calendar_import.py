"""Importing official calendar files: service, policy, audit, cache, on_import hook, CLI."""

import json
import os
import re
from datetime import date
from pathlib import Path

import pytest
from sqlalchemy import select

from portal.errors import NotAuthorized, ValidationError
from portal.extensions import db
from portal.models import AuditEvent, User
from portal.policies import SYSTEM
from portal.services import calendar as service
from portal.workdays import Deadline

FILE_2030 = {"year": 2030, "notice": "国办发明电〔2029〕9号（测试）",
             "holidays": ["2030-10-01", "2030-10-02", "2030-10-03", "2030-10-04", "2030-10-05", "2030-10-06",
                          "2030-10-07"],
             "workdays": ["2030-09-29", "2030-10-12"]}


def _write(tmp_path, content, name="calendar-2030.json") -> Path:
    path = tmp_path / name
    path.write_text(content if isinstance(content, str) else json.dumps(content, ensure_ascii=False),
                    encoding="utf-8")
    return path


def _folder(app) -> Path:
    return Path(app.config["CALENDAR_FOLDER"])


def test_import_makes_a_provisional_deadline_official(app, tmp_path, monkeypatch):
    calls = []
    monkeypatch.setattr(service, "on_import", [*service.on_import, calls.append])
    with app.app_context():
        assert _folder(app) == Path(app.instance_path) / "calendars"
        before = service.calendar().deadline(date(2030, 9, 27), 5)
        assert before == Deadline(date(2030, 10, 9), provisional=True)  # the package's estimate

        official = service.import_file(SYSTEM, _write(tmp_path, FILE_2030))

        assert official.year == 2030 and len(official.holidays) == 7 and len(official.workdays) == 2
        after = service.calendar().deadline(date(2030, 9, 27), 5)
        assert after == Deadline(date(2030, 10, 10), provisional=False)  # 9/29 调休 counts; 10/4 off
        assert service.calendar().source(2030) == "imported" and 2030 in service.calendar().years()
        event = db.session.scalar(select(AuditEvent).where(AuditEvent.action == "calendar.import"))
        assert event.object_type == "calendar" and event.object_id == "2030"
        assert event.detail["notice"] == FILE_2030["notice"] and event.detail["workdays"] == 2
    assert calls == [2030]
    assert json.loads((_folder(app) / "2030.json").read_text(encoding="utf-8"))["year"] == 2030
    assert [p.name for p in _folder(app).iterdir()] == ["2030.json"]  # no temporary file left


def test_calendar_reloads_when_the_folder_changes(app):
    with app.app_context():
        first = service.calendar()
        assert service.calendar() is first  # cached
        assert not first.is_official(2030)
        _folder(app).mkdir(parents=True, exist_ok=True)
        (_folder(app) / "2030.json").write_text(json.dumps(FILE_2030), encoding="utf-8")  # another server
        reloaded = service.calendar()
        assert reloaded is not first and reloaded.is_official(2030)
        (_folder(app) / "2030.json").unlink()
        assert not service.calendar().is_official(2030)


def test_a_reimport_replaces_the_year(app, tmp_path):
    with app.app_context():
        service.import_file(SYSTEM, _write(tmp_path, FILE_2030))
        service.import_file(SYSTEM, _write(tmp_path, FILE_2030 | {"workdays": [], "notice": "更正"}))
        cal = service.calendar()
        assert not cal.is_workday(date(2030, 9, 29)) and cal.official_year(2030).notice == "更正"


def test_only_the_data_authority_may_import(app, people, tmp_path):
    calls = []
    path = _write(tmp_path, FILE_2030)
    with app.app_context():
        staff = db.session.scalar(select(User).where(User.username == "market-staff"))
        admin = db.session.scalar(select(User).where(User.username == "admin"))
        with pytest.raises(NotAuthorized):
            service.import_file(staff, path)
        assert not (_folder(app) / "2030.json").exists()
        service.on_import.append(calls.append)
        try:
            service.import_file(admin, path)
        finally:
            service.on_import.remove(calls.append)
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "calendar.import")).actor_id == admin.id
    assert calls == [2030]


@pytest.mark.parametrize("content", [
    "{broken",
    json.dumps(FILE_2030 | {"year": "2030"}),
    json.dumps(FILE_2030 | {"holidays": ["2031-01-01"]}),
    json.dumps(FILE_2030 | {"workdays": ["2030-10-05"]}),
])
def test_a_bad_file_is_refused_and_nothing_is_written(app, tmp_path, content, monkeypatch):
    calls = []
    monkeypatch.setattr(service, "on_import", [calls.append])
    with app.app_context():
        with pytest.raises(ValidationError) as refused:
            service.import_file(SYSTEM, _write(tmp_path, content))
        assert re.search(r"[\u4e00-\u9fff]", refused.value.message)
        assert db.session.scalar(select(AuditEvent).where(AuditEvent.action == "calendar.import")) is None
    assert not _folder(app).exists() or not any(_folder(app).iterdir())
    assert calls == []


def test_cli_import_and_show(app, runner, tmp_path):
    result = runner("calendar", "import", _write(tmp_path, FILE_2030))
    assert result.exit_code == 0, result.output
    assert "2030" in result.output and FILE_2030["notice"] in result.output
    assert "放假日 7 天" in result.output and "调休上班日 2 天" in result.output
    assert "2001–2026、2030" in result.output
    shown = runner("calendar", "show", 2030)
    assert shown.exit_code == 0 and "导入的官方日历文件" in shown.output and "2030-09-29 星期日" in shown.output


def test_cli_show_a_package_year_and_a_year_without_data(runner):
    shown = runner("calendar", "show", 2026)
    assert shown.exit_code == 0 and "holidays 软件包" in shown.output
    for day in ("2026-01-04 星期日", "2026-02-14 星期六", "2026-02-28 星期六", "2026-05-09 星期六",
                "2026-09-20 星期日", "2026-10-10 星期六", "2026-02-16 星期一", "2026-10-07 星期三"):
        assert day in shown.output
    assert "全年工作日 248 天" in shown.output
    assert "无官方数据" in runner("calendar", "show", 2031).output


@pytest.mark.parametrize("content, words", [
    ("{broken", "JSON"),
    (json.dumps(FILE_2030 | {"holidays": ["2031-01-01"]}), "不在 2030 年内"),
    (json.dumps(FILE_2030 | {"workdays": ["2030-10-05"]}), "同时"),
])
def test_cli_import_of_a_bad_file_exits_non_zero(app, runner, tmp_path, content, words):
    result = runner("calendar", "import", _write(tmp_path, content))
    assert result.exit_code != 0 and words in result.output
    assert "Traceback" not in result.output
    assert not _folder(app).exists() or not os.listdir(_folder(app))


def test_cli_import_of_a_missing_file(runner, tmp_path):
    result = runner("calendar", "import", tmp_path / "nope.json")
    assert result.exit_code != 0 and "找不到日历文件" in result.output
