"""Value generators for places, people, identifiers and organisations (see ``columns`` for the
generator protocol). The row's district is chosen once and shared by every column of the row,
so names, addresses, coordinates, postcodes and ID/USCC region codes agree."""

from __future__ import annotations

import random
from collections.abc import Sequence
from datetime import date
from itertools import accumulate

from anonymization import identifiers as ids

from .columns import Col, Gen, P
from .pools import CITY_ROADS, COUNTY_ROADS, DISTRICTS, URBAN

# ---- places ------------------------------------------------------------------------------

_D_CUM = list(accumulate(d.weight for d in DISTRICTS))


def district_of(rng: random.Random, ctx: dict):
    d = ctx.get("d")
    if d is None:
        d = ctx["d"] = rng.choices(DISTRICTS, cum_weights=_D_CUM)[0]
    return d


def district(full: bool = False) -> Gen:
    """The row's district / county name (chosen once per row, weighted by size)."""
    def gen(rng, ctx):
        d = district_of(rng, ctx)
        return d.full if full else d.name
    return gen


def town_of(rng: random.Random, ctx: dict) -> str:
    t = ctx.get("t")
    if t is None:
        d = district_of(rng, ctx)
        t = ctx["t"] = d.towns[int(rng.random() * len(d.towns))]
    return t


def town() -> Gen:
    return town_of


def short_town(name: str) -> str:
    """东关街道 → 东关, 袁店回族乡 → 袁店, 源潭镇 → 源潭."""
    for suffix in ("回族乡", "街道", "镇", "乡"):
        if name.endswith(suffix):
            return name[: -len(suffix)]
    return name


def agency_name(d, suffix: str) -> str:
    """The district-level office: 南阳市宛城区市场监督管理局 / 唐河县市场监督管理局."""
    return f"南阳市{d.name}{suffix}" if d.name in URBAN else f"{d.name}{suffix}"


def local_agency(suffix: str) -> Gen:
    return lambda rng, ctx: agency_name(district_of(rng, ctx), suffix)


def road_of(rng: random.Random, ctx: dict) -> str:
    d = district_of(rng, ctx)
    roads = CITY_ROADS if d.name in URBAN else COUNTY_ROADS
    return roads[int(rng.random() * len(roads))]


def address(detail: bool = True, prefix: bool = True) -> Gen:
    """A street address in the row's district, e.g. 南阳市宛城区仲景路218号 / 南阳市唐河县源潭镇人民路36号."""
    def gen(rng, ctx):
        d = district_of(rng, ctx)
        head = d.full if prefix else d.name
        if d.name in URBAN:
            s = f"{head}{road_of(rng, ctx)}{rng.randint(1, 1800)}号"
        else:
            s = f"{head}{town_of(rng, ctx)}{road_of(rng, ctx)}{rng.randint(1, 400)}号"
        if detail and rng.random() < 0.25:
            s += f"{rng.randint(1, 30)}号楼{rng.randint(1, 6)}单元"
        return s
    return gen


def village_of(rng: random.Random, ctx: dict) -> str:
    v = ctx.get("v")
    if v is None:
        villages = ctx["P"].villages
        v = ctx["v"] = villages[int(rng.random() * len(villages))]
    return v


def village_address(group: bool = True) -> Gen:
    """南阳市唐河县源潭镇王庄村3组 (the row's village, stored under ``"v"``)."""
    def gen(rng, ctx):
        d = district_of(rng, ctx)
        tail = f"{rng.randint(1, 12)}组" if group else ""
        return f"{d.full}{town_of(rng, ctx)}{village_of(rng, ctx)}村{tail}"
    return gen


def lat() -> Gen:
    def gen(rng, ctx):
        d = district_of(rng, ctx)
        return f"{d.lat + rng.uniform(-d.spread, d.spread):.6f}"
    return gen


def lon() -> Gen:
    def gen(rng, ctx):
        d = district_of(rng, ctx)
        return f"{d.lon + rng.uniform(-d.spread, d.spread) * 1.2:.6f}"
    return gen


def postcode() -> Gen:
    def gen(rng, ctx):
        pcs = district_of(rng, ctx).postcodes
        return pcs[int(rng.random() * len(pcs))]
    return gen


# ---- people and identifiers --------------------------------------------------------------

