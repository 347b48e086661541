"""Chinese PII recognizers: whole-value validators, free-text detection, Presidio integration."""

import random
import socket
import subprocess
import sys
from datetime import date
from pathlib import Path

import pytest

from anonymization import identifiers as ids
from anonymization import validators as v
from anonymization.names import find_names
from anonymization.recognizers import (
    ENTITIES,
    build_analyzer,
    build_recognizers,
    find_entities,
    resolve_overlaps,
)

ROOT = Path(__file__).resolve().parent.parent


@pytest.fixture
def rng():
    return random.Random(7)


def found(text, entity=None):
    return [(s.entity, s.text) for s in find_entities(text) if entity in (None, s.entity)]


# --- validators ----------------------------------------------------------------------------------
def test_id_cards(rng):
    for _ in range(200):
        assert v.id_card_ok(ids.cn_id_card(rng))
    born_1985 = ids.cn_id_card(rng, region="411302", birth_date=date(1985, 3, 14))
    assert born_1985.startswith("4113021985") and v.id_card_ok(born_1985)  # region code renamed since
    x = next(i for i in (ids.cn_id_card(rng) for _ in range(500)) if i.endswith("X"))
    assert v.id_card_ok(x) and v.id_card_ok(x[:-1] + "x") and v.id_card_ok(f" {x} ")


def test_id_card_near_misses(rng):
    good = ids.cn_id_card(rng, region="411381", birth_date=date(1990, 6, 1))
    for i in range(17):  # MOD 11-2 catches every single-digit error
        wrong = good[:i] + str((int(good[i]) + 1) % 10) + good[i + 1:]
        assert not v.id_card_ok(wrong)
    assert not v.id_card_ok(good[:17])  # 17 digits
    assert not v.id_card_ok(good + "1")  # 19 digits
    bad_date = "41138119850230" + "123"
    assert not v.id_card_ok(bad_date + ids.id_check_digit(bad_date))
    for first17 in ("99138119850101123", "41138118990101123", "41138120270101123"):
        assert not v.id_card_ok(first17 + ids.id_check_digit(first17))  # province, year range


def test_uscc(rng):
    for prefix in ("91", "92", "93", "12", "51", "N1", "N2", "Y1"):  # python-stdnum rejects N and Y
        code = ids.uscc(rng, prefix=prefix)
        assert v.uscc_ok(code), code
        assert not v.uscc_ok(code[:17] + next(c for c in ids.USCC_ALPHABET if c != code[17]))
        assert not v.uscc_ok(code[:17]) and not v.uscc_ok(code + "0")
    code = ids.uscc(rng)
    assert not v.uscc_ok(code[:10] + "I" + code[11:]) and not v.uscc_ok(code.lower())
    assert not v.uscc_ok("0" + code[1:])
    for _ in range(300):  # an ID number passes the mod-31 check 1 time in 31: still not a USCC
        assert not v.uscc_ok(ids.cn_id_card(rng))


def test_bank_cards(rng):
    for _ in range(200):
        assert v.bank_card_ok(ids.bank_card(rng))
    unionpay = ids.luhn_complete(rng, "622848", 19)
    assert v.bank_card_ok(unionpay) and len(unionpay) == 19
    assert v.bank_card_ok(" ".join(unionpay[i:i + 4] for i in range(0, 19, 4)))
    assert v.bank_card_ok("-".join((unionpay[:6], unionpay[6:])))
    assert not v.bank_card_ok(unionpay[:-1] + str((int(unionpay[-1]) + 1) % 10))  # Luhn
    assert not v.bank_card_ok(ids.luhn_complete(rng, "62284", 15))
    assert not v.bank_card_ok(ids.luhn_complete(rng, "62284", 20))
    assert not v.bank_card_ok(ids.luhn_complete(rng, "8", 16))  # first digit 3-6
    assert not v.bank_card_ok("12345.67") and not v.bank_card_ok("6228 48a0 1234 5678")
    for _ in range(300):  # IDs pass Luhn 1 time in 10: never a bank card
        assert not v.bank_card_ok(ids.cn_id_card(rng))
    assert v.luhn_ok("79927398713") and not v.luhn_ok("79927398710") and not v.luhn_ok("")


