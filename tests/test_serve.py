"""Tests for `kg serve`: the SPARQL 1.1 Protocol, read-only, bounded in time and size, on loopback."""
from __future__ import annotations

import csv
import io
import json
import os
import signal
import subprocess
import sys
import threading
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.rdf.store import load_graphs, open_store
from kg.serve import ServeOptions, SparqlServer, make_server

PROJECTS = ("PREFIX gkg: <https://w3id.org/govkg/ontology#> PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#> "
            "SELECT ?label WHERE { ?p a gkg:Project ; rdfs:label ?label } ORDER BY ?label")
KG = [sys.executable, "-c", "from kg.cli import entry; entry()"]
SLOW = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def served_folder(sample_ttl: Path, tmp_path_factory: pytest.TempPathFactory) -> Path:
    """An output folder: a store of the sample, its HTML view and a file that must not be served."""
    folder = tmp_path_factory.mktemp("served")
    store = open_store(folder / "store")
    load_graphs(store, [sample_ttl])
    del store
    (folder / "quzhou.html").write_text("<!doctype html><title>衢州</title>", encoding="utf-8")
    (folder / "secret.txt").write_text("not for the web", encoding="utf-8")
    return folder


def _start(options: ServeOptions) -> tuple[SparqlServer, threading.Thread]:
    server = make_server(options)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    return server, thread


@pytest.fixture(scope="module")
def server(served_folder: Path) -> Iterator[SparqlServer]:
    srv, thread = _start(ServeOptions(served_folder / "store", served_folder, port=0, timeout=2.0, max_rows=1000,
                                      workers=2, quiet=True))
    yield srv
    srv.shutdown()
    srv.server_close()
    srv.pool.close()
    thread.join(5)


@pytest.fixture(scope="module")
def expected_projects(sample_ttl: Path) -> list[str]:
    from kg.rdf.query import load_store, run_query

    return [s["label"].value for s in run_query(load_store([sample_ttl]), PROJECTS)]  # type: ignore[index, union-attr]


def _get(url: str, headers: dict[str, str] | None = None, data: bytes | None = None,
         method: str | None = None) -> tuple[int, str, bytes]:
    request = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    opener = urllib.request.build_opener(urllib.request.ProxyHandler({}))
    try:
        with opener.open(request, timeout=30) as r:
            return r.status, r.headers.get("Content-Type", ""), r.read()
    except urllib.error.HTTPError as exc:
        return exc.code, exc.headers.get("Content-Type", ""), exc.read()


def _query_url(server: SparqlServer, query: str, **params: str) -> str:
    return server.url + "?" + urllib.parse.urlencode({"query": query, **params})


# --- the protocol -----------------------------------------------------------------------------

def test_binds_loopback_by_default() -> None:
    """Unless told otherwise, the server listens on 127.0.0.1 only."""
    assert ServeOptions(Path("x")).host == "127.0.0.1"


def test_get_json(server: SparqlServer, expected_projects: list[str]) -> None:
    """GET /sparql?query= answers SPARQL JSON by default."""
    status, ctype, body = _get(_query_url(server, PROJECTS))
    assert status == 200 and ctype.startswith("application/sparql-results+json")
    doc = json.loads(body)
    assert [b["label"]["value"] for b in doc["results"]["bindings"]] == expected_projects
    assert {b["label"]["xml:lang"] for b in doc["results"]["bindings"]} == {"zh"}


@pytest.mark.parametrize(("accept", "fmt", "media"), [
    ("text/csv", None, "text/csv"),
    ("text/tab-separated-values", None, "text/tab-separated-values"),
    ("application/sparql-results+xml", None, "application/sparql-results+xml"),
    ("text/html, text/csv;q=0.9, */*;q=0.1", None, "text/csv"),
    ("", "tsv", "text/tab-separated-values"),
    ("text/csv", "application/sparql-results+json", "application/sparql-results+json"),
])
def test_content_negotiation(server: SparqlServer, expected_projects: list[str], accept: str, fmt: str | None,
                             media: str) -> None:
    """Accept (or a format parameter) picks the results format; every one holds the same answer."""
    params = {"format": fmt} if fmt else {}
    status, ctype, body = _get(_query_url(server, PROJECTS, **params), {"Accept": accept})
    assert status == 200 and ctype.split(";")[0] == media
    if media == "text/csv":  # lossy, so pyoxigraph does not read it back
        assert [r[0] for r in csv.reader(io.StringIO(body.decode("utf-8")))] == ["label", *expected_projects]
        return
    parsed = ox.parse_query_results(body, format=ox.QueryResultsFormat.from_media_type(media))
    assert [s["label"].value for s in parsed] == expected_projects


