"""The xCAT driver: the seed runbook on an AIX xCAT 2.9 management node that is also the NIM master.

`probes` observes its hosts (`servicenodes` the service nodes of a hierarchical cluster and
what they change, `waves` their staged installs, `snhosts` their /etc/hosts before
xcat2nim), `resources/` holds one planner per resource
type (compare + steps),
`kinds` the closed enum of its commands, `judges` (with `outcomes`) their results, `waits`
the polling of installs, `remedy` the boot-services remedy of `apply --remediate`,
`reobserve` the read-backs of commands whose answer was lost, `adoption` what `xclone import`
marks, `drift` what its tools change by themselves.
`DRIVER` is what drivers/registry.py hands the core.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass
from functools import partial

from xclone.apply.checks import Decision
from xclone.apply.waits import Progress, Run, RunOn, WaitLimits
from xclone.base.command import Command
from xclone.base.remote import Result
from xclone.drivers.base import DriverBase
from xclone.drivers.protocol import Driver, Remedy
from xclone.drivers.xcat import (
    adoption,
    drift,
    golden,
    judges,
    preflight,
    probes,
    remedy,
    reobserve,
    servicenodes,
    waits,
    waves,
)
from xclone.drivers.xcat.kinds import ActionKind
from xclone.drivers.xcat.resources.cleanup import plan_cleanup
from xclone.drivers.xcat.resources.group import plan_groups
from xclone.drivers.xcat.resources.infra import plan_cecs, plan_hmcs, plan_site
from xclone.drivers.xcat.resources.lpar import plan_lpars
from xclone.drivers.xcat.resources.network import plan_networks
from xclone.drivers.xcat.resources.osimage import plan_osimages
from xclone.observed.model import Facts
from xclone.observed.probes import AnyProbe, ObservationTargets
from xclone.plan.action import Action
from xclone.plan.context import Context


@dataclass(frozen=True)
class XcatDriver(DriverBase):
    def plan(self, ctx: Context) -> None:
        """The runbook's order; `--destroy` plans only the cleanup of marked objects."""
        sns = servicenodes.ServiceNodes(ctx)
        if not ctx.options.destroy:
            plan_site(ctx)
            plan_hmcs(ctx)
            plan_cecs(ctx)
            plan_networks(ctx)
            plan_groups(ctx)
            plan_osimages(ctx)
            plan_lpars(ctx, sns)
            if ctx.spec.install_servers:
                ctx.steps[:] = waves.staged(ctx.steps, ctx.spec)
            preflight.check(ctx)
        plan_cleanup(ctx, sns)

    def master_round(self, targets: ObservationTargets, facts: Facts) -> tuple[AnyProbe, ...]:
        """Each service node the management node lists as one (its `lsnim -l`, /etc/hosts and
        preflight), and the preflight's `xdsh GOLDEN lsuser -a fsize root` for each osimage
        xCAT lacks."""
        return (*servicenodes.sn_probes(targets, facts), *golden.probes(targets, facts))

    def reobserve(self, run: Callable[[Command], Result], action: Action,
                  nodes: tuple[str, ...], lost: str, run_on: RunOn | None = None) -> Decision:
        """Every xCAT read-back runs on the management node, but a service node's nodes' NIM
        machines are read on that service node (`run_on`)."""
        return reobserve.decide(run, action, nodes, lost, run_on)

    def wait_install(self, run: Run, nodes: tuple[str, ...], limits: WaitLimits,
                     cancel: threading.Event, progress: Progress, action: Action,
                     run_on: RunOn) -> tuple[set[str], dict[str, str]]:
        """xCAT status is on the management node; NIM Cstate too, but for a service node's
        nodes on that service node (`run_on` its host, servicenodes.py)."""
        sn = action.extra_value(servicenodes.EXTRA_SN_HOST)
        return waits.wait_install(run, nodes, limits, cancel, progress,
                                  remediating=remedy.wanted(action),
                                  mn=action.extra_value(servicenodes.EXTRA_SN) or action.host,
                                  nim_run=None if sn is None else partial(run_on, sn))

    def remedy(self, wait: Action) -> Remedy | None:
        """Boot services (remedy.py), for the install waits planned with `--remediate`."""
        return remedy.REMEDY if remedy.wanted(wait) else None


DRIVER: Driver = XcatDriver("xcat", ActionKind, probes, judges, adoption, drift)
