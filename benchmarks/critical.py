"""The lower bound of an apply: the longest path of an action graph, each action weighted by how
long the lab makes it last plus the latency of its round trips.

The durations come from the simulator's own table (`xclone.sim.choices`), so the bound follows
the lab if its timings change. It assumes LPARs start powered off (as the synthetic lab seeds
them) and counts an install wait as the install itself plus one final poll (two commands on the
xCAT driver: `lsdef` and `lsnim`; one `lsnim` and one `lsrefcode` on the NIM driver). The same
path weighted with unscaled durations is the *real-time model*: what the chain would take on a
real cluster whose commands cost what the lab's latency says.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

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

_FIXED = {"mknimimage": choices.MKSYSB_SECONDS, "nim-define-mksysb": choices.MKSYSB_SECONDS,
          "nim-define-spot": choices.SPOT_SECONDS, "getmacs": GETMACS, "rnetboot": NETBOOT,
          "lpar-netboot": NETBOOT}


def simulated_seconds(action: Action) -> float:
    """How long the lab keeps this action's command busy, in simulated seconds."""
    kind = action.kind.value
    if kind == "nimnodeset":
        return choices.NIMNODESET_SECONDS + choices.NIMNODESET_PER_NODE_SECONDS * len(
            action.nodes)
    if kind == "wait-install":
        return NIM_INSTALL if action.before[:1] == ("lsnim",) else INSTALL
    return _FIXED.get(kind, 0.0)


def round_trips(action: Action) -> int:
    """Commands the action needs at the least: a wait polls both sides once more at the end."""
    return 2 if action.kind.value == "wait-install" else 1


@dataclass(frozen=True)
class CriticalPath:
    seconds: float  # on the lab: simulated seconds over the clock scale, plus latency
    simulated: float  # the path's simulated seconds alone
    realtime: float  # the real-time model: simulated seconds unscaled, plus real latency
    commands: int  # round trips along the path
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


def critical_path(actions: tuple[Action, ...], *, scale: float, latency: float,
                  lab_latency: float | None = None) -> CriticalPath:
    """The longest path on a lab running `scale` simulated seconds per second, where a command's
    round trip costs `lab_latency` real seconds (default: `latency`, unscaled), and the same
    path in the real-time model, where it costs `latency`."""
    on_lab = latency if lab_latency is None else lab_latency

    def weight(action: Action) -> float:
        sim = simulated_seconds(action) / scale if scale > 0 else 0.0
        return sim + on_lab * round_trips(action)

    seconds, path = longest_path(actions, weight)
    by_id = {a.id: a for a in actions}
    simulated = sum(simulated_seconds(by_id[n]) for n in path)
    commands = sum(round_trips(by_id[n]) for n in path)
    return CriticalPath(seconds, simulated, simulated + latency * commands, commands, path)
