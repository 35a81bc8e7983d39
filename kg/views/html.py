"""Render the graph as one self-contained HTML page (pyvis / vis-network), no network needed."""
from __future__ import annotations

import re
from pathlib import Path

import networkx as nx

from kg.rdf.export import write_atomic

COLOURS = {
    "Industry": "#1f77b4", "Project": "#ff7f0e", "Institution": "#2ca02c", "Policy": "#9467bd",
    "Designation": "#e377c2", "Event": "#bcbd22", "Place": "#17becf", "Indicator": "#7f7f7f",
    "Target": "#d62728", "Result": "#8c564b",
}
_REMOTE = re.compile(r"<link\b[^>]*\bhref=[^>]*>|<script\b[^>]*\bsrc=[^>]*>\s*</script>", re.S)


def render_html(graph: nx.MultiDiGraph, title: str = "govkg") -> str:
    """Return an HTML page showing the graph, one colour per type, with no remote resources.

    >>> g = nx.MultiDiGraph(); g.add_node("a", label="<b>x</b>", type="Project", aliases=[])
    >>> page = render_html(g)
    >>> bool(re.search(r"<(?:script|link)[^>]+(?:src|href)=", page)), "<b>x</b>" in page
    (False, False)
    """
    from pyvis.network import Network

    net = Network(height="100vh", width="100%", directed=True, cdn_resources="in_line")
    net.set_options('{"physics": {"stabilization": {"iterations": 200}, "solver": "forceAtlas2Based"},'
                    ' "edges": {"smooth": false, "arrows": {"to": {"enabled": true, "scaleFactor": 0.5}}}}')
    for node, d in graph.nodes(data=True):
        t = d.get("type", "")
        tip = "\n".join([f"{t}: {d.get('label', '')}", *d.get("aliases", [])])
        net.add_node(node, label=d.get("label", node), title=tip, color=COLOURS.get(t, "#cccccc"),
                     size=8 if t in ("Target", "Result") else 14, shape="dot")
    net.edges = [{"from": s, "to": o, "title": d.get("relation", ""), "label": d.get("relation", ""),
                  "arrows": "to"} for s, o, d in graph.edges(data=True)]
    page = net.generate_html()
    page = _REMOTE.sub("", page)
    page = page.replace("<head>", f'<head>\n<meta charset="utf-8">\n<title>{_escape(title)}</title>', 1)
    return page


def _escape(text: str) -> str:
    return text.replace("&", "&amp;").replace("<", "&lt;").replace(">", "&gt;").replace('"', "&quot;")


def write_html(path: Path, graph: nx.MultiDiGraph, title: str = "govkg") -> None:
    """Write the HTML view of a graph, atomically, as UTF-8."""
    write_atomic(path, render_html(graph, title).encode("utf-8"))
