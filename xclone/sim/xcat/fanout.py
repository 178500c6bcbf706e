"""xCAT's fan-out of hardware commands over a noderange (costs `fanout`; docs/lab.md "Costs").

Sources: xCAT 2.9.2 xCAT-server/lib/perl/xCAT/PPC.pm `process_command`: the site attributes
`ppcmaxp` (default 64, line 187) and `maxssh` (default 8, line 191) are read from the site
table (lines 198-203). `getmacs -D` and `rnetboot` fork one process per LPAR
(`preprocess_nodes`, lines 913-944) with `maxssh` halved (line 304): each fork goes to the HMC
with the fewest running processes while that is under the halved `maxssh` and fewer than
`ppcmaxp` run in all, after a 0.1 s sleep (lines 317-372). `rpower` forks one process per
managed system, "the smallest entity that commands can be sent to in parallel" (lines
946-957), at most `maxssh` per HMC (line 422) and `ppcmaxp` in all (line 411); the managed
system takes that process's LPARs one after another. Schema.pm's site table documents both
attributes.

Without `fanout` every process starts at once, as the lab always did.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass

from xclone.sim.world import World

DEFAULT_PPCMAXP = 64
DEFAULT_MAXSSH = 8


@dataclass(frozen=True)
class Limits:
    per_hmc: float
    total: float
    interval: float  # seconds slept before each fork


def _site_number(world: World, key: str, default: int) -> int:
    try:
        return int(world.site().get(key) or default)
    except ValueError:
        return default


def limits(world: World, per_lpar: bool) -> Limits:
    """The limits xCAT applies: per-LPAR commands (getmacs -D, rnetboot) halve maxssh and sleep
    between forks; per-CEC ones (rpower) do not. A halved maxssh of 0 would never fork: the
    lab allows one."""
    if not world.costs.fanout:
        return Limits(math.inf, math.inf, 0.0)
    maxssh = _site_number(world, "maxssh", DEFAULT_MAXSSH)
    per_hmc = max(maxssh // 2, 1) if per_lpar else max(maxssh, 1)
    return Limits(per_hmc, max(_site_number(world, "ppcmaxp", DEFAULT_PPCMAXP), 1),
                  world.duration(world.costs.fork_interval) if per_lpar else 0.0)


def schedule(jobs: list[tuple[str, str]], limits: Limits,
             run: Callable[[str, float], float]) -> float:
    """Fork `jobs` (key, HMC) the way xCAT does: `run(key, offset)` starts one process that
    many seconds from now and returns how long it runs. Returns when the last one ends."""
    queues: dict[str, list[str]] = {}
    for key, hmc in jobs:
        queues.setdefault(hmc, []).append(key)
    running: dict[str, list[float]] = {hmc: [] for hmc in queues}
    now, last = 0.0, 0.0
    while any(queues.values()):
        for ends in running.values():
            ends[:] = [end for end in ends if end > now]
        open_hmcs = [h for h in queues if queues[h] and len(running[h]) < limits.per_hmc]
        if not open_hmcs or sum(map(len, running.values())) >= limits.total:
            now = min(end for ends in running.values() for end in ends)
            continue
        hmc = min(open_hmcs, key=lambda h: len(running[h]))
        now += limits.interval
        length = run(queues[hmc].pop(0), now)
        running[hmc].append(now + length)
        last = max(last, now + length)
    return last
