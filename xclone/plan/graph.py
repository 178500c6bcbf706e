"""The action DAG: fine steps wired by their typed references, then merged into noderange batches.

Steps of the same kind, host and words become one command over a noderange, so 1,000 LPARs need
about as many commands as 2. Where merging a group would close a cycle (an LPAR's removal before
its CEC's removal, by the same command), that group is split by depth (longest path from a root):
every edge goes from a lower depth to a higher one, so depth-split groups can never form a cycle.
"""

from __future__ import annotations

from collections import Counter, defaultdict
from collections.abc import Hashable, Iterator, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, TypeVar

from xclone.base.diagnostics import Diagnostic
from xclone.base.errors import XcloneError
from xclone.plan.action import Action, Step, StepRef
from xclone.plan.dag import lexicographic_order, tangled

if TYPE_CHECKING:
    import networkx as nx

Group = TypeVar("Group", bound=Hashable)


@dataclass(frozen=True)
class StepGraph:
    """The fine-grained step DAG as plain adjacency lists: with ~7 steps per LPAR, a 10,000-LPAR
    plan has 70,000 of them, too many to pay networkx's per-node cost; the batched action DAG
    (a few dozen nodes) is the networkx graph. `preds` are each step's dependencies, `orders`
    its order-only predecessors that are not also dependencies (Step.ordered_after)."""

    preds: tuple[tuple[int, ...], ...]
    order: tuple[int, ...]  # a topological order of the union of both kinds of edge
    orders: tuple[tuple[int, ...], ...] = ()

    @property
    def edges(self) -> Iterator[tuple[int, int]]:
        return ((p, i) for i, ps in enumerate(self.preds) for p in ps)

    def ancestors(self, index: int) -> set[int]:
        """What the step needs, through dependencies only: an order-only predecessor is not
        needed (`--target` keeps what its targets need, not what they merely run after)."""
        seen: set[int] = set()
        todo = list(self.preds[index])
        while todo:
            node = todo.pop()
            if node not in seen:
                seen.add(node)
                todo.extend(self.preds[node])
        return seen


def _index(steps: Sequence[Step]) -> dict[StepRef, int]:
    """Each step's index by its key; two steps of one key are a planner bug."""
    by_key = {step.key: index for index, step in enumerate(steps)}
    if len(by_key) != len(steps):
        twice = next(k for k, n in Counter(s.key for s in steps).items() if n > 1)
        raise XcloneError(f"internal: two steps share the key {twice}")
    return by_key


def _preds(steps: Sequence[Step]) -> tuple[tuple[tuple[int, ...], ...],
                                           tuple[tuple[int, ...], ...]]:
    """Each step's dependencies, and its order-only predecessors that are not dependencies too
    (a step both needed and ordered after is needed: the dependency wins), each sorted.

    A reference that is required but names a step no planner made is a planner bug (a misspelt
    kind or address would otherwise drop the edge and let apply run a command before what it
    needs); an optional one names a step the plan may not need. The steps of one range's LPARs
    share their optional tuples (the HMC, CEC, groups and network they use): each distinct tuple
    is resolved once, by identity (the steps keep them alive), instead of ~10 look-ups per LPAR.
    One loop over the steps, without a call per step: 80,000 of them at 10,000 LPARs."""
    by_key = _index(steps)
    get, index_of = by_key.get, by_key.__getitem__
    shared: dict[int, list[int]] = {}

    def resolve(step: Step, required: tuple[StepRef, ...],
                optional: tuple[StepRef, ...]) -> list[int]:
        try:
            found = list(map(index_of, required))
        except KeyError:
            ref = next(r for r in required if r not in by_key)
            raise XcloneError(f"internal: the step {step.key} waits for {ref}, which no "
                              "resource planner made") from None
        if optional:
            planned = shared.get(id(optional))
            if planned is None:
                planned = shared[id(optional)] = [at for r in optional
                                                  if (at := get(r)) is not None]
            found += planned
        return found

    preds: list[tuple[int, ...]] = []
    orders: list[tuple[int, ...]] = []
    no_order: tuple[int, ...] = ()
    for step in steps:
        found = resolve(step, step.after, step.after_if_planned)
        deps = tuple(sorted(set(found))) if len(found) > 1 else tuple(found)
        preds.append(deps)
        if step.ordered_after or step.ordered_after_if_planned:
            ordered = resolve(step, step.ordered_after, step.ordered_after_if_planned)
            orders.append(tuple(sorted(set(ordered).difference(deps))))
        else:
            orders.append(no_order)
    return tuple(preds), tuple(orders)