def test_post_query_and_form(server: SparqlServer, expected_projects: list[str]) -> None:
    """POST with application/sparql-query, or a form with query=, runs the query."""
    status, _, body = _get(server.url, {"Content-Type": "application/sparql-query", "Accept": "text/csv"},
                           PROJECTS.encode("utf-8"))
    assert status == 200
    assert [r[0] for r in csv.reader(io.StringIO(body.decode("utf-8")))][1:] == expected_projects
    form = urllib.parse.urlencode({"query": PROJECTS}).encode()
    status, _, body = _get(server.url, {"Content-Type": "application/x-www-form-urlencoded"}, form)
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == len(expected_projects)


def test_ask_and_construct(server: SparqlServer) -> None:
    """ASK answers a boolean; CONSTRUCT answers Turtle or N-Triples."""
    status, _, body = _get(_query_url(server, "ASK { ?s ?p ?o }"))
    assert status == 200 and json.loads(body)["boolean"] is True
    q = "CONSTRUCT WHERE { ?p a <https://w3id.org/govkg/ontology#Project> }"
    status, ctype, body = _get(_query_url(server, q))
    assert status == 200 and ctype.startswith("text/turtle")
    assert len(list(ox.parse(body, format=ox.RdfFormat.TURTLE))) > 5
    status, ctype, body = _get(_query_url(server, q), {"Accept": "application/n-triples"})
    assert ctype.startswith("application/n-triples") and len(body.splitlines()) > 5


def test_default_graph_uri(server: SparqlServer, sample_ttl: Path) -> None:
    """default-graph-uri restricts the default graph (an unknown graph: nothing)."""
    status, _, body = _get(_query_url(server, "SELECT * WHERE { ?s ?p ?o } LIMIT 1",
                                      **{"default-graph-uri": "http://example.org/none"}))
    assert status == 200 and json.loads(body)["results"]["bindings"] == []


def test_syntax_error_is_400(server: SparqlServer) -> None:
    """A query that does not parse: 400 with the parser's message."""
    status, ctype, body = _get(_query_url(server, "SELEC * WHERE { ?s ?p ?o }"))
    assert status == 400 and ctype.startswith("text/plain") and b"does not parse" in body


def test_form_page(server: SparqlServer) -> None:
    """GET /sparql without a query gives a small query form, with no remote resources."""
    status, ctype, body = _get(server.url)
    assert status == 200 and ctype.startswith("text/html") and b"<form" in body and b"http" not in body.split(b"<textarea")[0]


# --- read-only, bounded -----------------------------------------------------------------------

@pytest.mark.parametrize(("data", "headers", "params"), [
    (b"INSERT DATA { <http://a> <http://b> <http://c> }", {"Content-Type": "application/sparql-update"}, {}),
    (urllib.parse.urlencode({"update": "DROP ALL"}).encode(), {"Content-Type": "application/x-www-form-urlencoded"}, {}),
    (None, {}, {"update": "DROP ALL"}),
])
def test_update_is_refused(server: SparqlServer, data: bytes | None, headers: dict[str, str],
                           params: dict[str, str]) -> None:
    """SPARQL Update, in any of its protocol forms, gets 403 and changes nothing."""
    url = server.url + ("?" + urllib.parse.urlencode(params) if params else "")
    status, _, body = _get(url, headers, data)
    assert status == 403 and b"read-only" in body
    status, _, body = _get(_query_url(server, "ASK { <http://a> <http://b> <http://c> }"))
    assert json.loads(body)["boolean"] is False


def test_update_as_query_does_not_parse(server: SparqlServer) -> None:
    """An update sent as a query is not a query: 400."""
    status, _, _ = _get(_query_url(server, "DROP ALL"))
    assert status == 400


@pytest.mark.parametrize("method", ["PUT", "DELETE", "PATCH"])
def test_other_methods(server: SparqlServer, method: str) -> None:
    """PUT, DELETE and PATCH: 405 with Allow."""
    status, _, body = _get(server.url, data=b"x", method=method)
    assert status == 405 and b"read-only" in body


