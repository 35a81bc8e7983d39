"""Tests for the HTML view without a browser: what the page holds, and what it must not."""
from __future__ import annotations

import base64
import hashlib
import json
import random
import re
from html.parser import HTMLParser
from pathlib import Path

import pyoxigraph as ox
import pytest
import rdflib
from rdflib.namespace import DCTERMS, RDF, RDFS, SKOS, XSD

import kg.api
from kg.errors import OutputError
from kg.views.html import label_width, render_html, script_json, vis_css, view_data, write_html
from kg.views.layout import _force, _forces, layout_positions
from kg.views.viewdata import NODE_TYPES, build_view_data, value_text

GKG = rdflib.Namespace("https://w3id.org/govkg/ontology#")
EX = rdflib.Namespace("https://example.org/")
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"
VIEW_JS = Path(__file__).resolve().parent.parent / "kg" / "views" / "view.js"


class _Tags(HTMLParser):
    """Collect the start tags of a page with their attributes, and the text of its scripts."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.tags: list[tuple[str, dict[str, str | None]]] = []
        self.scripts: list[str] = []
        self._in_script = False

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))
        self._in_script = tag == "script"
        if self._in_script:
            self.scripts.append("")

    def handle_endtag(self, tag: str) -> None:
        self._in_script = False

    def handle_data(self, data: str) -> None:
        if self._in_script:
            self.scripts[-1] += data


def _parse(page: str) -> _Tags:
    parser = _Tags()
    parser.feed(page)
    return parser


def hostile_graph() -> rdflib.Graph:
    """A small govkg graph whose every text field holds markup that must never run."""
    g = rdflib.Graph()
    report, section, sentence = EX.report, EX.section, EX.sentence
    g.add((report, RDF.type, GKG.Report))
    g.add((report, DCTERMS.title, rdflib.Literal(f"报告{SCRIPT}", lang="zh")))
    g.add((report, GKG.year, rdflib.Literal(2026, datatype=XSD.integer)))
    g.add((section, RDF.type, GKG.Section))
    g.add((section, RDFS.label, rdflib.Literal(f"一、{IMG}", lang="zh")))
    g.add((section, GKG.inReport, report))
    g.add((sentence, RDF.type, GKG.Sentence))
    g.add((sentence, GKG.text, rdflib.Literal(f"建设{SCRIPT}产业园和{IMG}研究院。</script><b>x</b>", lang="zh")))
    g.add((sentence, GKG.inSection, section))
    g.add((sentence, GKG.inReport, report))
    for name, label, kind in (("park", SCRIPT + "产业园", GKG.Project), ("lab", IMG + "研究院", GKG.Institution)):
        g.add((EX[name], RDF.type, kind))
        g.add((EX[name], RDFS.label, rdflib.Literal(label, lang="zh")))
        g.add((EX[name], SKOS.altLabel, rdflib.Literal(f"别名{IMG}", lang="zh")))
        g.add((EX[name], GKG.evidence, sentence))
        g.add((EX[name], GKG.mentionedIn, report))
    g.add((EX.lab, GKG.locatedIn, EX.park))
    g.add((EX.ind, RDF.type, GKG.Indicator))
    g.add((EX.ind, RDFS.label, rdflib.Literal(f"产值{SCRIPT}", lang="zh")))
    g.add((EX.period, RDF.type, GKG.Period))
    g.add((EX.period, GKG.startYear, rdflib.Literal(2025, datatype=XSD.integer)))
    g.add((EX.period, GKG.endYear, rdflib.Literal(2025, datatype=XSD.integer)))
    g.add((EX.obs, RDF.type, GKG.Result))
    g.add((EX.obs, RDFS.label, rdflib.Literal(f"产值 12{IMG}", lang="zh")))
    g.add((EX.obs, GKG.indicator, EX.ind))
    g.add((EX.obs, GKG.value, rdflib.Literal("12", datatype=XSD.decimal)))
    g.add((EX.obs, GKG.unit, rdflib.Literal(IMG)))
    g.add((EX.obs, GKG.qualifier, rdflib.Literal(SCRIPT)))
    g.add((EX.obs, GKG.period, EX.period))
    g.add((EX.obs, GKG.subject, EX.park))
    g.add((EX.obs, GKG.evidence, sentence))
    return g


@pytest.fixture(scope="module")
def sample_page(sample_graph: rdflib.Graph) -> str:
    return render_html(sample_graph)


# --- self-contained -----------------------------------------------------------------------------

def test_page_references_nothing_outside(sample_page: str) -> None:
    """No tag loads anything (src, href, data, srcset, action) and the CSS imports nothing."""
    parsed = _parse(sample_page)
    loading = [(tag, a) for tag, attrs in parsed.tags for a in attrs
               if a in ("src", "href", "srcset", "data", "action", "poster", "background")]
    assert loading == []
    assert "@import" not in sample_page
    urls = re.findall(r"url\(\s*['\"]?([^'\")]*)", "".join(re.findall(r"<style>(.*?)</style>", sample_page, re.S)))
    assert all(u.startswith("data:") for u in urls), [u for u in urls if not u.startswith("data:")]
    assert "bootstrap" not in sample_page.lower() and "sourceMappingURL" not in sample_page


def test_page_inlines_vis_network_and_our_script(sample_page: str) -> None:
    """The page carries vis-network, our view script and the graph data: three scripts, no more."""
    parsed = _parse(sample_page)
    scripts = [attrs for tag, attrs in parsed.tags if tag == "script"]
    assert scripts == [{"type": "application/json", "id": "graph-data"}, {}, {}]
    assert "vis.Network" not in parsed.scripts[1] and "Network" in parsed.scripts[1]
    assert "window.__kgView" in parsed.scripts[2]
    assert '<html lang="zh-CN">' in sample_page and '<meta charset="utf-8">' in sample_page


def test_csp_allows_exactly_the_page_scripts(sample_page: str) -> None:
    """The Content-Security-Policy names the hash of each executable script and allows no fetch."""
    parsed = _parse(sample_page)
    csp = next(a["content"] for t, a in parsed.tags if t == "meta" and a.get("http-equiv") == "Content-Security-Policy")
    assert csp is not None and "default-src 'none'" in csp and "unsafe-eval" not in csp
    allowed = set(re.findall(r"'sha256-([^']+)'", csp))
    hashes = {base64.b64encode(hashlib.sha256(s.encode("utf-8")).digest()).decode() for s in parsed.scripts[1:]}
    assert allowed == hashes


def test_font_stack_covers_windows_macos_linux(sample_page: str) -> None:
    for family in ("PingFang SC", "Microsoft YaHei", "Noto Sans CJK SC", "Source Han Sans SC", "WenQuanYi Micro Hei"):
        assert family in sample_page


def test_vis_css_keeps_what_the_view_uses() -> None:
    """The trimmed vis-network style sheet keeps the tooltip and drops the unused toolbars."""
    css = vis_css()
    assert "div.vis-tooltip" in css
    assert "vis-manipulation" not in css and "vis-navigation" not in css
    assert len(css) < 20_000


def test_write_html_writes_utf8(tmp_path: Path, sample_graph: rdflib.Graph) -> None:
    path = tmp_path / "out" / "view.html"
    write_html(path, sample_graph, "衢州")
    text = path.read_text(encoding="utf-8")
    assert "<title>衢州</title>" in text


# --- escaping -----------------------------------------------------------------------------------

def test_script_json_cannot_close_its_element() -> None:
    text = script_json({"a": "</script><!-- & \u2028"})
    assert "<" not in text and ">" not in text and "&" not in text and "\u2028" not in text
    assert json.loads(text) == {"a": "</script><!-- & \u2028"}


def test_hostile_text_stays_data() -> None:
    """Markup in labels, aliases, sentences, sections, titles and units never becomes a tag."""
    page = render_html(hostile_graph())
    parsed = _parse(page)
    assert [t for t, _ in parsed.tags if t in ("img", "b", "iframe", "object")] == []
    assert len([t for t, _ in parsed.tags if t == "script"]) == 3
    assert page.count("</script>") == 3
    assert SCRIPT not in page and IMG not in page
    assert f"<title>报告&lt;script&gt;alert(1)&lt;/script&gt;</title>" in page
    data = json.loads(parsed.scripts[0])
    assert data["title"] == f"报告{SCRIPT}"
    assert {n["label"] for n in data["nodes"]} >= {SCRIPT + "产业园", IMG + "研究院"}
    assert data["sentences"][0][0].endswith("</script><b>x</b>")


def test_view_script_never_writes_html() -> None:
    """view.js builds the page with textContent and DOM calls: no HTML sinks, no eval."""
    js = VIEW_JS.read_text(encoding="utf-8")
    for sink in ("innerHTML", "outerHTML", "insertAdjacentHTML", "document.write", "eval(", "new Function",
                 "setAttribute(\"on", "srcdoc"):
        assert sink not in js, sink


# --- the view's content ---------------------------------------------------------------------------

def test_render_is_deterministic(sample_graph: rdflib.Graph) -> None:
    """Two renders of the same graph are byte-identical, whatever the order of its triples."""
    shuffled = rdflib.Graph()
    for t in sorted(sample_graph, key=lambda t: str(t[2]), reverse=True):
        shuffled.add(t)
    assert render_html(sample_graph) == render_html(sample_graph) == render_html(shuffled)


def test_triples_and_rdflib_graph_give_the_same_page(sample_build: kg.api.Built) -> None:
    """kg build passes pyoxigraph triples as they are; an rdflib.Graph of them gives the same bytes."""
    assert render_html(sample_build.triples) == render_html(kg.api.triples_to_rdflib(sample_build.triples))


def test_report_graph_and_triples_give_the_same_page(sample_build: kg.api.Built) -> None:
    """kg build passes the build's own terms (Built.graph); its triples give the same bytes."""
    assert render_html(sample_build.graph) == render_html(sample_build.triples)


