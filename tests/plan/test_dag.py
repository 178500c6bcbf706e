"""The plain-Python graph algorithms batching uses agree with networkx's on random graphs: the
same nodes on cycles, the same lexicographic topological order (so plans keep their order)."""

from __future__ import annotations

import random

import networkx as nx
import pytest

from xclone.plan.dag import lexicographic_order, tangled


def _random_edges(seed: int, count: int, acyclic: bool) -> set[tuple[int, int]]:
    rng = random.Random(seed)
    edges = set()
    for _ in range(count * 2):
        a, b = rng.randrange(count), rng.randrange(count)
        if acyclic and a >= b:
            continue
        edges.add((a, b))
    return edges


@pytest.mark.parametrize("seed", range(40))
def test_tangled_nodes_are_networkx_cycle_members(seed: int) -> None:
    count = 5 + seed
    edges = _random_edges(seed, count, acyclic=False)
    graph = nx.DiGraph(edges)
    graph.add_nodes_from(range(count))
    expected = {n for comp in nx.strongly_connected_components(graph) for n in comp
                if len(comp) > 1 or graph.has_edge(n, n)}
    assert tangled(range(count), edges) == expected


@pytest.mark.parametrize("seed", range(40))
def test_lexicographic_order_is_networkx_order(seed: int) -> None:
    count = 5 + seed
    edges = _random_edges(seed, count, acyclic=True)
    graph = nx.DiGraph()
    graph.add_nodes_from(range(count))  # as batching did: ties go by node number
    graph.add_edges_from(edges)

    def key(n: int) -> int:
        return (n * 7919) % 5

    expected = list(nx.lexicographical_topological_sort(graph, key=key))
    assert lexicographic_order(count, edges, key) == expected


def test_lexicographic_order_refuses_a_cycle() -> None:
    with pytest.raises(ValueError, match="cycle"):
        lexicographic_order(2, {(0, 1), (1, 0)}, lambda n: n)
