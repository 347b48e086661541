"""Demo datasets of 南阳市农业农村局 (nyncj)."""

from __future__ import annotations

from datetime import date

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
    short_town,
    town,
    town_of,
    trade_name_of,
    uscc,
    village_address,
    village_of,
)
from .pools import BASIS, DISTRICTS

_PRICES_START = date(2026, 1, 1).toordinal()


def _iso(ordinal: int) -> str:
    return date.fromordinal(ordinal).isoformat()


# ---- 农业农村 ----------------------------------------------------------------------------

_MARKET_NAMES = {
    "综合农贸市场": ("{d}{ts}农贸市场", "南阳市{n}农贸市场", "{d}{n}农贸市场"),
    "集贸市场": ("{d}{ts}集贸市场", "{ts}{v}集贸市场"),
    "蔬菜批发市场": ("{d}{n}蔬菜批发市场", "南阳{n}蔬菜批发市场"),
    "早夜市": ("{d}{ts}早夜市", "{n}早市"),
}


def _market_name(rng, ctx):
    ctx["mt"] = rng.choices(tuple(_MARKET_NAMES), weights=(5, 4, 1, 1))[0]
    tpl = rng.choice(_MARKET_NAMES[ctx["mt"]])
    return tpl.format(d=district_of(rng, ctx).name, ts=short_town(town_of(rng, ctx)),
                      n=trade_name_of(rng, ctx), v=rng.choice(ctx["P"].villages))


FARMERS_MARKETS = Spec(
    name="nanyang-farmers-markets",
    title="南阳市农贸市场名录",
    description=("南阳市城区及各县（市）农贸市场、集贸市场和蔬菜批发市场的基本信息。"
                 "数据包括市场名称、类型、地址、坐标、建筑面积、摊位数、开办主体和营业时间，以及标准化改造情况，按季度更新。"),
    keywords=("农贸市场", "菜市场", "集贸市场", "民生"),
    dept="nyncj", domain="农业农村", open_access="unconditional", update_frequency="quarterly", encoding="gbk",
    license="CC0-1.0",
    resources=(Res("markets", 360, (
        S("市场名称", fn(_market_name)),
        S("市场类型", fn(lambda rng, ctx: ctx["mt"])),
        S("所属区县", district()),
        S("乡镇（街道）", town()),
        S("地址", address(detail=False)),
        N("经度", lon()),
        N("纬度", lat()),
        I("摊位数", skewed_int(40, 900, 1.8, key="stalls")),
        N("建筑面积", fn(lambda rng, ctx: f"{ctx['stalls'] * rng.uniform(14, 30):.0f}"), "单位：平方米"),
        S("开办主体", org(("南阳{n}市场管理有限公司", "{d}{n}物业服务有限公司", "{d}{n}市场服务中心"), key="owner")),
        B("是否完成标准化改造", boolean(0.58)),
        Y("开业年份", fn(lambda rng, ctx: str(rng.randint(1985, 2025)))),
        S("营业时间", choice(("05:30-19:00", "06:00-18:30", "05:00-20:00", "06:00-21:00"))),
    ), unique="市场名称"),),
)


def _coop_name(rng, ctx):
    d, t = district_of(rng, ctx), town_of(rng, ctx)
    if rng.random() < 0.18:
        ctx["uscc_prefix"], ctx["kind"] = "N2", "农村集体经济组织"
        return f"{d.name}{t}{village_of(rng, ctx)}村股份经济合作社"
    ctx["uscc_prefix"], ctx["kind"] = "93", "农民专业合作社"
    crop = rng.choice(("香菇种植", "小麦种植", "艾草种植", "猕猴桃种植", "茶叶种植", "花生种植", "中药材种植",
                       "生猪养殖", "黄牛养殖", "肉羊养殖", "蔬菜种植", "农机服务", "辛夷种植"))
    return f"{d.name}{trade_name_of(rng, ctx)}{crop}专业合作社"


