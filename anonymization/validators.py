"""Whole-value validators for Chinese personal-data identifiers (pure functions, stdlib only).

Each ``*_ok`` function answers "is this entire (stripped) value an X?" and is used both by the
Presidio recognizers (``validate_result`` on a regex match) and by the column classifier (hit
rates on a sample). Check-character algorithms follow the national standards:

- 居民身份证号码 GB 11643-1999 (ISO 7064 MOD 11-2), with a real birth date and a valid province
  code. The 6-digit region code is deliberately *not* looked up: codes are renamed over time and
  python-stdnum's ``cn.ric`` wrongly rejects e.g. 4113xx numbers of people born before 1994;
- 统一社会信用代码 GB 32100-2015 (31-character alphabet, weighted mod-31 check character);
- bank cards: Luhn (ISO/IEC 7812).

Precedence between look-alikes: ID number > USCC > bank card. A valid ID number is never a
USCC (IDs pass the USCC check 1 time in 31); a number shaped like an ID (province code and a
real birth date in positions 7-14, e.g. an ID with a digit missing) or a valid all-digit USCC
is never a bank card (Luhn passes 1 time in 10).
"""

from __future__ import annotations

import ipaddress
import re
from collections.abc import Callable
from datetime import date

from .names import person_name_ok

__all__ = [
    "ENTITIES", "VALUE_CHECKS", "address_ok", "bank_card_ok", "digits_only", "email_ok", "id_card_ok", "ip_ok",
    "landline_ok", "luhn_ok", "mobile_ok", "person_name_ok", "plate_ok", "uscc_ok",
]

# the ten entity types, in the fixed order used to break ties
ENTITIES: tuple[str, ...] = (
    "CN_ID_CARD", "CN_USCC", "CN_BANK_CARD", "CN_MOBILE", "CN_LANDLINE", "CN_LICENSE_PLATE",
    "EMAIL_ADDRESS", "IP_ADDRESS", "PERSON", "ADDRESS",
)
_NON_DIGITS = re.compile(r"\D+")


def digits_only(value: str) -> str:
    """The ASCII digits of ``value``, in order ("0377-6312 3456" -> "037763123456")."""
    return _NON_DIGITS.sub("", value)


# --- 居民身份证号码 -------------------------------------------------------------------------
_ID_RE = re.compile(r"[0-9]{17}[0-9Xx]")
_ID_WEIGHTS = (7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2)
_ID_CHECK = "10X98765432"
PROVINCE_CODES = frozenset(
    "11 12 13 14 15 21 22 23 31 32 33 34 35 36 37 41 42 43 44 45 46 50 51 52 53 54 "
    "61 62 63 64 65 71 81 82".split())
_MIN_BIRTH, _MAX_BIRTH = date(1900, 1, 1), date(2026, 12, 31)


def id_card_ok(value: str) -> bool:
    """18-character resident ID: province code, real birth date, MOD 11-2 check character."""
    v = value.strip()
    if len(v) != 18 or not _ID_RE.fullmatch(v) or v[:2] not in PROVINCE_CODES:
        return False
    try:
        born = date(int(v[6:10]), int(v[10:12]), int(v[12:14]))
    except ValueError:
        return False
    if not _MIN_BIRTH <= born <= _MAX_BIRTH:
        return False
    total = sum(int(c) * w for c, w in zip(v[:17], _ID_WEIGHTS, strict=True))
    return _ID_CHECK[total % 11] == v[17].upper()


# --- 统一社会信用代码 ------------------------------------------------------------------------
USCC_ALPHABET = "0123456789ABCDEFGHJKLMNPQRTUWXY"
_USCC_VALUE = {c: i for i, c in enumerate(USCC_ALPHABET)}
_USCC_WEIGHTS = (1, 3, 9, 27, 19, 26, 16, 17, 20, 29, 25, 13, 8, 24, 10, 30, 28)
_USCC_REGIONS = PROVINCE_CODES | {"10", "00"}  # positions 3-8: a GB/T 2260 code; 100000 national
_USCC_RE = re.compile(r"[1-9A-HJ-NP-RTUWXY][0-9A-HJ-NP-RTUWXY][0-9]{6}[0-9A-HJ-NP-RTUWXY]{10}")


