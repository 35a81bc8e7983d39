"""Turn a govkg graph into a networkx graph: entities, indicators and observations as nodes."""
from __future__ import annotations

import networkx as nx
import rdflib
from rdflib.namespace import RDF, RDFS, SKOS

GKG = rdflib.Namespace("https://w3id.org/govkg/ontology#")
ENTITY_TYPES = ("Industry", "Project", "Institution", "Policy", "Designation", "Event", "Place")
RELATIONS = ("partOf", "selectedAs", "locatedIn")


def _type_of(g: rdflib.Graph, node: rdflib.term.Node) -> str | None:
    types = {str(t).rsplit("#", 1)[-1] for t in g.objects(node, RDF.type)}
    for t in (*ENTITY_TYPES, "Indicator", "Target", "Result"):
        if t in types:
            return t
    return None


def to_networkx(graph: rdflib.Graph) -> nx.MultiDiGraph:
    """Return the graph's entities, indicators and observations as a networkx multigraph.

    Nodes carry `label`, `type` and `aliases`; edges carry `relation` (partOf, selectedAs,
    locatedIn, indicator, subject). Reports, sentences and periods stay in RDF.

    >>> from kg import build_graph
    >>> g = to_networkx(build_graph("杭衢高铁建成通车。", year=2026, region="衢州市"))
    >>> sorted(d["label"] for _, d in g.nodes(data=True))
    ['杭衢高铁', '衢州市']
    """
    out = nx.MultiDiGraph()
    for node in sorted(set(graph.subjects(RDF.type, None)), key=str):
        t = _type_of(graph, node)
        if t is None:
            continue
        label = graph.value(node, RDFS.label)
        aliases = sorted(str(a) for a in graph.objects(node, SKOS.altLabel))
        out.add_node(str(node), label=str(label) if label is not None else str(node), type=t, aliases=aliases)
    for rel in (*RELATIONS, "indicator", "subject"):
        for s, o in sorted(graph.subject_objects(GKG[rel]), key=lambda p: (str(p[0]), str(p[1]))):
            if str(s) in out and str(o) in out:
                out.add_edge(str(s), str(o), relation=rel)
    return out
