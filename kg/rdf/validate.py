"""Validate a graph against the SHACL shapes of the govkg ontology (pySHACL)."""
from __future__ import annotations

from dataclasses import dataclass

import rdflib

from kg.rdf.ontology import ontology_text, shapes_text


@dataclass(frozen=True)
class ValidationReport:
    """Whether a graph conforms, and the shapes' messages when it does not."""

    conforms: bool
    text: str
    violations: int


def validate_graph(graph: rdflib.Graph) -> ValidationReport:
    """Validate `graph` with the packaged shapes; the ontology supplies class declarations."""
    import pyshacl

    shapes = rdflib.Graph().parse(data=shapes_text(), format="turtle")
    ont = rdflib.Graph().parse(data=ontology_text(), format="turtle")
    conforms, results, text = pyshacl.validate(graph, shacl_graph=shapes, ont_graph=ont, inference="none",
                                               advanced=True, allow_warnings=True)
    sh = rdflib.Namespace("http://www.w3.org/ns/shacl#")
    violations = sum(1 for _ in results.subjects(rdflib.RDF.type, sh.ValidationResult))
    return ValidationReport(bool(conforms), str(text), violations)