COOPERATIVES = Spec(
    name="nanyang-farmer-cooperatives",
    title="南阳市农民专业合作社和农村集体经济组织名录",
    description=("南阳市依法登记的农民专业合作社及赋码登记的农村集体经济组织名录。"
                 "数据包括主体名称、统一社会信用代码、主体类型、住所、成员数、出资总额和示范社等级，按季度更新。"),
    keywords=("农民专业合作社", "集体经济", "示范社", "乡村振兴"),
    dept="nyncj", domain="农业农村", open_access="unconditional", update_frequency="quarterly",
    resources=(Res("cooperatives", 4000, (
        S("主体名称", fn(_coop_name)),
        USCC_COL(prefix=("93", "N2")),
        S("主体类型", fn(lambda rng, ctx: ctx["kind"])),
        S("所属区县", district()),
        S("乡镇（街道）", town()),
        S("住所", village_address()),
        I("成员数", skewed_int(5, 600, 2.5)),
        N("出资总额", number(3, 3000, 2, power=3), "单位：万元"),
        D("成立日期", day((2008, 1, 1))),
        S("示范社等级", choice(("否", "市级示范社", "省级示范社", "国家级示范社"), (80, 12, 6, 2))),
    ), unique="主体名称"),),
)

_PRODUCTS = (  # (类别, 品种, base price 元/公斤)
    ("蔬菜", "大白菜", 1.6), ("蔬菜", "土豆", 3.0), ("蔬菜", "西红柿", 5.2), ("蔬菜", "黄瓜", 4.6),
    ("蔬菜", "茄子", 4.4), ("蔬菜", "青椒", 5.6), ("蔬菜", "芹菜", 3.8), ("蔬菜", "菠菜", 5.0),
    ("蔬菜", "大葱", 4.0), ("蔬菜", "生姜", 9.0), ("蔬菜", "大蒜", 8.0), ("蔬菜", "洋葱", 2.8),
    ("蔬菜", "胡萝卜", 3.0), ("蔬菜", "白萝卜", 1.8), ("蔬菜", "莲藕", 6.4), ("蔬菜", "山药", 7.0),
    ("蔬菜", "豆角", 7.6), ("蔬菜", "韭菜", 5.4), ("食用菌", "鲜香菇", 11.0), ("食用菌", "干香菇", 70.0),
    ("肉禽蛋", "猪肉（白条）", 22.0), ("肉禽蛋", "牛肉", 66.0), ("肉禽蛋", "羊肉", 64.0), ("肉禽蛋", "鸡蛋", 8.2),
    ("肉禽蛋", "白条鸡", 16.0), ("水产", "草鱼", 14.0), ("水产", "鲤鱼", 12.0), ("水果", "苹果", 7.6),
    ("水果", "香蕉", 6.0), ("水果", "梨", 5.6), ("水果", "猕猴桃", 10.0), ("水果", "西瓜", 3.2),
    ("粮油", "小麦", 2.5), ("粮油", "玉米", 2.2), ("粮油", "大米", 5.6), ("粮油", "面粉", 4.2),
    ("粮油", "花生油", 28.0), ("粮油", "芝麻油", 52.0), ("蔬菜", "冬瓜", 1.8), ("蔬菜", "南瓜", 2.2),
)
_MARKETS = (("南阳市农产品批发市场", 0), ("南阳市卧龙区蔬菜批发市场", 1), ("邓州市农产品批发市场", 12),
            ("唐河县农产品批发市场", 9), ("镇平县农产品物流园", 5), ("西峡县香菇交易市场", 4))


def _price_prepare(rng, sizes, state):
    state["level"] = [[1.0 + rng.uniform(-0.08, 0.08) for _ in _PRODUCTS] for _ in _MARKETS]


