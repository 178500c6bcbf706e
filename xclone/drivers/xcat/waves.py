"""A service node's installs in waves of at most its `max_installs` (issue 17).

xCAT's network planning guide gives about 150 AIX nodes per management or service node, about
twice that when node deployment is staged (spec/servers.py XCAT_SN_INSTALLS, the default). So
the boots (`rnetboot`, or `rpower` of a blade) of an SN's wave k wait for the install waits of
its wave k-1 (xclone/plan/waves.py, shared with the NIM driver's masters); the other servers
go on, and the next apply carries on. This module picks each SN's boots and waits.
"""

from __future__ import annotations

import dataclasses

from xclone.base.address import Address
from xclone.drivers.xcat.kinds import ActionKind
from xclone.drivers.xcat.servicenodes import EXTRA_SN
from xclone.plan.action import Step, StepRef
from xclone.plan.waves import in_waves
from xclone.spec.model import Spec
from xclone.spec.servers import install_limit

_BOOTS = (ActionKind.RNETBOOT, ActionKind.RPOWER_BOOT)
_SERVED_FIRST = (ActionKind.XCAT2NIM, ActionKind.NIMNODESET, ActionKind.XDCP_HOSTS)


def _staged(steps: list[Step], indexes: list[int], limit: int) -> None:
    """Stage, in place, the steps at `indexes` (one SN's boots and waits)."""
    boots: dict[str, int] = {}
    waits: dict[str, int] = {}
    for index in indexes:
        step = steps[index]
        if step.node is not None and step.kind in _BOOTS:
            boots[step.node] = index
        elif step.node is not None and step.kind is ActionKind.WAIT_INSTALL:
            waits[step.node] = index
    in_waves(steps, boots, waits, limit)


def after_server_installs(steps: list[Step], spec: Spec) -> list[Step]:
    """A service node that is itself an LPAR of the spec, being installed or reinstalled by
    this plan, serves nothing until its install is done: every xcat2nim of its nodes (the
    first command xCAT sends on to it, xcat2nim.pm preprocess_request), nimnodeset (for a
    node defined already) and the copy of /etc/hosts to it wait for its install wait; the
    rest of their steps follow those. An SN whose install is not planned adds no edge
    (`after_if_planned`)."""
    waits = {name: StepRef(ActionKind.WAIT_INSTALL, Address("lpar", name))
             for name in spec.install_servers if name in spec.lpars}
    if not waits:
        return steps
    out = []
    for step in steps:
        wait = waits.get(dict(step.extra).get(EXTRA_SN, ""))
        if step.kind in _SERVED_FIRST and wait is not None:
            step = dataclasses.replace(step, after_if_planned=(*step.after_if_planned, wait))
        out.append(step)
    return out


def staged(steps: list[Step], spec: Spec) -> list[Step]:
    """Every service node's boots and waits staged by its limit; the management node's
    installs are left as they are (one wave). The nodes of an SN the plan installs wait for
    it first (after_server_installs)."""
    steps = after_server_installs(steps, spec)
    by_sn: dict[str, list[int]] = {}
    for index, step in enumerate(steps):
        if step.kind in _BOOTS or step.kind is ActionKind.WAIT_INSTALL:
            sn = dict(step.extra).get(EXTRA_SN)
            if sn is not None:
                by_sn.setdefault(sn, []).append(index)
    out = list(steps)
    for sn, indexes in sorted(by_sn.items()):
        limit = install_limit(spec, sn) if sn in spec.install_servers else None
        if limit is not None:
            _staged(out, indexes, limit)
    return out
