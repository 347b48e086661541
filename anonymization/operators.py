"""Desensitization operators, applied to one value at a time but called column-wise.

mask        conventions: mobile 138****5678, name 张**, ID 411302********123X, bank card first 6 +
            last 4, plate 豫R1***5, email z***@example.com, landline 0377-****3456
hash        HMAC-SHA256 keyed by an instance secret: a stable pseudonym, not reversible
generalize  addresses to district level, dates and ID numbers to the year of birth
surrogate   a realistic fake of the same kind (Faker zh_CN), the same for the same original
keep, drop  handled by the caller (drop removes the column)
"""

import hashlib
import hmac
import random
import re
from functools import lru_cache

from faker import Faker

from .identifiers import id_check_digit, luhn_check_digit, uscc_check_char
from .names import COMPOUND_SURNAMES

OPERATORS = ("drop", "mask", "hash", "generalize", "surrogate", "keep")
# Which operators make sense for which entity; anything else is refused at planning time.
GENERALIZABLE = {"ADDRESS", "CN_ID_CARD", "DATE"}
SURROGATES = {"PERSON", "CN_MOBILE", "CN_ID_CARD", "CN_USCC", "CN_BANK_CARD", "CN_LICENSE_PLATE", "CN_LANDLINE",
              "EMAIL_ADDRESS", "IP_ADDRESS", "ADDRESS"}
DEFAULT_OPERATOR = {
    "CN_ID_CARD": "mask", "CN_USCC": "mask", "CN_MOBILE": "mask", "CN_LANDLINE": "mask", "CN_BANK_CARD": "mask",
    "CN_LICENSE_PLATE": "mask", "EMAIL_ADDRESS": "mask", "IP_ADDRESS": "mask", "PERSON": "mask",
    "ADDRESS": "generalize", "FREE_TEXT": "mask",
}
DISTRICT = re.compile(r"^(.*?省)?(.*?(?:市|自治州|地区|盟))?(.*?(?:区|县|旗|市))")
DIGITS = re.compile(r"\d")


def mask(entity: str, value: str) -> str:
    if not value:
        return value
    masker = _MASKS.get(entity, _mask_middle)
    return masker(value)


