"""Building blocks of the dataset definitions: column / resource / dataset specs and the
column value generators they use.

A generator is a callable ``gen(rng, ctx) -> value`` evaluated once per row, in column order.
``ctx`` is a per-row dict holding ``i`` (row index), ``P`` (the seeded value pools), ``S`` (a
per-dataset state dict shared by all rows and resources) and whatever earlier columns stored
(the row's district under ``"d"``, named values under their ``key``), so later columns can stay
consistent with earlier ones. Generators return ready-to-write values: ``int`` for integers and
strings for everything else (numbers are pre-formatted, dates ISO, booleans ``true``/``false``).
"""

from __future__ import annotations

import random
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from datetime import date, datetime, timedelta
from itertools import accumulate
from typing import Any

from . import identifiers as ids
from .pools import CITY_ROADS, COUNTY_ROADS, DISTRICTS, REF_END, REF_START, URBAN

Gen = Callable[[random.Random, dict], Any]

FIELD_TYPES = ("string", "integer", "number", "date", "datetime", "boolean", "year")
PII_ENTITIES = ("CN_ID_CARD", "CN_USCC", "CN_MOBILE", "CN_LANDLINE", "CN_BANK_CARD", "CN_LICENSE_PLATE",
                "EMAIL_ADDRESS", "PERSON", "ADDRESS", "FREE_TEXT")
DESENSITIZE = ("drop", "mask", "hash", "generalize", "surrogate", "keep")


@dataclass(frozen=True)
class Col:
    name: str
    type: str
    gen: Gen
    description: str | None = None
    pii: str | None = None
    desensitize: str | None = None
    basis: str | None = None

    def schema(self) -> dict:
        out: dict[str, Any] = {"name": self.name, "type": self.type}
        if self.description:
            out["description"] = self.description
        if self.pii:
            out["pii"] = self.pii
        if self.desensitize:
            out["desensitize"] = self.desensitize
        if self.basis:
            out["desensitize_basis"] = self.basis
        return out


@dataclass(frozen=True)
class Res:
    name: str
    rows: int                      # base row count at scale 1.0
    cols: tuple[Col, ...]


@dataclass(frozen=True)
class Spec:
    name: str
    title: str
    description: str
    keywords: tuple[str, ...]
    dept: str                      # department slug
    domain: str
    open_access: str
    update_frequency: str
    resources: tuple[Res, ...]
    share_access: str = "unconditional"
    basis: str | None = None       # open_access_basis (conditional / closed)
    encoding: str = "utf-8"
    license: str = "CC-BY-4.0"
    prepare: Callable[[random.Random, dict, dict], None] | None = field(default=None, compare=False)

    @property
    def has_pii(self) -> bool:
        return any(c.pii for r in self.resources for c in r.cols)


# ---- column constructors ---------------------------------------------------------------

def S(name: str, gen: Gen, desc: str | None = None) -> Col:
    return Col(name, "string", gen, desc)


def I(name: str, gen: Gen, desc: str | None = None) -> Col:  # noqa: E743
    return Col(name, "integer", gen, desc)


def N(name: str, gen: Gen, desc: str | None = None) -> Col:
    return Col(name, "number", gen, desc)


def D(name: str, gen: Gen, desc: str | None = None) -> Col:
    return Col(name, "date", gen, desc)


def DT(name: str, gen: Gen, desc: str | None = None) -> Col:
    return Col(name, "datetime", gen, desc)


def B(name: str, gen: Gen, desc: str | None = None) -> Col:
    return Col(name, "boolean", gen, desc)


def Y(name: str, gen: Gen, desc: str | None = None) -> Col:
    return Col(name, "year", gen, desc)


def P(name: str, gen: Gen, entity: str, action: str | None, desc: str | None = None,
      basis: str | None = None) -> Col:
    """A personal / identifying string column."""
    return Col(name, "string", gen, desc, entity, action, basis)


USCC_PUBLIC = "《企业信息公示暂行条例》第六条"


def USCC_COL(name: str = "统一社会信用代码", prefix: str | Sequence[str] = "91") -> Col:
    return P(name, uscc(prefix), "CN_USCC", "keep", "法人和其他组织的统一社会信用代码", USCC_PUBLIC)


# ---- generic generators ----------------------------------------------------------------

def const(value: Any) -> Gen:
    return lambda rng, ctx: value


def choice(options: Sequence[Any], weights: Sequence[float] | None = None, key: str | None = None) -> Gen:
    opts = tuple(options)
    if weights is None:
        def gen(rng, ctx):
            v = opts[int(rng.random() * len(opts))]
            if key:
                ctx[key] = v
            return v
    else:
        cum = list(accumulate(weights))

        def gen(rng, ctx):
            v = rng.choices(opts, cum_weights=cum)[0]
            if key:
                ctx[key] = v
            return v
    return gen


def integer(lo: int, hi: int, key: str | None = None) -> Gen:
    def gen(rng, ctx):
        v = rng.randint(lo, hi)
        if key:
            ctx[key] = v
        return v
    return gen


def skewed_int(lo: int, hi: int, power: float = 2.0, key: str | None = None) -> Gen:
    """Integers in [lo, hi] biased towards lo (most firms are small)."""
    def gen(rng, ctx):
        v = lo + int((hi - lo + 1) * rng.random() ** power)
        v = min(v, hi)
        if key:
            ctx[key] = v
        return v
    return gen


def number(lo: float, hi: float, nd: int = 2, key: str | None = None, power: float = 1.0) -> Gen:
    def gen(rng, ctx):
        v = lo + (hi - lo) * rng.random() ** power
        if key:
            ctx[key] = v
        return f"{v:.{nd}f}"
    return gen


