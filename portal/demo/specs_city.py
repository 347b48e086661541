"""Demo datasets of 南阳市住房和城乡建设局 (zjj) and 南阳市城市管理局 (cgj)."""

from __future__ import annotations

from anonymization.identifiers import cn_id_card
from anonymization.identifiers import uscc as _uscc

from .columns import (
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
    day_in_year,
    fn,
    number,
    skewed_int,
    years_after,
    yr,
)
from .entities import (
    USCC_COL,
    address,
    district,
    district_of,
    landline,
    lat,
    lon,
    org,
    road_of,
    trade_name_of,
)
from .pools import BASIS, CITY_ROADS, COUNTY_ROADS, DISTRICTS, URBAN

_CITY_WEIGHTS = (30, 30, 3, 4, 3, 4, 3, 3, 3, 5, 4, 3, 6)  # parking etc. concentrate in the central city

# ---- 住房和城乡建设 ------------------------------------------------------------------------

_QUALIFICATIONS = (
    ("建筑工程施工总承包二级", "河南省住房和城乡建设厅"), ("建筑工程施工总承包三级", "南阳市住房和城乡建设局"),
    ("市政公用工程施工总承包三级", "南阳市住房和城乡建设局"), ("建筑装修装饰工程专业承包二级", "南阳市住房和城乡建设局"),
    ("地基基础工程专业承包三级", "南阳市住房和城乡建设局"), ("环保工程专业承包三级", "南阳市住房和城乡建设局"),
    ("钢结构工程专业承包三级", "南阳市住房和城乡建设局"), ("施工劳务不分等级", "南阳市住房和城乡建设局"),
    ("电力工程施工总承包三级", "南阳市住房和城乡建设局"), ("市政公用工程施工总承包二级", "河南省住房和城乡建设厅"),
)

CONSTRUCTION = Spec(
    name="nanyang-construction-enterprise-qualifications",
    title="南阳市建筑业企业资质信息",
    description=("注册地在南阳市的建筑业企业资质信息，包括施工总承包、专业承包和施工劳务资质。"
                 "数据包括企业名称、统一社会信用代码、资质证书编号、资质类别及等级、发证机关和有效期，以及安全生产许可证编号，按月更新。"),
    keywords=("建筑施工", "建筑业企业资质", "施工总承包", "安全生产许可证"),
    dept="zjj", domain="城建住房", open_access="unconditional", update_frequency="monthly",
    resources=(Res("construction_qualifications", 1500, (
        S("企业名称", org(("南阳{n}建筑工程有限公司", "河南{n}建设集团有限公司", "南阳市{n}建筑安装工程有限公司",
                           "南阳{n}市政工程有限公司", "{d}{n}装饰工程有限公司", "南阳{n}劳务有限公司"))),
        USCC_COL(),
        S("资质证书编号", fn(lambda rng, ctx: f"D3411{ctx['i'] + 10001:05d}")),
        S("资质类别及等级", fn(lambda rng, ctx: ctx.setdefault("q", rng.choice(_QUALIFICATIONS))[0])),
        S("发证机关", fn(lambda rng, ctx: ctx["q"][1])),
        S("安全生产许可证编号", fn(lambda rng, ctx: f"（豫）JZ安许证字〔{yr(ctx)}〕13{ctx['i'] + 1:04d}")),
        S("所属区县", district()),
        S("注册地址", address()),
        D("发证日期", day_in_year(key="issue")),
        D("有效期至", years_after("issue", 5)),
    ), unique="企业名称"),),
)

