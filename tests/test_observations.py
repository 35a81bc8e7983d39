"""Tests for kg.extract.observations: indicator, measure, value, status and period of each number."""
from __future__ import annotations

from decimal import Decimal

import pytest

from kg.extract.observations import canonical_indicator, find_observations
from kg.extract.time import TimeContext
from kg.model import Observation, Period

YEAR = 2026
ACTUAL = TimeContext("actual", Period(2025, 2025))
TARGET = TimeContext("target", Period(2026, 2026))
FIVE_YEARS = TimeContext("actual", Period(2025, 2025), Period(2021, 2025))


def _num(d: Decimal | None) -> str | None:
    return None if d is None else str(d)


def _row(o: Observation) -> tuple[str, str | None, str | None, str | None, str, str]:
    """An observation as (indicator, value, min, max, unit, measure)."""
    return o.indicator, _num(o.value), _num(o.minimum), _num(o.maximum), o.unit, o.measure


def _find(sentence: str, ctx: TimeContext = ACTUAL, subjects: tuple[str, ...] = ()) -> list[Observation]:
    return find_observations(sentence, 7, ctx, YEAR, subjects)


CASES = [
    # growth and level
    ("全市生产总值增长5.5%。", ACTUAL,
     [("地区生产总值", "5.5", None, None, "%", "Growth")]),
    ("一般公共预算收入达到216.1亿元。", ACTUAL,
     [("一般公共预算收入", "216.1", None, None, "亿元", "Level")]),
    ("全市生产总值达到2125.2亿元。", ACTUAL,
     [("地区生产总值", "2125.2", None, None, "亿元", "Level")]),
    # a number with nothing before it continues the indicator before it
    ("全市生产总值达到2125.2亿元、增长6.8%。", ACTUAL,
     [("地区生产总值", "2125.2", None, None, "亿元", "Level"),
      ("地区生产总值", "6.8", None, None, "%", "Growth")]),
    # 分别 pairs a list of indicators with a list of numbers
    ("城乡居民人均可支配收入分别增长4.9%、5%。", ACTUAL,
     [("城镇居民人均可支配收入", "4.9", None, None, "%", "Growth"),
      ("农村居民人均可支配收入", "5", None, None, "%", "Growth")]),
    ("电信网络诈骗案件受理数、案损数分别下降15.7%、34.4%。", ACTUAL,
     [("电信网络诈骗案件受理数", "-15.7", None, None, "%", "Growth"),
      ("案损数", "-34.4", None, None, "%", "Growth")]),
    # declines are negative growth; a level reached by falling is not
    ("工业用电量下降15.7%。", ACTUAL,
     [(None, "-15.7", None, None, "%", "Growth")]),
    ("单位生产总值能耗降低3.2%。", ACTUAL,
     [(None, "-3.2", None, None, "%", "Growth")]),
    ("银行业不良贷款率降至0.75%。", ACTUAL,
     [(None, "0.75", None, None, "%", "Level")]),
    # percentage points are a change
    ("城镇调查失业率下降0.3个百分点。", ACTUAL,
     [("城镇调查失业率", "-0.3", None, None, "个百分点", "Change")]),
    ("研发经费投入强度提高0.2个百分点。", ACTUAL,
     [(None, "0.2", None, None, "个百分点", "Change")]),
    # ranks
    ("我市进位至全国城市创新能力百强榜第49位。", ACTUAL,
     [(None, "49", None, None, "位", "Rank")]),
    # counts
    ("新增国家专精特新企业9家。", ACTUAL,
     [(None, "9", None, None, "家", "Count")]),
    # target ranges and bounds
    ("全市生产总值增长5.5—6%。", TARGET,
     [("地区生产总值", None, "5.5", "6", "%", "Growth")]),
    ("固定资产投资增长3%以上。", TARGET,
     [("固定资产投资", None, "3", None, "%", "Growth")]),
    ("城镇调查失业率5%以内。", TARGET,
     [("城镇调查失业率", None, None, "5", "%", "Level")]),
    ("规上工业增加值增长6%左右。", TARGET,
     [("规模以上工业增加值", "6", None, None, "%", "Growth")]),
    # a number that modifies a noun is not a statement: only the count is
    ("县域10亿元以上农业产业链达到13条。", ACTUAL,
     [(None, "13", None, None, "条", "Count")]),
    # a number inside a quoted name is not a statement
    ("出台“民营经济42条”。", ACTUAL, []),
    ("深入实施“民营经济32条”，新增市场主体2万户。", ACTUAL,
     [(None, "2", None, None, "万户", "Count")]),
]


@pytest.mark.parametrize(("sentence", "ctx", "expected"), CASES)
def test_find_observations(sentence: str, ctx: TimeContext,
                           expected: list[tuple[str | None, ...]]) -> None:
    """Each sentence gives these observations (an indicator of None is not pinned)."""
    found = [_row(o) for o in _find(sentence, ctx)]
    assert len(found) == len(expected), found
    for got, want in zip(found, expected):
        if want[0] is None:
            got = (None, *got[1:])
        assert got == want


