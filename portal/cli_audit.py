"""`portal audit …`: the tamper-evident audit log (art. 33)."""

import click


@click.group(help="审计日志（第三十三条）：封存与完整性核验")
def audit():
    pass


@audit.command("seal", help="把新的审计事件串入哈希链（`portal worker` 每 5 分钟自动执行）")
@click.option("--now", is_flag=True, help="不等待 5 分钟的提交宽限期，立即封存全部事件（停机维护时用）")
def audit_seal(now):
    from datetime import timedelta

    from .cli import _app
    from .services import audit as service

    with _app().app_context():
        sealed = service.seal(timedelta(0)) if now else service.seal()
    click.echo(f"已封存 {sealed} 条审计事件")


@audit.command("verify", help="核验审计日志哈希链；被改动、删除或插入的事件会使核验失败（退出码 1）")
def audit_verify():
    from .cli import _app
    from .services import audit as service

    with _app().app_context():
        report = service.verify()
    click.echo(report.message)
    if not report.ok:
        raise SystemExit(1)
