"""Serve a store as a read-only SPARQL 1.1 Protocol endpoint, and the HTML views beside it.

- `GET /sparql?query=…` and `POST /sparql` (`application/sparql-query`, or a form with
  `query=`); results by content negotiation (SPARQL JSON, XML, CSV, TSV; Turtle, N-Triples,
  JSON-LD for CONSTRUCT/DESCRIBE), or a `format` parameter (`json`, `csv`, a media type).
- Read-only: the store is opened read-only, SPARQL Update (`update=`, `application/sparql-update`)
  gets 403, other methods 405, and `SERVICE` (which would make the server fetch URLs) 403.
- Bounded: every query runs in a worker process; one that runs past the time limit is killed
  (pyoxigraph cannot cancel a query) and replaced, and the client gets 503. A result with
  more rows than the limit is refused with 422 rather than cut short silently.
- Bound to 127.0.0.1 by default; on a loopback address, requests must name a loopback Host
  (a defence against DNS rebinding from web pages the user visits).
"""
from __future__ import annotations

import html
import json
import multiprocessing
import queue
import re
import signal
import sys
import threading
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from multiprocessing.connection import Connection
from pathlib import Path
from typing import Any

from kg.errors import StoreError

MAX_QUERY_BYTES = 1_000_000
VIEW_SUFFIXES = {".html": "text/html; charset=utf-8", ".css": "text/css; charset=utf-8",
                 ".js": "text/javascript; charset=utf-8", ".json": "application/json",
                 ".svg": "image/svg+xml", ".png": "image/png"}
# result media types we write, by the name a `format` parameter may use
RESULT_TYPES = {"json": "application/sparql-results+json", "xml": "application/sparql-results+xml",
                "csv": "text/csv", "tsv": "text/tab-separated-values"}
GRAPH_TYPES = {"ttl": "text/turtle", "turtle": "text/turtle", "nt": "application/n-triples",
               "ntriples": "application/n-triples", "jsonld": "application/ld+json", "rdf": "application/rdf+xml"}
_ALIASES = {"application/json": "application/sparql-results+json", "application/xml": "application/sparql-results+xml",
            "text/xml": "application/sparql-results+xml", "text/plain": "text/tab-separated-values"}
LOOPBACK = ("127.0.0.1", "::1", "localhost")


@dataclass(frozen=True)
class ServeOptions:
    """How `kg serve` runs: the store, the views folder, where it listens and its limits."""

    store: Path
    views: Path | None = None
    host: str = "127.0.0.1"
    port: int = 7878
    timeout: float = 10.0
    max_rows: int = 10_000
    workers: int = 2
    quiet: bool = False


@dataclass(frozen=True)
class Answer:
    """An HTTP answer: status, media type and body."""

    status: int
    content_type: str
    body: bytes
    headers: dict[str, str] = field(default_factory=dict)


def text_answer(status: int, message: str) -> Answer:
    """Return a plain-text answer of one line."""
    return Answer(status, "text/plain; charset=utf-8", (message.rstrip("\n") + "\n").encode("utf-8"))


# --- guarding queries ------------------------------------------------------------------------

# What the engine reads as one token that may hold the word SERVICE without it being the
# keyword: strings (escapes included), IRIs (\u escapes included: pyoxigraph reads them),
# escaped characters of prefixed names (`ex:a\#b`, lest `#` look like a comment) and comments.
_SKIPPED = re.compile(r'"""(?:[^"\\]|\\.|"(?!""))*"""|\'\'\'(?:[^\'\\]|\\.|\'(?!\'\'))*\'\'\''
                      r'|"(?:[^"\\\n\r]|\\.)*"|\'(?:[^\'\\\n\r]|\\.)*\''
                      r'|<(?:[^<>"{}|^`\\\x00-\x20]|\\u[0-9A-Fa-f]{4}|\\U[0-9A-Fa-f]{8})*>'
                      r'|\\.|#[^\n\r]*', re.S)
