"""Write graphs to files, atomically: a temp file in the same folder, then a rename.

A build that dies half-way leaves the previous file whole, never a truncated one.

Formats are named by their file extension and mapped to pyoxigraph's own `RdfFormat`
(`ttl`, `nt`, `nq`, `trig`, `jsonld`), plus `graphml` for Gephi and Cytoscape. N-Quads and
TriG put a report's triples in the named graph whose IRI is the report's IRI, so that graphs
of many reports can share one store and be replaced one report at a time.
"""
from __future__ import annotations

import io
import json
import os
import tempfile
from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Future, ThreadPoolExecutor
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pyoxigraph as ox

from kg.errors import OptionError, OutputError
from kg.rdf.vocab import GKG, PREFIXES, RDF

if TYPE_CHECKING:
    import networkx as nx

GRAPHML = "graphml"
EXPORT_FORMATS = ("ttl", "nt", "nq", "trig", "jsonld", GRAPHML)


def write_atomic(path: Path, data: bytes) -> None:
    """Write bytes to `path` so that readers see the old file or the new one, never a part."""
    with AtomicFile(path) as f:
        f.write(data)


class AtomicFile:
    """A file written in parts that appears under its name whole, when the `with` block ends well.

    For files written while other work goes on (the corpus graph, a report at a time) or too
    big to hold twice in memory. Until then the parts are in a `.NAME.XXXXXXXX.tmp` beside it
    (what `kg build` clears when a killed build left one); an error discards them. Written
    straight to the file descriptor, unbuffered: a process forked meanwhile holds no copy of
    unwritten bytes that it could write again.
    """

    def __init__(self, path: Path) -> None:
        self.path = path = Path(path)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._fd, self.tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        except OSError as exc:
            raise OutputError(f"{path.parent}: cannot write here: {exc.strerror}") from None
        self._open = True

    def write(self, data: bytes) -> None:
        """Append bytes to the file."""
        try:
            view = memoryview(data)
            while view:
                view = view[os.write(self._fd, view):]
        except OSError as exc:
            self.discard()
            raise OutputError(f"{self.path}: cannot write: {exc.strerror}") from None

    def commit(self) -> None:
        """Put the file under its name: flushed to disk first, so a crash leaves the old or the new."""
        try:
            os.fsync(self._fd)
            self._close()
            os.chmod(self.tmp, 0o644)
            os.replace(self.tmp, self.path)
        except OSError as exc:
            self.discard()
            raise OutputError(f"{self.path}: cannot write: {exc.strerror}") from None

    def discard(self) -> None:
        """Drop what was written; the file under its name, if any, stays as it was."""
        self._close()
        Path(self.tmp).unlink(missing_ok=True)

    def _close(self) -> None:
        if self._open:
            self._open = False
            os.close(self._fd)

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(self, kind: type[BaseException] | None, *_: object) -> None:
        if kind is None:
            self.commit()
        else:
            self.discard()


class SyncedInOrder:
    """Atomic writes whose sync to disk runs on a thread, in order, while the caller goes on.

    `fsync` waits for the disk (milliseconds a file): a report's page is rendered meanwhile.
    Each file is written to its temp file at once (so a folder that cannot be written fails
    at once); its commit waits for the one before, and a file after one that failed is
    discarded, as if the writes had run one after the other. Leaving the `with` block waits
    for all and raises the first error.
    """

    def __init__(self) -> None:
        self._pool = ThreadPoolExecutor(1, thread_name_prefix="kg-sync")
        self._commits: list[Future[None]] = []

    def write(self, path: Path, data: bytes) -> None:
        """Write `path` atomically (see AtomicFile); it is in place once the block ends."""
        f = AtomicFile(path)
        f.write(data)
        self._commits.append(self._pool.submit(_commit_after, f, self._commits[-1] if self._commits else None))

    def __enter__(self) -> SyncedInOrder:
        return self

    def __exit__(self, *_: object) -> None:
        self._pool.shutdown(wait=True)
        for done in self._commits:
            done.result()


def _commit_after(f: AtomicFile, previous: Future[None] | None) -> None:
    if previous is not None and previous.exception() is not None:
        f.discard()
    else:
        f.commit()


def prefixes(base: str) -> dict[str, str]:
    """Return the prefixes we write: the vocabularies' and three under the instance base.

    >>> prefixes("https://example.org/kg/")["ent"]
    'https://example.org/kg/entity/'
    """
    out = dict(PREFIXES)
    out["ent"] = base.rstrip("/") + "/entity/"
    out["ind"] = base.rstrip("/") + "/indicator/"
    out["obs"] = base.rstrip("/") + "/observation/"
    return out


def serialize_turtle(triples: Iterable[ox.Triple | ox.Quad], base: str) -> bytes:
    """Return Turtle for sorted triples (or quads of the default graph), with our prefixes (including the instance base)."""
    return ox.serialize(triples, format=ox.RdfFormat.TURTLE, prefixes=prefixes(base))


def write_turtle(path: Path, triples: list[ox.Triple], base: str) -> None:
    """Write a graph as Turtle, atomically."""
    write_atomic(path, serialize_turtle(triples, base))


