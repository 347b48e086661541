"""Column classification: which personal-data entity (if any) a table column holds.

A column is judged on a sample (its first ``sample_size`` non-empty values, stripped): for each
entity the *hit rate* is the share of sampled values that pass the entity's whole-value check
(``validators.VALUE_CHECKS``). The header gives context (身份证号 → CN_ID_CARD …).

Decision:

- an entity needs ``hits >= max(3, ceil(threshold * sampled))`` — one stray hit cannot trip it;
  with fewer than 3 sampled values every value must hit;
- threshold 0.5 with header context, 0.8 without;
- PERSON and ADDRESS need header context: firms' names and addresses (注册地址, 经营地址, 住所 …)
  look the same but are not personal data;
- the highest hit rate wins, ties broken by ``ENTITIES`` order. Look-alikes cannot
  confuse each other: a valid ID number never counts as a USCC or a bank card (validators.py),
  mobiles and landlines have disjoint formats.

A column with no entity is ``free_text`` when it reads like prose (long, mostly Chinese,
varied, with sentence punctuation); such columns get per-cell ``find_entities`` later.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterable
from dataclasses import dataclass
from itertools import islice

from .validators import ENTITIES, VALUE_CHECKS

__all__ = ["HEADER_WORDS", "ColumnClass", "classify_column"]

HEADER_WORDS: dict[str, tuple[str, ...]] = {
    "CN_ID_CARD": ("身份证", "证件号码", "公民身份号码", "身份号码", "证件号"),
    "CN_USCC": ("统一社会信用代码", "信用代码"),
    "CN_BANK_CARD": ("银行卡", "卡号", "账号", "帐号", "开户账号", "银行账户"),
    "CN_MOBILE": ("手机", "移动电话", "联系电话", "电话", "联系方式"),
    "CN_LANDLINE": ("座机", "固定电话", "办公电话", "电话", "传真"),
    "CN_LICENSE_PLATE": ("车牌", "号牌", "车辆号码"),
    "EMAIL_ADDRESS": ("邮箱", "电子邮件", "电子信箱", "email", "e-mail"),
    "IP_ADDRESS": (),  # matched by _IP_HEADER: "IP", "IP地址", "登录ip", not "zip"
    "PERSON": ("姓名", "法定代表人", "法人代表", "负责人", "联系人", "经办人", "申请人", "户主", "驾驶员",
               "驾驶人", "医师", "当事人", "投诉人", "举报人", "患者", "监护人"),
    "ADDRESS": ("住址", "家庭住址", "户籍地址", "户籍所在地", "居住地", "居住地址", "现住址", "联系地址",
                "现居住", "家庭地址"),
}
_IP_HEADER = re.compile(r"(?<![a-z])ip(?![a-z])|ip地址", re.IGNORECASE)
# a firm's address is not personal even under an address-like header
_NOT_PERSONAL_ADDRESS = ("企业", "单位", "公司", "注册", "经营", "机构", "办公")
_NEEDS_CONTEXT = frozenset(("PERSON", "ADDRESS"))
_CJK = re.compile(r"[\u4e00-\u9fff]")
_LATIN = re.compile(r"[A-Za-z]")
_PUNCT = re.compile(r"[，。；！？、,;!?]")


@dataclass(frozen=True)
class ColumnClass:
    """``entity`` is None for non-personal columns; ``hit_rate``/``hits`` are for the chosen
    entity (for None: the best entity's, for the report); ``context`` tells whether the header
    named the chosen entity (for None: any entity)."""

    name: str
    entity: str | None
    hit_rate: float
    hits: int
    sampled: int
    context: bool
    free_text: bool


def header_context(header: str) -> frozenset[str]:
    """Entities that the header names (substring match of Chinese header words)."""
    h = (header or "").strip().lower()
    found = {e for e, words in HEADER_WORDS.items() if any(w in h for w in words)}
    if _IP_HEADER.search(h):
        found.add("IP_ADDRESS")
    if "ADDRESS" in found and any(w in h for w in _NOT_PERSONAL_ADDRESS):
        found.discard("ADDRESS")
    return frozenset(found)


def _sample(values: Iterable[str], size: int) -> list[str]:
    cleaned = ("" if v is None else str(v).strip() for v in values)
    return list(islice((v for v in cleaned if v), size))


def _looks_like_prose(sample: list[str]) -> bool:
    n = len(sample)
    total = sum(len(v) for v in sample)
    if not n or total / n < 12:
        return False
    cjk = sum(len(_CJK.findall(v)) for v in sample)
    latin = sum(len(_LATIN.findall(v)) for v in sample)
    if cjk / n < 6 or cjk < latin or len(set(sample)) / n < 0.5:  # mostly Chinese words, varied
        return False
    punctuated = sum(1 for v in sample if _PUNCT.search(v)) / n
    return punctuated >= 0.2 or total / n >= 40


def classify_column(header: str, values: Iterable[str], sample_size: int = 1000) -> ColumnClass:
    """Classify one column from its header and (a sample of) its values; see module docstring."""
    sample = _sample(values, sample_size)
    n = len(sample)
    context = header_context(header)
    if not n:
        return ColumnClass(header, None, 0.0, 0, 0, bool(context), False)
    best: tuple[float, int, str] | None = None  # (rate, hits, entity) of the best candidate
    top: tuple[float, int] = (0.0, 0)
    for entity in ENTITIES:
        check = VALUE_CHECKS[entity]
        hits = sum(1 for v in sample if check(v))
        rate = hits / n
        if rate > top[0]:
            top = (rate, hits)
        has_context = entity in context
        if entity in _NEEDS_CONTEXT and not has_context:
            continue
        threshold = 0.5 if has_context else 0.8
        needed = n if n < 3 else max(3, math.ceil(threshold * n - 1e-9))
        if hits >= needed and (best is None or rate > best[0]):
            best = (rate, hits, entity)
    if best is None:
        return ColumnClass(header, None, top[0], top[1], n, bool(context), _looks_like_prose(sample))
    rate, hits, entity = best
    return ColumnClass(header, entity, rate, hits, n, entity in context, False)
