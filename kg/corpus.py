"""Build many reports into one output folder: in parallel, incrementally, and merged.

Each report is built on its own (same bytes whatever the number of workers, since a
report's graph depends on nothing but its text and options); the merged corpus graph is the
sorted union of the reports' graphs, each report in its own named graph (its IRI the
report's IRI), plus the places' administrative hierarchy and the assessments of targets
against results. The merge takes each report as soon as it and those before it are built,
so that with several workers it goes on while they work rather than after them. A manifest
in the output folder remembers, per input, the hash of its bytes and of the tool: an input
whose text and tool are unchanged is not built again.
"""
from __future__ import annotations

import gc
import hashlib
import json
import multiprocessing
import os
import sys
import time
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from functools import cache
from importlib import resources
from pathlib import Path

import pyoxigraph as ox

from kg.errors import KgError
from kg.rdf.export import AtomicFile, prefixes, write_atomic

MANIFEST = ".kg-manifest.json"
CORPUS_FILES = ("corpus.ttl", "corpus.nq", "corpus.trig")


@dataclass(frozen=True)
class BuildOptions:
    """What every report of one build is built with."""

    out_dir: Path
    year: int | None = None
    region: str | None = None
    base: str = "https://w3id.org/govkg/id/"
    encoding: str | None = None
    html: bool = True
    max_bytes: int = 5 * 2**20  # a report's text above this is refused (kg.text.read.MAX_BYTES)

    def key(self) -> str:
        """The options that change a report's output, as a stable string."""
        return json.dumps([self.year, self.region, self.base, self.encoding, self.html])


@dataclass(frozen=True)
class ReportOutcome:
    """What building one input gave: its output files, or the error that stopped it."""

    source: Path
    ttl: Path | None = None
    html: Path | None = None
    triples: int = 0
    entities: int = 0
    observations: int = 0
    error: str = ""
    skipped: bool = False
    report: str = ""
    warnings: tuple[str, ...] = ()
    ntriples: bytes = field(default=b"", repr=False, compare=False)  # the graph, for the merge
    parts: ReportParts | None = field(default=None, repr=False, compare=False)  # the same, split for the merge


@dataclass
class CorpusResult:
    """Everything one `kg build` over many inputs did."""

    outcomes: list[ReportOutcome] = field(default_factory=list)
    corpus_files: list[Path] = field(default_factory=list)
    corpus_triples: int = 0
    # the merged graph less the reports' own sentences, sections and statements (see ReportParts),
    # when this build merged
    union: ox.Store | None = field(default=None, repr=False)

    @property
    def failed(self) -> list[ReportOutcome]:
        return [o for o in self.outcomes if o.error]


def tool_fingerprint() -> str:
    """Hash the package's code and data: any change to either rebuilds every report."""
    h = hashlib.sha256()
    root = resources.files("kg")
    for path in sorted(_package_files(Path(str(root)))):
        h.update(str(path.relative_to(Path(str(root)))).encode())
        h.update(path.read_bytes())
    return h.hexdigest()[:16]


def _package_files(root: Path) -> Iterable[Path]:
    for p in root.rglob("*"):
        if p.is_file() and p.suffix in (".py", ".tsv", ".txt", ".ttl", ".rq", ".html", ".js", ".css") \
                and "__pycache__" not in p.parts:
            yield p


def _file_hash(path: Path) -> str:
    """Hash a file's bytes; "" when it cannot be read (building it then says why)."""
    h = hashlib.sha256()
    try:
        with open(path, "rb") as f:
            for chunk in iter(lambda: f.read(1 << 20), b""):
                h.update(chunk)
    except OSError:
        return ""
    return h.hexdigest()


def build_one(source: Path, options: BuildOptions) -> ReportOutcome:
    """Build one report's Turtle (and HTML) into the output folder; errors become outcomes."""
    with _collector_paused():
        return _build_one(source, options)


