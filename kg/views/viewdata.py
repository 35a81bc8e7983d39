"""Gather what the HTML view shows from a govkg graph: nodes, edges, numbers and their evidence.

The view is a plain, JSON-ready structure with integer references (node, sentence, section,
report and period indices), in a deterministic order, so the same graph always gives the same
page. Nodes are the entities, the indicators and the observations (results and targets);
reports, sections and sentences are tables the side panel reads evidence from.
"""
from __future__ import annotations

import functools
from collections import defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from typing import Any

import rdflib
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS

from kg.rdf.ontology import ontology_text

GKG = rdflib.Namespace("https://w3id.org/govkg/ontology#")


@dataclass(frozen=True)
class NodeType:
    """How one type of node looks: its key (the gkg class), names, colour and shape."""

    key: str
    zh: str
    colour: str
    shape: str
    hollow: bool = False


# Order = legend order = precedence when a node has several of these types.
NODE_TYPES = (
    NodeType("Industry", "产业", "#2f6fbd", "hexagon"),
    NodeType("Project", "项目", "#e07b24", "square"),
    NodeType("Institution", "机构", "#2e9347", "triangle"),
    NodeType("Policy", "政策", "#8256c2", "diamond"),
    NodeType("Designation", "称号", "#d2468f", "star"),
    NodeType("Event", "活动", "#b59a00", "triangleDown"),
    NodeType("Place", "地点", "#13a0b0", "dot"),
    NodeType("Indicator", "指标", "#6b7280", "dot"),
    NodeType("Result", "实绩", "#8d5a3b", "dot"),
    NodeType("Target", "目标", "#d62728", "dot", hollow=True),
)
ENTITY_TYPES = frozenset(t.key for t in NODE_TYPES[:7])
OBSERVATION_TYPES = frozenset(("Result", "Target"))
TYPE_RANK = {t.key: n for n, t in enumerate(NODE_TYPES)}

# Edge colours: relations between entities stand out, the links of numbers stay light.
RELATION_COLOURS = {"partOf": "#4a5d7e", "locatedIn": "#168a99", "selectedAs": "#c2417f", "assesses": "#d62728",
                    "indicator": "#b4bbc6", "subject": "#c7a07a"}
_RELATION_ORDER = {r: n for n, r in enumerate(RELATION_COLOURS)}

# Properties that link two shown nodes but are not relations to draw (provenance, bookkeeping).
_NOT_EDGES = frozenset(GKG[p] for p in ("evidence", "mentionedIn", "reportedIn", "region", "period"))


@dataclass
class ViewData:
    """The JSON-ready content of one HTML view (see `build_view_data`)."""

    title: str
    types: list[dict[str, Any]]
    relations: list[dict[str, Any]]
    terms: dict[str, list[str]]
    reports: list[dict[str, Any]]
    sections: list[str]
    sentences: list[list[Any]]
    periods: list[dict[str, Any]]
    nodes: list[dict[str, Any]]
    edges: list[list[Any]] = field(default_factory=list)

    def as_json(self) -> dict[str, Any]:
        """Return the view as a dict ready for json.dumps (keys in a fixed order)."""
        return {"title": self.title, "types": self.types, "relations": self.relations, "terms": self.terms,
                "reports": self.reports, "sections": self.sections,
                "sentences": self.sentences, "periods": self.periods, "nodes": self.nodes, "edges": self.edges}


@functools.lru_cache(maxsize=1)
def _term_labels() -> tuple[tuple[str, str, str], ...]:
    """Return (local name, Chinese label, English label) of every term of the ontology."""
    onto = rdflib.Graph().parse(data=ontology_text(), format="turtle")
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for term, label in onto.subject_objects(RDFS.label):
        if str(term).startswith(str(GKG)) and isinstance(label, rdflib.Literal) and label.language in ("zh", "en"):
            found[str(term)[len(GKG):]][label.language] = str(label)
    return tuple(sorted((t, d.get("zh", ""), d.get("en", t)) for t, d in found.items()))


