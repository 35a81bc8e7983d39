"""Segment Chinese text into words with jieba and the project's lexicons.

jieba is wrapped here and nowhere else: a private `jieba.Tokenizer` (not the process-wide
`jieba.dt`), loaded lazily once per process, with our lexicon words added so that names and
indicators stay whole (综保区, 规上工业增加值, 衢州市).
"""
from __future__ import annotations

import logging
from functools import cache, lru_cache
from typing import TYPE_CHECKING

from kg.text import lexicon

if TYPE_CHECKING:
    import jieba

# Frequencies high enough that a lexicon word wins over jieba's own split of it.
_FREQ = 20000


@cache
def tokenizer() -> jieba.Tokenizer:
    """Return the shared tokenizer with our lexicons loaded (built on first use)."""
    import jieba

    jieba.setLogLevel(logging.WARNING)
    tok = jieba.Tokenizer()
    tok.initialize()
    words: set[str] = set(lexicon.entity_suffixes())
    words |= lexicon.industry_names() | lexicon.region_names()
    suffixes = lexicon.entity_suffixes()
    # an indicator that opens with a head word (机场旅客吞吐量) would swallow the name before it
    words |= {name for name in lexicon.indicators()
              if " " not in name and not any(name.startswith(s) for s in suffixes if len(s) >= 2)}
    words |= {name for name in lexicon.place_names() if len(name) >= 2}
    for word in sorted(words):
        tok.add_word(word, _FREQ)
    return tok


@cache
def word_tags() -> dict[str, str]:
    """Return jieba's part-of-speech tag of each dictionary word.

    Read straight from jieba's dictionary file ("word freq tag" lines): importing
    jieba.posseg would load the same table twice (≈ 1.8 s), once for its global tokenizer.
    """
    import jieba

    path = jieba.get_dict_file()
    with path if hasattr(path, "read") else open(path, "rb") as f:
        text = f.read().decode("utf-8")
    tags: dict[str, str] = {}
    for line in text.splitlines():
        parts = line.split(" ")
        if len(parts) == 3:
            tags[parts[0]] = parts[2]
    return tags


def segment(text: str) -> list[str]:
    """Cut text into words.

    >>> segment("衢州综保区实现保税进出口额25亿元")[:2]
    ['衢州', '综保区']
    """
    return list(_segment(text))


@lru_cache(maxsize=8192)
def _segment(text: str) -> tuple[str, ...]:
    # stages look at the same sentence and names more than once
    return tuple(tokenizer().lcut(text, HMM=True))