def person(key: str | None = None) -> Gen:
    """A Chinese name. The first person of a row fixes ``ctx["sex"]``, which a later ID number
    column of the row follows, so name, ID number and 性别 agree."""
    def gen(rng, ctx):
        male = rng.random() < 0.5
        names = ctx["P"].male_names if male else ctx["P"].female_names
        v = names[int(rng.random() * len(names))]
        ctx.setdefault("sex", "男" if male else "女")
        if key:
            ctx[key] = v
        return v
    return gen


def id_card(birth: tuple[int, int] = (1950, 2005), key: str = "idc") -> Gen:
    """A valid ID number registered in the row's district; stores it under ``key``."""
    lo, hi = date(birth[0], 1, 1).toordinal(), date(birth[1], 12, 31).toordinal()

    def gen(rng, ctx):
        d = district_of(rng, ctx)
        v = ids.cn_id_card(rng, d.code, date.fromordinal(rng.randint(lo, hi)), ctx.get("sex"))
        ctx[key] = v
        return v
    return gen


def sex_from_id(key: str = "idc") -> Gen:
    return lambda rng, ctx: "男" if int(ctx[key][16]) % 2 else "女"


def birth_from_id(key: str = "idc") -> Gen:
    return lambda rng, ctx: f"{ctx[key][6:10]}-{ctx[key][10:12]}-{ctx[key][12:14]}"


def mobile() -> Gen:
    return lambda rng, ctx: ids.mobile(rng)


def landline() -> Gen:
    return lambda rng, ctx: ids.landline(rng)


def uscc(prefix: str | Sequence[str] = "91") -> Gen:
    """A USCC registered in the row's district; an earlier column may force the prefix by
    setting ``ctx["uscc_prefix"]``."""
    prefixes = (prefix,) if isinstance(prefix, str) else tuple(prefix)

    def gen(rng, ctx):
        p = ctx.get("uscc_prefix")
        if p is None:
            p = "91" if "公司" in ctx.get("org", "") else prefixes[int(rng.random() * len(prefixes))]
        v = ids.uscc(rng, p, district_of(rng, ctx).code)
        ctx["uscc"] = v
        return v
    return gen


def plate(p_new_energy: float = 0.15) -> Gen:
    return lambda rng, ctx: ids.plate(rng, new_energy=rng.random() < p_new_energy)


def bank_card() -> Gen:
    return lambda rng, ctx: ids.bank_card(rng)


_MAIL_DOMAINS = ("qq.com", "163.com", "126.com", "sina.com", "139.com", "foxmail.com", "hotmail.com")


def email() -> Gen:
    def gen(rng, ctx):
        user = rng.choice(("ny", "wan", "hn", "zhang", "li", "wang", "liu", "chen", "", ""))
        user += f"{rng.randint(10, 99999)}" if user else f"{rng.randint(10_000, 3_999_999_999)}"
        return f"{user}@{rng.choice(_MAIL_DOMAINS)}"
    return gen


# ---- organisations -----------------------------------------------------------------------

def trade_name_of(rng: random.Random, ctx: dict) -> str:
    tn = ctx["P"].trade_names
    return tn[int(rng.random() * len(tn))]


def org(templates: Sequence[str], key: str = "org", **parts: Sequence[str]) -> Gen:
    """An organisation name from ``templates`` with ``{n}`` (trade name), ``{d}`` (district),
    ``{t}`` (town), ``{ts}`` (town without 镇/乡/街道) and any named value lists, e.g. ``org(["南阳市{d}{n}大药房"])``."""
    tpls = tuple(templates)

    def gen(rng, ctx):
        tpl = tpls[int(rng.random() * len(tpls))]
        values = {k: v[int(rng.random() * len(v))] for k, v in parts.items()}
        values["n"] = trade_name_of(rng, ctx)
        if "{d}" in tpl or "{t" in tpl:
            values["d"] = district_of(rng, ctx).name
            if "{t" in tpl:
                values["t"] = town_of(rng, ctx)
                values["ts"] = short_town(values["t"])
        v = tpl.format(**values)
        ctx[key] = v
        return v
    return gen


USCC_PUBLIC = "《企业信息公示暂行条例》第六条"


def USCC_COL(name: str = "统一社会信用代码", prefix: str | Sequence[str] = "91") -> Col:
    return P(name, uscc(prefix), "CN_USCC", "keep", "法人和其他组织的统一社会信用代码", USCC_PUBLIC)
