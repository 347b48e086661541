"""`portal deadlines sweep`: the clock of applications, for cron or the worker."""

import click


@click.group(help="法定答复期限")
def deadlines():
    pass


@deadlines.command("sweep", help="标记超期申请、发送到期提醒（每项只发一次），可由 cron 每几分钟运行")
def deadlines_sweep():
    from .cli import _app
    from .services import deadlines

    with _app().app_context():
        report = deadlines.sweep()
    click.echo(f"新标记超期 {report.overdue} 件，发送到期提醒 {report.reminders} 条，"
               f"暂定期限转为正式 {report.recomputed} 件，发出邮件 {report.mailed} 封")
