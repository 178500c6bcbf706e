"""The real-time model of a variant: how long its action graph takes on a real cluster whose
commands cost what the lab's `costs: realistic` says, scheduled as the executor schedules it.

Every duration is the lab's own (`xclone.sim.costs`, `xclone.sim.choices`): a command's latency
by its name; mksysb and SPOT creation; `nimnodeset` per node; xCAT's fan-out of `getmacs -D` and
`rnetboot` over a noderange (the lab's `fanout.schedule` with PPC.pm's limits: half of `maxssh`
per HMC, `ppcmaxp` in all, 0.1 s between forks); `lpar_netboot` one LPAR per call; and the
installs' mksysb restores sharing the NIM master's bandwidth (the lab's `transfer.Sharing` over
every restore of the run). The graph is list-scheduled with the executor's limits (global
parallelism, sessions per host; install waits take no slot, as in `xclone.apply`). Without
limits the same schedule is the variant's *critical path*: its longest dependency chain.

Install ends depend on every restore running at once, and a restore's start on the schedule:
the model schedules once with unshared restores, shares the bandwidth over the restore starts
found, and schedules again with those ends (exact wherever no later step waits for an install
that sharing slowed: true of every variant here, since the ones that chain LPARs after installs
run at most ten at once, below what saturates the master).
"""

from __future__ import annotations

import heapq
import math
from collections.abc import Mapping
from dataclasses import dataclass

from benchmarks.critical import GETMACS, NETBOOT
from xclone.plan.action import Action
from xclone.sim import choices
from xclone.sim.costs import REALISTIC, Costs
from xclone.sim.transfer import Sharing, Transfer
from xclone.sim.xcat.fanout import DEFAULT_MAXSSH, DEFAULT_PPCMAXP, Limits, schedule

FANNED = {"getmacs": GETMACS, "rnetboot": NETBOOT}  # xCAT forks one process per LPAR


@dataclass(frozen=True)
class Cluster:
    """What the model needs to know of the cluster beyond the plan."""

    hmc_of: Mapping[str, str]  # LPAR -> the host of its HMC
    sessions: Mapping[str, int]  # host -> most commands at once (max_sessions)
    costs: Costs = REALISTIC
    # xCAT's site attributes for its fan-out (the spec's site.attributes, else xCAT's defaults)
    maxssh: int = DEFAULT_MAXSSH
    ppcmaxp: int = DEFAULT_PPCMAXP


@dataclass(frozen=True)
class Schedule:
    seconds: float  # when the last action ends, in real-cluster seconds
    commands: int  # commands sent, install polls not counted


def _latency(action: Action, costs: Costs) -> float:
    if action.kind.polled:  # the final poll of both sides
        return costs.command_seconds(action.before[0]) + costs.command_seconds(
            "lsrefcode" if action.before[:1] == ("lsnim",) else "lsnim")
    return costs.command_seconds(action.before[0]) if action.before else 0.0


