"""Find the names of entities in a sentence, by type grammar over jieba's words.

A name ends in a head word that gives its type (研究院 → Institution, 高速 → Project,
战略 → Policy, 锦标赛 → Event) and runs left until a governing verb, a particle or
punctuation ("深入实施|科教兴国战略"); verbs that belong to names stay ("降低物流成本行动").
Quoted names take the head word that follows the quote ("“企呼我应”机制"). Designations are
the objects of selection verbs (入选, 获评, 荣获, 创建 …). Items listed before "等" + a
category word take that category's type ("进博会、广交会等展会"). Places come from the
gazetteer and the list of named regions. Nothing here knows any particular report's names.
"""
from __future__ import annotations

import re
from bisect import bisect_left, bisect_right
from collections.abc import Callable, Iterator
from functools import cache, lru_cache
from itertools import compress
from operator import attrgetter, itemgetter

from kg.model import Mention
from kg.text import lexicon
from kg.text.patterns import alternation
from kg.text.segment import segment, tokenize, word_freq, word_tags

MAX_NAME = 24
_PUNCT = set("，。、；：？！“”‘’（）《》【】—…·,.;:?!()\"' ")
_PLAN_NAME = re.compile(r"^十[一二三四五六七八九]五$")
_QUOTED = re.compile(r"“([^“”]{2,20})”|《([^《》]{2,30})》")


def _has_quote(sentence: str) -> bool:
    """Tell whether _QUOTED can match: most sentences quote nothing, and a membership test is cheaper."""
    return "“" in sentence or "《" in sentence


_GENERIC = {"重点", "重大", "一批", "现代化", "各类", "相关", "主要", "有关", "这些", "各项", "相应", "一流",
            "省级", "市级", "县级", "我市", "全市", "一个", "两个", "多个", "各个", "年度", "该", "本", "各", "一",
            "首个", "首批", "传统", "新兴"}
# Verbs that take a policy as their object: a bare quoted phrase after them names one.
_POLICY_VERBS = ("实施", "推进", "深化", "践行", "落实", "开展", "启动", "贯彻", "推广", "探索", "建立", "健全", "完善", "执行",
                 "出台", "制定", "推行", "打响", "深入实施", "全面推行", "持续深化", "坚持", "发展", "学习运用", "专设", "设立",
                 "优化", "迭代升级", "提升", "推动", "抓好", "发挥", "加快", "打造", "实行", "用好", "巩固", "做好", "深入推进")
_BOUNDARY_TAGS = {"p", "c", "u", "uj", "ul", "uz", "ud", "ug", "uv", "r", "y", "e", "o"}
# Head words too common to make a name alone: the rest of the name must look like a name.
_WEAK = {"项目", "工程", "中心", "平台", "园区", "产业", "经济", "行动", "机制", "改革", "制度", "计划", "规划", "政策", "方案",
         "基地", "新城", "古城", "集群", "服务业", "制造业", "意见", "规定", "组织", "会议", "大会", "清单", "目录", "保险", "运动",
         "站", "通道", "大道", "学院", "学校", "港", "立法", "公司", "医院", "集团", "试点", "改造", "体系", "场馆"}
_POLICY_MIN = 5
_COUNTED_NAME = re.compile(r"^[一二三四五六七八九十两几]+[个项条批类]")
# "一县一研究院", "一村一品": a policy of one thing per unit, whatever its head word
_ONE_PER = re.compile(r"^一.{1,4}一.{1,5}$")
# Heads whose plain-word names are mostly generic unless long ("两业融合试点" vs a named pilot).
_MIN_BY_HEAD = {"试点": 10, "试点示范": 10, "指引": 6}
# Category words after "等": the listed items before them are of this type.
_CATEGORIES = {"展会": "Event", "会展": "Event", "展览": "Event", "赛事": "Event", "盛会": "Event",
               "新兴产业": "Industry", "未来产业": "Industry", "荣誉": "Designation", "称号": "Designation",
               "项目": "Project", "街区": "Project", "地标": "Project"}
_UNIT_WORD = re.compile(r"^(?:[个家项条座所名位批只年月日次户]|千伏|万千瓦|千瓦|兆瓦|万吨|万亩|亩|公里|米)$")
_ENUM_ITEM = re.compile(r"^(?:[\u4e00-\u9fffA-Za-z0-9＋+·]{2,8}|“[^“”]{2,12}”)$")


@lru_cache(maxsize=65536)
def _is_boundary(word: str) -> bool:
    if not _PUNCT.isdisjoint(word) or any(c.isdigit() for c in word):
        return True
    words = lexicon.boundary_words()
    if word in words and word in lexicon.entity_suffixes():
        return False  # a head word first: 组织 in 上海合作组织峰会
    if word in words or word.endswith("是"):
        return True
    if len(word) in (3, 4) and (word[-2:] in words or word[:2] in words) and not _suffix_of(word):
        return True  # 全面完成, 开工建设: fused verb phrases
    return word_tags().get(word, "") in _BOUNDARY_TAGS and len(word) <= 2


@lru_cache(maxsize=65536)
def _suffix_of(word: str) -> lexicon.Suffix | None:
    table = lexicon.entity_suffixes()
    for n in range(min(len(word), 6), 0, -1):
        s = table.get(word[-n:])
        if s:
            return s
    return None


