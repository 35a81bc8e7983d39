"""Tests for the govkg OWL ontology and SHACL shapes (kg/ontology/*.ttl)."""

from pathlib import Path

import pytest
import rdflib
from rdflib import OWL, RDF, RDFS, Namespace

pyshacl = pytest.importorskip("pyshacl")

ONTOLOGY_DIR = Path(__file__).parents[1] / "kg" / "ontology"
GKG = Namespace("https://w3id.org/govkg/ontology#")

ENTITY_TYPES = ["Industry", "Project", "Institution", "Policy", "Designation", "Event", "Place"]

SUBCLASSES = {
    "IndustryChain": "Industry",
    "IndustryCluster": "Industry",
    "InfrastructureProject": "Project",
    "University": "Institution",
    "ResearchInstitute": "Institution",
    "Platform": "Institution",
    "Enterprise": "Institution",
    "DevelopmentZone": "Institution",
    "TransportHub": "Institution",
    "Hospital": "Institution",
    "GovernmentBody": "Institution",
    "Strategy": "Policy",
    "Reform": "Policy",
    "Action": "Policy",
    "Mechanism": "Policy",
    "Law": "Policy",
    "Plan": "Policy",
    "Meeting": "Event",
    "SportsEvent": "Event",
    "Fair": "Event",
    "AdministrativeDivision": "Place",
    "Province": "AdministrativeDivision",
    "City": "AdministrativeDivision",
    "County": "AdministrativeDivision",
    "Region": "Place",
    "Result": "Observation",
    "Target": "Observation",
}

OTHER_CLASSES = [
    "Entity", "Indicator", "Observation", "Period", "Measure", "Stage",
    "Report", "Section", "Sentence",
]
CLASSES = OTHER_CLASSES + ENTITY_TYPES + list(SUBCLASSES)

MEASURES = ["Level", "Growth", "AverageGrowth", "Count", "Rank", "Change"]
STAGES = ["Planned", "Started", "Completed"]

OBJECT_PROPERTIES = [
    "indicator", "period", "measure", "subject", "partOf", "selectedAs", "locatedIn",
    "stage", "region", "mentionedIn", "evidence", "reportedIn", "inReport", "inSection",
    "parentSection", "assesses",
]
DATATYPE_PROPERTIES = [
    "value", "minValue", "maxValue", "unit", "startYear", "endYear", "year", "qualifier",
    "commitment", "description", "text", "position", "sourceFile", "kind", "met", "adcode",
]

# Top classes every subclass chain must end in.
TOP_CLASSES = {GKG.Entity, GKG.Observation} | {GKG[t] for t in ENTITY_TYPES}


@pytest.fixture(scope="module")
def ontology():
    return rdflib.Graph().parse(ONTOLOGY_DIR / "govkg.ttl", format="turtle")


@pytest.fixture(scope="module")
def shapes():
    return rdflib.Graph().parse(ONTOLOGY_DIR / "shapes.ttl", format="turtle")


# ---------------------------------------------------------------------------
# Ontology
# ---------------------------------------------------------------------------

def test_ontology_header(ontology):
    onts = list(ontology.subjects(RDF.type, OWL.Ontology))
    assert len(onts) == 1
    dcterms = Namespace("http://purl.org/dc/terms/")
    assert ontology.value(onts[0], dcterms.title) is not None
    assert ontology.value(onts[0], OWL.versionInfo) is not None


def _labels(g, term):
    return {lit.language for lit in g.objects(term, RDFS.label) if isinstance(lit, rdflib.Literal)}


@pytest.mark.parametrize(
    "name,rdf_type",
    [(c, OWL.Class) for c in CLASSES]
    + [(m, GKG.Measure) for m in MEASURES]
    + [(s, GKG.Stage) for s in STAGES]
    + [(p, OWL.ObjectProperty) for p in OBJECT_PROPERTIES]
    + [(p, OWL.DatatypeProperty) for p in DATATYPE_PROPERTIES],
)
def test_term_declared_with_labels(ontology, name, rdf_type):
    term = GKG[name]
    assert (term, RDF.type, rdf_type) in ontology, f"gkg:{name} not declared as {rdf_type}"
    langs = _labels(ontology, term)
    assert {"zh", "en"} <= langs, f"gkg:{name} lacks zh/en labels: {langs}"
    comments = list(ontology.objects(term, RDFS.comment))
    assert any(c.language == "en" for c in comments), f"gkg:{name} lacks an @en comment"


