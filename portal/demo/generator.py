"""Write the demo catalog as Frictionless data-package folders (the publishing pipeline's input).

``generate_demo(out_dir, datasets, seed, scale)`` is deterministic: the same arguments give
byte-identical files. Nothing reads the clock or the global ``random`` state; every dataset has
its own ``random.Random`` derived from (seed, dataset name), so a dataset's content does not
depend on how many others are generated, and Faker (zh_CN) is seeded once to build the value
pools (names, trade names, job titles) that the row generators draw from.
"""

from __future__ import annotations

import csv
import io
import json
import random
from dataclasses import dataclass
from itertools import accumulate
from pathlib import Path

from faker import Faker

from anonymization.identifiers import landline

from .catalog_specs import DEPARTMENTS, SPECS, department_title
from .columns import (
    Res,
    Spec,
)
from .pools import DISTRICTS, TRADE_CHARS_A, TRADE_CHARS_B

__all__ = ["DemoSource", "Pools", "build_pools", "generate_demo", "describe"]


@dataclass(frozen=True)
class DemoSource:
    name: str            # dataset slug, e.g. "nanyang-licensed-pharmacies"
    department: str      # department title, one of DEPARTMENTS[i]["title"]
    path: Path           # folder containing datapackage.json and its data files
    rows: int            # total data rows written (all resources)


@dataclass(frozen=True)
class Pools:
    names: tuple[str, ...]
    male_names: tuple[str, ...]
    female_names: tuple[str, ...]
    trade_names: tuple[str, ...]
    villages: tuple[str, ...]
    jobs: tuple[str, ...]


_VILLAGE_SURNAMES = "王李张刘陈杨赵黄周吴徐孙胡朱高林何郭马罗梁宋郑谢韩唐冯于董程曹袁邓许沈彭吕苏卢蒋蔡贾丁魏薛叶余潘杜"
_VILLAGE_SUFFIXES = ("庄", "营", "寨", "岗", "店", "湾", "河", "沟", "洼", "集", "楼", "屯", "坡", "庙")


def _gbk_ok(text: str) -> bool:
    try:
        text.encode("gbk")
    except UnicodeEncodeError:
        return False
    return True


def build_pools(seed: int) -> Pools:
    """Value pools drawn once from a seeded Faker("zh_CN"); row generators only index into them."""
    fake = Faker("zh_CN")
    fake.seed_instance(seed)
    male: dict[str, None] = {}
    female: dict[str, None] = {}
    for _ in range(8000):
        # zh_CN's name_male()/name_female() ignore the sex, so compose surname + gendered given name.
        for pool, given in ((male, fake.first_name_male), (female, fake.first_name_female)):
            name = fake.last_name() + given()
            if _gbk_ok(name) and len(pool) < 2000:
                pool.setdefault(name)
        if len(male) >= 2000 and len(female) >= 2000:
            break
    names = dict.fromkeys(n for pair in zip(male, female, strict=False) for n in pair)
    # Trade names (字号): every two-character combination plus some four-character ones.
    two = [a + b for a in TRADE_CHARS_A for b in TRADE_CHARS_B if a != b]
    shuffler = random.Random(f"nanyang-demo/{seed}/trade-names")
    four = {shuffler.choice(two) + shuffler.choice(two): None for _ in range(4000)}
    trade_names = [*two, *(n for n in four if len(set(n)) == 4)]
    shuffler.shuffle(trade_names)
    jobs: dict[str, None] = {}
    for _ in range(3000):
        job = fake.job()
        if "其他" not in job and len(job) <= 14 and _gbk_ok(job):
            jobs.setdefault(job)
    villages = tuple(s + x for s in _VILLAGE_SURNAMES for x in _VILLAGE_SUFFIXES)
    return Pools(tuple(names), tuple(male), tuple(female), tuple(trade_names), villages, tuple(jobs))


_UNIQUE_ATTEMPTS = 40


def _row_count(res: Res, scale: float) -> int:
    return max(20, round(res.rows * scale))


