"""Chinese personal names: the surname list, a whole-value check and a free-text name finder.

``find_names`` combines three signals, because each alone is noisy:

- rjieba's part-of-speech tags (``nr`` person, ``nrfg``/``nrt`` other names) propose names;
- the surname list filters proposals (a name starts with a known surname);
- context cues before (投诉人/联系人/经办人/姓名 … optionally followed by ：) or titles after
  (先生/女士/同志 …) let us accept a surname + given name even when the segmenter did not tag it,
  and fix its extent.

Place and organisation words that start with a surname character (张家港, 王府井, 黄河路,
张仲景医院 …) are rejected through a gazetteer and the token that follows the candidate.
"""

from __future__ import annotations

import heapq
import re
from itertools import accumulate

import rjieba

__all__ = ["COMPOUND_SURNAMES", "SURNAMES", "find_names", "person_name_ok"]

# 百家姓 single-character surnames plus common modern ones (付, 闫, 覃 …).
SURNAMES: frozenset[str] = frozenset(
    "赵钱孙李周吴郑王冯陈褚卫蒋沈韩杨朱秦尤许何吕施张孔曹严华金魏陶姜戚谢邹喻柏水窦章云苏潘葛"
    "奚范彭郎鲁韦昌马苗凤花方俞任袁柳酆鲍史唐费廉岑薛雷贺倪汤滕殷罗毕郝邬安常乐于时傅皮卞齐康"
    "伍余元卜顾孟平黄和穆萧尹姚邵湛汪祁毛禹狄米贝明臧计伏成戴谈宋茅庞熊纪舒屈项祝董梁杜阮蓝闵"
    "席季麻强贾路娄危江童颜郭梅盛林刁钟徐邱骆高夏蔡田樊胡凌霍虞万支柯昝管卢莫经房裘缪干解应宗"
    "丁宣贲邓郁单杭洪包诸左石崔吉钮龚程嵇邢滑裴陆荣翁荀羊於惠甄曲家封芮羿储靳汲邴糜松井段富巫"
    "乌焦巴弓牧隗山谷车侯宓蓬全郗班仰秋仲伊宫宁仇栾暴甘钭厉戎祖武符刘景詹束龙叶幸司韶郜黎蓟薄"
    "印宿白怀蒲邰从鄂索咸籍赖卓蔺屠蒙池乔阴郁胥能苍双闻莘党翟谭贡劳逄姬申扶堵冉宰郦雍却璩桑桂"
    "濮牛寿通边扈燕冀郏浦尚农温别庄晏柴瞿阎充慕连茹习宦艾鱼容向古易慎戈廖庾终暨居衡步都耿满弘"
    "匡国文寇广禄阙东欧殳沃利蔚越夔隆师巩厍聂晁勾敖融冷訾辛阚那简饶空曾毋沙乜养鞠须丰巢关蒯相"
    "查后荆红游竺权逯盖益桓公晋楚闫法汝鄢涂钦岳帅缑亢况郈有琴商牟佘佴伯赏墨哈谯笪年爱阳佟言福"
    "付覃邸冼揭练粟植麦兰谌旷庹苟栗邝仝修楼豆展剧战肖郇迟芦隋丛苑朴卿初敬鹿辜檀衣智奉亓赫漆尉鲜"
)
COMPOUND_SURNAMES: frozenset[str] = frozenset(
    "万俟 司马 上官 欧阳 夏侯 诸葛 闻人 东方 赫连 皇甫 尉迟 公羊 澹台 公冶 宗政 濮阳 淳于 单于 "
    "太叔 申屠 公孙 仲孙 轩辕 令狐 钟离 宇文 长孙 慕容 鲜于 闾丘 司徒 司空 亓官 司寇 子车 颛孙 "
    "端木 巫马 公西 漆雕 乐正 壤驷 公良 拓跋 夹谷 宰父 谷梁 段干 百里 东郭 南门 呼延 归海 羊舌 "
    "微生 梁丘 左丘 东门 西门 南宫 第五 独孤".split()
)

