"""Turn the quantities of a sentence into observations: indicator, measure, status, period.

The words before a number name what it measures ("全市生产总值增长5.5%"); the verb right
before it says how (增长 → growth, 降至 → level, 年均增长 → average growth, 下降 → negative);
a number with nothing before it continues the indicator of the number before it
("达到2125.2亿元、增长6.8%"); "分别" pairs a list of indicators with a list of numbers.
"""
from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import replace
from functools import cache

from kg.extract.quantities import find_quantities
from kg.extract.time import TimeContext
from kg.model import Observation, Period, Quantity
from kg.text import lexicon

_CLAUSE_MARK = re.compile("[，；：。！？]")
_GROWTH = ("增长", "增加", "提高", "上涨", "提升", "增速", "扩大", "上升", "增幅")
_DECLINE = ("下降", "降低", "减少", "回落", "下滑", "缩小", "减", "降")
_LEVEL = ("提高到", "提升到", "提升至", "提高至", "增加到", "增至", "降至", "下降到", "降低到", "减少到", "扩大到", "达到", "达",
          "突破", "超过", "为", "是", "到", "至", "控制在", "保持在", "稳定在", "分别为", "占", "完成", "实现", "按", "拟按",
          "安排", "居", "位居", "位列", "进位至", "跃居", "排名", "列", "共", "累计", "合计", "总计", "约", "近", "超", "逾")
_DECLINE_WORD = re.compile("|".join(_DECLINE))
_CHANGE_WORD = re.compile("|".join(_GROWTH + _DECLINE))
# Words stripped from the front of an indicator: time, adverbs and place words that do not name it.
_LEAD = re.compile(
    r"^(?:其中|全年|今年|去年|当年|同时|此外|目前|累计|以及|、|同比|比上年|较上年|平均|力争|确保|争取|预计|拟|将|"
    r"要|实现|我市|我省|我国|本市|进位至|位居|位列|由|从)+"
)
_TAIL = re.compile(r"(?:由|从|比上年|较上年|同比|分别|年均|平均|比|较|的|第)+$")
_ENUM = re.compile(r"[、和与及]")
_MODIFIER_AFTER = re.compile(r"^(?:的|且)")
_COUNT_UNITS = re.compile(r"(?:个|家|项|条|座|所|场|件|部|名|位|户|套|宗|处|批|次|人|人次|辆|台|艘|架|间|栋|张|支|款|例|起|只|头|株)$")
_QUALITATIVE = re.compile(r"([^，；：。]{2,30}?)(?:增长)?与(?:经济增长|经济发展)(?:基本)?同步")
_TOPIC_VERB = re.compile(r"^(?:实现|完成|达到|累计|带动|吸引|拉动)")
_REGION_PREFIX = re.compile(r"^(?:全市|全省|全国|全县|全区|我市|我省|我国|本市|市域|县域)")


def canonical_indicator(text: str) -> str:
    """Return the standard name of an indicator phrase, or the phrase itself.

    Only a region word may stand before a known name ("全市生产总值" → 地区生产总值); any other
    prefix makes a different indicator ("脱贫地区农村居民收入" stays as it is).

    >>> canonical_indicator("全市生产总值"), canonical_indicator("规上工业增加值")
    ('地区生产总值', '规模以上工业增加值')
    """
    table = lexicon.indicators()
    if text in table:
        return table[text].name
    bare = _REGION_PREFIX.sub("", text)
    if bare in table:
        return table[bare].name
    return text


def _clauses(sentence: str) -> list[tuple[int, int]]:
    spans, start = [], 0
    for m in _CLAUSE_MARK.finditer(sentence):
        spans.append((start, m.start()))
        start = m.end()
    if start < len(sentence):
        spans.append((start, len(sentence)))
    return spans


# The words a verb is made of, by length, longest first: a suffix of the phrase is looked up
# once per length instead of testing every word.
_VERB_WORDS = _GROWTH + _DECLINE + _LEVEL + ("年均", "分别", "平均", "同比", "比上年", "较上年", "再", "了")
_VERB_WORDS_BY_LENGTH = tuple((n, frozenset(w for w in _VERB_WORDS if len(w) == n))
                              for n in sorted({len(w) for w in _VERB_WORDS}, reverse=True))


def _split_verb(pre: str) -> tuple[str, str]:
    """Split 'indicator + verb' into its parts; the verb may be several words (年均增长)."""
    verb = ""
    while True:
        for n, words in _VERB_WORDS_BY_LENGTH:
            if len(pre) >= n and pre[-n:] in words:
                pre, verb = pre[:-n], pre[-n:] + verb
                break
        else:
            return pre, verb