class _PerWord(dict):
    """A pure function of a word, remembered in a dict.

    `memo[word]` is one dict lookup in C, cheaper than a call through lru_cache; mapped over a
    sentence's words (`map(memo.__getitem__, words)`) it runs without a Python loop. The
    memo is emptied when full, so that a long-running server does not grow without bound.
    """

    def __init__(self, fn: Callable[[str], object], limit: int = 65536) -> None:
        super().__init__()
        self.fn = fn
        self.limit = limit

    def __missing__(self, word: str) -> object:
        if len(self) >= self.limit:
            self.clear()
        value = self[word] = self.fn(word)
        return value


# The head word that ends each word, if any (looked up for every word of every sentence).
_HEAD_OF = _PerWord(_suffix_of)


@cache
def _head_ends() -> frozenset[str]:
    """Return the characters that head words end with: a word ending in none of them has no head."""
    return frozenset(s[-1] for s in lexicon.entity_suffixes())


def _heads(words: list[str]) -> list[lexicon.Suffix | None]:
    """Return the head word that ends each word, if any.

    Six words in seven end in a character no head word ends with, told by a small set that
    stays in the processor's cache; the memo of every word seen is looked up only for the
    rest (a lookup in that large table costs five times as much).
    """
    ends, head_of = _head_ends(), _HEAD_OF
    return [head_of[w] if w[-1:] in ends else None for w in words]


@cache
def _head_tails() -> frozenset[str]:
    """Return the proper endings of head words: only a word among them can end a split head (自由|贸易港)."""
    return frozenset(s[k:] for s in lexicon.entity_suffixes() for k in range(1, len(s)))


_NUMBER = re.compile(r"\d+(?:\.\d+)?")
_NUMERAL_START = re.compile(r"^[一二三四五六七八九十百千万两几多首第]")
# jieba's dictionary counts: a word this rare is most likely part of a proper name (双叶, 携程).
_RARE = 150


@lru_cache(maxsize=65536)
def _looks_proper(words: tuple[str, ...]) -> bool:
    """Tell a name ("衢州极电", "南孔", "市中医") from a generic noun phrase ("城市赋能", "重大").

    Cached: the same words come before head words again and again.
    """
    text = "".join(words)
    if not words or text in _GENERIC or all(w in _GENERIC or w in lexicon.generic_modifiers() for w in words):
        return False
    if words[0] in ("市", "省", "县", "区") or (len(words[0]) > 1 and words[0][0] in "市省" and words[0] not in word_tags()):
        return True  # the city's own: 市中医医院, 市体育场
    names = lexicon.place_names()
    tags = word_tags()
    freq = word_freq()
    for w in words:
        if w in names or w in lexicon.region_names() or tags.get(w, "") in ("ns", "nr", "nz", "nt", "j"):
            return True
        if any(c.isascii() and c.isalnum() for c in w):
            return True
        if len(w) >= 2 and not _NUMERAL_START.match(w) and w not in _GENERIC and (freq.get(w) or 0) < _RARE:
            return True
    return False


def _continues(sentence: str, toks: list[tuple[str, int, int]], heads: list[lexicon.Suffix | None], i: int) -> bool:
    """Tell whether a later head word carries the name on ("建设工程", "研究院…平台").

    A following indicator ends the name instead: "衢州港|货物吞吐量". `heads` holds each word's
    head word, looked up once per sentence.
    """
    if _acting_verb(toks[i + 1][0]) and _names_institution(toks[i][0]):
        return False  # "浙大衢州研究院|揭榜…改革": the institution does something
    for k in range(i + 1, min(i + 4, len(toks))):
        w, start, _ = toks[k]
        if _is_boundary(w) or _starts_indicator(sentence, start, w):
            return False
        if heads[k]:
            return True
    return False


def _qualifies(sentence: str, toks: list[tuple[str, int, int]], i: int, suffix: lexicon.Suffix) -> bool:
    """Tell whether head word i modifies the noun after it rather than ends a name."""
    w, start, _ = toks[i + 1]
    if suffix.type != "Policy" or word_tags().get(w) != "n" or w in _OF_NAME or w in _TAILS.get(suffix.text, ()):
        return False
    return not _is_boundary(w) and not _starts_indicator(sentence, start, w)


@cache
def _name_verbs() -> frozenset[str]:
    return frozenset(lexicon.leading_words().get("unless-action", ()))


@lru_cache(maxsize=65536)
def _names_institution(word: str) -> bool:
    """Tell whether a word ends an institution's name: an acting verb after it says what the institution does.

    Asked only when the next word is an acting verb, the rarer of the two tests.
    """
    suffix = _suffix_of(word)
    return suffix is not None and suffix.type == "Institution" and suffix.needs == "any"


@lru_cache(maxsize=65536)
def _acting_verb(word: str) -> bool:
    """Tell a verb that can say what an institution does from one that stands inside names.

    "高新区|创新创业孵化中心", "自贸试验区|提升|战略": such verbs belong to the name.
    """
    return word_tags().get(word) == "v" and not _generic_word(word) and word not in _name_verbs()


def _starts_indicator(sentence: str, start: int, word: str) -> bool:
    """Tell whether an indicator's name starts at word `word` (at `start`): "衢州港|货物吞吐量"."""
    heads = _indicator_heads(word)
    return bool(heads) and any(sentence.startswith(n, start) for n in heads)


