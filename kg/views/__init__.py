"""Views of a graph: networkx for analysis, HTML for people.

network (to_networkx) · viewdata (what the page shows) · layout (where nodes go) · html (the
page: template.html, view.js and view.css, with vis-network inlined).
"""
