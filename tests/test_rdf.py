"""Tests for kg.rdf: stable ASCII IRIs, canonical decimals, deterministic Turtle, atomic writes."""
from __future__ import annotations

import os
import subprocess
import sys
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib

from graphs import assert_isomorphic
import kg.api
from kg.errors import OutputError
from kg.model import Observation, Period
from kg.rdf.build import baseline_pairs, build_triples, decimal_text, quoted, sort_triples
from kg.rdf.export import serialize_turtle, write_atomic, write_turtle
from kg.rdf.iri import Minter
from kg.rdf.vocab import DEFAULT_BASE, XSD

OTHER_BASE = "https://example.org/kg/"




def _ox_to_rdflib(triples: list[ox.Triple]) -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8"), format="nt")
    return g


# --- IRIs -------------------------------------------------------------------------------------

KEYS = ["衢州市", "衢州综合保税区", "杭衢高铁", "“企呼我应”机制", "A股上市公司", "10+2"]


@pytest.mark.parametrize("key", KEYS)
def test_minter_is_stable_across_instances(key: str) -> None:
    """The same key gives the same IRI from any Minter over the same base."""
    assert Minter(DEFAULT_BASE).entity(key) == Minter(DEFAULT_BASE).entity(key)
    assert Minter(DEFAULT_BASE).indicator(key) == Minter(DEFAULT_BASE).indicator(key)


@pytest.mark.parametrize("key", KEYS)
def test_minter_iris_are_ascii(key: str) -> None:
    """Local names are ASCII whatever characters the names hold."""
    m = Minter(DEFAULT_BASE)
    for iri in (m.entity(key), m.indicator(key), m.observation(key, 1, Decimal("5.5")), m.statement(key, "partOf")):
        assert iri.value.isascii()
        assert iri.value.startswith(DEFAULT_BASE)


def test_minter_distinguishes_keys_and_kinds() -> None:
    """Different keys, and the same key as entity or indicator, give different IRIs."""
    m = Minter(DEFAULT_BASE)
    assert len({m.entity(k).value for k in KEYS}) == len(KEYS)
    assert m.entity("地区生产总值") != m.indicator("地区生产总值")


def test_minter_base() -> None:
    """IRIs live under the base the user gives, with or without a trailing slash."""
    assert Minter("https://example.org/kg").entity("衢州市") == Minter("https://example.org/kg/").entity("衢州市")
    assert Minter(OTHER_BASE).entity("衢州市").value.startswith(OTHER_BASE)
    assert Minter(OTHER_BASE).period(Period(2021, 2025)).value == OTHER_BASE + "period/2021-2025"
    assert Minter(OTHER_BASE).period(Period(2025, 2025)).value == OTHER_BASE + "period/2025"


# --- literals ---------------------------------------------------------------------------------

@pytest.mark.parametrize(("number", "text"), [
    ("5.5", "5.5"),
    ("5.50", "5.5"),
    ("6", "6"),
    ("1E+3", "1000"),
    ("100", "100"),
    ("-15.7", "-15.7"),
    ("0.75", "0.75"),
    ("0.00", "0"),
    ("2125.2", "2125.2"),
])
def test_decimal_text(number: str, text: str) -> None:
    """Decimals are written in canonical lexical form: no exponent, no trailing zeros."""
    assert decimal_text(Decimal(number)) == text


def test_numbers_are_decimals(sample_build: kg.api.Built) -> None:
    """Observed values are xsd:decimal literals."""
    values = [t.object for t in sample_build.triples if t.predicate.value.endswith("#value")]
    assert values and all(isinstance(v, ox.Literal) and v.datatype == ox.NamedNode(XSD + "decimal") for v in values)


@pytest.mark.parametrize("text", ["", "衢州", 'say "hi"', "a\\b", "line\nbreak\r\t\b\f", "\x00\x1f\x7f",
                                  "\ufffe\uffff", "\u2028\u00a0\U00020000", "“引号”—…"])
def test_quoted_is_how_pyoxigraph_writes_literals(text: str) -> None:
    """The graph is sorted by literals as pyoxigraph writes them: quoted() must write them alike."""
    assert quoted(text) == str(ox.Literal(text))


def test_triples_are_in_sort_triples_order(sample_build: kg.api.Built) -> None:
    """build_triples sorts its rows as sort_triples sorts pyoxigraph triples."""
    assert sample_build.triples == sort_triples(sample_build.triples)


# --- the sample graph -------------------------------------------------------------------------

def test_build_is_deterministic(sample_build: kg.api.Built) -> None:
    """Building the same extraction twice gives byte-identical Turtle."""
    x = sample_build.extraction
    first = serialize_turtle(build_triples(x), DEFAULT_BASE)
    second = serialize_turtle(build_triples(x), DEFAULT_BASE)
    assert first == second
    assert first == serialize_turtle(sample_build.triples, DEFAULT_BASE)
    assert first == serialize_turtle(sample_build.graph.quads(), DEFAULT_BASE)  # how kg build writes it


