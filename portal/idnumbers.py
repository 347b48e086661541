"""Check the identifiers people register with (art. 24), with reasons a person can act on.

Pure: no Flask, no database. The check-character algorithms come from `anonymization` (GB 11643
MOD 11-2, GB 32100 mod 31) so the portal and the desensitization stage agree on what is valid.
The region code is only ever a warning: division codes are renamed over time, and real Nanyang
numbers (4113xx) of people born before 1994 carry codes that no longer exist.
"""

from dataclasses import dataclass, field
from datetime import date

from anonymization.identifiers import USCC_ALPHABET, id_check_digit, uscc_check_char
from anonymization.validators import PROVINCE_CODES

EARLIEST_BIRTH = date(1900, 1, 1)


@dataclass
class IdCheck:
    value: str  # normalised: no spaces, upper case
    problems: list[str] = field(default_factory=list)  # refusals
    warnings: list[str] = field(default_factory=list)  # worth a second look, never a refusal

    @property
    def ok(self) -> bool:
        return not self.problems


def normalise(value: str | None) -> str:
    return "".join((value or "").split()).upper()


def check_id_number(value: str | None, today: date | None = None) -> IdCheck:
    """居民身份证号码 (GB 11643-1999): 18 characters, real birth date, MOD 11-2 check character."""
    result = IdCheck(normalise(value))
    v = result.value
    if len(v) != 18:
        result.problems.append(f"居民身份证号码应为18位（现为 {len(v)} 位）")
        return result
    if not v[:17].isascii() or not v[:17].isdigit() or v[17] not in "0123456789X":
        result.problems.append("居民身份证号码前17位应为数字，最后一位为数字或 X")
        return result
    _check_birth_date(result, v[6:14], today or date.today())
    expected = id_check_digit(v[:17])
    if expected != v[17]:
        result.problems.append(f"校验码应为 {expected}，实际为 {v[17]}（GB 11643 校验位错误）")
    if v[:2] not in PROVINCE_CODES:
        result.warnings.append(f"地址码 {v[:6]} 的省级代码 {v[:2]} 不在现行行政区划中，请核对")
    return result


def _check_birth_date(result: IdCheck, digits: str, today: date) -> None:
    shown = f"{digits[:4]}-{digits[4:6]}-{digits[6:]}"
    try:
        born = date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))
    except ValueError:
        result.problems.append(f"出生日期 {shown} 不存在")
        return
    if born > today:
        result.problems.append(f"出生日期 {shown} 晚于今天")
    elif born < EARLIEST_BIRTH:
        result.problems.append(f"出生日期 {shown} 早于 1900 年")


def check_uscc(value: str | None) -> IdCheck:
    """统一社会信用代码 (GB 32100-2015): 18 characters of the 31-character alphabet (no I, O, S, V,
    Z), weighted mod-31 check character. Codes of any registration authority, N and Y included."""
    result = IdCheck(normalise(value))
    v = result.value
    if len(v) != 18:
        result.problems.append(f"统一社会信用代码应为18位（现为 {len(v)} 位）")
        return result
    wrong = sorted({c for c in v if c not in USCC_ALPHABET})
    if wrong:
        result.problems.append(f"统一社会信用代码含有不允许的字符：{'、'.join(wrong)}（不使用 I、O、S、V、Z）")
        return result
    expected = uscc_check_char(v[:17])
    if expected != v[17]:
        result.problems.append(f"统一社会信用代码校验码错误（GB 32100）：应为 {expected}，实际为 {v[17]}")
    region = v[2:8]
    if not region.isdigit() or region[:2] not in PROVINCE_CODES | {"10"}:
        result.warnings.append(f"登记管理机关行政区划码 {region} 不在现行行政区划中，请核对")
    return result