def uscc_ok(value: str) -> bool:
    """Unified social credit code: registration authority (1-9, A-H, J-N, P-R, T-Y, so N and Y
    are valid), entity type, 6-digit region code (province part valid, or 10 for national
    registrations), organisation code, mod-31 check character."""
    v = value.strip()
    if len(v) != 18 or not _USCC_RE.fullmatch(v):
        return False
    total = sum(_USCC_VALUE[c] * w for c, w in zip(v[:17], _USCC_WEIGHTS, strict=True))
    if USCC_ALPHABET[(31 - total % 31) % 31] != v[17] or v[2:4] not in _USCC_REGIONS:
        return False
    return not id_card_ok(v)


# --- bank cards ------------------------------------------------------------------------------
_CARD_RE = re.compile(r"[0-9]+(?:[ -][0-9]+)*")


def luhn_ok(digits: str) -> bool:
    """Luhn (mod 10) check over a string of ASCII digits."""
    if not digits or not digits.isascii() or not digits.isdigit():
        return False
    total = 0
    for i, c in enumerate(reversed(digits)):
        d = ord(c) - 48
        if i % 2:
            d = d * 2 - 9 if d > 4 else d * 2
        total += d
    return total % 10 == 0


def bank_card_ok(value: str) -> bool:
    """16-19 digits (single spaces or dashes between groups allowed), first digit 3-6, Luhn."""
    v = value.strip()
    if not _CARD_RE.fullmatch(v):
        return False
    d = v if v.isdigit() else v.replace(" ", "").replace("-", "")
    if not 16 <= len(d) <= 19 or d[0] not in "3456" or not luhn_ok(d):
        return False
    return not (_id_shaped(d) or len(d) == 18 and uscc_ok(d))


def _id_shaped(d: str) -> bool:
    """Province code + a real birth date in positions 7-14: an ID number (or one with a digit
    missing / added); a random card number looks like this about once in 2,000."""
    if d[:2] not in PROVINCE_CODES:
        return False
    try:
        return _MIN_BIRTH <= date(int(d[6:10]), int(d[10:12]), int(d[12:14])) <= _MAX_BIRTH
    except ValueError:
        return False


# --- telephones ------------------------------------------------------------------------------
_MOBILE_RE = re.compile(r"(?:(?:\+|00)?86[ -]?)?1[3-9][0-9][ -]?[0-9]{4}[ -]?[0-9]{4}")
_EXT = r"(?:(?:-|转)[0-9]{1,5})?"
_LANDLINE_SEP_RE = re.compile(rf"(?:\((0[0-9]{{2,3}})\)[ -]?|(0[0-9]{{2,3}})[ -])[2-9][0-9]{{6,7}}{_EXT}")
_LANDLINE_RUN_RE = re.compile(rf"(0[0-9]{{9,11}}){_EXT}")


def mobile_ok(value: str) -> bool:
    """Mainland mobile 1[3-9]x xxxx xxxx, optional +86/0086/86 prefix, spaces or dashes 3-4-4."""
    v = value.strip()
    return 11 <= len(v) <= 19 and bool(_MOBILE_RE.fullmatch(v))


def _area_ok(area: str) -> bool:
    if len(area) == 3:
        return area == "010" or area.startswith("02")
    return len(area) == 4 and area[1] in "3456789"


def landline_ok(value: str) -> bool:
    """Fixed line with area code: 0377-63123456, (0377)63123456, 037763123456, 010-12345678-8001.

    Area codes: 010, 02X, 03XX-09XX; the local number has 7-8 digits and starts with 2-9."""
    v = value.strip()
    m = _LANDLINE_SEP_RE.fullmatch(v)
    if m:
        return _area_ok(m.group(1) or m.group(2))
    m = _LANDLINE_RUN_RE.fullmatch(v)
    if not m:
        return False
    run = m.group(1)
    return any(_area_ok(run[:n]) and 7 <= len(run) - n <= 8 and run[n] in "23456789" for n in (3, 4))