@contextmanager
def _collector_paused() -> Iterator[None]:
    """Keep the garbage collector out of a report's build; a young collection after it.

    A build allocates a few hundred thousand short-lived containers, freed by reference
    counting (a report leaves no cycles behind); the collections they would trigger walk the
    survivors again and again, a sixth of the time of a report's HTML view. One young
    collection after the report frees any cycle all the same.
    """
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if enabled:
            gc.enable()
            gc.collect(1)


def _build_one(source: Path, options: BuildOptions) -> ReportOutcome:
    from kg.api import build_report
    from kg.rdf.export import SyncedInOrder
    from kg.rdf.iri import Minter

    stem = "stdin" if str(source) == "-" else source.stem
    try:
        if str(source) == "-":
            from kg.text.formats import read_stream

            data = read_stream(sys.stdin.buffer, "<stdin>", options.max_bytes)
            built = build_report(data, name="<stdin>", year=options.year, region=options.region,
                                 base=options.base, encoding=options.encoding, max_bytes=options.max_bytes)
        else:
            built = build_report(source, year=options.year, region=options.region, base=options.base,
                                 encoding=options.encoding, max_bytes=options.max_bytes)
        ttl = options.out_dir / f"{stem}.ttl"
        html = None
        report = Minter(options.base).report(built.extraction.text_hash).value
        # the build's own N-Triples document: the very bytes pyoxigraph would write
        ntriples = built.graph.ntriples
        turtle, parts = report_turtle(ntriples, report, options.base)
        with SyncedInOrder() as files:  # the Turtle goes to disk while the page is made
            files.write(ttl, turtle)
            if options.html:
                from kg.views.html import render_html

                html = options.out_dir / f"{stem}.html"
                page = render_html(built.graph, built.extraction.info.title)  # the graph: the view's fast path
                files.write(html, page.encode("utf-8"))
        x = built.extraction
        return ReportOutcome(source, ttl, html, len(built.graph), len(x.entities), len(x.observations),
                             warnings=built.warnings, report=report, ntriples=ntriples, parts=parts)
    except KgError as exc:
        msg, name = str(exc), "<stdin>" if str(source) == "-" else str(source)
        # stages after reading (year, region…) do not know the file: name it
        return ReportOutcome(source, error=msg if msg.startswith((name, source.name)) else f"{name}: {msg}")


def _warm_up() -> None:
    """Load the dictionaries and lexicons once, then freeze them out of the garbage collector's way.

    Done before the pool forks, the workers share them; frozen, no collection walks their
    millions of objects again (a tenth of a build's time), nor, after a fork, dirties their pages.
    """
    from kg.api import build_report

    build_report("2026年重点工作\n杭衢高铁建成通车，全市生产总值增长5.5%。", year=2026, region="衢州市")
    gc.freeze()


def _build_star(args: tuple[Path, BuildOptions]) -> ReportOutcome:
    return build_one(*args)


class Progress:
    """A one-line progress display on a terminal: reports done, rate, time left."""

    def __init__(self, total: int, stream: object = None, enabled: bool | None = None) -> None:
        self.total = total
        self.stream = stream or sys.stderr
        isatty = getattr(self.stream, "isatty", lambda: False)()
        self.enabled = isatty if enabled is None else enabled
        self.done = 0
        self.start = time.monotonic()

    def step(self) -> None:
        """Count one report done and redraw the line."""
        self.done += 1
        if not self.enabled:
            return
        elapsed = time.monotonic() - self.start
        rate = self.done / elapsed if elapsed > 0 else 0.0
        left = (self.total - self.done) / rate if rate > 0 else 0.0
        self.stream.write(f"\r[{self.done}/{self.total}] {rate:.1f} reports/s, {left:.0f}s left ")  # type: ignore[attr-defined]
        self.stream.flush()  # type: ignore[attr-defined]

    def close(self) -> None:
        """End the progress line."""
        if self.enabled and self.done:
            self.stream.write("\n")  # type: ignore[attr-defined]