@pytest.mark.parametrize("query", [
    "SELECT * WHERE { SERVICE <http://127.0.0.1:1/sparql> { ?s ?p ?o } }",
    "SELECT * WHERE { ?s ?p 1SERVICE <http://127.0.0.1:1/sparql> {} }",
])
def test_service_is_refused(server: SparqlServer, query: str) -> None:
    """SERVICE would make the server fetch URLs for whoever asks: 403."""
    status, _, body = _get(_query_url(server, query))
    assert status == 403 and b"SERVICE" in body


def test_result_size_limit(served_folder: Path, server: SparqlServer) -> None:
    """More rows than the limit: 422 saying so (never a silently cut result); LIMIT gets through."""
    status, _, body = _get(_query_url(server, "SELECT * WHERE { ?s ?p ?o }"))
    assert status == 422 and b"more than 1000 rows" in body
    status, _, body = _get(_query_url(server, "SELECT * WHERE { ?s ?p ?o } LIMIT 1000"))
    assert status == 200 and len(json.loads(body)["results"]["bindings"]) == 1000
    status, _, body = _get(_query_url(server, "CONSTRUCT WHERE { ?s ?p ?o }"))
    assert status == 422 and b"triples" in body


def test_time_limit(server: SparqlServer, expected_projects: list[str]) -> None:
    """A query that runs past the limit is stopped (503) and the server keeps answering."""
    start = time.monotonic()
    status, _, body = _get(_query_url(server, SLOW))
    assert status == 503 and b"longer than 2 s" in body
    assert time.monotonic() - start < 10
    for _ in range(3):  # both workers, the replacement included
        status, _, body = _get(_query_url(server, PROJECTS))
        assert status == 200 and len(json.loads(body)["results"]["bindings"]) == len(expected_projects)


def test_dns_rebinding_host_is_refused(server: SparqlServer) -> None:
    """On loopback, a request naming another host (a rebound DNS name) is refused."""
    status, _, _ = _get(_query_url(server, "ASK {}"), {"Host": "attacker.example:80"})
    assert status == 403
    port = server.server_address[1]
    assert _get(_query_url(server, "ASK {}"), {"Host": f"localhost:{port}"})[0] == 200


# --- the views --------------------------------------------------------------------------------

def test_views(server: SparqlServer) -> None:
    """/ lists the HTML views and links the endpoint; each view is served as HTML."""
    root = server.url.rsplit("/sparql", 1)[0]
    status, ctype, body = _get(root + "/")
    assert status == 200 and b'href="/quzhou.html"' in body and b'href="/sparql"' in body
    status, ctype, body = _get(root + "/quzhou.html")
    assert status == 200 and ctype.startswith("text/html") and "衢州".encode() in body


@pytest.mark.parametrize("path", ["/secret.txt", "/store/CURRENT", "/../secret.txt", "/%2e%2e/%2e%2e/etc/passwd",
                                  "/.hidden.html", "/nothing.html"])
def test_only_views_are_served(server: SparqlServer, path: str) -> None:
    """Nothing but the folder's own HTML (and assets) is served: no store files, no way out."""
    root = server.url.rsplit("/sparql", 1)[0]
    assert _get(root + path)[0] == 404


# --- the command ------------------------------------------------------------------------------

def test_kg_serve_command(served_folder: Path) -> None:
    """`kg serve --port 0` announces its URL on stderr, answers, and stops on Ctrl-C."""
    env = {**os.environ, "PYTHONUNBUFFERED": "1"}
    proc = subprocess.Popen([*KG, "serve", "--store",
                             str(served_folder / "store"), "--port", "0"],
                            stderr=subprocess.PIPE, stdout=subprocess.DEVNULL, env=env, text=True)
    try:
        line = proc.stderr.readline() if proc.stderr else ""
        assert line.startswith("SPARQL endpoint (read-only): http://127.0.0.1:"), line
        url = line.split(": ", 1)[1].strip()
        status, _, body = _get(url + "?" + urllib.parse.urlencode({"query": "ASK { ?s ?p ?o }"}))
        assert status == 200 and json.loads(body)["boolean"] is True
    finally:
        proc.send_signal(signal.SIGINT)
        try:
            proc.wait(20)
        except subprocess.TimeoutExpired:
            proc.kill()
            raise
        if proc.stderr:
            proc.stderr.close()
    assert proc.returncode == 0


def test_kg_serve_without_store(tmp_path: Path) -> None:
    """No store: one line saying how to make one, exit 2."""
    result = subprocess.run([*KG, "serve", "--store", str(tmp_path / "none")],
                            capture_output=True, text=True, timeout=60)
    assert result.returncode == 2
    assert result.stderr.strip().startswith("kg: error:") and "kg load" in result.stderr