@pytest.mark.parametrize("name", MEASURES + STAGES)
def test_individuals_are_named(ontology, name):
    assert (GKG[name], RDF.type, OWL.NamedIndividual) in ontology


@pytest.mark.parametrize("name", OBJECT_PROPERTIES + DATATYPE_PROPERTIES)
def test_property_has_range(ontology, name):
    assert ontology.value(GKG[name], RDFS.range) is not None, f"gkg:{name} has no rdfs:range"


def test_evidence_is_derivation(ontology):
    prov = Namespace("http://www.w3.org/ns/prov#")
    assert (GKG.evidence, RDFS.subPropertyOf, prov.wasDerivedFrom) in ontology


@pytest.mark.parametrize("name,parent", sorted(SUBCLASSES.items()))
def test_declared_subclass(ontology, name, parent):
    assert (GKG[name], RDFS.subClassOf, GKG[parent]) in ontology


@pytest.mark.parametrize("name", ENTITY_TYPES)
def test_entity_types_under_entity(ontology, name):
    assert (GKG[name], RDFS.subClassOf, GKG.Entity) in ontology


def test_every_subclass_reaches_a_top_class(ontology):
    subclasses = {s for s in ontology.subjects(RDFS.subClassOf, None) if str(s).startswith(str(GKG))}
    assert subclasses
    for cls in subclasses:
        ancestors = set(ontology.transitive_objects(cls, RDFS.subClassOf)) - {cls}
        assert ancestors & TOP_CLASSES, f"{cls} does not reach a top class"


def test_every_gkg_term_has_labels(ontology):
    """Any gkg: term declared (not just the listed ones) has zh and en labels."""
    for term in set(ontology.subjects(RDF.type, None)):
        if isinstance(term, rdflib.URIRef) and str(term).startswith(str(GKG)):
            assert {"zh", "en"} <= _labels(ontology, term), term


# ---------------------------------------------------------------------------
# Shapes
# ---------------------------------------------------------------------------

PREFIXES = """
@prefix gkg: <https://w3id.org/govkg/ontology#> .
@prefix ex: <https://w3id.org/govkg/id/> .
@prefix rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#> .
@prefix rdfs: <http://www.w3.org/2000/01/rdf-schema#> .
@prefix xsd: <http://www.w3.org/2001/XMLSchema#> .
@prefix skos: <http://www.w3.org/2004/02/skos/core#> .
@prefix dcterms: <http://purl.org/dc/terms/> .
"""

VALID = PREFIXES + """
ex:report a gkg:Report ;
    dcterms:title "2026年衢州市政府工作报告"@zh ;
    gkg:year 2026 ;
    gkg:region ex:quzhou ;
    gkg:kind "full" .

ex:quzhou a gkg:Place , gkg:City ;
    rdfs:label "衢州市"@zh ;
    skos:altLabel "衢州"@zh ;
    gkg:mentionedIn ex:report .

ex:s1 a gkg:Sentence ;
    gkg:text "地区生产总值增长5.5%—6%。" ;
    gkg:inReport ex:report ;
    gkg:position 1 .

ex:ind-chain a gkg:Industry , gkg:IndustryChain ;
    rdfs:label "新能源汽车产业链"@zh ;
    gkg:mentionedIn ex:report ;
    gkg:locatedIn ex:quzhou .

ex:gdp a gkg:Indicator ;
    rdfs:label "地区生产总值"@zh ;
    gkg:mentionedIn ex:report .

ex:t1 a gkg:Target ;
    gkg:indicator ex:gdp ;
    gkg:minValue 5.5 ;
    gkg:maxValue "6"^^xsd:decimal ;
    gkg:unit "%" ;
    gkg:measure gkg:Growth ;
    gkg:period [ a gkg:Period ; gkg:startYear 2026 ; gkg:endYear 2026 ] ;
    gkg:reportedIn ex:report ;
    gkg:evidence ex:s1 .

ex:t2 a gkg:Target ;
    gkg:indicator ex:gdp ;
    gkg:description "与经济增长同步" ;
    gkg:period [ gkg:startYear 2026 ; gkg:endYear 2026 ] .

[] a rdf:Statement ;
    rdf:subject ex:ind-chain ; rdf:predicate gkg:locatedIn ; rdf:object ex:quzhou ;
    gkg:evidence ex:s1 ; gkg:reportedIn ex:report .
"""


