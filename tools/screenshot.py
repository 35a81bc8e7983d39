"""Build the bundled sample and save a screenshot of its HTML view (for README: docs/sample-view.png).

    python tools/screenshot.py [--out docs/sample-view.png] [--search 产业链] [--open 新材料产业链]

Needs playwright-python and Debian's chromium (`apt-get install chromium fonts-noto-cjk`); the
page is opened from file:// with every network request refused, as the browser tests do.
"""
from __future__ import annotations

import argparse
import sys
import tempfile
from pathlib import Path

CHROMIUM = "/usr/bin/chromium"
ARGS = ["--no-sandbox", "--headless=new", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--disable-sync", "--no-first-run"]


def build_sample(path: Path) -> Path:
    """Build the bundled sample report into an HTML file at `path`."""
    import kg.api
    from kg.views.html import write_html

    sample = Path(__file__).resolve().parent.parent / "kg" / "data" / "quzhou_2026_highlights.txt"
    built = kg.api.build_report(sample)
    write_html(path, kg.api.triples_to_rdflib(built.triples), built.extraction.info.title)
    return path


def wait_until(page, expression: str, timeout_ms: int = 10_000) -> None:  # type: ignore[no-untyped-def]
    """Poll a JS expression with page.evaluate (the page's CSP forbids the eval that wait_for_function uses)."""
    for _ in range(timeout_ms // 50):
        if page.evaluate(expression):
            return
        page.wait_for_timeout(50)
    raise TimeoutError(f"still false after {timeout_ms} ms: {expression}")


def wait_still(page, timeout_ms: int = 10_000) -> None:  # type: ignore[no-untyped-def]
    """Wait until the view stops moving (an animated focus or fit has ended)."""
    view = "(n => [n.getScale(), n.getViewPosition().x, n.getViewPosition().y])(window.__kgView.network)"
    last = None
    for _ in range(timeout_ms // 150):
        page.wait_for_timeout(150)
        now = page.evaluate(view)
        if now == last:
            return
        last = now
    raise TimeoutError("the view kept moving")


def screenshot(html: Path, out: Path, search: str = "", open_label: str = "", scale: float = 0.8,
               size: tuple[int, int] = (1440, 900)) -> int:
    """Open `html` in headless Chromium, optionally search and open a node, save a PNG; return ready ms."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        page = browser.new_page(viewport={"width": size[0], "height": size[1]}, device_scale_factor=1)
        page.route("**/*", lambda route: route.continue_() if route.request.url.startswith("file://") else route.abort())
        page.goto(html.resolve().as_uri())
        page.wait_for_selector("body[data-ready]", timeout=60_000)
        ready = int(page.evaluate("window.__kgReady"))
        if search:
            page.fill("#search", search)
            wait_until(page, "window.__kgView.highlighted().length > 0")
        if open_label:
            node = page.evaluate("label => window.__kgView.nodeId(label)", open_label)
            if node < 0:
                raise SystemExit(f"no node labelled {open_label!r}")
            page.evaluate("id => window.__kgView.network.selectNodes([id])", node)
            page.locator("#search").blur()
            wait_still(page)  # the focus animation of the search
            pos = page.evaluate("id => window.__kgView.domPosition(id)", node)
            page.mouse.click(pos["x"], pos["y"])
            page.wait_for_selector("#panel:not([hidden])")
            page.wait_for_timeout(600)
            # step back a little from the node, keeping it in the part the panel leaves free
            page.evaluate("""([id, scale]) => {
                const net = window.__kgView.network, panel = document.getElementById("panel").offsetWidth;
                net.moveTo({position: net.getPosition(id), scale: scale, offset: {x: -panel / 2, y: 0}});
            }""", [node, scale])
        page.mouse.move(size[0] * 0.25, size[1] - 8)  # rest the mouse on empty canvas: no tooltip
        page.wait_for_timeout(400)
        out.parent.mkdir(parents=True, exist_ok=True)
        page.screenshot(path=str(out))
        browser.close()
    return ready


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--out", type=Path, default=Path("docs/sample-view.png"))
    parser.add_argument("--html", type=Path, help="Screenshot this page instead of building the sample.")
    parser.add_argument("--search", default="产业链", help="Text typed into the search box first.")
    parser.add_argument("--open", dest="open_label", default="新材料产业链", help="Label of the node to open.")
    parser.add_argument("--scale", type=float, default=0.8, help="Zoom around the opened node.")
    args = parser.parse_args(argv)
    with tempfile.TemporaryDirectory() as tmp:
        html = args.html or build_sample(Path(tmp) / "sample.html")
        ready = screenshot(html, args.out, args.search, args.open_label, args.scale)
        print(f"{args.out}  (page ready in {ready} ms, {html.stat().st_size:,} bytes of HTML)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
