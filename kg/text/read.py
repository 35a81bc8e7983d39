"""Read a plain-text report: detect its encoding, refuse what is not text, drop control characters.

Detection, in order: a byte-order mark (UTF-8, UTF-16, UTF-32), strict UTF-8, strict GB18030
(a superset of GBK and GB2312) when its Chinese characters are plausible, strict Big5 likewise.
"Plausible" means that nine in ten Chinese characters are common ones (GB2312 for GB18030,
Big5's frequent set for Big5): Big5 bytes read as GBK decode without error but yield rare
characters, while real reports use common ones (every one of 135 city reports scores > 0.99).
Nothing else is guessed: for other text the error names the encodings tried and, from
charset-normalizer, the encoding the bytes most resemble, to be forced with `--encoding`.
"""
from __future__ import annotations

import codecs
import re
from dataclasses import dataclass
from pathlib import Path

from kg.errors import InputError

# The text of one report: 100 times the largest real one (the State Council's, 55 KB). Memory
# and time grow with it: 6 MB of real reports in one text took 924 MB and 6 minutes.
MAX_BYTES = 5 * 1024 * 1024
# Web pages, Word files and PDFs carry markup, fonts and images besides their text.
FILE_FACTOR = 10
# Tried in this order after a byte-order mark (see the module docstring).
ENCODINGS = ("utf-8", "gb18030", "big5")
BOMS = (
    (codecs.BOM_UTF32_LE, "utf-32"), (codecs.BOM_UTF32_BE, "utf-32"),  # before UTF-16: FF FE 00 00
    (codecs.BOM_UTF8, "utf-8-sig"), (codecs.BOM_UTF16_LE, "utf-16"), (codecs.BOM_UTF16_BE, "utf-16"),
)
_PLAUSIBLE = 0.9
# C0 and C1 controls, DEL and non-characters, except tab, line feed, carriage return, form feed.
# The bytes kept by bytes.translate(None, _TEXT_BYTES): C0 controls other than white space.
_TEXT_BYTES = bytes(b for b in range(256) if not (b < 0x20 and b not in b"\t\n\r\f\v"))
_CONTROLS = re.compile(r"[\x00-\x08\x0b\x0e-\x1f\x7f-\x9f\ufffe\uffff]")
_SURROGATE = re.compile(r"[\ud800-\udfff]")
_HAN = re.compile(r"[\u4e00-\u9fff]")
_PUNCT = re.compile(r"[\u2010-\u203a\u3000-\u303f\uff01-\uff5e\u00b7\u00d7\u2160-\u216b\u2460-\u249b]")


@dataclass(frozen=True)
class Decoded:
    """Text decoded from bytes, the encoding that was used, and what the reader had to repair."""

    text: str
    encoding: str
    warnings: tuple[str, ...] = ()


def decode_text(data: bytes, name: str = "<input>", encoding: str | None = None) -> Decoded:
    """Decode report bytes (see the module docstring), dropping stray control characters.

    A text with a few NUL or control bytes keeps its text and gets a warning; one with many is
    binary and refused, because a graph of garbage looks like a valid but empty report. A text
    cut off in the middle of its last character loses that character, with a warning.

    >>> decode_text("衢州".encode("gbk")).encoding
    'gb18030'
    >>> decode_text("衢州".encode() + b"\\x00").warnings
    ('<input>: removed 1 control character (NUL)',)
    """
    if not data:
        raise InputError(f"{name}: the file is empty; give a report in plain text, HTML, Word or PDF")
    if not data.strip():
        raise InputError(f"{name}: holds only white space, no report text")
    notes: list[str] = []
    if encoding:
        text, codec = _decode_forced(data, name, encoding)
    else:
        text, codec = _detect(data, name, notes)
    clean = clean_text(text, name)
    return Decoded(clean.text, codec, tuple(notes) + clean.warnings)


