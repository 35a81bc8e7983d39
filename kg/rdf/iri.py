"""Mint stable instance IRIs: the same thing gets the same IRI in every build and report.

Local names are short hashes of what identifies a thing (an entity's resolved name, an
indicator's standard name, a report's normalised text), so they are plain ASCII: valid in
every store and serialisation whatever characters the names hold (FACTS.md: Chinese or
percent-encoded IRIs are larger, slower and break some stores).
"""
from __future__ import annotations

import hashlib
from functools import lru_cache

from pyoxigraph import NamedNode

from kg.model import Period


def digest(*parts: object) -> str:
    """Return a 16-hex-digit hash of the parts, stable across runs and machines.

    >>> digest("衢州市")
    'c76184d95d9fd5c6'
    """
    h = hashlib.sha256("\x1f".join(map(str, parts)).encode("utf-8"))
    return h.hexdigest()[:16]


@lru_cache(maxsize=65536)
def _name_digest(name: str) -> str:
    # entities and indicators recur across a build and across the reports of a corpus
    return digest(name)


class Minter:
    """Make the IRIs of one build under a base the user may change."""

    def __init__(self, base: str) -> None:
        self.base = base if base.endswith(("/", "#")) else base + "/"

    def entity(self, key: str) -> NamedNode:
        """Return the IRI of an entity by its identity key."""
        return NamedNode(f"{self.base}entity/{_name_digest(key)}")

    def indicator(self, name: str) -> NamedNode:
        """Return the IRI of an indicator by its standard name."""
        return NamedNode(f"{self.base}indicator/{_name_digest(name)}")

    def report(self, text_hash: str) -> NamedNode:
        """Return the IRI of a report by the hash of its normalised text."""
        return NamedNode(f"{self.base}report/{text_hash[:16]}")

    def section(self, report: NamedNode, index: int) -> NamedNode:
        """Return the IRI of a report's section."""
        return NamedNode(f"{report.value}/section/{index}")

    def sentence(self, report: NamedNode, index: int) -> NamedNode:
        """Return the IRI of a report's sentence."""
        return NamedNode(f"{report.value}/sentence/{index}")

    def period(self, period: Period) -> NamedNode:
        """Return the IRI of a year or span of years."""
        return NamedNode(f"{self.base}period/{period}")

    def observation(self, *parts: object) -> NamedNode:
        """Return the IRI of an observation by everything that makes it the one it is."""
        return NamedNode(f"{self.base}observation/{digest(*parts)}")

    def statement(self, *parts: object) -> NamedNode:
        """Return the IRI of a reified statement (the provenance of a relation or stage)."""
        return NamedNode(f"{self.base}statement/{digest(*parts)}")