PRESALE = Spec(
    name="nanyang-commercial-housing-presale-permits",
    title="南阳市商品房预售许可信息",
    description=("南阳市住房和城乡建设部门核发的商品房预售许可证信息，包括许可证号、项目名称、开发企业、项目坐落、预售楼栋、"
                 "预售面积和套数，以及预售资金监管银行。监管账户和销售进度属于企业经营信息，经申请审核后开放。"),
    keywords=("商品房", "预售许可", "房地产", "楼盘"),
    dept="zjj", domain="城建住房", open_access="conditional", basis=BASIS["ogi_secrets"],
    share_access="unconditional", update_frequency="weekly",
    resources=(Res("presale_permits", 800, (
        S("预售许可证号", fn(lambda rng, ctx: f"宛房预售字〔{yr(ctx)}〕第{ctx['i'] // 8 + 1:03d}号")),
        S("项目名称", fn(lambda rng, ctx: f"{trade_name_of(rng, ctx)}{rng.choice(('府', '苑', '花园', '·壹号院', '城', '名著'))}")),
        S("开发企业", org(("南阳{n}置业有限公司", "南阳市{n}房地产开发有限公司", "河南{n}置业集团南阳有限公司"))),
        S("项目坐落", address(detail=False)),
        S("所属区县", district()),
        S("预售楼栋", fn(lambda rng, ctx: "、".join(f"{b}#楼" for b in sorted(rng.sample(range(1, 30), rng.randint(1, 4)))))),
        N("预售面积", number(4000, 90000, 2, power=1.5), "单位：平方米"),
        I("预售套数", skewed_int(30, 700, 1.5)),
        S("资金监管银行", choice(("中国建设银行南阳分行", "中国工商银行南阳分行", "中原银行南阳分行", "南阳农村商业银行"))),
        D("发证日期", day_in_year()),
    ), district_weights=_CITY_WEIGHTS),),
)

PROPERTY = Spec(
    name="nanyang-property-service-companies",
    title="南阳市物业服务企业信息",
    description=("在南阳市从事物业服务的企业信息，包括在管项目数、在管面积、信用等级和示范项目情况。"
                 "信用评价明细和在管项目信息属于企业经营信息，经申请审核后开放。"),
    keywords=("物业服务", "物业管理", "小区", "信用评价"),
    dept="zjj", domain="城建住房", open_access="conditional", basis=BASIS["ogi_secrets"],
    share_access="unconditional", update_frequency="quarterly",
    resources=(Res("property_companies", 700, (
        S("企业名称", org(("南阳{n}物业服务有限公司", "南阳市{n}物业管理有限公司", "河南{n}物业服务有限公司南阳分公司"))),
        USCC_COL(),
        S("所属区县", district()),
        S("住所", address()),
        I("在管项目数", skewed_int(1, 60, 2.5, key="proj")),
        N("在管面积", fn(lambda rng, ctx: f"{ctx['proj'] * rng.uniform(2, 12):.2f}"), "单位：万平方米"),
        S("信用等级", choice(("AAA", "AA", "A", "B", "C"), (5, 20, 50, 20, 5))),
        B("是否有省级示范项目", boolean(0.08)),
        D("成立日期", day((2000, 1, 1))),
        P("联系电话", landline(), "CN_LANDLINE", "keep", "单位对外服务电话", "单位对外公布的服务电话，属于机构公开信息，不涉及个人信息"),
    ), district_weights=_CITY_WEIGHTS, unique="企业名称"),),
)

_LICENSES = (  # (文书名称, 许可类别, 相对人类别, 有效年限, 相对人名称模板)
    ("建筑工程施工许可证", "普通", "法人及非法人组织", 0, ("南阳{n}建设工程有限公司", "南阳{n}置业有限公司")),
    ("商品房预售许可证", "普通", "法人及非法人组织", 0, ("南阳{n}置业有限公司", "南阳市{n}房地产开发有限公司")),
    ("燃气经营许可证", "特许", "法人及非法人组织", 5, ("南阳市{n}燃气有限公司", "{d}{n}天然气有限公司")),
    ("城市建筑垃圾处置核准", "核准", "法人及非法人组织", 1, ("南阳{n}渣土运输有限公司", "南阳{n}建设工程项目管理部")),
    ("建筑业企业资质证书", "认可", "法人及非法人组织", 5, ("南阳{n}建设工程有限公司", "河南{n}建筑工程有限公司")),
    ("二级建造师执业资格注册", "认可", "自然人", 3, ()),
    ("建筑施工特种作业人员操作资格证书", "认可", "自然人", 2, ()),
    ("城市道路挖掘许可", "普通", "个体工商户", 1, ("{d}{n}管道安装部", "{d}{n}水电安装部")),
)