def export_format(name: str) -> ox.RdfFormat | str:
    """Return pyoxigraph's RdfFormat for a file extension, or "graphml"; refuse anything else.

    >>> export_format("nq").name, export_format("graphml")
    ('N-Quads', 'graphml')
    """
    key = name.strip().lower().lstrip(".")
    if key == GRAPHML:
        return GRAPHML
    fmt = ox.RdfFormat.from_extension(key) if key else None
    if fmt is None:
        raise OptionError(f"--format {name!r}: choose from {', '.join(EXPORT_FORMATS)}")
    return fmt


def report_iri(triples: Iterable[ox.Triple]) -> ox.NamedNode | None:
    """Return the IRI of the one gkg:Report among the triples, or None if there are none or several."""
    rdf_type, report = ox.NamedNode(RDF + "type"), ox.NamedNode(GKG + "Report")
    found = {t.subject for t in triples if t.predicate == rdf_type and t.object == report}
    if len(found) == 1:
        (only,) = found
        if isinstance(only, ox.NamedNode):
            return only
    return None


def as_quads(triples: Iterable[ox.Triple], graph: ox.NamedNode) -> list[ox.Quad]:
    """Put triples in a named graph."""
    return [ox.Quad(t.subject, t.predicate, t.object, graph) for t in triples]


def serialize_graph(triples: Sequence[ox.Triple], fmt: ox.RdfFormat, base: str,
                    graph: ox.NamedNode | None = None) -> bytes:
    """Return the triples in an RDF format; datasets (N-Quads, TriG) name the graph `graph`.

    `graph` defaults to the report's IRI; a dataset format needs one.
    """
    if fmt == ox.RdfFormat.JSON_LD:
        return serialize_jsonld(triples, base)
    if not fmt.supports_datasets:
        return ox.serialize(triples, format=fmt, prefixes=None if fmt == ox.RdfFormat.N_TRIPLES else prefixes(base))
    graph = graph or report_iri(triples)
    if graph is None:
        raise OutputError(f"{fmt.name} needs a graph name: the triples hold no single gkg:Report")
    quads = as_quads(triples, graph)
    return ox.serialize(quads, format=fmt, prefixes=None if fmt == ox.RdfFormat.N_QUADS else prefixes(base))


def serialize_jsonld(triples: Iterable[ox.Triple], base: str) -> bytes:
    """Return JSON-LD with a compact @context of our prefixes, nodes and values sorted.

    rdflib's writer compacts IRIs against the context; its order follows Python's hashes, so
    the nodes and each property's values are sorted here to keep the file byte-stable.
    """
    import rdflib

    g = rdflib.Graph()
    g.parse(data=ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES).decode("utf-8"), format="nt")
    context = prefixes(base)
    doc = json.loads(g.serialize(format="json-ld", context=context, auto_compact=True))
    if "@graph" not in doc:  # rdflib writes a lone node without @graph
        doc = {"@context": doc.pop("@context", context), "@graph": [doc] if len(doc) > 0 else []}
    nodes = [{k: _sorted_values(v) for k, v in node.items()} for node in doc["@graph"]]
    doc["@graph"] = sorted(nodes, key=lambda n: str(n.get("@id", "")))
    return (json.dumps(doc, ensure_ascii=False, indent=1, sort_keys=True) + "\n").encode("utf-8")


def _sorted_values(v: Any) -> Any:
    if isinstance(v, list):
        return sorted(v, key=lambda x: json.dumps(x, ensure_ascii=False, sort_keys=True))
    return v


def serialize_graphml(graph: nx.MultiDiGraph) -> bytes:
    """Return a networkx graph as GraphML, lists joined with "|" (GraphML holds scalars only)."""
    import networkx as nx

    flat = nx.MultiDiGraph()
    for node, data in graph.nodes(data=True):
        flat.add_node(node, **{k: _scalar(v) for k, v in data.items()})
    for s, o, key, data in graph.edges(keys=True, data=True):
        flat.add_edge(s, o, key=key, **{k: _scalar(v) for k, v in data.items()})
    buf = io.BytesIO()
    nx.write_graphml(flat, buf, encoding="utf-8", prettyprint=True)
    return buf.getvalue()


def _scalar(v: object) -> str | int | float | bool:
    if isinstance(v, (list, tuple, set, frozenset)):
        return "|".join(str(x) for x in v)
    if v is None:
        return ""
    return v if isinstance(v, (str, int, float, bool)) else str(v)


def write_exports(stem: Path, triples: Sequence[ox.Triple], base: str, formats: Iterable[str],
                  network: Callable[[], nx.MultiDiGraph] | None = None) -> list[Path]:
    """Write the graph in each format to `stem` + its extension, atomically; return the paths.

    `network` builds the networkx view for GraphML (only called when GraphML is asked for).
    """
    written = []
    for name in dict.fromkeys(formats):
        fmt = export_format(name)
        if fmt == GRAPHML:
            if network is None:
                raise OptionError("GraphML needs the network view of the graph")
            path = stem.with_name(f"{stem.name}.{GRAPHML}")
            write_atomic(path, serialize_graphml(network()))
        else:
            assert isinstance(fmt, ox.RdfFormat)
            path = stem.with_name(f"{stem.name}.{fmt.file_extension}")
            write_atomic(path, serialize_graph(triples, fmt, base))
        written.append(path)
    return written
