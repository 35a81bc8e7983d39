"""Assertions on RDF graphs shared by the tests of building and exporting."""
from __future__ import annotations

import pytest
import rdflib
from rdflib.compare import graph_diff, isomorphic, to_isomorphic


def assert_isomorphic(a: rdflib.Graph, b: rdflib.Graph) -> None:
    """Compare graphs by isomorphism and show the difference when they are not."""
    if isomorphic(a, b):
        return
    _, only_a, only_b = graph_diff(to_isomorphic(a), to_isomorphic(b))
    pytest.fail("graphs differ:\nonly in first:\n" + "\n".join(sorted(map(str, only_a)))[:2000]
                + "\nonly in second:\n" + "\n".join(sorted(map(str, only_b)))[:2000])
