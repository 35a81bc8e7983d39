"""Tests for kg.text.patterns: word lists as one regex that prefers the longest word."""
from __future__ import annotations

import re

from hypothesis import given, settings
from hypothesis import strategies as st

from kg.text.patterns import alternation


@settings(max_examples=200, deadline=None, database=None)
@given(st.sets(st.text("衢州市江区杭", min_size=1, max_size=4), min_size=1, max_size=8), st.text("衢州市江区杭。", max_size=30))
def test_alternation_matches_as_the_words_listed_longest_first(words: set[str], text: str) -> None:
    """The alternation finds the same names at the same places as the words listed longest first."""
    listed = re.compile("|".join(map(re.escape, sorted(words, key=len, reverse=True))))
    trie = re.compile(alternation(words))
    assert [(m.span(), m.group()) for m in trie.finditer(text)] == [(m.span(), m.group()) for m in listed.finditer(text)]
