"""Against a real Virtuoso 7: `kg load --endpoint` loads, reloads replace, the cookbook gives the same answers.

A session fixture starts `virtuoso-t` on a fresh database in a temporary folder, on free
127.0.0.1 ports, and shuts it down at the end (tests/external.py).
"""
from __future__ import annotations

import json
import urllib.parse
import urllib.request
from collections.abc import Iterator
from decimal import Decimal
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

import kg.api
from external import Virtuoso, start_virtuoso
from kg.cli import cli, main
from kg.errors import StoreError
from kg.rdf.export import report_iri, serialize_graph
from kg.rdf.query import bind_params, example, examples, load_store, run_query
from kg.rdf.store import put_data, query_endpoint, read_graphs
from kg.rdf.vocab import DEFAULT_BASE, XSD

pytestmark = pytest.mark.filterwarnings("ignore::ResourceWarning")  # a killed server's pipes, at worst
MAX_ROWS = 1_000_000
NUMERIC = {XSD + t for t in ("decimal", "integer", "int", "long", "short", "double", "float", "nonNegativeInteger")}
# every cookbook query, with each parameter tried once; a required one always given
CASES = [
    ("targets", {}), ("targets", {"year": ["2024"]}),
    ("results_vs_targets", {}), ("results_vs_targets", {"indicator": ["地区生产总值"]}),
    ("industry_output", {}), ("projects", {}), ("institutions", {}),
    ("entity", {"name": ["衢州市"]}), ("entity", {"name": ["衢州港", "杭衢高铁"]}),
    ("facts", {"name": ["杭衢高铁"]}), ("facts", {"name": ["衢州市"]}), ("evidence", {"fact": []}),
]


@pytest.fixture(scope="session")
def virtuoso(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Virtuoso]:
    server = start_virtuoso(tmp_path_factory.mktemp("virtuoso"), max_rows=MAX_ROWS)
    try:
        yield server
    finally:
        server.stop()


@pytest.fixture(scope="module")
def graph_files(sample_ttl: Path, dev_ttls: list[Path], dev_builds: dict[str, kg.api.Built],
                tmp_path_factory: pytest.TempPathFactory) -> list[Path]:
    """The sample and the dev corpus, one report as TriG (a dataset file) to load it that way too."""
    folder = tmp_path_factory.mktemp("virtuoso-files")
    trig = folder / "china_2025.trig"
    trig.write_bytes(serialize_graph(dev_builds["china_2025"].triples, ox.RdfFormat.TRIG, DEFAULT_BASE))
    return [sample_ttl, *[p for p in dev_ttls if p.stem != "china_2025"], trig]


@pytest.fixture(scope="module")
def loaded(virtuoso: Virtuoso, graph_files: list[Path]) -> dict[str, int]:
    """Load every file with `kg load --endpoint` (twice: the second load must replace); return size by graph."""
    for _ in range(2):
        result = CliRunner().invoke(cli, ["load", *map(str, graph_files), "--endpoint", virtuoso.graph_store,
                                          "--user", "dba", "--password", "dba"])
        assert result.exit_code == 0, result.output
    sizes: dict[str, int] = {}
    for path in graph_files:
        for graph, triples in read_graphs(path).items():
            sizes[graph.value] = len(set(triples))
    return sizes


@pytest.fixture(scope="module")
def embedded(graph_files: list[Path]) -> ox.Store:
    return load_store(graph_files)


def _sparql_json(virtuoso: Virtuoso, query: str) -> dict:
    url = virtuoso.sparql + "?" + urllib.parse.urlencode({"query": query, "format": "application/sparql-results+json"})
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    with opener.open(url, timeout=120) as r:
        return json.loads(r.read())


def _value(term: dict) -> tuple:
    """A term by value: Virtuoso writes 5.50 as 5.5 and lower-cases language tags (FACTS.md)."""
    kind = term["type"]
    if kind == "uri":
        return ("uri", term["value"])
    if kind == "bnode":
        return ("bnode",)
    if "xml:lang" in term:
        return ("lang", term["value"], term["xml:lang"].lower())
    datatype = term.get("datatype", XSD + "string")
    if datatype in NUMERIC:
        return ("number", Decimal(term["value"]))
    return ("literal", term["value"], datatype)


def _rows(doc: dict) -> set[tuple]:
    return {tuple(sorted((k, _value(v)) for k, v in b.items())) for b in doc["results"]["bindings"]}


def test_every_report_is_its_own_graph(virtuoso: Virtuoso, loaded: dict[str, int]) -> None:
    """Each report is in the graph named by its IRI, once, after two loads."""
    doc = _sparql_json(virtuoso, "SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } "
                                 f"FILTER(STRSTARTS(STR(?g), \"{DEFAULT_BASE}report/\")) }} GROUP BY ?g")
    got = {b["g"]["value"]: int(b["n"]["value"]) for b in doc["results"]["bindings"]}
    assert got == loaded
    assert len(got) == 4  # the sample is the dev corpus's quzhou_2026_highlights: the same report, one graph