def _admin_prepare(rng, sizes, state):
    state["agency_uscc"] = _uscc(rng, "11", "411300")


def _party(rng, ctx):
    lic = ctx["lic"] = rng.choice(_LICENSES)
    d = district_of(rng, ctx)
    if lic[2] == "自然人":
        ctx["person"] = True
        ctx["idc"] = cn_id_card(rng, d.code)
        return rng.choice(ctx["P"].names)
    ctx["person"] = False
    name = org(lic[4])(rng, ctx)
    prefix = "92" if lic[2] == "个体工商户" else "91" if "公司" in name else "Y1"  # Y1: other organisations
    ctx["uscc_code"] = _uscc(rng, prefix, d.code)
    return name


def _validity(rng, ctx):
    years, issued = ctx["lic"][3], ctx["issue_iso"]
    if years == 0:
        return "2099-12-31"  # 长期有效, as the 双公示 standard writes it
    return f"{int(issued[:4]) + years}{issued[4:]}".replace("-02-29", "-02-28")


_ISSUE = day_in_year()


def _issue(rng, ctx):
    iso = _ISSUE(rng, ctx)
    ctx["issue_iso"] = iso
    return iso


ADMIN_LICENSING = Spec(
    name="nanyang-housing-administrative-licensing",
    title="南阳市住房和城乡建设领域行政许可公示信息",
    description=("按“双公示”要求公示的南阳市住房和城乡建设领域行政许可决定信息，行政相对人包括法人、个体工商户和自然人。"
                 "数据包括行政许可决定文书号、许可类别、许可内容、行政相对人名称及代码、许可决定日期和有效期。"
                 "自然人的身份证号和姓名、法定代表人姓名在开放前遮蔽。"),
    keywords=("行政许可", "双公示", "信用信息", "住房城乡建设"),
    dept="zjj", domain="城建住房", open_access="unconditional", update_frequency="daily",
    prepare=_admin_prepare,
    resources=(Res("licensing_decisions", 2000, (
        S("行政许可决定文书号", fn(lambda rng, ctx: f"宛建许字〔{yr(ctx)}〕第{ctx['i'] // 8 + 1:04d}号")),
        P("行政相对人名称", fn(_party), "FREE_TEXT", "mask", "法人或自然人名称；自然人为姓名"),
        S("行政相对人类别", fn(lambda rng, ctx: ctx["lic"][2])),
        P("统一社会信用代码", fn(lambda rng, ctx: "" if ctx["person"] else ctx["uscc_code"]), "CN_USCC", "keep",
          "自然人为空", "《企业信息公示暂行条例》第六条"),
        P("法定代表人", fn(lambda rng, ctx: "" if ctx["person"] else rng.choice(ctx["P"].names)), "PERSON", "mask",
          "自然人为空"),
        S("证件类型", fn(lambda rng, ctx: "身份证" if ctx["person"] else "")),
        P("证件号码", fn(lambda rng, ctx: ctx["idc"] if ctx["person"] else ""), "CN_ID_CARD", "mask", "法人为空"),
        S("许可决定文书名称", fn(lambda rng, ctx: ctx["lic"][0])),
        S("许可类别", fn(lambda rng, ctx: ctx["lic"][1])),
        S("许可证书编号", fn(lambda rng, ctx: f"4113{ctx['i'] + 1:08d}")),
        D("许可决定日期", fn(_issue)),
        D("有效期自", fn(lambda rng, ctx: ctx["issue_iso"])),
        D("有效期至", fn(_validity), "长期有效的填2099-12-31"),
        S("许可机关", fn(lambda rng, ctx: "南阳市住房和城乡建设局")),
        P("许可机关统一社会信用代码", fn(lambda rng, ctx: ctx["S"]["agency_uscc"]), "CN_USCC", "keep", None,
          "《中华人民共和国政府信息公开条例》第二十条：许可机关的机构信息依法主动公开"),
        S("所属区县", district()),
    )),),
)

