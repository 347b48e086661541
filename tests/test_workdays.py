"""The working-day calendar (DESIGN §2): package data, 调休, deadlines, calendar files."""

import json
import random
import re
from datetime import date, timedelta

import pytest

from portal import workdays
from portal.workdays import (
    CalendarFileError,
    Deadline,
    OfficialYear,
    WorkCalendar,
    load_calendar,
    parse_calendar_file,
)

CHINESE = re.compile(r"[\u4e00-\u9fff]")
# 国务院办公厅关于2026年部分节假日安排的通知: the weekend days worked
MAKE_UP_2026 = [date(2026, 1, 4), date(2026, 2, 14), date(2026, 2, 28), date(2026, 5, 9), date(2026, 9, 20),
                date(2026, 10, 10)]
NO_DATA_YEAR = 2030  # far enough ahead that no package release will have its notice


def _days(first: date, last: date):
    while first <= last:
        yield first
        first += timedelta(days=1)


def test_2026_make_up_weekend_days_are_working_days():
    for day in MAKE_UP_2026:
        assert day.weekday() >= 5, day
        assert workdays.is_workday(day), day


def test_2026_breaks_are_days_off():
    # Spring Festival: 2月15日（腊月二十八）至23日放假调休，共9天; National Day: 10月1日至7日，共7天
    for day in [*_days(date(2026, 2, 15), date(2026, 2, 23)), *_days(date(2026, 10, 1), date(2026, 10, 7))]:
        assert not workdays.is_workday(day), day
    assert not workdays.is_workday(date(2026, 1, 1)) and not workdays.is_workday(date(2026, 1, 2))
    assert workdays.is_workday(date(2026, 2, 13)) and workdays.is_workday(date(2026, 2, 24))
    assert workdays.is_workday(date(2026, 9, 30)) and workdays.is_workday(date(2026, 10, 8))
    assert not workdays.is_workday(date(2026, 3, 7))  # an ordinary Saturday


def test_package_years_are_official_up_to_2026_only():
    cal = WorkCalendar()
    assert cal.is_official(2020) and cal.is_official(2026)
    assert not cal.is_official(NO_DATA_YEAR) and not cal.is_official(1999)
    assert {2001, 2026} <= set(cal.years()) and NO_DATA_YEAR not in cal.years()
    assert cal.source(2026) == "package" and cal.source(NO_DATA_YEAR) is None
    assert set(MAKE_UP_2026) == cal.official_year(2026).workdays


def test_every_day_2020_to_2026_agrees_with_chinese_calendar():
    chinese_calendar = pytest.importorskip("chinese_calendar")
    disagreements = [day for day in _days(date(2020, 1, 1), date(2026, 12, 31))
                     if workdays.is_workday(day) != chinese_calendar.is_workday(day)]
    assert disagreements == []


def test_ten_working_days_across_national_day_2026():
    # 9/29 9/30 | 10/1–10/7 off | 10/8 10/9 10/10(Sat, 调休) 10/12 … 10/16
    assert workdays.deadline(date(2026, 9, 28), 10) == Deadline(date(2026, 10, 16), provisional=False)


def test_ten_working_days_across_spring_festival_2026():
    # 2/11 2/12 2/13 2/14(Sat, 调休) | 2/15–2/23 off | 2/24 … 2/27 2/28(Sat, 调休) 3/2
    assert workdays.deadline(date(2026, 2, 10), 10) == Deadline(date(2026, 3, 2), provisional=False)


def test_submission_on_a_weekend():
    assert workdays.add_workdays(date(2026, 3, 1), 5) == date(2026, 3, 6)  # Sunday: Monday is day 1
    assert workdays.add_workdays(date(2026, 9, 27), 5) == date(2026, 10, 9)  # Sunday before the break
    assert workdays.add_workdays(date(2026, 1, 3), 1) == date(2026, 1, 4)  # the make-up Sunday counts


def test_n_zero_returns_the_start_and_negative_is_refused():
    assert workdays.add_workdays(date(2026, 10, 3), 0) == date(2026, 10, 3)
    assert workdays.deadline(date(2026, 10, 3), 0) == Deadline(date(2026, 10, 3), False)
    with pytest.raises(ValueError):
        workdays.add_workdays(date(2026, 10, 3), -1)


def test_workdays_between_is_the_inverse_of_add_workdays():
    rng = random.Random(46)
    cal = WorkCalendar()
    for _ in range(400):
        start = date(2019, 1, 1) + timedelta(days=rng.randrange(365 * 10))
        n = rng.randrange(0, 60)
        due = cal.add_workdays(start, n)
        assert cal.workdays_between(start, due) == n
        if n:
            assert cal.is_workday(due)
            assert cal.workdays_between(start, due - timedelta(days=1)) == n - 1
        assert cal.workdays_between(start - timedelta(days=1), start) == int(cal.is_workday(start))
    assert cal.workdays_between(date(2026, 5, 1), date(2026, 5, 1)) == 0
    assert cal.workdays_between(date(2026, 5, 8), date(2026, 5, 1)) == 0
    assert cal.workdays_between(date(2025, 12, 31), date(2026, 12, 31)) == 248  # 261 weekdays - 19 off + 6 调休


def test_long_spans_cross_years():
    assert workdays.add_workdays(date(2026, 1, 1), 600) > date(2028, 1, 1)
    assert workdays.workdays_between(date(2024, 1, 1), workdays.add_workdays(date(2024, 1, 1), 600)) == 600


def _official(year, holidays=(), worked=(), notice="测试通知"):
    return OfficialYear(year, notice, frozenset(holidays), frozenset(worked))


