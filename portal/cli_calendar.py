"""`portal calendar …`: official working-day calendars (调休 notices of the State Council General Office)."""

from pathlib import Path

import click


@click.group(help="工作日历：导入国务院办公厅节假日安排通知，查看某年的放假与调休")
def calendar():
    pass


@calendar.command("import", help="导入某年的官方工作日历文件（JSON），覆盖 holidays 软件包中该年的数据")
@click.argument("file", type=click.Path(dir_okay=False, path_type=Path))
def calendar_import(file):
    from .cli import _app
    from .errors import PortalError
    from .policies import SYSTEM
    from .services import calendar as service

    with _app().app_context():
        try:
            official = service.import_file(SYSTEM, file)
        except PortalError as exc:
            raise click.ClickException(exc.message) from None
        years = service.calendar().years()
    click.echo(f"已导入 {official.year} 年工作日历（{official.notice}）："
               f"放假日 {len(official.holidays)} 天，调休上班日 {len(official.workdays)} 天")
    click.echo(f"有官方数据的年份：{_ranges(years)}")


@calendar.command("show", help="列出某年的放假日、调休上班日及数据来源")
@click.argument("year", type=click.IntRange(1950, 9998))
def calendar_show(year):
    from .cli import _app
    from .services import calendar as service
    from .workdays import weekday_name

    with _app().app_context():
        work_calendar = service.calendar()
    data = work_calendar.official_year(year)
    source = work_calendar.source(year)
    if source == "imported":
        click.echo(f"{year} 年：导入的官方日历文件（{data.notice}）")
    elif source == "package":
        click.echo(f"{year} 年：{data.notice}")
    else:
        click.echo(f"{year} 年：无官方数据，按 holidays 软件包的规则推定；涉及该年的期限均为临时期限，"
                   f"请用 `portal calendar import FILE` 导入当年通知")
    click.echo(f"放假日（本应上班的日子）{len(data.holidays)} 天：")
    for day in sorted(data.holidays):
        click.echo(f"  {day.isoformat()} {weekday_name(day)}")
    click.echo(f"调休上班日（周末上班）{len(data.workdays)} 天：")
    for day in sorted(data.workdays):
        click.echo(f"  {day.isoformat()} {weekday_name(day)}")
    click.echo(f"全年工作日 {work_calendar.workdays_between(_dec31(year - 1), _dec31(year))} 天")


def _dec31(year):
    from datetime import date

    return date(year, 12, 31)


def _ranges(years: list[int]) -> str:
    parts, start = [], None
    for i, year in enumerate(years):
        start = year if start is None else start
        if i + 1 == len(years) or years[i + 1] != year + 1:
            parts.append(str(year) if start == year else f"{start}–{year}")
            start = None
    return "、".join(parts) or "无"
