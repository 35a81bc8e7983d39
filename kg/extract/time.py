"""Resolve time: the report's year, and the status and period each sentence speaks of.

A report delivered in year Y reviews Y−1 ("这一年", "去年", "2025年工作回顾") and sets targets
for Y ("今年", "2026年重点工作"); five-year plans are named by ordinal (十四五 = 2021–2025).
The section a sentence sits in sets the default; words in the sentence override it.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass

from kg.model import Period

_PLAN_ORDINALS = {"十一五": 2006, "十二五": 2011, "十三五": 2016, "十四五": 2021, "十五五": 2026, "十六五": 2031}
_PLAN = re.compile("|".join(_PLAN_ORDINALS))

_REVIEW_HEAD = re.compile(r"回顾|成就|过去|总结|主要工作和|工作情况")
_PLAN_HEAD = re.compile(r"重点工作|工作任务|目标任务|总体要求|政策取向|预期目标|工作安排|主要任务|工作建议|工作部署|目标和")
_YEAR = re.compile(r"(?<!\d)(19[5-9]\d|20[0-9]\d)年")

_SPAN_ACTUAL = re.compile(r"过去五年|五年来|五年间|五年累计")
_LAST_YEAR = re.compile(r"过去一年|去年|上年|一年来|这一年|全年")
_THIS_YEAR = re.compile(r"今年|本年|明年")
_TARGET_CUE = re.compile(r"力争|确保|目标|预期|拟|计划|将|争取|要|到20\d\d年|今年")
_ESTIMATE = re.compile(r"预计")
_SINCE = re.compile(r"期间|时期|以来")
_BY_YEAR = re.compile(r"到(20\d\d)年")


def plan_period(name: str) -> Period | None:
    """Return the years of a five-year plan named by its ordinal.

    >>> plan_period("“十四五”期间")
    Period(start=2021, end=2025)
    """
    m = _PLAN.search(name)
    if not m:
        return None
    start = _PLAN_ORDINALS[m.group()]
    return Period(start, start + 4)


def ended_plan(year: int) -> Period:
    """Return the five-year plan that ended before `year` (or the five years up to year−1).

    >>> ended_plan(2026), ended_plan(2024)
    (Period(start=2021, end=2025), Period(start=2019, end=2023))
    """
    for start in _PLAN_ORDINALS.values():
        if start + 5 == year:
            return Period(start, start + 4)
    return Period(year - 5, year - 1)


def infer_year(text: str) -> int | None:
    """Infer the year a report is delivered from its headings, dates and title.

    Headings that review a year ("2025年工作回顾", "2025年政府主要工作") count for the next
    year; plan headings ("2026年重点工作") and dated lines ("2024年3月5日") for their own.

    >>> infer_year("政府工作报告\\n一、2023年工作回顾\\n二、2024年政府工作任务")
    2024
    """
    votes: Counter[int] = Counter()
    head = text[:3000]
    for m in re.finditer(r"(?<!\d)(20\d\d)年(\d{1,2})月(\d{1,2})日", head):
        votes[int(m.group(1))] += 3
    for line in text.split("\n"):
        if len(line) > 60:
            continue
        for m in _YEAR.finditer(line):
            y = int(m.group(1))
            rest = line[m.end():]
            if _REVIEW_HEAD.search(rest) or re.match(r"(政府)?主要工作", rest):
                votes[y + 1] += 2
            elif _PLAN_HEAD.search(rest) or "政府工作报告" in rest:
                votes[y] += 2
    m = re.search(r"(20\d\d)年政府工作报告", head)
    if m:
        votes[int(m.group(1))] += 2
    if not votes:
        years = Counter(int(y) for y in _YEAR.findall(text))
        if years:
            # a report mostly reviews the year before it is delivered
            return years.most_common(1)[0][0] + 1
        return None
    return max(sorted(votes), key=lambda y: votes[y])


@dataclass(frozen=True)
class TimeContext:
    """What a sentence's numbers default to: achieved or planned, and for when."""

    status: str
    period: Period
    span: Period | None = None  # the multi-year span in force (五年来, 十四五, 十五五)


def section_context(titles: list[str], year: int) -> TimeContext:
    """Read the default time context off the titles of the sections around a sentence.

    >>> section_context(["2025年政府主要工作和“十四五”发展成就"], 2026)
    TimeContext(status='actual', period=Period(start=2025, end=2025), span=None)
    >>> section_context(["“十五五”时期的主要目标任务"], 2026)
    TimeContext(status='target', period=Period(start=2026, end=2030), span=Period(start=2026, end=2030))
    """
    for title in titles:
        plan = plan_period(title)
        years = [int(y) for y in _YEAR.findall(title)]
        if _REVIEW_HEAD.search(title) and not _PLAN_HEAD.search(title):
            y = years[0] if years else year - 1
            return TimeContext("actual", Period(y, y))
        if plan and plan.start >= year and not years:
            return TimeContext("target", plan, plan)
        if _PLAN_HEAD.search(title) or (years and years[0] >= year):
            y = years[0] if years else year
            return TimeContext("target", Period(y, y))
    return TimeContext("actual", Period(year - 1, year - 1))


def _speaks_of_time(text: str) -> bool:
    """Tell whether any cue of sentence_context can be in the text.

    Each holds 年 (去年, 五年来, 2025年), 五 (十四五) or 预计; a cue added without them must be added here.

    >>> _speaks_of_time("全市生产总值增长5.5%"), _speaks_of_time("预计增长5%"), _speaks_of_time("“十四五”期间")
    (False, True, True)
    """
    return "年" in text or "五" in text or "预计" in text


def sentence_context(text: str, default: TimeContext, year: int) -> TimeContext:
    """Let the words of a sentence override its section's time context.

    >>> d = TimeContext("actual", Period(2025, 2025))
    >>> sentence_context("五年来，全市生产总值年均增长6.4%", d, 2026).span
    Period(start=2021, end=2025)
    >>> sentence_context("今年发展主要预期目标是：增长5%左右", d, 2026).status
    'target'
    """
    if not _speaks_of_time(text):
        return default  # nine sentences in ten: spare them the searches below
    ctx = default
    if _SPAN_ACTUAL.search(text):
        span = ended_plan(year)
        return TimeContext("actual", Period(span.end, span.end), span)
    plan = plan_period(text)
    if plan and _SINCE.search(text):
        if plan.end < year:
            return TimeContext("actual", Period(plan.end, plan.end), plan)
        if ctx.status == "target":
            return TimeContext("target", Period(plan.end, plan.end), plan)
    m = _BY_YEAR.search(text)
    if m and int(m.group(1)) >= year:
        y = int(m.group(1))
        return TimeContext("target", Period(y, y), ctx.span)
    if _THIS_YEAR.search(text) and (_TARGET_CUE.search(text) or _ESTIMATE.search(text)):
        # "预计今年…" projects the coming year: a plan figure, not a result
        return TimeContext("target", Period(year, year))
    if _ESTIMATE.search(text) or (_LAST_YEAR.search(text) and ctx.status == "actual"):
        return TimeContext("actual", Period(year - 1, year - 1), ctx.span)
    years = [int(y) for y in _YEAR.findall(text)]
    if len(set(years)) == 1:
        y = years[0]
        status = "actual" if y < year else "target"
        return TimeContext(status, Period(y, y))
    return ctx
