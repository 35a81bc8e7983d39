"""Tests for kg.text.structure: title, sections (numbered or bare) and sentences."""
from __future__ import annotations

import pytest

from kg.model import Section
from kg.text.structure import split_sentences, split_structure

SENTENCES = [
    ("增长5%。稳中向好。", ["增长5%。", "稳中向好。"]),
    ("真的吗？好！是的。", ["真的吗？", "好！", "是的。"]),
    # closing quotes stay with the sentence they close
    ("“三馆”竣工投用。”后续", ["“三馆”竣工投用。”", "后续"]),
    ("他说：“要实干。”大家鼓掌。", ["他说：“要实干。”", "大家鼓掌。"]),
    # commas and semicolons do not end a sentence
    ("增长5%，达到10亿元；下降3%。", ["增长5%，达到10亿元；下降3%。"]),
    ("没有句号的尾巴", ["没有句号的尾巴"]),
    ("", []),
]


@pytest.mark.parametrize(("paragraph", "expected"), SENTENCES)
def test_split_sentences(paragraph: str, expected: list[str]) -> None:
    """Sentences end after 。！？ and any closing quotes."""
    assert split_sentences(paragraph) == expected


FULL_REPORT = "\n".join([
    "政府工作报告",
    "一、2025年工作回顾",
    "增长5%。稳中向好。",
    "（一）产业发展",
    "新增3家。",
    "（二）民生保障",
    "就业稳定。",
    "二、2026年工作安排",
    "（一）扩大内需",
    "增长6%。",
])


def test_numbered_sections_levels_and_parents() -> None:
    """一、 opens a level-1 section; （一） a level-2 section under the last level-1 one."""
    s = split_structure(FULL_REPORT)
    assert s.title == "政府工作报告"
    assert s.sections == (
        Section(0, "一、2025年工作回顾", 1, None),
        Section(1, "（一）产业发展", 2, 0),
        Section(2, "（二）民生保障", 2, 0),
        Section(3, "二、2026年工作安排", 1, None),
        Section(4, "（一）扩大内需", 2, 3),
    )


def test_sentences_carry_their_section() -> None:
    """Each sentence knows the index of the section it sits in, and indexes run in order."""
    s = split_structure(FULL_REPORT)
    assert [(x.text, x.section) for x in s.sentences] == [
        ("增长5%。", 0), ("稳中向好。", 0), ("新增3家。", 1), ("就业稳定。", 2), ("增长6%。", 4),
    ]
    assert [x.index for x in s.sentences] == list(range(len(s.sentences)))


def test_heading_with_body_on_the_same_line() -> None:
    """A level-2 heading followed by text on its line: the heading titles the section."""
    s = split_structure("政府工作报告\n一、2025年工作回顾\n（一）产业。新增3家。")
    assert [x.title for x in s.sections] == ["一、2025年工作回顾", "（一）产业"]
    assert s.sentences[-1].text == "新增3家。"
    assert s.sentences[-1].section == 1


NEWS = "\n".join([
    "全力以赴推动“十五五”开好局起好步",
    "——政府工作报告中的亮点",
    "2025年政府主要工作和“十四五”发展成就",
    "这一年，全力推动经济稳进向好。",
    "全市生产总值增长5.5%。",
    "“十五五”时期的主要目标任务",
    "到2030年，经济实力显著提升。",
    "2026年重点工作",
    "今年是开局之年。",
])


def test_bare_heading_lines_become_sections() -> None:
    """News summaries head their parts with bare lines; each becomes a level-1 section."""
    s = split_structure(NEWS)
    assert [(x.title, x.level, x.parent) for x in s.sections] == [
        ("2025年政府主要工作和“十四五”发展成就", 1, None),
        ("“十五五”时期的主要目标任务", 1, None),
        ("2026年重点工作", 1, None),
    ]
    by_text = {x.text: x.section for x in s.sentences}
    assert by_text["全市生产总值增长5.5%。"] == 0
    assert by_text["到2030年，经济实力显著提升。"] == 1
    assert by_text["今年是开局之年。"] == 2


def test_dash_subtitle_joins_the_title() -> None:
    """A "——" line right after the title is part of it."""
    s = split_structure(NEWS)
    assert s.title == "全力以赴推动“十五五”开好局起好步——政府工作报告中的亮点"


@pytest.mark.parametrize(("text", "title"), [
    ("政府工作报告\n各位代表：\n现在，我代表市人民政府作报告。", "政府工作报告"),
    ("2026年衢州市政府工作报告\n各位代表：\n现在作报告。", "2026年衢州市政府工作报告"),
    # the report opens by addressing the audience: no title line
    ("各位代表：\n现在，我代表市人民政府，向大会报告政府工作。", ""),
    # a first line that is already a sentence is not a title
    ("全市生产总值增长5.5%。\n社会消费品零售总额增长5%。", ""),
])
def test_title_detection(text: str, title: str) -> None:
    """The first line is the title unless it is an address or a sentence."""
    assert split_structure(text).title == title


def test_no_title_keeps_every_line() -> None:
    """Without a title, the first line's sentences are not lost."""
    s = split_structure("各位代表：\n现在作报告。\n2026年重点工作\n今年增长5%。")
    assert [x.text for x in s.sentences] == ["各位代表：", "现在作报告。", "今年增长5%。"]
    assert [x.section for x in s.sentences] == [None, None, 0]


def test_blank_lines_are_ignored() -> None:
    """Blank lines neither make sentences nor sections."""
    s = split_structure("政府工作报告\n\n  \n增长5%。\n\n")
    assert [x.text for x in s.sentences] == ["增长5%。"]
    assert s.sections == ()