def test_report_graph_ntriples_are_pyoxigraphs(sample_build: kg.api.Built) -> None:
    """The build's own N-Triples document is what pyoxigraph writes of its triples, byte for byte."""
    assert sample_build.graph.ntriples == ox.serialize(sample_build.triples, format=ox.RdfFormat.N_TRIPLES)
    assert sample_build.graph.triples() == sample_build.triples
    assert len(sample_build.graph) == len(sample_build.triples)


def test_triples_are_sorted_and_unique(sample_build: kg.api.Built) -> None:
    """build_triples returns a duplicate-free list."""
    triples = sample_build.triples
    assert len(set(triples)) == len(triples)


def test_iris_are_ascii(sample_build: kg.api.Built) -> None:
    """Every IRI of the sample graph is plain ASCII."""
    for t in sample_build.triples:
        for term in (t.subject, t.predicate, t.object):
            if isinstance(term, ox.NamedNode):
                assert term.value.isascii(), term


def test_no_blank_nodes(sample_build: kg.api.Built) -> None:
    """Every node is named, so graphs of many reports merge without blank-node clashes."""
    for t in sample_build.triples:
        assert not isinstance(t.subject, ox.BlankNode)
        assert not isinstance(t.object, ox.BlankNode)


def test_turtle_round_trips_through_rdflib(sample_build: kg.api.Built, sample_graph: rdflib.Graph) -> None:
    """The Turtle parses with rdflib into the graph that was built."""
    ttl = serialize_turtle(sample_build.triples, DEFAULT_BASE)
    parsed = rdflib.Graph().parse(data=ttl.decode("utf-8"), format="turtle")
    assert_isomorphic(parsed, sample_graph)


def test_turtle_round_trips_through_pyoxigraph(sample_build: kg.api.Built, sample_graph: rdflib.Graph) -> None:
    """The Turtle parses with pyoxigraph into the same triples, and to a graph isomorphic to rdflib's."""
    ttl = serialize_turtle(sample_build.triples, DEFAULT_BASE)
    triples = [q.triple for q in ox.parse(ttl, format=ox.RdfFormat.TURTLE)]
    assert set(triples) == set(sample_build.triples)
    assert_isomorphic(_ox_to_rdflib(triples), sample_graph)


def test_triples_to_rdflib_makes_the_terms_of_rdflibs_parser() -> None:
    """The rdflib graph holds what rdflib would parse from the triples' N-Triples: escapes,
    languages, datatypes (lexical forms kept) and blank nodes."""
    s, p = ox.NamedNode("https://example.org/s"), ox.NamedNode("https://example.org/p")
    objects = [ox.Literal('say "hi"\n\\ \x00\uffff\U00020000'), ox.Literal("衢州", language="zh"),
               ox.Literal("5.50", datatype=ox.NamedNode(XSD + "decimal")),
               ox.Literal("7", datatype=ox.NamedNode(XSD + "integer")), ox.BlankNode("b1"), ox.NamedNode("https://example.org/o")]
    triples = [ox.Triple(s, p, o) for o in objects] + [ox.Triple(ox.BlankNode("b1"), p, s)]
    assert_isomorphic(kg.api.triples_to_rdflib(triples), _ox_to_rdflib(triples))


def test_base_changes_instance_iris_only(sample_build: kg.api.Built) -> None:
    """Another base moves every instance IRI under it and leaves the ontology terms alone."""
    triples = build_triples(sample_build.extraction, OTHER_BASE)
    subjects = {t.subject.value for t in triples if isinstance(t.subject, ox.NamedNode)}
    assert subjects and all(s.startswith(OTHER_BASE) for s in subjects)
    assert any(t.predicate.value.startswith("https://w3id.org/govkg/ontology#") for t in triples)
    assert len(triples) == len(sample_build.triples)


def test_build_is_deterministic_across_processes(sample_path: Path, tmp_path: Path) -> None:
    """Fresh interpreters with different hash seeds write the same bytes (no set or dict order leaks).

    The two builds run side by side, so both see the same code even while it is being edited.
    """
    code = (
        "import sys, pathlib, kg.api\n"
        "from kg.rdf.export import write_turtle\n"
        "from kg.rdf.vocab import DEFAULT_BASE\n"
        "b = kg.api.build_report(pathlib.Path(sys.argv[1]), year=2026, region='衢州市')\n"
        "write_turtle(pathlib.Path(sys.argv[2]), b.triples, DEFAULT_BASE)\n"
    )
    runs = []
    for seed in ("1", "4242"):
        out = tmp_path / f"seed{seed}.ttl"
        env = {**os.environ, "PYTHONHASHSEED": seed}
        runs.append((out, subprocess.Popen([sys.executable, "-c", code, str(sample_path), str(out)], env=env,
                                           stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)))
    for out, proc in runs:
        _, err = proc.communicate(timeout=120)
        assert proc.returncode == 0, err.decode("utf-8", "replace")
    (a, _), (b, _) = runs
    assert a.read_bytes() == b.read_bytes()


