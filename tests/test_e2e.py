"""End to end on the bundled sample: the graph conforms and answers the users' SPARQL questions."""
from __future__ import annotations

from decimal import Decimal

import pytest
import rdflib

from kg.rdf.validate import validate_graph

PREFIXES = """
PREFIX gkg: <https://w3id.org/govkg/ontology#>
PREFIX rdf: <http://www.w3.org/1999/02/22-rdf-syntax-ns#>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
PREFIX xsd: <http://www.w3.org/2001/XMLSchema#>
"""
ENTITY_TYPES = ("Industry", "Project", "Institution", "Policy", "Designation", "Event", "Place")


def _select(g: rdflib.Graph, query: str) -> list[tuple[object, ...]]:
    return [tuple(row) for row in g.query(PREFIXES + query)]


def _ask(g: rdflib.Graph, query: str) -> bool:
    return bool(g.query(PREFIXES + query).askAnswer)


def test_sample_conforms(sample_graph: rdflib.Graph) -> None:
    """The sample graph conforms to the packaged SHACL shapes."""
    report = validate_graph(sample_graph)
    assert report.conforms, report.text
    assert report.violations == 0


def test_report_node(sample_graph: rdflib.Graph) -> None:
    """There is one gkg:Report with the year, region and a title."""
    rows = _select(sample_graph, """
        SELECT ?r ?year ?region ?title WHERE {
          ?r a gkg:Report ; gkg:year ?year ; gkg:region ?rg ; rdfs:label ?title .
          ?rg rdfs:label ?region }""")
    assert len(rows) == 1
    _, year, region, title = rows[0]
    assert int(year) == 2026
    assert str(region) == "衢州市"
    assert str(title)


def test_completed_project(sample_graph: rdflib.Graph) -> None:
    """杭衢高铁 is a Project whose stage is Completed."""
    assert _ask(sample_graph, """
        ASK { ?p a gkg:Project ; rdfs:label "杭衢高铁"@zh ; gkg:stage gkg:Completed }""")


def test_gdp_target_range(sample_graph: rdflib.Graph) -> None:
    """The 2026 target for 地区生产总值 is 5.5–6 %."""
    rows = _select(sample_graph, """
        SELECT ?min ?max ?unit WHERE {
          ?t a gkg:Target ; gkg:indicator ?i ; gkg:minValue ?min ; gkg:maxValue ?max ; gkg:unit ?unit ;
             gkg:period ?p .
          ?i rdfs:label "地区生产总值"@zh .
          ?p gkg:startYear 2026 ; gkg:endYear 2026 }""")
    assert len(rows) == 1
    lo, hi, unit = rows[0]
    assert (Decimal(str(lo)), Decimal(str(hi)), str(unit)) == (Decimal("5.5"), Decimal("6"), "%")
    assert lo.datatype == rdflib.XSD.decimal  # type: ignore[attr-defined]


def test_chain_part_of_chain(sample_graph: rdflib.Graph) -> None:
    """新材料产业链 is part of 六大标志性产业链."""
    assert _ask(sample_graph, """
        ASK { ?part rdfs:label "新材料产业链"@zh ; gkg:partOf ?whole .
              ?whole rdfs:label "六大标志性产业链"@zh }""")


def test_chain_output_result(sample_graph: rdflib.Graph) -> None:
    """新材料产业链 reports a Result of 1061 亿元 for 2025."""
    assert _ask(sample_graph, """
        ASK { ?o a gkg:Result ; gkg:subject ?s ; gkg:value ?v ; gkg:unit "亿元" ; gkg:period ?p .
              ?s rdfs:label "新材料产业链"@zh .
              ?p gkg:startYear 2025 .
              FILTER(?v = 1061) }""")


def test_result_traces_to_sentence_and_report(sample_graph: rdflib.Graph) -> None:
    """The 25 亿元 Result traces through its evidence sentence to the 2026 Report."""
    rows = _select(sample_graph, """
        SELECT ?text ?year WHERE {
          ?o a gkg:Result ; gkg:value ?v ; gkg:unit "亿元" ; gkg:evidence ?s .
          FILTER(?v = 25)
          ?s gkg:text ?text ; gkg:inReport ?r .
          ?r a gkg:Report ; gkg:year ?year }""")
    assert len(rows) == 1
    text, year = rows[0]
    assert "保税进出口额25亿元" in str(text)
    assert int(year) == 2026


