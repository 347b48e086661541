"""Demo datasets of 南阳市民政局 (mzj) and 南阳市人力资源和社会保障局 (rsj)."""

from __future__ import annotations

from anonymization.identifiers import mobile as _mobile

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
    day_in_year,
    days_after,
    fn,
    number,
    skewed_int,
    years_after,
    yr,
)
from .entities import (
    USCC_COL,
    address,
    agency_name,
    bank_card,
    district,
    district_of,
    email,
    id_card,
    landline,
    lat,
    local_agency,
    lon,
    mobile,
    org,
    person,
    sex_from_id,
    town,
    town_of,
    trade_name_of,
    village_address,
)
from .pools import BANKS, BASIS, DISTRICTS, URBAN

# ---- 民政 --------------------------------------------------------------------------------


def _elderly_name(rng, ctx):
    nature = rng.choices(("公办", "公建民营", "民办"), weights=(4, 2, 5))[0]
    d, t = district_of(rng, ctx), town_of(rng, ctx)
    ctx["nature"] = nature
    ctx["uscc_prefix"] = "12" if nature == "公办" else "52"
    if nature == "公办":
        return f"{d.name}{t}{'中心' if rng.random() < 0.3 else ''}敬老院"
    return rng.choice(("南阳市{d}{n}养老院", "南阳{n}康养中心", "南阳市{d}{n}老年公寓", "{d}{n}颐养院")).format(
        d=d.name, n=trade_name_of(rng, ctx))


def _elderly_note(rng, ctx):
    r = rng.random()
    if r < 0.55:
        return ""
    name, phone = rng.choice(ctx["P"].names), _mobile(rng)
    notes = (
        f"床位较紧张，入住咨询请联系{name}，电话{phone}。",
        f"与{district_of(rng, ctx).name}人民医院签约开展医养结合服务。",
        f"{2020 + rng.randint(0, 5)}年完成适老化改造和消防设施提升。",
        f"院长{name}（{phone}）负责日常管理，节假日值班电话同上。",
        "提供日间照料和助餐服务，辖区特困老人优先入住。",
    )
    return notes[int(rng.random() * len(notes))]


ELDERLY = Spec(
    name="nanyang-elderly-care-institutions",
    title="南阳市养老机构名录",
    description=("在南阳市各级民政部门备案的养老机构名录，包括公办敬老院、公建民营和民办养老机构。"
                 "数据包括机构性质、床位数、护理型床位数、入住老人数、收费标准、医养结合情况和备案日期，按季度更新。"
                 "负责人姓名、联系电话及备注中的个人信息开放前遮蔽。"),
    keywords=("养老机构", "敬老院", "养老服务", "医养结合", "民政"),
    dept="mzj", domain="社会民生", open_access="unconditional", update_frequency="quarterly",
    resources=(Res("elderly_care", 420, (
        S("机构名称", fn(_elderly_name)),
        USCC_COL(prefix=("52",)),
        S("机构性质", fn(lambda rng, ctx: ctx["nature"])),
        P("负责人", person(), "PERSON", "mask"),
        P("联系电话", mobile(), "CN_MOBILE", "mask"),
        S("所属区县", district()),
        S("地址", address()),
        N("经度", lon()),
        N("纬度", lat()),
        I("床位数", skewed_int(20, 600, 1.8, key="beds")),
        I("护理型床位数", fn(lambda rng, ctx: round(ctx["beds"] * rng.uniform(0.3, 0.8)))),
        I("入住老人数", fn(lambda rng, ctx: round(ctx["beds"] * rng.uniform(0.35, 0.95)))),
        N("月收费下限", fn(lambda rng, ctx: f"{rng.choice((800, 1000, 1200, 1500, 1800, 2200, 2800)):.2f}"), "单位：元/月"),
        B("是否医养结合", boolean(0.4)),
        S("星级", choice(("未评定", "一星级", "二星级", "三星级", "四星级", "五星级"), (40, 15, 20, 15, 8, 2))),
        D("备案日期", day()),
        P("备注", fn(_elderly_note), "FREE_TEXT", "mask", "自由文本，可能含姓名和电话"),
    ), unique="机构名称"),),
)


