"""Tests for kg.text.normalize: one form for digits and punctuation, broken lines rejoined."""
from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.text.normalize import normalize_text

CASES = [
    # full-width digits, point and percent become ASCII
    ("增长５．５％", "增长5.5%"),
    ("达到２１２５．２亿元", "达到2125.2亿元"),
    # an ASCII comma between Chinese words is Chinese punctuation; a thousands separator is kept
    ("稳住基本盘,培育增长点", "稳住基本盘，培育增长点"),
    ("达到1,200亿元", "达到1,200亿元"),
    ("增长5%,达到", "增长5%，达到"),
    # ASCII parentheses and semicolons become Chinese ones
    ("(一)着力构建产业集群", "（一）着力构建产业集群"),
    ("增长5%;下降3%", "增长5%；下降3%"),
    # circled enumerators keep their form (NFKC would make ① a plain 1)
    ("①推进产业链", "①推进产业链"),
    ("⑴推进产业链", "⑴推进产业链"),
    # line ends
    ("第一段。\r\n第二段。", "第一段。\n第二段。"),
    ("第一段。\r第二段。", "第一段。\n第二段。"),
    ("第一段。\n\n\n第二段。", "第一段。\n第二段。"),
    # spaces between Chinese characters mean nothing
    ("李　强", "李强"),
    ("推动 “十五五” 开好局", "推动“十五五”开好局"),
    # a run of spaces and tabs goes whole when Chinese stands on either side, and stays between Latin words
    ("衢州 \t 市", "衢州市"), ("PM 2.5 \t浓度", "PM 2.5浓度"), ("衢州\t PM", "衢州PM"), ("GDP  growth", "GDP  growth"),
    # a comma or colon between digits is kept, any other becomes Chinese
    ("1,2,a,", "1,2，a，"), ("a,1", "a，1"), ("12:30:a", "12:30：a"), (":1", "：1"),
    # invisible characters go
    ("\ufeff衢州\u200b市", "衢州市"),
]


@pytest.mark.parametrize(("text", "expected"), CASES)
def test_normalize_text(text: str, expected: str) -> None:
    """Character forms, punctuation and line ends take their canonical form."""
    assert normalize_text(text) == expected


BROKEN_LINES = [
    # a line that holds sentence punctuation and does not end with it goes on in the next line
    ("城镇新增就业2.8万人。长期护理保险惠及9000多名重\n\n度失能群众。",
     "城镇新增就业2.8万人。长期护理保险惠及9000多名重度失能群众。"),
    ("城镇新增就业2.8万人，长期护理保险惠及9000多名重\r\n\r\n度失能群众。",
     "城镇新增就业2.8万人，长期护理保险惠及9000多名重度失能群众。"),
    # so does a long line, even without punctuation
    ("长期护理保险制度覆盖全市并且惠及全市范围内的九千多名重度和中度失能群众以及他们的家庭成员重\n\n度失能群众。",
     "长期护理保险制度覆盖全市并且惠及全市范围内的九千多名重度和中度失能群众以及他们的家庭成员重度失能群众。"),
    # a break inside a long sentence
    ("到2030年，我市经济实力、综合竞争力显著提升，人均地区生产总值达到中等\n\n发达国家水平，差距进一步缩小。",
     "到2030年，我市经济实力、综合竞争力显著提升，人均地区生产总值达到中等发达国家水平，差距进一步缩小。"),
    # a short heading line stays its own line, before and after body text
    ("2026年重点工作\n今年是“十五五”开局之年。", "2026年重点工作\n今年是“十五五”开局之年。"),
    ("增长5%。\n\n2026年重点工作\n\n今年是开局之年。", "增长5%。\n2026年重点工作\n今年是开局之年。"),
    # a numbered heading does not swallow its first paragraph
    ("（一）着力构建产业集群，巩固实体经济根基\n全年引进项目178个。",
     "（一）着力构建产业集群，巩固实体经济根基\n全年引进项目178个。"),
    ("一、2025年工作回顾\n这一年，经济稳进向好。", "一、2025年工作回顾\n这一年，经济稳进向好。"),
]


@pytest.mark.parametrize(("text", "expected"), BROKEN_LINES)
def test_join_broken_lines(text: str, expected: str) -> None:
    """Paragraphs cut by copy-paste are rejoined; headings keep their own line."""
    assert normalize_text(text) == expected


@pytest.mark.parametrize("text", [
    "增长５．５％,达到1,200亿元(预计)。\r\n2026年重点工作\r\n①今年是开局之年。",
    "城镇新增就业2.8万人。长期护理保险惠及9000多名重\n\n度失能群众。",
    "数量1, 200个",
    "时间10: 30",
    "项目，共3\n，5个",
])
def test_normalize_is_idempotent(text: str) -> None:
    """Normalised text is a fixed point: normalising it again changes nothing."""
    once = normalize_text(text)
    assert normalize_text(once) == once


# One line of report-like characters without whitespace: the part of the input space where
# the normaliser must be idempotent.
_LINE = st.text(alphabet=st.sampled_from(list("衢州市增长达到亿元万人重点工作年５．％%1２3.。，、；（）①“”—")), max_size=60)


@settings(max_examples=200, deadline=None, database=None)
@given(_LINE)
def test_normalize_fixed_point_property(text: str) -> None:
    """normalize_text(normalize_text(x)) == normalize_text(x) on single lines."""
    once = normalize_text(text)
    assert normalize_text(once) == once


@settings(max_examples=200, deadline=None, database=None)
@given(st.text(max_size=80))
def test_normalize_output_form(text: str) -> None:
    """Whatever the input, the output has LF line ends, no blank lines and no full-width digits."""
    out = normalize_text(text)
    assert "\r" not in out
    assert "\n\n" not in out
    assert not any("０" <= c <= "９" for c in out)