_CJK = re.compile(r"[\u4e00-\u9fff]+")
_ETHNIC = re.compile(r"[\u4e00-\u9fff]{1,8}(?:[·•・][\u4e00-\u9fff]{1,8}){1,3}")
# characters a given name practically never ends with: places, organisations, addresses, kinship
_NOT_LAST_VALUE = frozenset("路街道巷区县市省镇乡村组号楼栋室局院店厂司部处科站所校馆园场庄集寨屯湾岗沟桥营堡铺"
                            "河湖港岛州府委会队社厅署行业网点们氏某卡祠寺庙界员工理监师")
_NOT_LAST = _NOT_LAST_VALUE | {"家"}  # in running text "王家" is usually "the Wang family"
# given-name characters that are never the first character of a given name
_NOT_GIVEN_START = frozenset("的了是在与及等或也都就还又被把对从到给以之其这那某个女总")


def surname_of(value: str) -> str:
    """The surname that ``value`` starts with ('' when none)."""
    if value[:2] in COMPOUND_SURNAMES:
        return value[:2]
    return value[:1] if value[:1] in SURNAMES else ""


def person_name_ok(value: str) -> bool:
    """The whole value is a Chinese personal name: a known surname + a 1-3 character given name
    (2-4 characters; 3-5 with a compound surname), or an ethnic name with a middle dot."""
    v = value.strip()
    if 2 <= len(v) <= 5 and _CJK.fullmatch(v):
        sur = surname_of(v)
        given = len(v) - len(sur)
        return (bool(sur) and 1 <= given <= 3 and v[-1] not in _NOT_LAST_VALUE and v[len(sur)] not in _NOT_GIVEN_START
                and not v.endswith(TITLES) and not v.startswith(PLACE_WORDS))
    return 4 <= len(v) <= 20 and bool(_ETHNIC.fullmatch(v))


# common given-name characters: a dictionary word tagged as a name must use only these
NAME_CHARS = frozenset(
    "伟芳娜秀英敏静丽强磊军洋勇艳杰娟涛明超兰霞平刚桂玉华红梅鹏辉斌浩宇轩子涵梓欣怡博文思远嘉琪雨萱佳一鸣晨"
    "阳天翔俊峰建国志海波德胜春冬雪晓东永福金凤淑珍丹凯鑫琳慧颖婷倩瑶悦诗雅然泽皓睿航硕铭昊宏亮立新卫旗庆振"
    "家豪少彬飞龙林帆帅旭宁健成荣兵云莉萍燕玲芬菊娥蓉婕媛妍璐露蕾薇岚青清馨可心依诺若曦语桐奕辰沐瑞乐安康亚"
    "楠雯晶晴凡毅恒民生山松柏树森长顺跃进利向前学爱喜来满仓宝贵富财发兴旺良善仁义礼智信忠孝廉正大小中和美好"
    "秋夏光星月日昕晗曼蔓茜蓓琦瑾璇瑜琼瑛璟珊珏琴艺韵歆欢笑微佩鸾鹤骏驰腾达威武雄彪虎彦哲贤俭让谦逸飘扬浪江"
    "河洪源泉溪润滨洲渊沛潇澜漫鸿鸥鹃莺雁鹰锋钢铁锦钰银珠钧坤培基垚城均增圣堂尧舜禹汤二三四五六七八九士世"
    "之元勤奋继承传先广开展友谊怀念思恩惠淑贞洁纯朴素彩霓虹影双丰收田耕耘稼穗禾苗芝兰蕙芸芷莲荷萌蒙茂"
)