def build_corpus(sources: list[Path], options: BuildOptions, jobs: int | None = None, merge: bool = True,
                 progress: Callable[[], None] | None = None, overview: int | None = None) -> CorpusResult:
    """Build every source (in parallel with `jobs` workers), skip unchanged ones, merge the rest.

    The merged graph (corpus.ttl, corpus.nq, corpus.trig) is written when `merge` is true
    and there is more than one source; with `overview` (a --min-reports), so is its view
    whenever the graph is (else `update_overview` sees to it).
    """
    out = options.out_dir
    manifest_path = out / MANIFEST
    manifest = _read_manifest(manifest_path)
    tool = tool_fingerprint()
    opts = options.key()
    todo: list[Path] = []
    outcomes: dict[Path, ReportOutcome] = {}
    hashes: dict[Path, str] = {}
    for src in sources:
        digest = _file_hash(src) if src.is_file() else ""
        hashes[src] = digest
        entry = manifest.get("reports", {}).get(str(src.resolve()))
        if entry and digest and entry.get("hash") == digest and entry.get("tool") == tool and entry.get("options") == opts \
                and all((out / name).exists() for name in entry.get("outputs", [])):
            outcomes[src] = ReportOutcome(src, out / entry["outputs"][0],
                                          out / entry["outputs"][1] if len(entry["outputs"]) > 1 else None,
                                          entry.get("triples", 0), entry.get("entities", 0),
                                          entry.get("observations", 0), skipped=True,
                                          report=entry.get("report", ""))
            if progress:
                progress()
        else:
            todo.append(src)
    workers = max(1, min(jobs or os.cpu_count() or 1, len(todo)))
    merging = merge and len(sources) > 1
    # Merged while later reports build (the merger's work overlaps the workers'); thrown away
    # if the manifest then says the corpus files already hold these reports.
    merger = _Merger(out, options.base) if merging and todo else None
    try:
        _build_all(sources, todo, outcomes, options, workers, merger, progress)
        result = CorpusResult([outcomes[s] for s in sources])
        _record(manifest.setdefault("reports", {}), result.outcomes, hashes, tool, opts)
        good = [o for o in result.outcomes if not o.error]
        if merging and good:
            reports = manifest["reports"]
            corpus_key = hashlib.sha256(json.dumps(sorted(
                (reports[str(o.source.resolve())]["hash"], o.ttl.name if o.ttl else "") for o in good)).encode()
                + tool.encode() + opts.encode()).hexdigest()
            files = [out / n for n in CORPUS_FILES]
            if manifest.get("corpus") == corpus_key and all(f.exists() for f in files):
                result.corpus_files = files
                result.corpus_triples = manifest.get("corpus_triples", 0)
            else:
                if merger is None:  # every report unchanged, but the corpus files are not theirs
                    result.corpus_files, result.union, result.corpus_triples = merge_reports(
                        [(o.ttl, o.report, o.ntriples) for o in good if o.ttl], out, options.base)
                else:
                    result.corpus_files, result.union, result.corpus_triples = merger.finish(overview)
                    merger = None
                    if overview is not None:
                        manifest["overview"] = _overview_key(corpus_key, overview)
                manifest["corpus"] = corpus_key
                manifest["corpus_triples"] = result.corpus_triples
    finally:
        if merger is not None:
            merger.discard()
    if good or manifest_path.exists():  # a build that made nothing leaves no litter
        _write_manifest(manifest_path, manifest)
    return result


def _build_all(sources: list[Path], todo: list[Path], outcomes: dict[Path, ReportOutcome], options: BuildOptions,
               workers: int, merger: _Merger | None, progress: Callable[[], None] | None) -> None:
    """Build the reports of `todo` into `outcomes`; hand each finished report to the merger in order."""
    ordered = _InOrder(sources, outcomes, merger)
    ordered.advance()  # the unchanged reports before the first one to build
    if todo:
        _warm_up()
    if workers > 1:
        if merger is not None:
            merger.settle()
        ctx = multiprocessing.get_context("fork" if "fork" in multiprocessing.get_all_start_methods() else "spawn")
        with ctx.Pool(workers, initializer=None if ctx.get_start_method() == "fork" else _warm_up) as pool:
            for outcome in pool.imap_unordered(_build_star, [(s, options) for s in todo]):
                outcomes[outcome.source] = outcome
                if progress:
                    progress()
                ordered.advance()
    else:
        for src in todo:
            outcomes[src] = build_one(src, options)
            if progress:
                progress()
            ordered.advance()