def test_a_year_without_official_data_is_provisional_until_imported():
    # estimate for 2030: National Day 10/1–10/3 (Tue–Thu) off, no 调休
    estimated = WorkCalendar()
    assert estimated.deadline(date(2030, 9, 27), 5) == Deadline(date(2030, 10, 9), provisional=True)
    official = WorkCalendar({2030: _official(2030, _days(date(2030, 10, 1), date(2030, 10, 7)),
                                             [date(2030, 9, 29), date(2030, 10, 12)])})
    # 9/29(Sun, 调休) 9/30 | 10/1–10/7 off | 10/8 10/9 10/10
    assert official.deadline(date(2030, 9, 27), 5) == Deadline(date(2030, 10, 10), provisional=False)
    assert official.is_workday(date(2030, 10, 12)) and not official.is_workday(date(2030, 10, 4))
    assert official.source(2030) == "imported" and 2030 in official.years()


def test_provisional_when_the_counted_days_reach_a_year_without_data():
    only_2029 = WorkCalendar({2029: _official(2029)})
    assert not only_2029.deadline(date(2029, 12, 3), 10).provisional
    crossing = only_2029.deadline(date(2029, 12, 20), 10)
    assert crossing.due.year == 2030 and crossing.provisional
    assert crossing.due == date(2030, 1, 4)  # the package's estimate: 2030-01-01 off
    both = WorkCalendar({2029: _official(2029), 2030: _official(2030)})  # 2030 file: no holidays at all
    assert both.deadline(date(2029, 12, 20), 10) == Deadline(date(2030, 1, 3), False)
    assert not only_2029.deadline(date(2029, 6, 1), 0).provisional  # n=0: the start's year
    assert only_2029.deadline(date(2028, 12, 31), 0).provisional


def test_an_imported_year_overrides_the_package():
    cal = WorkCalendar({2026: _official(2026, [date(2026, 3, 2)])})  # no 调休 at all
    assert not cal.is_workday(date(2026, 3, 2)) and not cal.is_workday(date(2026, 2, 14))
    assert cal.is_workday(date(2026, 2, 16))  # the file, not the package, says what is off


FILE_2030 = {"year": 2030, "notice": "国办发明电〔2029〕9号（测试）",
             "holidays": ["2030-10-01", "2030-10-02", "2030-10-03", "2030-10-04", "2030-10-05", "2030-10-06",
                          "2030-10-07"],
             "workdays": ["2030-09-29", "2030-10-12"]}


def test_a_valid_file_parses_and_weekend_holidays_are_allowed():
    official = parse_calendar_file(json.dumps(FILE_2030, ensure_ascii=False))
    assert official.year == 2030 and official.notice.startswith("国办发明电")
    assert date(2030, 10, 5) in official.holidays and len(official.workdays) == 2
    assert parse_calendar_file(("\ufeff" + json.dumps(FILE_2030)).encode("utf-8")) == official
    assert parse_calendar_file(official.to_json()) == official


@pytest.mark.parametrize("text, words", [
    ("{not json", "JSON"),
    ("[2030]", "顶层"),
    (json.dumps(FILE_2030 | {"year": "2030"}), "整数"),
    (json.dumps(FILE_2030 | {"year": 1900}), "范围"),
    (json.dumps({k: v for k, v in FILE_2030.items() if k != "year"}), "year"),
    (json.dumps(FILE_2030 | {"notice": ""}), "notice"),
    (json.dumps(FILE_2030 | {"holidays": "2030-10-01"}), "列表"),
    (json.dumps(FILE_2030 | {"holidays": [20301001]}), "YYYY-MM-DD"),
    (json.dumps(FILE_2030 | {"holidays": ["2030/10/01"]}), "YYYY-MM-DD"),
    (json.dumps(FILE_2030 | {"holidays": ["2030-02-30"]}), "不是存在的日期"),
    (json.dumps(FILE_2030 | {"holidays": ["2031-01-01"]}), "不在 2030 年内"),
    (json.dumps(FILE_2030 | {"workdays": ["2029-12-29"]}), "不在 2030 年内"),
    (json.dumps(FILE_2030 | {"workdays": ["2030-10-05"]}), "同时"),
    (json.dumps(FILE_2030 | {"workdays": ["2030-10-08"]}), "星期六或星期日"),
    (json.dumps({k: v for k, v in FILE_2030.items() if k != "workdays"}), "空列表"),
    (json.dumps(FILE_2030 | {"holiday": []}), "无法识别"),
    (b"\xff\xfe\x00bad", "UTF-8"),
])
def test_bad_files_are_refused_with_a_chinese_message(text, words):
    with pytest.raises(CalendarFileError) as refused:
        parse_calendar_file(text)
    message = str(refused.value)
    assert words in message and CHINESE.search(message), message
    assert isinstance(refused.value, ValueError)


def test_load_calendar_reads_valid_files_and_skips_bad_ones(tmp_path):
    assert load_calendar(tmp_path / "missing").years() == WorkCalendar().years()
    (tmp_path / "2030.json").write_text(json.dumps(FILE_2030, ensure_ascii=False), encoding="utf-8")
    (tmp_path / "2031.json").write_text("{broken", encoding="utf-8")
    (tmp_path / "notes.txt").write_text("not a calendar", encoding="utf-8")
    cal = load_calendar(tmp_path)
    assert cal.imported_years() == [2030] and cal.is_official(2030) and not cal.is_official(2031)
    assert cal.is_workday(date(2030, 9, 29))