def clean_text(text: str, name: str = "<string>") -> Decoded:
    """Remove control characters and lone surrogates from a text; refuse binary or blank text.

    Files pass through here after decoding, and texts given to the API as `str`, so that both
    reach the pipeline alike.

    >>> clean_text("衢州\\ud800市\\x1b").warnings
    ('<string>: removed 1 control character (ESC) and 1 lone surrogate',)
    """
    if _looks_binary(text):
        raise InputError(f"{name}: looks binary (control characters), not a text report")
    notes = []
    text, removed = _drop_controls(text)
    surrogates = len(_SURROGATE.findall(text))
    if surrogates:
        text = _SURROGATE.sub("", text)
        lone = f"{surrogates} lone surrogate{'s' if surrogates > 1 else ''}"
        removed = f"{removed} and {lone}" if removed else lone
    if removed:
        notes.append(f"{name}: removed {removed}")
    if not text.strip():
        raise InputError(f"{name}: holds only white space, no report text")
    return Decoded(text, "str", tuple(notes))


def decode_bytes(data: bytes, name: str = "<input>", encoding: str | None = None) -> str:
    """Decode report bytes and return the text (see `decode_text`).

    >>> decode_bytes("衢州".encode("gbk"))
    '衢州'
    >>> decode_bytes(codecs.BOM_UTF8 + "衢州".encode())
    '衢州'
    """
    return decode_text(data, name, encoding).text


def _decode_forced(data: bytes, name: str, encoding: str) -> tuple[str, str]:
    try:
        codec = codecs.lookup(encoding).name
    except LookupError:
        raise InputError(f"{name}: --encoding {encoding}: unknown encoding (try utf-8, gb18030, big5, utf-16)") from None
    if codec in ("utf-8", "utf-16", "utf-32") and data.startswith(codecs.BOM_UTF8):
        codec = "utf-8-sig"
    try:
        return data.decode(codec), codec
    except UnicodeDecodeError as exc:
        raise InputError(f"{name}: not valid {encoding} at {_where(data, exc.start)}") from None