class _InOrder:
    """Hands built reports to the merger in the sources' order (which the corpus files keep)."""

    def __init__(self, sources: list[Path], outcomes: dict[Path, ReportOutcome], merger: _Merger | None) -> None:
        self.sources, self.outcomes, self.merger = sources, outcomes, merger
        self.next = 0

    def advance(self) -> None:
        """Merge every report from the next one on that is done; drop its N-Triples once merged."""
        while self.next < len(self.sources) and self.sources[self.next] in self.outcomes:
            src = self.sources[self.next]
            outcome = self.outcomes[src]
            if self.merger is not None and not outcome.error and outcome.ttl is not None:
                self.merger.add(outcome)
                self.outcomes[src] = replace(outcome, ntriples=b"", parts=None)
            self.next += 1


def _record(reports: dict, outcomes: list[ReportOutcome], hashes: dict[Path, str], tool: str, opts: str) -> None:
    """Note each report's outputs in the manifest; forget those that failed."""
    for o in outcomes:
        key = str(o.source.resolve())
        if o.error or o.ttl is None:
            reports.pop(key, None)
            continue
        names = [o.ttl.name] + ([o.html.name] if o.html else [])
        reports[key] = {"hash": hashes[o.source], "tool": tool, "options": opts, "outputs": names,
                        "triples": o.triples, "entities": o.entities, "observations": o.observations,
                        "report": o.report}


def _read_manifest(path: Path) -> dict:
    try:
        data = json.loads(path.read_text(encoding="utf-8"))
        return data if isinstance(data, dict) else {}
    except (OSError, ValueError):
        return {}


def _write_manifest(path: Path, manifest: dict) -> None:
    write_atomic(path, json.dumps(manifest, ensure_ascii=False, indent=1, sort_keys=True).encode("utf-8"))


def merge_reports(reports: list[tuple[Path, str, bytes]], out: Path, base: str) -> tuple[list[Path], ox.Store, int]:
    """Merge report graphs into corpus.ttl, corpus.nq and corpus.trig (one named graph a report).

    `reports` gives each report's Turtle file, its report IRI (the name of its graph) and, when
    just built, its N-Triples (else the Turtle is read). See `_Merger.finish`.
    """
    merger = _Merger(out, base)
    try:
        for path, report, ntriples in reports:
            merger.add(ReportOutcome(path, path, report=report, ntriples=ntriples))
        return merger.finish()
    except BaseException:
        merger.discard()
        raise


@dataclass(frozen=True)
class ReportParts:
    """A report's graph as the merge takes it: what goes through the union store, and what need not.

    A report's sentences, sections and reified statements are its own: their IRIs hold its
    text's hash, so no other report states a triple of theirs (but the same text again, which
    has the same IRI) and no query of the merge reads them. They are a third of a corpus's
    triples, and the end of the report's sorted N-Triples; they skip the union store (a load,
    then a Turtle dump) and go into corpus.ttl as the Turtle the report's own file ends with.
    """

    cut: int  # where the own subjects start in the N-Triples: what comes before is for the union store
    own_turtle: bytes  # Turtle statements of the report's own subjects, without prefix lines
    own_triples: int


def report_turtle(ntriples: bytes, report: str, base: str) -> tuple[bytes, ReportParts]:
    """Return a report's Turtle and its parts for the merge (ReportParts), from one serialisation.

    The Turtle is written in two pieces, split where the report's own subjects start: a
    subject's statements end with " .", so the pieces joined are the bytes of one piece.
    """
    parts = report_parts(ntriples, report, base)
    head = _turtle(ntriples[:parts.cut], base)
    if parts.own_triples and not head.startswith(_turtle_header(base)):  # prefix lines written otherwise
        return _turtle(ntriples, base), ReportParts(len(ntriples), b"", 0)
    return head + parts.own_turtle, parts


