"""Demo datasets of 南阳市卫生健康委员会 (wjw) and 南阳市医疗保障局 (ybj)."""

from __future__ import annotations

from .columns import (
    DT,
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
    moment,
    number,
)
from .entities import (
    address,
    birth_from_id,
    district,
    district_of,
    id_card,
    landline,
    lat,
    lon,
    mobile,
    org,
    person,
    sex_from_id,
    town,
    town_of,
    trade_name_of,
    village_address,
    village_of,
)
from .pools import BASIS, DISTRICTS, URBAN

# ---- 医疗机构 ----------------------------------------------------------------------------

_KINDS = (  # (类别, 类别码, templates, 等级 options, beds range, 营利 share, weight)
    ("综合医院", "A1", ("{d}人民医院", "南阳{n}医院", "南阳市{d}{n}医院", "{d}第二人民医院"),
     ("二级甲等", "二级乙等", "一级", "未定级"), (60, 1200), 0.4, 6),
    ("中医医院", "A2", ("{d}中医院", "南阳{n}中医医院", "南阳张仲景{n}国医馆"), ("二级甲等", "一级", "未定级"),
     (30, 600), 0.3, 2),
    ("专科医院", "A5", ("南阳{n}骨科医院", "南阳{n}眼科医院", "南阳{n}口腔医院", "南阳{n}妇产医院"),
     ("二级", "一级", "未定级"), (20, 300), 0.8, 3),
    ("社区卫生服务中心", "B1", ("南阳市{d}{t}社区卫生服务中心",), ("未定级",), (0, 40), 0.0, 0.4),
    ("乡镇卫生院", "B2", ("{d}{t}卫生院",), ("一级甲等", "一级", "未定级"), (10, 120), 0.0, 3.5),
    ("门诊部", "D1", ("南阳{n}门诊部", "南阳{n}中医门诊部", "南阳{n}口腔门诊部"), ("未定级",), (0, 0), 0.9, 5),
    ("诊所", "D2", ("{d}{n}诊所", "南阳{n}口腔诊所", "{d}{n}中医诊所", "南阳市{d}{n}内科诊所"), ("未定级",),
     (0, 0), 0.95, 25),
    ("村卫生室", "E1", ("{d}{t}{v}村卫生室",), ("未定级",), (0, 0), 0.0, 50),
)
_KIND_W = [k[6] for k in _KINDS]


_STREETS = {d.name: tuple(t for t in d.towns if t.endswith("街道")) for d in DISTRICTS}
_RURAL = {d.name: tuple(t for t in d.towns if not t.endswith("街道")) for d in DISTRICTS}


def _institution(rng, ctx):
    """A medical institution whose name, category and place agree; sets ctx kind / grade / d / t."""
    kind = rng.choices(_KINDS, weights=_KIND_W)[0]
    d = district_of(rng, ctx)
    if kind[0] == "社区卫生服务中心":
        if d.name not in URBAN:
            ctx["d"] = d = DISTRICTS[int(rng.random() * 2)]
        ctx["t"] = rng.choice(_STREETS[d.name])
    elif kind[0] in ("乡镇卫生院", "村卫生室"):
        ctx["t"] = rng.choice(_RURAL[d.name])
    t = town_of(rng, ctx)
    ctx["kind"] = kind
    ctx["grade"] = "三级甲等" if kind[0] in ("综合医院", "中医医院") and rng.random() < 0.04 else rng.choice(kind[3])
    tpl = rng.choice(kind[2])
    return tpl.format(d=d.name, t=t, n=trade_name_of(rng, ctx), v=village_of(rng, ctx))


def _inst_address(rng, ctx):
    """Village clinics sit in their village; everything else on a street."""
    if ctx["kind"][0] == "村卫生室":
        return _VILLAGE_ADDR(rng, ctx)
    return _STREET_ADDR(rng, ctx)


_VILLAGE_ADDR, _STREET_ADDR = village_address(group=False), address()


def _beds(rng, ctx):
    lo, hi = ctx["kind"][4]
    if ctx["grade"] == "三级甲等":
        lo, hi = 800, 3000
    return lo + int((hi - lo) * rng.random() ** 2)


