"""Deterministic labelled corpus for bench/quality.py: seeded Faker zh_CN + ``random.Random``.

``cells()``: per entity, positives and hard negatives (wrong check character, 17/19 digits, bad
dates, I/O on plates, broken e-mails …); ``sentences()``: free text with labelled spans (names in
37 templates, 50 templates of surname-like place / common words and no names, numbers glued to
Chinese text); ``columns()``: labelled columns. What Faker lacks (16x/17x/19x mobiles, USCCs with
N/Y prefixes, 19-digit UnionPay cards, IDs ending in X, new-energy plates) comes from
``anonymization.identifiers``.
"""

from __future__ import annotations

import random
import re
from datetime import date

from faker import Faker
from faker.providers.person.zh_CN import Provider as _FakerPerson

from anonymization import identifiers as ids
from portal.demo.pools import CITY_ROADS, COUNTY_ROADS, DISTRICTS, URBAN

SEED = 20240611
ENTITIES = ("CN_ID_CARD", "CN_USCC", "CN_BANK_CARD", "CN_MOBILE", "CN_LANDLINE", "CN_LICENSE_PLATE",
            "EMAIL_ADDRESS", "IP_ADDRESS", "PERSON", "ADDRESS")

# given-name characters for synthetic names (independent of anonymization/names.py)
GIVEN = ("子梓涵轩浩宇欣怡佳琪雨萱思远晨阳一鸣俊杰文博嘉懿明哲晓峰志强建华国平春燕秋菊冬梅玉兰金凤银花淑芬"
         "桂香丽娟海燕红霞振宇天佑若曦诗语桐奕辰皓然沐昊瑞泽铭宏伟永刚德世家豪少卫东立新宝山满仓福来喜秀珍"
         "英彦君可馨依诺心婉清素云翠荣长顺跃进胜利向前学军爱民亚楠静雯")
COMPOUND = ("欧阳", "司马", "诸葛", "上官", "东方", "皇甫", "令狐", "慕容", "司徒", "夏侯", "尉迟", "公孙")
ETHNIC_A = ("阿依古丽", "艾力", "热依拉", "买买提", "古丽米拉", "帕尔哈提", "努尔兰", "迪力夏提", "阿不都")
ETHNIC_B = ("买买提", "托合提", "吐尔逊", "艾力", "阿不都", "吾斯曼", "别克", "热合曼", "司马义")
_SURNAMES, _WEIGHTS = zip(*[(k, w) for k, w in _FakerPerson.last_names.items() if len(k) == 1], strict=True)
# place / organisation words that begin with a surname character (hard negatives for names)
PLACES = ("张家港", "王府井大街", "黄河路", "张家界", "石家庄", "马鞍山", "高新区", "方城县", "白河", "卧龙岗",
          "武侯祠", "张衡路", "范蠡路", "百里奚路", "孔明路", "仲景路", "张仲景医院", "李宁专卖店", "周大福金店",
          "万达广场", "黄台岗镇", "谢庄镇", "王村乡", "张村镇", "刘集镇", "赵集镇", "金华乡", "高庙镇", "官庄镇",
          "邓州市", "唐河县", "白河大道", "杨营镇", "罗庄镇", "汉冶街道", "梅溪路", "黄山", "江阴", "常州",
          "宁波", "包头", "秦岭", "丹江口水库", "伏牛山", "宝天曼", "石佛寺", "马山口镇", "赵河镇", "陆营镇")


def _fake(seed: int) -> Faker:
    (f := Faker("zh_CN")).seed_instance(seed)
    return f


def person(rng: random.Random, fake: Faker) -> str:
    r = rng.random()
    if r < 0.45:
        return fake.name()
    given = "".join(rng.choice(GIVEN) for _ in range(1 if rng.random() < 0.35 else 2))
    if r < 0.90:
        return rng.choices(_SURNAMES, _WEIGHTS)[0] + given
    if r < 0.97:
        return rng.choice(COMPOUND) + given
    return rng.choice(ETHNIC_A) + "·" + rng.choice(ETHNIC_B)


