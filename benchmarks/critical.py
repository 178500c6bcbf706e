"""The lower bound of an apply: the longest path of the action graph, each action weighted by how
long the lab makes it last (simulated seconds over the clock's scale) plus its round trips.

The durations come from the simulator's own table (`xclone.sim.choices`), so the bound follows
the lab if its timings change. It assumes LPARs start powered off (as the synthetic lab seeds
them) and counts an install wait as the install itself plus one final poll (two commands).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

import networkx as nx

from xclone.plan.action import Action
from xclone.sim import choices

GETMACS = choices.STARTING_SECONDS + choices.GETMACS_OPEN_FIRMWARE_SECONDS \
    + choices.SHUTDOWN_SECONDS
INSTALL = choices.BOOTP_TO_5_PERCENT_SECONDS + choices.INSTALL_SECONDS \
    + choices.CUSTOMIZATION_SECONDS + choices.REBOOT_SECONDS


def simulated_seconds(action: Action) -> float:
    """How long the lab keeps this action's command busy, in simulated seconds."""
    if action.kind.value == "mknimimage":
        return choices.MKSYSB_SECONDS
    if action.kind.value == "getmacs":
        return GETMACS
    if action.kind.value == "nimnodeset":
        return choices.NIMNODESET_SECONDS + choices.NIMNODESET_PER_NODE_SECONDS * len(
            action.nodes)
    if action.kind.value == "rnetboot":
        return choices.RNETBOOT_SECONDS
    if action.kind.value == "wait-install":
        return INSTALL
    return 0.0


def round_trips(action: Action) -> int:
    """Commands the action needs at the least: a wait polls twice (xCAT status and NIM)."""
    return 2 if action.kind.value == "wait-install" else 1


@dataclass(frozen=True)
class CriticalPath:
    seconds: float
    simulated: float
    actions: tuple[str, ...]


def longest_path(actions: tuple[Action, ...], weight: Callable[[Action], float]) \
        -> tuple[float, tuple[str, ...]]:
    """The heaviest dependency chain and its weight."""
    graph = nx.DiGraph()
    for action in actions:
        graph.add_node(action.id)
        graph.add_edges_from((dep, action.id) for dep in action.depends_on)
    by_id = {a.id: a for a in actions}
    best: dict[str, tuple[float, str | None]] = {}
    for node in nx.topological_sort(graph):
        before = max(((best[p][0], p) for p in graph.predecessors(node)), default=(0.0, None))
        best[node] = (before[0] + weight(by_id[node]), before[1])
    if not best:
        return 0.0, ()
    end = max(best, key=lambda n: best[n][0])
    path: list[str] = []
    cursor: str | None = end
    while cursor is not None:
        path.append(cursor)
        cursor = best[cursor][1]
    return best[end][0], tuple(reversed(path))


def critical_path(actions: tuple[Action, ...], *, scale: float, latency: float) -> CriticalPath:
    """The longest path in real seconds on a lab running `scale` simulated seconds per second."""
    def weight(action: Action) -> float:
        sim = simulated_seconds(action) / scale if scale > 0 else 0.0
        return sim + latency * round_trips(action)

    seconds, path = longest_path(actions, weight)
    by_id = {a.id: a for a in actions}
    return CriticalPath(seconds, sum(simulated_seconds(by_id[n]) for n in path), path)
