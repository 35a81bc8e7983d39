"""Load graphs into triple stores: an embedded pyoxigraph store, or any store over HTTP.

Each report lives in its own named graph, whose IRI is the report's IRI, so that loading a
report again replaces it instead of adding a second copy, and a store holds any number of
reports side by side. The default graph holds the union of the named graphs, each triple
once (see load_graphs); queries read it.

External stores are written with the SPARQL 1.1 Graph Store HTTP Protocol: one `PUT` per
graph (`PUT` replaces the graph), the body in N-Triples (a subset of Turtle, so every store
reads it, and free of the prefixed-name escapes some stores misread; FACTS.md).
"""
from __future__ import annotations

import base64
import html
import re
import socket
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Iterator, Sequence, Set
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox

from kg.errors import InputError, OptionError, StoreError
from kg.rdf.export import report_iri

DEFAULT_STORE = Path("output") / "store"
HTTP_TIMEOUT = 120.0


@dataclass(frozen=True)
class Loaded:
    """One graph written to a store: the file it came from, its graph IRI, its size."""

    source: Path
    graph: str
    triples: int
    status: int | None = None  # the HTTP status, for an external store


def rdf_format(path: Path) -> ox.RdfFormat:
    """Return the RDF format of a file by its extension (Turtle when it has none we know)."""
    suffix = path.suffix.lstrip(".").lower()
    fmt = ox.RdfFormat.from_extension(suffix) if suffix else None
    if fmt is None and suffix not in ("", "txt"):
        raise InputError(f"{path}: not an RDF file (.{suffix}); give .ttl, .nt, .nq, .trig or .jsonld")
    return fmt or ox.RdfFormat.TURTLE


def file_graph(path: Path) -> ox.NamedNode:
    """Return the graph IRI named after a file (for files that hold no single report)."""
    return ox.NamedNode(Path(path).resolve().as_uri())


@contextmanager
def _reading(path: Path, fmt: ox.RdfFormat) -> Iterator[None]:
    """Turn what parsing a graph file can raise into one clear InputError."""
    try:
        yield
    except FileNotFoundError:
        raise InputError(f"{path}: no such file") from None
    except IsADirectoryError:
        raise InputError(f"{path}: is a folder; give graph files") from None
    except (SyntaxError, ValueError) as exc:
        raise InputError(f"{path}: not valid {fmt.name}: {str(exc).splitlines()[0]}") from None
    except OSError as exc:
        raise InputError(f"{path}: cannot read: {exc.strerror or exc}") from None


def read_graphs(path: Path) -> dict[ox.NamedNode, list[ox.Triple]]:
    """Read an RDF file into graphs named by report.

    Quads of a dataset (N-Quads, TriG) keep their graph. Triples in the default graph go to
    the graph of their report when they hold exactly one gkg:Report, else to a graph named
    after the file.
    """
    path = Path(path)
    fmt = rdf_format(path)
    with _reading(path, fmt):
        quads = list(ox.parse(path=str(path), format=fmt))
    graphs: dict[ox.NamedNode, list[ox.Triple]] = {}
    default: list[ox.Triple] = []
    for q in quads:
        t = ox.Triple(q.subject, q.predicate, q.object)
        if isinstance(q.graph_name, ox.NamedNode):
            graphs.setdefault(q.graph_name, []).append(t)
        elif isinstance(q.graph_name, ox.DefaultGraph):
            default.append(t)
        else:  # a blank-node graph name: keep it with the file
            graphs.setdefault(file_graph(path), []).append(t)
    if default:
        name = report_iri(default) or file_graph(path)
        graphs.setdefault(name, []).extend(default)
    return graphs


def open_store(path: Path, *, read_only: bool = False) -> ox.Store:
    """Open (or create, unless read-only) the persistent store in folder `path`."""
    path = Path(path)
    if read_only and not (path / "CURRENT").is_file():
        raise InputError(f"{path}: no store here; load graphs first with `kg load GRAPH... --store {path}`")
    try:
        if read_only:
            return ox.Store.read_only(str(path))
        path.mkdir(parents=True, exist_ok=True)
        return ox.Store(str(path))
    except OSError as exc:
        text = str(exc)
        if "lock" in text.lower():
            raise StoreError(f"{path}: the store is in use by another process (a running `kg load` or "
                             "`kg serve`?); stop it and try again") from None
        raise StoreError(f"{path}: cannot open the store: {text.splitlines()[0] if text else exc}") from None