def test_view_reads_literals_as_pyoxigraph_does() -> None:
    """Escaped characters in literals come back as they were, \u2028 (which splitlines splits) too."""
    text = '说"好"\\ \n\t\r\b\f\x01\x7f\u2028\u2029\x85 end .'
    report = "https://example.org/r"
    triples = [ox.Triple(ox.NamedNode(report), ox.NamedNode(f"{RDF}type"), ox.NamedNode(f"{GKG}Report")),
               ox.Triple(ox.NamedNode(report), ox.NamedNode(str(DCTERMS.title)), ox.Literal(text, language="zh"))]
    assert build_view_data(triples).reports[0]["title"] == text


def test_iri_pyoxigraph_refuses_is_an_output_error() -> None:
    g = rdflib.Graph()
    g.add((rdflib.URIRef("https://example.org/a b"), RDF.type, GKG.Project))
    with pytest.raises(OutputError, match="cannot show"):
        render_html(g)


def test_legend_counts_every_shown_type(sample_graph: rdflib.Graph) -> None:
    """The legend lists each type present with its count; counts add up to the nodes."""
    view = build_view_data(sample_graph)
    counts = {t["key"]: t["count"] for t in view.types}
    assert sum(counts.values()) == len(view.nodes)
    assert [t["key"] for t in view.types] == [t.key for t in NODE_TYPES if t.key in counts]
    for key in ("Result", "Target", "Indicator", "Project"):
        instances = set(sample_graph.subjects(RDF.type, GKG[key]))
        assert counts[key] == len(instances), key
    entities = {s for t in NODE_TYPES[:7] for s in sample_graph.subjects(RDF.type, GKG[t.key])}
    assert sum(counts.get(t.key, 0) for t in NODE_TYPES[:7]) == len(entities)