def _boots(action: Action, cluster: Cluster) -> tuple[float, dict[str, float]]:
    """How long a command keeps its host busy, and for a network boot when each of its LPARs'
    bootp is answered (seconds after the command starts)."""
    kind, costs = action.kind.value, cluster.costs
    latency = _latency(action, costs)
    if kind in ("mknimimage", "nim-define-mksysb"):
        return latency + costs.mksysb_seconds, {}
    if kind == "nim-define-spot":
        return latency + costs.spot_seconds, {}
    if kind == "nimnodeset":
        return latency + choices.NIMNODESET_SECONDS + choices.NIMNODESET_PER_NODE_SECONDS * len(
            action.nodes), {}
    if kind == "lpar-netboot":
        return latency + NETBOOT, {node: latency + NETBOOT for node in action.nodes}
    if kind in FANNED:
        limits = Limits(max(cluster.maxssh // 2, 1), cluster.ppcmaxp, costs.fork_interval) \
            if costs.fanout else Limits(math.inf, math.inf, 0.0)
        starts: dict[str, float] = {}

        def run(node: str, offset: float) -> float:
            starts[node] = offset
            return FANNED[kind]

        jobs = [(node, cluster.hmc_of.get(node, "")) for node in action.nodes]
        end = schedule(jobs, limits, run) if jobs else 0.0
        boots = {n: latency + at + NETBOOT for n, at in starts.items()} if kind == "rnetboot" \
            else {}
        return latency + end, boots
    return latency, {}


def command_seconds(action: Action, cluster: Cluster) -> float:
    """How long the model says one command takes (0 for a wait: it lasts as its installs)."""
    return 0.0 if action.kind.polled else _boots(action, cluster)[0]


def _after_restore(action: Action) -> float:
    """From the end of the restore to the end of the wait: the NIM driver waits for `ready for
    a NIM operation` after the customization, xCAT for `booted` after the reboot too."""
    nim = action.before[:1] == ("lsnim",)
    return choices.CUSTOMIZATION_SECONDS + (0.0 if nim else choices.REBOOT_SECONDS)


@dataclass
class Work:
    """How much the list scheduler did: heap operations on its ready and held queues. A count
    the smoke tests bound (n log n, not n squared), never a time."""

    pushes: int = 0


def _run(actions: tuple[Action, ...], cluster: Cluster, parallelism: float,
         limited: bool, restore_end: Mapping[str, float] | None,
         work: Work | None = None) -> tuple[float, dict[str, float]]:
    """List-schedule the graph; returns the end and each LPAR's restore start.

    A ready command that finds no slot waits in a held queue (one per host for its sessions,
    one for the global parallelism), and only the end of a command on that host, or of any
    command for the global queue, takes it out again: each action is pushed a bounded number
    of times, so 10,000 LPARs cost O(n log n) heap operations, not a rescan of every held
    action at every event."""
    work = work if work is not None else Work()
    by_id = {a.id: a for a in actions}
    order = {a.id: i for i, a in enumerate(actions)}
    waiting = {a.id: len(a.depends_on) for a in actions}
    children: dict[str, list[str]] = {a.id: [] for a in actions}
    for action in actions:
        for dep in action.depends_on:
            children[dep].append(action.id)
    ready = [(order[i], i) for i, n in waiting.items() if n == 0]
    heapq.heapify(ready)
    held_host: dict[str, list[tuple[int, str]]] = {}
    held_all: list[tuple[int, str]] = []
    running: list[tuple[float, int, str]] = []
    busy: dict[str, int] = {}
    slots = 0
    now = 0.0
    restore_start: dict[str, float] = {}
    install_end: dict[str, float] = {}
    restore = cluster.costs.nim.restore_seconds if cluster.costs.nim else choices.INSTALL_SECONDS
    tail = {n: _after_restore(a) for a in actions if a.kind.polled for n in a.nodes}

    def push(queue: list[tuple[int, str]], item: tuple[int, str]) -> None:
        work.pushes += 1
        heapq.heappush(queue, item)

    while ready or running:
        while ready or (held_all and slots < parallelism):
            if not ready:  # a slot is free and the waiter it freed went to its host's queue
                push(ready, heapq.heappop(held_all))
            rank, action_id = heapq.heappop(ready)
            action = by_id[action_id]
            polled = action.kind.polled
            cap = cluster.sessions.get(action.host, 10) if limited else math.inf
            if not polled and busy.get(action.host, 0) >= cap:
                push(held_host.setdefault(action.host, []), (rank, action_id))
                continue
            if not polled and slots >= parallelism:
                push(held_all, (rank, action_id))
                continue
            if polled:
                ends = [install_end.get(n, now) for n in action.nodes]
                end = max([now, *ends]) + _latency(action, cluster.costs)
            else:
                seconds, boots = _boots(action, cluster)
                end = now + seconds
                slots += 1
                busy[action.host] = busy.get(action.host, 0) + 1
                for node, answered in boots.items():
                    begins = now + answered + choices.BOOTP_TO_5_PERCENT_SECONDS
                    restore_start[node] = begins
                    ended = (restore_end or {}).get(node, begins + restore)
                    install_end[node] = ended + tail.get(node, 0.0)
            heapq.heappush(running, (end, rank, action_id))
        if not running:
            break
        now, _, done = heapq.heappop(running)
        finished = by_id[done]
        if not finished.kind.polled:
            slots -= 1
            busy[finished.host] -= 1
            # the freed session and the freed slot each let the best-ranked waiter try again
            for queue in (held_host.get(finished.host), held_all):
                if queue:
                    push(ready, heapq.heappop(queue))
        for child in children[done]:
            waiting[child] -= 1
            if waiting[child] == 0:
                push(ready, (order[child], child))
    return now, restore_start


def simulate(actions: tuple[Action, ...], cluster: Cluster, *, parallelism: float = math.inf,
             limited: bool = False) -> Schedule:
    """The variant's end in real-cluster seconds: with `limited`, under the executor's session
    limits and `parallelism`; without, its critical path."""
    cap = parallelism if limited else math.inf
    _, starts = _run(actions, cluster, cap, limited, None)
    ends: dict[str, float] | None = None
    if starts and cluster.costs.nim is not None:
        nim = cluster.costs.nim
        sharing = Sharing([Transfer(n, t, nim.mksysb_mb) for n, t in starts.items()],
                          nim.bandwidth, nim.client_rate)
        ends = {n: sharing.reaches(n, 1.0) for n in starts}
    seconds, _ = _run(actions, cluster, cap, limited, ends)
    return Schedule(seconds, sum(1 for a in actions if not a.kind.polled))
