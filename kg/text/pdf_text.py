"""Read a report saved as PDF: its text layer, with lines broken by the layout rejoined.

pdfminer.six reads the text layer and tells where each line sits on the page, which is what
rejoining needs: a line that reaches the right margin runs on into the next one, unless the
next is indented (a new paragraph in Chinese typesetting) ; a line that stops short ends its
paragraph (titles, headings, last lines). Page numbers alone on a line ("— 3 —") are dropped,
so a paragraph that runs over a page break is whole again. A PDF without a text layer (a
scan) is an error that says so, not an empty graph.
"""
from __future__ import annotations

import io
import re
from dataclasses import dataclass
from statistics import median

from kg.errors import InputError
from kg.text.read import Decoded, too_large

_PAGE_NUMBER = re.compile(r"^[\s\-—–－·•]*(?:第\s*)?\d{1,4}(?:\s*页)?(?:\s*/\s*\d{1,4})?[\s\-—–－·•]*$")
_CID = re.compile(r"\(cid:\d+\)")
_WORD = re.compile(r"[A-Za-z0-9]")


@dataclass(frozen=True)
class _Line:
    text: str
    x0: float
    x1: float
    size: float


def pdf_to_text(data: bytes, name: str, max_chars: int) -> Decoded:
    """Return the text of a PDF's text layer, one paragraph a line."""
    import logging
    import warnings

    from pdfminer.high_level import extract_pages
    from pdfminer.layout import LAParams
    from pdfminer.pdfdocument import PDFEncryptionError, PDFPasswordIncorrect

    log = logging.getLogger("pdfminer")
    level = log.level
    log.setLevel(logging.CRITICAL + 1)  # it logs every odd object; ours is the one clear error
    pages: list[list[_Line]] = []
    chars = 0
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")
            for page in extract_pages(io.BytesIO(data), laparams=LAParams()):
                lines = list(_page_lines(page))
                chars += sum(len(line.text) for line in lines)
                if chars > max_chars:  # stop early: the exact check is on the text's bytes
                    raise InputError(too_large(name, chars, max_chars, "its text, "))
                pages.append(lines)
    except InputError:
        raise
    except (PDFEncryptionError, PDFPasswordIncorrect):
        raise InputError(f"{name}: the PDF is encrypted; give a copy without a password") from None
    except Exception as exc:  # pdfminer raises many types (PSEOF, PDFSyntaxError, ValueError…) on broken files
        first = (str(exc).splitlines() or [""])[0][:120]
        raise InputError(f"{name}: cannot read the PDF ({type(exc).__name__}{': ' + first if first else ''})") from None
    finally:
        log.setLevel(level)
    if not pages:
        raise InputError(f"{name}: the PDF has no pages")
    notes = []
    raw = "".join(line.text for page in pages for line in page)
    unmapped = len(_CID.findall(raw))
    if unmapped:
        pages = [[_Line(_CID.sub("", ln.text), ln.x0, ln.x1, ln.size) for ln in page] for page in pages]
    if not any(line.text.strip() for page in pages for line in page):
        if unmapped:
            raise InputError(f"{name}: the PDF's fonts do not say which characters they draw (no Unicode map); "
                             "print it to a new PDF or run OCR on it (e.g. ocrmypdf --force-ocr)")
        raise InputError(f"{name}: the PDF has no text layer (a scan?); run OCR on it first "
                         "(e.g. ocrmypdf) and build the result")
    if unmapped:
        notes.append(f"{name}: dropped {unmapped} characters whose font has no Unicode map")
    empty = sum(1 for page in pages if not any(line.text.strip() for line in page))
    if empty:
        notes.append(f"{name}: {empty} of {len(pages)} pages have no text layer (scanned?) and were skipped")
    return Decoded(rejoin_lines(pages), "pdf", tuple(notes))


def _page_lines(page: object) -> list[_Line]:
    from pdfminer.layout import LTTextLine

    out: list[_Line] = []

    def walk(item: object) -> None:
        if isinstance(item, LTTextLine):
            text = item.get_text().rstrip("\n")
            if text.strip() and not _PAGE_NUMBER.match(text):
                out.append(_Line(text, item.x0, item.x1, item.height))
            return
        for child in getattr(item, "__iter__", lambda: iter(()))():
            walk(child)

    walk(page)
    return out


def rejoin_lines(pages: list[list[_Line]]) -> str:
    """Join lines that the layout broke; return one paragraph a line.

    >>> full = [_Line("　　全市生产总值增长5.5%，固定资产投资增", 72, 520, 12), _Line("长0.7%。", 72, 120, 12),
    ...         _Line("二、重点工作", 72, 150, 12), _Line("　　今年是开局之年。", 72, 200, 12)]
    >>> rejoin_lines([full])
    '全市生产总值增长5.5%，固定资产投资增长0.7%。\\n二、重点工作\\n今年是开局之年。'
    """
    paragraphs: list[str] = []
    runs_on = False
    every = [line for lines in pages for line in lines]
    if not every:
        return ""
    # the margins of the text block, from the whole document (a last page may hold no full
    # line); quantiles, so that a wide table row or a hanging number does not move them
    size = median(line.size for line in every)
    left = _quantile([line.x0 for line in every], 0.05)
    right = _quantile([line.x1 for line in every], 0.9)
    for lines in pages:
        for line in lines:
            indented = line.x0 > left + 1.5 * size or line.text[:1].isspace()
            text = line.text.strip()
            if runs_on and not indented and paragraphs:
                prev = paragraphs[-1]
                gap = " " if _WORD.match(prev[-1]) and _WORD.match(text[0]) else ""
                paragraphs[-1] = prev + gap + text
            else:
                paragraphs.append(text)
            runs_on = line.x1 >= right - 1.5 * size and line.x0 < left + 1.5 * size + (right - left) / 4
    return "\n".join(paragraphs)


def _quantile(values: list[float], q: float) -> float:
    values = sorted(values)
    return values[min(len(values) - 1, int(q * len(values)))]
