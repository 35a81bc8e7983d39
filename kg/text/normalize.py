"""Normalise report text: one form for digits and punctuation, sentences rejoined.

Reports arrive with full-width digits, ASCII commas between Chinese words, CRLF line ends
and lines broken in the middle of a word by copy-paste ("重\\n\\n度失能群众"). Every later
stage assumes the canonical form made here: ASCII digits, letters and %, Chinese
punctuation (，；：（）！？), one paragraph per line.
"""
from __future__ import annotations

import re
import unicodedata

# Characters NFKC would turn into plain digits or letters that are not numbers in a report:
# circled and parenthesised enumerators (①, ⑴, ㈠) keep their own form, and so does Chinese
# punctuation, which is already in its canonical form (so that normalising is idempotent).
_KEEP = re.compile(r"[\u2460-\u24ff\u2776-\u2793\u3220-\u3243\u3280-\u32b0，；：（）！？]")
_INVISIBLE = re.compile("[\ufeff\u200b\u200c\u200d\u2060\u00ad]")
_TO_CHINESE = {";": "；", "!": "！", "?": "？", "(": "（", ")": "）"}
# A comma or colon not between two digits (1,200 and 12:30 keep theirs). Written to open with
# the mark itself, so that the regex engine skips to the marks instead of trying every position.
_COMMA = re.compile(r",(?:(?<!\d,)|(?!\d))")
_COLON = re.compile(r":(?:(?<!\d:)|(?!\d))")
_TERMINAL = "。！？；：…”’」』）】"
_HEADING = re.compile(r"^(?:[一二三四五六七八九十]+、|（[一二三四五六七八九十]+）)")
_TITLE_MAX = 40
_CJK = r"\u3000-\u303f\u3400-\u9fff\uf900-\ufaff\uff00-\uffef“”‘’—…"
# A run of spaces and tabs after or before a CJK character; it opens with the space (the
# look-behind comes after it) so that the regex engine skips to spaces, as _COMMA does.
_SPACES_BY_CJK = re.compile(rf"[ \t](?:(?<=[{_CJK}][ \t])[ \t]*|[ \t]*(?=[{_CJK}]))")


def _nfkc(text: str) -> str:
    if not _KEEP.search(text):
        return unicodedata.normalize("NFKC", text)
    parts = []
    last = 0
    for m in _KEEP.finditer(text):
        parts.append(unicodedata.normalize("NFKC", text[last:m.start()]))
        parts.append(m.group())
        last = m.end()
    parts.append(unicodedata.normalize("NFKC", text[last:]))
    return "".join(parts)


def normalize_char_forms(text: str) -> str:
    """Give digits, letters and punctuation one form.

    >>> normalize_char_forms("增长５．５％,达到1,200亿元(预计)")
    '增长5.5%，达到1,200亿元（预计）'
    """
    # regexes and str.replace rather than str.translate: translate looks up every character
    text = _nfkc(_INVISIBLE.sub("", text))
    text = _COLON.sub("：", _COMMA.sub("，", text))
    for ascii_mark, chinese in _TO_CHINESE.items():
        text = text.replace(ascii_mark, chinese)
    # spaces mean nothing between Chinese characters ("李　强", "和 “十四五”")
    return _SPACES_BY_CJK.sub("", text)


def join_broken_lines(text: str) -> str:
    """Rejoin paragraphs that a line break (and blank lines) cut in the middle.

    A long line, or one that holds sentence punctuation, that does not end with it is the front part of a
    paragraph; a short line without punctuation is a heading or a title and stays alone.

    >>> join_broken_lines("城镇新增就业2.8万人。惠及9000多名重\\n\\n度失能群众。\\n2026年重点工作\\n今年是开局之年。")
    '城镇新增就业2.8万人。惠及9000多名重度失能群众。\\n2026年重点工作\\n今年是开局之年。'
    """
    out: list[str] = []
    pending = False
    for raw in text.split("\n"):
        line = raw.strip()
        if not line:
            continue
        if pending and out:
            out[-1] += line
        else:
            out.append(line)
        last = out[-1]
        pending = (
            last[-1] not in _TERMINAL
            and (len(last) > _TITLE_MAX or any(p in last for p in "，。；"))
            and not (_HEADING.match(last) and len(last) < 40)
        )
    return "\n".join(out)


def normalize_text(text: str) -> str:
    """Return the canonical form of a report's text (see the module docstring)."""
    text = text.replace("\r\n", "\n").replace("\r", "\n")
    return join_broken_lines(normalize_char_forms(text))
