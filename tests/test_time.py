"""Tests for kg.extract.time: the report's year, plan periods, and each sentence's status and period."""
from __future__ import annotations

import re

import pytest

from kg.extract import time
from kg.extract.time import TimeContext, ended_plan, infer_year, plan_period, section_context, sentence_context
from kg.model import Period

YEAR = 2026
REVIEW = TimeContext("actual", Period(2025, 2025))
PLAN = TimeContext("target", Period(2026, 2026))


@pytest.mark.parametrize(("text", "year"), [
    # a review heading counts for the year after the one it reviews
    ("一、2023年工作回顾", 2024),
    ("政府工作报告\n一、2023年工作回顾\n二、2024年政府工作任务", 2024),
    ("2025年政府主要工作和“十四五”发展成就", 2026),
    # a plan heading counts for its own year
    ("2026年重点工作", 2026),
    ("二、2024年政府工作任务", 2024),
    # so does the date of the session
    ("——2024年3月5日在第十四届全国人民代表大会第二次会议上", 2024),
    ("2025年衢州市政府工作报告", 2025),
    # with no heading, the year most often reviewed, plus one
    ("2023年全市生产总值增长5%。2023年新增就业2万人。", 2024),
    ("没有任何年份的文本。", None),
])
def test_infer_year(text: str, year: int | None) -> None:
    """The delivery year is read off headings, dates and titles."""
    assert infer_year(text) == year


@pytest.mark.parametrize(("name", "period"), [
    ("十四五", Period(2021, 2025)),
    ("“十四五”期间", Period(2021, 2025)),
    ("十五五", Period(2026, 2030)),
    ("“十五五”时期的主要目标任务", Period(2026, 2030)),
    ("十三五", Period(2016, 2020)),
    ("今年", None),
])
def test_plan_period(name: str, period: Period | None) -> None:
    """Five-year plans are named by ordinal."""
    assert plan_period(name) == period


@pytest.mark.parametrize(("year", "period"), [(2026, Period(2021, 2025)), (2021, Period(2016, 2020)),
                                              (2024, Period(2019, 2023))])
def test_ended_plan(year: int, period: Period) -> None:
    """The plan that ended before a year, or else the five years up to it."""
    assert ended_plan(year) == period


@pytest.mark.parametrize(("titles", "status", "period", "span"), [
    (["2025年政府主要工作和“十四五”发展成就"], "actual", Period(2025, 2025), None),
    (["一、2025年工作回顾"], "actual", Period(2025, 2025), None),
    (["（二）产业发展", "一、过去一年工作回顾"], "actual", Period(2025, 2025), None),
    (["2026年重点工作"], "target", Period(2026, 2026), None),
    (["二、2026年政府工作任务"], "target", Period(2026, 2026), None),
    (["“十五五”时期的主要目标任务"], "target", Period(2026, 2030), Period(2026, 2030)),
    # no section, or one that says nothing about time: the year under review
    ([], "actual", Period(2025, 2025), None),
])
def test_section_context(titles: list[str], status: str, period: Period, span: Period | None) -> None:
    """A section's title sets the default status and period of its sentences."""
    assert section_context(titles, YEAR) == TimeContext(status, period, span)


@pytest.mark.parametrize(("text", "default", "status", "period", "span"), [
    # five-year reviews: the span is the plan that just ended
    ("五年来，全市生产总值年均增长6.4%", REVIEW, "actual", Period(2025, 2025), Period(2021, 2025)),
    ("过去五年，固定资产投资年均增长10.9%", PLAN, "actual", Period(2025, 2025), Period(2021, 2025)),
    ("“十四五”期间，年均增长6%", REVIEW, "actual", Period(2025, 2025), Period(2021, 2025)),
    # this year's goals are targets even in a review section
    ("今年发展主要预期目标是：增长5%左右", REVIEW, "target", Period(2026, 2026), None),
    ("今年力争新增就业2万人", REVIEW, "target", Period(2026, 2026), None),
    # an estimate is an actual value of the year under review, even in a plan section
    ("预计全年地区生产总值增长5%", PLAN, "actual", Period(2025, 2025), None),
    # …but an estimate for "今年" projects the coming year ("预计今年财政收入…"): a plan figure
    ("今年预计增长5%", PLAN, "target", Period(2026, 2026), None),
    # a horizon year
    ("到2030年，人均地区生产总值达到10万元", REVIEW, "target", Period(2030, 2030), None),
    # a single past year named in the sentence
    ("2024年全市生产总值增长5%", PLAN, "actual", Period(2024, 2024), None),
])
def test_sentence_context(text: str, default: TimeContext, status: str, period: Period,
                          span: Period | None) -> None:
    """Words in a sentence override its section's time context."""
    assert sentence_context(text, default, YEAR) == TimeContext(status, period, span)


@pytest.mark.parametrize("default", [REVIEW, PLAN])
def test_sentence_without_time_words_keeps_default(default: TimeContext) -> None:
    """A sentence that says nothing about time keeps its section's context."""
    assert sentence_context("全市生产总值增长5.5%", default, YEAR) == default


@pytest.mark.parametrize("cues", [time._SPAN_ACTUAL, time._PLAN, time._THIS_YEAR, time._ESTIMATE, time._LAST_YEAR])
def test_every_sentence_cue_passes_the_quick_test(cues: re.Pattern[str]) -> None:
    """sentence_context skips sentences without 年, 五 or 预计: each of its cue words holds one of them."""
    assert all(time._speaks_of_time(word) for word in cues.pattern.split("|"))


@pytest.mark.parametrize("years", [time._YEAR, time._BY_YEAR])
def test_every_year_cue_needs_nian(years: re.Pattern[str]) -> None:
    """A year is only a cue when 年 follows it ("2025年"), so it passes the quick test too."""
    assert years.pattern.endswith("年")
