"""Build the RDF graph of one report from its extraction, with provenance on every fact.

The graph is a sorted list of pyoxigraph triples: sorting makes two builds of the same
input byte-identical when serialised, and pyoxigraph writes Turtle 30–70× faster than rdflib.

Triples are gathered as strings (IRIs and N-Triples terms) and become pyoxigraph objects once,
through its N-Triples parser: strings hash, dedupe and sort at C speed, and `Triple()` costs
≈ 4 µs when its object is a Literal, the parser ≈ 1.5 µs a triple. `build_report_graph` keeps
the strings (a ReportGraph): the corpus build takes its N-Triples document from it, and the
HTML view its terms, neither through pyoxigraph objects.
"""
from __future__ import annotations

import re
from collections.abc import Iterable, Iterator, Sequence
from decimal import Decimal
from functools import cache, cached_property

from pyoxigraph import NamedNode, Quad, RdfFormat, Triple, parse

from kg.extract.resolve import identity_key
from kg.model import Extraction, Observation, Period
from kg.rdf.iri import Minter
from kg.rdf.vocab import DCTERMS, DEFAULT_BASE, RDF, RDFS, SKOS, XSD, gkg, rdf
from kg.text import lexicon

_LEVEL_CLASS = {"province": "Province", "city": "City", "county": "County"}

# How pyoxigraph writes a literal's characters in N-Triples (str(Literal)); the sort order of
# objects is the order of those strings, so they must be the same to the character.
_ESCAPES = {
    **{chr(c): f"\\u{c:04X}" for c in (*range(0x20), 0x7F, 0xFFFE, 0xFFFF)},
    "\b": "\\b", "\t": "\\t", "\n": "\\n", "\f": "\\f", "\r": "\\r", '"': '\\"', "\\": "\\\\",
}
_TO_ESCAPE = re.compile("[" + "".join(f"\\u{ord(c):04x}" for c in _ESCAPES) + "]")


def decimal_text(d: Decimal) -> str:
    """Return a decimal's canonical xsd:decimal form: no exponent, no trailing zeros.

    >>> decimal_text(Decimal("5.50")), decimal_text(Decimal("1E+3")), decimal_text(Decimal("0.00"))
    ('5.5', '1000', '0')
    """
    return format(d.normalize(), "f")


def quoted(text: str) -> str:
    """Return text as a quoted N-Triples string, escaped as pyoxigraph escapes it.

    >>> print(quoted('说"好"\\n'))
    "说\\"好\\"\\n"
    """
    return '"' + _TO_ESCAPE.sub(lambda m: _ESCAPES[m.group()], text) + '"'


def _zh(text: str) -> str:
    return quoted(text) + "@zh"


def _int(n: int) -> str:
    return f'"{n}"^^<{XSD}integer>'


def _decimal(d: Decimal) -> str:
    return f'"{decimal_text(d)}"^^<{XSD}decimal>'


@cache
def _term(term: str) -> str:
    """Return an ontology term's IRI (vocab.gkg refuses a term the ontology does not declare)."""
    return gkg(term).value


def _node(iri: str) -> str:
    return f"<{iri}>"


_TYPE = RDF + "type"
_LABEL = RDFS + "label"
_ALT_LABEL = SKOS + "altLabel"


class _Graph:
    """The triples of one build, by subject: (predicate IRI, object in N-Triples) pairs."""

    def __init__(self) -> None:
        # rdf:type is kept as "" so that a subject's types sort first (the order of sort_triples);
        # sorting subjects, then each subject's few pairs, is a third cheaper than one sort of all rows
        self.rows: dict[str, set[tuple[str, str]]] = {}

    def add(self, s: str, p: str, o: str) -> None:
        """Add one triple; `o` is an N-Triples term (`<iri>` or a literal)."""
        row = ("" if p == _TYPE else p, o)
        pairs = self.rows.get(s)
        if pairs is None:
            self.rows[s] = {row}
        else:
            pairs.add(row)

    def typed(self, s: str, cls: str) -> None:
        """Say that `s` is an instance of the ontology class `cls`."""
        self.add(s, _TYPE, _node(_term(cls)))

    def graph(self) -> ReportGraph:
        """Return the triples, sorted and duplicate-free, as N-Triples terms by subject."""
        predicates = {"": f"<{_TYPE}>"}
        by_subject: dict[str, dict[str, list[str]]] = {}
        for s in sorted(self.rows):
            props: dict[str, list[str]] = {}
            for p, o in sorted(self.rows[s]):
                pred = predicates.get(p)
                if pred is None:
                    pred = predicates[p] = f"<{p}>"
                objects = props.get(pred)
                if objects is None:
                    props[pred] = [o]
                else:
                    objects.append(o)
            by_subject[f"<{s}>"] = props
        return ReportGraph(by_subject)


