"""Demo datasets of 南阳市生态环境局 (sthjj) and 南阳市自然资源和规划局 (zrghj)."""

from __future__ import annotations

import math
from datetime import date, datetime, timedelta

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
    id_card,
    mobile,
    org,
    person,
    trade_name_of,
)
from .pools import BASIS, DISTRICTS

_BY_NAME = {d.name: d for d in DISTRICTS}

# ---- 空气质量小时数据 ----------------------------------------------------------------------

_STATIONS = (  # (编码, 站点名称, 区县) — city sites and one site per large county
    ("4113A", "市环境监测站", "卧龙区"), ("4114A", "南阳理工学院", "宛城区"), ("4115A", "市第四完全学校", "宛城区"),
    ("4116A", "涧河水厂", "卧龙区"), ("4117A", "白河游览区", "宛城区"), ("4118A", "邓州市监测站", "邓州市"),
    ("4119A", "唐河县监测站", "唐河县"), ("4120A", "西峡县监测站", "西峡县"), ("4121A", "方城县监测站", "方城县"),
    ("4122A", "镇平县监测站", "镇平县"),
)
_AIR_START = datetime(2025, 11, 1)
_IAQI = (0, 50, 100, 150, 200, 300, 400, 500)
_BREAKS = {  # HJ 633-2012 breakpoints (1-hour values; PM uses the 24-hour table)
    "PM2.5": (0, 35, 75, 115, 150, 250, 350, 500), "PM10": (0, 50, 150, 250, 350, 420, 500, 600),
    "SO2": (0, 150, 500, 650, 800, 1600, 2100, 2620), "NO2": (0, 100, 200, 700, 1200, 2340, 3090, 3840),
    "CO": (0, 5, 10, 35, 60, 90, 120, 150), "O3": (0, 160, 200, 300, 400, 800, 1000, 1200),
}
_LEVELS = ((50, "优"), (100, "良"), (150, "轻度污染"), (200, "中度污染"), (300, "重度污染"), (10 ** 9, "严重污染"))


def _iaqi(pollutant: str, c: float) -> float:
    bp = _BREAKS[pollutant]
    for k in range(1, len(bp)):
        if c <= bp[k]:
            return _IAQI[k - 1] + (_IAQI[k] - _IAQI[k - 1]) * (c - bp[k - 1]) / (bp[k] - bp[k - 1])
    return 500.0


def _air_prepare(rng, sizes, state):
    state["pm"] = [rng.uniform(40, 90) for _ in _STATIONS]


def _air_row(rng, ctx):
    """Rows are (hour, station); PM2.5 follows a per-station AR(1) walk around a seasonal mean."""
    i, k = ctx["i"], len(_STATIONS)
    s, hour = i % k, i // k
    t = _AIR_START + timedelta(hours=hour)
    season = 1 + 0.55 * math.cos(2 * math.pi * (t.timetuple().tm_yday - 15) / 365)
    diurnal = 1 + 0.18 * math.cos(2 * math.pi * (t.hour - 8) / 24)
    pm = ctx["S"]["pm"]
    pm[s] = max(4.0, 0.9 * pm[s] + 0.1 * 42 * season * diurnal + rng.gauss(0, 6))
    o3 = max(5.0, (95 / season) * (1 + 0.7 * math.sin(2 * math.pi * (t.hour - 9) / 24)) + rng.gauss(0, 12))
    c = {"PM2.5": pm[s], "PM10": pm[s] * rng.uniform(1.4, 2.0), "SO2": rng.uniform(4, 16),
         "NO2": max(5.0, 30 * diurnal * season ** 0.5 + rng.gauss(0, 8)), "CO": rng.uniform(0.3, 1.0) * season,
         "O3": o3}
    iaqi = {p: _iaqi(p, v) for p, v in c.items()}
    aqi = math.ceil(max(iaqi.values()))
    ctx["c"], ctx["aqi"] = c, aqi
    ctx["primary"] = "" if aqi <= 50 else max(iaqi, key=iaqi.get)
    ctx["level"] = next(name for limit, name in _LEVELS if aqi <= limit)
    code, name, dname = _STATIONS[s]
    ctx["d"], ctx["st"] = _BY_NAME[dname], (code, name)
    return t.isoformat(timespec="seconds")


def _conc(p, nd=0):
    return fn(lambda rng, ctx: round(ctx["c"][p]) if nd == 0 else f"{ctx['c'][p]:.{nd}f}")


