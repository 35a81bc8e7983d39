"""A deterministic, synthetic govkg graph of any size, for tests of the HTML view at scale.

It has the shape of a merged corpus graph: entities of every type with aliases and evidence,
relations that favour a few hubs, shared indicators, and results and targets over three periods.
"""
from __future__ import annotations

import random

import rdflib
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

GKG = rdflib.Namespace("https://w3id.org/govkg/ontology#")
ID = rdflib.Namespace("https://w3id.org/govkg/id/")
ENTITY_TYPES = ("Industry", "Project", "Institution", "Policy", "Designation", "Event", "Place")
HEADS = {"Industry": "产业链", "Project": "工程", "Institution": "研究院", "Policy": "行动", "Designation": "示范区",
         "Event": "博览会", "Place": "县"}
SYLLABLES = "衢杭甬金温台丽湖嘉绍舟新华东南西北中云海山江河湖城港智数绿链芯光材药能"


def synthetic_graph(nodes: int = 3000, seed: int = 1) -> rdflib.Graph:
    """Return a graph with about `nodes` shown nodes: 45% entities, 5% indicators, 50% observations."""
    rnd = random.Random(seed)
    g = rdflib.Graph()
    report = ID["report/synthetic"]
    g.add((report, RDF.type, GKG.Report))
    g.add((report, DCTERMS.title, rdflib.Literal("合成政府工作报告", lang="zh")))
    g.add((report, GKG.year, rdflib.Literal(2026, datatype=XSD.integer)))
    sections = []
    for i in range(20):
        s = ID[f"report/synthetic/section/{i}"]
        g.add((s, RDF.type, GKG.Section))
        g.add((s, RDFS.label, rdflib.Literal(f"（{i + 1}）第{i + 1}部分", lang="zh")))
        g.add((s, GKG.inReport, report))
        g.add((s, GKG.position, rdflib.Literal(i, datatype=XSD.integer)))
        sections.append(s)
    sentences = []

    def sentence(text: str) -> rdflib.URIRef:
        s = ID[f"report/synthetic/sentence/{len(sentences)}"]
        g.add((s, RDF.type, GKG.Sentence))
        g.add((s, GKG.text, rdflib.Literal(text, lang="zh")))
        g.add((s, GKG.inReport, report))
        g.add((s, GKG.inSection, sections[len(sentences) % len(sections)]))
        g.add((s, GKG.position, rdflib.Literal(len(sentences), datatype=XSD.integer)))
        sentences.append(s)
        return s

    n_entities, n_indicators = int(nodes * 0.45), max(1, int(nodes * 0.05))
    n_observations = nodes - n_entities - n_indicators
    entities = []
    for i in range(n_entities):
        t = ENTITY_TYPES[i % len(ENTITY_TYPES)]
        name = "".join(rnd.choice(SYLLABLES) for _ in range(rnd.randint(2, 4))) + HEADS[t] + str(i)
        e = ID[f"entity/{i}"]
        g.add((e, RDF.type, GKG[t]))
        g.add((e, RDFS.label, rdflib.Literal(name, lang="zh")))
        if i % 5 == 0:
            g.add((e, SKOS.altLabel, rdflib.Literal(f"别名{i}", lang="zh")))
        g.add((e, GKG.mentionedIn, report))
        g.add((e, GKG.evidence, sentence(f"推进{name}建设。")))
        entities.append(e)
    for i, e in enumerate(entities[1:], start=1):
        if rnd.random() < 0.7:
            # preferential: most links go to the first tenth, so hubs form as in real corpora
            j = int(rnd.random() ** 2 * min(i, max(1, n_entities // 10)))
            g.add((e, GKG[rnd.choice(("partOf", "locatedIn", "selectedAs"))], entities[j]))
    indicators = []
    for i in range(n_indicators):
        ind = ID[f"indicator/{i}"]
        g.add((ind, RDF.type, GKG.Indicator))
        g.add((ind, RDFS.label, rdflib.Literal(f"指标{i}", lang="zh")))
        indicators.append(ind)
    periods = []
    for start, end in ((2025, 2025), (2026, 2026), (2021, 2025)):
        p = ID[f"period/{start}-{end}"]
        g.add((p, RDF.type, GKG.Period))
        g.add((p, GKG.startYear, rdflib.Literal(start, datatype=XSD.integer)))
        g.add((p, GKG.endYear, rdflib.Literal(end, datatype=XSD.integer)))
        periods.append(p)
    for i in range(n_observations):
        o = ID[f"observation/{i}"]
        target = i % 4 == 0
        g.add((o, RDF.type, GKG.Target if target else GKG.Result))
        ind = indicators[int(rnd.random() ** 1.5 * n_indicators)]
        g.add((o, GKG.indicator, ind))
        value = rnd.randint(1, 999) / 10
        g.add((o, GKG.value, rdflib.Literal(str(value), datatype=XSD.decimal)))
        g.add((o, GKG.unit, rdflib.Literal("%")))
        g.add((o, GKG.period, periods[1] if target else periods[i % 3 and 2 or 0]))
        g.add((o, RDFS.label, rdflib.Literal(f"指标 {value}%", lang="zh")))
        if rnd.random() < 0.3:
            g.add((o, GKG.subject, rnd.choice(entities)))
        g.add((o, GKG.evidence, sentence(f"某指标增长{value}%。")))
    return g