_ORG_FORMS = {  # (name template, 业务主管单位)
    "社会团体": (("{h}{x}协会", "无（直接登记）"), ("{h}{n}商会", "南阳市工商业联合会"), ("{h}{x}研究会", "南阳市科学技术协会"),
                 ("{h}{x}联合会", "无（直接登记）")),
    "民办非企业单位": (("{h}{n}培训学校", "南阳市教育局"), ("{h}{n}社会工作服务中心", "无（直接登记）"),
                       ("{h}{n}养老服务中心", "无（直接登记）"), ("{h}{n}幼儿园", "南阳市教育局"),
                       ("{h}{n}体育俱乐部", "南阳市体育局"), ("{h}{n}文化艺术中心", "南阳市文化广电和旅游局")),
    "基金会": (("南阳市{n}慈善基金会", "无（直接登记）"), ("南阳{n}教育基金会", "南阳市教育局")),
}


def _social_org(rng, ctx):
    kind = rng.choices(("社会团体", "民办非企业单位", "基金会"), weights=(45, 52, 3))[0]
    d = district_of(rng, ctx)
    ctx["kind"], ctx["uscc_prefix"] = kind, {"社会团体": "51", "民办非企业单位": "52", "基金会": "53"}[kind]
    city_level = d.name in URBAN and rng.random() < 0.6
    ctx["registrar"] = "南阳市民政局" if city_level else agency_name(d, "民政局")
    head = "南阳市" if city_level else d.name
    tpl, ctx["sup"] = rng.choice(_ORG_FORMS[kind])
    x = rng.choice(("玉雕", "艾草产业", "月季", "摄影家", "书法家", "诗词", "老年体育", "汽车维修", "餐饮烹饪", "律师",
                    "会计", "物流", "电子商务", "青年企业家", "志愿者", "足球", "中医药", "地方史"))
    return tpl.format(h=head, x=x, n=trade_name_of(rng, ctx))


SOCIAL_ORGS = Spec(
    name="nanyang-social-organizations",
    title="南阳市社会组织登记信息",
    description=("在南阳市各级民政部门登记的社会团体、民办非企业单位（社会服务机构）和基金会信息。"
                 "数据包括统一社会信用代码、组织类型、业务主管单位、登记管理机关、成立登记日期、注册资金、住所、年检结论和评估等级，按月更新。"),
    keywords=("社会组织", "社会团体", "民办非企业单位", "基金会", "民政"),
    dept="mzj", domain="社会民生", open_access="unconditional", update_frequency="monthly",
    resources=(Res("social_organizations", 2600, (
        S("社会组织名称", fn(_social_org)),
        USCC_COL(prefix=("51",)),
        S("组织类型", fn(lambda rng, ctx: ctx["kind"])),
        S("业务主管单位", fn(lambda rng, ctx: ctx["sup"])),
        S("登记管理机关", fn(lambda rng, ctx: ctx["registrar"])),
        D("成立登记日期", day((1995, 1, 1))),
        N("注册资金", number(3, 800, 2, power=2.5), "单位：万元"),
        S("所属区县", district()),
        S("住所", address()),
        P("联系电话", landline(), "CN_LANDLINE", "keep", "社会组织对外办公电话", "社会组织登记事项依法向社会公开，办公电话为单位联系方式"),
        S("年检结论", choice(("合格", "基本合格", "不合格", "未参检"), (70, 15, 5, 10))),
        S("评估等级", choice(("未评估", "1A", "2A", "3A", "4A", "5A"), (60, 3, 8, 15, 10, 4))),
    ), unique="社会组织名称"),),
)

_STREET, _VILLAGE = address(), village_address()

ALLOWANCE = Spec(
    name="nanyang-subsistence-allowance-recipients",
    title="南阳市最低生活保障对象名册",
    description=("南阳市城乡最低生活保障对象家庭名册，包括户主信息、保障类别、保障人口数、月保障金额和发放账户。"
                 "名册含身份证号、家庭住址和银行卡号等敏感个人信息，依法不予开放；低保对象的公示按《社会救助暂行办法》在村（居）务公开栏进行。"),
    keywords=("最低生活保障", "低保", "社会救助", "民政"),
    dept="mzj", domain="社会民生", open_access="closed", basis=BASIS["pipl_sensitive"],
    share_access="conditional", update_frequency="monthly",
    resources=(Res("recipients", 8000, (
        P("户主姓名", person(), "PERSON", None),
        P("身份证号", id_card((1936, 2005)), "CN_ID_CARD", None),
        S("性别", sex_from_id()),
        S("所属区县", district()),
        S("保障类别", choice(("农村低保", "城市低保"), (8, 2), key="kind")),
        S("乡镇（街道）", town()),
        P("家庭住址", fn(lambda rng, ctx: (_STREET if ctx["kind"] == "城市低保" else _VILLAGE)(rng, ctx)), "ADDRESS", None),
        I("保障人口数", skewed_int(1, 6, 1.8)),
        N("月保障金额", number(250, 1800, 2), "单位：元"),
        P("银行卡号", bank_card(), "CN_BANK_CARD", None),
        S("开户银行", choice(BANKS, (1, 1, 1, 1, 1, 2, 6, 2))),
        P("联系电话", mobile(), "CN_MOBILE", None),
        D("纳入保障日期", day()),
    )),),
)


