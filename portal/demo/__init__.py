"""Realistic demo catalog for Nanyang (南阳市) — departments, datasets and valid identifiers.

Pure stdlib + Faker: no Flask, SQLAlchemy or frictionless here, so the publishing pipeline and
the CLI can both use it.
"""

from anonymization.identifiers import (
    NANYANG_REGION_CODES,
    bank_card,
    cn_id_card,
    id_check_digit,
    landline,
    luhn_check_digit,
    luhn_complete,
    mobile,
    org_code_check_char,
    plate,
    uscc,
    uscc_check_char,
)

from .catalog_specs import DEPARTMENTS
from .generator import DemoSource, generate_demo

__all__ = [
    "DEPARTMENTS",
    "NANYANG_REGION_CODES",
    "DemoSource",
    "generate_demo",
    "bank_card",
    "cn_id_card",
    "id_check_digit",
    "landline",
    "luhn_check_digit",
    "luhn_complete",
    "mobile",
    "org_code_check_char",
    "plate",
    "uscc",
    "uscc_check_char",
]