# --- free text -------------------------------------------------------------------------------
# words before a name: roles (strong cues) ...
PRE_CUES: tuple[str, ...] = (
    "投诉人", "举报人", "联系人", "负责人", "申请人", "当事人", "患者", "经办人", "法定代表人", "法人代表",
    "姓名", "户主", "驾驶员", "驾驶人", "司机", "业主", "房东", "租户", "承办人", "受理人", "报案人", "报警人",
    "来电人", "反映人", "检查人", "填报人", "审核人", "核查人", "记录人", "签收人", "收件人", "寄件人", "收货人",
    "监护人", "代理人", "委托人", "受托人", "责任人", "执法人员", "工作人员", "网格员", "村民", "居民", "市民",
    "群众", "职工", "员工", "学生", "教师", "医师", "医生", "护士", "主任", "书记", "局长", "村长", "组长", "经理",
    "队长", "站长", "校长", "院长", "所长", "科长", "老人", "儿子", "女儿", "丈夫", "妻子", "父亲", "母亲", "家属",
    "亲属", "同事", "邻居", "人员", "成员", "主持人", "名叫", "叫做", "名为", "先进个人", "获奖者", "志愿者",
    "网格长", "党员", "代表", "消费者", "顾客", "乘客", "游客", "购房人", "承租人", "出租人", "借款人",
    "投保人", "被保险人", "参保人", "申报人", "购买人", "买受人", "车主", "店主", "摊主", "农户", "住户",
)
# ... and weak cues, which need more evidence from the segmenter
WEAK_CUES: tuple[str, ...] = ("由", "请", "和", "与", "及", "、", "经", "据", "向", "叫", "称", "是", "让", "给", "对", "的",
                             "感谢", "镇", "乡", "村", "街道", "社区")
TITLES: tuple[str, ...] = (
    "先生", "女士", "同志", "老师", "医生", "师傅", "大夫", "护士", "主任", "书记", "局长", "经理", "村长", "组长",
    "队长", "站长", "校长", "院长", "科长", "律师", "警官", "老人", "大爷", "大妈", "阿姨", "夫妇", "一家",
)
# words that may follow a name (they end it)
POST_WORDS: tuple[str, ...] = TITLES + (
    "等人", "反映", "来电", "来访", "投诉", "举报", "表示", "介绍", "报称", "报警", "申请", "签字", "签名", "驾驶",
    "家住", "家中", "家的", "家里", "家人", "身份证", "男", "女", "住", "现住", "（", "(",
)
POST_CHARS = frozenset("于在说称是将等的已曾为作被把对向到给从因让和与及也都又还要会系")
_PUNCT = frozenset("，。、；：,.;:！？!?“”\"'‘’（）()《》【】[] \t\n·•")
# place, organisation and common words that begin with a surname character (never a name's start)
PLACE_WORDS: tuple[str, ...] = (
    "王府井", "张家港", "张家口", "张家界", "黄河", "黄浦", "黄石", "马鞍山", "石家庄", "高新区",
    "高新技术", "方城", "邓州", "唐河", "白河", "卧龙", "宛城", "南召", "西峡", "镇平", "内乡", "淅川",
    "社旗", "新野", "桐柏", "丹江", "金水", "郑州", "洛阳", "开封", "许昌", "周口", "商丘", "信阳",
    "平顶山", "安阳", "鹤壁", "焦作", "濮阳", "漯河", "三门峡", "驻马店", "济源", "武汉", "襄阳", "常州",
    "温州", "台州", "江阴", "江夏", "秦皇岛", "包头", "万州", "龙岗", "宁波", "宁夏", "武昌", "孟州",
    "雷州", "廉江", "高邮", "连云港", "金华", "吉林", "云南", "贵阳", "柳州", "乐山", "汤阴", "林州",
    "范县", "潘家园", "杨家坪", "白云", "东莞", "长江", "长城", "长沙", "长春", "黄冈", "岳阳", "卢氏",
    "伏牛山", "宝天曼", "石佛寺", "赊店", "汉冶", "李宁", "周大福", "王老吉", "张仲景", "张衡", "诸葛亮",
    "范蠡", "百里奚", "姜子牙", "武侯祠", "汉画馆", "医圣祠", "卧龙岗", "白天", "高铁",
    "高速", "万达", "华联", "华润", "苏宁", "国美", "京东", "淘宝", "钱塘", "江南", "江北", "明清", "宋代",
    "唐代", "汉代", "秦汉", "毛泽东", "孙中山", "雷锋", "孔明", "仲景", "秦岭", "银行", "高度", "方便", "万元",
)
_PLACE_RE = re.compile("|".join(sorted(PLACE_WORDS, key=len, reverse=True)))
# a word right after a candidate that makes it part of a place or organisation name
_ORG_WORDS: tuple[str, ...] = tuple(
    "路 街 大街 大道 巷 胡同 医院 博物馆 纪念馆 公园 广场 小区 大厦 公司 集团 中学 小学 学校 超市 饭店 酒店 药房 "
    "大药房 诊所 村 镇 乡 县 区 市 店 祠 庙 桥 河 湖 山 寺 社区 街道 村委 居委 分局 派出所 专卖店 商店 商行 门市 "
    "加工厂 合作社 养殖场 种植 基地 体育馆 故居 墓 大桥 花园 家园 新村 书店 银行 支行 农场 林场 水库 集 庄 营 寨 "
    "屯 湾 岗 沟 铺 堡".split())
