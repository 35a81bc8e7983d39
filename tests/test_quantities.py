"""Tests for kg.extract.quantities: numbers with their unit and bound grammar, and what is not one."""
from __future__ import annotations

from decimal import Decimal

import pytest

from kg.extract.quantities import find_quantities
from kg.model import Quantity


def _q(q: Quantity) -> tuple[str | None, str | None, str | None, str, str]:
    """A quantity as (value, minimum, maximum, unit, qualifier), numbers as strings."""
    s = lambda d: None if d is None else str(d)  # noqa: E731
    return s(q.value), s(q.minimum), s(q.maximum), q.unit, q.qualifier


# text → the one quantity in it: (value, minimum, maximum, unit, qualifier)
SINGLE = [
    # ranges: min and max, with the unit written once or on both sides
    ("全市生产总值增长5.5—6%", (None, "5.5", "6", "%", "")),
    ("增长5%—5.5%", (None, "5", "5.5", "%", "")),
    ("增长5.5%-6%", (None, "5.5", "6", "%", "")),
    ("增长5~6%", (None, "5", "6", "%", "")),
    ("增长5至6%", (None, "5", "6", "%", "")),
    # bounds: one side only
    ("固定资产投资增长3%以上", (None, "3", None, "%", "以上")),
    ("城镇调查失业率5%以内", (None, None, "5", "%", "以内")),
    ("居民消费价格涨幅3%以下", (None, None, "3", "%", "以下")),
    ("研发投入强度不低于3%", (None, "3", None, "%", "不低于")),
    ("单位能耗下降不少于2%", (None, "2", None, "%", "不少于")),
    ("赤字率不超过3%", (None, None, "3", "%", "不超过")),
    # approximations are values with a qualifier
    ("规上工业增加值增长6%左右", ("6", None, None, "%", "左右")),
    ("占比近30%", ("30", None, None, "%", "近")),
    ("贷款余额超过1200亿元", ("1200", None, None, "亿元", "超过")),
    ("货物吞吐量突破1000万吨", ("1000", None, None, "万吨", "突破")),
    ("惠及6600多万纳税人", ("6600", None, None, "万", "多")),
    ("惠及9000多名群众", ("9000", None, None, "名", "多")),
    # magnitudes are part of the unit, as written
    ("国内生产总值达到126万亿元", ("126", None, None, "万亿元", "")),
    ("共富搬迁2.1万人", ("2.1", None, None, "万人", "")),
    ("旅客吞吐量达到111万人次", ("111", None, None, "万人次", "")),
    ("收入超过6.6万元", ("6.6", None, None, "万元", "超过")),
    ("实现保税进出口额25亿元", ("25", None, None, "亿元", "")),
    ("达到1,200亿元", ("1200", None, None, "亿元", "")),
    ("人均预期寿命82.3岁", ("82.3", None, None, "岁", "")),
    ("不良贷款率降至0.75%", ("0.75", None, None, "%", "")),
    # measure words
    ("完成自然村整村搬迁106个", ("106", None, None, "个", "")),
    ("新增专精特新企业9家", ("9", None, None, "家", "")),
    ("10项民生实事", ("10", None, None, "项", "")),
    ("农业产业链达到13条", ("13", None, None, "条", "")),
    ("建成变电站3座", ("3", None, None, "座", "")),
    ("新建学校2所", ("2", None, None, "所", "")),
    ("承办大型赛事演出27场", ("27", None, None, "场", "")),
    # percentage points
    ("高于全省平均水平0.5个百分点", ("0.5", None, None, "个百分点", "")),
    ("失业率下降0.3个百分点", ("0.3", None, None, "个百分点", "")),
    # a rank
    ("进位至百强榜第49位", ("49", None, None, "位", "")),
]


@pytest.mark.parametrize(("text", "expected"), SINGLE)
def test_one_quantity(text: str, expected: tuple[str | None, ...]) -> None:
    """Each text holds exactly one quantity, read as expected."""
    found = find_quantities(text)
    assert [_q(q) for q in found] == [expected]


@pytest.mark.parametrize("text", [
    "2025年",
    "2026年重点工作",
    "1月21日",
    "2025年1月21日",
    "3月5日上午",
    "PM2.5浓度持续下降",
    "5G基站",
    "C919大飞机",
    "3D打印",
    "第十四届全国人民代表大会",
    "第14届全国人民代表大会",
    "市第八届人民代表大会第6次会议",
    "220千伏变电站",
    "“4+1”重要要求",
    "“十四五”时期",
])
def test_not_quantities(text: str) -> None:
    """Years, dates, ordinals, model numbers and ratings are not quantities."""
    assert find_quantities(text) == []


def test_several_quantities_in_order() -> None:
    """Quantities come in sentence order, with offsets that cover number and unit."""
    sentence = "全市生产总值达到2125.2亿元、增长6.8%，城乡居民收入分别增长4.9%、5%。"
    found = find_quantities(sentence)
    assert [(sentence[q.start:q.end], q.unit) for q in found] == [
        ("2125.2亿元", "亿元"), ("6.8%", "%"), ("4.9%", "%"), ("5%", "%"),
    ]
    assert [q.start for q in found] == sorted(q.start for q in found)


@pytest.mark.parametrize(("text", "span"), [
    ("占比近30%", "近30%"),
    ("增长3%以上", "3%以上"),
    ("增长5.5—6%", "5.5—6%"),
])
def test_span_covers_qualifiers(text: str, span: str) -> None:
    """A quantity's span takes in the words of its bound grammar."""
    (q,) = find_quantities(text)
    assert text[q.start:q.end] == span


def test_numbers_are_decimals() -> None:
    """Values are exact decimals, never floats."""
    (q,) = find_quantities("增长0.1%")
    assert isinstance(q.value, Decimal)
    assert q.value == Decimal("0.1")


def test_year_next_to_quantity() -> None:
    """A year in the same sentence is skipped, the quantity after it is kept."""
    found = find_quantities("2025年全市生产总值增长5.5%")
    assert [_q(q) for q in found] == [("5.5", None, None, "%", "")]