AIR = Spec(
    name="nanyang-air-quality-hourly",
    title="南阳市环境空气质量监测小时数据",
    description=("南阳市城区国控、省控环境空气质量自动监测站点和各县（市）监测站的逐小时监测数据。"
                 "数据包括PM2.5、PM10、二氧化硫、二氧化氮、一氧化碳、臭氧浓度，以及按《环境空气质量指数（AQI）技术规定》"
                 "（HJ 633-2012）计算的AQI、首要污染物和空气质量级别，实时更新。"),
    keywords=("空气质量", "AQI", "PM2.5", "环境监测", "小时数据"),
    dept="sthjj", domain="生态环境", open_access="unconditional", update_frequency="realtime",
    prepare=_air_prepare,
    resources=(Res("air_quality_hourly", 43800, (
        DT("监测时间", fn(_air_row)),
        S("站点编码", fn(lambda rng, ctx: ctx["st"][0])),
        S("站点名称", fn(lambda rng, ctx: ctx["st"][1])),
        S("所属区县", district()),
        I("AQI", fn(lambda rng, ctx: ctx["aqi"])),
        S("空气质量级别", fn(lambda rng, ctx: ctx["level"])),
        S("首要污染物", fn(lambda rng, ctx: ctx["primary"]), "AQI不大于50时为空"),
        I("PM2.5", _conc("PM2.5"), "单位：μg/m³"),
        I("PM10", _conc("PM10"), "单位：μg/m³"),
        I("SO2", _conc("SO2"), "单位：μg/m³"),
        I("NO2", _conc("NO2"), "单位：μg/m³"),
        N("CO", _conc("CO", 1), "单位：mg/m³"),
        I("O3", _conc("O3"), "单位：μg/m³"),
    )),),
)

# ---- 地表水水质 ----------------------------------------------------------------------------

_SECTIONS = (  # (河流/湖库, 断面, 区县, 控制级别, 目标类别)
    ("丹江口水库", "陶岔", "淅川县", "国控", 2), ("丹江", "荆紫关", "淅川县", "国控", 2),
    ("老灌河", "西峡县城下游", "西峡县", "国控", 3), ("淇河", "淇河入库口", "淅川县", "省控", 2),
    ("白河", "鸭河口水库出口", "南召县", "国控", 2), ("白河", "南阳市区段", "卧龙区", "国控", 3),
    ("白河", "新甸铺", "新野县", "国控", 3), ("湍河", "湍河大桥", "邓州市", "省控", 3),
    ("唐河", "唐河县城", "唐河县", "省控", 3), ("唐河", "郭滩", "唐河县", "国控", 3),
    ("潘河", "社旗县城下游", "社旗县", "省控", 4), ("赵河", "方城县城下游", "方城县", "市控", 4),
    ("刁河", "刁河入白河口", "新野县", "省控", 4), ("淮河", "淮源", "桐柏县", "国控", 2),
    ("潦河", "潦河镇", "卧龙区", "市控", 3), ("溧河", "溧河乡", "宛城区", "市控", 4),
    ("严陵河", "镇平县城下游", "镇平县", "市控", 4), ("黄鸭河", "南召县城", "南召县", "市控", 3),
)
_ROMAN = ("Ⅰ类", "Ⅱ类", "Ⅲ类", "Ⅳ类", "Ⅴ类", "劣Ⅴ类")
# GB 3838-2002 limits for classes Ⅰ..Ⅴ: DO (≥), CODMn, NH3-N, TP (rivers) (≤)
_DO, _CODMN, _NH3, _TP = (7.5, 6, 5, 3, 2), (2, 4, 6, 10, 15), (0.15, 0.5, 1.0, 1.5, 2.0), (0.02, 0.1, 0.2, 0.3, 0.4)


def _cls_le(v, limits):
    return next((k for k, lim in enumerate(limits) if v <= lim), 5)


