"""Read a report saved as a Word document (.docx): its paragraphs and tables, in order.

python-docx reads the document body (headers, footers, footnotes and comments are not the
report). A table row becomes one sentence, its cells joined by "，", so that a row such as
"地区生产总值 | 增长5.5%左右" reads like the sentence a report would write; merged cells,
which python-docx repeats once per grid column, count once. A nested table follows the row that holds it.
"""
from __future__ import annotations

import io
import zipfile
from collections.abc import Iterable, Iterator
from typing import Any

from kg.errors import InputError
from kg.text.read import Decoded

# python-docx unpacks the whole XML into memory: refuse archives that would unpack past this
# many times the size limit of a report (a "zip bomb" of a few KB can claim gigabytes).
_UNPACK_FACTOR = 20
_TERMINAL = "。！？；：…"


def table_row(cells: Iterable[str]) -> str:
    """Return one table row as a sentence: cells joined by "，", repeated cells once.

    >>> table_row(["地区生产总值", "地区生产总值", " 增长5.5%左右 ", ""])
    '地区生产总值，增长5.5%左右。'
    >>> table_row(["一、", "已完成。"])
    '一、已完成。'
    """
    parts: list[str] = []
    for cell in cells:
        cell = " ".join(cell.split())
        if cell and (not parts or parts[-1] != cell):
            parts.append(cell)
    if not parts:
        return ""
    out = parts[0]
    for part in parts[1:]:
        out += part if out[-1] in _TERMINAL + "、，" else "，" + part
    return out if out[-1] in _TERMINAL else out + "。"


def check_zip(data: bytes, name: str, max_bytes: int) -> zipfile.ZipFile:
    """Open a .docx as a zip, refusing what is not a Word document or would unpack too far."""
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        names = set(archive.namelist())
    except (zipfile.BadZipFile, OSError, ValueError):
        raise InputError(f"{name}: a damaged ZIP/Word file (cannot open it); re-save it as .docx") from None
    if "word/document.xml" not in names:
        kind = ("an Excel workbook" if any(n.startswith("xl/") for n in names)
                else "a PowerPoint file" if any(n.startswith("ppt/") for n in names) else "a ZIP archive")
        raise InputError(f"{name}: {kind}, not a Word document; give the report as .docx, PDF, HTML or text")
    unpacked = sum(i.file_size for i in archive.infolist())
    if unpacked > _UNPACK_FACTOR * max_bytes:
        raise InputError(f"{name}: unpacks to {unpacked // 2**20} MB, more than a report can hold; refused")
    return archive


def docx_to_text(data: bytes, name: str, max_bytes: int) -> Decoded:
    """Return the text of a .docx: one paragraph a line, one table row a line."""
    import docx
    from docx.opc.exceptions import PackageNotFoundError

    check_zip(data, name, max_bytes)
    try:
        document = docx.Document(io.BytesIO(data))
        lines = list(_lines(document.iter_inner_content()))
    except (PackageNotFoundError, KeyError, ValueError, zipfile.BadZipFile) as exc:
        raise InputError(f"{name}: cannot read the Word document ({type(exc).__name__}); re-save it as .docx") from None
    except Exception as exc:  # lxml's XMLSyntaxError and other parser errors of a damaged file
        raise InputError(f"{name}: cannot read the Word document ({type(exc).__name__}); re-save it as .docx") from None
    text = "\n".join(line for line in lines if line.strip())
    if not text.strip():
        raise InputError(f"{name}: the Word document holds no text")
    return Decoded(text, "docx")


def _lines(blocks: Iterable[Any]) -> Iterator[str]:
    from docx.table import Table

    for block in blocks:
        if isinstance(block, Table):
            for row in block.rows:
                cells = row.cells
                yield table_row(cell.text for cell in cells)
                # a merged cell appears once per grid column; its element (_tc) is the same
                for cell in {id(c._tc): c for c in cells}.values():
                    yield from _lines(cell.tables)
        else:
            yield block.text