_NAME_TAGS = frozenset(("nr", "nrfg", "nrt"))
_FUNCTION_TAGS = frozenset("vpcdurfmqt")
_VERBISH = frozenset("vdpcur")  # POS tags (first letter) of words that typically follow a name
_NAMEISH_TAGS = _NAME_TAGS | {"nz", "i", "j", "x", "ns", "l", "z"}
_CUE_RE = re.compile("(?:" + "|".join(sorted(PRE_CUES, key=len, reverse=True)) + ")(?:称|说|是|叫)?[：:\\s]*")
_TITLE_RE = re.compile("|".join(TITLES[:16]))
_WEAK_RE = re.compile("(?:" + "|".join(WEAK_CUES) + ")")
_DOT = re.compile(r"(?<=[\u4e00-\u9fff])[·•・](?=[\u4e00-\u9fff])")
# characters of transliterated (Uyghur, Kazakh, Tibetan, Mongolian …) names written with a middle dot
TRANSLIT = frozenset(
    "阿依古丽买提艾力热拉帕尔哈努兰迪夏吐逊托合别克吾斯曼司马义不都米娜孜木汗江尼亚扎西卓玛旦增次仁德吉央金"
    "格桑巴特其布朝鲁苏日乌云达赖图萨莎沙娃伊坎库班拜奥塔伦索菲安烈耶夫维奇诺卡洛琳约翰穆罕默德再排尕加措"
    "麦盖肉孜则克拜尤素甫居玉山衣纳斯来曲珍卓嘎白玛赛音吉雅呼乃买热木塔力普阿迪力洪")


_GLUE = frozenset("员称人叫由请经据向和与及给对把被让是为的了在于长主者友师生工民户将镇乡村区县市道")
# words the segmenter tags as names although they are not (黄金周 …)
_NOT_NAME_START = PRE_CUES + TITLES + ("申请", "师傅", "银行", "黄金周", "于是", "于今年")
# a candidate followed by an organisation name ("华成育卓科技有限公司") is a trade name
_ORG_AFTER = re.compile(r"[\u4e00-\u9fff]{0,8}?(?:公司|集团|有限|合作社|协会|商行|工作室|事务所|传媒|科技)")


def _by_first(words) -> dict[str, tuple[str, ...]]:
    index: dict[str, list[str]] = {}
    for w in words:
        index.setdefault(w[0], []).append(w)
    return {k: tuple(v) for k, v in index.items()}


def _starts(text: str, pos: int, index: dict) -> bool:
    """``text.startswith(words, pos)`` with the words indexed by first character (much faster)."""
    words = index.get(text[pos:pos + 1])
    return words is not None and text.startswith(words, pos)