# ---- 城市管理 ----------------------------------------------------------------------------

_PARK_KINDS = ("路内泊位", "路外公共停车场", "地下停车库", "立体停车库")


def _parking(rng, ctx):
    kind = ctx["pk"] = rng.choices(_PARK_KINDS, weights=(40, 35, 20, 5))[0]
    a, b, c = road_of(rng, ctx), road_of(rng, ctx), road_of(rng, ctx)
    d = district_of(rng, ctx)
    if kind == "路内泊位":
        ctx["spaces"] = rng.randint(10, 120)
        ctx["addr"] = f"{d.full}{a}（{b}至{c}段）"
        return f"{a}路内停车泊位（{b}至{c}段）"
    ctx["spaces"] = rng.randint(40, 1200)
    ctx["addr"] = f"{d.full}{a}{rng.randint(1, 1500 if d.name in URBAN else 400)}号"
    return f"{trade_name_of(rng, ctx)}{rng.choice(('广场', '大厦', '医院', '小区', '公园'))}{kind.replace('路外公共', '')}"


PARKING = Spec(
    name="nanyang-public-parking-lots",
    title="南阳市公共停车场（泊位）信息",
    description=("南阳市中心城区及县城公共停车场和路内停车泊位信息。"
                 "数据包括停车场名称、类型、地址、坐标、泊位总数、充电泊位数、无障碍泊位数、收费标准和开放时间，按月更新。"),
    keywords=("停车场", "停车泊位", "路内停车", "智慧停车"),
    dept="cgj", domain="交通出行", open_access="unconditional", update_frequency="monthly",
    resources=(Res("parking_lots", 800, (
        S("停车场名称", fn(_parking)),
        S("停车场类型", fn(lambda rng, ctx: ctx["pk"])),
        S("所属区县", district()),
        S("地址", fn(lambda rng, ctx: ctx["addr"])),
        N("经度", lon()),
        N("纬度", lat()),
        I("泊位总数", fn(lambda rng, ctx: ctx["spaces"])),
        I("充电泊位数", fn(lambda rng, ctx: round(ctx["spaces"] * rng.choice((0, 0, 0.05, 0.1, 0.2))))),
        I("无障碍泊位数", fn(lambda rng, ctx: max(0, round(ctx["spaces"] * 0.02)))),
        S("收费标准", choice(("首小时3元，之后每小时2元，24小时封顶20元", "每次5元", "首小时免费，之后每小时2元",
                               "30分钟内免费，每小时2元", "免费"))),
        S("开放时间", choice(("24小时", "07:00-22:00", "08:00-20:00"), (6, 3, 1))),
        S("管理单位", org(("南阳{n}智慧停车运营有限公司", "南阳市城市管理局停车管理中心", "{d}{n}物业服务有限公司"))),
    ), district_weights=_CITY_WEIGHTS, unique="停车场名称"),),
)

_OPERATORS = ("国网河南省电力公司南阳供电公司", "特来电新能源股份有限公司", "星星充电", "云快充", "南阳市公共交通集团有限公司",
              "南阳{n}新能源科技有限公司")