def test_observation_carries_its_numbers(sample_graph: rdflib.Graph) -> None:
    """The 2026 GDP target: range, unit, period, kind, indicator and evidence sentence."""
    view = build_view_data(sample_graph)
    gdp = [n for n in view.nodes if n["type"] == "Target" and n["indicator"] >= 0
           and view.nodes[n["indicator"]]["label"] == "地区生产总值"]
    assert len(gdp) == 1
    target = gdp[0]
    assert (target["value"], target["unit"], view.periods[target["period"]]["label"]) == ("5.5–6", "%", "2026")
    assert target["label"] == "5.5–6%"
    text, section, report = view.sentences[target["evidence"][0]]
    assert "5.5" in text and section >= 0 and view.reports[report]["year"] == 2026


def test_entity_carries_evidence_relations_and_stages(sample_graph: rdflib.Graph) -> None:
    view = build_view_data(sample_graph)
    by_label = {n["label"]: n for n in view.nodes}
    rail = by_label["杭衢高铁"]
    assert rail["type"] == "Project" and rail["stages"][0][:2] == ["Completed", 2025]
    assert any("杭衢高铁" in view.sentences[s][0] for s in rail["evidence"])
    chain = by_label["新材料产业链"]
    rels = [(view.nodes[e[1]]["label"], e[2]) for e in view.edges if e[0] == chain["id"]]
    assert ("六大标志性产业链", "partOf") in rels
    assert "IndustryChain" in chain["subtypes"] and view.terms["IndustryChain"][0] == "产业链"
    assert view.sections[view.sentences[chain["evidence"][0]][1]].startswith("2025年")


