"""The working-day calendar (DESIGN §2). Pure: no Flask, no database.

A working day is Monday–Friday, minus statutory holidays, plus make-up working weekend days
(调休), as set each year by the State Council General Office notice (国务院办公厅关于××年部分节假日
安排的通知). Two sources, the second overriding the first for its year:

1. The `holidays` package's China calendar. `holidays.China` lists the days off (festivals, their
   observed days and the substituted days "休息日（由 YYYY-MM-DD 调休）") and, in
   `weekend_workdays`, the make-up working weekend days. Only the years that carry data transcribed
   from a notice count as official: the years with an entry in
   `ChinaStaticHolidays.special_public_holidays` (the notice's swaps), from 2001 (the first notice
   the package checked) on. Every other year is the package's rule-based estimate — festivals and
   weekend-observed days, no 调休 — used only for provisional deadlines.
2. Official calendar files the data authority imports (`portal calendar import FILE`), JSON:

       {"year": 2027, "notice": "国办发明电〔2026〕N号",
        "holidays": ["2027-01-01", "2027-02-08", …],   # days off that would otherwise be working days
        "workdays": ["2027-02-20", …]}                # make-up working days (Saturdays / Sundays)

   Rules: every date is "YYYY-MM-DD" inside `year`; a date may not be in both lists; a make-up
   working day must be a Saturday or Sunday; a holiday may fall on a weekend (the notice's whole
   break can be copied as written — weekend days in it change nothing). Optional key: "note".

A deadline is *provisional* when any day counted lies in a year without official data; it is
computed with the package's estimate and must be recomputed once the year's file is imported.
"""

from __future__ import annotations

import bisect
import json
import logging
import re
import threading
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from pathlib import Path

log = logging.getLogger(__name__)

FIRST_NOTICE_YEAR = 2001  # the package's China calendar is checked against the notices from 2001 on
MIN_YEAR, MAX_YEAR = 2000, 2100  # accepted in calendar files
PACKAGE_NOTICE = "国务院办公厅部分节假日安排通知（holidays 软件包收录）"
_WEEKDAYS = "一二三四五六日"


@dataclass(frozen=True)
class Deadline:
    due: date  # the deadline day: the clock runs out at the end of this day
    provisional: bool  # True when any day counted lies in a year without official data


@dataclass(frozen=True)
class OfficialYear:
    year: int
    notice: str
    holidays: frozenset[date]  # days off that would otherwise be working days (may include weekend days)
    workdays: frozenset[date]  # make-up working weekend days

    def to_json(self) -> str:
        return json.dumps({"year": self.year, "notice": self.notice,
                           "holidays": [d.isoformat() for d in sorted(self.holidays)],
                           "workdays": [d.isoformat() for d in sorted(self.workdays)]},
                          ensure_ascii=False, indent=2) + "\n"


class CalendarFileError(ValueError):
    """A calendar file that cannot be used; str(error) is a message in Chinese for the operator."""

    def __init__(self, message: str):
        super().__init__(message)
        self.message = message


def weekday_name(day: date) -> str:
    return "星期" + _WEEKDAYS[day.weekday()]


# --- the holidays package ---------------------------------------------------------------------

def package_official_years() -> frozenset[int]:
    """Years for which the package carries State Council notice data (see the module docstring)."""
    try:
        from holidays.countries.china import ChinaStaticHolidays

        years = ChinaStaticHolidays.special_public_holidays.keys()
    except (ImportError, AttributeError):  # a future package layout: trust nothing rather than guess
        log.warning("holidays 软件包结构已变化，无法判断哪些年份有官方数据；所有年份按临时计算")
        return frozenset()
    return frozenset(y for y in years if isinstance(y, int) and y >= FIRST_NOTICE_YEAR)


_PACKAGE_OFFICIAL = package_official_years()
_package_cache: dict[int, tuple[frozenset[date], frozenset[date]]] = {}
_package_lock = threading.Lock()


def _package_year(year: int) -> tuple[frozenset[date], frozenset[date]]:
    """(weekdays off, weekend days worked) of `year` according to the package."""
    cached = _package_cache.get(year)
    if cached is not None:
        return cached
    import holidays

    # A notice may set a make-up day in the previous year (e.g. 2001-12-29 in the 2002 notice),
    # so the next year is populated too; its days are filtered out.
    cn = holidays.China(years={year, year + 1} if year < date.max.year else {year})
    off = frozenset(d for d in cn if d.year == year and d.weekday() < 5)
    worked = frozenset(d for d in cn.weekend_workdays if d.year == year and d.weekday() >= 5)
    with _package_lock:
        _package_cache[year] = (off, worked)
    return off, worked


