"""The real-time model's list scheduler stays O(n log n) (benchmarks/model.py, with the executor's
queue, xclone/apply/ready.py): the 10,000-LPAR several-masters model did not finish in 10
minutes while every held action was rescanned at every event. Counts of heap operations only,
never seconds."""

from __future__ import annotations

import math

from benchmarks.model import Cluster, _run, simulate
from xclone.apply.ready import ReadyQueue
from xclone.base.address import Address
from xclone.drivers.nim.kinds import ActionKind
from xclone.plan.action import Action
from xclone.sim.costs import OFF


def _boots(count: int, hosts: int) -> tuple[Action, ...]:
    """`count` independent `lpar_netboot` calls spread over `hosts` HMCs: the NIM driver's
    shape, one LPAR per call."""
    return tuple(
        Action(f"a{i:06d}", ActionKind.LPAR_NETBOOT, f"hmc{i % hosts}", ("lpar_netboot",), (),
               (f"lpar{i:06d}",), (), (Address("lpar", f"lpar{i:06d}"),), (), False, ())
        for i in range(count))


def test_held_actions_are_pushed_a_bounded_number_of_times() -> None:
    """4,000 ready boots, one session per HMC on 4 HMCs: each action waits in its host's queue
    and is released once by the end before it, so the heap sees a few pushes per action; a
    rescan of every waiter at every event would make it about n^2 / 8 = 2,000,000."""
    count = 4_000
    actions = _boots(count, 4)
    cluster = Cluster({}, {f"hmc{h}": 1 for h in range(4)}, OFF)
    queues: list[ReadyQueue] = []
    _run(actions, cluster, math.inf, True, None, queues)
    assert queues[0].pushes <= 3 * count


def test_the_global_parallelism_holds_and_releases_in_rank_order() -> None:
    """Parallelism 2 over 8 boots on 8 HMCs: four rounds of two, whatever the sessions."""
    actions = _boots(8, 8)
    cluster = Cluster({}, {f"hmc{h}": 8 for h in range(8)}, OFF)
    one = simulate(actions[:1], cluster, parallelism=2, limited=True).seconds
    assert simulate(actions, cluster, parallelism=2, limited=True).seconds == 4 * one
    queues: list[ReadyQueue] = []
    _run(actions, cluster, 2, True, None, queues)
    assert queues[0].pushes <= 3 * len(actions)  # added, held once, released once