def _marriage_row(rng, ctx):
    offices = DISTRICTS
    i = ctx["i"]
    d = ctx["d"] = offices[i % len(offices)]
    month = (i // len(offices)) % 94
    big = 2.2 if d.name in URBAN or d.name == "邓州市" else 1.0
    ctx["m"] = round(big * rng.uniform(180, 420) * (1.4 if month % 12 in (0, 1, 4, 9) else 1))
    ctx["dv"] = round(ctx["m"] * rng.uniform(0.25, 0.45))
    ctx["month"] = month
    return str(2019 + month // 12)


MARRIAGES = Spec(
    name="nanyang-marriage-registration-statistics",
    title="南阳市婚姻登记业务量统计",
    description=("南阳市及各县（市、区）婚姻登记机关按月统计的结婚登记、离婚登记和补领婚姻登记证业务量。"
                 "数据为汇总统计，不含个人信息，按月更新。"),
    keywords=("婚姻登记", "结婚登记", "离婚登记", "民政统计"),
    dept="mzj", domain="社会民生", open_access="unconditional", update_frequency="monthly", license="CC0-1.0",
    resources=(Res("marriage_statistics", 300, (
        Y("统计年度", fn(_marriage_row)),
        I("月份", fn(lambda rng, ctx: ctx["month"] % 12 + 1)),
        S("婚姻登记机关", fn(lambda rng, ctx: agency_name(ctx["d"], "民政局婚姻登记处"))),
        S("所属区县", district()),
        I("结婚登记", fn(lambda rng, ctx: ctx["m"]), "单位：对"),
        I("离婚登记", fn(lambda rng, ctx: ctx["dv"]), "单位：对"),
        I("补领婚姻登记证", fn(lambda rng, ctx: round(ctx["m"] * rng.uniform(0.05, 0.15))), "单位：件"),
    )),),
)

# ---- 人社 --------------------------------------------------------------------------------

_HR_SCOPES = ("职业介绍；人力资源供求信息的收集和发布", "职业介绍；人力资源管理咨询；人力资源外包",
              "人力资源供求信息的收集和发布；就业和创业指导；劳务派遣", "人力资源培训；人才测评；高级人才寻访",
              "劳务派遣；人力资源外包")

HR_AGENCIES = Spec(
    name="nanyang-hr-service-agencies",
    title="南阳市人力资源服务机构名录",
    description=("经南阳市人力资源社会保障部门许可或备案的经营性人力资源服务机构名录。"
                 "数据包括机构名称、统一社会信用代码、许可证编号、服务范围、地址、许可日期和年度报告公示情况，按季度更新。"),
    keywords=("人力资源服务", "职业中介", "劳务派遣", "人才市场"),
    dept="rsj", domain="劳动就业", open_access="unconditional", update_frequency="quarterly",
    resources=(Res("hr_agencies", 380, (
        S("机构名称", org(("南阳{n}人力资源有限公司", "河南{n}人力资源服务有限公司南阳分公司", "南阳市{d}{n}劳务派遣有限公司",
                           "南阳{n}企业管理咨询有限公司"))),
        USCC_COL(),
        S("许可证编号", fn(lambda rng, ctx: f"豫人服证字〔{yr(ctx)}〕第{district_of(rng, ctx).code}{ctx['i'] + 1:04d}号")),
        S("服务范围", choice(_HR_SCOPES)),
        S("所属区县", district()),
        S("地址", address()),
        P("联系电话", landline(), "CN_LANDLINE", "keep", "机构对外服务电话", "人力资源服务机构对外公布的服务电话，属于机构公开信息"),
        D("许可日期", day_in_year(key="issue")),
        D("有效期至", years_after("issue", 5)),
        B("是否已报送年度报告", boolean(0.85)),
    ), unique="机构名称"),),
)

_EDU = ("不限", "初中及以上", "高中/中专及以上", "大专及以上", "本科及以上", "硕士及以上")


def _salary(rng, ctx):
    lo = rng.choice((2000, 2200, 2500, 3000, 3500, 4000, 4500, 5000, 6000, 8000))
    ctx["hi"] = lo + rng.choice((500, 1000, 1500, 2000, 3000, 5000))
    return lo


JOBS = Spec(
    name="nanyang-job-vacancies",
    title="南阳市公共就业服务招聘岗位信息",
    description=("用人单位通过南阳市公共就业服务平台和线下招聘会发布的招聘岗位信息。"
                 "数据包括岗位名称、招聘单位、工作地点、招聘人数、学历和经验要求、月薪范围、发布和截止日期及联系人，每日更新。"
                 "联系人姓名、手机号和电子邮箱属于个人信息，经申请审核后开放。"),
    keywords=("招聘", "就业", "岗位", "招聘会", "人才"),
    dept="rsj", domain="劳动就业", open_access="conditional", basis=BASIS["pipl_consent"],
    share_access="unconditional", update_frequency="daily",
    resources=(Res("vacancies", 5000, (
        S("岗位编号", fn(lambda rng, ctx: f"NYJOB{ctx['i'] + 1:07d}")),
        S("岗位名称", fn(lambda rng, ctx: rng.choice(ctx["P"].jobs))),
        S("招聘单位", org(("南阳{n}科技有限公司", "南阳{n}商贸有限公司", "河南{n}建设工程有限公司", "南阳{n}医药有限公司",
                           "南阳市{d}{n}食品有限公司", "南阳{n}光电有限公司"))),
        S("单位性质", choice(("民营企业", "国有企业", "事业单位", "外商投资企业", "个体工商户"), (70, 10, 4, 3, 13))),
        S("工作地点", district(full=True)),
        I("招聘人数", skewed_int(1, 50, 2.5)),
        S("学历要求", choice(_EDU, (15, 10, 25, 30, 17, 3))),
        S("工作经验", choice(("不限", "1年以上", "3年以上", "5年以上"), (50, 25, 18, 7))),
        I("月薪下限", fn(_salary), "单位：元/月"),
        I("月薪上限", fn(lambda rng, ctx: ctx["hi"]), "单位：元/月"),
        D("发布日期", day((2025, 1, 1), key="pub")),
        D("截止日期", days_after("pub", 15, 90)),
        P("联系人", person(), "PERSON", "mask"),
        P("联系电话", mobile(), "CN_MOBILE", "mask"),
        P("联系邮箱", email(), "EMAIL_ADDRESS", "mask"),
    )),),
)

TRAINING = Spec(
    name="nanyang-vocational-training-institutions",
    title="南阳市职业技能培训机构信息",
    description=("南阳市人力资源社会保障部门审批的民办职业技能培训机构和定点培训机构信息。"
                 "数据包括机构名称、办学许可证号、培训工种、年培训规模、是否补贴性培训定点机构和许可有效期。"
                 "培训规模和补贴信息属于机构经营信息，经申请审核后开放。"),
    keywords=("职业技能培训", "培训机构", "技能提升", "补贴性培训"),
    dept="rsj", domain="劳动就业", open_access="conditional", basis=BASIS["ogi_secrets"],
    share_access="unconditional", update_frequency="quarterly",
    resources=(Res("training_institutions", 320, (
        S("机构名称", org(("南阳市{d}{n}职业培训学校", "南阳{n}职业技能培训学校", "{d}{n}职业培训学校"))),
        USCC_COL(prefix=("52",)),
        S("办学许可证号", fn(lambda rng, ctx: f"人社民{district_of(rng, ctx).code}{ctx['i'] + 1:07d}号")),
        S("培训工种", choice(("电工；焊工", "育婴员；养老护理员", "中式烹调师；中式面点师", "农业经理人；农机修理工",
                               "电子商务师；互联网营销师", "家政服务员；保健按摩师", "挖掘机驾驶员；叉车司机", "美容师；美发师"))),
        I("年培训规模", skewed_int(100, 3000, 2), "单位：人次"),
        B("是否补贴性培训定点机构", boolean(0.45)),
        S("所属区县", district()),
        S("地址", address()),
        D("许可日期", day(key="issue")),
        D("有效期至", years_after("issue", 4)),
        S("审批机关", local_agency("人力资源和社会保障局")),
    ), unique="机构名称"),),
)

SPECS = [ELDERLY, SOCIAL_ORGS, ALLOWANCE, MARRIAGES, HR_AGENCIES, JOBS, TRAINING]
