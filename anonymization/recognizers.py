"""Presidio recognizers for Chinese personal data, and a fast path for free-text cells.

Every recognizer is a Presidio ``EntityRecognizer`` for language ``zh``: regex recognizers are
``PatternRecognizer`` subclasses whose ``validate_result`` runs the checks of ``validators.py``;
``PERSON`` is a ``LocalRecognizer`` over ``names.find_names``. Nothing touches the network:
there is no Presidio ``EmailRecognizer`` (it fetches a public-suffix list) and the NLP engine is
a local blank spaCy pipeline (``nlp.py``).

Regex boundaries use look-arounds, never ``\\b``: in Unicode ``\\b`` does not separate digits
from Chinese characters ("电话13800001111联系" has no word boundary around the number).

Context words are matched in the raw text before a match (Presidio's lemma enhancer compares
whole tokens, and the blank ``zh`` pipeline makes one token per character, so it could never
match a Chinese word). Each recognizer does this itself in ``enhance_using_context`` and marks
its results as enhanced, so ``AnalyzerEngine.analyze`` and ``find_entities`` give identical
scores.

``find_entities`` is the fast path for free-text cells: cheap prefilters decide which
recognizers can possibly match, the same recognizer objects' ``analyze`` runs without NLP
artifacts, overlaps are resolved (higher score, then longer span, then ``ENTITIES`` order).
The regex recognizers implement ``analyze`` with the standard ``re`` module (same semantics as
Presidio's loop, 3-4x cheaper), so both paths share every line of detection code.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from functools import lru_cache

from presidio_analyzer import (
    AnalysisExplanation,
    AnalyzerEngine,
    LocalRecognizer,
    Pattern,
    PatternRecognizer,
    RecognizerRegistry,
)
from presidio_analyzer import RecognizerResult as Result

from . import validators as v
from .names import find_names

__all__ = ["ENTITIES", "Span", "build_analyzer", "build_recognizers", "find_entities"]

ENTITIES = v.ENTITIES
_ORDER = {e: i for i, e in enumerate(ENTITIES)}
_FLAGS = re.DOTALL | re.MULTILINE  # case-sensitive: USCC and plates are upper case
_B, _A = r"(?<![0-9A-Za-z])", r"(?![0-9A-Za-z])"
_BOOST, _WINDOW = 0.35, 12
_ENHANCED = Result.IS_SCORE_ENHANCED_BY_CONTEXT_KEY


class _ChineseContext:
    """Context boost from words found in the ``_WINDOW`` characters before a match."""

    def enhance_using_context(self, text, raw_recognizer_results, other_raw_recognizer_results,
                              nlp_artifacts, context=None):
        words = self.context
        extra = [w for w in context or () if w in words]
        for res in raw_recognizer_results:
            if res.score < 1.0:
                if extra:
                    word = extra[0]
                else:
                    ctx = self.__dict__.get("_context_re") or self.__dict__.setdefault(
                        "_context_re", re.compile("|".join(map(re.escape, words))))
                    m = ctx.search(text, max(0, res.start - _WINDOW), res.start)
                    word = m.group() if m else None
                if word:
                    res.score = min(1.0, res.score + _BOOST)
                    if res.analysis_explanation:
                        res.analysis_explanation.set_supportive_context_word(word)
                        res.analysis_explanation.set_improved_score(res.score)
            res.recognition_metadata[_ENHANCED] = True
        return raw_recognizer_results


class _Checked(_ChineseContext, PatternRecognizer):
    """A regex recognizer whose matches must pass a ``validators.py`` check."""

    ENTITY = ""
    REGEX = ""
    CONTEXT: tuple[str, ...] = ()
    PREFILTER = ""  # a necessary condition (stdlib ``re``) for REGEX to match anywhere

    def __init__(self):
        super().__init__(supported_entity=self.ENTITY, name=type(self).__name__, supported_language="zh",
                         patterns=[Pattern(self.ENTITY.lower(), self.REGEX, 0.5)],
                         context=list(self.CONTEXT), global_regex_flags=_FLAGS)
        self._prefilter = re.compile(self.PREFILTER or self.REGEX).search
        self._regex = re.compile(self.REGEX)  # the same pattern for stdlib re

    def could_match(self, text: str) -> bool:
        """Cheap necessary condition for a match (the fast path skips the recognizer otherwise)."""
        return self._prefilter(text) is not None

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        """``PatternRecognizer.analyze`` semantics — a validated match scores 1.0, a rejected one
        is dropped, an unvalidated one keeps the pattern score — with stdlib ``re``. Presidio's
        loop (``regex`` module with timeouts, timestamps, de-duplication) costs 3-4x more per
        call; these patterns have bounded quantifiers and one pattern cannot yield duplicates."""
        pattern = self.patterns[0]
        meta = {Result.RECOGNIZER_NAME_KEY: self.name, Result.RECOGNIZER_IDENTIFIER_KEY: self.id}
        results = []
        for m in self._regex.finditer(text):
            valid = self.validate_result(m.group())
            if valid is False:
                continue
            score = 1.0 if valid else pattern.score
            explanation = self.build_regex_explanation(self.name, pattern.name, pattern.regex, pattern.score,
                                                       valid, _FLAGS)
            explanation.score = score
            results.append(Result(self.ENTITY, m.start(), m.end(), score, analysis_explanation=explanation,
                                  recognition_metadata=dict(meta)))
        return results

    def validate_result(self, pattern_text: str) -> bool | None:
        return v.VALUE_CHECKS[self.ENTITY](pattern_text)


class IdCardRecognizer(_Checked):
    ENTITY = "CN_ID_CARD"
    REGEX = _B + r"[1-9][0-9]{16}[0-9Xx]" + _A
    PREFILTER = r"[0-9]{17}"
    CONTEXT = ("身份证", "证件号", "公民身份号码", "身份号码", "身份证号")


class UsccRecognizer(_Checked):
    ENTITY = "CN_USCC"
    REGEX = _B + r"[1-9A-HJ-NP-RTUWXY][0-9A-HJ-NP-RTUWXY][0-9]{6}[0-9A-HJ-NP-RTUWXY]{10}" + _A
    PREFILTER = r"[0-9]{6}[0-9A-Z]{10}"
    CONTEXT = ("统一社会信用代码", "信用代码", "社会信用", "营业执照")


class BankCardRecognizer(_Checked):
    ENTITY = "CN_BANK_CARD"
    REGEX = _B + r"[3-6][0-9]{3}(?:[ -]?[0-9]){12,15}" + _A
    PREFILTER = r"[3-6][0-9]{3}[ -]?[0-9]{3}"
    CONTEXT = ("银行卡", "卡号", "账号", "帐号", "开户行", "银行账户", "借记卡", "信用卡")


class MobileRecognizer(_Checked):
    ENTITY = "CN_MOBILE"
    REGEX = _B + r"(?:(?:\+|00)?86[ -]?)?1[3-9][0-9](?:[ -]?[0-9]{4}){2}" + _A
    PREFILTER = r"1[3-9][0-9][ -]?[0-9]{4}"
    CONTEXT = ("手机", "电话", "联系方式", "移动电话", "手机号", "来电", "致电", "号码")


class LandlineRecognizer(_Checked):
    ENTITY = "CN_LANDLINE"
    REGEX = (_B + r"(?:\(0[0-9]{2,3}\)[ -]?|0[0-9]{2,3}[ -]?)[2-9][0-9]{6,7}(?:(?:-|转)[0-9]{1,5})?" + _A)
    PREFILTER = r"[0-9]{7}"
    CONTEXT = ("座机", "固定电话", "办公电话", "电话", "传真", "值班电话", "热线")


class PlateRecognizer(_Checked):
    ENTITY = "CN_LICENSE_PLATE"
    REGEX = (rf"[{v.PLATE_PROVINCES}][A-HJ-NP-Z][·• ]?"
             r"(?:[DF][A-HJ-NP-Z0-9][0-9]{4}|[0-9]{5}[DF]|[A-HJ-NP-Z0-9]{4}[A-HJ-NP-Z0-9挂学警]|[A-HJ-NP-Z0-9]{4}[港澳])"
             + _A)
    PREFILTER = rf"[{v.PLATE_PROVINCES}][A-HJ-NP-Z]"
    CONTEXT = ("车牌", "号牌", "车辆", "车号", "驾驶", "牌照", "机动车")


class ChineseEmailRecognizer(_Checked):
    ENTITY = "EMAIL_ADDRESS"
    REGEX = (r"(?<![A-Za-z0-9._%+-])[A-Za-z0-9_%+-]+(?:\.[A-Za-z0-9_%+-]+)*@"
             r"(?:[A-Za-z0-9](?:[A-Za-z0-9-]{0,61}[A-Za-z0-9])?\.)+[A-Za-z]{2,24}(?![A-Za-z0-9-])")
    PREFILTER = r"@"
    CONTEXT = ("邮箱", "电子邮件", "邮件", "email", "e-mail", "Email", "E-mail")


class IpRecognizer(_Checked):
    ENTITY = "IP_ADDRESS"
    REGEX = (r"(?<![0-9.])(?:[0-9]{1,3}\.){3}[0-9]{1,3}(?![0-9]|\.[0-9])"
             r"|(?<![0-9A-Fa-f:])(?:[0-9A-Fa-f]{1,4}:){2,7}(?::|[0-9A-Fa-f]{1,4}|(?::[0-9A-Fa-f]{1,4}){1,6})(?![0-9A-Fa-f:])"
             r"|(?<![0-9A-Fa-f:])::(?:[0-9A-Fa-f]{1,4}:){0,6}[0-9A-Fa-f]{1,4}(?![0-9A-Fa-f:])")
    PREFILTER = r"[0-9]\.[0-9]{1,3}\.[0-9]|[0-9A-Fa-f]:[0-9A-Fa-f]*:"
    CONTEXT = ("IP", "ip地址", "IP地址", "登录地址", "访问地址")


_CJK = "\u4e00-\u9fff"
_GAZ = ("河南省", "南阳市", "郑州市", "洛阳市", "北京市", "上海市", "天津市", "重庆市", "湖北省", "陕西省",
        "宛城区", "卧龙区", "南召县", "方城县", "西峡县", "镇平县", "内乡县", "淅川县", "社旗县", "唐河县",
        "新野县", "桐柏县", "邓州市")


_ADDRESS_WORDS = ("住址", "家住", "住在", "居住", "户籍", "现住", "地址", "住所")
_ADDRESS_CONTEXT = re.compile("|".join(_ADDRESS_WORDS))
# where an address without a known city / county prefix may start: after a non-Chinese character
# (punctuation, digits) or a word that introduces a place (fixed-width look-behinds: fast to fail)
_LEAD = "(?:^|" + "|".join(f"(?<={w})" for w in (
    f"[^{_CJK}]", "家住", "住在", "住址", "地址", "位于", "现住", "居住", "户籍", "在", "于", "至", "到", "住", "址")) + ")"
_NUMBERED = re.compile(r"[0-9]+(?:号|栋|幢|单元|室|组)|[一二三四五六七八九十]+组")
_PLAIN = rf"(?:(?![路街巷村组号道区县镇乡])[{_CJK}])"  # a name character, not an address keyword


class AddressRecognizer(_Checked):
    """Street-level addresses: optional known admin prefix, town, then road + number or village."""

    ENTITY = "ADDRESS"
    REGEX = (
        rf"(?:(?:{'|'.join(_GAZ)})+(?:{_PLAIN}{{1,4}}?(?:区|县))?(?:{_PLAIN}{{1,5}}?(?:镇|乡|街道|办事处))?"
        rf"|{_LEAD}(?:{_PLAIN}{{2,5}}?(?:镇|乡|街道))?)"
        rf"(?:[{_CJK}0-9]{{1,6}}?(?:路|街|大道|大街|巷|胡同)(?:[东西南北中]段)?"
        r"(?:[0-9]+号院?)?(?:[0-9]+(?:号楼|栋|幢|座))?(?:[0-9]+单元)?(?:[0-9]+(?:室|号|楼))?"
        rf"|[{_CJK}]{{1,5}}?(?:村|社区|小区)(?:[0-9一二三四五六七八九十]+组)?(?:[0-9]+号)?"
        r"(?:[0-9]+(?:号楼|栋|幢))?(?:[0-9]+单元)?(?:[0-9]+室)?)"
    )
    PREFILTER = r"路|街|大道|巷|胡同|村|社区|小区"
    CONTEXT = _ADDRESS_WORDS
    # words that are not part of an address although the regex may swallow them
    _TRIM = re.compile(r"^.*?(?:家住|住在|住址|居住在|居住于|现住|现居|户籍地|地址|位于|住|于|在|至|到|往|从|是|的|：|:)")

    def analyze(self, text, entities, nlp_artifacts=None, regex_flags=None):
        results = []
        for res in super().analyze(text, entities, nlp_artifacts, regex_flags):  # trimmed, then checked
            span = text[res.start:res.end]
            cut = self._TRIM.match(span)
            if cut and cut.end() < len(span) and not span.startswith(_GAZ):
                res.start += cut.end()
            span = text[res.start:res.end]
            window = text[max(0, res.start - _WINDOW):res.start]
            # in prose, a road or village without a number is a place, not somebody's address
            if v.address_ok(span) and (_NUMBERED.search(span) or any(w in window for w in self.context)):
                results.append(res)
        return results

    def validate_result(self, pattern_text: str) -> bool | None:
        return None  # validated after trimming, in analyze; keeps the 0.5 base score for context

    def could_match(self, text: str) -> bool:
        """A road / village keyword and a house or group number or a context word."""
        return bool(self._prefilter(text) and (_NUMBERED.search(text) or _ADDRESS_CONTEXT.search(text)))


class PersonRecognizer(_ChineseContext, LocalRecognizer):
    """Chinese personal names in free text (rjieba tags + surname list + cues; ``names.py``)."""

    ENTITY = "PERSON"
    CONTEXT = ("姓名", "投诉人", "举报人", "联系人", "负责人", "申请人", "当事人", "经办人", "法定代表人",
               "户主", "驾驶员", "患者", "先生", "女士")

    def __init__(self):
        super().__init__(supported_entities=[self.ENTITY], name="PersonRecognizer", supported_language="zh",
                         context=list(self.CONTEXT))

    def load(self) -> None:
        pass

    def analyze(self, text, entities, nlp_artifacts=None):
        if entities and self.ENTITY not in entities:
            return []
        meta = {Result.RECOGNIZER_NAME_KEY: self.name, Result.RECOGNIZER_IDENTIFIER_KEY: self.id}
        return [Result(self.ENTITY, s, e, 0.85, recognition_metadata=dict(meta), analysis_explanation=AnalysisExplanation(
            self.name, 0.85, textual_explanation="rjieba name tags + surname list + cues")) for s, e in find_names(text)]


_CLASSES = (IdCardRecognizer, UsccRecognizer, BankCardRecognizer, MobileRecognizer, LandlineRecognizer,
            PlateRecognizer, ChineseEmailRecognizer, IpRecognizer, PersonRecognizer, AddressRecognizer)


def build_recognizers() -> list:
    """Fresh instances of the ten recognizers (``supported_language="zh"``), in ``ENTITIES`` order."""
    return [cls() for cls in _CLASSES]


def build_analyzer() -> AnalyzerEngine:
    """An ``AnalyzerEngine`` with only our recognizers and the local blank ``zh`` NLP engine."""
    from .nlp import build_nlp_engine

    registry = RecognizerRegistry(recognizers=build_recognizers(), supported_languages=["zh"])
    return AnalyzerEngine(registry=registry, nlp_engine=build_nlp_engine(), supported_languages=["zh"])


@dataclass(frozen=True)
class Span:
    entity: str
    start: int
    end: int
    score: float
    text: str


_DIGIT = re.compile(r"[0-9]")
_HAS_CJK = re.compile(f"[{_CJK}]")
_NUMERIC = frozenset(("CN_ID_CARD", "CN_USCC", "CN_BANK_CARD", "CN_MOBILE", "CN_LANDLINE", "IP_ADDRESS"))


@lru_cache(maxsize=1)
def _shared() -> tuple:
    """One set of recognizers per process for the fast path: (recognizer, entity, needs a digit)."""
    return tuple((r, r.supported_entities[0], r.supported_entities[0] in _NUMERIC) for r in build_recognizers())


def resolve_overlaps(results: Iterable) -> list:
    """Keep non-overlapping results: higher score, then longer span, then ``ENTITIES`` order."""
    results = list(results)
    if len(results) < 2:
        return results
    ranked = sorted(results, key=lambda r: (-r.score, r.start - r.end, _ORDER.get(r.entity_type, 99), r.start))
    kept: list = []
    for r in ranked:
        if all(r.end <= k.start or k.end <= r.start for k in kept):
            kept.append(r)
    kept.sort(key=lambda r: r.start)
    return kept


def find_entities(text: str, entities: Iterable[str] | None = None) -> list[Span]:
    """Personal data in one free-text value, without the NLP engine (see module docstring)."""
    if not text:
        return []
    wanted = frozenset(entities) if entities is not None else None
    digits = _DIGIT.search(text) is not None
    cjk = _HAS_CJK.search(text) is not None
    found = []
    for rec, entity, numeric in _shared():
        if (wanted is not None and entity not in wanted) or (numeric and not digits):
            continue
        if entity == "PERSON":
            if not cjk:
                continue
        elif not rec.could_match(text):
            continue
        res = rec.analyze(text, [entity], None)
        if res:
            found.extend(rec.enhance_using_context(text, res, [], None))
    if not found:
        return []
    return [Span(r.entity_type, r.start, r.end, r.score, text[r.start:r.end]) for r in resolve_overlaps(found)]