def _mask_middle(value: str) -> str:
    if len(value) <= 2:
        return value[0] + "*" * (len(value) - 1)
    keep = max(1, len(value) // 4)
    return value[:keep] + "*" * (len(value) - 2 * keep) + value[-keep:]


def _mask_mobile(value: str) -> str:
    digits = "".join(DIGITS.findall(value))[-11:]
    return digits[:3] + "****" + digits[-4:] if len(digits) == 11 else _mask_middle(value)


def _mask_landline(value: str) -> str:
    match = re.match(r"^\(?(0\d{2,3})\)?[- ]?(\d{7,8})(.*)$", value.strip())
    if not match:
        return _mask_middle(value)
    area, number, _ext = match.groups()
    return f"{area}-{'*' * (len(number) - 4)}{number[-4:]}"


def _mask_id(value: str) -> str:
    return value[:6] + "*" * (len(value) - 10) + value[-4:] if len(value) == 18 else _mask_middle(value)


def _mask_card(value: str) -> str:
    digits = "".join(DIGITS.findall(value))
    return digits[:6] + "*" * (len(digits) - 10) + digits[-4:] if len(digits) >= 12 else _mask_middle(value)


def _mask_uscc(value: str) -> str:
    return value[:6] + "*" * (len(value) - 10) + value[-4:] if len(value) == 18 else _mask_middle(value)


def _mask_plate(value: str) -> str:
    plate = re.sub(r"[·•\s-]", "", value)
    return plate[:3] + "*" * (len(plate) - 4) + plate[-1] if len(plate) >= 7 else _mask_middle(value)


def _mask_email(value: str) -> str:
    local, at, domain = value.partition("@")
    return f"{local[:1]}***@{domain}" if at else _mask_middle(value)


def _mask_ip(value: str) -> str:
    parts = value.split(".")
    return ".".join(parts[:2] + ["*", "*"]) if len(parts) == 4 else _mask_middle(value)


def _mask_person(value: str) -> str:
    surname = value[:2] if value[:2] in COMPOUND_SURNAMES else value[:1]  # 欧阳** keeps both characters
    return surname + "*" * max(1, len(value) - len(surname))


def _mask_address(value: str) -> str:
    general = generalize("ADDRESS", value)
    return general + "****" if general != value else _mask_middle(value)


_MASKS = {"CN_MOBILE": _mask_mobile, "CN_LANDLINE": _mask_landline, "CN_ID_CARD": _mask_id,
          "CN_BANK_CARD": _mask_card, "CN_USCC": _mask_uscc, "CN_LICENSE_PLATE": _mask_plate,
          "EMAIL_ADDRESS": _mask_email, "IP_ADDRESS": _mask_ip, "PERSON": _mask_person, "ADDRESS": _mask_address}


class Pseudonymizer:
    """Keyed operators: hash and surrogate depend on the instance secret, never on chance."""

    def __init__(self, key: str | bytes):
        if not key:
            raise ValueError("a pseudonym key is required for hash and surrogate")
        self.key = key.encode() if isinstance(key, str) else key
        self._surrogate = lru_cache(maxsize=100_000)(self._surrogate_uncached)

    def digest(self, entity: str, value: str) -> bytes:
        return hmac.new(self.key, f"{entity}\x1f{_normal(entity, value)}".encode(), hashlib.sha256).digest()

    def hash(self, entity: str, value: str) -> str:
        return self.digest(entity, value).hex()[:20] if value else value

    def surrogate(self, entity: str, value: str) -> str:
        return self._surrogate(entity, value) if value else value

    def _surrogate_uncached(self, entity: str, value: str) -> str:
        seed = int.from_bytes(self.digest(entity, value)[:8], "big")
        rng = random.Random(seed)
        faker = _faker()
        faker.seed_instance(seed)
        if entity == "PERSON":
            return faker.name()
        if entity == "CN_MOBILE":
            return f"1{rng.choice('3456789')}{rng.randrange(10**9):09d}"
        if entity == "CN_ID_CARD":
            body = value[:6] if value[:6].isdigit() else "411302"
            body += f"{rng.randint(1950, 2005)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}{rng.randint(0, 999):03d}"
            return body + id_check_digit(body)
        if entity == "CN_USCC":
            body = value[:8] if len(value) >= 8 else "91411300"
            body += "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRTUWXY") for _ in range(17 - len(body)))
            return body + uscc_check_char(body)
        if entity == "CN_BANK_CARD":
            digits = "".join(DIGITS.findall(value)) or "6222020000000000000"
            body = digits[:6] + "".join(str(rng.randint(0, 9)) for _ in range(len(digits) - 7))
            return body + luhn_check_digit(body)
        if entity == "CN_LICENSE_PLATE":
            plate = re.sub(r"[·•\s-]", "", value)
            prefix = plate[:2] if len(plate) >= 2 else "豫R"
            tail = max(5, len(plate) - 2)
            return prefix + "".join(rng.choice("0123456789ABCDEFGHJKLMNPQRSTUVWXYZ") for _ in range(tail))
        if entity == "CN_LANDLINE":
            return f"0377-6{rng.randrange(10**6, 10**7)}"
        if entity == "EMAIL_ADDRESS":
            return faker.email()
        if entity == "IP_ADDRESS":
            return faker.ipv4_private()
        if entity == "ADDRESS":
            return faker.address()
        return _mask_middle(value)


def generalize(entity: str, value: str) -> str:
    if not value:
        return value
    if entity == "ADDRESS":
        match = DISTRICT.match(value)
        return "".join(g for g in match.groups() if g) if match and match.group(3) else _mask_middle(value)
    if entity == "CN_ID_CARD":
        return value[6:10] if len(value) == 18 and value[6:10].isdigit() else _mask_middle(value)
    if entity == "DATE":
        return value[:4] if re.match(r"^\d{4}", value) else value
    return _mask_middle(value)


def _normal(entity: str, value: str) -> str:
    """The same identifier written two ways gets the same pseudonym."""
    value = value.strip()
    if entity in ("CN_MOBILE", "CN_BANK_CARD"):
        digits = "".join(DIGITS.findall(value))
        return digits[-11:] if entity == "CN_MOBILE" else digits
    if entity in ("CN_ID_CARD", "CN_USCC", "EMAIL_ADDRESS"):
        return value.upper()
    if entity == "CN_LICENSE_PLATE":
        return re.sub(r"[·•\s-]", "", value)
    return value


@lru_cache(maxsize=1)
def _faker() -> Faker:
    return Faker("zh_CN")
