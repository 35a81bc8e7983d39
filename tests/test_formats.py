"""Tests for kg.text.formats and its readers: the sample as users have it gives the same graph.

Every form of the bundled sample (text in four encodings, a portal web page, a Word file, a
PDF) is built and compared with the graph of the UTF-8 text by isomorphism. The one
difference allowed, and removed before comparing, is `gkg:sourceFile`: the graph records
the name of the file it was built from, and the files are named after their form.
"""
from __future__ import annotations

import codecs
import io
import zipfile
from collections.abc import Callable
from pathlib import Path

import pytest
import rdflib

from documents import make_docx, make_html, make_image_pdf, make_pdf, paragraphs
from graphs import assert_isomorphic
from kg.api import build_report, triples_to_rdflib
from kg.errors import InputError
from kg.text.formats import detect_format, read_report
from kg.text.normalize import normalize_text

SOURCE_FILE = rdflib.URIRef("https://w3id.org/govkg/ontology#sourceFile")
YEAR, REGION = 2026, "衢州市"


@pytest.fixture(scope="module")
def sample_text(sample_path: Path) -> str:
    return sample_path.read_text(encoding="utf-8")


@pytest.fixture(scope="module")
def reference(sample_path: Path) -> rdflib.Graph:
    return _graph(sample_path)


def _graph(path: Path) -> rdflib.Graph:
    g = triples_to_rdflib(build_report(path, year=YEAR, region=REGION).triples)
    g.remove((None, SOURCE_FILE, None))
    return g


FORMS: dict[str, Callable[[str], bytes]] = {
    "utf8-bom.txt": lambda t: codecs.BOM_UTF8 + t.encode("utf-8"),
    "gbk.txt": lambda t: t.encode("gbk"),
    "utf16.txt": lambda t: t.encode("utf-16"),  # with BOM, as Windows Notepad writes it
    "crlf.txt": lambda t: t.replace("\n", "\r\n").encode("utf-8"),
    "portal-gb2312.html": lambda t: make_html(paragraphs(t), "gb18030", declare="gb2312"),
    "portal-utf8.htm": lambda t: make_html(paragraphs(t), "utf-8"),
    "report.docx": lambda t: make_docx(paragraphs(t)),
    "report.pdf": lambda t: make_pdf(paragraphs(t)),
}


@pytest.mark.parametrize("name", list(FORMS))
def test_every_form_gives_the_same_graph(tmp_path: Path, sample_text: str, reference: rdflib.Graph,
                                         name: str) -> None:
    """The sample as text in other encodings, as a web page, .docx or PDF: the same graph."""
    path = tmp_path / name
    path.write_bytes(FORMS[name](sample_text))
    assert_isomorphic(_graph(path), reference)


@pytest.mark.parametrize("name", list(FORMS))
def test_every_form_reads_to_the_same_text(sample_text: str, name: str) -> None:
    """Stronger than the graphs: the normalised text of each form is the text's, line for line."""
    doc = read_report(FORMS[name](sample_text), name)
    assert normalize_text(doc.text) == normalize_text(sample_text)
    assert doc.warnings == ()


def test_web_page_drops_everything_but_the_article(sample_text: str) -> None:
    """Navigation, scripts, styles, metadata line, share bar, links and footer are not text."""
    doc = read_report(make_html(paragraphs(sample_text), "utf-8"), "page.html")
    assert doc.format == "html"
    for junk in ("统计代码", "网站首页", "当前位置", "发布时间", "分享到", "相关链接", "版权所有", "font:", "_hmt"):
        assert junk not in doc.text, junk
    assert doc.text.splitlines()[0] == paragraphs(sample_text)[0]  # the <h1> is the title line


@pytest.mark.parametrize(("data", "codec"), [
    # the meta tag is believed, with WHATWG's meaning: gb2312 is GBK/GB18030 (镕 is not in GB2312)
    ('<html><head><meta charset="gb2312"></head><body><p>朱镕基视察衢州。</p></body></html>'.encode("gbk"),
     "gb18030"),
    # a declaration the bytes contradict yields to detection
    ('<html><head><meta charset="gb2312"></head><body><p>衢州市人民政府。</p></body></html>'.encode("utf-8"),
     "utf-8"),
    # Chinese portals that declare iso-8859-1 are detected, not read as Latin-1
    ('<html><head><meta http-equiv="Content-Type" content="text/html; charset=ISO-8859-1"></head>'
     '<body><p>衢州市人民政府工作报告。</p></body></html>'.encode("gbk"), "gb18030"),
    ('<?xml version="1.0" encoding="big5"?><html><body><p>衢州市政府工作報告。</p></body></html>'.encode("big5"),
     "big5hkscs"),
])
def test_web_page_encodings(data: bytes, codec: str) -> None:
    """A page's encoding: BOM, then its declaration (if the bytes agree), then detection."""
    doc = read_report(data, "page.html")
    assert doc.encoding == codec
    assert "衢州" in doc.text or "朱镕基" in doc.text


def test_word_tables_become_sentences() -> None:
    """Each table row is one sentence of its cells; a merged cell counts once."""
    import docx

    document = docx.Document(io.BytesIO(make_docx(
        ["衢州市政府工作报告", "2026年主要预期目标如下。"],
        table=[["2026年主要预期目标", ""], ["地区生产总值", "增长5.5%左右"], ["城镇调查失业率", "5%以内"]])))
    table = document.tables[0]
    table.cell(0, 0).merge(table.cell(0, 1))  # a title row spanning both columns
    buf = io.BytesIO()
    document.save(buf)
    doc = read_report(buf.getvalue(), "targets.docx")
    assert doc.text.splitlines() == ["衢州市政府工作报告", "2026年主要预期目标如下。", "2026年主要预期目标。",
                                     "地区生产总值，增长5.5%左右。", "城镇调查失业率，5%以内。"]
    built = build_report(buf.getvalue(), name="targets.docx", year=YEAR, region=REGION)
    sentences = [s.text for s in built.extraction.structure.sentences]
    assert "地区生产总值，增长5.5%左右。" in sentences