# --- licence plates --------------------------------------------------------------------------
PLATE_PROVINCES = "京津沪渝冀豫云辽黑湘皖鲁新苏浙赣鄂桂甘晋蒙陕吉闽贵粤青藏川宁琼"
_L = "A-HJ-NP-Z"  # letters used on plates: no I, no O
_PLATE_RE = re.compile(
    rf"[{PLATE_PROVINCES}][{_L}][·• ]?"
    rf"(?:[DF][{_L}0-9][0-9]{{4}}|[0-9]{{5}}[DF]|[{_L}0-9]{{4}}[{_L}0-9挂学警]|[{_L}0-9]{{4}}[港澳])")


def plate_ok(value: str) -> bool:
    """豫R12345, 豫R·12345, 豫R 12345; new-energy 豫RD12345 / 豫R12345F; letters exclude I and O."""
    v = value.strip().upper()
    if not 7 <= len(v) <= 9 or not _PLATE_RE.fullmatch(v):
        return False
    return sum(c.isdigit() for c in v) >= 2  # vanity serials have at most 3 letters


# --- e-mail and IP ---------------------------------------------------------------------------
_EMAIL_RE = re.compile(
    r"[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*@"
    r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}")


def email_ok(value: str) -> bool:
    """local@domain.tld with an alphabetic TLD; no spaces, no leading/trailing/double dots."""
    v = value.strip()
    return len(v) <= 254 and v.count("@") == 1 and bool(_EMAIL_RE.fullmatch(v))


_IPV4_RE = re.compile(r"(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])(?:\.(?:25[0-5]|2[0-4][0-9]|1[0-9]{2}|[1-9]?[0-9])){3}")


def ip_ok(value: str) -> bool:
    """IPv4 dotted quad (0-255, no leading zeros) or an IPv6 address."""
    v = value.strip()
    if _IPV4_RE.fullmatch(v):
        return True
    if ":" in v and v.count(":") >= 2 and len(v) <= 45:
        try:
            ipaddress.IPv6Address(v)
        except ValueError:
            return False
        return True
    return False


# --- addresses -------------------------------------------------------------------------------
_ADDR_CHARS = re.compile(r"[\u4e00-\u9fff0-9A-Za-z\-－#（）()·、]+")
_ADDR_ADMIN = re.compile(r"(?:省|自治区|市|区|县|旗|镇|乡|街道)")
_ADDR_STREET = re.compile(r"[\u4e00-\u9fff0-9](?:路|街|大道|大街|巷|胡同|弄|道)")
_ADDR_PLACE = re.compile(r"[\u4e00-\u9fff](?:村|社区|小区|花园|家园|公寓|新村|苑|庄|屯|寨|营)")
_ADDR_NUMBER = re.compile(
    r"[0-9０-９]+(?:号院|号楼|号|栋|幢|座|单元|室|层|楼|户|组|排)|[一二三四五六七八九十]+(?:组|队|号|单元)")
_ADDR_NOT = re.compile(r"(?:公司|有限|委员会|政府|管理局|局|医院|学校|中心|银行|支行|店|厂|部|所|处|站)$")


def address_ok(value: str) -> bool:
    """The whole value is a street-level Chinese address: a road (路/街/大道/巷 …) or a village /
    residential compound (村/社区/小区 …) together with an administrative part (省/市/区/县/镇/
    乡/街道) or a house / group / flat number (号/栋/单元/室/组 …)."""
    v = value.strip()
    if not 5 <= len(v) <= 80 or not _ADDR_CHARS.fullmatch(v) or _ADDR_NOT.search(v):
        return False
    where = _ADDR_STREET.search(v) or _ADDR_PLACE.search(v)
    if not where:
        return False
    return bool(_ADDR_NUMBER.search(v, where.start()) or _ADDR_ADMIN.search(v, 0, where.end()))


VALUE_CHECKS: dict[str, Callable[[str], bool]] = {
    "CN_ID_CARD": id_card_ok,
    "CN_USCC": uscc_ok,
    "CN_MOBILE": mobile_ok,
    "CN_LANDLINE": landline_ok,
    "CN_BANK_CARD": bank_card_ok,
    "CN_LICENSE_PLATE": plate_ok,
    "EMAIL_ADDRESS": email_ok,
    "IP_ADDRESS": ip_ok,
    "PERSON": person_name_ok,
    "ADDRESS": address_ok,
}
