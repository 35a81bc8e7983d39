"""The HTML view in a real browser: headless Chromium driven by playwright, network blocked.

Each page is opened from file:// with every other request refused and recorded. The tests skip
(with the reason) when playwright or Debian's chromium is missing; .ci/run installs both.
Timings go to `browser-timings.txt` in pytest's temporary folder and are printed (pytest -s).
"""
from __future__ import annotations

import os
import shutil
import time
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pytest
import rdflib

from kg.views.html import view_data, write_html

CHROMIUM = os.environ.get("KG_CHROMIUM", "/usr/bin/chromium")
ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]
VIEWPORT = {"width": 1440, "height": 900}
SCRIPT = "<script>alert(1)</script>"
IMG = "<img src=x onerror=alert(1)>"

sync_api = pytest.importorskip("playwright.sync_api", reason="playwright is not installed (pip install playwright)")
if not shutil.which(CHROMIUM):
    pytest.skip(f"no Chromium at {CHROMIUM} (apt-get install chromium fonts-noto-cjk)", allow_module_level=True)


@dataclass
class Opened:
    """A page opened from file:// with what it asked for and what it complained about."""

    page: Any
    url: str
    requests: list[str] = field(default_factory=list)
    refused: list[str] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    dialogs: list[str] = field(default_factory=list)

    def js(self, expression: str, arg: object = None) -> Any:
        return self.page.evaluate(expression, arg)

    def wait_until(self, expression: str, arg: object = None, timeout_ms: int = 10_000) -> None:
        """Poll an expression (the page's CSP forbids the eval behind page.wait_for_function)."""
        for _ in range(timeout_ms // 25):
            if self.js(expression, arg):
                return
            self.page.wait_for_timeout(25)
        raise AssertionError(f"still false after {timeout_ms} ms: {expression}")

    def wait_still(self) -> None:
        """Wait until an animated move of the view has ended."""
        view = "(n => [n.getScale(), n.getViewPosition().x, n.getViewPosition().y])(window.__kgView.network)"
        last = None
        for _ in range(100):
            self.page.wait_for_timeout(100)
            now = self.js(view)
            if now == last:
                return
            last = now


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    with sync_api.sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


@pytest.fixture()
def open_page(browser: Any) -> Iterator[Any]:
    pages = []

    def _open(path: Path, timeout_ms: int = 60_000) -> Opened:
        page = browser.new_page(viewport=VIEWPORT)
        pages.append(page)
        opened = Opened(page, path.resolve().as_uri())

        def route(r: Any) -> None:
            if r.request.url.startswith("file://"):
                r.continue_()
            else:
                opened.refused.append(r.request.url)
                r.abort()

        page.route("**/*", route)
        page.on("request", lambda r: opened.requests.append(r.url))
        page.on("console", lambda m: opened.errors.append(f"console.{m.type}: {m.text}")
                if m.type in ("error", "warning") else None)
        page.on("pageerror", lambda e: opened.errors.append(f"pageerror: {e}"))
        page.on("dialog", lambda d: (opened.dialogs.append(f"{d.type}: {d.message}"), d.dismiss()))
        page.goto(opened.url)
        page.wait_for_selector("body[data-ready]", timeout=timeout_ms)
        return opened

    yield _open
    for page in pages:
        page.close()


@pytest.fixture(scope="module")
def sample_html(sample_graph: rdflib.Graph, tmp_path_factory: pytest.TempPathFactory) -> Path:
    path = tmp_path_factory.mktemp("view") / "quzhou_2026_highlights.html"
    write_html(path, sample_graph)
    return path


@pytest.fixture(scope="module")
def sample_view(sample_graph: rdflib.Graph) -> Any:
    return view_data(sample_graph)


def record(tmp_path_factory: pytest.TempPathFactory, line: str) -> None:
    """Print a measurement and append it to browser-timings.txt in pytest's temp folder."""
    path = tmp_path_factory.getbasetemp() / "browser-timings.txt"
    with path.open("a", encoding="utf-8") as f:
        f.write(line + "\n")
    print(f"\n{line}  [{path}]")


def test_sample_opens_offline_without_errors(open_page: Any, sample_html: Path, sample_view: Any,
                                             tmp_path_factory: pytest.TempPathFactory) -> None:
    """The page asks for nothing but itself, logs no error, and draws every node at once."""
    page = open_page(sample_html)
    assert page.requests == [page.url] and page.refused == []
    assert page.errors == []
    ready = page.js("window.__kgReady")
    assert 0 < ready < 10_000
    assert page.js("window.__kgView.network.body.nodeIndices.length") == len(sample_view.nodes)
    assert page.js("window.__kgView.network.physics.physicsEnabled") is False  # laid out and still
    legend = page.page.locator("#legend li").all_inner_texts()
    assert [" ".join(t.split()) for t in legend] == [f"{t['key']} {t['zh']} {t['count']}" for t in sample_view.types]
    assert page.page.title() == sample_view.title
    record(tmp_path_factory, f"sample view: {len(sample_view.nodes)} nodes, {sample_html.stat().st_size:,} bytes, "
                             f"ready (drawn, laid out) in {ready} ms")


def test_chinese_labels_use_a_cjk_font(open_page: Any, sample_html: Path) -> None:
    """The Noto CJK font (fonts-noto-cjk) is what renders the Chinese of the page here."""
    page = open_page(sample_html)
    client = page.page.context.new_cdp_session(page.page)
    client.send("DOM.enable")
    client.send("CSS.enable")
    doc = client.send("DOM.getDocument")
    node = client.send("DOM.querySelector", {"nodeId": doc["root"]["nodeId"], "selector": "#title"})
    fonts = client.send("CSS.getPlatformFontsForNode", {"nodeId": node["nodeId"]})["fonts"]
    names = " ".join(f["familyName"] for f in fonts)
    assert "CJK" in names or "Han" in names or "WenQuanYi" in names, names


def test_search_highlights_and_focuses_the_first_match(open_page: Any, sample_html: Path) -> None:
    page = open_page(sample_html)
    target = page.js("l => window.__kgView.nodeId(l)", "新材料产业链")
    assert target >= 0
    page.page.locator("#search").press_sequentially("新材料", delay=30)
    page.wait_until("window.__kgView.highlighted().length > 0")
    assert page.js("window.__kgView.highlighted()")[0] == target
    assert page.js("window.__kgView.network.getSelectedNodes()") == [target]
    first = page.page.locator("#matches li").first
    assert first.get_attribute("data-id") == str(target)
    assert "新材料产业链" in first.inner_text()
    page.wait_still()
    centre = page.js("window.__kgView.network.getViewPosition()")
    at = page.js("id => window.__kgView.network.getPosition(id)", target)
    assert abs(centre["x"] - at["x"]) < 5 and abs(centre["y"] - at["y"]) < 5  # focused
    page.page.keyboard.press("Enter")
    page.page.wait_for_selector("#panel:not([hidden])")
    assert page.page.locator("#panel h2").inner_text() == "新材料产业链"
    page.page.fill("#search", "")
    page.wait_until("window.__kgView.highlighted().length === 0")
    assert page.errors == []


def test_aliases_are_searched(open_page: Any, sample_html: Path, sample_view: Any) -> None:
    node = next(n for n in sample_view.nodes if n["aliases"] and n["type"] not in ("Result", "Target"))
    page = open_page(sample_html)
    page.page.fill("#search", node["aliases"][0])
    page.wait_until("window.__kgView.highlighted().length > 0")
    assert node["id"] in page.js("window.__kgView.highlighted()")


def test_filters_change_the_nodes_drawn(open_page: Any, sample_html: Path, sample_view: Any) -> None:
    """Type, result/target, period and 'hide observations' filters, counted on the canvas."""
    page = open_page(sample_html)
    nodes = sample_view.nodes
    total = len(nodes)
    drawn = "window.__kgView.network.body.nodeIndices.length"
    count = {t["key"]: t["count"] for t in sample_view.types}

    def indicators_left(keep: Any) -> int:
        return sum(1 for n in nodes if n["type"] == "Indicator" and any(
            keep(m) for m in nodes if m["type"] in ("Result", "Target") and m["indicator"] == n["id"]))

    page.page.uncheck('#legend input[data-type="Project"]')
    assert page.js(drawn) == total - count["Project"]
    assert page.page.locator("#status").get_attribute("data-visible") == str(total - count["Project"])
    assert f"of {total} nodes" in page.page.locator("#status").inner_text()
    page.page.check('#legend input[data-type="Project"]')
    assert page.js(drawn) == total

    page.page.uncheck('#legend input[data-type="Result"]')
    expected = total - count["Result"] - count["Indicator"] + indicators_left(lambda m: m["type"] == "Target")
    assert page.js(drawn) == expected
    page.page.click("#types-all")
    assert page.js(drawn) == total

    page.page.click('input[name="kind"][value="Target"] + span')
    expected = total - count["Result"] - count["Indicator"] + indicators_left(lambda m: m["type"] == "Target")
    assert page.js(drawn) == expected
    page.page.click('input[name="kind"][value=""] + span')

    period = next(k for k, p in enumerate(sample_view.periods) if p["label"] == "2026")
    page.page.select_option("#period", str(period))
    obs = [n for n in nodes if n["type"] in ("Result", "Target")]
    keep = [n for n in obs if n["period"] == period]
    expected = total - len(obs) + len(keep) - count["Indicator"] + indicators_left(lambda m: m["period"] == period)
    assert page.js(drawn) == expected
    page.page.select_option("#period", "")

    page.page.check("#hide-obs")
    entities = sum(c for k, c in count.items() if k not in ("Result", "Target", "Indicator"))
    assert page.js(drawn) == entities
    page.page.uncheck("#hide-obs")
    assert page.js(drawn) == total
    assert page.errors == []


def test_clicking_a_node_shows_its_evidence(open_page: Any, sample_html: Path, sample_view: Any) -> None:
    """A real mouse click on a node opens the panel: type, numbers, relations, evidence, source."""
    node = next(n for n in sample_view.nodes if n["label"] == "新材料产业链")
    sentence, section, report = sample_view.sentences[node["evidence"][0]]
    page = open_page(sample_html)
    page.js("id => window.__kgView.network.focus(id, {scale: 1.2})", node["id"])
    at = page.js("id => window.__kgView.domPosition(id)", node["id"])
    page.page.mouse.click(at["x"], at["y"])
    panel = page.page.locator("#panel")
    panel.wait_for(state="visible")
    assert panel.get_attribute("data-id") == str(node["id"])
    text = panel.inner_text()
    assert "新材料产业链" in text and "Industry" in text
    assert sentence in text.replace("\n", "")
    assert sample_view.reports[report]["title"] in text and sample_view.sections[section] in text
    assert "1061" in panel.locator("table.numbers").inner_text()  # its output value, 2025
    assert "六大标志性产业链" in panel.locator("ul.rels").inner_text()
    assert panel.locator("mark").first.inner_text() == "新材料产业链"
    page.page.keyboard.press("Escape")
    panel.wait_for(state="hidden")


def test_physics_resumes_and_stops_by_itself(open_page: Any, sample_html: Path) -> None:
    page = open_page(sample_html)
    page.page.click("#physics")
    assert page.js("window.__kgView.network.physics.physicsEnabled") is True
    page.wait_until("!window.__kgView.network.physics.physicsEnabled", timeout_ms=30_000)
    assert page.page.locator("#physics").inner_text() == "Resume layout"


def test_hostile_report_runs_nothing(open_page: Any, tmp_path: Path) -> None:
    """A report holding <script> and <img onerror> shows them as text and opens no dialog."""
    import kg.api
    from test_html_view import hostile_graph

    report = tmp_path / "hostile.txt"
    report.write_text(f"2025年工作回顾\n建成{SCRIPT}产业园，{IMG}研究院挂牌运行。\n"
                      f"2026年重点工作\n全市生产总值增长5.5%左右。{SCRIPT}\n", encoding="utf-8")
    built = kg.api.build_report(report, year=2026, region="衢州市")
    graph = kg.api.triples_to_rdflib(built.triples) + hostile_graph()
    path = tmp_path / "hostile.html"
    write_html(path, graph, f"衢州{SCRIPT}{IMG}")
    page = open_page(path)
    assert page.js("document.title") == f"衢州{SCRIPT}{IMG}" == page.page.locator("#title").inner_text()
    assert SCRIPT in page.page.locator("#report").inner_text()  # two reports: the report filter shows

    node = page.js("l => window.__kgView.nodeId(l)", IMG + "研究院")
    assert node >= 0
    page.page.fill("#search", "onerror")
    page.wait_until("window.__kgView.highlighted().length > 0")
    assert IMG in page.page.locator("#matches").inner_text()
    page.page.keyboard.press("Enter")
    page.page.wait_for_selector("#panel:not([hidden])")
    page.wait_still()
    panel = page.page.locator("#panel")
    assert IMG in panel.inner_text() and SCRIPT in panel.inner_text()
    at = page.js("id => window.__kgView.domPosition(id)", node)
    page.page.mouse.move(at["x"] - 30, at["y"] - 30)
    page.page.mouse.move(at["x"], at["y"], steps=5)
    tooltip = page.page.locator("div.vis-tooltip")
    tooltip.wait_for(state="visible")  # vis-network's tooltip, given the title as plain text
    assert IMG in tooltip.inner_text()
    # innerText turns the title's line breaks into <br>: nothing else becomes an element
    assert set(tooltip.evaluate("t => [...t.querySelectorAll('*')].map(e => e.tagName)")) <= {"BR"}
    assert page.js("document.querySelectorAll('img, iframe, object').length") == 0
    assert page.js("document.querySelectorAll('script').length") == 3
    page.page.wait_for_timeout(300)
    assert page.dialogs == []
    assert page.refused == []  # <img src=x> would have asked for file or http
    assert page.errors == []


def test_3000_nodes_are_usable_within_10_seconds(open_page: Any, tmp_path: Path,
                                                 tmp_path_factory: pytest.TempPathFactory) -> None:
    """A 3,000-node graph: laid out at build time, drawn and still in headless Chromium in < 10 s."""
    from synthetic import synthetic_graph

    graph = synthetic_graph(3000)
    path = tmp_path / "big.html"
    start = time.perf_counter()
    write_html(path, graph)
    build_s = time.perf_counter() - start
    page = open_page(path)
    ready = page.js("window.__kgReady")
    assert page.js("window.__kgView.network.body.nodeIndices.length") == 3000
    assert ready < 10_000, f"ready after {ready} ms"
    start = time.perf_counter()
    page.page.uncheck('#legend input[data-type="Result"]')
    filter_ms = (time.perf_counter() - start) * 1000
    start = time.perf_counter()
    page.page.fill("#search", "产业链1")
    page.wait_until("window.__kgView.highlighted().length > 0")
    search_ms = (time.perf_counter() - start) * 1000
    assert page.errors == [] and page.refused == []
    record(tmp_path_factory, f"3,000-node view: {path.stat().st_size:,} bytes, built in {build_s:.1f} s, "
                             f"ready (drawn, laid out) in {ready} ms; type filter {filter_ms:.0f} ms, "
                             f"search {search_ms:.0f} ms")


def test_screenshot_of_the_sample(open_page: Any, sample_html: Path, tmp_path_factory: pytest.TempPathFactory) -> None:
    """Save what the sample looks like, with a search and the panel open (README shows a copy)."""
    page = open_page(sample_html)
    page.page.fill("#search", "产业链")
    page.wait_until("window.__kgView.highlighted().length > 0")
    node = page.js("l => window.__kgView.nodeId(l)", "新材料产业链")
    page.page.locator("#search").blur()
    page.wait_still()
    at = page.js("id => window.__kgView.domPosition(id)", node)
    page.page.mouse.click(at["x"], at["y"])
    page.page.wait_for_selector("#panel:not([hidden])")
    page.page.mouse.move(VIEWPORT["width"] * 0.25, VIEWPORT["height"] - 8)
    path = tmp_path_factory.getbasetemp() / "sample-view.png"
    page.page.screenshot(path=str(path))
    assert path.stat().st_size > 50_000
    record(tmp_path_factory, f"screenshot of the sample view: {path}")