INSTITUTIONS = Spec(
    name="nanyang-medical-institutions",
    title="南阳市医疗机构名录",
    description=("南阳市行政区域内依法取得《医疗机构执业许可证》或完成诊所备案的医疗卫生机构名录，"
                 "覆盖医院、社区卫生服务中心、乡镇卫生院、门诊部、诊所和村卫生室。"
                 "数据包括机构类别、等级、经营性质、床位数、地址、坐标和联系电话，按季度更新。"),
    keywords=("医疗机构", "医院", "卫生院", "诊所", "村卫生室"),
    dept="wjw", domain="医疗卫生", open_access="unconditional", update_frequency="quarterly",
    resources=(Res("institutions", 4800, (
        S("机构名称", fn(_institution)),
        S("执业许可证登记号", fn(lambda rng, ctx: f"{district_of(rng, ctx).code}{ctx['kind'][1]}{ctx['i'] + 1:06d}")),
        S("机构类别", fn(lambda rng, ctx: ctx["kind"][0])),
        S("医院等级", fn(lambda rng, ctx: ctx["grade"])),
        S("经营性质", fn(lambda rng, ctx: "营利性" if rng.random() < ctx["kind"][5] else "非营利性")),
        I("编制床位数", fn(_beds)),
        S("所属区县", district()),
        S("地址", fn(_inst_address)),
        N("经度", lon()),
        N("纬度", lat()),
        P("联系电话", landline(), "CN_LANDLINE", "keep", "机构对外服务电话", "单位对外公布的服务电话，属于机构公开信息，不涉及个人信息"),
        B("是否医保定点", boolean(0.7)),
    ), unique="机构名称"),),
)

_SPECIALTIES = {
    "临床": ("内科专业", "外科专业", "妇产科专业", "儿科专业", "眼耳鼻咽喉科专业", "精神卫生专业",
             "医学影像和放射治疗专业", "急救医学专业", "全科医学专业"),
    "中医": ("中医专业", "中西医结合专业", "全科医学专业"),
    "口腔": ("口腔专业",),
    "公共卫生": ("公共卫生类别专业",),
}
_TITLES = ("住院医师", "主治医师", "副主任医师", "主任医师", "医士")

PHYSICIANS = Spec(
    name="nanyang-licensed-physicians",
    title="南阳市执业（助理）医师注册信息",
    description=("南阳市注册的执业医师和执业助理医师信息，包括执业类别、执业范围、主要执业机构、职称和注册日期。"
                 "数据包含身份证号、出生日期和手机号，属于个人信息，依法不予开放；公众可通过国家卫生健康委医生执业注册信息查询系统核验医师资质。"),
    keywords=("医师", "执业注册", "医师资格", "卫生人才"),
    dept="wjw", domain="医疗卫生", open_access="closed", basis=BASIS["pipl_state"],
    share_access="conditional", update_frequency="monthly",
    resources=(Res("physicians", 2800, (
        P("姓名", person(), "PERSON", None),
        P("身份证号", id_card((1955, 1999)), "CN_ID_CARD", None),
        S("性别", sex_from_id()),
        D("出生日期", birth_from_id()),
        P("手机号", mobile(), "CN_MOBILE", None),
        S("执业证书编码", fn(lambda rng, ctx: f"1{rng.randint(1, 2)}0{district_of(rng, ctx).code}{rng.randint(0, 999999):06d}")),
        S("执业类别", choice(tuple(_SPECIALTIES), (70, 18, 7, 5), key="cat")),
        S("执业范围", fn(lambda rng, ctx: rng.choice(_SPECIALTIES[ctx["cat"]]))),
        S("主要执业机构", fn(_institution)),
        S("职称", choice(_TITLES, (35, 35, 15, 7, 8))),
        S("学历", choice(("中专", "大专", "本科", "硕士研究生", "博士研究生"), (8, 25, 52, 13, 2))),
        D("注册日期", day((2000, 1, 1))),
    )),),
)


def _births_prepare(rng, sizes, state):
    state["towns"] = [(d, t) for d in DISTRICTS for t in d.towns]


