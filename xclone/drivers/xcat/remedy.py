"""Network boots the runbook blames on the install server's boot services, and their remedy.

bootpd and tftpd run under inetd and the client mounts the SPOT over NFS (IBM AIX, "Debugging a
network boot problem"): when they stop answering, rnetboot still says `Success` (it only starts
the boot: docs/formats.md "rnetboot") while NIM never sees the client, so its Cstate stays "BOS
installation has been enabled" until the wait's limits strike. The runbook's remedy restarts
inetd, the tftp subserver and the nfs group on the install server, then boots the node again.
`xclone apply --remediate boot-services` marks the install waits with `remediate` (never a
protected LPAR's); after such a wait, the core (xclone/apply/remedies.py, as for `driver: nim`)
gives each node NIM still shows only enabled that remedy once: the restarts on its NIM master
(the management node, or the service node serving it: servicenodes.py), then the plan's own
boot of it from the management node again (`rnetboot`; a Flex blade's `rpower`, as `reset`:
blade.py), then a new wait; never by default.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from functools import partial

from xclone.apply.waits import Run, RunOn
from xclone.base.command import Command
from xclone.drivers import bootservices
from xclone.drivers.bootservices import OPTION
from xclone.drivers.xcat.kinds import ActionKind
from xclone.drivers.xcat.servicenodes import EXTRA_SN_HOST
from xclone.plan.action import Action

REMEDIATE = "remediate"  # the install wait's extra: remedy its unanswered boots


def extra(requested: frozenset[str], protect: bool) -> tuple[tuple[str, str], ...]:
    """What an LPAR's install wait carries when apply was asked to remedy boot services: never
    a `protect: true` LPAR's (booting it again power-cycles it; as under `driver: nim`)."""
    return ((REMEDIATE, OPTION),) if OPTION in requested and not protect else ()


def wanted(action: Action) -> bool:
    return action.extra_value(REMEDIATE) == OPTION


def unanswered(cstate: str) -> bool:
    """The node was booted but NIM never saw it: its install is still only enabled."""
    return cstate == bootservices.ENABLED


def advice(mn: str | None, remediating: bool) -> str:
    """What an unanswered boot's failure adds. Under `--remediate` the core remedies it next
    and prefixes a failure after that with the remedy, so the text holds before and after."""
    where = f" on {mn}" if mn else " on the install server"
    if remediating:
        return (f"; the network boot was never answered, which the runbook attributes to the "
                f"boot services{where}; if restarting them ({bootservices.REMEDY}) and "
                "booting it again does not help, look at the install server's network and NIM "
                "setup")
    return (f"; the network boot was never answered, which the runbook attributes to the boot "
            f"services: restart them with {bootservices.REMEDY}{where}, or apply again with "
            "`--remediate boot-services` to have xclone do it and retry the node once")


@dataclass(frozen=True)
class BootServices:
    name: str = OPTION

    def host(self, wait: Action) -> str:
        """The nodes' NIM master: a service node's nodes are its own clients, booted by its
        own inetd, tftpd and NFS; else the management node, the wait's host."""
        return wait.extra_value(EXTRA_SN_HOST) or wait.host

    def candidates(self, wait: Action, failed: Mapping[str, str], run: Run,
                   run_on: RunOn) -> tuple[str, ...]:
        """The failed nodes whose NIM machine, on their master, is still only enabled."""
        where = self.host(wait)
        master = run if where == wait.host else partial(run_on, where)
        return tuple(sorted(bootservices.unserved(master, sorted(failed))))

    def commands(self, wait: Action) -> tuple[Command, ...]:
        return bootservices.commands()

    def boots(self, wait: Action, nodes: tuple[str, ...], actions: Mapping[str, Action]
              ) -> dict[str, tuple[Action, ...]]:
        """Each node's own `rnetboot` or blade `rpower` that this wait follows (its direct
        dependencies); the blade's as `reset`, since the partition now runs (a blade the plan
        found off was powered `on`, which would not boot it again)."""
        wanted_nodes = set(nodes)
        found: dict[str, tuple[Action, ...]] = {}
        for boot in (actions[i] for i in wait.depends_on if i in actions):
            if boot.kind == ActionKind.RPOWER_BOOT:
                boot = dataclasses.replace(boot, after_words=("reset",))
            elif boot.kind != ActionKind.RNETBOOT:
                continue
            for node in wanted_nodes.intersection(boot.nodes):
                found[node] = (boot,)
        return found


REMEDY = BootServices()