def _local(term: rdflib.term.Node) -> str:
    text = str(term)
    return text[len(GKG):] if text.startswith(str(GKG)) else text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


def _text(value: rdflib.term.Node | None) -> str:
    return "" if value is None else str(value)


def _number(lit: rdflib.term.Node | None) -> str:
    """Return a decimal literal as written, without trailing zeros ("5.50" → "5.5")."""
    if lit is None:
        return ""
    text = str(lit)
    if "." in text and "e" not in text.lower():
        text = text.rstrip("0").rstrip(".")
    return text


def value_text(value: str, minimum: str, maximum: str) -> str:
    """Return the numbers of an observation as one short text: a value, a range or a bound.

    >>> value_text("5.5", "", ""), value_text("", "5.5", "6"), value_text("", "3", ""), value_text("", "", "5")
    ('5.5', '5.5–6', '≥3', '≤5')
    """
    if value:
        return value
    if minimum and maximum:
        return f"{minimum}–{maximum}"
    if minimum:
        return f"≥{minimum}"
    if maximum:
        return f"≤{maximum}"
    return ""


def _sorted_unique(items: Iterable[int]) -> list[int]:
    return sorted(set(items))


def build_view_data(graph: rdflib.Graph, title: str | None = None) -> ViewData:
    """Return what the HTML view of `graph` shows, in a deterministic order.

    >>> from kg import build_graph
    >>> v = build_view_data(build_graph("2026年重点工作\\n杭衢高铁建成通车，全市生产总值增长5.5—6%。",
    ...                                 year=2026, region="衢州市"))
    >>> [(n["type"], n["label"]) for n in v.nodes if n["type"] in ("Project", "Indicator", "Target")]
    [('Project', '杭衢高铁'), ('Indicator', '地区生产总值'), ('Target', '5.5–6%')]
    >>> v.sentences[v.nodes[0]["evidence"][0]][0]
    '杭衢高铁建成通车，全市生产总值增长5.5—6%。'
    """
    g = graph
    term_labels = {t: [zh, en] for t, zh, en in _term_labels()}
    used_terms: set[str] = set()

    # Reports, then sections and sentences, each ordered by report then position.
    report_iris = sorted(set(g.subjects(RDF.type, GKG.Report)),
                         key=lambda r: (_text(g.value(r, GKG.year)), _text(g.value(r, DCTERMS.title)), str(r)))
    report_index = {r: n for n, r in enumerate(report_iris)}
    reports = [{"title": _text(g.value(r, DCTERMS.title) or g.value(r, RDFS.label)) or str(r),
                "year": _int(g.value(r, GKG.year))} for r in report_iris]

    def position(node: rdflib.term.Node) -> tuple[int, int, str]:
        report = g.value(node, GKG.inReport)
        return (report_index.get(report, len(report_iris)), _int(g.value(node, GKG.position)) or 0, str(node))

    section_iris = sorted(set(g.subjects(RDF.type, GKG.Section)), key=position)
    section_index = {s: n for n, s in enumerate(section_iris)}
    sections = [_section_path(g, s) for s in section_iris]
    sentence_iris = sorted(set(g.subjects(RDF.type, GKG.Sentence)), key=position)
    sentence_index = {s: n for n, s in enumerate(sentence_iris)}
    sentences = [[_text(g.value(s, GKG.text)), section_index.get(g.value(s, GKG.inSection), -1),
                  report_index.get(g.value(s, GKG.inReport), -1)] for s in sentence_iris]

    period_iris = sorted(set(g.subjects(RDF.type, GKG.Period)) | set(g.objects(None, GKG.period)),
                         key=lambda p: (_int(g.value(p, GKG.startYear)) or 0, _int(g.value(p, GKG.endYear)) or 0, str(p)))
    period_index = {p: n for n, p in enumerate(period_iris)}
    periods = [_period(g, p) for p in period_iris]

    # The shown nodes and their main type.
    main_type: dict[rdflib.term.Node, str] = {}
    for t in NODE_TYPES:
        for node in g.subjects(RDF.type, GKG[t.key]):
            if isinstance(node, (rdflib.URIRef, rdflib.BNode)) and (
                    node not in main_type or TYPE_RANK[t.key] < TYPE_RANK[main_type[node]]):
                main_type[node] = t.key
    labels = {n: _text(g.value(n, RDFS.label)) or _local(n) for n in main_type}

    def node_order(n: rdflib.term.Node) -> tuple[int, str, str, str]:
        t = main_type[n]
        if t in OBSERVATION_TYPES:  # by indicator, then period, then text
            ind = g.value(n, GKG.indicator)
            return (TYPE_RANK[t], labels.get(ind, "") if ind is not None else "",
                    f"{period_index.get(g.value(n, GKG.period), -1):06d}", str(n))
        return (TYPE_RANK[t], labels[n], "", str(n))

    order = sorted(main_type, key=node_order)
    index = {n: i for i, n in enumerate(order)}

    # Edges: every gkg property linking two shown nodes, with the evidence of its statement.
    statement_evidence: dict[tuple[rdflib.term.Node, ...], list[int]] = defaultdict(list)
    for st in g.subjects(RDF.type, RDF.Statement):
        key = (g.value(st, RDF.subject), g.value(st, RDF.predicate), g.value(st, RDF.object))
        statement_evidence[key] += [sentence_index[e] for e in g.objects(st, GKG.evidence) if e in sentence_index]
    edges: list[list[Any]] = []
    for s, p, o in g.triples((None, None, None)):
        if s in index and o in index and s != o and str(p).startswith(str(GKG)) and p not in _NOT_EDGES:
            edges.append([index[s], index[o], _local(p), _sorted_unique(statement_evidence.get((s, p, o), []))])
    edges.sort(key=lambda e: (e[0], e[1], e[2]))
    degree = [0] * len(order)
    for e in edges:
        degree[e[0]] += 1
        degree[e[1]] += 1

    nodes = []
    for i, n in enumerate(order):
        t = main_type[n]
        item: dict[str, Any] = {"id": i, "iri": str(n), "type": t, "label": labels[n]}
        subtypes = sorted({_local(c) for c in g.objects(n, RDF.type)} - {t} - set(TYPE_RANK) - {"Observation"})
        item["subtypes"] = subtypes
        used_terms.update(subtypes)
        item["aliases"] = sorted({_text(a) for a in g.objects(n, SKOS.altLabel)} - {labels[n]})
        item["degree"] = degree[i]
        item["evidence"] = _sorted_unique(sentence_index[e] for e in g.objects(n, GKG.evidence) if e in sentence_index)
        item["reports"] = _sorted_unique(report_index[r] for p in (GKG.mentionedIn, GKG.reportedIn)
                                         for r in g.objects(n, p) if r in report_index)
        if t in OBSERVATION_TYPES:
            _observation(g, n, item, index, period_index)
        if t == "Project":
            item["stages"] = _stages(g, n, sentence_index)
        nodes.append(item)
    # Reports an observation's or relation's sentence comes from count for the node too.
    for item in nodes:
        item["reports"] = _sorted_unique([*item["reports"], *(sentences[s][2] for s in item["evidence"]
                                                              if sentences[s][2] >= 0)])

    counts = defaultdict(int)
    for item in nodes:
        counts[item["type"]] += 1
    types = [{"key": t.key, "zh": t.zh, "colour": t.colour, "shape": t.shape, "hollow": t.hollow,
              "count": counts[t.key]} for t in NODE_TYPES if counts[t.key]]
    rel_counts: dict[str, int] = defaultdict(int)
    for e in edges:
        rel_counts[e[2]] += 1
    relations = [{"key": r, "colour": RELATION_COLOURS.get(r, "#8a94a3"), "count": c}
                 for r, c in sorted(rel_counts.items(), key=lambda rc: (_RELATION_ORDER.get(rc[0], 99), rc[0]))]
    for item in nodes:
        used_terms.update(s[0] for s in item.get("stages", ()))
        if item.get("measure"):
            used_terms.add(item["measure"])
    used_terms.update(rel_counts)
    terms = {t: term_labels.get(t, ["", t]) for t in sorted(used_terms)}
    if title is None:
        title = reports[0]["title"] if len(reports) == 1 else f"{len(reports)} reports" if reports else "govkg"
    return ViewData(title, types, relations, terms, reports, sections, sentences, periods, nodes, edges)