def report_parts(ntriples: bytes, report: str, base: str) -> ReportParts:
    """Split a report's N-Triples for the merge (ReportParts): only its own subjects are written as Turtle."""
    cut = _own_start(ntriples, report, base)
    if cut == len(ntriples):
        return ReportParts(cut, b"", 0)
    tail, header = _turtle(ntriples[cut:], base), _turtle_header(base)
    if not tail.startswith(header):  # prefix lines written otherwise: everything through the store
        return ReportParts(len(ntriples), b"", 0)
    return ReportParts(cut, tail[len(header):], ntriples.count(b"\n", cut))


def _turtle(ntriples: bytes, base: str) -> bytes:
    from kg.rdf.export import serialize_turtle

    # lenient: govkg wrote these N-Triples (see ReportGraph.quads)
    return serialize_turtle(ox.parse(ntriples, format=ox.RdfFormat.N_TRIPLES, lenient=True), base)


def _own_start(ntriples: bytes, report: str, base: str) -> int:
    """Return where the report's own subjects start in its N-Triples; its length when they do not end it.

    No line of N-Triples holds a raw newline, so a prefix after one starts a subject.
    """
    own = (f"\n<{report}/".encode(), f"\n<{base}statement/".encode())
    found = [i + 1 for i in (ntriples.find(p) for p in own) if i >= 0]
    if not found:
        return len(ntriples)
    cut = min(found)
    mine = sum(ntriples.count(p, cut - 1) for p in own)
    return cut if mine == ntriples.count(b"\n", cut) else len(ntriples)


@cache
def _turtle_header(base: str) -> bytes:
    """The prefix lines pyoxigraph starts our Turtle with."""
    from kg.rdf.export import serialize_turtle

    node = ox.NamedNode(f"{base}x")
    turtle = serialize_turtle([ox.Triple(node, node, node)], base)
    return turtle[:turtle.index(b"\n", turtle.rindex(b"@prefix ")) + 1]


