"""A service node's installs kept to at most its `max_installs` at once (issue 17).

xCAT's network planning guide gives about 150 AIX nodes per management or service node, about
twice that when node deployment is staged (spec/servers.py XCAT_SN_INSTALLS, the default). So
an SN's installs are staged in a rolling window of batches:

- A batch is at most one round of rnetboot's forks over the SN's HMCs: PPC.pm forks one
  process per LPAR, at most half of site `maxssh` per HMC (xCAT 2.9.2 PPC.pm line 304;
  `maxssh` defaults to 8, Schema.pm line 1036), so a batch boots in one rnetboot time; the
  SN's nodes are dealt round robin over its HMCs so each batch uses them all.
- The boot (`rnetboot`, or `rpower` of a blade) of batch k is ordered after the boot of batch
  k - 1 and the install wait of batch k - W, W = max_installs // batch: at most `max_installs`
  of the SN's nodes are between their boot and their `booted` at any time, as with waves of
  that size, but a batch starts as soon as an earlier one has installed instead of after the
  whole wave, so the SN's network stays busy while a batch customizes and reboots. The boots
  of one SN run one batch after another: two rnetboot processes of the same HMCs at once
  would each fork maxssh/2 per HMC, past the `maxssh` connections the site allows.
- Each batch's `nimnodeset` is its own, after the one of batch k - 1: the first for an image
  copies the image's NIM resources the SN lacks and defines them there (aixinstall.pm
  `prenimnodeset` line 8991, `doSNcopy2` lines 9698-9766 copy only the resources the SN's
  `lsnim -c resources` does not list), so the later ones find them, and the first batch boots
  once its own nodes' bos_inst are done instead of after the SN's last node's.
- Each batch's `getmacs -D` and `xcat2nim` are their own too, and the SN's HMC commands run
  one at a time (getmacs -D forks as rnetboot does): the discovery of the first AHEAD windows
  of batches while the image is made and copied, the boots of the first window back to back,
  then each further discovery followed by the next boot (which waits for a slot anyway).
  Installs start after the first batches' MACs, not all of them (320 getmacs -D of an HMC,
  8 at a time, take 53 minutes).

The orders that keep to the limits are order only (Step.ordered_after): the HMC commands one
after another and each boot after the install wait of batch k - W. A batch whose boot, getmacs
or install failed for a node skips nothing of the others: they only wait for it to end. The
window counts installs in progress, and a wait that has ended has seen its nodes booted or given
up on them: an install in error or with no progress for `install_stall` restores nothing more
from the SN. Only a wait that hit its total timeout with its node still restoring lets the next
batch overlap it, one batch's worth over `max_installs` for a while, a smaller price than
skipping every W-th later batch. Each nimnodeset stays a dependency of the one after it: when
it fails, the image's resources may be missing on the SN and the next would fail the same way;
a failure stops the SN's later nimnodesets, batches already set up go on, the other servers go
on, and the next apply carries on. This module picks each SN's steps and stages them.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass, field

from xclone.base.address import Address
from xclone.drivers.xcat.kinds import ActionKind
from xclone.drivers.xcat.servicenodes import EXTRA_SN
from xclone.plan.action import Step, StepRef
from xclone.spec.model import Spec
from xclone.spec.servers import install_limit

_BOOTS = (ActionKind.RNETBOOT, ActionKind.RPOWER_BOOT)
_SERVED_FIRST = (ActionKind.XCAT2NIM, ActionKind.NIMNODESET, ActionKind.XDCP_HOSTS)
# xCAT's default site maxssh (Schema.pm line 1036: "Default is 8.").
XCAT_MAXSSH = 8
# How many windows of MACs the SN's HMCs discover before its first boot: each batch's getmacs
# -D is one round of forks (80 s in the lab's costs: start, Open Firmware, shut down), so two
# windows of 10 batches take about 27 minutes, about the time the image takes to be made
# (xCAT's mksysb: 25 min) and copied, while the HMCs would otherwise wait. Chosen on the
# benchmark's model of 10,000 LPARs on 16 servers: 1 window 4.57 h, 2 windows 4.20 h, 3
# windows 4.30 h (the first boot waits longer).
AHEAD = 2


@dataclass
class _Server:
    """One SN's steps to stage, by node: indexes into the plan's steps."""

    boots: dict[str, int] = field(default_factory=dict)
    waits: dict[str, int] = field(default_factory=dict)
    nimnodesets: dict[str, int] = field(default_factory=dict)
    xcat2nims: dict[str, int] = field(default_factory=dict)
    getmacs: dict[str, int] = field(default_factory=dict)


def _one_per_batch(steps: list[Step], indexes: list[int]) -> tuple[StepRef, ...]:
    """One step of each batch the steps at `indexes` form (their extra without the wave): a
    dependency on it is one on the whole batch."""
    found: dict[tuple[tuple[str, str], ...], StepRef] = {}
    for index in indexes:
        step = steps[index]
        found.setdefault(tuple(p for p in step.extra if p[0] != "wave"), step.key)
    return tuple(found.values())


def across_hmcs(nodes: list[str], hmc_of: Mapping[str, str]) -> list[str]:
    """`nodes` (in name order) dealt round robin over their HMCs: each batch of the window
    then boots on all of the SN's HMCs at once, each under its own maxssh/2 (PPC.pm), instead
    of queueing on one HMC while the others idle."""
    by_hmc: dict[str, list[str]] = {}
    for node in sorted(nodes):
        by_hmc.setdefault(hmc_of.get(node, ""), []).append(node)
    ranked = sorted((rank, hmc, node) for hmc, names in by_hmc.items()
                    for rank, node in enumerate(names))
    return [node for _, _, node in ranked]


def batch_size(spec: Spec, nodes: list[str], hmc_of: Mapping[str, str], limit: int) -> int:
    """The window's batch: at most what one rnetboot boots at once, half of site maxssh per
    HMC (PPC.pm line 304, at least one) times the HMCs of `nodes`, evened out over the fewest
    batches that hold `limit` (150 by 16 at once: 10 batches of 15, not 9 of 16)."""
    value = spec.site.attributes.get("maxssh", "")
    maxssh = int(value) if value.isdigit() else XCAT_MAXSSH
    at_once = max(maxssh // 2, 1) * max(len({hmc_of.get(n, "") for n in nodes}), 1)
    return -(-limit // -(-limit // at_once))


def _tag(steps: list[Step], index: int, number: int, after: tuple[StepRef, ...],
         ordered: tuple[StepRef, ...] = ()) -> None:
    """Put a step in batch `number`, needing `after` and ordered after `ordered`."""
    step = steps[index]
    steps[index] = dataclasses.replace(
        step, after_if_planned=(*step.after_if_planned, *after),
        ordered_after_if_planned=(*step.ordered_after_if_planned, *ordered),
        extra=tuple(sorted((*step.extra, ("wave", f"{number}")))))


def hmc_order(batches: int, ahead: int, window: int) -> list[tuple[str, int]]:
    """The order of one SN's HMC commands, ("getmacs" | "boot", batch): the MACs of `ahead`
    batches first, then the boots of the first `window` back to back (nothing holds them),
    then each further discovery followed by the next boot, which waits for a slot anyway."""
    found = max(min(ahead, batches), 1) if batches else 0
    order = [("getmacs", k) for k in range(found)]
    for k in range(batches):
        if k >= window and found < batches:
            order.append(("getmacs", found))
            found += 1
        while found <= k:  # a boot never comes before its own batch's discovery
            order.append(("getmacs", found))
            found += 1
        order.append(("boot", k))
    return order


def rolling(steps: list[Step], server: _Server, limit: int, size: int,
            hmc_of: Mapping[str, str]) -> None:
    """Stage, in place, the nodes of `server` that have both a boot and a wait in a rolling
    window of at most `limit` installs, `size` to a batch; nothing changes when they fit in
    one. Each batch's getmacs, xcat2nim, nimnodeset and waits are their own actions (extra
    `wave`, the batch's number from 1)."""
    nodes = across_hmcs([n for n in server.boots if n in server.waits], hmc_of)
    if len(nodes) <= limit:
        return
    size = min(max(size, 1), limit)
    window = limit // size  # window * size <= limit
    batches = [nodes[start:start + size] for start in range(0, len(nodes), size)]
    installed: list[tuple[StepRef, ...]] = []
    set_up: tuple[StepRef, ...] = ()
    for number, batch in enumerate(batches):
        for kind in (server.waits, server.xcat2nims):
            for index in (kind[n] for n in batch if n in kind):
                _tag(steps, index, number + 1, ())
        nimnodesets = [server.nimnodesets[n] for n in batch if n in server.nimnodesets]
        for index in nimnodesets:
            _tag(steps, index, number + 1, set_up)
        set_up = _one_per_batch(steps, nimnodesets) or set_up
        installed.append(_one_per_batch(steps, [server.waits[n] for n in batch]))
    # One HMC command of the SN's nodes at a time: each forks maxssh/2 per HMC (PPC.pm), so
    # two at once would pass the site's maxssh. MAC discovery runs AHEAD windows ahead. Order
    # only, as the window: these are limits, not needs (the module's docstring).
    previous: tuple[StepRef, ...] = ()
    for what, number in hmc_order(len(batches), AHEAD * window, window):
        batch = batches[number]
        if what == "getmacs":
            indexes = [server.getmacs[n] for n in batch if n in server.getmacs]
            for index in indexes:
                _tag(steps, index, number + 1, (), previous)
        else:
            indexes = [server.boots[n] for n in batch]
            before = (*previous, *(installed[number - window] if number >= window else ()))
            for index in indexes:
                boot = steps[index]
                steps[index] = dataclasses.replace(
                    boot, ordered_after_if_planned=(*boot.ordered_after_if_planned, *before))
        previous = _one_per_batch(steps, indexes) or previous


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
    """Every service node's boots, nimnodesets and waits staged by its limit; the management
    node's installs are left as they are (one wave). The nodes of an SN the plan installs wait
    for it first (after_server_installs)."""
    steps = after_server_installs(steps, spec)
    by_sn: dict[str, _Server] = {}
    getmacs = {step.node: index for index, step in enumerate(steps)
               if step.kind is ActionKind.GETMACS and step.node is not None}
    for index, step in enumerate(steps):
        sn = dict(step.extra).get(EXTRA_SN)
        if sn is None or step.node is None:
            continue
        if step.kind in _BOOTS:
            by_sn.setdefault(sn, _Server()).boots[step.node] = index
        elif step.kind is ActionKind.WAIT_INSTALL:
            by_sn.setdefault(sn, _Server()).waits[step.node] = index
        elif step.kind is ActionKind.NIMNODESET:
            by_sn.setdefault(sn, _Server()).nimnodesets[step.node] = index
        elif step.kind is ActionKind.XCAT2NIM:
            by_sn.setdefault(sn, _Server()).xcat2nims[step.node] = index
    out = list(steps)
    hmc_of = {name: lpar.hmc for name, lpar in spec.lpars.items()}
    for sn, server in sorted(by_sn.items()):
        limit = install_limit(spec, sn) if sn in spec.install_servers else None
        if limit is not None:
            server.getmacs = {n: getmacs[n] for n in server.boots if n in getmacs}
            size = batch_size(spec, [n for n in server.boots if n in server.waits], hmc_of,
                              limit)
            rolling(out, server, limit, size, hmc_of)
    return out