@dataclass
class _Scan:
    """A graph file read into a scratch in-memory store, with the graph each part belongs in."""

    path: Path
    fmt: ox.RdfFormat
    data: ox.Store
    default_target: ox.NamedNode | None  # where the file's default-graph triples go
    sizes: dict[ox.NamedNode, int]  # triples per graph they go to
    simple: bool  # named graphs only, or triples only: the store can bulk-load the file itself


_REPORTS = "PREFIX gkg: <https://w3id.org/govkg/ontology#> SELECT DISTINCT ?r WHERE { ?r a gkg:Report } LIMIT 2"
_BLANK = "ASK { { ?s ?p ?o } UNION { GRAPH ?g { ?s ?p ?o } } FILTER(isBlank(?s) || isBlank(?o)) }"


def _scan(path: Path) -> _Scan:
    """Parse a file with pyoxigraph's bulk loader (no Python object per triple) and see what it holds."""
    fmt = rdf_format(path)
    data = ox.Store()
    with _reading(path, fmt):
        data.bulk_load(path=str(path), format=fmt)
    sizes: dict[ox.NamedNode, int] = {}
    simple = True
    for row in data.query("SELECT ?g (COUNT(*) AS ?n) WHERE { GRAPH ?g { ?s ?p ?o } } GROUP BY ?g"):
        graph = row["g"]
        if not isinstance(graph, ox.NamedNode):  # a blank-node graph name: keep it with the file
            graph, simple = file_graph(path), False
        sizes[graph] = sizes.get(graph, 0) + int(row["n"].value)  # type: ignore[union-attr]
    (row,) = data.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")  # the default graph only
    in_default = int(row["n"].value)  # type: ignore[union-attr, index]
    target = None
    if in_default:
        reports = [r["r"] for r in data.query(_REPORTS)]
        only = reports[0] if len(reports) == 1 else None
        target = only if isinstance(only, ox.NamedNode) else file_graph(path)
        simple = simple and not sizes
        sizes[target] = sizes.get(target, 0) + in_default
    if simple and data.query(_BLANK):  # the store relabels blank nodes each load: copy them, never reparse
        simple = False
    return _Scan(path, fmt, data, target, sizes, simple)


def load_graphs(store: ox.Store, paths: Sequence[Path]) -> list[Loaded]:
    """Load graph files into the store, each report replacing its named graph; return what was loaded.

    The default graph holds the union of the named graphs, each triple once, kept in step on
    every load: queries read it, so a triple that many reports state (an entity's label) is
    matched once, not once per report (pyoxigraph's union default graph, like Virtuoso's,
    repeats it, and every join multiplies the copies). Each file is parsed by pyoxigraph's
    bulk loader, never triple by triple in Python.
    """
    done: list[Loaded] = []
    for path in map(Path, paths):
        scan = _scan(path)
        sources = _sources(scan)
        try:
            if scan.simple and not any(store.contains_named_graph(g) for g in sources):  # new graphs: one bulk load
                store.bulk_load(path=str(path), format=scan.fmt, to_graph=scan.default_target)
                union = b"".join(scan.data.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=g)
                                 for parts in sources.values() for g in parts)
                store.bulk_load(input=union, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
            elif scan.simple:  # graph by graph, leaving those the store already holds as they are
                for graph, parts in sources.items():
                    new = {ox.Triple(q.subject, q.predicate, q.object) for g in parts
                           for q in scan.data.quads_for_pattern(None, None, None, g)}
                    if drop_graph(store, graph, keep=new):
                        continue  # the store holds this very graph: nothing to do
                    text = b"".join(scan.data.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=g) for g in parts)
                    store.bulk_load(input=text, format=ox.RdfFormat.N_TRIPLES, to_graph=graph)
                    store.bulk_load(input=text, format=ox.RdfFormat.N_TRIPLES, to_graph=ox.DefaultGraph())
            else:  # blank nodes or blank graph names: copy quad by quad, to both graphs
                for graph in sources:
                    drop_graph(store, graph)
                store.bulk_extend(ox.Quad(q.subject, q.predicate, q.object, g) for q in scan.data
                                  for g in (_target(q.graph_name, scan), ox.DefaultGraph()))
        except (SyntaxError, ValueError) as exc:  # the file changed under us
            raise InputError(f"{path}: not valid {scan.fmt.name}: {str(exc).splitlines()[0]}") from None
        except OSError as exc:
            raise StoreError(f"cannot write {path} to the store: {exc}") from None
        done += [Loaded(path, graph.value, scan.sizes[graph]) for graph in sources]
    store.flush()
    return done