def describe(spec: Spec, rng: random.Random, pools: Pools) -> dict:
    """The datapackage.json descriptor of ``spec`` (without hash / bytes / encoding)."""
    dept = next(d for d in DEPARTMENTS if d["slug"] == spec.dept)
    out: dict = {
        "name": spec.name,
        "title": spec.title,
        "description": spec.description,
        "version": "1.0.0",
        "keywords": list(spec.keywords),
        "licenses": [{"name": spec.license}],
        "department": dept["title"],
        "domain": spec.domain,
        "open_access": spec.open_access,
    }
    if spec.basis:
        out["open_access_basis"] = spec.basis
    out["share_access"] = spec.share_access
    out["update_frequency"] = spec.update_frequency
    out["contact"] = {
        "name": rng.choice(pools.names),
        "phone": landline(rng),
        "email": f"{dept['slug']}@nanyang.gov.cn",
    }
    out["resources"] = [
        {
            "name": res.name,
            "path": f"{res.name}.csv",
            "format": "csv",
            "schema": {"fields": [col.schema() for col in res.cols]},
        }
        for res in spec.resources
    ]
    return out


def _write_resource(path: Path, res: Res, n: int, rng: random.Random, pools: Pools, state: dict,
                    encoding: str) -> None:
    buf = io.StringIO()
    # Office exports in GBK come from Windows tools: CRLF; the UTF-8 files use LF.
    writer = csv.writer(buf, lineterminator="\r\n" if encoding != "utf-8" else "\n")
    writer.writerow([c.name for c in res.cols])
    gens = [c.gen for c in res.cols]
    cum = list(accumulate(res.district_weights)) if res.district_weights else None
    key = [c.name for c in res.cols].index(res.unique) if res.unique else None
    seen: set[str] = set()
    rows = []
    for i in range(n):
        for _attempt in range(_UNIQUE_ATTEMPTS):
            ctx = {"i": i, "P": pools, "S": state}
            if cum is not None:
                ctx["d"] = rng.choices(DISTRICTS, cum_weights=cum)[0]
            row = [g(rng, ctx) for g in gens]
            if key is None or row[key] not in seen:
                break
        if key is not None:  # after the last attempt a repeat is accepted rather than looping on
            seen.add(row[key])
        rows.append(row)
        if len(rows) >= 5000:
            writer.writerows(rows)
            rows.clear()
    writer.writerows(rows)
    path.write_bytes(buf.getvalue().encode(encoding))  # strict: a character GBK lacks is a bug


def generate_demo(out_dir: Path, datasets: int = 48, seed: int = 2026, scale: float = 1.0) -> list[DemoSource]:
    """Write the first ``datasets`` demo definitions under ``out_dir`` (one folder each).

    Row counts are ``max(20, round(base * scale))`` per resource. Existing files of the same
    names are overwritten; nothing else in ``out_dir`` is touched.
    """
    if isinstance(datasets, bool) or not isinstance(datasets, int) or datasets < 1:
        raise ValueError(f"datasets must be a positive integer, got {datasets!r}")
    if datasets > len(SPECS):
        raise ValueError(f"datasets={datasets} is more than the {len(SPECS)} demo dataset definitions available")
    if not scale > 0:
        raise ValueError(f"scale must be positive, got {scale!r}")
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    pools = build_pools(seed)
    sources: list[DemoSource] = []
    for spec in SPECS[:datasets]:
        rng = random.Random(f"nanyang-demo/{seed}/{spec.name}")
        folder = out_dir / spec.name
        folder.mkdir(exist_ok=True)
        descriptor = describe(spec, rng, pools)
        sizes = {res.name: _row_count(res, scale) for res in spec.resources}
        state: dict = {}
        if spec.prepare is not None:
            spec.prepare(rng, sizes, state)
        for res in spec.resources:
            _write_resource(folder / f"{res.name}.csv", res, sizes[res.name], rng, pools, state, spec.encoding)
        text = json.dumps(descriptor, ensure_ascii=False, indent=2) + "\n"
        (folder / "datapackage.json").write_bytes(text.encode("utf-8"))
        sources.append(DemoSource(spec.name, department_title(spec.dept), folder, sum(sizes.values())))
    return sources
