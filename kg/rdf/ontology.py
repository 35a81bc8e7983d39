"""Find the ontology and the SHACL shapes that ship inside the package."""
from __future__ import annotations

from importlib import resources


def ontology_text() -> str:
    """Return the OWL ontology (govkg.ttl) as Turtle text."""
    return resources.files("kg").joinpath("ontology", "govkg.ttl").read_text(encoding="utf-8")


def shapes_text() -> str:
    """Return the SHACL shapes (shapes.ttl) as Turtle text."""
    return resources.files("kg").joinpath("ontology", "shapes.ttl").read_text(encoding="utf-8")