def _int(value: rdflib.term.Node | None) -> int | None:
    try:
        return int(str(value)) if value is not None else None
    except ValueError:
        return None


def _section_path(g: rdflib.Graph, section: rdflib.term.Node) -> str:
    """Return a section's label after its parents' ("2026年重点工作 › （一）…")."""
    parts, seen = [], set()
    node: rdflib.term.Node | None = section
    while node is not None and node not in seen:
        seen.add(node)
        parts.append(_text(g.value(node, RDFS.label)))
        node = g.value(node, GKG.parentSection)
    return " › ".join(p for p in reversed(parts) if p)


def _period(g: rdflib.Graph, period: rdflib.term.Node) -> dict[str, Any]:
    start, end = _int(g.value(period, GKG.startYear)), _int(g.value(period, GKG.endYear))
    if start is not None and end is not None and start != end:
        label = f"{start}–{end}"
    elif start is not None or end is not None:
        label = str(start if start is not None else end)
    else:
        label = _text(g.value(period, RDFS.label)) or _local(period)
    return {"label": label, "start": start, "end": end}


def _observation(g: rdflib.Graph, n: rdflib.term.Node, item: dict[str, Any], index: dict[rdflib.term.Node, int],
                 period_index: dict[rdflib.term.Node, int]) -> None:
    """Add an observation's numbers to its node: indicator, value text, unit, period and the rest."""
    nums = [_number(g.value(n, GKG[p])) for p in ("value", "minValue", "maxValue")]
    unit = _text(g.value(n, GKG.unit))
    ind = g.value(n, GKG.indicator)
    subject = g.value(n, GKG.subject)
    item["name"] = item["label"]  # the full label ("地区生产总值 5.5—6%（2026目标）"); the canvas shows less
    item["value"] = value_text(*nums)
    item["unit"] = unit
    item["indicator"] = index.get(ind, -1) if ind is not None else -1
    item["subject"] = index.get(subject, -1) if subject is not None else -1
    item["period"] = period_index.get(g.value(n, GKG.period), -1)
    measure = g.value(n, GKG.measure)
    item["measure"] = _local(measure) if measure is not None else ""
    for key in ("qualifier", "commitment", "description"):
        item[key] = _text(g.value(n, GKG[key]))
    met = g.value(n, GKG.met)
    if met is not None:
        item["met"] = str(met).lower() in ("true", "1")
    short = f"{item['value']}{unit}" if item["value"] else (item["description"] or item["label"])
    item["label"] = short if len(short) <= 14 else short[:13] + "…"


def _stages(g: rdflib.Graph, n: rdflib.term.Node, sentence_index: dict[rdflib.term.Node, int]) -> list[list[Any]]:
    """Return a project's stages as [stage, year or None, evidence sentence or -1], by year."""
    found: dict[tuple[str, int | None], int] = {}
    for st in g.subjects(RDF.subject, n):
        if g.value(st, RDF.predicate) != GKG.stage:
            continue
        stage = _local(g.value(st, RDF.object) or "")
        key = (stage, _int(g.value(st, GKG.year)))
        ev = [sentence_index[e] for e in g.objects(st, GKG.evidence) if e in sentence_index]
        found[key] = min([*ev, found.get(key, 1 << 30)])
    for stage in g.objects(n, GKG.stage):
        if not any(k[0] == _local(stage) for k in found):
            found[(_local(stage), None)] = -1
    return [[s, y, -1 if e == 1 << 30 else e] for (s, y), e in
            sorted(found.items(), key=lambda kv: (kv[0][1] or 0, kv[0][0]))]