# --- calendar files ---------------------------------------------------------------------------

_DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
_KEYS = {"year", "notice", "holidays", "workdays", "note"}


def parse_calendar_file(text: str | bytes) -> OfficialYear:
    """Validate an official calendar file (format in the module docstring); CalendarFileError if unusable."""
    if isinstance(text, bytes):
        try:
            text = text.decode("utf-8")
        except UnicodeDecodeError:
            raise CalendarFileError("日历文件不是 UTF-8 编码的文本") from None
    text = text.lstrip("\ufeff")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise CalendarFileError(f"日历文件不是有效的 JSON：第 {exc.lineno} 行第 {exc.colno} 列附近有语法错误") from None
    except RecursionError:
        raise CalendarFileError("日历文件不是有效的 JSON：嵌套层数过多") from None
    if not isinstance(data, dict):
        raise CalendarFileError("日历文件的顶层应为 JSON 对象，包含 year、notice、holidays、workdays")
    unknown = sorted(set(data) - _KEYS)
    if unknown:
        raise CalendarFileError(f"日历文件包含无法识别的字段：{'、'.join(map(str, unknown))}"
                                f"（允许的字段：year、notice、holidays、workdays、note）")
    year = data.get("year")
    if year is None:
        raise CalendarFileError("日历文件缺少 year（年份）")
    if isinstance(year, bool) or not isinstance(year, int):
        raise CalendarFileError(f"year 应为整数年份，例如 2027，而不是 {json.dumps(year, ensure_ascii=False)}")
    if not MIN_YEAR <= year <= MAX_YEAR:
        raise CalendarFileError(f"年份 {year} 不在可接受的范围（{MIN_YEAR}–{MAX_YEAR}）内")
    notice = data.get("notice")
    if not isinstance(notice, str) or not notice.strip():
        raise CalendarFileError("日历文件缺少 notice（国务院办公厅通知的文号或标题），或它不是文本")
    if "note" in data and not isinstance(data["note"], str):
        raise CalendarFileError("note 应为文本")
    days = {key: _dates(data, key, year) for key in ("holidays", "workdays")}
    both = sorted(days["holidays"] & days["workdays"])
    if both:
        raise CalendarFileError(f"以下日期同时列为放假日和调休上班日：{_list(both)}")
    weekdays = sorted(d for d in days["workdays"] if d.weekday() < 5)
    if weekdays:
        raise CalendarFileError(f"调休上班日应为星期六或星期日，以下日期本来就是工作日：{_list(weekdays)}")
    return OfficialYear(year, notice.strip(), frozenset(days["holidays"]), frozenset(days["workdays"]))


def _dates(data: dict, key: str, year: int) -> set[date]:
    label = {"holidays": "holidays（放假日）", "workdays": "workdays（调休上班日）"}[key]
    values = data.get(key)
    if values is None:
        raise CalendarFileError(f"日历文件缺少 {label}；没有这类日期时请写空列表 []")
    if not isinstance(values, list):
        raise CalendarFileError(f"{label} 应为日期列表，例如 [\"{year}-01-01\"]")
    result, outside = set(), []
    for value in values:
        if not isinstance(value, str) or not _DATE.match(value):
            raise CalendarFileError(f"{label} 中的 {json.dumps(value, ensure_ascii=False)} 不是 YYYY-MM-DD 格式的日期")
        try:
            day = date.fromisoformat(value)
        except ValueError:
            raise CalendarFileError(f"{label} 中的 {value} 不是存在的日期") from None
        if day.year != year:
            outside.append(day)
        result.add(day)
    if outside:
        raise CalendarFileError(f"{label} 中的以下日期不在 {year} 年内：{_list(sorted(outside))}")
    return result


def _list(days: Iterable[date]) -> str:
    return "、".join(f"{d.isoformat()}（{weekday_name(d)}）" for d in days)


# --- the calendar -----------------------------------------------------------------------------

