"""The step graph's topological order (plan/graph.py step_graph): the planners' own order when
every step comes after what it waits for (one pass, no walk of every edge), Kahn's otherwise;
either way every step comes after its predecessors, and the batched actions are the same."""

from __future__ import annotations

from xclone.base.address import Address
from xclone.drivers.xcat.kinds import ActionKind
from xclone.plan.action import Step
from xclone.plan.graph import batch, step_graph

NODES = [Address("lpar", f"node{i:02d}") for i in range(1, 4)]


def _chain() -> list[Step]:
    """Each node's mkdef, then its getmacs after it: the planners' order."""
    steps: list[Step] = []
    for address in NODES:
        define = Step(ActionKind.MKDEF_Z, "mn", ("mkdef", "-z"), node=address.name,
                      stdin=f"{address.name}:\n", address=address)
        steps += [define, Step(ActionKind.GETMACS, "mn", ("getmacs",), node=address.name,
                               address=address, after=(define.key,))]
    return steps


def _topological(steps: list[Step]) -> bool:
    graph = step_graph(steps)
    at = {step: place for place, step in enumerate(graph.order)}
    return sorted(graph.order) == list(range(len(steps))) and all(
        at[p] < at[i] for i, ps in enumerate(graph.preds) for p in ps)


def test_steps_in_the_planners_order_keep_it() -> None:
    steps = _chain()
    assert step_graph(steps).order == tuple(range(len(steps)))
    assert _topological(steps)


def test_steps_listed_before_what_they_wait_for_are_ordered_all_the_same() -> None:
    """A getmacs listed before its mkdef (as a cleanup or a later planner may add steps) must
    not take the fast path: its order would run getmacs first."""
    forward = _chain()
    backward = forward[::-1]
    assert step_graph(backward).order != tuple(range(len(backward)))
    assert _topological(backward)
    assert [(a.kind, a.nodes, a.depends_on) for a in batch(backward)] == [
        (a.kind, a.nodes, a.depends_on) for a in batch(forward)]