def _validate(shapes, data):
    g = rdflib.Graph().parse(data=data, format="turtle")
    conforms, _, text = pyshacl.validate(g, shacl_graph=shapes, inference="none")
    return conforms, text


def test_valid_graph_conforms(shapes):
    conforms, text = _validate(shapes, VALID)
    assert conforms, text


MINIMAL_REPORT = PREFIXES + """
ex:report a gkg:Report ; dcterms:title "报告" ; gkg:year 2026 .
ex:gdp a gkg:Indicator ; rdfs:label "地区生产总值"@zh .
ex:gdp2 a gkg:Indicator ; rdfs:label "一般公共预算收入"@zh .
"""

INVALID = {
    "two_indicators": MINIMAL_REPORT + """
ex:o a gkg:Result ; gkg:indicator ex:gdp , ex:gdp2 ;
    gkg:value 5.5 ; gkg:unit "%" ;
    gkg:period [ gkg:startYear 2025 ; gkg:endYear 2025 ] .
""",
    "entity_without_label": MINIMAL_REPORT + """
ex:e a gkg:Industry ; gkg:mentionedIn ex:report .
""",
    "string_value": MINIMAL_REPORT + """
ex:o a gkg:Result ; gkg:indicator ex:gdp ;
    gkg:value "5.5" ; gkg:unit "%" ;
    gkg:period [ gkg:startYear 2025 ; gkg:endYear 2025 ] .
""",
    "number_without_unit": MINIMAL_REPORT + """
ex:o a gkg:Result ; gkg:indicator ex:gdp ; gkg:value 5.5 ;
    gkg:period [ gkg:startYear 2025 ; gkg:endYear 2025 ] .
""",
    "no_number_no_description": MINIMAL_REPORT + """
ex:o a gkg:Target ; gkg:indicator ex:gdp ;
    gkg:period [ gkg:startYear 2026 ; gkg:endYear 2026 ] .
""",
    "value_and_range": MINIMAL_REPORT + """
ex:o a gkg:Target ; gkg:indicator ex:gdp ; gkg:value 5.5 ; gkg:minValue 5.0 ; gkg:unit "%" ;
    gkg:period [ gkg:startYear 2026 ; gkg:endYear 2026 ] .
""",
    "bad_measure": MINIMAL_REPORT + """
ex:o a gkg:Target ; gkg:indicator ex:gdp ; gkg:value 5.5 ; gkg:unit "%" ;
    gkg:measure gkg:Speed ;
    gkg:period [ gkg:startYear 2026 ; gkg:endYear 2026 ] .
""",
    "period_reversed": MINIMAL_REPORT + """
ex:o a gkg:Target ; gkg:indicator ex:gdp ; gkg:value 5.5 ; gkg:unit "%" ;
    gkg:period [ gkg:startYear 2030 ; gkg:endYear 2026 ] .
""",
    "english_entity_label": MINIMAL_REPORT + """
ex:e a gkg:Industry ; rdfs:label "EV industry"@en ; gkg:mentionedIn ex:report .
""",
    "entity_not_mentioned": MINIMAL_REPORT + """
ex:e a gkg:Industry ; rdfs:label "新能源汽车"@zh .
""",
    "bad_stage": MINIMAL_REPORT + """
ex:p a gkg:Project ; rdfs:label "某某高速"@zh ; gkg:mentionedIn ex:report ;
    gkg:stage gkg:Finished .
""",
    "report_without_year": PREFIXES + """
ex:report a gkg:Report ; dcterms:title "报告" .
""",
    "sentence_without_report": MINIMAL_REPORT + """
ex:s a gkg:Sentence ; gkg:text "句子。" .
""",
    "statement_without_evidence": MINIMAL_REPORT + """
[] a rdf:Statement ; rdf:subject ex:a ; rdf:predicate gkg:partOf ; rdf:object ex:b .
""",
}


@pytest.mark.parametrize("case", sorted(INVALID))
def test_invalid_graph_does_not_conform(shapes, case):
    conforms, text = _validate(shapes, INVALID[case])
    assert not conforms, f"{case} unexpectedly conforms"


def test_minimal_report_conforms(shapes):
    """The base used by the invalid cases is itself valid, so each case fails for its own reason."""
    conforms, text = _validate(shapes, MINIMAL_REPORT)
    assert conforms, text