@lru_cache(maxsize=65536)
def _indicator_heads(word: str) -> tuple[str, ...]:
    return tuple(name for name in _indicators_by_first_char().get(word[:1], ()) if name.startswith(word))


@cache
def _indicators_by_first_char() -> dict[str, tuple[str, ...]]:
    out: dict[str, list[str]] = {}
    for name in lexicon.indicators():
        out.setdefault(name[:1], []).append(name)
    return {k: tuple(v) for k, v in out.items()}


@lru_cache(maxsize=64)
def _construction_nearby(sentence: str) -> bool:
    """Tell whether the sentence builds something; asked only when a head word needs it, once a sentence."""
    return _stage_pattern().search(sentence) is not None


@cache
def _stage_pattern() -> re.Pattern[str]:
    return re.compile(alternation(lexicon.stage_verbs()))


_STANCE_TAGS = {"a", "ad", "d", "b"}


def _adjective_before(toks: list[tuple[str, int, int]], j: int, head: str) -> int | None:
    """Extend a policy name over "ADJ的" ("更加积极的|财政政策", "适度宽松的|货币政策")."""
    if head != "政策" or j < 2 or toks[j - 1][0] != "的" or len(toks[j][0]) < 4:
        return None  # "积极的|财政政策", not "有效的|政策"
    tags = word_tags()
    k = j - 1
    while k > 0 and tags.get(toks[k - 1][0], "")[:1] in ("a", "d"):
        k -= 1
    return k if k < j - 1 else None


# Adverbs that stand before a governing verb ("精心|筹办", "高质量|办好"): dropped with it.
_ADVERBS = ("精心", "高质量", "高品质", "高水平", "高标准", "全力", "大力", "认真", "切实", "扎实", "稳步", "有序", "着力", "加紧",
            "全面", "深入", "持续", "不断", "进一步", "更好", "更加", "努力", "主动", "坚决", "成功", "积极", "统筹", "协同")


@cache
def _leading_pattern(action: bool) -> re.Pattern[str]:
    kinds = lexicon.leading_words()
    words = kinds.get("always", ()) if action else (*kinds.get("always", ()), *kinds.get("unless-action", ()))
    verbs = alternation(words)
    adverbs = "|".join(re.escape(a) for a in _ADVERBS)
    return re.compile(rf"^(?:(?:{adverbs})?(?:{verbs}))+")


@lru_cache(maxsize=65536)
def _strip_governing(name: str, action: bool = False) -> str:
    """Drop governing verbs fused into the first word ("深化改革" → "改革", "上线…平台").

    In a long action or strategy name some verbs belong to the name and stay (`action`).
    An adverb goes with the verb it stands before ("精心筹办").
    """
    m = _leading_pattern(action).match(name)
    if not m:
        return name
    rest = name[m.end():]
    while len(rest) < 2 and m.end() > 0:
        # never strip a name down to one character: give back the last verb
        shorter = _leading_pattern(action).match(name[:m.end() - 1])
        if not shorter or shorter.end() == 0:
            return name
        m = shorter
        rest = name[m.end():]
    return rest


