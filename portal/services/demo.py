"""The demo catalog: departments, demo accounts, and datasets published through the real pipeline."""

from pathlib import Path

from sqlalchemy import func, select

from ..demo import DEPARTMENTS, generate_demo
from ..extensions import db
from ..models import Dataset, User
from ..policies import SYSTEM
from . import publishing, users


def catalog_size() -> int:
    return db.session.scalar(select(func.count()).select_from(Dataset)) or 0


def ensure_accounts(password: str) -> list[str]:
    """Departments, one staff and one head per department, and one data-authority admin."""
    created = []
    wanted = [("admin", "admin", "市政务服务和大数据管理局管理员", None)]
    for dept in DEPARTMENTS:
        users.ensure_department(SYSTEM, dept["slug"], dept["title"], dept.get("description", ""))
        wanted.append((f"{dept['slug']}-staff", "staff", f"{dept['title']}经办人", dept["slug"]))
        wanted.append((f"{dept['slug']}-head", "head", f"{dept['title']}主要负责人", dept["slug"]))
    for username, kind, name, dept in wanted:
        if db.session.scalar(select(User.id).where(User.username == username)) is None:
            users.create_user(SYSTEM, username, password, kind, name, dept)
        created.append(username)
    return created


def publish_demo(workdir: Path, count: int, seed: int, scale: float, echo=print) -> int:
    sources = generate_demo(workdir, count, seed, scale)
    failures = 0
    for index, source in enumerate(sources, 1):
        outcome = publishing.publish(SYSTEM, [source.path])
        if outcome.ok:
            echo(f"[{index}/{len(sources)}] {source.name} {outcome.version}（{source.rows} 行）")
        else:
            failures += 1
            echo(f"[{index}/{len(sources)}] {source.name} 发布失败：" +
                 "；".join(p["message"] for p in outcome.problems[:3]))
    return failures