def test_mobiles():
    for m in ("13800001111", "16612345678", "17012345678", "19912345678", "+8613800001111",
              "+86 138 0000 1111", "008613800001111", "8613800001111", "138-0000-1111", "138 0000 1111"):
        assert v.mobile_ok(m), m
    for m in ("1380000111", "138000011112", "12800001111", "10012345678", "0377-63123456", "13800.50",
              "138 00001 111", "１３８00001111"):
        assert not v.mobile_ok(m), m


def test_landlines():
    for t in ("0377-63123456", "(0377)63123456", "037763123456", "0377 6312345", "010-88888888",
              "02088888888", "0371-66668888-8001"):
        assert v.landline_ok(t), t
    for t in ("0377-13123456", "0012-63123456", "377-63123456", "473000", "2024-01-02", "0377-631234",
              "13800001111", "01381234567"):
        assert not v.landline_ok(t), t


def test_plates():
    for p in ("豫R12345", "豫R·12345", "豫R 12345", "豫RD12345", "豫R12345F", "豫ADA1234", "京N9A8B7", "豫R1234挂"):
        assert v.plate_ok(p), p
    for p in ("豫RI2345", "豫RO1234", "豫R1234", "豫R1234567", "南R12345", "豫12345", "R12345", "豫RABCDE"):
        assert not v.plate_ok(p), p


def test_emails_and_ips():
    for e in ("zhang.san@nanyang.gov.cn", "13800001111@qq.com", "a_b-c+d@mail.example.com"):
        assert v.email_ok(e), e
    for e in ("zhangsan.qq.com", "a@@qq.com", "a@qq", ".a@qq.com", "a..b@qq.com", "a @qq.com", "a@qq.c"):
        assert not v.email_ok(e), e
    for ip in ("192.168.1.10", "8.8.8.8", "0.0.0.0", "2001:db8::1", "fe80::1ff:fe23:4567:890a"):
        assert v.ip_ok(ip), ip
    for ip in ("256.1.1.1", "1.2.3", "1.2.3.4.5", "01.2.3.4", "112.53", "2024.01.02", "1:2"):
        assert not v.ip_ok(ip), ip


def test_person_names_and_addresses():
    for n in ("王芳", "李建国", "欧阳娜娜", "诸葛明亮", "阿依古丽·买买提", " 张伟 "):
        assert v.person_name_ok(n), n
    for n in ("张先生", "王某", "宛城区", "张家港", "南阳市华新科技有限公司", "无", "黄河路", "李"):
        assert not v.person_name_ok(n), n
    for a in ("河南省南阳市宛城区建设路12号3号楼2单元501室", "卧龙区七一路45号", "唐河县城郊乡李庄村3组",
              "南阳市宛城区新华东路"):
        assert v.address_ok(a), a
    for a in ("南阳市宛城区", "建设路", "宛城区人民政府", "南阳市中心医院", "河南维旺明网络有限公司", "不详"):
        assert not v.address_ok(a), a
    assert set(v.VALUE_CHECKS) == set(ENTITIES) and v.digits_only("0377-6312 3456") == "037763123456"


# --- free text -----------------------------------------------------------------------------------
def test_numbers_in_text():
    assert found("电话13800001111联系") == [("CN_MOBILE", "13800001111")]
    assert found("手机：+86 138 0000 1111。") == [("CN_MOBILE", "+86 138 0000 1111")]
    ident = ids.cn_id_card(random.Random(1), region="411381", birth_date=date(1985, 1, 1))  # "…13811985…"
    assert found(f"身份证号{ident}已挂失") == [("CN_ID_CARD", ident)]
    assert found(f"证件号{ident[:-1]}位数不对") == [] and found(f"编号{ident}7的档案") == []
    assert found("金额12345678.90元，共3800000111户") == []
    card = ids.luhn_complete(random.Random(2), "622202", 19)
    assert found(f"补贴发放至{card}，金额3000元") == [("CN_BANK_CARD", card)]
    code = ids.uscc(random.Random(3), prefix="N2")
    assert found(f"信用代码{code}。") == [("CN_USCC", code)]
    assert found("请拨打0377-63123456咨询") == [("CN_LANDLINE", "0377-63123456")]