def address(rng: random.Random) -> str:
    d = rng.choice(DISTRICTS)
    prefix = rng.choice(("", "南阳市", "河南省南阳市")) + d.name
    if d.name in URBAN or rng.random() < 0.5:
        road = rng.choice(CITY_ROADS if d.name in URBAN else COUNTY_ROADS)
        s = f"{prefix}{road}{rng.randint(1, 999)}号"
        if rng.random() < 0.6:
            s += rng.choice((f"{rng.randint(1, 30)}号楼", f"{rng.randint(1, 30)}栋", f"院{rng.randint(1, 12)}号楼"))
            if rng.random() < 0.7:
                s += f"{rng.randint(1, 6)}单元{rng.randint(1, 28)}{rng.randint(1, 4):02d}室"
        return s
    village = rng.choices(_SURNAMES, _WEIGHTS)[0] + rng.choice("庄营岗湾寨店集楼屯") + "村"
    s = f"{prefix}{rng.choice(d.towns)}{village}{rng.randint(1, 12)}组"
    return s + (f"{rng.randint(1, 99)}号" if rng.random() < 0.3 else "")


def company(rng: random.Random, fake: Faker) -> str:
    return rng.choice(("南阳市", "南阳", "河南")) + fake.company()


def company_address(rng: random.Random) -> str:
    d = rng.choice(DISTRICTS)
    road = rng.choice(CITY_ROADS if d.name in URBAN else COUNTY_ROADS)
    tail = rng.choice(("", f"{rng.randint(1, 20)}号楼", "商务中心", f"{rng.randint(1, 30)}层"))
    return f"{rng.choice(('', '南阳市', '河南省南阳市'))}{d.name}{road}{rng.randint(1, 999)}号{tail}"


def _id(rng: random.Random) -> str:
    region = rng.choice((*ids.NANYANG_REGION_CODES, "411300", "410102", "110105", "440305", "650102", "320102"))
    born = date.fromordinal(rng.randint(date(1925, 1, 1).toordinal(), date(2024, 12, 31).toordinal()))
    while True:
        v = ids.cn_id_card(rng, region=region, birth_date=born)
        if rng.random() < 0.12 and not v.endswith("X"):
            continue  # over-sample check character X (1 in 11 naturally)
        return v.lower() if v.endswith("X") and rng.random() < 0.15 else v


def _uscc(rng: random.Random) -> str:
    prefix = rng.choice(("91", "91", "92", "93", "12", "11", "51", "52", "53", "N1", "N2", "N3", "Y1", "31", "81"))
    return ids.uscc(rng, prefix=prefix, region=rng.choice(("411300", "411302", "411381", "410100", "100000")))


def _mobile(rng: random.Random) -> str:
    m = rng.choice((*ids.MOBILE_PREFIXES, "162", "165", "167", "172", "190", "192", "197")) + f"{rng.randrange(10**8):08d}"
    style = rng.choices(("", " ", "-", "+86"), (65, 10, 10, 15))[0]
    if style in (" ", "-"):
        return style.join((m[:3], m[3:7], m[7:]))
    return rng.choice(("+86", "+86 ", "0086", "86", "+86-")) + m if style else m


def _landline(rng: random.Random) -> str:
    area = rng.choice(("0377", "0377", "0371", "0376", "010", "021", "027", "0755"))
    local = str(rng.randint(2, 9)) + "".join(str(rng.randint(0, 9)) for _ in range(rng.choice((6, 7, 7))))
    fmt = rng.choice(("{a}-{l}", "{a}-{l}", "({a}){l}", "{a}{l}", "{a} {l}", "{a}-{l}-{e}"))
    return fmt.format(a=area, l=local, e=rng.randint(1, 9999))


def _card(rng: random.Random) -> str:
    c = ids.luhn_complete(rng, rng.choice(("622848", "622202", "621700", "623059", "621799")), 19) \
        if rng.random() < 0.5 else ids.bank_card(rng)
    return " ".join(c[i:i + 4] for i in range(0, len(c), 4)) if rng.random() < 0.15 else c