def test_pdf_lines_are_rejoined_by_layout(sample_text: str) -> None:
    """The PDF breaks every paragraph at the margin; only its layout tells where paragraphs end.

    Without the layout (pdfminer's plain text through our normaliser), lines that break
    before a comma stay apart; with it the text is the original's.
    """
    from pdfminer.high_level import extract_text

    data = make_pdf(paragraphs(sample_text))
    naive = normalize_text(extract_text(io.BytesIO(data)))
    assert naive != normalize_text(sample_text)
    doc = read_report(data, "report.pdf")
    assert normalize_text(doc.text) == normalize_text(sample_text)
    assert "— 1 —" not in doc.text and "— 2 —" not in doc.text  # page numbers dropped


def test_pdf_without_text_layer() -> None:
    """A scan (drawings, no text) is a clear error, not an empty graph."""
    with pytest.raises(InputError, match=r"^scan\.pdf: the PDF has no text layer \(a scan\?\); run OCR"):
        read_report(make_image_pdf(), "scan.pdf")


def test_encrypted_pdf() -> None:
    """A PDF locked with a password says so."""
    from reportlab.lib.pdfencrypt import StandardEncryption
    from reportlab.pdfbase import pdfmetrics
    from reportlab.pdfbase.cidfonts import UnicodeCIDFont
    from reportlab.pdfgen import canvas

    pdfmetrics.registerFont(UnicodeCIDFont("STSong-Light"))
    buf = io.BytesIO()
    c = canvas.Canvas(buf, encrypt=StandardEncryption("secret", canPrint=0))
    c.setFont("STSong-Light", 12)
    c.drawString(72, 700, "衢州市政府工作报告")
    c.showPage()
    c.save()
    with pytest.raises(InputError, match=r"^locked\.pdf: the PDF is encrypted"):
        read_report(buf.getvalue(), "locked.pdf")


@pytest.mark.parametrize(("name", "data", "message"), [
    ("cut.pdf", None, r"^cut\.pdf: cannot read the PDF"),
    ("fake.pdf", "衢州市".encode(), r"^fake\.pdf: not a PDF \(no %PDF header\)"),
    ("fake.docx", "衢州市".encode(), r"^fake\.docx: not a Word \.docx"),
    ("photo.txt", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR", r"^photo\.txt: a PNG image, not a report"),
    ("old.doc", b"\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1" + bytes(512), r"^old\.doc: an old Word \.doc"),
    ("archive.docx", None, r"^archive\.docx: a ZIP archive, not a Word document"),
    ("book.docx", None, r"^book\.docx: an Excel workbook, not a Word document"),
    ("broken.docx", b"PK\x03\x04" + bytes(100), r"^broken\.docx: a damaged ZIP/Word file"),
    ("empty.html", b"<html><body><script>var x = 1;</script></body></html>",
     r"^empty\.html: found no article text"),
])
def test_files_that_are_not_reports(sample_text: str, name: str, data: bytes | None, message: str) -> None:
    """Damaged, misnamed and foreign files: one clear error naming the file and what it is."""
    if name == "cut.pdf":
        data = make_pdf(paragraphs(sample_text))[:3000]
    elif name in ("archive.docx", "book.docx"):
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("xl/workbook.xml" if name == "book.docx" else "notes.txt", "衢州")
        data = buf.getvalue()
    assert data is not None
    with pytest.raises(InputError, match=message):
        read_report(data, name)


def test_zip_bomb_is_refused_before_unpacking() -> None:
    """A .docx that claims to unpack to far more than a report holds is refused unopened."""
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression=zipfile.ZIP_DEFLATED) as z:
        z.writestr("word/document.xml", b"\x00" * (25 * 2**20))
    data = buf.getvalue()
    assert len(data) < 2**20
    with pytest.raises(InputError, match=r"^bomb\.docx: unpacks to 25 MB, more than a report can hold"):
        read_report(data, "bomb.docx", max_bytes=2**20)


def test_a_pdf_named_txt_is_read_as_a_pdf(sample_text: str) -> None:
    """The content decides, not the name: a PDF saved as .txt is still a PDF."""
    doc = read_report(make_pdf(paragraphs(sample_text)), "misnamed.txt")
    assert doc.format == "pdf"


@pytest.mark.parametrize(("data", "suffix", "kind"), [
    (b"%PDF-1.4\n", "", "pdf"),
    (b"PK\x03\x04", ".txt", "docx"),
    (b"\xef\xbb\xbf<!DOCTYPE html><html>", "", "html"),
    ("<html><body>衢州</body></html>".encode("utf-16"), "", "html"),
    ("衢州市<script>alert(1)</script>".encode(), ".txt", "text"),
    ("衢州市".encode(), "", "text"),
])
def test_detect_format(data: bytes, suffix: str, kind: str) -> None:
    """Magic bytes first, then the suffix, then a leading <!DOCTYPE html> or <html>."""
    assert detect_format(data, suffix) == kind


def test_text_limit(tmp_path: Path) -> None:
    """A text over the limit is refused before it is read; the message says how to raise it."""
    path = tmp_path / "big.txt"
    path.write_bytes("衢州市。\n".encode() * 100_000)
    with pytest.raises(InputError, match=r"^.*big\.txt: 1\.2 MB is more than the 1\.0 MB limit .* --max-size MB"):
        read_report(path, max_bytes=2**20)
    assert read_report(path, max_bytes=2 * 2**20).format == "text"