def _birth_year(rng, ctx):
    towns = ctx["S"]["towns"]
    d, t = towns[ctx["i"] % len(towns)]
    ctx["d"], ctx["t"] = d, t
    yr = 2019 + (ctx["i"] // len(towns)) % 7
    base = 420 if d.name in URBAN else 260
    ctx["births"] = max(30, int(base * (1 - 0.09 * (yr - 2019)) * rng.uniform(0.6, 1.4)))
    boys = int(ctx["births"] * rng.uniform(0.5, 0.55))
    ctx["boys"], ctx["girls"] = boys, ctx["births"] - boys
    return str(yr)


BIRTHS = Spec(
    name="nanyang-births-by-township",
    title="南阳市分乡镇（街道）出生人口统计",
    description=("按年度和乡镇（街道）汇总的南阳市出生人口统计，来源于出生医学证明和妇幼健康信息系统。"
                 "数据包括出生人数、男婴女婴数、出生人口性别比和住院分娩率。"
                 "因部分乡镇年度出生数较小、存在识别个人的风险，经申请审核后开放。"),
    keywords=("出生人口", "人口监测", "性别比", "妇幼健康"),
    dept="wjw", domain="医疗卫生", open_access="conditional", basis=BASIS["dsl_state"],
    share_access="unconditional", update_frequency="yearly", license="CC0-1.0",
    prepare=_births_prepare,
    resources=(Res("births", 1400, (
        Y("统计年度", fn(_birth_year)),
        S("所属区县", district()),
        S("乡镇（街道）", town()),
        I("出生人数", fn(lambda rng, ctx: ctx["births"])),
        I("男婴数", fn(lambda rng, ctx: ctx["boys"])),
        I("女婴数", fn(lambda rng, ctx: ctx["girls"])),
        N("出生人口性别比", fn(lambda rng, ctx: f"{100 * ctx['boys'] / max(1, ctx['girls']):.2f}"), "女婴=100"),
        N("住院分娩率", number(98.5, 100, 2), "单位：%"),
    )),),
)

VACCINATION = Spec(
    name="nanyang-vaccination-clinics",
    title="南阳市预防接种门诊信息",
    description=("南阳市各级疾病预防控制机构认定的预防接种门诊（含产科接种室、狂犬病暴露预防处置门诊）信息。"
                 "数据包括门诊名称、服务类型、门诊日、服务时间、地址和咨询电话，方便群众就近接种。"),
    keywords=("预防接种", "疫苗", "接种门诊", "狂犬病"),
    dept="wjw", domain="医疗卫生", open_access="unconditional", update_frequency="quarterly",
    resources=(Res("clinics", 320, (
        S("门诊名称", org(("{d}{t}卫生院预防接种门诊", "南阳市{d}{t}社区卫生服务中心预防接种门诊",
                           "{d}人民医院产科接种室", "南阳{n}医院狂犬病暴露预防处置门诊"))),
        S("服务类型", choice(("儿童常规接种", "成人接种", "产科接种", "狂犬病暴露预防处置"), (6, 2, 1, 1))),
        S("所属区县", district()),
        S("地址", address(detail=False)),
        N("经度", lon()),
        N("纬度", lat()),
        S("门诊日", choice(("周一至周五", "每周二、四、六", "每周一、三、五", "周一至周六", "全天"))),
        S("服务时间", choice(("08:00-12:00", "08:00-12:00,14:30-17:30", "08:30-11:30", "00:00-24:00"))),
        P("咨询电话", landline(), "CN_LANDLINE", "keep", "接种门诊咨询电话", "单位对外公布的服务电话，属于机构公开信息，不涉及个人信息"),
        B("是否数字化门诊", boolean(0.45)),
    ), unique="门诊名称"),),
)

# ---- 医疗保障 ----------------------------------------------------------------------------

DESIGNATED = Spec(
    name="nanyang-medical-insurance-designated-institutions",
    title="南阳市医保定点医疗机构名单",
    description=("与南阳市医疗保障部门签订服务协议的基本医疗保险定点医疗机构名单。"
                 "数据包括定点编码、机构类别、等级、是否开通跨省异地就医直接结算和门诊慢特病定点情况，按月更新。"),
    keywords=("医保定点", "定点医疗机构", "异地就医", "医疗保障"),
    dept="ybj", domain="社会保障", open_access="unconditional", update_frequency="monthly",
    resources=(Res("designated_institutions", 1900, (
        S("定点医药机构编码", fn(lambda rng, ctx: f"H{district_of(rng, ctx).code}{ctx['i'] + 1:05d}")),
        S("机构名称", fn(_institution)),
        S("机构类别", fn(lambda rng, ctx: ctx["kind"][0])),
        S("医院等级", fn(lambda rng, ctx: ctx["grade"])),
        S("所属区县", district()),
        S("地址", fn(_inst_address)),
        B("是否开通跨省异地就医直接结算", boolean(0.55)),
        B("是否门诊慢特病定点", boolean(0.4)),
        D("协议签订日期", day()),
    ), unique="机构名称"),),
)

_DIAGNOSES = (("原发性高血压", 0), ("2型糖尿病", 0), ("慢性阻塞性肺疾病", 1), ("社区获得性肺炎", 1), ("腰椎间盘突出症", 1),
              ("急性阑尾炎", 1), ("脑梗死", 1), ("冠状动脉粥样硬化性心脏病", 1), ("上呼吸道感染", 0), ("慢性胃炎", 0),
              ("白内障", 1), ("骨关节炎", 0), ("慢性肾脏病", 1), ("急性支气管炎", 0))


def _settle_kind(rng, ctx):
    diag, inpatient = rng.choice(_DIAGNOSES)
    kind = "住院" if inpatient and rng.random() < 0.75 else rng.choice(("普通门诊", "门诊慢特病", "药店购药"))
    total = rng.uniform(2500, 60000) if kind == "住院" else rng.uniform(15, 900)
    ratio = rng.uniform(0.55, 0.85) if kind == "住院" else rng.uniform(0.0, 0.6)
    ctx.update(diag=diag, total=total, fund=total * ratio, medkind=kind)
    return kind


_INPATIENT = ("综合医院", "中医医院", "专科医院", "乡镇卫生院")


def _settle_place(rng, ctx):
    kind = ctx["medkind"]
    if kind == "药店购药":
        return f"{district_of(rng, ctx).name}{trade_name_of(rng, ctx)}大药房"
    for _ in range(50):
        ctx.pop("t", None)
        ctx.pop("v", None)
        name = _institution(rng, ctx)
        if kind == "普通门诊" or ctx["kind"][0] in _INPATIENT:
            break
    return name


SETTLEMENTS = Spec(
    name="nanyang-medical-insurance-settlements",
    title="南阳市基本医疗保险结算明细",
    description=("南阳市职工和城乡居民基本医疗保险在定点医药机构发生的结算明细，包括医疗类别、诊断、费用总额、"
                 "基金支付和个人自付金额。数据包含参保人身份证号和健康信息，属于敏感个人信息，依法不予开放，"
                 "统计汇总数据另行发布。"),
    keywords=("医保结算", "医保基金", "住院", "门诊"),
    dept="ybj", domain="社会保障", open_access="closed", basis=BASIS["pipl_sensitive"],
    share_access="conditional", update_frequency="daily",
    resources=(Res("settlements", 28000, (
        S("结算流水号", fn(lambda rng, ctx: f"JS411300{ctx['i'] + 1:010d}")),
        P("参保人姓名", person(), "PERSON", None),
        P("参保人身份证号", id_card((1950, 2005)), "CN_ID_CARD", None),
        S("参保类型", choice(("城乡居民基本医疗保险", "职工基本医疗保险"), (68, 32))),
        S("医疗类别", fn(_settle_kind)),
        S("定点医药机构名称", fn(_settle_place)),
        S("诊断名称", fn(lambda rng, ctx: ctx["diag"])),
        DT("结算时间", moment((2024, 1, 1), hours=(7, 22))),
        N("医疗费用总额", fn(lambda rng, ctx: f"{ctx['total']:.2f}"), "单位：元"),
        N("统筹基金支付", fn(lambda rng, ctx: f"{ctx['fund']:.2f}"), "单位：元"),
        N("个人自付", fn(lambda rng, ctx: f"{ctx['total'] - ctx['fund']:.2f}"), "单位：元"),
        B("是否异地就医", boolean(0.06)),
    )),),
)

_SERVICES = (  # (编码前缀, 项目名称, 计价单位, 三级医院基准价)
    ("1102", "门诊诊查费", "次", 10), ("1103", "住院诊查费", "日", 20), ("1201", "Ⅰ级护理", "日", 30),
    ("1202", "静脉输液", "组", 9), ("2101", "X线摄影", "部位", 60), ("2102", "CT平扫", "部位", 150),
    ("2103", "磁共振平扫", "部位", 450), ("2201", "彩色多普勒超声常规检查", "部位", 110),
    ("2502", "血常规检查", "次", 20), ("2503", "肝功能检查", "项", 8), ("3101", "心电图检查", "次", 25),
    ("3102", "胃镜检查", "次", 200), ("3103", "肠镜检查", "次", 280), ("3301", "阑尾切除术", "次", 1200),
    ("3302", "腹腔镜胆囊切除术", "次", 2200), ("3303", "白内障超声乳化摘除术", "单侧", 1600),
    ("3304", "全髋关节置换术", "单侧", 4500), ("3401", "针刺", "次", 20), ("3402", "推拿治疗", "次", 30),
    ("3403", "艾灸", "次", 25), ("3501", "血液透析", "次", 400), ("3601", "康复评定", "次", 40),
    ("1104", "急诊监护费", "日", 40), ("1105", "重症监护", "小时", 12), ("1203", "Ⅱ级护理", "日", 18),
    ("1204", "Ⅲ级护理", "日", 10), ("1205", "肌肉注射", "次", 3), ("1206", "吸氧", "小时", 3),
    ("2104", "数字化摄影（DR）", "曝光次数", 70), ("2202", "经阴道超声检查", "次", 120),
    ("2504", "糖化血红蛋白测定", "项", 55), ("2505", "新型冠状病毒核酸检测", "人次", 16),
    ("3104", "动态心电图", "次", 170), ("3105", "肺功能检查", "次", 90), ("3106", "骨密度测定", "部位", 60),
    ("3305", "剖宫产术", "次", 1500), ("3306", "经皮冠状动脉内支架置入术", "单支", 3600),
    ("3307", "腰椎间盘髓核摘除术", "次", 2400), ("3404", "拔罐", "次", 12), ("3405", "中药熏洗治疗", "次", 30),
    ("3502", "腹膜透析", "次", 60), ("3602", "运动疗法", "次", 45), ("3701", "牙体缺损充填术", "每洞", 80),
    ("3702", "根管治疗", "每根管", 200), ("3703", "牙周洁治", "全口", 120), ("3801", "精神科监护", "日", 40),
    ("3802", "心理咨询", "次", 60), ("3901", "产前检查", "次", 30), ("3902", "新生儿护理", "日", 20),
    ("4001", "救护车转运", "公里", 5),
)
_MODIFIERS = ("", "（每增加一个部位）", "（儿童加收）", "（急诊）", "（床旁）", "（增强）", "（夜间）", "（加急）")


def _service(rng, ctx):
    i = ctx["i"]
    base = _SERVICES[i % len(_SERVICES)]
    mod = _MODIFIERS[(i // len(_SERVICES)) % len(_MODIFIERS)]
    ctx["price"] = base[3] * (0.5 if "每增加" in mod else 1.2 if mod else 1) * rng.uniform(0.85, 1.15)
    ctx["unit"] = base[2]
    ctx["code"] = f"{base[0]}{i // len(_SERVICES) + 1:05d}"
    return base[1] + mod


PRICES = Spec(
    name="nanyang-medical-service-prices",
    title="南阳市公立医疗机构医疗服务项目价格",
    description=("南阳市公立医疗机构执行的医疗服务项目价格，按三级、二级和一级及以下医疗机构分级定价。"
                 "数据包括项目编码、项目名称、计价单位、各级医疗机构价格和执行日期，随价格调整不定期更新。"),
    keywords=("医疗服务价格", "收费标准", "公立医院", "医药价格"),
    dept="ybj", domain="医疗卫生", open_access="unconditional", update_frequency="irregular", license="CC0-1.0",
    resources=(Res("service_prices", 420, (
        S("项目名称", fn(_service)),
        S("项目编码", fn(lambda rng, ctx: ctx["code"])),
        S("计价单位", fn(lambda rng, ctx: ctx["unit"])),
        N("三级医院价格", fn(lambda rng, ctx: f"{ctx['price']:.2f}"), "单位：元"),
        N("二级医院价格", fn(lambda rng, ctx: f"{ctx['price'] * 0.9:.2f}"), "单位：元"),
        N("一级及以下医院价格", fn(lambda rng, ctx: f"{ctx['price'] * 0.8:.2f}"), "单位：元"),
        S("说明", fn(lambda rng, ctx: rng.choice(("", "", "", "限二级及以上医疗机构", "不得与同类项目同时收取")))),
        D("执行日期", day((2021, 1, 1), (2026, 7, 1))),
    )),),
)

RETAIL = Spec(
    name="nanyang-medical-insurance-designated-pharmacies",
    title="南阳市医保定点零售药店名单",
    description=("与南阳市医疗保障部门签订服务协议的定点零售药店名单。"
                 "数据包括定点编码、药店名称、地址、门诊统筹和个人账户家庭共济开通情况，按月更新。"),
    keywords=("医保定点", "定点药店", "门诊统筹", "药店"),
    dept="ybj", domain="社会保障", open_access="unconditional", update_frequency="monthly",
    resources=(Res("designated_pharmacies", 1200, (
        S("定点医药机构编码", fn(lambda rng, ctx: f"P{district_of(rng, ctx).code}{ctx['i'] + 1:05d}")),
        S("药店名称", org(("南阳市{d}{n}大药房", "{d}{n}药店", "南阳{n}医药连锁有限公司{ts}店"))),
        S("所属区县", district()),
        S("地址", address()),
        N("经度", lon()),
        N("纬度", lat()),
        B("是否开通门诊统筹", boolean(0.5)),
        B("是否开通个人账户家庭共济", boolean(0.8)),
        I("执业药师人数", integer(1, 4)),
        D("协议签订日期", day()),
    ), unique="药店名称"),),
)

SPECS = [INSTITUTIONS, PHYSICIANS, BIRTHS, VACCINATION, DESIGNATED, SETTLEMENTS, PRICES, RETAIL]
