"""`portal tokens …` and `portal grants …`: API tokens and grants of conditional data from the shell,
through the same services as the web pages."""

import json
from datetime import datetime

import click


def _run(action):
    from .cli import _app
    from .errors import PortalError

    with _app().app_context():
        try:
            return action()
        except PortalError as exc:
            raise click.ClickException(exc.message) from None


def _user_id(username: str) -> int:
    from .services.users import user_id_for

    return user_id_for(username)


@click.group(help="API 访问令牌（Authorization: Bearer）")
def tokens():
    pass


@tokens.command("create", help="为账号创建令牌；令牌只显示这一次（输出的最后一行）")
@click.argument("username")
@click.option("--name", required=True, help="令牌名称，便于识别和撤销")
def tokens_create(username, name):
    from .policies import SYSTEM
    from .services import tokens as service

    info, token = _run(lambda: service.create_token(SYSTEM, _user_id(username), name))
    click.echo(f"已为 {username} 创建令牌 #{info.id}「{info.name}」，请妥善保存：", err=True)
    click.echo(token)


@tokens.command("list", help="列出账号的令牌（只显示开头几位）")
@click.argument("username")
def tokens_list(username):
    from .policies import SYSTEM
    from .services import tokens as service

    for t in _run(lambda: service.list_tokens(SYSTEM, _user_id(username))):
        state = "已撤销" if t.revoked_at else "有效"
        click.echo(f"#{t.id}\t{t.prefix}…\t{t.name}\t{state}\t创建于 {t.created_at:%Y-%m-%d %H:%M}")


@tokens.command("revoke", help="撤销令牌，立即生效")
@click.argument("token_id", type=int)
def tokens_revoke(token_id):
    from .policies import SYSTEM
    from .services import tokens as service

    _run(lambda: service.revoke_token(SYSTEM, token_id))
    click.echo(f"令牌 #{token_id} 已撤销")


@click.group(help="有条件开放数据的使用授权（申请获批后由业务流程创建；此处供运维）")
def grants():
    pass


def _scope(values: tuple[str, ...]) -> dict:
    """--resource stations --resource readings:时间,AQI -> {"stations": [], "readings": ["时间", "AQI"]}"""
    scope = {}
    for value in values:
        name, _, fields = value.partition(":")
        scope[name.strip()] = [f.strip() for f in fields.replace("，", ",").split(",") if f.strip()]
    return scope


def _date(value: str) -> datetime:
    try:
        return datetime.fromisoformat(value)
    except ValueError:
        raise click.BadParameter(f"日期格式应为 YYYY-MM-DD：{value}") from None


@grants.command("create", help="授予账号在期限内获取数据集的指定资源和字段")
@click.option("--dataset", required=True)
@click.option("--user", "username", required=True)
@click.option("--resource", "resources", multiple=True, required=True,
              help="资源名，或 资源名:字段1,字段2 仅授予这些字段；可重复")
@click.option("--from", "valid_from", required=True, help="开始日期 YYYY-MM-DD")
@click.option("--until", "valid_until", required=True, help="截止日期 YYYY-MM-DD（不含）")
@click.option("--purpose", default="", help="用途")
def grants_create(dataset, username, resources, valid_from, valid_until, purpose):
    from .policies import SYSTEM
    from .services import grants as service

    start, end = _date(valid_from), _date(valid_until)
    grant_id = _run(lambda: service.create_grant(SYSTEM, dataset, username, _scope(resources), start, end, purpose))
    click.echo(json.dumps({"id": grant_id, "dataset": dataset, "user": username}, ensure_ascii=False))


@grants.command("revoke", help="撤销授权，立即生效")
@click.argument("grant_id", type=int)
@click.option("--reason", required=True)
def grants_revoke(grant_id, reason):
    from .policies import SYSTEM
    from .services import grants as service

    _run(lambda: service.revoke_grant(SYSTEM, grant_id, reason))
    click.echo(f"授权 #{grant_id} 已撤销")
