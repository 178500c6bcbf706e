"""The longest path of an action graph under any weight (`benchmarks.model` weighs actions with
the lab's costs; the worker with each action's measured duration), and the lab's fixed durations
the report quotes.

The durations come from the simulator's own table (`xclone.sim.choices`), so they follow the lab
if its timings change; LPARs start powered off, as the synthetic lab seeds them.
"""

from __future__ import annotations

from collections.abc import Callable

import networkx as nx

from xclone.plan.action import Action
from xclone.sim import choices

GETMACS = choices.STARTING_SECONDS + choices.GETMACS_OPEN_FIRMWARE_SECONDS \
    + choices.SHUTDOWN_SECONDS
# From the bootp answer: xCAT waits for `status=booted` after the reboot; the NIM driver's wait
# ends when NIM says "ready for a NIM operation" with success, after the customization.
INSTALL = choices.BOOTP_TO_5_PERCENT_SECONDS + choices.INSTALL_SECONDS \
    + choices.CUSTOMIZATION_SECONDS + choices.REBOOT_SECONDS
NIM_INSTALL = INSTALL - choices.REBOOT_SECONDS
NETBOOT = choices.RNETBOOT_SECONDS  # rnetboot and lpar_netboot: from the call to the bootp answer


def longest_path(actions: tuple[Action, ...], weight: Callable[[Action], float]) \
        -> tuple[float, tuple[str, ...]]:
    """The heaviest chain and its weight, through dependencies and order-only edges alike (the
    executor waits for both)."""
    graph = nx.DiGraph()
    for action in actions:
        graph.add_node(action.id)
        graph.add_edges_from((dep, action.id) for dep in (*action.depends_on,
                                                           *action.ordered_after))
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
