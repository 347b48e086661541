"""Operators and policy: mask conventions, keyed hash, generalization, surrogates, refusals."""

from types import SimpleNamespace

import pytest

from anonymization.operators import Pseudonymizer, generalize, mask
from anonymization.policy import plan_columns


@pytest.mark.parametrize("entity, value, expected", [
    ("CN_MOBILE", "13812345678", "138****5678"),
    ("CN_MOBILE", "+86 138-1234-5678", "138****5678"),
    ("PERSON", "张三丰", "张**"),
    ("PERSON", "王五", "王*"),
    ("PERSON", "欧阳娜娜", "欧阳**"),
    ("CN_ID_CARD", "41130219850312123X", "411302********123X"),
    ("CN_BANK_CARD", "6222021234567890123", "622202*********0123"),
    ("CN_LICENSE_PLATE", "豫R12345", "豫R1***5"),
    ("CN_LICENSE_PLATE", "豫R·12345", "豫R1***5"),
    ("EMAIL_ADDRESS", "zhangsan@163.com", "z***@163.com"),
    ("CN_LANDLINE", "0377-63123456", "0377-****3456"),
    ("IP_ADDRESS", "192.168.10.20", "192.168.*.*"),
    ("ADDRESS", "河南省南阳市宛城区仲景街道建设路12号", "河南省南阳市宛城区****"),
])
def test_mask_conventions(entity, value, expected):
    assert mask(entity, value) == expected


def test_hash_is_keyed_stable_and_normalised():
    a, b = Pseudonymizer("key-a"), Pseudonymizer("key-b")
    assert a.hash("CN_MOBILE", "13812345678") == a.hash("CN_MOBILE", "138-1234-5678")
    assert a.hash("CN_MOBILE", "13812345678") != b.hash("CN_MOBILE", "13812345678")
    assert a.hash("CN_MOBILE", "13812345678") != a.hash("CN_MOBILE", "13812345679")
    assert "13812345678" not in a.hash("CN_MOBILE", "13812345678")
    with pytest.raises(ValueError):
        Pseudonymizer("")


@pytest.mark.parametrize("entity, value, expected", [
    ("ADDRESS", "河南省南阳市卧龙区七一路街道新华路88号3单元", "河南省南阳市卧龙区"),
    ("ADDRESS", "南阳市邓州市花洲街道新华路1号", "南阳市邓州市"),
    ("DATE", "1985-03-12", "1985"),
    ("CN_ID_CARD", "41130219850312123X", "1985"),
])
def test_generalize(entity, value, expected):
    assert generalize(entity, value) == expected


def test_surrogates_are_consistent_realistic_and_valid():
    from anonymization.identifiers import id_check_digit, luhn_check_digit

    p = Pseudonymizer("k")
    name = p.surrogate("PERSON", "张三")
    assert name == p.surrogate("PERSON", "张三") and name != "张三" and 2 <= len(name) <= 4
    fake_id = p.surrogate("CN_ID_CARD", "41130219850312123X")
    assert len(fake_id) == 18 and fake_id[-1] == id_check_digit(fake_id[:17]) and fake_id != "41130219850312123X"
    card = p.surrogate("CN_BANK_CARD", "6222021234567890123")
    assert len(card) == 19 and card[-1] == luhn_check_digit(card[:-1])
    mobile = p.surrogate("CN_MOBILE", "13812345678")
    assert len(mobile) == 11 and mobile[0] == "1" and mobile != "13812345678"


def cls(entity=None, hit_rate=0.0, free_text=False):
    return SimpleNamespace(entity=entity, hit_rate=hit_rate, free_text=free_text)


FIELDS = [{"name": "姓名", "type": "string"}, {"name": "手机", "type": "string"}, {"name": "面积", "type": "number"}]


def test_unconditional_refuses_undecided_pii_naming_column_and_entity():
    plans, problems = plan_columns(FIELDS, {"姓名": cls("PERSON", 0.98), "手机": cls("CN_MOBILE", 1.0)}, "unconditional")
    assert [p.field for p in problems] == ["姓名", "手机"]
    assert "自然人姓名" in problems[0].message and "98%" in problems[0].message
    assert "手机号码" in problems[1].message


def test_conditional_applies_defaults_to_detected_pii():
    plans, problems = plan_columns(FIELDS, {"姓名": cls("PERSON", 0.98), "手机": cls("CN_MOBILE", 1.0)}, "conditional")
    assert not problems
    assert [(p.name, p.entity, p.operator, p.source) for p in plans] == [
        ("姓名", "PERSON", "mask", "detected"), ("手机", "CN_MOBILE", "mask", "detected"), ("面积", None, "none", "none")]


def test_declared_decisions_override_defaults():
    fields = [dict(FIELDS[0], pii="PERSON", desensitize="surrogate"), dict(FIELDS[1], desensitize="hash"),
              {"name": "出生日期", "type": "date", "desensitize": "generalize"},
              {"name": "信用代码", "type": "string", "pii": "CN_USCC", "desensitize": "keep", "desensitize_basis": "公示"}]
    plans, problems = plan_columns(fields, {"手机": cls("CN_MOBILE", 1.0)}, "unconditional")
    assert not problems
    assert [(p.entity, p.operator) for p in plans] == [("PERSON", "surrogate"), ("CN_MOBILE", "hash"),
                                                      ("DATE", "generalize"), ("CN_USCC", "keep")]


@pytest.mark.parametrize("field, message", [
    ({"name": "手机", "pii": "CN_MOBILE", "desensitize": "generalize"}, "不能概化"),
    ({"name": "备注", "pii": "FREE_TEXT", "desensitize": "generalize"}, "不能概化"),
    ({"name": "手机", "pii": "CN_MOBILE", "desensitize": "scramble"}, "无效"),
])
def test_impossible_operator_is_refused(field, message):
    _, problems = plan_columns([field], {}, "conditional")
    assert message in problems[0].message


def test_free_text_is_scanned_by_default_even_when_unconditional():
    plans, problems = plan_columns([{"name": "备注"}], {"备注": cls(free_text=True)}, "unconditional")
    assert not problems and (plans[0].entity, plans[0].operator) == ("FREE_TEXT", "mask")