def _plate(rng: random.Random) -> str:
    prov, city = rng.choice((("豫", "R"), ("豫", "R"), ("豫", "A"), ("鄂", "F"), ("京", "N"), ("陕", "C")))
    r = rng.random()
    p = ids.plate(rng, new_energy=True, province=prov, city=city) if r < 0.15 else \
        f"{prov}{city}{rng.randint(0, 99999):05d}{rng.choice('DF')}" if r < 0.2 else ids.plate(rng, province=prov, city=city)
    return p[:2] + rng.choice(("", "", "", "·", " ")) + p[2:]


def _email(rng: random.Random, fake: Faker) -> str:
    r = rng.random()
    if r < 0.5:
        return fake.email()
    if r < 0.7:
        return ids.mobile(rng) + "@" + rng.choice(("qq.com", "163.com", "139.com"))
    user = fake.user_name() + rng.choice(("", ".", "_", "-", "+")) + str(rng.randint(1, 99))
    return user + "@" + rng.choice(("nanyang.gov.cn", "ny-edu.cn", "mail.hnust.edu.cn", "gmail.com", "126.com"))


_POSITIVE = {
    "CN_ID_CARD": lambda rng, fake: _id(rng), "CN_USCC": lambda rng, fake: _uscc(rng),
    "CN_BANK_CARD": lambda rng, fake: _card(rng), "CN_MOBILE": lambda rng, fake: _mobile(rng),
    "CN_LANDLINE": lambda rng, fake: _landline(rng), "CN_LICENSE_PLATE": lambda rng, fake: _plate(rng),
    "EMAIL_ADDRESS": _email, "IP_ADDRESS": lambda rng, fake: fake.ipv6() if rng.random() < 0.1 else fake.ipv4(),
    "PERSON": lambda rng, fake: person(rng, fake), "ADDRESS": lambda rng, fake: address(rng),
}


def positive(entity: str, rng: random.Random, fake: Faker) -> str:
    return _POSITIVE[entity](rng, fake)


def _mutate(rng: random.Random, value: str, alphabet: str = "0123456789") -> str:
    i = rng.randrange(len(value))
    c = rng.choice([a for a in alphabet if a != value[i].upper()])
    return value[:i] + c + value[i + 1:]


def _digits(rng: random.Random, n: int, first: str = "123456789") -> str:
    return rng.choice(first) + "".join(str(rng.randint(0, 9)) for _ in range(n - 1))