@pytest.mark.parametrize("ctx", [ACTUAL, TARGET])
def test_status_and_period_follow_the_context(ctx: TimeContext) -> None:
    """Status and period come from the time context, sentence index from the caller."""
    (o,) = _find("全市生产总值增长5.5%。", ctx)
    assert (o.status, o.period, o.sentence) == (ctx.status, ctx.period, 7)


def test_average_growth_takes_the_span() -> None:
    """年均增长 under a multi-year span is an AverageGrowth over the span."""
    (o,) = _find("五年来，全市生产总值年均增长6.4%。", FIVE_YEARS)
    assert _row(o) == ("地区生产总值", "6.4", None, None, "%", "AverageGrowth")
    assert o.period == Period(2021, 2025)


def test_level_under_a_span_is_for_the_last_year() -> None:
    """A level stated in a five-year review is the value of the span's last year."""
    obs = _find("一般公共预算收入达到216.1亿元、年均增长8.9%。", FIVE_YEARS)
    assert [(o.measure, o.period) for o in obs] == [
        ("Level", Period(2025, 2025)), ("AverageGrowth", Period(2021, 2025))]


@pytest.mark.parametrize(("ctx", "before"), [(FIVE_YEARS, Period(2020, 2020)), (ACTUAL, Period(2024, 2024))])
def test_from_to(ctx: TimeContext, before: Period) -> None:
    """由X提高到Y: X is the level before the span (or the year before), Y the level now."""
    obs = _find("人均预期寿命由80.2岁提高到82.3岁。", ctx)
    assert [(o.indicator, _num(o.value), o.unit, o.measure, o.period) for o in obs] == [
        ("人均预期寿命", "80.2", "岁", "Level", before),
        ("人均预期寿命", "82.3", "岁", "Level", ctx.period),
    ]


def test_stretch_target() -> None:
    """"增长5.5%、力争6%以上": a value, then a committed lower bound for the same indicator."""
    first, second = _find("全市生产总值增长5.5%、力争6%以上。", TARGET)
    assert _row(first) == ("地区生产总值", "5.5", None, None, "%", "Growth")
    assert first.commitment == ""
    assert _row(second) == ("地区生产总值", None, "6", None, "%", "Growth")
    assert second.commitment == "力争"
    assert second.status == "target"


@pytest.mark.parametrize(("sentence", "qualifier"), [
    ("规上工业增加值增长6%左右。", "左右"),
    ("固定资产投资增长3%以上。", "以上"),
    ("城镇调查失业率5%以内。", "以内"),
])
def test_qualifier_is_kept(sentence: str, qualifier: str) -> None:
    """The bound or approximation word travels with the observation."""
    (o,) = _find(sentence, TARGET)
    assert o.qualifier == qualifier


def test_qualitative_target() -> None:
    """与经济增长同步 is a target with a description and no number."""
    obs = _find("城乡居民人均可支配收入增长与经济增长同步。", TARGET)
    assert len(obs) == 1
    (o,) = obs
    assert o.status == "target"
    assert (o.value, o.minimum, o.maximum, o.unit) == (None, None, None, "")
    assert "与经济增长同步" in o.description


def test_subject_prefix() -> None:
    """An indicator phrase that opens with an entity's name is about that entity."""
    (o,) = _find("衢州港货物吞吐量突破1000万吨。", subjects=("衢州港",))
    assert (o.subject, o.indicator, _num(o.value), o.unit) == ("衢州港", "货物吞吐量", "1000", "万吨")


def test_no_subject_without_entity() -> None:
    """Without entity names the observation is about the report's region (subject None)."""
    (o,) = _find("全市生产总值增长5.5%。")
    assert o.subject is None


@pytest.mark.parametrize(("phrase", "name"), [
    ("全市生产总值", "地区生产总值"),
    ("地区生产总值", "地区生产总值"),
    ("规上工业增加值", "规模以上工业增加值"),
    ("全市规上工业增加值", "规模以上工业增加值"),
    ("社零", "社会消费品零售总额"),
    ("GDP", "国内生产总值"),
    # a non-region prefix makes another indicator; unknown phrases stay as they are
    ("脱贫地区农村居民人均可支配收入", "脱贫地区农村居民人均可支配收入"),
    ("电信网络诈骗案件受理数", "电信网络诈骗案件受理数"),
])
def test_canonical_indicator(phrase: str, name: str) -> None:
    """Indicator phrases map to their standard names only through region words and aliases."""
    assert canonical_indicator(phrase) == name


def test_sentence_without_numbers() -> None:
    """No number, no observation."""
    assert _find("牢牢把握经济建设这一中心工作。") == []
