"""The NIM driver: a NIM master and the HMCs driven directly, no xCAT (issue 14).

`probes` observes the master (`lsnim -l`, /etc/hosts) and the HMCs (systems, partitions and
their virtual Ethernet MACs), `resources/` holds one planner per resource type (compare +
steps: docs/nim-driver.md maps them to the by-hand procedure), `kinds` the closed enum of its
commands, `judges` their results, `waits` the install polling (NIM Cstate on the master, the
HMC's reference codes through `run_on`), `reobserve` the read-backs of commands whose answer was
lost, `remedy` the boot-services remedy of `apply --remediate`, `adoption` what `xclone
import` marks, `drift` what NIM changes by itself. `DRIVER` is
what drivers/registry.py hands the core.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from xclone.apply.checks import Decision
from xclone.apply.waits import Progress, Run, RunOn, WaitLimits
from xclone.base.command import Command
from xclone.base.remote import Result
from xclone.drivers.base import DriverBase
from xclone.drivers.nim import adoption, drift, judges, preflight, probes, remedy, reobserve, waits
from xclone.drivers.nim.kinds import ActionKind
from xclone.drivers.nim.resources.cleanup import plan_cleanup
from xclone.drivers.nim.resources.hardware import check_systems
from xclone.drivers.nim.resources.hosts import Hosts
from xclone.drivers.nim.resources.lpar import plan_lpar
from xclone.drivers.nim.resources.managed import plan_managers
from xclone.drivers.nim.resources.network import plan_networks
from xclone.drivers.nim.resources.osimage import plan_osimages
from xclone.drivers.nim.resources.scripts import plan_scripts, script_owners
from xclone.drivers.nim.servers import plan_masters
from xclone.drivers.protocol import Driver, Remedy
from xclone.observed.model import Facts
from xclone.observed.probes import AnyProbe, ObservationTargets
from xclone.plan.action import Action
from xclone.plan.context import Context


def plan_all(ctx: Context) -> None:
    """The procedure's order; `--destroy` plans only the cleanup of marked objects. The
    scripts come last: only the installs this plan arms need them."""
    if not ctx.options.destroy:
        check_systems(ctx)
        if ctx.spec.netboot == "nim":
            plan_managers(ctx)
        nets = plan_networks(ctx)
        plan_osimages(ctx)
        hosts, owners = Hosts.of(ctx), script_owners(ctx.spec)
        needed: set[str] = set()
        for name in sorted(ctx.spec.lpars):
            lpar = ctx.spec.lpars[name]
            if lpar.state != "absent":
                needed.update(plan_lpar(ctx, lpar, nets, hosts, owners))
        plan_scripts(ctx, needed, owners)
        preflight.check(ctx)
    plan_cleanup(ctx)


@dataclass(frozen=True)
class NimDriver(DriverBase):
    def plan(self, ctx: Context) -> None:
        plan_masters(ctx, plan_all)

    def master_round(self, targets: ObservationTargets, facts: Facts) -> tuple[AnyProbe, ...]:
        return probes.master_round(targets, facts)

    def reobserve(self, run: Callable[[Command], Result], action: Action,
                  nodes: tuple[str, ...], lost: str, run_on: RunOn | None = None) -> Decision:
        return reobserve.decide(run, action, nodes, lost, run_on)

    def wait_install(self, run: Run, nodes: tuple[str, ...], limits: WaitLimits,
                     cancel: threading.Event, progress: Progress, action: Action,
                     run_on: RunOn) -> tuple[set[str], dict[str, str]]:
        return waits.wait_install(run, nodes, limits, cancel, progress, action, run_on)

    def remedy(self, wait: Action) -> Remedy | None:
        """Boot services (remedy.py): only nodes whose planned lpar_netboot is marked."""
        return remedy.REMEDY


DRIVER: Driver = NimDriver("nim", ActionKind, probes, judges, adoption, drift)