def negative(entity: str, rng: random.Random, fake: Faker) -> str:
    """A hard negative: a near miss of ``entity`` (or a look-alike of another kind)."""
    k = rng.randrange(6)
    if entity == "CN_ID_CARD":
        v = _id(rng).upper()
        return [lambda: _mutate(rng, v), lambda: v[:-1], lambda: v[:17] + str(rng.randint(0, 9)) + v[17:],
                lambda: v[:10] + f"{rng.randint(13, 19)}" + v[12:17] + v[17],  # month 13-19
                lambda: rng.choice(("00", "19", "29", "49", "99")) + v[2:],
                lambda: _digits(rng, 18)][k]()
    if entity == "CN_USCC":
        v = _uscc(rng)
        i = rng.choice([j for j in range(17) if v[j] != v[j + 1]])
        return [lambda: _mutate(rng, v, ids.USCC_ALPHABET), lambda: v[:i] + v[i + 1] + v[i] + v[i + 2:],
                lambda: _mutate(rng, v, "IOSVZ"), lambda: v[:-1], lambda: v + rng.choice("0123456789"),
                lambda: _id(rng).upper()][k]()
    if entity == "CN_BANK_CARD":
        v = _card(rng).replace(" ", "")
        return [lambda: _mutate(rng, v), lambda: v[:15], lambda: (v + "0000")[:20],
                lambda: ids.luhn_complete(rng, rng.choice("12789"), rng.choice((16, 19))),
                lambda: _id(rng).upper(), lambda: f"{rng.randint(1, 99999)}.{rng.randint(0, 99):02d}"][k]()
    if entity == "CN_MOBILE":
        m = ids.mobile(rng)
        return [lambda: m[:10], lambda: m + str(rng.randint(0, 9)), lambda: "1" + rng.choice("012") + m[2:],
                lambda: f"{m[:3]} {m[3:6]} {m[6:]}", lambda: _landline(rng),
                lambda: f"{m[:5]}.{rng.randint(0, 99):02d}"][k]()
    if entity == "CN_LANDLINE":
        return [lambda: "0377-1" + _digits(rng, 7, "0123456789"), lambda: "0012-6" + _digits(rng, 7),
                lambda: "377-63" + _digits(rng, 6), lambda: f"4730{rng.randint(0, 99):02d}",
                lambda: f"20{rng.randint(10, 26)}-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}",
                lambda: "0377-6" + _digits(rng, 5, "0123456789")][k]()
    if entity == "CN_LICENSE_PLATE":
        p = ids.plate(rng)
        return [lambda: p[:2] + "I" + p[3:], lambda: p[:2] + "O" + p[3:], lambda: p[:-1],
                lambda: p + str(rng.randint(0, 9)) + str(rng.randint(0, 9)), lambda: "南R" + p[2:],
                lambda: "豫" + p[2:]][k]()
    if entity == "EMAIL_ADDRESS":
        u, d = fake.user_name(), rng.choice(("qq.com", "163.com", "nanyang.gov.cn"))
        return [lambda: u + d, lambda: f"{u}@@{d}", lambda: f"{u}@{d.split('.')[0]}", lambda: f".{u}@{d}",
                lambda: f"{u}..x@{d}", lambda: f"{u} @{d}"][k]()
    if entity == "IP_ADDRESS":
        a = [rng.randint(0, 255) for _ in range(4)]
        return [lambda: f"{a[0]}.{a[1]}.{a[2]}", lambda: f"{a[0]}.{a[1]}.{a[2]}.{a[3]}.{rng.randint(0, 9)}",
                lambda: f"{rng.randint(256, 999)}.{a[1]}.{a[2]}.{a[3]}", lambda: f"112.{rng.randint(10, 99)}",
                lambda: f"20{rng.randint(10, 26)}.{rng.randint(1, 12):02d}.{rng.randint(1, 28):02d}",
                lambda: f"v{a[0]}.{a[1]}.{a[2]}"][k]()
    if entity == "PERSON":
        return [lambda: company(rng, fake), lambda: rng.choice(PLACES), lambda: rng.choice(_SURNAMES) + rng.choice(
            ("先生", "女士", "某", "某某", "师傅")), lambda: rng.choice(("不详", "无", "本人", "/", "见附件", "同上")),
            lambda: rng.choice(DISTRICTS).name, lambda: fake.job()][k]()
    return [lambda: company(rng, fake), lambda: rng.choice(DISTRICTS).name,
            lambda: rng.choice(CITY_ROADS), lambda: rng.choice(DISTRICTS).towns[0] + "人民政府",
            lambda: "南阳市" + rng.choice(DISTRICTS).name, lambda: rng.choice(("不详", "无", "同上"))][k]()


def cells(n: int = 2000, seed: int = SEED) -> dict[str, tuple[list[str], list[str]]]:
    rng, fake = random.Random(seed), _fake(seed)
    return {e: ([positive(e, rng, fake) for _ in range(n)], [negative(e, rng, fake) for _ in range(n)])
            for e in ENTITIES}


def _templates(block: str) -> list[str]:
    return [t.strip() for line in block.splitlines() for t in line.split(" | ")]


