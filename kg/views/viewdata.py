"""Gather what the HTML view shows from a govkg graph: nodes, edges, numbers and their evidence.

The view is a plain, JSON-ready structure with integer references (node, sentence, section,
report and period indices), in a deterministic order, so the same graph always gives the same
page. Nodes are the entities, the indicators and the observations (results and targets);
reports, sections and sentences are tables the side panel reads evidence from.

The view reads the graph through a small index of dicts (`TripleIndex`) whose terms are
N-Triples strings (`<iri>`, `_:id`, `"text"@zh`). A build hands its graph over in that form
(kg.rdf.build.ReportGraph), so the index costs nothing; other triples are written as N-Triples
by pyoxigraph and split. Python strings keep their hash, where each pyoxigraph term read is a
new object hashed in native code again: the view of a report takes half the time it took on
pyoxigraph terms (rdflib's graph methods, ~30 µs a call, cost more than the report's
extraction). An rdflib.Graph is accepted too and converted first.
"""
from __future__ import annotations

import functools
import re
import sys
from collections import defaultdict
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeVar, Union

import pyoxigraph as ox

from kg.errors import OutputError
from kg.rdf.build import ReportGraph, sort_triples
from kg.rdf.ontology import ontology_text
from kg.rdf.vocab import DCTERMS, GKG, RDF, RDFS, SKOS, gkg, rdfs

if TYPE_CHECKING:
    import rdflib

# A term as N-Triples writes it: "<iri>", "_:id" or a literal ('"text"@zh', '"5"^^<…#integer>').
Term = str
OxTerm = ox.NamedNode | ox.BlankNode | ox.Literal
# What the view reads: a build's graph, pyoxigraph triples or an rdflib.Graph.
Graph = Union[ReportGraph, Iterable[ox.Triple], "rdflib.Graph"]
_K = TypeVar("_K")
_V = TypeVar("_V")


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

# Shown types, and the class of all observations: no subtypes of a node.
_NOT_SUBTYPES = frozenset((*TYPE_RANK, "Observation"))

# Properties that link two shown nodes but are not relations to draw (provenance, bookkeeping).
_NOT_EDGES = frozenset(GKG + p for p in ("evidence", "mentionedIn", "reportedIn", "region", "period"))


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


_NO_PROPS: dict[Term, list[Term]] = {}  # what a term that is no subject has: read, never changed


class TripleIndex:
    """The triples of a graph by subject, then predicate: lists of objects in the triples' order.

    Terms are N-Triples strings (see `value_of`). So `value` is the first object in that order.
    The few look-ups by object (`subjects`) build an index of their predicate on first use,
    which costs less than indexing every triple.
    """

    def __init__(self, by_subject: dict[Term, dict[Term, list[Term]]]) -> None:
        self.by_subject = by_subject  # read, never changed: a ReportGraph's own dicts
        self._by_object: dict[Term, dict[Term, list[Term]]] = {}

    @classmethod
    def parse(cls, ntriples: str) -> TripleIndex:
        """Index N-Triples text as pyoxigraph writes it (see `_TRIPLE`)."""
        by_subject: dict[Term, dict[Term, list[Term]]] = {}
        for line in ntriples.split("\n")[:-1]:  # not splitlines: a literal may hold U+2028
            s, p, o = line.split(" ", 2)  # subject and predicate hold no space; o ends in " ."
            o = o[:-2]
            props = by_subject.get(s)
            if props is None:
                by_subject[s] = {p: [o]}
            else:
                objects = props.get(p)
                if objects is None:
                    props[p] = [o]
                else:
                    objects.append(o)
        return cls(by_subject)

    def props(self, s: Term | None) -> dict[Term, list[Term]]:
        """Return the objects of `s` by predicate (empty when `s` is no subject)."""
        return self.by_subject.get(s, _NO_PROPS)  # type: ignore[arg-type]

    def value(self, s: Term | None, p: Term) -> Term | None:
        """Return the first object of (s, p), or None."""
        objects = self.by_subject.get(s, _NO_PROPS).get(p)  # type: ignore[arg-type]
        return objects[0] if objects else None

    def text(self, s: Term | None, p: Term) -> str:
        """Return the value (see `value_of`) of the first object of (s, p), or ""."""
        objects = self.by_subject.get(s, _NO_PROPS).get(p)  # type: ignore[arg-type]
        return value_of(objects[0]) if objects else ""

    def objects(self, s: Term, p: Term) -> list[Term]:
        return self.by_subject.get(s, _NO_PROPS).get(p, [])

    def subjects(self, p: Term, o: Term) -> list[Term]:
        return self.by_object(p).get(o, [])

    def by_object(self, p: Term) -> dict[Term, list[Term]]:
        """Return the subjects of `p` by object."""
        found = self._by_object.get(p)
        if found is None:
            found = self._by_object[p] = {}
            for s, props in self.by_subject.items():
                for o in props.get(p, ()):
                    subjects = found.get(o)  # not setdefault: that makes a list for every call
                    if subjects is None:
                        found[o] = [s]
                    else:
                        subjects.append(s)
        return found