def _charging_prepare(rng, sizes, state):
    n = max(1, sizes["charging_piles"] // 8)
    stations = []
    for _k in range(n):
        d = rng.choices(DISTRICTS, weights=_CITY_WEIGHTS)[0]
        op = rng.choice(_OPERATORS).format(n=rng.choice(("宛能", "绿源", "恒通", "宏泰")))
        roads = CITY_ROADS if d.name in URBAN else COUNTY_ROADS
        stations.append((d, f"{rng.choice(roads)}{rng.choice(('充电站', '超级充电站', '公交充电站', '停车场充电站'))}", op,
                         f"{d.lat + rng.uniform(-d.spread, d.spread):.6f}", f"{d.lon + rng.uniform(-d.spread, d.spread):.6f}"))
    state["stations"], state["n_piles"] = stations, sizes["charging_piles"]


def _pile(rng, ctx):
    """Piles are listed station by station (about eight per station)."""
    st = ctx["S"]["stations"]
    ctx["st"] = s = st[ctx["i"] * len(st) // ctx["S"]["n_piles"]]
    ctx["d"] = s[0]
    ctx["dc"] = rng.random() < 0.6
    return f"NYCD{ctx['i'] + 1:06d}"


CHARGING = Spec(
    name="nanyang-ev-charging-piles",
    title="南阳市新能源汽车公共充电桩信息",
    description=("南阳市对社会开放的新能源汽车公共充电站及充电桩信息。"
                 "数据包括充电桩编号、所属充电站、运营商、充电类型、额定功率、接口标准、坐标、服务费标准和投运日期，每日更新。"),
    keywords=("充电桩", "充电站", "新能源汽车", "电动汽车"),
    dept="cgj", domain="交通出行", open_access="unconditional", update_frequency="daily",
    prepare=_charging_prepare,
    resources=(Res("charging_piles", 2400, (
        S("充电桩编号", fn(_pile)),
        S("充电站名称", fn(lambda rng, ctx: ctx["st"][1])),
        S("运营商", fn(lambda rng, ctx: ctx["st"][2])),
        S("所属区县", district()),
        N("纬度", fn(lambda rng, ctx: ctx["st"][3])),
        N("经度", fn(lambda rng, ctx: ctx["st"][4])),
        S("充电类型", fn(lambda rng, ctx: "直流快充" if ctx["dc"] else "交流慢充")),
        N("额定功率", fn(lambda rng, ctx: f"{rng.choice((60, 120, 160, 240)) if ctx['dc'] else rng.choice((7, 11)):.1f}"),
          "单位：千瓦"),
        S("接口标准", fn(lambda rng, ctx: "GB/T 20234.3-2015" if ctx["dc"] else "GB/T 20234.2-2015")),
        N("充电服务费", number(0.4, 0.8, 2), "单位：元/千瓦时"),
        D("投运日期", day()),
    )),),
)


def _toilet(rng, ctx):
    cls = ctx["cls"] = rng.choices(("一类", "二类", "三类", "活动厕所"), weights=(2, 5, 4, 1))[0]
    return f"{road_of(rng, ctx)}{'移动公厕' if cls == '活动厕所' else rng.choice(('公厕', '公园公厕', '广场公厕'))}"


TOILETS = Spec(
    name="nanyang-public-toilets",
    title="南阳市城市公共厕所信息",
    description=("南阳市城市管理部门管理的城市公共厕所信息，包括固定式公厕和活动厕所。"
                 "数据包括名称、类别、地址、坐标、男女厕位数、无障碍厕位、第三卫生间配置和开放时间，按季度更新。"),
    keywords=("公共厕所", "公厕", "城市管理", "便民"),
    dept="cgj", domain="城建住房", open_access="unconditional", update_frequency="quarterly", license="CC0-1.0",
    resources=(Res("public_toilets", 650, (
        S("名称", fn(_toilet)),
        S("类别", fn(lambda rng, ctx: ctx["cls"])),
        S("所属区县", district()),
        S("地址", address(detail=False)),
        N("经度", lon()),
        N("纬度", lat()),
        I("男厕位", fn(lambda rng, ctx: rng.randint(2, 8))),
        I("女厕位", fn(lambda rng, ctx: rng.randint(3, 12))),
        I("无障碍厕位", fn(lambda rng, ctx: rng.randint(0, 2))),
        B("是否有第三卫生间", boolean(0.35)),
        S("开放时间", choice(("24小时", "06:00-22:00", "05:30-23:00"), (5, 4, 1))),
        S("管理单位", fn(lambda rng, ctx: f"{district_of(rng, ctx).name}环境卫生管理所")),
    ), district_weights=_CITY_WEIGHTS),),
)

SPECS = [CONSTRUCTION, PRESALE, PROPERTY, ADMIN_LICENSING, PARKING, CHARGING, TOILETS]