# pyoxigraph needs no space before a keyword (`?s ?p 1SERVICE <…>` runs the SERVICE), so any
# "service" counts except right after ?, $ or : (a variable or a prefixed name starting so).
_SERVICE = re.compile(r"(?<![?$:])service", re.I)


def uses_service(sparql: str) -> bool:
    r"""Tell whether a query may hold a SERVICE clause (which would make the server fetch a URL).

    Strings, IRIs and comments are skipped; the word anywhere else counts, so a false alarm
    is possible (a name such as ex:myService), a miss is not.

    >>> uses_service('SELECT * { SERVICE <http://example.org/sparql> { ?s ?p ?o } }')
    True
    >>> uses_service('SELECT * { ?s <http://example.org/service#x> "SERVICE" ; ?service ex:service } # SERVICE')
    False
    >>> uses_service('SELECT * { ?s ?p 1SERVICE <http://x/> {} }'), uses_service(r'{ ?s ?p ex:a\#b SERVICE <x:> {} }')
    (True, True)
    >>> uses_service(r'SELECT * { ?s ?p "a\u0022" SERVICE <http://x/> {} "b" }')
    True
    """
    return bool(_SERVICE.search(_SKIPPED.sub(" ", sparql)))


def choose_type(accept: str, fmt: str | None, kind: str) -> str:
    """Pick the media type of a result of `kind` ("solutions" or "graph") from `format` or Accept.

    >>> choose_type("text/csv;q=0.5, application/sparql-results+json", None, "solutions")
    'application/sparql-results+json'
    >>> choose_type("*/*", "tsv", "solutions"), choose_type("", None, "graph")
    ('text/tab-separated-values', 'text/turtle')
    """
    names = RESULT_TYPES if kind == "solutions" else GRAPH_TYPES
    supported = list(dict.fromkeys(names.values()))
    if fmt:
        f = fmt.strip().lower()
        f = names.get(f, _ALIASES.get(f, f) if kind == "solutions" else f)
        if f in supported:
            return f
    ranked = []
    for i, part in enumerate(accept.split(",")):
        media, _, params = part.strip().partition(";")
        media = media.strip().lower()
        q = 1.0
        m = re.search(r"\bq=([0-9.]+)", params)
        if m:
            try:
                q = float(m.group(1))
            except ValueError:
                q = 0.0
        ranked.append((-q, i, media))
    for q, _, media in sorted(ranked):
        if q == 0:
            continue
        media = _ALIASES.get(media, media) if kind == "solutions" else media
        if media in supported:
            return media
    return supported[0]


# --- the worker processes --------------------------------------------------------------------

def _worker_main(store_path: str, conn: Connection, max_rows: int) -> None:
    """Answer queries sent over `conn` from a read-only store until the pipe closes."""
    import pyoxigraph as ox

    from kg.rdf.store import has_union

    try:
        store = ox.Store.read_only(store_path)
        union = not has_union(store)
    except OSError as exc:
        conn.send(f"cannot open the store: {exc}")
        return
    conn.send("ready")  # the pool starts the query clock only now, not while this process starts
    while True:
        try:
            job = conn.recv()
        except (EOFError, OSError):
            return
        try:
            answer = _execute(ox, store, job, max_rows, union)
        except Exception as exc:  # a bug or an engine error: answer, and keep serving
            answer = text_answer(500, f"the query failed: {type(exc).__name__}: {exc}")
        conn.send(answer)