def _price_row(rng, ctx):
    """Rows form a (day, market, product) grid; prices follow a per market/product random walk."""
    i = ctx["i"]
    p, rest = i % len(_PRODUCTS), i // len(_PRODUCTS)
    m, day_no = rest % len(_MARKETS), rest // len(_MARKETS)
    lvl = ctx["S"]["level"][m]
    lvl[p] = min(1.6, max(0.6, lvl[p] * (1 + rng.gauss(0, 0.02))))
    avg = _PRODUCTS[p][2] * lvl[p]
    lo, hi = avg * (1 - rng.uniform(0.05, 0.15)), avg * (1 + rng.uniform(0.05, 0.15))
    ctx["d"] = DISTRICTS[_MARKETS[m][1]]
    ctx.update(cat=_PRODUCTS[p][0], prod=_PRODUCTS[p][1], mkt=_MARKETS[m][0], lo=lo, hi=hi, avg=avg)
    return _iso(_PRICES_START + day_no)


PRICES = Spec(
    name="nanyang-agricultural-product-prices",
    title="南阳市主要农产品批发价格日报",
    description=("南阳市主要农产品批发市场每日采集的蔬菜、食用菌、肉禽蛋、水产、水果和粮油批发价格。"
                 "每条记录为一个市场一个品种一天的最低价、最高价和平均价，单位为元/公斤，用于农产品市场监测预警。"),
    keywords=("农产品价格", "批发价格", "菜价", "市场监测", "香菇"),
    dept="nyncj", domain="农业农村", open_access="unconditional", update_frequency="daily",
    prepare=_price_prepare,
    resources=(Res("prices", 24000, (
        D("采集日期", fn(_price_row)),
        S("市场名称", fn(lambda rng, ctx: ctx["mkt"])),
        S("所属区县", district()),
        S("品种类别", fn(lambda rng, ctx: ctx["cat"])),
        S("品种名称", fn(lambda rng, ctx: ctx["prod"])),
        N("最低价", fn(lambda rng, ctx: f"{ctx['lo']:.2f}"), "单位：元/公斤"),
        N("最高价", fn(lambda rng, ctx: f"{ctx['hi']:.2f}"), "单位：元/公斤"),
        N("平均价", fn(lambda rng, ctx: f"{ctx['avg']:.2f}"), "单位：元/公斤"),
    )),),
)

FAMILY_FARMS = Spec(
    name="nanyang-family-farms",
    title="南阳市家庭农场名录",
    description=("纳入南阳市家庭农场名录系统管理的家庭农场信息，包括经营类型、主要产品、经营土地面积、"
                 "劳动力和销售收入等。名录含农场主身份证号和联系电话，经申请审核后按批准范围开放。"),
    keywords=("家庭农场", "新型农业经营主体", "示范家庭农场"),
    dept="nyncj", domain="农业农村", open_access="conditional", basis=BASIS["pipl_consent"],
    share_access="conditional", update_frequency="semiannual",
    resources=(Res("family_farms", 2200, (
        S("农场名称", org(("{d}{n}家庭农场", "{d}{ts}{n}家庭农场"))),
        P("统一社会信用代码", uscc("92"), "CN_USCC", "keep", "个体工商户统一社会信用代码", "《企业信息公示暂行条例》第六条"),
        P("农场主", person(), "PERSON", "mask"),
        P("农场主身份证号", id_card((1958, 2000)), "CN_ID_CARD", "hash"),
        P("联系电话", mobile(), "CN_MOBILE", "mask"),
        S("所属区县", district()),
        S("乡镇（街道）", town()),
        S("经营地址", village_address()),
        S("经营类型", choice(("种植业", "养殖业", "种养结合", "其他"), (6, 2, 2, 1))),
        N("经营土地面积", number(30, 1500, 1, power=2.5), "单位：亩"),
        I("家庭劳动力数", integer(2, 6)),
        N("年销售收入", number(5, 400, 1, power=2.5), "单位：万元"),
        B("是否示范家庭农场", boolean(0.12)),
        Y("认定年份", fn(lambda rng, ctx: str(rng.randint(2014, 2026)))),
    ), unique="农场名称"),),
)

SPECS = [FARMERS_MARKETS, COOPERATIVES, PRICES, FAMILY_FARMS]
