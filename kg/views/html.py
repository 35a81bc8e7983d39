"""Render a govkg graph as one self-contained HTML page: vis-network, our template, the data.

The page needs nothing from the network: vis-network's script and styles (from the pyvis
package, which ships them) and our own script and styles are inlined; the graph is JSON inside
a `<script type="application/json">` block with `<`, `>` and `&` escaped, so no report text can
close the block; the page's script builds every text with `textContent`. A Content-Security-
Policy allows only the page's own two scripts (by hash) and no connection of any kind.
"""
from __future__ import annotations

import base64
import functools
import hashlib
import html
import importlib.util
import json
import re
import unicodedata
from importlib import resources
from pathlib import Path

import orjson

from kg.errors import OutputError
from kg.rdf.export import write_atomic
from kg.views.layout import layout_positions
from kg.views.viewdata import TYPE_RANK, OBSERVATION_TYPES, Graph, ViewData, build_view_data

VIS_VERSION = "9.1.2"
# UI parts of vis-network the view does not use; their rules are most of vis-network.css's 220 kB.
_UNUSED_CSS = re.compile(r"vis-(?:manipulation|navigation|edit-mode|close|configuration|color-picker|button)")
_SLOT = re.compile(r"/\*@(\w+)@\*/")


def _vis_file(name: str) -> str:
    """Return a file of the vis-network build that pyvis ships (pyvis/templates/lib/vis-X.Y.Z/).

    The package is found without being imported: importing pyvis costs a second (IPython).
    """
    spec = importlib.util.find_spec("pyvis")
    if spec is None or not spec.submodule_search_locations:
        raise OutputError("the HTML view needs pyvis, which ships vis-network: pip install pyvis")
    lib = Path(list(spec.submodule_search_locations)[0]) / "templates" / "lib"
    found = sorted(lib.glob("vis-*/vis-network.min.js"), key=lambda p: (p.parent.name != f"vis-{VIS_VERSION}",
                   [-int(n) if n.isdigit() else 0 for n in p.parent.name[4:].split(".")]))
    if not found:
        raise OutputError(f"{lib}: no vis-network build in this pyvis; reinstall pyvis>=0.3.2")
    return (found[0].parent / name).read_text(encoding="utf-8")


def _own_file(name: str) -> str:
    return resources.files("kg.views").joinpath(name).read_text(encoding="utf-8")


def vis_css() -> str:
    """Return vis-network's style sheet without the rules of UI parts the view leaves off."""
    rules = re.findall(r"[^{}]+\{[^{}]*\}", _vis_file("vis-network.css"))
    return "".join(r for r in rules if not _UNUSED_CSS.search(r.split("{", 1)[0]))


def script_json(data: object) -> str:
    """Return JSON that is safe inside a <script> element: no `<`, `>` or `&` left to close it.

    >>> script_json({"t": "</script><b>&"})
    '{"t":"\\\\u003c/script\\\\u003e\\\\u003cb\\\\u003e\\\\u0026"}'
    """
    text = _compact_json(data)
    return (text.replace("<", "\\u003c").replace(">", "\\u003e").replace("&", "\\u0026")
            .replace("\u2028", "\\u2028").replace("\u2029", "\\u2029"))


def _compact_json(data: object) -> str:
    """Return JSON with no spaces and non-ASCII characters as they are, as json.dumps writes it.

    orjson writes the very same text three times as fast (it was a tenth of a report's
    view) for what a view holds: strings, integers, booleans, None, no floats (written
    differently). json.dumps takes what orjson refuses: an integer beyond 64 bits (a graph
    may say any year), a lone surrogate.

    >>> _compact_json({"年": [2026, None, True, "\\n"]})
    '{"年":[2026,null,true,"\\\\n"]}'
    """
    try:
        return orjson.dumps(data).decode("utf-8")
    except orjson.JSONEncodeError:
        # no check for cycles: the view is a tree we build, and the check costs a tenth of the dump
        return json.dumps(data, ensure_ascii=False, separators=(",", ":"), check_circular=False)


def _csp_hash(script: str) -> str:
    return "'sha256-" + base64.b64encode(hashlib.sha256(script.encode("utf-8")).digest()).decode("ascii") + "'"


LABEL_CHARS = 12  # the canvas shows this many characters of a label (view.js: LABEL_CHARS)


def label_width(label: str, font_px: float) -> float:
    """Return about how wide a label is drawn, in px: CJK and full-width characters are 1 em.

    >>> label_width("衢州市", 14), label_width("5.5%", 10)
    (42.0, 22.0)
    """
    text = label if len(label) <= LABEL_CHARS else label[:LABEL_CHARS]
    return sum([1.0 if unicodedata.east_asian_width(c) in "WF" else 0.55 for c in text]) * font_px


def _font_px(node: dict[str, object]) -> float:
    """The label size view.js gives a node (keep both in step)."""
    if node["type"] in OBSERVATION_TYPES:
        return 11.0
    if node["type"] == "Indicator":
        return 12.5
    return 14.0 + min(6.0, int(node["degree"]) / 3)  # type: ignore[call-overload]


def view_data(graph: Graph, title: str | None = None) -> ViewData:
    """Return the view of a graph with every node placed (x, y) and sized by its degree."""
    view = build_view_data(graph, title)
    positions = layout_positions(len(view.nodes), [(e[0], e[1]) for e in view.edges],
                                 [TYPE_RANK[n["type"]] for n in view.nodes],
                                 [label_width(n["label"], _font_px(n)) for n in view.nodes])
    for node, (x, y) in zip(view.nodes, positions):
        node["x"], node["y"] = x, y
    return view


def render_html(graph: Graph, title: str | None = None) -> str:
    """Return the HTML page that shows `graph` (govkg terms), self-contained.

    `graph` is a report's `Built.graph` (fastest), a list of pyoxigraph triples or an
    rdflib.Graph. `title` defaults to the report's title. The same graph gives byte-identical
    pages, whichever of the forms it comes in.

    >>> from kg import build_graph
    >>> page = render_html(build_graph("杭衢高铁建成通车。", year=2026, region="衢州市"), "<b>x</b>")
    >>> bool(re.search(r"<(?:script|link|img|iframe)[^>]+(?:src|href)=", page)), "<b>x</b>" in page
    (False, False)
    """
    view = view_data(graph, title)
    slots = {**_static_slots(), "title": html.escape(view.title), "data": script_json(view.as_json())}
    # One pass over the template, so nothing inserted is ever read as a slot.
    return _SLOT.sub(lambda m: slots[m.group(1)], _template())


@functools.lru_cache(maxsize=1)
def _template() -> str:
    """Return the page the slots go in, read once a process like the static slots."""
    return _own_file("template.html")


@functools.lru_cache(maxsize=1)
def _static_slots() -> dict[str, str]:
    """Return the slots every page shares: read, trimmed and hashed once a process (~70 ms a page)."""
    # the source-map comment would make developer tools ask for a file that is not there
    vis_js = re.sub(r"\n?//# sourceMappingURL=\S*\s*$", "", _vis_file("vis-network.min.js"))
    own_js = _own_file("view.js")
    return {
        "csp": " ".join([_csp_hash(vis_js), _csp_hash(own_js)]),
        "vis_css": vis_css(),
        "own_css": _own_file("view.css"),
        "vis_js": vis_js,
        "own_js": own_js,
    }


def write_html(path: Path, graph: Graph, title: str | None = None) -> None:
    """Write the HTML view of a graph to `path`, atomically, as UTF-8."""
    write_atomic(path, render_html(graph, title).encode("utf-8"))