def load_union(store: ox.Store, paths: Sequence[Path]) -> None:
    """Load graph files' triples into the default graph alone, each triple once: the union, no named graphs.

    What a query that names no graph reads (see `names_graphs` in kg.rdf.query), for half the
    load of `load_graphs`. And pyoxigraph's in-memory store matches a default-graph pattern
    faster when no named graph holds a copy of the triple: over the 135-report corpus the
    cookbook's queries took 1.3–2.3× less time (the list of 9,700 targets 0.30 s, not 0.61 s).
    """
    default = ox.DefaultGraph()
    for path in map(Path, paths):
        fmt = rdf_format(path)
        with _reading(path, fmt):
            if not fmt.supports_datasets:
                store.bulk_load(path=str(path), format=fmt, to_graph=default)
                continue
            # a dataset: its graphs' triples, dumped from a scratch store and loaded in one
            # piece, so that a blank node two graphs share stays one node
            scratch = ox.Store()
            scratch.bulk_load(path=str(path), format=fmt)
            text = b"".join(scratch.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=g)
                            for g in [default, *scratch.named_graphs()])
            store.bulk_load(input=text, format=ox.RdfFormat.N_TRIPLES, to_graph=default)


def drop_graph(store: ox.Store, graph: ox.NamedNode, keep: Set[ox.Triple] = frozenset()) -> bool:
    """Remove a named graph, and from the default graph the triples no other named graph holds.

    `keep` is the graph's new content, about to be loaded: when the store holds exactly that,
    nothing is removed and True is returned (reloading an unchanged report costs a read);
    otherwise its triples stay in the default graph unchecked and the rest are looked up one
    by one (a SPARQL DELETE … FILTER NOT EXISTS took five times as long as the load).
    """
    if not store.contains_named_graph(graph):
        return False
    old = [ox.Triple(q.subject, q.predicate, q.object) for q in store.quads_for_pattern(None, None, None, graph)]
    if keep and len(old) == len(keep) and all(t in keep for t in old):
        return True
    default = ox.DefaultGraph()
    for t in old:
        if t not in keep and not any(o.graph_name not in (graph, default)
                                     for o in store.quads_for_pattern(t.subject, t.predicate, t.object)):
            store.remove(ox.Quad(t.subject, t.predicate, t.object, default))
    store.remove_graph(graph)
    return False


def _sources(scan: _Scan) -> dict[ox.NamedNode, list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph]]:
    """The graphs of a scanned file, grouped by the store graph each goes to."""
    sources: dict[ox.NamedNode, list[ox.NamedNode | ox.BlankNode | ox.DefaultGraph]] = {}
    for g in [*scan.data.named_graphs(), *([ox.DefaultGraph()] if scan.default_target else [])]:
        sources.setdefault(_target(g, scan), []).append(g)
    return sources


def _target(graph: ox.NamedNode | ox.BlankNode | ox.DefaultGraph, scan: _Scan) -> ox.NamedNode:
    if isinstance(graph, ox.NamedNode):
        return graph
    if isinstance(graph, ox.DefaultGraph) and scan.default_target is not None:
        return scan.default_target
    return file_graph(scan.path)