# sentence templates separated by " | "; {ENTITY} slots are labelled, other {SLOTS} unlabelled fillers
NAME_TEMPLATES = _templates("""投诉人{PERSON}反映，{ROAD}附近夜间施工噪音扰民，联系电话{CN_MOBILE}。 | 市民{PERSON}来电称，其在{TOWN}购买的化肥存在质量问题。
{PERSON}先生于{DATE}在宛城区政务服务中心办理了不动产登记。 | {PERSON}女士反映小区物业乱收费问题，要求相关部门核查。
经办人：{PERSON}，审核人：{PERSON}。 | 联系人{PERSON}，电话{CN_MOBILE}。 | 请{PERSON}同志于本周五前将材料报送至办公室。
{PERSON}、{PERSON}、{PERSON}等三人获评“南阳好人”。 | 患者{PERSON}，男，{COUNT}岁，因发热入院治疗。
法定代表人{PERSON}，统一社会信用代码{CN_USCC}。
驾驶员{PERSON}驾驶{CN_LICENSE_PLATE}小型轿车在{ROAD}与{ROAD}交叉口发生事故。
{PERSON}，身份证号{CN_ID_CARD}，户籍地址{ADDRESS}。 | 据村民{PERSON}介绍，今年小麦亩产比去年提高了一成。
本次活动由{PERSON}主持，{PERSON}作总结讲话。 | 申请人{PERSON}申请最低生活保障，经入户核查符合条件。
当事人{PERSON}对处罚决定无异议，已于{DATE}缴纳罚款{AMOUNT}元。 | 感谢{PERSON}老师对社区志愿服务工作的支持。
户主{PERSON}家中共有{COUNT}口人，{DATE}纳入防返贫监测。 | 举报人称{PERSON}在{TOWN}非法占用耕地建房。
{PERSON}师傅的出租车上遗失了一个黑色钱包，已归还失主。 | 网格员{PERSON}每天巡查辖区内的{COUNT}栋居民楼。
{PERSON}的儿子{PERSON}在外地打工，家中只有老人。 | 值班领导：{PERSON}；值班人员：{PERSON}、{PERSON}。
负责人{PERSON}表示将立即整改，整改期限为{COUNT}天。 | {PERSON}医生提醒市民注意防范流感。
收件人：{PERSON}，地址：{ADDRESS}，电话：{CN_MOBILE} | 经查，{PERSON}于{DATE}在{ROAD}无证经营。
今年{COUNT}岁的{PERSON}是土生土长的南阳人。 | 姓名：{PERSON} 性别：男 民族：汉
{PERSON}通过银行卡{CN_BANK_CARD}向对方转账{AMOUNT}元。 | {PERSON}和{PERSON}两位志愿者清理了河道垃圾。
大家都叫他老{SUR}，真名叫{PERSON}。 | 被投诉人{PERSON}经营的门店位于{ADDRESS}。
{PERSON}（{CN_ID_CARD}）名下登记有车辆{CN_LICENSE_PLATE}。 | 委托代理人{PERSON}，{COMPANY}员工。
{TOWN}{PERSON}家的葡萄今年喜获丰收。 | 获奖名单：一等奖{PERSON}，二等奖{PERSON}。""")
NEGATIVE_TEMPLATES = _templates("""{PLACE}的游客数量今年明显增加。 | {TOWN}组织开展秸秆禁烧专项检查，出动人员{COUNT}人次。 | {ROAD}与{ROAD}交叉口信号灯故障，请尽快维修。
高度重视安全生产工作，于是召开专题会议部署落实。 | 方便群众办事，马上就办，办就办好。 | 周边商户反映{ROAD}占道经营问题突出。
本月共受理投诉{COUNT}件，办结率{COUNT}%。 | 金额合计{AMOUNT}元，订单号{ORDER}。
{COMPANY}在{TOWN}投资建设{COUNT}亩种植基地。 | 文明城市创建工作推进会在{PLACE}召开。 | 黄金周期间{PLACE}接待游客{COUNT}万人次。
白天气温较高，夜间有小雨，{TOWN}部分地区有冰雹。 | 常规检查发现{COUNT}处安全隐患，已责令{COMPANY}整改。
市民{SUR}先生来电反映{ROAD}路灯不亮。 | {SUR}女士投诉{COMPANY}拖欠工资。 | 林业部门在{TOWN}开展森林防火检查。
包括{PLACE}在内的{COUNT}个景区免费开放。 | 安全教育进校园活动走进{TOWN}中心小学。 | 万人助万企活动在{PLACE}启动，{COUNT}家企业参加。
从{PLACE}到{PLACE}的公交线路将于{DATE}开通。 | 身份证号码{NUM17}位数不对，请核实。 | 编号{NUM19}的档案已归档，邮编{POST}。
{PLACE}附近的{ROAD}正在进行管网改造。 | 高温天气持续，请广大市民做好防暑降温工作。 | 万家灯火迎新春，{TOWN}举办民俗文化活动。
于{DATE}召开全市安全生产工作会议，会议由市政府办公室组织。 | 江河湖库水质总体保持稳定，{COUNT}个断面达标。 | 严格落实河长制，加强白河流域生态保护。
石材加工企业整治工作取得阶段性成效。 | 马上就办，一次办好，政务服务满意度达到{COUNT}%。 | 任务分解到{TOWN}，责任落实到人。
史志办编纂的《南阳年鉴》正式出版。 | 钱款已退还至原支付账户，请注意查收。 | 朱砂、艾草等中药材种植面积扩大到{COUNT}亩。 | 成立专班，明确时间表和路线图。
郑重提醒：春节期间严禁燃放烟花爆竹。 | 金秋时节，{TOWN}的猕猴桃喜获丰收。 | 杨树林下种植中药材，亩均增收{AMOUNT}元。
韩国客商到{TOWN}考察香菇产业。 | 秦汉文化展在汉画馆开展。 | 毛尖茶采摘进入旺季，桐柏县茶农忙采茶。 | 温度传感器故障导致数据异常。
许可证有效期至{DATE}。 | 龙头企业带动{COUNT}户农户增收。 | 甘蔗、西瓜等经济作物长势良好。
夏粮收购工作有序开展，{COMPANY}收购小麦{COUNT}吨。 | 黄牛养殖存栏{COUNT}头，同比增长{COUNT}%。 | 贾宋镇、{TOWN}两地联合开展防汛演练。
申报材料请于{DATE}前提交至{TOWN}便民服务中心。 | 孙庄村、王营村和李岗村的道路硬化工程已完工。""")
OTHER_TEMPLATES = _templates("""电话{CN_MOBILE}联系 | 手机：{CN_MOBILE}，备用电话{CN_LANDLINE} | 请拨打{CN_LANDLINE}咨询相关政策。
卡号{CN_BANK_CARD}的账户已冻结。 | 身份证{CN_ID_CARD}已挂失补办。 | {CN_USCC}为该企业统一社会信用代码。
车牌号{CN_LICENSE_PLATE}的车辆在{ROAD}违停。 | 如有疑问请发送邮件至{EMAIL_ADDRESS}。
系统检测到来自{IP_ADDRESS}的异常登录请求。 | 家住{ADDRESS}，电话{CN_MOBILE}。
开户账号{CN_BANK_CARD}，开户行中国农业银行南阳分行。 | 身份证号{CN_ID_CARD} 手机{CN_MOBILE}
订单号{ORDER}，收货人手机{CN_MOBILE}。 | 企业信用代码：{CN_USCC}；联系邮箱：{EMAIL_ADDRESS}
服务器{IP_ADDRESS}于{DATE}出现故障。 | {CN_LICENSE_PLATE}驶入{ROAD}后未按规定停车。
值班电话：{CN_LANDLINE}，传真：{CN_LANDLINE} | 现住址：{ADDRESS} | 补贴已发放至{CN_BANK_CARD}，金额{AMOUNT}元。
报案号码{CN_MOBILE}，事发地点{ROAD}。""")
_SLOT = re.compile(r"\{(\w+)\}")