def step_graph(steps: Sequence[Step]) -> StepGraph:
    """The steps' graph; a cycle over both kinds of edge is an error (an order-only edge orders
    as strictly as a dependency)."""
    preds, orders = _preds(steps)
    kept = orders if any(orders) else ()
    # Each list is sorted, so its last is its largest.
    if all(not ps or ps[-1] < i for i, ps in enumerate(preds)) and all(
            not ps or ps[-1] < i for i, ps in enumerate(kept)):
        # The planners make a step after what it waits for: then the steps' own order is a
        # topological one, and checking that is one pass over the steps instead of Kahn's walk
        # of every edge (320,000 at 10,000 LPARs). Depths do not depend on which order.
        return StepGraph(preds, tuple(range(len(steps))), kept)
    before = [p + o if o else p for p, o in zip(preds, orders, strict=True)]
    succs: list[list[int]] = [[] for _ in steps]
    waiting = [len(p) for p in before]
    for index, ps in enumerate(before):
        for p in ps:
            succs[p].append(index)
    order = [i for i, n in enumerate(waiting) if n == 0]
    for node in order:  # Kahn's algorithm; `order` grows while we walk it
        for child in succs[node]:
            waiting[child] -= 1
            if waiting[child] == 0:
                order.append(child)
    if len(order) == len(steps):
        return StepGraph(preds, tuple(order), kept)
    import networkx as nx  # only to name the cycle in the error

    stuck = nx.DiGraph((p, i) for i, ps in enumerate(before) if waiting[i] for p in ps
                       if waiting[p])
    cycle = nx.find_cycle(stuck)
    names = " -> ".join(f"{steps[a].address} ({steps[a].kind})" for a, _ in cycle)
    raise XcloneError("dependency cycle", [Diagnostic(f"dependency cycle: {names}")])


def _depths(graph: StepGraph) -> list[int]:
    """Longest path from a root over both kinds of edge: depth-split groups stay acyclic over
    the union, which is what the executor orders by."""
    preds, orders = graph.preds, graph.orders
    depth = [0] * len(preds)
    at = depth.__getitem__
    for node in graph.order:
        ps = preds[node]
        if orders and (more := orders[node]):
            ps = ps + more
        if ps:
            depth[node] = max(map(at, ps)) + 1
    return depth


def _edge_lists(lists: Sequence[tuple[int, ...]]) -> tuple[list[int], list[int]]:
    """The step edges as two parallel lists (from, to), built once: the group graphs below are
    then mapped from them at C speed instead of walking ~30 edges per LPAR in Python each time."""
    heads = [p for ps in lists for p in ps]
    tails = [i for i, ps in enumerate(lists) for _ in ps]
    return heads, tails


def _quotient(of: Sequence[Group], edges: tuple[list[int], list[int]]
              ) -> set[tuple[Group, Group]]:
    """The graph of the groups `of` assigns the steps to (self-loops included)."""
    heads, tails = edges
    return set(zip(map(of.__getitem__, heads), map(of.__getitem__, tails), strict=True))


