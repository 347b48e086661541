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

from .pools import REF_END, REF_START

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
    district_weights: tuple[int, ...] | None = None   # pick each row's district up front with these weights
    unique: str | None = None      # a column (an organisation's name) whose values must not repeat


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


# ---- generic generators ----------------------------------------------------------------

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


def pick(key: str) -> Gen:
    return lambda rng, ctx: ctx[key]


def fn(func: Callable[[random.Random, dict], Any]) -> Gen:
    return func


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


def yr(ctx: dict) -> int:
    """The year of a row in datasets numbered per year (2019..2026, cycling with the row index)."""
    return 2019 + ctx["i"] % 8


def day_in_year(key: str | None = None) -> Gen:
    """A date inside the row's ``yr`` (never after the reference end date)."""
    def gen(rng, ctx):
        y = yr(ctx)
        o = rng.randint(date(y, 1, 1).toordinal(), min(date(y, 12, 31).toordinal(), REF_END_ORD))
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