_UNESCAPE = re.compile(r"\\(?:u([0-9A-Fa-f]{4})|U([0-9A-Fa-f]{8})|(.))", re.DOTALL)
_ESCAPED = {"t": "\t", "b": "\b", "n": "\n", "r": "\r", "f": "\f", '"': '"', "'": "'", "\\": "\\"}


def _unescaped(m: re.Match[str]) -> str:
    code = m.group(1) or m.group(2)
    return chr(int(code, 16)) if code else _ESCAPED[m.group(3)]


def value_of(term: Term) -> str:
    r"""Return what a pyoxigraph term's `.value` is: the IRI, the blank node's id, the literal's text.

    >>> value_of("<https://example.org/a>"), value_of("_:b1"), value_of('"说\\"好\\"\\n"@zh')
    ('https://example.org/a', 'b1', '说"好"\n')
    """
    first = term[0]
    if first == "<":
        return term[1:-1]
    if first == "_":
        return term[2:]
    text = term[1:term.rindex('"')]
    return _UNESCAPE.sub(_unescaped, text) if "\\" in text else text


def triple_index(graph: Graph) -> TripleIndex:
    """Return the index of a graph: a build's own terms as they are, other triples in their order.

    An rdflib.Graph's triples are sorted first (see `graph_triples`).
    """
    if isinstance(graph, ReportGraph):
        return TripleIndex(graph.by_subject)
    return TripleIndex.parse(ox.serialize(graph_triples(graph), format=ox.RdfFormat.N_TRIPLES).decode("utf-8"))


def graph_triples(graph: rdflib.Graph | Iterable[ox.Triple]) -> Iterable[ox.Triple]:
    """Return the triples of an rdflib.Graph as sorted pyoxigraph triples; pass others through.

    Sorted (as kg.rdf.build sorts a report's triples), so that a property with several values
    shows the same one however the graph was filled. Raises OutputError for a term that
    pyoxigraph cannot hold (an IRI with a space, a relative IRI).

    >>> from kg.api import build_report, triples_to_rdflib
    >>> triples = build_report("杭衢高铁建成通车。", year=2026, region="衢州市").triples
    >>> graph_triples(triples_to_rdflib(triples)) == triples
    True
    """
    rdflib = sys.modules.get("rdflib")  # not imported (a tenth of a second) just to be told "no"
    if rdflib is None or not isinstance(graph, rdflib.Graph):
        return graph  # type: ignore[return-value]
    terms: dict[rdflib.term.Node, OxTerm] = {}
    try:
        return sort_triples(ox.Triple(*(terms[n] if n in terms else terms.setdefault(n, _ox_term(n)) for n in t))
                            for t in graph.triples((None, None, None)))
    except ValueError as exc:
        raise OutputError(f"the graph holds a term the view cannot show: {exc}") from None