class ReportGraph:
    """A report's graph as the build made it: its N-Triples terms by subject, then predicate.

    Terms are N-Triples strings (`<iri>`, `"text"@zh`), subjects, then each subject's
    predicates and objects, in the order of sort_triples. The HTML view indexes them as they
    are (kg.views.viewdata): its index of pyoxigraph terms cost more than the rest of the view,
    and a lookup of a Python string reuses its hash. The dicts are shared: read, never change them.
    """

    def __init__(self, by_subject: dict[str, dict[str, list[str]]]) -> None:
        self.by_subject = by_subject

    @cached_property
    def ntriples(self) -> bytes:
        """The N-Triples document, byte for byte as pyoxigraph serialises `triples()`."""
        return "".join([f"{s} {p} {o} .\n" for s, props in self.by_subject.items()
                        for p, objects in props.items() for o in objects]).encode("utf-8")

    def __len__(self) -> int:
        return sum(len(objects) for props in self.by_subject.values() for objects in props.values())

    def __eq__(self, other: object) -> bool:
        return isinstance(other, ReportGraph) and self.by_subject == other.by_subject

    __hash__ = None  # type: ignore[assignment]  # equal by value, and mutable underneath

    def quads(self) -> Iterator[Quad]:
        """Return the triples as pyoxigraph parses them: quads of the default graph, in order.

        What its writers take; half the time of `triples()`, which makes each a Triple again.
        """
        # lenient: every IRI is the checked base (Minter made a NamedNode of it) plus ASCII
        # local names, or a vocabulary term, so checking them again only doubles the time
        return parse(self.ntriples, format=RdfFormat.N_TRIPLES, lenient=True)

    def triples(self) -> list[Triple]:
        """Return the triples as pyoxigraph terms."""
        return [q.triple for q in self.quads()]


def _obs_label(o: Observation) -> str:
    if o.value is not None:
        num = decimal_text(o.value)
    elif o.minimum is not None and o.maximum is not None:
        num = f"{decimal_text(o.minimum)}—{decimal_text(o.maximum)}"
    elif o.minimum is not None:
        num = f"≥{decimal_text(o.minimum)}"
    elif o.maximum is not None:
        num = f"≤{decimal_text(o.maximum)}"
    else:
        return f"{o.indicator}：{o.description}（{o.period}）"
    who = f"{o.subject}·" if o.subject else ""
    return f"{who}{o.indicator} {num}{o.unit}（{o.period}{'目标' if o.status == 'target' else ''}）"


def build_triples(x: Extraction, base: str = DEFAULT_BASE) -> list[Triple]:
    """Return the graph of one report as a sorted, duplicate-free list of triples."""
    return build_report_graph(x, base).triples()


def build_report_graph(x: Extraction, base: str = DEFAULT_BASE) -> ReportGraph:
    """Return the graph of one report as N-Triples terms, sorted and duplicate-free."""
    mint = Minter(base)
    g = _Graph()
    report_node = mint.report(x.text_hash)
    report = report_node.value
    _report(g, x, report, mint.entity(identity_key(x.info.region)).value)
    sentences = _structure(g, x, report_node, mint)
    entity_iri = _entities(g, x, report, sentences, mint)
    _observations(g, x, report, sentences, entity_iri, mint)
    _relations(g, x, report, sentences, entity_iri, mint)
    return g.graph()


def _report(g: _Graph, x: Extraction, report: str, region: str) -> None:
    info = x.info
    g.typed(report, "Report")
    g.add(report, DCTERMS + "title", _zh(info.title))
    g.add(report, _LABEL, _zh(info.title))
    g.add(report, _term("year"), _int(info.year))
    g.add(report, _term("kind"), quoted(info.kind))
    g.add(report, _term("sourceFile"), quoted(x.source))
    g.add(report, _term("region"), _node(region))


