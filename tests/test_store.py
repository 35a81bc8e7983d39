"""Tests for kg.rdf.store and `kg load`: named graphs per report, replace on reload, Graph Store Protocol."""
from __future__ import annotations

import base64
import socket
import threading
import urllib.parse
from collections.abc import Iterator
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pyoxigraph as ox
import pytest
from click.testing import CliRunner

import kg.api
from kg.cli import cli, main
from kg.errors import InputError, OptionError, StoreError
from kg.rdf.export import report_iri, serialize_graph
from kg.rdf.query import bind_params, examples, format_result, load_store, names_graphs, run_query
from kg.rdf.store import (file_graph, graph_url, load_endpoint, load_graphs, open_store, put_graph, read_graphs,
                          server_message, store_size)
from kg.rdf.vocab import DEFAULT_BASE

COUNT = "SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }"


def _one_error_line(err: str) -> str:
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("kg: error: ") and "Traceback" not in err
    return lines[0]


def _count(store: ox.Store, graph: ox.NamedNode | None = None) -> int:
    if graph is None:
        return len(store)
    return sum(1 for _ in store.quads_for_pattern(None, None, None, graph))


# --- reading graphs ---------------------------------------------------------------------------

def test_a_report_file_is_the_reports_graph(sample_ttl: Path, sample_build: kg.api.Built) -> None:
    """A Turtle file of one report is read into the named graph of that report."""
    graphs = read_graphs(sample_ttl)
    assert list(graphs) == [report_iri(sample_build.triples)]
    assert sorted(graphs[report_iri(sample_build.triples)], key=str) == sorted(sample_build.triples, key=str)


def test_a_merged_file_is_a_graph_named_after_it(dev_ttls: list[Path], tmp_path: Path) -> None:
    """A Turtle file holding several reports goes to one graph named after the file."""
    merged = tmp_path / "merged.ttl"
    merged.write_bytes(b"".join(p.read_bytes() for p in dev_ttls[:2]))
    graphs = read_graphs(merged)
    assert list(graphs) == [file_graph(merged)]
    assert graphs[file_graph(merged)]


def test_datasets_keep_their_graphs(dev_builds: dict[str, kg.api.Built], tmp_path: Path) -> None:
    """N-Quads and TriG keep the named graph of each quad."""
    nq = tmp_path / "two.nq"
    nq.write_bytes(b"".join(serialize_graph(b.triples, ox.RdfFormat.N_QUADS, DEFAULT_BASE)
                            for b in list(dev_builds.values())[:2]))
    graphs = read_graphs(nq)
    assert set(graphs) == {report_iri(b.triples) for b in list(dev_builds.values())[:2]}


@pytest.mark.parametrize(("name", "content", "message"), [
    ("missing.ttl", None, "no such file"),
    ("bad.ttl", b"<a> <b> .", "not valid Turtle"),
    ("view.graphml", b"<graphml/>", "not an RDF file"),
    ("bad.nt", b"<http://a b> <http://b> <http://c> .", "not valid N-Triples"),
])
def test_unreadable_graphs(tmp_path: Path, name: str, content: bytes | None, message: str) -> None:
    """Files that are no RDF are InputErrors that name the file."""
    path = tmp_path / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(InputError, match=message) as info:
        read_graphs(path)
    assert str(path) in str(info.value)


# --- the embedded store -----------------------------------------------------------------------

def _assert_default_is_the_union(store: ox.Store) -> None:
    """The default graph holds each triple of the named graphs once, and nothing else."""
    default = {(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, ox.DefaultGraph())}
    named = {(q.subject, q.predicate, q.object) for q in store if not isinstance(q.graph_name, ox.DefaultGraph)}
    assert default == named


def test_reloading_replaces_the_reports_graph(sample_ttl: Path, tmp_path: Path) -> None:
    """Loading the same report twice leaves one copy; a changed file replaces the graph's content."""
    store = open_store(tmp_path / "store")
    first = load_graphs(store, [sample_ttl])
    graph = ox.NamedNode(first[0].graph)
    n = _count(store, graph)
    assert n == first[0].triples > 1000
    load_graphs(store, [sample_ttl, sample_ttl])
    assert _count(store, graph) == n and store_size(store) == (1, n, n), "a double load must not duplicate triples"
    smaller = tmp_path / "smaller.ttl"
    triples = sorted(read_graphs(sample_ttl)[graph], key=str)
    smaller.write_bytes(ox.serialize(triples[:100], format=ox.RdfFormat.TURTLE) +
                        ox.serialize([t for t in triples if t.object == ox.NamedNode(
                            "https://w3id.org/govkg/ontology#Report")], format=ox.RdfFormat.TURTLE))
    load_graphs(store, [smaller])
    assert _count(store, graph) == len(read_graphs(smaller)[graph]) < n
    _assert_default_is_the_union(store)