def _detect(data: bytes, name: str, notes: list[str]) -> tuple[str, str]:
    for bom, codec in BOMS:
        if data.startswith(bom):
            text, bad, cut = _decode_prefix(data, codec)
            if bad is not None:
                raise InputError(f"{name}: broken {codec} text at {_where(data, bad)}")
            if cut:
                notes.append(_truncated(name))
            return text, codec
    sample = data[:65536]
    nuls = sample.count(b"\x00")
    if nuls > max(8, len(sample) // 100):
        if _looks_utf16(sample):
            raise InputError(f"{name}: looks like UTF-16 without a byte-order mark; "
                             "give --encoding utf-16-le (or utf-16-be)")
        raise InputError(f"{name}: looks binary (NUL bytes), not a text report")
    # no byte below 0x20 is part of a character in UTF-8, GB18030 or Big5: many are binary
    if len(sample.translate(None, _TEXT_BYTES)) > max(8, len(sample) // 100):
        raise InputError(f"{name}: looks binary (control bytes), not a text report")
    first_error: int | None = None
    for codec in ENCODINGS:
        text, bad, cut = _decode_prefix(data, codec)
        if bad is not None:
            if codec == "utf-8":
                first_error = bad
            continue
        if codec != "utf-8" and not _plausible(text, codec):
            continue
        if cut:
            notes.append(_truncated(name))
        return text, codec
    where = f" (invalid UTF-8 at {_where(data, first_error)})" if first_error is not None else ""
    raise InputError(f"{name}: cannot tell the encoding{where}: tried UTF-8, UTF-16/32 with BOM, "
                     f"GB18030/GBK/GB2312, Big5{_resembles(data)}; force one with --encoding")


def _decode_prefix(data: bytes, codec: str) -> tuple[str, int | None, bool]:
    """Decode strictly, forgiving only an incomplete character at the very end.

    Return the text, the offset of the first invalid byte (or None), and whether the last
    character was cut off.
    """
    decoder = codecs.getincrementaldecoder(codec)("strict")
    try:
        text = decoder.decode(data, final=False)
    except UnicodeDecodeError as exc:
        return "", exc.start, False
    pending = decoder.getstate()[0]
    if len(pending) >= 4:  # no encoding here has characters longer than 4 bytes
        return "", len(data) - len(pending), False
    return text, None, bool(pending)


def _truncated(name: str) -> str:
    return f"{name}: the last character is cut off (the file looks truncated); ignored it"


def _plausible(text: str, codec: str) -> bool:
    """Tell whether a decoded text reads like Chinese: its non-ASCII characters common ones.

    Common: the frequent characters of the encoding's own standard, and CJK punctuation and
    full-width forms. Big5 read as GBK (and the reverse) gives rare characters, private-use
    characters and kana instead.
    """
    sample = [c for c in text[:200_000] if ord(c) > 0x7F]
    if len(sample) < 4:
        return True
    common = 0
    for ch in sample:
        if _PUNCT.match(ch):
            common += 1
        elif codec == "big5":
            b = ch.encode("big5", "ignore")
            common += bool(b) and 0xA4 <= b[0] <= 0xC6  # Big5's frequently used characters
        else:
            common += _HAN.match(ch) is not None and bool(ch.encode("gb2312", "ignore"))
    return common >= _PLAUSIBLE * len(sample) - 2  # a name or two in rare characters


def _looks_utf16(sample: bytes) -> bool:
    """Tell UTF-16 without a BOM: it decodes into ASCII, Chinese and CJK punctuation only."""
    sample = sample[: len(sample) // 2 * 2]
    for codec in ("utf-16-le", "utf-16-be"):
        try:
            text = sample.decode(codec)
        except UnicodeDecodeError:
            continue
        usual = sum(1 for c in text if c in "\t\n\r" or " " <= c <= "~" or _HAN.match(c) or _PUNCT.match(c))
        if usual >= 0.95 * len(text):
            return True
    return False


def _resembles(data: bytes) -> str:
    """Name the encoding charset-normalizer finds closest, as a hint (never used silently)."""
    from charset_normalizer import from_bytes

    best = from_bytes(data[:65536]).best()
    return f" (the bytes look most like {best.encoding})" if best is not None and best.encoding else ""


def _where(data: bytes, offset: int) -> str:
    line = data.count(b"\n", 0, offset) + 1
    return f"line {line}, byte {offset}"


def _looks_binary(text: str) -> bool:
    sample = text[:65536]
    controls = len(_CONTROLS.findall(sample))
    return controls > max(8, len(sample) // 100)


_CONTROL_NAMES = {"\x00": "NUL", "\x07": "BEL", "\x08": "BS", "\x1b": "ESC", "\x7f": "DEL"}


def _drop_controls(text: str) -> tuple[str, str]:
    """Remove control characters; return the text and what was removed, for a warning."""
    found = _CONTROLS.findall(text)
    if not found:
        return text, ""
    names = sorted({_CONTROL_NAMES.get(c, f"U+{ord(c):04X}") for c in found})
    plural = "s" if len(found) > 1 else ""
    return _CONTROLS.sub("", text), f"{len(found)} control character{plural} ({', '.join(names)})"


def read_bytes(path: str | Path, max_bytes: int = FILE_FACTOR * MAX_BYTES) -> bytes:
    """Read a file's bytes, refusing folders and files over `max_bytes` before reading them."""
    p = Path(path)
    try:
        if p.is_dir():
            raise InputError(f"{p}: is a folder, expected a report file")
        size = p.stat().st_size
        if size > max_bytes:
            raise InputError(too_large(str(p), size, max_bytes))
        with p.open("rb") as f:
            data = f.read(max_bytes + 1)  # a file that grows while we read it stays bounded
    except FileNotFoundError:
        raise InputError(f"{p}: no such file") from None
    except PermissionError:
        raise InputError(f"{p}: permission denied") from None
    except IsADirectoryError:
        raise InputError(f"{p}: is a folder, expected a report file") from None
    except OSError as exc:
        raise InputError(f"{p}: cannot read: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise InputError(too_large(str(p), len(data), max_bytes))
    return data


def too_large(name: str, size: int, limit: int, what: str = "") -> str:
    """Say that an input is over a size limit, and how to raise it."""
    return (f"{name}: {what}{_mb(size)} is more than the {_mb(limit)} limit for one report; split it, or raise "
            "the limit with --max-size MB (about 150 MB of memory per MB of text)")


def _mb(size: int) -> str:
    return f"{size / 2**20:.1f} MB" if size >= 2**20 else f"{size} bytes"


def read_document(path: str | Path, encoding: str | None = None) -> str:
    """Read a plain-text report file and return its text (not yet normalised)."""
    p = Path(path)
    data = read_bytes(p, MAX_BYTES)
    return decode_text(data, str(p), encoding).text