def _measure(verb: str, q: Quantity, rank: bool) -> tuple[str, int]:
    """Return the measure and the sign of the number."""
    if rank:
        return "Rank", 1
    sign = -1 if _DECLINE_WORD.search(verb) and not verb.endswith(("降至", "下降到", "降低到", "减少到")) else 1
    if q.unit in ("个百分点", "百分点"):
        return "Change", sign
    if _CHANGE_WORD.search(verb) and not verb.endswith(_LEVEL):
        if q.unit in ("%", "‰"):
            return ("AverageGrowth" if "年均" in verb else "Growth"), sign
        return "Change", sign
    if _COUNT_UNITS.search(q.unit):
        return "Count", 1
    return "Level", 1


def _negate(q: Quantity) -> Quantity:
    neg = lambda d: -d if d is not None else None  # noqa: E731
    return replace(q, value=neg(q.value), minimum=neg(q.maximum), maximum=neg(q.minimum))


_NOUN_MAX = 16


@cache
def _boundaries() -> tuple[frozenset[str], tuple[int, ...]]:
    """Return the boundary words of two characters or more, and their lengths."""
    words = frozenset(w for w in lexicon.boundary_words() if len(w) >= 2)
    return words, tuple(sorted({len(w) for w in words}))


def _following_noun(sentence: str, pos: int, end: int) -> str:
    """The noun phrase right after a number that opens its clause ("8个项目入选…").

    It ends before the first boundary word that does not also open it, within _NOUN_MAX.
    """
    text = sentence[pos:end]
    words, lengths = _boundaries()
    for i in range(1, min(len(text), _NOUN_MAX)):
        for n in lengths:
            w = text[i:i + n]
            if w in words and not text.startswith(w):
                return text[:i]
    return text[:_NOUN_MAX]


_VERB_END = re.compile(r"(?:引进|举办|夺得|获得|建成|新建|打造|培育|创建|完成|实施|开展|招引|引育|新增|落地|签约|承办|培训|"
                       r"推出|组建|认定|评选|出台|发放|服务|开通|建设|改造|整治|创成|获评|入选|选育|培养|吸引)$")


def _ends_with_verb(pre: str) -> bool:
    return bool(_VERB_END.search(pre.rstrip("了")))


def _last_verb(pre: str) -> str:
    m = _VERB_END.search(pre.rstrip("了"))
    return m.group() if m else ""


def _counted_noun(sentence: str, q: Quantity, end: int) -> str:
    """The noun a counted number goes with when the noun follows it ("3个|院士团队")."""
    if not _COUNT_UNITS.search(q.unit) or q.unit.startswith(("万", "亿")) and len(q.unit) > 1 and q.unit[-1] == "人":
        return ""
    after = re.split(r"[、，；。]", sentence[q.end:end])[0]
    if len(after) < 2 or not "\u4e00" <= after[0] <= "\u9fff":
        return ""
    return _following_noun(sentence, q.end, q.end + len(after))


def _names_a_kind(after: str, q: Quantity) -> bool:
    """Tell a number that is part of a name ("10亿元以上农业产业链", "超10亿元企业") from a statement."""
    if not after or not "\u4e00" <= after[0] <= "\u9fff":
        return False
    if q.qualifier == "以上":
        return True
    return q.unit.endswith("元") and not re.match(r"(?:的|和|以|用于|支持|左右|增长|同比|比上年)", after)


def _split_enumeration(indicator: str, count: int) -> list[str] | None:
    """Pair "A、B分别…" or "城乡居民X分别…" with `count` numbers."""
    items = [x for x in _ENUM.split(indicator) if x]
    if len(items) == count and count > 1:
        return items
    if count == 2 and indicator.startswith("城乡居民"):
        rest = indicator[len("城乡居民"):]
        return [f"城镇居民{rest}", f"农村居民{rest}"]
    if count == 2 and indicator.startswith("城乡"):
        rest = indicator[len("城乡"):]
        return [f"城镇{rest}", f"农村{rest}"]
    return None


