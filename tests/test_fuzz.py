"""Properties, fuzzed with hypothesis: whatever the input, our error or a sound graph.

- Any bytes, and bytes that start like a PDF, a Word file or a web page, are read into a
  report or refused with InputError: never another exception.
- Any Unicode text, and report-like text (headings, places, industries, numbers, units),
  either builds a graph or raises KgError; every graph serialises to Turtle that rdflib
  and pyoxigraph read back to an isomorphic graph, passes SHACL, and is byte-identical when
  built twice.

Run with `--hypothesis-show-statistics` to see the example counts. In CI (CI=true) the
examples are derandomised, so a run is reproducible.
"""
from __future__ import annotations

import io
import os
import zipfile

import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from rdflib.compare import isomorphic

from kg.api import build_report
from kg.errors import InputError, KgError
from kg.rdf.export import serialize_turtle
from kg.rdf.validate import validate_graph
from kg.rdf.vocab import DEFAULT_BASE
from kg.text.formats import read_report

FUZZ = settings(max_examples=200, deadline=None, derandomize=bool(os.environ.get("CI")), database=None,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])
SLOW = settings(FUZZ, max_examples=30)

# --- readers ---------------------------------------------------------------------------------

_docx_like = st.builds(
    lambda name, body: _zip({name: body}),
    st.sampled_from(["word/document.xml", "[Content_Types].xml", "xl/workbook.xml"]), st.binary(max_size=300))


def _zip(files: dict[str, bytes]) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w") as z:
        for name, body in files.items():
            z.writestr(name, body)
    return buf.getvalue()


_bytes = st.one_of(
    st.binary(max_size=2000),
    st.builds(lambda b: b"%PDF-1.4\n" + b, st.binary(max_size=500)),
    st.builds(lambda b: b"%PDF-1.4\n1 0 obj << /Type /Catalog /Pages 2 0 R >> endobj\n" + b + b"\n%%EOF",
              st.binary(max_size=300)),
    _docx_like,
    st.builds(lambda t: ("<!DOCTYPE html><html><head><meta charset=gb2312></head><body><p>" + t).encode("utf-8", "replace"),
              st.text(max_size=300)),
    st.builds(lambda t, enc: t.encode(enc, "ignore"), st.text(max_size=300), st.sampled_from(
        ["utf-8", "gb18030", "big5", "utf-16", "utf-16-le", "shift_jis", "latin-1"])),
)


@FUZZ
@given(data=_bytes, name=st.sampled_from(["x.txt", "x.html", "x.pdf", "x.docx", "<stdin>"]))
def test_any_bytes_are_read_or_refused(data: bytes, name: str) -> None:
    """Whatever the bytes and the name: a Document with text, or InputError naming the input."""
    try:
        doc = read_report(data, name)
    except InputError as exc:
        assert str(exc).startswith(name), exc
        assert "\n" not in str(exc)
        return
    assert doc.text.strip()
    assert "\x00" not in doc.text


# --- text to graph -----------------------------------------------------------------------------

PLACES = ["衢州市", "柯城区", "浙江省", "江山市", "龙游县"]
THINGS = ["新材料产业链", "杭衢高铁", "浙大衢州研究院", "衢州综保区", "未来社区", "中试平台", "“千项万亿”工程",
          "甬金衢上高速", "数字经济", "共同富裕示范区", "🚄高铁>站", '"引号"项目', "50% 工程"]
INDICATORS = ["地区生产总值", "固定资产投资", "社会消费品零售总额", "一般公共预算收入", "城镇调查失业率",
              "规模以上工业增加值", "产值", "居民人均可支配收入"]
UNITS = ["%", "亿元", "万人", "个百分点", "个", "家", "公里", "万元", ""]
VERBS = ["增长", "达到", "下降", "突破", "完成", "增至", "控制在", "新增"]
TAILS = ["左右", "以上", "以内", "", "", ""]
STAGES = ["建成通车", "开工建设", "竣工投用", "入选国家级制造业中试平台", "获评全国文明城市", "加快推进"]
HEADINGS = ["一、2025年工作回顾", "二、2026年重点工作", "2026年主要预期目标", "（一）持续推动产业升级",
            "“十四五”发展成就", "今后五年的目标任务"]

