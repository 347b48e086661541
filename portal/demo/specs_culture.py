"""Demo datasets of 南阳市教育局 (jyj) and 南阳市文化广电和旅游局 (wglyj)."""

from __future__ import annotations

from .columns import (
    B,
    D,
    I,
    N,
    P,
    Res,
    S,
    Spec,
    Y,
    boolean,
    choice,
    day,
    fn,
    integer,
    number,
    skewed_int,
)
from .entities import (
    address,
    bank_card,
    birth_from_id,
    district,
    district_of,
    id_card,
    landline,
    lat,
    lon,
    mobile,
    person,
    postcode,
    sex_from_id,
    short_town,
    town,
    town_of,
    trade_name_of,
    village_address,
    village_of,
)
from .pools import BANKS, BASIS, DISTRICTS, URBAN

_CN_NUM = "一二三四五六七八九十"
_ORDINALS = (*_CN_NUM, *(f"十{c}" for c in _CN_NUM[:9]), "二十", "二十一", "二十二")

# ---- 教育 --------------------------------------------------------------------------------

_SCHOOL_KINDS = (  # (学校类别, templates, students range, weight)
    ("小学", ("{d}{ts}中心小学", "{d}{ts}{v}小学", "{c}第{k}小学", "{c}{ts}小学"), (60, 2600), 55),
    ("初级中学", ("{d}{ts}初级中学", "{d}第{k}初级中学", "{c}第{k}中学"), (300, 3200), 20),
    ("九年一贯制学校", ("{d}{ts}九年一贯制学校", "{c}{ts}实验学校"), (400, 3500), 12),
    ("高级中学", ("{d}第{k}高级中学", "{c}第{k}中学", "{d}第一高级中学"), (1200, 6000), 6),
    ("完全中学", ("{c}第{k}完全学校", "{c}{ts}中学"), (1500, 5000), 4),
    ("特殊教育学校", ("{d}特殊教育学校",), (60, 300), 3),
)


def _school(rng, ctx):
    kind = rng.choices(_SCHOOL_KINDS, weights=[k[3] for k in _SCHOOL_KINDS])[0]
    d = district_of(rng, ctx)
    ctx["kind"] = kind
    ctx["public"] = rng.random() < (0.93 if kind[0] != "完全中学" else 0.6)
    lo, hi = kind[2]
    ctx["students"] = lo + int((hi - lo) * rng.random() ** 1.6)
    tpl = rng.choice(kind[1] if ctx["public"] else ("南阳{n}学校", "南阳市{n}实验学校", "{d}{n}双语学校"))
    return tpl.format(d=d.name, c="南阳市" if d.name in URBAN else d.name, ts=short_town(town_of(rng, ctx)),
                      v=village_of(rng, ctx), n=trade_name_of(rng, ctx),
                      k=_ORDINALS[int(len(_ORDINALS) * rng.random() ** 1.5)])


_KG_NAMES = {
    "公办": ("{d}{ts}中心幼儿园", "{c}第{k}幼儿园", "{d}{ts}{v}幼儿园", "{d}机关幼儿园"),
    "民办": ("南阳市{n}幼儿园", "{d}{n}双语幼儿园", "南阳{n}艺术幼儿园"),
}


def _kindergarten(rng, ctx):
    nature = ctx["nature"] = rng.choices(("公办", "民办普惠性", "民办非普惠性"), weights=(45, 40, 15))[0]
    d = district_of(rng, ctx)
    tpl = rng.choice(_KG_NAMES["公办" if nature == "公办" else "民办"])
    return tpl.format(d=d.name, c="南阳市" if d.name in URBAN else d.name, ts=short_town(town_of(rng, ctx)),
                      n=trade_name_of(rng, ctx), v=village_of(rng, ctx), k=_CN_NUM[int(rng.random() ** 2 * 10)])


