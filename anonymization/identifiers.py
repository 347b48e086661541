"""Generators for valid Chinese identifiers (pure stdlib, deterministic given an RNG).

Every function takes a ``random.Random`` instance and never touches global random state,
so callers control reproducibility. The check-character algorithms follow the national
standards the desensitization stage validates against:

- 居民身份证号码: GB 11643-1999, ISO 7064 MOD 11-2 check digit;
- 统一社会信用代码: GB 32100-2015, weighted mod-31 check character (with the embedded
  GB 11714 organization-code check character in positions 9-17);
- bank card numbers: Luhn (ISO/IEC 7812).
"""

from __future__ import annotations

import random
from datetime import date

__all__ = [
    "NANYANG_REGION_CODES",
    "MOBILE_PREFIXES",
    "USCC_ALPHABET",
    "BANK_BIN_PREFIXES",
    "cn_id_card",
    "id_check_digit",
    "uscc",
    "uscc_check_char",
    "org_code_check_char",
    "luhn_check_digit",
    "luhn_complete",
    "bank_card",
    "mobile",
    "landline",
    "plate",
]

# Administrative division codes (GB/T 2260) of Nanyang's districts, counties and city.
NANYANG_REGION_CODES: dict[str, str] = {
    "411302": "宛城区",
    "411303": "卧龙区",
    "411321": "南召县",
    "411322": "方城县",
    "411323": "西峡县",
    "411324": "镇平县",
    "411325": "内乡县",
    "411326": "淅川县",
    "411327": "社旗县",
    "411328": "唐河县",
    "411329": "新野县",
    "411330": "桐柏县",
    "411381": "邓州市",
}

_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"  # index = weighted sum mod 11