def _ox_term(node: rdflib.term.Node) -> OxTerm:
    """Return the pyoxigraph term of an rdflib term (same IRI, blank node id or lexical form)."""
    import rdflib

    if isinstance(node, rdflib.Literal):
        if node.language:
            return ox.Literal(str(node), language=node.language)
        return ox.Literal(str(node), datatype=ox.NamedNode(node.datatype)) if node.datatype else ox.Literal(str(node))
    if isinstance(node, rdflib.BNode):
        return ox.BlankNode(str(node))
    return ox.NamedNode(str(node))


@functools.lru_cache(maxsize=1)
def _term_labels() -> tuple[tuple[str, str, str], ...]:
    """Return (local name, Chinese label, English label) of every term of the ontology."""
    label = rdfs("label")
    found: dict[str, dict[str, str]] = defaultdict(dict)
    for t in ox.parse(input=ontology_text(), format=ox.RdfFormat.TURTLE):
        term, text = t.subject.value, t.object
        if t.predicate == label and term.startswith(GKG) and isinstance(text, ox.Literal) \
                and text.language in ("zh", "en"):
            found[term[len(GKG):]][text.language] = text.value
    return tuple(sorted((t, d.get("zh", ""), d.get("en", t)) for t, d in found.items()))


def _local(term: Term) -> str:
    text = value_of(term)
    return text[len(GKG):] if text.startswith(GKG) else text.rsplit("#", 1)[-1].rsplit("/", 1)[-1]


class _Memo(dict[_K, _V]):
    """A function's values, each worked out once a view: the terms and sets of types it is asked about repeat."""

    def __init__(self, fn: Callable[[_K], _V]) -> None:
        super().__init__()
        self.fn = fn

    def __missing__(self, key: _K) -> _V:
        self[key] = value = self.fn(key)
        return value


_LocalNames = _Memo[Term, str]  # the local names of terms (types, predicates)


def _relation(local: _LocalNames, p: Term) -> str | None:
    """Return the local name of a predicate drawn as an edge (a gkg property but _NOT_EDGES), else None."""
    iri = value_of(p)
    return local[p] if iri.startswith(GKG) and iri not in _NOT_EDGES else None


def _subtypes(local: _LocalNames, types: tuple[Term, ...]) -> list[str]:
    """Return a node's subtypes: its types but the shown ones (a few sets of types repeat)."""
    return sorted({local[c] for c in types} - _NOT_SUBTYPES)


@functools.cache
def _g(term: str) -> Term:
    """Return an ontology term in N-Triples ("<…#year>"), checked by kg.rdf.vocab.gkg once."""
    return f"<{gkg(term).value}>"


_A = f"<{RDF}type>"
_LABEL = f"<{RDFS}label>"
_ALT_LABEL = f"<{SKOS}altLabel>"
_TITLE = f"<{DCTERMS}title>"


def _first(props: dict[Term, list[Term]], p: Term) -> Term | None:
    """Return the first object of a subject's property `p`, or None."""
    objects = props.get(p)
    return objects[0] if objects else None


def _text(value: Term | None) -> str:
    return "" if value is None else value_of(value)


def _number(lit: Term | None) -> str:
    """Return a decimal literal as written, without trailing zeros ("5.50" → "5.5")."""
    if lit is None:
        return ""
    text = value_of(lit)
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


def _indices(terms: Sequence[Term], index: dict[Term, int]) -> list[int]:
    """Return the sorted, distinct indices of the terms that `index` holds."""
    if len(terms) == 1:  # most nodes: one evidence sentence
        i = index.get(terms[0])
        return [] if i is None else [i]
    return sorted({i for t in terms if (i := index.get(t)) is not None})


