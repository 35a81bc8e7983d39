"""Tests for kg.rdf.export: every format round-trips to the same graph, datasets name the report's graph."""
from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import warnings
from pathlib import Path

import networkx as nx
import pyoxigraph as ox
import pytest
import rdflib
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from graphs import assert_isomorphic
import kg.api
from kg.errors import OptionError
from kg.rdf.export import (EXPORT_FORMATS, export_format, report_iri, serialize_graph, serialize_graphml,
                           write_exports)
from kg.rdf.iri import Minter
from kg.rdf.vocab import DEFAULT_BASE, GKG, RDF, RDFS, SKOS
from kg.views.network import to_networkx

RDF_FORMATS = ["ttl", "nt", "nq", "trig", "jsonld"]
RDFLIB_NAMES = {"ttl": "turtle", "nt": "nt", "nq": "nquads", "trig": "trig", "jsonld": "json-ld"}


def _rdflib(triples: list[ox.Triple]) -> rdflib.Graph:
    g = rdflib.Graph()
    g.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8"), format="nt")
    return g




def read_back_rdflib(data: bytes, ext: str) -> tuple[rdflib.Graph, set[str]]:
    """Parse a file's bytes with rdflib; return its triples (all graphs) and its named graphs."""
    if ext in ("nq", "trig"):
        ds = rdflib.Dataset()
        with warnings.catch_warnings():  # rdflib 7.6's Dataset.parse calls its own deprecated default_context
            warnings.simplefilter("ignore", DeprecationWarning)
            ds.parse(data=data, format=RDFLIB_NAMES[ext])
        merged = rdflib.Graph()
        names = set()
        for s, p, o, g in ds.quads((None, None, None, None)):
            merged.add((s, p, o))
            names.add(str(g.identifier if isinstance(g, rdflib.Graph) else g))
        return merged, names
    with warnings.catch_warnings():  # rdflib 7.6's JSON-LD parser builds its own deprecated ConjunctiveGraph
        warnings.simplefilter("ignore", DeprecationWarning)
        return rdflib.Graph().parse(data=data, format=RDFLIB_NAMES[ext]), set()


def read_back_oxigraph(data: bytes, ext: str) -> tuple[rdflib.Graph, set[str]]:
    """Parse a file's bytes with pyoxigraph; return its triples and the names of its graphs."""
    quads = list(ox.parse(data, format=ox.RdfFormat.from_extension(ext)))
    names = {q.graph_name.value for q in quads if isinstance(q.graph_name, ox.NamedNode)}
    return _rdflib([ox.Triple(q.subject, q.predicate, q.object) for q in quads]), names


# --- formats ----------------------------------------------------------------------------------

@pytest.mark.parametrize("name", EXPORT_FORMATS)
def test_export_formats_are_pyoxigraphs(name: str) -> None:
    """Every format but GraphML is pyoxigraph's own RdfFormat, found by its extension."""
    fmt = export_format(name)
    if name == "graphml":
        assert fmt == "graphml"
    else:
        assert isinstance(fmt, ox.RdfFormat) and fmt.file_extension == name


@pytest.mark.parametrize("name", ["xyz", "", "csv"])
def test_unknown_format_is_refused(name: str) -> None:
    """An unknown format is an OptionError naming the choices."""
    with pytest.raises(OptionError, match="choose from ttl, nt, nq, trig, jsonld, graphml"):
        export_format(name)


@pytest.mark.parametrize("ext", RDF_FORMATS)
def test_sample_round_trips(sample_build: kg.api.Built, ext: str) -> None:
    """The sample in each format reads back, with rdflib and with pyoxigraph, to the same graph."""
    data = serialize_graph(sample_build.triples, ox.RdfFormat.from_extension(ext), DEFAULT_BASE)
    original = _rdflib(sample_build.triples)
    report = report_iri(sample_build.triples)
    assert report is not None
    for reader in (read_back_rdflib, read_back_oxigraph):
        graph, names = reader(data, ext)
        assert_isomorphic(original, graph)
        if ext in ("nq", "trig"):
            assert names == {report.value}, "a dataset holds one named graph: the report's"


def test_jsonld_has_a_compact_context(sample_build: kg.api.Built) -> None:
    """JSON-LD carries a @context of our prefixes and uses compact IRIs."""
    doc = json.loads(serialize_graph(sample_build.triples, ox.RdfFormat.JSON_LD, DEFAULT_BASE))
    assert doc["@context"]["gkg"] == GKG
    assert {"rdfs", "skos", "xsd", "dcterms", "ent", "ind", "obs"} <= set(doc["@context"])
    text = json.dumps(doc, ensure_ascii=False)
    assert '"gkg:Target"' in text and '"rdfs:label"' in text
    assert GKG + "Target" not in text


def test_jsonld_is_stable_across_hash_seeds(tmp_path: Path) -> None:
    """JSON-LD bytes do not depend on Python's hash seed (rdflib's order does; ours is sorted)."""
    script = (
        "import sys, pyoxigraph as ox\n"
        "from kg.rdf.export import serialize_jsonld\n"
        "from kg.rdf.iri import Minter\n"
        "m = Minter('https://w3id.org/govkg/id/')\n"
        "lab = ox.NamedNode('http://www.w3.org/2000/01/rdf-schema#label')\n"
        "t = [ox.Triple(m.entity(str(i)), lab, ox.Literal(f'名{i}{j}', language='zh')) for i in range(30) for j in range(3)]\n"
        "sys.stdout.buffer.write(serialize_jsonld(t, m.base))\n")
    outs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        outs.add(subprocess.run([sys.executable, "-c", script], env=env, capture_output=True, check=True).stdout)
    assert len(outs) == 1