class _Merger:
    """The corpus graph, grown a report at a time: corpus.nq and .trig as text, the union in a store.

    The named graphs are written as text as the reports come (an N-Triples line is an N-Quads
    line less its graph, and a TriG statement), so only the union — each triple once, for
    corpus.ttl and the target assessments — goes through a store; it is loaded report by report,
    in the sources' order, which its Turtle keeps. Each report's own subjects (ReportParts) stay
    out of the store and follow its Turtle in corpus.ttl. The places' hierarchy from the gazetteer and
    the target assessments go in named graphs of their own, so a user can tell what the reports
    say from what govkg adds. Nothing appears under the corpus files' names before `finish`.

    The union is loaded on a thread of its own: the store parses without the GIL, so it
    overlaps the next report's build even with one worker. One thread keeps the order.
    """

    def __init__(self, out: Path, base: str) -> None:
        self.out, self.base = out, base
        self.union = ox.Store()
        self.nq = AtomicFile(out / "corpus.nq")
        self.trig = AtomicFile(out / "corpus.trig")
        self._loader: ThreadPoolExecutor | None = None  # started by the first load
        self._loads: list[Future[None]] = []
        self._own: dict[str, bytes] = {}  # each report's own Turtle (ReportParts), by report IRI, in order
        self._own_triples = 0

    def add(self, outcome: ReportOutcome) -> None:
        """Add a built report: its N-Triples, else its Turtle file read back."""
        path, ntriples, parts = outcome.ttl or outcome.source, outcome.ntriples, outcome.parts
        if not ntriples:
            ntriples = ox.serialize(ox.parse(path=str(path), format=ox.RdfFormat.TURTLE), format=ox.RdfFormat.N_TRIPLES)
            parts = None
        if parts is None:
            parts = report_parts(ntriples, outcome.report, self.base) if outcome.report else \
                ReportParts(len(ntriples), b"", 0)
        if outcome.report not in self._own and parts.own_triples:  # the same text twice: its own triples once
            self._own[outcome.report] = parts.own_turtle
            self._own_triples += parts.own_triples
        if self._loader is None:
            self._loader = ThreadPoolExecutor(1)
        self._loads.append(self._loader.submit(self._load, ntriples[:parts.cut]))
        self._write(f"<{outcome.report or path.resolve().as_uri()}>".encode(), ntriples)

    def _load(self, ntriples: bytes) -> None:
        # lenient: govkg wrote these N-Triples (built just now, or read back through the parser)
        self.union.load(input=ntriples, format=ox.RdfFormat.N_TRIPLES, lenient=True)

    def settle(self) -> None:
        """Finish the loads under way and stop their thread; called before forking workers.

        A process forked while a thread runs may inherit a lock that thread holds.
        """
        if self._loader is not None:
            self._loader.shutdown(wait=True)
            self._loader = None

    def _loaded(self) -> None:
        """Wait for every report's load; raise the first failure."""
        self.settle()
        for load in self._loads:
            load.result()
        self._loads.clear()

    def _write(self, graph: bytes, ntriples: bytes) -> None:
        # a newline in a literal is written \n, so " .\n" only ever ends a line
        self.nq.write(ntriples.replace(b" .\n", b" " + graph + b" .\n"))
        self.trig.write(graph + b" {\n")
        self.trig.write(ntriples)
        self.trig.write(b"}\n")

    def finish(self, overview: int | None = None) -> tuple[list[Path], ox.Store, int]:
        """Add what govkg adds, write the corpus files; return them, the union store and the corpus's triple count.

        With `overview` (a --min-reports), corpus.html is written too, while the store
        writes the Turtle: the page's Python work and the store's native work overlap.
        """
        from kg.rdf.assess import assess_targets
        from kg.rdf.hierarchy import place_hierarchy
        from kg.rdf.vocab import GKG

        self._loaded()
        merged = self.union
        codes = [row["c"].value for row in merged.query(f"SELECT DISTINCT ?c WHERE {{ ?s <{GKG}adcode> ?c }}")]
        extra = self.base.rstrip("/") + "/graph/"
        for name, triples in (("gazetteer", place_hierarchy(codes, self.base)), ("assessments", assess_targets(merged))):
            merged.extend(ox.Quad(t.subject, t.predicate, t.object, ox.DefaultGraph()) for t in triples)
            self._write(f"<{extra}{name}>".encode(),
                        ox.serialize(sorted(triples, key=str), format=ox.RdfFormat.N_TRIPLES))
        files = [self.out / n for n in CORPUS_FILES]
        # three things at once: the store writes Turtle and the disk syncs the named graphs,
        # neither holding the GIL, while this thread makes the page
        with ThreadPoolExecutor(2) as pool:
            turtle = pool.submit(self._write_turtle, files[0])
            synced = pool.submit(self._commit)
            if overview is not None:
                write_overview(merged, self.out / "corpus.html", overview)
            synced.result()
            turtle.result()
            triples = len(merged) + self._own_triples
        return files, merged, triples

    def _write_turtle(self, path: Path) -> None:
        """Write corpus.ttl: the store's Turtle, then each report's own (ReportParts)."""
        with AtomicFile(path) as f:
            f.write(self.union.dump(format=ox.RdfFormat.TURTLE, from_graph=ox.DefaultGraph(), prefixes=prefixes(self.base)))
            for turtle in self._own.values():
                f.write(turtle)

    def _commit(self) -> None:
        self.nq.commit()
        self.trig.commit()

    def discard(self) -> None:
        """Leave the corpus files as they were."""
        if self._loader is not None:
            self._loader.shutdown(wait=True, cancel_futures=True)
        self.nq.discard()
        self.trig.discard()


def _overview_key(corpus_key: str, min_reports: int) -> str:
    """What the manifest notes of corpus.html: the corpus it shows and how (see `update_overview`)."""
    return f"{corpus_key}:{min_reports}"


