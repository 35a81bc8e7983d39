"""Inputs that try to break us, through the real command line in a subprocess.

Each case gives either a graph (the input is valid but odd; warnings are `kg: warning:`
lines) or exactly one `kg: error:` line and exit 2, and never a traceback, a hang or a
partial output file. Peak memory is the child's own, from os.wait4 (see `_LAUNCH`).
"""
from __future__ import annotations

import io
import os
import re
import signal
import subprocess
import sys
import time
import zipfile
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.compare import isomorphic

from documents import make_html, make_pdf, paragraphs

SAMPLE = Path(__file__).parent / "data" / "corpus" / "quzhou_2026_highlights.txt"
CORPUS = Path(__file__).parent / "data" / "corpus"
GIVEN = ["--year", "2026", "--region", "衢州市"]
PNG = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x10\x00\x00\x00\x10\x08\x06\x00\x00\x00" + bytes(range(256)) * 4


@dataclass(frozen=True)
class Run:
    code: int
    out: str
    err: str
    peak_mb: float
    seconds: float


# Runs the command as its child and writes that child's peak RSS (KB) to argv[1]. A process
# forked from pytest would inherit pytest's own peak as its ru_maxrss (Linux keeps it across
# exec); a child of this small launcher starts from the launcher's few MB.
_LAUNCH = """
import os, subprocess, sys
p = subprocess.Popen(sys.argv[2:])
_, status, usage = os.wait4(p.pid, 0)
p.returncode = os.waitstatus_to_exitcode(status)
open(sys.argv[1], "w").write(str(usage.ru_maxrss))
sys.exit(p.returncode if p.returncode >= 0 else 128 - p.returncode)
"""


def kg(*args: str | Path, stdin: bytes | None = None, timeout: float = 120) -> Run:
    """Run `python -m kg ARGS`; return its exit code, output, and peak memory (RSS, MB)."""
    import tempfile

    env = {k: v for k, v in os.environ.items() if k != "KG_DEBUG"}
    with tempfile.TemporaryDirectory() as tmp:
        peak = Path(tmp) / "peak"
        start = time.monotonic()
        proc = subprocess.Popen([sys.executable, "-c", _LAUNCH, str(peak), sys.executable, "-m", "kg",
                                 *map(str, args)], stdin=subprocess.PIPE, stdout=subprocess.PIPE,
                                stderr=subprocess.PIPE, env=env, start_new_session=True)
        try:
            out, err = proc.communicate(stdin or b"", timeout=timeout)
        except subprocess.TimeoutExpired:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
            pytest.fail(f"kg {' '.join(map(str, args))} did not finish in {timeout} s")
        seconds = time.monotonic() - start
        peak_mb = int(peak.read_text()) / 1024 if peak.exists() else float("nan")
    return Run(proc.returncode, out.decode("utf-8", "replace"), err.decode("utf-8", "replace"), peak_mb, seconds)


def one_error(run: Run, pattern: str) -> None:
    """Assert exit 2 and stderr that is exactly one `kg: error:` line matching `pattern`."""
    assert "Traceback" not in run.err, run.err
    lines = run.err.splitlines()
    assert run.code == 2, run
    assert len(lines) == 1, run.err
    assert lines[0].startswith("kg: error: "), run.err
    assert re.search(pattern, lines[0]), (pattern, lines[0])


def built(run: Run, out: Path, stem: str, warning: str | None = None) -> rdflib.Graph:
    """Assert the build succeeded (with exactly the one warning given), return the graph."""
    assert "Traceback" not in run.err, run.err
    assert run.code == 0, run
    lines = run.err.splitlines()
    if warning is None:
        assert lines == [], run.err
    else:
        assert len(lines) == 1 and lines[0].startswith("kg: warning: ") and re.search(warning, lines[0]), run.err
    assert (out / f"{stem}.html").is_file()
    return rdflib.Graph().parse(out / f"{stem}.ttl", format="turtle")


def no_outputs(out: Path, *stems: str) -> None:
    """Assert no output file of these inputs and no temp file exists."""
    if not out.exists():
        return
    names = {p.name for p in out.iterdir()}
    for stem in stems:
        assert f"{stem}.ttl" not in names and f"{stem}.html" not in names, names
    assert not [n for n in names if n.endswith(".tmp")], names