def _suffix_mentions(sentence: str, index: int, toks: list[tuple[str, int, int]],
                     words_at: list[str], heads: list[lexicon.Suffix | None]) -> Iterator[Mention]:
    table = lexicon.entity_suffixes()
    tails = _head_tails()
    # the words that end in a head word, picked out in C (compress) rather than a loop
    for i in compress(range(len(heads)), heads):
        suffix = heads[i]
        w, start, end = toks[i]
        # a head word cut in two by the segmenter: 自由|贸易港, 综合|保税区
        for k in (3, 2, 1) if w in tails else ():
            if i - k >= 0 and (joined := "".join(words_at[i - k:i + 1])) in table and len(joined) > len(suffix.text):
                suffix = table[joined]
                break
        if suffix.needs == "build" and not _construction_nearby(sentence):
            continue
        if suffix.needs == "quoted" and not _adjective_before(toks, i, suffix.text):
            continue  # only after a quoted name (handled there) or "ADJ的"
        if suffix.needs == "place" and not (i > 0 and toks[i - 1][0] in lexicon.place_names()) \
                and len(suffix.text) == 1:
            continue  # 衢州港, 大兴机场; not "港人治港"
        if i + 1 < len(toks) and _continues(sentence, toks, heads, i):
            continue  # the name goes on: "建设工程", "中心城市", "政策资金"
        if i + 1 < len(toks) and _qualifies(sentence, toks, i, suffix):
            continue  # the head qualifies a noun: "国家战略|科技力量", "国家战略|体系"
        j = i
        while j > 0:
            prev = toks[j - 1][0]
            if end - toks[j - 1][1] > MAX_NAME:
                break
            if j >= 2 and _acting_verb(prev) and _names_institution(toks[j - 2][0]):
                break  # "研究院揭榜|国家全面创新改革": a clause, its object named on its own
            if _is_boundary(prev) and not (prev == "及" and _joins_name(toks, j - 1)) \
                    and not _inside_name(toks, j - 1, suffix) and not (
                        _NUMBER.fullmatch(prev) and toks[j][0].startswith(("周年", "届", "号", "版"))):
                break  # "发表70周年纪念大会", "3.0版": a number inside a name goes on
            j -= 1
        tags = word_tags()
        span = end - toks[j][1]
        long_action = suffix.type == "Policy" and suffix.subtype in ("Action", "Strategy") and span >= 6
        while j < i and (toks[j][0] in _GENERIC or _is_boundary(toks[j][0])
                         or (tags.get(toks[j][0]) == "v" and not long_action
                             and toks[j][0] not in lexicon.place_names())):
            j += 1
        if head_adj := _adjective_before(toks, j, suffix.text):
            j = head_adj
        while j < i and j > 0 and toks[j - 1][0][-1:].isdigit() and _UNIT_WORD.match(toks[j][0]):
            j += 1  # "3家|县级…", "220|千伏|…": the unit of a number
        if j > i:
            continue
        words = words_at[j:i + 1]
        if j > 0 and toks[j - 1][0][-1:].isdigit() and len(words[0]) > 1 and _UNIT_WORD.match(words[0][0]):
            words[0] = words[0][1:]  # "1000|个省…": the unit fused into the next word
        name = "".join(words)
        head = suffix.text
        if name == head and len(head) >= 5 and suffix.subtype == "DevelopmentZone":
            yield Mention(name, suffix.type, index, end - len(name), end, suffix.subtype)
            continue  # 自贸试验区, 综合保税区: the kind named alone is the national scheme
        if "等" in name[:-len(head)] or (j > 0 and toks[j - 1][0] == "等"):
            if suffix.type != "Industry":
                continue  # "A、B等|城市消费功能街区": the kind of the things listed, not a name
            name = name[name.rfind("等", 0, len(name) - len(head)) + 1:]  # an industry's kind is one
            words = segment(name)
        cut = name if "的" in name else _strip_governing(name, long_action)
        if cut != name:
            words = segment(cut)
            name = cut
        head = suffix.text
        if len(name) < len(head) + 1 or len(name) < 3:
            continue
        rest = words[:-1] if words[-1] == w else words
        typ, subtype = suffix.type, suffix.subtype
        if _generic_phrase(tuple(rest) or ((w[:-len(head)],) if len(w) > len(head) else ()), head):
            continue  # "新兴产业", "重要产业链", "上市公司": a kind of thing, not a name
        if head in _WORKS_ON and rest and (thing := _suffix_of(rest[-1])) and thing.type in ("Institution", "Project") \
                and thing.needs == "any":
            name, typ, subtype, end = name[:-len(head)], thing.type, thing.subtype, end - len(head)
            rest, head = rest[:-1], thing.text  # "纪念馆|改造": the work is on a thing, the thing is named
        if head == "工程" and not name.endswith("重大工程") and not _construction_nearby(sentence):
            typ, subtype = "Policy", ""  # a programme (融资畅通工程), unless the sentence builds it
        if typ == "Policy":
            if len(name) < max(_POLICY_MIN, _MIN_BY_HEAD.get(head, 0)) or not rest or (all(
                    x in lexicon.generic_modifiers() for x in rest) and not _national_name(rest, head)):
                continue
        elif not rest and word_tags().get(w) in ("nt", "nz", "ns", "j"):
            pass  # the dictionary knows the whole name as a proper noun: 世界贸易组织
        elif (head in _WEAK or w in _WEAK) and not _looks_proper(tuple(rest)) and not name.endswith(_NATIONAL_HEADS) and not any(
                len(x) >= 2 and (sx := _suffix_of(x)) and sx.type == suffix.type and x not in _WEAK for x in rest):
            continue  # a generic phrase; but a compound of head words names a thing (高铁新城, 快速环线建设工程)
        if _COUNTED_NAME.match(name) or "思想" in name:
            continue  # "十项重大工程": a count of things; "…思想科学指引": a formula, not a name
        tail = toks[i + 1][0] if i + 1 < len(toks) and toks[i + 1][0] in _TAILS.get(head, ()) else ""
        yield Mention(name + tail, typ, index, end - len(name), end + len(tail), subtype)
        if name == "".join(words_at[j:i + 1]) and _shares_head(name, head, typ) and (
                suffix.subtype in ("IndustryChain", "IndustryCluster") or suffix.type != "Industry"):
            yield from _shared_head(toks, j, w if w == head else head, suffix, index)


# Nouns that follow a policy's name and are about it, not a longer name: "…促进法|草案", "…改革|任务".
_OF_NAME = {"草案", "任务", "工作", "目标", "要求", "部署"}
# Words a name goes on with after its head: "…一体化改革创新", "…金融机构改革化险", "…双控制度体系".
_TAILS = {"改革": ("创新", "化险"), "制度": ("体系",), "机制": ("体系",), "政策": ("体系",)}
# A size or rank said of a kind: "千亿级|产业链", "首条|…".
_SCALE = re.compile(r"^(?:首[条个批家座]|[十百千万]+亿?级?|级)$")
# Heads that name work done on a thing: the thing named before them is the entity.
_WORKS_ON = {"改造", "改造提升", "提升改造"}
_KIND_WORDS = {"国家", "城市"}
_CLASS_NOUNS = {"行业", "领域", "环节", "方面", "部门", "地区", "门类"}
_COUNTED_SET = re.compile(r"^[一二三四五六七八九十两]+大$")


