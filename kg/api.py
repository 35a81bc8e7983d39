"""The library API: build a graph from a path or a string, and write its files."""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from functools import cached_property
from pathlib import Path
from typing import TYPE_CHECKING

import pyoxigraph as ox

from kg.errors import InputError
from kg.model import Extraction
from kg.pipeline import extract
from kg.rdf.build import ReportGraph, build_report_graph
from kg.rdf.vocab import DEFAULT_BASE
from kg.text.formats import read_report
from kg.text.read import MAX_BYTES, clean_text

if TYPE_CHECKING:
    import rdflib


@dataclass(frozen=True)
class Built:
    """One report built: its extraction and its graph (sorted, ready to serialise)."""

    extraction: Extraction
    # the triples as the build made them: `graph.ntriples` is their N-Triples document, and
    # kg.views.html.render_html(graph) skips indexing pyoxigraph terms
    graph: ReportGraph = field(repr=False)
    warnings: tuple[str, ...] = ()  # what the reader repaired, or why the graph may be wrong

    @cached_property
    def triples(self) -> list[ox.Triple]:
        """The triples as pyoxigraph terms, made when first asked for.

        A corpus build never asks: it writes the Turtle straight from `graph.quads()`, in half the time.
        """
        return self.graph.triples()


def build_report(source: str | Path | bytes, *, year: int | None = None, region: str | None = None,
                 base: str = DEFAULT_BASE, encoding: str | None = None, name: str | None = None,
                 max_bytes: int = MAX_BYTES) -> Built:
    """Build one report from a file path, from a file's bytes, or from text.

    A `str` is a path when it names a report file (see `_names_a_file`), else the report's
    text. Bytes are read like a file (text in any supported encoding, HTML, .docx or PDF);
    `name` names them in messages. Raises InputError for input that is no report.
    """
    warnings: tuple[str, ...] = ()
    if isinstance(source, bytes) or isinstance(source, Path) or _names_a_file(source):
        doc = read_report(source, name, encoding, max_bytes)
        text, warnings = doc.text, doc.warnings
        label = name or (Path(source).name if not isinstance(source, bytes) else "<bytes>")
    else:
        label = name or "<string>"
        if not source.strip():
            raise InputError("the text is empty")
        clean = clean_text(source, label)  # as a file's text is: no controls, no lone surrogates
        text, warnings = clean.text, clean.warnings
    x = extract(text, year=year, region=region, source=label)
    return Built(x, build_report_graph(x, base), warnings + _not_a_report(x, label))


def _not_a_report(x: Extraction, name: str) -> tuple[str, ...]:
    """Warn when a text is hardly Chinese or yields nothing: it is probably not a work report."""
    text = "".join(s.text for s in x.structure.sentences)
    rest = _HAN.sub("", text)
    han = len(text) - len(rest)
    # every character of U+4E00–U+9FFF is a letter (Unicode 14, Python 3.11); the other
    # characters are looked at once each, not once per occurrence
    letters = han + sum(n for c, n in Counter(rest).items() if c.isalpha())
    if letters and han < 0.2 * letters:
        return (f"{name}: only {100 * han // letters}% of its letters are Chinese; "
                "is this a government work report? (the graph will be near-empty or wrong)",)
    if not (x.entities or x.observations):
        return (f"{name}: found no entities and no numbers; is this a government work report?",)
    return ()


_XSD_STRING = "http://www.w3.org/2001/XMLSchema#string"
_HAN = re.compile("[\u4e00-\u9fff]+")
_FILE_SUFFIXES = (".txt", ".text", ".htm", ".html", ".xhtml", ".shtml", ".docx", ".pdf")


def _names_a_file(source: str) -> bool:
    """Tell a path ("report.txt") from report text passed as a string."""
    if "\n" in source or len(source) >= 1024:
        return False
    if source.lower().endswith(_FILE_SUFFIXES):
        return True
    try:
        return Path(source).is_file()
    except (OSError, ValueError):  # a name too long for the file system, a NUL: text, not a path
        return False


def triples_to_rdflib(triples: list[ox.Triple]) -> rdflib.Graph:
    """Return an rdflib.Graph holding the triples.

    The terms are made as rdflib's N-Triples parser makes them, without writing and parsing
    N-Triples, which takes twice as long.
    """
    from rdflib import BNode, Graph, Literal, URIRef  # half a second to import: not at module level

    g = Graph()
    for prefix, ns in (("gkg", "https://w3id.org/govkg/ontology#"), ("skos", "http://www.w3.org/2004/02/skos/core#"),
                       ("dcterms", "http://purl.org/dc/terms/")):
        g.bind(prefix, ns)
    nodes: dict[ox.NamedNode | ox.BlankNode, rdflib.term.Node] = {}

    def node(n: ox.NamedNode | ox.BlankNode) -> rdflib.term.Node:
        # each IRI made once; a blank node gets a fresh id, one per label, as the parser gives it
        made = nodes.get(n)
        if made is None:
            made = nodes[n] = URIRef(n.value) if isinstance(n, ox.NamedNode) else BNode()
        return made

    def term(t: object) -> rdflib.term.Node:
        if isinstance(t, ox.Literal):
            # a plain string has no datatype in rdflib, a language-tagged one only its language
            plain = t.language or t.datatype.value == _XSD_STRING
            return Literal(t.value, t.language, None if plain else node(t.datatype))
        if isinstance(t, (ox.NamedNode, ox.BlankNode)):
            return node(t)
        raise TypeError(f"rdflib holds no {type(t).__name__} here: {t}")

    for t in triples:
        g.add((term(t.subject), node(t.predicate), term(t.object)))
    return g


def build_graph(source: str | Path, *, year: int | None = None, region: str | None = None,
                base: str = DEFAULT_BASE) -> rdflib.Graph:
    """Build the knowledge graph of a report given as a file path or as text.

    A `str` is read as a path when it names a `.txt` file, otherwise as the report's text.

    >>> g = build_graph("2026年重点工作\\n全市生产总值增长5.5—6%。", year=2026, region="衢州市")
    >>> q = '''PREFIX gkg: <https://w3id.org/govkg/ontology#>
    ...        SELECT ?min ?max WHERE { ?t a gkg:Target ; gkg:minValue ?min ; gkg:maxValue ?max }'''
    >>> [(str(a), str(b)) for a, b in g.query(q)]
    [('5.5', '6')]
    """
    return triples_to_rdflib(build_report(source, year=year, region=region, base=base).triples)