def test_zone_result_has_its_subject(sample_graph: rdflib.Graph) -> None:
    """The 25 亿元 Result is about 衢州综保区, and traces to the 2026 Report."""
    assert _ask(sample_graph, """
        ASK { ?o a gkg:Result ; gkg:value ?v ; gkg:unit "亿元" ; gkg:subject ?z ; gkg:evidence ?s .
              FILTER(?v = 25)
              ?z rdfs:label "衢州综保区"@zh .
              ?s gkg:text ?text ; gkg:inReport ?r .
              FILTER(CONTAINS(STR(?text), "保税进出口额25亿元"))
              ?r a gkg:Report ; gkg:year 2026 }""")


@pytest.mark.parametrize("prop", ["indicator", "period", "evidence"])
def test_every_observation_has_exactly_one(sample_graph: rdflib.Graph, prop: str) -> None:
    """Every observation has exactly one indicator, one period and one evidence sentence."""
    rows = _select(sample_graph, f"""
        SELECT ?o (COUNT(DISTINCT ?x) AS ?n) WHERE {{
          {{ ?o a gkg:Result }} UNION {{ ?o a gkg:Target }}
          OPTIONAL {{ ?o gkg:{prop} ?x }}
        }} GROUP BY ?o""")
    assert rows, "no observations"
    bad = [(str(o), int(n)) for o, n in rows if int(n) != 1]
    assert bad == []


def test_every_entity_is_mentioned_in_a_report(sample_graph: rdflib.Graph) -> None:
    """Every entity links to the report that mentions it."""
    types = " ".join(f"gkg:{t}" for t in ENTITY_TYPES)
    rows = _select(sample_graph, f"""
        SELECT DISTINCT ?e WHERE {{
          VALUES ?type {{ {types} }}
          ?e a ?type .
          FILTER NOT EXISTS {{ ?e gkg:mentionedIn ?r . ?r a gkg:Report }}
        }}""")
    assert rows == []


def test_every_entity_has_one_chinese_label(sample_graph: rdflib.Graph) -> None:
    """Every entity has exactly one rdfs:label, in Chinese."""
    types = " ".join(f"gkg:{t}" for t in ENTITY_TYPES)
    rows = _select(sample_graph, f"""
        SELECT ?e (COUNT(?l) AS ?n) (SAMPLE(LANG(?l)) AS ?lang) WHERE {{
          VALUES ?type {{ {types} }}
          ?e a ?type .
          OPTIONAL {{ ?e rdfs:label ?l }}
        }} GROUP BY ?e""")
    assert rows
    assert [(str(e), int(n), str(lang)) for e, n, lang in rows if int(n) != 1 or str(lang) != "zh"] == []


def test_relations_trace_to_sentences(sample_graph: rdflib.Graph) -> None:
    """Every partOf and selectedAs triple has a reified statement whose evidence is in a report."""
    rows = _select(sample_graph, """
        SELECT ?s ?p ?o WHERE {
          VALUES ?p { gkg:partOf gkg:selectedAs }
          ?s ?p ?o .
          FILTER NOT EXISTS {
            ?st a rdf:Statement ; rdf:subject ?s ; rdf:predicate ?p ; rdf:object ?o ; gkg:evidence ?sent .
            ?sent gkg:inReport ?r }
        }""")
    assert rows == []


def test_every_observation_is_a_result_or_target_with_a_number_or_description(sample_graph: rdflib.Graph) -> None:
    """Each observation states a number (value or bound) or, for a qualitative target, a description."""
    rows = _select(sample_graph, """
        SELECT ?o WHERE {
          { ?o a gkg:Result } UNION { ?o a gkg:Target }
          FILTER NOT EXISTS { ?o gkg:value ?v }
          FILTER NOT EXISTS { ?o gkg:minValue ?v }
          FILTER NOT EXISTS { ?o gkg:maxValue ?v }
          FILTER NOT EXISTS { ?o gkg:description ?d }
        }""")
    assert rows == []