_FILLERS = {
    "SUR": lambda rng, fake: rng.choice(_SURNAMES),
    "DATE": lambda rng, fake: f"{rng.randint(2019, 2026)}年{rng.randint(1, 12)}月{rng.randint(1, 28)}日",
    "AMOUNT": lambda rng, fake: f"{rng.randint(1, 99999)}.{rng.randint(0, 99):02d}" if rng.random() < 0.5
    else str(rng.randint(10, 9999)),
    "COUNT": lambda rng, fake: str(rng.randint(2, 300)),
    "NUM17": lambda rng, fake: _id(rng).upper()[:-1],  # an ID with a digit missing …
    "NUM19": lambda rng, fake: _id(rng).upper() + str(rng.randint(0, 9)),  # … or one too many
    "ORDER": lambda rng, fake: f"{rng.randint(2019, 2026)}{rng.randint(1, 12):02d}{rng.randint(1, 28):02d}"
    + _digits(rng, rng.choice((8, 10, 12)), "0123456789"),
    "POST": lambda rng, fake: rng.choice(DISTRICTS).postcodes[0],
    "TOWN": lambda rng, fake: rng.choice(rng.choice(DISTRICTS).towns),
    "ROAD": lambda rng, fake: rng.choice(CITY_ROADS + COUNTY_ROADS),
    "COMPANY": lambda rng, fake: company(rng, fake), "PLACE": lambda rng, fake: rng.choice(PLACES),
}


