"""Tests for kg.extract.report: the region a report governs, found by the longest place name."""
from __future__ import annotations

import re

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from kg.extract.report import _trie, infer_region


@pytest.mark.parametrize(("text", "region"), [
    # the congress that hears the report names the region
    ("1月21日，衢州市第八届人民代表大会第六次会议隆重开幕", "衢州市"),
    # the national report speaks for the State Council
    ("我代表国务院，向大会报告政府工作", "中华人民共和国"),
    # else the place named most often, by its longest name
    ("衢州市推进共同富裕。衢州港开港。杭州湾大桥通车。", "衢州市"),
    ("没有地名的文本。", None),
])
def test_infer_region(text: str, region: str | None) -> None:
    """The region is read off the congress, the national cue or the commonest place name."""
    assert infer_region(text) == region


@settings(max_examples=200, deadline=None, database=None)
@given(st.sets(st.text("衢州市江区杭", min_size=1, max_size=4), min_size=1, max_size=8), st.text("衢州市江区杭。", max_size=30))
def test_trie_matches_as_the_longest_first_alternation(words: set[str], text: str) -> None:
    """The trie finds the same names at the same places as the words listed longest first."""
    listed = re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))
    trie = re.compile(_trie(words))
    assert [(m.span(), m.group()) for m in trie.finditer(text)] == [(m.span(), m.group()) for m in listed.finditer(text)]