def update_overview(out: Path, corpus_ttl: Path, min_reports: int = 2, union: ox.Store | None = None) -> Path:
    """Write out/corpus.html unless the manifest says it already shows this corpus this way.

    An unchanged rerun then costs no parse of the merged graph; `union`, the merged graph a
    build has just made, spares reading it back.
    """
    path, manifest_path = out / "corpus.html", out / MANIFEST
    manifest = _read_manifest(manifest_path)
    key = _overview_key(manifest.get("corpus", ""), min_reports)
    if manifest.get("overview") == key and manifest.get("corpus") and path.exists():
        return path
    write_overview(union if union is not None else corpus_ttl, path, min_reports)
    manifest["overview"] = key
    _write_manifest(manifest_path, manifest)
    return path


def write_overview(corpus: Path | ox.Store, path: Path, min_reports: int = 2) -> Path:
    """Write the corpus view: the entities at least `min_reports` reports mention, and their links.

    The view holds those entities, the relations between them and the reports (region and
    year) that mention them — not every number and sentence of every report — so that a
    corpus of many reports stays readable and small. `corpus` is the merged graph, as a store
    whose default graph holds it or as its Turtle file; only the triples of the entities shown
    are read.
    """
    from kg.rdf.build import ReportGraph
    from kg.views.html import write_html
    from kg.views.viewdata import TripleIndex

    store = corpus if isinstance(corpus, ox.Store) else _load_union(corpus)
    with _collector_paused():
        text, kept, reports = _overview_ntriples(store, min_reports)
        title = f"govkg corpus: {kept} entities named in at least {min_reports} of {reports} reports"
        write_html(path, ReportGraph(TripleIndex.parse(text).by_subject), title)
    return path


def _overview_ntriples(store: ox.Store, min_reports: int) -> tuple[str, int, int]:
    """Return the triples the overview shows (sorted N-Triples), how many entities it keeps, and how many reports there are.

    The store finds and writes them (CONSTRUCT, serialised in N-Triples): no Python object per
    triple, at a quarter less time than reading the entities' quads one by one. Lines sort as
    the triples' N-Triples strings do, the order the view's layout is fed in.
    """
    from kg.rdf.vocab import GKG, RDF

    reports = {str(row[0]) for row in store.query(f"SELECT ?r WHERE {{ ?r a <{GKG}Report> }}")}
    # counted by the store: one row an entity, not one a mention
    keep = {str(row[0]) for row in store.query(
        f"SELECT ?s WHERE {{ ?s <{GKG}mentionedIn> ?r . ?r a <{GKG}Report> }} GROUP BY ?s "
        f"HAVING (COUNT(*) >= {int(min_reports)})")}
    wanted = keep | reports
    dropped = ", ".join(f"<{GKG}{p}>" for p in ("evidence", "reportedIn", "sourceFile"))
    rdf_type, region = f"<{RDF}type>", f"<{GKG}region>"
    lines, regions = [], set()
    # a link shows when both ends do; a type, a region and a stage whatever their object
    for line in _construct(store, wanted, f"FILTER(?p NOT IN ({dropped}))"):
        _, p, o = line.split(" ", 2)  # subject and predicate hold no space
        o = o[:-2]  # " ." off
        if o[0] != "<" or o in wanted or p == rdf_type or p.endswith("#stage>"):
            lines.append(line)
        elif p == region:
            lines.append(line)
            regions.add(o)
    lines += _construct(store, regions, "FILTER(!isIRI(?o))")  # the regions' names and codes
    return "".join(f"{line}\n" for line in sorted(set(lines))), len(keep), len(reports)


def _construct(store: ox.Store, subjects: set[str], condition: str) -> list[str]:
    """Return the N-Triples lines of the subjects' triples that meet a FILTER, as the store writes them."""
    if not subjects:
        return []
    found = store.query(f"CONSTRUCT {{ ?s ?p ?o }} WHERE {{ VALUES ?s {{ {' '.join(sorted(subjects))} }} "
                        f"?s ?p ?o {condition} }}")
    return found.serialize(format=ox.RdfFormat.N_TRIPLES).decode("utf-8").split("\n")[:-1]  # type: ignore[union-attr]


def _load_union(corpus_ttl: Path) -> ox.Store:
    store = ox.Store()
    store.load(path=str(corpus_ttl), format=ox.RdfFormat.TURTLE)
    return store
