"""Say what a report is: the year it is delivered, the region it governs, its title."""
from __future__ import annotations

import re
from collections import Counter
from functools import cache

from kg.errors import InputError
from kg.extract.time import infer_year
from kg.model import ReportInfo, Structure
from kg.text import lexicon
from kg.text.patterns import alternation

_NATIONAL = re.compile(r"我代表国务院|国务院总理|全国人民代表大会第")
_CONGRESS = re.compile(r"([\u4e00-\u9fff]{2,12}?(?:省|市|自治区|自治州|州|盟|县|区|地区))第[一二三四五六七八九十]+届人民代表大会")
_NEWS = re.compile(r"记者|本报讯|亮点|通讯员|新华社")


@cache
def _place_pattern() -> re.Pattern[str]:
    names = lexicon.place_names()
    return re.compile(alternation({n for n, p in names.items() if p.level in ("province", "city") and len(n) >= 2}))


def infer_region(text: str) -> str | None:
    """Infer the region a report governs: national, from its congress, else the commonest place.

    >>> infer_region("1月21日，衢州市第八届人民代表大会第六次会议隆重开幕")
    '衢州市'
    """
    head = text[:3000]
    if _NATIONAL.search(head):
        return "中华人民共和国"
    names = lexicon.place_names()
    m = _CONGRESS.search(head)
    if m and m.group(1) in names:
        return names[m.group(1)].name
    counts: Counter[str] = Counter(names[m.group()].name for m in _place_pattern().finditer(text))
    if counts:
        return max(sorted(counts), key=lambda k: counts[k])
    return None


def report_info(text: str, structure: Structure, year: int | None, region: str | None) -> ReportInfo:
    """Fill in the year, region, title and kind of a report, inferring what was not given."""
    y = year or infer_year(text)
    if y is None:
        raise InputError("cannot tell the report's year from its text; give it with --year")
    r = region or infer_region(text)
    if r is None:
        raise InputError("cannot tell the report's region from its text; give it with --region")
    place = lexicon.place_names().get(r)
    r = place.name if place else r
    title = structure.title or f"{r}{y}年政府工作报告"
    kind = "news" if _NEWS.search(text[:500]) else "full"
    return ReportInfo(year=y, region=r, title=title, kind=kind)
