"""The library API: build a graph from a path or a string, and write its files."""
from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path

import pyoxigraph as ox
import rdflib

from kg.errors import InputError
from kg.model import Extraction
from kg.pipeline import extract
from kg.rdf.build import build_triples
from kg.rdf.vocab import DEFAULT_BASE
from kg.text.read import read_document


@dataclass(frozen=True)
class Built:
    """One report built: its extraction and its triples (sorted, ready to serialise)."""

    extraction: Extraction
    triples: list[ox.Triple]


def build_report(source: str | Path, *, year: int | None = None, region: str | None = None,
                 base: str = DEFAULT_BASE, encoding: str | None = None) -> Built:
    """Build one report from a file path, or from text when `source` is a str that is not a file."""
    if isinstance(source, Path) or _names_a_file(source):
        path = Path(source)
        text = read_document(path, encoding)
        name = path.name
    else:
        text = str(source)
        name = "<string>"
        if not text.strip():
            raise InputError("the text is empty")
    x = extract(text, year=year, region=region, source=name)
    return Built(x, build_triples(x, base))


_FILE_SUFFIXES = (".txt", ".text", ".htm", ".html", ".docx", ".pdf")


def _names_a_file(source: str) -> bool:
    """Tell a path ("report.txt") from report text passed as a string."""
    return "\n" not in source and len(source) < 1024 and (
        source.lower().endswith(_FILE_SUFFIXES) or Path(source).is_file())


def triples_to_rdflib(triples: list[ox.Triple]) -> rdflib.Graph:
    """Return an rdflib.Graph holding the triples (through N-Triples, the fastest path)."""
    g = rdflib.Graph()
    for prefix, ns in (("gkg", "https://w3id.org/govkg/ontology#"), ("skos", "http://www.w3.org/2004/02/skos/core#"),
                       ("dcterms", "http://purl.org/dc/terms/")):
        g.bind(prefix, ns)
    data = ox.serialize(triples, format=ox.RdfFormat.N_TRIPLES)
    g.parse(data=data.decode("utf-8"), format="nt")
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
