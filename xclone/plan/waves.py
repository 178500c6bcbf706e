"""Staging a NIM master's installs in waves of at most its `max_installs` (issue 17): the boots
of wave k wait for the install waits of wave k-1, whose wait actions are their own (extra
`wave`, so a wait batch never spans two waves). xCAT service nodes keep a rolling window
instead (xclone/drivers/xcat/waves.py: their boots are batched rnetboots sharing HMCs). A
failed install in a wave stops that server's later waves, as an administrator staging by hand
stops to look. Which steps boot a node and which wait for it is the driver's; the waves are
this module's."""

from __future__ import annotations

from collections.abc import Mapping

from xclone.plan.action import Step, StepRef


def in_waves(steps: list[Step], boots: Mapping[str, int], waits: Mapping[str, int],
             limit: int) -> None:
    """Stage, in place, the nodes that have both a boot and a wait (indexes into `steps`), in
    name order, `limit` to a wave; nothing changes when they fit in one."""
    nodes = sorted(n for n in boots if n in waits)
    if len(nodes) <= limit:
        return
    previous: dict[tuple[tuple[str, str], ...], StepRef] = {}
    for start in range(0, len(nodes), limit):
        wave = nodes[start:start + limit]
        for node in wave:
            boot = steps[boots[node]]
            steps[boots[node]] = boot.but(
                after_if_planned=(*boot.after_if_planned, *previous.values()))
            wait = steps[waits[node]]
            steps[waits[node]] = wait.but(
                extra=tuple(sorted((*wait.extra, ("wave", f"{start // limit + 1}")))))
        previous = {}
        for node in wave:
            wait = steps[waits[node]]
            previous.setdefault(tuple(p for p in wait.extra if p[0] != "wave"), wait.key)
