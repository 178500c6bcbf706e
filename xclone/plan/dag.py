"""The two graph algorithms batching needs, on small integer- or tuple-keyed graphs, in plain
Python: importing networkx costs a `xclone plan` more CPU (about 0.1 s) than planning the seed
spec, and these graphs have a few dozen nodes."""

from __future__ import annotations

import heapq
from collections import defaultdict
from collections.abc import Callable, Hashable, Iterable
from typing import Any, TypeVar

Node = TypeVar("Node", bound=Hashable)


def tangled(nodes: Iterable[Node], edges: Iterable[tuple[Node, Node]]) -> set[Node]:
    """The nodes that lie on a cycle: in a strongly connected component of two or more nodes,
    or with an edge to themselves (Tarjan's algorithm, iterative so depth is no limit)."""
    succs: dict[Node, list[Node]] = defaultdict(list)
    found: set[Node] = set()
    for a, b in edges:
        succs[a].append(b)
        if a == b:
            found.add(a)
    index: dict[Node, int] = {}
    low: dict[Node, int] = {}
    stack: list[Node] = []
    on_stack: set[Node] = set()
    for root in nodes:
        if root in index:
            continue
        work: list[tuple[Node, int]] = [(root, 0)]
        while work:
            node, child = work.pop()
            if child == 0:
                index[node] = low[node] = len(index)
                stack.append(node)
                on_stack.add(node)
            children = succs[node]
            if child < len(children):
                work.append((node, child + 1))
                nxt = children[child]
                if nxt not in index:
                    work.append((nxt, 0))
                elif nxt in on_stack:
                    low[node] = min(low[node], index[nxt])
                continue
            if low[node] == index[node]:
                component = []
                while True:
                    member = stack.pop()
                    on_stack.discard(member)
                    component.append(member)
                    if member == node:
                        break
                if len(component) > 1:
                    found.update(component)
            if work:
                parent = work[-1][0]
                low[parent] = min(low[parent], low[node])
    return found


def lexicographic_order(count: int, edges: Iterable[tuple[int, int]],
                        key: Callable[[int], Any]) -> list[int]:
    """A topological order of nodes 0..count-1 that, among the nodes ready at each step, takes
    the one with the smallest key (ties by number): networkx's lexicographical topological sort,
    so plans keep their order."""
    succs: list[list[int]] = [[] for _ in range(count)]
    waiting = [0] * count
    for a, b in edges:
        succs[a].append(b)
        waiting[b] += 1
    ready = [(key(n), n) for n in range(count) if waiting[n] == 0]
    heapq.heapify(ready)
    order: list[int] = []
    while ready:
        _, node = heapq.heappop(ready)
        order.append(node)
        for child in succs[node]:
            waiting[child] -= 1
            if waiting[child] == 0:
                heapq.heappush(ready, (key(child), child))
    if len(order) != count:
        raise ValueError("the graph has a cycle")
    return order