_number = st.one_of(st.integers(0, 100000).map(str),
                    st.decimals(0, 1000, places=1, allow_nan=False, allow_infinity=False).map(str))
_quantity = st.builds(lambda ind, verb, num, unit, tail: f"{ind}{verb}{num}{unit}{tail}",
                      st.sampled_from(INDICATORS), st.sampled_from(VERBS), _number, st.sampled_from(UNITS),
                      st.sampled_from(TAILS))
_range = st.builds(lambda ind, a, b: f"{ind}增长{a}—{b}%", st.sampled_from(INDICATORS), st.integers(0, 9),
                   st.integers(0, 12))
_event = st.builds(lambda place, thing, stage: f"{place}{thing}{stage}", st.sampled_from(PLACES + [""]),
                   st.sampled_from(THINGS), st.sampled_from(STAGES))
_clause = st.one_of(_quantity, _range, _event, st.text(max_size=12))
_sentence = st.builds(lambda clauses, end: "，".join(clauses) + end, st.lists(_clause, min_size=1, max_size=5),
                      st.sampled_from(["。", "；", "！", "", "。\n"]))
_line = st.one_of(st.sampled_from(HEADINGS), st.builds("".join, st.lists(_sentence, min_size=1, max_size=4)))
report_like = st.builds("\n".join, st.lists(_line, min_size=1, max_size=12))


def _graph_or_error(text: str) -> list[ox.Triple] | None:
    """Build a text: return its triples, or None when it raised our own error."""
    try:
        return build_report(text, year=2026, region="衢州市").triples
    except KgError:
        return None


def _check_round_trip(triples: list[ox.Triple]) -> rdflib.Graph:
    """Turtle read back by rdflib and by pyoxigraph gives the same graph as the triples."""
    turtle = serialize_turtle(triples, DEFAULT_BASE)
    by_rdflib = rdflib.Graph().parse(data=turtle.decode("utf-8"), format="turtle")
    by_ox = list(ox.parse(turtle, format=ox.RdfFormat.TURTLE))
    assert sorted(map(str, by_ox)) == sorted(map(str, triples))
    nt = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8")
    assert isomorphic(by_rdflib, rdflib.Graph().parse(data=nt, format="nt"))
    return by_rdflib


@FUZZ
@given(st.text(max_size=400))
def test_any_text_builds_or_raises_our_error(text: str) -> None:
    """Any Unicode text: a graph that round-trips, or a KgError; nothing else escapes."""
    triples = _graph_or_error(text)
    if triples is not None:
        _check_round_trip(triples)


@FUZZ
@given(report_like)
def test_report_like_text_round_trips_and_is_deterministic(text: str) -> None:
    """Report-like text: Turtle that rdflib and pyoxigraph read back alike; the same bytes twice."""
    triples = _graph_or_error(text)
    if triples is None:
        return
    _check_round_trip(triples)
    again = _graph_or_error(text)
    assert again is not None
    assert serialize_turtle(again, DEFAULT_BASE) == serialize_turtle(triples, DEFAULT_BASE)


@SLOW
@given(st.one_of(report_like, st.text(max_size=200)))
def test_every_graph_conforms_to_the_shapes(text: str) -> None:
    """Every graph built passes SHACL validation (fewer examples: pySHACL is slow)."""
    triples = _graph_or_error(text)
    if triples is None:
        return
    report = validate_graph(_check_round_trip(triples))
    assert report.conforms, report.text[:2000]


@pytest.mark.parametrize("text", ["\x00", "衢州\x00市", "\ud800", "\U0010ffff", "﷐", "\u2028\u2029", "\x85"])
def test_awkward_characters(text: str) -> None:
    """Characters that break serialisers elsewhere: NUL, a lone surrogate, non-characters, line separators."""
    triples = _graph_or_error(f"2026年重点工作\n杭衢高铁{text}建成通车。")
    if triples is not None:
        _check_round_trip(triples)