def _national_name(modifiers: list[str], head: str) -> bool:
    """Tell a national strategy's name made of common words ("国家|文化|数字化|战略") from a phrase."""
    tags = word_tags()
    return head == "战略" and len(modifiers) >= 2 and modifiers[0] == "国家" and not any(
        x in _GENERIC or x in _KIND_WORDS or tags.get(x, "")[:1] == "v" for x in modifiers[1:])


def _shares_head(name: str, head: str, typ: str) -> bool:
    """Tell whether the items listed before a name take its head word: "新材料、新能源|产业链".

    A long name shares its head only when the head is a plain kind ("…劲仔食品、月饼小镇文商旅综合体|项目");
    "农光互补、铁光互补地面复合型光伏|电站" lists kinds of the one power station.
    """
    return len(name) - len(head) <= 6 or (head in _WEAK and typ != "Policy")


@lru_cache(maxsize=65536)
def _generic_phrase(modifiers: tuple[str, ...], head: str) -> bool:
    """Tell whether the words before a head word only qualify it ("重要|产业链", "创新链|产业链").

    A long run of such words before a specific head names a thing ("科创金融改革|试验区").
    Cached: the same phrases come back in report after report.
    """
    if modifiers and (modifiers[0][-2:] in _CLASS_NOUNS or modifiers[-1][-2:] in _CLASS_NOUNS):
        return True  # "(重点)行业超低排放改造", "关键环节改革": said of a whole class of things
    if "相关" in modifiers:
        return True  # "商品房相关基础性制度": the rules about a thing
    if not modifiers or any(x in _KIND_WORDS or _COUNTED_SET.match(x) for x in modifiers):
        return False  # 国家实验室, 城市展览馆, 六大标志性产业链: the national one, a counted set
    if modifiers[-1] == "链":
        return True
    if not all(_generic_word(x) for x in modifiers):
        return False  # most phrases hold a word that names: no need to weigh their length
    short = sum(len(x) for x in modifiers if not _SCALE.match(x)) <= 4
    return short or (head in _WEAK and _suffix_of(head).type != "Policy")  # (科技体制综合改革|实施方案 is a name)


@lru_cache(maxsize=65536)
def _generic_word(word: str) -> bool:
    """Tell a word that only qualifies ("重点", "公共服务" = 公共 + 服务) from one that names."""
    generic = lexicon.generic_modifiers()
    return word in generic or word in _GENERIC or bool(_SCALE.match(word)) or (
        len(word) == 4 and word[:2] in generic and word[2:] in generic)


def _shared_head(toks: list[tuple[str, int, int]], j: int, head: str, suffix: lexicon.Suffix,
                 index: int) -> Iterator[Mention]:
    """Give a head word to the items listed before it: "新材料、新能源产业链" → 新能源产业链 and 新材料产业链."""
    k = j
    while k >= 2 and toks[k - 1][0] == "、":
        item_end = k - 1
        item_start = item_end
        while item_start > 0 and not _is_boundary(toks[item_start - 1][0]) and toks[item_end - 1][2] - toks[item_start - 1][1] <= 8:
            item_start -= 1
        if item_start == item_end:
            return
        item = "".join(t[0] for t in toks[item_start:item_end])
        if _suffix_of(item) or len(item) < 2 or item.endswith(tuple(_WEAK)) or head in item:
            return  # a name with its own head ("甬金衢上高速、杭淳开高速")
        yield Mention(item + head, suffix.type, index, toks[item_start][1], toks[item_end - 1][2], suffix.subtype)
        k = item_start


# "…保护重大工程", "国家科技重大专项": the standing form of a national programme's name.
_NATIONAL_HEADS = ("重大工程", "重大专项")
_COORDINATORS = ("和", "及", "与")


def _inside_name(toks: list[tuple[str, int, int]], k: int, suffix: lexicon.Suffix) -> bool:
    """Tell a function word inside a name from one that ends it on the left.

    Inside: verbs joined in the name of a work ("生态系统保护|和|修复重大工程"; in a policy's
    name they are mostly two policies, "提质增效和扩大改革") and an adverb between a noun and its
    verb ("空气质量|持续|改善行动计划"); a governing "持续推进" at the front is stripped later.
    """
    if k < 1 or k + 1 >= len(toks):
        return False
    tags = word_tags()
    word = toks[k][0]
    if word not in _COORDINATORS and tags.get(word) not in ("d", "vd"):
        return False  # most words that end a name are neither: no need to look at their neighbours
    before, after = tags.get(toks[k - 1][0], ""), tags.get(toks[k + 1][0], "")
    if word in _COORDINATORS:
        return before == "v" and after == "v" and suffix.type == "Project"
    return tags.get(word) in ("d", "vd") and after == "v" and before[:1] == "n" and not _is_boundary(toks[k - 1][0])


def _joins_name(toks: list[tuple[str, int, int]], k: int) -> bool:
    """Tell "A及B" inside one name ("合成树脂及特种单体中试平台") from a list of two names."""
    if k == 0:
        return False
    left = toks[k - 1][0]
    return not _is_boundary(left) and not _suffix_of(left) and len(left) >= 2


# A word's text, start and end offsets, as keys (itemgetter runs in C, a def would not).
_word = itemgetter(0)
_start = itemgetter(1)
_end = itemgetter(2)