def build_view_data(graph: Graph, title: str | None = None) -> ViewData:
    """Return what the HTML view of a graph shows, in a deterministic order.

    `graph` is a build's ReportGraph (the fast path: its terms are indexed as they are),
    pyoxigraph triples or an rdflib.Graph; the same graph gives the same view in each form.

    >>> from kg.api import build_report
    >>> triples = build_report("2026年重点工作\\n杭衢高铁建成通车，全市生产总值增长5.5—6%。",
    ...                        year=2026, region="衢州市").triples
    >>> v = build_view_data(triples)
    >>> [(n["type"], n["label"]) for n in v.nodes if n["type"] in ("Project", "Indicator", "Target")]
    [('Project', '杭衢高铁'), ('Indicator', '地区生产总值'), ('Target', '5.5–6%')]
    >>> v.sentences[v.nodes[0]["evidence"][0]][0]
    '杭衢高铁建成通车，全市生产总值增长5.5—6%。'
    """
    g = triple_index(graph)
    term_labels = {t: [zh, en] for t, zh, en in _term_labels()}
    used_terms: set[str] = set()
    types = g.by_object(_A)
    year, label, title_p = _g("year"), _LABEL, _TITLE
    in_report, in_section, position_p = _g("inReport"), _g("inSection"), _g("position")

    # Reports, then sections and sentences, each ordered by report then position.
    report_iris = sorted(set(types.get(_g("Report"), ())),
                         key=lambda r: (g.text(r, year), g.text(r, title_p), value_of(r)))
    report_index = {r: n for n, r in enumerate(report_iris)}
    reports = [{"title": g.text(r, title_p) or g.text(r, label) or value_of(r),
                "year": _int(g.value(r, year))} for r in report_iris]

    def position(node: Term) -> tuple[int, int, str]:
        props = g.props(node)
        return (report_index.get(_first(props, in_report), len(report_iris)),  # type: ignore[arg-type]
                _int(_first(props, position_p)) or 0, value_of(node))

    section_iris = sorted(set(types.get(_g("Section"), ())), key=position)
    section_index = {s: n for n, s in enumerate(section_iris)}
    sections = [_section_path(g, s) for s in section_iris]
    sentence_iris = sorted(set(types.get(_g("Sentence"), ())), key=position)
    sentence_index = {s: n for n, s in enumerate(sentence_iris)}
    text_p = _g("text")
    sentences = [[_text(_first(props, text_p)), section_index.get(_first(props, in_section), -1),  # type: ignore[arg-type]
                  report_index.get(_first(props, in_report), -1)]  # type: ignore[arg-type]
                 for props in map(g.props, sentence_iris)]

    start, end = _g("startYear"), _g("endYear")
    period_iris = sorted(set(types.get(_g("Period"), ())) | set(g.by_object(_g("period"))),
                         key=lambda p: (_int(g.value(p, start)) or 0, _int(g.value(p, end)) or 0, value_of(p)))
    period_index = {p: n for n, p in enumerate(period_iris)}
    periods = [_period(g, p) for p in period_iris]

    # The shown nodes and their main type.
    main_type: dict[Term, str] = {}
    for t in NODE_TYPES:
        for node in types.get(_g(t.key), ()):
            if node[0] != '"' and (  # an IRI or a blank node, no literal
                    node not in main_type or TYPE_RANK[t.key] < TYPE_RANK[main_type[node]]):
                main_type[node] = t.key
    labels = {n: g.text(n, label) or _local(n) for n in main_type}
    indicator, period = _g("indicator"), _g("period")

    def node_order(n: Term) -> tuple[int, str, str, str]:
        t = main_type[n]
        if t in OBSERVATION_TYPES:  # by indicator, then period, then text
            props = g.props(n)
            return (TYPE_RANK[t], labels.get(_first(props, indicator), ""),  # type: ignore[arg-type]
                    f"{period_index.get(_first(props, period), -1):06d}", value_of(n))  # type: ignore[arg-type]
        return (TYPE_RANK[t], labels[n], "", value_of(n))

    order = sorted(main_type, key=node_order)
    index = {n: i for i, n in enumerate(order)}
    local: _LocalNames = _Memo(_local)
    statements = _statements(g, sentence_index)
    edges = _edges(g, index, statements, local)
    stage_p = _g("stage")
    stage_statements: dict[Term | None, list[_Statement]] = defaultdict(list)
    for st in statements:
        if st[1] == stage_p:
            stage_statements[st[0]].append(st)
    degree = [0] * len(order)
    for e in edges:
        degree[e[0]] += 1
        degree[e[1]] += 1

    nodes = []
    a, evidence, alt_label = _A, _g("evidence"), _ALT_LABEL
    mentioned_in, reported_in = _g("mentionedIn"), _g("reportedIn")
    subtypes_of = _Memo(functools.partial(_subtypes, local))
    sentence_report = [row[2] for row in sentences]
    obs_props = [_g(k) for k in _OBSERVATION_PROPS]
    for i, n in enumerate(order):
        t = main_type[n]
        props = g.props(n)
        item: dict[str, Any] = {"id": i, "iri": value_of(n), "type": t, "label": labels[n]}
        item["subtypes"] = list(subtypes_of[tuple(props.get(a, ()))])
        aliases = props.get(alt_label)
        item["aliases"] = sorted({value_of(x) for x in aliases} - {labels[n]}) if aliases else []
        item["degree"] = degree[i]
        item["evidence"] = ev = _indices(props.get(evidence, ()), sentence_index)
        # the reports that name the node, and those its evidence sentences come from
        reports_of = {report_index.get(x, -1) for p in (mentioned_in, reported_in) for x in props.get(p, ())}
        reports_of.update([sentence_report[s] for s in ev])
        reports_of.discard(-1)
        item["reports"] = sorted(reports_of)
        if t in OBSERVATION_TYPES:
            _observation(props, item, index, period_index, local, obs_props)
        if t == "Project":
            item["stages"] = _stages(g, n, stage_statements.get(n, []), local)
        nodes.append(item)

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
    for subtypes in subtypes_of.values():
        used_terms.update(subtypes)
    for item in nodes:
        used_terms.update(s[0] for s in item.get("stages", ()))
        if item.get("measure"):
            used_terms.add(item["measure"])
    used_terms.update(rel_counts)
    terms = {t: term_labels.get(t, ["", t]) for t in sorted(used_terms)}
    if title is None:
        title = reports[0]["title"] if len(reports) == 1 else f"{len(reports)} reports" if reports else "govkg"
    return ViewData(title, types, relations, terms, reports, sections, sentences, periods, nodes, edges)


