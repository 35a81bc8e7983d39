"""Read a report in whatever form a user has it: plain text, web page, Word or PDF.

`read_report` tells the form from the content first (a PDF or a Word file renamed `.txt` is
still read as one; an image, an archive or an old `.doc` gets an error naming what it is),
then from the suffix, then, for text without a suffix (standard input), from a leading
`<!DOCTYPE html>` or `<html>`. Each form has its own reader module; they import their library
only when called.
"""
from __future__ import annotations

import codecs
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from kg.errors import InputError
from kg.text.read import FILE_FACTOR, MAX_BYTES, Decoded, decode_text, read_bytes, too_large

SUFFIXES = (".txt", ".text", ".htm", ".html", ".xhtml", ".shtml", ".docx", ".pdf")
_HTML_SUFFIXES = (".htm", ".html", ".xhtml", ".shtml")
_HTML_STARTS = (b"<!doctype html", b"<html", b"<?xml")
# Signatures of files that are not reports, and what to call them in the error.
_NOT_REPORTS = (
    (b"\x89PNG\r\n\x1a\n", "a PNG image"), (b"\xff\xd8\xff", "a JPEG image"), (b"GIF87a", "a GIF image"),
    (b"GIF89a", "a GIF image"), (b"II*\x00", "a TIFF image"), (b"MM\x00*", "a TIFF image"),
    (b"\x1f\x8b", "a gzip archive"), (b"7z\xbc\xaf\x27\x1c", "a 7-Zip archive"), (b"Rar!\x1a\x07", "a RAR archive"),
    (b"BZh", "a bzip2 archive"), (b"\xfd7zXZ\x00", "an xz archive"), (b"\x7fELF", "a program (ELF)"),
    (b"{\\rtf", "an RTF document (save it as .docx)"),
    (b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1", "an old Word .doc or an encrypted Office file (save it as .docx, "
                                          "without a password)"),
)


@dataclass(frozen=True)
class Document:
    """A report's text as read, with its form, encoding and what the reader had to repair."""

    text: str
    name: str
    format: str  # "text", "html", "docx" or "pdf"
    encoding: str | None = None
    warnings: tuple[str, ...] = ()


def detect_format(data: bytes, suffix: str = "") -> str:
    """Return "text", "html", "docx" or "pdf" for a file's bytes, or raise for what is no report.

    >>> detect_format(b"%PDF-1.7 ...", ".txt")
    'pdf'
    >>> detect_format(b"  <!DOCTYPE html><html>", "")
    'html'
    >>> detect_format("衢州".encode(), ".html")
    'html'
    """
    head = data[:1024]
    if b"%PDF-" in head:
        return "pdf"
    if data.startswith(b"PK\x03\x04"):
        return "docx"
    for magic, kind in _NOT_REPORTS:
        if data.startswith(magic):
            raise InputError(f"{kind}, not a report")
    suffix = suffix.lower()
    if suffix == ".pdf":
        raise InputError("not a PDF (no %PDF header); the file is damaged or misnamed")
    if suffix == ".docx":
        raise InputError("not a Word .docx (no ZIP header); the file is damaged or misnamed")
    if suffix in _HTML_SUFFIXES:
        return "html"
    start = head
    for bom in (codecs.BOM_UTF8, codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE):
        if start.startswith(bom):
            start = start[len(bom):].replace(b"\x00", b"")
            break
    if start.lstrip().lower().startswith(_HTML_STARTS):
        return "html"
    return "text"


def read_report(source: str | Path | bytes, name: str | None = None, encoding: str | None = None,
                max_bytes: int = MAX_BYTES) -> Document:
    """Read a report from a path or from its bytes (`name` then names it in messages).

    `encoding` forces the encoding of text and web pages. `max_bytes` bounds the report's text
    (UTF-8 bytes; a plain-text file's size), and `FILE_FACTOR` times it a web page, Word file
    or PDF, so that memory stays bounded: larger inputs are refused before they are read.
    """
    if isinstance(source, bytes):
        data = source
        label = name or "<bytes>"
        if len(data) > FILE_FACTOR * max_bytes:
            raise InputError(too_large(label, len(data), FILE_FACTOR * max_bytes))
    else:
        # a text's limit is its text's; other forms carry markup, fonts and images besides
        limit = max_bytes if _head_kind(Path(source)) == "text" else FILE_FACTOR * max_bytes
        data = read_bytes(source, limit)
        label = name or str(source)
    try:
        kind = detect_format(data, Path(label).suffix)
    except InputError as exc:
        raise InputError(f"{label}: {exc}") from None
    if kind == "text" and len(data) > max_bytes:
        raise InputError(too_large(label, len(data), max_bytes))
    decoded = _read(kind, data, label, encoding, max_bytes)
    size = len(decoded.text.encode("utf-8", "surrogatepass"))
    if size > max_bytes:
        raise InputError(too_large(label, size, max_bytes, "its text, "))
    return Document(decoded.text, label, kind, decoded.encoding if kind in ("text", "html") else None,
                    decoded.warnings)


def _head_kind(path: Path) -> str:
    """Guess a file's form from its first KB, to pick its size limit before reading it all."""
    try:
        with path.open("rb") as f:
            return detect_format(f.read(1024), path.suffix)
    except (OSError, InputError):  # read_bytes names the trouble; a foreign file is refused later
        return "other"


def _read(kind: str, data: bytes, name: str, encoding: str | None, max_bytes: int) -> Decoded:
    if kind == "pdf":
        from kg.text.pdf_text import pdf_to_text

        return pdf_to_text(data, name, max_bytes)
    if kind == "docx":
        from kg.text.docx_text import docx_to_text

        return docx_to_text(data, name, max_bytes)
    if kind == "html":
        from kg.text.html_text import html_to_text

        return html_to_text(data, name, encoding)
    return decode_text(data, name, encoding)


def read_stream(stream: BinaryIO, name: str = "<stdin>", max_bytes: int = MAX_BYTES) -> bytes:
    """Read a report from a binary stream (standard input), refusing more than a file may hold."""
    limit = FILE_FACTOR * max_bytes
    data = stream.read(limit + 1)
    if len(data) > limit:
        raise InputError(too_large(name, len(data), limit))
    return data