SCHOOLS = Spec(
    name="nanyang-primary-secondary-schools",
    title="南阳市中小学校名录",
    description=("南阳市各县（市、区）公办和民办中小学校名录，包括小学、初级中学、九年一贯制学校、高级中学、完全中学和特殊教育学校。"
                 "数据包括学校标识码、办学性质、地址、坐标、在校学生数、教职工数和班级数，每学年更新。"),
    keywords=("中小学", "学校", "义务教育", "学校名录", "招生"),
    dept="jyj", domain="教育文化", open_access="unconditional", update_frequency="yearly",
    resources=(Res("schools", 2200, (
        S("学校名称", fn(_school)),
        S("学校标识码", fn(lambda rng, ctx: f"2141{ctx['i'] + 1:06d}")),
        S("学校类别", fn(lambda rng, ctx: ctx["kind"][0])),
        S("办学性质", fn(lambda rng, ctx: "公办" if ctx["public"] else "民办")),
        S("所属区县", district()),
        S("乡镇（街道）", town()),
        S("地址", address(detail=False)),
        N("经度", lon()),
        N("纬度", lat()),
        S("邮政编码", postcode()),
        P("联系电话", landline(), "CN_LANDLINE", "keep", "单位对外服务电话", "单位对外公布的服务电话，属于机构公开信息，不涉及个人信息"),
        I("在校学生数", fn(lambda rng, ctx: ctx["students"])),
        I("教职工数", fn(lambda rng, ctx: max(6, round(ctx["students"] / rng.uniform(12, 18))))),
        I("班级数", fn(lambda rng, ctx: max(1, round(ctx["students"] / rng.uniform(38, 52))))),
        Y("建校年份", fn(lambda rng, ctx: str(rng.randint(1905, 2024)))),
        B("是否寄宿制", fn(lambda rng, ctx: "true" if ctx["kind"][0] != "小学" and rng.random() < 0.6 else "false")),
    ), unique="学校名称"),),
)

KINDERGARTENS = Spec(
    name="nanyang-kindergartens",
    title="南阳市幼儿园名录",
    description=("南阳市经教育行政部门审批设立的公办和民办幼儿园名录。"
                 "数据包括办园性质、是否普惠性幼儿园、办园等级、地址、坐标、在园幼儿数、班级数和保育教育费标准，每学期更新。"),
    keywords=("幼儿园", "学前教育", "普惠性幼儿园", "入园"),
    dept="jyj", domain="教育文化", open_access="unconditional", update_frequency="semiannual",
    resources=(Res("kindergartens", 1700, (
        S("幼儿园名称", fn(_kindergarten)),
        S("办园性质", fn(lambda rng, ctx: ctx["nature"])),
        B("是否普惠性幼儿园", fn(lambda rng, ctx: "false" if ctx["nature"] == "民办非普惠性" else "true")),
        S("办园等级", choice(("省级示范园", "市级示范园", "一级园", "二级园", "三级园", "未定级"), (2, 6, 15, 30, 27, 20))),
        S("所属区县", district()),
        S("地址", address(detail=False)),
        N("经度", lon()),
        N("纬度", lat()),
        I("在园幼儿数", skewed_int(30, 600, 1.7, key="kids")),
        I("班级数", fn(lambda rng, ctx: max(1, round(ctx["kids"] / rng.uniform(25, 32))))),
        N("保育教育费", fn(lambda rng, ctx: f"{(180 if ctx['nature'] != '民办非普惠性' else 600) * rng.uniform(1, 2.2):.0f}"),
          "单位：元/月"),
        P("联系电话", landline(), "CN_LANDLINE", "keep", "单位对外服务电话", "单位对外公布的服务电话，属于机构公开信息，不涉及个人信息"),
    ), unique="幼儿园名称"),),
)