def _execute(ox: Any, store: Any, job: dict[str, Any], max_rows: int, union: bool) -> Answer:
    kwargs: dict[str, Any] = {"use_default_graph_as_union": union and not job["default_graphs"]}
    try:
        if job["default_graphs"]:
            kwargs["default_graph"] = [ox.NamedNode(g) for g in job["default_graphs"]]
        if job["named_graphs"]:
            kwargs["named_graphs"] = [ox.NamedNode(g) for g in job["named_graphs"]]
    except ValueError as exc:
        return text_answer(400, f"a graph IRI is not valid: {exc}")
    try:
        result = store.query(job["query"], **kwargs)
        if isinstance(result, ox.QueryBoolean):
            media = choose_type(job["accept"], job["format"], "solutions")
            fmt = ox.QueryResultsFormat.from_media_type(media)
            return Answer(200, _with_charset(media), result.serialize(format=fmt))
        if isinstance(result, ox.QueryTriples):
            media = choose_type(job["accept"], job["format"], "graph")
            triples = []
            for t in result:
                triples.append(t)
                if len(triples) > max_rows:
                    return _too_many(max_rows, "triples")
            fmt = ox.RdfFormat.from_media_type(media)
            return Answer(200, _with_charset(media), ox.serialize(triples, format=fmt))
        media = choose_type(job["accept"], job["format"], "solutions")
        names = [v.value for v in result.variables]
        rows = []
        for solution in result:
            rows.append([solution[n] for n in names])
            if len(rows) > max_rows:
                return _too_many(max_rows, "rows")
    except SyntaxError as exc:
        return text_answer(400, f"the query does not parse: {str(exc).splitlines()[0]}")
    except (OSError, ValueError, RuntimeError) as exc:
        return text_answer(400, f"the query failed: {exc}")
    body = solutions_json(names, rows)
    if media != RESULT_TYPES["json"]:
        fmt = ox.QueryResultsFormat.from_media_type(media)
        body = ox.parse_query_results(body, format=ox.QueryResultsFormat.JSON).serialize(format=fmt)
    return Answer(200, _with_charset(media), body)


def _too_many(limit: int, what: str) -> Answer:
    return text_answer(422, f"the result has more than {limit} {what}, this server's limit; "
                            "add LIMIT (and OFFSET to page) or narrow the query")


def _with_charset(media: str) -> str:
    return media + "; charset=utf-8" if media.startswith("text/") or media.endswith("+json") else media