def test_other_entities_in_text():
    text = "车牌豫R·12345和豫RD12345违停，邮箱li.xy@163.com，来自192.168.1.10的登录"
    assert found(text) == [("CN_LICENSE_PLATE", "豫R·12345"), ("CN_LICENSE_PLATE", "豫RD12345"),
                           ("EMAIL_ADDRESS", "li.xy@163.com"), ("IP_ADDRESS", "192.168.1.10")]
    assert found("13800001111@qq.com") == [("EMAIL_ADDRESS", "13800001111@qq.com")]  # the longer span wins
    assert found("家住南阳市宛城区建设路12号3号楼2单元501室。", "ADDRESS") == [
        ("ADDRESS", "南阳市宛城区建设路12号3号楼2单元501室")]
    assert found("宛城区建设路小区门口道路积水严重") == []  # a road without a number is a place


@pytest.mark.parametrize("text, names", [
    ("投诉人李秀英反映噪音扰民", ["李秀英"]),
    ("市民张先生反映，请王建国同志尽快处理。", ["王建国"]),
    ("欧阳娜娜女士来电", ["欧阳娜娜"]),
    ("经办人：王芳，审核人：诸葛明。", ["王芳", "诸葛明"]),
    ("参会人员：张三、李四和王五", ["张三", "李四", "王五"]),
    ("经查，刘晨雯于2021年11月11日在迎宾大道无证经营。", ["刘晨雯"]),
    ("网格员程秀兰每天巡查辖区。", ["程秀兰"]),
    ("阿依古丽·买买提申请低保", ["阿依古丽·买买提"]),
    ("张家港市的王府井大街和黄河路", []),
    ("张仲景医院门诊楼在仲景路，李宁专卖店在黄河路。", []),
    ("高度重视安全生产，马上就办，金额合计5万元。", []),
    ("黄金周期间石桥镇、王村乡游客增加。", []),
])
def test_names_in_sentences(text, names):
    assert [text[a:b] for a, b in find_names(text)] == names
    assert [t for _, t in found(text, "PERSON")] == names


# --- Presidio --------------------------------------------------------------------------------------
@pytest.fixture(scope="module")
def analyzer():
    def no_network(*args, **kwargs):
        raise AssertionError("network access attempted")

    with pytest.MonkeyPatch.context() as mp:
        mp.setattr(socket.socket, "connect", no_network)
        mp.setattr(socket, "create_connection", no_network)
        mp.setattr("spacy.cli.download", no_network)
        yield build_analyzer()


def test_recognizers_are_local_presidio_recognizers():
    from presidio_analyzer import EntityRecognizer, PatternRecognizer
    from presidio_analyzer.predefined_recognizers import EmailRecognizer

    recs = build_recognizers()
    assert [r.supported_entities[0] for r in recs] == list(ENTITIES)
    assert all(isinstance(r, EntityRecognizer) and r.supported_language == "zh" and r.context for r in recs)
    assert not any(isinstance(r, EmailRecognizer) for r in recs)
    assert sum(isinstance(r, PatternRecognizer) for r in recs) == 9  # all but PERSON


def test_analyzer_agrees_with_fast_path(analyzer):
    sys.path.insert(0, str(ROOT / "bench"))
    import corpus

    sample = corpus.sentences(80, 40, 80, seed=11)
    for text, _ in sample:
        full = {(r.entity_type, r.start, r.end, r.score) for r in resolve_overlaps(analyzer.analyze(text, language="zh"))}
        fast = {(s.entity, s.start, s.end, s.score) for s in find_entities(text)}
        assert fast == full, text
    assert sum(bool(find_entities(t)) for t, _ in sample) > 150


def test_context_words_raise_scores(analyzer):
    text = "家住宛城区建设路12号"
    [res] = analyzer.analyze(text, language="zh", entities=["ADDRESS"])
    [span] = find_entities(text, ["ADDRESS"])
    assert res.score == span.score > 0.5 and find_entities(text, ["CN_MOBILE"]) == []


def test_package_imports_no_web_stack():
    code = ("import sys, anonymization; bad = {m.split('.')[0] for m in sys.modules} & "
            "{'flask', 'sqlalchemy', 'frictionless', 'portal'}; assert not bad, bad")
    subprocess.run([sys.executable, "-c", code], check=True, cwd=ROOT)
