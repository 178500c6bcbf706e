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
from dataclasses import dataclass, field

from benchmarks.critical import GETMACS, NETBOOT
from xclone.apply.ready import Entry, ReadyQueue
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
    # action id -> seconds it lasts beyond its command (an SN's first nimnodeset: its copy)
    extra: Mapping[str, float] = field(default_factory=dict)


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
        return latency + cluster.extra.get(action.id, 0.0) + choices.NIMNODESET_SECONDS \
            + choices.NIMNODESET_PER_NODE_SECONDS * len(action.nodes), {}
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


def _run(actions: tuple[Action, ...], cluster: Cluster, parallelism: float,
         limited: bool, restore_end: Mapping[str, float] | None,
         queue_out: list[ReadyQueue] | None = None) -> tuple[float, dict[str, float]]:
    """List-schedule the graph with the executor's own ready queue (xclone/apply/ready.py:
    depth first, held per host and globally, O(n log n)); returns the end and each LPAR's
    restore start. `queue_out` receives the queue, for a test to count its work."""
    by_id = {a.id: a for a in actions}
    waiting = {a.id: len(a.depends_on) + len(a.ordered_after) for a in actions}
    children: dict[str, list[str]] = {a.id: [] for a in actions}
    for action in actions:
        for dep in (*action.depends_on, *action.ordered_after):  # the executor's rule
            children[dep].append(action.id)

    def limit(host: str) -> float:
        return cluster.sessions.get(host, 10) if limited else math.inf

    queue = ReadyQueue((Entry(a.id, a.host, a.kind.polled, a.depends_on, a.ordered_after)
                        for a in actions), parallelism, limit)
    if queue_out is not None:
        queue_out.append(queue)
    for action_id, count in waiting.items():
        if count == 0:
            queue.add(action_id)
    running: list[tuple[float, str]] = []
    now = 0.0
    restore_start: dict[str, float] = {}
    install_end: dict[str, float] = {}
    restore = cluster.costs.nim.restore_seconds if cluster.costs.nim else choices.INSTALL_SECONDS
    tail = {n: _after_restore(a) for a in actions if a.kind.polled for n in a.nodes}
    while True:
        for action_id in queue.take():
            action = by_id[action_id]
            if action.kind.polled:
                ends = [install_end.get(n, now) for n in action.nodes]
                end = max([now, *ends]) + _latency(action, cluster.costs)
            else:
                seconds, boots = _boots(action, cluster)
                end = now + seconds
                for node, answered in boots.items():
                    begins = now + answered + choices.BOOTP_TO_5_PERCENT_SECONDS
                    restore_start[node] = begins
                    ended = (restore_end or {}).get(node, begins + restore)
                    install_end[node] = ended + tail.get(node, 0.0)
            heapq.heappush(running, (end, action_id))
        if not running:
            break
        now, done = heapq.heappop(running)
        queue.done(done)
        for child in children[done]:
            waiting[child] -= 1
            if waiting[child] == 0:
                queue.add(child)
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