_AID = {  # 学段: (school templates, (资助项目, 金额) options)
    "普通高中": (("{d}第{k}高级中学", "{d}第一高级中学"), (("国家助学金", "1000.00"), ("国家助学金", "1500.00"),
                                                          ("免学杂费", "800.00"))),
    "中等职业教育": (("南阳{n}职业中等专业学校", "{d}职业教育中心"), (("国家助学金", "1000.00"), ("免学费", "2000.00"))),
    "高等教育（新生入学资助）": (("{d}第{k}高级中学", "{d}第一高级中学"), (("新生入学资助", "500.00"), ("新生入学资助", "1000.00"))),
}

AID = Spec(
    name="nanyang-student-financial-aid",
    title="南阳市学生资助发放明细",
    description=("南阳市普通高中、中等职业学校和高校新生入学资助、国家助学金、免学费等学生资助项目的发放明细。"
                 "数据包含学生身份证号、银行卡号、家庭经济困难认定等级和家庭住址，属于敏感个人信息，依法不予开放。"),
    keywords=("学生资助", "国家助学金", "免学费", "教育扶贫"),
    dept="jyj", domain="教育文化", open_access="closed", basis=BASIS["pipl_sensitive"],
    share_access="conditional", update_frequency="semiannual",
    resources=(Res("aid_payments", 5000, (
        P("学生姓名", person(), "PERSON", None),
        P("身份证号", id_card((2000, 2005)), "CN_ID_CARD", None),
        S("性别", sex_from_id()),
        D("出生日期", birth_from_id()),
        S("学段", choice(tuple(_AID), (5, 4, 1), key="stage")),
        S("学校名称", fn(lambda rng, ctx: rng.choice(_AID[ctx["stage"]][0]).format(
            d=district_of(rng, ctx).name, k=_CN_NUM[rng.randint(0, 4)], n=trade_name_of(rng, ctx)))),
        S("资助项目", fn(lambda rng, ctx: ctx.setdefault("aid", rng.choice(_AID[ctx["stage"]][1]))[0])),
        N("资助金额", fn(lambda rng, ctx: ctx["aid"][1]), "单位：元"),
        S("家庭经济困难等级", choice(("特别困难", "比较困难", "一般困难"), (2, 3, 5))),
        P("银行卡号", bank_card(), "CN_BANK_CARD", None),
        S("开户银行", choice(BANKS)),
        P("监护人姓名", person(), "PERSON", None),
        P("监护人手机号", mobile(), "CN_MOBILE", None),
        P("家庭住址", village_address(), "ADDRESS", None),
        D("发放日期", day((2021, 3, 1))),
    )),),
)

# ---- 文化旅游 ----------------------------------------------------------------------------

_SPOTS = (  # well-known sites first; the rest of the list is generated
    ("南阳武侯祠", "4A", "卧龙区", "人文景观"), ("医圣祠", "4A", "宛城区", "人文景观"),
    ("南阳府衙", "4A", "宛城区", "人文景观"), ("内乡县衙", "4A", "内乡县", "人文景观"),
    ("西峡伏牛山老界岭·恐龙遗迹园旅游区", "5A", "西峡县", "自然景观"), ("宝天曼景区", "4A", "内乡县", "自然景观"),
    ("丹江大观苑", "4A", "淅川县", "自然景观"), ("桐柏山淮源风景区", "4A", "桐柏县", "自然景观"),
    ("社旗山陕会馆", "4A", "社旗县", "人文景观"), ("邓州花洲书院", "4A", "邓州市", "人文景观"),
    ("方城七峰山生态旅游区", "4A", "方城县", "自然景观"), ("南召五朵山", "4A", "南召县", "自然景观"),
    ("西峡龙潭沟", "4A", "西峡县", "自然景观"), ("淅川坐禅谷", "4A", "淅川县", "自然景观"),
    ("镇平石佛寺玉雕文化园", "3A", "镇平县", "工业旅游"), ("南阳独山森林公园", "3A", "宛城区", "自然景观"),
)
_DISTRICT_BY_NAME = {d.name: d for d in DISTRICTS}


