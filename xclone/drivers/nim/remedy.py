"""`xclone apply --remediate boot-services` under `driver: nim`: restart, boot again, wait again.

A partition whose network boot stalls on a code the boot services cause (bootp unanswered,
CA00E175; the TFTP transfer failing, CA00E177; AIX fetching its .info file by TFTP, 0608, or
mounting the SPOT over NFS, 0611: refcodes.py) while NIM still shows its install only enabled
was never served by the master. The runbook's remedy restarts inetd, the tftp subserver and the
nfs group on that master (drivers/bootservices.py), then the client is booted again. The planner
marks each LPAR's `lpar_netboot` with `remediate` when apply was asked to (never for a
`protect: true` LPAR, never by default), so a saved plan carries its choice and the wait's
batching is untouched; the core (xclone/apply/remedies.py) runs the restarts on the wait's
master and then the plan's own `rmvterm` and `lpar_netboot` of each such node again, once. A
partition found already stalled so at plan time (an earlier apply's boot) is booted by the plan
under `--remediate` instead of only waited for, so that there is a boot to repeat.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass

from xclone.apply.waits import Run, RunOn
from xclone.base.command import Command
from xclone.base.errors import TransportError, XcloneError
from xclone.drivers import bootservices
from xclone.drivers.nim.kinds import ActionKind
from xclone.drivers.nim.refcodes import BOOT_SERVICES, RESTARTED, stall
from xclone.drivers.nim.waits import REFCODE_FIELDS, refcode_command
from xclone.observed.parsers.hmc import parse_fields
from xclone.plan.action import Action

REMEDIATE = "remediate"  # the lpar_netboot's extra: boot it again after the remedy
CODES = frozenset({"CA00E175", "CA00E177", "0608", "0611"})  # the boot services' stall codes


def extra(requested: frozenset[str], protect: bool) -> tuple[tuple[str, str], ...]:
    """What an LPAR's `lpar_netboot` carries when apply was asked to remedy boot services."""
    wanted = bootservices.OPTION in requested and not protect
    return ((REMEDIATE, bootservices.OPTION),) if wanted else ()


def boots_again(requested: frozenset[str], protect: bool, code: str | None) -> bool:
    """Whether a partition armed and showing a boot-services stall code at plan time is booted
    again rather than waited for: only when apply was asked to remedy, so that the boot this
    plan makes (marked) is one the remedy may repeat after restarting the services."""
    found = stall(code or "")
    return bool(extra(requested, protect)) and found is not None and found.code in CODES


def _codes(run_on: RunOn, wait: Action) -> dict[str, str]:
    """Each partition's current reference code on the wait's managed system ({} if unknown)."""
    hmc, system = wait.extra_value("hmc"), wait.extra_value("system")
    if not hmc or not system:
        return {}
    try:
        result = run_on(hmc, refcode_command(system))
        rows = parse_fields(result.stdout, REFCODE_FIELDS) if result.exit_status == 0 else []
    except (TransportError, XcloneError):
        return {}
    return {r["lpar_name"]: r["refcode"].strip() for r in rows}


@dataclass(frozen=True)
class BootServices:
    name: str = bootservices.OPTION

    def candidates(self, wait: Action, failed: Mapping[str, str], run: Run,
                   run_on: RunOn) -> tuple[str, ...]:
        """The failed nodes showing a boot-services stall code that NIM never served."""
        codes = _codes(run_on, wait)
        stalled = sorted(n for n in failed if (found := stall(codes.get(n, ""))) is not None
                         and found.code in CODES)
        return tuple(sorted(bootservices.unserved(run, stalled))) if stalled else ()

    def host(self, wait: Action) -> str:
        """The wait's master: it answers its clients' boots."""
        return wait.host

    def commands(self, wait: Action) -> tuple[Command, ...]:
        return bootservices.commands()

    def after(self, why: str) -> str:
        """A failure of the wait after the remedy: its stall advice no longer offers the
        restarts or `--remediate`, both just tried."""
        return why.replace(BOOT_SERVICES, RESTARTED)

    def boots(self, wait: Action, nodes: tuple[str, ...], actions: Mapping[str, Action]
              ) -> dict[str, tuple[Action, ...]]:
        """Each node's own `rmvterm` and `lpar_netboot -f` that this wait follows, when the
        netboot is marked (the MAC discovery's `lpar_netboot -M -n` never is). One pass over
        the wait's dependencies: the planner puts it right after each LPAR's netboot, and
        that netboot right after its rmvterm."""
        wanted = set(nodes)
        found: dict[str, tuple[Action, ...]] = {}
        for boot in (actions[i] for i in wait.depends_on if i in actions):
            if boot.kind != ActionKind.LPAR_NETBOOT or \
                    boot.extra_value(REMEDIATE) != bootservices.OPTION:
                continue
            for node in wanted.intersection(boot.nodes):
                consoles = tuple(actions[i] for i in boot.depends_on if i in actions
                                 and actions[i].kind == ActionKind.RMVTERM
                                 and node in actions[i].nodes)
                found[node] = (*consoles[-1:], boot)
        return found


REMEDY = BootServices()