# --- writing files ----------------------------------------------------------------------------

def _leftovers(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


def test_write_atomic_writes_and_leaves_no_temp(tmp_path: Path) -> None:
    """The file holds the bytes; no temp file is left; missing folders are made."""
    path = tmp_path / "deep" / "er" / "graph.ttl"
    write_atomic(path, b"hello")
    assert path.read_bytes() == b"hello"
    assert _leftovers(path.parent) == []


def test_write_atomic_replaces_by_rename(tmp_path: Path) -> None:
    """An existing file is replaced whole: a reader holding the old file still sees the old bytes."""
    path = tmp_path / "graph.ttl"
    path.write_bytes(b"old contents")
    with path.open("rb") as reader:
        write_atomic(path, b"new")
        assert reader.read() == b"old contents"
    assert path.read_bytes() == b"new"
    assert _leftovers(tmp_path) == []


def test_write_atomic_failure_keeps_old_file(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """When the final rename fails, the old file is whole, the temp file gone, and OutputError raised."""
    path = tmp_path / "graph.ttl"
    path.write_bytes(b"old contents")

    def broken_replace(src: str, dst: str) -> None:
        raise OSError(28, "No space left on device")

    monkeypatch.setattr(os, "replace", broken_replace)
    with pytest.raises(OutputError, match="graph.ttl"):
        write_atomic(path, b"new")
    monkeypatch.undo()
    assert path.read_bytes() == b"old contents"
    assert _leftovers(tmp_path) == []


def test_write_under_a_file_raises_output_error(tmp_path: Path) -> None:
    """A folder that is really a file cannot be written into (fails for root too)."""
    blocker = tmp_path / "not-a-folder"
    blocker.write_text("x")
    with pytest.raises(OutputError, match="not-a-folder"):
        write_turtle(blocker / "graph.ttl", [], DEFAULT_BASE)


@pytest.mark.skipif(not hasattr(os, "geteuid") or os.geteuid() == 0,
                    reason="root ignores folder permissions")
def test_write_into_read_only_folder_raises_output_error(tmp_path: Path) -> None:
    """A folder without write permission is an OutputError naming it."""
    folder = tmp_path / "ro"
    folder.mkdir()
    folder.chmod(0o500)
    try:
        with pytest.raises(OutputError, match="ro"):
            write_atomic(folder / "graph.ttl", b"x")
    finally:
        folder.chmod(0o700)


def test_output_error_exit_code() -> None:
    """Output errors mean the command could not run: exit 2."""
    assert OutputError("x").exit_code == 2


# --- gkg:baseline: a target and the earlier results of its own report ----------------------------

def _obs(status: str, year: int, value: str | None = "5", unit: str = "%", measure: str = "Growth",
         indicator: str = "地区生产总值", subject: str | None = None) -> Observation:
    return Observation(indicator, indicator, status, unit, Period(year, year), measure, 0,
                       value=Decimal(value) if value else None, subject=subject)


def test_baseline_pairs_a_target_with_earlier_results_of_the_same_thing() -> None:
    """Same indicator, measure, subject; an earlier year; units equal or one missing; a result with a value."""
    obs = [
        _obs("target", 2026),                              # 0: the target
        _obs("actual", 2025),                              # 1: yes
        _obs("actual", 2024, unit=""),                     # 2: yes, unit missing
        _obs("actual", 2026),                              # 3: no, same year
        _obs("actual", 2025, unit="亿元"),                 # 4: no, another unit
        _obs("actual", 2025, measure="Level"),             # 5: no, another measure
        _obs("actual", 2025, indicator="固定资产投资"),    # 6: no, another indicator
        _obs("actual", 2025, subject="新材料产业链"),      # 7: no, about something else
        _obs("actual", 2025, value=None),                  # 8: no value
        _obs("target", 2025),                              # 9: a target is no baseline
    ]
    assert sorted(baseline_pairs(obs)) == [(0, 1), (0, 2), (9, 2)]


def test_baseline_links_are_in_the_graph(sample_build: kg.api.Built) -> None:
    """The sample's 2026 GDP target links to its 2025 result."""
    store = ox.Store()
    store.extend(ox.Quad(t.subject, t.predicate, t.object) for t in sample_build.triples)
    rows = list(store.query(
        "PREFIX gkg: <https://w3id.org/govkg/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
        "SELECT ?v WHERE { ?t gkg:baseline ?r ; gkg:indicator ?i . ?i rdfs:label '地区生产总值'@zh . ?r gkg:value ?v }"))
    assert [r["v"].value for r in rows] == ["5.5"]