def render(template: str, rng: random.Random, fake: Faker) -> tuple[str, list[tuple[str, int, int]]]:
    out, spans, pos, last = [], [], 0, 0
    for m in _SLOT.finditer(template):
        out.append(template[last:m.start()])
        pos += m.start() - last
        slot = m.group(1)
        value = (_POSITIVE if slot in ENTITIES else _FILLERS)[slot](rng, fake)
        if slot in ENTITIES:
            spans.append((slot, pos, pos + len(value)))
        out.append(value)
        pos += len(value)
        last = m.end()
    out.append(template[last:])
    return "".join(out), spans


def sentences(n_names: int = 1500, n_negative: int = 600, n_other: int = 1200, seed: int = SEED):
    """[(text, [(entity, start, end), ...]), ...] — deterministic, shuffled."""
    rng, fake = random.Random(seed + 1), _fake(seed + 1)
    out = []
    for templates, n in ((NAME_TEMPLATES, n_names), (NEGATIVE_TEMPLATES, n_negative), (OTHER_TEMPLATES, n_other)):
        out += [render(templates[i % len(templates)], rng, fake) for i in range(n)]
    rng.shuffle(out)
    return out


HEADERS = {
    "CN_ID_CARD": ("身份证号", "公民身份号码", "证件号码", "身份证号码", "法人身份证号"),
    "CN_USCC": ("统一社会信用代码", "信用代码", "社会信用代码"),
    "CN_BANK_CARD": ("银行卡号", "开户账号", "账号", "卡号", "补贴发放账号"),
    "CN_MOBILE": ("手机号码", "联系电话", "移动电话", "手机", "联系人电话"),
    "CN_LANDLINE": ("固定电话", "办公电话", "座机", "值班电话"),
    "CN_LICENSE_PLATE": ("车牌号码", "号牌号码", "车辆号码", "车牌"),
    "EMAIL_ADDRESS": ("电子邮箱", "邮箱", "Email", "电子邮件"),
    "IP_ADDRESS": ("IP地址", "登录IP", "访问IP", "ip"),
    "PERSON": ("姓名", "法定代表人", "负责人", "联系人", "经办人", "申请人", "户主姓名", "驾驶员", "当事人"),
    "ADDRESS": ("家庭住址", "住址", "户籍地址", "居住地址", "现住址", "联系地址"),
}
NEUTRAL = ("字段1", "col_3", "备用字段", "数据项", "编码", "值")
JUNK = ("无", "不详", "-", "/", "暂无", "0", "NULL", "待补充", "见附件")