# A reified statement: subject, predicate, object, year, evidence sentences.
_Statement = tuple[Term | None, Term | None, Term | None, Term | None, list[int]]


def _statements(g: TripleIndex, sentence_index: dict[Term, int]) -> list[_Statement]:
    """Return the graph's rdf:Statements, which carry the evidence (and year) of a relation."""
    subject, predicate, object_, year, evidence = f"<{RDF}subject>", f"<{RDF}predicate>", f"<{RDF}object>", \
        _g("year"), _g("evidence")
    return [(_first(props, subject), _first(props, predicate), _first(props, object_), _first(props, year),
             [i for e in props.get(evidence, ()) if (i := sentence_index.get(e)) is not None])
            for props in map(g.props, g.subjects(_A, f"<{RDF}Statement>"))]


def _edges(g: TripleIndex, index: dict[Term, int], statements: list[_Statement],
           local: _LocalNames) -> list[list[Any]]:
    """Return every gkg property linking two shown nodes, with the evidence of its statements."""
    statement_evidence: dict[tuple[Term | None, ...], list[int]] = defaultdict(list)
    for s, p, o, _, ev in statements:
        statement_evidence[s, p, o] += ev
    relation = _Memo(functools.partial(_relation, local))
    found: dict[tuple[int, int, str], list[int]] = {}
    for s, i in index.items():
        for p, objects in g.props(s).items():
            rel = relation[p]
            if rel is None:
                continue
            for o in objects:
                j = index.get(o)
                if j is not None and j != i:
                    ev = statement_evidence.get((s, p, o))
                    found[i, j, rel] = _sorted_unique(ev) if ev else []
    return [[i, j, rel, ev] for (i, j, rel), ev in sorted(found.items())]