def _groups(steps: Sequence[Step], needs: tuple[list[int], list[int]],
            orders: tuple[list[int], list[int]], depth: list[int]
            ) -> tuple[list[list[int]], set[tuple[int, int]], set[tuple[int, int]]]:
    """Group steps by batch key; split a group by depth only where merging would make a cycle
    (over both kinds of edge). Each distinct batch key is numbered first: the edges (~7 per
    LPAR) are then pairs of small ints, not pairs of long key tuples that Python hashes again at
    every use. Also the groups' graphs of dependencies and of order-only edges, by group number:
    mapped from the last round's, not built again from the ~70 step edges per LPAR."""
    numbers: dict[tuple[object, ...], int] = {}
    gid: list[Hashable] = [numbers.setdefault(s.batch_key(), len(numbers)) for s in steps]
    while True:
        need, order = _quotient(gid, needs), _quotient(gid, orders)
        cyclic = tangled(set(gid), need | order)
        if not cyclic:
            break
        gid = [(g, depth[i]) if g in cyclic else g for i, g in enumerate(gid)]
    groups: dict[Hashable, list[int]] = defaultdict(list)
    for i, g in enumerate(gid):
        groups[g].append(i)
    number = {g: n for n, g in enumerate(groups)}
    return (list(groups.values()), {(number[a], number[b]) for a, b in need},
            {(number[a], number[b]) for a, b in order})


def action_graph(actions: Sequence[Action]) -> nx.DiGraph:
    """The batched actions as a networkx DAG keyed by action id (for drawing and analysis): an
    order-only edge carries `order=True`."""
    import networkx as nx

    graph = nx.DiGraph()
    for action in actions:
        graph.add_node(action.id, action=action)
        graph.add_edges_from((dep, action.id) for dep in action.depends_on)
        graph.add_edges_from(((dep, action.id) for dep in action.ordered_after), order=True)
    return graph


def batch(steps: Sequence[Step]) -> tuple[Action, ...]:
    """Merge steps into actions, returned in an execution (topological) order."""
    graph = step_graph(steps)
    depth = _depths(graph)
    groups, needed, ordered = _groups(steps, _edge_lists(graph.preds),
                                      _edge_lists(graph.orders), depth)
    quotient = needed | ordered

    def rank(n: int) -> tuple[int, int, str]:
        """Depth first; inside one depth the runbook's order, so plans read like it."""
        members = groups[n]
        return (
            min(depth[m] for m in members),
            steps[members[0]].kind.order,
            min(steps[m].node or str(steps[m].address) for m in members),
        )

    order = lexicographic_order(len(groups), quotient, rank)
    width = max(3, len(str(len(order))))
    ids = {n: f"{number:0{width}d}" for number, n in enumerate(order, start=1)}
    # A group waits for the groups with an edge into it: read from the quotient graph, not
    # again from the ~30 step edges per LPAR. A group both needed and ordered after is needed.
    into: dict[int, set[str]] = defaultdict(set)
    for a, b in needed:
        if a != b:
            into[b].add(ids[a])
    after: dict[int, set[str]] = defaultdict(set)
    if ordered:
        for a, b in ordered:
            if a != b and ids[a] not in into[b]:
                after[b].add(ids[a])
    actions: list[Action] = []
    for g in order:
        members, action_id = groups[g], ids[g]
        first = steps[members[0]]
        deps = sorted(into[g])
        nodes = tuple(sorted(n for m in members if (n := steps[m].node)))
        parts = tuple(
            (steps[m].node or "", steps[m].stdin or "")
            for m in sorted(members, key=lambda i: steps[i].node or "")
            if steps[m].stdin
        )
        actions.append(
            Action(
                id=action_id,
                kind=first.kind,
                host=first.host,
                before=first.before,
                after_words=first.after_words,
                nodes=nodes,
                stdin_parts=parts,
                addresses=tuple(sorted({steps[m].address for m in members})),
                depends_on=tuple(deps),
                destructive=any(steps[m].destructive for m in members),
                reasons=tuple(sorted({steps[m].reason for m in members if steps[m].reason})),
                timeout=max(steps[m].timeout for m in members),
                stall=max((s for m in members if (s := steps[m].stall) is not None), default=None),
                env=first.env,
                extra=first.extra,
                ordered_after=tuple(sorted(after[g])),
            )
        )
    return tuple(actions)
