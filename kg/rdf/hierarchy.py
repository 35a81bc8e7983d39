"""Place the report's places in China's administrative hierarchy, from the gazetteer."""
from __future__ import annotations

from collections.abc import Iterable

import pyoxigraph as ox

from kg.extract.resolve import identity_key
from kg.rdf.iri import Minter
from kg.rdf.vocab import gkg, rdf, rdfs
from kg.text import lexicon

_LEVEL_CLASS = {"province": "Province", "city": "City", "county": "County"}


def place_hierarchy(codes: Iterable[str], base: str) -> list[ox.Triple]:
    """Return `place gkg:locatedIn parent` up to the nation for the places with these adcodes.

    Parents the reports do not mention are added as places with their label, type and code,
    so that a query can climb from a county to its province.
    """
    mint = Minter(base)
    places = lexicon.places()
    adcode = gkg("adcode")
    out: set[ox.Triple] = set()
    for code in sorted(set(codes)):
        place = places.get(code)
        while place is not None and place.parent in places:
            parent = places[place.parent]
            child_iri = mint.entity(identity_key(place.name))
            parent_iri = mint.entity(identity_key(parent.name))
            out.add(ox.Triple(child_iri, gkg("locatedIn"), parent_iri))
            out.add(ox.Triple(parent_iri, rdf("type"), gkg("Place")))
            if parent.level in _LEVEL_CLASS:
                out.add(ox.Triple(parent_iri, rdf("type"), gkg(_LEVEL_CLASS[parent.level])))
            out.add(ox.Triple(parent_iri, rdfs("label"), ox.Literal(parent.name, language="zh")))
            out.add(ox.Triple(parent_iri, adcode, ox.Literal(parent.code)))
            place = parent
    return sorted(out, key=lambda t: (str(t.subject), str(t.predicate), str(t.object)))