def _structure(g: _Graph, x: Extraction, report_node: NamedNode, mint: Minter) -> list[str]:
    """Add the sections and sentences; return the sentences' IRIs, by index."""
    report = report_node.value
    in_report, position = _term("inReport"), _term("position")
    sections = [mint.section(report_node, s.index).value for s in x.structure.sections]
    for s, iri in zip(x.structure.sections, sections):
        g.typed(iri, "Section")
        g.add(iri, _LABEL, _zh(s.title))
        g.add(iri, in_report, _node(report))
        g.add(iri, position, _int(s.index))
        if s.parent is not None:
            g.add(iri, _term("parentSection"), _node(sections[s.parent]))
    sentences = [mint.sentence(report_node, s.index).value for s in x.structure.sentences]
    for s, iri in zip(x.structure.sentences, sentences):
        g.typed(iri, "Sentence")
        g.add(iri, _term("text"), _zh(s.text))
        g.add(iri, in_report, _node(report))
        g.add(iri, position, _int(s.index))
        if s.section is not None:
            g.add(iri, _term("inSection"), _node(sections[s.section]))
    return sentences


def _entities(g: _Graph, x: Extraction, report: str, sentences: list[str], mint: Minter) -> dict[str, str]:
    """Add the entities; return their IRIs by label."""
    entity_iri: dict[str, str] = {}
    places = lexicon.place_names()
    mentioned, evidence = _term("mentionedIn"), _term("evidence")
    for e in x.entities:
        iri = mint.entity(identity_key(e.label)).value
        entity_iri[e.label] = iri
        g.typed(iri, e.type)
        if e.subtype:
            g.typed(iri, e.subtype)
        place = places.get(e.label) if e.type == "Place" else None
        if place and place.level in _LEVEL_CLASS:
            g.typed(iri, _LEVEL_CLASS[place.level])
        if place:
            g.add(iri, _term("adcode"), quoted(place.code))
        g.add(iri, _LABEL, _zh(e.label))
        for a in e.aliases:
            g.add(iri, _ALT_LABEL, _zh(a))
        g.add(iri, mentioned, _node(report))
        for i in e.sentences:
            g.add(iri, evidence, _node(sentences[i]))
    return entity_iri


def _observations(g: _Graph, x: Extraction, report: str, sentences: list[str], entity_iri: dict[str, str],
                  mint: Minter) -> None:
    indicators = lexicon.indicators()
    # an indicator and a period are described once, however many observations share them
    indicator_iri: dict[str, str] = {}
    period_iri: dict[Period, str] = {}
    obs_iri: list[str] = []
    for n, o in enumerate(x.observations):
        ind = indicator_iri.get(o.indicator)
        if ind is None:
            ind = indicator_iri[o.indicator] = _indicator(g, o.indicator, indicators.get(o.indicator), report, mint)
        if o.surface and o.surface != o.indicator:
            g.add(ind, _ALT_LABEL, _zh(o.surface))
        nums = (o.value, o.minimum, o.maximum)
        iri = mint.observation(x.text_hash, o.sentence, o.indicator, o.status, nums, o.unit, o.period, o.subject, n).value
        obs_iri.append(iri)
        g.typed(iri, "Target" if o.status == "target" else "Result")
        g.add(iri, _LABEL, _zh(_obs_label(o)))
        g.add(iri, _term("indicator"), _node(ind))
        for prop, v in (("value", o.value), ("minValue", o.minimum), ("maxValue", o.maximum)):
            if v is not None:
                g.add(iri, _term(prop), _decimal(v))
        if o.unit:
            g.add(iri, _term("unit"), quoted(o.unit))
        period = period_iri.get(o.period)
        if period is None:
            period = period_iri[o.period] = _period(g, o.period, mint)
        g.add(iri, _term("period"), _node(period))
        g.add(iri, _term("measure"), _node(_term(o.measure)))
        if o.subject and o.subject in entity_iri:
            g.add(iri, _term("subject"), _node(entity_iri[o.subject]))
        for prop, text in (("qualifier", o.qualifier), ("commitment", o.commitment), ("description", o.description)):
            if text:
                g.add(iri, _term(prop), _zh(text) if prop == "description" else quoted(text))
        g.add(iri, _term("evidence"), _node(sentences[o.sentence]))
        g.add(iri, _term("reportedIn"), _node(report))
    baseline = _term("baseline")
    for t, r in baseline_pairs(x.observations):
        g.add(obs_iri[t], baseline, _node(obs_iri[r]))