def _tokens_from(toks: list[tuple[str, int, int]], pos: int, limit: int) -> list[tuple[str, int, int]]:
    """The sentence's words from `pos` on, within `limit` characters.

    Words are in order, so they are a run found by bisection on starts and ends.
    """
    lo = bisect_left(toks, pos, key=_start)
    return toks[lo:max(lo, bisect_right(toks, pos + limit, key=_end))]


def _tokens_before(toks: list[tuple[str, int, int]], pos: int, limit: int) -> list[tuple[str, int, int]]:
    """The sentence's words ending by `pos`, within `limit` characters."""
    lo = bisect_left(toks, pos - limit, key=_start)
    return toks[lo:max(lo, bisect_right(toks, pos, key=_end))]


def _quoted_mentions(sentence: str, index: int, toks: list[tuple[str, int, int]]) -> Iterator[Mention]:
    if not _has_quote(sentence):
        return
    for m in _QUOTED.finditer(sentence):
        inner = (m.group(1) or m.group(2) or "").strip()
        if not inner or any(c in inner for c in "，。；"):
            continue
        start, end = m.start(), m.end()
        # the head word after the quote, possibly after one linking word ("建设行动")
        after = _tokens_from(toks, end, 12)
        head = ""
        typ, subtype = "", ""
        for k in range(min(4, len(after))):
            cand = "".join(t[0] for t in after[:k + 1])
            suffix = _suffix_of(cand)
            if k >= 2 and (suffix is None or suffix.type != "Event"):
                continue  # only an event's head stands that far after the quote (“一带一路”国际合作高峰论坛)
            if _is_boundary(after[k][0]):
                break  # "“企业亮灯日”等平台": the quote's name ends here
            if suffix and not any(c in _PUNCT for c in cand) and (k == 0 or after[k][0].endswith(suffix.text)):
                head, typ, subtype = cand, suffix.type, suffix.subtype
                if k == 0:
                    break  # "“三北”工程攻坚战": the first head word names the thing
        if (sentence.startswith("号", end) or inner.endswith("号")) and not head:
            # a vessel or craft: “梦想”号大洋钻探船, “嫦娥六号”
            tail = "号" if sentence.startswith("号", end) else ""
            pos = end + len(tail)
            for w, w_start, w_end in toks:
                if w_start == pos and tail and not _is_boundary(w) and w_end - end <= 8 and \
                        word_tags().get(w, "n")[:1] in ("n", "j", "l", "v") and w not in lexicon.stage_verbs():
                    tail += w
                    pos = w_end
            yield Mention(sentence[start:end] + tail, "Project", index, start, end + len(tail))
            continue
        if ("、" in inner or "+" in inner or _PLAN_NAME.match(inner)) and not head:
            continue  # a slogan ("当年获批、当年验收", "1+5") or a plan period ("十四五"), not a name
        if not head and sentence.startswith(_POLICY_OBJECTS, end):
            typ = "Policy"  # "做好“双减”工作": the quoted words name the policy
        # a name may start before the quote: 体育中心“三馆”, 国家专精特新“小巨人”企业
        lead = ""
        for w, _, _ in reversed(_tokens_before(toks, start, 8)):
            if _ends_lead(w):
                break
            lead = w + lead
        lead = _strip_governing(lead) if len(lead) <= 6 else ""
        lead = "" if lead in _always_leading() else lead
        if head:
            end += len(head)
        else:
            suffix = _suffix_of(inner)
            if suffix and (len(inner) > len(suffix.text) or lead) and suffix.needs != "place":
                typ, subtype = suffix.type, suffix.subtype
        if _ONE_PER.match(inner) and not head:
            typ, subtype = "Policy", ""
        if typ == "Project" and (head or inner).endswith("工程") and not _construction_nearby(sentence):
            typ, subtype = "Policy", ""  # “夯基工程”: a programme, unless the sentence builds it
        before = sentence[max(0, start - len(lead) - 4):start - len(lead)]
        if _ends_in_designation_verb().search(before) and not head:
            typ = "Designation"
        if not typ:
            if m.group(2) is not None:
                if not lead.endswith(("剧", "电影", "节目", "晚会")):
                    continue  # a title: a play is staged (an event), a book is no entity
                typ = "Event"
            elif start - len(lead) == 0 or (not lead and before[-1:] in "，；：") or before.endswith(_POLICY_VERBS):
                typ = "Policy"
            else:
                continue
        start -= len(lead)
        yield Mention(sentence[start:end], typ, index, start, end, subtype)


# Words after a quote that make the quoted words a policy's name: "做好“双减”工作".
_POLICY_OBJECTS = ("工作", "成果", "经验", "要求", "理念", "模式")


@cache
def _always_leading() -> frozenset[str]:
    return frozenset(lexicon.leading_words().get("always", ()))


@lru_cache(maxsize=65536)
def _ends_lead(word: str) -> bool:
    """Tell whether a word before a quote is no part of the name that the quote goes on."""
    stops, ends_in_stop = _lead_stops()
    return _is_boundary(word) or word in _GENERIC or bool(_UNIT_WORD.match(word)) or word_tags().get(word) == "v" or \
        word in stops or ends_in_stop.search(word) is not None