class WorkCalendar:
    """Working days from the package, overridden per year by imported official files."""

    def __init__(self, official_years: Mapping[int, OfficialYear] | None = None):
        self._imported: dict[int, OfficialYear] = dict(official_years or {})
        self._years: dict[int, list[int]] = {}  # year -> sorted ordinals of its working days
        self._lock = threading.Lock()

    # sources

    def is_official(self, year: int) -> bool:
        return year in self._imported or year in _PACKAGE_OFFICIAL

    def years(self) -> list[int]:
        """Years with official data (package + imported)."""
        return sorted(_PACKAGE_OFFICIAL | self._imported.keys())

    def imported_years(self) -> list[int]:
        return sorted(self._imported)

    def source(self, year: int) -> str | None:
        """"imported", "package" or None (no official data: the package's estimate is used)."""
        if year in self._imported:
            return "imported"
        return "package" if year in _PACKAGE_OFFICIAL else None

    def official_year(self, year: int) -> OfficialYear:
        """The year's days off (weekdays only, for the package) and make-up workdays, whatever the source."""
        if year in self._imported:
            return self._imported[year]
        off, worked = _package_year(year)
        notice = PACKAGE_NOTICE if year in _PACKAGE_OFFICIAL else "无官方数据（holidays 软件包按规则推定）"
        return OfficialYear(year, notice, off, worked)

    # days

    def _workdays_of(self, year: int) -> list[int]:
        cached = self._years.get(year)
        if cached is not None:
            return cached
        if year in self._imported:
            official = self._imported[year]
            off, worked = official.holidays, official.workdays
        else:
            off, worked = _package_year(year)
        first = date(year, 1, 1).toordinal()
        last = date(year, 12, 31).toordinal()
        off_ordinals = {d.toordinal() for d in off}
        worked_ordinals = {d.toordinal() for d in worked}
        days = [o for o in range(first, last + 1)
                if o in worked_ordinals or (o not in off_ordinals and date.fromordinal(o).weekday() < 5)]
        with self._lock:
            self._years[year] = days
        return days

    def is_workday(self, day: date) -> bool:
        days = self._workdays_of(day.year)
        o = day.toordinal()
        i = bisect.bisect_left(days, o)
        return i < len(days) and days[i] == o

    def add_workdays(self, start: date, n: int) -> date:
        """The n-th working day after `start` (start itself not counted); n=0 returns start."""
        if n < 0:
            raise ValueError("n must be >= 0")
        if n == 0:
            return start
        year, after = start.year, start.toordinal()
        while True:
            days = self._workdays_of(year)
            i = bisect.bisect_right(days, after)
            remaining = len(days) - i
            if n <= remaining:
                return date.fromordinal(days[i + n - 1])
            n -= remaining
            year += 1

    def workdays_between(self, start: date, end: date) -> int:
        """Working days in (start, end]; 0 if end <= start."""
        if end <= start:
            return 0
        total = 0
        for year in range(start.year, end.year + 1):
            days = self._workdays_of(year)
            lo = bisect.bisect_right(days, start.toordinal()) if year == start.year else 0
            hi = bisect.bisect_right(days, end.toordinal()) if year == end.year else len(days)
            total += hi - lo
        return total

    def deadline(self, clock_start: date, n: int) -> Deadline:
        """DESIGN §2: the clock-start day is not counted; due = end of the n-th working day after it."""
        due = self.add_workdays(clock_start, n)
        first = clock_start + timedelta(days=1) if n else clock_start
        provisional = any(not self.is_official(y) for y in range(first.year, due.year + 1))
        return Deadline(due, provisional)


def load_calendar(folder) -> WorkCalendar:
    """A calendar with every valid *.json file of `folder` (missing folder = none); bad files are logged and skipped."""
    official: dict[int, OfficialYear] = {}
    root = Path(folder) if folder else None
    if root is not None and root.is_dir():
        for path in sorted(root.glob("*.json")):
            try:
                year = parse_calendar_file(path.read_bytes())
            except (OSError, CalendarFileError) as exc:
                log.warning("跳过日历文件 %s：%s", path, exc)
                continue
            if year.year in official and path.stem != str(year.year):
                log.warning("日历文件 %s 与已读取的 %s 年文件重复，忽略", path, year.year)
                continue
            official[year.year] = year
    return WorkCalendar(official)


# --- module-level conveniences on the default calendar (package data only) ----------------------

default_calendar = WorkCalendar()


def is_workday(day: date) -> bool:
    return default_calendar.is_workday(day)


def add_workdays(start: date, n: int) -> date:
    return default_calendar.add_workdays(start, n)


def workdays_between(start: date, end: date) -> int:
    return default_calendar.workdays_between(start, end)


def deadline(clock_start: date, n: int) -> Deadline:
    return default_calendar.deadline(clock_start, n)