def has_union(store: ox.Store) -> bool:
    """Tell whether the store's default graph holds the union of its named graphs (made by kg load).

    A store made by other tools may have named graphs only: query it with the union flag.
    """
    return any(True for _ in store.quads_for_pattern(None, None, None, ox.DefaultGraph())) or \
        not any(True for _ in store.named_graphs())


def store_size(store: ox.Store) -> tuple[int, int, int]:
    """Return the number of named graphs, of triples in them, and of distinct triples (the default graph)."""
    (row,) = store.query("SELECT (COUNT(*) AS ?n) WHERE { ?s ?p ?o }")  # the default graph: the union
    union = int(row["n"].value)  # type: ignore[index, union-attr]
    return sum(1 for _ in store.named_graphs()), len(store) - union, union


# --- external stores: SPARQL 1.1 Graph Store HTTP Protocol ------------------------------------

def check_endpoint(url: str) -> str:
    """Return the endpoint URL if it is an absolute http(s) URL; refuse anything else."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        raise OptionError(f"--endpoint {url!r}: give the http(s) URL of a Graph Store endpoint, "
                          "e.g. http://localhost:3030/ds/data (Fuseki) or "
                          "http://localhost:8890/sparql-graph-crud-auth (Virtuoso)")
    return url


def graph_url(endpoint: str, graph: str) -> str:
    """Return the URL of one graph on a Graph Store endpoint (`?graph=IRI`, indirect identification).

    >>> graph_url("http://localhost:3030/ds/data", "https://w3id.org/govkg/id/report/abc")
    'http://localhost:3030/ds/data?graph=https%3A%2F%2Fw3id.org%2Fgovkg%2Fid%2Freport%2Fabc'
    """
    return endpoint + ("&" if "?" in endpoint else "?") + urllib.parse.urlencode({"graph": graph})


def put_graph(endpoint: str, graph: str, triples: Sequence[ox.Triple], *, user: str | None = None,
              password: str | None = None, timeout: float = HTTP_TIMEOUT) -> int:
    """PUT the triples as the graph's new content; return the HTTP status (200, 201 or 204).

    Raises StoreError with one line for a refused connection, failed authentication, or a
    server that rejects the data (with the first line of its message).
    """
    body = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    return put_data(endpoint, graph, body, user=user, password=password, timeout=timeout)


def put_data(endpoint: str, graph: str, body: bytes, *, user: str | None = None, password: str | None = None,
             timeout: float = HTTP_TIMEOUT, content_type: str = "text/turtle; charset=utf-8") -> int:
    """PUT a serialised graph as the graph's new content; return the HTTP status (see put_graph)."""
    url = graph_url(check_endpoint(endpoint), graph)
    request = urllib.request.Request(url, data=body, method="PUT", headers={"Content-Type": content_type})
    status, _, _ = _send(request, endpoint, user, password, timeout, f"graph <{graph}>")
    return status


def query_endpoint(endpoint: str, sparql: str, *, user: str | None = None, password: str | None = None,
                   timeout: float = HTTP_TIMEOUT) -> ox.QuerySolutions | ox.QueryBoolean:
    """Run a SELECT or ASK query on a SPARQL 1.1 Protocol endpoint (POST, form-encoded).

    Raises StoreError like put_graph; a server's 400 (a query it cannot parse) names its message.
    """
    body = urllib.parse.urlencode({"query": sparql}).encode("utf-8")
    request = urllib.request.Request(check_endpoint(endpoint), data=body, method="POST", headers={
        "Content-Type": "application/x-www-form-urlencoded", "Accept": "application/sparql-results+json"})
    _, ctype, data = _send(request, endpoint, user, password, timeout, "the query")
    if not ctype.startswith(("application/sparql-results+json", "application/json")):
        raise StoreError(f"{endpoint}: answered {ctype or 'no content type'}, not SPARQL JSON results "
                         "(SELECT and ASK only; is this a SPARQL query endpoint?)")
    try:
        return ox.parse_query_results(data, format=ox.QueryResultsFormat.JSON)
    except (SyntaxError, ValueError) as exc:
        raise StoreError(f"{endpoint}: unreadable SPARQL JSON results: {str(exc).splitlines()[0]}") from None


