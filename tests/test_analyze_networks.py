"""DNA network semantics, normalisation, and lossless GraphML / GEXF / CSV export."""

from __future__ import annotations

import csv
import math

import networkx as nx
import pytest

from stancemap.analyze.cells import Basis, Cell
from stancemap.analyze.networks import network
from stancemap.report.export import write_graph


def cells() -> Basis:
    """A: x+, y+, z-; B: x+, y-; C: x-, z-  (+ support, - oppose)."""
    held = {"A": [("x", "support"), ("y", "support"), ("z", "oppose")],
            "B": [("x", "support"), ("y", "oppose")], "C": [("x", "oppose"), ("z", "oppose")]}
    return Basis(cells=tuple(Cell(a, i, s, 2, 1, 1.0) for a, pairs in held.items() for i, s in pairs),
                 labels={"x": "Issue X"})


def weights(g: nx.Graph) -> dict[tuple[str, str], float]:
    return {tuple(sorted((u, v))): d["weight"] for u, v, d in g.edges(data=True)}


def test_congruence_and_conflict_counts():
    assert weights(network(cells(), kind="congruence")) == {("A", "B"): 1.0, ("A", "C"): 1.0}
    assert weights(network(cells(), kind="conflict")) == {("A", "B"): 1.0, ("A", "C"): 1.0, ("B", "C"): 1.0}
    # subtract: A-B 1-1 = 0 and A-C 1-1 = 0 drop out; B-C 0-1
    assert weights(network(cells(), kind="subtract")) == {("B", "C"): -1.0}


def test_normalisation():
    # A holds 3 pairs, B 2, C 2; congruence A-B = 1: Jaccard 1/(3+2-1), cosine 1/sqrt(3*2)
    j = weights(network(cells(), kind="congruence", normalization="jaccard"))
    assert j[("A", "B")] == pytest.approx(0.25)
    c = weights(network(cells(), kind="congruence", normalization="cosine"))
    assert c[("A", "B")] == pytest.approx(1 / math.sqrt(6))
    s = weights(network(cells(), kind="subtract", normalization="jaccard"))
    assert s == pytest.approx({("B", "C"): -1 / 3})  # conflict 1/(2+2-1); congruence 0


def test_affiliation_network():
    g = network(cells(), kind="affiliation")
    assert g.edges["A", "issue:x"]["stance"] == "support"
    assert g.edges["C", "issue:x"]["net"] == -1.0
    assert g.nodes["issue:x"]["label"] == "Issue X" and g.nodes["issue:x"]["bipartite"] == 1


@pytest.mark.parametrize("kind", ["congruence", "affiliation"])
def test_graphml_round_trip_declares_keys(tmp_path, kind):
    g = network(cells(), kind=kind)
    path = write_graph(g, tmp_path / "g.graphml", "graphml")
    text = path.read_text()
    assert '<key id="weight" for="edge" attr.name="weight" attr.type="double"' in text
    assert 'attr.name="label"' in text and 'for="node"' in text
    back = nx.read_graphml(path)
    assert set(back.nodes) == set(g.nodes)
    assert weights(back) == weights(g)
    for n, d in g.nodes(data=True):
        assert back.nodes[n] == d
    for u, v, d in g.edges(data=True):
        assert back.edges[u, v] == d


def test_gexf_and_csv_round_trip(tmp_path):
    g = network(cells(), kind="conflict", normalization="jaccard")
    back = nx.read_gexf(write_graph(g, tmp_path / "g.gexf", "gexf"))
    assert weights(back) == pytest.approx(weights(g))
    assert back.edges["B", "C"]["issues"] == "x"
    rows = list(csv.DictReader(open(write_graph(g, tmp_path / "g.csv", "csv"))))
    assert {(r["source"], r["target"]): float(r["weight"]) for r in rows} == pytest.approx(weights(g))