def _water_row(rng, ctx):
    i = ctx["i"]
    river, section, dname, level, target = _SECTIONS[i % len(_SECTIONS)]
    month = (i // len(_SECTIONS)) % 94  # 2019-01 .. 2026-10
    q = (target - 1) * 0.7 + rng.uniform(-0.4, 1.2)  # 0 = pristine
    v = {"do": max(1.5, 9.0 - 1.4 * q + rng.gauss(0, 0.4)), "codmn": max(0.8, 1.6 + 1.9 * q + rng.gauss(0, 0.3)),
         "nh3": max(0.02, 0.08 + 0.3 * q * q + rng.gauss(0, 0.03)), "tp": max(0.005, 0.015 + 0.05 * q * q)}
    cls = max(next((k for k, lim in enumerate(_DO) if v["do"] >= lim), 5), _cls_le(v["codmn"], _CODMN),
              _cls_le(v["nh3"], _NH3), _cls_le(v["tp"], _TP))
    ctx.update(v=v, cls=cls, target=target, sec=(river, section, level), d=_BY_NAME[dname])
    return date(2019 + month // 12, month % 12 + 1, rng.randint(5, 15)).isoformat()


def _wv(key, nd):
    return fn(lambda rng, ctx: f"{ctx['v'][key]:.{nd}f}")


WATER = Spec(
    name="nanyang-surface-water-quality",
    title="南阳市地表水环境质量监测数据",
    description=("南阳市国控、省控和市控地表水监测断面的月度水质监测数据，包括南水北调中线工程渠首陶岔和丹江口水库库区断面。"
                 "数据包括水温、pH、溶解氧、高锰酸盐指数、氨氮、总磷，以及按《地表水环境质量标准》（GB 3838-2002）评价的水质类别和达标情况。"),
    keywords=("地表水", "水质", "断面", "南水北调", "丹江口水库"),
    dept="sthjj", domain="生态环境", open_access="unconditional", update_frequency="monthly",
    resources=(Res("water_quality", 1300, (
        D("监测日期", fn(_water_row)),
        S("河流（湖库）", fn(lambda rng, ctx: ctx["sec"][0])),
        S("断面名称", fn(lambda rng, ctx: ctx["sec"][1])),
        S("控制级别", fn(lambda rng, ctx: ctx["sec"][2])),
        S("所属区县", district()),
        N("水温", number(4, 29, 1), "单位：℃"),
        N("pH", number(7.1, 8.5, 2)),
        N("溶解氧", _wv("do", 2), "单位：mg/L"),
        N("高锰酸盐指数", _wv("codmn", 2), "单位：mg/L"),
        N("氨氮", _wv("nh3", 3), "单位：mg/L"),
        N("总磷", _wv("tp", 3), "单位：mg/L"),
        S("水质类别", fn(lambda rng, ctx: _ROMAN[ctx["cls"]])),
        S("水质目标", fn(lambda rng, ctx: _ROMAN[ctx["target"] - 1])),
        B("是否达标", fn(lambda rng, ctx: "true" if ctx["cls"] <= ctx["target"] - 1 else "false")),
    )),),
)

# ---- 排污许可与行政处罚 ----------------------------------------------------------------------

_PERMIT_INDUSTRIES = (("牲畜饲养", "{d}{n}牧业有限公司"), ("化学药品制剂制造", "南阳{n}制药有限公司"),
                      ("水泥制造", "南阳{n}水泥有限公司"), ("火力发电", "南阳{n}热电有限公司"),
                      ("棉纺织及印染精加工", "南阳{n}纺织有限公司"), ("污水处理及其再生利用", "{d}{n}污水处理有限公司"),
                      ("食用菌加工", "{d}{n}食品有限公司"), ("汽车零部件及配件制造", "南阳{n}汽车零部件有限公司"),
                      ("光学仪器制造", "南阳{n}光电有限公司"), ("电机制造", "南阳{n}防爆电气有限公司"))


def _permit_unit(rng, ctx):
    industry, tpl = rng.choice(_PERMIT_INDUSTRIES)
    ctx["industry"] = industry
    return org((tpl,))(rng, ctx)


PERMITS = Spec(
    name="nanyang-pollutant-discharge-permits",
    title="南阳市排污许可证核发信息",
    description=("南阳市生态环境局依据《排污许可管理条例》核发的排污许可证信息，涵盖重点管理和简化管理的排污单位。"
                 "数据包括单位名称、许可证编号、行业类别、管理类别、主要污染物类别、排放口数量和有效期，按月更新。"),
    keywords=("排污许可", "排污单位", "污染源", "环境管理"),
    dept="sthjj", domain="生态环境", open_access="unconditional", update_frequency="monthly",
    resources=(Res("discharge_permits", 700, (
        S("单位名称", fn(_permit_unit)),
        USCC_COL(),
        S("许可证编号", fn(lambda rng, ctx: f"{ctx['uscc']}001{rng.choice('PPPVUQ')}")),
        S("行业类别", fn(lambda rng, ctx: ctx["industry"])),
        S("管理类别", choice(("重点管理", "简化管理"), (4, 6))),
        S("主要污染物类别", choice(("废气", "废水", "废气、废水"), (4, 3, 5))),
        I("排放口数量", skewed_int(1, 18, 2)),
        S("所属区县", district()),
        S("生产经营场所地址", address(detail=False)),
        D("有效期自", day(key="issue")),
        D("有效期至", years_after("issue", 5)),
    ), unique="单位名称"),),
)

_OFFENCES = (("超标排放大气污染物", "《中华人民共和国大气污染防治法》第九十九条"),
             ("超标排放水污染物", "《中华人民共和国水污染防治法》第八十三条"),
             ("建设项目未依法报批环境影响评价文件擅自开工建设", "《中华人民共和国环境影响评价法》第三十一条"),
             ("未取得排污许可证排放污染物", "《排污许可管理条例》第三十三条"),
             ("未按照规定贮存危险废物", "《中华人民共和国固体废物污染环境防治法》第一百一十二条"),
             ("未采取有效措施防治扬尘污染", "《中华人民共和国大气污染防治法》第一百一十五条"))

PENALTIES = Spec(
    name="nanyang-environmental-penalties",
    title="南阳市生态环境行政处罚信息",
    description=("南阳市生态环境部门作出的行政处罚决定信息，包括处罚决定书文号、当事人、违法行为、处罚依据、罚款金额和决定日期。"
                 "依法需公示的处罚信息在“信用中国（河南南阳）”公示；本数据集含处罚裁量过程信息，经申请审核后开放。"),
    keywords=("行政处罚", "环境执法", "双公示", "信用"),
    dept="sthjj", domain="生态环境", open_access="conditional", basis=BASIS["ogi_secrets"],
    share_access="unconditional", update_frequency="monthly",
    resources=(Res("penalties", 480, (
        S("处罚决定书文号", fn(lambda rng, ctx: f"宛环罚〔{yr(ctx)}〕{ctx['i'] // 8 + 1}号")),
        S("当事人名称", org(("南阳{n}实业有限公司", "{d}{n}建材有限公司", "南阳{n}化工有限公司", "{d}{n}养殖场"))),
        USCC_COL(prefix=("91", "91", "92")),
        S("违法行为", fn(lambda rng, ctx: ctx.setdefault("off", rng.choice(_OFFENCES))[0])),
        S("处罚依据", fn(lambda rng, ctx: ctx["off"][1])),
        N("罚款金额", number(1, 100, 2, power=2.2), "单位：万元"),
        D("处罚决定日期", day_in_year()),
        S("所属区县", district()),
    )),),
)

# ---- 自然资源和规划 --------------------------------------------------------------------------

_LAND_USES = (("城镇住宅用地", "70年", "挂牌出让"), ("商服用地", "40年", "挂牌出让"), ("工业用地", "50年", "挂牌出让"),
              ("公共管理与公共服务用地", "无固定期限", "划拨"), ("仓储用地", "50年", "协议出让"),
              ("城镇住宅用地", "70年", "拍卖出让"))

LAND = Spec(
    name="nanyang-land-supply-results",
    title="南阳市国有建设用地供应结果",
    description=("南阳市国有建设用地使用权出让、划拨等供地结果公示信息。"
                 "数据包括电子监管号、宗地位置、面积、土地用途、供地方式、使用年限、成交价格、受让人和约定开竣工时间，每月更新。"),
    keywords=("土地供应", "土地出让", "国有建设用地", "招拍挂"),
    dept="zrghj", domain="资源环境", open_access="unconditional", update_frequency="monthly",
    resources=(Res("land_supply", 900, (
        S("电子监管号", fn(lambda rng, ctx: f"{district_of(rng, ctx).code}{yr(ctx)}B{ctx['i'] + 1:06d}")),
        S("宗地编号", fn(lambda rng, ctx: f"NY{yr(ctx)}-{ctx['i'] // 8 + 1:03d}")),
        S("宗地位置", address(detail=False)),
        S("所属区县", district()),
        N("土地面积", number(0.3, 40, 4, power=2), "单位：公顷"),
        S("土地用途", fn(lambda rng, ctx: ctx.setdefault("use", rng.choice(_LAND_USES))[0])),
        S("供地方式", fn(lambda rng, ctx: ctx["use"][2])),
        S("使用年限", fn(lambda rng, ctx: ctx["use"][1])),
        N("成交价格", fn(lambda rng, ctx: "0.00" if ctx["use"][2] == "划拨" else f"{rng.uniform(200, 90000):.2f}"),
          "单位：万元；划拨为0"),
        S("土地使用权人", org(("南阳{n}置业有限公司", "南阳{n}房地产开发有限公司", "南阳{n}实业有限公司", "{d}人民政府"))),
        D("合同签订日期", day_in_year(key="sign")),
        D("约定开工时间", fn(lambda rng, ctx: date.fromordinal(ctx["sign"] + rng.randint(90, 365)).isoformat())),
    )),),
)

_PROJECTS = (("住宅", ("府", "苑", "花园", "·壹号院", "名城"), 6), ("商业", ("商业广场", "购物中心"), 2),
             ("工业厂房", ("标准化厂房", "产业园"), 2), ("公共服务设施", ("社区服务中心", "学校教学楼"), 1),
             ("综合体", ("城市综合体", "中心"), 1))


def _project_name(rng, ctx):
    ptype, suffixes, _w = rng.choices(_PROJECTS, weights=[p[2] for p in _PROJECTS])[0]
    ctx["ptype"] = ptype
    phase = rng.choice(("一期", "二期", "三期", "")) if ptype == "住宅" else ""
    return f"{trade_name_of(rng, ctx)}{rng.choice(suffixes)}{phase}"


PLANNING = Spec(
    name="nanyang-planning-permits",
    title="南阳市建设工程规划许可信息",
    description=("南阳市自然资源和规划局核发的建设工程规划许可证信息，包括证书编号、建设单位、项目名称、建设位置、建设规模和核发日期。"
                 "因含尚未公开的规划设计要点，经申请审核后开放。"),
    keywords=("规划许可", "建设工程", "城乡规划"),
    dept="zrghj", domain="资源环境", open_access="conditional", basis=BASIS["ogi_secrets"],
    share_access="unconditional", update_frequency="monthly",
    resources=(Res("planning_permits", 750, (
        S("证书编号", fn(lambda rng, ctx: f"建字第411300{yr(ctx)}{ctx['i'] // 8 + 1:05d}号")),
        S("建设单位", org(("南阳{n}置业有限公司", "南阳市{n}房地产开发有限公司", "南阳{n}实业有限公司"))),
        S("项目名称", fn(_project_name)),
        S("建设位置", address(detail=False)),
        S("所属区县", district()),
        N("建设规模", number(3000, 260000, 2, power=2), "单位：平方米"),
        S("项目类型", fn(lambda rng, ctx: ctx["ptype"])),
        D("核发日期", day_in_year()),
    )),),
)


def _unit_no(rng, ctx):
    return f"{district_of(rng, ctx).code}{rng.randint(1, 99):03d}{rng.randint(1, 9):03d}GB{rng.randint(1, 99999):05d}F{rng.randint(1, 9999):04d}{rng.randint(1, 9999):04d}"


_ESTATE_AREA = {"住宅": (45, 180), "商业": (20, 320), "车位": (12, 38)}


def _estate_location(rng, ctx):
    head = f"{district_of(rng, ctx).full}{rng.choice(ctx['P'].trade_names)}小区"
    if ctx["use"] == "车位":
        return f"{head}地下车库{rng.choice('ABC')}{rng.randint(1, 400):03d}号车位"
    if ctx["use"] == "商业":
        return f"{head}{rng.randint(1, 30)}号楼1层{rng.randint(1, 20)}号商铺"
    return f"{head}{rng.randint(1, 30)}号楼{rng.randint(1, 4)}单元{rng.randint(1, 33)}0{rng.randint(1, 4)}室"


ESTATE = Spec(
    name="nanyang-real-estate-registrations",
    title="南阳市不动产登记信息",
    description=("南阳市不动产登记中心办理的房屋所有权和国有建设用地使用权登记信息，包括不动产权证书号、不动产单元号、坐落、面积和用途。"
                 "数据含权利人身份证号、住址和联系电话，依据《不动产登记暂行条例》仅限权利人和利害关系人依法查询，不予开放。"),
    keywords=("不动产登记", "房产证", "不动产权证书"),
    dept="zrghj", domain="资源环境", open_access="closed", basis=BASIS["pipl_state"],
    share_access="conditional", update_frequency="daily",
    resources=(Res("registrations", 6000, (
        S("不动产权证书号", fn(lambda rng, ctx: f"豫（{yr(ctx)}）南阳市不动产权第{ctx['i'] + 1:07d}号")),
        S("不动产单元号", fn(_unit_no)),
        P("权利人", person(), "PERSON", None),
        P("证件号码", id_card((1950, 2002)), "CN_ID_CARD", None),
        S("共有情况", choice(("单独所有", "共同共有", "按份共有"), (5, 4, 1))),
        S("用途", choice(("住宅", "商业", "车位"), (85, 8, 7), key="use")),
        P("坐落", fn(_estate_location), "ADDRESS", None),
        N("建筑面积", fn(lambda rng, ctx: f"{rng.uniform(*_ESTATE_AREA[ctx['use']]):.2f}"), "单位：平方米"),
        P("联系电话", mobile(), "CN_MOBILE", None),
        D("登记日期", day_in_year()),
    )),),
)

SPECS = [AIR, WATER, PERMITS, PENALTIES, LAND, PLANNING, ESTATE]
