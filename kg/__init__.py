"""govkg: knowledge graphs of Chinese government work reports.

    >>> import kg
    >>> g = kg.build_graph("杭衢高铁建成通车。", year=2026, region="衢州市")
    >>> len(kg.to_networkx(g)) > 0
    True
"""
from __future__ import annotations

from typing import TYPE_CHECKING

from kg.api import build_graph, build_report
from kg.errors import InputError, KgError, NonConformingGraph, OptionError, OutputError, QueryError
from kg.pipeline import extract

if TYPE_CHECKING:
    from kg.rdf.validate import validate_graph
    from kg.views.html import render_html
    from kg.views.network import to_networkx

__all__ = [
    "InputError", "KgError", "NonConformingGraph", "OptionError", "OutputError", "QueryError",
    "build_graph", "build_report", "extract", "render_html", "to_networkx", "validate_graph",
]
__version__ = "0.1.0"


def __getattr__(name: str) -> object:
    """Import validation and the views on first use: every `kg` command would pay for them
    (rdflib, numpy, networkx: ≈ 1 s), and `kg build` needs none of them to build."""
    if name == "validate_graph":
        from kg.rdf.validate import validate_graph
        return validate_graph
    if name == "render_html":
        from kg.views.html import render_html
        return render_html
    if name == "to_networkx":
        from kg.views.network import to_networkx
        return to_networkx
    raise AttributeError(f"module 'kg' has no attribute {name!r}")