def baseline_pairs(observations: Sequence[Observation]) -> Iterator[tuple[int, int]]:
    """Pair each target with the results the same report states for the same thing in earlier years.

    The pairs are what "results against targets" asks for (GDP grew 5.2% in 2023; the 2024
    target is about 5%). Made here, from one report, they cost a lookup in a store of many
    reports instead of a join of every target with every result there. Same indicator,
    measure and subject; the units equal or one missing; the result has a value.
    """
    results: dict[tuple[str, str, str | None], list[int]] = {}
    for n, o in enumerate(observations):
        if o.status != "target" and o.value is not None:
            results.setdefault((o.indicator, o.measure, o.subject), []).append(n)
    for t, o in enumerate(observations):
        if o.status != "target":
            continue
        for r in results.get((o.indicator, o.measure, o.subject), ()):
            res = observations[r]
            if res.period.end < o.period.start and (not res.unit or not o.unit or res.unit == o.unit):
                yield t, r


def _indicator(g: _Graph, name: str, known: lexicon.Indicator | None, report: str, mint: Minter) -> str:
    """Add an indicator with its names; return its IRI."""
    ind = mint.indicator(name).value
    g.typed(ind, "Indicator")
    g.add(ind, _LABEL, _zh(name))
    for alias in known.aliases if known else ():
        if alias and alias != name:
            g.add(ind, _ALT_LABEL, _zh(alias))
    g.add(ind, _term("mentionedIn"), _node(report))
    return ind


def _period(g: _Graph, period: Period, mint: Minter) -> str:
    """Add a year or span of years; return its IRI."""
    iri = mint.period(period).value
    g.typed(iri, "Period")
    g.add(iri, _LABEL, quoted(str(period)))
    g.add(iri, _term("startYear"), _int(period.start))
    g.add(iri, _term("endYear"), _int(period.end))
    return iri


def _relations(g: _Graph, x: Extraction, report: str, sentences: list[str], entity_iri: dict[str, str],
               mint: Minter) -> None:
    """Add the relations and the stages of projects, each with its reified statement."""
    for r in x.relations:
        s, o = entity_iri.get(r.subject), entity_iri.get(r.object)
        if s is None or o is None or s == o:
            continue
        g.add(s, _term(r.predicate), _node(o))
        if r.sentence >= 0:
            st = mint.statement(x.text_hash, s, r.predicate, o, r.sentence).value
            _statement(g, st, s, _term(r.predicate), _node(o), sentences[r.sentence], report)
    for c in x.stages:
        s = entity_iri.get(c.project)
        if s is None:
            continue
        stage = _node(_term(c.stage))
        g.add(s, _term("stage"), stage)
        st = mint.statement(x.text_hash, s, "stage", c.stage, c.year, c.sentence).value
        _statement(g, st, s, _term("stage"), stage, sentences[c.sentence], report)
        g.add(st, _term("year"), _int(c.year))


def _statement(g: _Graph, st: str, s: str, p: str, o: str, sentence: str, report: str) -> None:
    """Reify one triple: say what it is and where the report states it."""
    g.add(st, _TYPE, _node(RDF + "Statement"))
    g.add(st, RDF + "subject", _node(s))
    g.add(st, RDF + "predicate", _node(p))
    g.add(st, RDF + "object", o)
    g.add(st, _term("evidence"), _node(sentence))
    g.add(st, _term("reportedIn"), _node(report))


def sort_triples(triples: Iterable[Triple]) -> list[Triple]:
    """Sort triples so that serialisations are stable: by subject, rdf:type first, then text."""
    type_iri = rdf("type")
    return sorted(triples, key=lambda t: (t.subject.value, t.predicate != type_iri, t.predicate.value, str(t.object)))