# --- the matrix: one input each ----------------------------------------------------------------

def _sample() -> str:
    return SAMPLE.read_text(encoding="utf-8")


REFUSED = {
    "empty": (b"", r"empty\.txt: the file is empty"),
    "blank": (" \n\t\r\n\u3000\n".encode("utf-8"), r"blank\.txt: holds only white space"),
    "image": (PNG, r"image\.txt: a PNG image, not a report"),
    "archive": (None, r"archive\.txt: a ZIP archive, not a Word document"),
    "binary": (bytes(range(256)) * 64, r"binary\.txt: looks binary"),
    "nuls": ("衢州市".encode() * 100 + b"\x00" * 200, r"nuls\.txt: looks binary \(NUL bytes\)"),
    "broken-middle": (None, r"broken-middle\.txt: cannot tell the encoding \(invalid UTF-8 at line 10, byte \d+\)"),
    "utf16-no-bom": (None, r"utf16-no-bom\.txt: looks like UTF-16 without a byte-order mark; give --encoding"),
    "shift-jis": (("これは日本語の文章です。" * 20).encode("shift_jis"), r"shift-jis\.txt: cannot tell the encoding.*Big5"),
    "scan": (None, r"scan\.pdf: the PDF has no text layer"),
}


def _refused_bytes(name: str) -> bytes:
    data = REFUSED[name][0]
    if data is not None:
        return data
    if name == "archive":
        buf = io.BytesIO()
        with zipfile.ZipFile(buf, "w") as z:
            z.writestr("report.txt", _sample())
        return buf.getvalue()
    if name == "broken-middle":
        lines = _sample().encode("utf-8").split(b"\n")
        lines[9] = lines[9][:3] + b"\xff\xfe" + lines[9][3:]  # a damaged character on line 10
        return b"\n".join(lines)
    if name == "utf16-no-bom":
        return _sample().encode("utf-16-le")
    from documents import make_image_pdf

    return make_image_pdf()


@pytest.mark.parametrize("name", list(REFUSED))
def test_refused(tmp_path: Path, name: str) -> None:
    """Inputs that are no report: one clear line, exit 2, nothing written."""
    path = tmp_path / (f"{name}.pdf" if name == "scan" else f"{name}.txt")
    path.write_bytes(_refused_bytes(name))
    out = tmp_path / "out"
    one_error(kg("build", path, "-o", out, *GIVEN), REFUSED[name][1])
    no_outputs(out, name)


def test_truncated_last_character(tmp_path: Path) -> None:
    """A UTF-8 text cut inside its last character: a graph, and a warning saying so."""
    path = tmp_path / "cut.txt"
    path.write_bytes(_sample().rstrip().encode("utf-8")[:-1])
    built(kg("build", path, "-o", tmp_path, *GIVEN), tmp_path, "cut", r"cut\.txt: the last character is cut off")


def test_controls_and_nuls(tmp_path: Path) -> None:
    """A few NUL and control bytes in a report: removed, named in a warning, same graph."""
    text = _sample()
    dirty = text.replace("。", "。\x00", 3).replace("\n", "\x1b\n", 2).replace("年", "\x07年", 1)
    (tmp_path / "dirty.txt").write_bytes(dirty.encode("utf-8"))
    (tmp_path / "clean.txt").write_bytes(text.encode("utf-8"))
    g = built(kg("build", tmp_path / "dirty.txt", "-o", tmp_path / "a", *GIVEN), tmp_path / "a", "dirty",
              r"dirty\.txt: removed 6 control characters \(BEL, ESC, NUL\)")
    want = built(kg("build", tmp_path / "clean.txt", "-o", tmp_path / "b", *GIVEN), tmp_path / "b", "clean")
    source = rdflib.URIRef("https://w3id.org/govkg/ontology#sourceFile")
    g.remove((None, source, None))
    want.remove((None, source, None))
    assert isomorphic(g, want)