def _send(request: urllib.request.Request, endpoint: str, user: str | None, password: str | None,
          timeout: float, what: str) -> tuple[int, str, bytes]:
    """Send a request; return status, media type and body, or raise StoreError in one line."""
    if user is not None:
        _preauthorize(request, user, password or "", timeout)
    opener = _opener(endpoint, user, password)
    try:
        with opener.open(request, timeout=timeout) as response:
            return int(response.status), response.headers.get("Content-Type", "").lower(), response.read()
    except urllib.error.HTTPError as exc:
        raise StoreError(_http_error(endpoint, what, exc, user)) from None
    except urllib.error.URLError as exc:
        raise StoreError(_connection_error(endpoint, exc.reason, timeout)) from None
    except (TimeoutError, socket.timeout, ConnectionError) as exc:
        raise StoreError(_connection_error(endpoint, exc, timeout)) from None
    except ValueError as exc:  # urllib's digest handler meets an auth scheme it does not know
        raise StoreError(f"{endpoint}: cannot authenticate: {exc}") from None


def load_endpoint(endpoint: str, paths: Sequence[Path], *, graph: str | None = None, user: str | None = None,
                  password: str | None = None, timeout: float = HTTP_TIMEOUT) -> list[Loaded]:
    """Load graph files into an external store, one PUT per report graph (or all into `graph`)."""
    check_endpoint(endpoint)
    if graph is not None:
        try:
            ox.NamedNode(graph)
        except ValueError as exc:
            raise OptionError(f"--graph {graph!r}: not a valid IRI ({exc})") from None
        read = [(Path(p), read_graphs(Path(p))) for p in paths]
        merged = sorted({t for _, graphs in read for ts in graphs.values() for t in ts}, key=str)
        status = put_graph(endpoint, graph, merged, user=user, password=password, timeout=timeout)
        return [Loaded(read[0][0] if len(read) == 1 else Path(", ".join(str(p) for p, _ in read)),
                       graph, len(merged), status)]
    done = []
    for path in map(Path, paths):
        scan = _scan(path)
        for name, parts in _sources(scan).items():
            body = b"".join(scan.data.dump(format=ox.RdfFormat.N_TRIPLES, from_graph=g) for g in parts)
            status = put_data(endpoint, name.value, body, user=user, password=password, timeout=timeout)
            done.append(Loaded(path, name.value, scan.sizes[name], status))
    return done


def _opener(endpoint: str, user: str | None, password: str | None) -> urllib.request.OpenerDirector:
    """Return an opener that answers Basic and Digest challenges (Virtuoso asks for Digest)."""
    handlers: list[urllib.request.BaseHandler] = []
    if user is not None:
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, endpoint, user, password or "")
        handlers += [urllib.request.HTTPDigestAuthHandler(manager), urllib.request.HTTPBasicAuthHandler(manager)]
    # no proxies: a store on localhost must not go through one the environment names
    return urllib.request.build_opener(urllib.request.ProxyHandler({}), *handlers)


def _preauthorize(request: urllib.request.Request, user: str, password: str, timeout: float) -> None:
    """Answer the server's login challenge before the body is sent.

    urllib sends the body first and authenticates on the 401; Virtuoso closes the connection
    with its 401 while a large body is still being sent, which breaks the pipe. So a bodiless
    HEAD fetches the challenge, and the request carries its answer (Digest or Basic) up front.
    """
    probe = urllib.request.Request(request.full_url, method="HEAD")
    try:
        urllib.request.build_opener(urllib.request.ProxyHandler({})).open(probe, timeout=timeout).close()
        return  # no login asked for here
    except urllib.error.HTTPError as exc:
        challenge = exc.headers.get("WWW-Authenticate", "") if exc.code == 401 else ""
        exc.close()
    except (urllib.error.URLError, OSError, ValueError):
        return  # the request itself will say what is wrong
    scheme, _, params = challenge.strip().partition(" ")
    if scheme.lower() == "digest":
        manager = urllib.request.HTTPPasswordMgrWithDefaultRealm()
        manager.add_password(None, request.full_url, user, password)
        chal = urllib.request.parse_keqv_list([p for p in urllib.request.parse_http_list(params) if "=" in p])
        answer = urllib.request.HTTPDigestAuthHandler(manager).get_authorization(request, chal)
        if answer:
            request.add_unredirected_header("Authorization", f"Digest {answer}")
    elif scheme.lower() == "basic":
        token = base64.b64encode(f"{user}:{password}".encode("utf-8")).decode("ascii")
        request.add_unredirected_header("Authorization", f"Basic {token}")


