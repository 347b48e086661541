"""The demo catalog: departments, demo accounts, and datasets published through the real pipeline."""

import random
from datetime import date, timedelta
from pathlib import Path

from sqlalchemy import func, select

from anonymization import identifiers

from ..demo import DEPARTMENTS, generate_demo
from ..extensions import db
from ..models import Case, Dataset, Grant, User, utcnow
from ..policies import SYSTEM
from . import grants, publishing, users


def catalog_size() -> int:
    return db.session.scalar(select(func.count()).select_from(Dataset)) or 0


def ensure_accounts(password: str) -> list[str]:
    """Departments, one staff and one head per department, one data-authority admin, and a verified
    citizen (`citizen`) and firm (`firm`) with valid, made-up identifiers to try downloads with."""
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
    rng = random.Random(2026)
    public = [users.Registration("person", "citizen", password, "张明", identifiers.mobile(rng),
                                 id_number=identifiers.cn_id_card(rng, region="411302", birth_date=date(1988, 5, 17))),
              users.Registration("firm", "firm", password, "南阳市宛城区示例科技有限公司", identifiers.mobile(rng),
                                 uscc=identifiers.uscc(rng), agent_name="李娜",
                                 agent_id_number=identifiers.cn_id_card(rng, region="411303"))]
    for registration in public:
        if db.session.scalar(select(User.id).where(User.username == registration.username)) is None:
            users.register(SYSTEM, registration, verified=True)
        created.append(registration.username)
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


def grant_demo() -> str | None:
    """A one-year grant of the first conditional dataset to `citizen`, so the demo shows a grant holder
    (real grants come from approved applications)."""
    name = db.session.scalar(select(Dataset.name).where(Dataset.open_access == "conditional",
                                                        Dataset.current_version_id.is_not(None)).order_by(Dataset.id))
    citizen = db.session.scalar(select(User.id).where(User.username == "citizen"))
    if name is None or citizen is None or db.session.scalar(select(Grant.id).where(Grant.user_id == citizen)):
        return None
    dataset = db.session.scalar(select(Dataset).where(Dataset.name == name))
    now = utcnow()
    grants.create_grant(SYSTEM, name, "citizen", {r.name: [] for r in dataset.current_version.resources}, now,
                        now + timedelta(days=365), "演示：有条件开放数据的授权下载")
    return name


def casework_demo() -> int:
    """A few public things to look at after `make run`: data requests from the demo firm and citizen
    (awaiting the data authority) and ratings on the first unconditional dataset. Through the real
    services, so they carry reference numbers, timelines and notifications. Returns how many were made."""
    from . import data_requests, feedback

    if db.session.scalar(select(func.count()).select_from(Case)):
        return 0
    people = {u.username: u for u in db.session.scalars(select(User).where(User.username.in_(("citizen", "firm"))))}
    if len(people) < 2:
        return 0
    made = 0
    for who, title, description in (
            ("firm", "南阳市公交车辆实时到站数据", "希望开放各线路车辆实时位置与预计到站时间（每分钟更新），用于出行导航应用。"),
            ("citizen", "南阳市中小学学区划分数据", "希望开放各小学、初中的学区范围（街道、小区），便于家长查询。")):
        data_requests.file(people[who], title, description, "new_dataset")
        made += 1
    name = db.session.scalar(select(Dataset.name).where(Dataset.open_access == "unconditional",
                                                        Dataset.current_version_id.is_not(None)).order_by(Dataset.id))
    if name:
        feedback.post(people["citizen"], name, 5, "数据字段说明清楚，更新及时。")
        feedback.post(people["firm"], name, 4, "")
        made += 2
    return made
