"""Writing networks to files Gephi and spreadsheets open: GraphML, GEXF, CSV edge lists."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Literal

import networkx as nx

GraphFormat = Literal["graphml", "gexf", "csv"]


def _simple(value):
    """GraphML and GEXF take str, int, float and bool only: no None, no lists."""
    if value is None:
        return ""
    if isinstance(value, bool | int | float | str):
        return value
    if isinstance(value, list | tuple | set):
        return ";".join(str(v) for v in value)
    return str(value)


def simplified(g: nx.Graph) -> nx.Graph:
    """A copy whose graph, node and edge attributes all have simple types."""
    h = g.__class__()
    h.graph.update({k: _simple(v) for k, v in g.graph.items()})
    h.add_nodes_from((n, {k: _simple(v) for k, v in d.items()}) for n, d in g.nodes(data=True))
    h.add_edges_from((u, v, {k: _simple(x) for k, x in d.items()}) for u, v, d in g.edges(data=True))
    return h


def write_edge_csv(g: nx.Graph, path: Path) -> None:
    """One edge a row: source, target, then every edge attribute (sorted)."""
    keys = sorted({k for _, _, d in g.edges(data=True) for k in d})
    with open(path, "w", newline="", encoding="utf-8") as fh:
        w = csv.writer(fh)
        w.writerow(["source", "target", *keys])
        for u, v, d in g.edges(data=True):
            w.writerow([u, v, *(_simple(d.get(k)) for k in keys)])


def write_graph(g: nx.Graph, path: Path | str, fmt: GraphFormat) -> Path:
    """Write ``g`` as GraphML (keys declared), GEXF or a CSV edge list."""
    path = Path(path)
    g = simplified(g)
    if fmt == "graphml":
        nx.write_graphml(g, path, named_key_ids=True)
    elif fmt == "gexf":
        nx.write_gexf(g, path)
    else:
        write_edge_csv(g, path)
    return path