def test_default_graph_is_the_union(dev_ttls: list[Path], sample_ttl: Path, tmp_path: Path) -> None:
    """Shared triples (an entity named by two reports) stay in the default graph while any report holds them."""
    store = open_store(tmp_path / "store")
    load_graphs(store, dev_ttls)
    _assert_default_is_the_union(store)
    graphs, triples, distinct = store_size(store)
    assert graphs == len(dev_ttls) and distinct < triples, "reports share triples"
    empty = tmp_path / "quzhou_2024.nq"  # quzhou_2024's graph, emptied but for its gkg:Report triple
    g = ox.NamedNode(load_graphs(ox.Store(), [p for p in dev_ttls if p.stem == "quzhou_2024"])[0].graph)
    empty.write_bytes(ox.serialize([ox.Quad(g, ox.NamedNode("http://www.w3.org/1999/02/22-rdf-syntax-ns#type"),
                                            ox.NamedNode("https://w3id.org/govkg/ontology#Report"), g)],
                                   format=ox.RdfFormat.N_QUADS))
    load_graphs(store, [empty])
    _assert_default_is_the_union(store)
    load_graphs(store, dev_ttls)
    _assert_default_is_the_union(store)
    assert store_size(store) == (graphs, triples, distinct)


def test_store_persists_and_holds_each_report(dev_ttls: list[Path], tmp_path: Path) -> None:
    """A store on disk keeps every report in its graph, and reopens read-only with the same content."""
    folder = tmp_path / "store"
    store = open_store(folder)
    loaded = load_graphs(store, dev_ttls)
    assert len({x.graph for x in loaded}) == len(dev_ttls)
    size = store_size(store)
    assert size[:2] == (len(dev_ttls), sum(x.triples for x in loaded))
    del store
    again = open_store(folder, read_only=True)
    assert store_size(again) == size


def test_queries_see_the_union_of_graphs(dev_ttls: list[Path], tmp_path: Path) -> None:
    """The default graph of a query is the union of the reports' graphs."""
    store = load_store(dev_ttls)
    header_rows = run_query(store, "PREFIX gkg: <https://w3id.org/govkg/ontology#> "
                                   "SELECT (COUNT(DISTINCT ?r) AS ?n) WHERE { ?r a gkg:Report }")
    assert format_result(header_rows, "csv").splitlines()[1] == str(len(dev_ttls))