def test_100_mb_text_is_refused_in_bounded_memory(tmp_path: Path) -> None:
    """100 MB (2,000 times a real report) is refused before it is read: peak RSS well under 1 GB.

    Measured: about 75 MB, the interpreter and its imports. A report's text is limited to
    5 MB by default (`--max-size`); building grows by about 150 MB per MB of text.
    """
    path = tmp_path / "huge.txt"
    line = (_sample().replace("\n", "") + "\n").encode("utf-8")
    with path.open("wb") as f:
        for _ in range(100 * 2**20 // len(line) + 1):
            f.write(line)
    assert path.stat().st_size >= 100 * 2**20
    run = kg("build", path, "-o", tmp_path / "out", *GIVEN)
    one_error(run, r"huge\.txt: 100\.\d MB is more than the 5\.0 MB limit for one report; split it, "
                   r"or raise the limit with --max-size MB")
    assert run.peak_mb < 512, run.peak_mb
    assert run.seconds < 30
    no_outputs(tmp_path / "out", "huge")


def test_max_size_option(tmp_path: Path) -> None:
    """--max-size lowers or raises the limit on a report's text."""
    path = tmp_path / "long.txt"
    path.write_bytes(_sample().encode("utf-8") * 130)  # 1.1 MB
    one_error(kg("build", path, "-o", tmp_path, "--max-size", "1", *GIVEN),
              r"long\.txt: 1\.1 MB is more than the 1\.0 MB limit")
    built(kg("build", path, "-o", tmp_path, "--max-size", "2", *GIVEN, timeout=300), tmp_path, "long")


@pytest.mark.parametrize("kind", ["report", "commas", "no-punctuation"])
def test_one_line_of_1_mb(tmp_path: Path, kind: str) -> None:
    """A single 1 MB line builds in bounded time and memory (no quadratic stage, no regex trap).

    "commas" is one 1 MB sentence of 38,000 clauses, which took over 300 s before sentences
    were bounded (kg.text.structure.MAX_SENTENCE); measured now: 8 s, 240 MB.
    """
    unit = {"report": _sample().replace("\n", ""), "commas": "杭衢高铁建成通车，",
            "no-punctuation": "衢州市产业链项目高速建设发展经济增长生产总值亿元研究院平台"}[kind]
    text = (unit * (2**20 // len(unit.encode("utf-8")) + 1)).encode("utf-8")[: 2**20]
    text = text.decode("utf-8", "ignore").encode("utf-8")
    path = tmp_path / "line.txt"
    path.write_bytes(text)
    run = kg("build", path, "-o", tmp_path, *GIVEN, timeout=180)
    built(run, tmp_path, "line")
    assert run.peak_mb < 1024, run.peak_mb


def test_script_and_onerror_stay_text(tmp_path: Path) -> None:
    """<script> and <img onerror> in a report are text in the graph and never markup in the page."""
    script, img = "<script>alert`xss`</script>", "<img src=x onerror=alert`xss`>"
    text = _sample().replace("杭衢高铁建成通车", f"杭衢高铁{script}建成通车{img}", 1)
    path = tmp_path / "xss.txt"
    path.write_text(text, encoding="utf-8")
    g = built(kg("build", path, "-o", tmp_path, *GIVEN), tmp_path, "xss")
    texts = [str(o) for o in g.objects(None, rdflib.URIRef("https://w3id.org/govkg/ontology#text"))]
    assert any(script in t and img in t for t in texts)  # kept, verbatim, as a literal
    page = (tmp_path / "xss.html").read_text(encoding="utf-8")
    # no raw markup: neither payload, nor even its opening tag (JSON data may hold "\\u003cscript")
    for raw in (script, img, "<script>alert", "<img src=x"):
        assert raw not in page, raw


ODD_LABELS = "\n".join([
    "2025年工作回顾",
    "“>100%”高铁建成通车。",
    '甬金"衢上"高速开工建设。',
    "杭衢 50% 高铁项目建成通车。",
    "🚄未来社区😀项目开工建设。",
    "衢州﨑豈研究院入选国家级制造业中试平台。",  # CJK compatibility ideographs
    "衢州<b>&amp;研究院\\u0000{x}|^`项目建成投用。",
])


def test_odd_labels_make_valid_iris_in_every_format(tmp_path: Path) -> None:
    """Labels with > " % spaces, emoji and CJK compatibility characters: valid IRIs everywhere.

    The Turtle is read back by rdflib and pyoxigraph; N-Triples, N-Quads, TriG, JSON-LD and
    RDF/XML written from it are read back too, each isomorphic to the Turtle.
    """
    path = tmp_path / "odd.txt"
    path.write_text(ODD_LABELS, encoding="utf-8")
    g = built(kg("build", path, "-o", tmp_path, *GIVEN), tmp_path, "odd")
    labels = {str(o) for o in g.objects(None, rdflib.RDFS.label)}
    assert any(">" in x and "%" in x for x in labels) and any("|" in x and "`" in x for x in labels), labels
    literals = {str(o) for o in g.objects() if isinstance(o, rdflib.Literal)}
    assert any("🚄" in x for x in literals) and any('"' in x for x in literals)
    iris = {str(t) for triple in g for t in triple if isinstance(t, rdflib.URIRef)}
    bad = [i for i in iris if not re.fullmatch(r"[A-Za-z0-9:/._~#%?=&+-]+", i)]
    assert bad == []
    data = (tmp_path / "odd.ttl").read_bytes()
    ox_triples = list(ox.parse(data, format=ox.RdfFormat.TURTLE))
    assert len(ox_triples) == len(g)
    for fmt in (ox.RdfFormat.N_TRIPLES, ox.RdfFormat.TURTLE, ox.RdfFormat.RDF_XML):
        again = rdflib.Graph().parse(data=ox.serialize(ox_triples, format=fmt).decode("utf-8"),
                                     format={"N-Triples": "nt", "Turtle": "turtle", "RDF/XML": "xml"}[fmt.name])
        assert isomorphic(again, g), fmt.name
    quads = [ox.Quad(t.subject, t.predicate, t.object, ox.NamedNode("https://example.org/g")) for t in ox_triples]
    for qfmt in (ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG):
        back = list(ox.parse(ox.serialize(quads, format=qfmt), format=qfmt))
        assert sorted(map(str, back)) == sorted(map(str, quads)), qfmt.name
    jsonld = g.serialize(format="json-ld")  # rdflib writes it, pyoxigraph reads it back
    back = ox.serialize(ox.parse(jsonld.encode("utf-8"), format=ox.RdfFormat.JSON_LD), format=ox.RdfFormat.N_TRIPLES)
    assert isomorphic(rdflib.Graph().parse(data=back.decode("utf-8"), format="nt"), g)


def test_english_article(tmp_path: Path) -> None:
    """Not a report: with --year and --region a near-empty graph and a warning; else a clear error."""
    article = ("The city council met on Tuesday to discuss the new library. Residents asked for longer "
               "opening hours, and the mayor promised a decision by spring. ") * 40
    path = tmp_path / "article.txt"
    path.write_text(article, encoding="utf-8")
    g = built(kg("build", path, "-o", tmp_path, *GIVEN), tmp_path, "article",
              r"article\.txt: only 0% of its letters are Chinese; is this a government work report\?")
    assert len(g) < 100
    one_error(kg("build", path, "-o", tmp_path / "x"), r"article\.txt: cannot tell the report's year")


def test_folder_of_good_and_bad_files(tmp_path: Path) -> None:
    """The good files are built, each bad one is one line on stderr, exit 2."""
    folder = tmp_path / "reports"
    folder.mkdir()
    text = _sample()
    (folder / "good.txt").write_text(text, encoding="utf-8")
    (folder / "page.html").write_bytes(make_html(paragraphs(text), "gb18030", "gb2312"))
    (folder / "empty.txt").write_bytes(b"")
    (folder / "photo.txt").write_bytes(PNG)
    (folder / "cut.pdf").write_bytes(make_pdf(paragraphs(text))[:2000])
    (folder / "notes.xlsx").write_bytes(b"PK\x03\x04")
    (folder / "._good.txt").write_bytes(b"\x00\x05\x16\x07")  # macOS litter: skipped silently
    out = tmp_path / "out"
    run = kg("build", folder, "-o", out, *GIVEN, timeout=180)
    assert "Traceback" not in run.err
    assert run.code == 2
    err = run.err.splitlines()
    assert err[0] == f"kg: warning: {folder}: skipped 1 files that are not reports (notes.xlsx)"
    failures = sorted(err[1:])
    assert len(failures) == 3 and all(line.startswith("kg: error: ") for line in failures), err
    assert re.search(r"cut\.pdf: cannot read the PDF", failures[0])
    assert re.search(r"empty\.txt: the file is empty", failures[1])
    assert re.search(r"photo\.txt: a PNG image", failures[2])
    for stem in ("good", "page"):
        assert (out / f"{stem}.ttl").is_file() and (out / f"{stem}.html").is_file()
    no_outputs(out, "empty", "photo", "cut")


def test_output_folder_not_writable(tmp_path: Path) -> None:
    """An output folder that cannot be made: one line before any work, exit 2."""
    blocker = tmp_path / "file"
    blocker.write_text("x")
    one_error(kg("build", SAMPLE, "-o", blocker / "out", *GIVEN), r"file/out: cannot write here")
    one_error(kg("build", SAMPLE, "-o", "/proc/kg-out", *GIVEN), r"/proc/kg-out: cannot write here")


@pytest.mark.skipif(os.geteuid() == 0, reason="root writes into read-only folders; the cases above still run")
def test_output_folder_read_only(tmp_path: Path) -> None:
    """A folder without write permission: one line, exit 2."""
    out = tmp_path / "ro"
    out.mkdir()
    out.chmod(0o500)
    try:
        one_error(kg("build", SAMPLE, "-o", out, *GIVEN), r"ro: cannot write here")
    finally:
        out.chmod(0o700)


def test_interrupted_build_leaves_no_partial_file(tmp_path: Path) -> None:
    """kill -9 mid-build, several times: every file under its final name is whole; the next
    build removes the temp files the killed one left and finishes."""
    folder = tmp_path / "reports"
    folder.mkdir()
    for i in range(4):
        for src in sorted(CORPUS.glob("*.txt")):
            (folder / f"{src.stem}_{i}.txt").write_bytes(src.read_bytes())
    out = tmp_path / "out"
    env = {k: v for k, v in os.environ.items() if k != "KG_DEBUG"}
    for delay in (2.0, 4.0, 6.5):
        proc = subprocess.Popen([sys.executable, "-m", "kg", "build", str(folder), "-o", str(out)],
                                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, env=env, start_new_session=True)
        time.sleep(delay)
        os.killpg(proc.pid, signal.SIGKILL)  # the command and its worker processes
        proc.wait()
        time.sleep(0.2)
        _assert_whole(out)
    run = kg("build", folder, "-o", out, timeout=600)
    assert run.code == 0, run.err
    _assert_whole(out)
    assert [p.name for p in out.iterdir() if p.name.endswith(".tmp")] == []


def _assert_whole(out: Path) -> None:
    if not out.exists():
        return
    for f in out.iterdir():
        if f.suffix == ".ttl":
            list(ox.parse(path=str(f), format=ox.RdfFormat.TURTLE))  # raises on a truncated file
        elif f.suffix == ".html":
            assert f.read_text(encoding="utf-8").rstrip().endswith("</html>"), f
        elif f.suffix in (".nq", ".trig"):
            list(ox.parse(path=str(f), format=ox.RdfFormat.N_QUADS if f.suffix == ".nq" else ox.RdfFormat.TRIG))


def test_stdin(tmp_path: Path) -> None:
    """`-` reads standard input (any supported form) and writes stdin.ttl; empty input is an error."""
    out = tmp_path / "out"
    built(kg("build", "-", "-o", out, *GIVEN, stdin=_sample().encode("gbk")), out, "stdin")
    one_error(kg("build", "-", "-o", out, *GIVEN, stdin=b""), r"<stdin>: the file is empty")
    one_error(kg("build", "-", SAMPLE, "-o", out), r"`-` \(standard input\) must be the only input")


def test_bad_options(tmp_path: Path) -> None:
    """An unknown encoding and two inputs writing the same files are refused before any work."""
    one_error(kg("build", SAMPLE, "-o", tmp_path, "--encoding", "klingon"), r"--encoding klingon: unknown encoding")
    (tmp_path / "a.txt").write_text(_sample(), encoding="utf-8")
    (tmp_path / "a.html").write_bytes(make_html(paragraphs(_sample())))
    one_error(kg("build", tmp_path / "a.txt", tmp_path / "a.html", "-o", tmp_path / "out"),
              r"a\.txt and .*a\.html would both write .*a\.ttl")
