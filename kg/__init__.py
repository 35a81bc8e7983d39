"""govkg: knowledge graphs of Chinese government work reports.

    >>> import kg
    >>> g = kg.build_graph("杭衢高铁建成通车。", year=2026, region="衢州市")
    >>> len(kg.to_networkx(g)) > 0
    True
"""
from __future__ import annotations

from kg.api import build_graph, build_report
from kg.errors import InputError, KgError, NonConformingGraph, OptionError, OutputError, QueryError
from kg.pipeline import extract
from kg.rdf.validate import validate_graph
from kg.views.html import render_html
from kg.views.network import to_networkx

__all__ = [
    "InputError", "KgError", "NonConformingGraph", "OptionError", "OutputError", "QueryError",
    "build_graph", "build_report", "extract", "render_html", "to_networkx", "validate_graph",
]
__version__ = "0.1.0"
