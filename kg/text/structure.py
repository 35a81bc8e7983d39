"""Find the report's title, its sections and its sentences.

Full reports number their parts (一、… （一）…); news summaries use bare heading lines
("2026年重点工作"). Both become `Section`s, so every fact can say where in the report it
stands, and the time stage can read "工作回顾" or "重点工作" off the section it is in.
"""
from __future__ import annotations

import re

from kg.model import Section, Sentence, Structure

_LEVEL1 = re.compile(r"^[一二三四五六七八九十]+、")
_LEVEL2 = re.compile(r"^（[一二三四五六七八九十]+）")
# A bare line is a heading when it is short, unpunctuated and speaks of the report's parts.
_HEADING_WORDS = re.compile(r"工作|目标|任务|回顾|成就|要求|取向|安排|展望|建议")
_SENTENCE = re.compile(r"[^。！？]*(?:[。！？]+[”’」』）]*|$)")
MAX_HEADING = 40


def split_sentences(paragraph: str) -> list[str]:
    """Split a paragraph after 。！？ (keeping closing quotes with their sentence).

    >>> split_sentences("增长5%。“三馆”竣工投用。”后续")
    ['增长5%。', '“三馆”竣工投用。”', '后续']
    """
    return [piece for s in (m.group().strip() for m in _SENTENCE.finditer(paragraph)) if s
            for piece in _bounded(s)]


# Real sentences stay under 800 characters (the longest of 135 city reports: 791); a longer
# "sentence" is a text without full stops, and the extractors' work per sentence grows with
# its square, so it is cut after a clause mark (；，、) or, failing those, every MAX_SENTENCE.
MAX_SENTENCE = 2000
_CLAUSE_END = re.compile(r"[；，、：]")


def _bounded(sentence: str) -> list[str]:
    """Cut a sentence longer than MAX_SENTENCE into pieces no longer, after clause marks.

    >>> [len(p) for p in _bounded("甲，" * 1500)]
    [2000, 1000]
    """
    pieces = []
    while len(sentence) > MAX_SENTENCE:
        cut = max((m.end() for m in _CLAUSE_END.finditer(sentence, MAX_SENTENCE // 2, MAX_SENTENCE)), default=0)
        cut = cut or MAX_SENTENCE
        pieces.append(sentence[:cut])
        sentence = sentence[cut:]
    pieces.append(sentence)
    return pieces


def _heading_of(line: str) -> tuple[int, str] | None:
    """Return (level, title) when the line opens a section."""
    if _LEVEL1.match(line):
        return 1, split_sentences(line)[0].rstrip("。")
    if _LEVEL2.match(line):
        return 2, split_sentences(line)[0].rstrip("。")
    if len(line) <= MAX_HEADING and line[-1] not in "。！？；，：" and _HEADING_WORDS.search(line):
        return 1, line
    return None


def split_structure(text: str) -> Structure:
    """Split normalised text into title, sections and sentences.

    >>> s = split_structure("政府工作报告\\n一、2025年工作回顾\\n增长5%。稳中向好。\\n（一）产业。新增3家。")
    >>> s.title, [x.title for x in s.sections], [(x.text, x.section) for x in s.sentences][-1]
    ('政府工作报告', ['一、2025年工作回顾', '（一）产业'], ('新增3家。', 1))
    """
    lines = [line for line in text.split("\n") if line.strip()]
    # The first line is the title unless it already speaks to the audience ("各位代表：").
    title, body_from = "", 0
    if lines and len(lines[0]) <= 80 and lines[0][-1] not in "：。" and (
            "报告" in lines[0] or not _heading_of(lines[0])):
        title, body_from = lines[0], 1
        if len(lines) > 1 and lines[1].startswith("——") and len(lines[1]) <= 60:
            title, body_from = f"{title}{lines[1]}", 2
    sections: list[Section] = []
    sentences: list[Sentence] = []
    current_l1: int | None = None
    current: int | None = None
    for line in lines[body_from:]:
        heading = _heading_of(line)
        if heading:
            level, head = heading
            parent = current_l1 if level == 2 else None
            sections.append(Section(len(sections), head, level, parent))
            current = len(sections) - 1
            if level == 1:
                current_l1 = current
            body = line[len(head):].lstrip("。") if level == 2 or _LEVEL1.match(line) else ""
            if not body:
                continue
            line = line if level == 2 else body
        for sent in split_sentences(line):
            sentences.append(Sentence(len(sentences), sent, current))
    return Structure(title=title, sections=tuple(sections), sentences=tuple(sentences))