def test_formats_are_deterministic(sample_build: kg.api.Built) -> None:
    """Two serialisations of the same triples are byte-identical; JSON-LD even whatever their order."""
    for ext in RDF_FORMATS:
        fmt = ox.RdfFormat.from_extension(ext)
        assert serialize_graph(sample_build.triples, fmt, DEFAULT_BASE) == \
            serialize_graph(list(sample_build.triples), fmt, DEFAULT_BASE)
    assert serialize_graph(sample_build.triples, ox.RdfFormat.JSON_LD, DEFAULT_BASE) == \
        serialize_graph(list(reversed(sample_build.triples)), ox.RdfFormat.JSON_LD, DEFAULT_BASE)


def test_graphml_for_gephi(sample_build: kg.api.Built) -> None:
    """GraphML holds the network view with label, type and aliases as plain string attributes."""
    view = to_networkx(_rdflib(sample_build.triples))
    back = nx.read_graphml(io.BytesIO(serialize_graphml(view)), force_multigraph=True)
    assert back.number_of_nodes() == view.number_of_nodes()
    assert back.number_of_edges() == view.number_of_edges()
    for node, data in view.nodes(data=True):
        got = back.nodes[node]
        assert got["label"] == data["label"] and got["type"] == data["type"]
        assert got["aliases"] == "|".join(data["aliases"])
    assert {d["relation"] for _, _, d in back.edges(data=True)} <= {"partOf", "selectedAs", "locatedIn",
                                                                     "indicator", "subject"}


def test_write_exports(sample_build: kg.api.Built, tmp_path: Path) -> None:
    """write_exports writes each format next to the stem, atomically, and only once per format."""
    stem = tmp_path / "quzhou"
    calls = []

    def network() -> nx.MultiDiGraph:
        calls.append(1)
        return to_networkx(_rdflib(sample_build.triples))

    written = write_exports(stem, sample_build.triples, DEFAULT_BASE, ["nt", "nq", "nq", "graphml", "jsonld"], network)
    assert [p.name for p in written] == ["quzhou.nt", "quzhou.nq", "quzhou.graphml", "quzhou.jsonld"]
    assert calls == [1]
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(p.name for p in written)


def test_dataset_needs_one_report() -> None:
    """N-Quads of triples without a single gkg:Report needs an explicit graph name."""
    from kg.errors import OutputError

    t = [ox.Triple(ox.NamedNode("http://example.org/a"), ox.NamedNode(RDFS + "label"), ox.Literal("a"))]
    with pytest.raises(OutputError):
        serialize_graph(t, ox.RdfFormat.N_QUADS, DEFAULT_BASE)
    g = ox.NamedNode("http://example.org/g")
    assert b"<http://example.org/g>" in serialize_graph(t, ox.RdfFormat.N_QUADS, DEFAULT_BASE, graph=g)


# --- awkward names: IRIs stay valid, literals survive every format ------------------------------

NASTY = ['衢州"港"', "a b", "<script>", "100%", "%E8%A1%A2", "back\\slash", "line\nbreak", "tab\there",
         "}{", "'quote'", "#hash", "𠀀 (CJK Ext. B)", "", " ", "\u200b", "ctrl\x01\x1f", "€", "@zh", "_:b0"]


def nasty_triples(names: list[str], base: str = DEFAULT_BASE) -> list[ox.Triple]:
    """A small report graph whose names hold every character that breaks IRIs or parsers."""
    m = Minter(base)
    report = m.report("f" * 64)
    label, alt = ox.NamedNode(RDFS + "label"), ox.NamedNode(SKOS + "altLabel")
    rdf_type = ox.NamedNode(RDF + "type")
    out = [ox.Triple(report, rdf_type, ox.NamedNode(GKG + "Report")),
           ox.Triple(report, ox.NamedNode(GKG + "sourceFile"), ox.Literal(names[0] if names else "x"))]
    for n in names:
        e = m.entity(n)
        out += [ox.Triple(e, rdf_type, ox.NamedNode(GKG + "Project")), ox.Triple(e, label, ox.Literal(n, language="zh")),
                ox.Triple(e, alt, ox.Literal(n + "!")), ox.Triple(e, ox.NamedNode(GKG + "mentionedIn"), report),
                ox.Triple(m.indicator(n), label, ox.Literal(n, language="zh"))]
    return sorted(set(out), key=str)


@pytest.mark.parametrize("ext", RDF_FORMATS)
def test_nasty_names_round_trip(ext: str) -> None:
    """Quotes, spaces, <>, %, backslashes, newlines, non-BMP characters: every format reads back whole."""
    triples = nasty_triples(NASTY)
    data = serialize_graph(triples, ox.RdfFormat.from_extension(ext), DEFAULT_BASE)
    for reader in (read_back_rdflib, read_back_oxigraph):
        assert_isomorphic(_rdflib(triples), reader(data, ext)[0])


@settings(max_examples=40, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.lists(st.text(min_size=0, max_size=12), min_size=1, max_size=4))
def test_any_names_round_trip(names: list[str]) -> None:
    """Property: for any names, IRIs are valid ASCII and every format reads back to the same graph."""
    triples = nasty_triples(names)
    for t in triples:
        assert t.subject.value.isascii()
    original = _rdflib(triples)
    for ext in RDF_FORMATS:
        data = serialize_graph(triples, ox.RdfFormat.from_extension(ext), DEFAULT_BASE)
        assert_isomorphic(original, read_back_oxigraph(data, ext)[0])
        assert_isomorphic(original, read_back_rdflib(data, ext)[0])
