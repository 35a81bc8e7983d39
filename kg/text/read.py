"""Read a report file into text: detect its encoding, refuse what is not text."""
from __future__ import annotations

import codecs
from pathlib import Path

from kg.errors import InputError

MAX_BYTES = 200 * 1024 * 1024
# Tried in this order after a byte-order mark; GB18030 is a superset of GBK and GB2312.
ENCODINGS = ("utf-8", "gb18030")
BOMS = ((codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"))


def decode_bytes(data: bytes, name: str = "<input>", encoding: str | None = None) -> str:
    """Decode report bytes, trusting a BOM, then UTF-8, then GB18030.

    Binary data (NUL bytes, many control characters) is refused rather than decoded into
    garbage, because a graph of garbage looks like a valid but empty report.

    >>> decode_bytes("衢州".encode("gbk"))
    '衢州'
    >>> decode_bytes(codecs.BOM_UTF8 + "衢州".encode())
    '衢州'
    """
    if not data.strip():
        raise InputError(f"{name}: the file is empty; give a report in plain text")
    if encoding:
        try:
            return data.decode(encoding)
        except (LookupError, UnicodeDecodeError) as exc:
            raise InputError(f"{name}: cannot decode as {encoding}: {exc}") from None
    for bom, codec in BOMS:
        if data.startswith(bom):
            try:
                return data.decode(codec)
            except UnicodeDecodeError as exc:
                raise InputError(f"{name}: broken {codec} text at byte {exc.start}") from None
    if b"\x00" in data[:65536]:
        raise InputError(f"{name}: looks binary (NUL bytes), not a text report")
    for codec in ENCODINGS:
        try:
            text = data.decode(codec)
        except UnicodeDecodeError:
            continue
        if _looks_binary(text):
            raise InputError(f"{name}: looks binary (control characters), not a text report")
        return text
    raise InputError(f"{name}: not UTF-8, UTF-16 or GB18030 text; use --encoding to force one")


def _looks_binary(text: str) -> bool:
    sample = text[:65536]
    controls = sum(1 for c in sample if ord(c) < 32 and c not in "\r\n\t\f\v")
    return controls > max(8, len(sample) // 100)


def read_document(path: str | Path, encoding: str | None = None) -> str:
    """Read a report file and return its text (not yet normalised)."""
    p = Path(path)
    if p.is_dir():
        raise InputError(f"{p}: is a folder, expected a report file")
    try:
        size = p.stat().st_size
        if size > MAX_BYTES:
            raise InputError(f"{p}: {size // 2**20} MB is larger than the {MAX_BYTES // 2**20} MB limit")
        data = p.read_bytes()
    except FileNotFoundError:
        raise InputError(f"{p}: no such file") from None
    except PermissionError:
        raise InputError(f"{p}: permission denied") from None
    except IsADirectoryError:
        raise InputError(f"{p}: is a folder, expected a report file") from None
    except OSError as exc:
        raise InputError(f"{p}: cannot read: {exc.strerror}") from None
    return decode_bytes(data, str(p), encoding)