def _http_error(endpoint: str, what: str, exc: urllib.error.HTTPError, user: str | None) -> str:
    try:
        body = exc.read() or b""
    except OSError:
        body = b""
    message = server_message(body)
    code = exc.code
    if code == 401:
        if user is None:
            return f"{endpoint}: the store asks for a login (HTTP 401): give --user and --password"
        return f"{endpoint}: authentication failed for user {user!r} (HTTP 401): check --user and --password"
    if code == 403:
        hint = ("give --user and --password" if user is None
                else f"user {user!r} may not write there")
        return f"{endpoint}: writing is forbidden (HTTP 403): {hint}" + (f" — the server says: {message}" if message else "")
    if code in (404, 405) and what.startswith("graph"):
        return (f"{endpoint}: no Graph Store endpoint here (HTTP {code}); give its URL, e.g. "
                "http://localhost:3030/ds/data (Fuseki) or http://localhost:8890/sparql-graph-crud-auth (Virtuoso)")
    if code in (404, 405):
        return (f"{endpoint}: no SPARQL endpoint here (HTTP {code}); give its URL, e.g. "
                "http://localhost:3030/ds/sparql (Fuseki) or http://localhost:8890/sparql (Virtuoso)")
    return f"{endpoint}: the store rejected {what} (HTTP {code}): {message or exc.reason}"


def _connection_error(endpoint: str, reason: object, timeout: float) -> str:
    where = urllib.parse.urlsplit(endpoint).netloc
    if isinstance(reason, ConnectionRefusedError):
        return f"{endpoint}: cannot connect to {where}: connection refused (is the store running?)"
    if isinstance(reason, (TimeoutError, socket.timeout)):
        return f"{endpoint}: no answer from {where} within {timeout:g} s"
    if isinstance(reason, (BrokenPipeError, ConnectionResetError)):
        return (f"{endpoint}: {where} closed the connection while the data was being sent "
                "(does it want a login, or limit the size of uploads?)")
    if isinstance(reason, socket.gaierror):
        return f"{endpoint}: unknown host {where.rsplit(':', 1)[0]!r}"
    text = getattr(reason, "strerror", None) or str(reason)
    return f"{endpoint}: cannot connect to {where}: {text}"


_BLOCK = re.compile(r"<(xmp|pre)\b[^>]*>(.*?)</\1\s*>", re.S | re.I)
_TAG = re.compile(r"<[^>]+>")


def server_message(body: bytes, limit: int = 300) -> str:
    """Return the first meaningful line of a server's error body (text, or HTML with its tags dropped).

    >>> server_message(b"<html><h1>500</h1><xmp>The PUT request is rejected: bad Turtle</xmp></html>")
    'The PUT request is rejected: bad Turtle'
    >>> server_message(b"Parse error: [line: 1, col: 7] Expected IRI\\nmore")
    'Parse error: [line: 1, col: 7] Expected IRI'
    """
    text = body.decode("utf-8", "replace")
    block = _BLOCK.search(text)
    if block:
        text = block.group(2)
    elif re.search(r"<(html|body|h1|p|title)\b", text, re.I):
        text = re.sub(r"<title\b.*?</title\s*>", "", text, flags=re.S | re.I)
        text = _TAG.sub("\n", text)
    lines = [" ".join(line.split()) for line in html.unescape(text).splitlines()]
    lines = [line for line in lines if line]
    return lines[0][:limit] if lines else ""
