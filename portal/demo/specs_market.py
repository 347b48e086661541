"""Demo datasets of 南阳市市场监督管理局 (scjgj)."""

from __future__ import annotations

from datetime import date

from .columns import (
    DT,
    REF_END_ORD,
    B,
    D,
    I,
    N,
    P,
    Res,
    S,
    Spec,
    boolean,
    choice,
    day,
    fn,
    moment,
    number,
    skewed_int,
    years_after,
)
from .entities import (
    USCC_COL,
    address,
    agency_name,
    district,
    district_of,
    lat,
    local_agency,
    lon,
    mobile,
    org,
    person,
    postcode,
    short_town,
    town_of,
    trade_name_of,
)
from .pools import BASIS


def _iso(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()


# ---- 市场监管 ----------------------------------------------------------------------------

_PHARMACY_SCOPES = (
    "中药饮片、中成药、化学药、生物制品（除疫苗）", "中成药、化学药、生物制品（除疫苗）",
    "中药饮片、中成药、化学药", "中成药、化学药", "中药饮片、中成药、化学药、生物制品（除疫苗）、第二类精神药品",
)

_CHAIN = org(("南阳{n}医药连锁有限公司{ts}店", "河南{n}大药房连锁有限公司南阳{ts}店", "南阳{n}堂大药房连锁有限公司{d}{ts}店"))
_SINGLE = org(("南阳市{d}{n}大药房", "{d}{n}药店", "{d}{ts}{n}大药房"))


def _pharmacy_name(rng, ctx):
    ctx["mode"] = "零售（连锁）" if rng.random() < 0.55 else "零售"
    return (_CHAIN if ctx["mode"] == "零售（连锁）" else _SINGLE)(rng, ctx)


PHARMACIES = Spec(
    name="nanyang-licensed-pharmacies",
    title="南阳市药品零售企业（药店）名录",
    description=("南阳市行政区域内取得《药品经营许可证》的药品零售企业（药店）名录，包括零售连锁门店和单体药店。"
                 "数据包含企业名称、许可证编号、经营方式、经营范围、注册地址和地理坐标等信息，由市、县两级市场监督管理部门按月更新。"
                 "法定代表人、质量负责人姓名和联系电话在开放前做遮蔽处理。"),
    keywords=("药店", "药品", "零售", "药品经营许可证", "医药"),
    dept="scjgj", domain="市场监管", open_access="unconditional", update_frequency="monthly",
    resources=(Res("pharmacies", 1800, (
        S("企业名称", fn(_pharmacy_name), "《药品经营许可证》载明的企业名称"),
        USCC_COL(prefix=("91", "92", "92")),
        S("经营方式", fn(lambda rng, ctx: ctx["mode"])),
        S("许可证编号", fn(lambda rng, ctx: f"豫{'CA' if ctx['mode'] == '零售（连锁）' else 'CB'}377{ctx['i'] + 1:04d}")),
        S("经营范围", choice(_PHARMACY_SCOPES, (4, 3, 2, 2, 1))),
        P("法定代表人", person(), "PERSON", "mask"),
        P("质量负责人", person(), "PERSON", "mask", "执业药师或药学技术人员"),
        S("所属区县", district()),
        S("注册地址", address()),
        N("经度", lon(), "GCJ-02 坐标系经度"),
        N("纬度", lat(), "GCJ-02 坐标系纬度"),
        S("邮政编码", postcode()),
        P("联系电话", mobile(), "CN_MOBILE", "mask"),
        N("经营面积", number(40, 600, 1, power=2.2), "营业场所面积，单位：平方米"),
        I("执业药师人数", skewed_int(1, 6, 2.5)),
        B("是否医保定点", boolean(0.62)),
        D("发证日期", day(key="issue")),
        D("有效期至", years_after("issue", 5)),
        S("发证机关", local_agency("市场监督管理局")),
    ), unique="企业名称"),),
)

_ENT_KINDS = (  # (企业类型, name template, USCC prefix, weight)
    ("有限责任公司（自然人投资或控股）", "南阳{n}{ind}有限公司", "91", 46),
    ("有限责任公司（自然人独资）", "南阳市{d}{n}{ind}有限公司", "91", 16),
    ("股份有限公司（非上市、自然人投资或控股）", "河南{n}{ind}股份有限公司", "91", 4),
    ("个人独资企业", "{d}{n}{ind}厂", "91", 9),
    ("有限合伙企业", "南阳{n}{ind}合伙企业（有限合伙）", "91", 3),
    ("有限责任公司分公司（自然人投资或控股）", "河南{n}{ind}有限公司南阳{d}分公司", "91", 8),
    ("个体工商户", "{d}{n}{ind}商行", "92", 14),
)
_INDUSTRIES = (  # (字号后的行业用语, 行业门类)
    ("商贸", "批发和零售业"), ("建筑工程", "建筑业"), ("实业", "制造业"), ("农业科技", "农、林、牧、渔业"),
    ("电子科技", "科学研究和技术服务业"), ("食品", "制造业"), ("纺织", "制造业"), ("机械制造", "制造业"),
    ("玉器", "制造业"), ("艾草制品", "制造业"), ("物流", "交通运输、仓储和邮政业"), ("房地产开发", "房地产业"),
    ("餐饮管理", "住宿和餐饮业"), ("医药", "批发和零售业"), ("汽车销售", "批发和零售业"),
    ("广告传媒", "租赁和商务服务业"), ("信息技术", "信息传输、软件和信息技术服务业"), ("建材", "批发和零售业"),
    ("光电", "制造业"), ("防爆电机", "制造业"), ("新能源", "电力、热力、燃气及水生产和供应业"),
    ("生物科技", "科学研究和技术服务业"), ("劳务", "租赁和商务服务业"), ("装饰工程", "建筑业"),
    ("环保科技", "科学研究和技术服务业"), ("教育咨询", "教育"), ("香菇", "农、林、牧、渔业"),
    ("茶业", "农、林、牧、渔业"), ("中药材", "农、林、牧、渔业"), ("家政服务", "居民服务、修理和其他服务业"),
    ("文化传播", "文化、体育和娱乐业"), ("酒店管理", "住宿和餐饮业"),
)
_ENT_CUM = []
for _k in _ENT_KINDS:
    _ENT_CUM.append((_ENT_CUM[-1] if _ENT_CUM else 0) + _k[3])


def _enterprise_name(rng, ctx):
    kind = rng.choices(_ENT_KINDS, cum_weights=_ENT_CUM)[0]
    ind, sector = _INDUSTRIES[int(rng.random() * len(_INDUSTRIES))]
    ctx["kind"], ctx["sector"], ctx["uscc_prefix"] = kind[0], sector, kind[2]
    return kind[1].format(n=trade_name_of(rng, ctx), ind=ind, d=district_of(rng, ctx).name)


ENTERPRISES = Spec(
    name="nanyang-enterprise-registrations",
    title="南阳市企业登记注册信息",
    description=("南阳市各级市场监督管理部门登记注册的企业及个体工商户基本信息，涵盖有限责任公司、股份有限公司、"
                 "个人独资企业、合伙企业和分支机构。数据包括统一社会信用代码、名称、类型、法定代表人、注册资本、"
                 "成立日期、登记状态和住所等登记事项，每日更新。统一社会信用代码依法公示，法定代表人姓名开放前遮蔽。"),
    keywords=("企业登记", "市场主体", "统一社会信用代码", "工商注册", "营商环境"),
    dept="scjgj", domain="市场监管", open_access="unconditional", update_frequency="daily",
    resources=(Res("enterprises", 36000, (
        S("企业名称", fn(_enterprise_name)),
        USCC_COL(),
        S("企业类型", fn(lambda rng, ctx: ctx["kind"])),
        P("法定代表人", person(), "PERSON", "mask", "法定代表人、负责人、执行事务合伙人或经营者"),
        N("注册资本", number(3, 20000, 2, power=4), "单位：万元人民币"),
        D("成立日期", day((1993, 1, 1), key="est")),
        D("核准日期", fn(lambda rng, ctx: _iso(rng.randint(ctx["est"], REF_END_ORD)))),
        S("登记状态", choice(("存续（在营、开业、在册）", "注销", "吊销，未注销", "迁出"), (78, 15, 5, 2))),
        S("行业门类", fn(lambda rng, ctx: ctx["sector"])),
        S("所属区县", district()),
        S("住所", address()),
        S("登记机关", local_agency("市场监督管理局")),
    ), unique="企业名称"),),
)


_COMPLAINT_TYPES = ("商品质量", "虚假宣传", "价格欺诈", "售后服务", "食品安全", "预付卡消费", "网络购物",
                    "合同纠纷", "计量问题", "美容美发")
_ITEMS = ("电动车", "手机", "冰箱", "空调", "羽绒服", "玉器摆件", "艾灸贴", "奶粉", "白酒", "装修材料",
          "健身卡", "洗衣机", "电热水器", "床垫", "运动鞋")


def _complaint_text(rng, ctx):
    item, org_name = rng.choice(_ITEMS), ctx["org"]
    amount = rng.choice((58, 128, 299, 680, 1200, 1980, 3600))
    name, phone = rng.choice(ctx["P"].names), rng.choice(("", "+86 ")) + _phone(rng)
    forms = (
        f"消费者在{org_name}购买{item}，使用不到一个月出现质量问题，商家拒绝退换，请求依法处理。",
        f"本人{name}，电话{phone}，在{org_name}办理会员卡充值{amount}元，现商家停业无法退款，请求协调退还余额。",
        f"反映{org_name}销售的{item}标价与结算价不一致，多收费用{amount}元，联系人{name}，手机{phone}。",
        f"{org_name}宣传“七天无理由退货”，实际拒绝退货，涉嫌虚假宣传。",
        f"我叫{name}，上周在{org_name}消费被多收费{amount}元，请回电{phone}。",
        f"{org_name}出售过期食品，购买凭证已留存，投诉人要求十倍赔偿。",
    )
    return forms[int(rng.random() * len(forms))]


def _phone(rng):
    from anonymization.identifiers import mobile as _mobile
    m = _mobile(rng)
    return m if rng.random() < 0.7 else f"{m[:3]}-{m[3:7]}-{m[7:]}"


COMPLAINTS = Spec(
    name="nanyang-consumer-complaints",
    title="南阳市消费投诉举报登记信息",
    description=("通过全国12315平台、12345政务服务便民热线等渠道受理的南阳市消费投诉举报登记信息。"
                 "数据包括受理时间、被投诉经营者、投诉类别、涉及金额、投诉内容摘要和办理结果。"
                 "投诉人个人信息受法律保护，申请人经审核后在批准范围内使用。"),
    keywords=("消费投诉", "12315", "消费者权益", "举报"),
    dept="scjgj", domain="市场监管", open_access="conditional", basis=BASIS["pipl_consent"],
    share_access="conditional", update_frequency="weekly",
    resources=(Res("complaints", 3000, (
        S("受理编号", fn(lambda rng, ctx: f"TS{ctx['i'] + 1:07d}")),
        DT("受理时间", moment((2024, 1, 1), hours=(8, 20))),
        S("受理渠道", choice(("全国12315平台", "12315热线", "12345政务服务便民热线", "来信来访"), (5, 3, 3, 1))),
        P("投诉人", person(), "PERSON", "drop"),
        P("投诉人电话", mobile(), "CN_MOBILE", "drop"),
        P("投诉人地址", address(), "ADDRESS", "generalize"),
        S("被投诉经营者", org(("南阳市{d}{n}商贸有限公司", "{d}{n}超市", "南阳{n}电器有限公司", "{n}美容美发店",
                               "南阳{n}健身服务有限公司", "{d}{ts}{n}批发部"))),
        S("所属区县", district()),
        S("投诉类别", choice(_COMPLAINT_TYPES)),
        N("涉及金额", number(10, 20000, 2, power=3), "单位：元"),
        P("投诉内容", fn(_complaint_text), "FREE_TEXT", "mask", "投诉内容摘要，可能包含个人姓名和联系方式"),
        S("办理结果", choice(("调解成功", "调解不成功", "终止调解", "不予受理", "已转行政执法"), (55, 15, 12, 10, 8))),
    )),),
)


_FOOD_FORMS = (  # (主体业态, type digit, USCC prefix, templates, 经营项目, weight)
    ("食品销售经营者", "1", "92", ("{d}{n}超市", "{d}{ts}{n}便利店", "南阳市{d}{n}食品商行", "{n}生鲜超市"),
     ("预包装食品（含冷藏冷冻食品）销售；散装食品（不含冷藏冷冻食品）销售", "预包装食品（不含冷藏冷冻食品）销售",
      "预包装食品（含冷藏冷冻食品）销售；散装食品（含冷藏冷冻食品）销售；保健食品销售"), 45),
    ("餐饮服务经营者", "2", "92", ("南阳市{d}{n}餐饮店", "{n}酒家", "{d}{n}烩面馆", "{n}牛肉汤馆", "南阳{n}餐饮管理有限公司{ts}店"),
     ("热食类食品制售", "热食类食品制售；冷食类食品制售", "热食类食品制售；冷食类食品制售；自制饮品制售"), 45),
    ("单位食堂", "3", "12", ("{d}{ts}中心学校食堂", "{d}{ts}卫生院职工食堂", "{d}第{k}初级中学食堂"),
     ("热食类食品制售", "热食类食品制售；冷食类食品制售"), 10),
)


def _food_name(rng, ctx):
    form = rng.choices(_FOOD_FORMS, weights=[f[5] for f in _FOOD_FORMS])[0]
    d, t = district_of(rng, ctx), town_of(rng, ctx)
    ctx["form"], ctx["uscc_prefix"] = form, form[2] if rng.random() < 0.85 else "91"
    tpl = form[3][int(rng.random() * len(form[3]))]
    return tpl.format(d=d.name, ts=short_town(t), n=trade_name_of(rng, ctx), k="一二三四五六七八"[rng.randint(0, 7)])


FOOD_LICENSES = Spec(
    name="nanyang-food-business-licenses",
    title="南阳市食品经营许可信息",
    description=("南阳市各级市场监督管理部门核发的《食品经营许可证》信息，包括食品销售经营者、餐饮服务经营者和单位食堂。"
                 "数据包括经营者名称、许可证编号、主体业态、经营项目、经营场所、日常监督管理机构和有效期，按月更新。"),
    keywords=("食品经营许可", "食品安全", "餐饮", "许可证"),
    dept="scjgj", domain="市场监管", open_access="unconditional", update_frequency="monthly", encoding="gbk",
    resources=(Res("food_licenses", 6000, (
        S("经营者名称", fn(_food_name)),
        USCC_COL(),
        P("法定代表人（负责人）", person(), "PERSON", "mask"),
        S("许可证编号", fn(lambda rng, ctx: f"JY{ctx['form'][1]}{district_of(rng, ctx).code}{ctx['i'] + 1:06d}"
                                            f"{rng.randint(0, 9)}")),
        S("主体业态", fn(lambda rng, ctx: ctx["form"][0])),
        S("经营项目", fn(lambda rng, ctx: rng.choice(ctx["form"][4]))),
        S("所属区县", district()),
        S("经营场所", address()),
        S("日常监督管理机构", fn(lambda rng, ctx: agency_name(district_of(rng, ctx), "市场监督管理局")
                                               + short_town(town_of(rng, ctx)) + "市场监督管理所")),
        D("发证日期", day(key="issue")),
        D("有效期至", years_after("issue", 5)),
    ), unique="经营者名称"),),
)


SPECS = [PHARMACIES, ENTERPRISES, COMPLAINTS, FOOD_LICENSES]