def find_observations(
    sentence: str,
    index: int,
    ctx: TimeContext,
    year: int,
    subjects: Iterable[str] = (),
    topic: str | None = None,
) -> list[Observation]:
    """Return the observations stated in one sentence.

    `subjects` are entity names found in the sentence; an indicator phrase that starts with
    one is about that entity ("衢州港货物吞吐量" → 货物吞吐量 of 衢州港). `topic` is the entity
    that opens the sentence: a later clause that opens with a verb speaks of it
    ("衢州综保区成功申报、封关运作，实现保税进出口额25亿元").

    >>> ctx = TimeContext("actual", Period(2025, 2025))
    >>> [(o.indicator, str(o.value), o.unit, o.measure) for o in
    ...  find_observations("全市生产总值达到2125.2亿元、增长6.8%。", 0, ctx, 2026)]
    [('地区生产总值', '2125.2', '亿元', 'Level'), ('地区生产总值', '6.8', '%', 'Growth')]
    >>> [(o.indicator, str(o.value)) for o in
    ...  find_observations("城乡居民人均可支配收入分别增长4.9%、5%。", 0, ctx, 2026)]
    [('城镇居民人均可支配收入', '4.9'), ('农村居民人均可支配收入', '5')]
    """
    quantities = find_quantities(sentence)
    subjects = sorted(set(subjects), key=len, reverse=True) if quantities else []  # most sentences state no number
    out: list[Observation] = []
    last_indicator = last_verb = enum_source = ""
    enum: list[str] = []
    for c_start, c_end in _clauses(sentence) if quantities else ():
        in_clause = [q for q in quantities if c_start <= q.start < c_end]
        seg_start = c_start
        for qi, q in enumerate(in_clause):
            after = sentence[q.end:c_end]
            later = qi + 1 < len(in_clause)
            if _MODIFIER_AFTER.match(after) or (later and after[:1] not in "、和与及" and _names_a_kind(after, q)):
                seg_start = q.end
                continue  # "10亿元以上农业产业链", "30万元且…": part of a name, not a statement
            if _inside_quotes(sentence, q.start):
                continue
            pre = sentence[seg_start:q.start]
            seg_start = q.end
            body, verb = _split_verb(pre)
            commitment = "力争" if "力争" in pre[-6:] else ""
            body = _TAIL.sub("", _LEAD.sub("", body.lstrip("、，和及")))
            body = _LEAD.sub("", body)
            rank = sentence[q.start - 1:q.start] == "第"
            continued = len(body) < 2
            if "分别" in pre or ("分别" in sentence[c_start:q.start] and enum):
                if "分别" in pre:
                    body = body or enum_source
                    enum_source = body
                    group = [x for x in in_clause[qi:] if sentence[x.start - 1:x.start] in "、和分长到为过" or x is q]
                    enum = _split_enumeration(body, len(group)) or []
                if enum:
                    body = enum.pop(0)
            elif enum and not body:
                body = enum.pop(0) if enum else body
            counted = _counted_noun(sentence, q, c_end)
            if counted and not continued and (not body or _ends_with_verb(pre)):
                body = _last_verb(pre) + counted  # "集中引进3个院士团队" → 引进院士团队
            if len(body) < 2:
                body = last_indicator or _following_noun(sentence, q.end, c_end)
                if not body:
                    continue
            if body.endswith(("降幅", "减幅")) and verb == "" or body.endswith(("降幅", "减幅")) and verb in _LEVEL:
                body, verb = body[:-2], "下降"  # "能耗降幅超过3%": a decline of 3%
            elif body.endswith(("增幅", "涨幅", "增速")) and (verb == "" or verb in _LEVEL):
                body, verb = body[:-2], "增长"
            last_indicator = body
            verb = last_verb if continued and not verb.strip("分别了再") else verb
            last_verb = verb
            measure, sign = _measure(verb, q, rank)
            if sign < 0:
                q = _negate(q)
            subject = next((s for s in subjects if body.startswith(s) and len(body) - len(s) >= 2
                            and body[len(s):] not in lexicon.entity_suffixes()), None)
            if subject is None and topic and c_start > 0 and _TOPIC_VERB.match(sentence[c_start:q.start]):
                subject = topic
            name = body[len(subject):] if subject else body
            name = canonical_indicator(name.lstrip("的"))
            period = ctx.period
            if ctx.span and measure == "AverageGrowth":
                period = ctx.span
            elif verb.startswith(("由", "从")) or pre.endswith(("由", "从")) or re.search(r"(?:由|从)$", pre):
                period = Period(ctx.span.start - 1, ctx.span.start - 1) if ctx.span else Period(year - 2, year - 2)
            out.append(Observation(
                indicator=name, surface=body, status=ctx.status, unit=q.unit, period=period,
                measure=measure, sentence=index, value=q.value, minimum=q.minimum, maximum=q.maximum,
                subject=subject, qualifier=q.qualifier, commitment=commitment,
            ))
    if ctx.status == "target" and "同步" in sentence:  # spare _QUALITATIVE's scan of every position
        for m in _QUALITATIVE.finditer(sentence):
            body = _LEAD.sub("", m.group(1))
            out.append(Observation(
                indicator=canonical_indicator(body), surface=body, status="target", unit="",
                period=ctx.period, measure="Growth", sentence=index, description=m.group(0),
            ))
    return out


def _inside_quotes(sentence: str, pos: int) -> bool:
    before = sentence[:pos]
    return before.count("“") > before.count("”") or before.count("《") > before.count("》")
