"""The IRIs of the vocabularies govkg writes: our ontology and the standard ones it reuses."""
from __future__ import annotations

from functools import cache

from pyoxigraph import NamedNode

GKG = "https://w3id.org/govkg/ontology#"
DEFAULT_BASE = "https://w3id.org/govkg/id/"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
RDFS = "http://www.w3.org/2000/01/rdf-schema#"
XSD = "http://www.w3.org/2001/XMLSchema#"
SKOS = "http://www.w3.org/2004/02/skos/core#"
DCTERMS = "http://purl.org/dc/terms/"
PROV = "http://www.w3.org/ns/prov#"
OWL = "http://www.w3.org/2002/07/owl#"

PREFIXES = {"gkg": GKG, "rdf": RDF, "rdfs": RDFS, "xsd": XSD, "skos": SKOS, "dcterms": DCTERMS}

# The terms of the contract (SPEC.md); a typo here fails at import of the test that checks them.
TERMS = frozenset("""
Entity Industry Project Institution Policy Designation Event Place Indicator Observation Result Target Period
Measure Stage Report Section Sentence Level Growth AverageGrowth Count Rank Change Planned Started Completed
indicator value minValue maxValue unit period measure subject partOf selectedAs locatedIn stage region
mentionedIn evidence reportedIn inReport inSection parentSection assesses baseline startYear endYear year qualifier
commitment description text position sourceFile kind met adcode
IndustryChain IndustryCluster InfrastructureProject University ResearchInstitute Platform Enterprise
DevelopmentZone TransportHub Hospital GovernmentBody Strategy Reform Action Mechanism Law Plan Meeting
SportsEvent Fair AdministrativeDivision Province City County Region
""".split())


@cache
def gkg(term: str) -> NamedNode:
    """Return the IRI of an ontology term, refusing terms the ontology does not declare.

    >>> gkg("Target").value
    'https://w3id.org/govkg/ontology#Target'
    """
    if term not in TERMS:
        raise KeyError(f"gkg:{term} is not a term of the govkg ontology")
    return NamedNode(GKG + term)


@cache
def rdf(term: str) -> NamedNode:
    """Return an rdf: IRI."""
    return NamedNode(RDF + term)


@cache
def rdfs(term: str) -> NamedNode:
    """Return an rdfs: IRI."""
    return NamedNode(RDFS + term)


@cache
def skos(term: str) -> NamedNode:
    """Return a skos: IRI."""
    return NamedNode(SKOS + term)


@cache
def dcterms(term: str) -> NamedNode:
    """Return a dcterms: IRI."""
    return NamedNode(DCTERMS + term)