def _spot(rng, ctx):
    i = ctx["i"]
    if i < len(_SPOTS):
        name, level, dname, kind = _SPOTS[i]
        ctx["d"] = _DISTRICT_BY_NAME[dname]
    else:
        d = district_of(rng, ctx)
        kind = rng.choice(("自然景观", "人文景观", "乡村旅游", "红色旅游", "工业旅游"))
        suffix = {"自然景观": "生态旅游区", "人文景观": "文化园", "乡村旅游": "田园综合体", "红色旅游": "红色教育基地",
                  "工业旅游": "工业旅游区"}[kind]
        place = short_town(town_of(rng, ctx)) if rng.random() < 0.6 else village_of(rng, ctx)
        name, level = f"{d.name}{place}{suffix}", rng.choice(("3A", "3A", "3A", "2A", "2A", "A"))
    ctx["level"], ctx["kind"] = level, kind
    return name


SCENIC = Spec(
    name="nanyang-a-level-scenic-spots",
    title="南阳市A级旅游景区名录",
    description=("经文化和旅游部门评定的南阳市A级旅游景区名录，从5A级到A级。"
                 "数据包括景区名称、等级、类型、所在区县、地址、坐标、门票价格、开放时间和年接待游客量，评定结果变化时更新。"),
    keywords=("A级景区", "旅游", "景区", "5A", "4A"),
    dept="wglyj", domain="文化旅游", open_access="unconditional", update_frequency="irregular",
    resources=(Res("scenic_spots", 120, (
        S("景区名称", fn(_spot)),
        S("等级", fn(lambda rng, ctx: ctx["level"])),
        S("景区类型", fn(lambda rng, ctx: ctx["kind"])),
        S("所属区县", district()),
        S("地址", fn(lambda rng, ctx: f"{district_of(rng, ctx).full}{town_of(rng, ctx)}")),
        N("经度", lon()),
        N("纬度", lat()),
        Y("评定年份", fn(lambda rng, ctx: str(rng.randint(2005, 2025)))),
        N("门票价格", fn(lambda rng, ctx: "0.00" if rng.random() < 0.35 else f"{rng.choice((20, 30, 40, 50, 60, 80, 120)):.2f}"),
          "单位：元，0表示免费"),
        S("开放时间", choice(("08:00-18:00", "08:30-17:30", "07:30-18:30", "全天开放"))),
        N("年接待游客量", fn(lambda rng, ctx: f"{({'5A': 150, '4A': 60}.get(ctx['level'], 8)) * rng.uniform(0.4, 1.6):.1f}"),
          "单位：万人次"),
        P("咨询电话", landline(), "CN_LANDLINE", "keep", "景区对外咨询电话", "单位对外公布的服务电话，属于机构公开信息，不涉及个人信息"),
    ), unique="景区名称"),),
)

_RELIC_KINDS = (  # (类别, name template, 时代 options)
    ("古遗址", "{v}遗址", ("新石器时代", "新石器时代", "商周", "汉")), ("古墓葬", "{v}汉墓群", ("汉",)),
    ("古建筑", "{ts}{n}寺", ("宋", "元", "明", "清")), ("古建筑", "{v}古民居", ("明", "清", "清", "民国")),
    ("石窟寺及石刻", "{ts}摩崖石刻", ("北魏", "唐", "宋", "明")),
    ("近现代重要史迹及代表性建筑", "{ts}革命旧址", ("民国", "1949年以后")),
)


def _relic(rng, ctx):
    kind, tpl, eras = rng.choice(_RELIC_KINDS)
    ctx["relic"], ctx["era"] = kind, rng.choice(eras)
    return tpl.format(v=village_of(rng, ctx), ts=short_town(town_of(rng, ctx)), n=trade_name_of(rng, ctx)[:1] + "云")


