"""Views of a graph: networkx for analysis, HTML for people."""