@pytest.fixture(scope="module")
def dev_dataset(dev_ttls: list[Path], tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The dev reports as one N-Quads file, a named graph each (like corpus.nq)."""
    store = load_store(dev_ttls)
    path = tmp_path_factory.mktemp("dataset") / "dev.nq"
    path.write_bytes(ox.serialize([q for q in store if isinstance(q.graph_name, ox.NamedNode)],
                                  format=ox.RdfFormat.N_QUADS))
    return path


def _answers(store: ox.Store, sparql: str) -> list[tuple[str, ...]]:
    return sorted(tuple(str(t) for t in row) for row in run_query(store, sparql))  # type: ignore[union-attr]


def test_a_union_store_answers_like_the_full_store(dev_ttls: list[Path], dev_dataset: Path) -> None:
    """Loaded without named graphs, a store holds the union and gives every cookbook query the same answers."""
    full = load_store([dev_dataset])
    for paths in ([dev_dataset], dev_ttls):
        union = load_store(paths, named_graphs=False)
        assert not list(union.named_graphs())
        assert len(union) == store_size(full)[2]
        for ex in examples():
            if any(p.required for p in ex.params):
                continue
            sparql = bind_params(ex.text, ex.params, {}, ex.name)
            assert not names_graphs(sparql), ex.name
            assert _answers(union, sparql) == _answers(full, sparql), ex.name


def test_a_blank_node_two_graphs_share_stays_one(tmp_path: Path) -> None:
    """In a dataset file a blank node is one node in every graph; the union keeps it one."""
    path = tmp_path / "d.nq"
    path.write_text('_:b <http://e/p> "1" <http://e/g1> .\n_:b <http://e/q> "2" <http://e/g2> .\n'
                    '_:b <http://e/r> "3" .\n', encoding="utf-8")
    union = load_store([path], named_graphs=False)
    assert len(union) == 3 and len({q.subject for q in union}) == 1


@pytest.mark.parametrize(("sparql", "named"), [
    ("SELECT ?g WHERE { GRAPH ?g { ?s ?p ?o } }", True),
    ("select * from named <http://e/g> where { graph ?g {} }", True),
    ("SELECT * FROM <http://e/g> WHERE { ?s ?p ?o }", True),
    ("SELECT * {graph<http://e/g>{?s ?p ?o}}", True),
    ("SELECT * { FILTER(?a<?b) GRAPH ?g { ?s ?p ?o } }", True),
    ("SELECT ?graph WHERE { ?graph ?from ?o }", False),
    ("PREFIX graph: <http://e/> SELECT * WHERE { ?s graph:from ex:graph }", False),
    ("SELECT * WHERE { ?s <http://e/x#GRAPH> 'FROM', \"graph\", \"\"\"GRAPH\n\"\"\" } # GRAPH ?g", False),
    ("SELECT * WHERE { ?s ?p 'it\\'s GRAPH' }", False),
])
def test_names_graphs(sparql: str, named: bool) -> None:
    """A query needs the named graphs when it says GRAPH or FROM, not when IRIs, strings, comments or names say it."""
    assert names_graphs(sparql) is named


def test_cli_query_on_files_reads_named_graphs_when_asked(dev_dataset: Path, dev_ttls: list[Path]) -> None:
    """`kg query FILE` loads the reports' named graphs for a query that reads them, the union for others."""
    graphs = CliRunner().invoke(cli, ["query", str(dev_dataset), "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }",
                                      "--format", "csv"])
    assert graphs.exit_code == 0, graphs.output
    assert len(graphs.output.split()) == 1 + len(dev_ttls)
    count = CliRunner().invoke(cli, ["query", str(dev_dataset), COUNT, "--format", "csv"])
    assert count.exit_code == 0 and int(count.output.split()[1]) == store_size(load_store(dev_ttls))[2]


def test_missing_store_is_one_clear_error(tmp_path: Path) -> None:
    """Querying a store that is not there says how to make one."""
    with pytest.raises(InputError, match="kg load"):
        open_store(tmp_path / "nothing", read_only=True)


def test_store_in_use(tmp_path: Path, sample_ttl: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A store another writer holds open is a one-line error, not a traceback."""
    folder = tmp_path / "store"
    held = open_store(folder)
    assert main(["load", str(sample_ttl), "--store", str(folder)]) == 2
    assert "in use" in _one_error_line(capsys.readouterr().err)
    del held


# --- kg load / kg query --store ---------------------------------------------------------------

def test_cli_load_and_query_store(sample_ttl: Path, sample_build: kg.api.Built, tmp_path: Path) -> None:
    """`kg load` prints each graph; `kg query --store` answers like `kg query` on the file."""
    folder = tmp_path / "store"
    for _ in range(2):
        result = CliRunner().invoke(cli, ["load", str(sample_ttl), "--store", str(folder)])
        assert result.exit_code == 0, result.output
        graph = report_iri(sample_build.triples).value
        assert result.output.splitlines() == [
            f"{sample_ttl} -> <{graph}>  ({len(sample_build.triples)} triples)",
            f"{folder}: 1 graphs, {len(sample_build.triples)} triples ({len(sample_build.triples)} distinct)"]
    for args in (["--example", "targets"], ["--example", "entity", "--param", "name=衢州港"], [COUNT]):
        on_store = CliRunner().invoke(cli, ["query", "--store", str(folder), *args])
        on_file = CliRunner().invoke(cli, ["query", str(sample_ttl), *args])
        assert on_store.exit_code == on_file.exit_code == 0, on_store.output + on_file.output
        assert on_store.output == on_file.output
    assert f"{len(sample_build.triples)}" in on_store.output


def test_cli_query_sources_conflict(sample_ttl: Path, tmp_path: Path,
                                             capsys: pytest.CaptureFixture[str]) -> None:
    """GRAPH files and --store (or --endpoint) together are refused."""
    assert main(["query", str(sample_ttl), COUNT, "--store", str(tmp_path)]) == 2
    assert "not GRAPH files and --store" in _one_error_line(capsys.readouterr().err)


def test_cli_load_options_need_endpoint(sample_ttl: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """--graph and --user without --endpoint make no sense."""
    assert main(["load", str(sample_ttl), "--user", "dba"]) == 2
    assert "--endpoint" in _one_error_line(capsys.readouterr().err)


# --- the Graph Store Protocol, against a small fake store ---------------------------------------

class _FakeStore(BaseHTTPRequestHandler):
    """A Graph Store endpoint: /open takes anything, /auth wants Basic dba:dba, others fail as named."""

    received: list[tuple[str, str, str, bytes]] = []

    def log_message(self, *args: object) -> None:
        pass

    def do_PUT(self) -> None:  # noqa: N802
        body = self.rfile.read(int(self.headers.get("Content-Length", 0)))
        path, _, query = self.path.partition("?")
        graph = urllib.parse.parse_qs(query).get("graph", [""])[0]
        if path == "/auth":
            expected = "Basic " + base64.b64encode(b"dba:dba").decode()
            if self.headers.get("Authorization") != expected:
                return self._answer(401, b"login", {"WWW-Authenticate": 'Basic realm="store"'})
        if path == "/forbidden":
            return self._answer(403, b"<html><body><h1>403</h1><pre>SECURITY: Permission denied</pre></body></html>")
        if path == "/parse":
            return self._answer(400, b"Parse error: [line: 1, col: 3] Bad IRI\nat org.example.Parser")
        if path == "/html500":
            return self._answer(500, b"<html><head><title>failed</title></head><body><h1>HTTP/1.1 500</h1>"
                                     b"<xmp>The PUT request for graph is rejected: not Turtle</xmp></body></html>")
        if path not in ("/open", "/auth"):
            return self._answer(404, b"no such endpoint")
        self.received.append((path, graph, self.headers.get("Content-Type", ""), body))
        self._answer(201, b"")

    def _answer(self, status: int, body: bytes, headers: dict[str, str] | None = None) -> None:
        self.send_response(status)
        for k, v in (headers or {}).items():
            self.send_header(k, v)
        self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        self.wfile.write(body)


@pytest.fixture(scope="module")
def fake_store() -> Iterator[str]:
    server = ThreadingHTTPServer(("127.0.0.1", 0), _FakeStore)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    yield f"http://127.0.0.1:{server.server_address[1]}"
    server.shutdown()
    server.server_close()


def test_put_one_graph_per_report(fake_store: str, dev_ttls: list[Path]) -> None:
    """Each report is PUT to the graph named by its IRI, as N-Triples declared as Turtle."""
    _FakeStore.received.clear()
    loaded = load_endpoint(fake_store + "/open", dev_ttls[:2])
    assert [x.status for x in loaded] == [201, 201]
    graphs = [x.graph for x in loaded]
    assert [r[1] for r in _FakeStore.received] == graphs
    for (_, graph, ctype, body), path in zip(_FakeStore.received, dev_ttls[:2]):
        assert ctype.startswith("text/turtle")
        sent = set(ox.parse(body, format=ox.RdfFormat.N_TRIPLES))
        assert {ox.Triple(q.subject, q.predicate, q.object) for q in sent} == set(read_graphs(path)[ox.NamedNode(graph)])


def test_put_all_into_one_graph(fake_store: str, dev_ttls: list[Path]) -> None:
    """--graph puts every file into that one graph, in one PUT (so it replaces, never mixes)."""
    _FakeStore.received.clear()
    loaded = load_endpoint(fake_store + "/open", dev_ttls[:2], graph="https://example.org/g")
    assert len(loaded) == 1 and len(_FakeStore.received) == 1
    assert _FakeStore.received[0][1] == "https://example.org/g"
    assert loaded[0].triples == len({t for p in dev_ttls[:2] for ts in read_graphs(p).values() for t in ts})


def test_basic_auth(fake_store: str, sample_ttl: Path) -> None:
    """A store that asks for a login gets it; a wrong or missing one is a clear error."""
    assert load_endpoint(fake_store + "/auth", [sample_ttl], user="dba", password="dba")[0].status == 201
    with pytest.raises(StoreError, match="authentication failed for user 'dba'.*--password"):
        load_endpoint(fake_store + "/auth", [sample_ttl], user="dba", password="wrong")
    with pytest.raises(StoreError, match="asks for a login.*give --user and --password"):
        load_endpoint(fake_store + "/auth", [sample_ttl])


@pytest.mark.parametrize(("path", "message"), [
    ("/forbidden", r"writing is forbidden \(HTTP 403\).*SECURITY: Permission denied"),
    ("/parse", r"rejected graph <.*> \(HTTP 400\): Parse error: \[line: 1, col: 3\] Bad IRI$"),
    ("/html500", r"\(HTTP 500\): The PUT request for graph is rejected: not Turtle$"),
    ("/nowhere", r"no Graph Store endpoint here \(HTTP 404\)"),
])
def test_server_errors_are_one_line(fake_store: str, sample_ttl: Path, path: str, message: str) -> None:
    """The server's refusal comes back as one line with its status and the first line of its message."""
    with pytest.raises(StoreError, match=message) as info:
        load_endpoint(fake_store + path, [sample_ttl])
    assert "\n" not in str(info.value)


def test_connection_refused(sample_ttl: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """A store that is not running: one line saying so, exit 2."""
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    assert main(["load", str(sample_ttl), "--endpoint", f"http://127.0.0.1:{port}/data"]) == 2
    assert "connection refused (is the store running?)" in _one_error_line(capsys.readouterr().err)


@pytest.mark.parametrize(("args", "message"), [
    (["--endpoint", "ftp://example.org/data"], "http(s) URL"),
    (["--endpoint", "http://127.0.0.1:9/data", "--graph", "not an iri"], "--graph"),
    (["--endpoint", "http://127.0.0.1:9/data", "--store", "x"], "not both"),
])
def test_bad_endpoint_options(sample_ttl: Path, args: list[str], message: str,
                              capsys: pytest.CaptureFixture[str]) -> None:
    """Options that cannot work are refused before anything is sent."""
    assert main(["load", str(sample_ttl), *args]) == 2
    assert message in _one_error_line(capsys.readouterr().err)


def test_graph_url_encodes_the_iri() -> None:
    """The graph IRI is a query parameter, percent-encoded; an endpoint's own query is kept."""
    assert graph_url("http://h/crud?x=1", "http://g/a b") == "http://h/crud?x=1&graph=http%3A%2F%2Fg%2Fa+b"


@pytest.mark.parametrize(("body", "line"), [
    (b"", ""),
    (b"\n\n  Parse error  \n more", "Parse error"),
    (b"<html><title>Error</title><body><p>bad &amp; worse</p></body></html>", "bad & worse"),
])
def test_server_message(body: bytes, line: str) -> None:
    """The first meaningful line of an error body, tags and entities resolved."""
    assert server_message(body) == line


def test_put_graph_refuses_non_http() -> None:
    """put_graph checks its endpoint too."""
    with pytest.raises(OptionError):
        put_graph("file:///etc/passwd", "http://g/", [])


def test_blank_nodes_keep_the_union(tmp_path: Path) -> None:
    """Blank nodes (which the store relabels on each parse) still leave the default graph the union."""
    ttl = tmp_path / "blank.ttl"
    ttl.write_text('@prefix gkg: <https://w3id.org/govkg/ontology#> .\n<http://example.org/r> a gkg:Report ; '
                   'gkg:region [ a gkg:Place ] .\n', encoding="utf-8")
    store = ox.Store()
    for _ in range(2):
        (loaded,) = load_graphs(store, [ttl])
        assert loaded.graph == "http://example.org/r" and loaded.triples == 3
        _assert_default_is_the_union(store)
        assert store_size(store) == (1, 3, 3)


def test_cli_load_bad_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    """`kg load` of a file that is no RDF: one line naming it, exit 2, the store untouched."""
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .", encoding="utf-8")
    assert main(["load", str(bad), "--store", str(tmp_path / "store")]) == 2
    assert str(bad) in _one_error_line(capsys.readouterr().err)