@cache
def _lead_stops() -> tuple[frozenset[str], re.Pattern[str]]:
    """Words that end the part of a name before a quote on its left, and a test for words ending in one."""
    stops = frozenset({*lexicon.leading_words().get("always", ()), *lexicon.leading_words().get("unless-action", ()),
                       *_POLICY_VERBS, *lexicon.designation_verbs()})
    return stops, re.compile(f"(?:{alternation(x for x in stops if len(x) >= 2)})$")


@cache
def _ends_in_designation_verb() -> re.Pattern[str]:
    return re.compile(f"(?:{alternation(lexicon.designation_verbs())})$")


# A standing, not a title: "全省唯一试点", "全省第二方阵", "实现十七连冠".
_RANKING = re.compile(r"^(?:全省|全市|全国)?(?:唯一|第[一二三四五六七八九十\d]+)|^实现")


# Verbs that only name a designation when their object ends in a designation head word.
_WEAK_DESIGNATION_VERBS = {"成为", "获得", "获批", "进位至", "位列", "位居", "跃居", "创建", "争创", "申报", "通过", "重回",
                           "夺", "创成", "成功创建"}


@cache
def _designation_pattern() -> re.Pattern[str]:
    return re.compile("|".join(re.escape(v) for v in lexicon.designation_verbs()))


# Where a designation verb's object ends, and the particles and counts that open it ("获评为", "荣获3次").
_OBJECT_END = re.compile(r"[，。；：、！？]|等|第\d|国家级评估|评估|验收")
_OBJECT_LEAD = re.compile(r"^(?:了|为|到|至|得|\d+[次届]|[一二三四五六七八九十]+[次届连])+")
_CLAUSE_END = re.compile(r"[，。；：、！？]")


def _designation_mentions(sentence: str, index: int) -> Iterator[Mention]:
    for m in _designation_pattern().finditer(sentence):
        verb = m.group()
        rest = sentence[m.end():]
        stop = _OBJECT_END.search(rest)
        obj = rest[: stop.start()] if stop else rest
        obj = _OBJECT_LEAD.sub("", obj)
        bare = obj.replace("“", "").replace("”", "")
        if not (3 <= len(bare) <= 30) or bare[0].isdigit() or _RANKING.match(bare):
            continue
        if verb in _WEAK_DESIGNATION_VERBS and not bare.endswith(lexicon.designation_heads()):
            continue
        start = m.end() + rest.index(obj)
        yield Mention(obj, "Designation", index, start, start + len(obj))


def _enumeration_mentions(sentence: str, index: int) -> Iterator[Mention]:
    """Type the items of "A、B、C等X" by the category word X ("进博会、广交会等重大展会")."""
    if "等" not in sentence:
        return
    for m in re.finditer(r"等", sentence):
        after = _CLAUSE_END.split(sentence[m.end():m.end() + 10])[0]
        # the category word that comes first; between two at one place, the first in the table
        present = [(after.find(cat), typ) for cat, typ in _CATEGORIES.items() if cat in after]
        if not present:
            continue
        typ = min(present, key=lambda p: p[0])[1]
        start = max(sentence.rfind(c, 0, m.start()) for c in "，；：。") + 1
        items = sentence[start:m.start()].split("、")
        if len(items) < 2:
            continue
        pos = start
        for item in items:
            clean = _strip_governing(item)
            offset = pos + len(item) - len(clean)
            pos += len(item) + 1
            words = segment(clean.strip("“”"))
            if _ENUM_ITEM.match(clean) and not any(v in clean for v in ("是", "的")) and not all(
                    _generic_word(w) or w in _WEAK for w in words):
                yield Mention(clean, typ, index, offset, offset + len(clean))


@cache
def _national_pattern() -> re.Pattern[str]:
    return re.compile(alternation(lexicon.national_policies()))


# A head word that follows a standing policy's name belongs to it: "结构性减税降费|政策".
_POLICY_TAIL = re.compile(r"(?:政策|战略|行动|工程|计划)?")


def _national_mentions(sentence: str, index: int) -> Iterator[Mention]:
    """Standing national strategies named without quotes or head word (乡村全面振兴, 双碳)."""
    table = lexicon.national_policies()
    for m in _national_pattern().finditer(sentence):
        start = _listed_before(sentence, m.start(), m.group(), table)
        end = m.end() + len(_POLICY_TAIL.match(sentence, m.end()).group())
        yield Mention(sentence[start:end], table[m.group()], index, start, end)


def _listed_before(sentence: str, start: int, name: str, table: dict[str, str]) -> int:
    """Start a known name at the list its head is shared by: "蓝天、碧水、|净土保卫战" (each also known)."""
    for k in range(1, len(name) - 1):
        head, pos = name[k:], start
        while sentence[pos - 1:pos] == "、" and (item := next(
                (n for n in range(1, 5) if sentence[pos - 1 - n:pos - 1] + head in table), 0)):
            pos -= 1 + item
        if pos < start:
            return pos
    return start


@cache
def _phrase_industries() -> re.Pattern[str]:
    """Industry names that jieba cuts into several words ("租赁和商务服务业"), longest first."""
    return re.compile(alternation(n for n in lexicon.industry_names() if len(segment(n)) > 1))