def _int(value: Term | None) -> int | None:
    try:
        return int(value_of(value)) if value is not None else None
    except ValueError:
        return None


def _section_path(g: TripleIndex, section: Term) -> str:
    """Return a section's label after its parents' ("2026年重点工作 › （一）…")."""
    parts, seen = [], set()
    label, parent = _LABEL, _g("parentSection")
    node: Term | None = section
    while node is not None and node not in seen:
        seen.add(node)
        parts.append(g.text(node, label))
        node = g.value(node, parent)
    return " › ".join(p for p in reversed(parts) if p)


def _period(g: TripleIndex, period: Term) -> dict[str, Any]:
    start, end = _int(g.value(period, _g("startYear"))), _int(g.value(period, _g("endYear")))
    if start is not None and end is not None and start != end:
        label = f"{start}–{end}"
    elif start is not None or end is not None:
        label = str(start if start is not None else end)
    else:
        label = g.text(period, _LABEL) or _local(period)
    return {"label": label, "start": start, "end": end}


# What an observation's node reads (looked up once a view: kg.rdf.vocab.gkg checks each name).
_OBSERVATION_PROPS = ("value", "minValue", "maxValue", "unit", "indicator", "subject", "period", "measure",
                      "qualifier", "commitment", "description", "met")


def _observation(props: dict[Term, list[Term]], item: dict[str, Any], index: dict[Term, int],
                 period_index: dict[Term, int], local: _LocalNames, terms: list[Term]) -> None:
    """Add an observation's numbers to its node: indicator, value text, unit, period and the rest.

    `terms` are the terms of _OBSERVATION_PROPS, in that order.
    """
    value, minimum, maximum, unit, ind, subject, period, measure, qualifier, commitment, description, met = \
        [objects[0] if (objects := props.get(t)) else None for t in terms]
    item["name"] = item["label"]  # the full label ("地区生产总值 5.5—6%（2026目标）"); the canvas shows less
    item["value"] = value_text(_number(value), _number(minimum), _number(maximum))
    item["unit"] = unit = _text(unit)
    item["indicator"] = index.get(ind, -1)  # type: ignore[arg-type]
    item["subject"] = index.get(subject, -1)  # type: ignore[arg-type]
    item["period"] = period_index.get(period, -1)  # type: ignore[arg-type]
    item["measure"] = local[measure] if measure is not None else ""
    item["qualifier"], item["commitment"], item["description"] = _text(qualifier), _text(commitment), _text(description)
    if met is not None:
        item["met"] = value_of(met).lower() in ("true", "1")
    short = f"{item['value']}{unit}" if item["value"] else (item["description"] or item["label"])
    item["label"] = short if len(short) <= 14 else short[:13] + "…"


def _stages(g: TripleIndex, n: Term, statements: list[_Statement], local: _LocalNames) -> list[list[Any]]:
    """Return a project's stages as [stage, year or None, evidence sentence or -1], by year.

    `statements` are the project's gkg:stage statements.
    """
    found: dict[tuple[str, int | None], int] = {}
    for _, _, o, year, ev in statements:
        key = (local[o] if o is not None else "", _int(year))
        found[key] = min([*ev, found.get(key, 1 << 30)])
    for stage in g.objects(n, _g("stage")):
        if not any(k[0] == local[stage] for k in found):
            found[(local[stage], None)] = -1
    return [[s, y, -1 if e == 1 << 30 else e] for (s, y), e in
            sorted(found.items(), key=lambda kv: (kv[0][1] or 0, kv[0][0]))]
