"""Demo datasets of 南阳市交通运输局 (jtysj) and 南阳市公安局交通管理支队 (gajgzd)."""

from __future__ import annotations

from anonymization.identifiers import plate as _plate

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
    boolean,
    choice,
    day,
    fn,
    integer,
    moment,
    pick,
    skewed_int,
    years_after,
)
from .entities import (
    USCC_COL,
    address,
    district,
    district_of,
    id_card,
    lat,
    lon,
    mobile,
    org,
    person,
)
from .pools import BASIS, CITY_ROADS, DISTRICTS

# ---- 公交线路（两个资源：线路、站点） -------------------------------------------------------

_LANDMARKS = (
    "南阳火车站", "南阳汽车站", "市中心医院", "南阳医专一附院", "南阳理工学院", "南阳师范学院", "卧龙岗",
    "医圣祠", "南阳府衙", "白河游览区", "市体育中心", "市政府", "南阳东站", "独山森林公园", "市第二人民医院",
    "油田总部", "中心广场", "梅溪公园", "人民公园", "市妇幼保健院", "高新区管委会", "南阳二中", "南阳一中",
    "月季博览园", "汽车北站", "王府山", "新华城市广场", "张衡博物馆", "武侯祠", "溧河大桥",
)
_URBAN = DISTRICTS[0]