@pytest.mark.parametrize(("args", "text"), [
    (("5.5", "", ""), "5.5"), (("", "5.5", "6"), "5.5–6"), (("", "3", ""), "≥3"), (("", "", "5"), "≤5"),
    (("", "", ""), ""),
])
def test_value_text(args: tuple[str, str, str], text: str) -> None:
    assert value_text(*args) == text


def test_empty_graph_renders() -> None:
    page = render_html(rdflib.Graph(), "空")
    data = json.loads(_parse(page).scripts[0])
    assert data["nodes"] == [] and data["title"] == "空"


# --- layout -------------------------------------------------------------------------------------

def test_layout_is_deterministic_and_places_every_node_apart(sample_graph: rdflib.Graph) -> None:
    view = view_data(sample_graph)
    positions = [(n["x"], n["y"]) for n in view.nodes]
    assert len(set(positions)) == len(positions)
    assert positions == [(n["x"], n["y"]) for n in view_data(sample_graph).nodes]


@pytest.mark.parametrize("seed", range(6))
def test_small_force_layouts_run_together_exactly_as_alone(seed: int) -> None:
    """Small components share one numpy run; each gets the very floats of a run of its own."""
    rnd = random.Random(seed)
    neighbours: list[set[int]] = [set() for _ in range(400)]
    sets, start = [], 0
    for _ in range(rnd.randint(2, 12)):
        n = rnd.randint(1, 45)
        for v in range(start + 1, start + n):  # a random tree, plus a few chords
            for w in (rnd.randrange(start, v), rnd.randrange(start, v)):
                neighbours[v].add(w)
                neighbours[w].add(v)
        sets.append((list(range(start, start + n)), {v: rnd.choice([0.0, 95.0, 212.5]) for v in range(start, start + n)}))
        start += n
    assert _forces(sets, neighbours) == [_force([s], neighbours)[0] if len(s[0]) > 1 else {s[0][0]: (0.0, 0.0)}
                                         for s in sets]


def test_layout_keeps_pairs_labels_apart() -> None:
    """Two nodes joined by one edge sit side by side, far enough for both labels."""
    pos = layout_positions(2, [(0, 1)], [0, 0], [200.0, 100.0])
    assert pos[0][1] == pos[1][1] and abs(pos[1][0] - pos[0][0]) >= 150


def test_layout_of_3000_nodes_is_quick() -> None:
    """The layout of a 3,000-node graph (one big component, hubs) takes seconds, not minutes."""
    import time

    from synthetic import synthetic_graph

    view = build_view_data(synthetic_graph(3000))
    start = time.perf_counter()
    pos = layout_positions(len(view.nodes), [(e[0], e[1]) for e in view.edges], [0] * len(view.nodes))
    assert len(pos) == 3000 and time.perf_counter() - start < 20


def test_label_width_counts_cjk_as_one_em() -> None:
    assert label_width("产业链", 10) == 30 and label_width("ab", 10) == pytest.approx(11)
    assert label_width("一" * 40, 10) == 120  # the canvas shows 12 characters