@pytest.mark.parametrize(("name", "values"), CASES, ids=[f"{n}-{'-'.join(v) or 'all'}" for n, v in CASES])
def test_cookbook_answers_like_the_embedded_store(virtuoso: Virtuoso, loaded: dict[str, int], embedded: ox.Store,
                                                  name: str, values: dict[str, list[str]]) -> None:
    """Each cookbook query over HTTP gives the same rows (compared by value) as pyoxigraph."""
    ex = example(name)
    if name == "evidence":  # every fact about 衢州市, one by one
        facts = run_query(embedded, bind_params(example("facts").text, example("facts").params, {"name": ["衢州市"]}))
        values = {"fact": [s["fact"].value for s in facts][:20]}  # type: ignore[index, union-attr]
        assert values["fact"]
    sparql = bind_params(ex.text, ex.params, values, name)
    remote = _rows(_sparql_json(virtuoso, sparql))
    local = _rows(json.loads(run_query(embedded, sparql).serialize(format=ox.QueryResultsFormat.JSON)))
    assert len(remote) < MAX_ROWS
    assert remote == local, (sorted(remote - local)[:5], sorted(local - remote)[:5])
    if name != "target_assessment":
        assert local, f"{name} finds nothing in the dev corpus"


def test_every_cookbook_query_is_covered() -> None:
    """CASES runs every shipped query (the cross-report one runs with the rest below)."""
    assert {n for n, _ in CASES} | {"target_assessment"} >= {ex.name for ex in examples()}


def test_cross_report_query_runs(virtuoso: Virtuoso, loaded: dict[str, int], embedded: ox.Store) -> None:
    """target_assessment (over assessments a corpus build adds) runs on both and agrees."""
    ex = example("target_assessment")
    remote = _rows(_sparql_json(virtuoso, ex.text))
    local = _rows(json.loads(run_query(embedded, ex.text).serialize(format=ox.QueryResultsFormat.JSON)))
    assert remote == local


def test_kg_query_on_the_endpoint(virtuoso: Virtuoso, loaded: dict[str, int], embedded: ox.Store) -> None:
    """`kg query --endpoint` runs a cookbook query on Virtuoso and prints the same table as on the store."""
    args = ["--example", "entity", "--param", "name=衢州港"]
    remote = CliRunner().invoke(cli, ["query", "--endpoint", virtuoso.sparql, *args])
    assert remote.exit_code == 0, remote.output
    ex = example("entity")
    from kg.rdf.query import format_result

    local = format_result(run_query(embedded, bind_params(ex.text, ex.params, {"name": ["衢州港"]}))).splitlines()
    lines = remote.output.splitlines()
    # the same rows; Virtuoso's ORDER BY collates Chinese text its own way
    assert lines[:2] == local[:2] and lines[-1] == local[-1] and sorted(lines) == sorted(local)


def test_wrong_password(virtuoso: Virtuoso, sample_ttl: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Digest authentication with a wrong password: one line, exit 2."""
    assert main(["load", str(sample_ttl), "--endpoint", virtuoso.graph_store, "--user", "dba",
                 "--password", "wrong"]) == 2
    err = capsys.readouterr().err.strip()
    assert err.startswith("kg: error:") and "authentication failed for user 'dba' (HTTP 401)" in err
    assert len(err.splitlines()) == 1


def test_anonymous_write_is_forbidden(virtuoso: Virtuoso, sample_ttl: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """Virtuoso's anonymous Graph Store endpoint refuses writes: one line with its reason."""
    assert main(["load", str(sample_ttl), "--endpoint", virtuoso.http + "/sparql-graph-crud"]) == 2
    err = capsys.readouterr().err.strip()
    assert "writing is forbidden (HTTP 403)" in err and len(err.splitlines()) == 1


def test_server_side_parse_error(virtuoso: Virtuoso) -> None:
    """Data the server cannot parse: the error names the status and Virtuoso's own message."""
    with pytest.raises(StoreError, match=r"rejected graph <http://example.org/broken> \(HTTP 5\d\d\): .*rejected") as info:
        put_data(virtuoso.graph_store, "http://example.org/broken", b"<http://a> <http://b> \"open .",
                 user="dba", password="dba")
    assert "\n" not in str(info.value)


def test_query_errors(virtuoso: Virtuoso) -> None:
    """A query Virtuoso cannot parse comes back as one line with its compiler's message."""
    with pytest.raises(StoreError, match=r"HTTP 400\): Virtuoso 37000 Error SP030"):
        query_endpoint(virtuoso.sparql, "SELEC ?x WHERE { ?x ?y ?z }")


def test_raw_chinese_literals_survive(virtuoso: Virtuoso, loaded: dict[str, int], sample_build: kg.api.Built) -> None:
    """Labels come back from Virtuoso exactly as written (N-Triples with raw UTF-8 in a PUT)."""
    report = report_iri(sample_build.triples)
    assert report is not None
    doc = _sparql_json(virtuoso, f"SELECT ?t WHERE {{ GRAPH <{report.value}> {{ <{report.value}> "
                                 "<http://purl.org/dc/terms/title> ?t } }")
    assert [b["t"]["value"] for b in doc["results"]["bindings"]] == [sample_build.extraction.info.title]