def _lexicon_mentions(sentence: str, index: int, toks: list[tuple[str, int, int]],
                      words: list[str]) -> Iterator[Mention]:
    # a phrase is kept only from a word's start to a word's end, so its first word opens one
    # of the names: a sentence with no such word is spared the scan of every position
    phrases = [] if _phrase_openings().isdisjoint(words) else list(_phrase_industries().finditer(sentence))
    if phrases:
        starts, ends = {t[1] for t in toks}, {t[2] for t in toks}
        yield from (Mention(m.group(), "Industry", index, m.start(), m.end())
                    for m in phrases if m.start() in starts and m.end() in ends)
    known = _known_words()
    if known.keys().isdisjoint(words):
        return  # most sentences name no known word: one set test instead of a loop
    for i in [i for i, w in enumerate(words) if w in known]:
        w, start, end = toks[i]
        found = known[w]
        if i + 1 < len(toks) and _suffix_of(toks[i + 1][0]) and not _is_boundary(toks[i + 1][0]):
            continue  # a modifier of a name: 化工|园区
        name, typ, subtype = found
        yield Mention(name, typ, index, start, start + len(name), subtype)


@cache
def _phrase_openings() -> frozenset[str]:
    """Every beginning of a phrase industry's name: the word a kept phrase starts with is one of them."""
    return frozenset(n[:k] for n in lexicon.industry_names() if len(segment(n)) > 1 for k in range(1, len(n) + 1))


@cache
def _known_words() -> dict[str, tuple[str, str, str]]:
    """Return every word the gazetteer and lexicons know, with what it is known as."""
    candidates = {*lexicon.region_names(), *lexicon.place_names(), *lexicon.industry_names(), *lexicon.indicators()}
    return {w: found for w in candidates if (found := _known_word(w)) is not None}


def _known_word(word: str) -> tuple[str, str, str] | None:
    """The (name, type, subtype) a word is known as by the gazetteer and lexicons, if any."""
    if word in lexicon.region_names():
        return word, "Place", "Region"
    if word in lexicon.place_names() and len(word) >= 2:
        return word, "Place", "AdministrativeDivision"
    if word in lexicon.industry_names():
        return word, "Industry", ""
    sector = _sector_of_indicator(word)
    return (sector, "Industry", "") if sector else None


def _sector_of_indicator(word: str) -> str:
    """The industry an indicator word is measured for: "数字经济核心产业|增加值" → 数字经济核心产业."""
    if word not in lexicon.indicators():
        return ""
    industries = lexicon.industry_names()
    return next((word[:n] for n in range(len(word) - 2, 1, -1) if word[:n] in industries), "")


def find_mentions(sentence: str, index: int = 0) -> list[Mention]:
    """Return the entity mentions of one sentence, longest first where they overlap.

    >>> [(m.text, m.type) for m in find_mentions("杭衢高铁建成通车，甬金衢上高速、杭淳开高速开工建设。")]
    [('杭衢高铁', 'Project'), ('甬金衢上高速', 'Project'), ('杭淳开高速', 'Project')]
    >>> [(m.text, m.type) for m in find_mentions("深入实施科教兴国战略。")]
    [('科教兴国战略', 'Policy')]
    """
    toks = tokenize(sentence)
    words = list(map(_word, toks))
    heads = _heads(words)
    found = [*_enumeration_mentions(sentence, index), *_quoted_mentions(sentence, index, toks),
             *_designation_mentions(sentence, index), *_suffix_mentions(sentence, index, toks, words, heads),
             *_national_mentions(sentence, index),
             *_lexicon_mentions(sentence, index, toks, words)]
    out = _without_overlaps(found) if len(found) > 1 else found  # one mention overlaps nothing
    out.extend(_collective_mentions(sentence, index, out))
    if len(out) > 1:
        out.sort(key=_position)
    return out


_position = attrgetter("start", "end")


def _longest_first(m: Mention) -> tuple[int, int]:
    return m.start, m.start - m.end


def _without_overlaps(found: list[Mention]) -> list[Mention]:
    """Keep the longest of overlapping spans; a place that opens an institution's name stays too."""
    found.sort(key=_longest_first)
    out: list[Mention] = []
    for m in found:
        clash = next((o for o in out if o.start < m.end and m.start < o.end), None)
        if clash is None:
            out.append(m)
        elif m.type == "Place" and clash.type != "Place":
            if m.start == clash.start and clash.type in ("Institution", "Project", "Policy"):
                out.append(m)  # the owner place of a name: 衢州|综保区
        elif m.type == clash.type == "Industry" and m.start == clash.start and m.text in lexicon.industry_names():
            out.append(m)  # a sector that opens a longer industry name: 战略性新兴产业|融合集群
        elif m.end - m.start > clash.end - clash.start and clash.type != "Designation":
            out[out.index(clash)] = m
    return out


def _collective_mentions(sentence: str, index: int, found: list[Mention]) -> Iterator[Mention]:
    """Name a quoted collective after a list of its members: "电动汽车、锂电池、光伏产品“新三样”"."""
    if not _has_quote(sentence):
        return
    for q in _QUOTED.finditer(sentence):
        start, end = q.span()
        if any(m.start < end and start < m.end for m in found):
            continue
        items, pos = [], start
        for m in sorted((m for m in found if m.end <= start), key=lambda m: -m.end):
            if sentence[m.end:pos] not in ("", "、", "和", "及"):
                break
            items.append(m)
            pos = m.start
        types = {m.type for m in items}
        if len(items) >= 2 and len(types) == 1:
            yield Mention(q.group(), types.pop(), index, start, end)
