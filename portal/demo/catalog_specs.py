"""The curated demo catalog: Nanyang departments and the ordered dataset definitions.

The definitions themselves live in ``specs_*.py`` (one file per group of departments) and the
value lists in ``pools.py``; this module fixes the departments and the order in which
``generate_demo(datasets=N)`` takes definitions: round-robin over the departments (each
department's first dataset, then each one's second …), so the first N definitions cover
min(N, number of departments) departments.
"""

from __future__ import annotations

import re

from .columns import (
    DESENSITIZE,
    FIELD_TYPES,
    PII_ENTITIES,
    Spec,
)
from .specs_agriculture import SPECS as _AGRICULTURE
from .specs_city import SPECS as _CITY
from .specs_culture import SPECS as _CULTURE
from .specs_environment import SPECS as _ENVIRONMENT
from .specs_health import SPECS as _HEALTH
from .specs_market import SPECS as _MARKET
from .specs_society import SPECS as _SOCIETY
from .specs_transport import SPECS as _TRANSPORT

__all__ = ["DEPARTMENTS", "DOMAINS", "UPDATE_FREQUENCIES", "OPEN_ACCESS", "SHARE_ACCESS", "SPECS",
           "department_title"]

DEPARTMENTS: list[dict] = [
    {"slug": "scjgj", "title": "南阳市市场监督管理局",
     "description": "负责全市市场综合监督管理、市场主体登记注册、食品药品安全监管和消费者权益保护等工作。"},
    {"slug": "jtysj", "title": "南阳市交通运输局",
     "description": "负责全市公路、城市公共交通、出租汽车和道路运输行业的规划、建设与监督管理。"},
    {"slug": "wjw", "title": "南阳市卫生健康委员会",
     "description": "负责全市医疗卫生服务体系建设、医疗机构和医师执业监管、疾病预防控制及人口监测等工作。"},
    {"slug": "jyj", "title": "南阳市教育局",
     "description": "负责全市各级各类教育的统筹规划、学校和幼儿园管理、学生资助及教育督导工作。"},
    {"slug": "sthjj", "title": "南阳市生态环境局",
     "description": "负责全市生态环境监测、大气和水污染防治、排污许可及生态环境执法监管工作。"},
    {"slug": "wglyj", "title": "南阳市文化广电和旅游局",
     "description": "负责全市文化事业、广播电视、文物保护利用和旅游产业的发展与行业管理。"},
    {"slug": "mzj", "title": "南阳市民政局",
     "description": "负责全市社会救助、养老服务、社会组织登记管理、婚姻登记和区划地名等工作。"},
    {"slug": "rsj", "title": "南阳市人力资源和社会保障局",
     "description": "负责全市就业创业、人力资源市场、职业技能培训、社会保险和劳动关系等工作。"},
    {"slug": "zjj", "title": "南阳市住房和城乡建设局",
     "description": "负责全市建筑市场、房地产市场、物业服务和城乡建设的监督管理及相关行政许可。"},
    {"slug": "gajgzd", "title": "南阳市公安局交通管理支队",
     "description": "负责全市道路交通安全管理、机动车和驾驶人管理、驾驶人考试及交通违法查处工作。"},
    {"slug": "zrghj", "title": "南阳市自然资源和规划局",
     "description": "负责全市自然资源确权登记、国土空间规划、建设用地供应和不动产登记管理工作。"},
    {"slug": "ybj", "title": "南阳市医疗保障局",
     "description": "负责全市基本医疗保险、生育保险和医疗救助管理，以及定点医药机构协议管理和医药价格工作。"},
    {"slug": "nyncj", "title": "南阳市农业农村局",
     "description": "负责全市农业农村发展、农产品市场信息、农民专业合作社和家庭农场的指导服务工作。"},
    {"slug": "cgj", "title": "南阳市城市管理局",
     "description": "负责全市市容环境卫生、公共停车设施、公共厕所和新能源汽车充电设施的规划与管理。"},
]