_POST_AT, _ORG_AT, _NOT_NAME_START_AT = _by_first(POST_WORDS), _by_first(_ORG_WORDS), _by_first(_NOT_NAME_START)
_TITLES_BY_LAST = {k: tuple(w for w in TITLES if w[-1] == k) for k in {w[-1] for w in TITLES}}


def _is_cjk(c: str) -> bool:
    return "\u4e00" <= c <= "\u9fff"


def _ethnic_names(text: str) -> list[tuple[int, int]]:
    """Transliterated names with a middle dot (阿依古丽·买买提): both sides 2-6 such characters."""
    spans = []
    for m in _DOT.finditer(text):
        s = m.start()
        while s > 0 and text[s - 1] in TRANSLIT and m.start() - s < 6:
            s -= 1
        e = m.end()
        while e < len(text) and text[e] in TRANSLIT and e - m.end() < 6:
            e += 1
        if m.start() - s >= 2 and e - m.end() >= 2:
            spans.append((s, e))
    return spans


def find_names(text: str) -> list[tuple[int, int]]:
    """Spans (start, end) of personal names in free Chinese text, sorted by start.

    Candidate starts (kinds): a surname beginning a segment tagged as a name, or one character
    into it (the segmenter often glues the preceding character: "员程秀兰") (0); right after a
    role cue such as 投诉人/联系人/姓名： or 2-4 characters before a title such as 先生/同志 (1);
    after a weak cue such as 由/请/、 (2); a surname segment opening a clause (4). The end is
    chosen among 1- and 2-character given names by the strength of the boundary after it:
    punctuation, non-Chinese, a following verb / preposition / particle or a word such as
    反映, 先生, 于 (3); the end of a name-tagged segment (2); any segment boundary (1). Weaker
    kinds need stronger boundaries, and dictionary words (黄牛, 许可证) tagged as names need
    common given-name characters. Place and organisation words are rejected.
    """
    if not _CJK.search(text):
        return []
    n = len(text)
    spans = _ethnic_names(text) if "·" in text or "•" in text or "・" in text else []
    taken = list(spans)
    words, tags = zip(*rjieba.tag(text), strict=True)
    ends = list(accumulate(map(len, words)))
    begins = [0, *ends[:-1]]
    bounds = {0, *ends}
    token_at = dict(zip(begins, zip(ends, tags, strict=True), strict=True))
    starts: dict[int, int] = {}  # position -> kind
    tagged_ends, title_ends = set(), set()
    for i in [i for i, t in enumerate(tags) if t in _NAME_TAGS]:
        word, s = words[i], begins[i]
        tagged_ends.add(ends[i])
        if surname_of(word):
            starts[s] = 0
        elif len(word) >= 3 and word[0] in _GLUE and surname_of(word[1:]):
            starts[s + 1] = 0  # "员程秀兰", "称葛丽华": a glued leading character
        if i and surname_of(words[i - 1]) == words[i - 1] and (
                tags[i - 1] in _NAME_TAGS or tags[i - 1] in ("ns", "nz") or len(words[i - 1]) == 2):
            starts[begins[i - 1]] = 0  # "欧阳"(ns) + "娜娜"(nrt), "叶"(nr) + "玉兰"(nr)
    for i in [0] + [i for i in range(1, len(words)) if words[i - 1][-1] in _PUNCT]:  # clause-initial
        if begins[i] not in starts and len(words[i]) <= 4 and surname_of(words[i]):
            starts[begins[i]] = 4
    for m in _TITLE_RE.finditer(text):  # a title: the name is the 2-3 (3-4) characters before it
        t = m.start()
        options = [q for q in (t - 3, t - 2, t - 4) if q >= 0 and surname_of(text[q:t - 1]) and
                   len(text[q:t]) - len(surname_of(text[q:t])) in (1, 2) and all(_is_cjk(c) for c in text[q:t])]
        if options:
            q = min(options, key=lambda q: (q not in bounds, q))
            starts[q] = min(starts.get(q, 9), 1)
            title_ends.add(t)
    for m in _CUE_RE.finditer(text):
        if m.end() < n:
            starts[m.end()] = 1
    for m in _WEAK_RE.finditer(text):
        if m.end() in bounds and m.end() < n:
            starts[m.end()] = min(starts.get(m.end(), 9), 2)
    places = None
    last_end = 0
    queue = sorted(starts)
    heapq.heapify(queue)
    while queue:
        p = heapq.heappop(queue)
        kind = starts[p]
        if p < last_end or (kind > 1 and p not in bounds):
            continue
        sur = surname_of(text[p:p + 2])
        if not sur or _starts(text, p, _NOT_NAME_START_AT):
            continue
        g0 = p + len(sur)
        strength = {}
        for e in (g0 + 1, g0 + 2):
            if e > n or not _is_cjk(text[e - 1]):
                break
            if _starts(text, e - 1, _POST_AT):
                break
            if (e == n or not _is_cjk(text[e]) or text[e] in POST_CHARS or _starts(text, e, _POST_AT)
                    or token_at.get(e, (0, "x"))[1][0] in _VERBISH or e in title_ends):
                strength[e] = 3
            else:
                strength[e] = 2 if e in tagged_ends else 1 if e in bounds else 0
        if not strength:
            continue
        end = max(strength, key=lambda e: (strength[e], e))
        if end == g0 + 2 and strength.get(g0 + 1) == 3 and text[g0 + 1] in POST_CHARS:
            end = g0 + 1  # "刘明|于2019年", not "刘明于"
        dictionary_word = kind != 1 and rjieba.has_word(text[p:end])
        if strength[end] < (2, 1, 3, 3, 3)[kind] or (dictionary_word and strength[end] < 3):
            continue
        if kind in (2, 4) and not _segmented_like_a_name(text, token_at, p, g0, end):
            continue
        if kind in (0, 4) and p and text.endswith(_TITLES_BY_LAST.get(text[p - 1], ()), 0, p):
            continue  # "孙军同志|于本周": nothing is named right after a title
        if dictionary_word and not all(c in NAME_CHARS for c in text[g0:end]):
            continue  # a dictionary word tagged as a name (黄牛, 许可证, 金额)
        if text[end - 1] in _NOT_LAST or text[g0] in _NOT_GIVEN_START:
            continue
        if places is None:
            places = [m.span() for m in _PLACE_RE.finditer(text)]
        if any(s <= p < e or s == g0 for s, e in places) or (end in bounds and _starts(text, end, _ORG_AT)):
            continue
        if _ORG_AFTER.match(text, end) or any(s < end and p < e for s, e in taken):
            continue
        spans.append((p, end))
        last_end = end
        if end + 1 < n and text[end] in "和与及、" and starts.get(end + 1, 9) > 1:
            if end + 1 not in starts:
                heapq.heappush(queue, end + 1)
            starts[end + 1] = 1  # a list of names: "张三、李四和王五"
    spans.sort()
    return spans


def _segmented_like_a_name(text: str, token_at: dict, p: int, g0: int, end: int) -> bool:
    """A candidate without a role cue must be segmented like a name: one name-like segment
    (possibly with a glued following 于/在/作: "韩海冬作"), or a first segment that is not a
    function word followed by segments ending with the name ("经|入户" and "门店|位于" fail)."""
    first = token_at.get(p)
    if not first:
        return False
    if first[0] == end or (first[0] == end + 1 and text[end] in POST_CHARS):
        return first[1] in _NAMEISH_TAGS or first[1] == "n"
    if first[0] > end or first[1][0] in _FUNCTION_TAGS:
        return False
    pos = first[0]
    while pos < end:
        nxt = token_at[pos][0]
        if nxt > end and not (nxt == end + 1 and text[end] in POST_CHARS and not rjieba.has_word(text[pos:nxt])):
            return False
        pos = nxt
    given = text[g0:end]
    return len(given) < 2 or not rjieba.has_word(given) or all(c in NAME_CHARS for c in given)
