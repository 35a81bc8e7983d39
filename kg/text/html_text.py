"""Read a report saved as a web page: its article text, without navigation, scripts or footers.

The article is found by trafilatura (maintained, and the best-scoring open-source extractor in
published main-text benchmarks), in its recall-favouring mode: the default mode drops list
items and bare `<div>` paragraphs, which are common on government portals, and a lost
paragraph costs an analyst more than a stray line; the portals' "发布时间…来源…字号" line
is dropped here. The page title (an `<h1>`, else
a cleaned `<title>`) becomes the first line, as in a plain-text report.

The encoding comes from a byte-order mark, then from the page's own declaration (`<meta
charset>`, `<meta http-equiv="Content-Type">`, `<?xml encoding?>`, found with lxml's HTML
parser), then from the plain-text detection of `kg.text.read`. Labels follow the WHATWG
Encoding Standard (gb2312 and gbk mean GB18030, big5 means Big5-HKSCS). A declaration that
the bytes contradict, or a Western single-byte one (Chinese portals often declare
iso-8859-1 by mistake), yields to detection.
"""
from __future__ import annotations

import codecs
import re
from email.message import Message

from kg.errors import InputError
from kg.text.docx_text import table_row
from kg.text.read import Decoded, decode_text

# WHATWG labels whose Python codec differs or is missing.
_LABELS = {
    "gb2312": "gb18030", "gbk": "gb18030", "x-gbk": "gb18030", "chinese": "gb18030", "csgb2312": "gb18030",
    "csiso58gb231280": "gb18030", "gb_2312": "gb18030", "gb_2312-80": "gb18030", "iso-ir-58": "gb18030",
    "big5": "big5hkscs", "big5-hkscs": "big5hkscs", "cn-big5": "big5hkscs", "csbig5": "big5hkscs",
    "x-x-big5": "big5hkscs", "unicode": "utf-16-le", "utf-16": "utf-16-le",
}
_TRUSTED = ("utf-8", "utf-16-le", "utf-16-be", "gb18030", "big5hkscs")
# The line of article metadata that Chinese portals print above the text
# ("发布时间：2026-01-22 来源：衢州日报 字号：[大 中 小]"): trafilatura's recall mode keeps it.
_META_FIELDS = re.compile(r"(?:发布时间|发布日期|发文日期|来源|作者|字号|字体|浏览次数|访问量|点击数|阅读量|打印本页|关闭窗口|分享到)")
_ROW = re.compile(r"^\|.*\|\s*$")
_XML_DECL = re.compile(rb"^\s*<\?xml[^>]*?encoding\s*=\s*[\"']([A-Za-z0-9._-]+)", re.I)


def declared_encoding(data: bytes) -> str | None:
    """Return the Python codec a page declares in its first 8 KB, or None.

    >>> declared_encoding(b'<html><head><meta charset="GB2312"><title>t</title>')
    'gb18030'
    >>> declared_encoding(b'<meta http-equiv="Content-Type" content="text/html; charset=utf-8">')
    'utf-8'
    """
    import lxml.html

    head = data[:8192]
    m = _XML_DECL.match(head)
    if m:
        return _codec(m.group(1).decode("ascii"))
    text = head.decode("latin-1")  # byte-preserving, enough to find ASCII markup
    try:
        root = lxml.html.document_fromstring(text)
    except Exception:  # lxml raises ParserError or ValueError on what it cannot parse
        return None
    for meta in root.iter("meta"):
        label = meta.get("charset")
        if not label and (meta.get("http-equiv") or "").lower() == "content-type":
            msg = Message()
            msg["content-type"] = meta.get("content") or ""
            label = msg.get_content_charset()
        if label:
            codec = _codec(label)
            if codec:
                return codec
    return None


def _codec(label: str) -> str | None:
    label = label.strip().lower()
    label = _LABELS.get(label, label)
    try:
        return codecs.lookup(label).name
    except LookupError:
        return None


def decode_html(data: bytes, name: str, encoding: str | None = None) -> Decoded:
    """Decode a page's bytes: forced, else BOM, else its declaration, else detection."""
    if encoding:
        return decode_text(data, name, encoding)
    if data.startswith((codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        return decode_text(data, name)
    declared = declared_encoding(data)
    if declared in _TRUSTED:
        try:
            return decode_text(data, name, declared)
        except InputError:
            pass
    try:
        return decode_text(data, name)
    except InputError:
        if declared is None or declared in _TRUSTED:
            raise
    return decode_text(data, name, declared)


def _portal_meta(line: str) -> bool:
    """Tell the metadata line of a portal page (two or more fields, short) from article text.

    >>> _portal_meta("发布时间：2026-01-22 来源：衢州日报 字号：[ 大 中 小 ]"), _portal_meta("来源：新华社")
    (True, False)
    """
    return len(line) < 160 and len(_META_FIELDS.findall(line)) >= 2


def html_to_text(data: bytes, name: str, encoding: str | None = None) -> Decoded:
    """Return the article text of a web page, its title first, one paragraph a line."""
    import logging
    import warnings

    import trafilatura

    decoded = decode_html(data, name, encoding)
    page = decoded.text.lstrip("\ufeff")
    page = re.sub(r"^\s*<\?xml[^>]*\?>", "", page)  # lxml refuses str with an encoding declaration
    log = logging.getLogger("trafilatura")
    level = log.level
    log.setLevel(logging.CRITICAL + 1)  # it logs parse trouble; ours is the one clear error below
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            doc = trafilatura.bare_extraction(
                page, with_metadata=True, include_comments=False, include_tables=True, include_images=False,
                include_links=False, include_formatting=False, deduplicate=False, favor_recall=True)
    except Exception as exc:  # trafilatura wraps lxml, which raises many types on broken pages
        raise InputError(f"{name}: cannot read the web page: {type(exc).__name__}") from None
    finally:
        log.setLevel(level)
    body = (getattr(doc, "text", None) or "").strip() if doc is not None else ""
    if not body:
        raise InputError(f"{name}: found no article text in the web page")
    title = (getattr(doc, "title", None) or "").strip()
    # trafilatura writes table rows as "| a | b |"; read them as a .docx row reads
    lines = [table_row(line.strip().strip("|").split("|")) if _ROW.match(line) else line
             for line in body.split("\n") if not _portal_meta(line)]
    body = "\n".join(lines)
    if title and lines[0].strip() != title:
        body = f"{title}\n{body}"
    return Decoded(body, decoded.encoding, decoded.warnings)