DOMAINS = ("市场监管", "交通出行", "医疗卫生", "教育文化", "生态环境", "文化旅游", "社会民生", "劳动就业",
           "城建住房", "公共安全", "资源环境", "农业农村", "社会保障")
UPDATE_FREQUENCIES = ("realtime", "daily", "weekly", "monthly", "quarterly", "semiannual", "yearly", "irregular")
OPEN_ACCESS = ("unconditional", "conditional", "closed")
SHARE_ACCESS = ("unconditional", "conditional", "none")

_TITLES = {d["slug"]: d["title"] for d in DEPARTMENTS}
_NAME_RE = re.compile(r"^nanyang-[a-z0-9-]{2,72}$")
_RES_RE = re.compile(r"^[a-z0-9][a-z0-9_-]*$")


def department_title(slug: str) -> str:
    return _TITLES[slug]


def _require(ok: bool, message: str) -> None:
    if not ok:
        raise ValueError(f"invalid demo dataset definition: {message}")


def _check(spec: Spec) -> None:
    """Catch mistakes in a definition at import time rather than in a published package."""
    where = spec.name
    _require(bool(_NAME_RE.match(spec.name)), f"{where}: name")
    _require(spec.dept in _TITLES, f"{where}: unknown department {spec.dept!r}")
    _require(spec.domain in DOMAINS, f"{where}: unknown domain {spec.domain!r}")
    _require(spec.open_access in OPEN_ACCESS and spec.share_access in SHARE_ACCESS, f"{where}: access")
    _require(spec.update_frequency in UPDATE_FREQUENCIES, f"{where}: update_frequency")
    _require((spec.basis is not None) == (spec.open_access != "unconditional"), f"{where}: open_access_basis")
    _require(bool(spec.resources) and len({r.name for r in spec.resources}) == len(spec.resources), where)
    for res in spec.resources:
        _require(bool(_RES_RE.match(res.name)) and 100 <= res.rows <= 50_000, f"{where}: resource {res.name!r}")
        _require(len({c.name for c in res.cols}) == len(res.cols), f"{where}: duplicate column")
        _require(res.unique is None or res.unique in {c.name for c in res.cols}, f"{where}: unique {res.unique!r}")
        for col in res.cols:
            _require(col.type in FIELD_TYPES, f"{where}: {col.name} type {col.type!r}")
            _require(col.pii is None or col.pii in PII_ENTITIES, f"{where}: {col.name} pii")
            _require(col.desensitize is None or col.desensitize in DESENSITIZE, f"{where}: {col.name} desensitize")
            _require((col.desensitize == "keep") == bool(col.basis), f"{where}: {col.name} keep needs a basis")
            _require(spec.open_access != "unconditional" or not col.pii or bool(col.desensitize),
                     f"{where}: {col.name} needs a desensitize decision")


def _round_robin(specs: list[Spec]) -> tuple[Spec, ...]:
    by_dept: dict[str, list[Spec]] = {d["slug"]: [] for d in DEPARTMENTS}
    for spec in specs:
        by_dept[spec.dept].append(spec)
    ordered: list[Spec] = []
    for r in range(max(len(v) for v in by_dept.values())):
        for d in DEPARTMENTS:
            if r < len(by_dept[d["slug"]]):
                ordered.append(by_dept[d["slug"]][r])
    return tuple(ordered)


_ALL = [*_MARKET, *_AGRICULTURE, *_TRANSPORT, *_HEALTH, *_CULTURE, *_ENVIRONMENT, *_SOCIETY, *_CITY]
for _spec in _ALL:
    _check(_spec)
_require(len({s.name for s in _ALL}) == len(_ALL), "duplicate dataset names")

# Definitions in generation order (see the module docstring).
SPECS: tuple[Spec, ...] = _round_robin(_ALL)
