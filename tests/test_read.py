"""Tests for kg.text.read: encodings are detected, non-text is refused with the file's name."""
from __future__ import annotations

import codecs
from pathlib import Path

import pytest

from kg.errors import InputError
from kg.text.read import decode_bytes, decode_text, read_document

TEXT = "衢州市政府工作报告\r\n全市生产总值增长５．５％。\r\n"

ENCODED = [
    ("utf-8", TEXT.encode("utf-8")),
    ("utf-8-bom", codecs.BOM_UTF8 + TEXT.encode("utf-8")),
    ("gbk", TEXT.encode("gbk")),
    ("gb18030", TEXT.encode("gb18030")),
    ("utf-16-le-bom", codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le")),
    ("utf-16-be-bom", codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be")),
]


@pytest.mark.parametrize(("name", "data"), ENCODED, ids=[n for n, _ in ENCODED])
def test_read_document_detects_encoding(tmp_path: Path, name: str, data: bytes) -> None:
    """Each supported encoding reads back to the same text, BOM dropped, CRLF kept."""
    path = tmp_path / f"{name}.txt"
    path.write_bytes(data)
    text = read_document(path)
    assert text == TEXT
    assert "\ufeff" not in text
    assert "\r\n" in text  # line ends are the normaliser's job, not the reader's


@pytest.mark.parametrize(("name", "data"), ENCODED, ids=[n for n, _ in ENCODED])
def test_decode_bytes_detects_encoding(name: str, data: bytes) -> None:
    """decode_bytes is the pure core of read_document."""
    assert decode_bytes(data, name) == TEXT


def test_gb18030_beyond_gbk() -> None:
    """Characters outside GBK (four-byte GB18030) still decode."""
    text = "衢州𠀀市"
    assert decode_bytes(text.encode("gb18030")) == text


def test_forced_encoding(tmp_path: Path) -> None:
    """An explicit encoding is used as given, and a wrong one is an InputError naming the file."""
    path = tmp_path / "gbk.txt"
    path.write_bytes(TEXT.encode("gbk"))
    assert read_document(path, "gb18030") == TEXT
    with pytest.raises(InputError, match="gbk.txt"):
        read_document(path, "utf-8")
    with pytest.raises(InputError, match="gbk.txt"):
        read_document(path, "no-such-codec")


PNG_HEADER = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"

REFUSED = [
    ("empty.txt", b""),
    ("blank.txt", b" \n\t \r\n \n"),
    ("image.txt", PNG_HEADER + bytes(range(256))),
    ("nuls.txt", ("衢州市" * 50).encode() + b"\x00" * 20),
    ("utf16-no-bom.txt", "衢州市 report".encode("utf-16-le") * 10),
    ("controls.txt", bytes(range(1, 9)) * 40),
]


@pytest.mark.parametrize(("name", "data"), REFUSED, ids=[n for n, _ in REFUSED])
def test_refuses_non_text(tmp_path: Path, name: str, data: bytes) -> None:
    """Empty, blank and binary files are InputErrors whose message names the file."""
    path = tmp_path / name
    path.write_bytes(data)
    with pytest.raises(InputError, match=name.replace(".", r"\.")):
        read_document(path)


def test_missing_file(tmp_path: Path) -> None:
    """A missing file is an InputError naming it."""
    with pytest.raises(InputError, match=r"missing\.txt"):
        read_document(tmp_path / "missing.txt")


def test_directory(tmp_path: Path) -> None:
    """A folder is an InputError naming it, not an IsADirectoryError."""
    folder = tmp_path / "reports"
    folder.mkdir()
    with pytest.raises(InputError, match="reports"):
        read_document(folder)


def test_input_error_exit_code() -> None:
    """Bad input maps to exit code 2 (could not run)."""
    with pytest.raises(InputError) as info:
        decode_bytes(b"", "x.txt")
    assert info.value.exit_code == 2


# --- repairs and detection beyond UTF-8 and GB18030 ------------------------------------------------

def test_few_controls_are_dropped_with_a_warning() -> None:
    """A few NUL or escape bytes in a text are removed and reported, the text kept."""
    decoded = decode_text("衢州".encode() + b"\x00\x00\x1b" + "市".encode(), "x.txt")
    assert decoded.text == "衢州市"
    assert decoded.warnings == ("x.txt: removed 3 control characters (ESC, NUL)",)


def test_truncated_last_character() -> None:
    """A text cut off inside its last character keeps the rest, with a warning."""
    for codec in ("utf-8", "gb18030"):
        data = "衢州市生产总值增长5.5%。衢州".encode(codec)[:-1]
        decoded = decode_text(data, "cut.txt")
        assert decoded.text == "衢州市生产总值增长5.5%。衢"
        assert decoded.encoding == codec
        assert decoded.warnings == ("cut.txt: the last character is cut off (the file looks truncated); ignored it",)


def test_big5_is_detected_not_read_as_gbk() -> None:
    """Big5 bytes decode as GBK too, into rare characters: the plausibility check tells them apart."""
    text = "衢州市政府工作報告：全市生產總值增長百分之五點五，城鄉居民收入穩步提高，民生實事全面完成。"
    decoded = decode_text(text.encode("big5"), "big5.txt")
    assert (decoded.text, decoded.encoding) == (text, "big5")


def test_utf32_bom() -> None:
    """UTF-32 with a byte-order mark is read (its BOM starts like UTF-16's)."""
    assert decode_bytes(TEXT.encode("utf-32")) == TEXT


def test_undecodable_names_what_was_tried() -> None:
    """A text in none of the detected encodings is refused, naming them and how to force one."""
    data = ("これは日本語の文章です。衢州市の報告ではありません。" * 5).encode("shift_jis")
    with pytest.raises(InputError) as info:
        decode_text(data, "sjis.txt")
    msg = str(info.value)
    assert msg.startswith("sjis.txt: cannot tell the encoding")
    assert "UTF-8" in msg and "GB18030" in msg and "Big5" in msg and "--encoding" in msg
    assert decode_text(data, "sjis.txt", "shift_jis").text.startswith("これは")
