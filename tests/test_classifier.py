"""Column classification: header context + validated hit rate, thresholds, free-text detection."""

import random
from datetime import date, timedelta

import pytest
from faker import Faker

from anonymization import identifiers as ids
from anonymization.classifier import ColumnClass, classify_column, header_context

RNG = random.Random(3)
FAKE = Faker("zh_CN")
FAKE.seed_instance(3)
NAMES = [FAKE.name() for _ in range(200)]
HOMES = [f"南阳市{d}{r}{RNG.randint(1, 300)}号{RNG.randint(1, 20)}栋{RNG.randint(1, 6)}单元{RNG.randint(1, 30)}01室"
         for d, r in zip(RNG.choices(("宛城区", "卧龙区"), k=200), RNG.choices(("建设路", "七一路", "仲景路"), k=200), strict=True)]


def entity(header, values, **kw):
    return classify_column(header, values, **kw).entity


def test_structured_columns_with_and_without_header():
    mobiles = [ids.mobile(RNG) for _ in range(180)] + ["无", "不详", "-", "待补充", "0"] * 4
    RNG.shuffle(mobiles)
    got = classify_column("联系电话", mobiles)
    assert isinstance(got, ColumnClass) and got.entity == "CN_MOBILE" and got.context
    assert got.sampled == 200 and got.hits == 180 and got.hit_rate == pytest.approx(0.9) and not got.free_text
    assert entity("字段7", mobiles) == "CN_MOBILE"  # 0.9 >= 0.8 without context
    assert entity("身份证号", [ids.cn_id_card(RNG) for _ in range(50)]) == "CN_ID_CARD"
    assert entity("统一社会信用代码", [ids.uscc(RNG, prefix=p) for p in ("N1", "Y1", "91", "92") * 10]) == "CN_USCC"
    assert entity("开户账号", [ids.bank_card(RNG) for _ in range(50)]) == "CN_BANK_CARD"
    assert entity("办公电话", [ids.landline(RNG) for _ in range(50)]) == "CN_LANDLINE"
    assert entity("车牌号码", [ids.plate(RNG, new_energy=RNG.random() < 0.3) for _ in range(50)]) == "CN_LICENSE_PLATE"
    assert entity("电子邮箱", [FAKE.email() for _ in range(50)]) == "EMAIL_ADDRESS"
    assert entity("登录IP", [FAKE.ipv4() for _ in range(50)]) == "IP_ADDRESS"


def test_half_hits_need_context():
    values = [ids.mobile(RNG) for _ in range(60)] + ["暂无"] * 40
    assert entity("手机", values) == "CN_MOBILE"
    assert entity("备用字段", values) is None


def test_ids_are_not_bank_cards_or_usccs():
    id_numbers = [ids.cn_id_card(RNG) for _ in range(1000)]
    for header in ("证件号码", "编号"):
        got = classify_column(header, id_numbers)
        assert got.entity == "CN_ID_CARD" and got.hit_rate == 1.0


def test_one_stray_hit_never_trips():
    amounts = [f"{RNG.uniform(0, 1e5):.2f}" for _ in range(999)]
    amounts.insert(500, ids.cn_id_card(RNG))
    assert classify_column("身份证号", amounts).entity is None  # even with context: 1 hit < 3
    assert entity("备注", ["正常"] * 4 + [ids.mobile(RNG)]) is None
    assert entity("手机", [ids.mobile(RNG) for _ in range(2)]) == "CN_MOBILE"  # < 3 values: all must hit
    assert entity("手机", [ids.mobile(RNG), "无"]) is None
    assert classify_column("手机", []).entity is None and classify_column("手机", ["", " ", None]).sampled == 0


@pytest.mark.parametrize("header, make", [
    ("金额(元)", lambda: f"{RNG.uniform(0, 2e7):.2f}"),
    ("注册资本(元)", lambda: str(RNG.randint(1000, 99_999_999_999))),
    ("数量", lambda: str(RNG.randint(0, 5000))),
    ("邮政编码", lambda: RNG.choice(("473000", "474150", "473400"))),
    ("登记日期", lambda: f"{date(2018, 1, 1) + timedelta(days=RNG.randint(0, 3000)):%Y-%m-%d}"),
    ("日期", lambda: f"{date(2018, 1, 1) + timedelta(days=RNG.randint(0, 3000)):%Y%m%d}"),
    ("年份", lambda: str(RNG.randint(1990, 2026))),
    ("经度", lambda: f"{RNG.uniform(111, 114):.6f}"),
    ("行政区划代码", lambda: RNG.choice(tuple(ids.NANYANG_REGION_CODES))),
    ("项目编号", lambda: RNG.choice(("10", "12")) + f"{RNG.randint(0, 999_999_999):09d}"),
    ("联系电话", lambda: RNG.choice(("10", "12")) + f"{RNG.randint(0, 999_999_999):09d}"),
    ("统计用区划代码", lambda: "411302" + f"{RNG.randint(0, 999_999):06d}"),
])
def test_numeric_columns_are_never_personal(header, make):
    got = classify_column(header, [make() for _ in range(500)])
    assert got.entity is None and not got.free_text, got


def test_names_and_addresses_need_header_context():
    assert entity("法定代表人", NAMES) == "PERSON"
    assert entity("姓名", NAMES[:50] + ["不详"] * 10) == "PERSON"
    assert entity("名称", NAMES) is None and entity("字段3", NAMES) is None
    assert entity("家庭住址", HOMES) == "ADDRESS" and entity("户籍地址", HOMES) == "ADDRESS"
    for header in ("注册地址", "经营地址", "住所", "单位地址", "企业联系地址"):
        got = classify_column(header, HOMES)  # the same strings as a company's address: not personal
        assert got.entity is None and not got.free_text, header


def test_prose_is_free_text():
    prose = [f"投诉人{n}反映小区门口道路积水严重，请尽快处理。联系电话{ids.mobile(RNG)}" for n in NAMES[:40]]
    prose += ["已转交宛城区住建局办理，回复：已整改完毕。", "群众反映的噪音问题已协调施工单位调整作业时间。"]
    got = classify_column("备注", prose)
    assert got.entity is None and got.free_text
    assert not classify_column("状态", ["正常", "注销", "吊销"] * 50).free_text  # categorical
    assert not classify_column("企业名称", [FAKE.company() for _ in range(60)]).free_text
    assert not classify_column("备注", ["无", "已办结", "同意"] * 20).free_text  # short


def test_sample_size_and_context():
    def values():
        yield from ["", "  "]
        for _ in range(1_000_000):
            yield ids.mobile(RNG)

    got = classify_column("手机号码", values(), sample_size=100)
    assert got.sampled == 100 and got.entity == "CN_MOBILE"
    assert header_context("IP地址") == {"IP_ADDRESS"} and "IP_ADDRESS" not in header_context("zip")
    assert header_context("联系人电话") >= {"PERSON", "CN_MOBILE"}
    assert "ADDRESS" not in header_context("企业联系地址") and "ADDRESS" in header_context("现住址")
    assert classify_column("手机号码", ["x"] * 5).context  # header named an entity, values did not match
    assert not classify_column("备注", ["x"] * 5).context and header_context("") == frozenset()
    assert all(header_context(h) for h in ("身份证号", "信用代码", "银行卡号", "座机", "车牌", "邮箱", "户主", "住址"))