RELICS = Spec(
    name="nanyang-cultural-heritage-sites",
    title="南阳市文物保护单位名录",
    description=("南阳市境内全国、省、市、县级文物保护单位名录，包括古遗址、古墓葬、古建筑、石窟寺及石刻和近现代重要史迹。"
                 "数据包括保护级别、类别、时代、公布批次、精确坐标和管理单位。"
                 "古遗址和古墓葬的精确坐标涉及文物安全，经申请审核后开放。"),
    keywords=("文物保护单位", "文物", "古建筑", "遗址", "汉画"),
    dept="wglyj", domain="教育文化", open_access="conditional", basis=BASIS["dsl_important"],
    share_access="unconditional", update_frequency="yearly",
    resources=(Res("heritage_sites", 420, (
        S("名称", fn(_relic)),
        S("保护级别", choice(("全国重点文物保护单位", "省级文物保护单位", "市级文物保护单位", "县级文物保护单位"), (1, 4, 6, 9))),
        S("类别", fn(lambda rng, ctx: ctx["relic"])),
        S("时代", fn(lambda rng, ctx: ctx["era"])),
        S("所属区县", district()),
        S("乡镇（街道）", town()),
        N("经度", lon()),
        N("纬度", lat()),
        I("公布批次", integer(1, 9, key="batch")),
        Y("公布年份", fn(lambda rng, ctx: str(min(2024, 1963 + 7 * ctx["batch"] + rng.randint(-3, 3))))),
        N("保护范围面积", number(200, 150000, 0, power=3), "单位：平方米"),
        S("管理单位", fn(lambda rng, ctx: f"{district_of(rng, ctx).name}文物保护管理所")),
    ), unique="名称"),),
)


def _hotel(rng, ctx):
    kind = rng.choices(("星级饭店", "旅游民宿", "经济型酒店"), weights=(2, 5, 5))[0]
    d = district_of(rng, ctx)
    ctx["hk"] = kind
    if kind == "星级饭店":
        ctx["grade"] = rng.choice(("五星级", "四星级", "三星级", "三星级", "二星级"))
        return f"南阳{trade_name_of(rng, ctx)}大酒店" if d.name in URBAN else f"{d.name}{trade_name_of(rng, ctx)}宾馆"
    if kind == "旅游民宿":
        ctx["grade"] = rng.choice(("甲级", "乙级", "丙级", "未评定", "未评定"))
        return f"{d.name}{short_town(town_of(rng, ctx))}{trade_name_of(rng, ctx)}民宿"
    ctx["grade"] = "未评定"
    return f"{trade_name_of(rng, ctx)}快捷酒店（{d.name}{short_town(town_of(rng, ctx))}店）"


HOTELS = Spec(
    name="nanyang-tourist-accommodation",
    title="南阳市星级饭店和旅游民宿信息",
    description=("南阳市星级旅游饭店、等级旅游民宿和经济型酒店的基本信息。"
                 "数据包括名称、类型、星级或等级、地址、坐标、客房数、床位数和联系电话，按季度更新。"),
    keywords=("酒店", "民宿", "星级饭店", "住宿", "旅游"),
    dept="wglyj", domain="文化旅游", open_access="unconditional", update_frequency="quarterly",
    resources=(Res("accommodation", 900, (
        S("名称", fn(_hotel)),
        S("类型", fn(lambda rng, ctx: ctx["hk"])),
        S("星级或等级", fn(lambda rng, ctx: ctx["grade"])),
        S("所属区县", district()),
        S("地址", address(detail=False)),
        N("经度", lon()),
        N("纬度", lat()),
        I("客房数", fn(lambda rng, ctx: ctx.setdefault("rooms", rng.randint(4, 16) if ctx["hk"] == "旅游民宿"
                                                    else rng.randint(30, 320)))),
        I("床位数", fn(lambda rng, ctx: round(ctx["rooms"] * rng.uniform(1.2, 2.0)))),
        P("联系电话", landline(), "CN_LANDLINE", "keep", "单位对外服务电话", "单位对外公布的服务电话，属于机构公开信息，不涉及个人信息"),
        B("是否提供停车位", boolean(0.7)),
    ), unique="名称"),),
)

SPECS = [SCHOOLS, KINDERGARTENS, AID, SCENIC, RELICS, HOTELS]