def id_check_digit(first17: str) -> str:
    """Check digit of an 18-digit resident ID number (GB 11643, ISO 7064 MOD 11-2)."""
    if len(first17) != 17 or not first17.isdigit():
        raise ValueError(f"expected 17 digits, got {first17!r}")
    total = sum(int(c) * w for c, w in zip(first17, _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11]


def cn_id_card(rng: random.Random, region: str | None = None, birth_date: date | None = None,
               sex: str | None = None) -> str:
    """A valid 18-character resident ID number.

    ``region`` is a 6-digit division code (default: a random Nanyang code); ``birth_date``
    defaults to a random day in 1950-2005; ``sex`` is "男"/"女" (default random) and decides
    the parity of the sequence code.
    """
    if region is None:
        region = rng.choice(tuple(NANYANG_REGION_CODES))
    if len(region) != 6 or not region.isdigit():
        raise ValueError(f"region must be 6 digits, got {region!r}")
    if birth_date is None:
        birth_date = date.fromordinal(rng.randint(date(1950, 1, 1).toordinal(), date(2005, 12, 31).toordinal()))
    seq = rng.randint(1, 999)
    if sex is not None:
        want_odd = sex == "男"
        if (seq % 2 == 1) != want_odd:
            seq = seq + 1 if seq < 999 else seq - 1
    first17 = f"{region}{birth_date:%Y%m%d}{seq:03d}"
    return first17 + id_check_digit(first17)


USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(USCC_ALPHABET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_ORG_WEIGHTS = (3, 7, 9, 10, 5, 8, 4, 2)


def uscc_check_char(first17: str) -> str:
    """Check character of a unified social credit code (GB 32100)."""
    if len(first17) != 17:
        raise ValueError(f"expected 17 characters, got {first17!r}")
    try:
        total = sum(_USCC_VALUE[c] * w for c, w in zip(first17, _USCC_WEIGHTS, strict=True))
    except KeyError as exc:
        raise ValueError(f"character {exc.args[0]!r} is not in the GB 32100 alphabet") from None
    return USCC_ALPHABET[(31 - total % 31) % 31]


def org_code_check_char(body8: str) -> str:
    """Check character of a GB 11714 organization code (the 9 characters inside a USCC)."""
    total = 0
    for c, w in zip(body8, _ORG_WEIGHTS, strict=True):
        v = int(c) if c.isdigit() else ord(c) - ord("A") + 10
        total += v * w
    r = 11 - total % 11
    return "X" if r == 10 else "0" if r == 11 else str(r)


_ORG_LETTERS = "ABCDEFGHJKLMNPQRTUWXY"  # letters usable inside a USCC


def uscc(rng: random.Random, prefix: str = "91", region: str = "411300") -> str:
    """A valid 18-character unified social credit code.

    ``prefix`` is the 2-character registration authority + entity type (91 enterprise,
    92 individual business, 93 farmer cooperative, 51/52/53 social organisations,
    N1/N2 rural collectives, Y1 other ...); ``region`` a 6-digit division code.
    About half of the organisation codes use the post-2015 "MA" form.
    """
    if len(prefix) != 2 or len(region) != 6:
        raise ValueError("prefix must have 2 characters and region 6 digits")
    if rng.random() < 0.5:
        body = "MA" + "".join(rng.choice("0123456789" + _ORG_LETTERS) for _ in range(6))
    else:
        body = f"{rng.randint(0, 99_999_999):08d}"
    first17 = prefix + region + body + org_code_check_char(body)
    return first17 + uscc_check_char(first17)


def luhn_check_digit(partial: str) -> str:
    """The digit that makes ``partial + digit`` pass the Luhn check."""
    total = 0
    for i, c in enumerate(reversed(partial)):
        d = int(c)
        if i % 2 == 0:  # these get doubled once the check digit is appended
            d *= 2
            if d > 9:
                d -= 9
        total += d
    return str((10 - total % 10) % 10)


def luhn_complete(rng: random.Random, prefix: str, length: int) -> str:
    """A Luhn-valid number of ``length`` digits starting with ``prefix``."""
    if not prefix.isdigit() or length <= len(prefix):
        raise ValueError("prefix must be digits and shorter than length")
    body = prefix + "".join(str(rng.randint(0, 9)) for _ in range(length - len(prefix) - 1))
    return body + luhn_check_digit(body)


# (issuer identification number, card length); 62xxxx are UnionPay.
BANK_BIN_PREFIXES: tuple[tuple[str, int], ...] = (
    ("622848", 19),  # 中国农业银行 借记卡
    ("622202", 19),  # 中国工商银行 借记卡
    ("621700", 19),  # 中国建设银行 借记卡
    ("621661", 19),  # 中国银行 借记卡
    ("622262", 19),  # 交通银行 借记卡
    ("621799", 19),  # 中国邮政储蓄银行 借记卡
    ("623059", 19),  # 农村信用社 借记卡
    ("622908", 16),  # 兴业银行 信用卡
    ("625965", 16),  # 银联 信用卡
    ("436742", 16),  # 中国建设银行 VISA 信用卡
    ("518710", 16),  # Mastercard 信用卡
)


def bank_card(rng: random.Random) -> str:
    """A Luhn-valid bank card number from a realistic issuer (mostly UnionPay 62xxxx)."""
    prefix, length = rng.choice(BANK_BIN_PREFIXES)
    return luhn_complete(rng, prefix, length)


MOBILE_PREFIXES: tuple[str, ...] = (
    "130", "131", "132", "133", "134", "135", "136", "137", "138", "139",
    "150", "151", "152", "153", "155", "156", "157", "158", "159",
    "166", "170", "171", "173", "175", "176", "177", "178",
    "180", "181", "182", "183", "184", "185", "186", "187", "188", "189",
    "191", "193", "195", "196", "198", "199",
)


def mobile(rng: random.Random) -> str:
    """An 11-digit mainland mobile number."""
    return rng.choice(MOBILE_PREFIXES) + f"{rng.randint(0, 99_999_999):08d}"


def landline(rng: random.Random, area: str = "0377") -> str:
    """A Nanyang fixed-line number, e.g. 0377-63123456."""
    return f"{area}-6{rng.randint(0, 9_999_999):07d}"


_PLATE_LETTERS = "ABCDEFGHJKLMNPQRSTUVWXYZ"  # I and O are never used
_PLATE_DIGITS = "0123456789"


def plate(rng: random.Random, new_energy: bool = False, province: str = "豫", city: str = "R") -> str:
    """A Nanyang (豫R) licence plate: 5 serial characters, or 6 for new-energy cars (豫RD12345)."""
    if new_energy:
        kind = rng.choice("DDDF")  # D pure electric, F other new energy
        second = rng.choice(_PLATE_LETTERS) if rng.random() < 0.2 else rng.choice(_PLATE_DIGITS)
        return f"{province}{city}{kind}{second}{rng.randint(0, 9999):04d}"
    chars = [rng.choice(_PLATE_DIGITS) for _ in range(5)]
    letters = rng.choice((0, 1, 1, 1, 2))  # at most two letters
    for pos in rng.sample(range(5), letters):
        chars[pos] = rng.choice(_PLATE_LETTERS)
    return province + city + "".join(chars)