def boolean(p_true: float = 0.5, key: str | None = None) -> Gen:
    def gen(rng, ctx):
        v = rng.random() < p_true
        if key:
            ctx[key] = v
        return "true" if v else "false"
    return gen


def year(lo: int, hi: int) -> Gen:
    return lambda rng, ctx: str(rng.randint(lo, hi))


def seq(fmt: str, start: int = 1) -> Gen:
    """A code from the row index: ``fmt.format(n)`` with n = start + i."""
    return lambda rng, ctx: fmt.format(start + ctx["i"])


def pick(key: str) -> Gen:
    return lambda rng, ctx: ctx[key]


def fn(func: Callable[[random.Random, dict], Any]) -> Gen:
    return func


def optional(gen: Gen, p_empty: float) -> Gen:
    return lambda rng, ctx: "" if rng.random() < p_empty else gen(rng, ctx)


def fmt(template: str, key: str | None = None, **parts: Gen) -> Gen:
    """Fill ``template`` with ``{d}`` (district), ``{t}`` (town) and the named sub-generators."""
    def gen(rng, ctx):
        values = {k: g(rng, ctx) for k, g in parts.items()}
        if "{d}" in template or "{t}" in template:
            d = district_of(rng, ctx)
            values["d"] = d.name
            if "{t}" in template:
                values["t"] = town_of(rng, ctx)
        v = template.format(**values)
        if key:
            ctx[key] = v
        return v
    return gen


# ---- dates -------------------------------------------------------------------------------

REF_START_ORD = date(*REF_START).toordinal()
REF_END_ORD = date(*REF_END).toordinal()


def _ord(d: tuple[int, int, int] | str | None, default: int) -> int:
    if d is None:
        return default
    if isinstance(d, str):
        return date.fromisoformat(d).toordinal()
    return date(*d).toordinal()


def day(start: tuple | str | None = None, end: tuple | str | None = None, key: str | None = None) -> Gen:
    lo, hi = _ord(start, REF_START_ORD), _ord(end, REF_END_ORD)

    def gen(rng, ctx):
        o = rng.randint(lo, hi)
        if key:
            ctx[key] = o
        return date.fromordinal(o).isoformat()
    return gen


def days_after(key: str, lo: int, hi: int, store: str | None = None) -> Gen:
    def gen(rng, ctx):
        o = ctx[key] + rng.randint(lo, hi)
        if store:
            ctx[store] = o
        return date.fromordinal(o).isoformat()
    return gen


def years_after(key: str, years: int) -> Gen:
    """The day before the same date ``years`` later (validity periods)."""
    def gen(rng, ctx):
        d = date.fromordinal(ctx[key])
        try:
            end = d.replace(year=d.year + years)
        except ValueError:  # 29 February
            end = d.replace(year=d.year + years, day=28)
        return (end - timedelta(days=1)).isoformat()
    return gen


def moment(start: tuple | str | None = None, end: tuple | str | None = None,
           hours: tuple[int, int] = (8, 18), key: str | None = None) -> Gen:
    lo, hi = _ord(start, REF_START_ORD), _ord(end, REF_END_ORD)
    span = (hours[1] - hours[0]) * 3600

    def gen(rng, ctx):
        o = rng.randint(lo, hi)
        secs = hours[0] * 3600 + int(rng.random() * span)
        dt = datetime.fromordinal(o) + timedelta(seconds=secs)
        if key:
            ctx[key] = dt
        return dt.isoformat(timespec="seconds")
    return gen


# ---- places ------------------------------------------------------------------------------

_D_CUM = list(accumulate(d.weight for d in DISTRICTS))


def district_of(rng: random.Random, ctx: dict):
    d = ctx.get("d")
    if d is None:
        d = ctx["d"] = rng.choices(DISTRICTS, cum_weights=_D_CUM)[0]
    return d


def district(full: bool = False, weights: Sequence[int] | None = None) -> Gen:
    """The row's district / county name (chosen once per row, weighted by size)."""
    cum = list(accumulate(weights)) if weights else None

    def gen(rng, ctx):
        if cum is not None and "d" not in ctx:
            ctx["d"] = rng.choices(DISTRICTS, cum_weights=cum)[0]
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


def village_address() -> Gen:
    def gen(rng, ctx):
        d = district_of(rng, ctx)
        return f"{d.full}{town_of(rng, ctx)}{rng.choice(ctx['P'].villages)}村{rng.randint(1, 12)}组"
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
    def gen(rng, ctx):
        names = ctx["P"].names
        v = names[int(rng.random() * len(names))]
        if key:
            ctx[key] = v
        return v
    return gen


def id_card(birth: tuple[int, int] = (1950, 2005), key: str = "idc") -> Gen:
    """A valid ID number registered in the row's district; stores it under ``key``."""
    lo, hi = date(birth[0], 1, 1).toordinal(), date(birth[1], 12, 31).toordinal()

    def gen(rng, ctx):
        d = district_of(rng, ctx)
        v = ids.cn_id_card(rng, d.code, date.fromordinal(rng.randint(lo, hi)))
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


def phone_mix(p_mobile: float = 0.6) -> Gen:
    return lambda rng, ctx: ids.mobile(rng) if rng.random() < p_mobile else ids.landline(rng)


def uscc(prefix: str | Sequence[str] = "91") -> Gen:
    """A USCC registered in the row's district; an earlier column may force the prefix by
    setting ``ctx["uscc_prefix"]``."""
    prefixes = (prefix,) if isinstance(prefix, str) else tuple(prefix)

    def gen(rng, ctx):
        p = ctx.get("uscc_prefix") or prefixes[int(rng.random() * len(prefixes))]
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
