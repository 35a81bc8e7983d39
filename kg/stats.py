"""Summarise a graph with networkx: hubs per type, what reports share, connected parts."""
from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Sequence
from pathlib import Path

import networkx as nx

from kg.rdf.query import load_store
from kg.rdf.vocab import GKG

ENTITY_TYPES = ("Industry", "Project", "Institution", "Policy", "Designation", "Event", "Place")
SHARED_TYPES = ("Industry", "Policy", "Designation")

_ENTITIES = f"""
PREFIX gkg: <{GKG}>
PREFIX rdfs: <http://www.w3.org/2000/01/rdf-schema#>
SELECT ?e ?type ?label ?report WHERE {{
  VALUES ?type {{ {" ".join(f"gkg:{t}" for t in ENTITY_TYPES)} }}
  ?e a ?type ; rdfs:label ?label .
  OPTIONAL {{ ?e gkg:mentionedIn ?report }}
}}"""
_EDGES = f"""
PREFIX gkg: <{GKG}>
SELECT ?s ?p ?o WHERE {{
  {{ VALUES ?p {{ gkg:partOf gkg:selectedAs gkg:locatedIn }} ?s ?p ?o }}
  UNION {{ ?obs gkg:subject ?s ; gkg:indicator ?o . BIND(gkg:subject AS ?p) }}
  UNION {{ ?s gkg:evidence ?sentence . ?o gkg:evidence ?sentence . ?sentence a gkg:Sentence .
          FILTER(STR(?s) < STR(?o)) BIND(gkg:evidence AS ?p) }}
}}"""


def graph_stats(paths: Sequence[Path], top: int = 10) -> dict[str, object]:
    """Return the statistics of the graphs in `paths` (merged) as plain data."""
    store = load_store(paths, named_graphs=False)  # its queries read the union alone
    g = nx.Graph()
    types: dict[str, str] = {}
    labels: dict[str, str] = {}
    reports: dict[str, set[str]] = defaultdict(set)
    for row in store.query(_ENTITIES, use_default_graph_as_union=True):
        e = row["e"].value
        types[e] = row["type"].value.rsplit("#", 1)[-1]
        labels.setdefault(e, row["label"].value)
        if row["report"] is not None:
            reports[e].add(row["report"].value)
        g.add_node(e)
    for row in store.query(_EDGES, use_default_graph_as_union=True):
        s, o = row["s"].value, row["o"].value
        if s in types and (o in types or row["p"].value.endswith("subject")):
            g.add_edge(s, o)
    entity_graph = g.subgraph(types)
    hubs = {}
    for t in ENTITY_TYPES:
        ranked = sorted((n for n in types if types[n] == t), key=lambda n: (-g.degree(n), labels[n]))[:top]
        hubs[t] = [{"label": labels[n], "degree": g.degree(n), "reports": len(reports[n])} for n in ranked]
    shared = {}
    for t in SHARED_TYPES:
        ranked = sorted((n for n in types if types[n] == t), key=lambda n: (-len(reports[n]), labels[n]))[:top]
        shared[t] = [{"label": labels[n], "reports": len(reports[n])} for n in ranked]
    components = sorted((len(c) for c in nx.connected_components(entity_graph)), reverse=True)
    all_reports = {r for rs in reports.values() for r in rs}
    return {
        "reports": len(all_reports),
        "entities": len(types),
        "entities_by_type": dict(sorted(Counter(types.values()).items())),
        "relations": entity_graph.number_of_edges(),
        "components": len(components),
        "largest_components": components[:5],
        "isolated": sum(1 for c in components if c == 1),
        "hubs": hubs,
        "shared": shared,
    }


def format_stats(stats: dict[str, object]) -> str:
    """Return the statistics as text tables."""
    lines = [f"reports {stats['reports']}, entities {stats['entities']}, relations {stats['relations']}, "
             f"components {stats['components']} (largest {stats['largest_components']}, "
             f"isolated {stats['isolated']})",
             "entities by type: " + ", ".join(f"{k} {v}" for k, v in stats["entities_by_type"].items()),  # type: ignore[union-attr]
             "", "Most connected entities (degree: entities named in the same sentences, relations, indicators):"]
    for t, rows in stats["hubs"].items():  # type: ignore[union-attr]
        if rows:
            lines.append(f"  {t}: " + "; ".join(f"{r['label']} ({r['degree']})" for r in rows))
    lines += ["", "Shared by the most reports:"]
    for t, rows in stats["shared"].items():  # type: ignore[union-attr]
        if rows:
            lines.append(f"  {t}: " + "; ".join(f"{r['label']} ({r['reports']})" for r in rows))
    return "\n".join(lines)