def _bus_prepare(rng, sizes, state):
    n_routes, n_stops = sizes["routes"], sizes["stops"]
    names = [f"{k}路" for k in range(1, 81)] + [f"{k}路" for k in range(101, 131)] + \
        [f"K{k}路" for k in range(1, 21)] + [f"游{k}路" for k in range(1, 11)] + [f"B{k}路" for k in range(1, 200)]
    counts = [n_stops // n_routes + (1 if r < n_stops % n_routes else 0) for r in range(n_routes)]
    routes, stops = [], []
    for r in range(n_routes):
        k = counts[r]
        lon0, lat0 = _URBAN.lon + rng.uniform(-0.09, 0.09), _URBAN.lat + rng.uniform(-0.07, 0.07)
        lon1, lat1 = _URBAN.lon + rng.uniform(-0.09, 0.09), _URBAN.lat + rng.uniform(-0.07, 0.07)
        seq_names = []
        for s in range(k):
            if rng.random() < 0.3:
                stop = rng.choice(_LANDMARKS)
            else:
                a, b = rng.sample(CITY_ROADS, 2)
                stop = f"{a}{b}口" if rng.random() < 0.5 else f"{a}{b}站"
            if stop in seq_names:
                stop += "北" if s % 2 else "南"
            seq_names.append(stop)
            f = s / max(1, k - 1)
            stops.append((names[r % len(names)], s + 1, stop,
                          f"{lon0 + (lon1 - lon0) * f + rng.uniform(-0.004, 0.004):.6f}",
                          f"{lat0 + (lat1 - lat0) * f + rng.uniform(-0.004, 0.004):.6f}"))
        length = max(3.0, k * rng.uniform(0.55, 0.9))
        routes.append({"name": names[r % len(names)], "from": seq_names[0], "to": seq_names[-1], "stops": k,
                       "length": f"{length:.1f}", "first": f"0{rng.randint(5, 6)}:{rng.choice(('00', '20', '30'))}",
                       "last": f"{rng.randint(19, 22)}:{rng.choice(('00', '30'))}",
                       "fare": "2.00" if names[r % len(names)].startswith("K") else "1.00"})
    state["routes"], state["stops"] = routes, stops


def _route(key):
    return lambda rng, ctx: ctx["S"]["routes"][ctx["i"]][key]


def _stop(idx):
    return lambda rng, ctx: ctx["S"]["stops"][ctx["i"]][idx]


BUS = Spec(
    name="nanyang-bus-routes-and-stops",
    title="南阳市城市公交线路及站点信息",
    description=("南阳市中心城区公交线路及沿线站点信息，包含线路和站点两个数据资源。"
                 "线路资源包括起讫站、首末班时间、票价、线路长度和站点数，站点资源按线路给出站序、站名和坐标。"
                 "数据随线路调整不定期更新，可用于出行规划和公共交通分析。"),
    keywords=("公交", "公交线路", "公交站点", "公共交通", "出行"),
    dept="jtysj", domain="交通出行", open_access="unconditional", update_frequency="irregular",
    prepare=_bus_prepare,
    resources=(
        Res("routes", 120, (
            S("线路名称", _route("name")),
            S("起点站", _route("from")),
            S("终点站", _route("to")),
            S("首班时间", _route("first"), "HH:MM"),
            S("末班时间", _route("last"), "HH:MM"),
            N("票价", _route("fare"), "单位：元"),
            N("线路长度", _route("length"), "单位：公里"),
            I("站点数", _route("stops")),
            S("车辆类型", choice(("纯电动", "纯电动", "混合动力", "天然气"))),
            B("是否空调车", boolean(0.85)),
            S("运营单位", choice(("南阳市公共交通集团有限公司", "南阳市城乡公交有限公司"), (5, 1))),
        )),
        Res("stops", 2400, (
            S("线路名称", _stop(0)),
            I("站序", _stop(1)),
            S("站点名称", _stop(2)),
            N("经度", _stop(3)),
            N("纬度", _stop(4)),
        )),
    ),
)

# ---- 出租汽车 ----------------------------------------------------------------------------

_TAXI_MODELS = (("比亚迪秦PLUS EV", "纯电动"), ("比亚迪e5", "纯电动"), ("吉利帝豪EV", "纯电动"),
                ("北汽EU5", "纯电动"), ("大众捷达", "汽油/天然气"), ("丰田卡罗拉双擎", "油电混合"))


def _taxi_model(rng, ctx):
    model, fuel = rng.choice(_TAXI_MODELS)
    ctx["fuel"] = fuel
    return model


TAXI = Spec(
    name="nanyang-taxi-vehicles",
    title="南阳市巡游出租汽车车辆及驾驶员信息",
    description=("南阳市巡游出租汽车经营企业的营运车辆及其注册驾驶员信息，包括车牌号、车型、燃料类型、"
                 "道路运输证号和驾驶员从业资格信息。数据含驾驶员身份证号和手机号等个人信息，经申请审核后在批准的范围和期限内开放。"),
    keywords=("出租车", "巡游出租汽车", "道路运输证", "从业资格"),
    dept="jtysj", domain="交通出行", open_access="conditional", basis=BASIS["pipl_state"],
    share_access="conditional", update_frequency="monthly",
    resources=(Res("taxi_vehicles", 3200, (
        S("车辆型号", fn(_taxi_model)),
        S("燃料类型", fn(lambda rng, ctx: ctx["fuel"])),
        P("车牌号", fn(lambda rng, ctx: _plate(rng, new_energy=ctx["fuel"] == "纯电动")), "CN_LICENSE_PLATE", "mask"),
        S("所属企业", org(("南阳市{n}出租汽车有限公司", "南阳{n}出租车客运有限公司"))),
        S("道路运输证号", fn(lambda rng, ctx: f"豫交运管南字411300{300000 + ctx['i']:06d}")),
        P("驾驶员姓名", person(), "PERSON", "surrogate"),
        P("驾驶员身份证号", id_card((1962, 2000)), "CN_ID_CARD", "hash"),
        P("从业资格证号", pick("idc"), "CN_ID_CARD", "hash", "从业资格证号与驾驶员身份证号一致"),
        P("驾驶员手机号", mobile(), "CN_MOBILE", "mask"),
        D("车辆注册日期", day((2019, 1, 1), (2026, 6, 30), key="reg")),
        D("营运证有效期至", years_after("reg", 8)),
        S("营运状态", choice(("营运", "停运", "报废"), (90, 7, 3))),
    )),),
)

_FREIGHT_SCOPES = ("普通货运", "普通货运；货物专用运输（集装箱）", "普通货运；大型物件运输（一类）",
                   "道路危险货物运输（2类1项、3类）", "货物专用运输（冷藏保鲜）")

FREIGHT = Spec(
    name="nanyang-road-freight-operators",
    title="南阳市道路货物运输经营业户信息",
    description=("南阳市取得《道路运输经营许可证》的道路货物运输经营业户信息。"
                 "数据包括业户名称、许可证号、经营范围、车辆数、总吨位和质量信誉考核等级。"
                 "因涉及经营主体的商业信息，经申请审核后开放。"),
    keywords=("道路运输", "货运", "物流", "经营许可"),
    dept="jtysj", domain="交通出行", open_access="conditional", basis=BASIS["ogi_secrets"],
    share_access="unconditional", update_frequency="quarterly",
    resources=(Res("freight_operators", 2400, (
        S("业户名称", org(("南阳{n}物流有限公司", "南阳市{d}{n}运输有限公司", "{d}{n}货运部", "河南{n}供应链管理有限公司"))),
        USCC_COL(prefix=("91", "91", "92")),
        S("经营许可证号", fn(lambda rng, ctx: f"豫交运管许可南字{district_of(rng, ctx).code}{ctx['i'] + 1:06d}号")),
        S("经营范围", choice(_FREIGHT_SCOPES, (10, 3, 2, 1, 1))),
        I("营运车辆数", skewed_int(1, 260, 3, key="veh")),
        N("总吨位", fn(lambda rng, ctx: f"{ctx['veh'] * rng.uniform(8, 32):.1f}"), "单位：吨"),
        S("所属区县", district()),
        S("经营地址", address()),
        D("发证日期", day(key="issue")),
        D("有效期至", years_after("issue", 4)),
        S("质量信誉考核等级", choice(("AAA", "AA", "A", "B"), (1, 4, 8, 1))),
    ), unique="业户名称"),),
)

_DESTS = (  # (终点, 类别, 里程 km)
    ("郑州", "二类", 290), ("洛阳", "二类", 260), ("平顶山", "二类", 150), ("驻马店", "二类", 170),
    ("信阳", "二类", 230), ("许昌", "二类", 200), ("漯河", "二类", 190), ("周口", "二类", 270),
    ("开封", "二类", 350), ("襄阳", "一类", 120), ("十堰", "一类", 260), ("武汉", "一类", 420),
    ("西安", "一类", 470), ("商洛", "一类", 300), ("随州", "一类", 210), ("深圳", "一类", 1400),
) + tuple((d.name, "三类", 0) for d in DISTRICTS[2:])
_STATIONS = ("南阳市汽车站", "南阳市汽车南站", "南阳市汽车东站", "邓州市汽车站", "唐河县汽车站", "西峡县汽车站",
             "镇平县汽车站", "内乡县汽车站", "淅川县汽车站", "方城县汽车站")


def _coach_dest(rng, ctx):
    dest, kind, km = rng.choice(_DESTS)
    while ctx["origin"].startswith(dest):
        dest, kind, km = rng.choice(_DESTS)
    ctx["kind"] = kind
    ctx["km"] = km * rng.uniform(0.9, 1.15) if km else rng.uniform(35, 130)
    return f"{dest}汽车站"


COACH = Spec(
    name="nanyang-intercity-coach-routes",
    title="南阳市道路客运班线信息",
    description=("南阳市各客运站经营的跨省、跨市和县际道路客运班线信息。"
                 "数据包括始发站、终点站、班线类别、里程、日发班次、票价和经营者，随班线许可变更不定期更新。"),
    keywords=("客运班线", "长途汽车", "客运站", "道路客运"),
    dept="jtysj", domain="交通出行", open_access="unconditional", update_frequency="irregular",
    resources=(Res("coach_routes", 600, (
        S("班线编号", fn(lambda rng, ctx: f"NY-KY-{ctx['i'] + 1:04d}")),
        S("始发站", choice(_STATIONS, (6, 3, 3, 2, 2, 1, 1, 1, 1, 1), key="origin")),
        S("终点站", fn(_coach_dest)),
        S("班线类别", fn(lambda rng, ctx: ctx["kind"])),
        N("里程", fn(lambda rng, ctx: f"{ctx['km']:.0f}"), "单位：公里"),
        I("日发班次", skewed_int(1, 24, 2.5)),
        N("票价", fn(lambda rng, ctx: f"{ctx['km'] * rng.uniform(0.28, 0.4) + 3:.1f}"), "单位：元"),
        S("经营者", org(("南阳{n}汽车运输有限公司", "河南{n}客运集团有限公司南阳分公司"))),
        D("许可日期", day()),
    )),),
)

# ---- 公安交管 ----------------------------------------------------------------------------

_SUBJECTS = (("科目一", "C1,C2,A1,A2,A3,B1,B2,D,E,F"), ("科目二", "C1,C2"), ("科目二", "A1,A2,A3,B1,B2"),
             ("科目三（道路驾驶技能）", "C1,C2"), ("科目三（安全文明驾驶常识）", "C1,C2,A1,A2,A3,B1,B2"),
             ("科目二", "D,E,F"))

TEST_CENTERS = Spec(
    name="nanyang-driving-test-centers",
    title="南阳市机动车驾驶人考场信息",
    description=("南阳市公安交通管理部门设立或认定的机动车驾驶人考场信息，按考场和考试科目逐条列出。"
                 "数据包括考场名称、考试科目、准驾车型、地址、坐标、考位数和日均考试能力，方便考生预约考试。"),
    keywords=("驾驶人考场", "驾考", "科目二", "科目三", "驾驶证"),
    dept="gajgzd", domain="公共安全", open_access="unconditional", update_frequency="quarterly",
    resources=(Res("test_centers", 120, (
        S("考场名称", org(("南阳市{d}{n}机动车驾驶人考场", "南阳{n}驾驶人考试中心", "{d}机动车驾驶人考试中心{n}考场"))),
        S("考场编号", fn(lambda rng, ctx: f"{district_of(rng, ctx).code}{ctx['i'] + 1:03d}")),
        S("考试科目", fn(lambda rng, ctx: ctx.setdefault("subj", rng.choice(_SUBJECTS))[0])),
        S("准驾车型", fn(lambda rng, ctx: ctx["subj"][1])),
        S("所属区县", district()),
        S("地址", address(detail=False)),
        N("经度", lon()),
        N("纬度", lat()),
        I("考位数", integer(8, 120)),
        I("日均考试能力", skewed_int(80, 900, 1.5)),
        B("是否社会化考场", boolean(0.3)),
    )),),
)


def _junction(rng, ctx):
    a, b = rng.sample(CITY_ROADS, 2)
    ctx["d"] = DISTRICTS[int(rng.random() * 2)]
    return f"{a}与{b}交叉口"


CAMERAS = Spec(
    name="nanyang-traffic-enforcement-devices",
    title="南阳市交通技术监控设备点位信息",
    description=("南阳市道路交通技术监控设备（闯红灯、超速、违停抓拍和卡口）的点位信息。"
                 "点位坐标和设备参数属于公安交通管理重要数据，依法不予开放，仅公开目录。"),
    keywords=("电子警察", "监控设备", "测速", "卡口"),
    dept="gajgzd", domain="公共安全", open_access="closed", basis=BASIS["dsl_important"],
    share_access="conditional", update_frequency="monthly",
    resources=(Res("devices", 650, (
        S("设备编号", fn(lambda rng, ctx: f"NYJJ{ctx['i'] + 1:05d}")),
        S("安装地点", fn(_junction)),
        S("所属区县", district()),
        S("设备类型", choice(("闯红灯自动记录", "超速抓拍", "区间测速", "违停抓拍", "治安卡口", "不礼让行人抓拍"))),
        S("拍摄方向", choice(("由东向西", "由西向东", "由南向北", "由北向南"))),
        N("经度", lon()),
        N("纬度", lat()),
        I("限速", choice((40, 50, 60, 60, 70, 80)), "单位：公里/小时"),
        D("启用日期", day()),
        S("设备状态", choice(("正常", "维修", "停用"), (90, 6, 4))),
    )),),
)

_VIOLATIONS = (  # (代码, 违法行为, 记分, 罚款)
    ("1625", "驾驶机动车违反道路交通信号灯通行的", 6, 200), ("1352", "驾驶中型以上载客载货汽车、危险物品运输车辆以外的"
     "其他机动车行驶超过规定时速10%未达20%的", 0, 50), ("1636", "驾驶机动车超过规定时速20%以上未达50%的", 6, 200),
    ("1039", "机动车违反规定停放、临时停车，驾驶人不在现场，妨碍其他车辆、行人通行的", 0, 150),
    ("1357", "驾驶机动车行经人行横道，不按规定减速、停车、避让行人的", 3, 100),
    ("1344", "机动车违反禁令标志指示的", 3, 100), ("1345", "机动车违反禁止标线指示的", 3, 100),
    ("6011", "驾驶机动车不按规定使用安全带的", 1, 50), ("1223", "驾驶机动车时拨打接听手持电话的", 3, 200),
)

VIOLATIONS = Spec(
    name="nanyang-traffic-violations",
    title="南阳市道路交通违法行为记录",
    description=("南阳市道路交通违法行为处理记录，包括违法时间、地点、违法行为、记分、罚款和处理状态。"
                 "数据含当事人身份证号、号牌和行踪信息，属于敏感个人信息，依法不予开放。"),
    keywords=("交通违法", "电子警察", "记分", "罚款"),
    dept="gajgzd", domain="公共安全", open_access="closed", basis=BASIS["pipl_sensitive"],
    share_access="conditional", update_frequency="daily",
    resources=(Res("violations", 12000, (
        S("决定书编号", fn(lambda rng, ctx: f"411300{ctx['i'] + 1:09d}")),
        S("号牌种类", choice(("小型汽车", "小型新能源汽车", "大型汽车"), (80, 15, 5), key="pk")),
        P("号牌号码", fn(lambda rng, ctx: _plate(rng, new_energy=ctx["pk"] == "小型新能源汽车")), "CN_LICENSE_PLATE", None),
        P("当事人", person(), "PERSON", None),
        P("驾驶证号", id_card((1950, 2005)), "CN_ID_CARD", None),
        P("联系电话", mobile(), "CN_MOBILE", None),
        DT("违法时间", moment(hours=(0, 24))),
        S("违法地点", fn(_junction)),
        S("违法行为", fn(lambda rng, ctx: ctx.setdefault("v", rng.choice(_VIOLATIONS))[1])),
        S("违法代码", fn(lambda rng, ctx: ctx["v"][0])),
        I("记分", fn(lambda rng, ctx: ctx["v"][2])),
        I("罚款金额", fn(lambda rng, ctx: ctx["v"][3]), "单位：元"),
        S("采集方式", choice(("电子监控", "现场执法"), (85, 15))),
        S("处理状态", choice(("已处理", "未处理"), (78, 22))),
    )),),
)

SPECS = [BUS, TAXI, FREIGHT, COACH, TEST_CENTERS, CAMERAS, VIOLATIONS]