def _numeric(kind: str, rng: random.Random) -> tuple[tuple[str, ...], object]:
    d = lambda: date.fromordinal(rng.randint(737000, 740000))  # noqa: E731  2018-2026
    return {
        "amount": (("金额(元)", "合同金额", "补贴金额", "营业收入(万元)"), lambda: f"{rng.uniform(0, 2e7):.2f}"),
        "integer amount": (("注册资本(元)", "投资额"), lambda: str(rng.randint(1000, 99_999_999_999))),
        "count": (("数量", "人数", "户数", "床位数"), lambda: str(rng.randint(0, 5000))),
        "postcode": (("邮政编码", "邮编"), lambda: rng.choice(rng.choice(DISTRICTS).postcodes)),
        "date": (("登记日期", "成立日期", "发证日期"), lambda: rng.choice(("{:%Y-%m-%d}", "{:%Y/%m/%d}", "{:%Y%m%d}",
                                                                       "{:%Y-%m-%d %H:%M:%S}")).format(d())),
        "year": (("年度", "年份"), lambda: str(rng.randint(1990, 2026))),
        "coordinate": (("经度", "纬度", "坐标X"), lambda: f"{rng.uniform(32, 113):.6f}"),
        "region code": (("行政区划代码", "区划代码"), lambda: rng.choice((*ids.NANYANG_REGION_CODES, "411300"))),
        "village code": (("统计用区划代码",), lambda: rng.choice(tuple(ids.NANYANG_REGION_CODES)) + _digits(rng, 6, "0")),
        "11-digit code": (("项目编号", "统计编号"), lambda: rng.choice(("10", "12")) + _digits(rng, 9, "0123456789")),
        "file number": (("档案编号", "受理编号"), lambda: f"{rng.randint(2019, 2026)}" + _digits(rng, 12, "0123456789")),
        "serial": (("序号", "ID"), lambda: str(rng.randint(1, 100000))),
        "area code": (("电话区号",), lambda: rng.choice(("0377", "0371", "010"))),
    }[kind]


_NUMERIC_KINDS = ("amount", "integer amount", "count", "postcode", "date", "year", "coordinate", "region code",
                  "village code", "11-digit code", "file number", "serial", "area code")
_OTHER_KINDS = {
    "company name": (("企业名称", "单位名称", "名称"), lambda rng, fake: company(rng, fake)),
    "company address": (("注册地址", "经营地址", "住所", "单位地址", "生产经营场所"), lambda rng, fake: company_address(rng)),
    "categorical": (("性别", "状态", "所属区县", "学历", "所属乡镇"), lambda rng, fake: rng.choice(rng.choice((
        ("男", "女"), ("正常", "注销", "吊销"), tuple(x.name for x in DISTRICTS), ("小学", "初中", "高中", "大专", "本科"),
        tuple(t for x in DISTRICTS[:3] for t in x.towns))))),
    "job": (("职务", "岗位"), lambda rng, fake: fake.job()),
}


def columns(seed: int = SEED) -> list[tuple[str, list[str], str | None, bool, str]]:
    """[(header, values, expected entity or None, expected free_text, kind), ...]"""
    rng, fake = random.Random(seed + 2), _fake(seed + 2)
    size = lambda: rng.choice((2, 6, 40, 150, 400, 1200))  # noqa: E731
    out = []
    for e in ENTITIES:
        for i in range(16):
            n, header = size(), rng.choice(HEADERS[e] if i < 10 else NEUTRAL)
            share = (1.0, 0.9, 0.7)[i % 3] if i < 10 else (1.0, 0.9)[i % 2]
            junk = int((1 - share) * n) if n >= 3 else 0
            values = [positive(e, rng, fake) for _ in range(n - junk)] + [
                rng.choice((rng.choice(JUNK), "", negative(e, rng, fake))) for _ in range(junk)]
            rng.shuffle(values)
            expected = e if i < 10 or e not in ("PERSON", "ADDRESS") else None
            out.append((header, values, expected, False, "personal" if expected else "personal, no header"))
    for kind in _NUMERIC_KINDS:
        for _ in range(7):
            headers, gen = _numeric(kind, rng)
            out.append((rng.choice(headers), [gen() for _ in range(size())], None, False, "numeric"))
    amounts = [f"{rng.uniform(0, 1e5):.2f}" for _ in range(999)]
    amounts.insert(rng.randrange(999), _id(rng))
    out.append(("金额", amounts, None, False, "numeric"))
    for kind, (headers, gen) in _OTHER_KINDS.items():
        for _ in range(10):
            out.append((rng.choice(headers), [gen(rng, fake) for _ in range(size())], None, False, kind))
    prose = sentences(60, 30, 60, seed=seed + 3)
    for _ in range(20):
        texts = [t for t, _ in rng.sample(prose, rng.choice((6, 40, 120)))]
        out.append((rng.choice(("备注", "情况说明", "投诉内容", "处理结果")), texts, None, True, "prose"))
    return out
