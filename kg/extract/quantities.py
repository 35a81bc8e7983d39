"""Find the numbers a sentence states, with their unit and bound grammar.

"增长5.5—6%" is a range, "3%以上" a lower bound, "5%以内" an upper bound, "6%左右" a value
with a qualifier, "近30%" / "超过2.2万亿元" / "6600多万" approximations read as values. Years,
dates, ordinals of meetings and model numbers (PM2.5, C919, 5G) are not quantities.
"""
from __future__ import annotations

import re
from decimal import Decimal

from kg.model import Quantity

_NUM = r"\d+(?:,\d{3})*(?:\.\d+)?"
_MAG = r"(?:万亿|千亿|百亿|亿|千万|百万|十万|万|千)"
# Units as reports write them; longer first so that 万千瓦 wins over 万.
_NOUNS = (
    "个百分点|百分点|千瓦时|万千瓦|千瓦|兆瓦|吉瓦|标准箱|标箱|吨标准煤|吨标煤|标准煤|标煤|立方米|平方米|平方公里|公顷|"
    "微克/立方米|分/千瓦时|元/人|元/月|元/吨|公里|千米|延米|米|亿元|美元|欧元|元|人次|人|户|吨|斤|公斤|亩|"
    "辆|台|艘|架|套|间|栋|幢|个|家|项|条|座|所|场|件|部|名|位|岁|次|批|宗|处|张|支|款|只|头|株|册|篇|例|起|"
    "倍|天|小时|分钟|届|期|轮|片|块|道|层|床|张|枚|颗|棵|台套"
)
# A bare magnitude (6600多万) is a unit only for 万, 亿 and 万亿: "220千伏" is a rating.
_UNIT = rf"(?:%|‰|{_MAG}?(?:{_NOUNS})|万亿|亿|万)"
_PRE = r"(?P<pre>近|约|超过|超|逾|突破|不低于|不少于|不超过|不高于|高于|低于|大于|小于)?"
_RANGE_SEP = r"[—\-–~～至到]"
_QUANTITY = re.compile(
    rf"{_PRE}(?P<a>{_NUM})(?P<more>多)?(?P<ua>{_UNIT})?"
    rf"(?:{_RANGE_SEP}(?P<b>{_NUM})(?P<ub>{_UNIT}))?"
    rf"(?(ub)|(?P<more2>多)?)"
    r"(?P<post>以上|以内|以下|左右|上下|之内)?"
)
_DIGIT = re.compile(r"\d")
_YEAR_UNIT = re.compile(r"(?:年|月|日|号|届|期|轮|次会议)")
_LOWER = {"以上", "不低于", "不少于", "高于", "大于"}
_UPPER = {"以内", "以下", "之内", "不超过", "不高于", "低于", "小于"}
_APPROX = {"近", "约", "超过", "超", "逾", "突破", "左右", "上下", "多"}


def _dec(text: str) -> Decimal:
    return Decimal(text.replace(",", ""))


def _excluded(sentence: str, start: int, end: int, unit: str) -> bool:
    """Tell numbers that are names, dates or ordinals from quantities."""
    before = sentence[max(0, start - 1):start]
    after = sentence[end:end + 1]
    if before == "第":
        return unit not in ("位", "名")  # 第49位 is a rank, 第十四届 / 第3次 are ordinals
    if before and (before.isascii() and before.isalnum() or before in ".+"):
        return True  # PM2.5, C919, 4+1
    if after and after.isascii() and after.isalpha():
        return True  # 5G, 3D
    if not unit:
        return True
    return False


def find_quantities(sentence: str) -> list[Quantity]:
    """Return every quantity in a sentence, in order.

    >>> [(str(q.value), q.unit) for q in find_quantities("全市生产总值达到2125.2亿元、增长6.8%")]
    [('2125.2', '亿元'), ('6.8', '%')]
    >>> q = find_quantities("全市生产总值增长5.5—6%")[0]; (str(q.minimum), str(q.maximum), q.unit)
    ('5.5', '6', '%')
    >>> q = find_quantities("固定资产投资增长3%以上")[0]; (q.value, str(q.minimum), q.qualifier)
    (None, '3', '以上')
    >>> q = find_quantities("城镇调查失业率5%以内")[0]; (str(q.maximum), q.qualifier)
    ('5', '以内')
    >>> [(str(q.value), q.unit, q.qualifier) for q in find_quantities("惠及6600多万纳税人，近30%")]
    [('6600', '万', '多'), ('30', '%', '近')]
    >>> find_quantities("2025年1月21日，PM2.5浓度、5G基站、第十四届")
    []
    """
    out: list[Quantity] = []
    if not _DIGIT.search(sentence):
        return out  # no number here: spare _QUANTITY, which tries every position
    for m in _QUANTITY.finditer(sentence):
        a, b = m.group("a"), m.group("b")
        unit = m.group("ub") or m.group("ua") or ""
        start = m.start("a") if not m.group("pre") else m.start()
        if _excluded(sentence, m.start("a"), m.end(), unit):
            continue
        if not m.group("ua") and not b and _YEAR_UNIT.match(sentence, m.end("a")):
            continue
        pre, post = m.group("pre") or "", m.group("post") or ""
        more = "多" if (m.group("more") or m.group("more2")) else ""
        if b:
            low, high = sorted((_dec(a), _dec(b)))  # "3—0%" is the range 0 to 3 (SHACL: min ≤ max)
            q = Quantity(start, m.end(), unit, minimum=low, maximum=high, qualifier=post)
        elif pre in _LOWER or post in _LOWER:
            q = Quantity(start, m.end(), unit, minimum=_dec(a), qualifier=pre or post)
        elif pre in _UPPER or post in _UPPER:
            q = Quantity(start, m.end(), unit, maximum=_dec(a), qualifier=pre or post)
        else:
            qualifier = "".join(x for x in (pre, more, post) if x in _APPROX)
            q = Quantity(start, m.end(), unit, value=_dec(a), qualifier=qualifier)
        out.append(q)
    return out