def solutions_json(names: list[str], rows: list[list[Any]]) -> bytes:
    """Write SELECT solutions as SPARQL 1.1 Query Results JSON.

    >>> import pyoxigraph as ox
    >>> solutions_json(["x"], [[ox.Literal("衢州", language="zh")], [None]]).decode()
    '{"head":{"vars":["x"]},"results":{"bindings":[{"x":{"type":"literal","value":"衢州","xml:lang":"zh"}},{}]}}'
    """
    import pyoxigraph as ox

    xsd_string = "http://www.w3.org/2001/XMLSchema#string"

    def term(t: Any) -> dict[str, Any]:
        if isinstance(t, ox.NamedNode):
            return {"type": "uri", "value": t.value}
        if isinstance(t, ox.BlankNode):
            return {"type": "bnode", "value": t.value}
        if isinstance(t, ox.Literal):
            out: dict[str, Any] = {"type": "literal", "value": t.value}
            if t.language:
                out["xml:lang"] = t.language
            elif t.datatype.value != xsd_string:
                out["datatype"] = t.datatype.value
            return out
        if isinstance(t, ox.Triple):
            return {"type": "triple", "value": {"subject": term(t.subject), "predicate": term(t.predicate),
                                                "object": term(t.object)}}
        raise TypeError(f"not an RDF term: {t!r}")

    bindings = [{n: term(v) for n, v in zip(names, row) if v is not None} for row in rows]
    doc = {"head": {"vars": names}, "results": {"bindings": bindings}}
    return json.dumps(doc, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


class _Worker:
    def __init__(self, ctx: Any, store: Path, max_rows: int, startup: float = 120.0) -> None:
        self.conn, child = ctx.Pipe()
        self.process = ctx.Process(target=_worker_main, args=(str(store), child, max_rows), daemon=True)
        self.process.start()
        child.close()
        status = self.conn.recv() if self.conn.poll(startup) else f"no answer within {startup:g} s"
        if status != "ready":
            self.stop()
            raise StoreError(f"{store}: a query worker could not start: {status}")

    def stop(self) -> None:
        if self.process.is_alive():
            self.process.kill()
        self.process.join(5)
        self.conn.close()


class QueryPool:
    """Worker processes that run queries with a time limit; an overrunning worker is killed."""

    def __init__(self, store: Path, *, workers: int = 2, timeout: float = 10.0, max_rows: int = 10_000) -> None:
        methods = multiprocessing.get_all_start_methods()
        # forkserver: workers fork from a clean process that has imported this module once (fork
        # from a threaded server is unsafe; spawn re-imports everything for every worker)
        self._ctx = multiprocessing.get_context("forkserver" if "forkserver" in methods else "spawn")
        if "forkserver" in methods:
            self._ctx.set_forkserver_preload(["kg.serve"])
        self.store, self.timeout, self.max_rows = store, timeout, max_rows
        self._idle: queue.Queue[_Worker] = queue.Queue()
        self._all: set[_Worker] = set()
        self._lock = threading.Lock()
        self._closed = False
        try:
            for _ in range(workers):
                self._add(initial=True)
        except BaseException:
            self.close()
            raise

    def _add(self, initial: bool = False) -> None:
        try:
            w = _Worker(self._ctx, self.store, self.max_rows)
        except (StoreError, EOFError, OSError):
            if initial:
                raise
            return  # a replacement that cannot start: the others keep serving
        with self._lock:
            if self._closed:
                w.stop()
                return
            self._all.add(w)
        self._idle.put(w)

    def _drop(self, w: _Worker) -> None:
        with self._lock:
            self._all.discard(w)
        w.stop()
        threading.Thread(target=self._add, daemon=True).start()

    def run(self, job: dict[str, Any]) -> Answer:
        """Run one query job; 503 when every worker stays busy, or when the query overruns."""
        try:
            w = self._idle.get(timeout=self.timeout)
        except queue.Empty:
            return text_answer(503, "the server is busy with other queries; try again")
        try:
            w.conn.send(job)
            if not w.conn.poll(self.timeout):
                self._drop(w)
                w = None  # type: ignore[assignment]
                return Answer(503, "text/plain; charset=utf-8",
                              f"the query ran longer than {self.timeout:g} s, this server's limit, and was "
                              "stopped; narrow it or add LIMIT\n".encode("utf-8"))
            return w.conn.recv()  # type: ignore[no-any-return]
        except (EOFError, OSError, BrokenPipeError):
            self._drop(w)
            w = None  # type: ignore[assignment]
            return text_answer(500, "the query worker died (out of memory?); try a narrower query")
        finally:
            if w is not None:
                self._idle.put(w)

    def close(self) -> None:
        """Stop every worker."""
        with self._lock:
            self._closed = True
            workers = list(self._all)
            self._all.clear()
        for w in workers:
            w.stop()


# --- HTTP ------------------------------------------------------------------------------------

_FORM = """<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>govkg SPARQL</title></head>
<body><h1>govkg SPARQL endpoint</h1><p>Read-only. The default graph is the union of every report's graph.</p>
<form action="/sparql" method="post"><textarea name="query" rows="14" cols="100">{query}</textarea><br>
<select name="format"><option>json</option><option>csv</option><option>tsv</option><option>xml</option></select>
<button type="submit">Run</button></form><p><a href="/">Views</a></p></body></html>
"""
_DEFAULT_QUERY = ("PREFIX gkg: <https://w3id.org/govkg/ontology#>\nPREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>\n"
                  "SELECT ?report ?title WHERE { ?report a gkg:Report ; rdfs:label ?title } LIMIT 100")


class SparqlServer(ThreadingHTTPServer):
    """The HTTP server: its options and the pool that runs the queries."""

    daemon_threads = True

    def __init__(self, options: ServeOptions, pool: QueryPool) -> None:
        self.options = options
        self.pool = pool
        super().__init__((options.host, options.port), _Handler)

    @property
    def url(self) -> str:
        """The endpoint's URL."""
        host, port = self.server_address[:2]
        shown = f"[{host}]" if ":" in str(host) else str(host)
        return f"http://{shown}:{port}/sparql"


class _Handler(BaseHTTPRequestHandler):
    server: SparqlServer
    server_version = "govkg"
    sys_version = ""
    protocol_version = "HTTP/1.1"

    # -- plumbing
    def log_message(self, format: str, *args: Any) -> None:  # noqa: A002 (the base class's name)
        if not self.server.options.quiet:
            sys.stderr.write(f"{self.address_string()} - {format % args}\n")

    def _send(self, answer: Answer, head_only: bool = False) -> None:
        self.send_response(answer.status)
        self.send_header("Content-Type", answer.content_type)
        self.send_header("Content-Length", str(len(answer.body)))
        self.send_header("X-Content-Type-Options", "nosniff")
        self.send_header("Cache-Control", "no-store")
        for k, v in answer.headers.items():
            self.send_header(k, v)
        self.end_headers()
        if not head_only:
            self.wfile.write(answer.body)

    def _host_ok(self) -> bool:
        """On a loopback address, accept only loopback Host names (DNS-rebinding defence)."""
        if self.server.options.host not in LOOPBACK:
            return True
        host = (self.headers.get("Host") or "").strip().lower()
        name = host[1:].split("]")[0] if host.startswith("[") else host.rsplit(":", 1)[0] if host.count(":") == 1 else host
        return name in LOOPBACK or name == ""

    # -- methods
    def do_GET(self) -> None:  # noqa: N802 (http.server's naming)
        self._dispatch(head_only=False)

    def do_HEAD(self) -> None:  # noqa: N802
        self._dispatch(head_only=True)

    def do_POST(self) -> None:  # noqa: N802
        if not self._host_ok():
            return self._send(text_answer(403, "unexpected Host header"))
        path = urllib.parse.urlsplit(self.path).path
        if path != "/sparql":
            return self._send(text_answer(404 if path.startswith("/") else 400, "POST queries to /sparql"))
        length = self.headers.get("Content-Length")
        if length is None or not length.isdigit():
            return self._send(text_answer(411, "send a Content-Length"))
        if int(length) > MAX_QUERY_BYTES:
            return self._send(text_answer(413, f"the request is larger than {MAX_QUERY_BYTES} bytes"))
        body = self.rfile.read(int(length))
        ctype = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        params = urllib.parse.parse_qs(urllib.parse.urlsplit(self.path).query)
        if ctype == "application/sparql-update":
            return self._send(_read_only())
        if ctype == "application/sparql-query":
            try:
                text = body.decode("utf-8")
            except UnicodeDecodeError:
                return self._send(text_answer(400, "the query is not UTF-8"))
        elif ctype == "application/x-www-form-urlencoded":
            try:
                form = urllib.parse.parse_qs(body.decode("utf-8"), keep_blank_values=True)
            except UnicodeDecodeError:
                return self._send(text_answer(400, "the form is not UTF-8"))
            if "update" in form:
                return self._send(_read_only())
            params = {**params, **form}
            if "query" not in form:
                return self._send(text_answer(400, "the form has no query= field"))
            text = form["query"][0]
        else:
            return self._send(text_answer(415, "POST application/sparql-query, or a form with query="))
        self._send(self._query(text, params))

    def _refuse_method(self) -> None:
        answer = text_answer(405, "this endpoint is read-only: GET or POST queries to /sparql")
        answer.headers["Allow"] = "GET, HEAD, POST"
        self._send(answer)

    do_PUT = do_DELETE = do_PATCH = _refuse_method  # noqa: N815

    def _dispatch(self, head_only: bool) -> None:
        if not self._host_ok():
            return self._send(text_answer(403, "unexpected Host header"), head_only)
        parts = urllib.parse.urlsplit(self.path)
        params = urllib.parse.parse_qs(parts.query, keep_blank_values=True)
        if parts.path == "/sparql":
            if "update" in params:
                return self._send(_read_only(), head_only)
            if "query" not in params:
                form = _FORM.format(query=html.escape(_DEFAULT_QUERY))
                return self._send(Answer(200, "text/html; charset=utf-8", form.encode("utf-8")), head_only)
            return self._send(self._query(params["query"][0], params), head_only)
        self._send(self._view(urllib.parse.unquote(parts.path)), head_only)

    # -- answers
    def _query(self, text: str, params: dict[str, list[str]]) -> Answer:
        if len(text.encode("utf-8")) > MAX_QUERY_BYTES:
            return text_answer(413, f"the query is longer than {MAX_QUERY_BYTES} bytes")
        if uses_service(text):
            return text_answer(403, "SERVICE is not allowed here: this endpoint does not fetch other endpoints")
        fmt = (params.get("format") or params.get("output") or [None])[0]
        job = {"query": text, "accept": self.headers.get("Accept") or "", "format": fmt,
               "default_graphs": params.get("default-graph-uri", []),
               "named_graphs": params.get("named-graph-uri", [])}
        return self.server.pool.run(job)

    def _view(self, path: str) -> Answer:
        folder = self.server.options.views
        if folder is None or not folder.is_dir():
            return text_answer(404, "no views folder; the endpoint is at /sparql")
        if path in ("", "/"):
            return _index(folder)
        name = path.lstrip("/")
        if "/" in name or "\\" in name or name.startswith(".") or Path(name).suffix.lower() not in VIEW_SUFFIXES:
            return text_answer(404, "not found")
        file = folder / name
        try:
            data = file.read_bytes()
        except OSError:
            return text_answer(404, "not found")
        return Answer(200, VIEW_SUFFIXES[file.suffix.lower()], data)


def _read_only() -> Answer:
    return text_answer(403, "this endpoint is read-only: SPARQL Update is refused")


def _index(folder: Path) -> Answer:
    pages = sorted(p.name for p in folder.iterdir() if p.suffix.lower() == ".html" and p.is_file()
                   and not p.name.startswith("."))
    items = "\n".join(f'<li><a href="/{urllib.parse.quote(n)}">{html.escape(n)}</a></li>' for n in pages)
    page = (f'<!doctype html><html lang="zh"><head><meta charset="utf-8"><title>govkg</title></head><body>'
            f'<h1>govkg</h1><p><a href="/sparql">SPARQL endpoint</a> (read-only)</p><ul>\n{items}\n</ul></body></html>\n')
    return Answer(200, "text/html; charset=utf-8", page.encode("utf-8"))


def make_server(options: ServeOptions) -> SparqlServer:
    """Check the store, start the workers and bind the server (not yet serving)."""
    from kg.errors import OptionError
    from kg.rdf.store import open_store

    del_store = open_store(options.store, read_only=True)  # fails with one line when there is no store
    del del_store
    pool = QueryPool(options.store, workers=options.workers, timeout=options.timeout, max_rows=options.max_rows)
    try:
        return SparqlServer(options, pool)
    except OSError as exc:
        pool.close()
        raise OptionError(f"cannot listen on {options.host}:{options.port}: {exc.strerror or exc}") from None


def _interrupt(signum: int, frame: object) -> None:
    raise KeyboardInterrupt


def serve_forever(options: ServeOptions, announce: Callable[[str], None] = print) -> None:
    """Serve until interrupted (Ctrl-C), then stop the workers."""
    server = make_server(options)
    if threading.current_thread() is threading.main_thread():
        signal.signal(signal.SIGTERM, _interrupt)  # `kill` stops the workers too, like Ctrl-C
    announce(f"SPARQL endpoint (read-only): {server.url}")
    if options.views is not None:
        announce(f"views: {server.url.rsplit('/sparql', 1)[0]}/  (from {options.views})")
    if options.host not in LOOPBACK:
        announce(f"warning: listening on {options.host}: anyone who can reach this machine can query the store")
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
        server.pool.close()
