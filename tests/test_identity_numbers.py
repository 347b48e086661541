"""portal.idnumbers: the ID number and credit code checks behind registration."""

import random
from datetime import date

from anonymization.identifiers import cn_id_card, id_check_digit, uscc, uscc_check_char
from portal.idnumbers import check_id_number, check_uscc


def _id(first17: str) -> str:
    return first17 + id_check_digit(first17)


def test_nanyang_number_of_someone_born_1985_is_valid():
    number = _id("41130219850317123")  # 宛城区: its code changed after 1994, the number stays valid
    result = check_id_number(number)
    assert result.ok and result.problems == [] and result.warnings == []
    assert result.value == number


def test_generated_numbers_are_valid():
    rng = random.Random(5)
    for _ in range(50):
        assert check_id_number(cn_id_card(rng)).ok


def test_bad_check_digit_names_the_expected_one():
    good = _id("41132819900101002")
    bad = good[:17] + ("0" if good[17] != "0" else "1")
    result = check_id_number(bad)
    assert not result.ok
    assert result.problems == [f"校验码应为 {good[17]}，实际为 {bad[17]}（GB 11643 校验位错误）"]


def test_february_30_does_not_exist():
    result = check_id_number(_id("41130219900230123"))
    assert not result.ok and "出生日期 1990-02-30 不存在" in result.problems


def test_future_and_too_old_birth_dates_are_refused():
    future = check_id_number(_id("41130220300101123"), today=date(2026, 5, 1))
    assert not future.ok and "出生日期 2030-01-01 晚于今天" in future.problems
    old = check_id_number(_id("41130218991231123"))
    assert not old.ok and any("早于 1900 年" in p for p in old.problems)


def test_length_and_characters():
    assert check_id_number("4113021985031712").problems == ["居民身份证号码应为18位（现为 16 位）"]
    assert not check_id_number("41130219850317A234").ok
    assert check_id_number("").problems == ["居民身份证号码应为18位（现为 0 位）"]


def test_lower_case_x_is_normalised():
    first17 = next(f"4113031970010{n:04d}" for n in range(1000, 9999)
                   if id_check_digit(f"4113031970010{n:04d}") == "X")
    result = check_id_number(f" {first17}x ")
    assert result.ok and result.value == first17 + "X"


def test_unknown_province_is_only_a_warning():
    result = check_id_number(_id("99130219850317123"))
    assert result.ok and result.warnings and "99" in result.warnings[0]


def test_credit_codes_including_n_and_y_authorities():
    rng = random.Random(7)
    for prefix in ("91", "92", "93", "51", "N1", "N2", "Y1"):
        code = uscc(rng, prefix=prefix)
        result = check_uscc(code)
        assert result.ok, (code, result.problems)
        assert result.warnings == []
    assert check_uscc(uscc(rng).lower()).ok


def test_credit_code_with_wrong_check_character():
    first17 = "91411300MA40XXXX0"
    first17 = first17.replace("X", "1")
    right = uscc_check_char(first17)
    wrong = "0" if right != "0" else "1"
    result = check_uscc(first17 + wrong)
    assert not result.ok
    assert result.problems[0].startswith("统一社会信用代码校验码错误（GB 32100）")


def test_credit_code_length_and_alphabet():
    assert check_uscc("91411300").problems == ["统一社会信用代码应为18位（现为 8 位）"]
    result = check_uscc("91411300MA40OI1234")
    assert not result.ok and "I、O" in result.problems[0]


def test_credit_code_unknown_region_is_only_a_warning():
    first17 = "91990000MA4012345"
    result = check_uscc(first17 + uscc_check_char(first17))
    assert result.ok and result.warnings
